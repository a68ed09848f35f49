/**
 * Finding the chart a release command names: a chart directory or a packaged archive on disk
 * (`./charts/dockercoins`, `coins-0.1.0.tgz`). Repository references (`stable/prometheus`,
 * `--repo URL`) are resolved by the repository layer when one is configured.
 */

import type { Chart } from '../../chart/chart.js';
import { loadChart } from '../../chart/loader.js';
import { ReleaseFailedError } from '../../internal/errors.js';

/** Where chart references are resolved. */
export interface ChartRefOptions {
  /** Directory relative paths are resolved against. */
  readonly cwd?: string;
  /** Resolves a repository reference (`REPO/NAME`) to a chart; absent: only local charts. */
  readonly resolveRepository?: (ref: string) => Promise<Chart | undefined>;
}

/** Loads the chart `ref` names; refuses library charts (they cannot be installed). */
export async function locateChart(ref: string, options: ChartRefOptions = {}): Promise<Chart> {
  let chart: Chart;
  try {
    chart = await loadChart(ref, options.cwd ? { cwd: options.cwd } : {});
  } catch (error) {
    const looksLikeRepoRef = /^[^./][^/]*\/[^/]+$/.test(ref);
    const fromRepo = looksLikeRepoRef ? await options.resolveRepository?.(ref) : undefined;
    if (fromRepo === undefined) throw error;
    chart = fromRepo;
  }
  if (chart.metadata.type === 'library') {
    throw new ReleaseFailedError('library charts are not installable');
  }
  return chart;
}

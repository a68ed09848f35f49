/**
 * Finding the chart a command names, in the order of Helm's `ChartPathOptions.LocateChart`
 * (`pkg/action/install.go`): a chart directory or packaged archive on disk
 * (`./charts/dockercoins`, `coins-0.1.0.tgz`) wins; a path that looks like one (absolute, or
 * starting with `.`) and does not exist is `path "…" not found`, and so is a bare name without
 * `--repo`; anything else is a repository reference (`stable/dockercoins`, `NAME` with `--repo
 * URL`, an `http(s)://` or `file://` archive URL), resolved by the repository layer with
 * `--version` / `--devel`.
 */

import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Chart } from '../../chart/chart.js';
import { readChartArchive } from '../../chart/chart-archive.js';
import { loadChart, loadChartFiles } from '../../chart/loader.js';
import { ReleaseFailedError } from '../../internal/errors.js';
import type { ResolveChartOptions } from '../../repo/resolve.js';

/** How repository references are resolved: `--version`, `--devel`, `--repo` and credentials. */
export interface ChartRepositoryOptions extends ResolveChartOptions {
  /** `$BOSUN_HOME`: the repository config and the caches. */
  readonly home: string;
}

/** Where chart references are resolved. */
export interface ChartRefOptions {
  /** Directory relative paths are resolved against. */
  readonly cwd?: string;
  /** Resolves repository references; absent: only local charts (or `resolveRepository`). */
  readonly repository?: ChartRepositoryOptions;
  /** Resolves a repository reference (`REPO/NAME`) to a chart; used when `repository` is absent. */
  readonly resolveRepository?: (ref: string) => Promise<Chart | undefined>;
}

/** Whether `ref` can only be a path on disk (as Helm decides: absolute, or starting with `.`). */
function isPathLike(ref: string): boolean {
  return path.isAbsolute(ref) || ref.startsWith('.');
}

/**
 * Loads the chart `ref` names: from disk when the path exists, else from a repository (see the
 * module comment). Library charts are loaded too (`show`, `template` need them).
 */
export async function loadChartRef(ref: string, options: ChartRefOptions = {}): Promise<Chart> {
  const name = ref.trim();
  const cwdOption = options.cwd ? { cwd: options.cwd } : {};
  if (existsSync(path.resolve(options.cwd ?? '.', name)) || isPathLike(name)) {
    return loadChart(name, cwdOption);
  }
  const repository = options.repository;
  // A bare name is a repository chart only with `--repo`; otherwise it was meant as a path, and
  // `path "x" not found` says more than Helm's `non-absolute URLs should be in form of…`.
  if (repository !== undefined && (repository.repoUrl || name.includes('/') || name.includes(':'))) {
    const { home, ...resolveOptions } = repository;
    // Loaded here: the repository code (and its HTTP client) is not needed for local charts.
    const { resolveChartReference } = await import('../../repo/resolve.js');
    const resolved = await resolveChartReference(home, name, resolveOptions);
    const source = `${resolved.name}-${resolved.version}.tgz`;
    const { files } = await readChartArchive(resolved.data, source);
    return loadChartFiles(files, source);
  }
  if (/^[^./][^/]*\/[^/]+$/.test(name)) {
    const fromRepo = await options.resolveRepository?.(name);
    if (fromRepo !== undefined) return fromRepo;
  }
  return loadChart(name, cwdOption);
}

/** Loads the chart `ref` names (see {@link loadChartRef}); refuses library charts (not installable). */
export async function locateChart(ref: string, options: ChartRefOptions = {}): Promise<Chart> {
  const chart = await loadChartRef(ref, options);
  if (chart.metadata.type === 'library') {
    throw new ReleaseFailedError('library charts are not installable');
  }
  return chart;
}

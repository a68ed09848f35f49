/**
 * `bosun show chart|values|readme|crds|all`: print parts of a chart.
 */

import type { Chart } from '../chart/chart.js';
import { toYamlDocument } from '../internal/yaml.js';
import { type ChartRepositoryOptions, loadChartRef } from './release/chart-ref.js';

/** What `show` prints. */
export type ShowWhat = 'chart' | 'values' | 'readme' | 'crds' | 'all';

const README_NAMES = ['readme.md', 'readme.txt', 'readme'];

/** The README of a chart (Helm's lookup: README.md, README.txt, README; any case), or ''. */
export function findReadme(chart: Chart): string {
  for (const candidate of README_NAMES) {
    const f = chart.files.find((x) => x.name.toLowerCase() === candidate);
    if (f) return f.data.toString('utf8');
  }
  return '';
}

function rawValues(chart: Chart): string {
  const f = chart.raw.find((x) => x.name === 'values.yaml');
  return f ? f.data.toString('utf8') : '';
}

function crds(chart: Chart): string[] {
  return chart.files.filter((f) => f.name.startsWith('crds/')).map((f) => f.data.toString('utf8'));
}

/** Formats the requested part of a chart as Helm prints it. */
export function showChart(chart: Chart, what: ShowWhat): string {
  const meta = toYamlDocument(chart.metadata);
  switch (what) {
    case 'chart':
      return meta;
    case 'values':
      return ensureNewline(rawValues(chart));
    case 'readme':
      return ensureNewline(findReadme(chart));
    case 'crds':
      return crds(chart)
        .map((c) => `---\n${ensureNewline(c)}`)
        .join('');
    case 'all': {
      let out = meta;
      const values = rawValues(chart);
      if (values !== '') out += `---\n${ensureNewline(values)}`;
      const readme = findReadme(chart);
      if (readme !== '') out += `---\n${ensureNewline(readme)}`;
      for (const c of crds(chart)) out += `---\n${ensureNewline(c)}`;
      return out;
    }
  }
}

function ensureNewline(s: string): string {
  return s === '' || s.endsWith('\n') ? s : `${s}\n`;
}

/** Options of {@link ShowAction}. */
export interface ShowOptions {
  /** Directory relative chart paths are resolved against. */
  cwd?: string;
  /** Resolves repository references (`stable/dockercoins`, `--repo`, `--version`). */
  repository?: ChartRepositoryOptions;
}

/** Loads a chart (a directory, an archive or a repository reference) and shows a part of it. */
export class ShowAction {
  constructor(private readonly options: ShowOptions = {}) {}

  /** Returns the text to print. */
  async run(what: ShowWhat, chartRef: string): Promise<string> {
    const chart = await loadChartRef(chartRef, {
      ...(this.options.cwd ? { cwd: this.options.cwd } : {}),
      ...(this.options.repository ? { repository: this.options.repository } : {}),
    });
    return showChart(chart, what);
  }
}

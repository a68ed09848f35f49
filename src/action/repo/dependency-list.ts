/**
 * `dependency list CHART` (Helm's `pkg/action/dependency.go`): each Chart.yaml dependency with
 * its status in `charts/`, and warnings for what `charts/` holds that Chart.yaml does not list.
 *
 * Statuses, as Helm computes them: an archive `charts/<name>-*.tgz` (with several, only those
 * whose suffix is a strict SemVer count) is `ok`, `corrupt` (does not load), `misnamed` (holds
 * another chart), `wrong version` or `invalid version`; several such archives are `too many
 * matches`; a name that is not a valid glob is `bad pattern`; otherwise a subchart of that name
 * loaded from `charts/` is `unpacked` (or `wrong version`…), and none is `missing`. Unlike Helm,
 * which fails as a whole when one archive in `charts/` is broken, each subchart is loaded on its
 * own, so a broken one shows as `corrupt` and the others still get their status.
 */

import { type Dirent, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Chart, Dependency } from '../../chart/chart.js';
import { MAX_CHART_FILE_SIZE } from '../../chart/chart.js';
import { loadChart } from '../../chart/loader.js';
import { parseChartMetadata } from '../../chart/metadata.js';
import { ChartInvalidError, IoError } from '../../internal/errors.js';
import { assertConstraint, isValidVersion, satisfiesConstraint } from '../../repo/constraints.js';

/** The statuses of `dependency list`. */
export type DependencyStatus =
  | 'ok'
  | 'missing'
  | 'wrong version'
  | 'unpacked'
  | 'misnamed'
  | 'corrupt'
  | 'invalid version'
  | 'too many matches'
  | 'bad pattern';

/** One row of the table. */
export interface DependencyRow {
  readonly name: string;
  readonly version: string;
  readonly repository: string;
  readonly status: DependencyStatus;
}

/** What `dependency list` shows. */
export interface DependencyListResult {
  /** `<chart>/charts`, as named in Helm's `WARNING: no dependencies at …`. */
  readonly chartsDir: string;
  readonly rows: readonly DependencyRow[];
  /** Helm's warnings about `charts/` entries: `"<path>" is not a chart.` / `is not in Chart.yaml.` */
  readonly warnings: readonly string[];
}

/** Masterminds' `StrictNewVersion`: SemVer 2 exactly (no `v`, no leading zeros, all three parts). */
const STRICT_SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** Go's `filepath.Match` pattern as a regular expression, or undefined for `ErrBadPattern`. */
export function goGlob(pattern: string): RegExp | undefined {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '\\') {
      if (i + 1 >= pattern.length) return undefined;
      out += escapeChar(pattern[++i]!);
    } else if (c === '[') {
      let j = i + 1;
      let cls = '';
      if (pattern[j] === '^') {
        cls += '^';
        j++;
      }
      let first = true;
      for (; j < pattern.length && (first || pattern[j] !== ']'); j++) {
        first = false;
        let ch = pattern[j]!;
        if (ch === '\\') {
          if (++j >= pattern.length) return undefined;
          ch = pattern[j]!;
        }
        cls += ch === '-' && pattern[j - 1] !== '\\' ? '-' : escapeChar(ch);
      }
      if (j >= pattern.length || cls === '' || cls === '^') return undefined;
      out += `[${cls}]`;
      i = j;
    } else out += escapeChar(c);
  }
  try {
    return new RegExp(`^${out}$`, 's');
  } catch {
    return undefined;
  }
}

function escapeChar(c: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c;
}

/** `wrong version` / `invalid version` when `actual` does not fit the dependency's range. */
function versionStatus(actual: string, range: string | undefined): DependencyStatus | undefined {
  if (actual === range) return undefined;
  try {
    assertConstraint(range ?? '');
  } catch {
    return 'invalid version';
  }
  if (!isValidVersion(actual)) return 'invalid version';
  return satisfiesConstraint(actual, range) ? undefined : 'wrong version';
}

/** Loads a chart, or undefined when it does not load. */
async function tryLoad(file: string): Promise<Chart | undefined> {
  try {
    return await loadChart(file);
  } catch {
    return undefined;
  }
}

/** Helm's `statArchiveForStatus`. */
async function archiveStatus(file: string, dep: Dependency): Promise<DependencyStatus | undefined> {
  if (!(await fs.stat(file).catch(() => undefined))) return undefined;
  const chart = await tryLoad(file);
  if (!chart) return 'corrupt';
  if (chart.metadata.name !== dep.name) return 'misnamed';
  return versionStatus(chart.metadata.version, dep.version) ?? 'ok';
}

/** The subcharts a loader would find in `charts/`: directories and archives, each loaded alone. */
async function loadSubcharts(chartsDir: string, entries: readonly Dirent[]): Promise<Chart[]> {
  const out: Chart[] = [];
  for (const e of entries) {
    if (e.name.startsWith('_') || e.name.startsWith('.')) continue;
    const isArchive = !e.isDirectory() && (e.name.endsWith('.tgz') || e.name.endsWith('.tar.gz'));
    if (!e.isDirectory() && !isArchive) continue;
    const chart = await tryLoad(path.join(chartsDir, e.name));
    if (chart) out.push(chart);
  }
  return out;
}

async function dependencyStatus(
  dep: Dependency,
  chartsDir: string,
  names: readonly string[],
  subcharts: readonly Chart[],
): Promise<DependencyStatus> {
  const glob = goGlob(`${dep.name}-*.tgz`);
  if (!glob) return 'bad pattern';
  const archives = names.filter((n) => glob.test(n));
  if (archives.length > 1) {
    const found = archives.filter((a) => STRICT_SEMVER.test(a.slice(dep.name.length + 1, -'.tgz'.length)));
    if (found.length === 1) {
      const status = await archiveStatus(path.join(chartsDir, found[0]!), dep);
      if (status) return status;
    } else if (found.length > 1) return 'too many matches';
  } else if (archives.length === 1) {
    const status = await archiveStatus(path.join(chartsDir, archives[0]!), dep);
    if (status) return status;
  }
  const loaded = subcharts.filter((c) => c.metadata.name === dep.name).at(-1);
  if (!loaded) return 'missing';
  return versionStatus(loaded.metadata.version, dep.version) ?? 'unpacked';
}

/** Lists the dependencies of the chart directory (or archive) `chart`. */
export async function dependencyList(options: { chart: string; cwd: string }): Promise<DependencyListResult> {
  const given = options.chart.replace(/\/+$/, '') || options.chart;
  const dir = path.resolve(options.cwd, options.chart);
  const chartsDir = path.join(given, 'charts');
  const stat = await fs.stat(dir).catch(() => undefined);
  if (!stat) throw new IoError(`path "${options.chart}" not found`);
  if (!stat.isDirectory()) {
    // An archive: its subcharts are the loaded ones (Helm's glob finds nothing inside it).
    const chart = await loadChart(dir);
    const rows: DependencyRow[] = [];
    for (const dep of chart.metadata.dependencies ?? []) {
      rows.push({ ...row(dep), status: await dependencyStatus(dep, '', [], chart.dependencies) });
    }
    return { chartsDir, rows, warnings: [] };
  }
  const file = path.join(dir, 'Chart.yaml');
  const chartYaml = await fs.stat(file).catch(() => undefined);
  if (!chartYaml?.isFile()) throw new ChartInvalidError(`${given}: Chart.yaml file is missing`);
  if (chartYaml.size > MAX_CHART_FILE_SIZE) throw new ChartInvalidError(`${given}/Chart.yaml is too large`);
  const metadata = parseChartMetadata(await fs.readFile(file, 'utf8'), `${given}/Chart.yaml`);
  const deps = metadata.dependencies ?? [];
  const absCharts = path.join(dir, 'charts');
  const entries = (await fs.readdir(absCharts, { withFileTypes: true }).catch(() => [] as Dirent[])).sort(
    (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  if (deps.length === 0) return { chartsDir, rows: [], warnings: [] };
  const subcharts = await loadSubcharts(absCharts, entries);
  const names = entries.map((e) => e.name);
  const rows: DependencyRow[] = [];
  for (const dep of deps) {
    rows.push({ ...row(dep), status: await dependencyStatus(dep, absCharts, names, subcharts) });
  }
  const warnings: string[] = [];
  for (const e of entries) {
    if (!e.isDirectory() && path.extname(e.name) !== '.tgz') continue;
    const shown = path.join(chartsDir, e.name);
    const chart = await tryLoad(path.join(absCharts, e.name));
    if (!chart) warnings.push(`"${shown}" is not a chart.`);
    else if (!deps.some((d) => d.name === chart.metadata.name))
      warnings.push(`"${shown}" is not in Chart.yaml.`);
  }
  return { chartsDir, rows, warnings };
}

function row(dep: Dependency): Omit<DependencyRow, 'status'> {
  return { name: dep.name, version: dep.version ?? '', repository: dep.repository ?? '' };
}

/**
 * Loads a chart from a directory or a `.tgz` into the `Chart` model, following Helm's loader
 * rules (`pkg/chart/v2/loader/load.go`): special files at the root, `templates/`, `charts/`
 * subcharts (directories and archives), everything else as chart files.
 */

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { BosunError, ChartInvalidError, IoError } from '../internal/errors.js';
import { isPlainObject, type PlainObject } from '../internal/objects.js';
import { parseYaml } from '../internal/yaml.js';
import { type Chart, type ChartFile, type ChartLock, MAX_CHART_SIZE } from './chart.js';
import { readChartArchive } from './chart-archive.js';
import { type ReadDirectoryOptions, readChartDirectory } from './chart-directory.js';
import { parseChartMetadata } from './metadata.js';

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function parseLock(file: ChartFile, source: string): ChartLock {
  const raw = parseYaml(file.data.toString('utf8'), source);
  if (!isPlainObject(raw)) throw new ChartInvalidError(`${source}: must be a map`);
  return {
    generated: String(raw['generated'] ?? ''),
    digest: String(raw['digest'] ?? ''),
    dependencies: Array.isArray(raw['dependencies'])
      ? (raw['dependencies'] as ChartLock['dependencies'])
      : [],
  };
}

function parseValues(file: ChartFile, source: string): PlainObject {
  const raw = parseYaml(file.data.toString('utf8'), source);
  if (raw === null || raw === undefined) return {};
  if (!isPlainObject(raw)) throw new ChartInvalidError(`${source}: values must be a map`);
  return raw;
}

/**
 * Assembles a chart from its files (names relative to the chart root). `source` is how the
 * chart is named in errors (a directory, an archive, or `parent/charts/sub`).
 */
export async function loadChartFiles(files: readonly ChartFile[], source: string): Promise<Chart> {
  const chartFile = files.find((f) => f.name === 'Chart.yaml');
  if (!chartFile) throw new ChartInvalidError(`${source}: Chart.yaml file is missing`);
  const metadata = parseChartMetadata(chartFile.data.toString('utf8'), `${source}/Chart.yaml`);
  let lock: ChartLock | undefined;
  let values: PlainObject = {};
  let schema: string | undefined;
  const templates: ChartFile[] = [];
  const other: ChartFile[] = [];
  const subDirs = new Map<string, ChartFile[]>();
  const subArchives: ChartFile[] = [];

  for (let k = 0; k < files.length; k++) {
    const f = files[k];
    const n = f.name;
    if (n === 'Chart.yaml' || n === 'requirements.yaml' || n === 'requirements.lock') continue;
    if (n === 'Chart.lock') lock = parseLock(f, `${source}/Chart.lock`);
    else if (n === 'values.yaml') values = parseValues(f, `${source}/values.yaml`);
    else if (n === 'values.schema.json') schema = f.data.toString('utf8');
    else if (n.startsWith('templates/')) templates.push(f);
    else if (n.startsWith('charts/')) {
      const rest = n.slice('charts/'.length);
      const slash = rest.indexOf('/');
      const first = slash < 0 ? rest : rest.slice(0, slash);
      if (first.startsWith('_') || first.startsWith('.')) continue;
      if (slash < 0) {
        if (first.endsWith('.tgz') || first.endsWith('.tar.gz')) subArchives.push(f);
        else other.push(f);
      } else {
        const list = subDirs.get(first) ?? [];
        list.push({ name: rest.slice(slash + 1), data: f.data });
        subDirs.set(first, list);
      }
    } else other.push(f);
  }

  const dependencies: Chart[] = [];
  for (const [dir, subFiles] of [...subDirs].sort(([a], [b]) => (a < b ? -1 : 1))) {
    dependencies.push(await loadChartFiles(subFiles, `${source}/charts/${dir}`));
  }
  for (const archive of subArchives.sort(byName)) {
    const where = `${source}/${archive.name}`;
    const { files: subFiles } = await readChartArchive(archive.data, where);
    dependencies.push(await loadChartFiles(subFiles, where));
  }
  dependencies.sort((a, b) =>
    a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0,
  );

  const chart: Chart = {
    metadata,
    templates: templates.sort(byName),
    values,
    files: other.sort(byName),
    raw: [...files].sort(byName),
    dependencies,
    ...(lock ? { lock } : {}),
    ...(schema !== undefined ? { schema } : {}),
  };
  return chart;
}

/** Options for `loadChart`. */
export interface LoadChartOptions extends ReadDirectoryOptions {
  /** Directory relative paths are resolved against. @default process.cwd() */
  cwd?: string;
}

/**
 * Loads a chart from a directory or a gzipped archive on disk.
 * Errors name the path; a missing path is `IoError`.
 */
export async function loadChart(chartPath: string, options: LoadChartOptions = {}): Promise<Chart> {
  const abs = path.resolve(options.cwd ?? '.', chartPath);
  let stat: import('node:fs').Stats;
  try {
    stat = await fs.stat(abs);
  } catch {
    throw new IoError(`path "${chartPath}" not found`);
  }
  const source = chartPath.replace(/\/+$/, '') || chartPath;
  if (stat.isDirectory()) {
    const files = await readChartDirectory(abs, options);
    return loadChartFiles(files, source);
  }
  if (!stat.isFile()) throw new IoError(`${chartPath}: not a chart directory or archive`);
  if (stat.size > MAX_CHART_SIZE) {
    throw new ChartInvalidError(`${chartPath}: archive is larger than the maximum size ${MAX_CHART_SIZE}`);
  }
  const data = await fs.readFile(abs);
  try {
    const { files } = await readChartArchive(data, source);
    return await loadChartFiles(files, source);
  } catch (err) {
    if (err instanceof BosunError) throw err;
    throw new ChartInvalidError(`${chartPath}: ${(err as Error).message}`, { cause: err });
  }
}

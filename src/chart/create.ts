/**
 * `bosun create NAME`: Helm v4's `helm create` scaffold, with templates in bosun's Handlebars
 * dialect. Rendered with default values it gives the same four documents as Helm's chart
 * (ServiceAccount, Service, Deployment and the test Pod).
 */

import { constants, promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import { ChartInvalidError, errorMessage, IoError } from '../internal/errors.js';
import { CHART_YAML, HELMIGNORE, VALUES_YAML } from './scaffold/chart-files.js';
import {
  DEPLOYMENT_YAML,
  HELPERS_TPL,
  HPA_YAML,
  HTTPROUTE_YAML,
  INGRESS_YAML,
  NOTES_TXT,
  SERVICE_YAML,
  SERVICEACCOUNT_YAML,
  TEST_CONNECTION_YAML,
} from './scaffold/templates.js';

/** Names `create` accepts (Helm's rule, `pkg/chart/v2/util/create.go`). */
export const CHART_NAME_PATTERN = /^[a-zA-Z0-9._-]+$/;
/** Longest name `create` accepts (Helm's limit). */
export const MAX_CHART_NAME_LENGTH = 250;

/** Stands for the chart's name in the scaffold's files. */
const PLACEHOLDER = '<CHARTNAME>';

/**
 * A file of a new chart. `name` is relative to the chart directory with `/` separators; a name
 * ending in `/` (only `charts/`) is a directory to create empty, and its `content` is `''`.
 */
export interface ScaffoldFile {
  readonly name: string;
  readonly content: string;
}

/** Options of `createChart`. */
export interface CreateChartOptions {
  /**
   * Called with the absolute path of each existing file about to be overwritten, before
   * anything is written (the CLI prints Helm's `WARNING: File "…" already exists. Overwriting.`).
   */
  readonly onOverwrite?: (file: string) => void;
}

/** The scaffold, sorted by name, before the chart name is put in. */
const SCAFFOLD: readonly ScaffoldFile[] = [
  { name: '.helmignore', content: HELMIGNORE },
  { name: 'Chart.yaml', content: CHART_YAML },
  { name: 'charts/', content: '' },
  { name: 'templates/NOTES.txt', content: NOTES_TXT },
  { name: 'templates/_helpers.tpl', content: HELPERS_TPL },
  { name: 'templates/deployment.yaml', content: DEPLOYMENT_YAML },
  { name: 'templates/hpa.yaml', content: HPA_YAML },
  { name: 'templates/httproute.yaml', content: HTTPROUTE_YAML },
  { name: 'templates/ingress.yaml', content: INGRESS_YAML },
  { name: 'templates/service.yaml', content: SERVICE_YAML },
  { name: 'templates/serviceaccount.yaml', content: SERVICEACCOUNT_YAML },
  { name: 'templates/tests/test-connection.yaml', content: TEST_CONNECTION_YAML },
  { name: 'values.yaml', content: VALUES_YAML },
];

/**
 * Checks a chart name for `create`: 1 to 250 characters of `[a-zA-Z0-9._-]`, and not `.` or
 * `..` (Helm accepts those and writes into the current or parent directory).
 */
export function validateCreateName(name: string): void {
  if (name.length === 0 || name.length > MAX_CHART_NAME_LENGTH) {
    throw new ChartInvalidError(`chart name must be between 1 and ${MAX_CHART_NAME_LENGTH} characters`);
  }
  if (!CHART_NAME_PATTERN.test(name)) {
    throw new ChartInvalidError(
      `chart name ${JSON.stringify(name)} must match the regular expression "${CHART_NAME_PATTERN.source}"`,
    );
  }
  if (name === '.' || name === '..') throw new ChartInvalidError(`chart name "${name}" is not allowed`);
}

/** Files of a new chart named `name` (see `ScaffoldFile` for the `charts/` directory entry). */
export function scaffoldFiles(name: string): { name: string; content: string }[] {
  validateCreateName(name);
  return SCAFFOLD.map((f) => ({ name: f.name, content: f.content.replaceAll(PLACEHOLDER, name) }));
}

async function lstatOrUndefined(p: string): Promise<Stats | undefined> {
  try {
    return await fs.lstat(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new IoError(`cannot read "${p}": ${errorMessage(err)}`, { cause: err });
  }
}

/** A path the scaffold will write, checked before anything is written. */
interface Target {
  readonly path: string;
  readonly dir: boolean;
  readonly content: string;
  readonly exists: boolean;
}

/**
 * Checks every path the scaffold writes: an existing entry must be of the right type and never a
 * symbolic link, so that overwriting an existing chart cannot write outside it.
 */
async function planTargets(chartDir: string, files: readonly ScaffoldFile[]): Promise<Target[]> {
  const dirs = new Set<string>(['']);
  for (const f of files) {
    const parts = f.name.replace(/\/$/, '').split('/');
    for (let i = 1; i <= parts.length - (f.name.endsWith('/') ? 0 : 1); i++) {
      dirs.add(parts.slice(0, i).join('/'));
    }
  }
  const targets: Target[] = [];
  for (const rel of [...dirs].sort()) {
    const p = rel === '' ? chartDir : path.join(chartDir, ...rel.split('/'));
    const st = await lstatOrUndefined(p);
    if (st?.isSymbolicLink()) throw new IoError(`"${p}" is a symbolic link: refusing to write through it`);
    if (st && !st.isDirectory()) throw new IoError(`file ${p} already exists and is not a directory`);
    targets.push({ path: p, dir: true, content: '', exists: st !== undefined });
  }
  for (const f of files) {
    if (f.name.endsWith('/')) continue;
    const p = path.join(chartDir, ...f.name.split('/'));
    const st = await lstatOrUndefined(p);
    if (st?.isSymbolicLink()) throw new IoError(`"${p}" is a symbolic link: refusing to write through it`);
    if (st && !st.isFile()) throw new IoError(`"${p}" already exists and is not a regular file`);
    targets.push({ path: p, dir: false, content: f.content, exists: st !== undefined });
  }
  return targets;
}

async function writeTarget(t: Target): Promise<void> {
  if (t.dir) {
    if (!t.exists) await fs.mkdir(t.path, { mode: 0o755 });
    // Re-check after creating: the directory must not have been swapped for a link meanwhile.
    const st = await fs.lstat(t.path);
    if (!st.isDirectory()) throw new Error('not a directory');
    return;
  }
  // O_NOFOLLOW: never write through a link that appeared after the checks.
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0);
  const handle = await fs.open(t.path, flags, 0o644);
  try {
    await handle.writeFile(t.content, 'utf8');
  } finally {
    await handle.close();
  }
}

/**
 * Creates `<dir>/<name>` with the scaffold and returns the chart's path. Refuses an invalid name
 * and a parent directory that does not exist (as Helm does: it never creates parents). An
 * existing chart directory is overwritten file by file (Helm's behaviour), but no symbolic link
 * inside it is ever followed. Nothing is written when a check fails; when writing a new chart
 * fails half-way, the partial chart is removed.
 */
export async function createChart(
  name: string,
  dir: string,
  options: CreateChartOptions = {},
): Promise<string> {
  const files = scaffoldFiles(name);
  const parent = path.resolve(dir);
  let parentStat: Stats;
  try {
    parentStat = await fs.stat(parent);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new IoError(`directory "${parent}" does not exist`, { cause: err });
    }
    throw new IoError(`cannot read "${parent}": ${errorMessage(err)}`, { cause: err });
  }
  if (!parentStat.isDirectory()) throw new IoError(`no such directory "${parent}"`);

  const chartDir = path.join(parent, name);
  const targets = await planTargets(chartDir, files);
  if (options.onOverwrite) {
    for (const t of targets) if (!t.dir && t.exists) options.onOverwrite(t.path);
  }
  let current = chartDir;
  let createdRoot = false;
  try {
    for (const t of targets) {
      current = t.path;
      await writeTarget(t);
      if (t.path === chartDir && !t.exists) createdRoot = true;
    }
  } catch (err) {
    // Only a chart directory this call created is removed, never one that was there before.
    if (createdRoot) await fs.rm(chartDir, { recursive: true, force: true }).catch(() => undefined);
    throw new IoError(`cannot write "${current}": ${errorMessage(err)}`, { cause: err });
  }
  return chartDir;
}

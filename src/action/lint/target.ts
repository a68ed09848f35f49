/**
 * Opening a chart for lint (a directory or an archive) and loading it into the chart model,
 * tolerating the Chart.yaml problems the Chart.yaml rules already reported so that the later
 * rules still see the templates.
 */

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type Chart, type ChartFile, MAX_CHART_SIZE } from '../../chart/chart.js';
import { readChartArchive } from '../../chart/chart-archive.js';
import { readChartDirectory } from '../../chart/chart-directory.js';
import { loadChartFiles } from '../../chart/loader.js';
import { errorMessage } from '../../internal/errors.js';
import type { PlainObject } from '../../internal/objects.js';
import { toYaml } from '../../internal/yaml.js';
import { coerceSemver, isStrictSemver, rawScalarText } from './chartfile-rules.js';
import { type EntryKind, fileText, type LintTarget, targetFromFiles } from './support.js';

/** A chart opened for lint, or why it could not be (Helm prints `Error <reason>`). */
export type OpenedTarget = { readonly target: LintTarget } | { readonly error: string };

/** Whether `p` names a chart archive rather than a directory. */
export function isArchivePath(p: string): boolean {
  return p.endsWith('.tgz') || p.endsWith('.tar.gz');
}

async function kindOf(p: string): Promise<EntryKind | undefined> {
  try {
    const st = await fs.stat(p);
    return st.isDirectory() ? 'directory' : 'file';
  } catch {
    return undefined;
  }
}

async function openArchive(chartPath: string, abs: string): Promise<OpenedTarget> {
  let data: Buffer;
  try {
    const st = await fs.stat(abs);
    if (st.size > MAX_CHART_SIZE)
      return { error: `${chartPath}: archive is larger than the maximum size ${MAX_CHART_SIZE}` };
    data = await fs.readFile(abs);
  } catch (err) {
    return { error: `unable to open tarball: ${errorMessage(err)}` };
  }
  try {
    const { files } = await readChartArchive(data, path.basename(chartPath));
    if (!files.some((f) => f.name === 'Chart.yaml')) {
      return { error: `unable to check Chart.yaml file in chart: ${chartPath}: Chart.yaml file is missing` };
    }
    return { target: targetFromFiles(chartPath, files) };
  } catch (err) {
    return { error: `unable to extract tarball: ${errorMessage(err)}` };
  }
}

async function openDirectory(chartPath: string, abs: string): Promise<OpenedTarget> {
  const chartYaml = path.join(chartPath, 'Chart.yaml');
  const layout = new Map<string, EntryKind | undefined>();
  for (const name of ['Chart.yaml', 'templates', 'crds', 'values.yaml']) {
    layout.set(name, await kindOf(path.join(abs, name)));
  }
  if (layout.get('Chart.yaml') === undefined) {
    return {
      error: `unable to check Chart.yaml file in chart: stat ${chartYaml}: no such file or directory`,
    };
  }
  let files: ChartFile[];
  try {
    files = await readChartDirectory(abs);
  } catch (err) {
    return { error: `unable to read chart directory: ${errorMessage(err)}` };
  }
  const derived = targetFromFiles(chartPath, files);
  return {
    target: {
      path: chartPath,
      files: derived.files,
      entry: (name) => (layout.has(name) ? layout.get(name) : derived.entry(name)),
    },
  };
}

/** Opens `chartPath` (resolved against `cwd`) for linting. */
export async function openTarget(chartPath: string, cwd: string): Promise<OpenedTarget> {
  const abs = path.resolve(cwd, chartPath);
  return isArchivePath(chartPath) ? openArchive(chartPath, abs) : openDirectory(chartPath, abs);
}

/** The loaded chart, or the loader's error. */
export type LoadedChart = { readonly chart: Chart } | { readonly error: string };

/**
 * Chart.yaml as the loader should see it for linting: numeric `version`/`appVersion` become
 * the text they were written with, and a lenient version (`1.0`) is completed to SemVer 2.
 * Those problems are the Chart.yaml rules' to report; loading still goes ahead, as in Helm.
 * Returns `undefined` when nothing needs changing.
 */
export function tolerantChartYaml(raw: PlainObject, text: string): string | undefined {
  const patched: PlainObject = { ...raw };
  let changed = false;
  for (const key of ['version', 'appVersion']) {
    if (typeof raw[key] === 'number') {
      patched[key] = rawScalarText(text, key) ?? String(raw[key]);
      changed = true;
    }
  }
  const version = patched['version'];
  if (typeof version === 'string' && !isStrictSemver(version)) {
    const coerced = coerceSemver(version);
    if (coerced !== undefined) {
      patched['version'] = coerced;
      changed = true;
    }
  }
  return changed ? `${toYaml(patched)}\n` : undefined;
}

/** Loads the chart of `target` (subcharts included) for the template, dependency and CRD rules. */
export async function loadForLint(target: LintTarget, raw: PlainObject | undefined): Promise<LoadedChart> {
  let files = target.files;
  const text = fileText(target, 'Chart.yaml');
  const patched = raw && text !== undefined ? tolerantChartYaml(raw, text) : undefined;
  if (patched !== undefined) {
    files = files.map((f) => (f.name === 'Chart.yaml' ? { name: f.name, data: Buffer.from(patched) } : f));
  }
  try {
    return { chart: await loadChartFiles(files, target.path) };
  } catch (err) {
    return { error: errorMessage(err) };
  }
}

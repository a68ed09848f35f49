/**
 * `bosun package`: a chart directory → `<name>-<version>.tgz`, laid out as Helm lays it out
 * (`<name>/` as the top folder).
 */

import { promises as fs } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import type { ChartFile } from '../chart/chart.js';
import { writeChartArchive } from '../chart/chart-archive.js';
import { readChartDirectory } from '../chart/chart-directory.js';
import { loadChartFiles } from '../chart/loader.js';
import { ChartInvalidError, InvalidArgumentError, IoError } from '../internal/errors.js';
import { setTopLevelStrings } from '../internal/yaml-edit.js';

/** Options of `PackageAction`; defaults match the CLI's. */
export interface PackageOptions {
  /** Where the archive goes. @default the working directory */
  destination?: string;
  /** Overrides Chart.yaml `version`. */
  version?: string;
  /** Overrides Chart.yaml `appVersion`. */
  appVersion?: string;
  /** Directory relative paths are resolved against. @default process.cwd() */
  cwd?: string;
}

/** What `PackageAction.run` produced. */
export interface PackageResult {
  /** Absolute path of the archive written. */
  readonly path: string;
  readonly name: string;
  readonly version: string;
}

/** Packages a chart directory into an archive. */
export class PackageAction {
  constructor(private readonly options: PackageOptions = {}) {}

  /** Packages the chart at `chartDir`; writes nothing when the chart is invalid. */
  async run(chartDir: string): Promise<PackageResult> {
    const o = this.options;
    const cwd = o.cwd ?? process.cwd();
    const dir = path.resolve(cwd, chartDir);
    const stat = await fs.stat(dir).catch(() => undefined);
    if (!stat) throw new IoError(`path "${chartDir}" not found`);
    if (!stat.isDirectory()) throw new InvalidArgumentError(`"${chartDir}" is not a chart directory`);
    if (o.version !== undefined && semver.valid(o.version) === null) {
      throw new InvalidArgumentError(`--version: invalid semantic version "${o.version}"`);
    }
    let files = await readChartDirectory(dir);
    const chart = await loadChartFiles(files, chartDir.replace(/\/+$/, ''));
    const meta = chart.metadata;
    if (path.basename(dir) !== meta.name) {
      throw new ChartInvalidError(
        `directory name (${path.basename(dir)}) and Chart.yaml name (${meta.name}) must be the same`,
      );
    }
    const present = new Set(chart.dependencies.map((d) => d.metadata.name));
    const missing = (meta.dependencies ?? []).filter((d) => !present.has(d.name)).map((d) => d.name);
    if (missing.length > 0) {
      throw new ChartInvalidError(
        `found in Chart.yaml, but missing in charts/ directory: ${missing.join(', ')}`,
      );
    }
    const version = o.version ?? meta.version;
    if (o.version !== undefined || o.appVersion !== undefined) {
      const original = files.find((f) => f.name === 'Chart.yaml')!;
      const updates: Record<string, string> = { version };
      if (o.appVersion !== undefined) updates['appVersion'] = o.appVersion;
      const text = await setTopLevelStrings(
        original.data.toString('utf8'),
        updates,
        `${chartDir}/Chart.yaml`,
      );
      const chartYaml: ChartFile = { name: 'Chart.yaml', data: Buffer.from(text) };
      files = files.map((f) => (f.name === 'Chart.yaml' ? chartYaml : f));
    }
    const archive = await writeChartArchive(files, meta.name);
    const destination = path.resolve(cwd, o.destination ?? '.');
    const destStat = await fs.stat(destination).catch(() => undefined);
    if (!destStat?.isDirectory())
      throw new IoError(`destination "${o.destination ?? '.'}" is not a directory`);
    const target = path.join(destination, `${meta.name}-${version}.tgz`);
    const tmp = `${target}.${process.pid}.tmp`;
    await fs.writeFile(tmp, archive);
    await fs.rename(tmp, target);
    return { path: target, name: meta.name, version };
  }
}

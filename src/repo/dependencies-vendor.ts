/**
 * Vendoring fetched archives under a chart's `charts/`: all of them staged before any outdated
 * archive is removed, so a failure leaves the directory as it was.
 */

import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readChartArchive } from '../chart/chart-archive.js';
import { loadChartFiles } from '../chart/loader.js';
import { IoError } from '../internal/errors.js';
import type { PlannedArchive } from './dependencies-fetch.js';

/** What vendoring changed in `charts/`. */
export interface VendorResult {
  /** Files written (names under `charts/`). */
  readonly written: string[];
  /** Outdated archives removed. */
  readonly removed: string[];
}

/** The chart name inside an archive file, or undefined when it cannot be read. */
async function archiveChartName(file: string): Promise<string | undefined> {
  try {
    const data = await fs.readFile(file);
    const { files } = await readChartArchive(data, file);
    return (await loadChartFiles(files, file)).metadata.name;
  } catch {
    return undefined;
  }
}

/**
 * Writes the planned archives into `<chartDir>/charts` and removes the outdated archives of the
 * same charts (Helm's `safeDeleteDep`: `charts/<name>-*.tgz` holding chart `<name>`). The
 * archives are staged as hidden temporary files first, so a failure leaves `charts/` as it was.
 */
export async function vendorArchives(
  chartDir: string,
  planned: readonly PlannedArchive[],
  names: readonly string[],
  warn?: (message: string) => void,
): Promise<VendorResult> {
  const dest = path.join(chartDir, 'charts');
  const stat = await fs.stat(dest).catch(() => undefined);
  if (stat && !stat.isDirectory()) throw new IoError(`"${dest}" is not a directory`);
  await fs.mkdir(dest, { recursive: true });
  const unique = new Map(planned.map((p) => [p.file, p]));
  const staged: [string, string][] = [];
  try {
    for (const p of unique.values()) {
      const tmp = path.join(dest, `.${p.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
      await fs.writeFile(tmp, p.data, { mode: 0o644, flag: 'wx' });
      staged.push([tmp, path.join(dest, p.file)]);
    }
  } catch (err) {
    await Promise.all(staged.map(([tmp]) => fs.rm(tmp, { force: true })));
    throw err;
  }
  const removed: string[] = [];
  const existing = await fs.readdir(dest);
  for (const name of new Set(names)) {
    for (const f of existing) {
      if (!f.startsWith(`${name}-`) || !f.endsWith('.tgz') || unique.has(f)) continue;
      const chartName = await archiveChartName(path.join(dest, f));
      if (chartName === undefined) {
        warn?.(`could not verify charts/${f} for deletion (skipping)`);
        continue;
      }
      if (chartName !== name) continue;
      await fs.rm(path.join(dest, f), { force: true });
      removed.push(f);
    }
  }
  for (const [tmp, target] of staged) await fs.rename(tmp, target);
  return { written: [...unique.keys()], removed };
}

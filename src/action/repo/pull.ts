/**
 * `pull CHART` (alias `fetch`; Helm's `pkg/action/pull.go`): resolves a chart reference
 * (`REPO/NAME`, `--repo URL NAME`, an archive URL) with `--version` / `--devel`, and writes
 * `<name>-<version>.tgz` into the destination, atomically, or with `untar` unpacks it into
 * `<untardir>/<name>/`. The unpacked chart is written into a temporary directory beside the target
 * and renamed into place, so a failure leaves no partial directory (Helm leaves one).
 */

import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readChartArchive } from '../../chart/chart-archive.js';
import { ArchiveError, BosunError, IoError } from '../../internal/errors.js';
import { writeFileAtomic } from '../../repo/atomic-file.js';
import { type ResolveChartOptions, type ResolvedChart, resolveChartReference } from '../../repo/resolve.js';

/** Options of {@link pullChart}. */
export interface PullOptions extends ResolveChartOptions {
  /** `$BOSUN_HOME`. */
  readonly home: string;
  /** Directory relative destinations are resolved against. */
  readonly cwd: string;
  /** `-d/--destination`: where the archive (or, with `untar`, the untar directory) goes. @default '.' */
  readonly destination?: string;
  /** `--untar`: unpack the chart instead of keeping the archive. */
  readonly untar?: boolean;
  /** `--untardir`: the directory the chart is unpacked into, relative to the destination. @default '.' */
  readonly untardir?: string;
}

/** What `pull` wrote. */
export interface PullResult {
  readonly name: string;
  readonly version: string;
  /** sha256 (hex) of the archive. */
  readonly digest: string;
  /** The URL the archive came from. */
  readonly url: string;
  /** The archive written, or with `untar` the chart directory. */
  readonly path: string;
  readonly untarred: boolean;
}

/** Whether anything (file, directory, link) is at `p`. */
async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch {
    return false;
  }
}

/** Unpacks the archive into `<parent>/<name>`, all at once (temporary directory + rename). */
async function untarInto(chart: ResolvedChart, parent: string, shown: string): Promise<string> {
  const source = `${chart.name}-${chart.version}.tgz`;
  // Files come named relative to the archive's top directory; they go under the chart's name.
  const { files } = await readChartArchive(chart.data, source);
  const target = path.join(parent, chart.name);
  if (await exists(target)) {
    throw new IoError(`failed to untar: a file or directory with the name ${shown} already exists`);
  }
  await fs.mkdir(parent, { recursive: true });
  const staging = path.join(parent, `.${chart.name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  await fs.mkdir(staging, { mode: 0o755 });
  try {
    for (const file of files) {
      const out = path.resolve(staging, file.name);
      // The archive reader already refuses paths that leave the chart; checked again where it matters.
      if (!out.startsWith(staging + path.sep))
        throw new ArchiveError(`${source}: illegal file path ${file.name}`);
      await fs.mkdir(path.dirname(out), { recursive: true, mode: 0o755 });
      await fs.writeFile(out, file.data, { mode: 0o644, flag: 'wx' });
    }
    if (await exists(target)) {
      throw new IoError(`failed to untar: a file or directory with the name ${shown} already exists`);
    }
    await fs.rename(staging, target);
  } catch (error) {
    await fs.rm(staging, { recursive: true, force: true });
    if (error instanceof BosunError) throw error;
    throw new IoError(`failed to untar ${source} into ${shown}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return target;
}

/** Refuses a chart name or version that is not a plain file name component. */
function assertFileNamePart(value: string, what: string): void {
  if (!/^[A-Za-z0-9_.+-]+$/.test(value) || value === '.' || value === '..') {
    throw new ArchiveError(
      `refusing to write a chart whose ${what} ${JSON.stringify(value)} is not a plain file name`,
    );
  }
}

/**
 * Downloads (or takes from the cache) the chart `ref` names and writes it as `pull` does.
 *
 * @throws the resolution's errors (`repo x not found`, `chart "y" matching 1.2.3 not found in x
 *   index…`, a digest mismatch), `failed to untar: a file or directory with the name … already
 *   exists`, or an ArchiveError for an archive that does not unpack.
 */
export async function pullChart(ref: string, options: PullOptions): Promise<PullResult> {
  const { home, cwd, destination = '.', untar, untardir = '.', ...resolveOptions } = options;
  const chart = await resolveChartReference(home, ref, resolveOptions);
  assertFileNamePart(chart.name, 'name');
  assertFileNamePart(chart.version, 'version');
  const destDir = path.resolve(cwd, destination);
  const base = { name: chart.name, version: chart.version, digest: chart.digest, url: chart.url };
  if (untar) {
    const parent = path.resolve(destDir, untardir);
    const shown = path.join(
      path.isAbsolute(untardir) ? untardir : path.join(destination, untardir),
      chart.name,
    );
    return { ...base, path: await untarInto(chart, parent, shown), untarred: true };
  }
  const file = path.join(destDir, `${chart.name}-${chart.version}.tgz`);
  await fs.mkdir(destDir, { recursive: true });
  await writeFileAtomic(file, chart.data);
  return { ...base, path: file, untarred: false };
}

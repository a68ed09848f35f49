/**
 * `bosun repo index DIR [--url URL] [--merge FILE] [--json]` (Helm's `pkg/cmd/repo_index.go`):
 * writes `DIR/index.yaml` for the packaged charts in DIR. Also builds the bundled repository
 * (`repo-index/`) from the chart sources in `charts/`, reproducibly.
 */

import { randomBytes } from 'node:crypto';
import { promises as fs, renameSync, type Stats, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { IoError } from '../../internal/errors.js';
import { emptyIndex, indexDirectory, parseIndex, serializeIndex } from '../../repo/index-file.js';
import type { IndexFile } from '../../repo/types.js';

/** Options of {@link RepoIndexAction}; defaults match the CLI's. */
export interface RepoIndexOptions {
  /** Prefix of the chart URLs (`--url`). */
  readonly url?: string;
  /** An index file to merge into the generated one (`--merge`); the directory's entries win. */
  readonly merge?: string;
  /** Write JSON into index.yaml (`--json`). */
  readonly json?: boolean;
  /** Directory relative paths are resolved against. @default process.cwd() */
  readonly cwd?: string;
  /** The `generated` and `created` time. @default now */
  readonly now?: Date;
  /** Receives warnings: skipped archives, skipped entries of the merged index. */
  readonly warn?: (message: string) => void;
}

/** What {@link RepoIndexAction.run} wrote. */
export interface RepoIndexResult {
  /** Absolute path of the index written. */
  readonly path: string;
  readonly index: IndexFile;
}

/** Generates `index.yaml` for a directory of packaged charts. */
export class RepoIndexAction {
  constructor(private readonly options: RepoIndexOptions = {}) {}

  /** Indexes `dir` and writes `dir/index.yaml` atomically; writes nothing when anything fails. */
  async run(dir: string): Promise<RepoIndexResult> {
    const o = this.options;
    const cwd = o.cwd ?? process.cwd();
    const abs = path.resolve(cwd, dir);
    const stat = statOrUndefined(abs);
    if (!stat) throw new IoError(`path "${dir}" not found`);
    if (!stat.isDirectory()) throw new IoError(`"${dir}" is not a directory`);
    const now = o.now ?? new Date();
    const merge =
      o.merge === undefined || o.merge === '' ? undefined : await loadMergeIndex(cwd, o.merge, now, o);
    const index = await indexDirectory(abs, {
      now,
      ...(o.url ? { url: o.url } : {}),
      ...(merge ? { merge } : {}),
      ...(o.warn ? { warn: o.warn } : {}),
    });
    const target = path.join(abs, 'index.yaml');
    await replaceFile(target, serializeIndex(index, { json: o.json === true }));
    return { path: target, index };
  }
}

/** The `stat` of a path, or `undefined` when there is none to read (reported as not found). */
function statOrUndefined(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Writes `file` through a temporary file renamed over it, so readers see the old index or the
 * new one, never half of one. No fsync, as Helm's `AtomicWriteFile`: an index is regenerated
 * from its directory at will, and `repo index` over hundreds of charts should not wait on disks.
 * Blocking calls, like the indexing itself: for one file they cost less than promises.
 */
async function replaceFile(file: string, data: string): Promise<void> {
  const tmp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    writeFileSync(tmp, data, { flag: 'wx', mode: 0o644 });
    renameSync(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

/** The `--merge` index; a file that does not exist is an empty index (Helm also creates it). */
async function loadMergeIndex(cwd: string, file: string, now: Date, o: RepoIndexOptions): Promise<IndexFile> {
  let text: string;
  try {
    text = await fs.readFile(path.resolve(cwd, file), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyIndex(now);
    throw new IoError(`merge failed: cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
  return parseIndex(text, file, o.warn ? { warn: o.warn } : {});
}

/**
 * The time written into the bundled repository's index (`generated` and every `created`): the
 * Unix epoch, like the modification time of the files in the archives, so the same charts
 * always give the same bytes.
 */
export const REPRODUCIBLE_TIME = new Date(0);

/** What {@link buildChartRepository} produced. */
export interface ChartRepositoryResult {
  /** Archive file names written, sorted. */
  readonly archives: readonly string[];
  readonly index: IndexFile;
  /** Absolute path of the index written. */
  readonly indexPath: string;
}

/**
 * Packages every chart directory of `chartsDir` (a directory holding a Chart.yaml) into
 * `outDir`, removes archives there that no chart produced, and writes `outDir/index.yaml` with
 * relative URLs and {@link REPRODUCIBLE_TIME}: the bundled repository, rebuilt by
 * `npm run repo-index`. Archives and index are byte-identical for the same charts.
 *
 * @throws when a chart is invalid; archives already written stay (the next run rewrites them).
 */
export async function buildChartRepository(
  chartsDir: string,
  outDir: string,
): Promise<ChartRepositoryResult> {
  const names = (await fs.readdir(chartsDir, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  await fs.mkdir(outDir, { recursive: true });
  // Loaded here: `repo index` itself never packages, and the packager's modules are not small.
  const { PackageAction } = await import('../package.js');
  const packager = new PackageAction({ destination: outDir });
  const archives: string[] = [];
  for (const name of names) {
    const chartDir = path.join(chartsDir, name);
    const hasChart = await fs.stat(path.join(chartDir, 'Chart.yaml')).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!hasChart) continue;
    archives.push(path.basename((await packager.run(chartDir)).path));
  }
  const keep = new Set(archives);
  for (const file of await fs.readdir(outDir)) {
    if (file.endsWith('.tgz') && !keep.has(file)) await fs.rm(path.join(outDir, file), { force: true });
  }
  const errors: string[] = [];
  const index = await indexDirectory(outDir, { now: REPRODUCIBLE_TIME, warn: (m) => errors.push(m) });
  if (errors.length > 0) throw new IoError(`cannot index ${outDir}: ${errors.join('; ')}`);
  const indexPath = path.join(outDir, 'index.yaml');
  await replaceFile(indexPath, serializeIndex(index));
  return { archives: archives.sort(), index, indexPath };
}

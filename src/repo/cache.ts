/**
 * The local caches under `$BOSUN_HOME/cache` (Helm's `repository/` and `content/` caches,
 * helm-behaviour §1.2):
 *
 * - `repository/<name>-index.yaml`: the index of each configured repository as downloaded, and
 *   `repository/<name>-charts.txt`, its chart names one per line; both written atomically, and
 *   only after the index parsed, so a failed update keeps the previous copy;
 * - `content/<2 hex>/<sha256>.tgz`: chart archives keyed by the sha256 computed from their bytes,
 *   never by a name or by a digest an index claims. Helm keys its cache by the index's digest
 *   without checking it, which lets one repository poison another's charts
 *   (security-and-faults §0.1).
 */

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, IoError, LimitError } from '../internal/errors.js';
import { sweepTempFiles, writeFileAtomic } from './atomic-file.js';
import { bundledRepoDir, bundledRepoUrl, findRepo, loadRepoConfig, STABLE_REPO_NAME } from './config.js';
import { normalizeDigest, sha256Hex } from './getter-body.js';
import { parseIndex } from './index-file.js';
import { type Fetched, type IndexFile, MAX_INDEX_BYTES } from './types.js';

/** `$BOSUN_HOME/cache/repository`. */
export function repoCacheDir(home: string): string {
  return path.join(home, 'cache', 'repository');
}

/** Refuses a repository name that would leave the cache directory as a file name. */
function safeName(repo: string): string {
  if (repo === '' || repo === '.' || repo === '..' || /[/\\\0]/.test(repo)) {
    throw new InvalidArgumentError(`invalid repository name ${JSON.stringify(repo)}`);
  }
  return repo;
}

/** `$BOSUN_HOME/cache/repository/<name>-index.yaml`. */
export function repoIndexPath(home: string, repo: string): string {
  return path.join(repoCacheDir(home), `${safeName(repo)}-index.yaml`);
}

/** `$BOSUN_HOME/cache/repository/<name>-charts.txt`. */
export function repoChartsPath(home: string, repo: string): string {
  return path.join(repoCacheDir(home), `${safeName(repo)}-charts.txt`);
}

/**
 * Caches a repository's index: `data` as downloaded (as Helm keeps it) and the names of the
 * charts of the parsed `index` that have at least one valid version. Call it only once `data` has parsed into `index`.
 */
export async function storeRepoIndex(
  home: string,
  repo: string,
  data: Uint8Array,
  index: IndexFile,
): Promise<void> {
  // Names whose every version was skipped as invalid are not installable: left out.
  const names = Object.keys(index.entries)
    .filter((n) => (index.entries[n]?.length ?? 0) > 0)
    .sort();
  await sweepTempFiles(repoCacheDir(home));
  await writeFileAtomic(repoChartsPath(home, repo), names.map((n) => `${n}\n`).join(''));
  await writeFileAtomic(repoIndexPath(home, repo), data);
}

/** Removes a repository's cached index and chart list (`repo remove`). */
export async function removeRepoCache(home: string, repo: string): Promise<void> {
  await fs.rm(repoChartsPath(home, repo), { force: true });
  await fs.rm(repoIndexPath(home, repo), { force: true });
}

/** Reads an index file under the index cap. */
async function readIndexFile(file: string): Promise<string> {
  const stat = await fs.stat(file);
  if (!stat.isFile()) throw new IoError(`${file} is not a regular file`);
  if (stat.size > MAX_INDEX_BYTES) {
    throw new LimitError(`${file} is larger than the maximum index size of ${MAX_INDEX_BYTES} bytes`);
  }
  return fs.readFile(file, 'utf8');
}

/** Options of {@link loadCachedIndex}. */
export interface LoadIndexOptions {
  /** Receives the warnings for skipped entries (invalid versions or names). */
  readonly warn?: (message: string) => void;
}

/**
 * The cached index of `repo`. The `stable` repository, while it points at the bundled
 * `repo-index/`, reads the bundled `index.yaml` itself: it is local, so it works with no
 * `repo update` and is never older than the installed package. Otherwise a missing cache is
 * Helm's `no cached repo found. (try 'helm repo update')`.
 */
export async function loadCachedIndex(
  home: string,
  repo: string,
  options: LoadIndexOptions = {},
): Promise<IndexFile> {
  const file = repoIndexPath(home, repo);
  const bundled = repo === STABLE_REPO_NAME ? await bundledIndexFile(home) : undefined;
  const source = bundled ?? file;
  let text: string;
  try {
    text = await readIndexFile(source);
  } catch (err) {
    if (err instanceof LimitError || err instanceof IoError) throw err;
    const detail = (err as Error).message;
    if (bundled !== undefined) throw new IoError(`cannot read the bundled index ${bundled}: ${detail}`);
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new IoError(
        `no cached repo found. (try 'bosun repo update'): open ${file}: no such file or directory`,
      );
    }
    throw new IoError(`cannot read ${file}: ${detail}`);
  }
  return parseIndex(text, source, options.warn ? { warn: options.warn } : {});
}

/** The bundled `index.yaml` when `stable` is configured as the bundled repository. */
async function bundledIndexFile(home: string): Promise<string | undefined> {
  const stable = findRepo(await loadRepoConfig(home), STABLE_REPO_NAME);
  if (stable === undefined || stable.url.replace(/\/+$/, '') !== bundledRepoUrl()) return undefined;
  return path.join(bundledRepoDir(), 'index.yaml');
}

/** `$BOSUN_HOME/cache/content`. */
export function contentCacheDir(home: string): string {
  return path.join(home, 'cache', 'content');
}

/** Where the archive with sha256 `digest` is cached: `content/<2 hex>/<sha256>.tgz`. */
export function chartCachePath(home: string, digest: string): string {
  const hex = normalizeDigest(digest, 'the chart cache');
  return path.join(contentCacheDir(home), hex.slice(0, 2), `${hex}.tgz`);
}

/**
 * Caches a downloaded archive under the sha256 of its bytes (computed again here, so a caller
 * cannot file bytes under another digest); returns its path. Content-addressed: an archive
 * already cached is not written again.
 */
export async function storeChart(home: string, fetched: Fetched): Promise<string> {
  const digest = sha256Hex(fetched.data);
  if (fetched.digest.toLowerCase() !== digest) {
    throw new IoError(
      `refusing to cache an archive whose bytes hash to sha256:${digest}, not sha256:${fetched.digest}`,
    );
  }
  const file = chartCachePath(home, digest);
  try {
    const stat = await fs.stat(file);
    if (stat.isFile() && stat.size === fetched.data.length) return file;
  } catch {
    // Not cached yet.
  }
  await writeFileAtomic(file, fetched.data);
  return file;
}

/**
 * The cached archive with sha256 `digest`, or undefined. A cached file whose bytes no longer
 * hash to its name (corrupted on disk) is removed and reported as absent.
 */
export async function cachedChart(home: string, digest: string): Promise<Buffer | undefined> {
  const file = chartCachePath(home, digest);
  let data: Buffer;
  try {
    data = await fs.readFile(file);
  } catch {
    return undefined;
  }
  if (sha256Hex(data) !== normalizeDigest(digest)) {
    await fs.rm(file, { force: true });
    return undefined;
  }
  return data;
}

/**
 * Building an index from a directory of packaged charts, as `helm repo index` does
 * (`IndexDirectory` in Helm's `pkg/repo/v1/index.go`). Written for hundreds of archives in one
 * short process: each archive is read with one blocking read, only its Chart.yaml is inflated,
 * and the per-archive work avoids what a cold (not yet optimized) run pays most for.
 */

import crypto from 'node:crypto';
import { closeSync, constants as fsConstants, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import path from 'node:path';
import { readChartYamlFromArchive } from '../chart/chart-archive-head.js';
import { IoError } from '../internal/errors.js';
import { isPlainObject } from '../internal/objects.js';
import { parseYaml } from '../internal/yaml.js';
import { satisfiesConstraint } from './constraints.js';
import { formatIndexTime, sortEntries, toChartVersion } from './index-entry.js';
import { parseSimpleYaml } from './simple-yaml.js';
import { type ChartVersion, type IndexFile, MAX_CHART_BYTES } from './types.js';

/** The sha256 of an archive, in hex: one call where Node has `crypto.hash` (20.12 and later). */
const sha256 =
  typeof crypto.hash === 'function'
    ? (data: Buffer) => crypto.hash('sha256', data, 'hex')
    : (data: Buffer) => crypto.createHash('sha256').update(data).digest('hex');

/** Options of {@link indexDirectory}. */
export interface IndexDirectoryOptions {
  /** Prefix of the chart URLs (`--url`); without it URLs are relative to the index. */
  readonly url?: string;
  /** An index whose entries are kept unless the directory has the same chart version (`--merge`). */
  readonly merge?: IndexFile;
  /** The `generated` and `created` time. @default now */
  readonly now?: Date;
  /** Receives one line per skipped archive. */
  readonly warn?: (message: string) => void;
}

/** Helm's `urlutil.URLJoin`: path segments joined onto a URL's path (or onto a plain path). */
function urlJoin(base: string, ...segments: string[]): string {
  if (!URL.canParse(base)) return path.posix.join(base, ...segments);
  const url = new URL(base);
  url.pathname = path.posix.join(url.pathname, ...segments);
  return url.href;
}

/**
 * A relative archive path that path and URL joining keep as it is: no dot segments, no character
 * a URL path would escape or read specially.
 */
const PLAIN_RELATIVE = /^(?!\.\.?(?:\/|$))[\w.+~-]+(?:\/(?!\.\.?$)[\w.+~-]+)?$/;
/** Stands for an archive path in {@link joinerOf}; plain in the sense of PLAIN_RELATIVE. */
const PLACEHOLDER = 'bosun-archive-placeholder.tgz';

/**
 * `join` for archive paths relative to the directory (`name.tgz`, `sub/name.tgz`), where `join`
 * only appends a plain path to what it makes of the rest, as path and URL joining do: the
 * result is built once around a placeholder, and each plain path put in its place. Other paths,
 * and a `join` the placeholder does not come out of unchanged, take `join` itself. For hundreds
 * of archives this saves parsing the same base over and over.
 */
export function joinerOf(join: (rel: string) => string): (rel: string) => string {
  const template = join(PLACEHOLDER);
  const at = template.indexOf(PLACEHOLDER);
  if (at < 0 || template.indexOf(PLACEHOLDER, at + 1) >= 0) return join;
  const before = template.slice(0, at);
  const after = template.slice(at + PLACEHOLDER.length);
  return (rel) => (PLAIN_RELATIVE.test(rel) ? before + rel + after : join(rel));
}

/**
 * The URL of each archive, by its path relative to the directory: `urlJoin(base, dirname,
 * basename)` as Helm writes it, or the path itself without a base.
 */
export function archiveUrls(base: string | undefined): (rel: string) => string {
  if (!base) return (rel) => rel;
  return joinerOf((rel) => {
    const parent = path.posix.dirname(rel);
    return urlJoin(base, parent === '.' ? '' : parent, path.posix.basename(rel));
  });
}

/**
 * `DIR/*.tgz` then `DIR/*\/*.tgz`, each sorted, as Go's `filepath.Glob` lists them. Blocking
 * reads, as for the archives: a listing is one quick system call.
 */
function listArchives(dir: string): string[] {
  const top = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  const found = top.filter((e) => e.name.endsWith('.tgz')).map((e) => e.name);
  for (const e of top) {
    if (!e.isDirectory() && !e.isSymbolicLink()) continue;
    let names: string[];
    try {
      names = readdirSync(path.join(dir, e.name));
    } catch {
      continue; // not a directory after all, or unreadable: Glob skips it too
    }
    for (const n of names.filter((x) => x.endsWith('.tgz')).sort()) found.push(`${e.name}/${n}`);
  }
  return found;
}

/** Archives up to this size are read into one reused buffer (most charts are a few KiB). */
const SHARED_READ_SIZE = 256 * 1024;
let sharedRead: Buffer | undefined;

/**
 * Reads an archive: its bytes, or why it is skipped. Synchronous on purpose: for the small files
 * a repository holds, one blocking read costs a fraction of a promise-based open/stat/read/close.
 * Small archives land in a reused buffer, valid until the next call: the caller hashes and
 * reads each archive before reading the next, with no `await` in between.
 */
function readArchive(file: string): Buffer | string {
  let fd: number | undefined;
  try {
    // Non-blocking, so that a FIFO named `x.tgz` cannot hang the command waiting for a writer.
    fd = openSync(file, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
    const stat = fstatSync(fd);
    if (!stat.isFile()) return 'not a regular file';
    if (stat.size > MAX_CHART_BYTES) return `larger than the maximum chart size ${MAX_CHART_BYTES}`;
    sharedRead ??= Buffer.allocUnsafe(SHARED_READ_SIZE);
    const data =
      stat.size <= SHARED_READ_SIZE ? sharedRead.subarray(0, stat.size) : Buffer.allocUnsafe(stat.size);
    let n = 0;
    while (n < data.length) {
      const read = readSync(fd, data, n, data.length - n, n);
      if (read === 0) break;
      n += read;
    }
    return n === data.length ? data : data.subarray(0, n);
  } catch (err) {
    return (err as Error).message;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The fields of an archive's Chart.yaml as `toChartVersion` reads them (a fresh object). */
function chartFields(text: string, rel: string): Record<string, unknown> {
  const simple = parseSimpleYaml(text);
  if (simple) return simple;
  const raw = parseYaml(text, `${rel}: Chart.yaml`);
  // A copy: the entry fields are added to it.
  return isPlainObject(raw) ? { ...raw } : {};
}

/**
 * Indexes the packaged charts of a directory as `helm repo index` does: `DIR/*.tgz` and one
 * level of subdirectories, each entry holding the Chart.yaml fields, the archive's URL, its
 * sha256 digest and the time. Only each archive's Chart.yaml is read (see
 * `readChartYamlFromArchive`); `.tgz` files that are not charts are skipped with a warning (Helm
 * skips them silently). With `merge`, the given index's entries are added unless the directory
 * has that chart version (Helm's `IndexFile.Merge`).
 *
 * @throws IoError when the directory cannot be read.
 */
export async function indexDirectory(dir: string, options: IndexDirectoryOptions = {}): Promise<IndexFile> {
  const now = options.now ?? new Date();
  const created = formatIndexTime(now);
  const warn = options.warn ?? (() => {});
  let archives: string[];
  try {
    archives = listArchives(dir);
  } catch (err) {
    throw new IoError(`cannot read directory "${dir}": ${(err as Error).message}`, { cause: err });
  }
  const urlOf = archiveUrls(options.url);
  // Where the separator is `/`, joining only appends the archive path (on Windows it turns it).
  const joinFile = (rel: string) => path.join(dir, rel);
  const fileOf = path.sep === '/' ? joinerOf(joinFile) : joinFile;
  const entryOptions = { strictDependencies: true };
  const entries = new Map<string, ChartVersion[]>();
  const add = (entry: ChartVersion) => {
    const list = entries.get(entry.name);
    if (list) list.push(entry);
    else entries.set(entry.name, [entry]);
  };
  for (const rel of archives) {
    const data = readArchive(fileOf(rel));
    if (typeof data === 'string') {
      warn(`skipping ${rel}: ${data}`);
      continue;
    }
    try {
      const fields = chartFields(readChartYamlFromArchive(data, rel).data.toString('utf8'), rel);
      // As `{...fields, urls, created, digest}`, without the copy.
      fields['urls'] = [urlOf(rel)];
      fields['created'] = created;
      fields['digest'] = sha256(data);
      add(toChartVersion(fields, entryOptions));
    } catch (err) {
      // Archive errors name the archive already.
      const message = (err as Error).message;
      warn(`skipping ${message.startsWith(`${rel}:`) ? message : `${rel}: ${message}`}`);
    }
  }
  if (options.merge) {
    for (const versions of Object.values(options.merge.entries)) {
      for (const cv of versions) if (!hasVersion(entries.get(cv.name), cv.version)) add(cv);
    }
  }
  return { apiVersion: 'v1', generated: created, entries: sortEntries(entries) };
}

/**
 * Helm's `IndexFile.Has`, which is `Get`: a version with exactly that text, or one satisfying it
 * read as a constraint (so `1.2.3+build` counts as `1.2.3`).
 */
function hasVersion(versions: readonly ChartVersion[] | undefined, version: string): boolean {
  if (!versions) return false;
  if (versions.some((v) => v.version === version)) return true;
  try {
    return versions.some((v) => satisfiesConstraint(v.version, version));
  } catch {
    return false;
  }
}

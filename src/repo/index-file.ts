/**
 * Repository indexes (`index.yaml`, Helm's `pkg/repo/v1/index.go`): reading them (YAML or JSON,
 * entries with invalid versions skipped with Helm's warning), writing them exactly as
 * `helm repo index` does, building one from a directory of packaged charts, and picking a chart
 * version (`IndexFile.Get`).
 */

import { createHash } from 'node:crypto';
import { closeSync, promises as fs, constants as fsConstants, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { readChartYamlFromArchive } from '../chart/chart-archive-head.js';
import { IoError, YamlError } from '../internal/errors.js';
import { isPlainObject, type PlainObject } from '../internal/objects.js';
import { parseJson, parseYaml } from '../internal/yaml.js';
import { assertConstraint, DEVEL_CONSTRAINT, satisfiesConstraint, sortNewestFirst } from './constraints.js';
import { EntryError, entryFields, toChartVersion, ZERO_TIME } from './index-entry.js';
import { indexYaml } from './index-yaml.js';
import { parseSimpleYaml } from './simple-yaml.js';
import { type ChartVersion, type IndexFile, MAX_CHART_BYTES } from './types.js';

/** Options of the functions that report skipped entries. */
export interface WarnOptions {
  /** Receives one line per skipped entry or archive. */
  readonly warn?: (message: string) => void;
}

/** A time as Go's RFC 3339 with nanoseconds writes it (trailing zeros of the fraction dropped). */
export function formatIndexTime(date: Date): string {
  return date.toISOString().replace(/\.?0*Z$/, 'Z');
}

/** An index with no entries, generated at `now`. */
export function emptyIndex(now: Date): IndexFile {
  return { apiVersion: 'v1', generated: formatIndexTime(now), entries: {} };
}

function sortEntries(entries: Map<string, ChartVersion[]>): Record<string, readonly ChartVersion[]> {
  const out: Record<string, readonly ChartVersion[]> = {};
  for (const [name, versions] of entries) out[name] = sortNewestFirst(versions);
  return out;
}

/**
 * Parses an index (YAML, or JSON as `helm repo index --json` writes it). Entries that are not
 * valid chart versions (Helm's `Metadata.Validate`: a name, a SemVer version, a known type…) are
 * skipped with Helm's warning, `skipping loading invalid entry for chart "x" "1.0.x" from
 * <source>: validation: chart.metadata.version "1.0.x" is invalid`; versions of each chart are
 * sorted newest first. Keys that would reach prototypes are refused.
 *
 * @throws YamlError when the text is empty, does not parse, is not a map, or has no apiVersion.
 */
export function parseIndex(text: string, source: string, options: WarnOptions = {}): IndexFile {
  if (text.length === 0) throw new YamlError(source, 'empty index.yaml file');
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let raw: unknown;
  if (body.trimStart().startsWith('{')) {
    try {
      raw = parseJson(body, source);
    } catch {
      raw = undefined; // Helm reads what is not valid JSON as YAML
    }
  }
  raw ??= parseYaml(body, source);
  if (raw === null) throw new YamlError(source, 'no API version specified');
  if (!isPlainObject(raw)) throw new YamlError(source, 'an index must be a map');
  const apiVersion = typeof raw['apiVersion'] === 'string' ? raw['apiVersion'] : '';
  if (apiVersion === '') throw new YamlError(source, 'no API version specified');
  const rawEntries = raw['entries'] ?? {};
  if (!isPlainObject(rawEntries)) throw new YamlError(source, 'entries must be a map of chart names');
  const warn = options.warn ?? (() => {});
  const entries = new Map<string, ChartVersion[]>();
  for (const name of Object.keys(rawEntries)) {
    const list = rawEntries[name] ?? [];
    if (!Array.isArray(list)) {
      warn(`skipping loading invalid entry for chart ${JSON.stringify(name)} from ${source}: not a list`);
      continue;
    }
    const versions: ChartVersion[] = [];
    for (const item of list) {
      if (item === null || item === undefined) {
        warn(`skipping loading invalid entry for chart ${JSON.stringify(name)} from ${source}: empty entry`);
        continue;
      }
      try {
        versions.push(toChartVersion(item));
      } catch (err) {
        if (!(err instanceof EntryError)) throw err;
        const version = isPlainObject(item) && item['version'] != null ? String(item['version']) : '';
        warn(
          `skipping loading invalid entry for chart ${JSON.stringify(name)} ${JSON.stringify(version)} from ${source}: ${err.message}`,
        );
      }
    }
    entries.set(name, versions);
  }
  const index: Record<string, unknown> = {
    apiVersion,
    generated: typeof raw['generated'] === 'string' ? raw['generated'] : ZERO_TIME,
    entries: sortEntries(entries),
  };
  if (isPlainObject(raw['serverInfo'])) index['serverInfo'] = raw['serverInfo'];
  if (isPlainObject(raw['annotations'])) {
    const annotations: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw['annotations'])) annotations[k] = v == null ? '' : String(v);
    index['annotations'] = annotations;
  }
  return index as unknown as IndexFile;
}

/** Keys sorted (as Go writes maps), nested maps too; for data of unknown shape. */
function sortedMap(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedMap);
  if (!isPlainObject(v)) return v;
  return new Map(
    Object.keys(v)
      .sort()
      .map((k) => [k, sortedMap(v[k])]),
  );
}

/** `json.MarshalIndent(v, "", "  ")`: Maps keep their order, objects their key order. */
function goJson(v: unknown, indent: string): string {
  let pairs: Array<[string, unknown]>;
  if (v instanceof Map) pairs = [...v];
  else if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const inner = `${indent}  `;
    return `[\n${v.map((x) => inner + goJson(x, inner)).join(',\n')}\n${indent}]`;
  } else if (isPlainObject(v)) pairs = Object.entries(v);
  else return JSON.stringify(v ?? null);
  if (pairs.length === 0) return '{}';
  const inner = `${indent}  `;
  return `{\n${pairs.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${goJson(x, inner)}`).join(',\n')}\n${indent}}`;
}

/** An entry for JSON: struct fields in order, maps sorted. */
function jsonEntry(entry: ChartVersion): Record<string, unknown> {
  const out = entryFields(entry);
  if (out['annotations']) out['annotations'] = sortedMap(out['annotations']);
  if (Array.isArray(out['dependencies'])) {
    out['dependencies'] = (out['dependencies'] as PlainObject[]).map((d) =>
      d['import-values'] ? { ...d, 'import-values': sortedMap(d['import-values']) } : d,
    );
  }
  return out;
}

/**
 * Writes an index as `helm repo index` does: YAML with sorted keys and a trailing newline, or
 * with `json` the output of Go's `json.MarshalIndent` (struct field order, `<>&` escaped, no
 * trailing newline). Every entry has `urls` and `created` (Go's zero time when unknown).
 */
export function serializeIndex(index: IndexFile, options: { json?: boolean } = {}): string {
  if (options.json) {
    const names = Object.keys(index.entries).sort();
    const out: Record<string, unknown> = {};
    if (index.serverInfo && Object.keys(index.serverInfo).length > 0)
      out['serverInfo'] = sortedMap(index.serverInfo);
    out['apiVersion'] = index.apiVersion;
    out['generated'] = index.generated || ZERO_TIME;
    out['entries'] = new Map(names.map((n) => [n, (index.entries[n] ?? []).map(jsonEntry)]));
    if (index.annotations && Object.keys(index.annotations).length > 0) {
      out['annotations'] = sortedMap(index.annotations);
    }
    return goJson(out, '').replace(
      /[<>&\u2028\u2029]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  }
  return indexYaml(index, index.generated || ZERO_TIME);
}

/**
 * Picks a chart version as Helm's `IndexFile.Get` does: with a `version`, the entry with exactly
 * that version string, else the first (newest) satisfying it as a constraint, with Helm's
 * warning; without one, the newest release (`*`), or with `devel` the newest version of all.
 *
 * @returns `undefined` when the chart or no matching version is in the index.
 * @throws InvalidArgumentError when `version` is not a valid constraint.
 */
export function findChartVersion(
  index: IndexFile,
  name: string,
  options: { version?: string; devel?: boolean } = {},
): { entry: ChartVersion; warning?: string } | undefined {
  const versions = Object.hasOwn(index.entries, name) ? index.entries[name] : undefined;
  if (!versions || versions.length === 0) return undefined;
  const requested = options.version === '' ? undefined : options.version;
  const constraint = requested ?? (options.devel ? DEVEL_CONSTRAINT : '*');
  assertConstraint(constraint);
  if (requested !== undefined) {
    const exact = versions.find((v) => v.version === requested);
    if (exact) return { entry: exact };
  }
  const entry = versions.find((v) => satisfiesConstraint(v.version, constraint));
  if (entry === undefined) return undefined;
  if (requested === undefined) return { entry };
  const warning = `unable to find exact version requested; falling back to closest available version (chart ${JSON.stringify(name)}, requested ${JSON.stringify(requested)}, selected ${JSON.stringify(entry.version)})`;
  return { entry, warning };
}

/**
 * The absolute URL of an index entry's URL (Helm's `ResolveReferenceURL`): an absolute URL is
 * kept; a relative one is resolved against the repository URL taken as a directory, and gets the
 * repository URL's query string (which carries tokens on some servers).
 */
export function resolveChartUrl(entryUrl: string, repoUrl: string): string {
  if (URL.canParse(entryUrl)) return entryUrl;
  if (!URL.canParse(repoUrl)) return path.posix.join(repoUrl, entryUrl);
  const base = new URL(repoUrl);
  base.pathname = `${base.pathname.replace(/\/+$/, '')}/`;
  const resolved = new URL(entryUrl, base);
  resolved.search = base.search;
  return resolved.href;
}

/** Helm's `urlutil.URLJoin`: path segments joined onto a URL's path (or onto a plain path). */
function urlJoin(base: string, ...segments: string[]): string {
  if (!URL.canParse(base)) return path.posix.join(base, ...segments);
  const url = new URL(base);
  url.pathname = path.posix.join(url.pathname, ...segments);
  return url.href;
}

/** `DIR/*.tgz` then `DIR/*\/*.tgz`, each sorted, as Go's `filepath.Glob` lists them. */
async function listArchives(dir: string): Promise<string[]> {
  const top = (await fs.readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  const found = top.filter((e) => e.name.endsWith('.tgz')).map((e) => e.name);
  for (const e of top) {
    if (!e.isDirectory() && !e.isSymbolicLink()) continue;
    let names: string[];
    try {
      names = await fs.readdir(path.join(dir, e.name));
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

/** Options of {@link indexDirectory}. */
export interface IndexDirectoryOptions extends WarnOptions {
  /** Prefix of the chart URLs (`--url`); without it URLs are relative to the index. */
  readonly url?: string;
  /** An index whose entries are kept unless the directory has the same chart version (`--merge`). */
  readonly merge?: IndexFile;
  /** The `generated` and `created` time. @default now */
  readonly now?: Date;
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
    archives = await listArchives(dir);
  } catch (err) {
    throw new IoError(`cannot read directory "${dir}": ${(err as Error).message}`, { cause: err });
  }
  const entries = new Map<string, ChartVersion[]>();
  const add = (entry: ChartVersion) => {
    const list = entries.get(entry.name);
    if (list) list.push(entry);
    else entries.set(entry.name, [entry]);
  };
  for (const rel of archives) {
    const data = readArchive(path.join(dir, rel));
    if (typeof data === 'string') {
      warn(`skipping ${rel}: ${data}`);
      continue;
    }
    try {
      const chartYaml = readChartYamlFromArchive(data, rel);
      const text = chartYaml.data.toString('utf8');
      const raw = parseSimpleYaml(text) ?? parseYaml(text, `${rel}: Chart.yaml`);
      const parent = path.posix.dirname(rel);
      const url = options.url
        ? urlJoin(options.url, parent === '.' ? '' : parent, path.posix.basename(rel))
        : rel;
      const fields = isPlainObject(raw) ? raw : {};
      const digest = createHash('sha256').update(data).digest('hex');
      add(toChartVersion({ ...fields, urls: [url], created, digest }, { strictDependencies: true }));
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

/**
 * Repository indexes (`index.yaml`, Helm's `pkg/repo/v1/index.go`): reading them (YAML or JSON,
 * entries with invalid versions skipped with Helm's warning), writing them exactly as
 * `helm repo index` does, and picking a chart version (`IndexFile.Get`). Building one from a
 * directory of packaged charts is `index-directory.ts`.
 */

import path from 'node:path';
import { YamlError } from '../internal/errors.js';
import { isPlainObject, type PlainObject } from '../internal/objects.js';
import { parseJson, parseYaml } from '../internal/yaml.js';
import { assertConstraint, DEVEL_CONSTRAINT, satisfiesConstraint } from './constraints.js';
import {
  EntryError,
  entryFields,
  formatIndexTime,
  sortEntries,
  toChartVersion,
  ZERO_TIME,
} from './index-entry.js';
import { indexYaml } from './index-yaml.js';
import type { ChartVersion, IndexFile } from './types.js';

export { type IndexDirectoryOptions, indexDirectory } from './index-directory.js';
export { formatIndexTime } from './index-entry.js';

/** Options of the functions that report skipped entries. */
export interface WarnOptions {
  /** Receives one line per skipped entry or archive. */
  readonly warn?: (message: string) => void;
}

/** An index with no entries, generated at `now`. */
export function emptyIndex(now: Date): IndexFile {
  return { apiVersion: 'v1', generated: formatIndexTime(now), entries: {} };
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

/**
 * One chart version of an index: read from an index or from a packaged chart's Chart.yaml, and
 * checked with Helm's `Metadata.Validate` (`pkg/chart/v2/metadata.go`, `dependency.go`), which is
 * what `loadIndex` and `IndexFile.MustAdd` apply (`pkg/repo/v1/index.go`). Fields keep the order of
 * Helm's Go structs, so JSON output matches `helm repo index --json`.
 *
 * Helm unmarshals into typed structs and rejects a whole index when one field has the wrong
 * shape; here only the entry is skipped, with the reason.
 */

import type { Dependency, Maintainer } from '../chart/chart.js';
import { isForbiddenKey, isPlainObject, type PlainObject } from '../internal/objects.js';
import { isValidVersion, sortNewestFirst } from './constraints.js';
import type { ChartVersion } from './types.js';

/** Go's zero `time.Time` as JSON, what Helm writes for an entry without `created`. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

/** A time as Go's RFC 3339 with nanoseconds writes it (trailing zeros of the fraction dropped). */
export function formatIndexTime(date: Date): string {
  return date.toISOString().replace(/\.?0*Z$/, 'Z');
}

/** An index's entries: each chart's versions sorted newest first (Helm's `SortEntries`). */
export function sortEntries(entries: Map<string, ChartVersion[]>): Record<string, readonly ChartVersion[]> {
  const out: Record<string, readonly ChartVersion[]> = {};
  for (const [name, versions] of entries) out[name] = sortNewestFirst(versions);
  return out;
}

const ALIAS_PATTERN = /^[a-zA-Z0-9_-]+$/;

/** A reason an entry is not loaded; the message is Helm's where Helm has one. */
export class EntryError extends Error {}

const invalid = (detail: string): never => {
  throw new EntryError(detail);
};

/**
 * A string field. sigs.k8s.io/yaml turns numbers and booleans into strings for string fields;
 * `null` is the empty string, which output omits.
 */
function str(raw: PlainObject, key: string, where = ''): string | undefined {
  const v = raw[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return invalid(`${where}${key} must be a string, not ${Array.isArray(v) ? 'a list' : 'a map'}`);
}

/** Text Helm's `sanitizeString` leaves as it is, checked first because it is nearly all text. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const WHITE_SPACE = /\p{White_Space}/gu;
/** Neither a letter, mark, number, punctuation, symbol nor the space: Go's `!unicode.IsPrint`. */
const NOT_PRINTABLE = /[^\p{L}\p{M}\p{N}\p{P}\p{S} ]/gu;

/**
 * Helm's `sanitizeString` (`pkg/chart/v2/metadata.go`): white space becomes a space, other
 * characters Go does not print (controls, format characters, unassigned…) are removed.
 */
function sanitized(s: string): string {
  if (PRINTABLE_ASCII.test(s)) return s;
  return s.replace(WHITE_SPACE, ' ').replace(NOT_PRINTABLE, '');
}

function clean(raw: PlainObject, key: string, where = ''): string | undefined {
  const v = str(raw, key, where);
  return v === undefined ? undefined : sanitized(v);
}

function list(raw: PlainObject, key: string, where = ''): unknown[] | undefined {
  const v = raw[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) invalid(`${where}${key} must be a list`);
  return v as unknown[];
}

function stringList(raw: PlainObject, key: string, sanitize: boolean, where = ''): string[] | undefined {
  const v = list(raw, key, where);
  if (v === undefined) return undefined;
  return v.map((x, i) => {
    if (typeof x === 'object' && x !== null) invalid(`${where}${key}[${i}] must be a string`);
    const s = x === null || x === undefined ? '' : String(x);
    return sanitize ? sanitized(s) : s;
  });
}

function bool(raw: PlainObject, key: string, where = ''): boolean | undefined {
  const v = raw[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') invalid(`${where}${key} must be true or false`);
  return v as boolean;
}

/** Sets `key` when the value is not empty (Go's `omitempty`). */
function put(out: Record<string, unknown>, key: string, v: unknown): void {
  if (v === undefined || v === '' || v === false) return;
  // Strings, the usual value, skip the checks for empty lists and maps.
  if (typeof v === 'object' && v !== null) {
    if (Array.isArray(v) ? v.length === 0 : isPlainObject(v) && Object.keys(v).length === 0) return;
  }
  out[key] = v;
}

function maintainer(m: unknown): Maintainer {
  if (!isPlainObject(m)) return invalid('validation: maintainers must not contain empty or null nodes');
  const out: Record<string, unknown> = {};
  put(out, 'name', clean(m, 'name', 'maintainers.'));
  put(out, 'email', clean(m, 'email', 'maintainers.'));
  put(out, 'url', clean(m, 'url', 'maintainers.'));
  return out as unknown as Maintainer;
}

function dependency(d: unknown): Dependency {
  if (!isPlainObject(d)) return invalid('validation: dependencies must not contain empty or null nodes');
  const where = 'dependencies.';
  const out: Record<string, unknown> = {};
  const name = clean(d, 'name', where) ?? '';
  put(out, 'name', name);
  put(out, 'version', clean(d, 'version', where));
  put(out, 'repository', clean(d, 'repository', where));
  put(out, 'condition', clean(d, 'condition', where));
  put(out, 'tags', stringList(d, 'tags', true, where));
  put(out, 'enabled', bool(d, 'enabled', where));
  put(out, 'import-values', list(d, 'import-values', where));
  const alias = str(d, 'alias', where);
  if (alias !== undefined && alias !== '' && !ALIAS_PATTERN.test(alias)) {
    invalid(`validation: dependency ${JSON.stringify(name)} has disallowed characters in the alias`);
  }
  put(out, 'alias', alias);
  return out as unknown as Dependency;
}

function annotations(raw: PlainObject): Record<string, string> | undefined {
  const v = raw['annotations'];
  if (v === undefined || v === null) return undefined;
  if (!isPlainObject(v)) return invalid('annotations must be a map of strings');
  const out: Record<string, string> = {};
  for (const key of Object.keys(v)) out[key] = str(v, key, 'annotations.') ?? '';
  return out;
}

/** Fields of old indexes Helm still reads and writes, though it no longer uses them. */
const IGNORED_FIELDS = ['checksum', 'engine', 'tillerVersion', 'url'] as const;

/** Options of {@link toChartVersion}. */
export interface EntryOptions {
  /**
   * Refuse two dependencies with the same name or alias, as Helm's chart loader does. An index
   * tolerates them (`ignoreSkippableChartValidationError`: some repositories strip aliases).
   */
  readonly strictDependencies?: boolean;
}

/**
 * Builds a checked chart version from raw YAML/JSON data: Chart.yaml fields (strings sanitized,
 * `apiVersion` defaulting to `v1`) plus the index fields (`urls`, `created`, `removed`,
 * `digest`, and the ignored `checksum`, `engine`, `tillerVersion`, `url` Helm still reads).
 *
 * @throws EntryError naming what is wrong, in Helm's words (`validation: chart.metadata.version
 *   "x" is invalid`).
 */
export function toChartVersion(raw: unknown, options: EntryOptions = {}): ChartVersion {
  if (!isPlainObject(raw)) return invalid('an entry must be a map');
  const out: Record<string, unknown> = {};
  const name = clean(raw, 'name') ?? '';
  const version = str(raw, 'version') ?? '';
  put(out, 'name', name);
  put(out, 'home', clean(raw, 'home'));
  put(out, 'sources', stringList(raw, 'sources', true));
  put(out, 'version', version);
  put(out, 'description', clean(raw, 'description'));
  put(out, 'keywords', stringList(raw, 'keywords', true));
  put(out, 'maintainers', list(raw, 'maintainers')?.map(maintainer));
  put(out, 'icon', clean(raw, 'icon'));
  put(out, 'apiVersion', clean(raw, 'apiVersion') || 'v1');
  put(out, 'condition', clean(raw, 'condition'));
  put(out, 'tags', clean(raw, 'tags'));
  put(out, 'appVersion', clean(raw, 'appVersion'));
  put(out, 'deprecated', bool(raw, 'deprecated'));
  put(out, 'annotations', annotations(raw));
  put(out, 'kubeVersion', clean(raw, 'kubeVersion'));
  const deps = list(raw, 'dependencies')?.map(dependency);
  put(out, 'dependencies', deps);
  const type = clean(raw, 'type');
  put(out, 'type', type);

  if (name === '') invalid('validation: chart.metadata.name is required');
  if (name.includes('/') || isForbiddenKey(name)) {
    invalid(`validation: chart.metadata.name ${JSON.stringify(name)} is invalid`);
  }
  if (version === '') invalid('validation: chart.metadata.version is required');
  if (!isValidVersion(version))
    invalid(`validation: chart.metadata.version ${JSON.stringify(version)} is invalid`);
  if (type !== undefined && type !== '' && type !== 'application' && type !== 'library') {
    invalid('validation: chart.metadata.type must be application or library');
  }
  if (options.strictDependencies && deps) {
    const seen = new Set<string>();
    for (const d of deps) {
      const key = d.alias ?? d.name;
      if (seen.has(key)) {
        invalid(
          `validation: more than one dependency with name or alias ${JSON.stringify(key)}. Try using distinct aliases for dependencies with the same chart name.`,
        );
      }
      seen.add(key);
    }
  }

  out['urls'] = stringList(raw, 'urls', false) ?? [];
  put(out, 'created', str(raw, 'created'));
  put(out, 'removed', bool(raw, 'removed'));
  put(out, 'digest', str(raw, 'digest'));
  for (let i = 0; i < IGNORED_FIELDS.length; i++) put(out, IGNORED_FIELDS[i]!, str(raw, IGNORED_FIELDS[i]!));
  return out as unknown as ChartVersion;
}

/** The fields of an entry in Helm's struct order, `omitempty` applied; `created` always set. */
export function entryFields(entry: ChartVersion): Record<string, unknown> {
  const src = entry as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of METADATA_ORDER) put(out, key, src[key]);
  // Nested structs in Go's field order too, whoever built the entry.
  if (entry.maintainers?.length) {
    out['maintainers'] = entry.maintainers.map((m) => {
      const o: Record<string, unknown> = {};
      for (const key of ['name', 'email', 'url'] as const) put(o, key, m[key]);
      return o;
    });
  }
  if (entry.dependencies?.length) {
    out['dependencies'] = entry.dependencies.map((d) => {
      const o: Record<string, unknown> = {};
      for (const key of DEPENDENCY_ORDER) put(o, key, d[key]);
      return o;
    });
  }
  out['urls'] = [...(entry.urls ?? [])];
  out['created'] = entry.created || ZERO_TIME;
  for (const key of ['removed', 'digest', 'checksum', 'engine', 'tillerVersion', 'url'])
    put(out, key, src[key]);
  return out;
}

/** `chart.Dependency`'s JSON field order. */
const DEPENDENCY_ORDER = [
  'name',
  'version',
  'repository',
  'condition',
  'tags',
  'enabled',
  'import-values',
  'alias',
] as const;

/** `chart.Metadata`'s JSON field order. */
const METADATA_ORDER = [
  'name',
  'home',
  'sources',
  'version',
  'description',
  'keywords',
  'maintainers',
  'icon',
  'apiVersion',
  'condition',
  'tags',
  'appVersion',
  'deprecated',
  'annotations',
  'kubeVersion',
  'dependencies',
  'type',
] as const;

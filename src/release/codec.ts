/**
 * The release record codec (`pkg/storage/driver/util.go`): a revision is stored as
 * `base64(gzip(BestCompression)(json.Marshal(release)))`, and read back from that or, as Helm
 * still accepts for records written before compression, from base64 of plain JSON.
 *
 * The JSON is written the way Go's `encoding/json` writes Helm's structs, so a record bosun
 * stores reads the same in Helm and `kubectl get secret … | base64 -d | base64 -d | gunzip`
 * shows what Helm users expect: struct fields in declaration order, `omitempty`/`omitzero`
 * fields left out when empty, map keys sorted, `[]byte` as base64, and `<`, `>`, `&`, U+2028,
 * U+2029 escaped as `\u003c`… (Go's HTML-safe escaping).
 *
 * Reading is defensive, since anyone who can write a Secret can hand us a record: the
 * decompressed size is capped (a gzip bomb is refused), keys that reach prototypes are refused,
 * and the shape is checked so a broken record fails with an error naming its key.
 */

import { gunzipSync, gzipSync } from 'node:zlib';
import type { ChartMetadata } from '../chart/chart.js';
import { BosunError, LimitError } from '../internal/errors.js';
import { assertSafeTree, isPlainObject, type PlainObject } from '../internal/objects.js';
import {
  type HookRecord,
  RELEASE_STATUSES,
  type Release,
  type ReleaseInfo,
  type ReleaseStatus,
  type StoredChart,
  type StoredFile,
} from './release.js';

export { chartFromStored, storedChart } from './stored-chart.js';

/** Largest decompressed release JSON accepted when reading a record (a gzip bomb stops here). */
export const MAX_RELEASE_JSON_BYTES = 64 * 1024 * 1024;

/** A stored release record that cannot be read: corrupt base64, gzip or JSON, or the wrong shape. */
export class InvalidReleaseError extends BosunError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('IO', message, options);
  }
}

// ---------------------------------------------------------------------------------------------
// Writing: Go's encoding/json over Helm's structs.

/** A struct field: its JSON name and its JSON text, `undefined` when `omitempty` drops it. */
type Field = readonly [name: string, json: string | undefined];

const str = (v: unknown): string => JSON.stringify(typeof v === 'string' ? v : String(v ?? ''));
/** An `omitempty` string: left out when empty. */
const optStr = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? str(v) : undefined);
/** An `omitempty` slice: left out when empty. */
const optList = (v: unknown, each: (x: unknown) => string = anyJson): string | undefined =>
  Array.isArray(v) && v.length > 0 ? list(v, each) : undefined;
/** A slice without `omitempty`: a nil (empty) slice is `null`, as Go writes it. */
const nilList = (v: unknown, each: (x: unknown) => string = anyJson): string =>
  Array.isArray(v) && v.length > 0 ? list(v, each) : 'null';

function list(v: readonly unknown[], each: (x: unknown) => string): string {
  return `[${v.map(each).join(',')}]`;
}

function struct(fields: readonly Field[]): string {
  const parts = fields
    .filter(([, json]) => json !== undefined)
    .map(([k, json]) => `${JSON.stringify(k)}:${json}`);
  return `{${parts.join(',')}}`;
}

/** Any JSON-like value; maps with their keys sorted, as Go writes `map[string]interface{}`. */
function anyJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return list(v, anyJson);
  if (typeof v === 'object') {
    const obj = v as PlainObject;
    const keys = Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${anyJson(obj[k])}`).join(',')}}`;
  }
  if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : 'null';
  if (typeof v === 'bigint') return v.toString();
  return JSON.stringify(v);
}

/** A map that `omitempty` drops when it has no keys. */
const optMap = (v: unknown): string | undefined =>
  isPlainObject(v) && Object.keys(v).length > 0 ? anyJson(v) : undefined;

function dependencyJson(d: unknown): string {
  const o = isPlainObject(d) ? d : {};
  return struct([
    ['name', str(o['name'])],
    ['version', optStr(o['version'])],
    ['repository', str(o['repository'])],
    ['condition', optStr(o['condition'])],
    ['tags', optList(o['tags'])],
    ['enabled', o['enabled'] === true ? 'true' : undefined],
    ['import-values', optList(o['import-values'])],
    ['alias', optStr(o['alias'])],
  ]);
}

/** `pkg/chart/v2/metadata.go` `Metadata`, every field `omitempty`. */
function metadataJson(m: ChartMetadata): string {
  const o = m as unknown as PlainObject;
  const maintainer = (x: unknown) => {
    const p = isPlainObject(x) ? x : {};
    return struct([
      ['name', optStr(p['name'])],
      ['email', optStr(p['email'])],
      ['url', optStr(p['url'])],
    ]);
  };
  return struct([
    ['name', optStr(o['name'])],
    ['home', optStr(o['home'])],
    ['sources', optList(o['sources'])],
    ['version', optStr(o['version'])],
    ['description', optStr(o['description'])],
    ['keywords', optList(o['keywords'])],
    ['maintainers', optList(o['maintainers'], maintainer)],
    ['icon', optStr(o['icon'])],
    ['apiVersion', optStr(o['apiVersion'])],
    ['condition', optStr(o['condition'])],
    ['tags', optStr(o['tags'])],
    ['appVersion', optStr(o['appVersion'])],
    ['deprecated', o['deprecated'] === true ? 'true' : undefined],
    ['annotations', optMap(o['annotations'])],
    ['kubeVersion', optStr(o['kubeVersion'])],
    ['dependencies', optList(o['dependencies'], dependencyJson)],
    ['type', optStr(o['type'])],
  ]);
}

const fileJson = (f: unknown): string => {
  const o = f as StoredFile;
  return struct([
    ['name', str(o.name)],
    ['data', str(o.data)],
  ]);
};

/** `pkg/chart/v2/chart.go` `Chart`: no `omitempty` anywhere, subcharts unexported (not stored). */
function chartJson(c: StoredChart): string {
  const lock = c.lock;
  return struct([
    ['metadata', metadataJson(c.metadata)],
    [
      'lock',
      lock
        ? struct([
            ['generated', str(lock['generated'])],
            ['digest', str(lock['digest'])],
            ['dependencies', nilList(lock['dependencies'], dependencyJson)],
          ])
        : 'null',
    ],
    ['templates', nilList(c.templates, fileJson)],
    ['values', anyJson(c.values)],
    ['schema', c.schema ? str(c.schema) : 'null'],
    ['files', nilList(c.files, fileJson)],
  ]);
}

function infoJson(i: ReleaseInfo): string {
  return struct([
    ['first_deployed', optStr(i.first_deployed)],
    ['last_deployed', optStr(i.last_deployed)],
    ['deleted', optStr(i.deleted)],
    ['description', optStr(i.description)],
    ['status', optStr(i.status)],
    ['notes', optStr(i.notes)],
  ]);
}

function hookJson(h: unknown): string {
  const o = h as HookRecord;
  const run = o.last_run ?? { phase: 'Unknown' };
  return struct([
    ['name', optStr(o.name)],
    ['kind', optStr(o.kind)],
    ['path', optStr(o.path)],
    ['manifest', optStr(o.manifest)],
    ['events', optList(o.events)],
    [
      'last_run',
      struct([
        ['started_at', optStr(run.started_at)],
        ['completed_at', optStr(run.completed_at)],
        ['phase', str(run.phase)],
      ]),
    ],
    ['weight', o.weight ? anyJson(o.weight) : undefined],
    ['delete_policies', optList(o.delete_policies)],
    ['output_log_policies', optList(o.output_log_policies)],
  ]);
}

/** Go's HTML-safe escaping of the JSON text (only ever inside strings, so safe on the whole text). */
function goEscape(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The release as `json.Marshal` writes `pkg/release/v1.Release` (labels are never in it). */
export function releaseJson(release: Release): string {
  return goEscape(
    struct([
      ['name', optStr(release.name)],
      ['info', infoJson(release.info)],
      ['chart', chartJson(release.chart)],
      ['config', optMap(release.config)],
      ['manifest', optStr(release.manifest)],
      ['hooks', optList(release.hooks, hookJson)],
      ['version', release.version ? anyJson(release.version) : undefined],
      ['namespace', optStr(release.namespace)],
      ['apply_method', optStr(release.apply_method)],
    ]),
  );
}

/** `base64(gzip(level 9)(JSON))`, what Helm stores (the Secret's data holds this text). */
export function encodeRelease(release: Release): string {
  return gzipSync(Buffer.from(releaseJson(release), 'utf8'), { level: 9 }).toString('base64');
}

// ---------------------------------------------------------------------------------------------
// Reading.

const GZIP_MAGIC = [0x1f, 0x8b, 0x08];
const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

/** A shape failure inside the record, turned into an `InvalidReleaseError` naming the key. */
class ShapeError extends Error {}

function need(ok: boolean, path: string, what: string): void {
  if (!ok) throw new ShapeError(`${path}: ${what}`);
}

/** A map, or absent (`null` is how Go writes a nil map). */
const mapOrNone = (v: unknown): boolean => v === undefined || v === null || isPlainObject(v);

const optionalString = (v: unknown, path: string): string | undefined => {
  need(v === undefined || v === null || typeof v === 'string', path, 'must be a string');
  return typeof v === 'string' && v !== '' ? v : undefined;
};

const stringList = (v: unknown, path: string): string[] => {
  if (v === undefined || v === null) return [];
  need(Array.isArray(v) && v.every((x) => typeof x === 'string'), path, 'must be a list of strings');
  return v as string[];
};

function readFiles(v: unknown, path: string): StoredFile[] {
  if (v === undefined || v === null) return [];
  need(Array.isArray(v), path, 'must be a list');
  return (v as unknown[]).map((f, i) => {
    need(isPlainObject(f), `${path}[${i}]`, 'must be a map');
    const o = f as PlainObject;
    need(typeof o['name'] === 'string', `${path}[${i}].name`, 'must be a string');
    need(
      o['data'] === null || o['data'] === undefined || typeof o['data'] === 'string',
      `${path}[${i}].data`,
      'must be base64 text',
    );
    return { name: o['name'] as string, data: (o['data'] as string | null) ?? '' };
  });
}

function readChart(v: unknown): StoredChart {
  need(isPlainObject(v), 'chart', 'must be a map');
  const c = v as PlainObject;
  const md = c['metadata'];
  need(isPlainObject(md), 'chart.metadata', 'must be a map');
  const m = md as PlainObject;
  need(typeof m['name'] === 'string' && m['name'] !== '', 'chart.metadata.name', 'is required');
  need(typeof m['version'] === 'string', 'chart.metadata.version', 'is required');
  need(mapOrNone(c['lock']), 'chart.lock', 'must be a map');
  need(mapOrNone(c['values']), 'chart.values', 'must be a map');
  return {
    metadata: { apiVersion: 'v2', ...m } as unknown as ChartMetadata,
    lock: (c['lock'] as PlainObject | undefined) ?? null,
    templates: readFiles(c['templates'], 'chart.templates'),
    values: (c['values'] as PlainObject | undefined) ?? {},
    schema: optionalString(c['schema'], 'chart.schema') ?? null,
    files: readFiles(c['files'], 'chart.files'),
  };
}

function readInfo(v: unknown): ReleaseInfo {
  need(isPlainObject(v), 'info', 'must be a map');
  const o = v as PlainObject;
  const status = o['status'];
  need(
    typeof status === 'string' && (RELEASE_STATUSES as readonly string[]).includes(status),
    'info.status',
    `unknown status ${JSON.stringify(status ?? '')}`,
  );
  const opt = (k: 'first_deployed' | 'last_deployed' | 'deleted' | 'description') => {
    const s = optionalString(o[k], `info.${k}`);
    return s === undefined ? {} : { [k]: s };
  };
  const notes = optionalString(o['notes'], 'info.notes');
  return {
    ...opt('first_deployed'),
    ...opt('last_deployed'),
    ...opt('deleted'),
    ...opt('description'),
    status: status as ReleaseStatus,
    ...(notes !== undefined ? { notes } : {}),
  };
}

const PHASES = new Set(['Unknown', 'Running', 'Succeeded', 'Failed']);

function readHooks(v: unknown): HookRecord[] | undefined {
  if (v === undefined || v === null) return undefined;
  need(Array.isArray(v), 'hooks', 'must be a list');
  return (v as unknown[]).map((h, i) => {
    const p = `hooks[${i}]`;
    need(isPlainObject(h), p, 'must be a map');
    const o = h as PlainObject;
    const run = isPlainObject(o['last_run']) ? o['last_run'] : {};
    const phase = typeof run['phase'] === 'string' && PHASES.has(run['phase']) ? run['phase'] : 'Unknown';
    need(o['weight'] === undefined || Number.isInteger(o['weight']), `${p}.weight`, 'must be an integer');
    const started = optionalString(run['started_at'], `${p}.last_run.started_at`);
    const completed = optionalString(run['completed_at'], `${p}.last_run.completed_at`);
    const deletePolicies = stringList(o['delete_policies'], `${p}.delete_policies`);
    const logPolicies = stringList(o['output_log_policies'], `${p}.output_log_policies`);
    return {
      name: optionalString(o['name'], `${p}.name`) ?? '',
      kind: optionalString(o['kind'], `${p}.kind`) ?? '',
      path: optionalString(o['path'], `${p}.path`) ?? '',
      manifest: optionalString(o['manifest'], `${p}.manifest`) ?? '',
      events: stringList(o['events'], `${p}.events`) as HookRecord['events'],
      last_run: {
        ...(started ? { started_at: started } : {}),
        ...(completed ? { completed_at: completed } : {}),
        phase: phase as HookRecord['last_run']['phase'],
      },
      weight: (o['weight'] as number | undefined) ?? 0,
      ...(deletePolicies.length > 0 ? { delete_policies: deletePolicies } : {}),
      ...(logPolicies.length > 0 ? { output_log_policies: logPolicies } : {}),
    };
  });
}

/** The release a parsed JSON record describes, in Helm's field order; throws `ShapeError`. */
function readRelease(v: unknown): Release {
  need(isPlainObject(v), 'release', 'must be a JSON object');
  const o = v as PlainObject;
  need(typeof o['name'] === 'string' && o['name'] !== '', 'name', 'is required');
  need(
    Number.isInteger(o['version']) && (o['version'] as number) > 0,
    'version',
    'must be a positive integer',
  );
  need(mapOrNone(o['config']), 'config', 'must be a map');
  const hooks = readHooks(o['hooks']);
  const applyMethod = optionalString(o['apply_method'], 'apply_method');
  return {
    name: o['name'] as string,
    info: readInfo(o['info']),
    chart: readChart(o['chart']),
    config: (o['config'] as PlainObject | undefined) ?? {},
    manifest: optionalString(o['manifest'], 'manifest') ?? '',
    ...(hooks && hooks.length > 0 ? { hooks } : {}),
    version: o['version'] as number,
    namespace: optionalString(o['namespace'], 'namespace') ?? '',
    ...(applyMethod ? { apply_method: applyMethod } : {}),
  };
}

/**
 * Reads a stored record: base64 of gzipped JSON, or base64 of plain JSON as Helm still accepts
 * for records written before compression (the gzip magic `1f 8b 08` decides); JSON text itself
 * (`{…}`, never valid base64) is read too. `key` names the record in errors:
 * `release "sh.helm.release.v1.x.v2": invalid release data: …`.
 */
export function decodeRelease(data: string, key?: string): Release {
  const where = key === undefined ? 'release' : `release ${JSON.stringify(key)}`;
  const fail = (detail: string, cause?: unknown) =>
    new InvalidReleaseError(
      `${where}: invalid release data: ${detail}`,
      cause === undefined ? undefined : { cause },
    );
  const text = data.replace(/[\r\n]/g, '');
  let bytes: Buffer;
  if (text.startsWith('{')) bytes = Buffer.from(text, 'utf8');
  else {
    if (text.length % 4 !== 0 || !BASE64_RE.test(text)) throw fail('not base64');
    bytes = Buffer.from(text, 'base64');
  }
  if (bytes.length > 3 && GZIP_MAGIC.every((b, i) => bytes[i] === b)) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: MAX_RELEASE_JSON_BYTES });
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
        throw new LimitError(
          `${where}: invalid release data: decompressed record is larger than ${MAX_RELEASE_JSON_BYTES} bytes`,
          { cause: err },
        );
      }
      throw fail(`gzip: ${(err as Error).message}`, err);
    }
  }
  if (bytes.length > MAX_RELEASE_JSON_BYTES) {
    throw new LimitError(
      `${where}: invalid release data: record is larger than ${MAX_RELEASE_JSON_BYTES} bytes`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw fail(`not JSON: ${(err as Error).message}`, err);
  }
  try {
    assertSafeTree(parsed, 'record');
    return readRelease(parsed);
  } catch (err) {
    throw fail((err as Error).message, err);
  }
}

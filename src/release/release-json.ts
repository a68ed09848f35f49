/**
 * The release record's JSON, written the way Go's `encoding/json` writes Helm's
 * `pkg/release/v1.Release`: struct fields in declaration order, `omitempty`/`omitzero` fields
 * left out when empty, map keys sorted, `[]byte` as base64, and `<`, `>`, `&`, U+2028, U+2029
 * escaped as `\u003c`… (Go's HTML-safe escaping). `codec.ts` wraps it in gzip and base64.
 */

import type { ChartMetadata } from '../chart/chart.js';
import { isPlainObject, type PlainObject } from '../internal/objects.js';
import type { HookRecord, Release, ReleaseInfo, StoredChart, StoredFile } from './release.js';

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

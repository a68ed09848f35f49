/**
 * The shape check of a parsed release record: anyone who can write a Secret can hand us a
 * record, so each key is checked and a broken record fails with an error naming its key.
 * `codec.ts` turns the `ShapeError` into an `InvalidReleaseError`.
 */

import type { ChartMetadata } from '../chart/chart.js';
import { isPlainObject, type PlainObject } from '../internal/objects.js';
import {
  type HookRecord,
  RELEASE_STATUSES,
  type Release,
  type ReleaseInfo,
  type ReleaseStatus,
  type StoredChart,
  type StoredFile,
} from './release.js';

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
export function readRelease(v: unknown): Release {
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

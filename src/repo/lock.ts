/**
 * `Chart.lock`, in Helm's format (`pkg/chart/v2/dependency.go` `Lock`): the dependencies of
 * Chart.yaml pinned to one version each, the digest that ties the lock to Chart.yaml, and the
 * time it was generated.
 *
 * The digest is Helm's `resolver.HashReq`: `sha256:` + the sha256 of Go's `json.Marshal` of the
 * pair `[Chart.yaml dependencies, lock dependencies]`, where a repository given as `@name` or
 * `alias:name` has already been replaced by that repository's URL. Fields are written in the
 * order of Helm's `Dependency` struct, empty ones left out (`omitempty`) except `name` and
 * `repository`, and strings escaped as Go escapes them (`<`, `>`, `&`), so a lock written by
 * Helm is in sync for bosun and the other way round.
 */

import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ChartLock, Dependency } from '../chart/chart.js';
import { ChartInvalidError, IoError } from '../internal/errors.js';
import { isPlainObject } from '../internal/objects.js';
import { parseYaml, toYaml } from '../internal/yaml.js';
import { writeFileAtomic } from './atomic-file.js';

/** The lock file's name in a chart directory. */
export const LOCK_FILE = 'Chart.lock';

/** Largest `Chart.lock` read (a lock lists a few dependencies; Helm has no limit). */
const MAX_LOCK_BYTES = 1024 * 1024;

/** Go's `json.Marshal` string escaping on top of JSON's: `<`, `>`, `&`, U+2028 and U+2029. */
function goEscape(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Go's `json.Marshal` of plain data: map keys sorted, as for a Go map. */
function goJsonValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goJsonValue).join(',')}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${goEscape(JSON.stringify(k))}:${goJsonValue(value[k])}`).join(',')}}`;
  }
  if (value === undefined) return 'null';
  return goEscape(JSON.stringify(value));
}

/** One `Dependency` as Go marshals the struct: field order and `omitempty` of its tags. */
function goJsonDependency(d: Dependency): string {
  const fields: string[] = [`"name":${goJsonValue(d.name)}`];
  if (d.version) fields.push(`"version":${goJsonValue(d.version)}`);
  fields.push(`"repository":${goJsonValue(d.repository ?? '')}`);
  if (d.condition) fields.push(`"condition":${goJsonValue(d.condition)}`);
  if (d.tags && d.tags.length > 0) fields.push(`"tags":${goJsonValue(d.tags)}`);
  if (d.enabled) fields.push('"enabled":true');
  const importValues = d['import-values'];
  if (importValues && importValues.length > 0) fields.push(`"import-values":${goJsonValue(importValues)}`);
  if (d.alias) fields.push(`"alias":${goJsonValue(d.alias)}`);
  return `{${fields.join(',')}}`;
}

/**
 * Helm's lock digest (`resolver.HashReq`) of the Chart.yaml dependencies `requested` (with
 * `@name` repositories replaced by their URLs) and the locked ones.
 */
export function lockDigest(requested: readonly Dependency[], locked: readonly Dependency[]): string {
  const list = (deps: readonly Dependency[]) => `[${deps.map(goJsonDependency).join(',')}]`;
  const json = `[${list(requested)},${list(locked)}]`;
  return `sha256:${createHash('sha256').update(json).digest('hex')}`;
}

/** A time as Go's `time.Time` marshals it (RFC 3339, fraction without trailing zeros). */
export function goTime(date: Date): string {
  return date.toISOString().replace(/\.?0+Z$/, 'Z');
}

/** One locked dependency: `name`, `repository` and `version` (what Helm writes). */
function lockedEntry(raw: unknown, i: number, source: string): Dependency {
  const where = `${source}: dependencies[${i}]`;
  if (!isPlainObject(raw)) throw new ChartInvalidError(`${where} must be a map`);
  const text = (key: string): string | undefined => {
    const v = raw[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw new ChartInvalidError(`${where}.${key} must be a string`);
    return v;
  };
  const name = text('name');
  if (!name) throw new ChartInvalidError(`${where}.name is required`);
  const version = text('version');
  const repository = text('repository') ?? '';
  return { name, repository, ...(version ? { version } : {}) };
}

/**
 * Parses the text of a `Chart.lock`; `source` names it in errors. Only the fields a lock holds
 * are kept (`name`, `repository`, `version` per dependency).
 */
export function parseLock(text: string, source: string): ChartLock {
  const raw = parseYaml(text, source);
  if (!isPlainObject(raw)) throw new ChartInvalidError(`${source}: must be a map`);
  const deps = raw['dependencies'];
  if (deps !== undefined && deps !== null && !Array.isArray(deps)) {
    throw new ChartInvalidError(`${source}: dependencies must be a list`);
  }
  const digest = raw['digest'];
  if (digest !== undefined && digest !== null && typeof digest !== 'string') {
    throw new ChartInvalidError(`${source}: digest must be a string`);
  }
  const generated = raw['generated'];
  return {
    generated: typeof generated === 'string' ? generated : generated instanceof Date ? goTime(generated) : '',
    digest: digest ?? '',
    dependencies: (deps ?? []).map((d, i) => lockedEntry(d, i, source)),
  };
}

/** The text of a `Chart.lock` as Helm writes it (sigs.k8s.io/yaml: keys sorted). */
export function serializeLock(lock: ChartLock): string {
  const doc = {
    dependencies: lock.dependencies.map((d) => ({
      name: d.name,
      repository: d.repository ?? '',
      ...(d.version ? { version: d.version } : {}),
    })),
    digest: lock.digest,
    generated: lock.generated,
  };
  return `${toYaml(doc)}\n`;
}

/** Reads `<chartDir>/Chart.lock`; undefined when there is none. */
export async function readLock(chartDir: string, source = chartDir): Promise<ChartLock | undefined> {
  const file = path.join(chartDir, LOCK_FILE);
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new IoError(`cannot read ${path.join(source, LOCK_FILE)}: ${(err as Error).message}`);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new IoError(`${path.join(source, LOCK_FILE)} is not a regular file`);
    if (stat.size > MAX_LOCK_BYTES) {
      throw new ChartInvalidError(`${path.join(source, LOCK_FILE)} is larger than ${MAX_LOCK_BYTES} bytes`);
    }
    return parseLock(await handle.readFile('utf8'), path.join(source, LOCK_FILE));
  } finally {
    await handle.close();
  }
}

/** Writes `<chartDir>/Chart.lock` atomically. */
export async function writeLock(chartDir: string, lock: ChartLock): Promise<void> {
  await writeFileAtomic(path.join(chartDir, LOCK_FILE), serializeLock(lock));
}

/**
 * `metadata.managedFields`: which field manager owns which fields. Non-apply writes record an
 * `Update` entry for their manager, which takes the fields it changed from everyone else;
 * server-side apply (`server-side-apply.ts`) records `Apply` entries.
 */

import { changedFields, type FieldPath, type FieldScope, fromFieldsV1, toFieldsV1 } from './field-set.js';
import { ownedFieldsTrie } from './field-trie.js';
import { getOwn, isJsonObject, type JsonObject } from './json-values.js';
import type { ListStrategyLookup } from './patch-strategies.js';

/** Who writes: the field manager, the operation and the subresource written through. */
export interface FieldManagerRef {
  readonly manager: string;
  readonly operation: 'Apply' | 'Update';
  /** '' for the main resource, else `status` or `scale`. */
  readonly subresource: string;
  /** The apiVersion the write used. */
  readonly apiVersion: string;
}

/** One decoded `managedFields` entry. */
export interface ManagedEntry extends FieldManagerRef {
  readonly time: string;
  readonly fields: Set<FieldPath>;
}

/** The scope of fields a subresource writes. */
export function scopeOf(subresource: string): FieldScope {
  return subresource === 'status' ? 'status' : 'main';
}

/** Whether two entries belong to the same manager identity (apiVersion only matters for updates). */
export function sameManager(a: FieldManagerRef, b: FieldManagerRef): boolean {
  return (
    a.manager === b.manager &&
    a.operation === b.operation &&
    a.subresource === b.subresource &&
    (a.operation === 'Apply' || a.apiVersion === b.apiVersion)
  );
}

/** The entries of an object's `metadata.managedFields` (malformed entries dropped). */
export function decodeManagedFields(object: unknown): ManagedEntry[] {
  const list = getOwn(getOwn(object, 'metadata'), 'managedFields');
  if (!Array.isArray(list)) return [];
  return list.filter(isJsonObject).map(decodeEntry);
}

/** Entries back in `managedFields` form; entries owning nothing are dropped. */
export function encodeManagedFields(entries: readonly ManagedEntry[]): JsonObject[] {
  return entries
    .filter((e) => e.fields.size > 0)
    .map((e) => ({
      manager: e.manager,
      operation: e.operation,
      apiVersion: e.apiVersion,
      time: e.time,
      fieldsType: 'FieldsV1',
      fieldsV1: toFieldsV1(e.fields),
      ...(e.subresource === '' ? {} : { subresource: e.subresource }),
    }));
}

/** Replaces (in place) or appends the entry of `entry`'s manager. */
export function putEntry(entries: ManagedEntry[], entry: ManagedEntry): void {
  const at = entries.findIndex((e) => sameManager(e, entry));
  if (at >= 0) entries[at] = entry;
  else entries.push(entry);
}

/**
 * The managed fields after a non-apply write by `writer` that turned `before` (undefined on
 * create) into `after`: the writer owns what it changed, others lose it, removed fields go.
 * Entries the write does not touch are kept as stored (no decoding and re-encoding).
 */
export function updateManagedFields(
  before: JsonObject | undefined,
  after: JsonObject,
  writer: FieldManagerRef,
  time: string,
  strategies: ListStrategyLookup,
): JsonObject[] {
  if (before === undefined) {
    // A create: the writer owns every field, in one entry.
    const fieldsV1 = ownedFieldsTrie(after, scopeOf(writer.subresource), strategies);
    if (Object.keys(fieldsV1).length === 0) return [];
    return [
      {
        manager: writer.manager,
        operation: 'Update',
        apiVersion: writer.apiVersion,
        time,
        fieldsType: 'FieldsV1',
        fieldsV1,
        ...(writer.subresource === '' ? {} : { subresource: writer.subresource }),
      },
    ];
  }
  const { changed, removed } = changedFields(before, after, scopeOf(writer.subresource), strategies);
  const raw = getOwn(getOwn(before, 'metadata'), 'managedFields');
  const stored = Array.isArray(raw) ? raw.filter(isJsonObject) : [];
  const touched = (paths: Set<FieldPath>): boolean => {
    for (const p of changed) if (paths.has(p)) return true;
    for (const p of removed) if (paths.has(p)) return true;
    return false;
  };
  // The top-level fields the write changed: an entry owning none of them is kept undecoded.
  const tops = new Set<string>();
  for (const p of changed) tops.add(topSegment(p));
  for (const p of removed) tops.add(topSegment(p));
  const out: JsonObject[] = [];
  let mineFound = false;
  for (const raw of stored) {
    if (!sameManager(headerOf(raw), writer) && !ownsAny(raw.fieldsV1, tops)) {
      out.push(raw);
      continue;
    }
    const entry = decodeEntry(raw);
    if (sameManager(entry, writer)) {
      mineFound = true;
      const fields = new Set(entry.fields);
      for (const p of changed) fields.add(p);
      for (const p of removed) fields.delete(p);
      const same = fields.size === entry.fields.size && [...fields].every((p) => entry.fields.has(p));
      if (same) out.push(raw);
      else out.push(...encodeManagedFields([{ ...writer, operation: 'Update', time, fields }]));
      continue;
    }
    if (changed.size === 0 && removed.length === 0) {
      out.push(raw);
      continue;
    }
    if (!touched(entry.fields)) {
      out.push(raw);
      continue;
    }
    const fields = new Set(entry.fields);
    for (const p of changed) fields.delete(p);
    for (const p of removed) fields.delete(p);
    out.push(...encodeManagedFields([{ ...entry, fields }]));
  }
  if (!mineFound && changed.size > 0) {
    out.push(...encodeManagedFields([{ ...writer, operation: 'Update', time, fields: new Set(changed) }]));
  }
  return out;
}

/** Who one stored `managedFields` entry belongs to. */
function headerOf(e: JsonObject): FieldManagerRef {
  return {
    manager: String(e.manager ?? ''),
    operation: e.operation === 'Apply' ? 'Apply' : 'Update',
    subresource: typeof e.subresource === 'string' ? e.subresource : '',
    apiVersion: String(e.apiVersion ?? ''),
  };
}

/** One stored `managedFields` entry, decoded. */
function decodeEntry(e: JsonObject): ManagedEntry {
  return { ...headerOf(e), time: String(e.time ?? ''), fields: fromFieldsV1(e.fieldsV1) };
}

/** The first segment of a field path (`f:status`). */
function topSegment(path: FieldPath): string {
  const end = path.indexOf('\0');
  return end < 0 ? path : path.slice(0, end);
}

/** Whether a `FieldsV1` trie has any of `tops` at its top level. */
function ownsAny(fieldsV1: unknown, tops: ReadonlySet<string>): boolean {
  if (!isJsonObject(fieldsV1)) return false;
  for (const top of tops) if (Object.hasOwn(fieldsV1, top)) return true;
  return false;
}

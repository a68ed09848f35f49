/**
 * `metadata.managedFields`: which field manager owns which fields. Non-apply writes record an
 * `Update` entry for their manager, which takes the fields it changed from everyone else;
 * server-side apply (`server-side-apply.ts`) records `Apply` entries.
 */

import { type FieldPath, type FieldScope, fieldValues, fromFieldsV1, toFieldsV1 } from './field-set.js';
import { getOwn, isJsonObject, type JsonObject, jsonEqual } from './json-values.js';
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
  return list.filter(isJsonObject).map((e) => ({
    manager: String(e.manager ?? ''),
    operation: e.operation === 'Apply' ? 'Apply' : 'Update',
    subresource: typeof e.subresource === 'string' ? e.subresource : '',
    apiVersion: String(e.apiVersion ?? ''),
    time: String(e.time ?? ''),
    fields: fromFieldsV1(e.fieldsV1),
  }));
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
 */
export function updateManagedFields(
  before: JsonObject | undefined,
  after: JsonObject,
  writer: FieldManagerRef,
  time: string,
  strategies: ListStrategyLookup,
): JsonObject[] {
  const scope = scopeOf(writer.subresource);
  const oldValues =
    before === undefined ? new Map<FieldPath, unknown>() : fieldValues(before, scope, strategies);
  const newValues = fieldValues(after, scope, strategies);
  const changed = new Set<FieldPath>();
  for (const [path, value] of newValues) {
    if (!oldValues.has(path) || !jsonEqual(oldValues.get(path), value)) changed.add(path);
  }
  const removed = [...oldValues.keys()].filter((p) => !newValues.has(p));
  const entries = decodeManagedFields(before);
  const mine = entries.find((e) => sameManager(e, writer));
  for (const e of entries) {
    if (e === mine) continue;
    for (const p of changed) e.fields.delete(p);
    for (const p of removed) e.fields.delete(p);
  }
  const fields = new Set<FieldPath>(mine?.fields ?? []);
  for (const p of changed) fields.add(p);
  for (const p of removed) fields.delete(p);
  const same =
    mine !== undefined && fields.size === mine.fields.size && [...fields].every((p) => mine.fields.has(p));
  putEntry(entries, { ...writer, operation: 'Update', time: same ? mine.time : time, fields });
  return encodeManagedFields(entries);
}

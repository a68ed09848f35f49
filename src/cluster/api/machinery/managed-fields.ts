/**
 * `metadata.managedFields`: which field manager owns which fields. Non-apply writes record an
 * `Update` entry for their manager, which takes the fields it changed from everyone else;
 * server-side apply (`server-side-apply.ts`) records `Apply` entries.
 */

import { fieldChanges } from './field-changes.js';
import { type FieldPath, type FieldScope, fromFieldsV1, toFieldsV1 } from './field-set.js';
import { editTrie, type FieldSegments, ownedFieldsTrie, TrieReader, trieOfPaths } from './field-trie.js';
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
    const out: JsonObject[] = [];
    pushEntry(out, writer, 'Update', time, ownedFieldsTrie(after, scopeOf(writer.subresource), strategies));
    return out;
  }
  const { changed, removed } = fieldChanges(before, after, scopeOf(writer.subresource), strategies);
  const raw = getOwn(getOwn(before, 'metadata'), 'managedFields');
  const stored = Array.isArray(raw) ? raw.filter(isJsonObject) : [];
  // Nothing changed: every entry stays as it is, and a writer without one gets none.
  if (changed.length === 0 && removed.length === 0) return stored;
  // The top-level fields the write changed: an entry owning none of them is kept as it is.
  const tops: string[] = [];
  for (const list of [changed, removed]) for (const p of list) if (!tops.includes(p[0]!)) tops.push(p[0]!);
  const out: JsonObject[] = [];
  let mineFound = false;
  for (const raw of stored) {
    const header = headerOf(raw);
    const trie = isJsonObject(raw.fieldsV1) ? raw.fieldsV1 : {};
    if (sameManager(header, writer)) {
      // The writer takes what it changed and loses what went; a new time only when that changes anything.
      mineFound = true;
      const reader = new TrieReader(trie);
      if (changed.every((p) => reader.has(p)) && !removed.some((p) => reader.has(p))) out.push(raw);
      else pushEntry(out, writer, 'Update', time, editTrie(trie, changed, [removed]));
      continue;
    }
    if (!ownsAny(trie, tops) || !ownsSome(trie, changed, removed)) {
      out.push(raw);
      continue;
    }
    // Others lose what the writer changed or removed.
    pushEntry(out, header, header.operation, String(raw.time ?? ''), editTrie(trie, [], [changed, removed]));
  }
  if (!mineFound) pushEntry(out, writer, 'Update', time, trieOfPaths(changed));
  return out;
}

/** Whether a trie holds any of the paths of `lists`. */
function ownsSome(trie: JsonObject, ...lists: (readonly FieldSegments[])[]): boolean {
  const reader = new TrieReader(trie);
  return lists.some((paths) => paths.some((p) => reader.has(p)));
}

/** Appends a `managedFields` entry (none when it owns nothing), as `encodeManagedFields` writes one. */
function pushEntry(
  out: JsonObject[],
  header: FieldManagerRef,
  operation: FieldManagerRef['operation'],
  time: string,
  fieldsV1: JsonObject,
): void {
  if (!hasFields(fieldsV1)) return;
  const entry: JsonObject = {
    manager: header.manager,
    operation,
    apiVersion: header.apiVersion,
    time,
    fieldsType: 'FieldsV1',
    fieldsV1,
  };
  if (header.subresource !== '') entry.subresource = header.subresource;
  out.push(entry);
}

/** Whether a map has a field of its own. */
function hasFields(map: JsonObject): boolean {
  for (const k in map) if (Object.hasOwn(map, k)) return true;
  return false;
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

/** Whether a `FieldsV1` trie has any of `tops` at its top level. */
function ownsAny(fieldsV1: unknown, tops: readonly string[]): boolean {
  if (!isJsonObject(fieldsV1)) return false;
  for (const top of tops) if (Object.hasOwn(fieldsV1, top)) return true;
  return false;
}

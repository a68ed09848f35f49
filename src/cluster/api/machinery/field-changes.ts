/**
 * What a write changed, as `fieldValues` of both sides would tell, without walking what stayed
 * equal: the paths that are new or hold a new value (`changed`) and the paths that went
 * (`removed`). Every non-apply write of the API server asks this (for `managedFields`), so the walk
 * keeps its path on shared stacks and only copies a path out when it records one.
 */

import { itemIds, plainKeys } from './field-diff-support.js';
import {
  type FieldPath,
  type FieldScope,
  isOwnedMetadataField,
  itemSegment,
  memberSegment,
  ownedRoots,
  segmentsOf,
} from './field-set.js';
import { getOwn, isJsonObject, type JsonObject, jsonEqual } from './json-values.js';
import type { ListStrategy, ListStrategyLookup } from './patch-strategies.js';

const SEP = '\0';

/**
 * The changes of a write, each path as its segments. A path may be listed twice when a keyed list
 * holds two items with one key; ownership edits treat the lists as sets, so that is harmless.
 */
export interface FieldChanges {
  readonly changed: string[][];
  readonly removed: string[][];
}

/** {@link fieldChanges} as path sets (each path once), the form tests and tools compare. */
export function changedFields(
  before: JsonObject | undefined,
  after: JsonObject,
  scope: FieldScope,
  strategies: ListStrategyLookup,
): { changed: Set<FieldPath>; removed: FieldPath[] } {
  const { changed, removed } = fieldChanges(before, after, scope, strategies);
  return {
    changed: new Set(changed.map((segs) => segs.join(SEP))),
    removed: [...new Set(removed.map((segs) => segs.join(SEP)))],
  };
}

/**
 * The paths a write turning `before` (undefined on create) into `after` changed or removed in
 * `scope`. Equal subtrees are skipped whole, two non-empty maps are compared key by key, two keyed
 * lists item by item; a side that is absent, or a leaf, is walked whole.
 */
export function fieldChanges(
  before: JsonObject | undefined,
  after: JsonObject,
  scope: FieldScope,
  strategies: ListStrategyLookup,
): FieldChanges {
  const diff = new FieldDiff(strategies);
  if (scope === 'status') diff.root(null, 'status', getOwn(before, 'status'), getOwn(after, 'status'));
  else if (hasSeparatorInRoots(before) || hasSeparatorInRoots(after)) diff.rootsById(before, after);
  else diff.mainRoots(before, after);
  return { changed: diff.changed, removed: diff.removed };
}

/** Marks a field that is absent where a field holding `undefined` counts as a value. */
const ABSENT = Symbol('absent');

/** How a value's fields are laid out: how it is walked and compared. */
enum Shape {
  /** One path: a scalar, an empty map, an atomic or empty list. */
  Leaf,
  /** A map with fields. */
  Map,
  /** A list whose every item has its merge key. */
  Keyed,
  /** A list of scalars treated as a set. */
  Set,
}

/** The diff itself: `segs` and `names` are the current path's segments and field names. */
class FieldDiff {
  readonly changed: string[][] = [];
  readonly removed: string[][] = [];
  private readonly segs: string[] = [];
  private readonly names: string[] = [];
  /** Set once a field name held the separator (see {@link pushField}). */
  private split = false;

  constructor(private readonly strategies: ListStrategyLookup) {}

  /** The main scope's roots (top-level fields, `metadata` by field), matched by where they sit. */
  mainRoots(before: JsonObject | undefined, after: JsonObject): void {
    const oldMeta = getOwn(before, 'metadata');
    const newMeta = getOwn(after, 'metadata');
    for (const k of Object.keys(after)) {
      if (k === 'apiVersion' || k === 'kind' || k === 'status') continue;
      const v = after[k];
      if (k === 'metadata' && isJsonObject(v)) {
        for (const m of Object.keys(v)) {
          if (isOwnedMetadataField(m))
            this.root('metadata', m, isJsonObject(oldMeta) ? getOwn(oldMeta, m) : undefined, v[m]);
        }
      } else if (k === 'metadata') this.root(null, k, isJsonObject(oldMeta) ? undefined : oldMeta, v);
      else this.root(null, k, getOwn(before, k), v);
    }
    if (before === undefined) return;
    for (const k of Object.keys(before)) {
      if (k === 'apiVersion' || k === 'kind' || k === 'status') continue;
      const v = before[k];
      if (k === 'metadata' && isJsonObject(v)) {
        for (const m of Object.keys(v)) {
          if (isOwnedMetadataField(m) && !(isJsonObject(newMeta) && Object.hasOwn(newMeta, m)))
            this.root('metadata', m, v[m], undefined);
        }
      } else if (k === 'metadata') {
        if (!Object.hasOwn(after, k) || isJsonObject(newMeta)) this.root(null, k, v, undefined);
      } else if (!Object.hasOwn(after, k)) this.root(null, k, v, undefined);
    }
  }

  /**
   * The main scope's roots matched by their joined path, as path strings always matched them: a
   * root field name holding the separator can name the same path as a field of `metadata`.
   */
  rootsById(before: JsonObject | undefined, after: JsonObject): void {
    const oldRoots = new Map<string, [unknown, string[], string[]]>();
    if (before !== undefined)
      for (const root of ownedRoots(before, 'main')) oldRoots.set(root[1].join(SEP), root);
    const compareAt = (a: unknown, b: unknown, id: string, names: string[]): void => {
      this.segs.push(...segmentsOf(id));
      this.names.push(...names);
      this.compare(orAbsent(a), orAbsent(b), false);
      this.segs.length = 0;
      this.names.length = 0;
    };
    for (const [value, segs, names] of ownedRoots(after, 'main')) {
      const id = segs.join(SEP);
      compareAt(oldRoots.get(id)?.[0], value, id, names);
      oldRoots.delete(id);
    }
    for (const [value, segs, names] of oldRoots.values()) compareAt(value, undefined, segs.join(SEP), names);
  }

  /** Compares one root field (`parent` is `metadata` for its fields); `undefined` is absent. */
  root(parent: string | null, key: string, a: unknown, b: unknown): void {
    a = orAbsent(a);
    b = orAbsent(b);
    if (same(a, b)) return;
    if (parent !== null) this.pushField(parent);
    this.pushField(key);
    this.differ(a, b, false);
    this.segs.length = 0;
    this.names.length = 0;
  }

  /**
   * Pushes field `k` on the path. A name holding the separator becomes several segments, as
   * splitting the joined path string always made it.
   */
  private pushField(k: string): void {
    this.names.push(k);
    if (k.indexOf(SEP) < 0) this.segs.push(`f:${k}`);
    else {
      this.split = true;
      this.segs.push(...`f:${k}`.split(SEP));
    }
  }

  /** Pops the field pushed when the path had `depth` segments. */
  private popField(depth: number): void {
    this.names.pop();
    this.segs.length = depth;
  }

  /**
   * Compares `a` and `b` at the current path (ABSENT for a missing side). `own` reads map fields
   * as walks do (own fields only, `undefined` a value): inside keyed-list items, which were
   * compared through their walked values. Elsewhere fields are read as plain property reads
   * (`undefined` is absent), as the key-by-key comparison of maps always read them.
   */
  private compare(a: unknown, b: unknown, own: boolean): void {
    if (!same(a, b)) this.differ(a, b, own);
  }

  /** {@link compare} of two sides known to differ. */
  private differ(a: unknown, b: unknown, own: boolean): void {
    if (a === ABSENT) this.walk(b, this.changed);
    else if (b === ABSENT) this.walk(a, this.removed);
    else {
      const strategy = isFilledList(a) || isFilledList(b) ? this.strategies(this.names) : undefined;
      const sa = shapeOf(a, strategy);
      const sb = shapeOf(b, strategy);
      if (sa === Shape.Map && sb === Shape.Map) this.compareMaps(a as JsonObject, b as JsonObject, own);
      else if (sa === Shape.Leaf && sb === Shape.Leaf) this.record(this.changed);
      else if (sa === sb && sa === Shape.Keyed)
        this.compareKeyedLists(a as JsonObject[], b as JsonObject[], keyOf(strategy));
      else if (sa === sb && sa === Shape.Set) this.compareValues(a, b);
      else {
        // No path of one side is a path of the other: a leaf's path is shorter than every path of
        // a map or list, and a map's fields (`f:`) never meet a list's items (`k:`, `v:`).
        this.walk(b, this.changed);
        this.walk(a, this.removed);
      }
    }
  }

  /** Compares two maps with fields, field by field; a field's path is made only when it differs. */
  private compareMaps(a: JsonObject, b: JsonObject, own: boolean): void {
    const depth = this.segs.length;
    for (const k in b) {
      if (!Object.hasOwn(b, k)) continue;
      const x = own ? (Object.hasOwn(a, k) ? a[k] : ABSENT) : orAbsent(a[k]);
      const y = own ? b[k] : orAbsent(b[k]);
      if (same(x, y)) continue;
      this.pushField(k);
      this.differ(x, y, own);
      this.popField(depth);
    }
    for (const k in a) {
      if (!Object.hasOwn(a, k) || Object.hasOwn(b, k)) continue;
      const x = own ? a[k] : orAbsent(a[k]);
      if (x === ABSENT) continue;
      this.pushField(k);
      this.differ(x, ABSENT, own);
      this.popField(depth);
    }
  }

  /**
   * Compares two keyed lists item by item, walking only the items that differ (conditions,
   * container statuses); an item's key segment is made only for an item that differs. Lists
   * repeating a key are compared through their walked values.
   */
  private compareKeyedLists(a: JsonObject[], b: JsonObject[], key: string): void {
    const byValue = plainKeys(a, key) && plainKeys(b, key);
    const oldIds = itemIds(a, key, byValue);
    const newIds = oldIds && itemIds(b, key, byValue);
    if (oldIds === undefined || newIds === undefined) {
      this.compareValues(a, b);
      return;
    }
    const depth = this.segs.length;
    for (let i = 0; i < b.length; i++) {
      const next = b[i]!;
      const at = oldIds.indexOf(newIds.ids[i], i);
      if (at >= 0 && jsonEqual(a[at], next)) continue;
      this.segs.push(itemSegment(key, next[key]));
      if (at < 0) this.walkItem(next, this.changed);
      else this.compareItems(a[at]!, next);
      this.segs.length = depth;
    }
    for (let i = 0; i < a.length; i++) {
      if (newIds.indexOf(oldIds.ids[i], i) >= 0) continue;
      const prev = a[i]!;
      this.segs.push(itemSegment(key, prev[key]));
      this.walkItem(prev, this.removed);
      this.segs.length = depth;
    }
  }

  /**
   * Compares two items with one key (their `.` is unchanged) field by field. Should a field name
   * hold the separator, two fields may name one path; the item is then compared through its
   * walked values, as it always was, which counts such a path once.
   */
  private compareItems(prev: JsonObject, next: JsonObject): void {
    const split = this.split;
    const changed = this.changed.length;
    const removed = this.removed.length;
    this.split = false;
    this.compareMaps(prev, next, true);
    if (this.split) {
      this.changed.length = changed;
      this.removed.length = removed;
      this.compareValues(prev, next, true);
    }
    this.split ||= split;
  }

  /**
   * Compares two sides through their walked values: every path of either side, by its joined
   * string. For sets, lists repeating a key and items whose field names hold the separator.
   */
  private compareValues(a: unknown, b: unknown, items = false): void {
    const oldValues = new Map<FieldPath, unknown>();
    const newValues = new Map<FieldPath, unknown>();
    if (items) {
      this.walkItem(a as JsonObject, oldValues);
      this.walkItem(b as JsonObject, newValues);
    } else {
      this.walk(a, oldValues);
      this.walk(b, newValues);
    }
    for (const [path, value] of newValues) {
      if (!oldValues.has(path) || !jsonEqual(oldValues.get(path), value)) this.changed.push(segmentsOf(path));
    }
    for (const path of oldValues.keys()) if (!newValues.has(path)) this.removed.push(segmentsOf(path));
  }

  /** Records the current path with `value` in `out` (a list of paths, or values by joined path). */
  private record(out: string[][] | Map<FieldPath, unknown>, value?: unknown): void {
    if (Array.isArray(out)) out.push(this.segs.slice());
    else out.set(this.segs.join(SEP), value);
  }

  /** Records every path of `value` (the value at the current path) in `out`. */
  private walk(value: unknown, out: string[][] | Map<FieldPath, unknown>): void {
    const strategy = isFilledList(value) ? this.strategies(this.names) : undefined;
    switch (shapeOf(value, strategy)) {
      case Shape.Leaf:
        this.record(out, value);
        break;
      case Shape.Map:
        this.walkFields(value as JsonObject, out);
        break;
      case Shape.Keyed: {
        const key = keyOf(strategy);
        const depth = this.segs.length;
        for (const item of value as JsonObject[]) {
          this.segs.push(itemSegment(key, item[key]));
          this.walkItem(item, out);
          this.segs.length = depth;
        }
        break;
      }
      case Shape.Set:
        for (const v of value as unknown[]) {
          this.segs.push(memberSegment(v));
          this.record(out, v);
          this.segs.pop();
        }
    }
  }

  /** Records a keyed-list item's paths: its `.` (valued true: only adding it changes it) and fields. */
  private walkItem(item: JsonObject, out: string[][] | Map<FieldPath, unknown>): void {
    this.segs.push('.');
    this.record(out, true);
    this.segs.pop();
    this.walkFields(item, out);
  }

  /** Records the paths of every field of a map. */
  private walkFields(map: JsonObject, out: string[][] | Map<FieldPath, unknown>): void {
    const depth = this.segs.length;
    for (const k in map) {
      if (!Object.hasOwn(map, k)) continue;
      this.pushField(k);
      this.walk(map[k], out);
      this.popField(depth);
    }
  }
}

/** A plain property read's `undefined` is a missing field. */
const orAbsent = (v: unknown): unknown => (v === undefined ? ABSENT : v);

/** Whether a root field name (top level or `metadata`) holds the path separator. */
function hasSeparatorInRoots(object: JsonObject | undefined): boolean {
  if (object === undefined) return false;
  for (const k in object) if (k.indexOf(SEP) >= 0) return true;
  const meta = getOwn(object, 'metadata');
  if (isJsonObject(meta)) for (const k in meta) if (k.indexOf(SEP) >= 0) return true;
  return false;
}

/** Whether a value is a list with items. */
const isFilledList = (v: unknown): v is unknown[] => Array.isArray(v) && v.length > 0;

/** How `value` is walked, `strategy` being the strategy of its place when it is a list with items. */
function shapeOf(value: unknown, strategy: ListStrategy | undefined): Shape {
  if (isJsonObject(value)) {
    for (const k in value) if (Object.hasOwn(value, k)) return Shape.Map;
    return Shape.Leaf;
  }
  if (!isFilledList(value)) return Shape.Leaf;
  if (strategy?.type === 'merge') {
    const key = strategy.key;
    for (const x of value) if (!isJsonObject(x) || getOwn(x, key) === undefined) return Shape.Leaf;
    return Shape.Keyed;
  }
  return strategy?.type === 'set' ? Shape.Set : Shape.Leaf;
}

/** The merge key of a keyed list's strategy. */
const keyOf = (strategy: ListStrategy | undefined): string => (strategy as { key: string }).key;

/** Whether two sides are equal (ABSENT equals only itself). */
const same = (a: unknown, b: unknown): boolean =>
  a === b || (a !== ABSENT && b !== ABSENT && jsonEqual(a, b));

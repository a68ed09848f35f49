/**
 * `FieldsV1` tries built and edited directly, without going through sets of path strings: the
 * hot side of `managedFields`, which the API server records on every write (every Pod, every
 * Event). Each function equals the general route through path sets (`toFieldsV1`), every level's
 * segments in sorted order.
 */

import { type FieldScope, isOwnedMetadataField, itemSegment, memberSegment } from './field-set.js';
import { getOwn, isJsonObject, type JsonObject } from './json-values.js';
import type { ListStrategyLookup } from './patch-strategies.js';

/** A field path as its segments (`['f:spec', 'f:replicas']`). */
export type FieldSegments = readonly string[];

/**
 * The `FieldsV1` trie of every field of `object` a write in `scope` owns (`{}` when none): what a
 * create's `managedFields` entry holds. Built in one walk, each level written in sorted order: the
 * segments of a map's level are its field names sorted (`f:` before each), so no level is
 * collected first and sorted after.
 */
export function ownedFieldsTrie(
  object: JsonObject,
  scope: FieldScope,
  strategies: ListStrategyLookup,
): JsonObject {
  const root: JsonObject = {};
  const names: string[] = [];
  for (const k of sortStrings(Object.keys(object))) {
    if (k === 'apiVersion' || k === 'kind') continue;
    if ((k === 'status') !== (scope === 'status')) continue;
    const v = object[k];
    if (k === 'metadata' && isJsonObject(v)) {
      // `metadata` is owned field by field; with no owned field it is not in the trie at all.
      let meta: JsonObject | undefined;
      for (const m of sortStrings(Object.keys(v))) {
        if (!isOwnedMetadataField(m)) continue;
        meta ??= {};
        names.push('metadata', m);
        meta[`f:${m}`] = trieOf(v[m], names, strategies);
        names.length = 0;
      }
      if (meta !== undefined) root['f:metadata'] = meta;
      continue;
    }
    names.push(k);
    root[`f:${k}`] = trieOf(v, names, strategies);
    names.pop();
  }
  return root;
}

/** The trie of `value`, the field named by the last of `names`: `{}` for a leaf. */
function trieOf(value: unknown, names: string[], strategies: ListStrategyLookup): JsonObject {
  if (isJsonObject(value)) return fieldsTrie({}, value, names, strategies);
  if (!Array.isArray(value) || value.length === 0) return {};
  const strategy = strategies(names);
  if (strategy?.type === 'merge') {
    const key = strategy.key;
    if (allKeyed(value, key)) return keyedListTrie(value as JsonObject[], key, names, strategies);
  } else if (strategy?.type === 'set') {
    const out: JsonObject = {};
    // Members repeated in the list are one segment.
    for (const seg of sortStrings(value.map(memberSegment))) out[seg] = {};
    return out;
  }
  // Any other list is atomic: a leaf.
  return {};
}

/** Adds a node per field of `map` to `out` (after what it holds), in sorted order. A map without fields is a leaf. */
function fieldsTrie(
  out: JsonObject,
  map: JsonObject,
  names: string[],
  strategies: ListStrategyLookup,
): JsonObject {
  for (const k of sortStrings(Object.keys(map))) {
    names.push(k);
    out[`f:${k}`] = trieOf(map[k], names, strategies);
    names.pop();
  }
  return out;
}

/** Whether every item of a list is a map with the merge key `key`. */
function allKeyed(list: readonly unknown[], key: string): boolean {
  for (const x of list) if (!isJsonObject(x) || getOwn(x, key) === undefined) return false;
  return true;
}

/** The trie of a keyed list: a node per item key, holding `.` (sorted before every `f:`) and the item's fields. */
function keyedListTrie(
  items: JsonObject[],
  key: string,
  names: string[],
  strategies: ListStrategyLookup,
): JsonObject {
  const out: JsonObject = {};
  if (items.length === 1) {
    const item = items[0]!;
    out[itemSegment(key, item[key])] = fieldsTrie({ '.': {} }, item, names, strategies);
    return out;
  }
  const segs = items.map((item) => itemSegment(key, item[key]));
  const order = sortBy(
    items.map((_, i) => i),
    (a, b) => compareStrings(segs[a]!, segs[b]!),
  );
  for (const i of order) {
    const seg = segs[i]!;
    const node = fieldsTrie({ '.': {} }, items[i]!, names, strategies);
    // Items with one key are one node: the union of theirs.
    out[seg] = Object.hasOwn(out, seg) ? unionOf(out[seg] as JsonObject, node) : node;
  }
  return out;
}

/** The union of two sorted tries, sorted. */
function unionOf(a: JsonObject, b: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const seg of sortStrings([...new Set([...Object.keys(a), ...Object.keys(b)])])) {
    const x = getOwn(a, seg) as JsonObject | undefined;
    const y = getOwn(b, seg) as JsonObject | undefined;
    out[seg] = x === undefined ? y : y === undefined ? x : unionOf(x, y);
  }
  return out;
}

/**
 * Looks paths up in a trie: whether each is one of the trie's paths (a node that exists and has
 * no children). A lookup resumes from the nodes of the path before where the two paths agree, as
 * the paths of a write mostly do (`f:status`, `f:conditions`, ...).
 */
export class TrieReader {
  /** The nodes of the previous path's segments, from the root. */
  private readonly chain: unknown[];
  private prev: FieldSegments = [];

  constructor(trie: JsonObject) {
    this.chain = [trie];
  }

  has(path: FieldSegments): boolean {
    const chain = this.chain;
    const d = sharedPrefix(path, this.prev, chain.length - 1);
    chain.length = d + 1;
    this.prev = path;
    let node = chain[d];
    for (let i = d; i < path.length; i++) {
      node = isJsonObject(node) ? getOwn(node, path[i]!) : undefined;
      if (node === undefined) return false;
      chain.push(node);
    }
    if (!isJsonObject(node)) return false;
    for (const _ in node) return false;
    return true;
  }
}

/** How many leading segments two paths share, at most `max`. */
function sharedPrefix(a: FieldSegments, b: FieldSegments, max: number): number {
  const n = Math.min(a.length, b.length, max);
  let d = 0;
  while (d < n && a[d] === b[d]) d++;
  return d;
}

/** The trie of a set of paths (`toFieldsV1`): the paths are added, then every level put in order. */
export function trieOfPaths(paths: readonly FieldSegments[]): JsonObject {
  const root: JsonObject = {};
  // The nodes of the previous path's segments, from the root (see TrieReader).
  const chain: JsonObject[] = [root];
  let prev: FieldSegments = [];
  for (const path of paths) {
    chain.length = sharedPrefix(path, prev, chain.length - 1) + 1;
    prev = path;
    let node = chain[chain.length - 1]!;
    for (let i = chain.length - 1; i < path.length; i++) {
      const seg = path[i]!;
      let next = getOwn(node, seg);
      if (!isJsonObject(next)) {
        // Assigning `__proto__` sets a prototype, not a field: the rest of the path is not added.
        if (seg === '__proto__') break;
        node[seg] = next = {};
      }
      chain.push(next as JsonObject);
      node = next as JsonObject;
    }
  }
  return inOrderDeep(root);
}

/** A trie of new nodes with every level in sorted order: a level already in order is kept. */
function inOrderDeep(node: JsonObject): JsonObject {
  const segs = Object.keys(node);
  if (segs.length === 0) return node;
  if (inOrder(segs)) {
    for (const seg of segs) {
      const child = node[seg] as JsonObject;
      const sorted = inOrderDeep(child);
      if (sorted !== child) node[seg] = sorted;
    }
    return node;
  }
  const out: JsonObject = {};
  for (const seg of sortStrings(segs)) out[seg] = inOrderDeep(node[seg] as JsonObject);
  return out;
}

/**
 * The trie with the paths `add` added and those of every list in `remove` removed: `toFieldsV1`
 * of the edited path set, without decoding the trie into paths and encoding it again. Nodes on no
 * edited path are shared with `trie`; every level an edit walked through is written sorted. As
 * in {@link TrieReader}, each path resumes from the nodes of the one before.
 */
export function editTrie(
  trie: JsonObject,
  add: readonly FieldSegments[],
  remove: readonly (readonly FieldSegments[])[],
): JsonObject {
  const root: JsonObject = { ...trie };
  const copied = new Set<JsonObject>([root]);
  // Levels a field was deleted from are written again: deleting makes an object slow to read.
  const shrunk = new Set<JsonObject>();
  const own = (parent: JsonObject, seg: string): JsonObject | undefined => {
    const child = getOwn(parent, seg);
    if (!isJsonObject(child)) return undefined;
    if (copied.has(child)) return child;
    const copy = { ...child };
    parent[seg] = copy;
    copied.add(copy);
    return copy;
  };
  // The nodes of the previous path's segments that still stand, from the root.
  const chain: JsonObject[] = [root];
  let prev: FieldSegments = [];
  for (const paths of remove) {
    for (const segs of paths) {
      chain.length = sharedPrefix(segs, prev, chain.length - 1) + 1;
      prev = segs;
      let node: JsonObject | undefined = chain[chain.length - 1];
      for (let i = chain.length - 1; i < segs.length; i++) {
        node = own(node, segs[i]!);
        if (node === undefined) break;
        chain.push(node);
      }
      // Only a leaf is a path; removing it removes the ancestors it leaves without children.
      if (node === undefined || segs.length === 0 || hasChildren(node)) continue;
      for (let i = segs.length - 1; i >= 0; i--) {
        const parent = chain[i]!;
        delete parent[segs[i]!];
        shrunk.add(parent);
        chain.length = i + 1;
        if (i === 0 || hasChildren(parent)) break;
      }
    }
  }
  chain.length = 1;
  prev = [];
  for (const segs of add) {
    chain.length = sharedPrefix(segs, prev, chain.length - 1) + 1;
    prev = segs;
    let node = chain[chain.length - 1]!;
    for (let i = chain.length - 1; i < segs.length; i++) {
      const seg = segs[i]!;
      let next = own(node, seg);
      if (next === undefined) {
        // Assigning `__proto__` sets a prototype, not a field: the rest of the path is not added.
        if (seg === '__proto__') break;
        next = {};
        node[seg] = next;
        copied.add(next);
      }
      chain.push(next);
      node = next;
    }
  }
  // A copied level whose segments are still in order is kept (its copied children replaced);
  // another is written again in sorted order.
  const sorted = (node: JsonObject): JsonObject => {
    if (!copied.has(node)) return node;
    const segs = Object.keys(node);
    if (!shrunk.has(node) && inOrder(segs)) {
      for (const seg of segs) {
        const child = node[seg] as JsonObject;
        if (copied.has(child)) node[seg] = sorted(child);
      }
      return node;
    }
    const out: JsonObject = {};
    for (const seg of sortStrings(segs)) out[seg] = sorted(node[seg] as JsonObject);
    return out;
  };
  return sorted(root);
}

/** Whether a map has a field of its own. */
function hasChildren(node: JsonObject): boolean {
  for (const k in node) if (Object.hasOwn(node, k)) return true;
  return false;
}

/**
 * Whether segments are sorted, so that writing them again in sorted order would change nothing:
 * a `__proto__` segment would not survive that write as a field, so it does not count as in order.
 */
function inOrder(segs: readonly string[]): boolean {
  for (let i = 0; i < segs.length; i++) {
    if (segs[i] === '__proto__' || (i > 0 && segs[i - 1]! > segs[i]!)) return false;
  }
  return true;
}

/**
 * Sorts strings in place as `Array.prototype.sort` does (by UTF-16 code units). Levels are
 * short, and an insertion sort there allocates nothing, where the built-in sort allocates work
 * space on every call.
 */
function sortStrings(list: string[]): string[] {
  if (list.length > 24) return list.sort();
  for (let i = 1; i < list.length; i++) {
    const x = list[i]!;
    let j = i - 1;
    while (j >= 0 && list[j]! > x) {
      list[j + 1] = list[j]!;
      j--;
    }
    list[j + 1] = x;
  }
  return list;
}

/** Sorts in place, stably: by insertion when short, else with the built-in sort. */
function sortBy<T>(list: T[], compare: (a: T, b: T) => number): T[] {
  if (list.length > 24) return list.sort(compare);
  for (let i = 1; i < list.length; i++) {
    const x = list[i]!;
    let j = i - 1;
    while (j >= 0 && compare(list[j]!, x) > 0) {
      list[j + 1] = list[j]!;
      j--;
    }
    list[j + 1] = x;
  }
  return list;
}

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

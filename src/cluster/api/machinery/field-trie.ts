/**
 * Every owned field of an object as a `FieldsV1` trie, built in one walk: what a create's
 * `managedFields` entry holds. Equal to `toFieldsV1` of all the object's field paths (the
 * general route through path sets, which updates need), without making, sorting and splitting a
 * path string per field; creates are most writes (every Pod, every Event), so this is the hot one.
 */

import { type FieldPath, type FieldScope, itemSegment, ownedRoots, segmentsOf } from './field-set.js';
import { getOwn, isJsonObject, type JsonObject } from './json-values.js';
import type { ListStrategyLookup } from './patch-strategies.js';

/** A trie node under construction: segment → child. Segments never collide with prototype names. */
type Node = Map<string, Node>;

function child(node: Node, segment: string): Node {
  let next = node.get(segment);
  if (next === undefined) node.set(segment, (next = new Map()));
  return next;
}

/** Adds the fields of `value` (the field named by the last of `names`) under `node`. */
function addValue(node: Node, value: unknown, names: string[], strategies: ListStrategyLookup): void {
  if (isJsonObject(value)) {
    for (const k in value) {
      if (!Object.hasOwn(value, k)) continue;
      names.push(k);
      addValue(child(node, `f:${k}`), value[k], names, strategies);
      names.pop();
    }
    // A map without fields is a leaf, as a scalar is.
    return;
  }
  if (!Array.isArray(value) || value.length === 0) return;
  const strategy = strategies(names);
  if (
    strategy?.type === 'merge' &&
    value.every((x) => isJsonObject(x) && getOwn(x, strategy.key) !== undefined)
  ) {
    for (const item of value as JsonObject[]) {
      const itemNode = child(node, itemSegment(strategy.key, item[strategy.key]));
      child(itemNode, '.');
      for (const k of Object.keys(item)) {
        names.push(k);
        addValue(child(itemNode, `f:${k}`), item[k], names, strategies);
        names.pop();
      }
    }
  } else if (strategy?.type === 'set') {
    for (const v of value) child(node, `v:${JSON.stringify(v)}`);
  }
  // Any other list is atomic: a leaf.
}

/** The trie as `FieldsV1` JSON, every level's segments in sorted order (as `toFieldsV1` writes them). */
function toJson(node: Node): JsonObject {
  const out: JsonObject = {};
  for (const segment of [...node.keys()].sort()) out[segment] = toJson(node.get(segment)!);
  return out;
}

/** The `FieldsV1` trie of every field of `object` a write in `scope` owns (`{}` when none). */
export function ownedFieldsTrie(
  object: JsonObject,
  scope: FieldScope,
  strategies: ListStrategyLookup,
): JsonObject {
  const root: Node = new Map();
  for (const [value, segs, names] of ownedRoots(object, scope)) {
    let node = root;
    for (const seg of segs) node = child(node, seg);
    addValue(node, value, [...names], strategies);
  }
  return toJson(root);
}

/** Whether `path` is one of the trie's paths: a node that exists and has no children. */
export function trieHasPath(trie: JsonObject, path: FieldPath): boolean {
  let node: unknown = trie;
  for (const seg of segmentsOf(path)) {
    node = isJsonObject(node) ? getOwn(node, seg) : undefined;
    if (node === undefined) return false;
  }
  if (!isJsonObject(node)) return false;
  for (const _ in node) return false;
  return true;
}

/**
 * The trie with the paths `add` added and `remove` removed: `toFieldsV1` of the edited path
 * set, without decoding the trie into paths and encoding it again. Nodes on no edited path are
 * shared with `trie`; edited levels keep their segments sorted.
 */
export function editTrie(
  trie: JsonObject,
  add: Iterable<FieldPath>,
  remove: Iterable<FieldPath>,
): JsonObject {
  const root: JsonObject = { ...trie };
  const copied = new Set<JsonObject>([root]);
  const own = (parent: JsonObject, seg: string): JsonObject | undefined => {
    const child = getOwn(parent, seg);
    if (!isJsonObject(child)) return undefined;
    if (copied.has(child)) return child;
    const copy = { ...child };
    parent[seg] = copy;
    copied.add(copy);
    return copy;
  };
  for (const path of remove) {
    const segs = segmentsOf(path);
    const chain: JsonObject[] = [root];
    let node: JsonObject | undefined = root;
    for (const seg of segs) {
      node = own(node, seg);
      if (node === undefined) break;
      chain.push(node);
    }
    // Only a leaf is a path; removing it removes the ancestors it leaves without children.
    if (node === undefined || segs.length === 0 || Object.keys(node).length > 0) continue;
    for (let i = segs.length - 1; i >= 0; i--) {
      const parent = chain[i]!;
      delete parent[segs[i]!];
      if (i === 0 || Object.keys(parent).length > 0) break;
    }
  }
  for (const path of add) {
    let node = root;
    for (const seg of segmentsOf(path)) {
      let next = own(node, seg);
      if (next === undefined) {
        next = {};
        node[seg] = next;
        copied.add(next);
      }
      node = next;
    }
  }
  const sorted = (node: JsonObject): JsonObject => {
    if (!copied.has(node)) return node;
    const out: JsonObject = {};
    for (const seg of Object.keys(node).sort()) out[seg] = sorted(node[seg] as JsonObject);
    return out;
  };
  return sorted(root);
}

/**
 * Every owned field of an object as a `FieldsV1` trie, built in one walk: what a create's
 * `managedFields` entry holds. Equal to `toFieldsV1` of all the object's field paths (the
 * general route through path sets, which updates need), without making, sorting and splitting a
 * path string per field; creates are most writes (every Pod, every Event), so this is the hot one.
 */

import { type FieldScope, itemSegment, ownedRoots } from './field-set.js';
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

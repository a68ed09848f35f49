/**
 * Sets of field paths, as server-side apply tracks ownership in `managedFields` (`FieldsV1`):
 * `f:<field>` for a map field, `k:{"name":"nginx"}` for an item of a keyed list, `v:<json>` for a
 * member of a set, `.` for a list item itself. Lists with no merge key are atomic: one leaf.
 */

import { getOwn, isJsonObject, type JsonObject, jsonEqual, setOwn } from './json-values.js';
import type { ListStrategyLookup } from './patch-strategies.js';

/** A field path, its segments joined by NUL (`f:spec\0f:replicas`). */
export type FieldPath = string;

const SEP = '\0';

/** Which part of an object a write owns: the main resource (all but status) or `status`. */
export type FieldScope = 'main' | 'status';

/** Metadata fields the server manages, never owned by a field manager. */
const UNOWNED_METADATA = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'selfLink',
  'managedFields',
]);

/** Whether a field of `metadata` can be owned (the server manages the others). */
export function isOwnedMetadataField(name: string): boolean {
  return !UNOWNED_METADATA.has(name);
}

/** The segments of a path. */
export function segmentsOf(path: FieldPath): string[] {
  return path === '' ? [] : path.split(SEP);
}

/** The key segment of a keyed list item. */
export function itemSegment(key: string, value: unknown): string {
  // Keys are mostly strings and numbers: their JSON needs no object built around them.
  const type = typeof value;
  if (type === 'string') return `k:{${quoted(key)}:${quoted(value as string)}}`;
  if (type === 'number' || type === 'boolean') return `k:{${quoted(key)}:${JSON.stringify(value)}}`;
  return `k:${JSON.stringify({ [key]: value })}`;
}

/** The segment of a member of a set list. */
export function memberSegment(value: unknown): string {
  return typeof value === 'string' ? `v:${quoted(value)}` : `v:${JSON.stringify(value)}`;
}

/** Strings JSON writes as they are, between quotes: no quote, backslash, control character or surrogate. */
const PLAIN_STRING = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

/** `JSON.stringify` of a string, without its escaping pass for the usual plain names and values. */
function quoted(s: string): string {
  return PLAIN_STRING.test(s) ? `"${s}"` : JSON.stringify(s);
}

/**
 * Every owned field of an object with its value: leaves, keyed-list item markers (`.`, valued
 * `true` so that only adding an item counts as changing it) and set members.
 */
export function fieldValues(
  object: JsonObject,
  scope: FieldScope,
  strategies: ListStrategyLookup,
): Map<FieldPath, unknown> {
  const out = new Map<FieldPath, unknown>();
  for (const [value, segs, names] of ownedRoots(object, scope))
    subtreeValues(value, segs, names, strategies, out);
  return out;
}

/** The top-level owned fields of an object in a scope: `[value, segments, names]`. */
export function ownedRoots(object: JsonObject, scope: FieldScope): [unknown, string[], string[]][] {
  const roots: [unknown, string[], string[]][] = [];
  for (const k of Object.keys(object)) {
    if (k === 'apiVersion' || k === 'kind') continue;
    if ((k === 'status') !== (scope === 'status')) continue;
    const v = object[k];
    if (k === 'metadata' && isJsonObject(v)) {
      for (const m of Object.keys(v)) {
        if (!UNOWNED_METADATA.has(m)) roots.push([v[m], ['f:metadata', `f:${m}`], ['metadata', m]]);
      }
      continue;
    }
    roots.push([v, [`f:${k}`], [k]]);
  }
  return roots;
}

/** Adds the owned fields of the value at `segs` (field names `names`) to `out`. */
function subtreeValues(
  value: unknown,
  segs: readonly string[],
  names: readonly string[],
  strategies: ListStrategyLookup,
  out: Map<FieldPath, unknown>,
): void {
  walkValues(value, segs.join(SEP), [...names], strategies, out);
}

/**
 * The walk behind {@link subtreeValues}: `path` is the joined path so far and `names` a stack of
 * field names (pushed and popped in place), so a walk allocates only the paths it records.
 */
function walkValues(
  value: unknown,
  path: string,
  names: string[],
  strategies: ListStrategyLookup,
  out: Map<FieldPath, unknown>,
): void {
  if (isJsonObject(value)) {
    let any = false;
    for (const k in value) {
      if (!Object.hasOwn(value, k)) continue;
      any = true;
      names.push(k);
      walkValues(value[k], `${path}${SEP}f:${k}`, names, strategies, out);
      names.pop();
    }
    if (any) return;
  } else if (Array.isArray(value) && value.length > 0) {
    const strategy = strategies(names);
    if (
      strategy?.type === 'merge' &&
      value.every((x) => isJsonObject(x) && getOwn(x, strategy.key) !== undefined)
    ) {
      for (const item of value as JsonObject[]) {
        const at = `${path}${SEP}${itemSegment(strategy.key, item[strategy.key])}`;
        out.set(`${at}${SEP}.`, true);
        for (const k of Object.keys(item)) {
          names.push(k);
          walkValues(item[k], `${at}${SEP}f:${k}`, names, strategies, out);
          names.pop();
        }
      }
      return;
    }
    if (strategy?.type === 'set') {
      for (const v of value) out.set(`${path}${SEP}${memberSegment(v)}`, v);
      return;
    }
  }
  out.set(path, value);
}

/** A set of paths as a `FieldsV1` trie. */
export function toFieldsV1(paths: Iterable<FieldPath>): JsonObject {
  const root: JsonObject = {};
  for (const path of [...paths].sort()) {
    let node = root;
    for (const seg of segmentsOf(path)) {
      let child = getOwn(node, seg);
      if (!isJsonObject(child)) setOwn(node, seg, (child = {}));
      node = child as JsonObject;
    }
  }
  return root;
}

/** The paths of a `FieldsV1` trie (its leaves). */
export function fromFieldsV1(trie: unknown): Set<FieldPath> {
  const out = new Set<FieldPath>();
  const walk = (node: unknown, segs: readonly string[]): void => {
    if (!isJsonObject(node)) return;
    const keys = Object.keys(node);
    if (keys.length === 0 && segs.length > 0) out.add(segs.join(SEP));
    for (const k of keys) walk(node[k], [...segs, k]);
  };
  walk(trie, []);
  return out;
}

/** A path as Kubernetes prints it in conflicts: `.spec.template.spec.containers[name="nginx"].image`. */
export function describeFieldPath(path: FieldPath): string {
  let out = '';
  for (const seg of segmentsOf(path)) {
    if (seg === '.') continue;
    const body = seg.slice(2);
    if (seg.startsWith('f:')) out += `.${body}`;
    else if (seg.startsWith('k:')) {
      const key = JSON.parse(body) as JsonObject;
      out += `[${Object.keys(key)
        .map((k) => `${k}=${JSON.stringify(key[k])}`)
        .join(',')}]`;
    } else if (seg.startsWith('v:')) out += `[=${body}]`;
    else out += `[${body}]`;
  }
  return out;
}

/** Finds the item of `list` a key or value segment names. */
function findItem(list: unknown, seg: string): number {
  if (!Array.isArray(list)) return -1;
  const body = JSON.parse(seg.slice(2)) as unknown;
  if (seg.startsWith('v:')) return list.findIndex((x) => jsonEqual(x, body));
  const key = body as JsonObject;
  return list.findIndex(
    (x) => isJsonObject(x) && Object.keys(key).every((k) => jsonEqual(getOwn(x, k), key[k])),
  );
}

/**
 * Removes the field (or list item) at `path` from `object`, in place; absent paths are ignored.
 * Maps and lists the removal leaves empty go too (below the top level).
 */
export function removeFieldPath(object: JsonObject, path: FieldPath): void {
  const segs = segmentsOf(path);
  if (segs[segs.length - 1] === '.') segs.pop();
  const chain: unknown[] = [object];
  for (const seg of segs.slice(0, -1)) {
    const parent = chain[chain.length - 1];
    let next: unknown;
    if (seg.startsWith('f:')) next = getOwn(parent, seg.slice(2));
    else {
      const i = findItem(parent, seg);
      next = i < 0 ? undefined : (parent as unknown[])[i];
    }
    if (next === undefined) return;
    chain.push(next);
  }
  for (let depth = segs.length - 1; depth >= 0; depth--) {
    const parent = chain[depth];
    const seg = segs[depth]!;
    if (seg.startsWith('f:')) {
      if (isJsonObject(parent)) delete parent[seg.slice(2)];
    } else {
      const i = findItem(parent, seg);
      if (i >= 0) (parent as unknown[]).splice(i, 1);
    }
    const emptied = Array.isArray(parent)
      ? parent.length === 0
      : isJsonObject(parent) && Object.keys(parent).length === 0;
    if (depth <= 1 || !emptied) return;
  }
}

/**
 * The `managedFields` bookkeeping of non-apply writes as it was before it was reworked for speed
 * (path strings, `Map` tries, spread copies), kept as the reference the current code must match
 * byte for byte, odd inputs included: field names holding NUL or naming `Object.prototype`
 * members, `undefined` values, sparse lists, malformed stored entries.
 */

import {
  getOwn,
  isJsonObject,
  type JsonObject,
  jsonEqual,
} from '../../../../src/cluster/api/machinery/json-values.js';
import type { FieldManagerRef } from '../../../../src/cluster/api/machinery/managed-fields.js';
import type { ListStrategyLookup } from '../../../../src/cluster/api/machinery/patch-strategies.js';

type Scope = 'main' | 'status';
const SEP = '\0';
const UNOWNED = new Set([
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

const segmentsOf = (path: string): string[] => (path === '' ? [] : path.split(SEP));
const itemSegment = (key: string, value: unknown): string => `k:${JSON.stringify({ [key]: value })}`;

function ownedRoots(object: JsonObject, scope: Scope): [unknown, string[], string[]][] {
  const roots: [unknown, string[], string[]][] = [];
  for (const k of Object.keys(object)) {
    if (k === 'apiVersion' || k === 'kind') continue;
    if ((k === 'status') !== (scope === 'status')) continue;
    const v = object[k];
    if (k === 'metadata' && isJsonObject(v)) {
      for (const m of Object.keys(v))
        if (!UNOWNED.has(m)) roots.push([v[m], ['f:metadata', `f:${m}`], ['metadata', m]]);
      continue;
    }
    roots.push([v, [`f:${k}`], [k]]);
  }
  return roots;
}

function walkValues(
  value: unknown,
  path: string,
  names: string[],
  strategies: ListStrategyLookup,
  out: Map<string, unknown>,
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
      for (const v of value) out.set(`${path}${SEP}v:${JSON.stringify(v)}`, v);
      return;
    }
  }
  out.set(path, value);
}

function keyedItems(list: unknown, key: string): Map<string, JsonObject> | undefined {
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const items = new Map<string, JsonObject>();
  for (const x of list) {
    if (!isJsonObject(x) || getOwn(x, key) === undefined) return undefined;
    const seg = itemSegment(key, x[key]);
    if (items.has(seg)) return undefined;
    items.set(seg, x);
  }
  return items;
}

const isNonEmptyMap = (v: unknown): v is JsonObject => isJsonObject(v) && Object.keys(v).length > 0;

/** What a write changed: the paths that are new or hold a new value, and the paths that went. */
export function referenceChangedFields(
  before: JsonObject | undefined,
  after: JsonObject,
  scope: Scope,
  strategies: ListStrategyLookup,
): { changed: Set<string>; removed: string[] } {
  const changed = new Set<string>();
  const removed: string[] = [];
  const compare = (a: unknown, b: unknown, segs: string[], names: string[]): void => {
    if (a === b || (a !== undefined && b !== undefined && jsonEqual(a, b))) return;
    if (isNonEmptyMap(a) && isNonEmptyMap(b)) {
      for (const k of Object.keys(b)) compare(a[k], b[k], [...segs, `f:${k}`], [...names, k]);
      for (const k of Object.keys(a))
        if (!Object.hasOwn(b, k)) compare(a[k], undefined, [...segs, `f:${k}`], [...names, k]);
      return;
    }
    const oldValues = new Map<string, unknown>();
    const newValues = new Map<string, unknown>();
    const strategy = Array.isArray(a) && Array.isArray(b) ? strategies(names) : undefined;
    const oldItems = strategy?.type === 'merge' ? keyedItems(a, strategy.key) : undefined;
    const newItems = oldItems && strategy?.type === 'merge' ? keyedItems(b, strategy.key) : undefined;
    if (oldItems !== undefined && newItems !== undefined) {
      const path = segs.join(SEP);
      const item = (value: JsonObject, seg: string, out: Map<string, unknown>) => {
        const at = `${path}${SEP}${seg}`;
        out.set(`${at}${SEP}.`, true);
        walkValues(value, at, [...names], strategies, out);
      };
      for (const [seg, next] of newItems) {
        const prev = oldItems.get(seg);
        if (prev !== undefined && jsonEqual(prev, next)) continue;
        if (prev !== undefined) item(prev, seg, oldValues);
        item(next, seg, newValues);
      }
      for (const [seg, prev] of oldItems) if (!newItems.has(seg)) item(prev, seg, oldValues);
    } else {
      if (a !== undefined) walkValues(a, segs.join(SEP), [...names], strategies, oldValues);
      if (b !== undefined) walkValues(b, segs.join(SEP), [...names], strategies, newValues);
    }
    for (const [path, value] of newValues) {
      if (!oldValues.has(path) || !jsonEqual(oldValues.get(path), value)) changed.add(path);
    }
    for (const path of oldValues.keys()) if (!newValues.has(path)) removed.push(path);
  };
  const oldRoots = new Map<string, [unknown, string[], string[]]>();
  if (before !== undefined)
    for (const root of ownedRoots(before, scope)) oldRoots.set(root[1].join(SEP), root);
  for (const [value, segs, names] of ownedRoots(after, scope)) {
    const id = segs.join(SEP);
    compare(oldRoots.get(id)?.[0], value, segs, names);
    oldRoots.delete(id);
  }
  for (const [value, segs, names] of oldRoots.values()) compare(value, undefined, segs, names);
  return { changed, removed };
}

type Node = Map<string, Node>;

function ownedFieldsTrie(object: JsonObject, scope: Scope, strategies: ListStrategyLookup): JsonObject {
  const child = (node: Node, segment: string): Node => {
    let next = node.get(segment);
    if (next === undefined) node.set(segment, (next = new Map()));
    return next;
  };
  const addValue = (node: Node, value: unknown, names: string[]): void => {
    if (isJsonObject(value)) {
      for (const k in value) {
        if (!Object.hasOwn(value, k)) continue;
        names.push(k);
        addValue(child(node, `f:${k}`), value[k], names);
        names.pop();
      }
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
          addValue(child(itemNode, `f:${k}`), item[k], names);
          names.pop();
        }
      }
    } else if (strategy?.type === 'set') {
      for (const v of value) child(node, `v:${JSON.stringify(v)}`);
    }
  };
  const toJson = (node: Node): JsonObject => {
    const out: JsonObject = {};
    for (const segment of [...node.keys()].sort()) out[segment] = toJson(node.get(segment)!);
    return out;
  };
  const root: Node = new Map();
  for (const [value, segs, names] of ownedRoots(object, scope)) {
    let node = root;
    for (const seg of segs) node = child(node, seg);
    addValue(node, value, [...names]);
  }
  return toJson(root);
}

function trieHasPath(trie: JsonObject, path: string): boolean {
  let node: unknown = trie;
  for (const seg of segmentsOf(path)) {
    node = isJsonObject(node) ? getOwn(node, seg) : undefined;
    if (node === undefined) return false;
  }
  if (!isJsonObject(node)) return false;
  for (const _ in node) return false;
  return true;
}

function editTrie(trie: JsonObject, add: Iterable<string>, remove: Iterable<string>): JsonObject {
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

const sameManager = (a: FieldManagerRef, b: FieldManagerRef): boolean =>
  a.manager === b.manager &&
  a.operation === b.operation &&
  a.subresource === b.subresource &&
  (a.operation === 'Apply' || a.apiVersion === b.apiVersion);

function entryOf(header: FieldManagerRef, time: string, fieldsV1: JsonObject): JsonObject[] {
  if (Object.keys(fieldsV1).length === 0) return [];
  return [
    {
      manager: header.manager,
      operation: header.operation,
      apiVersion: header.apiVersion,
      time,
      fieldsType: 'FieldsV1',
      fieldsV1,
      ...(header.subresource === '' ? {} : { subresource: header.subresource }),
    },
  ];
}

function headerOf(e: JsonObject): FieldManagerRef {
  return {
    manager: String(e.manager ?? ''),
    operation: e.operation === 'Apply' ? 'Apply' : 'Update',
    subresource: typeof e.subresource === 'string' ? e.subresource : '',
    apiVersion: String(e.apiVersion ?? ''),
  };
}

function topSegment(path: string): string {
  const end = path.indexOf(SEP);
  return end < 0 ? path : path.slice(0, end);
}

/** The managed fields after a non-apply write by `writer` turning `before` (undefined on create) into `after`. */
export function referenceUpdateManagedFields(
  before: JsonObject | undefined,
  after: JsonObject,
  writer: FieldManagerRef,
  time: string,
  strategies: ListStrategyLookup,
): JsonObject[] {
  const scope: Scope = writer.subresource === 'status' ? 'status' : 'main';
  if (before === undefined)
    return entryOf({ ...writer, operation: 'Update' }, time, ownedFieldsTrie(after, scope, strategies));
  const { changed, removed } = referenceChangedFields(before, after, scope, strategies);
  const raw = getOwn(getOwn(before, 'metadata'), 'managedFields');
  const stored = Array.isArray(raw) ? raw.filter(isJsonObject) : [];
  const tops = new Set<string>([...changed, ...removed].map(topSegment));
  const out: JsonObject[] = [];
  let mineFound = false;
  for (const entry of stored) {
    const header = headerOf(entry);
    const trie = isJsonObject(entry.fieldsV1) ? entry.fieldsV1 : {};
    if (sameManager(header, writer)) {
      mineFound = true;
      let same = true;
      for (const p of changed) if (!trieHasPath(trie, p)) same = false;
      for (const p of removed) if (trieHasPath(trie, p)) same = false;
      if (same) out.push(entry);
      else out.push(...entryOf({ ...writer, operation: 'Update' }, time, editTrie(trie, changed, removed)));
      continue;
    }
    const ownsTop = [...tops].some((top) => Object.hasOwn(trie, top));
    if (!ownsTop || ![...changed, ...removed].some((p) => trieHasPath(trie, p))) {
      out.push(entry);
      continue;
    }
    out.push(...entryOf(header, String(entry.time ?? ''), editTrie(trie, [], [...changed, ...removed])));
  }
  if (!mineFound) out.push(...entryOf({ ...writer, operation: 'Update' }, time, editTrie({}, changed, [])));
  return out;
}

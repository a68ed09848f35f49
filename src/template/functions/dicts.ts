/**
 * Dictionary functions (Sprig v3). `set`, `unset`, `merge` and `mergeOverwrite` mutate and
 * return their first argument, as in Sprig. Keys that could reach `Object.prototype`
 * (`__proto__`, `constructor`, `prototype`) are refused.
 */

import type { PlainObject } from '../../internal/objects.js';
import {
  deepCopyValue,
  type FunctionMap,
  fn,
  isEmpty,
  isMap,
  isNil,
  mapArg,
  own,
  safeSet,
  strArg,
  strval,
  Walk,
} from './args.js';

/**
 * mergo's `Merge` (`overwrite` false: dst wins unless its value is empty) and
 * `MergeWithOverwrite` (`overwrite` true: src wins, nil included). Nested maps merge deeply;
 * values copied from src are deep copies, so dst never aliases src.
 */
export function mergeInto(
  dst: PlainObject,
  src: PlainObject,
  overwrite: boolean,
  walk = new Walk(),
  depth = 0,
): PlainObject {
  walk.visit(depth);
  for (const key of Object.keys(src)) {
    const s = src[key];
    if (isNil(s)) {
      if (overwrite) safeSet(dst, key, null);
      continue;
    }
    const d = own(dst, key);
    if (isMap(s) && isMap(d)) {
      mergeInto(d, s, overwrite, walk, depth + 1);
      continue;
    }
    if (overwrite || !Object.hasOwn(dst, key) || isEmpty(d))
      safeSet(dst, key, deepCopyValue(s, walk, depth + 1));
  }
  return dst;
}

function merge(overwrite: boolean): FunctionMap[string] {
  return fn(1, Infinity, ([dst, ...srcs]) => {
    const target = mapArg(dst, overwrite ? 'mergeOverwrite' : 'merge');
    for (const src of srcs) {
      if (isNil(src)) continue;
      mergeInto(target, mapArg(src, overwrite ? 'mergeOverwrite' : 'merge'), overwrite);
    }
    return target;
  });
}

function dig(args: unknown[]): unknown {
  const dict = args.at(-1);
  const def = args.at(-2);
  const keys = args.slice(0, -2).map(strArg);
  let cur: unknown = dict;
  for (const k of keys) {
    if (!isMap(cur) || !Object.hasOwn(cur, k)) return def;
    cur = cur[k];
  }
  return cur;
}

/** Dictionary functions. */
export function dictFunctions(): FunctionMap {
  const m: FunctionMap = {
    dict: fn(0, Infinity, (args, call) => {
      const out: PlainObject = {};
      for (let i = 0; i < args.length; i += 2) {
        safeSet(out, strval(args[i]), i + 1 < args.length ? args[i + 1] : '');
      }
      for (const k of Object.keys(call.hash ?? {})) safeSet(out, k, call.hash[k]);
      return out;
    }),
    get: fn(2, 2, ([d, k]) => {
      const map = mapArg(d, 'get', true);
      const key = strArg(k);
      return Object.hasOwn(map, key) ? map[key] : '';
    }),
    set: fn(3, 3, ([d, k, v]) => {
      const map = mapArg(d, 'set');
      safeSet(map, strArg(k), v);
      return map;
    }),
    unset: fn(2, 2, ([d, k]) => {
      const map = mapArg(d, 'unset');
      const key = strArg(k);
      if (Object.hasOwn(map, key)) delete map[key];
      return map;
    }),
    hasKey: fn(2, 2, ([d, k]) => Object.hasOwn(mapArg(d, 'hasKey', true), strArg(k))),
    keys: fn(0, Infinity, (dicts) => dicts.flatMap((d) => Object.keys(mapArg(d, 'keys', true))).sort()),
    values: fn(1, 1, ([d]) => {
      const map = mapArg(d, 'values', true);
      return Object.keys(map)
        .sort()
        .map((k) => map[k]);
    }),
    pluck: fn(1, Infinity, ([k, ...dicts]) => {
      const key = strArg(k);
      return dicts
        .map((d) => mapArg(d, 'pluck', true))
        .flatMap((d) => (Object.hasOwn(d, key) ? [d[key]] : []));
    }),
    pick: fn(1, Infinity, ([d, ...keys]) => {
      const map = mapArg(d, 'pick', true);
      const out: PlainObject = {};
      for (const k of keys.map(strArg)) if (Object.hasOwn(map, k)) safeSet(out, k, map[k]);
      return out;
    }),
    omit: fn(1, Infinity, ([d, ...keys]) => {
      const map = mapArg(d, 'omit', true);
      const drop = new Set(keys.map(strArg));
      const out: PlainObject = {};
      for (const k of Object.keys(map)) if (!drop.has(k)) safeSet(out, k, map[k]);
      return out;
    }),
    merge: merge(false),
    mergeOverwrite: merge(true),
    deepCopy: fn(1, 1, ([v]) => deepCopyValue(v)),
    dig: fn(3, Infinity, (args) => dig(args)),
  };
  m.mustMerge = m.merge!;
  m.mustMergeOverwrite = m.mergeOverwrite!;
  m.mustDeepCopy = m.deepCopy!;
  return m;
}

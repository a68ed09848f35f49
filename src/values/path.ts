/**
 * Dotted-path lookups in values (`sub.enabled`, `exports.data`), as Helm's `Values.Table` and
 * `Values.PathValue` read them: own keys only, never the prototype chain.
 */

import { assertSafeKey, isPlainObject, ownProp, type PlainObject } from '../internal/objects.js';

/** The map at a dotted path (`a.b`), or `undefined` when a segment is missing or not a map. */
export function tableAt(values: PlainObject, path: string): PlainObject | undefined {
  let cur: unknown = values;
  for (const key of path.split('.')) {
    if (!isPlainObject(cur)) return undefined;
    cur = ownProp(cur, key);
  }
  return isPlainObject(cur) ? cur : undefined;
}

/**
 * The value at a dotted path when it exists and is not a map (Helm's `PathValue`); `found` is
 * false otherwise. A `null` is found.
 */
export function pathValue(values: PlainObject, path: string): { found: boolean; value: unknown } {
  const keys = path.split('.');
  const last = keys.pop()!;
  const table = keys.length === 0 ? values : tableAt(values, keys.join('.'));
  const value = table ? ownProp(table, last) : undefined;
  if (!table || !Object.hasOwn(table, last) || isPlainObject(value))
    return { found: false, value: undefined };
  return { found: true, value };
}

/** Nests `data` under a dotted path (`a.b` → `{a: {b: data}}`); `.` is the root itself. */
export function pathToMap(path: string, data: PlainObject, where: string): PlainObject {
  if (path === '.') return data;
  let cur = data;
  for (const key of path.split('.').reverse()) {
    assertSafeKey(key, where);
    cur = { [key]: cur };
  }
  return cur;
}

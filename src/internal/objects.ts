/**
 * Plain-data helpers shared by values, templates and charts: safe keys, deep copy, type guards.
 */

import { ValuesError } from './errors.js';

/** A JSON-like map as parsed from YAML or JSON. */
export type PlainObject = Record<string, unknown>;

/** Keys that would reach `Object.prototype` through a naive merge. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Whether `key` may be used as a values key. */
export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN_KEYS.has(key);
}

/** Throws when `key` could pollute prototypes; `where` names the source (file or flag). */
export function assertSafeKey(key: string, where: string): void {
  if (FORBIDDEN_KEYS.has(key)) {
    throw new ValuesError(`${where}: key "${key}" is not allowed`);
  }
}

/** Whether `v` is a plain map (not an array, not null). */
export function isPlainObject(v: unknown): v is PlainObject {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Deep-copies JSON-like data; rejects forbidden keys anywhere in the tree. */
export function deepCopy<T>(v: T, where = 'values'): T {
  if (Array.isArray(v)) return v.map((x) => deepCopy(x, where)) as T;
  if (isPlainObject(v)) {
    const out: PlainObject = {};
    for (const k of Object.keys(v)) {
      assertSafeKey(k, where);
      out[k] = deepCopy(v[k], where);
    }
    return out as T;
  }
  return v;
}

/** Checks a parsed tree for forbidden keys without copying it. */
export function assertSafeTree(v: unknown, where: string, depth = 0): void {
  if (depth > 1000) throw new ValuesError(`${where}: nesting deeper than 1000 levels`);
  if (Array.isArray(v)) {
    for (const x of v) assertSafeTree(x, where, depth + 1);
  } else if (isPlainObject(v)) {
    for (const k of Object.keys(v)) {
      assertSafeKey(k, where);
      assertSafeTree(v[k], where, depth + 1);
    }
  }
}

/** Own-property lookup that never reaches the prototype chain. */
export function ownProp(obj: unknown, key: string): unknown {
  if (obj !== null && typeof obj === 'object' && Object.hasOwn(obj, key)) {
    return (obj as PlainObject)[key];
  }
  return undefined;
}

/** Sorted own keys of a map (Go's map iteration order in templates and YAML output). */
export function sortedKeys(obj: PlainObject): string[] {
  return Object.keys(obj).sort();
}

/** Names the kind of a plain-data value for messages: `null`, `a list`, `a map`, `a string`, … */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (isPlainObject(v)) return 'a map';
  return `a ${typeof v}`;
}

/**
 * Small helpers over JSON data (objects as the API server sees them): type guards, copies,
 * equality and own-property writes that cannot reach `Object.prototype`.
 */

/** A JSON object. */
export type JsonObject = Record<string, unknown>;

/** Whether `v` is a JSON object (not null, not an array). */
export function isJsonObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Sets an own property; a key such as `__proto__` (a valid ConfigMap key) becomes a plain data
 * property instead of changing the prototype.
 */
export function setOwn(target: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** Own-property read that never reaches the prototype chain. */
export function getOwn(target: unknown, key: string): unknown {
  return isJsonObject(target) && Object.hasOwn(target, key) ? target[key] : undefined;
}

/** The object at `key` of `o`, when `o` is an object and that value is one. */
export function objectAt(o: unknown, key: string): JsonObject | undefined {
  const v = isJsonObject(o) ? o[key] : undefined;
  return isJsonObject(v) ? v : undefined;
}

/** The array at `key` of `o` (empty when `o` is not an object or the value is not an array). */
export function listAt(o: unknown, key: string): unknown[] {
  const v = isJsonObject(o) ? o[key] : undefined;
  return Array.isArray(v) ? v : [];
}

/** A deep copy of JSON data. */
export function cloneJson<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  // Loops instead of map/Object.keys: every API write copies objects, and the garbage counts.
  if (Array.isArray(v)) {
    const out: unknown[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = cloneJson(v[i]);
    return out as T;
  }
  const out: JsonObject = {};
  for (const k in v) if (Object.hasOwn(v, k)) setOwn(out, k, cloneJson((v as JsonObject)[k]));
  return out as T;
}

/** Deep equality of JSON data (key order does not matter). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  let keys = 0;
  for (const k in a) {
    if (!Object.hasOwn(a, k)) continue;
    keys++;
    if (!Object.hasOwn(b, k) || !jsonEqual((a as JsonObject)[k], (b as JsonObject)[k])) return false;
  }
  for (const k in b) if (Object.hasOwn(b, k) && --keys < 0) return false;
  return keys === 0;
}

/** The value at a path of field names, or undefined. */
export function getPath(root: unknown, path: readonly string[]): unknown {
  let cur = root;
  for (const k of path) {
    cur = getOwn(cur, k);
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Sets the value at a path of field names, creating objects on the way. */
export function setPath(root: JsonObject, path: readonly string[], value: unknown): void {
  let cur = root;
  for (const k of path.slice(0, -1)) {
    let next = getOwn(cur, k);
    if (!isJsonObject(next)) setOwn(cur, k, (next = {}));
    cur = next as JsonObject;
  }
  setOwn(cur, path[path.length - 1]!, value);
}

/** The `metadata` map of an object, created when absent. */
export function metadataOf(object: JsonObject): JsonObject {
  let meta = getOwn(object, 'metadata');
  if (!isJsonObject(meta)) object.metadata = meta = {};
  return meta as JsonObject;
}

/** A string field of `metadata`, or ''. */
export function metaString(object: unknown, field: string): string {
  const v = getOwn(getOwn(object, 'metadata'), field);
  return typeof v === 'string' ? v : '';
}

/** The string list at `metadata.finalizers` (non-strings dropped). */
export function finalizersOf(object: unknown): string[] {
  const v = getOwn(getOwn(object, 'metadata'), 'finalizers');
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** `metadata.labels` as a string map (non-string values dropped). */
export function labelsOf(object: unknown): Record<string, string> {
  const v = getOwn(getOwn(object, 'metadata'), 'labels');
  const out: Record<string, string> = {};
  if (isJsonObject(v)) {
    for (const [k, x] of Object.entries(v)) if (typeof x === 'string') setOwn(out, k, x);
  }
  return out;
}

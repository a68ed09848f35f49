/**
 * Small helpers to read and fill nested JSON objects whose shape is not trusted yet (defaulting
 * and conversion run on user input; a wrong type is left alone for validation to report).
 */

/** A JSON object. */
export type Obj = Record<string, unknown>;

/** Whether `v` is a JSON object (not null, not an array). */
export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The object at `o[key]`, or undefined when absent or not an object. */
export function child(o: unknown, key: string): Obj | undefined {
  if (!isObj(o)) return undefined;
  const v = o[key];
  return isObj(v) ? v : undefined;
}

/** The object at `o[key]`, created when absent or null; undefined when something else is there. */
export function ensure(o: Obj, key: string): Obj | undefined {
  const v = o[key];
  if (v === undefined || v === null) {
    const created: Obj = {};
    o[key] = created;
    return created;
  }
  return isObj(v) ? v : undefined;
}

/** The objects of the array at `o[key]` (non-objects skipped); empty when absent. */
export function items(o: unknown, key: string): Obj[] {
  if (!isObj(o)) return [];
  const v = o[key];
  return Array.isArray(v) ? v.filter(isObj) : [];
}

/** Sets `o[key] = value` when it is absent or null (Go's zero value: `nil`). */
export function setDefault(o: Obj, key: string, value: unknown): void {
  if (o[key] === undefined || o[key] === null) o[key] = value;
}

/** Sets `o[key] = value` when it is absent, null or `""` (Go's zero value of a string). */
export function setDefaultString(o: Obj, key: string, value: string): void {
  if (o[key] === undefined || o[key] === null || o[key] === '') o[key] = value;
}

/** A deep copy of JSON data. */
export function clone<T>(v: T): T {
  return structuredClone(v);
}

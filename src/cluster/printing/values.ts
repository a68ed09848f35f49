/**
 * Typed reads from plain Kubernetes objects (JSON). Every printer reads objects through these, so a
 * missing or mistyped field reads as Go's zero value (`""`, `0`, empty) instead of throwing, as
 * kubectl's printers see a decoded struct.
 */

import { ownProp } from '../../internal/objects.js';

/** A Kubernetes object as JSON. */
export type KubeObject = Record<string, unknown>;

/** The value at `path` (keys of maps, indexes of arrays), or `undefined`. */
export function get(value: unknown, ...path: readonly (string | number)[]): unknown {
  let cur = value;
  for (const step of path) {
    if (typeof step === 'number') {
      cur = Array.isArray(cur) ? cur[step] : undefined;
    } else {
      cur = Array.isArray(cur) ? undefined : ownProp(cur, step);
    }
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** The string at `path`, or `''`. */
export function str(value: unknown, ...path: readonly (string | number)[]): string {
  const v = get(value, ...path);
  return typeof v === 'string' ? v : '';
}

/** The number at `path`, or `undefined` when absent (a Go pointer field). */
export function optNum(value: unknown, ...path: readonly (string | number)[]): number | undefined {
  const v = get(value, ...path);
  return typeof v === 'number' ? v : undefined;
}

/** The number at `path`, or `0`. */
export function num(value: unknown, ...path: readonly (string | number)[]): number {
  return optNum(value, ...path) ?? 0;
}

/** The boolean at `path`, or `undefined` when absent. */
export function optBool(value: unknown, ...path: readonly (string | number)[]): boolean | undefined {
  const v = get(value, ...path);
  return typeof v === 'boolean' ? v : undefined;
}

/** The array at `path`, or `[]`. */
export function list(value: unknown, ...path: readonly (string | number)[]): readonly unknown[] {
  const v = get(value, ...path);
  return Array.isArray(v) ? v : [];
}

/** Whether `v` is a JSON map. */
export function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The map at `path`, or `undefined`. */
export function optMap(
  value: unknown,
  ...path: readonly (string | number)[]
): Record<string, unknown> | undefined {
  const v = get(value, ...path);
  return isMap(v) ? v : undefined;
}

/** The map at `path`, or `{}`. */
export function map(value: unknown, ...path: readonly (string | number)[]): Record<string, unknown> {
  return optMap(value, ...path) ?? {};
}

/** The string-valued entries of the map at `path` (labels, annotations, selectors). */
export function strMap(value: unknown, ...path: readonly (string | number)[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map(value, ...path))) {
    if (typeof v === 'string') out[k] = v;
  }
  return out;
}

/** Number of entries of the map at `path`. */
export function mapSize(value: unknown, ...path: readonly (string | number)[]): number {
  return Object.keys(map(value, ...path)).length;
}

/** An int-or-string field as Go's `IntOrString.String()` prints it; `undefined` when absent. */
export function intOrString(value: unknown, ...path: readonly (string | number)[]): string | undefined {
  const v = get(value, ...path);
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v;
  return undefined;
}

/** `metadata.name`. */
export function nameOf(obj: unknown): string {
  return str(obj, 'metadata', 'name');
}

/** `metadata.namespace`. */
export function namespaceOf(obj: unknown): string {
  return str(obj, 'metadata', 'namespace');
}

/** The API group of an object's `apiVersion` (`apps/v1` → `apps`, `v1` → ``). */
export function groupOf(obj: unknown): string {
  const apiVersion = str(obj, 'apiVersion');
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

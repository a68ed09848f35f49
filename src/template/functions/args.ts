/**
 * Argument handling shared by every function module: arity checks, Go-style coercion of
 * arguments (string, int, float, list, map parameters), Go truthiness, safe map writes, deep
 * equality and copying, and output-size limits.
 *
 * Numbers: JavaScript has one number type, so a number whose value is an integer plays Go's
 * `int`/`int64`, any other number plays `float64`.
 */

import { isForbiddenKey, isPlainObject, type PlainObject } from '../../internal/objects.js';
import { type CallInfo, type TemplateFunction, TemplateFunctionError } from '../types.js';
import { formatGoValue, typeName } from './format.js';
import { MAX_OUTPUT, Walk } from './limits.js';

export { MAX_DEPTH, MAX_OUTPUT, Walk } from './limits.js';

/** The implementation behind a `TemplateFunction`, called once the arity has been checked. */
export type Impl = (args: unknown[], call: CallInfo) => unknown;

/** A map of template functions built by one theme module. */
export type FunctionMap = Record<string, TemplateFunction>;

/** Throws a chart-caused error. */
export function fail(message: string): never {
  throw new TemplateFunctionError(message);
}

/**
 * Wraps `impl` with Go's arity check (`wrong number of args for NAME: want N got M`).
 * `max` defaults to `min`; pass `Infinity` for variadic functions.
 */
export function fn(min: number, max: number, impl: Impl): TemplateFunction {
  return (args, call) => {
    if (args.length < min || args.length > max) {
      const want = min === max ? `${min}` : `at least ${min}`;
      fail(`wrong number of args for ${call.name}: want ${want} got ${args.length}`);
    }
    return impl(args, call);
  };
}

/** Whether `v` is Go's nil (`null`, or `undefined` for a missing value). */
export function isNil(v: unknown): v is null | undefined {
  return v === null || v === undefined;
}

/** Whether `v` is a map (plain object). */
export function isMap(v: unknown): v is PlainObject {
  return isPlainObject(v);
}

/** Whether `v` is a list. */
export function isList(v: unknown): v is unknown[] {
  return Array.isArray(v);
}

/** Sprig's `empty`: nil, false, 0, "", and empty lists and maps are empty; anything else is not. */
export function isEmpty(v: unknown): boolean {
  if (isNil(v)) return true;
  switch (typeof v) {
    case 'string':
      return v.length === 0;
    case 'number':
      return v === 0;
    case 'bigint':
      return v === 0n;
    case 'boolean':
      return !v;
    default:
      if (Array.isArray(v)) return v.length === 0;
      if (isPlainObject(v)) return Object.keys(v).length === 0;
      return false;
  }
}

/** Go template truthiness (`if`, `and`, `or`, `not`): the opposite of `isEmpty`. */
export function truthy(v: unknown): boolean {
  return !isEmpty(v);
}

/** Whether `v` is an object with its own `toString` (Go's `fmt.Stringer`), e.g. an engine object. */
export function isStringer(v: unknown): v is { toString(): string } {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Date || isPlainObject(v)) {
    return false;
  }
  const f = (v as { toString?: unknown }).toString;
  return typeof f === 'function' && f !== Object.prototype.toString;
}

/** Sprig's `strval`: strings as they are, everything else in Go `%v` form (nil → `<nil>`). */
export function strval(v: unknown): string {
  return typeof v === 'string' ? v : formatGoValue(v);
}

/**
 * Coerces a `string` parameter. Lenient where Go would fail the template: nil becomes `""`,
 * numbers and booleans their `%v` text. Lists and maps are rejected as Go rejects them.
 */
export function strArg(v: unknown): string {
  if (typeof v === 'string') return v;
  if (isNil(v)) return '';
  if (Array.isArray(v) || isPlainObject(v)) {
    fail(`wrong type for value; expected string; got ${typeName(v)}`);
  }
  return formatGoValue(v);
}

/** Coerces an `int` parameter: numbers truncate, numeric strings parse; anything else fails. */
export function intArg(v: unknown): number {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) fail(`wrong type for value; expected int; got ${formatGoValue(v)}`);
    return Math.trunc(v);
  }
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') {
    const n = parseGoInt(v.trim());
    if (n !== undefined) return n;
    const f = parseGoFloat(v.trim());
    if (f !== undefined && Number.isFinite(f)) return Math.trunc(f);
  }
  if (isNil(v)) fail('invalid value; expected int');
  return fail(`wrong type for value; expected int; got ${typeName(v)}`);
}

/** Removes trailing zero decimals (`3.00` → `3`), as spf13/cast does before parsing an int. */
function trimZeroDecimal(s: string): string {
  let foundZero = false;
  for (let i = s.length; i > 0; i--) {
    const c = s[i - 1];
    if (c === '.') {
      if (foundZero) return s.slice(0, i - 1);
    } else if (c === '0') {
      foundZero = true;
    } else {
      return s;
    }
  }
  return s;
}

/**
 * Go's `strconv.ParseInt(s, 0, 64)`: optional sign, `0x`/`0o`/`0b` prefixes, a leading `0`
 * for octal, underscores between digits only with a prefix. `undefined` when invalid or out of range.
 */
export function parseGoInt(s: string): number | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const sign = m[1] === '-' ? -1n : 1n;
  let body = m[2]!;
  if (body.includes('_')) {
    if (!/^0/.test(body) || /__|_$/.test(body)) return undefined;
    body = body.replace(/_/g, '');
  }
  let big: bigint;
  if (/^0[oO]/.test(body)) big = BigInt(`0o${body.slice(2)}`);
  else if (/^0[0-7]+$/.test(body)) big = BigInt(`0o${body.slice(1)}`);
  else big = BigInt(body);
  big *= sign;
  if (big > 9223372036854775807n || big < -9223372036854775808n) return undefined;
  return Number(big);
}

/** Go's `strconv.ParseFloat(s, 64)` for decimal forms, `Inf` and `NaN`; `undefined` when invalid. */
export function parseGoFloat(s: string): number | undefined {
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(s)) return Number.NaN;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return Number(s);
  if (/^[+-]?0[xX]/.test(s)) return parseGoInt(s);
  return undefined;
}

/** spf13/cast `ToInt64`: numbers truncate, strings parse (base prefixes, `3.0`), else 0. */
export function toInt64(v: unknown): number {
  switch (typeof v) {
    case 'number':
      return Number.isFinite(v) ? Math.trunc(v) : 0;
    case 'bigint':
      return Number(v);
    case 'boolean':
      return v ? 1 : 0;
    case 'string':
      return parseGoInt(trimZeroDecimal(v)) ?? 0;
    default:
      return 0;
  }
}

/** spf13/cast `ToFloat64`: numbers as they are, strings parse, booleans 1/0, else 0. */
export function toFloat64(v: unknown): number {
  switch (typeof v) {
    case 'number':
      return v;
    case 'bigint':
      return Number(v);
    case 'boolean':
      return v ? 1 : 0;
    case 'string':
      return parseGoFloat(v) ?? 0;
    default:
      return 0;
  }
}

/** Coerces a list parameter; nil is an empty list (lenient: Go fails). */
export function listArg(v: unknown, what: string): unknown[] {
  if (Array.isArray(v)) return v;
  if (isNil(v)) return [];
  return fail(`${what}: cannot use type ${typeName(v)} as a list`);
}

/** Coerces a map parameter; nil is an empty map when `nilOk`. */
export function mapArg(v: unknown, what: string, nilOk = false): PlainObject {
  if (isPlainObject(v)) return v;
  if (nilOk && isNil(v)) return {};
  return fail(`${what}: wrong type for value; expected map[string]interface {}; got ${typeName(v)}`);
}

/** Throws when `key` would reach `Object.prototype`. */
export function checkKey(key: string): string {
  if (isForbiddenKey(key)) fail(`key "${key}" is not allowed`);
  return key;
}

/** Sets `obj[key]` as an own property, refusing keys that would pollute prototypes. */
export function safeSet(obj: PlainObject, key: string, value: unknown): void {
  obj[checkKey(key)] = value;
}

/** Own-property read (never the prototype chain). */
export function own(obj: PlainObject, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** Throws when a result would exceed `MAX_OUTPUT` characters or elements. */
export function checkSize(size: number, what: string): void {
  if (!(size <= MAX_OUTPUT)) fail(`${what}: result too large (more than ${MAX_OUTPUT} characters or items)`);
}

/** Go's `reflect.DeepEqual` on plain data (nil and undefined are equal). */
export function deepEqual(a: unknown, b: unknown, walk = new Walk(), depth = 0): boolean {
  walk.visit(depth);
  if (isNil(a) || isNil(b)) return isNil(a) && isNil(b);
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i], walk, depth + 1));
  }
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k], walk, depth + 1));
  }
  return a === b;
}

/** Deep copy of plain data (Sprig `deepCopy`); Dates and other leaves are shared. */
export function deepCopyValue(v: unknown, walk = new Walk(), depth = 0): unknown {
  walk.visit(depth);
  if (Array.isArray(v)) return v.map((x) => deepCopyValue(x, walk, depth + 1));
  if (isPlainObject(v)) {
    const out: PlainObject = {};
    for (const k of Object.keys(v)) safeSet(out, k, deepCopyValue(v[k], walk, depth + 1));
    return out;
  }
  return v;
}

/** Splits a string into code points (Go iterates runes). */
export function runes(s: string): string[] {
  return Array.from(s);
}

/**
 * Comparison, logic, defaults and reflection: Go's template built-ins (`eq ne lt le gt ge and
 * or not len index`) with Go's semantics, and Sprig's `default empty coalesce ternary all any
 * kindOf kindIs typeOf typeIs typeIsLike deepEqual`.
 *
 * Numbers: integers and non-integers compare with each other (Go would refuse `int` vs
 * `float64`); `kindIs`/`typeIs` accept any integer kind for an integer and `float64`/`float32`
 * for any number, because Helm reads values-file numbers as `float64`.
 */

import { deepEqual, type FunctionMap, fail, fn, isEmpty, isList, isMap, isNil, truthy } from './args.js';
import { isGoInt, kindName, typeName } from './format.js';

type Basic = 'nil' | 'bool' | 'number' | 'string' | 'time' | 'other';

function basic(v: unknown): Basic {
  if (isNil(v)) return 'nil';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'number':
    case 'bigint':
      return 'number';
    case 'string':
      return 'string';
    default:
      return v instanceof Date ? 'time' : 'other';
  }
}

/** Go's `eq arg1 arg2...`: true when `arg1` equals any of the others. */
export function goEq(a: unknown, others: unknown[]): boolean {
  if (others.length === 0) fail('missing argument for comparison');
  const ka = basic(a);
  for (const b of others) {
    const kb = basic(b);
    if (ka !== kb) {
      if (ka === 'nil' || kb === 'nil') continue;
      fail('incompatible types for comparison');
    }
    switch (ka) {
      case 'nil':
        return true;
      case 'time':
        if ((a as Date).getTime() === (b as Date).getTime()) return true;
        break;
      case 'other':
        fail(`non-comparable types ${typeName(a)} and ${typeName(b)}`);
        break;
      default:
        // biome-ignore lint/suspicious/noDoubleEquals: number vs bigint must compare by value
        if (a == b) return true;
    }
  }
  return false;
}

/** Go's `lt`: numbers or strings of the same kind. */
export function goLt(a: unknown, b: unknown): boolean {
  const ka = basic(a);
  const kb = basic(b);
  if (ka === 'nil' || kb === 'nil' || ka === 'other' || kb === 'other') fail('invalid type for comparison');
  if (ka !== kb) fail('incompatible types for comparison');
  if (ka === 'bool') fail('invalid type for comparison');
  if (ka === 'time') return (a as Date).getTime() < (b as Date).getTime();
  return (a as number | string) < (b as number | string);
}

function goLen(v: unknown): number {
  if (typeof v === 'string') return Buffer.byteLength(v, 'utf8');
  if (isList(v)) return v.length;
  if (isMap(v)) return Object.keys(v).length;
  if (isNil(v)) fail('len of nil pointer');
  return fail(`len of type ${typeName(v)}`);
}

function goIndex(item: unknown, indices: unknown[]): unknown {
  if (isNil(item)) fail('index of untyped nil');
  let cur: unknown = item;
  for (const idx of indices) {
    if (isNil(cur)) fail('index of nil pointer');
    if (isList(cur) || typeof cur === 'string') {
      if (typeof idx !== 'number' || !Number.isInteger(idx)) {
        fail(`cannot index slice/array with type ${typeName(idx)}`);
      }
      const bytes = typeof cur === 'string' ? Buffer.from(cur, 'utf8') : undefined;
      const len = bytes ? bytes.length : (cur as unknown[]).length;
      if (idx < 0 || idx >= len) fail(`index out of range: ${idx}`);
      cur = bytes ? bytes[idx] : (cur as unknown[])[idx];
    } else if (isMap(cur)) {
      if (!isNil(idx) && typeof idx !== 'string') fail(`value has type ${typeName(idx)}; should be string`);
      const key = idx ?? '';
      cur = Object.hasOwn(cur, key) ? cur[key] : null;
    } else {
      fail(`can't index item of type ${typeName(cur)}`);
    }
  }
  return cur;
}

const INT_KINDS = new Set([
  'int',
  'int8',
  'int16',
  'int32',
  'int64',
  'uint',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
]);
const FLOAT_KINDS = new Set(['float64', 'float32']);

function numberIs(name: string, v: unknown): boolean {
  if (typeof v !== 'number') return false;
  return FLOAT_KINDS.has(name) || (isGoInt(v) && INT_KINDS.has(name));
}

/** Go's `and` (`stopOn` false) and `or` (true): the first operand whose truth is `stopOn`, else the last. */
function deciding(args: unknown[], stopOn: boolean): unknown {
  const i = args.findIndex((a) => truthy(a) === stopOn);
  return i < 0 ? args.at(-1) : args[i];
}

/** Comparison, logic, default and reflection functions. */
export function logicFunctions(): FunctionMap {
  return {
    eq: fn(1, Infinity, ([a, ...rest]) => goEq(a, rest)),
    ne: fn(2, 2, ([a, b]) => !goEq(a, [b])),
    lt: fn(2, 2, ([a, b]) => goLt(a, b)),
    le: fn(2, 2, ([a, b]) => goLt(a, b) || goEq(a, [b])),
    gt: fn(2, 2, ([a, b]) => !(goLt(a, b) || goEq(a, [b]))),
    ge: fn(2, 2, ([a, b]) => !goLt(a, b)),
    and: fn(1, Infinity, (args) => deciding(args, false)),
    or: fn(1, Infinity, (args) => deciding(args, true)),
    not: fn(1, 1, ([a]) => !truthy(a)),
    default: fn(1, Infinity, (args) => (args.length === 1 || isEmpty(args[1]) ? args[0] : args[1])),
    empty: fn(1, 1, ([v]) => isEmpty(v)),
    coalesce: fn(0, Infinity, (args) => args.find((a) => !isEmpty(a)) ?? null),
    all: fn(0, Infinity, (args) => args.every((a) => !isEmpty(a))),
    any: fn(0, Infinity, (args) => args.some((a) => !isEmpty(a))),
    ternary: fn(3, 3, ([vt, vf, cond]) => (truthy(cond) ? vt : vf)),
    len: fn(1, 1, ([v]) => goLen(v)),
    index: fn(1, Infinity, ([item, ...idx]) => goIndex(item, idx)),
    kindOf: fn(1, 1, ([v]) => kindName(v)),
    kindIs: fn(2, 2, ([k, v]) => kindName(v) === k || numberIs(String(k), v)),
    typeOf: fn(1, 1, ([v]) => typeName(v)),
    typeIs: fn(2, 2, ([t, v]) => typeName(v) === t || numberIs(String(t), v)),
    typeIsLike: fn(2, 2, ([t, v]) => typeName(v) === t || typeName(v) === `*${t}` || numberIs(String(t), v)),
    deepEqual: fn(2, 2, ([a, b]) => deepEqual(a, b)),
  };
}

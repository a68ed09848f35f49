/**
 * Type conversion (Sprig v3 / spf13/cast semantics): `int`, `int64` and `float64` never fail
 * (unparseable input gives 0), `int` of a float truncates, `toString` prints Go's `%v`.
 */

import { type FunctionMap, fn, parseGoInt, strArg, strval, toFloat64, toInt64 } from './args.js';
import { strslice } from './strings.js';

/** Go `strconv.Atoi`: base-10 digits with an optional sign; 0 when invalid. */
function atoi(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) return 0;
  const n = BigInt(s);
  return n <= 9223372036854775807n && n >= -9223372036854775808n ? Number(n) : 0;
}

/** Sprig `toDecimal`: the `%v` text of a value read as an octal number; 0 when invalid. */
function toDecimal(v: unknown): number {
  const s = strval(v);
  if (!/^[+-]?[0-7]+$/.test(s)) return 0;
  return parseGoInt(`${s.replace(/^([+-]?)/, '$10o')}`) ?? 0;
}

/** Conversion functions. */
export function conversionFunctions(): FunctionMap {
  return {
    int: fn(1, 1, ([v]) => toInt64(v)),
    int64: fn(1, 1, ([v]) => toInt64(v)),
    float64: fn(1, 1, ([v]) => toFloat64(v)),
    atoi: fn(1, 1, ([v]) => atoi(strArg(v))),
    toDecimal: fn(1, 1, ([v]) => toDecimal(v)),
    toString: fn(1, 1, ([v]) => strval(v)),
    toStrings: fn(1, 1, ([v]) => strslice(v)),
  };
}

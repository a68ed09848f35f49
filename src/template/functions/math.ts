/**
 * Math (Sprig v3): integer functions (`add sub mul div mod max min add1`) convert every
 * argument with `int64` semantics (floats truncate, strings parse); float functions
 * (`addf subf mulf divf add1f maxf minf floor ceil round`) compute like Sprig, whose `*f`
 * arithmetic runs in decimal (so `addf 0.1 0.2` is `0.3`).
 */

import { type FunctionMap, fail, fn, intArg, toFloat64, toInt64 } from './args.js';

/** A decimal `m × 10^e`. */
interface Dec {
  m: bigint;
  e: number;
}

function toDec(x: number): Dec {
  if (!Number.isFinite(x)) fail(`cannot use ${x} in decimal arithmetic`);
  if (x === 0) return { m: 0n, e: 0 };
  const [mant, exp] = x.toExponential().split('e');
  const [int, frac = ''] = mant!.split('.');
  return { m: BigInt(int! + frac), e: Number(exp) - frac.length };
}

const pow10 = (n: number): bigint => 10n ** BigInt(n);

function align(a: Dec, b: Dec): [bigint, bigint, number] {
  const e = Math.min(a.e, b.e);
  return [a.m * pow10(a.e - e), b.m * pow10(b.e - e), e];
}

const decAdd = (a: Dec, b: Dec): Dec => {
  const [x, y, e] = align(a, b);
  return { m: x + y, e };
};
const decSub = (a: Dec, b: Dec): Dec => decAdd(a, { m: -b.m, e: b.e });
const decMul = (a: Dec, b: Dec): Dec => ({ m: a.m * b.m, e: a.e + b.e });

/** shopspring/decimal `Div`: quotient rounded half away from zero to 16 decimal places. */
function decDiv(a: Dec, b: Dec): Dec {
  if (b.m === 0n) fail('decimal division by 0');
  const shift = a.e - b.e + 16;
  let num = a.m * (shift > 0 ? pow10(shift) : 1n);
  let den = b.m * (shift < 0 ? pow10(-shift) : 1n);
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const q = num / den;
  const r = num % den;
  const abs = r < 0n ? -r : r;
  const up = abs * 2n >= den;
  return { m: up ? q + (num < 0n ? -1n : 1n) : q, e: -16 };
}

const decNumber = (d: Dec): number => Number(`${d.m}e${d.e}`);

function decimalOp(first: unknown, rest: unknown[], op: (a: Dec, b: Dec) => Dec): number {
  let acc = toDec(toFloat64(first));
  for (const x of rest) acc = op(acc, toDec(toFloat64(x)));
  return decNumber(acc);
}

/** Sprig `round`: rounds to `places` decimals, up when the fraction is at least `roundOn`. */
function round(a: unknown, places: number, roundOn = 0.5): number {
  const pow = 10 ** places;
  const digit = pow * toFloat64(a);
  const frac = digit - Math.trunc(digit);
  return (frac >= roundOn ? Math.ceil(digit) : Math.floor(digit)) / pow;
}

function intDivision(a: unknown, b: unknown, op: (x: number, y: number) => number): number {
  const y = toInt64(b);
  if (y === 0) fail('integer divide by zero');
  const r = op(toInt64(a), y);
  return r === 0 ? 0 : r;
}

/** Math functions. */
export function mathFunctions(): FunctionMap {
  const m: FunctionMap = {
    add: fn(0, Infinity, (args) => args.reduce<number>((s, x) => s + toInt64(x), 0)),
    add1: fn(1, 1, ([x]) => toInt64(x) + 1),
    sub: fn(2, 2, ([a, b]) => toInt64(a) - toInt64(b)),
    mul: fn(1, Infinity, ([a, ...rest]) => rest.reduce<number>((p, x) => p * toInt64(x), toInt64(a))),
    div: fn(2, 2, ([a, b]) => intDivision(a, b, (x, y) => Math.trunc(x / y))),
    mod: fn(2, 2, ([a, b]) => intDivision(a, b, (x, y) => x % y)),
    max: fn(1, Infinity, (args) => Math.max(...args.map(toInt64))),
    min: fn(1, Infinity, (args) => Math.min(...args.map(toInt64))),
    maxf: fn(1, Infinity, (args) => Math.max(...args.map(toFloat64))),
    minf: fn(1, Infinity, (args) => Math.min(...args.map(toFloat64))),
    floor: fn(1, 1, ([x]) => Math.floor(toFloat64(x))),
    ceil: fn(1, 1, ([x]) => Math.ceil(toFloat64(x))),
    round: fn(2, 3, ([a, p, on]) => round(a, intArg(p), on === undefined ? 0.5 : toFloat64(on))),
    addf: fn(0, Infinity, (args) => decimalOp(0, args, decAdd)),
    add1f: fn(1, 1, ([x]) => decimalOp(x, [1], decAdd)),
    subf: fn(1, Infinity, ([a, ...rest]) => decimalOp(a, rest, decSub)),
    mulf: fn(1, Infinity, ([a, ...rest]) => decimalOp(a, rest, decMul)),
    divf: fn(1, Infinity, ([a, ...rest]) => decimalOp(a, rest, decDiv)),
  };
  m.biggest = m.max!;
  return m;
}

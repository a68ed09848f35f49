/**
 * List functions (Sprig v3). Lists are never mutated: every function returns a new list.
 * A nil list is treated as empty (Sprig fails); any other non-list is an error, as in Sprig.
 * The `must*` variants are the same functions (both fail the render on error).
 */

import {
  checkSize,
  deepEqual,
  type FunctionMap,
  fail,
  fn,
  intArg,
  isEmpty,
  isList,
  isNil,
  toInt64,
} from './args.js';
import { kindName } from './format.js';

function listFor(v: unknown, action: string): unknown[] {
  if (isList(v)) return v;
  if (isNil(v)) return [];
  return fail(`Cannot ${action} on type ${kindName(v)}`);
}

/** Elements of `list` without duplicates (deep equality), first occurrence kept. */
export function uniq(list: unknown[]): unknown[] {
  const seen = new Set<string>();
  const objects: unknown[] = [];
  const out: unknown[] = [];
  for (const x of list) {
    if (x !== null && typeof x === 'object') {
      if (objects.some((o) => deepEqual(o, x))) continue;
      objects.push(x);
    } else {
      const key = isNil(x) ? 'nil' : `${typeof x}:${String(x)}`;
      if (seen.has(key)) continue;
      seen.add(key);
    }
    out.push(x);
  }
  return out;
}

/** Sprig `untilStep`: integers from `start` towards `stop` (exclusive) by `step`. */
export function untilStep(start: number, stop: number, step: number): number[] {
  const out: number[] = [];
  if (step === 0 || (stop < start && step > 0) || (stop >= start && step < 0)) return out;
  checkSize(Math.abs((stop - start) / step), 'until');
  if (stop < start) for (let i = start; i > stop; i += step) out.push(i);
  else for (let i = start; i < stop; i += step) out.push(i);
  return out;
}

function seq(params: number[]): string {
  const run = (start: number, end: number, step: number): string => untilStep(start, end, step).join(' ');
  switch (params.length) {
    case 1: {
      const end = params[0]!;
      const inc = end < 1 ? -1 : 1;
      return run(1, end + inc, inc);
    }
    case 2: {
      const [start, end] = params as [number, number];
      const step = end < start ? -1 : 1;
      return run(start, end + step, step);
    }
    case 3: {
      const [start, step, end] = params as [number, number, number];
      if (end < start && step > 0) return '';
      return run(start, end + (end < start ? -1 : 1), step);
    }
    default:
      return '';
  }
}

function slice(v: unknown, indices: unknown[]): unknown {
  const isStr = typeof v === 'string';
  if (!isStr && !isList(v)) {
    if (isNil(v)) return null;
    fail(`list should be type of slice or array but ${kindName(v)}`);
  }
  const len = (v as string | unknown[]).length;
  if (!isStr && len === 0) return null;
  const start = indices.length > 0 ? toInt64(indices[0]) : 0;
  const end = indices.length > 1 ? toInt64(indices[1]) : len;
  if (start < 0 || end < start || end > len)
    fail(`slice bounds out of range [${start}:${end}] with length ${len}`);
  return (v as string | unknown[]).slice(start, end);
}

function chunk(size: number, list: unknown[]): unknown[][] {
  if (size <= 0) fail('chunk: size must be positive');
  const out: unknown[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** List functions. */
export function listFunctions(): FunctionMap {
  const m: FunctionMap = {
    list: fn(0, Infinity, (args) => [...args]),
    tuple: fn(0, Infinity, (args) => [...args]),
    append: fn(2, 2, ([l, v]) => [...listFor(l, 'push'), v]),
    prepend: fn(2, 2, ([l, v]) => [v, ...listFor(l, 'prepend')]),
    concat: fn(0, Infinity, (lists) => {
      const out: unknown[] = [];
      for (const l of lists) {
        if (isNil(l)) continue;
        if (!isList(l)) fail(`Cannot concat type ${kindName(l)} as list`);
        out.push(...l);
      }
      checkSize(out.length, 'concat');
      return out;
    }),
    first: fn(1, 1, ([l]) => listFor(l, 'find first')[0] ?? null),
    last: fn(1, 1, ([l]) => listFor(l, 'find last').at(-1) ?? null),
    rest: fn(1, 1, ([l]) => {
      const list = listFor(l, 'find rest');
      return list.length === 0 ? null : list.slice(1);
    }),
    initial: fn(1, 1, ([l]) => {
      const list = listFor(l, 'find initial');
      return list.length === 0 ? null : list.slice(0, -1);
    }),
    uniq: fn(1, 1, ([l]) => uniq(listFor(l, 'find uniq'))),
    has: fn(2, 2, ([needle, l]) => {
      if (isNil(l)) return false;
      return listFor(l, 'find has').some((x) => deepEqual(x, needle));
    }),
    without: fn(1, Infinity, ([l, ...omit]) =>
      listFor(l, 'find without').filter((x) => !omit.some((o) => deepEqual(o, x))),
    ),
    compact: fn(1, 1, ([l]) => listFor(l, 'compact').filter((x) => !isEmpty(x))),
    reverse: fn(1, 1, ([l]) => [...listFor(l, 'find reverse')].reverse()),
    slice: fn(1, Infinity, ([l, ...idx]) => slice(l, idx)),
    chunk: fn(2, 2, ([n, l]) => chunk(intArg(n), listFor(l, 'chunk'))),
    until: fn(1, 1, ([n]) => {
      const count = intArg(n);
      return untilStep(0, count, count < 0 ? -1 : 1);
    }),
    untilStep: fn(3, 3, ([a, b, s]) => untilStep(intArg(a), intArg(b), intArg(s))),
    seq: fn(0, Infinity, (args) => seq(args.map(intArg))),
  };
  m.push = m.append!;
  const mustNames = ['append', 'push', 'prepend', 'first', 'last', 'rest', 'initial', 'uniq', 'has'];
  for (const name of [...mustNames, 'without', 'compact', 'reverse', 'slice', 'chunk']) {
    m[`must${name[0]!.toUpperCase()}${name.slice(1)}`] = m[name]!;
  }
  return m;
}

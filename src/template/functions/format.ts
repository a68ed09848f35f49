/**
 * Go value printing for the function library: `%v` formatting (`formatGoValue`), Go type and
 * kind names, `strconv.Quote`, and exact float formatting (`%e %f %g` with Go's rounding).
 *
 * NOTE for the lead: the engine is to export its own Go-style printer from
 * `src/template/engine/go-format.ts`; `formatGoValue` here is the same idea and the two should
 * be unified once it lands.
 */

import { isPlainObject } from '../../internal/objects.js';
import { TemplateFunctionError } from '../types.js';
import { formatGoTime, GO_TIME_STRING_LAYOUT } from './go-time.js';
import { MAX_OUTPUT, Walk } from './limits.js';

/** Go type name of a value as `%T` and `typeOf` print it. */
export function typeName(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return isGoInt(v) ? 'int' : 'float64';
    case 'bigint':
      return 'int64';
    default:
      if (Array.isArray(v)) return '[]interface {}';
      if (v instanceof Date) return 'time.Time';
      if (v instanceof Uint8Array) return '[]uint8';
      if (isPlainObject(v)) return 'map[string]interface {}';
      if (typeof v === 'function') return 'func';
      return 'struct';
  }
}

/** Go `reflect.Kind` name of a value as `kindOf` prints it (`invalid` for nil). */
export function kindName(v: unknown): string {
  if (v === null || v === undefined) return 'invalid';
  if (Array.isArray(v) || v instanceof Uint8Array) return 'slice';
  if (isPlainObject(v)) return 'map';
  if (typeof v === 'object') return 'struct';
  return typeName(v);
}

/** Go `%v` text of a value: `[a b]`, `map[a:1 b:2]` (sorted keys), `<nil>`, integers without exponent. */
export function formatGoValue(v: unknown, walk = new Walk(), depth = 0): string {
  walk.visit(depth);
  if (v === null || v === undefined) return '<nil>';
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return formatGoNumber(v);
    case 'boolean':
    case 'bigint':
      return String(v);
    case 'function':
      return '<func>';
    default:
      break;
  }
  if (Array.isArray(v)) return bounded(`[${v.map((x) => formatGoValue(x, walk, depth + 1)).join(' ')}]`);
  if (v instanceof Date) return formatGoTime(v, GO_TIME_STRING_LAYOUT);
  if (v instanceof Uint8Array) return `[${Array.from(v).join(' ')}]`;
  if (isPlainObject(v)) {
    const parts = Object.keys(v)
      .sort()
      .map((k) => `${k}:${formatGoValue(v[k], walk, depth + 1)}`);
    return bounded(`map[${parts.join(' ')}]`);
  }
  const s = (v as { toString?: unknown }).toString;
  if (typeof s === 'function' && s !== Object.prototype.toString) return String(v);
  return '{}';
}

function bounded(s: string): string {
  if (s.length > MAX_OUTPUT)
    throw new TemplateFunctionError(`value too large to print (more than ${MAX_OUTPUT} characters)`);
  return s;
}

/** Whether a number plays Go's `int`: an integer within int64 range (other numbers are float64). */
export function isGoInt(n: number): boolean {
  return Number.isInteger(n) && Math.abs(n) < 2 ** 63;
}

/** A number as Go prints it: integers in full, other values as float64 `%v` (`1.5`, `1e-07`). */
export function formatGoNumber(n: number): string {
  if (isGoInt(n)) return Math.abs(n) < 1e21 ? String(n === 0 ? 0 : n) : BigInt(n).toString();
  return formatFloat(n, 'g', -1);
}

/** Decimal digits (no leading or trailing zeros) and decimal-point position of a number. */
interface Digits {
  d: string;
  dp: number;
}

/** The exact decimal expansion of a finite, non-negative double. */
function exactDigits(x: number): Digits {
  if (x === 0) return { d: '', dp: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (biased === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = biased - 1075;
  }
  let s: string;
  let dp: number;
  if (exp >= 0) {
    s = (mant << BigInt(exp)).toString();
    dp = s.length;
  } else {
    s = (mant * 5n ** BigInt(-exp)).toString();
    dp = s.length + exp;
  }
  return trimDigits({ d: s, dp });
}

function trimDigits(x: Digits): Digits {
  let d = x.d;
  let dp = x.dp;
  let i = 0;
  while (i < d.length && d[i] === '0') i++;
  d = d.slice(i);
  dp -= i;
  d = d.replace(/0+$/, '');
  return d === '' ? { d: '', dp: 0 } : { d, dp };
}

/** Shortest round-trip digits (what JavaScript and Go's shortest formatting agree on). */
function shortestDigits(x: number): Digits {
  if (x === 0) return { d: '', dp: 0 };
  const [mant, e] = x.toExponential().split('e');
  return trimDigits({ d: mant!.replace('.', ''), dp: Number(e) + 1 });
}

/** Rounds exact digits to `nd` significant digits, half to even (Go's `decimal.Round`). */
function roundDigits(x: Digits, nd: number): Digits {
  if (nd < 0) return { d: '', dp: 0 };
  if (nd >= x.d.length) return x;
  const next = x.d.charCodeAt(nd) - 48;
  let up = next > 5;
  if (next === 5) up = nd + 1 < x.d.length || (nd > 0 && (x.d.charCodeAt(nd - 1) - 48) % 2 === 1);
  if (!up) return trimDigits({ d: x.d.slice(0, nd), dp: x.dp });
  const chars = x.d.slice(0, nd).split('');
  let i = nd - 1;
  while (i >= 0 && chars[i] === '9') {
    chars[i] = '0';
    i--;
  }
  if (i < 0) return { d: '1', dp: x.dp + 1 };
  chars[i] = String.fromCharCode(chars[i]!.charCodeAt(0) + 1);
  return trimDigits({ d: chars.join(''), dp: x.dp });
}

function fmtE(x: Digits, prec: number, e: string): string {
  let out = x.d[0] ?? '0';
  if (prec > 0) out += `.${x.d.slice(1, prec + 1).padEnd(prec, '0')}`;
  const exp = x.d === '' ? 0 : x.dp - 1;
  const abs = Math.abs(exp);
  return `${out}${e}${exp < 0 ? '-' : '+'}${abs < 10 ? `0${abs}` : abs}`;
}

function fmtF(x: Digits, prec: number): string {
  let out = x.dp > 0 ? x.d.slice(0, x.dp).padEnd(x.dp, '0') : '0';
  if (prec > 0) {
    const lead = Math.min(Math.max(-x.dp, 0), prec);
    const from = Math.max(x.dp, 0);
    out += `.${('0'.repeat(lead) + x.d.slice(from, from + prec - lead)).padEnd(prec, '0')}`;
  }
  return out;
}

/** Go `strconv.FormatFloat(x, verb, prec, 64)` for verbs e E f F g G; `prec` -1 is shortest. */
export function formatFloat(x: number, verb: string, prec: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  const neg = x < 0 || Object.is(x, -0) ? '-' : '';
  const abs = Math.abs(x);
  const shortest = prec < 0;
  const lower = verb.toLowerCase();
  let digs: Digits;
  if (shortest) digs = shortestDigits(abs);
  else if (lower === 'e') digs = roundDigits(exactDigits(abs), prec + 1);
  else if (lower === 'f') digs = roundDigits(exactDigits(abs), exactDigits(abs).dp + prec);
  else digs = roundDigits(exactDigits(abs), prec === 0 ? 1 : prec);
  const eChar = verb === 'E' || verb === 'G' ? 'E' : 'e';
  if (lower === 'e') return neg + fmtE(digs, shortest ? Math.max(digs.d.length - 1, 0) : prec, eChar);
  if (lower === 'f') return neg + fmtF(digs, shortest ? Math.max(digs.d.length - digs.dp, 0) : prec);
  let p = shortest ? digs.d.length : prec === 0 ? 1 : prec;
  let eprec = p;
  if (eprec > digs.d.length && digs.d.length >= digs.dp) eprec = digs.d.length;
  if (shortest) eprec = 6;
  const exp = digs.dp - 1;
  if (digs.d !== '' && (exp < -4 || exp >= eprec)) {
    if (p > digs.d.length) p = digs.d.length;
    return neg + fmtE(digs, Math.max(p - 1, 0), eChar);
  }
  if (p > digs.dp) p = digs.d.length;
  return neg + fmtF(digs, Math.max(p - digs.dp, 0));
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const NAMED_ESCAPES: Record<number, string> = {
  7: '\\a',
  8: '\\b',
  9: '\\t',
  10: '\\n',
  11: '\\v',
  12: '\\f',
  13: '\\r',
};

/** Go `strconv.Quote`: double-quoted with Go escapes; printable Unicode kept as is. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c < 0x80 ? c >= 0x20 && c < 0x7f : PRINTABLE.test(ch)) out += ch;
    else if (NAMED_ESCAPES[c] !== undefined) out += NAMED_ESCAPES[c];
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd';
    else if (c < 0x10000) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += `\\U${c.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

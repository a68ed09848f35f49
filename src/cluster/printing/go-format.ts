/**
 * Go's formatting of decoded JSON values, as kubectl's printers produce it: `encoding/json`
 * (map keys sorted, `<`, `>`, `&`, U+2028 and U+2029 escaped), `fmt.Sprint` (`%v`: `map[k:v]`,
 * `[a b]`, floats as `strconv.FormatFloat(f, 'g', -1, 64)`) and `%#v` (error messages).
 *
 * JSON numbers that are integers decode as Go's int64 and print as integers; others are float64.
 */

import { isMap } from './values.js';

/** Recursively copies `value` with map keys in Go's (byte) order. */
function sortedDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedDeep);
  if (isMap(value)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = sortedDeep(value[k]);
    return out;
  }
  return value;
}

const HTML_ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * `json.Marshal` (compact) or `json.MarshalIndent(v, "", indent)` of decoded JSON. Undefined
 * values are dropped from maps, as they never occur in decoded JSON.
 */
export function goJson(value: unknown, indent?: string): string {
  const text = JSON.stringify(sortedDeep(value), null, indent) ?? 'null';
  // Outside strings JSON never contains these characters, so a global replace only touches strings.
  return text.replace(/[<>&\u2028\u2029]/g, (c) => HTML_ESCAPES[c]!);
}

/** Whether a decoded JSON number is Go's int64 (an integer) rather than float64. */
export function isGoInt(n: number): boolean {
  return Number.isInteger(n) && Math.abs(n) < 2 ** 63;
}

/** `strconv.FormatFloat(f, 'g', -1, 64)`: shortest digits; exponent form below 1e-4 and from 1e6. */
export function goFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mantissa, expText] = f.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    const abs = Math.abs(exp);
    return `${mantissa}e${sign}${abs < 10 ? `0${abs}` : abs}`;
  }
  // Plain notation with exactly the shortest digits.
  const negative = f < 0;
  const digits = mantissa.replace('-', '').replace('.', '');
  const point = exp + 1;
  let text: string;
  if (point <= 0) text = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) text = digits + '0'.repeat(point - digits.length);
  else text = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${text}` : text;
}

/** A decoded JSON number as Go prints it with `%v`. */
export function goNumber(n: number): string {
  return isGoInt(n) ? String(n) : goFloat(n);
}

/** `fmt.Sprint` of a decoded JSON value (`%v`). */
export function goSprint(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return goNumber(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(goSprint).join(' ')}]`;
  if (isMap(value)) {
    return `map[${Object.keys(value)
      .sort()
      .map((k) => `${k}:${goSprint(value[k])}`)
      .join(' ')}]`;
  }
  return String(value);
}

/** `strconv.Quote` for printable text (what `%#v` and `%q` print for strings). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** `fmt.Sprintf("%#v")` of a decoded JSON value (`map[string]interface {}{"k":"v"}`). */
export function goSharpV(value: unknown, top = true): string {
  if (value === null || value === undefined) return 'interface {}(nil)';
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number') return goNumber(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[]interface {}{${value.map((v) => goSharpV(v, false)).join(', ')}}`;
  if (isMap(value)) {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${goQuote(k)}:${goSharpV(value[k], false)}`);
    return `map[string]interface {}{${entries.join(', ')}}`;
  }
  return top ? String(value) : goQuote(String(value));
}

/** Go's name of a decoded JSON value's type, as errors name it (`map[string]interface {}`, `string`). */
export function goTypeName(value: unknown): string {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return isGoInt(value) ? 'int64' : 'float64';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return '[]interface {}';
  if (isMap(value)) return 'map[string]interface {}';
  return 'interface {}';
}

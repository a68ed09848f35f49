/**
 * Go `fmt.Sprintf`, `fmt.Sprint` and `fmt.Sprintln` over template values, including Go's
 * error notation for bad verbs (`%!d(string=x)`), missing (`%!d(MISSING)`) and extra
 * (`%!(EXTRA int=1)`) arguments.
 */

import { isPlainObject } from '../../internal/objects.js';
import { checkSize, Walk } from './args.js';
import { formatFloat, formatGoNumber, formatGoValue, goQuote, isGoInt, typeName } from './format.js';

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width: number | undefined;
  prec: number | undefined;
  verb: string;
}

function badVerb(verb: string, v: unknown): string {
  if (v === null || v === undefined) return `%!${verb}(<nil>)`;
  return `%!${verb}(${typeName(v)}=${formatGoValue(v)})`;
}

function padTo(s: string, spec: Spec, numeric: boolean): string {
  const width = spec.width ?? 0;
  // No width, or surely as wide (a code point is at most two UTF-16 units): no padding.
  if (width === 0 || s.length >= 2 * width) return s;
  const len = Array.from(s).length;
  if (len >= width) return s;
  checkSize(width, 'printf');
  const fill = width - len;
  if (spec.minus) return s + ' '.repeat(fill);
  if (spec.zero && numeric) {
    const sign = /^[+\- ]/.test(s) ? s[0]! : '';
    return sign + '0'.repeat(fill) + s.slice(sign.length);
  }
  return ' '.repeat(fill) + s;
}

function signed(s: string, neg: boolean, spec: Spec): string {
  if (neg) return `-${s}`;
  if (spec.plus) return `+${s}`;
  if (spec.space) return ` ${s}`;
  return s;
}

function formatInteger(n: number, spec: Spec): string {
  const big = BigInt(Math.trunc(n));
  const neg = big < 0n;
  const abs = neg ? -big : big;
  let body: string;
  switch (spec.verb) {
    case 'd':
    case 'v':
      body = abs.toString();
      break;
    case 'b':
      body = abs.toString(2);
      break;
    case 'o':
    case 'O':
      body = abs.toString(8);
      if (spec.verb === 'O') body = `0o${body}`;
      else if (spec.sharp) body = `0${body}`;
      break;
    case 'x':
    case 'X':
      body = abs.toString(16);
      if (spec.verb === 'X') body = body.toUpperCase();
      if (spec.sharp) body = (spec.verb === 'X' ? '0X' : '0x') + body;
      break;
    case 'c':
      return padTo(String.fromCodePoint(Number(abs)), spec, false);
    case 'q':
      return padTo(`'${String.fromCodePoint(Number(abs))}'`, spec, false);
    case 'U':
      body = `U+${abs.toString(16).toUpperCase().padStart(4, '0')}`;
      break;
    default:
      return badVerb(spec.verb, n);
  }
  if (spec.prec !== undefined) body = body.padStart(spec.prec, '0');
  return padTo(signed(body, neg, spec), spec, spec.prec === undefined);
}

function formatNumber(n: number, spec: Spec): string {
  const v = spec.verb;
  if ('eEfFgG'.includes(v) || (v === 'v' && !isGoInt(n))) {
    const verb = v === 'v' ? 'g' : v === 'F' ? 'f' : v;
    const s = formatFloat(n, verb, spec.prec ?? ('eEfF'.includes(verb) ? 6 : -1));
    const neg = s.startsWith('-');
    return padTo(signed(neg ? s.slice(1) : s, neg, spec), spec, Number.isFinite(n));
  }
  if (isGoInt(n)) return formatInteger(n, spec);
  return badVerb(v, n);
}

function formatString(s: string, spec: Spec): string {
  const limit = (t: string): string =>
    spec.prec === undefined ? t : Array.from(t).slice(0, spec.prec).join('');
  switch (spec.verb) {
    case 's':
    case 'v':
      return padTo(limit(s), spec, false);
    case 'q':
      if (spec.sharp && !/[`\r\n]/.test(s) && !/[^\t\x20-\x7e\u00a0-\uffff]/.test(s)) {
        return padTo(`\`${limit(s)}\``, spec, false);
      }
      return padTo(goQuote(limit(s)), spec, false);
    case 'x':
    case 'X': {
      const bytes = Array.from(Buffer.from(s, 'utf8')).slice(0, spec.prec ?? Number.MAX_SAFE_INTEGER);
      let hex = bytes.map((b) => b.toString(16).padStart(2, '0'));
      if (spec.sharp) hex = hex.map((h, i) => (spec.space || i === 0 ? `0x${h}` : h));
      let out = hex.join(spec.space ? ' ' : '');
      if (spec.verb === 'X') out = out.toUpperCase();
      return padTo(out, spec, false);
    }
    default:
      return badVerb(spec.verb, s);
  }
}

/** Formats one operand with one verb, recursing into lists and maps as Go's `fmt` does. */
function formatArg(v: unknown, spec: Spec, walk: Walk, depth = 0): string {
  walk.visit(depth);
  if (v === null || v === undefined) {
    return spec.verb === 'v' ? padTo('<nil>', spec, false) : badVerb(spec.verb, v);
  }
  if (Array.isArray(v)) return `[${v.map((x) => formatArg(x, spec, walk, depth + 1)).join(' ')}]`;
  if (isPlainObject(v)) {
    const parts = Object.keys(v)
      .sort()
      .map((k) => `${formatArg(k, spec, walk, depth + 1)}:${formatArg(v[k], spec, walk, depth + 1)}`);
    return `map[${parts.join(' ')}]`;
  }
  switch (typeof v) {
    case 'string':
      return formatString(v, spec);
    case 'number':
      return formatNumber(v, spec);
    case 'bigint':
      return formatInteger(Number(v), spec);
    case 'boolean':
      return spec.verb === 't' || spec.verb === 'v' ? padTo(String(v), spec, false) : badVerb(spec.verb, v);
    default:
      if (spec.verb === 'v' || spec.verb === 's') return padTo(formatGoValue(v), spec, false);
      return badVerb(spec.verb, v);
  }
}

/** `%#v`: Go syntax for plain data. */
function goSyntax(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number') return formatGoNumber(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map(goSyntax).join(', ')}}`;
  if (isPlainObject(v)) {
    const parts = Object.keys(v)
      .sort()
      .map((k) => `${goQuote(k)}:${goSyntax(v[k])}`);
    return `map[string]interface {}{${parts.join(', ')}}`;
  }
  return formatGoValue(v);
}

/** Go `fmt.Sprintf(format, args...)`. */
export function sprintf(format: string, args: unknown[]): string {
  let out = '';
  let argi = 0;
  let reordered = false;
  let i = 0;
  const readNum = (): number | undefined => {
    const c = format.charCodeAt(i);
    if (!(c >= 48 && c <= 57)) return undefined;
    const m = /^\d+/.exec(format.slice(i))!;
    i += m[0].length;
    return Math.min(Number(m[0]), 1e9);
  };
  while (i < format.length) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const spec: Spec = {
      minus: false,
      plus: false,
      sharp: false,
      space: false,
      zero: false,
      width: undefined,
      prec: undefined,
      verb: '',
    };
    for (; i < format.length; i++) {
      const c = format[i];
      if (c === '-') spec.minus = true;
      else if (c === '+') spec.plus = true;
      else if (c === '#') spec.sharp = true;
      else if (c === ' ') spec.space = true;
      else if (c === '0') spec.zero = !spec.minus;
      else break;
    }
    const argIndex = (): void => {
      if (format.charCodeAt(i) !== 91) return;
      const m = /^\[(\d+)\]/.exec(format.slice(i));
      if (m) {
        argi = Number(m[1]) - 1;
        reordered = true;
        i += m[0].length;
      }
    };
    argIndex();
    if (format[i] === '*') {
      i++;
      const w = args[argi++];
      if (typeof w === 'number' && Number.isInteger(w)) {
        spec.width = Math.abs(w);
        if (w < 0) spec.minus = true;
      } else out += '%!(BADWIDTH)';
    } else spec.width = readNum();
    if (format[i] === '.') {
      i++;
      argIndex();
      if (format[i] === '*') {
        i++;
        const p = args[argi++];
        if (typeof p === 'number' && Number.isInteger(p) && p >= 0) spec.prec = p;
        else out += '%!(BADPREC)';
      } else spec.prec = readNum() ?? 0;
      if (spec.prec !== undefined) checkSize(spec.prec, 'printf');
    }
    argIndex();
    if (i >= format.length) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    spec.verb = verb;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const arg = args[argi++];
    if (verb === 'T') out += padTo(typeName(arg), spec, false);
    else if (verb === 'v' && spec.sharp) out += padTo(goSyntax(arg), spec, false);
    else out += formatArg(arg, spec, new Walk());
    checkSize(out.length, 'printf');
  }
  if (!reordered && argi < args.length) {
    const extra = args
      .slice(argi)
      .map((a) => (a === null || a === undefined ? '<nil>' : `${typeName(a)}=${formatGoValue(a)}`));
    out += `%!(EXTRA ${extra.join(', ')})`;
  }
  return out;
}

/** Go `fmt.Sprint`: operands in `%v` form, a space between two operands when neither is a string. */
export function sprint(args: unknown[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatGoValue(a);
  });
  return out;
}

/** Go `fmt.Sprintln`: operands in `%v` form separated by spaces, then a newline. */
export function sprintln(args: unknown[]): string {
  return `${args.map((a) => formatGoValue(a)).join(' ')}\n`;
}

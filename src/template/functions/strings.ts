/**
 * String functions (Sprig v3 semantics, Sprig argument order: the piped value comes last).
 */

import type { PlainObject } from '../../internal/objects.js';
import {
  checkSize,
  type FunctionMap,
  fail,
  fn,
  intArg,
  isList,
  isNil,
  MAX_OUTPUT,
  runes,
  strArg,
  strval,
} from './args.js';
import { goQuote } from './format.js';
import { sprint, sprintf, sprintln } from './printf.js';

/** Sprig's `strslice`: a list's non-nil elements as strings; a scalar as a one-element list. */
export function strslice(v: unknown): string[] {
  if (isList(v)) return v.filter((x) => !isNil(x)).map(strval);
  if (isNil(v)) return [];
  return [strval(v)];
}

const isSpace = (c: string): boolean => /^\s$/u.test(c);
const isLetter = (c: string): boolean => /^\p{L}$/u.test(c);

/** Go `strings.Title`: upper-cases the first letter of each word (words split by non-letters). */
function title(s: string): string {
  let prev = ' ';
  let out = '';
  for (const c of s) {
    const code = prev.codePointAt(0)!;
    const sep = code < 0x80 ? !/^[A-Za-z0-9_]$/.test(prev) : isSpace(prev);
    out += sep ? c.toUpperCase() : c;
    prev = c;
  }
  return out;
}

function untitle(s: string): string {
  let prevSpace = true;
  let out = '';
  for (const c of s) {
    out += prevSpace && isLetter(c) ? c.toLowerCase() : c;
    prevSpace = isSpace(c);
  }
  return out;
}

/** Splits an identifier into words at separators and case changes (`HTTPServer` → HTTP, Server). */
function words(s: string): string[] {
  return (
    s
      .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2')
      .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2')
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

function trimSet(s: string, cutset: string, left: boolean, right: boolean): string {
  const set = new Set(runes(cutset));
  const r = runes(s);
  let a = 0;
  let b = r.length;
  while (left && a < b && set.has(r[a]!)) a++;
  while (right && b > a && set.has(r[b - 1]!)) b--;
  return r.slice(a, b).join('');
}

function replaceAll(s: string, from: string, to: string): string {
  if (from === '') {
    const parts = runes(s);
    checkSize((parts.length + 1) * to.length + s.length, 'replace');
    return to + parts.map((c) => c + to).join('');
  }
  const parts = s.split(from);
  checkSize(s.length + (parts.length - 1) * (to.length - from.length), 'replace');
  return parts.join(to);
}

function indent(spaces: number, s: string): string {
  if (spaces < 0) fail('indent: negative count');
  // The line count matters only when even one line per character could exceed the limit.
  if (s.length + (s.length + 1) * spaces > MAX_OUTPUT) {
    checkSize(s.length + s.split('\n').length * spaces, 'indent');
  }
  const pad = ' '.repeat(spaces);
  return pad + s.replaceAll('\n', `\n${pad}`);
}

function repeat(count: number, s: string): string {
  if (count < 0) fail('repeat: negative Repeat count');
  checkSize(count * s.length, 'repeat');
  return s.repeat(count);
}

function trunc(c: number, s: string): string {
  // No longer than the limit in UTF-16 units, so in code points too: nothing to cut.
  if (c >= 0 ? s.length <= c : s.length + c <= 0) return s;
  const r = runes(s);
  if (c < 0 && r.length + c > 0) return r.slice(r.length + c).join('');
  if (c >= 0 && r.length > c) return r.slice(0, c).join('');
  return s;
}

function substr(start: number, end: number, s: string): string {
  const r = runes(s);
  const len = r.length;
  const clamp = (n: number): number => Math.min(Math.max(n, 0), len);
  if (start < 0) return r.slice(0, clamp(end)).join('');
  if (end < 0 || end > len) return r.slice(clamp(start)).join('');
  if (start > end) return '';
  return r.slice(clamp(start), clamp(end)).join('');
}

function splitGo(s: string, sep: string, n = -1): string[] {
  if (n === 0) return [];
  if (sep === '') {
    const r = runes(s);
    if (n > 0 && r.length > n) return [...r.slice(0, n - 1), r.slice(n - 1).join('')];
    return r;
  }
  const parts = s.split(sep);
  if (n > 0 && parts.length > n) return [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
  return parts;
}

function indexMap(parts: string[]): PlainObject {
  const out: PlainObject = {};
  parts.forEach((p, i) => {
    out[`_${i}`] = p;
  });
  return out;
}

function abbrev(width: number, s: string): string {
  const r = runes(s);
  if (width < 4 || r.length <= width) return s;
  return `${r.slice(0, width - 3).join('')}...`;
}

function abbrevboth(left: number, right: number, s: string): string {
  const r = runes(s);
  if (right < 4 || (left > 0 && right < 7) || r.length <= right) return s;
  let offset = Math.min(Math.max(left, 0), r.length);
  if (r.length - offset < right - 3) offset = r.length - (right - 3);
  if (offset <= 4) return `${r.slice(0, right - 3).join('')}...`;
  if (offset + right - 3 < r.length) return `...${abbrev(right - 3, r.slice(offset).join(''))}`;
  return `...${r.slice(r.length - (right - 3)).join('')}`;
}

/** Word wrap as goutils `WrapCustom` does it: breaks at spaces, long words are kept whole. */
function wrap(width: number, s: string, newline = '\n'): string {
  const lim = Math.max(width, 1);
  return s
    .split('\n')
    .map((line) => {
      const out: string[] = [];
      let cur = '';
      for (const word of line.split(' ').filter((w) => w !== '')) {
        if (cur === '') cur = word;
        else if (runes(cur).length + 1 + runes(word).length <= lim) cur += ` ${word}`;
        else {
          out.push(cur);
          cur = word;
        }
      }
      out.push(cur);
      return out.join(newline);
    })
    .join('\n');
}

// Arguments by index rather than destructured: destructuring runs the iterator protocol, which
// costs an allocation per element until the code is optimized (and most calls happen before).
const s1 = (f: (s: string) => string) => fn(1, 1, (args) => f(strArg(args[0])));
const s2 = (f: (a: string, b: string) => unknown) => fn(2, 2, (args) => f(strArg(args[0]), strArg(args[1])));

/** String functions. */
export function stringFunctions(): FunctionMap {
  return {
    trim: s1((s) => s.trim()),
    trimAll: s2((cut, s) => trimSet(s, cut, true, true)),
    trimPrefix: s2((p, s) => (s.startsWith(p) ? s.slice(p.length) : s)),
    trimSuffix: s2((p, s) => (p !== '' && s.endsWith(p) ? s.slice(0, s.length - p.length) : s)),
    upper: s1((s) => s.toUpperCase()),
    lower: s1((s) => s.toLowerCase()),
    title: s1(title),
    untitle: s1(untitle),
    swapcase: s1((s) =>
      runes(s)
        .map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()))
        .join(''),
    ),
    initials: s1((s) =>
      s
        .split(/\s+/)
        .filter((w) => w !== '')
        .map((w) => runes(w)[0])
        .join(''),
    ),
    trunc: fn(2, 2, (args) => trunc(intArg(args[0]), strArg(args[1]))),
    abbrev: fn(2, 2, ([w, s]) => abbrev(intArg(w), strArg(s))),
    abbrevboth: fn(3, 3, ([l, r, s]) => abbrevboth(intArg(l), intArg(r), strArg(s))),
    replace: fn(3, 3, (args) => replaceAll(strArg(args[2]), strArg(args[0]), strArg(args[1]))),
    contains: s2((sub, s) => s.includes(sub)),
    hasPrefix: s2((p, s) => s.startsWith(p)),
    hasSuffix: s2((p, s) => s.endsWith(p)),
    quote: fn(0, Infinity, (args) =>
      args
        .filter((a) => !isNil(a))
        .map((a) => goQuote(strval(a)))
        .join(' '),
    ),
    squote: fn(0, Infinity, (args) =>
      args
        .filter((a) => !isNil(a))
        .map((a) => `'${strval(a)}'`)
        .join(' '),
    ),
    cat: fn(0, Infinity, (args) =>
      args
        .filter((a) => !isNil(a))
        .map(strval)
        .join(' '),
    ),
    indent: fn(2, 2, (args) => indent(intArg(args[0]), strArg(args[1]))),
    nindent: fn(2, 2, (args) => `\n${indent(intArg(args[0]), strArg(args[1]))}`),
    printf: fn(1, Infinity, (args) => sprintf(strArg(args[0]), args.slice(1))),
    print: fn(0, Infinity, (args) => sprint(args)),
    println: fn(0, Infinity, (args) => sprintln(args)),
    repeat: fn(2, 2, ([n, s]) => repeat(intArg(n), strArg(s))),
    substr: fn(3, 3, ([a, b, s]) => substr(intArg(a), intArg(b), strArg(s))),
    split: s2((sep, s) => indexMap(splitGo(s, sep))),
    splitn: fn(3, 3, ([sep, n, s]) => indexMap(splitGo(strArg(s), strArg(sep), intArg(n)))),
    splitList: s2((sep, s) => splitGo(s, sep)),
    join: fn(2, 2, ([sep, list]) => strslice(list).join(strArg(sep))),
    sortAlpha: fn(1, 1, ([list]) => (isList(list) ? strslice(list).sort() : [strval(list)])),
    wrap: fn(2, 2, ([w, s]) => wrap(intArg(w), strArg(s))),
    wrapWith: fn(3, 3, ([w, nl, s]) => wrap(intArg(w), strArg(s), strArg(nl))),
    plural: fn(3, 3, ([one, many, n]) => (intArg(n) === 1 ? strArg(one) : strArg(many))),
    nospace: s1((s) => s.replace(/\s+/gu, '')),
    snakecase: s1((s) =>
      words(s)
        .map((w) => w.toLowerCase())
        .join('_'),
    ),
    kebabcase: s1((s) =>
      words(s)
        .map((w) => w.toLowerCase())
        .join('-'),
    ),
    camelcase: s1((s) =>
      s
        .split(/[_\s-]+/)
        .filter((w) => w !== '')
        .map((w) => w[0]!.toUpperCase() + w.slice(1))
        .join(''),
    ),
  };
}

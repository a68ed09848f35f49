/**
 * Encodings and digests (Sprig v3) plus Go's escaping built-ins (`html`, `js`, `urlquery`).
 * Decoders return Go's error text as their result on bad input, as Sprig does.
 * Decoded bytes are read as UTF-8 (invalid sequences become U+FFFD).
 */

import { type FunctionMap, fn, strArg } from './args.js';
import { nodeCrypto } from './node-crypto.js';
import { sprint } from './printf.js';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * Validates padded base-N text as Go's `StdEncoding` does (newlines ignored); returns the offset
 * of the first illegal byte, or -1.
 */
function findIllegal(s: string, alphabet: string, quantum: number, minData: number[]): number {
  const chars: Array<[string, number]> = [];
  for (let i = 0; i < s.length; i++) if (s[i] !== '\r' && s[i] !== '\n') chars.push([s[i]!, i]);
  for (let q = 0; q < chars.length; q += quantum) {
    for (let j = 0; j < quantum; j++) {
      const entry = chars[q + j];
      if (!entry) return chars[q]![1];
      const [c, pos] = entry;
      if (c === '=') {
        if (!minData.includes(j)) return pos;
        for (let k = j; k < quantum; k++) {
          const p = chars[q + k];
          if (!p) return chars.at(-1)![1];
          if (p[0] !== '=') return p[1];
        }
        return q + quantum < chars.length ? chars[q + quantum]![1] : -1;
      }
      if (!alphabet.includes(c)) return pos;
    }
  }
  return -1;
}

function b64dec(s: string): string {
  const bad = findIllegal(s, B64, 4, [2, 3]);
  if (bad >= 0) return `illegal base64 data at input byte ${bad}`;
  return Buffer.from(s.replace(/[\r\n]/g, ''), 'base64').toString('utf8');
}

function b32enc(s: string): string {
  const bytes = Buffer.from(s, 'utf8');
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out.padEnd(Math.ceil(out.length / 8) * 8, '=');
}

function b32dec(s: string): string {
  const bad = findIllegal(s, B32, 8, [2, 4, 5, 7]);
  if (bad >= 0) return `illegal base32 data at input byte ${bad}`;
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const c of s.replace(/[\r\n=]/g, '')) {
    value = (value << 5) | B32.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
    value &= (1 << bits) - 1;
  }
  return Buffer.from(bytes).toString('utf8');
}

function adler32(s: string): number {
  let a = 1;
  let b = 0;
  for (const byte of Buffer.from(s, 'utf8')) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return (b * 65536 + a) >>> 0;
}

const digest = (alg: string) =>
  fn(1, 1, ([s]) => nodeCrypto().createHash(alg).update(strArg(s), 'utf8').digest('hex'));

/** Go's `html` built-in (`html/template.HTMLEscapeString`). */
function htmlEscape(s: string): string {
  const map: Record<string, string> = {
    '<': '&lt;',
    '>': '&gt;',
    '&': '&amp;',
    "'": '&#39;',
    '"': '&#34;',
    '\0': '\uFFFD',
  };
  return s.replace(/[<>&'"\0]/g, (c) => map[c]!);
}

/** Go's `js` built-in (`text/template.JSEscapeString`). */
function jsEscape(s: string): string {
  const named: Record<string, string> = { '\\': '\\\\', "'": "\\'", '"': '\\"' };
  let out = '';
  for (const c of s) {
    const code = c.codePointAt(0)!;
    if (named[c]) out += named[c];
    else if ('<>&='.includes(c) || code < 0x20)
      out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    else if (code >= 0x80 && !/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(c)) {
      out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    } else out += c;
  }
  return out;
}

/** Go `url.QueryEscape`. */
function queryEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Go's built-ins take their arguments through `fmt.Sprint` unless given one string. */
const sprintArgs = (args: unknown[]): string =>
  args.length === 1 && typeof args[0] === 'string' ? args[0] : sprint(args);

/** Encoding and digest functions. */
export function encodingFunctions(): FunctionMap {
  return {
    b64enc: fn(1, 1, ([s]) => Buffer.from(strArg(s), 'utf8').toString('base64')),
    b64dec: fn(1, 1, ([s]) => b64dec(strArg(s))),
    b32enc: fn(1, 1, ([s]) => b32enc(strArg(s))),
    b32dec: fn(1, 1, ([s]) => b32dec(strArg(s))),
    sha1sum: digest('sha1'),
    sha256sum: digest('sha256'),
    sha512sum: digest('sha512'),
    adler32sum: fn(1, 1, ([s]) => String(adler32(strArg(s)))),
    html: fn(0, Infinity, (args) => htmlEscape(sprintArgs(args))),
    js: fn(0, Infinity, (args) => jsEscape(sprintArgs(args))),
    urlquery: fn(0, Infinity, (args) => queryEscape(sprintArgs(args))),
  };
}

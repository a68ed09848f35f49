/**
 * Random functions (Sprig v3) drawing from seeded PRNGs (mulberry32), so a render is
 * reproducible. Each template file draws from its own stream (seed mixed with the file name),
 * so a template's values do not depend on which templates rendered before it, or on whether
 * templates render in one thread or several.
 */

import { checkSize, type FunctionMap, fail, fn, intArg, runes, strArg } from './args.js';

/** A seeded generator of floats in [0, 1). */
export type Prng = () => number;

/** mulberry32: small, fast, good enough for non-cryptographic template randomness. */
export function mulberry32(seed: number): Prng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A PRNG per template file. */
export type RandomSource = (template: string) => Prng;

/** One mulberry32 stream per template, seeded with `seed` mixed with the template's name (FNV-1a). */
export function perTemplateRandom(seed: number): RandomSource {
  const streams = new Map<string, Prng>();
  return (template) => {
    let prng = streams.get(template);
    if (prng === undefined) {
      let h = 0x811c9dc5 ^ seed;
      for (let i = 0; i < template.length; i++) h = Math.imul(h ^ template.charCodeAt(i), 0x01000193);
      prng = mulberry32(h);
      streams.set(template, prng);
    }
    return prng;
  };
}

const ALPHA = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

/** Random functions drawing from `source`. */
export function randomFunctions(source: RandomSource): FunctionMap {
  const pick = (alphabet: string) =>
    fn(1, 1, ([n], call) => {
      const rand = source(call.template);
      const count = intArg(n);
      if (count < 0) fail(`${count} is not a valid count`);
      checkSize(count, 'random string');
      let out = '';
      for (let i = 0; i < count; i++) out += alphabet[Math.floor(rand() * alphabet.length)];
      return out;
    });
  const bytes = (rand: Prng, n: number): number[] =>
    Array.from({ length: n }, () => Math.floor(rand() * 256));
  return {
    randAlphaNum: pick(ALPHA + DIGITS),
    randAlpha: pick(ALPHA),
    randNumeric: pick(DIGITS),
    randAscii: pick(ASCII),
    randInt: fn(2, 2, ([a, b], call) => {
      const rand = source(call.template);
      const min = intArg(a);
      const max = intArg(b);
      if (max <= min) fail('invalid argument to Intn');
      return min + Math.floor(rand() * (max - min));
    }),
    randBytes: fn(1, 1, ([n], call) => {
      const count = intArg(n);
      if (count < 0) fail(`${count} is not a valid count`);
      checkSize(count, 'randBytes');
      return Buffer.from(bytes(source(call.template), count)).toString('base64');
    }),
    uuidv4: fn(0, 0, (_args, call) => {
      const b = bytes(source(call.template), 16);
      b[6] = (b[6]! & 0x0f) | 0x40;
      b[8] = (b[8]! & 0x3f) | 0x80;
      const hex = b.map((x) => x.toString(16).padStart(2, '0')).join('');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    }),
    shuffle: fn(1, 1, ([s], call) => {
      const rand = source(call.template);
      const r = runes(strArg(s));
      for (let i = r.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [r[i], r[j]] = [r[j]!, r[i]!];
      }
      return r.join('');
    }),
  };
}

/**
 * Random functions (Sprig v3) drawing from a seeded PRNG (mulberry32), so a render is
 * reproducible: the same seed gives the same sequence of values.
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

const ALPHA = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

/** Random functions over `rand`. */
export function randomFunctions(rand: Prng): FunctionMap {
  const pick = (alphabet: string) =>
    fn(1, 1, ([n]) => {
      const count = intArg(n);
      if (count < 0) fail(`${count} is not a valid count`);
      checkSize(count, 'random string');
      let out = '';
      for (let i = 0; i < count; i++) out += alphabet[Math.floor(rand() * alphabet.length)];
      return out;
    });
  const bytes = (n: number): number[] => Array.from({ length: n }, () => Math.floor(rand() * 256));
  return {
    randAlphaNum: pick(ALPHA + DIGITS),
    randAlpha: pick(ALPHA),
    randNumeric: pick(DIGITS),
    randAscii: pick(ASCII),
    randInt: fn(2, 2, ([a, b]) => {
      const min = intArg(a);
      const max = intArg(b);
      if (max <= min) fail('invalid argument to Intn');
      return min + Math.floor(rand() * (max - min));
    }),
    randBytes: fn(1, 1, ([n]) => {
      const count = intArg(n);
      if (count < 0) fail(`${count} is not a valid count`);
      checkSize(count, 'randBytes');
      return Buffer.from(bytes(count)).toString('base64');
    }),
    uuidv4: fn(0, 0, () => {
      const b = bytes(16);
      b[6] = (b[6]! & 0x0f) | 0x40;
      b[8] = (b[8]! & 0x3f) | 0x80;
      const hex = b.map((x) => x.toString(16).padStart(2, '0')).join('');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    }),
    shuffle: fn(1, 1, ([s]) => {
      const r = runes(strArg(s));
      for (let i = r.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [r[i], r[j]] = [r[j]!, r[i]!];
      }
      return r.join('');
    }),
  };
}

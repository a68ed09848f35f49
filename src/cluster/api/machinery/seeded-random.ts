/**
 * The cluster's randomness: a small seeded generator (xoshiro128**) whose state lives in the
 * store's meta table, so uids, generated names and allocated IPs replay identically from the
 * same seed and clock, and two processes sharing a cluster draw from one stream.
 */

import type { StoreWriter } from '../../store/types.js';

/** Meta key of the generator state. */
export const RANDOM_STATE_META = 'api.random-state';

/** Characters of generated name suffixes (Kubernetes' `utilrand` alphabet: no vowels, no 0/1/3). */
export const NAME_SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** The seed used when none is given. */
export const DEFAULT_SEED = 0x5eed;

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** A seeded pseudo-random generator with a serialisable state. */
export class SeededRandom {
  private s: [number, number, number, number];

  /** Seeds the generator from a number (expanded with splitmix32). */
  constructor(seed: number = DEFAULT_SEED) {
    let x = seed >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s = [next(), next(), next(), next()];
    if (this.s.every((w) => w === 0)) this.s[0] = 1;
  }

  /** The state, as stored. */
  get state(): readonly number[] {
    return [...this.s];
  }

  /** Restores a stored state; anything malformed is ignored. */
  set state(value: readonly number[]) {
    if (value.length === 4 && value.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff)) {
      if (value.some((w) => w !== 0)) this.s = [value[0]!, value[1]!, value[2]!, value[3]!];
    }
  }

  /** A copy with the same state. */
  clone(): SeededRandom {
    const copy = new SeededRandom();
    copy.state = this.s;
    return copy;
  }

  /** The next 32 random bits. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] = (s[2] ^ s[0]) >>> 0;
    s[3] = (s[3] ^ s[1]) >>> 0;
    s[1] = (s[1] ^ s[2]) >>> 0;
    s[0] = (s[0] ^ s[3]) >>> 0;
    s[2] = (s[2] ^ t) >>> 0;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** A uniform integer in [0, n), without modulo bias. */
  nextInt(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 0x100000000) throw new RangeError(`invalid bound ${n}`);
    const limit = 0x100000000 - (0x100000000 % n);
    for (;;) {
      const v = this.nextUint32();
      if (v < limit) return v % n;
    }
  }

  /** A random UUID, version 4. */
  uuid(): string {
    // Four draws as 32 hex digits a|b|c|d; the version digit replaces b[4], the variant c[0].
    // Written byte by byte from tables: every object the cluster creates draws one.
    const a = this.nextUint32();
    const b = this.nextUint32();
    const c = this.nextUint32();
    const d = this.nextUint32();
    return (
      `${hex8(a)}-${BYTE_HEX[b >>> 24]}${BYTE_HEX[(b >>> 16) & 0xff]}-4${DIGIT_HEX[(b >>> 8) & 0xf]}` +
      `${BYTE_HEX[b & 0xff]}-${DIGIT_HEX[((c >>> 28) & 0x3) | 0x8]}${DIGIT_HEX[(c >>> 24) & 0xf]}` +
      `${BYTE_HEX[(c >>> 16) & 0xff]}-${BYTE_HEX[(c >>> 8) & 0xff]}${BYTE_HEX[c & 0xff]}${hex8(d)}`
    );
  }

  /** `length` characters of {@link NAME_SUFFIX_ALPHABET} (a `generateName` suffix). */
  nameSuffix(length = 5): string {
    let out = '';
    for (let i = 0; i < length; i++) out += NAME_SUFFIX_ALPHABET[this.nextInt(NAME_SUFFIX_ALPHABET.length)];
    return out;
  }
}

/**
 * Runs `fn` with the generator state stored in the transaction (or `initial`'s when none is
 * stored yet) and stores the advanced state: a rolled-back transaction also rolls back the draws.
 */
export function drawRandom<T>(tx: StoreWriter, initial: SeededRandom, fn: (random: SeededRandom) => T): T {
  const random = initial.clone();
  const stored = tx.getMeta(RANDOM_STATE_META);
  if (Array.isArray(stored)) random.state = stored as number[];
  const result = fn(random);
  tx.setMeta(RANDOM_STATE_META, random.state);
  return result;
}

/** The hex digit of each number 0-15, and the two hex digits of each byte. */
const DIGIT_HEX = Array.from({ length: 16 }, (_, i) => i.toString(16));
const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** A 32-bit number as 8 hex digits. */
function hex8(n: number): string {
  return `${BYTE_HEX[n >>> 24]}${BYTE_HEX[(n >>> 16) & 0xff]}${BYTE_HEX[(n >>> 8) & 0xff]}${BYTE_HEX[n & 0xff]}`;
}

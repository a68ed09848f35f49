/**
 * bcrypt (`$2a$`, as golang.org/x/crypto/bcrypt writes it) for Sprig's `htpasswd`.
 * Blowfish's initial state is the hexadecimal expansion of pi, computed once on first use
 * (Machin's formula in BigInt) instead of being pasted in as 4 KiB of constants.
 */

const WORDS = 18 + 4 * 256;
let piWords: Uint32Array | undefined;

/** The first `WORDS` 32-bit words of pi's fractional part (P-array, then the four S-boxes). */
function blowfishInit(): Uint32Array {
  if (piWords) return piWords;
  const guard = 64n;
  const bits = BigInt(WORDS * 32) + guard;
  const one = 1n << bits;
  const atanInv = (x: bigint): bigint => {
    const x2 = x * x;
    let term = one / x;
    let sum = term;
    for (let k = 1n; term !== 0n; k++) {
      term /= x2;
      const t = term / (2n * k + 1n);
      sum += k % 2n === 1n ? -t : t;
    }
    return sum;
  };
  const pi = 16n * atanInv(5n) - 4n * atanInv(239n);
  const hex = ((pi - 3n * one) >> guard).toString(16).padStart(WORDS * 8, '0');
  piWords = new Uint32Array(WORDS);
  for (let i = 0; i < WORDS; i++) piWords[i] = Number.parseInt(hex.slice(i * 8, i * 8 + 8), 16);
  return piWords;
}

class Blowfish {
  readonly p: Uint32Array;
  readonly s: Uint32Array;
  private readonly lr = new Uint32Array(2);

  constructor() {
    const init = blowfishInit();
    this.p = init.slice(0, 18);
    this.s = init.slice(18);
  }

  private f(x: number): number {
    const s = this.s;
    return (
      (((s[x >>> 24]! + s[256 + ((x >>> 16) & 0xff)]!) ^ s[512 + ((x >>> 8) & 0xff)]!) +
        s[768 + (x & 0xff)]!) >>>
      0
    );
  }

  /** Encrypts the block in `this.lr` in place. */
  encrypt(): void {
    const p = this.p;
    let l = this.lr[0]!;
    let r = this.lr[1]!;
    l ^= p[0]!;
    for (let i = 1; i <= 16; i += 2) {
      r ^= this.f(l) ^ p[i]!;
      l ^= this.f(r) ^ p[i + 1]!;
    }
    this.lr[0] = r ^ p[17]!;
    this.lr[1] = l;
  }

  /** Blowfish `ExpandKey` (salt absent) or `expandKeyWithSalt`. */
  expand(key: Uint8Array, salt?: Uint8Array): void {
    const word = (data: Uint8Array, at: { i: number }): number => {
      let w = 0;
      for (let k = 0; k < 4; k++) {
        w = ((w << 8) | data[at.i % data.length]!) >>> 0;
        at.i++;
      }
      return w;
    };
    const keyAt = { i: 0 };
    for (let i = 0; i < 18; i++) this.p[i] = (this.p[i]! ^ word(key, keyAt)) >>> 0;
    const saltAt = { i: 0 };
    this.lr[0] = 0;
    this.lr[1] = 0;
    const fill = (arr: Uint32Array): void => {
      for (let i = 0; i < arr.length; i += 2) {
        if (salt) {
          this.lr[0] = (this.lr[0]! ^ word(salt, saltAt)) >>> 0;
          this.lr[1] = (this.lr[1]! ^ word(salt, saltAt)) >>> 0;
        }
        this.encrypt();
        arr[i] = this.lr[0]!;
        arr[i + 1] = this.lr[1]!;
      }
    };
    fill(this.p);
    fill(this.s);
  }

  /** Encrypts consecutive 8-byte blocks of `data` in place. */
  encryptBlocks(data: Uint8Array): void {
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    for (let i = 0; i < data.length; i += 8) {
      this.lr[0] = view.getUint32(i);
      this.lr[1] = view.getUint32(i + 4);
      this.encrypt();
      view.setUint32(i, this.lr[0]!);
      view.setUint32(i + 4, this.lr[1]!);
    }
  }
}

const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BCRYPT = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function b64(data: Uint8Array): string {
  return Array.from(Buffer.from(data).toString('base64').replace(/=+$/, ''))
    .map((c) => BCRYPT[STD.indexOf(c)])
    .join('');
}

/** Decodes bcrypt's base64 alphabet (for fixed salts in tests). */
export function bcryptBase64Decode(s: string): Buffer {
  return Buffer.from(
    Array.from(s)
      .map((c) => STD[BCRYPT.indexOf(c)])
      .join(''),
    'base64',
  );
}

/** Hashes `password` with a 16-byte `salt` at `cost` (4–31); `$2a$` format. Throws when too long. */
export function bcryptHash(password: string, salt: Uint8Array, cost = 10): string {
  const pw = Buffer.from(password, 'utf8');
  if (pw.length > 72) throw new RangeError('bcrypt: password length exceeds 72 bytes');
  if (cost < 4 || cost > 31 || salt.length !== 16) throw new RangeError('bcrypt: invalid cost or salt');
  const key = Buffer.concat([pw, Buffer.from([0])]);
  const bf = new Blowfish();
  bf.expand(key, salt);
  for (let i = 0; i < 2 ** cost; i++) {
    bf.expand(key);
    bf.expand(salt);
  }
  const text = Buffer.from('OrpheanBeholderScryDoubt', 'ascii');
  for (let i = 0; i < 64; i++) bf.encryptBlocks(text);
  return `$2a$${String(cost).padStart(2, '0')}$${b64(salt)}${b64(text.subarray(0, 23))}`;
}

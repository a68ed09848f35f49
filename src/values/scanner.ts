/**
 * A forward-only character scanner for `--set` expressions: one pass, slices instead of
 * per-character concatenation, so a 10 MB argument scans in linear time.
 */

/** Returned as `last` when the input ended before a stop character. */
export const EOF = -1;

/** A run of text up to a stop character, with escapes already resolved. */
export interface Run {
  readonly text: string;
  /** The stop character's code (consumed), or `EOF`. */
  readonly last: number;
}

/** A set of ASCII stop characters, looked up by character code. */
export class StopSet {
  private readonly table = new Uint8Array(128);
  constructor(chars: string) {
    for (const c of chars) this.table[c.charCodeAt(0)] = 1;
  }
  /** Whether `code` is one of the stop characters. */
  has(code: number): boolean {
    return code < 128 && this.table[code] === 1;
  }
}

const BACKSLASH = 0x5c;

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Go's `unicode.IsSpace`. */
export function isSpace(code: number): boolean {
  return (
    (code >= 9 && code <= 13) ||
    code === 32 ||
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/**
 * Reads a `--set` expression left to right. With `escapes`, a backslash makes the next code
 * point literal (Helm's `runesUntil`); without, backslashes are ordinary (`--set-literal`).
 */
export class Scanner {
  /** Index of the next unread UTF-16 unit. */
  pos = 0;
  private readonly buffer = new UnitBuffer();

  constructor(
    readonly src: string,
    private readonly escapes: boolean,
  ) {}

  /** Reads up to the first unescaped stop character, consuming it. */
  until(stops: StopSet): Run {
    const src = this.src;
    const n = src.length;
    const start = this.pos;
    for (let i = start; i < n; i++) {
      const c = src.charCodeAt(i);
      if (stops.has(c)) {
        this.pos = i + 1;
        return { text: src.slice(start, i), last: c };
      }
      if (c === BACKSLASH && this.escapes) return this.untilEscaped(stops, start, i);
    }
    this.pos = n;
    return { text: src.slice(start), last: EOF };
  }

  /** `until` once a backslash was met at `i`: copies code units into a reusable buffer. */
  private untilEscaped(stops: StopSet, start: number, i: number): Run {
    const src = this.src;
    const n = src.length;
    const out = this.buffer;
    out.clear();
    for (let j = start; j < i; j++) out.push(src.charCodeAt(j));
    while (i < n) {
      const c = src.charCodeAt(i);
      if (c === BACKSLASH) {
        // The next code point is literal; a trailing backslash escapes nothing (Helm drops it).
        if (i + 1 < n) out.push(src.charCodeAt(i + 1));
        if (i + 2 < n && isHighSurrogate(src.charCodeAt(i + 1))) {
          out.push(src.charCodeAt(i + 2));
          i++;
        }
        i += 2;
        continue;
      }
      if (stops.has(c)) {
        this.pos = i + 1;
        return { text: out.toString(), last: c };
      }
      out.push(c);
      i++;
    }
    this.pos = n;
    return { text: out.toString(), last: EOF };
  }

  /** Reads one UTF-16 unit (`EOF` at the end). */
  read(): number {
    if (this.pos >= this.src.length) return EOF;
    return this.src.charCodeAt(this.pos++);
  }

  /** Steps back over the unit `read()` just returned. */
  unread(): void {
    this.pos--;
  }

  /** Everything not yet read, verbatim; consumes it. */
  rest(): string {
    const text = this.src.slice(this.pos);
    this.pos = this.src.length;
    return text;
  }

  /**
   * Finds the end of the JSON value starting at `pos` without parsing it (brackets and strings
   * are matched; a scalar runs to the next comma or blank). Linear in the value's length.
   */
  jsonValueEnd(): number {
    const src = this.src;
    const n = src.length;
    let i = this.pos;
    const first = src.charCodeAt(i);
    if (first === 0x22 /* " */) return stringEnd(src, i + 1);
    if (first !== 0x5b /* [ */ && first !== 0x7b /* { */) {
      while (i < n) {
        const c = src.charCodeAt(i);
        if (c === 0x2c /* , */ || isSpace(c)) break;
        i++;
      }
      return i;
    }
    let depth = 0;
    while (i < n) {
      const c = src.charCodeAt(i);
      if (c === 0x22) {
        i = stringEnd(src, i + 1);
        continue;
      }
      if (c === 0x5b || c === 0x7b) depth++;
      else if ((c === 0x5d || c === 0x7d) && --depth === 0) return i + 1;
      i++;
    }
    return n;
  }
}

/** A growable buffer of UTF-16 code units (linear-time string building). */
class UnitBuffer {
  private units = new Uint16Array(64);
  private length = 0;

  clear(): void {
    this.length = 0;
  }

  push(unit: number): void {
    if (this.length === this.units.length) {
      const grown = new Uint16Array(this.units.length * 2);
      grown.set(this.units);
      this.units = grown;
    }
    this.units[this.length++] = unit;
  }

  toString(): string {
    const chunks: string[] = [];
    for (let i = 0; i < this.length; i += 8192) {
      chunks.push(String.fromCharCode(...this.units.subarray(i, Math.min(i + 8192, this.length))));
    }
    return chunks.join('');
  }
}

/** Index just past the closing quote of a JSON string whose body starts at `i`. */
function stringEnd(src: string, i: number): number {
  const n = src.length;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === BACKSLASH) i += 2;
    else if (c === 0x22) return i + 1;
    else i++;
  }
  return n;
}

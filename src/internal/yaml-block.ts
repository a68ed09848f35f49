/**
 * A fast reader for the block-style YAML that manifests and values files are written in:
 * block mappings and sequences (compact `- key: value` items too), plain and single-line quoted
 * scalars, block scalars (`|`, `>-`, …), comments, one-line flow sequences of scalars and `{}`. It gives exactly what js-yaml
 * (`yaml-fast.ts`) gives for such text, with plain scalars resolved by the same schema types,
 * and gives up (`UNSUPPORTED`) on anything else: flow collections, anchors, aliases, tags,
 * multi-line plain or quoted scalars, escapes, tabs, non-ASCII text, directives, several
 * documents, duplicate or prototype-reaching keys, deep nesting, and every error. The caller
 * then reads the text with js-yaml, which gives the real result or error message.
 *
 * Why: rendered manifests are most of what `bosun template` reads, and this reader costs a
 * fraction of js-yaml's general state machine, with no tree walks afterwards (what it returns
 * is shallow enough and holds no alias or forbidden key).
 */

import { blockScalarBody, DASH, isDash, isFlowIndicator, SPACE, startsPlain } from './yaml-block-syntax.js';

/** Resolves a plain scalar to its value (null, boolean, number, or the string itself). */
export type PlainResolver = (plain: string) => unknown;

/** What `readBlockYaml` returns for text outside its subset. */
export const UNSUPPORTED: unique symbol = Symbol('unsupported YAML');

/** Nesting beyond this is left to js-yaml (and its depth limit). */
const MAX_DEPTH = 64;
/** Anything but printable ASCII and line feeds. */
const NOT_PRINTABLE_ASCII = /[^\n -~]/;

/** Whether a line starts a document (`---`), ends one (`...`) or is a directive (`%`). */
function hasDocumentMarker(text: string): boolean {
  return (
    text.startsWith('---') ||
    text.startsWith('...') ||
    text.startsWith('%') ||
    text.includes('\n---') ||
    text.includes('\n...') ||
    text.includes('\n%')
  );
}

const HASH = 35;
const QUOTE = 34;
const APOS = 39;
const COLON = 58;
const GT = 62;
const LBRACKET = 91;
const RBRACKET = 93;
const LBRACE = 123;
const PIPE = 124;

/** Thrown (and caught in `readBlockYaml`) when the text leaves the subset. */
class Unsupported {}
const GIVE_UP = new Unsupported();

/**
 * Reads one block-style YAML document, or returns `UNSUPPORTED` when the text uses anything
 * outside the subset (or is empty). `resolve` must be the schema's plain-scalar resolution.
 */
export function readBlockYaml(text: string, resolve: PlainResolver): unknown {
  if (NOT_PRINTABLE_ASCII.test(text) || hasDocumentMarker(text)) return UNSUPPORTED;
  try {
    return new BlockReader(text, resolve).document();
  } catch (err) {
    if (err === GIVE_UP) return UNSUPPORTED;
    throw err;
  }
}

/** The reader: lines of content (blank and comment lines skipped), one at a time. */
class BlockReader {
  /** Where the current line's content starts (after its indentation); -1 past the last line. */
  private c = 0;
  /** Where the current line ends (its line feed, or the text's end). */
  private e = 0;
  /** The current line's indentation (a compact item's column while it is being read). */
  private indent = 0;
  /** Where the next line starts. */
  private next = 0;
  private depth = 0;
  /** The offset of a ` #` found at or after earlier positions (see `plainStop`). */
  private nextComment = -1;

  constructor(
    private readonly s: string,
    private readonly resolve: PlainResolver,
  ) {}

  document(): unknown {
    this.advance();
    if (this.c < 0) throw GIVE_UP;
    const value = this.node(-1);
    if (this.c >= 0) throw GIVE_UP;
    return value;
  }

  /** Moves to the next line with content. */
  private advance(): void {
    const s = this.s;
    const n = s.length;
    let i = this.next;
    while (i < n) {
      let e = s.indexOf('\n', i);
      if (e < 0) e = n;
      let k = i;
      while (k < e && s.charCodeAt(k) === SPACE) k++;
      if (k < e && s.charCodeAt(k) !== HASH) {
        this.c = k;
        this.e = e;
        this.indent = k - i;
        this.next = e + 1;
        return;
      }
      i = e + 1;
    }
    this.c = -1;
    this.indent = -1;
    this.next = n;
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw GIVE_UP;
  }

  /** The node starting on the current line, which is indented more than `parent`. */
  private node(parent: number): unknown {
    this.enter();
    const value = isDash(this.s, this.c, this.e)
      ? this.sequence(this.indent)
      : this.inline(this.c, true, parent);
    this.depth--;
    return value;
  }

  /** A block sequence with its dashes at column `n`, from the current line. */
  private sequence(n: number): unknown[] {
    const s = this.s;
    const out: unknown[] = [];
    while (this.c >= 0 && this.indent === n && isDash(s, this.c, this.e)) {
      const c = this.c;
      const e = this.e;
      let p = c + 1;
      while (p < e && s.charCodeAt(p) === SPACE) p++;
      if (p === e || s.charCodeAt(p) === HASH) {
        // `-` alone: the item is on the following, deeper lines (or null).
        this.advance();
        out.push(this.c >= 0 && this.indent > n ? this.node(n) : null);
        continue;
      }
      if (isDash(s, p, e)) throw GIVE_UP;
      // A compact item at column p: a mapping whose keys line up there, or a scalar.
      this.indent = n + (p - c);
      this.enter();
      out.push(this.inline(p, true, n));
      this.depth--;
    }
    if (this.c >= 0 && this.indent > n) throw GIVE_UP;
    return out;
  }

  /**
   * The node at `p` on the current line: a mapping when a key is there (and `mapOk`), with its
   * keys at the current indentation, else a scalar that ends the line. A following line
   * indented more than `parent` would continue the scalar: not in the subset.
   */
  private inline(p: number, mapOk: boolean, parent: number): unknown {
    const s = this.s;
    const e = this.e;
    const ch = s.charCodeAt(p);
    let value: unknown;
    let q: number;
    if (ch === PIPE || ch === GT) {
      value = this.blockScalar(p, parent);
      if (this.c >= 0 && this.indent > parent) throw GIVE_UP;
      return value;
    }
    if (ch === LBRACKET) {
      const list: unknown[] = [];
      q = this.flowSequence(p, list);
      value = list;
    } else if (ch === LBRACE) {
      // Only the empty `{}`.
      if (s.charCodeAt(p + 1) !== 125) throw GIVE_UP;
      value = {};
      q = p + 2;
    } else if (ch === APOS || ch === QUOTE) {
      q = this.quotedEnd(p);
      value = this.quoted(p, q);
      q++;
      let k = q;
      while (k < e && s.charCodeAt(k) === SPACE) k++;
      if (k < e && s.charCodeAt(k) === COLON && (k + 1 === e || s.charCodeAt(k + 1) === SPACE)) {
        if (!mapOk) throw GIVE_UP;
        return this.mapping(value as string, k + 1);
      }
    } else {
      if (!startsPlain(s, p, e)) throw GIVE_UP;
      const stop = this.plainStop(p, e);
      q = stop;
      while (s.charCodeAt(q - 1) === SPACE) q--;
      const text = s.slice(p, q);
      if (stop < e && s.charCodeAt(stop) === COLON) {
        if (!mapOk) throw GIVE_UP;
        return this.mapping(this.key(text), stop + 1);
      }
      value = this.resolve(text);
    }
    this.endOfLine(q);
    this.advance();
    if (this.c >= 0 && this.indent > parent) throw GIVE_UP;
    return value;
  }

  /**
   * A block scalar (`|` literal or `>` folded, optionally with `-` or `+` chomping) whose header
   * is at `p`, belonging to a node indented `parent`: js-yaml's `readBlockScalar`, line for
   * line. Leaves the reader on the line after it.
   */
  private blockScalar(p: number, parent: number): string {
    const s = this.s;
    // An explicit indentation (`|2`) or a root-level scalar: left to js-yaml.
    if (parent < 0) throw GIVE_UP;
    const folded = s.charCodeAt(p) === GT;
    let q = p + 1;
    let chomping = 0; // 0: clip, 1: keep (`+`), -1: strip (`-`)
    const indicator = s.charCodeAt(q);
    if (indicator === 43 || indicator === DASH) {
      chomping = indicator === 43 ? 1 : -1;
      q++;
    }
    this.endOfLine(q);
    const { text, next } = blockScalarBody(s, this.e + 1, parent + 1, folded, chomping);
    this.next = next;
    this.advance();
    return text;
  }

  /**
   * A one-line flow sequence of scalars (`[a, "b", 'c']`) at `p`: its items go to `out`;
   * returns the offset after its `]`. Nested collections, `key: value` items, comments and
   * empty items are left to js-yaml.
   */
  private flowSequence(p: number, out: unknown[]): number {
    const s = this.s;
    const e = this.e;
    let q = p + 1;
    for (;;) {
      while (q < e && s.charCodeAt(q) === SPACE) q++;
      if (q >= e) throw GIVE_UP;
      let ch = s.charCodeAt(q);
      if (ch === RBRACKET && out.length === 0) return q + 1;
      if (ch === APOS || ch === QUOTE) {
        const close = this.quotedEnd(q);
        out.push(this.quoted(q, close));
        q = close + 1;
      } else {
        // A plain item: up to `,` or `]`; anything that could make it more than a scalar gives up.
        // (`-`, `?` and `:` before a flow indicator start no scalar there.)
        if (!startsPlain(s, q, e) || ch === 63 || ch === COLON) throw GIVE_UP;
        if (ch === DASH && isFlowIndicator(s.charCodeAt(q + 1))) throw GIVE_UP;
        const start = q;
        for (; q < e; q++) {
          ch = s.charCodeAt(q);
          if (ch === 44 || ch === RBRACKET) break;
          if (ch === COLON || ch === HASH || ch === LBRACKET || ch === LBRACE || ch === 125) throw GIVE_UP;
        }
        let end = q;
        while (s.charCodeAt(end - 1) === SPACE) end--;
        out.push(this.resolve(s.slice(start, end)));
      }
      while (q < e && s.charCodeAt(q) === SPACE) q++;
      ch = s.charCodeAt(q);
      if (ch === RBRACKET && q < e) return q + 1;
      if (ch !== 44 || q >= e) throw GIVE_UP;
      q++;
      // `[a, ]`: left to js-yaml.
      while (q < e && s.charCodeAt(q) === SPACE) q++;
      if (s.charCodeAt(q) === RBRACKET) throw GIVE_UP;
    }
  }

  /** The offset of the quote closing the quoted scalar at `p`, on its line. */
  private quotedEnd(p: number): number {
    const s = this.s;
    const e = this.e;
    const quote = s.charCodeAt(p);
    let q = s.indexOf(quote === APOS ? "'" : '"', p + 1);
    // In single quotes, `''` is a quote.
    if (quote === APOS) while (q >= 0 && q < e && s.charCodeAt(q + 1) === APOS) q = s.indexOf("'", q + 2);
    if (q < 0 || q >= e) throw GIVE_UP;
    return q;
  }

  /** The value of the quoted scalar from `p` to its closing quote `q` (escapes are left to js-yaml). */
  private quoted(p: number, q: number): string {
    const text = this.s.slice(p + 1, q);
    if (this.s.charCodeAt(p) === APOS) return text.includes("'") ? text.replaceAll("''", "'") : text;
    if (text.includes('\\')) throw GIVE_UP;
    return text;
  }

  /** A plain key as js-yaml stores it: resolved like any plain scalar, then made a string. */
  private key(text: string): string {
    // `<<` merges mappings.
    if (text === '<<') throw GIVE_UP;
    return String(this.resolve(text));
  }

  /** Requires nothing but spaces and a comment from `q` to the end of the line. */
  private endOfLine(q: number): void {
    const s = this.s;
    const e = this.e;
    if (q === e) return;
    if (s.charCodeAt(q) !== SPACE) throw GIVE_UP;
    while (q < e && s.charCodeAt(q) === SPACE) q++;
    if (q < e && s.charCodeAt(q) !== HASH) throw GIVE_UP;
  }

  /**
   * Where a plain scalar from `p` stops on its line (ending at `e`): at a `:` followed by a
   * space or the line's end, at a ` #` comment, or at `e`.
   */
  private plainStop(p: number, e: number): number {
    const s = this.s;
    let q = s.indexOf(':', p + 1);
    while (q >= 0 && q < e && !(q + 1 === e || s.charCodeAt(q + 1) === SPACE)) q = s.indexOf(':', q + 1);
    if (q < 0 || q > e) q = e;
    // The first ` #` at or after `p`. Offsets only grow as the text is read, so a search is
    // needed only once `p` has passed the last one found: the text is scanned once.
    let h = this.nextComment;
    if (h < p) {
      // A `#` after a space (searched as `#`: rare, where spaces are everywhere).
      h = s.indexOf('#', p + 1);
      while (h >= 0 && s.charCodeAt(h - 1) !== SPACE) h = s.indexOf('#', h + 1);
      this.nextComment = h = h < 0 ? s.length : h - 1;
    }
    return Math.min(h, q);
  }

  /**
   * A block mapping with its keys at the current indentation; its first key is read and its
   * first value starts after `p` (just past the colon).
   */
  private mapping(firstKey: string, p: number): Record<string, unknown> {
    const s = this.s;
    const n = this.indent;
    const out: Record<string, unknown> = {};
    let key = firstKey;
    for (;;) {
      const length = key.length;
      if (
        ((length === 9 || length === 11) &&
          (key === '__proto__' || key === 'constructor' || key === 'prototype')) ||
        Object.hasOwn(out, key)
      ) {
        throw GIVE_UP;
      }
      const e = this.e;
      while (p < e && s.charCodeAt(p) === SPACE) p++;
      let value: unknown = null;
      this.enter();
      if (p === e || s.charCodeAt(p) === HASH) {
        // The value is on the following lines: deeper, or a sequence at the key's column.
        this.advance();
        if (this.c >= 0) {
          if (this.indent > n) value = this.node(n);
          else if (this.indent === n && isDash(s, this.c, this.e)) value = this.sequence(n);
        }
      } else {
        value = this.inline(p, false, n);
      }
      this.depth--;
      out[key] = value;
      if (this.c < 0 || this.indent < n) return out;
      if (this.indent > n) throw GIVE_UP;
      p = this.nextKey();
      key = this.pendingKey;
    }
  }

  /** The key `nextKey` read. */
  private pendingKey = '';

  /** Reads the `key:` starting the current line into `pendingKey`; returns the offset after the colon. */
  private nextKey(): number {
    const s = this.s;
    const p = this.c;
    const e = this.e;
    const ch = s.charCodeAt(p);
    let q: number;
    if (ch === APOS || ch === QUOTE) {
      const close = this.quotedEnd(p);
      this.pendingKey = this.quoted(p, close);
      q = close + 1;
      while (q < e && s.charCodeAt(q) === SPACE) q++;
    } else {
      if (!startsPlain(s, p, e)) throw GIVE_UP;
      q = this.plainStop(p, e);
      let end = q;
      while (s.charCodeAt(end - 1) === SPACE) end--;
      this.pendingKey = q < e ? this.key(s.slice(p, end)) : '';
    }
    if (q >= e || s.charCodeAt(q) !== COLON || !(q + 1 === e || s.charCodeAt(q + 1) === SPACE)) {
      throw GIVE_UP;
    }
    return q + 1;
  }
}

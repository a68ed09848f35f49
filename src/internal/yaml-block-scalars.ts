/**
 * The line-level half of the block-style YAML reader (`yaml-block.ts`): its cursor over lines
 * of content, and everything read within one line (plain and quoted scalars, keys, one-line
 * flow sequences, the end of a line) plus block scalars. The reader builds mappings and
 * sequences on top of it; a base class keeps both halves on one object, as the reader was.
 */

import { blockScalarBody, DASH, isFlowIndicator, SPACE, startsPlain } from './yaml-block-syntax.js';

/** Resolves a plain scalar to its value (null, boolean, number, or the string itself). */
export type PlainResolver = (plain: string) => unknown;

/** Character codes (exported where `yaml-block.ts` reads them too). */
export const HASH = 35;
export const QUOTE = 34;
export const APOS = 39;
export const COLON = 58;
export const GT = 62;
export const LBRACKET = 91;
const RBRACKET = 93;
export const LBRACE = 123;
export const PIPE = 124;

/** Thrown (and caught in `readBlockYaml`) when the text leaves the subset. */
class Unsupported {}
export const GIVE_UP = new Unsupported();

/** The reader's line cursor and scalars; `BlockReader` (`yaml-block.ts`) reads the collections. */
export abstract class BlockScalarReader {
  /** Where the current line's content starts (after its indentation); -1 past the last line. */
  protected c = 0;
  /** Where the current line ends (its line feed, or the text's end). */
  protected e = 0;
  /** The current line's indentation (a compact item's column while it is being read). */
  protected indent = 0;
  /** Where the next line starts. */
  private next = 0;
  /** The offset of a ` #` found at or after earlier positions (see `plainStop`). */
  private nextComment = -1;

  constructor(
    protected readonly s: string,
    protected readonly resolve: PlainResolver,
  ) {}

  /** Moves to the next line with content. */
  protected advance(): void {
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

  /**
   * A block scalar (`|` literal or `>` folded, optionally with `-` or `+` chomping) whose header
   * is at `p`, belonging to a node indented `parent`: js-yaml's `readBlockScalar`, line for
   * line. Leaves the reader on the line after it.
   */
  protected blockScalar(p: number, parent: number): string {
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
  protected flowSequence(p: number, out: unknown[]): number {
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
  protected quotedEnd(p: number): number {
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
  protected quoted(p: number, q: number): string {
    const text = this.s.slice(p + 1, q);
    if (this.s.charCodeAt(p) === APOS) return text.includes("'") ? text.replaceAll("''", "'") : text;
    if (text.includes('\\')) throw GIVE_UP;
    return text;
  }

  /** A plain key as js-yaml stores it: resolved like any plain scalar, then made a string. */
  protected key(text: string): string {
    // `<<` merges mappings.
    if (text === '<<') throw GIVE_UP;
    return String(this.resolve(text));
  }

  /** Requires nothing but spaces and a comment from `q` to the end of the line. */
  protected endOfLine(q: number): void {
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
  protected plainStop(p: number, e: number): number {
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
}

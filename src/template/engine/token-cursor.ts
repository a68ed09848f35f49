/**
 * The token cursor the template parsers stand on: token kinds, offsets and text, `expect`,
 * stripping flags, the nesting limit, and parse errors that name the template and line.
 */

import { RenderError } from '../../internal/errors.js';
import type { Strip } from './ast.js';
import { Tok, type TokenBuffer } from './tokens.js';

/** Deepest nesting of blocks and sub-expressions. */
export const MAX_NESTING = 200;

/** Stripping flags of a tag without `~`. */
export const NO_STRIP: Strip = Object.freeze({ open: false, close: false });

/** The cursor over a template's tokens, with the parse errors it raises. */
export class TokenCursor {
  protected i = 0;
  protected nesting = 0;
  private lineStarts: number[] | null = null;
  protected readonly types: Uint8Array;
  protected readonly starts: Int32Array;
  protected readonly ends: Int32Array;
  protected readonly count: number;

  constructor(
    protected readonly src: string,
    protected readonly name: string,
    tokens: TokenBuffer,
  ) {
    this.types = tokens.types;
    this.starts = tokens.starts;
    this.ends = tokens.ends;
    this.count = tokens.count;
  }

  /** Kind of the token `k` ahead (the buffer ends with spare `EOF`s: no bounds check needed). */
  protected type(k = 0): number {
    return this.types[this.i + k];
  }

  /** Source offset where token `j` starts. */
  protected startOf(j: number): number {
    return j < this.count ? this.starts[j] : this.src.length;
  }

  /** Source text of token `j`. */
  protected text(j: number): string {
    return this.src.slice(this.starts[j], this.ends[j]);
  }

  /** Consumes a token of kind `type` and returns its index, or fails. */
  protected expect(type: number, what: string): number {
    if (this.type() !== type)
      this.fail(this.startOf(this.i), `expected ${what}, got ${this.describe(this.i)}`);
    return this.i++;
  }

  /** Throws the parse error, naming the template and the line of `offset`. */
  protected fail(offset: number, detail: string): never {
    throw new RenderError(this.name, this.line(offset), `parse error: ${detail}`);
  }

  /** Line (1-based) of a source offset; its column is left in `column`. */
  protected line(offset: number): number {
    let starts = this.lineStarts;
    if (starts === null) {
      starts = [0];
      for (let j = this.src.indexOf('\n'); j >= 0; j = this.src.indexOf('\n', j + 1)) starts.push(j + 1);
      this.lineStarts = starts;
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    this.column = offset - starts[lo];
    return lo + 1;
  }

  /** Column (0-based) of the offset last given to `line()`. */
  protected column = 0;

  /** Token `j` as the user wrote it, for error messages. */
  protected describe(j: number): string {
    if (j >= this.count || this.types[j] === Tok.EOF) return 'end of template';
    const start = this.starts[j];
    let end = this.ends[j];
    if (this.types[j] !== Tok.CONTENT && this.src.startsWith('{{', start)) {
      const close = this.src.indexOf('}}', start);
      if (end - start <= 5 && close >= 0 && close - start < 40) end = close + 2;
    }
    return JSON.stringify(this.src.slice(start, Math.min(end, start + 40)));
  }

  /** Handlebars' `stripFlags`: `~` right after the opening `{{`, right before the closing `}}`. */
  protected strip(open: number, close: number): Strip {
    const o = this.src.charCodeAt(this.starts[open] + 2) === 126;
    const c = this.ends[close] - this.starts[close] >= 3 && this.src.charCodeAt(this.ends[close] - 3) === 126;
    return o || c ? { open: o, close: c } : NO_STRIP;
  }

  /** Enters a block or sub-expression; fails past {@link MAX_NESTING} levels. */
  protected enterNesting(offset: number): void {
    if (++this.nesting > MAX_NESTING) this.fail(offset, `nesting deeper than ${MAX_NESTING} levels`);
  }
}

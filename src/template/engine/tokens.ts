/**
 * Token kinds and the token buffer shared by the scanner and the parser.
 */

/** Token kinds (an enum: the bundler inlines the numbers). */
export enum Tok {
  EOF = 0,
  CONTENT = 1,
  COMMENT = 2,
  OPEN = 3,
  OPEN_UNESCAPED = 4,
  OPEN_BLOCK = 5,
  OPEN_INVERSE = 6,
  OPEN_INVERSE_CHAIN = 7,
  OPEN_ENDBLOCK = 8,
  OPEN_PARTIAL = 9,
  OPEN_PARTIAL_BLOCK = 10,
  OPEN_RAW_BLOCK = 11,
  CLOSE_RAW_BLOCK = 12,
  END_RAW_BLOCK = 13,
  DECORATOR = 14,
  DECORATOR_BLOCK = 15,
  INVERSE = 16,
  CLOSE = 17,
  CLOSE_UNESCAPED = 18,
  OPEN_SEXPR = 19,
  CLOSE_SEXPR = 20,
  EQUALS = 21,
  SEP = 22,
  // ID … NULL: the tokens a value starts with (kept contiguous, the parser tests the range).
  ID = 23,
  DATA = 24,
  STRING = 25,
  NUMBER = 26,
  BOOLEAN = 27,
  UNDEFINED = 28,
  NULL = 29,
  OPEN_BLOCK_PARAMS = 30,
  CLOSE_BLOCK_PARAMS = 31,
}

/** A token kind. */
export type TokType = Tok;

/**
 * The tokens of one template as parallel arrays (kind, start, end): no object per token. The
 * parser slices values out of the source when it needs them. One buffer is reused for every
 * parse (parsing is synchronous and never re-entered).
 */
export class TokenBuffer {
  types = new Uint8Array(1024);
  starts = new Int32Array(1024);
  ends = new Int32Array(1024);
  count = 0;

  add(type: TokType, start: number, end: number): void {
    if (this.count === this.types.length) this.grow();
    const k = this.count++;
    this.types[k] = type;
    this.starts[k] = start;
    this.ends[k] = end;
  }

  /**
   * Ends the token list with `EOF` at `end`, plus a few uncounted `EOF`s after it, so that the
   * parser may look ahead without bounds checks.
   */
  finish(end: number): void {
    for (let k = 0; k < 4; k++) this.add(Tok.EOF, end, end);
    this.count -= 3;
  }

  grow(): void {
    const n = this.types.length * 2;
    const types = new Uint8Array(n);
    const starts = new Int32Array(n);
    const ends = new Int32Array(n);
    types.set(this.types);
    starts.set(this.starts);
    ends.set(this.ends);
    this.types = types;
    this.starts = starts;
    this.ends = ends;
  }
}

/** A lexical error at a source offset. */
export class LexError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

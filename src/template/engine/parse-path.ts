/**
 * Reading paths and literals (over the token cursor of `token-cursor.ts`): `a.b/c`, `../x`,
 * `this.y`, `@root.z`, `[literal]` segments, strings, numbers and keywords, and the head of a
 * tag. The expression parser (`parse-expression.ts`) builds on it.
 */

import { hasThisWord, isForbiddenName, isIndex, isScoped } from './names.js';
import { TokenCursor } from './token-cursor.js';
import { Tok } from './tokens.js';

/**
 * The head of a tag (`{{head args…}}`) as written: a path, or a literal read as a path (as
 * Handlebars reads `{{"a b"}}` as the name `a b`). Whether it is called or looked up is decided
 * once the whole tag is read.
 */
export interface Head {
  readonly data: boolean;
  readonly depth: number;
  readonly parts: readonly string[];
  /**
   * The path as written (brackets of `[literal]` segments removed): see `original()`, which
   * spells it from the tokens `first` to `last` when first asked (most heads never are).
   */
  original: string | null;
  readonly first: number;
  readonly last: number;
  /** Starts with `.` or holds `this`: never a function name or block parameter. */
  readonly scoped: boolean;
  /** Index of the first part whose lookup is forbidden (`__proto__`, …), or -1. */
  readonly forbidden: number;
}

/** A literal's value, or `NOT_LITERAL`. */
export const NOT_LITERAL: unique symbol = Symbol('not a literal');
export type LiteralValue = string | number | boolean | null | undefined | typeof NOT_LITERAL;

/** Path and literal reading; the expression parser extends it. */
export class PathReader extends TokenCursor {
  /** Parts of the path just read by `readPath`, `partCount` of them (reused: paths do not nest). */
  protected readonly parts: string[] = [];
  protected partCount = 0;
  protected pathDepth = 0;
  protected pathScoped = false;
  protected pathForbidden = -1;
  protected pathData = false;
  /** Token indices of the first and last token of the path just read. */
  private pathFirst = 0;
  private pathLast = 0;

  /** The literal at the cursor (string, number, boolean, null, undefined), consumed. */
  protected literal(): string | number | boolean | null | undefined {
    const j = this.i;
    switch (this.type()) {
      case Tok.STRING:
        this.i++;
        return this.stringValue(j);
      case Tok.NUMBER:
        this.i++;
        return Number(this.text(j));
      case Tok.BOOLEAN:
        this.i++;
        return this.src.charCodeAt(this.starts[j]) === 116;
      case Tok.UNDEFINED:
        this.i++;
        return undefined;
      case Tok.NULL:
        this.i++;
        return null;
    }
    return this.fail(this.startOf(j), `expected a name or value, got ${this.describe(j)}`);
  }

  /** The head of a tag: a path or data path, or a literal read as a name. */
  protected head(): Head {
    const j = this.i;
    const t = this.type();
    if (t === Tok.ID || t === Tok.DATA) {
      if (t === Tok.DATA) this.i++;
      this.readPath(t === Tok.DATA, this.starts[j]);
      return {
        data: this.pathData,
        depth: this.pathDepth,
        parts: this.parts.slice(0, this.partCount),
        original: null,
        first: this.pathFirst,
        last: this.pathLast,
        scoped: this.pathScoped,
        forbidden: this.pathForbidden,
      };
    }
    // Handlebars reads a literal there as the name it spells (`{{"a b"}}` looks up `a b`).
    const original = String(this.literal());
    return {
      data: false,
      depth: 0,
      parts: [original],
      original,
      first: -1,
      last: -1,
      scoped: isScoped(original),
      forbidden: isForbiddenName(original) ? 0 : -1,
    };
  }

  /**
   * Reads `a.b/c`, `../x`, `this.y`, `[lit]` (a number is accepted as a later segment,
   * `list.0`) into `parts` and the `path*` fields. `start` is where the path (or its `@`) starts.
   */
  protected readPath(data: boolean, start: number): void {
    let j = this.expect(Tok.ID, 'a name');
    const parts = this.parts;
    let n = 0;
    this.pathFirst = data ? j - 1 : j;
    let depth = 0;
    let forbidden = -1;
    let scoped = false;
    let first = true;
    for (;;) {
      const isId = this.types[j] === Tok.ID;
      const part = isId ? this.idValue(j) : this.text(j);
      const literal = isId && this.literalId;
      // Handlebars' `scopedId` tests the text as written, whose first character is `@` for data.
      if (first && !data && part.charCodeAt(0) === 46) scoped = true;
      first = false;
      if (!scoped && part.length >= 4 && hasThisWord(part)) scoped = true;
      if (!literal && (part === '..' || part === '.' || part === 'this')) {
        if (n > 0) {
          this.pathLast = j;
          this.fail(start, `invalid path "${this.pathOriginal()}"`);
        }
        if (part === '..') depth++;
      } else {
        if (forbidden < 0 && isForbiddenName(part)) forbidden = n;
        parts[n++] = part;
      }
      if (this.type() !== Tok.SEP) break;
      const sep = this.starts[this.i++];
      j = this.i++;
      const t = this.type(-1);
      if (t !== Tok.ID && !(t === Tok.NUMBER && isIndex(this.text(j)))) {
        this.fail(this.startOf(j), `expected a name after "${this.src[sep]}", got ${this.describe(j)}`);
      }
    }
    this.pathLast = j;
    this.partCount = n;
    this.pathDepth = depth;
    this.pathScoped = scoped;
    this.pathForbidden = forbidden;
    this.pathData = data;
  }

  /** A head as written (brackets of `[literal]` segments removed). */
  protected original(head: Head): string {
    head.original ??= this.spell(head.first, head.last);
    return head.original;
  }

  /** The path just read as written. */
  private pathOriginal(): string {
    return this.spell(this.pathFirst, this.pathLast);
  }

  /** A path as written, from its tokens `first` to `last`: their texts, `[literal]` brackets removed. */
  private spell(first: number, last: number): string {
    // Adjacent tokens without a `[literal]`: the source text itself.
    let adjacent = true;
    for (let j = first; j <= last && adjacent; j++) {
      if (this.src.charCodeAt(this.starts[j]) === 91 || (j > first && this.starts[j] !== this.ends[j - 1])) {
        adjacent = false;
      }
    }
    if (adjacent) return this.src.slice(this.starts[first], this.ends[last]);
    let original = '';
    for (let j = first; j <= last; j++) {
      const t = this.types[j];
      original += t === Tok.ID ? this.idValue(j) : t === Tok.DATA ? '@' : this.text(j);
    }
    return original;
  }

  /** Whether the last `idValue` was a `[literal]` segment. */
  private literalId = false;

  /** An identifier's value: `[literal]` segments lose their brackets and `\]` escapes. */
  protected idValue(j: number): string {
    const raw = this.text(j);
    this.literalId = false;
    if (raw.charCodeAt(0) !== 91) return raw;
    const text = raw.replace(/\\([\\\]])/g, '$1');
    // Handlebars strips the brackets only when no line break is inside.
    if (!/^\[.*\]$/.test(text)) return text;
    this.literalId = true;
    return text.slice(1, -1);
  }

  /** A string literal's value: quotes removed, the escaped quote unescaped. */
  protected stringValue(j: number): string {
    const quote = this.src[this.starts[j]];
    const value = this.src.slice(this.starts[j] + 1, this.ends[j] - 1);
    return value.includes(`\\${quote}`) ? value.split(`\\${quote}`).join(quote) : value;
  }
}

/** The name of a head that can name a function (one plain segment), else null. */
export function simpleName(head: Head): string | null {
  if (head.data || head.depth > 0 || head.scoped || head.parts.length !== 1) return null;
  return head.parts[0];
}

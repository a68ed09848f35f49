/**
 * The expression half of the parser (over the token cursor of `token-cursor.ts`): paths,
 * literals, sub-expressions, hash arguments and block parameters, and name resolution (function
 * call or lookup?).
 *
 * Names are resolved here, at parse time, as Handlebars does with `knownHelpersOnly`: a name
 * with arguments must be a function of the table (or an engine built-in), a bare name is a call
 * when the table has it and a lookup otherwise, and a block parameter shadows both.
 */

import type { CallExpression, Expression, HashPair, LiteralExpression } from './ast.js';
import {
  BLOCK_HELPERS,
  type FunctionEntry,
  type FunctionIndex,
  hasThisWord,
  isForbiddenKey,
  isForbiddenName,
  isIndex,
  isScoped,
} from './names.js';
import { TokenCursor } from './token-cursor.js';
import { startsValue, Tok, type TokenBuffer } from './tokens.js';

/** A path as written, before it is resolved against block parameters. */
export interface PathSyntax {
  readonly type: 'pathSyntax';
  readonly data: boolean;
  readonly depth: number;
  readonly parts: readonly string[];
  readonly original: string;
  /** Starts with `.` or holds `this`: never a function name or block parameter. */
  readonly scoped: boolean;
  /** Index of the first part whose lookup is forbidden (`__proto__`, …), or -1. */
  readonly forbidden: number;
}

/** What may stand where Handlebars expects a "helperName" or a "param". */
export type Syntax = PathSyntax | LiteralExpression | CallExpression;

/** The parts of a tag: the name, positional arguments and hash arguments. */
export interface TagParts {
  readonly head: Syntax;
  readonly params: Syntax[];
  readonly hash: HashPair[] | null;
  readonly start: number;
}

const UNDEFINED: LiteralExpression = Object.freeze({ type: 'literal', value: undefined });
const NO_EXPRESSIONS: readonly Expression[] = Object.freeze([]);
/** Token cursor plus expression parsing; the statement parser extends it. */
export class ExpressionParser extends TokenCursor {
  /** Block parameter names of the enclosing blocks that declare some, innermost last. */
  protected readonly blockParamStack: (readonly string[])[] = [];

  constructor(
    src: string,
    name: string,
    tokens: TokenBuffer,
    private readonly functions: FunctionIndex,
  ) {
    super(src, name, tokens);
  }

  /** `helperName param* hash?` of a tag. */
  protected tagParts(): TagParts {
    const start = this.startOf(this.i);
    const head = this.helperName();
    const { params, hash } = this.args();
    return { head, params, hash, start };
  }

  /** `param* hash?`. */
  protected args(): { params: Syntax[]; hash: HashPair[] | null } {
    const params: Syntax[] = [];
    for (;;) {
      const t = this.type();
      if (t === Tok.ID && this.type(1) === Tok.EQUALS) return { params, hash: this.hashPairs() };
      if (t === Tok.OPEN_SEXPR) params.push(this.subExpression());
      else if (startsValue(t)) params.push(this.helperName());
      else return { params, hash: null };
    }
  }

  private hashPairs(): HashPair[] {
    const pairs: HashPair[] = [];
    while (this.type() === Tok.ID && this.type(1) === Tok.EQUALS) {
      const key = this.idValue(this.i);
      if (isForbiddenKey(key)) this.fail(this.startOf(this.i), `"${key}" is not allowed as a key`);
      this.i += 2;
      const value = this.type() === Tok.OPEN_SEXPR ? this.subExpression() : this.helperName();
      pairs.push({ key, value: this.toExpression(value) });
    }
    return pairs;
  }

  /** `as |a b|`, or null. */
  protected blockParams(): string[] | null {
    if (this.type() !== Tok.OPEN_BLOCK_PARAMS) return null;
    this.i++;
    const names: string[] = [this.idValue(this.expect(Tok.ID, 'a block parameter name'))];
    while (this.type() === Tok.ID) names.push(this.idValue(this.i++));
    this.expect(Tok.CLOSE_BLOCK_PARAMS, '"|"');
    return names;
  }

  /** `(name args…)`: always a function call. */
  protected subExpression(): CallExpression {
    const open = this.startOf(this.i++);
    this.enterNesting(open);
    const parts = this.tagParts();
    this.expect(Tok.CLOSE_SEXPR, '")"');
    this.nesting--;
    return this.call(parts.head, parts.params, parts.hash, open);
  }

  /** A path, data path or literal. */
  protected helperName(): Syntax {
    const j = this.i;
    switch (this.type()) {
      case Tok.ID:
        return this.path(false, this.starts[j]);
      case Tok.DATA:
        this.i++;
        return this.path(true, this.starts[j]);
      case Tok.STRING:
        this.i++;
        return { type: 'literal', value: this.stringValue(j) };
      case Tok.NUMBER:
        this.i++;
        return { type: 'literal', value: Number(this.text(j)) };
      case Tok.BOOLEAN:
        this.i++;
        return { type: 'literal', value: this.src.charCodeAt(this.starts[j]) === 116 };
      case Tok.UNDEFINED:
        this.i++;
        return UNDEFINED;
      case Tok.NULL:
        this.i++;
        return { type: 'literal', value: null };
    }
    return this.fail(this.startOf(j), `expected a name or value, got ${this.describe(j)}`);
  }

  /** `a.b/c`, `../x`, `this.y`, `[lit]`; a number is accepted as a later segment (`list.0`). */
  private path(data: boolean, start: number): PathSyntax {
    let j = this.expect(Tok.ID, 'a name');
    let original = data ? '@' : '';
    const parts: string[] = [];
    let depth = 0;
    let forbidden = -1;
    let scoped = false;
    for (;;) {
      const isId = this.types[j] === Tok.ID;
      const part = isId ? this.idValue(j) : this.text(j);
      const literal = isId && this.literalId;
      if (original === '' && part.charCodeAt(0) === 46) scoped = true;
      original += part;
      if (!scoped && part.length >= 4 && hasThisWord(part)) scoped = true;
      if (!literal && (part === '..' || part === '.' || part === 'this')) {
        if (parts.length > 0) this.fail(start, `invalid path "${original}"`);
        if (part === '..') depth++;
      } else {
        if (forbidden < 0 && isForbiddenName(part)) forbidden = parts.length;
        parts.push(part);
      }
      if (this.type() !== Tok.SEP) break;
      const sep = this.starts[this.i++];
      j = this.i++;
      const t = this.type(-1);
      if (t !== Tok.ID && !(t === Tok.NUMBER && isIndex(this.text(j)))) {
        this.fail(this.startOf(j), `expected a name after "${this.src[sep]}", got ${this.describe(j)}`);
      }
      original += this.src[sep];
    }
    return { type: 'pathSyntax', data, depth, parts, original, scoped, forbidden };
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
  private stringValue(j: number): string {
    const quote = this.src[this.starts[j]];
    const value = this.src.slice(this.starts[j] + 1, this.ends[j] - 1);
    return value.includes(`\\${quote}`) ? value.split(`\\${quote}`).join(quote) : value;
  }

  /** The function a simple name calls, if any. */
  protected functionNamed(name: string): FunctionEntry | null {
    return this.functions.byName.get(name) ?? null;
  }

  /**
   * The name of the function `head` calls: a simple name, or a plain dotted path the table
   * holds under that exact name (`Files.Get`, `Capabilities.APIVersions.Has`) whose first part
   * is not a block parameter. Null when the head cannot name a function.
   */
  protected calleeName(head: Syntax): string | null {
    const simple = simpleName(head);
    if (simple !== null || head.type !== 'pathSyntax') return simple;
    const dotted = dottedName(head);
    if (dotted === null || this.findBlockParam(head.parts[0]!) !== null) return null;
    return this.functionNamed(dotted) === null ? null : dotted;
  }

  /** A call of `head` (which must name a function) with its arguments. */
  protected call(
    head: Syntax,
    params: readonly Syntax[],
    hash: HashPair[] | null,
    offset: number,
  ): CallExpression {
    const name = this.calleeName(head);
    const fn = name === null ? null : this.functionNamed(name);
    if (name === null || fn === null) this.fail(offset, `unknown helper "${displayName(head)}"`);
    return {
      type: 'call',
      fn,
      params: params.length === 0 ? NO_EXPRESSIONS : params.map((p) => this.toExpression(p)),
      hash,
      line: this.line(offset),
      column: this.column,
    };
  }

  /**
   * What a mustache prints: a call when arguments are given or the bare name is a function.
   * `start` is where the tag starts (the call's location).
   */
  protected mustacheExpression(parts: TagParts, start: number): Expression {
    const { head, params, hash } = parts;
    const name = simpleName(head);
    const isParam = name !== null && this.findBlockParam(name) !== null;
    if (name !== null && !isParam && (BLOCK_HELPERS.has(name) || name === 'raw')) {
      this.fail(start, `"${name}" is a block helper: write {{#${name} …}}…{{/${name}}}`);
    }
    if (params.length > 0 || hash !== null) return this.call(head, params, hash, start);
    if (name !== null && !isParam && this.functionNamed(name) !== null)
      return this.call(head, params, hash, start);
    if (name === null && this.calleeName(head) !== null) return this.call(head, params, hash, start);
    return this.headExpression(head);
  }

  /** A head used as a value: a literal there is a name, as in Handlebars (`{{"a b"}}` reads `a b`). */
  protected headExpression(head: Syntax): Expression {
    return this.toExpression(head.type === 'literal' ? literalPath(head) : head);
  }

  /** Resolves a parameter: paths become context, data or block-parameter lookups. */
  protected toExpression(s: Syntax): Expression {
    if (s.type !== 'pathSyntax') return s;
    const { parts, depth, forbidden } = s;
    if (depth === 0 && !s.scoped && parts.length > 0) {
      const bp = this.findBlockParam(parts[0]);
      if (bp !== null) {
        // The first part names the parameter; a lookup through a forbidden name is undefined.
        if (forbidden > 0) return UNDEFINED;
        return { type: 'blockParam', up: bp[0], index: bp[1], parts: parts.slice(1) };
      }
    }
    if (s.data) return forbidden > 0 ? UNDEFINED : { type: 'data', depth, parts };
    return forbidden >= 0 ? UNDEFINED : { type: 'path', depth, parts };
  }

  /** `[levels up, index]` of a block parameter visible here, or null. */
  private findBlockParam(name: string): [number, number] | null {
    const stack = this.blockParamStack;
    for (let k = stack.length - 1; k >= 0; k--) {
      const index = stack[k].indexOf(name);
      if (index >= 0) return [stack.length - 1 - k, index];
    }
    return null;
  }
}

/** The path Handlebars makes of a literal standing where a name is expected. */
function literalPath(l: LiteralExpression): PathSyntax {
  const original = String(l.value);
  return {
    type: 'pathSyntax',
    data: false,
    depth: 0,
    parts: [original],
    original,
    scoped: isScoped(original),
    forbidden: isForbiddenName(original) ? 0 : -1,
  };
}

/** The name of a head that can name a function (one plain segment), else null. */
export function simpleName(head: Syntax): string | null {
  const p = head.type === 'literal' ? literalPath(head) : head;
  if (p.type !== 'pathSyntax' || p.data || p.depth > 0 || p.scoped || p.parts.length !== 1) return null;
  return p.parts[0];
}

/** A plain dotted path (`a.b.c`: no `this`, `@`, `../` or `/`), joined with dots, else null. */
function dottedName(p: PathSyntax): string | null {
  if (p.parts.length < 2 || p.data || p.depth > 0 || p.scoped || p.forbidden >= 0) return null;
  const joined = p.parts.join('.');
  return p.original === joined ? joined : null;
}

/** How a head is shown in messages. */
export function displayName(head: Syntax): string {
  if (head.type === 'pathSyntax') return head.original;
  if (head.type === 'literal') return String(head.value);
  return head.fn.name;
}

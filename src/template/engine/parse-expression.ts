/**
 * The expression half of the parser (over the path reader of `parse-path.ts`): arguments,
 * sub-expressions, hash arguments and block parameters, and name resolution (function call or
 * lookup?). Expressions are compiled as they are read (`compile.ts`): no tree is built.
 *
 * Names are resolved here, at parse time, as Handlebars does with `knownHelpersOnly`: a name
 * with arguments must be a function of the table (or an engine built-in), a bare name is a call
 * when the table has it and a lookup otherwise, and a block parameter shadows both.
 */

import { Op } from './bytecode.js';
import type { CodeWriter } from './compile.js';
import { BLOCK_HELPERS, type FunctionEntry, type FunctionIndex, isForbiddenKey } from './names.js';
import { type Head, type LiteralValue, NOT_LITERAL, PathReader, simpleName } from './parse-path.js';
import { Tok, type TokenBuffer } from './tokens.js';

export { type Head, simpleName } from './parse-path.js';

/** Path reading plus expression parsing; the statement parser extends it. */
export class ExpressionParser extends PathReader {
  /** Block parameter names of the enclosing blocks that declare some, innermost last. */
  protected readonly blockParamStack: (readonly string[])[] = [];

  constructor(
    src: string,
    name: string,
    tokens: TokenBuffer,
    private readonly functions: FunctionIndex,
    protected readonly out: CodeWriter,
  ) {
    super(src, name, tokens);
  }

  /**
   * `param* hash?`: emits every value; returns how many positional arguments there are, and
   * leaves in `hashKeys` and `firstString` what the caller checks (read them before the next
   * `args()`).
   */
  protected args(): number {
    let count = 0;
    let hashKeys = -1;
    let firstString: string | null = null;
    for (;;) {
      const t = this.type();
      if (t === Tok.ID && this.type(1) === Tok.EQUALS) {
        hashKeys = this.hashPairs();
        break;
      }
      if (t === Tok.OPEN_SEXPR) this.subExpression();
      // `ID` … `NULL` (contiguous kinds): a path, data path or literal.
      else if (t >= Tok.ID && t <= Tok.NULL) {
        const value = this.value();
        if (count === 0 && typeof value === 'string') firstString = value;
      } else break;
      count++;
    }
    this.hashKeys = hashKeys;
    this.firstString = firstString;
    return count;
  }

  /** The constant holding the hash keys of the last `args()`, or -1 without `key=value`. */
  protected hashKeys = -1;
  /** The first positional argument of the last `args()` when it is a string literal, else null. */
  protected firstString: string | null = null;

  /** `key=value…`: emits the values; returns the constant holding the keys. */
  private hashPairs(): number {
    const keys: string[] = [];
    while (this.type() === Tok.ID && this.type(1) === Tok.EQUALS) {
      const key = this.idValue(this.i);
      if (isForbiddenKey(key)) this.fail(this.startOf(this.i), `"${key}" is not allowed as a key`);
      this.i += 2;
      if (this.type() === Tok.OPEN_SEXPR) this.subExpression();
      else this.value();
      keys.push(key);
    }
    return this.out.constant(keys);
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
  protected subExpression(): void {
    const open = this.startOf(this.i++);
    this.enterNesting(open);
    const head = this.head();
    const argc = this.args();
    const hashKeys = this.hashKeys;
    this.expect(Tok.CLOSE_SEXPR, '")"');
    this.nesting--;
    this.emitCall(head, argc, hashKeys, open);
  }

  /**
   * A value standing as an argument (a path, data path or literal): emits its code; returns the
   * literal's value, or `NOT_LITERAL`.
   */
  private value(): LiteralValue {
    const j = this.i;
    switch (this.type()) {
      case Tok.ID:
        this.readPath(false, this.starts[j]);
        this.emitReadPath();
        return NOT_LITERAL;
      case Tok.DATA:
        this.i++;
        this.readPath(true, this.starts[j]);
        this.emitReadPath();
        return NOT_LITERAL;
      case Tok.UNDEFINED:
        this.i++;
        this.out.emit(Op.UNDEF);
        return undefined;
    }
    const value = this.literal();
    const out = this.out;
    out.emit2(Op.LIT, out.constant(value));
    return value;
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
  protected calleeName(head: Head): string | null {
    const simple = simpleName(head);
    if (simple !== null) return simple;
    if (!this.functions.dottedHeads.has(head.parts[0]!)) return null;
    const dotted = dottedName(head, this.original(head));
    if (dotted === null || this.findBlockParam(head.parts[0]!) >= 0) return null;
    return this.functionNamed(dotted) === null ? null : dotted;
  }

  /** Emits a call of `head` (which must name a function) on the arguments already emitted. */
  protected emitCall(head: Head, argc: number, hashKeys: number, offset: number): void {
    const name = this.calleeName(head);
    const fn = name === null ? null : this.functionNamed(name);
    if (name === null || fn === null) this.fail(offset, `unknown helper "${this.original(head)}"`);
    const line = this.line(offset);
    const out = this.out;
    out.emit3(Op.CALL, fn.slot, argc);
    out.emit3(hashKeys, line, this.column);
  }

  /**
   * Emits what a mustache prints: a call when arguments are given or the bare name is a
   * function, else the head's value. `start` is where the tag starts (the call's location).
   */
  protected emitMustache(head: Head, argc: number, hashKeys: number, start: number): void {
    const name = simpleName(head);
    const isParam = name !== null && this.findBlockParam(name) >= 0;
    if (name !== null && !isParam && (BLOCK_HELPERS.has(name) || name === 'raw')) {
      this.fail(start, `"${name}" is a block helper: write {{#${name} …}}…{{/${name}}}`);
    }
    if (
      argc > 0 ||
      hashKeys >= 0 ||
      (name !== null && !isParam && this.functionNamed(name) !== null) ||
      (name === null && this.calleeName(head) !== null)
    ) {
      this.emitCall(head, argc, hashKeys, start);
      return;
    }
    this.emitHead(head);
  }

  /** Emits a head's value: a context, data or block-parameter lookup. */
  protected emitHead(head: Head): void {
    this.emitLookup(head.parts, head.parts.length, head.data, head.depth, head.scoped, head.forbidden);
  }

  /** Emits the lookup of the path `readPath` just read. */
  private emitReadPath(): void {
    this.emitLookup(
      this.parts,
      this.partCount,
      this.pathData,
      this.pathDepth,
      this.pathScoped,
      this.pathForbidden,
    );
  }

  /** Emits the lookup of a path (its first `n` parts), resolved against the block parameters. */
  private emitLookup(
    parts: readonly string[],
    n: number,
    data: boolean,
    depth: number,
    scoped: boolean,
    forbidden: number,
  ): void {
    const out = this.out;
    let from = 0;
    if (depth === 0 && !scoped && n > 0) {
      const index = this.findBlockParam(parts[0]);
      if (index >= 0) {
        // The first part names the parameter; a lookup through a forbidden name is undefined.
        if (forbidden > 0) {
          out.emit(Op.UNDEF);
          return;
        }
        out.emit3(Op.PARAM, this.paramUp, index);
        from = 1;
      }
    }
    if (from === 0) {
      if (data ? forbidden > 0 : forbidden >= 0) {
        out.emit(Op.UNDEF);
        return;
      }
      out.emit2(data ? Op.DATA : Op.PATH, depth);
    }
    out.emit(n - from);
    for (let k = from; k < n; k++) out.emit(out.constant(parts[k]));
  }

  /** Levels up of the block parameter `findBlockParam` found last. */
  private paramUp = 0;

  /**
   * The index of the block parameter `name` names here, or -1; how many blocks-with-params up
   * it is declared is left in `paramUp`.
   */
  protected findBlockParam(name: string): number {
    const stack = this.blockParamStack;
    for (let k = stack.length - 1; k >= 0; k--) {
      const index = stack[k].indexOf(name);
      if (index >= 0) {
        this.paramUp = stack.length - 1 - k;
        return index;
      }
    }
    return -1;
  }
}

/** A plain dotted path (`a.b.c`: no `this`, `@`, `../` or `/`), joined with dots, else null. */
function dottedName(p: Head, original: string): string | null {
  if (p.parts.length < 2 || p.data || p.depth > 0 || p.scoped || p.forbidden >= 0) return null;
  const joined = p.parts.join('.');
  return original === joined ? joined : null;
}

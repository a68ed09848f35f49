/**
 * The statement parser: a recursive-descent parser over the token buffer with Handlebars'
 * grammar (mustaches, blocks with `{{else}}` / `{{else if …}}` chains, inverted and raw blocks,
 * partials, comments), compiling as it reads (`compile.ts`). Block shapes follow Handlebars'
 * `prepareBlock` exactly, strip flags included, because the whitespace pass depends on them.
 */

import {
  type BlockHelper,
  type BlockStatement,
  type ContentStatement,
  type MustacheStatement,
  type PartialStatement,
  type Program,
  type Statement,
  type Strip,
  texts,
} from './ast.js';
import { Helper, Op, type OpBuffer } from './bytecode.js';
import { BLOCK_HELPERS } from './names.js';
import { ExpressionParser, type Head, simpleName } from './parse-expression.js';
import { NO_STRIP } from './token-cursor.js';
import { Tok } from './tokens.js';

/** The `{{else}}` part of a block, or the chain of `{{else if …}}` links. */
interface InverseAndProgram {
  readonly strip: Strip;
  readonly program: Program;
  readonly chain: boolean;
  /** Its code range. */
  readonly start: number;
  readonly end: number;
}

/** An opening tag, classified (its arguments' code emitted). */
interface OpenTag {
  readonly helper: BlockHelper;
  readonly argc: number;
  readonly blockParams: string[] | null;
  readonly strip: Strip;
  readonly original: string;
  readonly start: number;
  /** The define's name (for `define`). */
  readonly defineName: string;
}

/** A mustache without `~`: all the whitespace pass needs of it, shared. */
const PLAIN_MUSTACHE: MustacheStatement = Object.freeze({ type: 'mustache', strip: NO_STRIP });

function program(body: Statement[], chained: boolean): Program {
  return { body, chained };
}

/** The statement parser of one template (see `parse.ts` for the whole pipeline). */
export class TemplateParser extends ExpressionParser {
  /** Every partial: the whitespace pass may give them an indent. */
  readonly partials: PartialStatement[] = [];
  /** The buffer each partial's instruction is in (the body's or the defines'). */
  readonly partialBuffers: OpBuffer[] = [];

  failAt(offset: number, detail: string): never {
    return this.fail(offset, detail);
  }

  parse(): Program {
    const body = this.statements();
    if (this.type() !== Tok.EOF) this.fail(this.startOf(this.i), `unexpected ${this.describe(this.i)}`);
    return program(body, false);
  }

  /** Statements of the programs being read (nested programs above their parents'). */
  private readonly pending: Statement[] = [];
  private top = 0;

  private statements(): Statement[] {
    const base = this.top;
    const pending = this.pending;
    for (;;) {
      const j = this.i;
      let statement: Statement;
      switch (this.type()) {
        case Tok.CONTENT:
          this.i++;
          statement = this.content(j);
          break;
        case Tok.COMMENT:
          this.i++;
          statement = { type: 'comment', strip: this.strip(j, j) };
          break;
        case Tok.OPEN:
        case Tok.OPEN_UNESCAPED:
          statement = this.mustache();
          break;
        case Tok.OPEN_BLOCK:
        case Tok.OPEN_INVERSE:
          statement = this.block();
          break;
        case Tok.OPEN_RAW_BLOCK:
          statement = this.rawBlock();
          break;
        case Tok.OPEN_PARTIAL:
          statement = this.partial();
          break;
        case Tok.OPEN_PARTIAL_BLOCK:
          return this.fail(this.startOf(j), 'partial blocks ({{#> …}}) are not supported');
        case Tok.DECORATOR:
        case Tok.DECORATOR_BLOCK:
          return this.fail(this.startOf(j), 'decorators ({{* …}}) are not supported');
        default: {
          // An exact-size body (most are short: growing a fresh array would over-allocate).
          const body = pending.slice(base, this.top);
          this.top = base;
          return body;
        }
      }
      pending[this.top++] = statement;
    }
  }

  /** A text: printed by a `TEXT` whose constant the whitespace pass fills in. */
  private content(j: number): ContentStatement {
    const value = this.text(j);
    const out = this.out;
    const slot = out.constant(value);
    out.emit2(Op.TEXT, slot);
    const k = texts.count++;
    texts.original[k] = value;
    texts.value[k] = value;
    texts.flags[k] = 0;
    texts.slot[k] = slot;
    return k;
  }

  private mustache(): MustacheStatement {
    const unescaped = this.type() === Tok.OPEN_UNESCAPED;
    const open = this.i++;
    const head = this.head();
    const argc = this.args();
    const hashKeys = this.hashKeys;
    const close = this.expect(unescaped ? Tok.CLOSE_UNESCAPED : Tok.CLOSE, unescaped ? '"}}}"' : '"}}"');
    this.emitMustache(head, argc, hashKeys, this.startOf(open));
    this.out.emit(Op.PRINT);
    const strip = this.strip(open, close);
    return strip === NO_STRIP ? PLAIN_MUSTACHE : { type: 'mustache', strip };
  }

  private block(): BlockStatement {
    const inverted = this.type() === Tok.OPEN_INVERSE;
    const atTop = this.nesting === 0;
    const open = this.openTag(inverted);
    const isDefine = open.helper === 'define';
    const out = this.out;
    // A define's body goes with the defines, after the template's body.
    const saved = isDefine ? out.beginDefine() : null;
    const at = isDefine ? -1 : this.blockHeader(open.helper);
    const start = out.ops.length;
    const body = this.program(open.blockParams);
    const end = out.ops.length;
    let rest: InverseAndProgram | null = null;
    if (!inverted && this.type() === Tok.OPEN_INVERSE_CHAIN) rest = this.inverseChain();
    else if (this.type() === Tok.INVERSE) rest = this.elseProgram();
    const closeStrip = this.closeBlock(open);
    const block = this.prepareBlock(open, body, rest, closeStrip, inverted);
    // `program` runs when the helper says so, `inverse` otherwise (swapped when inverted).
    const restStart = rest === null ? end : rest.start;
    const restEnd = rest === null ? end : rest.end;
    const programStart = inverted ? restStart : start;
    const programEnd = inverted ? restEnd : end;
    if (isDefine) {
      if (!atTop) this.fail(open.start, '"define" is only allowed at the top level');
      out.endDefine(saved!, open.defineName, programStart, programEnd);
    } else {
      const ops = out.ops;
      const params = open.blockParams !== null ? 1 : 0;
      ops.setAddress(at + 2, programStart);
      ops.setAddress(at + 3, programEnd);
      ops.set(at + 4, inverted ? 0 : params);
      ops.setAddress(at + 5, inverted ? start : restStart);
      ops.setAddress(at + 6, inverted ? end : restEnd);
      ops.set(at + 7, inverted ? params : 0);
      ops.set(at + 8, open.argc);
      ops.setAddress(at + 9, ops.length);
    }
    return block;
  }

  /** Emits `BLOCK helper` with room for its operands; returns its offset. */
  private blockHeader(helper: BlockHelper): number {
    const out = this.out;
    const at = out.emit(Op.BLOCK);
    out.emit(Helper[helper as keyof typeof Helper]);
    for (let k = 0; k < 8; k++) out.emit(0);
    return at;
  }

  /** `{{#name args as |a|}}`, `{{^name}}` or `{{else name …}}`, classified; emits its arguments. */
  private openTag(inverted: boolean): OpenTag {
    const openToken = this.i++;
    const start = this.startOf(this.i);
    const head = this.head();
    const mark = this.out.ops.length;
    const count = this.args();
    const hashKeys = this.hashKeys;
    const defineName = this.firstString;
    const blockParams = this.blockParams();
    const close = this.expect(Tok.CLOSE, '"}}"');
    const argc = this.classifyBlock(head, count, hashKeys >= 0, defineName !== null, start, inverted);
    const helper = this.helper;
    if (helper === 'let' && (blockParams === null || blockParams.length > argc)) {
      this.fail(start, '"let" needs as many values as block parameters (as |name …|)');
    }
    // A define's name is not code.
    if (helper === 'define') this.out.ops.truncate(mark);
    return {
      helper,
      argc,
      blockParams,
      strip: this.strip(openToken, close),
      original: this.original(head),
      start: this.startOf(openToken),
      defineName: defineName ?? '',
    };
  }

  /** The helper `classifyBlock` found. */
  private helper: BlockHelper = 'if';

  /**
   * Classifies a block's opening tag: leaves its helper in `helper` and returns its argument
   * count (for `{{^path}}`, emits the path as the argument of an `if`).
   */
  private classifyBlock(
    head: Head,
    count: number,
    hasHash: boolean,
    firstIsString: boolean,
    start: number,
    inverted: boolean,
  ): number {
    const name = simpleName(head);
    if (name !== null && BLOCK_HELPERS.has(name)) {
      if (hasHash) this.fail(start, `"${name}" takes no key=value arguments`);
      const helper = name as BlockHelper;
      const want = helper === 'let' ? count || 1 : 1;
      if (count !== want) this.fail(start, `"${name}" needs exactly one argument`);
      if (helper === 'define' && !firstIsString) {
        this.fail(start, '"define" needs a template name in quotes');
      }
      this.helper = helper;
      return count;
    }
    const isFunction = name !== null && this.functionNamed(name) !== null;
    if (inverted && count === 0 && !hasHash && !isFunction) {
      // `{{^path}}…{{/path}}`: an inverse section, i.e. `if` with its branches swapped.
      this.emitHead(head);
      this.helper = 'if';
      return 1;
    }
    if (isFunction) return this.fail(start, `"${name}" is a function, not a block helper`);
    return this.fail(start, `unknown helper "${this.original(head)}"`);
  }

  private program(blockParams: string[] | null): Program {
    this.enterNesting(this.startOf(this.i));
    if (blockParams !== null) this.blockParamStack.push(blockParams);
    const body = this.statements();
    if (blockParams !== null) this.blockParamStack.pop();
    this.nesting--;
    return program(body, false);
  }

  private elseProgram(): InverseAndProgram {
    const j = this.i++;
    const start = this.out.ops.length;
    const p = this.program(null);
    return { strip: this.strip(j, j), program: p, chain: false, start, end: this.out.ops.length };
  }

  /** `{{else if …}}…` links, nested as Handlebars nests them (each link a chained program). */
  private inverseChain(): InverseAndProgram {
    const chainStart = this.out.ops.length;
    const open = this.openTag(false);
    if (open.helper === 'define') this.fail(open.start, '"define" cannot follow else');
    const at = this.blockHeader(open.helper);
    const start = this.out.ops.length;
    const body = this.program(open.blockParams);
    const end = this.out.ops.length;
    let rest: InverseAndProgram | null = null;
    this.enterNesting(open.start);
    if (this.type() === Tok.OPEN_INVERSE_CHAIN) rest = this.inverseChain();
    else if (this.type() === Tok.INVERSE) rest = this.elseProgram();
    this.nesting--;
    const link = this.prepareBlock(open, body, rest, rest === null ? NO_STRIP : rest.strip, false);
    const ops = this.out.ops;
    ops.setAddress(at + 2, start);
    ops.setAddress(at + 3, end);
    ops.set(at + 4, open.blockParams !== null ? 1 : 0);
    ops.setAddress(at + 5, rest === null ? end : rest.start);
    ops.setAddress(at + 6, rest === null ? end : rest.end);
    ops.set(at + 7, 0);
    ops.set(at + 8, open.argc);
    ops.setAddress(at + 9, ops.length);
    return {
      strip: open.strip,
      program: program([link], true),
      chain: true,
      start: chainStart,
      end: ops.length,
    };
  }

  /** `{{/name}}`: must match the opening name. Returns its strip flags. */
  private closeBlock(open: OpenTag): Strip {
    const t = this.type();
    if (t === Tok.EOF) this.fail(open.start, `unclosed block "${open.original}"`);
    if (t !== Tok.OPEN_ENDBLOCK) this.fail(this.startOf(this.i), `unexpected ${this.describe(this.i)}`);
    const first = this.i++;
    const name = this.original(this.head());
    const close = this.expect(Tok.CLOSE, '"}}"');
    if (name !== open.original) this.fail(open.start, `"${open.original}" doesn't match "${name}"`);
    return this.strip(first, close);
  }

  /** Handlebars' `prepareBlock`. */
  private prepareBlock(
    open: OpenTag,
    body: Program,
    rest: InverseAndProgram | null,
    closeStrip: Strip,
    inverted: boolean,
  ): BlockStatement {
    let inverse: Program | null = null;
    let inverseStrip = NO_STRIP;
    if (rest !== null) {
      if (rest.chain) (rest.program.body[0] as BlockStatement).closeStrip = closeStrip;
      inverseStrip = rest.strip;
      inverse = rest.program;
    }
    return {
      type: 'block',
      program: inverted ? inverse : body,
      inverse: inverted ? body : inverse,
      openStrip: open.strip,
      inverseStrip,
      closeStrip,
    };
  }

  /** `{{{{raw}}}}…{{{{/raw}}}}`: the content is literal. */
  private rawBlock(): BlockStatement {
    const open = this.startOf(this.i++);
    const head = this.head();
    const argc = this.args();
    const hashKeys = this.hashKeys;
    this.expect(Tok.CLOSE_RAW_BLOCK, '"}}}}"');
    const body: Statement[] = [];
    while (this.type() === Tok.CONTENT) body.push(this.content(this.i++));
    const end = this.text(this.expect(Tok.END_RAW_BLOCK, 'the end of the raw block')).slice(5, -4);
    const original = this.original(head);
    if (original !== end) this.fail(open, `"${original}" doesn't match "${end}"`);
    if (simpleName(head) !== 'raw' || argc > 0 || hashKeys >= 0) {
      this.fail(open, `unknown helper "${original}" (raw blocks are written {{{{raw}}}}…{{{{/raw}}}})`);
    }
    return {
      type: 'block',
      program: program(body, false),
      inverse: null,
      openStrip: NO_STRIP,
      inverseStrip: NO_STRIP,
      closeStrip: NO_STRIP,
    };
  }

  /** `{{> name ctx key=value}}` or `{{> (expr) …}}`. */
  private partial(): PartialStatement {
    const open = this.i++;
    const dynamic = this.type() === Tok.OPEN_SEXPR;
    let name = '';
    if (dynamic) this.subExpression();
    else name = this.original(this.head());
    const argc = this.args();
    const hashKeys = this.hashKeys;
    const start = this.startOf(open);
    if (argc > 1) this.fail(start, `a partial takes one context argument, got ${argc}`);
    const close = this.expect(Tok.CLOSE, '"}}"');
    const out = this.out;
    const nameSlot = dynamic ? -1 : out.constant(name);
    out.emit3(Op.PARTIAL, nameSlot, argc);
    out.emit(hashKeys);
    const indentAt = out.emit(-1);
    out.emit(this.line(start));
    const p: PartialStatement = { type: 'partial', strip: this.strip(open, close), indent: '', indentAt };
    this.partials.push(p);
    this.partialBuffers.push(out.ops);
    return p;
  }
}

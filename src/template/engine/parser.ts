/**
 * The statement parser: a recursive-descent parser over the token buffer with Handlebars'
 * grammar (mustaches, blocks with `{{else}}` / `{{else if …}}` chains, inverted and raw blocks,
 * partials, comments). Block shapes follow Handlebars' `prepareBlock` exactly, strip flags
 * included, because the whitespace pass depends on them.
 */

import type {
  BlockHelper,
  BlockStatement,
  ContentStatement,
  DefineNode,
  Expression,
  MustacheStatement,
  PartialStatement,
  Program,
  Statement,
  Strip,
  TemplateAst,
} from './ast.js';
import { tokenize } from './lexer.js';
import { BLOCK_HELPERS, type FunctionIndex } from './names.js';
import { displayName, ExpressionParser, simpleName, type TagParts } from './parse-expression.js';
import { NO_STRIP } from './token-cursor.js';
import { LexError, Tok, TokenBuffer } from './tokens.js';
import { applyWhitespaceControl } from './whitespace.js';

/**
 * Parses template source into an AST with whitespace control applied (compile it with
 * `compileTemplate`). Throws `RenderError(name, line, 'parse error: …')`.
 */
export function parseTemplate(source: string, name: string, functions: FunctionIndex): TemplateAst {
  let tokens: TokenBuffer;
  try {
    tokens = tokenize(source);
  } catch (err) {
    if (!(err instanceof LexError)) throw err;
    return new TemplateParser(source, name, new TokenBuffer(), functions).failAt(err.offset, err.message);
  }
  const ast = new TemplateParser(source, name, tokens, functions).parse();
  applyWhitespaceControl(ast.body);
  return ast;
}

/** The `{{else}}` part of a block, or the chain of `{{else if …}}` links. */
interface InverseAndProgram {
  readonly strip: Strip;
  readonly program: Program;
  readonly chain: boolean;
}

/** An opening tag, classified. */
interface OpenTag {
  readonly helper: BlockHelper;
  readonly params: readonly Expression[];
  readonly blockParams: string[] | null;
  readonly strip: Strip;
  readonly original: string;
  readonly start: number;
}

function program(body: Statement[], blockParams: string[] | null, chained: boolean): Program {
  return { body, blockParams, chained };
}

function content(value: string): ContentStatement {
  return { type: 'content', original: value, value, leftStripped: false, rightStripped: false };
}

class TemplateParser extends ExpressionParser {
  private readonly defines: DefineNode[] = [];

  failAt(offset: number, detail: string): never {
    return this.fail(offset, detail);
  }

  parse(): TemplateAst {
    const body = this.statements();
    if (this.type() !== Tok.EOF) this.fail(this.startOf(this.i), `unexpected ${this.describe(this.i)}`);
    return { body: program(body, null, false), defines: this.defines };
  }

  private statements(): Statement[] {
    const out: Statement[] = [];
    for (;;) {
      const j = this.i;
      switch (this.type()) {
        case Tok.CONTENT:
          this.i++;
          out.push(content(this.text(j)));
          break;
        case Tok.COMMENT:
          this.i++;
          out.push({ type: 'comment', strip: this.strip(j, j) });
          break;
        case Tok.OPEN:
        case Tok.OPEN_UNESCAPED:
          out.push(this.mustache());
          break;
        case Tok.OPEN_BLOCK:
        case Tok.OPEN_INVERSE:
          out.push(this.block());
          break;
        case Tok.OPEN_RAW_BLOCK:
          out.push(this.rawBlock());
          break;
        case Tok.OPEN_PARTIAL:
          out.push(this.partial());
          break;
        case Tok.OPEN_PARTIAL_BLOCK:
          return this.fail(this.startOf(j), 'partial blocks ({{#> …}}) are not supported');
        case Tok.DECORATOR:
        case Tok.DECORATOR_BLOCK:
          return this.fail(this.startOf(j), 'decorators ({{* …}}) are not supported');
        default:
          return out;
      }
    }
  }

  private mustache(): MustacheStatement {
    const unescaped = this.type() === Tok.OPEN_UNESCAPED;
    const open = this.i++;
    const parts = this.tagParts();
    const close = this.expect(unescaped ? Tok.CLOSE_UNESCAPED : Tok.CLOSE, unescaped ? '"}}}"' : '"}}"');
    return {
      type: 'mustache',
      expr: this.mustacheExpression(parts, this.startOf(open)),
      strip: this.strip(open, close),
    };
  }

  private block(): BlockStatement {
    const inverted = this.type() === Tok.OPEN_INVERSE;
    const atTop = this.nesting === 0;
    const open = this.openTag(inverted);
    const body = this.program(open.blockParams);
    let rest: InverseAndProgram | null = null;
    if (!inverted && this.type() === Tok.OPEN_INVERSE_CHAIN) rest = this.inverseChain();
    else if (this.type() === Tok.INVERSE) rest = this.elseProgram();
    const closeStrip = this.closeBlock(open);
    const block = this.prepareBlock(open, body, rest, closeStrip, inverted);
    if (open.helper === 'define') {
      if (!atTop) this.fail(open.start, '"define" is only allowed at the top level');
      const name = String((block.params[0] as { value: unknown }).value);
      this.defines.push({ name, body: block.program ?? program([], null, false) });
    }
    return block;
  }

  /** `{{#name args as |a|}}`, `{{^name}}` or `{{else name …}}`, classified. */
  private openTag(inverted: boolean): OpenTag {
    const openToken = this.i++;
    const parts = this.tagParts();
    const blockParams = this.blockParams();
    const close = this.expect(Tok.CLOSE, '"}}"');
    const { helper, params } = this.classifyBlock(parts, inverted);
    if (helper === 'let' && (blockParams === null || blockParams.length > params.length)) {
      this.fail(parts.start, '"let" needs as many values as block parameters (as |name …|)');
    }
    return {
      helper,
      params,
      blockParams,
      strip: this.strip(openToken, close),
      original: displayName(parts.head),
      start: this.startOf(openToken),
    };
  }

  private classifyBlock(parts: TagParts, inverted: boolean): { helper: BlockHelper; params: Expression[] } {
    const { head, params, hash, start } = parts;
    const name = simpleName(head);
    if (name !== null && BLOCK_HELPERS.has(name)) {
      if (hash !== null) this.fail(start, `"${name}" takes no key=value arguments`);
      const helper = name as BlockHelper;
      const want = helper === 'let' ? params.length || 1 : 1;
      if (params.length !== want) this.fail(start, `"${name}" needs exactly one argument`);
      if (helper === 'define' && !(params[0].type === 'literal' && typeof params[0].value === 'string')) {
        this.fail(start, '"define" needs a template name in quotes');
      }
      return { helper, params: params.map((p) => this.toExpression(p)) };
    }
    const isFunction = name !== null && this.functionNamed(name) !== null;
    if (inverted && params.length === 0 && hash === null && head.type !== 'call' && !isFunction) {
      // `{{^path}}…{{/path}}`: an inverse section, i.e. `if` with its branches swapped.
      return { helper: 'if', params: [this.headExpression(head)] };
    }
    if (isFunction) return this.fail(start, `"${name}" is a function, not a block helper`);
    return this.fail(start, `unknown helper "${displayName(head)}"`);
  }

  private program(blockParams: string[] | null): Program {
    this.enterNesting(this.startOf(this.i));
    if (blockParams !== null) this.blockParamStack.push(blockParams);
    const body = this.statements();
    if (blockParams !== null) this.blockParamStack.pop();
    this.nesting--;
    return program(body, blockParams, false);
  }

  private elseProgram(): InverseAndProgram {
    const j = this.i++;
    return { strip: this.strip(j, j), program: this.program(null), chain: false };
  }

  /** `{{else if …}}…` links, nested as Handlebars nests them (each link a chained program). */
  private inverseChain(): InverseAndProgram {
    const open = this.openTag(false);
    if (open.helper === 'define') this.fail(open.start, '"define" cannot follow else');
    const body = this.program(open.blockParams);
    let rest: InverseAndProgram | null = null;
    this.enterNesting(open.start);
    if (this.type() === Tok.OPEN_INVERSE_CHAIN) rest = this.inverseChain();
    else if (this.type() === Tok.INVERSE) rest = this.elseProgram();
    this.nesting--;
    const link = this.prepareBlock(open, body, rest, rest === null ? NO_STRIP : rest.strip, false);
    return { strip: open.strip, program: program([link], null, true), chain: true };
  }

  /** `{{/name}}`: must match the opening name. Returns its strip flags. */
  private closeBlock(open: OpenTag): Strip {
    const t = this.type();
    if (t === Tok.EOF) this.fail(open.start, `unclosed block "${open.original}"`);
    if (t !== Tok.OPEN_ENDBLOCK) this.fail(this.startOf(this.i), `unexpected ${this.describe(this.i)}`);
    const first = this.i++;
    const name = displayName(this.helperName());
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
      helper: open.helper,
      params: open.params,
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
    const parts = this.tagParts();
    this.expect(Tok.CLOSE_RAW_BLOCK, '"}}}}"');
    const body: Statement[] = [];
    while (this.type() === Tok.CONTENT) body.push(content(this.text(this.i++)));
    const end = this.text(this.expect(Tok.END_RAW_BLOCK, 'the end of the raw block')).slice(5, -4);
    const original = displayName(parts.head);
    if (original !== end) this.fail(open, `"${original}" doesn't match "${end}"`);
    if (simpleName(parts.head) !== 'raw' || parts.params.length > 0 || parts.hash !== null) {
      this.fail(open, `unknown helper "${original}" (raw blocks are written {{{{raw}}}}…{{{{/raw}}}})`);
    }
    return {
      type: 'block',
      helper: 'raw',
      params: [],
      program: program(body, null, false),
      inverse: null,
      openStrip: NO_STRIP,
      inverseStrip: NO_STRIP,
      closeStrip: NO_STRIP,
    };
  }

  /** `{{> name ctx key=value}}` or `{{> (expr) …}}`. */
  private partial(): PartialStatement {
    const open = this.i++;
    const name = this.type() === Tok.OPEN_SEXPR ? this.subExpression() : displayName(this.helperName());
    const args = this.args();
    const start = this.startOf(open);
    if (args.params.length > 1)
      this.fail(start, `a partial takes one context argument, got ${args.params.length}`);
    const close = this.expect(Tok.CLOSE, '"}}"');
    return {
      type: 'partial',
      name,
      context: args.params.length === 1 ? this.toExpression(args.params[0]) : null,
      hash: args.hash,
      strip: this.strip(open, close),
      line: this.line(start),
      indent: '',
    };
  }
}

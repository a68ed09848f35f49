/**
 * The syntax tree of a parsed template (transient: `compile.ts` turns it into bytecode).
 *
 * The statement shapes follow Handlebars' own AST (program / inverse / strip flags / chained
 * inverse programs) so that the whitespace pass can apply Handlebars' rules unchanged. The
 * expressions are already resolved: every call names its function, every path knows whether it
 * reads the context, the data frame (`@index`) or a block parameter.
 */

import type { FunctionEntry } from './names.js';

/** Whitespace-control flags of a tag: `~` after the opening `{{` / before the closing `}}`. */
export interface Strip {
  readonly open: boolean;
  readonly close: boolean;
}

/** Literal text between tags; `value` is what is printed after whitespace control. */
export interface ContentStatement {
  readonly type: 'content';
  /** The text as written (the whitespace rules look at this). */
  readonly original: string;
  value: string;
  leftStripped: boolean;
  rightStripped: boolean;
}

/** `{{! … }}` or `{{!-- … --}}`. */
export interface CommentStatement {
  readonly type: 'comment';
  readonly strip: Strip;
}

/** `{{expr}}`, `{{{expr}}}` or `{{& expr}}`: prints the value of `expr`. */
export interface MustacheStatement {
  readonly type: 'mustache';
  readonly expr: Expression;
  readonly strip: Strip;
}

/** The block helpers the engine implements (`{{^path}}…{{/path}}` is an `if` with swapped branches). */
export type BlockHelper = 'if' | 'unless' | 'with' | 'each' | 'let' | 'define' | 'raw';

/** A block: `{{#helper …}}program{{else}}inverse{{/helper}}` (also raw and inverted blocks). */
export interface BlockStatement {
  readonly type: 'block';
  readonly helper: BlockHelper;
  readonly params: readonly Expression[];
  readonly program: Program | null;
  readonly inverse: Program | null;
  readonly openStrip: Strip;
  readonly inverseStrip: Strip;
  closeStrip: Strip;
}

/** `{{> name ctx key=value}}`: renders a define in place. */
export interface PartialStatement {
  readonly type: 'partial';
  /** The define's name, or an expression computing it (`{{> (expr)}}`). */
  readonly name: string | Expression;
  readonly context: Expression | null;
  readonly hash: readonly HashPair[] | null;
  readonly strip: Strip;
  readonly line: number;
  /** Indentation of a standalone partial line (set by the whitespace pass). */
  indent: string;
}

/** Any statement of a parsed program body. */
export type Statement =
  | ContentStatement
  | CommentStatement
  | MustacheStatement
  | BlockStatement
  | PartialStatement;

/** A sequence of statements: a template body, a block body or an else branch. */
export interface Program {
  readonly body: Statement[];
  /** Names declared with `as |a b|` for this body, or null. */
  readonly blockParams: readonly string[] | null;
  /** True for the program that wraps an `{{else if …}}` chain link. */
  readonly chained: boolean;
}

/** `true`, `42`, `"text"`, `null`, `undefined`. */
export interface LiteralExpression {
  readonly type: 'literal';
  readonly value: string | number | boolean | null | undefined;
}

/** A lookup on the context: `a.b`, `this`, `../x` (`depth` counts the `../`). */
export interface PathExpression {
  readonly type: 'path';
  readonly depth: number;
  readonly parts: readonly string[];
}

/** A lookup on the data frame: `@index`, `@root.Values.x`, `@../key`. */
export interface DataExpression {
  readonly type: 'data';
  readonly depth: number;
  readonly parts: readonly string[];
}

/** A lookup starting at a block parameter: `item.name` inside `{{#each list as |item|}}`. */
export interface BlockParamExpression {
  readonly type: 'blockParam';
  /** How many enclosing blocks-with-params to skip. */
  readonly up: number;
  readonly index: number;
  /** Segments after the parameter name. */
  readonly parts: readonly string[];
}

/** The engine's own functions (they need the engine). */
export type BuiltinFunction = 'include' | 'template' | 'tpl';

/** A function call: `(fn a b k=v)`, `{{fn a}}` or a function name alone (`{{now}}`). */
export interface CallExpression {
  readonly type: 'call';
  readonly fn: FunctionEntry;
  readonly params: readonly Expression[];
  readonly hash: readonly HashPair[] | null;
  /** Where the call starts (1-based line, 0-based column). */
  readonly line: number;
  readonly column: number;
}

/** Any expression. */
export type Expression =
  | LiteralExpression
  | PathExpression
  | DataExpression
  | BlockParamExpression
  | CallExpression;

/** `key=value` of a call or partial. */
export interface HashPair {
  readonly key: string;
  readonly value: Expression;
}

/** A top-level `{{#define "name"}}…{{/define}}`. */
export interface DefineNode {
  readonly name: string;
  readonly body: Program;
}

/** A template as parsed, after whitespace control: its body and its top-level defines. */
export interface TemplateAst {
  readonly body: Program;
  readonly defines: readonly DefineNode[];
}

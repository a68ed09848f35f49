/**
 * The statement skeleton of a template being parsed: what Handlebars' whitespace rules look at.
 *
 * Expressions have no tree: the parser compiles them straight to bytecode (`compile.ts`). The
 * statements keep Handlebars' own shapes (program / inverse / strip flags / chained inverse
 * programs) so that the whitespace pass (`whitespace.ts`) applies Handlebars' rules unchanged;
 * it then fixes the texts and partial indents the bytecode refers to. Texts are indices into the
 * `texts` table.
 */

/** Whitespace-control flags of a tag: `~` after the opening `{{` / before the closing `}}`. */
export interface Strip {
  readonly open: boolean;
  readonly close: boolean;
}

/**
 * The texts between tags of the template being parsed (parsing is never re-entered, so one
 * table serves every template). A text is a statement by its index here: a number, not an
 * object, because a template has about as many texts as tags.
 */
export const texts = {
  /** The text as written (the whitespace rules look at this). */
  original: [] as string[],
  /** What is printed after whitespace control. */
  value: [] as string[],
  /** Handlebars' `leftStripped` (1) and `rightStripped` (2). */
  flags: [] as number[],
  /** The constant the text's `TEXT` instruction prints. */
  slot: [] as number[],
  /** How many texts the current template has. */
  count: 0,
};

/** Literal text between tags: its index in `texts`. */
export type ContentStatement = number;

/** `{{! … }}` or `{{!-- … --}}`. */
export interface CommentStatement {
  readonly type: 'comment';
  readonly strip: Strip;
}

/** `{{expr}}`, `{{{expr}}}` or `{{& expr}}` (its expression is already compiled). */
export interface MustacheStatement {
  readonly type: 'mustache';
  readonly strip: Strip;
}

/** The block helpers the engine implements (`{{^path}}…{{/path}}` is an `if` with swapped branches). */
export type BlockHelper = 'if' | 'unless' | 'with' | 'each' | 'let' | 'define' | 'raw';

/** A block: `{{#helper …}}program{{else}}inverse{{/helper}}` (also raw and inverted blocks). */
export interface BlockStatement {
  readonly type: 'block';
  readonly program: Program | null;
  readonly inverse: Program | null;
  readonly openStrip: Strip;
  readonly inverseStrip: Strip;
  closeStrip: Strip;
}

/** `{{> name ctx key=value}}`: renders a define in place. */
export interface PartialStatement {
  readonly type: 'partial';
  readonly strip: Strip;
  /** Indentation of a standalone partial line (set by the whitespace pass). */
  indent: string;
  /** Where its `PARTIAL` instruction keeps the indent operand. */
  readonly indentAt: number;
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
  /** True for the program that wraps an `{{else if …}}` chain link. */
  readonly chained: boolean;
}

/** The engine's own functions (they need the engine). */
export type BuiltinFunction = 'include' | 'template' | 'tpl';

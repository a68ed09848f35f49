/**
 * The contract between the template engine (parser + interpreter) and the function library.
 *
 * A template function is a plain function of its positional arguments plus a `CallInfo`
 * (hash arguments, where it was called, the render environment). It returns a value; the
 * engine turns values into text only when a mustache prints them.
 */

/** A position in a template source (1-based line, 0-based column, like Handlebars' `loc`). */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** Services the engine offers to functions that need to render (include, tpl) or read files. */
export interface RenderEnvironment {
  /** Renders the named `define` with `context` as its data (Helm's `include`). */
  include(name: string, context: unknown): string;
  /** Renders `source` as a template with access to every define (Helm's `tpl`). */
  tpl(source: string, context: unknown): string;
  /** Whether a define of that name exists. */
  hasDefine(name: string): boolean;
}

/** What a function knows about its call site. */
export interface CallInfo {
  /** Hash arguments (`key=value`) of the call, if any. */
  readonly hash: Readonly<Record<string, unknown>>;
  /** The function's name as written in the template. */
  readonly name: string;
  /** The template file being rendered, e.g. `mychart/templates/deployment.yaml`. */
  readonly template: string;
  /** Where the call starts in that template. */
  readonly loc: SourcePosition;
  /** The render environment (include, tpl). */
  readonly env: RenderEnvironment;
  /** The root context (`@root`: Values, Release, Chart, …). */
  readonly root: unknown;
}

/** A template function: positional arguments in, a value out. May throw `TemplateFunctionError`. */
export type TemplateFunction = (args: unknown[], call: CallInfo) => unknown;

/** A named set of template functions. */
export type FunctionTable = Readonly<Record<string, TemplateFunction>>;

/**
 * Thrown by a template function for a failure that belongs to the chart (`required`, `fail`,
 * bad arguments). The engine adds the template name and line.
 */
export class TemplateFunctionError extends Error {
  override readonly name = 'TemplateFunctionError';
}

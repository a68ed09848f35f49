/**
 * The template engine: Handlebars 4 syntax, Go-template semantics where Helm users expect them.
 *
 * - `lexer.ts` (+ `lexer-literals.ts`) scans source into tokens with Handlebars' lexical rules
 *   (char-code scanning);
 * - `parse-path.ts`, `parse-expression.ts` + `parser.ts` (on the token cursor of
 *   `token-cursor.ts`) read the grammar, resolve every name at parse time (function call,
 *   context lookup, data variable, block parameter) and compile as they read into compact
 *   bytecode (`compile.ts`, `bytecode.ts`), all a parsed template keeps; only the statement
 *   skeleton (`ast.ts`) is kept for `whitespace.ts`, which applies Handlebars' `~` and
 *   standalone-line rules before the texts are settled (`parse.ts` runs the whole pipeline);
 * - `interpreter.ts` (+ `nesting.ts`, `output.ts`, `runtime.ts`) runs it: one hot interpreter
 *   instead of a generated function per template; Go truthiness, sorted map iteration, Go's
 *   printing (`go-format.ts`), output cap and include depth limit;
 * - `engine.ts` holds the defines and the parse/tpl caches and exposes the API.
 *
 * There is no HTML escaping, no `log`/`lookup` built-in and no helperMissing fallback.
 */

export type { CompiledTemplate } from './bytecode.js';
export type { EngineOptions, ParsedTemplate } from './engine.js';
export { DEFAULT_MAX_INCLUDE_DEPTH, DEFAULT_MAX_OUTPUT_BYTES, TemplateEngine } from './engine.js';
export { formatGo, printValue } from './go-format.js';
export { isTruthy } from './runtime.js';

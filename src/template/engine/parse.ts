/**
 * Parsing one template, start to end: tokens (`lexer.ts`), statements compiled as they are read
 * (`parser.ts`), Handlebars' whitespace rules (`whitespace.ts`), then the final texts and
 * indents handed to the instructions that print them, and the code placed (`compile.ts`).
 */

import { texts } from './ast.js';
import type { CompiledTemplate } from './bytecode.js';
import { CodeWriter } from './compile.js';
import { tokenize } from './lexer.js';
import type { FunctionIndex } from './names.js';
import { TemplateParser } from './parser.js';
import { LexError, TokenBuffer } from './tokens.js';
import { applyWhitespaceControl } from './whitespace.js';

/**
 * Parses and compiles template source, whitespace control applied. Throws
 * `RenderError(name, line, 'parse error: …')`.
 */
export function parseTemplate(source: string, name: string, functions: FunctionIndex): CompiledTemplate {
  let tokens: TokenBuffer;
  try {
    tokens = tokenize(source);
  } catch (err) {
    if (!(err instanceof LexError)) throw err;
    const parser = new TemplateParser(source, name, new TokenBuffer(), functions, new CodeWriter());
    return parser.failAt(err.offset, err.message);
  }
  const out = new CodeWriter();
  texts.count = 0;
  const parser = new TemplateParser(source, name, tokens, functions, out);
  const body = parser.parse();
  applyWhitespaceControl(body);
  settle(parser, out);
  return out.finish();
}

/**
 * Gives the texts and indents, final after the whitespace pass, to the instructions that print
 * them. (Its own function: the loops would otherwise make `parseTemplate`, a mere driver, hot
 * enough to be optimized with everything it calls inlined, a costly compilation for nothing.)
 */
function settle(parser: TemplateParser, out: CodeWriter): void {
  const consts = out.consts;
  for (let k = 0; k < texts.count; k++) consts[texts.slot[k]!] = texts.value[k];
  const partials = parser.partials;
  for (let k = 0; k < partials.length; k++) {
    const p = partials[k]!;
    if (p.indent !== '') parser.partialBuffers[k]!.set(p.indentAt, out.constant(p.indent));
  }
}

/**
 * Parse errors: each names the template and the line, and says what is wrong.
 */

import { describe, expect, it } from 'vitest';
import { RenderError } from '../../../src/internal/errors.js';
import { TemplateEngine } from '../../../src/template/engine/index.js';
import { FUNCTIONS } from './harness.js';

const engine = new TemplateEngine({ functions: FUNCTIONS });

function parseError(source: string): RenderError {
  try {
    engine.parse(source, 'chart/templates/x.yaml');
  } catch (err) {
    if (err instanceof RenderError) return err;
    throw err;
  }
  throw new Error(`no error for ${JSON.stringify(source)}`);
}

/** [source, line, message]. */
const CASES: readonly (readonly [string, number, string])[] = [
  ['a\nb\n{{foo x}}', 3, 'parse error: unknown helper "foo"'],
  ['{{foo k=1}}', 1, 'parse error: unknown helper "foo"'],
  ['a\n{{quote (nope 1)}}', 2, 'parse error: unknown helper "nope"'],
  ['{{a.b x}}', 1, 'parse error: unknown helper "a.b"'],
  ['\n{{#foo}}x{{/foo}}', 2, 'parse error: unknown helper "foo"'],
  ['{{#foo bar}}x{{/foo}}', 1, 'parse error: unknown helper "foo"'],
  ['{{#quote x}}y{{/quote}}', 1, 'parse error: "quote" is a function, not a block helper'],
  ['x\n{{#if a}}\ny\n{{/each}}', 2, 'parse error: "if" doesn\'t match "each"'],
  ['{{#if a}}\n{{#each b}}\n{{/if}}', 2, 'parse error: "each" doesn\'t match "if"'],
  ['\n\n{{#if a}}\nnever closed\n', 3, 'parse error: unclosed block "if"'],
  ['ok\n{{/if}}', 2, 'parse error: unexpected "{{/if}}"'],
  ['ok\n{{else}}', 2, 'parse error: unexpected "{{else}}"'],
  ['{{#if a}}{{else}}{{else}}{{/if}}', 1, 'parse error: unexpected "{{else}}"'],
  ['\n{{#if}}x{{/if}}', 2, 'parse error: "if" needs exactly one argument'],
  ['{{#each a b}}x{{/each}}', 1, 'parse error: "each" needs exactly one argument'],
  ['{{#if a includeZero=true}}x{{/if}}', 1, 'parse error: "if" takes no key=value arguments'],
  ['{{#let 1}}x{{/let}}', 1, 'parse error: "let" needs as many values as block parameters (as |name …|)'],
  ['{{#define x}}y{{/define}}', 1, 'parse error: "define" needs a template name in quotes'],
  [
    '{{#if a}}\n{{#define "x"}}y{{/define}}\n{{/if}}',
    2,
    'parse error: "define" is only allowed at the top level',
  ],
  ['{{if a}}', 1, 'parse error: "if" is a block helper: write {{#if …}}…{{/if}}'],
  ['a\n{{#> layout}}x{{/layout}}', 2, 'parse error: partial blocks ({{#> …}}) are not supported'],
  ['{{*decorator}}', 1, 'parse error: decorators ({{* …}}) are not supported'],
  ['{{#*inline "x"}}y{{/inline}}', 1, 'parse error: decorators ({{* …}}) are not supported'],
  ['{{> a b c}}', 1, 'parse error: a partial takes one context argument, got 2'],
  ['x {{name', 1, 'parse error: expected "}}", got end of template'],
  ['{{{name}}', 1, 'parse error: expected "}}}", got "}}"'],
  ['{{name}}}', 1, 'parse error: expected "}}", got "}}}"'],
  ['\n{{foo.this}}', 2, 'parse error: invalid path "foo.this"'],
  ['{{a/}}', 1, 'parse error: expected a name after "/", got "}}"'],
  ['{{quote "unterminated}}', 1, 'parse error: unterminated string'],
  ['a\n\n{{! unterminated comment', 3, 'parse error: unterminated comment'],
  ['{{!-- never ends }}', 1, 'parse error: unterminated comment'],
  ['{{{{raw}}}} no end', 1, 'parse error: unterminated raw block'],
  ['{{{{raw}}}}x{{{{/other}}}}', 1, 'parse error: "raw" doesn\'t match "other"'],
  [
    '{{{{verbatim}}}}x{{{{/verbatim}}}}',
    1,
    'parse error: unknown helper "verbatim" (raw blocks are written {{{{raw}}}}…{{{{/raw}}}})',
  ],
  ['{{name #}}', 1, 'parse error: unexpected character "#"'],
  ['{{app: {{x}}}}', 1, 'parse error: expected "}}", got "{{x}}"'],
  ['{{kv __proto__=1}}', 1, 'parse error: "__proto__" is not allowed as a key'],
];

describe('parse errors name the template and line', () => {
  it.each(CASES.map(([source, line, message]) => ({ source, line, message })))(
    '$message',
    ({ source, line, message }) => {
      const err = parseError(source);
      expect(err.template).toBe('chart/templates/x.yaml');
      expect(err.line).toBe(line);
      expect(err.message).toBe(`chart/templates/x.yaml:${line}: ${message}`);
      expect(err.code).toBe('RENDER_FAILED');
    },
  );

  it('reports absurd nesting as an error, not a crash', () => {
    const deep = `${'{{#if a}}'.repeat(5000)}x${'{{/if}}'.repeat(5000)}`;
    expect(parseError(deep).message).toMatch(/nesting deeper than 200 levels/);
    const sub = `{{quote ${'(quote '.repeat(5000)}1${')'.repeat(5000)}}}`;
    expect(parseError(sub).message).toMatch(/nesting deeper than 200 levels/);
  });

  it('reports a tpl parse error at the calling line', () => {
    const t = engine.parse('a\n{{tpl bad this}}', 'chart/templates/t.yaml');
    expect(() => engine.render(t, { bad: '{{#if}}' })).toThrow(
      /^chart\/templates\/t\.yaml:2: error calling tpl: tpl:1: parse error: "if" needs exactly one argument$/,
    );
  });
});

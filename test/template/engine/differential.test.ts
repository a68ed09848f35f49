/**
 * Differential suite: every case is rendered by our engine and by the `handlebars` package
 * (the oracle, see harness.ts); the outputs must be identical.
 */

import { describe, expect, it } from 'vitest';
import { CONTEXT, oracle, ours } from './harness.js';

const DEF_P = '{{#define "p"}}\nline {{name}}\n  second\n{{/define}}\n';

/** [title, template, context?]. */
const CASES: readonly (readonly [string, string, unknown?])[] = [
  // Content, output forms, comments, escapes
  ['plain text', 'apiVersion: v1\nkind: Service\n'],
  ['mustache', 'name: {{name}}'],
  ['triple mustache', 'name: {{{name}}}'],
  ['ampersand', 'name: {{& name}}'],
  ['no HTML escaping', '{{text}} <{{quote "a&b"}}>', { text: '<b>"x" & \'y\'</b>' }],
  ['booleans and numbers', '{{enabled}} {{disabled}} {{replicas}} {{zero}}-'],
  ['null and missing', '[{{nothing}}][{{missing}}][{{missing.deeper.still}}]'],
  ['short comment', 'a{{! a comment }}b'],
  ['long comment with braces', 'a{{!-- }} {{x}} --}}b'],
  ['standalone comment line', 'a\n  {{! note }}\nb\n'],
  ['standalone long comment line', 'a\n{{!--\n  several\n  lines\n--}}\nb\n'],
  ['escaped mustache', 'a \\{{name}} b {{name}}'],
  ['escaped backslash', 'a \\\\{{name}} b'],
  ['two escapes', '\\{{a}} \\{{b}} {{name}}'],
  ['raw block', '{{{{raw}}}} {{name}} {{#if x}} {{{{/raw}}}} {{name}}'],
  ['raw block standalone', 'x:\n{{{{raw}}}}\n  {{keep}}\n{{{{/raw}}}}\ny\n'],
  ['nested raw block', '{{{{raw}}}}{{{{raw}}}}in{{{{/raw}}}}{{{{/raw}}}}'],
  // Paths
  ['dotted path', '{{nested.a.b.c}}'],
  ['slash path', '{{nested/a/b/c}}'],
  ['segment literal', '{{[a-b].c}} {{[foo bar]}}'],
  ['this and ./', '{{this.name}} {{./name}} {{this/name}}'],
  ['this as value', '{{#each list}}{{this}},{{.}};{{/each}}'],
  ['array index by segment literal', '{{list.[1]}} {{people.[0].name}}'],
  ['array length', '{{list.length}}'],
  ['parent context', '{{#with nested.a}}{{b.c}} {{../name}}{{/with}}'],
  [
    'two levels up',
    '{{#with nested}}{{#with a}}{{#with b}}{{c}} {{../../../name}}{{/with}}{{/with}}{{/with}}',
  ],
  ['../ skips same-context blocks', '{{#with nested}}{{#if enabled}}{{../name}}{{/if}}{{/with}}'],
  ['@root', '{{#each people}}{{name}}@{{@root.name}} {{/each}}'],
  ['literal head is a name', '{{"name"}} {{"foo bar"}}'],
  // Literals, sub-expressions, hashes
  ['string literals', '{{quote "dq" \'sq\' "a\\"b" \'c\\\'d\'}}'],
  ['number literals', '{{quote 1 -2 3.5 007}}'],
  ['keyword literals', '{{typeOf true}} {{typeOf false}} {{typeOf null}} {{typeOf undefined}} {{typeOf 1}}'],
  ['sub-expressions', '{{quote (upper name) (concat "a" (upper "b") name)}}'],
  ['hash arguments', '{{kv a=1 b="x" c=(upper "y") d=name e=true}}'],
  ['params then hash', '{{kv name 2 z=3}}'],
  ['zero-argument function', 'at {{now}}'],
  ['function result is printed raw', '{{concat "<" name ">"}}'],
  // Whitespace control
  ['tilde both sides', 'a  \n {{~name~}} \n  b'],
  ['tilde left only', 'a  \n {{~name}}  b'],
  ['tilde right only', 'a  {{name~}} \n  b'],
  ['tilde on block tags', '<\n  {{~#if enabled~}}\n  yes\n  {{~/if~}}\n>'],
  ['tilde on else', '{{#if disabled}}a{{~else~}}  \n  b{{/if}}'],
  ['tilde on triple mustache', 'x  {{~{name}~}}  y'],
  ['tilde with comments', 'a\n  {{~! gone ~}}\n  b'],
  // Standalone lines
  ['standalone if', 'a:\n{{#if enabled}}\n  b: 1\n{{/if}}\nc: 2\n'],
  ['standalone indented tags', 'spec:\n  {{#if enabled}}\n  replicas: 3\n  {{/if}}\n  x: y\n'],
  ['standalone else', '{{#if disabled}}\nyes\n{{else}}\nno\n{{/if}}\n'],
  ['standalone ^ as else', '{{#if disabled}}\nyes\n{{^}}\nno\n{{/if}}\n'],
  [
    'standalone else if chain',
    '{{#if zero}}\nA\n{{else if disabled}}\nB\n{{else if enabled}}\nC\n{{else}}\nD\n{{/if}}\n',
  ],
  [
    'else with / else each',
    '{{#if zero}}\nA\n{{else with nested.a}}\n{{b.c}}\n{{else}}\nD\n{{/if}}\n{{#if zero}}\n{{else each list}}\n- {{this}}\n{{/if}}\n',
  ],
  [
    'nested standalone blocks',
    'x:\n{{#each people}}\n  - name: {{name}}\n    {{#if tags}}\n    tags:\n      {{#each tags}}\n      - {{this}}\n      {{/each}}\n    {{/if}}\n{{/each}}\n',
  ],
  ['standalone at start and end', '{{#if enabled}}\nfirst\n{{/if}}'],
  ['not standalone with text', 'a {{#if enabled}}\nb\n{{/if}} c\n'],
  ['CRLF standalone', 'a:\r\n{{#if enabled}}\r\n  b\r\n{{/if}}\r\nc\r\n'],
  ['CRLF else', '{{#unless enabled}}\r\nx\r\n{{else}}\r\ny\r\n{{/unless}}\r\n'],
  ['blank lines kept', 'a\n\n{{#if enabled}}\n\nb\n\n{{/if}}\n\nc'],
  ['standalone with trailing spaces', 'a\n  {{#if enabled}}  \n  b\n  {{/if}}  \nc'],
  // Blocks
  ['unless', '{{#unless disabled}}shown{{/unless}}{{#unless enabled}}hidden{{/unless}}'],
  ['with else', '{{#with nothing}}x{{else}}none{{/with}}'],
  ['with block param', '{{#with nested.a.b as |leaf|}}{{leaf.c}} {{c}}{{/with}}'],
  ['each with data vars', '{{#each list}}{{@index}}:{{this}}:{{@first}}:{{@last}} {{/each}}'],
  ['each over a map', '{{#each map}}{{@key}}={{this}}({{@index}}) {{/each}}'],
  ['each block params', '{{#each people as |person i|}}{{i}}={{person.name}} {{/each}}'],
  ['each map block params', '{{#each map as |value key|}}{{key}}:{{value}} {{/each}}'],
  ['each else', '{{#each none}}x{{else}}empty{{/each}}'],
  [
    'nested each with @../index',
    '{{#each people}}{{#each tags}}{{@../index}}.{{@index}}={{this}} {{/each}}{{/each}}',
  ],
  [
    'outer block param from inner block',
    '{{#each people as |p|}}{{#each p.tags}}{{p.name}}:{{this}} {{/each}}{{/each}}',
  ],
  ['let', '{{#let (upper name) "lit" as |u l|}}{{u}}-{{l}}-{{name}}{{/let}}'],
  ['inverse section', '{{^disabled}}off{{/disabled}}{{^enabled}}on{{/enabled}}{{^none}}none{{/none}}'],
  ['inverted if', '{{^if disabled}}A{{else}}B{{/if}}'],
  ['block helper name in quotes', '{{#"if" enabled}}y{{/"if"}}'],
  // Partials (defines)
  ['partial', `${DEF_P}{{> p}}`],
  ['standalone partial indentation', `${DEF_P}list:\n  {{> p}}\nend\n`],
  ['partial with context', `${DEF_P}{{> p nested.a.b}}`, { nested: { a: { b: { name: 'inner' } } } }],
  ['partial with hash', '{{#define "h"}}{{name}}/{{extra}}{{/define}}{{> h extra="e"}}'],
  [
    'dotted partial name',
    '{{#define "x.labels"}}\napp: {{name}}\n{{/define}}\nlabels:\n  {{> "x.labels"}}\n',
  ],
  [
    'partial inside each sees @index',
    '{{#define "i"}}{{@index}}={{this}} {{/define}}{{#each list}}{{> i}}{{/each}}',
  ],
  ['define renders nothing', 'a\n{{#define "z"}}\nhidden\n{{/define}}\nb\n'],
  [
    'deployment-like',
    `${'{{#define "labels"}}\napp: {{name}}\ntier: {{Values.labels.tier}}\n{{/define}}\n'}apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:\n    {{> labels}}\nspec:\n  {{#if enabled}}\n  replicas: {{replicas}}\n  {{/if}}\n  template:\n    spec:\n      containers:\n        - image: "{{Values.image.repository}}:{{Values.image.tag}}"\n          {{#with Values.service}}\n          ports:\n            - containerPort: {{port}}\n          {{/with}}\n`,
  ],
];

describe('renders exactly like handlebars', () => {
  it('has at least 60 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
  });
  it.each(CASES.map(([title, source, context]) => ({ title, source, ctx: context ?? CONTEXT })))(
    '$title',
    ({ source, ctx }) => {
      expect(ours(source, ctx)).toBe(oracle(source, ctx));
    },
  );
});

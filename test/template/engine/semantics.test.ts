/**
 * Go-template semantics (truthiness, map order, printing), the engine's own functions
 * (include, template, tpl), the render environment, and the safety limits.
 */

import { describe, expect, it } from 'vitest';
import { LimitError, RenderError } from '../../../src/internal/errors.js';
import { formatGo, printValue, TemplateEngine } from '../../../src/template/engine/index.js';
import type { CallInfo, FunctionTable } from '../../../src/template/types.js';
import { FUNCTIONS, ours } from './harness.js';

function engineWith(
  extra: FunctionTable = {},
  options: { maxOutputBytes?: number; maxIncludeDepth?: number } = {},
) {
  return new TemplateEngine({ functions: { ...FUNCTIONS, ...extra }, ...options });
}

/** Parses `files` (name → source), registers their defines, renders `main`. */
function renderFiles(
  engine: TemplateEngine,
  files: Record<string, string>,
  main: string,
  ctx: unknown,
): string {
  const parsed = Object.entries(files).map(([name, src]) => engine.parse(src, name));
  for (const p of parsed) engine.addDefines(p);
  const target = parsed.find((p) => p.name === main);
  if (target === undefined) throw new Error(`no ${main}`);
  return engine.render(target, ctx);
}

describe('Go truthiness', () => {
  const cases: [unknown, string][] = [
    [{}, 'F'],
    [{ a: 1 }, 'T'],
    [[], 'F'],
    [[0], 'T'],
    ['', 'F'],
    ['0', 'T'],
    [0, 'F'],
    [0.5, 'T'],
    [false, 'F'],
    [null, 'F'],
    [undefined, 'F'],
  ];
  it.each(cases)('if %j', (v, want) => {
    expect(ours('{{#if v}}T{{else}}F{{/if}}', { v })).toBe(want);
    expect(ours('{{#unless v}}F{{else}}T{{/unless}}', { v })).toBe(want);
    expect(ours('{{^v}}F{{else}}T{{/v}}', { v })).toBe(want);
  });
  it('with skips empty values and sets this', () => {
    expect(ours('{{#with m}}x{{else}}empty{{/with}}', { m: {} })).toBe('empty');
    expect(ours('{{#with m}}{{a}}{{/with}}', { m: { a: 'A' } })).toBe('A');
    expect(ours('{{#with n}}{{this}}{{else}}zero{{/with}}', { n: 0 })).toBe('zero');
  });
});

describe('each', () => {
  it('iterates maps in sorted key order', () => {
    expect(ours('{{#each m}}{{@key}}={{this}},{{/each}}', { m: { b: 2, c: 3, a: 1 } })).toBe('a=1,b=2,c=3,');
    expect(
      ours('{{#each m as |v k|}}{{k}}{{v}}{{@index}}{{#if @last}}!{{/if}} {{/each}}', { m: { z: 1, y: 2 } }),
    ).toBe('y20 z11! ');
  });
  it('renders the else branch for null, empty and non-iterable values', () => {
    for (const v of [null, undefined, [], {}, 'text', 3]) {
      expect(ours('{{#each v}}x{{else}}E{{/each}}', { v })).toBe('E');
    }
  });
  it('binds @first/@last/@index for lists', () => {
    expect(
      ours('{{#each l}}{{#if @first}}<{{/if}}{{@index}}{{#if @last}}>{{/if}}{{/each}}', { l: [7, 8, 9] }),
    ).toBe('<012>');
  });
});

describe('printing', () => {
  it('prints lists and maps as Go does', () => {
    expect(ours('{{l}} {{m}}', { l: ['a', 1, true, null], m: { b: [1, 2], a: { x: 'y' } } })).toBe(
      '[a 1 true <nil>] map[a:map[x:y] b:[1 2]]',
    );
  });
  it('prints integers without exponent', () => {
    expect(ours('{{a}} {{b}} {{c}} {{d}}', { a: 1000000, b: 12345678901234, c: 1.5, d: -0 })).toBe(
      '1000000 12345678901234 1.5 0',
    );
  });
  it('prints nothing for null and undefined', () => {
    expect(ours('[{{a}}{{b}}{{c.d}}]', { a: null })).toBe('[]');
  });
  it('exports the formatter', () => {
    expect(formatGo(null)).toBe('<nil>');
    expect(printValue(null)).toBe('');
    expect(formatGo({ b: 1, a: [2, 3] })).toBe('map[a:[2 3] b:1]');
    expect(formatGo(['x', 1000000, true])).toBe('[x 1000000 true]');
  });
});

describe('lookups', () => {
  it('indexes lists with a numeric segment', () => {
    expect(ours('{{l.0}} {{l.1.name}} {{l.[2]}}', { l: ['a', { name: 'b' }, 'c'] })).toBe('a b c');
  });
  it('is lenient on missing and non-object values', () => {
    expect(ours('[{{a.b.c}}][{{s.length}}][{{n.x}}]', { s: 'str', n: 5 })).toBe('[][][]');
  });
  it('reads own properties only, never the prototype chain', () => {
    const ctx = { name: 'x', list: [1] };
    const src =
      '{{constructor}}|{{__proto__}}|{{this.constructor.name}}|{{name.constructor}}|{{toString}}|{{hasOwnProperty}}|' +
      '{{list.constructor}}|{{[__proto__].polluted}}|{{__defineGetter__}}|{{@root.constructor}}|{{prototype}}';
    expect(ours(src, ctx)).toBe('||||||||||');
  });
  it('cannot pollute prototypes through hashes or partial contexts', () => {
    const engine = engineWith();
    expect(() => engine.parse('{{kv __proto__=1}}', 'h.yaml')).toThrow(/"__proto__" is not allowed/);
    expect(() => engine.parse('{{> p constructor=1}}', 'h.yaml')).toThrow(/"constructor" is not allowed/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  it('shadows a function by a block parameter of the same name', () => {
    expect(ours('{{#each l as |upper|}}{{upper}}{{/each}}', { l: ['a'] })).toBe('a');
  });
});

describe('include, template, tpl', () => {
  const helpers = '{{#define "x.labels"}}\napp: {{name}}\ntier: {{tier}}\n{{/define}}\n';
  it('include composes with functions (nindent)', () => {
    const out = renderFiles(
      engineWith(),
      { '_helpers.tpl': helpers, 'd.yaml': 'metadata:\n  labels:{{nindent 4 (include "x.labels" this)}}\n' },
      'd.yaml',
      { name: 'web', tier: 'front' },
    );
    expect(out).toBe('metadata:\n  labels:\n    app: web\n    tier: front\n    \n');
  });
  it('include and template render a define with the given context as root', () => {
    const files = {
      '_h.tpl': '{{#define "r"}}{{@root.v}}/{{v}}{{/define}}',
      'a.yaml': '{{include "r" inner}} {{template "r" inner}} {{template "r"}}',
    };
    expect(renderFiles(engineWith(), files, 'a.yaml', { v: 'outer', inner: { v: 'in' } })).toBe(
      'in/in in/in /',
    );
  });
  it('a later define replaces an earlier one', () => {
    const engine = engineWith();
    engine.addDefines(engine.parse('{{#define "d"}}first{{/define}}', 'a.tpl'));
    engine.addDefines(engine.parse('{{#define "d"}}second{{/define}}', 'b.tpl'));
    expect(engine.include('d', {})).toBe('second');
    expect(engine.hasDefine('d')).toBe(true);
    expect(engine.hasDefine('nope')).toBe(false);
  });
  it('tpl renders a string with the defines and caches its parse', () => {
    const files = {
      '_h.tpl': '{{#define "n"}}N={{name}}{{/define}}',
      't.yaml': '{{tpl tmpl this}}|{{tpl tmpl this}}',
    };
    const ctx = { name: 'x', tmpl: '{{upper name}} {{include "n" this}}' };
    expect(renderFiles(engineWith(), files, 't.yaml', ctx)).toBe('X N=x|X N=x');
  });
  it('tpl strings may define templates for their own use', () => {
    const ctx = { t: '{{#define "local"}}L{{/define}}{{include "local" this}}' };
    expect(ours('{{tpl t this}}', ctx)).toBe('L');
  });
  it('offers include/tpl/hasDefine to functions through CallInfo.env', () => {
    const seen: Partial<CallInfo>[] = [];
    const probe = (args: unknown[], call: CallInfo) => {
      seen.push({
        name: call.name,
        template: call.template,
        loc: call.loc,
        hash: call.hash,
        root: call.root,
      });
      return `${call.env.include('e', args[0])}|${call.env.tpl('<{{v}}>', args[0])}|${call.env.hasDefine('e')}`;
    };
    const engine = engineWith({ probe });
    const out = renderFiles(
      engine,
      { '_e.tpl': '{{#define "e"}}E{{v}}{{/define}}', 'p.yaml': 'x\n  {{probe this k=1}}' },
      'p.yaml',
      { v: 1 },
    );
    expect(out).toBe('x\n  E1|<1>|true');
    expect(seen).toEqual([
      { name: 'probe', template: 'p.yaml', loc: { line: 2, column: 2 }, hash: { k: 1 }, root: { v: 1 } },
    ]);
  });
});

describe('calls and partials', () => {
  it('passes arguments and hash in order', () => {
    const seen: unknown[] = [];
    const spy = (args: unknown[], call: CallInfo) => {
      seen.push(args, Object.keys(call.hash));
      return '';
    };
    ours('{{spy 1 "two" three z=1 a=2 m=3}}', { three: [3] }, engineWith({ spy }));
    expect(seen).toEqual([
      [1, 'two', [3]],
      ['z', 'a', 'm'],
    ]);
  });
  it('resolves a partial name computed by a sub-expression', () => {
    expect(ours('{{#define "p-web"}}P:{{name}}{{/define}}{{> (concat "p-" name)}}', { name: 'web' })).toBe(
      'P:web',
    );
  });
  it('checks the arguments of include, template and tpl', () => {
    expect(() => ours('{{include "x"}}', {})).toThrow(/wrong number of args for include: want 2 got 1/);
    expect(() => ours('{{template}}', {})).toThrow(/wrong number of args for template: want 1 or 2 got 0/);
    expect(() => ours('{{include 5 this}}', {})).toThrow(
      /error calling include: first argument must be a string/,
    );
    expect(() => ours('{{tpl nope this}}', {})).toThrow(/error calling tpl: first argument must be a string/);
  });
  it('calls functions named by a dotted path (Files.Get, Capabilities.APIVersions.Has)', () => {
    const dotted: FunctionTable = {
      'Files.Get': (args) => `file:${String(args[0])}`,
      'A.B.C': () => 'abc',
    };
    const engine = engineWith(dotted);
    const ctx = { Files: { Get: 'data' }, A: { B: { C: 'data' } }, l: ['x'] };
    expect(ours('{{Files.Get "a"}}|{{quote (Files.Get "b")}}|{{A.B.C}}', ctx, engine)).toBe(
      'file:a|"file:b"|abc',
    );
    expect(ours('{{#if (Files.Get "a")}}y{{/if}}|{{upper (A.B.C)}}', ctx, engine)).toBe('y|ABC');
    // only a plain path names the function; other paths stay lookups
    expect(ours('{{this.Files.Get}}|{{A.B}}|{{A.B.C.D}}', ctx, engine)).toBe('data|map[C:data]|');
    // a block parameter shadows the function
    expect(ours('{{#each l as |Files|}}{{Files.Get}}{{/each}}', ctx, engine)).toBe('');
    expect(() => ours('{{A.B "x"}}', ctx, engine)).toThrow(/unknown helper "A\.B"/);
    expect(() => ours('{{this.Files.Get "x"}}', ctx, engine)).toThrow(/unknown helper "this\.Files\.Get"/);
  });
  it('shares the parse of identical files but names each file in errors', () => {
    const engine = engineWith();
    const a = engine.parse('x\n{{fail "boom"}}', 'a.yaml');
    const b = engine.parse('x\n{{fail "boom"}}', 'b.yaml');
    expect(a.compiled).toBe(b.compiled);
    expect(() => engine.render(b, {})).toThrow(/^b\.yaml:2: boom$/);
  });
});

describe('limits', () => {
  it('stops recursive includes quickly and names the template', () => {
    const engine = engineWith();
    const start = Date.now();
    expect(() =>
      renderFiles(
        engine,
        {
          'r.tpl': '{{#define "loop"}}\nx{{include "loop" this}}{{/define}}',
          'm.yaml': '{{include "loop" this}}',
        },
        'm.yaml',
        {},
      ),
    ).toThrow(/^r\.tpl:2: recursion limit exceeded in include "loop"$/);
    expect(Date.now() - start).toBeLessThan(1000);
  });
  it('stops recursive partials and tpl', () => {
    const engine = engineWith({}, { maxIncludeDepth: 50 });
    expect(() =>
      renderFiles(engine, { 'p.yaml': '{{#define "self"}}{{> self}}{{/define}}{{> self}}' }, 'p.yaml', {}),
    ).toThrow(/recursion limit exceeded in include "self"/);
    expect(() =>
      ours('{{tpl t this}}', { t: '{{tpl t this}}' }, engineWith({}, { maxIncludeDepth: 20 })),
    ).toThrow(/recursion limit exceeded in tpl/);
  });
  it('aborts an output bomb at the cap without building the whole string', () => {
    const big = Array.from({ length: 3000 }, (_, i) => i);
    const engine = engineWith({}, { maxOutputBytes: 100_000 });
    const start = Date.now();
    let error: unknown;
    try {
      ours('{{#each big}}{{#each ../big}}xxxxxxxxxx{{/each}}{{/each}}', { big }, engine);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(LimitError);
    expect((error as Error).message).toBe('test.yaml: rendered output exceeds 100000 bytes');
    expect(Date.now() - start).toBeLessThan(1000);
  });
  it('counts UTF-8 bytes and includes nested renders', () => {
    const engine = engineWith({}, { maxOutputBytes: 30 });
    expect(ours('{{s}}', { s: 'é'.repeat(15) }, engine)).toBe('é'.repeat(15));
    expect(() => ours('{{s}}', { s: 'é'.repeat(16) }, engine)).toThrow(LimitError);
    const files = { 'h.tpl': '{{#define "big"}}{{s}}{{s}}{{/define}}', 'm.yaml': '{{include "big" this}}' };
    expect(() => renderFiles(engine, files, 'm.yaml', { s: 'x'.repeat(20) })).toThrow(/exceeds 30 bytes/);
  });
});

describe('function errors', () => {
  it('turns TemplateFunctionError into RenderError with template and line', () => {
    expect(() => ours('a\n{{fail "value required"}}', {})).toThrow(/^test\.yaml:2: value required$/);
  });
  it('wraps other errors as "error calling NAME"', () => {
    expect(() => ours('\n\n{{boom}}', {})).toThrow(/^test\.yaml:3: error calling boom: kaput$/);
  });
  it('names the define’s own file and line for errors inside an include', () => {
    const files = {
      '_h.tpl': '{{#define "bad"}}\n\n{{fail "inner"}}{{/define}}',
      'm.yaml': 'x\n{{include "bad" this}}',
    };
    let error: unknown;
    try {
      renderFiles(engineWith(), files, 'm.yaml', {});
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RenderError);
    expect((error as RenderError).template).toBe('_h.tpl');
    expect((error as RenderError).line).toBe(3);
  });
  it('reports a missing define and a missing partial', () => {
    expect(() => ours('\n{{include "nope" this}}', {})).toThrow(
      /^test\.yaml:2: error calling include: template "nope" not found$/,
    );
    expect(() => ours('a\nb\n{{> nope}}', {})).toThrow(/^test\.yaml:3: partial "nope" not found$/);
    expect(() => engineWith().include('nope', {})).toThrow(/template "nope" not found/);
  });
});

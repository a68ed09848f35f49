/**
 * Shared fixtures of the engine tests: a small function table, our engine, and the
 * `handlebars` package configured as the oracle (no escaping, known helpers only, Go-semantic
 * `if`/`unless`/`with`/`each`, `let`, `raw`, and `define` mapped to inline partials).
 */

import Handlebars from 'handlebars';
import { isTruthy, TemplateEngine } from '../../../src/template/engine/index.js';
import { type CallInfo, type FunctionTable, TemplateFunctionError } from '../../../src/template/types.js';

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** Pure functions bridged to both engines. */
export const FUNCTIONS: FunctionTable = {
  quote: (args) => args.map((a) => JSON.stringify(str(a))).join(' '),
  upper: (args) => str(args[0]).toUpperCase(),
  concat: (args) => args.map(str).join(''),
  add: (args) => args.reduce<number>((sum, a) => sum + Number(a), 0),
  typeOf: (args) => (args[0] === null ? 'null' : typeof args[0]),
  kv: (_args, call: CallInfo) =>
    Object.keys(call.hash)
      .sort()
      .map((k) => `${k}=${str(call.hash[k])}`)
      .join(','),
  indent: (args) =>
    str(args[1])
      .split('\n')
      .map((l) => ' '.repeat(Number(args[0])) + l)
      .join('\n'),
  nindent: (args) =>
    `\n${str(args[1])
      .split('\n')
      .map((l) => ' '.repeat(Number(args[0])) + l)
      .join('\n')}`,
  now: () => 'NOW',
  list: (args) => args,
  fail: (args) => {
    throw new TemplateFunctionError(str(args[0]));
  },
  boom: () => {
    throw new Error('kaput');
  },
};

/** Renders with our engine; `defines` are extra sources whose defines are registered first. */
export function ours(
  source: string,
  context: unknown,
  engine = new TemplateEngine({ functions: FUNCTIONS }),
): string {
  const template = engine.parse(source, 'test.yaml');
  engine.addDefines(template);
  return engine.render(template, context);
}

type HelperOptions = Handlebars.HelperOptions;

function makeOracle(): typeof Handlebars {
  const hb = Handlebars.create();
  hb.unregisterHelper('lookup');
  hb.unregisterHelper('log');
  for (const [name, fn] of Object.entries(FUNCTIONS)) {
    hb.registerHelper(name, (...all: unknown[]) => {
      const options = all.pop() as HelperOptions;
      return fn(all, {
        hash: options.hash,
        name,
        template: 'test.yaml',
        loc: { line: 1, column: 0 },
      } as CallInfo);
    });
  }
  hb.registerHelper('if', function (this: unknown, cond: unknown, options: HelperOptions) {
    return isTruthy(cond) ? options.fn(this) : options.inverse(this);
  });
  hb.registerHelper('unless', function (this: unknown, cond: unknown, options: HelperOptions) {
    return isTruthy(cond) ? options.inverse(this) : options.fn(this);
  });
  hb.registerHelper('with', function (this: unknown, v: unknown, options: HelperOptions) {
    if (!isTruthy(v)) return options.inverse(this);
    return options.fn(v, { data: options.data, blockParams: [v] });
  });
  hb.registerHelper('let', function (this: unknown, ...all: unknown[]) {
    const options = all.pop() as HelperOptions;
    return options.fn(this, { data: options.data, blockParams: all });
  });
  hb.registerHelper('raw', (options: HelperOptions) => options.fn(undefined));
  hb.registerHelper('each', function (this: unknown, v: unknown, options: HelperOptions) {
    let out = '';
    const entries: [string | number, unknown][] = [];
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) entries.push([i, v[i]]);
    } else if (v !== null && typeof v === 'object') {
      const map = v as Record<string, unknown>;
      for (const k of Object.keys(map).sort()) entries.push([k, map[k]]);
    }
    if (entries.length === 0) return options.inverse(this);
    const data = hb.createFrame(options.data);
    entries.forEach(([key, value], i) => {
      Object.assign(data, { key, index: i, first: i === 0, last: i === entries.length - 1 });
      out += options.fn(value, { data, blockParams: [value, key] });
    });
    return out;
  });
  return hb;
}

const oracleEnv = makeOracle();
const KNOWN = Object.fromEntries(
  [...Object.keys(FUNCTIONS), 'if', 'unless', 'with', 'each', 'let', 'raw'].map((k) => [k, true]),
);

/** Renders with the `handlebars` package; `{{#define "x"}}` becomes an inline partial. */
export function oracle(source: string, context: unknown): string {
  const converted = source
    .replace(/\{\{(~?)#define\b/g, '{{$1#*inline')
    .replace(/\{\{(~?)\/define(\s*~?)\}\}/g, '{{$1/inline$2}}');
  const template = oracleEnv.compile(converted, {
    noEscape: true,
    knownHelpers: KNOWN,
    knownHelpersOnly: true,
  });
  return template(context);
}

/** The context most cases render with. */
export const CONTEXT = {
  name: 'web',
  replicas: 3,
  enabled: true,
  disabled: false,
  empty: '',
  zero: 0,
  nothing: null,
  text: 'hello world',
  list: ['a', 'b', 'c'],
  nums: [1, 2],
  none: [],
  people: [
    { name: 'ann', age: 30, tags: ['x', 'y'] },
    { name: 'bob', age: 40, tags: [] },
  ],
  map: { alpha: 1, beta: 2, gamma: 3 },
  nested: { a: { b: { c: 'deep' } } },
  'a-b': { c: 'dash' },
  'foo bar': 'spaced',
  Values: { image: { repository: 'nginx', tag: '1.25' }, service: { port: 80 }, labels: { tier: 'front' } },
};

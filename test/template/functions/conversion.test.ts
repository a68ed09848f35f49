import { describe, expect, it } from 'vitest';
import { TemplateFunctionError } from '../../../src/template/types.js';
import { run } from './helpers.js';

type Case = [name: string, args: unknown[], expected: unknown];

const conversionCases: Case[] = [
  ['int', ['42'], 42],
  ['int', [3.9], 3],
  ['int', [-3.9], -3],
  ['int', ['3.7'], 0],
  ['int', ['3.00'], 3],
  ['int', ['0x1F'], 31],
  ['int', ['010'], 8],
  ['int', ['08'], 0],
  ['int', ['abc'], 0],
  ['int', [null], 0],
  ['int', [true], 1],
  ['int64', ['-12'], -12],
  ['float64', ['1.5'], 1.5],
  ['float64', ['1e3'], 1000],
  ['float64', ['abc'], 0],
  ['float64', [2], 2],
  ['atoi', ['42'], 42],
  ['atoi', ['4.2'], 0],
  ['atoi', [' 42'], 0],
  ['toDecimal', ['0777'], 511],
  ['toDecimal', ['777'], 511],
  ['toDecimal', ['8'], 0],
];

const dataCases: Case[] = [
  ['toJson', [{ b: 1, a: '<x>&' }], '{"a":"\\u003cx\\u003e\\u0026","b":1}'],
  ['toJson', [null], 'null'],
  ['toJson', [[1, 'a', null, true, 1.5]], '[1,"a",null,true,1.5]'],
  ['toJson', [{ '10': 1, '2': 2, a: {} }], '{"10":1,"2":2,"a":{}}'],
  ['toJson', ['line\u2028sep'], '"line\\u2028sep"'],
  ['toJson', [Number.NaN], ''],
  ['toJson', [new Date('2024-02-29T13:04:05Z')], '"2024-02-29T13:04:05Z"'],
  ['mustToJson', [{ a: [] }], '{"a":[]}'],
  ['toPrettyJson', [{ b: {}, a: [1, 2] }], '{\n  "a": [\n    1,\n    2\n  ],\n  "b": {}\n}'],
  ['toRawJson', [{ a: '<x>' }], '{"a":"<x>"}'],
  ['fromJson', ['{"a": 1, "b": [true]}'], { a: 1, b: [true] }],
  [
    'fromJson',
    ['[1]'],
    { Error: 'json: cannot unmarshal array into Go value of type map[string]interface {}' },
  ],
  ['fromJson', ['null'], {}],
  ['fromJsonArray', ['[1, "a"]'], [1, 'a']],
  ['fromJsonArray', ['{}'], ['json: cannot unmarshal object into Go value of type []interface {}']],
  ['mustFromJson', ['"x"'], 'x'],
  ['toYaml', [{ b: [1, 2], a: { c: 'yes' } }], 'a:\n  c: "yes"\nb:\n- 1\n- 2'],
  ['toYaml', [{ cpu: '100m', replicas: 3, on: true }], 'cpu: 100m\n"on": true\nreplicas: 3'],
  ['toYaml', [null], 'null'],
  ['toYaml', [{}], '{}'],
  ['toYaml', [[]], '[]'],
  ['toYaml', [{ a: 'multi\nline\n', b: 'x\ny' }], 'a: |\n  multi\n  line\nb: |-\n  x\n  y'],
  ['toYaml', [{ a: undefined }], 'a: null'],
  ['mustToYaml', [{ a: 1 }], 'a: 1'],
  ['toYamlPretty', [{ b: [1, 2] }], 'b:\n  - 1\n  - 2'],
  ['fromYaml', ['a: 1\nb: [x, z]'], { a: 1, b: ['x', 'z'] }],
  ['fromYaml', ['a: yes\nb: 0755'], { a: true, b: 493 }],
  ['fromYaml', [''], {}],
  ['fromYaml', ['~'], {}],
  [
    'fromYaml',
    ['- 1'],
    {
      Error:
        'error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}',
    },
  ],
  ['fromYamlArray', ['- 1\n- b'], [1, 'b']],
  [
    'fromYamlArray',
    ['a: 1'],
    [
      'error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go value of type []interface {}',
    ],
  ],
];

describe('conversion functions', () => {
  it.each(conversionCases)('%s %j → %j', (name, args, expected) => {
    expect(run(name, args)).toStrictEqual(expected);
  });
});

describe('data format functions', () => {
  it.each(dataCases)('%s %j → %j', (name, args, expected) => {
    expect(run(name, args)).toStrictEqual(expected);
  });

  it('fromYaml reports a parse error in an Error key', () => {
    const r = run('fromYaml', ['a: [1']) as { Error: string };
    expect(Object.keys(r)).toStrictEqual(['Error']);
    expect(r.Error).toMatch(/^error converting YAML to JSON: yaml: /);
  });

  it('fromJson reports a parse error in an Error key', () => {
    const r = run('fromJson', ['not json']) as { Error: string };
    expect(typeof r.Error).toBe('string');
  });

  it('fromYaml refuses prototype keys', () => {
    const r = run('fromYaml', ['__proto__:\n  polluted: true']) as { Error?: string };
    expect(r.Error).toMatch(/not allowed/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('toYaml round-trips through fromYaml', () => {
    const v = { list: [1, 'two', { three: 3 }], s: 'yes', n: null, f: 1.5 };
    expect(run('fromYaml', [run('toYaml', [v])])).toStrictEqual(v);
  });
});

const errorCases: Array<[name: string, args: unknown[], message: RegExp]> = [
  ['mustToJson', [Number.NaN], /unsupported value: NaN/],
  ['mustFromJson', ['{'], /invalid JSON/],
  ['toToml', [{}], /toToml is not supported/],
];

describe('conversion errors', () => {
  it.each(errorCases)('%s %j fails', (name, args, message) => {
    expect(() => run(name, args)).toThrow(TemplateFunctionError);
    expect(() => run(name, args)).toThrow(message);
  });

  it('toJson of a cyclic value is empty, mustToJson fails', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(run('toJson', [a])).toBe('');
    expect(() => run('mustToJson', [a])).toThrow(TemplateFunctionError);
  });
});

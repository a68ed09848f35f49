/**
 * security-and-faults §5.B5: `__proto__`, `constructor` and `prototype` keys are refused by every
 * way values come in, and `Object.prototype` stays clean.
 */

import { afterEach, describe, expect, it } from 'vitest';
import type { PlainObject } from '../../src/internal/objects.js';
import { coalesceValues } from '../../src/values/coalesce.js';
import { processDependencies } from '../../src/values/dependencies.js';
import {
  parseSet,
  parseSetFile,
  parseSetJson,
  parseSetLiteral,
  parseSetString,
} from '../../src/values/strvals.js';
import { mergeValueOptions } from '../../src/values/value-options.js';
import { makeChart, prototypeIsClean } from './chart-builder.js';

afterEach(() => {
  expect(prototypeIsClean()).toBe(true);
});

const KEYS = [
  '__proto__.polluted=1',
  'constructor.prototype.polluted=1',
  'a.__proto__.polluted=1',
  'x[0].__proto__.polluted=1',
  'prototype=1',
  'a\\.b.constructor=1',
];

describe('B5: forbidden keys through the --set family', () => {
  it.each<[string, (e: string, into: PlainObject) => PlainObject]>([
    ['--set', parseSet],
    ['--set-string', parseSetString],
    ['--set-literal', parseSetLiteral],
  ])('%s', (flag, parse) => {
    for (const expr of KEYS) {
      expect(() => parse(expr, {}), expr).toThrow(
        new RegExp(`^${flag} ".*": key "(__proto__|constructor|prototype)" is not allowed$`),
      );
    }
  });

  it.each([
    '__proto__={"polluted":1}',
    'a={"__proto__":{"polluted":1}}',
    'a=[{"constructor":{"prototype":{"polluted":1}}}]',
    '{"__proto__":{"polluted":1}}',
    '{"a":{"constructor":{"prototype":{"polluted":1}}}}',
  ])('--set-json %s', (expr) => {
    expect(() => parseSetJson(expr, {})).toThrow(
      /^--set-json ".*": .*key "(__proto__|constructor)" is not allowed$/,
    );
  });

  it('--set-file', async () => {
    await expect(parseSetFile('__proto__.polluted=f', {}, () => 'x')).rejects.toThrow(
      '--set-file "__proto__.polluted=f": key "__proto__" is not allowed',
    );
  });
});

describe('B5: forbidden keys through files and coalescing', () => {
  it.each([
    '__proto__:\n  polluted: x\n',
    'a:\n  constructor:\n    prototype:\n      polluted: x\n',
    'list:\n- prototype: 1\n',
  ])('values file %j', async (text) => {
    await expect(mergeValueOptions({ valueFiles: ['evil.yaml'] }, { readFile: () => text })).rejects.toThrow(
      /^evil\.yaml: key "(__proto__|constructor|prototype)" is not allowed$/,
    );
  });

  it('user values built by JSON.parse', () => {
    const user = JSON.parse('{"a":{"__proto__":{"polluted":1}}}') as PlainObject;
    expect(() => coalesceValues(makeChart('c'), user)).toThrow('key "__proto__" is not allowed');
  });

  it('chart defaults', () => {
    const values = JSON.parse('{"constructor":{"prototype":{"polluted":1}}}') as PlainObject;
    expect(() => coalesceValues(makeChart('c', { values }), {})).toThrow('key "constructor" is not allowed');
  });

  it('a subchart or alias named like a prototype key', () => {
    const parent = makeChart('p', { subcharts: [makeChart('__proto__', { values: { polluted: 1 } })] });
    expect(() => coalesceValues(parent, {})).toThrow('subchart of "p": key "__proto__" is not allowed');
    const aliased = makeChart('p', {
      deps: [{ name: 'sub', alias: 'constructor' }],
      subcharts: [makeChart('sub')],
    });
    expect(() => processDependencies(aliased, {})).toThrow('key "constructor" is not allowed');
  });

  it('an import-values parent path', () => {
    const parent = makeChart('p', {
      deps: [{ name: 'sub', 'import-values': [{ child: 'data', parent: '__proto__' }] }],
      subcharts: [makeChart('sub', { values: { data: { polluted: 1 } } })],
    });
    expect(() => processDependencies(parent, {})).toThrow('key "__proto__" is not allowed');
  });

  it('keys named like Object.prototype members are ordinary data', () => {
    const { values } = coalesceValues(makeChart('c', { values: { toString: { a: 1 } } }), {
      hasOwnProperty: 1,
      toString: { b: 2 },
    });
    expect(values).toStrictEqual({ hasOwnProperty: 1, toString: { a: 1, b: 2 } });
    expect(parseSet('valueOf.x=1,toString[0]=2', {})).toStrictEqual({ valueOf: { x: 1 }, toString: [2] });
  });
});

import { describe, expect, it } from 'vitest';
import { TemplateFunctionError } from '../../../src/template/types.js';
import { run } from './helpers.js';

type Case = [name: string, args: unknown[], expected: unknown];

const cases: Case[] = [
  ['eq', [1, 1], true],
  ['eq', [1, 1.0], true],
  ['eq', ['a', 'b', 'a'], true],
  ['eq', ['a', 'b', 'c'], false],
  ['eq', [null, 'a'], false],
  ['eq', [undefined, null], true],
  ['eq', [true, false], false],
  ['ne', ['a', 'b'], true],
  ['ne', [2, 2], false],
  ['lt', [1, 2], true],
  ['lt', ['a', 'b'], true],
  ['lt', [2, 1.5], false],
  ['le', [2, 2], true],
  ['gt', [3, 2], true],
  ['gt', [2, 2], false],
  ['ge', [2, 3], false],
  ['ge', ['b', 'a'], true],
  ['and', [1, '', 3], ''],
  ['and', [1, 2], 2],
  ['and', [null, 'x'], null],
  ['or', ['', 0, 'x'], 'x'],
  ['or', ['', 0], 0],
  ['or', [null, []], []],
  ['not', [{}], true],
  ['not', ['a'], false],
  ['not', [0], true],
  ['not', [[0]], false],
  ['default', ['x', null], 'x'],
  ['default', ['x', undefined], 'x'],
  ['default', ['x', 0], 'x'],
  ['default', ['x', false], 'x'],
  ['default', ['x', ''], 'x'],
  ['default', ['x', []], 'x'],
  ['default', ['x', {}], 'x'],
  ['default', ['x', 'y'], 'y'],
  ['default', ['x', 1], 1],
  ['default', ['x', true], true],
  ['default', ['x', { a: 1 }], { a: 1 }],
  ['default', ['x'], 'x'],
  ['empty', [0], true],
  ['empty', [' '], false],
  ['empty', [{ a: 1 }], false],
  ['empty', [new Date(0)], false],
  ['coalesce', [null, '', 'a', 'b'], 'a'],
  ['coalesce', [null, 0], null],
  ['all', [1, 'a'], true],
  ['all', [1, ''], false],
  ['any', [0, ''], false],
  ['any', [0, 'x'], true],
  ['ternary', ['a', 'b', true], 'a'],
  ['ternary', ['a', 'b', false], 'b'],
  ['len', ['héllo'], 6],
  ['len', [[1, 2]], 2],
  ['len', [{ a: 1 }], 1],
  ['index', [{ a: { b: 1 } }, 'a', 'b'], 1],
  ['index', [[1, 2, 3], 1], 2],
  ['index', [{ a: 1 }, 'z'], null],
  ['index', [{ a: 1 }], { a: 1 }],
  ['index', ['abc', 1], 98],
  ['kindOf', ['a'], 'string'],
  ['kindOf', [1], 'int'],
  ['kindOf', [1.5], 'float64'],
  ['kindOf', [[]], 'slice'],
  ['kindOf', [{}], 'map'],
  ['kindOf', [null], 'invalid'],
  ['kindOf', [true], 'bool'],
  ['kindIs', ['map', {}], true],
  ['kindIs', ['slice', []], true],
  ['kindIs', ['float64', 3], true],
  ['kindIs', ['int64', 3], true],
  ['kindIs', ['int', 1.5], false],
  ['kindIs', ['invalid', null], true],
  ['kindIs', ['string', 1], false],
  ['typeOf', [{}], 'map[string]interface {}'],
  ['typeOf', [[]], '[]interface {}'],
  ['typeOf', [null], '<nil>'],
  ['typeOf', [new Date(0)], 'time.Time'],
  ['typeIs', ['string', 'a'], true],
  ['typeIs', ['float64', 80], true],
  ['typeIsLike', ['map[string]interface {}', {}], true],
  ['deepEqual', [{ a: [1] }, { a: [1] }], true],
  ['deepEqual', [{ a: [1] }, { a: [2] }], false],
];

describe('logic, default and reflection functions', () => {
  it.each(cases)('%s %j → %j', (name, args, expected) => {
    expect(run(name, args)).toStrictEqual(expected);
  });
});

const errorCases: Array<[name: string, args: unknown[], message: RegExp]> = [
  ['eq', [1, '1'], /incompatible types for comparison/],
  ['eq', [{}, {}], /non-comparable types/],
  ['eq', [1], /missing argument for comparison/],
  ['lt', [null, 1], /invalid type for comparison/],
  ['lt', [true, false], /invalid type for comparison/],
  ['gt', ['1', 2], /incompatible types for comparison/],
  ['len', [null], /len of nil pointer/],
  ['len', [5], /len of type int/],
  ['index', [[1], 5], /index out of range: 5/],
  ['index', [{ a: null }, 'a', 'b'], /index of nil pointer/],
  ['index', [null, 'a'], /index of untyped nil/],
  ['index', [{ a: 1 }, 1], /value has type int; should be string/],
  ['index', [[1], 'a'], /cannot index slice\/array with type string/],
  ['index', [5, 0], /can't index item of type int/],
  ['not', [1, 2], /wrong number of args for not: want 1 got 2/],
];

describe('logic function errors', () => {
  it.each(errorCases)('%s %j fails', (name, args, message) => {
    expect(() => run(name, args)).toThrow(TemplateFunctionError);
    expect(() => run(name, args)).toThrow(message);
  });
});

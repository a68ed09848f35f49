import { describe, expect, it } from 'vitest';
import { TemplateFunctionError } from '../../../src/template/types.js';
import { run } from './helpers.js';

type Case = [name: string, args: unknown[], expected: number];

const cases: Case[] = [
  ['add', [1, 2, 3], 6],
  ['add', [1.5, 1.5], 2],
  ['add', ['2', 3], 5],
  ['add', [], 0],
  ['add1', [1], 2],
  ['add1', ['41'], 42],
  ['sub', [5, 7], -2],
  ['mul', [2, 3, 4], 24],
  ['div', [7, 2], 3],
  ['div', [-7, 2], -3],
  ['mod', [7, 3], 1],
  ['mod', [-7, 3], -1],
  ['max', [1, 5, 3], 5],
  ['min', [4, 2, 8], 2],
  ['biggest', [1, 2], 2],
  ['maxf', [1.5, 2.5], 2.5],
  ['minf', [1.5, 2.5, -1], -1],
  ['floor', [1.5], 1],
  ['floor', ['-1.5'], -2],
  ['ceil', [1.2], 2],
  ['round', [1.23456, 2], 1.23],
  ['round', [2.5, 0], 3],
  ['round', [1.234, 1, 0.3], 1.3],
  ['addf', [0.1, 0.2], 0.3],
  ['addf', [1.5, 2, 2], 5.5],
  ['add1f', [1.5], 2.5],
  ['subf', [1.5, 0.5], 1],
  ['subf', [0.3, 0.1], 0.2],
  ['mulf', [1.1, 3], 3.3],
  ['divf', [10, 4], 2.5],
  ['divf', [1, 3], 0.3333333333333333],
  ['divf', [2, 3], 0.6666666666666667],
];

describe('math functions', () => {
  it.each(cases)('%s %j → %j', (name, args, expected) => {
    expect(run(name, args)).toBe(expected);
  });
});

const errorCases: Array<[name: string, args: unknown[], message: RegExp]> = [
  ['div', [1, 0], /integer divide by zero/],
  ['mod', [1, 0], /integer divide by zero/],
  ['divf', [1, 0], /decimal division by 0/],
  ['sub', [1], /want 2 got 1/],
];

describe('math errors', () => {
  it.each(errorCases)('%s %j fails', (name, args, message) => {
    expect(() => run(name, args)).toThrow(TemplateFunctionError);
    expect(() => run(name, args)).toThrow(message);
  });
});

import { describe, expect, it } from 'vitest';
import { TemplateFunctionError } from '../../../src/template/types.js';
import { run } from './helpers.js';

type Case = [name: string, args: unknown[], expected: unknown];

const listCases: Case[] = [
  ['list', [1, 'a'], [1, 'a']],
  ['list', [], []],
  ['tuple', [1], [1]],
  ['append', [[1], 2], [1, 2]],
  ['push', [[1], [2]], [1, [2]]],
  ['append', [null, 1], [1]],
  ['mustAppend', [[], 'x'], ['x']],
  ['prepend', [[2], 1], [1, 2]],
  ['concat', [[1], [2, 3], null], [1, 2, 3]],
  ['first', [[1, 2]], 1],
  ['first', [[]], null],
  ['mustFirst', [['a']], 'a'],
  ['last', [[1, 2]], 2],
  ['rest', [[1, 2, 3]], [2, 3]],
  ['rest', [[]], null],
  ['initial', [[1, 2, 3]], [1, 2]],
  ['uniq', [[1, 1, 'a', 'a', { a: 1 }, { a: 1 }, null, null]], [1, 'a', { a: 1 }, null]],
  ['mustUniq', [['b', 'a', 'b']], ['b', 'a']],
  ['has', [2, [1, 2]], true],
  ['has', [{ a: 1 }, [{ a: 1 }]], true],
  ['has', ['x', null], false],
  ['without', [[1, 2, 3, 2], 2], [1, 3]],
  ['without', [[1, 2, 3], 1, 3], [2]],
  ['compact', [[1, '', null, 0, 'a', [], {}, false]], [1, 'a']],
  ['reverse', [[1, 2, 3]], [3, 2, 1]],
  ['slice', [[1, 2, 3, 4], 1, 3], [2, 3]],
  ['slice', [[1, 2, 3], 1], [2, 3]],
  ['slice', [[1, 2, 3]], [1, 2, 3]],
  ['slice', [[]], null],
  ['until', [3], [0, 1, 2]],
  ['until', [-3], [0, -1, -2]],
  ['until', [0], []],
  ['untilStep', [0, 10, 3], [0, 3, 6, 9]],
  ['untilStep', [10, 0, -4], [10, 6, 2]],
  ['untilStep', [0, 10, -1], []],
  ['seq', [5], '1 2 3 4 5'],
  ['seq', [-3], '1 0 -1 -2 -3'],
  ['seq', [2, -2], '2 1 0 -1 -2'],
  ['seq', [0, 2, 10], '0 2 4 6 8 10'],
  ['seq', [0, -2, -5], '0 -2 -4'],
  ['chunk', [2, [1, 2, 3]], [[1, 2], [3]]],
];

describe('list functions', () => {
  it.each(listCases)('%s %j → %j', (name, args, expected) => {
    expect(run(name, args)).toStrictEqual(expected);
  });

  it('never mutates its input list', () => {
    const l = [1, 2];
    run('append', [l, 3]);
    run('reverse', [l]);
    expect(l).toStrictEqual([1, 2]);
  });
});

const dictCases: Case[] = [
  ['dict', ['a', 1, 'b'], { a: 1, b: '' }],
  ['dict', [1, 2], { '1': 2 }],
  ['dict', [], {}],
  ['get', [{ a: 1 }, 'a'], 1],
  ['get', [{ a: 1 }, 'b'], ''],
  ['get', [null, 'a'], ''],
  ['get', [{}, 'toString'], ''],
  ['set', [{ a: 1 }, 'b', 2], { a: 1, b: 2 }],
  ['unset', [{ a: 1, b: 2 }, 'a'], { b: 2 }],
  ['hasKey', [{ a: null }, 'a'], true],
  ['hasKey', [{}, 'toString'], false],
  ['hasKey', [null, 'a'], false],
  ['keys', [{ b: 1, a: 2 }, { c: 3 }], ['a', 'b', 'c']],
  ['values', [{ b: 1, a: 2 }], [2, 1]],
  ['pluck', ['name', { name: 'a' }, { x: 1 }, { name: 'b' }], ['a', 'b']],
  ['pick', [{ a: 1, b: 2, c: 3 }, 'a', 'c', 'z'], { a: 1, c: 3 }],
  ['omit', [{ a: 1, b: 2, c: 3 }, 'a'], { b: 2, c: 3 }],
  [
    'merge',
    [
      { default: 'default', overwrite: 'me', key: true },
      { overwrite: 'overwritten', key: false },
    ],
    { default: 'default', overwrite: 'me', key: true },
  ],
  [
    'merge',
    [
      { a: '', b: false, c: 0, d: [] },
      { a: 'x', b: true, c: 5, d: [1] },
    ],
    { a: 'x', b: true, c: 5, d: [1] },
  ],
  ['merge', [{ a: { x: 1 } }, { a: { x: 2, y: 3 } }, { a: { z: 4 } }], { a: { x: 1, y: 3, z: 4 } }],
  ['merge', [{ a: 1 }, { a: null, b: null }], { a: 1 }],
  ['merge', [{ a: [1] }, { a: [2, 3] }], { a: [1] }],
  [
    'mergeOverwrite',
    [
      { default: 'default', overwrite: 'me', key: true },
      { overwrite: 'overwritten', key: false },
    ],
    { default: 'default', overwrite: 'overwritten', key: false },
  ],
  ['mergeOverwrite', [{ a: { x: 1, y: 1 } }, { a: { x: 2 } }], { a: { x: 2, y: 1 } }],
  ['mergeOverwrite', [{ a: 1 }, { a: null }], { a: null }],
  ['mustMerge', [{}, null, { a: 1 }], { a: 1 }],
  ['deepCopy', [{ a: [1, { b: 2 }] }], { a: [1, { b: 2 }] }],
  ['dig', ['a', 'b', 'def', { a: { b: 1 } }], 1],
  ['dig', ['a', 'x', 'def', { a: { b: 1 } }], 'def'],
  ['dig', ['a', 'b', 'def', { a: 'str' }], 'def'],
  ['dig', ['a', 'def', null], 'def'],
  ['dig', ['a', 'def', { a: null }], null],
];

describe('dict functions', () => {
  it.each(dictCases)('%s %j → %j', (name, args, expected) => {
    expect(run(name, args)).toStrictEqual(expected);
  });

  it('dict accepts hash arguments', () => {
    expect(run('dict', ['a', 1], { b: 2 })).toStrictEqual({ a: 1, b: 2 });
  });

  it('set and merge mutate and return their first argument', () => {
    const d: Record<string, unknown> = { a: 1 };
    expect(run('set', [d, 'b', 2])).toBe(d);
    expect(run('merge', [d, { c: 3 }])).toBe(d);
    expect(d).toStrictEqual({ a: 1, b: 2, c: 3 });
  });

  it('merge copies source values instead of aliasing them', () => {
    const src = { nested: { x: 1 } };
    const dst = run('merge', [{}, src]) as { nested: { x: number } };
    dst.nested.x = 2;
    expect(src.nested.x).toBe(1);
  });

  it('deepCopy returns a new tree', () => {
    const v = { a: { b: 1 } };
    const c = run('deepCopy', [v]) as typeof v;
    expect(c).not.toBe(v);
    expect(c.a).not.toBe(v.a);
  });
});

const errorCases: Array<[name: string, args: unknown[], message: RegExp]> = [
  ['append', ['x', 1], /Cannot push on type string/],
  ['first', [5], /Cannot find first on type int/],
  ['has', [1, 'abc'], /Cannot find has on type string/],
  ['concat', [[1], 'x'], /Cannot concat type string as list/],
  ['slice', [[1, 2], 1, 5], /slice bounds out of range/],
  ['until', [1e9], /result too large/],
  ['chunk', [0, [1]], /size must be positive/],
  ['dict', ['__proto__', 1], /key "__proto__" is not allowed/],
  ['dict', ['constructor', 1], /not allowed/],
  ['set', [{}, 'prototype', 1], /not allowed/],
  ['set', [null, 'a', 1], /expected map/],
  ['merge', [{}, JSON.parse('{"__proto__": {"polluted": true}}')], /not allowed/],
  ['mergeOverwrite', [{}, JSON.parse('{"a": {"constructor": 1}}')], /not allowed/],
  ['merge', ['x', {}], /expected map/],
  ['dig', ['a', {}], /want at least 3 got 2/],
];

describe('collection function errors', () => {
  it.each(errorCases)('%s %j fails', (name, args, message) => {
    expect(() => run(name, args)).toThrow(TemplateFunctionError);
    expect(() => run(name, args)).toThrow(message);
  });

  it('refused keys leave Object.prototype untouched', () => {
    expect(() => run('merge', [{}, JSON.parse('{"__proto__": {"polluted": true}}')])).toThrow();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

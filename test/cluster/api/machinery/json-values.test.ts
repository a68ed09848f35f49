import { describe, expect, it } from 'vitest';
import { cloneJson, jsonEqual, listAt, objectAt } from '../../../../src/cluster/api/machinery/json-values.js';

describe('jsonEqual', () => {
  it('compares JSON data deeply, key order aside', () => {
    expect(jsonEqual({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 })).toBe(true);
    expect(jsonEqual([], [])).toBe(true);
    expect(jsonEqual({}, {})).toBe(true);
    expect(jsonEqual(null, null)).toBe(true);
  });

  it('tells apart values that differ anywhere, in kind, length or keys', () => {
    const cases: [unknown, unknown][] = [
      [{ a: 1 }, { a: 1, b: 2 }],
      [{ a: 1, b: 2 }, { a: 1 }],
      [
        { a: 1, b: 2 },
        { a: 1, c: 2 },
      ],
      [{ a: undefined }, { b: undefined }],
      [{ a: 1 }, { a: '1' }],
      [
        [1, 2],
        [2, 1],
      ],
      [[1], [1, 1]],
      [[], {}],
      [{}, []],
      [{ 0: 'x' }, ['x']],
      [null, {}],
      [{}, null],
      [0, false],
      [Number.NaN, Number.NaN],
      [{ a: { b: { c: [1, { d: true }] } } }, { a: { b: { c: [1, { d: false }] } } }],
    ];
    for (const [a, b] of cases) expect([a, b, jsonEqual(a, b)]).toEqual([a, b, false]);
  });

  it('counts only own keys', () => {
    const inherited = Object.create({ extra: 1 }) as Record<string, unknown>;
    inherited.a = 1;
    expect(jsonEqual(inherited, { a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1 }, inherited)).toBe(true);
  });
});

describe('cloneJson', () => {
  it('copies every level, sharing nothing', () => {
    const source = { a: [1, { b: 'x' }], c: { d: null, e: true } };
    const copy = cloneJson(source);
    expect(copy).toEqual(source);
    expect(copy.a).not.toBe(source.a);
    expect(copy.a[1]).not.toBe(source.a[1]);
    expect(copy.c).not.toBe(source.c);
  });

  it('keeps a __proto__ key as data, never as the prototype', () => {
    const source = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    const copy = cloneJson(source);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.hasOwn(copy, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(copy)).toBe('{"__proto__":{"polluted":true},"a":1}');
  });
});

describe('objectAt / listAt', () => {
  it('read an object or an array under a key, and nothing from anything else', () => {
    const spec = { tolerations: [{ key: 'a' }], affinity: { nodeAffinity: {} }, name: 'x' };
    expect(objectAt(spec, 'affinity')).toBe(spec.affinity);
    expect(listAt(spec, 'tolerations')).toBe(spec.tolerations);
    expect(objectAt(spec, 'tolerations')).toBeUndefined();
    expect(objectAt(spec, 'name')).toBeUndefined();
    expect(listAt(spec, 'affinity')).toEqual([]);
    expect(listAt(spec, 'missing')).toEqual([]);
    for (const notObject of [undefined, null, 'text', ['x']]) {
      expect(objectAt(notObject, 'affinity')).toBeUndefined();
      expect(listAt(notObject, 'tolerations')).toEqual([]);
    }
  });
});

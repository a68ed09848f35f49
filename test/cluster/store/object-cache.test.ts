import { describe, expect, it } from 'vitest';
import {
  type CachedRow,
  isPlainJson,
  ObjectCache,
  objectOf,
} from '../../../src/cluster/store/object-cache.js';

const row = (name: string, revision = 1): CachedRow => ({
  key: { resource: 'configmaps', namespace: 'default', name },
  id: revision,
  revision,
  labels: '[]',
  text: JSON.stringify({ metadata: { name } }),
});

describe('ObjectCache', () => {
  it('keeps at most its capacity, dropping the least recently used first', () => {
    const cache = new ObjectCache(4);
    for (const name of ['a', 'b', 'c', 'd']) cache.set(name, row(name));
    expect(cache.size).toBe(4);
    // Reading `a` keeps it; `b`, read least recently, goes first.
    expect(cache.get('a')?.key.name).toBe('a');
    cache.set('e', row('e'));
    cache.set('f', row('f'));
    expect(cache.size).toBeLessThanOrEqual(4);
    expect(cache.get('a')?.key.name).toBe('a');
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('f')?.key.name).toBe('f');
  });

  it('returns the newest row of a key, and nothing after delete or clear', () => {
    const cache = new ObjectCache(4);
    cache.set('a', row('a', 1));
    for (const name of ['b', 'c']) cache.set(name, row(name));
    cache.set('a', row('a', 2));
    cache.set('d', row('d'));
    expect(cache.get('a')?.revision).toBe(2);
    for (const name of ['e', 'f', 'g', 'h']) cache.set(name, row(name));
    expect(cache.get('a')).toBeUndefined();
    cache.set('a', row('a', 3));
    expect(cache.get('a')?.revision).toBe(3);
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
    cache.clear();
    expect([cache.get('h'), cache.size]).toEqual([undefined, 0]);
  });

  it('caches nothing with capacity 0, and refuses a bad capacity', () => {
    const cache = new ObjectCache(0);
    cache.set('a', row('a'));
    expect(cache.get('a')).toBeUndefined();
    expect(() => new ObjectCache(1.5)).toThrow(/capacity/);
  });

  it('decodes a row once and shares the value', () => {
    const r = row('a');
    expect(objectOf(r)).toBe(objectOf(r));
    expect(objectOf(r)).toEqual({ metadata: { name: 'a' } });
    expect(Object.isFrozen(objectOf(r))).toBe(true);
  });

  it('tells plain JSON from what its encoding would change', () => {
    const plain = [
      null,
      'a',
      0,
      -1.5,
      true,
      [],
      {},
      [1, [2, { a: null }]],
      { a: { b: ['c'] } },
      Object.create(null),
    ];
    for (const v of plain) expect(isPlainJson(v)).toBe(true);
    const sparse: number[] = [1];
    sparse[2] = 3;
    const changed = [
      undefined,
      { a: undefined },
      [undefined],
      sparse,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      -0,
      new Date(0),
      { when: new Date(0) },
      new Map(),
      () => 1,
      1n,
      JSON.parse('{"__proto__": {"x": 1}}'),
    ];
    for (const v of changed) expect(isPlainJson(v)).toBe(false);
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(isPlainJson(deep)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import {
  type CachedRow,
  decodeShared,
  isPlainJson,
  ObjectCache,
  objectOf,
  writtenCell,
} from '../../../src/cluster/store/object-cache.js';
import type { KubeObject } from '../../../src/cluster/store/types.js';

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

  it('lets every empty object of shared values be one frozen object, the JSON unchanged', () => {
    const text = '{"a":{},"b":[{},1],"c":{"d":{},"e":{"f":{}}},"g":[]}';
    type Decoded = { a: object; b: object[]; c: { d: object; e: { f: object } } };
    const decoded = decodeShared(text) as unknown as Decoded;
    expect(JSON.stringify(decoded)).toBe(text);
    expect(decoded.b[0]).toBe(decoded.a);
    expect(decoded.c.d).toBe(decoded.a);
    expect(decoded.c.e.f).toBe(decoded.a);
    expect(Object.isFrozen(decoded.a)).toBe(true);

    const written: KubeObject = { kind: 'Pod', spec: { securityContext: {} }, list: [{}, { x: {} }] };
    const cell = writtenCell(JSON.stringify(written), written);
    expect(cell.object).toBe(written);
    const spec = written['spec'] as Record<string, unknown>;
    const list = written['list'] as Record<string, unknown>[];
    expect(spec['securityContext']).toBe(decoded.a);
    expect(list[0]).toBe(decoded.a);
    expect(list[1]!['x']).toBe(decoded.a);
    expect(JSON.stringify(written)).toBe('{"kind":"Pod","spec":{"securityContext":{}},"list":[{},{"x":{}}]}');
  });

  it('leaves a frozen part as it is, and an object that is not plain JSON is not taken over', () => {
    const frozen = Object.freeze({ leaf: {} });
    const written: KubeObject = { kind: 'Pod', kept: frozen };
    expect(writtenCell(JSON.stringify(written), written).object).toBe(written);
    expect(frozen.leaf).toEqual({});
    const odd: KubeObject = { kind: 'Pod', when: new Date(0), empty: {} };
    expect(writtenCell(JSON.stringify(odd), odd)).toEqual({ text: JSON.stringify(odd) });
  });
});

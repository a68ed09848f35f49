/**
 * Coalescing: nulls, type clashes, subchart scoping and `global` (helm-behaviour §2.3, §3.4).
 */

import { describe, expect, it } from 'vitest';
import { ValuesError } from '../../src/internal/errors.js';
import type { PlainObject } from '../../src/internal/objects.js';
import { coalesceValues, mergeChartValues, scopeValues } from '../../src/values/coalesce.js';
import { processDependencies } from '../../src/values/dependencies.js';
import { makeChart } from './chart-builder.js';

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object') {
    for (const child of Object.values(v)) deepFreeze(child);
    Object.freeze(v);
  }
  return v;
}

describe('§3.4 subchart/global example', () => {
  const sub = makeChart('sub', {
    values: { color: 'green', size: 'small', global: { region: 'us', subonly: 'x', shared: { b: 'sub' } } },
  });
  const parent = makeChart('parent', {
    values: { global: { region: 'eu', shared: { a: 'parent' } }, sub: { enabled: true, color: 'red' } },
    subcharts: [sub],
  });

  it('gives the subchart parent globals over its own, and keeps the parent global unchanged', () => {
    const declared = {
      ...parent,
      metadata: { ...parent.metadata, dependencies: [{ name: 'sub', condition: 'sub.enabled' }] },
    };
    const { values, warnings } = processDependencies(declared, {});
    expect(scopeValues(values, 'sub')).toStrictEqual({
      enabled: true,
      color: 'red',
      size: 'small',
      global: { region: 'eu', shared: { a: 'parent', b: 'sub' }, subonly: 'x' },
    });
    expect(values.global).toStrictEqual({ region: 'eu', shared: { a: 'parent' } });
    expect(warnings).toStrictEqual([]);
  });

  it('lets the parent global beat --set sub.global.region', () => {
    const { values } = coalesceValues(parent, { sub: { global: { region: 'x', mine: 1 } } });
    expect(scopeValues(values, 'sub').global).toStrictEqual({
      region: 'eu',
      mine: 1,
      subonly: 'x',
      shared: { a: 'parent', b: 'sub' },
    });
  });

  it('never leaks subchart-only globals up, at any depth', () => {
    const deepSub = makeChart('sub', { values: { global: { deep: { l1: { b: 2 } } } } });
    const p = makeChart('p', { values: { global: { deep: { l1: { a: 1 } } } }, subcharts: [deepSub] });
    const { values } = coalesceValues(p, {});
    expect(values.global).toStrictEqual({ deep: { l1: { a: 1 } } });
    expect(scopeValues(values, 'sub').global).toStrictEqual({ deep: { l1: { a: 1, b: 2 } } });
  });

  it('propagates globals to grandchildren', () => {
    const leaf = makeChart('leaf', { values: { global: { tier: 'leaf' } } });
    const mid = makeChart('mid', { subcharts: [leaf] });
    const root = makeChart('root', { subcharts: [mid] });
    const { values } = coalesceValues(root, { global: { tier: 'root' } });
    const midValues = scopeValues(values, 'mid');
    expect(scopeValues(midValues, 'leaf').global).toStrictEqual({ tier: 'root' });
  });
});

describe('nulls and type clashes', () => {
  const defaults = { image: { repo: 'nginx', sub: { a: 1 } }, list: [1] };

  it.each<[string, PlainObject, PlainObject, string[]]>([
    [
      'a null inside a default table deletes even keys the defaults lack',
      { image: { extra: null } },
      { image: { repo: 'nginx', sub: { a: 1 } }, list: [1] },
      [],
    ],
    ['a top-level null for a new key stays', { fresh: null }, { ...defaults, fresh: null }, []],
    [
      'a scalar over a default table wins with a warning',
      { image: { sub: 'x' } },
      { image: { repo: 'nginx', sub: 'x' }, list: [1] },
      ['cannot overwrite table with non table for vals.image.sub'],
    ],
    [
      'a table over a nested default scalar wins with a warning',
      { image: { repo: { r: 1 } } },
      { image: { repo: { r: 1 }, sub: { a: 1 } }, list: [1] },
      ['destination for vals.image.repo is a table. Ignoring non-table value'],
    ],
    [
      'a top-level scalar over a default table replaces it',
      { image: 'plain' },
      { image: 'plain', list: [1] },
      [],
    ],
  ])('%s', (_name, user, want, warnings) => {
    const got = coalesceValues(makeChart('vals', { values: defaults }), user);
    expect(got.values).toStrictEqual(want);
    expect(got.warnings).toStrictEqual(warnings);
  });

  it('keeps a parent-level null for a subchart key until it meets the subchart defaults', () => {
    const sub = makeChart('sub', { values: { x: 0, y: 2 } });
    const parent = makeChart('p', { values: { sub: { x: 1 } }, subcharts: [sub] });
    const { values } = coalesceValues(parent, { sub: { x: null } });
    expect(values.sub).toStrictEqual({ y: 2, global: {} });
  });

  it('mergeChartValues keeps nulls', () => {
    const { values } = mergeChartValues(makeChart('vals', { values: { a: 1 } }), { a: null, b: { c: null } });
    expect(values).toStrictEqual({ a: null, b: { c: null } });
  });

  it('refuses subchart values that are not a map', () => {
    const parent = makeChart('p', { subcharts: [makeChart('sub')] });
    expect(() => coalesceValues(parent, { sub: 3 })).toThrow(
      new ValuesError('values for subchart "p.sub" must be a map, got a number'),
    );
  });

  it('treats a null subchart value as "use the defaults"', () => {
    const parent = makeChart('p', { subcharts: [makeChart('sub', { values: { a: 1 } })] });
    expect(coalesceValues(parent, { sub: null }).values.sub).toStrictEqual({ a: 1, global: {} });
  });
});

describe('purity and scoping', () => {
  it('does not mutate the chart or the user values', () => {
    const sub = makeChart('sub', { values: deepFreeze({ a: { b: 1 }, global: { g: { s: 1 } } }) });
    const parent = makeChart('p', {
      values: deepFreeze({ sub: { a: { c: 2 } }, global: { g: { p: 1 } }, l: [1] }),
      subcharts: [sub],
    });
    const user = deepFreeze({ sub: { a: { d: null } }, l: null, global: { g: { u: 1 } } });
    const { values } = coalesceValues(parent, user);
    values.extra = 1;
    expect(values.sub).toStrictEqual({ a: { b: 1, c: 2 }, global: { g: { p: 1, u: 1, s: 1 } } });
  });

  it('scopeValues adds the parent global when the subchart key is missing', () => {
    expect(scopeValues({ global: { a: 1 } }, 'none')).toStrictEqual({ global: { a: 1 } });
    expect(scopeValues({}, 'none')).toStrictEqual({ global: {} });
  });
});

/**
 * `processDependencies`: tags, conditions, aliases and import-values (helm-behaviour §2.2).
 */

import { describe, expect, it } from 'vitest';
import type { Chart } from '../../src/chart/chart.js';
import { ChartInvalidError } from '../../src/internal/errors.js';
import type { PlainObject } from '../../src/internal/objects.js';
import { scopeValues } from '../../src/values/coalesce.js';
import { processDependencies } from '../../src/values/dependencies.js';
import { chartTree, makeChart } from './chart-builder.js';

describe('tags and conditions', () => {
  const parent = (values: PlainObject = {}): Chart =>
    makeChart('p', {
      values,
      deps: [
        { name: 'sub1', condition: 'sub1.enabled' },
        { name: 'sub2', condition: 'sub2.enabled,global.sub2on' },
        { name: 'sub3', tags: ['front'] },
        { name: 'sub4', tags: ['front', 'back'] },
        { name: 'sub5', condition: 'sub5.enabled', tags: ['front'] },
      ],
      subcharts: ['sub1', 'sub2', 'sub3', 'sub4', 'sub5'].map((n) => makeChart(n, { values: { name: n } })),
    });

  it.each<[string, PlainObject, string[], PlainObject?]>([
    ['everything is on by default', {}, ['sub1', 'sub2', 'sub3', 'sub4', 'sub5']],
    [
      'sub2.enabled=false beats global.sub2on=true when listed first',
      { sub2: { enabled: false }, global: { sub2on: true } },
      ['sub1', 'sub3', 'sub4', 'sub5'],
    ],
    [
      'the second path decides when the first is absent',
      { global: { sub2on: false } },
      ['sub1', 'sub3', 'sub4', 'sub5'],
    ],
    [
      'a non-bool condition is skipped with a warning',
      { sub2: { enabled: 'yes' }, global: { sub2on: false } },
      ['sub1', 'sub3', 'sub4', 'sub5'],
    ],
    ['a false tag disables', { tags: { front: false } }, ['sub1', 'sub2']],
    ['any true tag enables', { tags: { front: false, back: true } }, ['sub1', 'sub2', 'sub4']],
    [
      'the condition beats the tags',
      { tags: { front: false }, sub5: { enabled: true } },
      ['sub1', 'sub2', 'sub5'],
    ],
    ['tags in the chart defaults count', {}, ['sub1', 'sub2'], { tags: { front: false } }],
    [
      'a condition in the parent defaults counts',
      {},
      ['sub2', 'sub3', 'sub4', 'sub5'],
      { sub1: { enabled: false } },
    ],
  ])('%s', (_name, user, enabled, defaults = {}) => {
    const { chart } = processDependencies(parent(defaults), user);
    expect(chart.dependencies.map((c) => c.metadata.name)).toStrictEqual(enabled);
    expect(chart.metadata.dependencies?.map((d) => d.name)).toStrictEqual(enabled);
  });

  it('warns about non-bool conditions and tags', () => {
    const { warnings } = processDependencies(parent(), { sub2: { enabled: 'yes' }, tags: { back: 1 } });
    expect(warnings).toStrictEqual([
      'condition "sub2.enabled" of dependency "sub2" is not a bool; ignored',
      'tag "back" of dependency "sub4" is not a bool; ignored',
    ]);
  });

  it('reads a condition from the subchart defaults', () => {
    const p = makeChart('p', {
      deps: [{ name: 'off', condition: 'off.enabled' }],
      subcharts: [makeChart('off', { values: { enabled: false } })],
    });
    expect(processDependencies(p, {}).chart.dependencies).toStrictEqual([]);
    expect(processDependencies(p, { off: { enabled: true } }).chart.dependencies).toHaveLength(1);
  });

  it('drops a disabled chart with its defaults but keeps the user values under its key', () => {
    const { values } = processDependencies(parent(), { sub1: { enabled: false, color: 'red' } });
    expect(values.sub1).toStrictEqual({ enabled: false, color: 'red' });
    expect(values.sub2).toStrictEqual({ name: 'sub2', global: {} });
  });

  it('evaluates nested conditions relative to the declaring chart', () => {
    const mid = makeChart('mid', {
      deps: [{ name: 'leaf', condition: 'leaf.enabled' }],
      subcharts: [makeChart('leaf')],
    });
    const root = makeChart('root', { deps: [{ name: 'mid' }], subcharts: [mid] });
    expect(chartTree(processDependencies(root, {}).chart)).toStrictEqual([
      'root',
      'root/mid',
      'root/mid/leaf',
    ]);
    const off = processDependencies(root, { mid: { leaf: { enabled: false } } });
    expect(chartTree(off.chart)).toStrictEqual(['root', 'root/mid']);
  });
});

describe('alias', () => {
  const db = makeChart('db', { values: { port: 5432 } });
  const parent = makeChart('p', {
    deps: [
      { name: 'db', alias: 'primary' },
      { name: 'db', alias: 'replica', condition: 'replica.enabled' },
    ],
    subcharts: [db],
  });

  it('copies the chart under each alias with its own values', () => {
    const { chart, values } = processDependencies(parent, { primary: { port: 1 } });
    expect(chartTree(chart)).toStrictEqual(['p', 'p/primary', 'p/replica']);
    expect(chart.metadata.dependencies?.map((d) => d.name)).toStrictEqual(['primary', 'replica']);
    expect(scopeValues(values, 'primary')).toStrictEqual({ port: 1, global: {} });
    expect(scopeValues(values, 'replica')).toStrictEqual({ port: 5432, global: {} });
    expect(values).not.toHaveProperty('db');
  });

  it('applies conditions by alias', () => {
    const { chart, values } = processDependencies(parent, { replica: { enabled: false } });
    expect(chartTree(chart)).toStrictEqual(['p', 'p/primary']);
    expect(values.replica).toStrictEqual({ enabled: false });
  });

  it('refuses two dependencies with the same name or alias', () => {
    const twice = makeChart('p', {
      deps: [
        { name: 'db', alias: 'x' },
        { name: 'db', alias: 'x' },
      ],
      subcharts: [db],
    });
    expect(() => processDependencies(twice, {})).toThrow(
      new ChartInvalidError('chart "p": more than one dependency with name or alias "x"'),
    );
  });

  it('keeps loaded subcharts that Chart.yaml does not declare', () => {
    const p = makeChart('p', { deps: [{ name: 'db' }], subcharts: [db, makeChart('extra')] });
    expect(chartTree(processDependencies(p, {}).chart)).toStrictEqual(['p', 'p/extra', 'p/db']);
  });
});

describe('import-values', () => {
  const child = makeChart('child', {
    values: { exported: { x: 'child', y: 'child' }, exports: { data: { d1: 'fromexports', x: 'exports' } } },
  });

  it.each<[string, PlainObject, PlainObject, PlainObject]>([
    [
      '{child, parent} copies a child map into a parent path',
      { 'import-values': [{ child: 'exported', parent: 'fromchild' }] },
      {},
      { fromchild: { x: 'child', y: 'child' } },
    ],
    [
      'the string form copies exports.<name> into the root',
      { 'import-values': ['data'] },
      {},
      { d1: 'fromexports' },
    ],
    [
      'parent defaults beat imported values',
      { 'import-values': [{ child: 'exported', parent: 'fromchild' }] },
      { fromchild: { x: 'parent' } },
      { fromchild: { x: 'parent', y: 'child' } },
    ],
    [
      'the first import wins a clash',
      {
        'import-values': [
          { child: 'exported', parent: 'into' },
          { child: 'exports.data', parent: 'into' },
        ],
      },
      {},
      { into: { x: 'child', y: 'child', d1: 'fromexports' } },
    ],
  ])('%s', (_name, dep, defaults, want) => {
    const p = makeChart('p', { values: defaults, deps: [{ name: 'child', ...dep }], subcharts: [child] });
    const { values } = processDependencies(p, {});
    expect(values).toMatchObject(want);
  });

  it('ranks user values above imported ones', () => {
    const p = makeChart('p', {
      deps: [{ name: 'child', 'import-values': [{ child: 'exported', parent: 'fromchild' }] }],
      subcharts: [child],
    });
    expect(processDependencies(p, { fromchild: { x: 'user' } }).values.fromchild).toStrictEqual({
      x: 'user',
      y: 'child',
    });
  });

  it('reads through an alias', () => {
    const p = makeChart('p', {
      deps: [{ name: 'child', alias: 'c2', 'import-values': ['data'] }],
      subcharts: [child],
    });
    expect(processDependencies(p, {}).values.d1).toBe('fromexports');
  });

  it('lets a grandchild export travel two levels', () => {
    const leaf = makeChart('leaf', { values: { exports: { deep: { cfg: { level: 'leaf' } } } } });
    const mid = makeChart('mid', { deps: [{ name: 'leaf', 'import-values': ['deep'] }], subcharts: [leaf] });
    const root = makeChart('root', {
      deps: [{ name: 'mid', 'import-values': [{ child: 'cfg', parent: 'fromleaf' }] }],
      subcharts: [mid],
    });
    const { values, warnings } = processDependencies(root, {});
    expect(scopeValues(values, 'mid').cfg).toStrictEqual({ level: 'leaf' });
    expect(values.fromleaf).toStrictEqual({ level: 'leaf' });
    expect(warnings).toStrictEqual([]);
  });

  it('skips a source that is missing or not a map, with a warning', () => {
    const p = makeChart('p', {
      deps: [{ name: 'child', 'import-values': [{ child: 'exported.x', parent: 'a' }, 'nothing'] }],
      subcharts: [child],
    });
    const { values, warnings } = processDependencies(p, {});
    expect(values).not.toHaveProperty('a');
    expect(warnings).toStrictEqual([
      'import-values of chart "p": dependency "child" has no map at "exported.x"; skipped',
      'import-values of chart "p": dependency "child" has no map at "exports.nothing"; skipped',
    ]);
  });

  it('imports nothing from a disabled dependency', () => {
    const p = makeChart('p', {
      deps: [{ name: 'child', condition: 'child.on', 'import-values': ['data'] }],
      subcharts: [child],
    });
    const { values } = processDependencies(p, { child: { on: false } });
    expect(values).toStrictEqual({ child: { on: false } });
  });

  it('does not mutate the input chart', () => {
    const p = makeChart('p', {
      deps: [{ name: 'child', alias: 'c', 'import-values': ['data'] }],
      subcharts: [child],
    });
    const before = structuredClone(p);
    processDependencies(p, { c: { x: 1 } });
    expect(p).toStrictEqual(before);
  });
});

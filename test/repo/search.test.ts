/**
 * `searchCharts` against indexes written here. The expected orders and rows are those real
 * helm 4.1.4 printed for the same indexes (`helm search repo …`).
 */

import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/internal/errors.js';
import { parseIndex } from '../../src/repo/index-file.js';
import { type SearchOptions, type SearchSource, searchCharts } from '../../src/repo/search.js';
import { B_INDEX, T_INDEX } from './reference-fixtures.js';

const SOURCES: SearchSource[] = [
  { name: 't', index: parseIndex(T_INDEX, 't-index.yaml') },
  { name: 'b', index: parseIndex(B_INDEX, 'b-index.yaml') },
];

const rows = (options: SearchOptions) =>
  searchCharts(SOURCES, options).map((r) => `${r.name} ${r.chart.version} ${r.score}`);

describe('searchCharts', () => {
  it.each<[string, SearchOptions, string[]]>([
    [
      'no keyword: every chart, newest release, by name',
      {},
      ['b/coins 1.0.0 0', 't/alpha 0.9.0 0', 't/dockercoins 0.1.0 0', 't/zeta 2.0.0 0'],
    ],
    [
      'scored by the field matched: name, repo/name, description, keywords',
      { keyword: 'dockercoins' },
      ['t/dockercoins 0.1.0 0', 't/zeta 2.0.0 2', 'b/coins 1.0.0 3'],
    ],
    [
      'equal scores by name',
      { keyword: 'coins' },
      ['b/coins 1.0.0 0', 't/dockercoins 0.1.0 0', 't/zeta 2.0.0 2', 't/alpha 0.9.0 3'],
    ],
    [
      '-l: every release version',
      { versions: true },
      ['b/coins 1.0.0 0', 't/alpha 0.9.0 0', 't/alpha 0.8.0 0', 't/dockercoins 0.1.0 0', 't/zeta 2.0.0 0'],
    ],
    [
      '--devel: the newest version, pre-releases included',
      { devel: true },
      [
        'b/coins 1.0.0 0',
        't/alpha 1.0.0-beta.1 0',
        't/dockercoins 0.1.0 0',
        't/pre 0.2.0-beta.1 0',
        't/zeta 2.0.0 0',
      ],
    ],
    [
      '--version with -l',
      { keyword: 'alpha', version: '>=0.8', versions: true },
      ['t/alpha 0.9.0 0', 't/alpha 0.8.0 0'],
    ],
    [
      '--version without -l: the first satisfying',
      { keyword: 'alpha', version: '<0.9' },
      ['t/alpha 0.8.0 0'],
    ],
    ['--version overrides --devel', { keyword: 'alpha', version: '>=0.8', devel: true }, ['t/alpha 0.9.0 0']],
    ['^0.2 does not match 0.2.0-beta.1', { version: '^0.2' }, []],
    ['^0.2.0-0 does', { version: '^0.2.0-0' }, ['t/pre 0.2.0-beta.1 0']],
    ['the keyword ignores case', { keyword: 'T/ALPHA' }, ['t/alpha 0.9.0 1']],
    ['repo/ lists a repository', { keyword: 'b/' }, ['b/coins 1.0.0 1']],
    ['the keyword is one string', { keyword: 'chart old' }, ['t/alpha 0.8.0 2']],
    ['no match', { keyword: 'nothing' }, []],
    ['a regular expression keeps case', { keyword: 'D.ck', regexp: true }, ['t/dockercoins 0.1.0 2']],
    [
      '(?i) ignores case',
      { keyword: '(?i)D.ck', regexp: true },
      ['t/dockercoins 0.1.0 0', 't/zeta 2.0.0 2', 'b/coins 1.0.0 3'],
    ],
    ['^ anchors at the name', { keyword: '^zet', regexp: true }, ['t/zeta 2.0.0 0']],
    ['RE2 escapes of punctuation', { keyword: 't\\/alp\\-?ha', regexp: true }, ['t/alpha 0.9.0 1']],
    ['. is one character', { keyword: 'ün.code', regexp: true }, ['t/zeta 2.0.0 2']],
  ])('%s', (_label, options, expected) => {
    expect(rows(options)).toEqual(expected);
  });

  it('keeps the best-scoring version of a chart when versions score differently', () => {
    // 0.8.0 matches "old" in its description; the newer ones do not match at all.
    expect(rows({ keyword: 'old' })).toEqual(['t/alpha 0.8.0 2']);
    // "demo" is a keyword of 0.9.0 only among releases: it wins over 0.8.0, which lacks it.
    expect(rows({ keyword: 'demo', versions: true })).toEqual(['t/alpha 0.9.0 3']);
  });

  it('refuses an invalid regular expression, as Go does', () => {
    expect(() => searchCharts(SOURCES, { keyword: '[a', regexp: true })).toThrow(
      /^error parsing regexp: .*: `\[a`$/,
    );
  });

  it("refuses an invalid constraint with Helm's wording", () => {
    let err: unknown;
    try {
      searchCharts(SOURCES, { version: 'bad!!' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as Error).message).toMatch(/^an invalid version\/constraint format: /);
  });

  it('searches no repositories as no results', () => {
    expect(searchCharts([], { keyword: 'x' })).toEqual([]);
  });

  it('searches a large index quickly', () => {
    const entries = Array.from({ length: 2000 }, (_, i) => {
      const versions = Array.from(
        { length: 5 },
        (_, v) => `  - {name: c${i}, version: 1.${4 - v}.0, description: chart number ${i}, urls: [x.tgz]}\n`,
      ).join('');
      return `  c${i}:\n${versions}`;
    }).join('');
    const big: SearchSource = {
      name: 'big',
      index: parseIndex(`apiVersion: v1\nentries:\n${entries}`, 'big'),
    };
    const started = performance.now();
    const results = searchCharts([big], { keyword: 'number 1' });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(results[0]).toMatchObject({ name: 'big/c1', chart: { version: '1.4.0' } });
    expect(results).toHaveLength(1111); // c1, c10-c19, c100-c199, c1000-c1999
  });
});

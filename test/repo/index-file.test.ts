import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, YamlError } from '../../src/internal/errors.js';
import { toYaml } from '../../src/internal/yaml.js';
import {
  emptyIndex,
  findChartVersion,
  formatIndexTime,
  indexDirectory,
  parseIndex,
  resolveChartUrl,
  serializeIndex,
} from '../../src/repo/index-file.js';
import type { ChartVersion, IndexFile } from '../../src/repo/types.js';
import { tempDir, writeArchiveChart } from '../helpers/chart-builder.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/repo');
/** Written by `helm repo index --url https://charts.example.com/base` (4.1.4), then `--json`. */
const HELM_YAML = readFileSync(path.join(FIXTURES, 'helm-index.yaml'), 'utf8');
const HELM_JSON = readFileSync(path.join(FIXTURES, 'helm-index.json'), 'utf8');

const parse = (text: string) => {
  const warnings: string[] = [];
  const index = parseIndex(text, 'idx.yaml', { warn: (m) => warnings.push(m) });
  return { index, warnings };
};
const versionsOf = (index: IndexFile, name: string) => (index.entries[name] ?? []).map((v) => v.version);
const entry = (version: string, extra: Partial<ChartVersion> = {}): ChartVersion => ({
  apiVersion: 'v2',
  name: 'c',
  version,
  urls: [`c-${version}.tgz`],
  ...extra,
});
const indexOf = (...versions: ChartVersion[]): IndexFile => ({
  apiVersion: 'v1',
  generated: '2020-01-01T00:00:00Z',
  entries: { c: versions },
});

describe('parseIndex and serializeIndex', () => {
  it("round-trips helm's YAML byte for byte (folded text, quoting, maps, dependencies)", () => {
    const { index, warnings } = parse(HELM_YAML);
    expect(warnings).toEqual([]);
    expect(serializeIndex(index)).toBe(HELM_YAML);
  });

  it("round-trips helm's --json output byte for byte, and reads it like the YAML", () => {
    const { index } = parse(HELM_JSON);
    expect(serializeIndex(index, { json: true })).toBe(HELM_JSON);
    const withoutTimes = (i: IndexFile) =>
      Object.values(i.entries).flatMap((vs) => vs.map(({ created: _c, urls: _u, ...rest }) => rest));
    expect(withoutTimes(index)).toEqual(withoutTimes(parse(HELM_YAML).index));
  });

  it("skips invalid entries with Helm's warning and keeps the others, newest first", () => {
    const { index, warnings } = parse(
      [
        'apiVersion: v1',
        'entries:',
        '  c:',
        '  - {name: c, version: 1.2.3.4, urls: [a]}',
        '  - {name: c, version: 0.9.0, urls: [b]}',
        '  - null',
        '  - {name: c, version: v1.10.0, urls: [c]}',
        '  - {name: c, urls: [d]}',
        '  - {name: c, version: 2.0.0, type: operator}',
        '  - {name: c, version: "1.2", urls: [e]}',
        '  - {version: 3.0.0}',
        '  - {name: c, version: 4.0.0, keywords: {a: b}}',
        'generated: "2020-01-01T00:00:00Z"',
      ].join('\n'),
    );
    expect(versionsOf(index, 'c')).toEqual(['v1.10.0', '1.2', '0.9.0']);
    expect(warnings).toEqual([
      'skipping loading invalid entry for chart "c" "1.2.3.4" from idx.yaml: validation: chart.metadata.version "1.2.3.4" is invalid',
      'skipping loading invalid entry for chart "c" from idx.yaml: empty entry',
      'skipping loading invalid entry for chart "c" "" from idx.yaml: validation: chart.metadata.version is required',
      'skipping loading invalid entry for chart "c" "2.0.0" from idx.yaml: validation: chart.metadata.type must be application or library',
      'skipping loading invalid entry for chart "c" "3.0.0" from idx.yaml: validation: chart.metadata.name is required',
      'skipping loading invalid entry for chart "c" "4.0.0" from idx.yaml: keywords must be a list',
    ]);
    // Entries without apiVersion default to v1, as in Helm.
    expect(index.entries['c']?.[0]?.apiVersion).toBe('v1');
  });

  it('reads numbers where strings are expected as their text, and sanitizes control characters', () => {
    const { index } = parse(
      'apiVersion: v1\nentries:\n  c:\n  - {name: c, version: 1.0.0, appVersion: 2, description: "a\\tb\\u0007c"}\n',
    );
    expect(index.entries['c']?.[0]).toMatchObject({ appVersion: '2', description: 'a bc' });
  });

  it('refuses what is not an index', () => {
    expect(() => parseIndex('', 'x.yaml')).toThrow('x.yaml: empty index.yaml file');
    expect(() => parseIndex('entries: {}\n', 'x.yaml')).toThrow('x.yaml: no API version specified');
    expect(() => parseIndex('   \n', 'x.yaml')).toThrow(YamlError);
    expect(() => parseIndex('- a\n- b\n', 'x.yaml')).toThrow('x.yaml: an index must be a map');
    expect(() => parseIndex('apiVersion: v1\nentries: [a]\n', 'x.yaml')).toThrow(/entries must be a map/);
    expect(() => parseIndex('apiVersion: v1\nentries:\n  __proto__:\n  - {name: x}\n', 'x.yaml')).toThrow(
      /"__proto__" is not allowed/,
    );
    expect(() => parseIndex('{"apiVersion":"v1","entries":{"constructor":[]}}', 'x.json')).toThrow(
      /not allowed/,
    );
  });

  it('reads a flow-style YAML map that is not valid JSON', () => {
    const { index } = parse('{apiVersion: v1, entries: {c: [{name: c, version: 1.0.0}]}}');
    expect(versionsOf(index, 'c')).toEqual(['1.0.0']);
  });

  it('writes an empty index as helm does, and keeps serverInfo and annotations', () => {
    expect(serializeIndex(emptyIndex(new Date('2026-01-02T03:04:05.600Z')))).toBe(
      'apiVersion: v1\nentries: {}\ngenerated: "2026-01-02T03:04:05.6Z"\n',
    );
    const { index } = parse(
      'apiVersion: v1\nentries: {}\ngenerated: "2020-01-01T00:00:00Z"\nserverInfo: {contextPath: /v1}\nannotations: {a: b}\n',
    );
    expect(serializeIndex(index)).toBe(
      'annotations:\n  a: b\napiVersion: v1\nentries: {}\ngenerated: "2020-01-01T00:00:00Z"\nserverInfo:\n  contextPath: /v1\n',
    );
  });

  it('writes exactly what toYaml writes, for text of every shape', () => {
    const tricky = [
      'plain',
      'yes',
      '1.10',
      '',
      ' leading',
      'a: b',
      '#hash',
      'x'.repeat(120),
      `${'word '.repeat(30)}end`,
      'ünïcödé and spaces past the width of eighty columns, which folds at a space somewhere',
      'line\nbreak',
      'quote " and \' and \\',
      '@at',
    ];
    // Short random words over characters that change how YAML must quote them.
    const alphabet = 'abcdefyYnNoOtT0123456789._/:+-eE #\'"';
    let seed = 3;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed;
    };
    const words = Array.from({ length: 400 }, () =>
      Array.from({ length: 1 + (random() % 8) }, () => alphabet[random() % alphabet.length]).join(''),
    );
    tricky.push(...['yes', 'Off', 'nULL', 'deadbeef', '12e45', 'https://h:8080/x', 'x:']);
    const versions = tricky.map((text, i) =>
      entry(`1.0.${i}`, { description: text, keywords: [text], home: text, digest: 'd', created: 'now' }),
    );
    const index = indexOf(
      ...versions,
      entry('0.0.1', { urls: [] }),
      entry('0.0.2', { deprecated: true }),
      entry('0.0.3', { keywords: words, urls: words }),
    );
    const sorted = parse(serializeIndex(index)).index;
    const doc = {
      apiVersion: 'v1',
      entries: {
        c: sorted.entries['c']?.map((v) => ({ ...v, created: v.created ?? '0001-01-01T00:00:00Z' })),
      },
      generated: index.generated,
    };
    expect(serializeIndex(sorted)).toBe(`${toYaml(doc)}\n`);
  });

  it("escapes <, > and & in JSON as Go's encoder does", () => {
    const json = serializeIndex(indexOf(entry('1.0.0', { description: 'a <b> & c' })), { json: true });
    expect(json).toContain('"description": "a \\u003cb\\u003e \\u0026 c"');
    expect(json.endsWith('}')).toBe(true);
    expect(JSON.parse(json).entries.c[0].created).toBe('0001-01-01T00:00:00Z');
  });

  it('formats times as Go does (RFC 3339, trailing zeros of the fraction dropped)', () => {
    expect(formatIndexTime(new Date('2026-11-27T15:25:38.770Z'))).toBe('2026-11-27T15:25:38.77Z');
    expect(formatIndexTime(new Date(0))).toBe('1970-01-01T00:00:00Z');
  });
});

describe('findChartVersion (IndexFile.Get)', () => {
  const index = indexOf(
    entry('3.0.0-rc.1'),
    entry('2.1.0'),
    entry('1.2.0'),
    entry('1.0.0+build'),
    entry('1.0.0'),
    entry('0.0.0'),
  );

  it('prefers the exact version text, then the newest satisfying the constraint, with a warning', () => {
    expect(findChartVersion(index, 'c', { version: '1.0.0' })).toEqual({ entry: index.entries['c']?.[4] });
    const found = findChartVersion(index, 'c', { version: '^1' });
    expect(found?.entry.version).toBe('1.2.0');
    expect(found?.warning).toBe(
      'unable to find exact version requested; falling back to closest available version (chart "c", requested "^1", selected "1.2.0")',
    );
  });

  it('without a version takes the newest release, or with devel the newest of all', () => {
    expect(findChartVersion(index, 'c')).toEqual({ entry: index.entries['c']?.[1] });
    expect(findChartVersion(index, 'c', { devel: true })?.entry.version).toBe('3.0.0-rc.1');
    expect(findChartVersion(index, 'c', { version: '' })?.entry.version).toBe('2.1.0');
    expect(findChartVersion(indexOf(entry('0.0.0')), 'c')?.entry.version).toBe('0.0.0');
  });

  it('finds nothing for unknown charts and unmatched versions, and refuses bad constraints', () => {
    expect(findChartVersion(index, 'other')).toBeUndefined();
    expect(findChartVersion(index, '__proto__')).toBeUndefined();
    expect(findChartVersion(index, 'c', { version: '>5' })).toBeUndefined();
    expect(() => findChartVersion(index, 'c', { version: 'latest' })).toThrow(InvalidArgumentError);
  });
});

describe('resolveChartUrl (ResolveReferenceURL)', () => {
  it.each([
    [
      'https://cdn.example.com/c-1.0.0.tgz',
      'https://charts.example.com',
      'https://cdn.example.com/c-1.0.0.tgz',
    ],
    ['c-1.0.0.tgz', 'https://charts.example.com', 'https://charts.example.com/c-1.0.0.tgz'],
    ['c-1.0.0.tgz', 'https://charts.example.com/sub', 'https://charts.example.com/sub/c-1.0.0.tgz'],
    ['c-1.0.0.tgz', 'https://charts.example.com/sub/', 'https://charts.example.com/sub/c-1.0.0.tgz'],
    ['dir/c.tgz', 'http://127.0.0.1:8879/', 'http://127.0.0.1:8879/dir/c.tgz'],
    ['c.tgz?x=1', 'https://h.example.com/r?token=abc', 'https://h.example.com/r/c.tgz?token=abc'],
    ['c-1.0.0.tgz', 'file:///opt/bosun/repo-index', 'file:///opt/bosun/repo-index/c-1.0.0.tgz'],
    ['c-1.0.0.tgz', '/plain/path', '/plain/path/c-1.0.0.tgz'],
  ])('%s against %s', (url, base, expected) => {
    expect(resolveChartUrl(url, base)).toBe(expected);
  });
});

describe('indexDirectory', () => {
  const chartYaml = (name: string, version: string, extra = '') =>
    `apiVersion: v2\nname: ${name}\nversion: ${version}\ndescription: The ${name} chart\n${extra}`;
  const write = (dir: string, rel: string, name: string, version: string, extra = '') =>
    writeArchiveChart(path.join(dir, rel), name, {
      'Chart.yaml': chartYaml(name, version, extra),
      'values.yaml': '',
    });
  const now = new Date('2026-05-06T07:08:09.123Z');

  it('indexes DIR/*.tgz and one level below, with digests, URLs and times', async () => {
    const dir = tempDir('bosun-index-');
    await write(dir, 'a-1.0.0.tgz', 'a', '1.0.0');
    await write(dir, 'sub/a-2.0.0.tgz', 'a', '2.0.0');
    await write(dir, 'sub/deeper/a-3.0.0.tgz', 'a', '3.0.0');
    await write(dir, '.hidden-0.1.0.tgz', 'hidden', '0.1.0');
    const relative = await indexDirectory(dir, { now });
    expect(versionsOf(relative, 'a')).toEqual(['2.0.0', '1.0.0']);
    expect(relative.entries['a']?.map((e) => e.urls)).toEqual([['sub/a-2.0.0.tgz'], ['a-1.0.0.tgz']]);
    expect(versionsOf(relative, 'hidden')).toEqual(['0.1.0']);
    const digest = createHash('sha256')
      .update(readFileSync(path.join(dir, 'a-1.0.0.tgz')))
      .digest('hex');
    expect(relative.entries['a']?.[1]).toMatchObject({
      digest,
      created: '2026-05-06T07:08:09.123Z',
      apiVersion: 'v2',
    });
    expect(relative.generated).toBe('2026-05-06T07:08:09.123Z');

    const absolute = await indexDirectory(dir, { now, url: 'https://charts.example.com/base/' });
    expect(absolute.entries['a']?.map((e) => e.urls[0])).toEqual([
      'https://charts.example.com/base/sub/a-2.0.0.tgz',
      'https://charts.example.com/base/a-1.0.0.tgz',
    ]);
  });

  it('skips, with a warning, archives that are not charts or not valid', async () => {
    const dir = tempDir('bosun-index-');
    await write(dir, 'good-1.0.0.tgz', 'good', '1.0.0');
    writeFileSync(path.join(dir, 'junk.tgz'), 'not an archive');
    mkdirSync(path.join(dir, 'dir.tgz'));
    // A FIFO must not make the command wait for a writer.
    const fifo = spawnSync('mkfifo', [path.join(dir, 'fifo.tgz')]).status === 0;
    await write(dir, 'bad-1.tgz', 'bad', '1.2.3.4');
    await write(dir, 'proto.tgz', '__proto__', '1.0.0');
    await write(dir, 'dup.tgz', 'dup', '1.0.0', 'dependencies:\n- name: x\n- name: x\n');
    const warnings: string[] = [];
    const index = await indexDirectory(dir, { now, warn: (m) => warnings.push(m) });
    expect(Object.keys(index.entries)).toEqual(['good']);
    expect(warnings).toEqual([
      'skipping bad-1.tgz: validation: chart.metadata.version "1.2.3.4" is invalid',
      'skipping dir.tgz: not a regular file',
      expect.stringMatching(
        /^skipping dup\.tgz: validation: more than one dependency with name or alias "x"/,
      ),
      ...(fifo ? ['skipping fifo.tgz: not a regular file'] : []),
      'skipping junk.tgz: not a gzipped archive',
      'skipping proto.tgz: validation: chart.metadata.name "__proto__" is invalid',
    ]);
    expect(Object.getPrototypeOf(index.entries)).toBe(Object.prototype);
  });

  it('merges an index: the directory wins, other entries are kept', async () => {
    const dir = tempDir('bosun-index-');
    await write(dir, 'a-1.0.0.tgz', 'a', '1.0.0');
    const merge: IndexFile = {
      apiVersion: 'v1',
      generated: '2020-01-01T00:00:00Z',
      entries: {
        a: [
          { ...entry('1.0.0'), name: 'a', description: 'old', created: '2020-01-01T00:00:00Z' },
          { ...entry('1.0.0+other'), name: 'a' },
          { ...entry('0.5.0'), name: 'a', created: '2020-01-01T00:00:00Z' },
        ],
        b: [{ ...entry('2.0.0'), name: 'b' }],
      },
    };
    const index = await indexDirectory(dir, { now, merge });
    expect(versionsOf(index, 'a')).toEqual(['1.0.0', '0.5.0']);
    expect(index.entries['a']?.[0]?.description).toBe('The a chart');
    expect(index.entries['a']?.[1]?.created).toBe('2020-01-01T00:00:00Z');
    expect(versionsOf(index, 'b')).toEqual(['2.0.0']);
  });

  it('fails clearly when the directory cannot be read', async () => {
    await expect(indexDirectory(path.join(tempDir(), 'missing'))).rejects.toThrow(/cannot read directory/);
  });
});

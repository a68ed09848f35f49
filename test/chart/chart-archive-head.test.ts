import { gzipSync } from 'node:zlib';
import { Pax } from 'tar';
import { describe, expect, it } from 'vitest';
import { readChartArchive, splitEntryPath, writeChartArchive } from '../../src/chart/chart-archive.js';
import { plainEntryPath, readChartYamlFromArchive } from '../../src/chart/chart-archive-head.js';
import { ArchiveError } from '../../src/internal/errors.js';
import { compressibleData, type EntrySpec, tarArchive, tarEntry, tgz } from './tar-fixtures.js';

const CHART_TEXT = 'apiVersion: v2\nname: c\nversion: 0.1.0\n';
const CHART_YAML: EntrySpec = { path: 'c/Chart.yaml', data: CHART_TEXT };

/** The message `readChartYamlFromArchive` fails with (the test fails if it succeeds). */
function headFailure(data: Buffer): string {
  try {
    readChartYamlFromArchive(data, 'evil.tgz');
  } catch (err) {
    expect(err).toBeInstanceOf(ArchiveError);
    return (err as Error).message;
  }
  throw new Error('expected readChartYamlFromArchive to fail');
}

async function fullFailure(data: Buffer): Promise<string> {
  const err = await readChartArchive(data, 'evil.tgz').then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ArchiveError)) throw new Error('expected readChartArchive to fail');
  return err.message;
}

describe('readChartYamlFromArchive', () => {
  it('reads Chart.yaml of an archive written by package, and its top directory', async () => {
    const archive = await writeChartArchive(
      [
        { name: '.helmignore', data: Buffer.from('.git\n') },
        { name: 'Chart.yaml', data: Buffer.from(CHART_TEXT) },
        { name: 'values.yaml', data: Buffer.from('a: 1\n') },
      ],
      'c',
    );
    const head = readChartYamlFromArchive(archive, 'c-0.1.0.tgz');
    expect(head.topDir).toBe('c');
    expect(head.data.toString()).toBe(CHART_TEXT);
  });

  it('inflates further when Chart.yaml comes after a lot of data', async () => {
    // Incompressible bytes first, so the first slice of the gzip stream cannot hold Chart.yaml.
    const noise = Buffer.alloc(300_000);
    for (let i = 0, x = 7; i < noise.length; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      noise[i] = x >>> 24;
    }
    const data = tgz({ path: 'c/a-noise.bin', data: noise }, CHART_YAML, { path: 'c/z.txt', data: 'z' });
    expect(readChartYamlFromArchive(data, 'c.tgz').data.toString()).toBe(CHART_TEXT);
  });

  it('reads a Chart.yaml named by a pax header, and removes a BOM', () => {
    const data = gzipSync(
      Buffer.concat([
        new Pax({ path: 'c/Chart.yaml' }).encode(),
        tarEntry({ path: 'c/placeholder', data: `\ufeff${CHART_TEXT}` }),
        Buffer.alloc(1024),
      ]),
    );
    expect(readChartYamlFromArchive(data, 'c.tgz').data.toString()).toBe(CHART_TEXT);
  });

  it('ignores the Chart.yaml of subcharts', () => {
    const data = tgz(
      { path: 'c/charts/sub/Chart.yaml', data: 'name: sub' },
      { path: 'c/values.yaml', data: '' },
    );
    expect(headFailure(data)).toBe('evil.tgz: Chart.yaml file is missing');
  });

  it.each([
    ['traversal', { path: 'c/../../pwned', data: 'x' }],
    ['an absolute path', { path: '/etc/passwd', data: 'x' }],
    ['a symbolic link', { path: 'c/templates/x', type: 'SymbolicLink', linkpath: '/etc/passwd' }],
    ['a second top directory', { path: 'other/values.yaml', data: 'a: 1' }],
    ['a file over 5 MiB', { path: 'c/files/big.bin', data: compressibleData(6 * 1024 * 1024) }],
  ] as const)('refuses %s before Chart.yaml as readChartArchive does', async (_what, spec) => {
    const data = tgz({ path: 'c/.helmignore', data: '' }, spec as EntrySpec, CHART_YAML);
    expect(headFailure(data)).toBe(await fullFailure(data));
  });

  it('refuses a duplicate before Chart.yaml', async () => {
    const data = tgz({ path: 'c/a', data: '1' }, { path: 'c/a', data: '2' }, CHART_YAML);
    expect(headFailure(data)).toBe(await fullFailure(data));
  });

  it('refuses what is not a chart archive', async () => {
    for (const data of [
      Buffer.alloc(0),
      Buffer.from('apiVersion: v1\nentries: {}\n'),
      tarArchive(CHART_YAML),
      gzipSync(Buffer.from('not a tar archive at all, just text that is long enough'.repeat(20))),
    ]) {
      expect(headFailure(data)).toBe(await fullFailure(data));
    }
    const truncated = tgz(CHART_YAML).subarray(0, 30);
    expect(headFailure(truncated)).toMatch(
      /^evil\.tgz: (corrupt or truncated gzip data|Chart\.yaml file is missing)/,
    );
    expect(headFailure(gzipSync(Buffer.alloc(0)))).toBe('evil.tgz: no files in chart archive');
  });

  it('refuses a decompression bomb', () => {
    const bomb = gzipSync(
      tarArchive({ path: 'c/zeros.bin', data: Buffer.alloc(4 * 1024 * 1024) }, CHART_YAML),
      {
        level: 9,
      },
    );
    expect(headFailure(bomb)).toBe(
      'evil.tgz: decompresses to more than 1000 times its size (suspected decompression bomb)',
    );
  });

  it('reads Chart.yaml after data that inflates to many output chunks', () => {
    // Zeros compress about a thousandfold: the first slice inflates to far more than one chunk.
    const data = tgz({ path: 'c/a-zeros.bin', data: Buffer.alloc(600_000) }, CHART_YAML);
    expect(readChartYamlFromArchive(data, 'c.tgz').data.toString()).toBe(CHART_TEXT);
  });
});

describe('plainEntryPath', () => {
  it('answers as splitEntryPath does, for the paths it takes', () => {
    const plainSegments = ['c', 'a.b', '.helmignore', 'x+y', 'a-b_c', '...', '.a', 'a.'];
    const segments = [...plainSegments, ...plainSegments, '..', '.', '', 'ü', 'a b', 'C:', 'a\\b'];
    let seed = 5;
    const pick = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return segments[seed % segments.length]!;
    };
    const paths = ['c/Chart.yaml', 'c/templates/', 'c/', 'c', '/c/x', './x', '../x', 'c/./x', 'c//x', 'c/x/'];
    for (let i = 0; i < 3000; i++) {
      const n = 1 + (i % 4);
      paths.push(Array.from({ length: n }, pick).join('/') + (i % 3 === 0 ? '/' : ''));
    }
    let taken = 0;
    for (const raw of paths) {
      const plain = plainEntryPath(raw);
      if (plain === undefined) continue;
      taken++;
      expect(plain, raw).toEqual(splitEntryPath(raw, raw.endsWith('/')));
      expect(plain, raw).toEqual(splitEntryPath(raw, false));
    }
    expect(taken).toBeGreaterThan(500);
    expect(plainEntryPath('c/templates/deployment.yaml')).toEqual({
      topDir: 'c',
      name: 'templates/deployment.yaml',
    });
    for (const raw of ['c', 'c/', '../c/x', 'c/../x', 'c/./x', 'c//x', '/c/x', 'c/a b', 'C:/x', 'c\\x']) {
      expect(plainEntryPath(raw), raw).toBeUndefined();
    }
  });
});

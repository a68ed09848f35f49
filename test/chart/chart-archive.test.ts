import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Pax } from 'tar';
import { describe, expect, it } from 'vitest';
import { readChartArchive } from '../../src/chart/chart-archive.js';
import { ArchiveError } from '../../src/internal/errors.js';
import { compressibleData, type EntrySpec, tarArchive, tarEntry, tgz } from './tar-fixtures.js';

const CHART_YAML: EntrySpec = { path: 'c/Chart.yaml', data: 'apiVersion: v2\nname: c\nversion: 0.1.0\n' };

/** The error `readChartArchive` fails with (the test fails if it succeeds). */
async function failure(data: Buffer, source = 'evil.tgz'): Promise<Error> {
  const err = await readChartArchive(data, source).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof Error)) throw new Error('expected readChartArchive to fail');
  return err;
}

/** Asserts an `ArchiveError` whose message is `evil.tgz: <message>`. */
async function expectRefused(data: Buffer, message: string): Promise<void> {
  const err = await failure(data);
  expect(err).toBeInstanceOf(ArchiveError);
  expect(err.message).toBe(`evil.tgz: ${message}`);
}

/**
 * Runs `action` with an empty temporary directory as the working directory, and checks that
 * nothing appeared in it or next to it (where `c/../../pwned` would land if it were extracted).
 */
async function expectNothingWritten(action: () => Promise<void>): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bosun-archive-'));
  const previous = process.cwd();
  process.chdir(dir);
  try {
    await action();
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(path.join(dir, '..', 'pwned'))).toBe(false);
  } finally {
    process.chdir(previous);
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('readChartArchive: valid archives', () => {
  it('strips the top directory, skips directory entries and sorts files', async () => {
    const data = tgz(
      { path: 'c/', type: 'Directory' },
      { path: 'c/values.yaml', data: 'a: 1\n' },
      { path: 'c/templates/', type: 'Directory' },
      { path: 'c/templates/b.yaml', data: 'b' },
      CHART_YAML,
      { path: 'c/files/empty.txt' },
    );
    const { topDir, files } = await readChartArchive(data, 'c-0.1.0.tgz');
    expect(topDir).toBe('c');
    expect(files.map((f) => [f.name, f.data.toString()])).toEqual([
      ['Chart.yaml', 'apiVersion: v2\nname: c\nversion: 0.1.0\n'],
      ['files/empty.txt', ''],
      ['templates/b.yaml', 'b'],
      ['values.yaml', 'a: 1\n'],
    ]);
  });

  it('normalises backslashes and empty or "." segments', async () => {
    const { files } = await readChartArchive(
      tgz({ path: 'c\\templates\\a.yaml' }, { path: 'c/x/.//y' }),
      'c.tgz',
    );
    expect(files.map((f) => f.name)).toEqual(['templates/a.yaml', 'x/y']);
  });

  it('reads long names from pax and GNU long-name headers', async () => {
    const long = `c/templates/${'d'.repeat(120)}/${'n'.repeat(120)}.yaml`;
    const gnuLong = `c/files/${'g'.repeat(150)}.txt`;
    const data = gzipSync(
      Buffer.concat([
        new Pax({ path: long }).encode(),
        tarEntry({ path: 'c/placeholder', data: 'pax' }),
        tarEntry({ path: '././@LongLink', type: 'NextFileHasLongPath', data: `${gnuLong}\0` }),
        tarEntry({ path: 'c/placeholder2', data: 'gnu' }),
        Buffer.alloc(1024),
      ]),
    );
    const { files } = await readChartArchive(data, 'c.tgz');
    expect(files.map((f) => [f.name, f.data.toString()])).toEqual([
      [gnuLong.slice(2), 'gnu'],
      [long.slice(2), 'pax'],
    ]);
  });

  it('removes a leading UTF-8 BOM, as Helm does', async () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a: 1\n')]);
    const { files } = await readChartArchive(tgz({ path: 'c/values.yaml', data: bom }), 'c.tgz');
    expect(files[0]?.data.toString()).toBe('a: 1\n');
  });

  it('accepts a file of exactly 5 MiB', async () => {
    const data = tgz({ path: 'c/max.bin', data: compressibleData(5 * 1024 * 1024) });
    const { files } = await readChartArchive(data, 'c.tgz');
    expect(files[0]?.data.length).toBe(5 * 1024 * 1024);
  });
});

describe('readChartArchive: path attacks (A1, A2)', () => {
  it.each([
    ['c/../../pwned', 'chart illegally references parent directory: "c/../../pwned"'],
    ['c\\..\\..\\pwned', 'chart illegally references parent directory: "c\\\\..\\\\..\\\\pwned"'],
    ['c/templates/../x', 'chart illegally references parent directory: "c/templates/../x"'],
    ['../pwned.txt', 'chart illegally references parent directory: "../pwned.txt"'],
    ['c//etc/x', 'chart illegally contains absolute paths: "c//etc/x"'],
    ['/abs/pwned.txt', 'chart illegally contains absolute paths: "/abs/pwned.txt"'],
    ['c/c:/x.yaml', 'chart contains illegally named files: "c/c:/x.yaml"'],
    ['c\\C:\\x.yaml', 'chart contains illegally named files: "c\\\\C:\\\\x.yaml"'],
    ['C:/x.yaml', 'chart contains illegally named files: "C:/x.yaml"'],
    ['Chart.yaml', 'chart illegally contains content outside the base directory: "Chart.yaml"'],
    ['./Chart.yaml', 'chart illegally contains content outside the base directory: "./Chart.yaml"'],
  ])('%s is refused', async (entryPath, message) => {
    await expectNothingWritten(() =>
      expectRefused(tgz(CHART_YAML, { path: entryPath, data: 'pwned' }), message),
    );
  });

  it('refuses traversal hidden in a pax path', async () => {
    const data = gzipSync(
      Buffer.concat([
        new Pax({ path: 'c/../../pwned' }).encode(),
        tarEntry({ path: 'c/ok', data: 'x' }),
        Buffer.alloc(1024),
      ]),
    );
    await expectRefused(data, 'chart illegally references parent directory: "c/../../pwned"');
  });

  it('refuses traversal hidden in a GNU long name', async () => {
    const evil = `c/${'a'.repeat(120)}/../../../pwned`;
    const data = tgz(
      { path: '././@LongLink', type: 'NextFileHasLongPath', data: `${evil}\0` },
      { path: 'c/ok', data: 'x' },
    );
    await expectRefused(data, `chart illegally references parent directory: ${JSON.stringify(evil)}`);
  });

  it('refuses a directory entry with traversal too', async () => {
    await expectRefused(
      tgz({ path: 'c/../../d/', type: 'Directory' }),
      'chart illegally references parent directory: "c/../../d/"',
    );
  });

  it('refuses more than one top-level directory', async () => {
    await expectRefused(
      tgz(CHART_YAML, { path: 'other/values.yaml', data: 'a: 1' }),
      'chart archive has more than one top-level directory: "c" and "other" ("other/values.yaml")',
    );
  });
});

describe('readChartArchive: entry types and duplicates (A3, A4)', () => {
  it.each([
    [{ type: 'SymbolicLink', linkpath: '/etc/passwd' }, 'SymbolicLink'],
    [{ type: 'Link', linkpath: 'c/Chart.yaml' }, 'Link'],
    [{ type: 'FIFO' }, 'FIFO'],
    [{ type: 'CharacterDevice' }, 'CharacterDevice'],
    [{ type: 'BlockDevice' }, 'BlockDevice'],
  ] as const)('refuses a %o entry', async (spec, typeName) => {
    await expectRefused(
      tgz(CHART_YAML, { path: 'c/templates/x', ...spec }),
      `unsupported entry type ${typeName}: "c/templates/x"`,
    );
  });

  it('refuses an entry of an unknown type', async () => {
    const entry = tarEntry({ path: 'c/sparse', data: 'x' });
    entry[156] = 'S'.charCodeAt(0); // GNU sparse file; fix the checksum
    entry.fill(' ', 148, 156);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += entry[i]!;
    entry.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    await expectRefused(
      gzipSync(Buffer.concat([tarEntry(CHART_YAML), entry, Buffer.alloc(1024)])),
      'unsupported entry type SparseFile: "c/sparse"',
    );
  });

  it('refuses the same path twice instead of letting the last one win', async () => {
    await expectRefused(
      tgz(CHART_YAML, { path: 'c/templates/cm.yaml', data: '1' }, { path: 'c/templates/cm.yaml', data: '2' }),
      'duplicate entry "c/templates/cm.yaml"',
    );
  });

  it('refuses the same path twice after normalisation', async () => {
    await expectRefused(
      tgz({ path: 'c/templates/cm.yaml', data: '1' }, { path: 'c\\templates\\cm.yaml', data: '2' }),
      'duplicate entry "c\\\\templates\\\\cm.yaml"',
    );
  });
});

describe('readChartArchive: limits (A5)', () => {
  it('refuses a 6 MiB file, naming it and the limit', async () => {
    const started = performance.now();
    await expectRefused(
      tgz(CHART_YAML, { path: 'c/files/big.bin', data: compressibleData(6 * 1024 * 1024) }),
      'decompressed chart file "c/files/big.bin" is larger than the maximum file size 5242880',
    );
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('refuses an entry whose header announces more than the chart limit, before reading it', async () => {
    const data = gzipSync(
      Buffer.concat([
        tarEntry(CHART_YAML),
        tarEntry({ path: 'c/huge', size: 200 * 1024 * 1024 }).subarray(0, 512),
      ]),
    );
    await expectRefused(data, 'decompressed chart is larger than the maximum size 104857600');
  });

  it('refuses a decompression bomb (ratio over 1000)', async () => {
    const bomb = gzipSync(tarArchive({ path: 'c/zeros.bin', data: Buffer.alloc(4 * 1024 * 1024) }), {
      level: 9,
    });
    const err = await failure(bomb);
    expect(err).toBeInstanceOf(ArchiveError);
    expect(err.message).toBe(
      'evil.tgz: decompresses to more than 1000 times its size (suspected decompression bomb)',
    );
  });
});

describe('readChartArchive: not an archive (A6)', () => {
  const chartTar = tarArchive(CHART_YAML);

  it.each([
    ['an empty file', Buffer.alloc(0), 'evil.tgz', 'evil.tgz: not a gzipped archive (the file is empty)'],
    [
      'a plain tar',
      chartTar,
      'evil.tgz',
      'evil.tgz: not a gzipped archive (it is an uncompressed tar archive)',
    ],
    ['random bytes', Buffer.from('PK\x03\x04 not gzip'), 'evil.tgz', 'evil.tgz: not a gzipped archive'],
    [
      'values.yaml',
      Buffer.from('replicas: 1\n'),
      'values.yaml',
      'values.yaml: seems to be a YAML file, but expected a gzipped archive',
    ],
    [
      'YAML under another name',
      Buffer.from('# defaults\nimage:\n  tag: x\n'),
      'chart.tgz',
      'chart.tgz: seems to be a YAML file, but expected a gzipped archive',
    ],
    [
      'a tgz with no entries',
      gzipSync(Buffer.alloc(1024)),
      'evil.tgz',
      'evil.tgz: no files in chart archive',
    ],
    ['an empty gzip stream', gzipSync(Buffer.alloc(0)), 'evil.tgz', 'evil.tgz: no files in chart archive'],
    [
      'a tgz with directories only',
      tgz({ path: 'c/', type: 'Directory' }),
      'evil.tgz',
      'evil.tgz: no files in chart archive',
    ],
    [
      'truncated gzip',
      gzipSync(chartTar).subarray(0, 40),
      'evil.tgz',
      'evil.tgz: corrupt or truncated gzip data (zlib: unexpected end of file)',
    ],
    [
      'gzip without its trailer',
      gzipSync(chartTar).subarray(0, -8),
      'evil.tgz',
      'evil.tgz: corrupt or truncated gzip data (zlib: unexpected end of file)',
    ],
    [
      'a tar cut inside an entry',
      gzipSync(tarArchive({ path: 'c/Chart.yaml', data: 'x'.repeat(2000) }).subarray(0, 1024)),
      'evil.tgz',
      'evil.tgz: truncated or corrupt tar data (TAR_BAD_ARCHIVE: Truncated input (needed 1536 more bytes, only 0 available))',
    ],
    [
      'gzipped text',
      gzipSync(Buffer.from('hello '.repeat(200))),
      'evil.tgz',
      'evil.tgz: not a valid tar archive inside the gzip data (TAR_ENTRY_INVALID: checksum failure)',
    ],
  ])('%s', async (_label, data, source, message) => {
    const err = await failure(data, source);
    expect(err).toBeInstanceOf(ArchiveError);
    expect(err.message).toBe(message);
  });

  it('reports a corrupted gzip body', async () => {
    const data = gzipSync(tarArchive(CHART_YAML, { path: 'c/x', data: compressibleData(64 * 1024) }));
    data.fill(0xff, 20, 60);
    const err = await failure(data);
    expect(err).toBeInstanceOf(ArchiveError);
    expect(err.message).toMatch(/^evil\.tgz: (corrupt or truncated gzip data|not a valid tar archive)/);
  });
});

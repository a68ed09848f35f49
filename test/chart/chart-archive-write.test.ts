import { execFileSync } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { describe, expect, it } from 'vitest';
import type { ChartFile } from '../../src/chart/chart.js';
import { readChartArchive, writeChartArchive } from '../../src/chart/chart-archive.js';
import { ArchiveError } from '../../src/internal/errors.js';
import { compressibleData } from './tar-fixtures.js';

/** Every entry (headers only) of a gzipped tar, via node-tar's parser. */
async function headers(archive: Buffer): Promise<ReadEntry[]> {
  const entries: ReadEntry[] = [];
  const parser = new Parser({
    strict: true,
    onReadEntry: (entry) => {
      entries.push(entry);
      entry.resume();
    },
  });
  await new Promise<void>((resolve, reject) => {
    parser.on('end', resolve);
    parser.on('error', reject);
    parser.end(archive);
  });
  return entries;
}

describe('writeChartArchive', () => {
  const files: ChartFile[] = [
    { name: 'values.yaml', data: Buffer.from('replicas: 1\n') },
    { name: 'Chart.yaml', data: Buffer.from('apiVersion: v2\nname: mychart\nversion: 0.1.0\n') },
    { name: 'templates/deployment.yaml', data: Buffer.from('kind: Deployment\n') },
    { name: 'files/empty', data: Buffer.alloc(0) },
    { name: 'files/binary.bin', data: Buffer.from([0, 1, 2, 255, 254, 0]) },
    { name: 'files/ünïcode.txt', data: Buffer.from('ü') },
    { name: `templates/${'long-'.repeat(40)}.yaml`, data: compressibleData(700) },
  ];

  it('round-trips: reading what was written gives the same files, sorted', async () => {
    const archive = await writeChartArchive(files, 'mychart');
    const read = await readChartArchive(archive, 'mychart-0.1.0.tgz');
    expect(read.topDir).toBe('mychart');
    const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : 1));
    expect(read.files.map((f) => f.name)).toEqual(sorted.map((f) => f.name));
    const base64 = (list: readonly ChartFile[]) => list.map((f) => f.data.toString('base64'));
    expect(base64(read.files)).toEqual(base64(sorted));
  });

  it('writes sorted file entries only, mode 0644, uid/gid 0, no owner names, epoch mtime', async () => {
    const entries = await headers(await writeChartArchive(files, 'mychart'));
    const fileEntries = entries.filter((e) => e.type === 'File');
    expect(fileEntries.map((e) => e.path)).toEqual([...files].map((f) => `mychart/${f.name}`).sort());
    expect(entries.every((e) => e.type === 'File')).toBe(true);
    for (const e of fileEntries) {
      expect(e).toMatchObject({ mode: 0o644, uid: 0, gid: 0, uname: '', gname: '' });
      expect(e.mtime?.getTime()).toBe(0);
    }
  });

  it('is reproducible, with a gzip header that has no file name, mtime 0 and OS unknown', async () => {
    const a = await writeChartArchive(files, 'mychart');
    const b = await writeChartArchive([...files].reverse(), 'mychart');
    expect(a.equals(b)).toBe(true);
    expect([...a.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, a[8], 0xff]);
    expect(gunzipSync(a).length % 512).toBe(0);
  });

  it('uses the given mtime', async () => {
    const mtime = new Date('2024-05-06T07:08:09Z');
    const entries = await headers(await writeChartArchive(files.slice(0, 2), 'mychart', { mtime }));
    expect(entries.map((e) => e.mtime?.getTime())).toEqual([mtime.getTime(), mtime.getTime()]);
  });

  it('is listed by tar -tzvf', async () => {
    const archive = await writeChartArchive(files, 'mychart');
    const listed = execFileSync('tar', ['-tzvf', '-'], { input: archive }).toString();
    expect(listed).toMatch(/^-rw-r--r-- 0\/0 +\d+ 1970-01-01 00:00 mychart\/Chart\.yaml$/m);
    expect(listed).toContain(`mychart/templates/${'long-'.repeat(40)}.yaml`);
    expect(listed).toContain('mychart/files/ünïcode.txt');
  });

  it.each([
    ['../x', 'mychart/../x'],
    ['/abs', 'mychart//abs'],
    ['a//b', 'mychart/a//b'],
    ['./a', 'mychart/./a'],
    ['a\\b', 'mychart/a\\b'],
    ['c:/x', 'mychart/c:/x'],
    ['', 'mychart/'],
  ])('refuses the file name %j', async (name, entry) => {
    await expect(writeChartArchive([{ name, data: Buffer.from('x') }], 'mychart')).rejects.toThrow(
      new ArchiveError(`cannot write chart archive: invalid file name ${JSON.stringify(entry)}`),
    );
  });

  it.each(['', '..', '.', 'a/b', 'a\\b'])('refuses the top directory %j', async (topDir) => {
    await expect(writeChartArchive([{ name: 'Chart.yaml', data: Buffer.from('x') }], topDir)).rejects.toThrow(
      ArchiveError,
    );
  });

  it('refuses two files with the same name', async () => {
    const twice = [files[0]!, files[0]!];
    await expect(writeChartArchive(twice, 'mychart')).rejects.toThrow('duplicate file "mychart/values.yaml"');
  });
});

import { execFileSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_CHART_FILE_SIZE } from '../../src/chart/chart.js';
import { readChartDirectory } from '../../src/chart/chart-directory.js';
import { ChartInvalidError, IoError, LimitError } from '../../src/internal/errors.js';

let tmp: string;
let chart: string;

/** Writes files (relative to the chart) and creates their directories. */
async function write(files: Record<string, string | Buffer>): Promise<void> {
  for (const [name, data] of Object.entries(files)) {
    const file = path.join(chart, name);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, data);
  }
}

const names = async (options = {}) => (await readChartDirectory(chart, options)).map((f) => f.name);
/** A sparse file of `size` bytes: cheap to create, whatever its size. */
const sparse = async (name: string, size: number) => {
  await write({ [name]: '' });
  await fs.truncate(path.join(chart, name), size);
};

beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'bosun-chartdir-'));
  chart = path.join(tmp, 'mychart');
  await write({ 'Chart.yaml': 'apiVersion: v2\nname: mychart\nversion: 0.1.0\n', 'values.yaml': 'a: 1\n' });
});

afterEach(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('readChartDirectory: files', () => {
  it('reads every file with its contents, sorted by name, with / separators', async () => {
    await write({ 'templates/b.yaml': 'b', 'templates/a.yaml': 'a', 'crds/x.yaml': 'x', 'a-b.txt': '' });
    const files = await readChartDirectory(chart);
    expect(files.map((f) => f.name)).toEqual([
      'Chart.yaml',
      'a-b.txt',
      'crds/x.yaml',
      'templates/a.yaml',
      'templates/b.yaml',
      'values.yaml',
    ]);
    expect(files.find((f) => f.name === 'templates/a.yaml')?.data.toString()).toBe('a');
    expect(files.find((f) => f.name === 'a-b.txt')?.data.length).toBe(0);
  });

  it('reads files of every size whole, a BOM alone giving an empty file', async () => {
    const big = Buffer.alloc(200_000, 'x');
    await write({ 'files/one': 'z', 'files/big': big, 'files/bom': Buffer.from([0xef, 0xbb, 0xbf]) });
    const files = await readChartDirectory(chart);
    const data = (name: string) => files.find((f) => f.name === name)?.data;
    expect(data('files/one')?.toString()).toBe('z');
    expect(data('files/big')?.equals(big)).toBe(true);
    expect(data('files/bom')?.length).toBe(0);
  });

  it('removes a leading UTF-8 BOM, as Helm does', async () => {
    await write({ 'values.yaml': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a: 1\n')]) });
    const values = (await readChartDirectory(chart)).find((f) => f.name === 'values.yaml');
    expect(values?.data.toString()).toBe('a: 1\n');
  });

  it('honours .helmignore (kept itself, as Helm does) and never descends into an ignored directory', async () => {
    await write({ '.helmignore': '# comment\n*.bak\nci/\n/notes.txt\n', 'x.bak': '', 'notes.txt': '' });
    await write({ 'docs/notes.txt': 'kept', 'ci/run.sh': '' });
    execFileSync('mkfifo', [path.join(chart, 'ci', 'pipe')]); // would be refused if it were visited
    expect(await names()).toEqual(['.helmignore', 'Chart.yaml', 'docs/notes.txt', 'values.yaml']);
  });

  it('always ignores hidden files directly under templates/', async () => {
    await write({ 'templates/.swp': '', 'templates/a.yaml': '', 'templates/sub/.keep': '' });
    expect(await names()).toEqual(['Chart.yaml', 'templates/a.yaml', 'templates/sub/.keep', 'values.yaml']);
  });

  it('refuses a .helmignore with ** naming the file and line', async () => {
    await write({ '.helmignore': '*.bak\nfoo/**\n' });
    await expect(readChartDirectory(chart)).rejects.toThrow(ChartInvalidError);
    await expect(readChartDirectory(chart)).rejects.toThrow(
      '.helmignore:2: double-star (**) syntax is not supported',
    );
  });

  it('reports a missing directory as an IoError', async () => {
    const missing = path.join(tmp, 'nope');
    await expect(readChartDirectory(missing)).rejects.toThrow(IoError);
    await expect(readChartDirectory(missing)).rejects.toThrow(`no such chart directory: ${missing}`);
  });

  it('refuses a path that is a file', async () => {
    await expect(readChartDirectory(path.join(chart, 'Chart.yaml'))).rejects.toThrow(IoError);
  });
});

describe('readChartDirectory: symbolic links', () => {
  it('follows links to files and directories inside the chart, under the link name', async () => {
    await write({ 'files/real/a.txt': 'A' });
    await fs.symlink('real', path.join(chart, 'files', 'alias'));
    await fs.symlink('../Chart.yaml', path.join(chart, 'files', 'chart-link.yaml'));
    const files = await readChartDirectory(chart);
    expect(files.map((f) => f.name)).toEqual([
      'Chart.yaml',
      'files/alias/a.txt',
      'files/chart-link.yaml',
      'files/real/a.txt',
      'values.yaml',
    ]);
    expect(files.find((f) => f.name === 'files/alias/a.txt')?.data.toString()).toBe('A');
  });

  it('works when the chart directory itself is reached through a link', async () => {
    const link = path.join(tmp, 'link-to-chart');
    await fs.symlink(chart, link);
    expect((await readChartDirectory(link)).map((f) => f.name)).toEqual(['Chart.yaml', 'values.yaml']);
  });

  it.skipIf(!existsSync('/etc/hostname'))('refuses a link to /etc/hostname, naming the link', async () => {
    await fs.symlink('/etc/hostname', path.join(chart, 'templates-host'));
    await expect(readChartDirectory(chart)).rejects.toThrow(ChartInvalidError);
    await expect(readChartDirectory(chart)).rejects.toThrow(
      'symbolic link "templates-host" points outside the chart directory',
    );
  });

  it('follows an external link only with allowExternalSymlinks', async () => {
    await fs.writeFile(path.join(tmp, 'outside.txt'), 'outside');
    await fs.symlink(path.join(tmp, 'outside.txt'), path.join(chart, 'ext.txt'));
    await expect(readChartDirectory(chart)).rejects.toThrow('symbolic link "ext.txt" points outside');
    const files = await readChartDirectory(chart, { allowExternalSymlinks: true });
    expect(files.find((f) => f.name === 'ext.txt')?.data.toString()).toBe('outside');
  });

  it('refuses a link that escapes through .. even when it looks relative', async () => {
    await fs.writeFile(path.join(tmp, 'secret'), 's');
    await fs.symlink('../secret', path.join(chart, 'innocent.yaml'));
    await expect(readChartDirectory(chart)).rejects.toThrow('symbolic link "innocent.yaml" points outside');
  });

  it('skips an external or dangling link that .helmignore ignores, without following it', async () => {
    await write({ '.helmignore': 'node_modules/\n*.lnk\n' });
    await fs.symlink(tmp, path.join(chart, 'node_modules'));
    await fs.symlink('missing', path.join(chart, 'x.lnk'));
    expect(await names()).toEqual(['.helmignore', 'Chart.yaml', 'values.yaml']);
  });

  it('reports a link loop cleanly', async () => {
    await fs.symlink('loop-b', path.join(chart, 'loop-a'));
    await fs.symlink('loop-a', path.join(chart, 'loop-b'));
    await expect(readChartDirectory(chart)).rejects.toThrow('symbolic link "loop-a" is a link loop');
  });

  it('reports a directory link back to an ancestor as a loop instead of recursing forever', async () => {
    await write({ 'templates/a.yaml': '' });
    await fs.symlink('..', path.join(chart, 'templates', 'up'));
    await expect(readChartDirectory(chart)).rejects.toThrow(
      'symbolic link "templates/up" is a link loop (it points to a parent directory)',
    );
  });

  it('reports a dangling link cleanly', async () => {
    await fs.symlink('does-not-exist', path.join(chart, 'gone.yaml'));
    await expect(readChartDirectory(chart)).rejects.toThrow('symbolic link "gone.yaml" is dangling');
  });

  it('never opens /dev/zero, even when external links are allowed', { timeout: 5000 }, async () => {
    await fs.symlink('/dev/zero', path.join(chart, 'zero'));
    await expect(readChartDirectory(chart)).rejects.toThrow('symbolic link "zero" points outside');
    await expect(readChartDirectory(chart, { allowExternalSymlinks: true })).rejects.toThrow(
      'cannot load irregular file zero as it has file mode type bits set',
    );
  });
});

describe('readChartDirectory: special files and limits', () => {
  it('refuses a FIFO without opening it (no hang)', { timeout: 5000 }, async () => {
    execFileSync('mkfifo', [path.join(chart, 'pipe')]);
    await expect(readChartDirectory(chart)).rejects.toThrow(ChartInvalidError);
    await expect(readChartDirectory(chart)).rejects.toThrow(
      'cannot load irregular file pipe as it has file mode type bits set',
    );
  });

  it('refuses a FIFO reached through a link inside the chart, and a FIFO named .helmignore', async () => {
    execFileSync('mkfifo', [path.join(chart, 'pipe')]);
    await write({ '.helmignore': 'pipe\n' });
    await fs.symlink('pipe', path.join(chart, 'via-link'));
    await expect(readChartDirectory(chart)).rejects.toThrow('cannot load irregular file via-link');
    await fs.rm(path.join(chart, '.helmignore'));
    execFileSync('mkfifo', [path.join(chart, '.helmignore')]);
    await expect(readChartDirectory(chart)).rejects.toThrow('cannot load irregular file .helmignore');
  });

  it('refuses a socket', async () => {
    const socket = path.join(chart, 'sock');
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      await expect(readChartDirectory(chart)).rejects.toThrow('cannot load irregular file sock');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('accepts a file of exactly 5 MiB and refuses one byte more', async () => {
    await sparse('files/max.bin', MAX_CHART_FILE_SIZE);
    expect((await readChartDirectory(chart)).find((f) => f.name === 'files/max.bin')?.data.length).toBe(
      MAX_CHART_FILE_SIZE,
    );
    await sparse('files/big.bin', MAX_CHART_FILE_SIZE + 1);
    await expect(readChartDirectory(chart)).rejects.toThrow(LimitError);
    await expect(readChartDirectory(chart)).rejects.toThrow(
      'chart file "files/big.bin" is larger than the maximum file size 5242880',
    );
  });

  it('refuses a chart over 100 MiB before reading it', async () => {
    for (let i = 0; i < 21; i++)
      await sparse(`files/f${String(i).padStart(2, '0')}.bin`, MAX_CHART_FILE_SIZE);
    const started = performance.now();
    await expect(readChartDirectory(chart)).rejects.toThrow(LimitError);
    await expect(readChartDirectory(chart)).rejects.toThrow('is larger than the maximum size 104857600');
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

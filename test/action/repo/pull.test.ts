import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pullChart } from '../../../src/action/repo/pull.js';
import { writeChartArchive } from '../../../src/chart/chart-archive.js';
import { ArchiveError, IoError } from '../../../src/internal/errors.js';
import { contentCacheDir } from '../../../src/repo/cache.js';
import { tempDir } from '../../helpers/chart-builder.js';
import { listTree } from '../../repo/loopback.js';
import { chartsServedPerTest } from '../../repo/reference-fixtures.js';

const served = chartsServedPerTest();

const WEB = [
  { name: 'web', version: '1.0.0' },
  { name: 'web', version: '1.4.2' },
  { name: 'web', version: '2.0.0' },
];

describe('pullChart', () => {
  it('writes <name>-<version>.tgz into the current directory', async () => {
    const s = await served(WEB);
    const cwd = tempDir();
    const result = await pullChart('local/web', { home: s.home, cwd });
    expect(result).toMatchObject({ name: 'web', version: '2.0.0', untarred: false });
    expect(result.path).toBe(path.join(cwd, 'web-2.0.0.tgz'));
    expect(readFileSync(result.path).equals(s.charts[2]!.data)).toBe(true);
    expect(readdirSync(cwd)).toEqual(['web-2.0.0.tgz']);
  });

  it('picks the version with --version and writes into --destination (created)', async () => {
    const s = await served(WEB);
    const cwd = tempDir();
    const result = await pullChart('local/web', {
      home: s.home,
      cwd,
      version: '^1.0',
      destination: 'out/charts',
    });
    expect(result.path).toBe(path.join(cwd, 'out/charts/web-1.4.2.tgz'));
    expect(readFileSync(result.path).equals(s.charts[1]!.data)).toBe(true);
  });

  it('unpacks the chart under <destination>/<name> with --untar, keeping no archive', async () => {
    const s = await served(WEB);
    const cwd = tempDir();
    const result = await pullChart('local/web', { home: s.home, cwd, untar: true, destination: 'd' });
    expect(result).toMatchObject({ path: path.join(cwd, 'd', 'web'), untarred: true });
    expect(await listTree(path.join(cwd, 'd'))).toEqual([
      'web/Chart.yaml',
      'web/templates/cm.yaml',
      'web/values.yaml',
    ]);
    expect(readFileSync(path.join(cwd, 'd/web/Chart.yaml'), 'utf8')).toMatch(/version: 2\.0\.0/);
  });

  it('resolves --untardir against the destination, or takes it as given when absolute', async () => {
    const s = await served(WEB);
    const cwd = tempDir();
    await pullChart('local/web', { home: s.home, cwd, untar: true, destination: 'd', untardir: 'sub' });
    expect(existsSync(path.join(cwd, 'd/sub/web/Chart.yaml'))).toBe(true);
    const abs = tempDir();
    await pullChart('local/web', { home: s.home, cwd, untar: true, destination: 'd', untardir: abs });
    expect(existsSync(path.join(abs, 'web/Chart.yaml'))).toBe(true);
  });

  it("refuses to unpack over an existing directory, in Helm's words, leaving it alone", async () => {
    const s = await served(WEB);
    const cwd = tempDir();
    mkdirSync(path.join(cwd, 'web'));
    writeFileSync(path.join(cwd, 'web', 'mine.txt'), 'keep me');
    const err = await pullChart('local/web', { home: s.home, cwd, untar: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IoError);
    expect((err as Error).message).toBe(
      'failed to untar: a file or directory with the name web already exists',
    );
    expect(await listTree(cwd)).toEqual(['web/mine.txt']);
  });

  it('leaves no partial directory when the archive does not unpack', async () => {
    const s = await served([{ name: 'broken', version: '1.0.0', digest: null }], {
      serve: { 'broken-1.0.0.tgz': Buffer.from('definitely not gzip') },
    });
    const cwd = tempDir();
    await expect(pullChart('local/broken', { home: s.home, cwd, untar: true })).rejects.toThrow(ArchiveError);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('leaves no partial directory when writing fails half-way', async () => {
    // `templates` is a file and a directory: the second write fails after the first succeeded.
    const data = await writeChartArchive(
      [
        { name: 'Chart.yaml', data: Buffer.from('apiVersion: v2\nname: clash\nversion: 1.0.0\n') },
        { name: 'templates', data: Buffer.from('a file') },
        { name: 'templates/cm.yaml', data: Buffer.from('kind: ConfigMap\n') },
      ],
      'clash',
    );
    const dir = tempDir();
    writeFileSync(path.join(dir, 'clash-1.0.0.tgz'), data);
    const cwd = tempDir();
    const url = pathToFileURL(path.join(dir, 'clash-1.0.0.tgz')).href;
    await expect(pullChart(url, { home: tempDir(), cwd, untar: true })).rejects.toThrow(
      /^failed to untar clash-1\.0\.0\.tgz into clash: E[A-Z]+: /,
    );
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('writes nothing and caches nothing when the digest does not match', async () => {
    const other = await served([{ name: 'web', version: '9.9.9' }]);
    const s = await served([{ name: 'web', version: '2.0.0' }], {
      serve: { 'web-2.0.0.tgz': other.charts[0]!.data },
    });
    const cwd = tempDir();
    for (const untar of [false, true]) {
      await expect(pullChart('local/web', { home: s.home, cwd, untar })).rejects.toThrow(/digest mismatch/);
    }
    expect(readdirSync(cwd)).toEqual([]);
    expect(await listTree(contentCacheDir(s.home))).toEqual([]);
  });

  it('pulls from --repo URL', async () => {
    const s = await served(WEB);
    const cwd = tempDir();
    const result = await pullChart('web', { home: tempDir(), cwd, repoUrl: s.server.url, version: '1.0.0' });
    expect(path.basename(result.path)).toBe('web-1.0.0.tgz');
  });

  it('pulls stable/dockercoins offline from the bundled repository', async () => {
    const cwd = tempDir();
    const result = await pullChart('stable/dockercoins', { home: tempDir(), cwd, untar: true });
    expect(result.name).toBe('dockercoins');
    expect(existsSync(path.join(cwd, 'dockercoins/Chart.yaml'))).toBe(true);
    expect(existsSync(path.join(cwd, 'dockercoins/templates'))).toBe(true);
  });
});

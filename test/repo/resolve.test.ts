import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ArchiveError, InvalidArgumentError, IoError, LimitError } from '../../src/internal/errors.js';
import { contentCacheDir, repoCacheDir } from '../../src/repo/cache.js';
import { saveRepoConfig } from '../../src/repo/config.js';
import { resolveChartReference } from '../../src/repo/resolve.js';
import { tempDir } from '../helpers/chart-builder.js';
import { listTree, loopback, routes } from './loopback.js';
import {
  chartsServedPerTest,
  indexText,
  packageChart,
  type ServedCharts,
  sha256,
} from './reference-fixtures.js';

const served = chartsServedPerTest();

const DEMO = [
  { name: 'demo', version: '0.9.0' },
  { name: 'demo', version: '1.0.0' },
  { name: 'demo', version: '1.2.0' },
  { name: 'demo', version: '2.0.0-beta.1' },
  { name: 'other', version: '0.1.0' },
];

function versionOf(s: ServedCharts, version: string) {
  return s.charts.find((c) => c.name === 'demo' && c.version === version)!;
}

describe('REPO/NAME', () => {
  it.each([
    ['no version: the newest release', {}, '1.2.0'],
    ['an exact version', { version: '1.0.0' }, '1.0.0'],
    ['a constraint: the newest satisfying', { version: '^1.0' }, '1.2.0'],
    ['a range', { version: '>=0.9, <1.1' }, '1.0.0'],
    ['--devel: pre-releases too', { devel: true }, '2.0.0-beta.1'],
    ['--version wins over --devel', { version: '~1.0.0', devel: true }, '1.0.0'],
  ])('%s', async (_label, options, expected) => {
    const s = await served(DEMO);
    const resolved = await resolveChartReference(s.home, 'local/demo', options);
    expect(resolved.version).toBe(expected);
    expect(resolved.name).toBe('demo');
    expect(resolved.data.equals(versionOf(s, expected).data)).toBe(true);
    expect(resolved.digest).toBe(versionOf(s, expected).sha256);
    expect(resolved.url).toBe(`${s.server.url}/demo-${expected}.tgz`);
  });

  it("passes on Helm's fallback warning for a constraint", async () => {
    const s = await served(DEMO);
    const warnings: string[] = [];
    await resolveChartReference(s.home, 'local/demo', { version: '^1.0', warn: (m) => warnings.push(m) });
    expect(warnings.join('\n')).toMatch(
      /unable to find exact version.*falling back to closest available version/,
    );
  });

  it('caches the archive by its digest and reuses it without the network', async () => {
    const s = await served(DEMO);
    const first = await resolveChartReference(s.home, 'local/demo');
    expect(s.archiveRequests()).toBe(1);
    const cached = path.join(contentCacheDir(s.home), first.digest.slice(0, 2), `${first.digest}.tgz`);
    expect(existsSync(cached)).toBe(true);
    await s.close();
    const again = await resolveChartReference(s.home, 'local/demo');
    expect(again.data.equals(first.data)).toBe(true);
    expect(s.archiveRequests()).toBe(1);
  });

  it('refuses an archive whose digest is not the index digest, and caches nothing', async () => {
    const evil = await packageChart({ name: 'demo', version: '6.6.6' });
    const s = await served([{ name: 'demo', version: '1.0.0' }], { serve: { 'demo-1.0.0.tgz': evil.data } });
    const err = await resolveChartReference(s.home, 'local/demo').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArchiveError);
    expect((err as Error).message).toMatch(
      /^digest mismatch for demo-1\.0\.0\.tgz: expected sha256:[0-9a-f]{64}, got sha256:/,
    );
    expect(await listTree(contentCacheDir(s.home))).toEqual([]);
  });

  it('downloads an entry without a digest with a warning, and does not cache it', async () => {
    const s = await served([{ name: 'demo', version: '1.0.0', digest: null }]);
    const warnings: string[] = [];
    const resolved = await resolveChartReference(s.home, 'local/demo', { warn: (m) => warnings.push(m) });
    expect(resolved.digest).toBe(s.charts[0]!.sha256);
    expect(warnings).toContain('the index gives no digest for demo-1.0.0.tgz: it cannot be verified');
    expect(await listTree(contentCacheDir(s.home))).toEqual([]);
  });

  it('refuses an archive over the size cap', async () => {
    const s = await served(DEMO);
    await expect(resolveChartReference(s.home, 'local/demo', { maxBytes: 100 })).rejects.toThrow(LimitError);
    expect(await listTree(contentCacheDir(s.home))).toEqual([]);
  });

  it.each([
    [
      'local/nope',
      {},
      `chart "nope" not found in local index. (try 'bosun repo update'): no chart name found`,
    ],
    [
      'local/demo',
      { version: '9.9.9' },
      `chart "demo" matching 9.9.9 not found in local index. (try 'bosun repo update'): no chart version found for demo-9.9.9`,
    ],
    [
      'local/demo',
      { version: '^3' },
      `chart "demo" matching ^3 not found in local index. (try 'bosun repo update'): no chart version found for demo-^3`,
    ],
    ['nope/demo', {}, 'repo nope not found'],
    ['demo', {}, 'non-absolute URLs should be in form of repo_name/path_to_chart, got: demo'],
  ])('%s %j: %s', async (ref, options, message) => {
    const s = await served(DEMO);
    await expect(resolveChartReference(s.home, ref, options)).rejects.toThrow(message);
    expect(s.archiveRequests()).toBe(0);
  });

  it('says when a chart has only pre-releases', async () => {
    const s = await served([{ name: 'pre', version: '0.2.0-beta.1' }]);
    await expect(resolveChartReference(s.home, 'local/pre')).rejects.toThrow(
      'no chart version found for pre (it has only pre-releases: use --devel)',
    );
    expect((await resolveChartReference(s.home, 'local/pre', { devel: true })).version).toBe('0.2.0-beta.1');
  });

  it('refuses an invalid version constraint', async () => {
    const s = await served(DEMO);
    await expect(resolveChartReference(s.home, 'local/demo', { version: 'bad!!' })).rejects.toThrow(
      InvalidArgumentError,
    );
  });

  it("needs the repository's cached index", async () => {
    const home = tempDir('bosun-home-');
    await saveRepoConfig(home, {
      apiVersion: 'v1',
      generated: '2026-01-01T00:00:00Z',
      repositories: [{ name: 'gone', url: 'http://127.0.0.1:1' }],
    });
    const err = await resolveChartReference(home, 'gone/demo').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IoError);
    expect((err as Error).message).toMatch(/^no cached repo found\. \(try 'bosun repo update'\)/);
  });

  it('resolves stable/dockercoins from the bundled repository, offline', async () => {
    const home = tempDir('bosun-home-');
    const resolved = await resolveChartReference(home, 'stable/dockercoins');
    expect(resolved.name).toBe('dockercoins');
    expect(resolved.url).toMatch(/^file:.*\/repo-index\/dockercoins-[^/]+\.tgz$/);
    expect(resolved.digest).toBe(sha256(resolved.data));
  });

  it("sends the repository's credentials with its archives", async () => {
    const chart = await packageChart({ name: 'demo', version: '1.0.0' });
    const server = await loopback(
      routes({ '/index.yaml': indexText([chart]), '/demo-1.0.0.tgz': chart.data }),
    );
    try {
      const home = tempDir('bosun-home-');
      await saveRepoConfig(home, {
        apiVersion: 'v1',
        generated: '2026-01-01T00:00:00Z',
        repositories: [{ name: 'priv', url: server.url, username: 'ann', password: 's3cret' }],
      });
      const cacheDir = repoCacheDir(home);
      mkdirSync(cacheDir, { recursive: true });
      writeFileSync(path.join(cacheDir, 'priv-index.yaml'), indexText([chart]));
      await resolveChartReference(home, 'priv/demo');
      const archive = server.requests.find((r) => r.url === '/demo-1.0.0.tgz')!;
      expect(archive.headers.authorization).toBe(`Basic ${Buffer.from('ann:s3cret').toString('base64')}`);
    } finally {
      await server.close();
    }
  });
});

describe('--repo URL', () => {
  it('resolves a chart name in the index at the URL, without caching that index', async () => {
    const s = await served(DEMO);
    const home = tempDir('bosun-home-');
    const resolved = await resolveChartReference(home, 'demo', { repoUrl: s.server.url, version: '1.0.0' });
    expect(resolved.version).toBe('1.0.0');
    expect(resolved.data.equals(versionOf(s, '1.0.0').data)).toBe(true);
    expect(existsSync(repoCacheDir(home)) ? readdirSync(repoCacheDir(home)) : []).toEqual([]);
  });

  it('checks the digest of that index too', async () => {
    const evil = await packageChart({ name: 'demo', version: '6.6.6' });
    const s = await served([{ name: 'demo', version: '1.0.0' }], { serve: { 'demo-1.0.0.tgz': evil.data } });
    const home = tempDir('bosun-home-');
    await expect(resolveChartReference(home, 'demo', { repoUrl: s.server.url })).rejects.toThrow(
      /digest mismatch/,
    );
    expect(await listTree(contentCacheDir(home))).toEqual([]);
  });

  it.each([
    ['nope', {}, (url: string) => `chart "nope" not found in ${url} repository`],
    ['demo', { version: '7' }, (url: string) => `chart "demo" version "7" not found in ${url} repository`],
  ])('%s %j is not found', async (name, options, message) => {
    const s = await served(DEMO);
    await expect(
      resolveChartReference(tempDir(), name, { ...options, repoUrl: s.server.url }),
    ).rejects.toThrow(message(s.server.url));
  });

  it('names a repository that cannot be reached', async () => {
    await expect(resolveChartReference(tempDir(), 'demo', { repoUrl: 'http://127.0.0.1:1' })).rejects.toThrow(
      /^looks like "http:\/\/127\.0\.0\.1:1" is not a valid chart repository or cannot be reached: /,
    );
  });

  it('names a repository that answers something other than an index', async () => {
    const server = await loopback(routes({ '/index.yaml': 'this is not: [an index' }));
    try {
      await expect(resolveChartReference(tempDir(), 'demo', { repoUrl: server.url })).rejects.toThrow(
        /^looks like ".*" is not a valid chart repository or cannot be reached: /,
      );
    } finally {
      await server.close();
    }
  });
});

describe('archive URLs', () => {
  it('uses the digest of the repository whose index lists the URL', async () => {
    const s = await served(DEMO);
    const url = `${s.server.url}/demo-1.0.0.tgz`;
    const first = await resolveChartReference(s.home, url);
    expect(first).toMatchObject({ name: 'demo', version: '1.0.0', digest: versionOf(s, '1.0.0').sha256 });
    await resolveChartReference(s.home, url);
    expect(s.archiveRequests()).toBe(1); // The second came from the cache.
  });

  it('reads the name and version of an archive no repository lists', async () => {
    const chart = await packageChart({ name: 'loose', version: '3.1.4' });
    const server = await loopback(routes({ '/x/loose.tgz': chart.data }));
    try {
      const resolved = await resolveChartReference(tempDir(), `${server.url}/x/loose.tgz`);
      expect(resolved).toMatchObject({ name: 'loose', version: '3.1.4', digest: chart.sha256 });
    } finally {
      await server.close();
    }
  });

  it('reads file:// URLs', async () => {
    const chart = await packageChart({ name: 'onfile', version: '0.0.1' });
    const dir = tempDir();
    writeFileSync(path.join(dir, chart.file), chart.data);
    const resolved = await resolveChartReference(tempDir(), pathToFileURL(path.join(dir, chart.file)).href);
    expect(resolved).toMatchObject({ name: 'onfile', version: '0.0.1' });
  });

  it('refuses a URL that is not a chart archive', async () => {
    const server = await loopback(routes({ '/junk.tgz': 'not gzip at all' }));
    try {
      await expect(resolveChartReference(tempDir(), `${server.url}/junk.tgz`)).rejects.toThrow(ArchiveError);
    } finally {
      await server.close();
    }
  });

  it.each([
    ['data:application/gzip;base64,AAAA', 'could not find protocol handler for: data'],
    ['ftp://example.com/x.tgz', 'could not find protocol handler for: ftp'],
    ['oci://registry.example.com/charts/x', 'OCI registries are not supported'],
  ])('refuses %s', async (ref, message) => {
    await expect(resolveChartReference(tempDir(), ref)).rejects.toThrow(message);
  });
});

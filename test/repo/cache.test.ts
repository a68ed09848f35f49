import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IoError } from '../../src/internal/errors.js';
import {
  cachedChart,
  chartCachePath,
  contentCacheDir,
  loadCachedIndex,
  removeRepoCache,
  repoChartsPath,
  repoIndexPath,
  storeChart,
  storeRepoIndex,
} from '../../src/repo/cache.js';
import { bundledRepoDir, saveRepoConfig } from '../../src/repo/config.js';
import { parseIndex } from '../../src/repo/index-file.js';
import { tempDir } from '../helpers/chart-builder.js';
import { indexYaml, listTree } from './loopback.js';

const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

describe('repository index cache', () => {
  it('lives where Helm keeps it', () => {
    expect(repoIndexPath('/h', 'local')).toBe(path.join('/h', 'cache', 'repository', 'local-index.yaml'));
    expect(repoChartsPath('/h', 'local')).toBe(path.join('/h', 'cache', 'repository', 'local-charts.txt'));
  });

  it('refuses names that would leave the cache directory', () => {
    for (const name of ['../x', 'a/b', '..', '', 'a\\b'])
      expect(() => repoIndexPath('/h', name)).toThrow(/invalid repository name/);
  });

  it('stores the index as downloaded plus its chart names, and loads it back', async () => {
    const home = tempDir('bosun-cache-');
    const text = indexYaml({ versions: ['0.2.0', '0.1.0'] }).replace(
      'entries:\n',
      'entries:\n  alpha:\n  - name: alpha\n    version: 1.0.0\n    apiVersion: v2\n    urls: [alpha-1.0.0.tgz]\n',
    );
    const index = parseIndex(text, 'test');
    await storeRepoIndex(home, 'local', Buffer.from(text), index);
    expect(readFileSync(repoIndexPath(home, 'local'), 'utf8')).toBe(text);
    expect(readFileSync(repoChartsPath(home, 'local'), 'utf8')).toBe('alpha\ndemo\n');
    const loaded = await loadCachedIndex(home, 'local');
    expect(loaded.entries['demo']!.map((v) => v.version)).toEqual(['0.2.0', '0.1.0']);
    expect(await listTree(home)).toEqual([
      'cache/repository/local-charts.txt',
      'cache/repository/local-index.yaml',
    ]);
  });

  it('skips invalid entries of a cached index with a warning', async () => {
    const home = tempDir('bosun-cache-');
    const text = indexYaml({ bad: true });
    mkdirSync(path.dirname(repoIndexPath(home, 'r')), { recursive: true });
    writeFileSync(repoIndexPath(home, 'r'), text);
    const warnings: string[] = [];
    const index = await loadCachedIndex(home, 'r', { warn: (m) => warnings.push(m) });
    expect(index.entries['broken'] ?? []).toEqual([]);
    expect(index.entries['demo']!.map((v) => v.version)).toEqual(['0.1.0']);
    expect(warnings.join('\n')).toContain('not-a-version');
  });

  it("says 'try bosun repo update' when nothing is cached", async () => {
    const home = tempDir('bosun-cache-');
    const err = await loadCachedIndex(home, 'local').catch((e: Error) => e);
    expect(err).toBeInstanceOf(IoError);
    expect((err as Error).message).toBe(
      `no cached repo found. (try 'bosun repo update'): open ${repoIndexPath(home, 'local')}: no such file or directory`,
    );
  });

  const bundled = path.join(bundledRepoDir(), 'index.yaml');
  // The bundled repository is built from charts/ separately.
  it.skipIf(!existsSync(bundled))(
    'reads the bundled index for stable, offline, with no repo update',
    async () => {
      const home = tempDir('bosun-cache-');
      const expected = parseIndex(readFileSync(bundled, 'utf8'), bundled);
      expect(await loadCachedIndex(home, 'stable')).toEqual(expected);
      expect(await listTree(home)).toEqual([]);
      // A cached copy from an older package does not hide the bundled index.
      mkdirSync(path.dirname(repoIndexPath(home, 'stable')), { recursive: true });
      writeFileSync(repoIndexPath(home, 'stable'), indexYaml({ versions: ['9.9.9'] }));
      expect(await loadCachedIndex(home, 'stable')).toEqual(expected);
    },
  );

  it('does not fall back to the bundled index when stable points elsewhere', async () => {
    const home = tempDir('bosun-cache-');
    await saveRepoConfig(home, {
      apiVersion: 'v1',
      generated: 'x',
      repositories: [{ name: 'stable', url: 'https://charts.example.com' }],
    });
    await expect(loadCachedIndex(home, 'stable')).rejects.toThrow(/no cached repo found/);
  });

  it('removes both cache files of a repository', async () => {
    const home = tempDir('bosun-cache-');
    const text = indexYaml();
    await storeRepoIndex(home, 'r', Buffer.from(text), parseIndex(text, 't'));
    await storeRepoIndex(home, 'other', Buffer.from(text), parseIndex(text, 't'));
    await removeRepoCache(home, 'r');
    expect(await listTree(home)).toEqual([
      'cache/repository/other-charts.txt',
      'cache/repository/other-index.yaml',
    ]);
    await removeRepoCache(home, 'r'); // Absent files are fine.
  });
});

describe('content cache', () => {
  const data = Buffer.from('a chart archive');
  const digest = sha(data);

  it('is keyed by the computed sha256', async () => {
    const home = tempDir('bosun-cache-');
    const file = await storeChart(home, { data, digest });
    expect(file).toBe(path.join(contentCacheDir(home), digest.slice(0, 2), `${digest}.tgz`));
    expect(file).toBe(chartCachePath(home, `sha256:${digest}`));
    expect(readFileSync(file)).toEqual(data);
    expect(await cachedChart(home, digest)).toEqual(data);
    expect(await cachedChart(home, `sha256:${digest}`)).toEqual(data);
    // Storing again is a no-op.
    expect(await storeChart(home, { data, digest })).toBe(file);
  });

  it('refuses bytes filed under another digest', async () => {
    const home = tempDir('bosun-cache-');
    const claimed = sha('the honest chart');
    await expect(storeChart(home, { data, digest: claimed })).rejects.toThrow(/refusing to cache/);
    expect(await listTree(home)).toEqual([]);
    expect(await cachedChart(home, claimed)).toBeUndefined();
  });

  it('drops a cached file whose bytes no longer match its name', async () => {
    const home = tempDir('bosun-cache-');
    const file = await storeChart(home, { data, digest });
    writeFileSync(file, 'tampered');
    expect(await cachedChart(home, digest)).toBeUndefined();
    expect(existsSync(file)).toBe(false);
  });

  it('refuses a malformed digest', async () => {
    const home = tempDir('bosun-cache-');
    await expect(cachedChart(home, '../../etc/passwd')).rejects.toThrow(/invalid digest/);
    expect(() => chartCachePath(home, 'abcd')).toThrow(/invalid digest/);
  });
});

import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadRepoConfig } from '../../src/repo/config.js';
import {
  assertDependencyRange,
  type DependencyContext,
  fetchLocked,
  IndexSet,
  lockVersions,
  resolveSources,
  sameUrl,
  vendorArchives,
} from '../../src/repo/dependencies.js';
import type { RepoServer } from '../../src/repo/server.js';
import type { RepoConfig } from '../../src/repo/types.js';
import { tempDir, writeArchiveChart, writeChart } from '../helpers/chart-builder.js';
import { type Loopback, loopback, routes } from './loopback.js';
import { appWithDeps, chartFiles, homeWithRepo, packageInto, servedRepo } from './served-repo.js';

const servers: (RepoServer | Loopback)[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const config = (repos: { name: string; url: string }[]): RepoConfig => ({
  apiVersion: 'v1',
  generated: '',
  repositories: repos,
});

describe('sameUrl', () => {
  it('ignores trailing slashes and the case of scheme and host', () => {
    expect(sameUrl('http://Example.com/charts/', 'HTTP://example.com/charts')).toBe(true);
    expect(sameUrl('http://example.com/a', 'http://example.com/b')).toBe(false);
    expect(sameUrl('http://example.com:81', 'http://example.com')).toBe(false);
  });
});

describe('resolveSources', () => {
  it('tells charts/, file://, @name, alias:name and URLs apart', async () => {
    const { app } = appWithDeps('@local');
    const cfg = config([{ name: 'local', url: 'http://127.0.0.1:9/charts' }]);
    const deps = [
      { name: 'a', version: '1.0.0', repository: '' },
      { name: 'lib', version: '0.3.0', repository: 'file://../lib' },
      { name: 'b', version: '^1', repository: '@local' },
      { name: 'c', version: '^1', repository: 'alias:local' },
      { name: 'd', version: '^1', repository: 'http://127.0.0.1:9/charts/' },
      { name: 'e', version: '^1', repository: 'https://charts.example.com' },
    ];
    const { requested, sources } = await resolveSources(deps, app, cfg);
    expect(sources.map((s) => s.kind)).toEqual([
      'charts',
      'directory',
      'repository',
      'repository',
      'repository',
      'repository',
    ]);
    expect(sources[1]).toEqual({ kind: 'directory', path: path.join(path.dirname(app), 'lib') });
    // An alias is replaced by the repository's URL, as the lock digest needs.
    expect(requested[2]!.repository).toBe('http://127.0.0.1:9/charts');
    expect(requested[3]!.repository).toBe('http://127.0.0.1:9/charts');
    expect(sources.slice(2, 5).map((s) => (s.kind === 'repository' ? s.repo?.name : ''))).toEqual([
      'local',
      'local',
      'local',
    ]);
    expect(sources[5]).toEqual({ kind: 'repository', url: 'https://charts.example.com' });
  });

  it("refuses unknown repositories in Helm's words", async () => {
    const dir = tempDir();
    await expect(
      resolveSources([{ name: 'x', version: '1', repository: '@nope' }], dir, config([])),
    ).rejects.toThrow("no repository definition for @nope. Please add them via 'bosun repo add'");
    await expect(
      resolveSources([{ name: 'x', version: '1', repository: 'stable' }], dir, config([])),
    ).rejects.toThrow(/no repository definition for stable\. .*"@stable" instead of "stable"/);
  });

  it('refuses missing directories and unusable schemes', async () => {
    const dir = tempDir();
    await expect(
      resolveSources([{ name: 'x', version: '1', repository: 'file://../missing' }], dir, config([])),
    ).rejects.toThrow(`directory ${path.join(path.dirname(dir), 'missing')} not found`);
    await expect(
      resolveSources([{ name: 'x', version: '1', repository: 'ftp://example.com/charts' }], dir, config([])),
    ).rejects.toThrow('could not find protocol handler for: ftp');
    await expect(
      resolveSources([{ name: 'x', version: '1', repository: 'oci://example.com/charts' }], dir, config([])),
    ).rejects.toThrow('OCI registries are not supported');
  });
});

describe('assertDependencyRange', () => {
  it('words a bad range as Helm does', () => {
    expect(() => assertDependencyRange('sub', undefined)).toThrow(
      'dependency "sub" has an invalid version/constraint format: improper constraint: ',
    );
    expect(() => assertDependencyRange('sub', 'abc')).toThrow(
      'dependency "sub" has an invalid version/constraint format: improper constraint: abc',
    );
    expect(() => assertDependencyRange('sub', '>=1.0.0, <2')).not.toThrow();
  });
});

describe('resolving and fetching', () => {
  async function setup(repository: (url: string) => string, range = '^0.1.0') {
    const repo = await servedRepo();
    servers.push(repo.server);
    const home = await homeWithRepo('local', repo.server.url);
    const { app } = appWithDeps(repository(repo.server.url), range);
    const cfg = await loadRepoConfig(home);
    const ctx: DependencyContext = { home, chartDir: app, config: cfg };
    return { ...repo, home, app, cfg, ctx };
  }

  it('locks the newest version in range, and a file:// chart at its own version', async () => {
    const { app, cfg, ctx, server } = await setup(() => '@local');
    const deps = [
      { name: 'lib', version: '>=0.1.0', repository: 'file://../lib' },
      { name: 'sub', version: '^0.1.0', repository: '@local' },
    ];
    const { requested, sources } = await resolveSources(deps, app, cfg);
    const locked = await lockVersions(requested, sources, ctx, new IndexSet(ctx));
    expect(locked).toEqual([
      { name: 'lib', repository: 'file://../lib', version: '0.3.0' },
      { name: 'sub', repository: server.url, version: '0.1.5' },
    ]);
  });

  it('takes a pre-release only when the range has one', async () => {
    const { app, cfg, ctx } = await setup(() => '@local');
    const pick = async (range: string) => {
      const { requested, sources } = await resolveSources(
        [{ name: 'sub', version: range, repository: '@local' }],
        app,
        cfg,
      );
      return (await lockVersions(requested, sources, ctx, new IndexSet(ctx)))[0]!.version;
    };
    expect(await pick('>=0.1.0')).toBe('0.2.0');
    expect(await pick('>=0.1.0-0')).toBe('1.0.0-beta.1');
  });

  it('fetches an unconfigured repository URL for the run', async () => {
    const { app, cfg, ctx, server } = await setup((url) => url);
    const { requested, sources } = await resolveSources(
      [{ name: 'sub', version: '~0.2', repository: server.url }],
      app,
      config([]),
    );
    expect(cfg.repositories.some((r) => r.url === server.url)).toBe(true);
    const indexes = new IndexSet({ ...ctx, config: config([]) });
    const locked = await lockVersions(requested, sources, ctx, indexes);
    expect(locked[0]!.version).toBe('0.2.0');
    expect(indexes.fetched).toEqual([{ url: server.url }]);
  });

  it("reports what cannot be resolved in Helm's words", async () => {
    const { app, cfg, ctx, server } = await setup(() => '@local');
    const resolve = async (deps: { name: string; version: string; repository: string }[]) => {
      const { requested, sources } = await resolveSources(deps, app, cfg);
      return lockVersions(requested, sources, ctx, new IndexSet(ctx));
    };
    await expect(resolve([{ name: 'nosuch', version: '^1', repository: '@local' }])).rejects.toThrow(
      `nosuch chart not found in repo ${server.url}`,
    );
    await expect(
      resolve([
        { name: 'sub', version: '>=5.0.0', repository: '@local' },
        { name: 'lib', version: '>=5.0.0', repository: 'file://../lib' },
      ]),
    ).rejects.toThrow(
      `can't get a valid version for 2 subchart(s): "sub" (repository "${server.url}", version ">=5.0.0"), "lib" (repository "file://../lib", version ">=5.0.0"). Make sure a matching chart version exists in the repo, or change the version constraint in Chart.yaml`,
    );
    await expect(resolve([{ name: 'sub', version: 'abc', repository: '@local' }])).rejects.toThrow(
      'dependency "sub" has an invalid version/constraint format',
    );
    await expect(resolve([{ name: 'gone', version: '1.0.0', repository: '' }])).rejects.toThrow(
      `directory ${path.join(app, 'charts', 'gone')} not found`,
    );
  });

  it('downloads the exact version, checks it and caches it by digest', async () => {
    const { dir, home, ctx, server, cfg } = await setup(() => '@local');
    const source = {
      kind: 'repository' as const,
      url: server.url,
      repo: cfg.repositories.find((r) => r.name === 'local')!,
    };
    const indexes = new IndexSet(ctx);
    const archive = await fetchLocked(
      { name: 'sub', repository: server.url, version: '0.1.5' },
      source,
      ctx,
      indexes,
    );
    expect(archive).toMatchObject({
      file: 'sub-0.1.5.tgz',
      from: 'repository',
      url: `${server.url}/sub-0.1.5.tgz`,
    });
    expect(archive!.data.equals(readFileSync(path.join(dir, 'sub-0.1.5.tgz')))).toBe(true);
    expect(readdirSync(path.join(home, 'cache', 'content'))).toHaveLength(1);
    await expect(
      fetchLocked({ name: 'sub', repository: server.url, version: '9.9.9' }, source, ctx, indexes),
    ).rejects.toThrow(`chart sub version 9.9.9 not found in ${server.url}`);
  });

  it('refuses an archive whose digest does not match the index, caching nothing', async () => {
    const home = tempDir('bosun-home-');
    const good = path.join(tempDir(), 'sub-0.1.0.tgz');
    await writeArchiveChart(good, 'sub', chartFiles('sub', '0.1.0'));
    const evil = path.join(tempDir(), 'sub-0.1.0.tgz');
    await writeArchiveChart(evil, 'sub', { ...chartFiles('sub', '0.1.0'), 'values.yaml': 'evil: true\n' });
    const { createHash } = await import('node:crypto');
    const digest = createHash('sha256').update(readFileSync(good)).digest('hex');
    const index = `apiVersion: v1\nentries:\n  sub:\n  - apiVersion: v2\n    name: sub\n    version: 0.1.0\n    digest: ${digest}\n    urls:\n    - sub-0.1.0.tgz\n`;
    const server = await loopback(routes({ '/index.yaml': index, '/sub-0.1.0.tgz': readFileSync(evil) }));
    servers.push(server);
    const ctx: DependencyContext = { home, chartDir: tempDir(), config: config([]) };
    await expect(
      fetchLocked(
        { name: 'sub', repository: server.url, version: '0.1.0' },
        { kind: 'repository', url: server.url },
        ctx,
        new IndexSet(ctx),
      ),
    ).rejects.toThrow(/digest/i);
    expect(existsSync(path.join(home, 'cache', 'content'))).toBe(false);
  });

  it('refuses an archive that holds another chart', async () => {
    const home = tempDir('bosun-home-');
    const wrong = path.join(tempDir(), 'x.tgz');
    await writeArchiveChart(wrong, 'other', chartFiles('other', '0.1.0'));
    const index = `apiVersion: v1\nentries:\n  sub:\n  - apiVersion: v2\n    name: sub\n    version: 0.1.0\n    urls:\n    - sub-0.1.0.tgz\n`;
    const server = await loopback(routes({ '/index.yaml': index, '/sub-0.1.0.tgz': readFileSync(wrong) }));
    servers.push(server);
    const warnings: string[] = [];
    const ctx: DependencyContext = {
      home,
      chartDir: tempDir(),
      config: config([]),
      warn: (m) => warnings.push(m),
    };
    await expect(
      fetchLocked(
        { name: 'sub', repository: server.url, version: '0.1.0' },
        { kind: 'repository', url: server.url },
        ctx,
        new IndexSet(ctx),
      ),
    ).rejects.toThrow('holds chart other 0.1.0, not sub 0.1.0');
    expect(warnings.join('\n')).toContain('no digest for sub-0.1.0.tgz');
  });

  it('packages a file:// chart reproducibly', async () => {
    const { app, ctx } = await setup(() => '@local');
    const source = { kind: 'directory' as const, path: path.join(path.dirname(app), 'lib') };
    const dep = { name: 'lib', repository: 'file://../lib', version: '0.3.0' };
    const a = await fetchLocked(dep, source, ctx, new IndexSet(ctx));
    const b = await fetchLocked(dep, source, ctx, new IndexSet(ctx));
    expect(a!.file).toBe('lib-0.3.0.tgz');
    expect(a!.data.equals(b!.data)).toBe(true);
    await expect(fetchLocked({ ...dep, version: '0.2.0' }, source, ctx, new IndexSet(ctx))).rejects.toThrow(
      "can't get a valid version for dependency lib",
    );
    await expect(fetchLocked({ ...dep, name: 'other' }, source, ctx, new IndexSet(ctx))).rejects.toThrow(
      'holds chart lib, not other',
    );
  });
});

describe('vendorArchives', () => {
  it('writes new archives and removes only outdated archives of the same charts', async () => {
    const chartDir = writeChart(tempDir(), { name: 'app' });
    const charts = path.join(chartDir, 'charts');
    mkdirSync(charts);
    await packageInto(charts, 'sub', '0.1.0');
    await packageInto(charts, 'keep', '1.0.0');
    // Named like sub but holding another chart: not ours to delete.
    await writeArchiveChart(path.join(charts, 'sub-9.9.9.tgz'), 'other', chartFiles('other', '9.9.9'));
    writeFileSync(path.join(charts, 'sub-broken.tgz'), 'nope');
    const data = readFileSync(await packageInto(tempDir(), 'sub', '0.2.0'));
    const warnings: string[] = [];
    const result = await vendorArchives(
      chartDir,
      [{ name: 'sub', version: '0.2.0', repository: 'x', file: 'sub-0.2.0.tgz', data, from: 'repository' }],
      ['sub'],
      (m) => warnings.push(m),
    );
    expect(result).toEqual({ written: ['sub-0.2.0.tgz'], removed: ['sub-0.1.0.tgz'] });
    expect(readdirSync(charts).sort()).toEqual([
      'keep-1.0.0.tgz',
      'sub-0.2.0.tgz',
      'sub-9.9.9.tgz',
      'sub-broken.tgz',
    ]);
    expect(warnings).toEqual(['could not verify charts/sub-broken.tgz for deletion (skipping)']);
  });

  it('refuses a charts/ that is a file', async () => {
    const chartDir = writeChart(tempDir(), { name: 'app' });
    writeFileSync(path.join(chartDir, 'charts'), 'x');
    await expect(vendorArchives(chartDir, [], [])).rejects.toThrow('is not a directory');
  });
});

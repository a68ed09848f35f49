import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dependencyList } from '../../src/action/repo/dependency-list.js';
import { dependencyBuild, dependencyUpdate } from '../../src/action/repo/dependency-update.js';
import { lockDigest, parseLock } from '../../src/repo/lock.js';
import type { RepoServer } from '../../src/repo/server.js';
import { snapshotTree, tempDir, writeArchiveChart, writeChart } from '../helpers/chart-builder.js';
import {
  appWithDeps,
  chartFiles,
  chartsDigests,
  homeWithRepo,
  packageInto,
  servedRepo,
} from '../repo/served-repo.js';

const servers: RepoServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(repository: (url: string) => string = () => '@local', range = '^0.1.0') {
  const repo = await servedRepo();
  servers.push(repo.server);
  const home = await homeWithRepo('local', repo.server.url);
  const { root, app } = appWithDeps(repository(repo.server.url), range);
  return { ...repo, home, root, app };
}

const NOW = new Date('2026-01-02T03:04:05Z');

describe('dependency update', () => {
  it('vendors a file:// chart and a repository chart and writes Chart.lock', async () => {
    const { home, app, server, dir } = await setup();
    const result = await dependencyUpdate({ home, chart: 'app', cwd: path.dirname(app), now: NOW });
    expect(result.refreshed.map((r) => [r.name, r.error])).toEqual([['local', undefined]]);
    expect(result.saved).toEqual([
      {
        name: 'lib',
        version: '0.3.0',
        repository: 'file://../lib',
        from: 'directory',
        file: 'lib-0.3.0.tgz',
      },
      { name: 'sub', version: '0.1.5', repository: server.url, from: 'repository', file: 'sub-0.1.5.tgz' },
    ]);
    expect(result.lockWritten).toBe(true);
    const lock = parseLock(readFileSync(path.join(app, 'Chart.lock'), 'utf8'), 'Chart.lock');
    expect(lock).toEqual({
      generated: '2026-01-02T03:04:05Z',
      digest: lockDigest(
        [
          { name: 'lib', version: '>=0.1.0', repository: 'file://../lib' },
          { name: 'sub', version: '^0.1.0', repository: server.url },
        ],
        lock.dependencies,
      ),
      dependencies: [
        { name: 'lib', repository: 'file://../lib', version: '0.3.0' },
        { name: 'sub', repository: server.url, version: '0.1.5' },
      ],
    });
    const digests = chartsDigests(app);
    expect(Object.keys(digests)).toEqual(['lib-0.3.0.tgz', 'sub-0.1.5.tgz']);
    expect(
      readFileSync(path.join(app, 'charts', 'sub-0.1.5.tgz')).equals(
        readFileSync(path.join(dir, 'sub-0.1.5.tgz')),
      ),
    ).toBe(true);
  });

  it('replaces an outdated archive and leaves Chart.lock alone when nothing changed', async () => {
    const { home, app, dir, server } = await setup();
    await dependencyUpdate({ home, chart: app, cwd: '/', now: NOW });
    const before = readFileSync(path.join(app, 'Chart.lock'), 'utf8');
    const again = await dependencyUpdate({ home, chart: app, cwd: '/', now: new Date() });
    expect(again.lockWritten).toBe(false);
    expect(readFileSync(path.join(app, 'Chart.lock'), 'utf8')).toBe(before);
    // A newer version in range appears: the next update moves to it and removes the old archive.
    await packageInto(dir, 'sub', '0.1.9');
    const moved = await dependencyUpdate({ home, chart: app, cwd: '/', now: NOW });
    expect(moved.removed).toEqual(['sub-0.1.5.tgz']);
    expect(Object.keys(chartsDigests(app))).toEqual(['lib-0.3.0.tgz', 'sub-0.1.9.tgz']);
    expect(parseLock(readFileSync(path.join(app, 'Chart.lock'), 'utf8'), 'x').dependencies[1]).toEqual({
      name: 'sub',
      repository: server.url,
      version: '0.1.9',
    });
  });

  it('with --skip-refresh uses the cached index as it is', async () => {
    const { home, app, dir } = await setup();
    await packageInto(dir, 'sub', '0.1.9');
    const result = await dependencyUpdate({ home, chart: app, cwd: '/', skipRefresh: true });
    expect(result.refreshed).toEqual([]);
    expect(result.saved[1]!.version).toBe('0.1.5');
  });

  it('works with a repository URL that is not configured', async () => {
    const { home, app, server } = await setup((url) => `${url}/`);
    const fresh = tempDir('bosun-home-');
    const result = await dependencyUpdate({ home: fresh, chart: app, cwd: '/' });
    expect(result.unmanaged).toEqual([{ url: `${server.url}/` }]);
    expect(result.refreshed).toEqual([]);
    expect(Object.keys(chartsDigests(app))).toEqual(['lib-0.3.0.tgz', 'sub-0.1.5.tgz']);
    // The same chart with the repository configured under that URL: its cache is used instead.
    const viaConfig = await dependencyUpdate({ home, chart: app, cwd: '/' });
    expect(viaConfig.unmanaged).toEqual([]);
    expect(viaConfig.refreshed.map((r) => r.name)).toEqual(['local']);
  });

  it('changes nothing in charts/ when one dependency fails', async () => {
    const { home, app } = await setup(() => '@local', '>=7.0.0');
    mkdirSync(path.join(app, 'charts'));
    await packageInto(path.join(app, 'charts'), 'sub', '0.1.0');
    const before = snapshotTree(app);
    await expect(dependencyUpdate({ home, chart: app, cwd: '/' })).rejects.toThrow(
      "can't get a valid version",
    );
    expect(snapshotTree(app)).toEqual(before);
  });

  it('does nothing for a chart without dependencies', async () => {
    const chart = writeChart(tempDir(), { name: 'plain' });
    const result = await dependencyUpdate({ home: tempDir(), chart, cwd: '/' });
    expect(result.none).toBe(true);
    expect(snapshotTree(chart).some((f) => f.startsWith('Chart.lock'))).toBe(false);
  });

  it("refuses a missing path and an archive in Helm's words", async () => {
    const root = tempDir();
    await expect(dependencyUpdate({ home: root, chart: 'nonexist', cwd: root })).rejects.toThrow(
      'could not find nonexist: no such file or directory',
    );
    const file = await packageInto(root, 'sub', '0.1.0');
    await expect(dependencyUpdate({ home: root, chart: file, cwd: root })).rejects.toThrow(
      'only unpacked charts can be updated',
    );
  });
});

describe('dependency build', () => {
  it('reproduces charts/ from Chart.lock in a fresh copy', async () => {
    const { home, app, root, dir } = await setup();
    await dependencyUpdate({ home, chart: app, cwd: '/' });
    const expected = chartsDigests(app);
    const lockText = readFileSync(path.join(app, 'Chart.lock'), 'utf8');
    // A newer version in range must not be picked by build.
    await packageInto(dir, 'sub', '0.1.9');
    const copy = path.join(tempDir(), 'copy');
    mkdirSync(copy);
    cpSync(path.join(root, 'lib'), path.join(copy, 'lib'), { recursive: true });
    cpSync(app, path.join(copy, 'app'), { recursive: true });
    rmSync(path.join(copy, 'app', 'charts'), { recursive: true });
    const result = await dependencyBuild({ home, chart: 'app', cwd: copy });
    expect(result.updatedInstead).toBeUndefined();
    expect(result.lockWritten).toBe(false);
    expect(chartsDigests(path.join(copy, 'app'))).toEqual(expected);
    expect(readFileSync(path.join(copy, 'app', 'Chart.lock'), 'utf8')).toBe(lockText);
  });

  it('runs an update when there is no Chart.lock', async () => {
    const { home, app } = await setup();
    const result = await dependencyBuild({ home, chart: app, cwd: '/' });
    expect(result.updatedInstead).toBe(true);
    expect(Object.keys(chartsDigests(app))).toEqual(['lib-0.3.0.tgz', 'sub-0.1.5.tgz']);
  });

  it("refuses a lock out of sync with Chart.yaml in Helm's words", async () => {
    const { home, app } = await setup();
    await dependencyUpdate({ home, chart: app, cwd: '/' });
    const chartYaml = path.join(app, 'Chart.yaml');
    writeFileSync(chartYaml, readFileSync(chartYaml, 'utf8').replace('^0.1.0', '^0.2.0'));
    await expect(dependencyBuild({ home, chart: app, cwd: '/' })).rejects.toThrow(
      'the lock file (Chart.lock) is out of sync with the dependencies file (Chart.yaml). Please update the dependencies',
    );
  });

  it('fails when a locked version is gone from the repository, changing nothing', async () => {
    const { home, app, dir } = await setup();
    await dependencyUpdate({ home, chart: app, cwd: '/' });
    rmSync(path.join(dir, 'sub-0.1.5.tgz'));
    rmSync(path.join(home, 'cache', 'content'), { recursive: true });
    rmSync(path.join(app, 'charts', 'lib-0.3.0.tgz'));
    const before = snapshotTree(app);
    await expect(dependencyBuild({ home, chart: app, cwd: '/' })).rejects.toThrow(
      'chart sub version 0.1.5 not found',
    );
    expect(snapshotTree(app)).toEqual(before);
  });
});

describe('dependency list', () => {
  it("gives each dependency Helm's status", async () => {
    const root = tempDir();
    const app = writeChart(root, {
      name: 'app',
      files: {
        'Chart.yaml': [
          'apiVersion: v2',
          'name: app',
          'version: 1.0.0',
          'dependencies:',
          ...[
            ['okdep', '^1.0.0'],
            ['missingdep', '1.0.0'],
            ['wrongdep', '^2.0.0'],
            ['unpackeddep', '~1.0'],
            ['misnameddep', '1.0.0'],
            ['corruptdep', '1.0.0'],
            ['invaliddep', 'abc'],
            ['manydep', '*'],
            ['bad[dep', '1.0.0'],
            ['olddir', '^3'],
          ].flatMap(([n, v]) => [`- name: "${n}"`, `  version: "${v}"`, '  repository: "@local"']),
          '',
        ].join('\n'),
      },
    });
    const charts = path.join(app, 'charts');
    await packageInto(charts, 'okdep', '1.2.0');
    await packageInto(charts, 'wrongdep', '1.0.0');
    writeChart(charts, {
      name: 'unpackeddep',
      files: { 'Chart.yaml': 'apiVersion: v2\nname: unpackeddep\nversion: 1.0.3\n' },
    });
    await writeArchiveChart(path.join(charts, 'misnameddep-1.0.0.tgz'), 'x', chartFiles('x', '1.0.0'));
    writeFileSync(path.join(charts, 'corruptdep-1.0.0.tgz'), 'garbage');
    await packageInto(charts, 'invaliddep', '1.0.0');
    await packageInto(charts, 'manydep', '1.0.0');
    await packageInto(charts, 'manydep', '1.1.0');
    writeChart(charts, {
      name: 'olddir',
      files: { 'Chart.yaml': 'apiVersion: v2\nname: olddir\nversion: 2.0.0\n' },
    });
    await packageInto(charts, 'stray', '0.0.1');
    writeFileSync(path.join(charts, 'README.md'), 'not a chart, not a .tgz');
    const result = await dependencyList({ chart: 'app', cwd: root });
    expect(result.rows.map((r) => [r.name, r.status])).toEqual([
      ['okdep', 'ok'],
      ['missingdep', 'missing'],
      ['wrongdep', 'wrong version'],
      ['unpackeddep', 'unpacked'],
      ['misnameddep', 'misnamed'],
      ['corruptdep', 'corrupt'],
      ['invaliddep', 'invalid version'],
      ['manydep', 'too many matches'],
      ['bad[dep', 'bad pattern'],
      ['olddir', 'wrong version'],
    ]);
    expect(result.rows[0]).toEqual({ name: 'okdep', version: '^1.0.0', repository: '@local', status: 'ok' });
    expect(result.warnings).toEqual([
      '"app/charts/corruptdep-1.0.0.tgz" is not a chart.',
      '"app/charts/misnameddep-1.0.0.tgz" is not in Chart.yaml.',
      '"app/charts/stray-0.0.1.tgz" is not in Chart.yaml.',
    ]);
  });

  it('reports no dependencies with the charts/ path', async () => {
    const root = tempDir();
    writeChart(root, { name: 'plain' });
    expect(await dependencyList({ chart: 'plain/', cwd: root })).toEqual({
      chartsDir: 'plain/charts',
      rows: [],
      warnings: [],
    });
  });

  it('lists the dependencies of a packaged chart from its own subcharts', async () => {
    const { home, app, root } = await setup();
    await dependencyUpdate({ home, chart: app, cwd: '/' });
    const { PackageAction } = await import('../../src/action/package.js');
    const packaged = await new PackageAction({ destination: root }).run(app);
    const result = await dependencyList({ chart: packaged.path, cwd: '/' });
    expect(result.rows.map((r) => [r.name, r.status])).toEqual([
      ['lib', 'unpacked'],
      ['sub', 'unpacked'],
    ]);
  });
});

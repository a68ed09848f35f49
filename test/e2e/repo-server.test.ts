/**
 * The repository-server acceptance scenario, end to end through the CLI with a temporary
 * `$BOSUN_HOME`: packaged charts served on 127.0.0.1 by `startRepoServer`, added as `local`,
 * searched, pulled, installed by reference, a new version uploaded with chartmuseum's API and
 * seen after `repo update`; then `dependency update` on a chart depending on `file://../other`
 * and on the served repository, and `dependency build` reproducing it in a fresh copy.
 */

import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM script without type declarations
import { realTools } from '../../scripts/real-tools.mjs';
import { PackageAction } from '../../src/action/package.js';
import { memoryIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { loadCachedIndex } from '../../src/repo/cache.js';
import { parseLock } from '../../src/repo/lock.js';
import { type RepoServer, startRepoServer } from '../../src/repo/server.js';
import { tempDir, writeChart } from '../helpers/chart-builder.js';
import { chartsDigests } from '../repo/served-repo.js';

const execFileAsync = promisify(execFile);
const DOCKERCOINS = path.resolve(import.meta.dirname, '../../charts/dockercoins');

describe('bosun with a served chart repository', () => {
  const home = tempDir('bosun-home-');
  const work = tempDir('bosun-work-');
  const served = tempDir('bosun-served-');
  let server: RepoServer;
  let coinsVersion: string;

  const bosun = async (...args: string[]) => {
    const io = memoryIO({ env: { BOSUN_HOME: home }, cwd: work });
    const code = await run(args, io);
    return { code, out: io.out(), err: io.err() };
  };
  const ok = async (...args: string[]) => {
    const r = await bosun(...args);
    expect({ args, code: r.code, err: r.err }).toEqual({ args, code: 0, err: '' });
    return r.out;
  };

  beforeAll(async () => {
    coinsVersion = (await new PackageAction({ destination: served }).run(DOCKERCOINS)).version;
    const other = writeChart(tempDir(), {
      name: 'rediscache',
      files: {
        'Chart.yaml': 'apiVersion: v2\nname: rediscache\nversion: 0.4.0\ndescription: a redis cache\n',
      },
    });
    await new PackageAction({ destination: served }).run(other);
    server = await startRepoServer(served, { address: '127.0.0.1', port: 0, upload: true });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('adds, updates and searches the served repository', async () => {
    expect(await ok('repo', 'add', 'local', server.url)).toBe(
      '"local" has been added to your repositories\n',
    );
    expect(await ok('repo', 'update')).toContain(
      '...Successfully got an update from the "local" chart repository',
    );
    const search = await ok('search', 'repo', 'local/');
    expect(search).toMatch(
      new RegExp(`^local/dockercoins\\s+${coinsVersion.replaceAll('.', '\\.')}\\s`, 'm'),
    );
    expect(search).toMatch(/^local\/rediscache\s+0\.4\.0\s/m);
    const index = await loadCachedIndex(home, 'local');
    expect(index.entries['dockercoins']![0]!.urls).toEqual([`${server.url}/dockercoins-${coinsVersion}.tgz`]);
  });

  it('pulls a chart by reference and unpacks it', async () => {
    await ok('pull', 'local/dockercoins', '--untar');
    const chartYaml = readFileSync(path.join(work, 'dockercoins', 'Chart.yaml'), 'utf8');
    expect(chartYaml).toContain('name: dockercoins');
    expect(existsSync(path.join(work, 'dockercoins', 'templates'))).toBe(true);
  });

  it('installs by reference', async () => {
    const out = await ok('install', 'coins', 'local/dockercoins');
    expect(out).toMatch(/^NAME: coins\n.*\nSTATUS: deployed\nREVISION: 1\n/s);
    const list = JSON.parse(await ok('list', '-o', 'json')) as { name: string; chart: string }[];
    expect(list.map((r) => [r.name, r.chart])).toEqual([['coins', `dockercoins-${coinsVersion}`]]);
  });

  it('sees an uploaded version after repo update', async () => {
    const next = tempDir();
    cpSync(DOCKERCOINS, path.join(next, 'dockercoins'), { recursive: true });
    const archive = await new PackageAction({ destination: next, version: '9.9.9' }).run(
      path.join(next, 'dockercoins'),
    );
    const res = await fetch(`${server.url}/api/charts`, { method: 'POST', body: readFileSync(archive.path) });
    expect([res.status, await res.json()]).toEqual([201, { saved: true }]);
    const again = await fetch(`${server.url}/api/charts`, {
      method: 'POST',
      body: readFileSync(archive.path),
    });
    expect([again.status, await again.json()]).toEqual([409, { error: 'file already exists' }]);
    expect(await ok('search', 'repo', 'local/dockercoins')).not.toContain('9.9.9');
    await ok('repo', 'update');
    const versions = await ok('search', 'repo', 'local/dockercoins', '--versions');
    expect(versions).toMatch(/^local\/dockercoins\s+9\.9\.9\s/m);
    expect(versions).toMatch(
      new RegExp(`^local/dockercoins\\s+${coinsVersion.replaceAll('.', '\\.')}\\s`, 'm'),
    );
  });

  it('vendors file:// and served dependencies, then rebuilds them from Chart.lock', async () => {
    const ws = path.join(work, 'ws');
    mkdirSync(ws);
    writeChart(ws, {
      name: 'other',
      files: { 'Chart.yaml': 'apiVersion: v2\nname: other\nversion: 1.2.3\n' },
    });
    writeChart(ws, {
      name: 'app',
      files: {
        'Chart.yaml': [
          'apiVersion: v2',
          'name: app',
          'version: 0.1.0',
          'dependencies:',
          '- name: other',
          '  version: ^1.0.0',
          '  repository: file://../other',
          '- name: rediscache',
          '  version: ">=0.1.0 <1.0.0"',
          '  repository: "@local"',
          '',
        ].join('\n'),
      },
    });
    const out = await ok('dependency', 'update', 'ws/app');
    expect(out).toContain(`Downloading rediscache from repo ${server.url}\n`);
    const app = path.join(ws, 'app');
    const lock = parseLock(readFileSync(path.join(app, 'Chart.lock'), 'utf8'), 'Chart.lock');
    expect(lock.dependencies).toEqual([
      { name: 'other', repository: 'file://../other', version: '1.2.3' },
      { name: 'rediscache', repository: server.url, version: '0.4.0' },
    ]);
    expect(lock.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const vendored = chartsDigests(app);
    expect(Object.keys(vendored)).toEqual(['other-1.2.3.tgz', 'rediscache-0.4.0.tgz']);
    expect(
      readFileSync(path.join(app, 'charts', 'rediscache-0.4.0.tgz')).equals(
        readFileSync(path.join(served, 'rediscache-0.4.0.tgz')),
      ),
    ).toBe(true);
    expect((await ok('dependency', 'list', 'ws/app')).split('\n').slice(1, 3)).toEqual([
      'other     \t^1.0.0        \tfile://../other\tok    ',
      'rediscache\t>=0.1.0 <1.0.0\t@local         \tok    ',
    ]);
    // The chart renders with its vendored subcharts.
    expect((await bosun('template', 'x', 'ws/app')).code).toBe(0);

    const copy = path.join(work, 'copy');
    mkdirSync(copy);
    cpSync(path.join(ws, 'other'), path.join(copy, 'other'), { recursive: true });
    cpSync(app, path.join(copy, 'app'), { recursive: true });
    rmSync(path.join(copy, 'app', 'charts'), { recursive: true });
    await ok('dependency', 'build', 'copy/app');
    expect(chartsDigests(path.join(copy, 'app'))).toEqual(vendored);
    expect(readFileSync(path.join(copy, 'app', 'Chart.lock'), 'utf8')).toBe(
      readFileSync(path.join(app, 'Chart.lock'), 'utf8'),
    );
    expect(readdirSync(path.join(copy, 'app', 'charts')).some((f) => f.startsWith('.'))).toBe(false);
  });
});

describe('interplay with the real helm', () => {
  const tools = realTools() as { helm: string } | undefined;
  const helmHome = tempDir('bosun-helm-home-');
  const helm = (args: string[], cwd: string) =>
    execFileAsync(tools!.helm, args, {
      cwd,
      encoding: 'utf8',
      env: {
        ...process.env,
        HELM_CACHE_HOME: helmHome,
        HELM_CONFIG_HOME: helmHome,
        HELM_DATA_HOME: helmHome,
      },
    });

  it.skipIf(!tools)(
    'helm uses bosun’s server and accepts bosun’s Chart.lock, and the other way round',
    async () => {
      const served = tempDir('bosun-served-');
      const sub = writeChart(tempDir(), {
        name: 'sub',
        files: { 'Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 0.1.2\n' },
      });
      await new PackageAction({ destination: served }).run(sub);
      const server = await startRepoServer(served, { port: 0 });
      try {
        const home = tempDir('bosun-home-');
        const ws = tempDir('bosun-ws-');
        const bosun = async (...args: string[]) => {
          const io = memoryIO({ env: { BOSUN_HOME: home }, cwd: ws });
          const code = await run(args, io);
          expect({ args, code, err: io.err() }).toEqual({ args, code: 0, err: '' });
        };
        writeChart(ws, {
          name: 'lib',
          files: { 'Chart.yaml': 'apiVersion: v2\nname: lib\nversion: 0.3.0\n' },
        });
        const chartYaml = [
          'apiVersion: v2',
          'name: app',
          'version: 0.1.0',
          'dependencies:',
          '- name: lib',
          '  version: ">=0.1.0 <1"',
          '  repository: file://../lib',
          '- name: sub',
          '  version: ~0.1.0',
          '  repository: "@local"',
          '  alias: subby',
          '  condition: subby.enabled',
          '  tags: [backend]',
          '  import-values: [data]',
          '',
        ].join('\n');
        writeChart(ws, { name: 'app', files: { 'Chart.yaml': chartYaml } });
        writeChart(ws, {
          name: 'happ',
          files: { 'Chart.yaml': chartYaml.replace('name: app', 'name: happ') },
        });
        await bosun('repo', 'add', 'local', server.url);
        await helm(['repo', 'add', 'local', server.url], ws);
        await bosun('dependency', 'update', 'app');
        await helm(['dependency', 'update', 'happ'], ws);
        const ours = parseLock(readFileSync(path.join(ws, 'app', 'Chart.lock'), 'utf8'), 'app');
        const theirs = parseLock(readFileSync(path.join(ws, 'happ', 'Chart.lock'), 'utf8'), 'happ');
        expect(ours.digest).toBe(theirs.digest);
        expect(ours.dependencies).toEqual(theirs.dependencies);
        expect(chartsDigests(path.join(ws, 'app'))['sub-0.1.2.tgz']).toBe(
          chartsDigests(path.join(ws, 'happ'))['sub-0.1.2.tgz'],
        );
        // Each builds from the other's lock.
        rmSync(path.join(ws, 'app', 'charts'), { recursive: true });
        await helm(['dependency', 'build', 'app'], ws);
        rmSync(path.join(ws, 'happ', 'charts'), { recursive: true });
        await bosun('dependency', 'build', 'happ');
        expect(Object.keys(chartsDigests(path.join(ws, 'happ')))).toEqual(['lib-0.3.0.tgz', 'sub-0.1.2.tgz']);
      } finally {
        await server.close();
      }
    },
  );
});

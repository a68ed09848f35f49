import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import type { RepoServer } from '../../src/repo/server.js';
import { snapshotTree, tempDir, writeChart } from '../helpers/chart-builder.js';
import { appWithDeps, chartsDigests, homeWithRepo, servedRepo } from '../repo/served-repo.js';

const servers: RepoServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function bosun(home: string, cwd: string, args: string[]) {
  const io = memoryIO({ env: { BOSUN_HOME: home }, cwd });
  const code = await run(args, io);
  return { code, out: io.out(), err: io.err() };
}

async function setup(repository = '@local') {
  const repo = await servedRepo();
  servers.push(repo.server);
  const home = await homeWithRepo('local', repo.server.url);
  const { root, app } = appWithDeps(repository);
  return { ...repo, home, root, app };
}

describe('bosun dependency', () => {
  it('update prints what helm prints and writes Chart.lock', async () => {
    const { home, root, server } = await setup();
    const res = await bosun(home, root, ['dependency', 'update', 'app']);
    expect(res.err).toBe('');
    expect(res.code).toBe(0);
    expect(res.out).toBe(
      [
        'Hang tight while we grab the latest from your chart repositories...',
        '...Successfully got an update from the "local" chart repository',
        'Update Complete. ⎈Happy Helming!⎈',
        'Saving 2 charts',
        `Downloading sub from repo ${server.url}`,
        'Deleting outdated charts',
        '',
      ].join('\n'),
    );
    expect(readFileSync(path.join(root, 'app', 'Chart.lock'), 'utf8')).toMatch(
      new RegExp(
        `^dependencies:\\n- name: lib\\n  repository: file://../lib\\n  version: 0.3.0\\n- name: sub\\n  repository: ${server.url}\\n  version: 0.1.5\\ndigest: sha256:[0-9a-f]{64}\\ngenerated: "[^"]+"\\n$`,
      ),
    );
  });

  it('has the aliases dep, dependencies, up and ls', async () => {
    const { home, root } = await setup();
    expect((await bosun(home, root, ['dep', 'up', 'app', '--skip-refresh'])).code).toBe(0);
    const list = await bosun(home, root, ['dependencies', 'ls', 'app']);
    expect(list.code).toBe(0);
    expect(list.out).toBe(
      [
        'NAME\tVERSION\tREPOSITORY   \tSTATUS',
        'lib \t>=0.1.0\tfile://../lib\tok    ',
        'sub \t^0.1.0 \t@local       \tok    ',
        '',
        '',
      ].join('\n'),
    );
  });

  it('list says when there are no dependencies, and cuts wide columns', async () => {
    const root = tempDir();
    writeChart(root, { name: 'plain' });
    const none = await bosun(root, root, ['dependency', 'list', 'plain']);
    expect([none.code, none.out]).toEqual([0, 'WARNING: no dependencies at plain/charts\n']);
    const { home, root: r2 } = await setup('@local');
    const narrow = await bosun(home, r2, ['dependency', 'list', 'app', '--max-col-width', '6']);
    expect(narrow.out.split('\n')[1]).toBe('lib \t>=0...\tfil...\tmis...');
    const bad = await bosun(home, r2, ['dependency', 'list', 'app', '--max-col-width', 'x']);
    expect(bad.code).toBe(1);
  });

  it('build reproduces charts/ and refuses a lock out of sync', async () => {
    const { home, root, app } = await setup();
    expect((await bosun(home, root, ['dependency', 'update', 'app'])).code).toBe(0);
    const digests = chartsDigests(app);
    const build = await bosun(home, root, ['dependency', 'build', 'app', '--skip-refresh']);
    expect(build.code).toBe(0);
    expect(build.out).toContain('Saving 2 charts\n');
    expect(chartsDigests(app)).toEqual(digests);
    const chartYaml = path.join(app, 'Chart.yaml');
    writeFileSync(chartYaml, readFileSync(chartYaml, 'utf8').replace('^0.1.0', '^0.2.0'));
    const before = snapshotTree(app);
    const stale = await bosun(home, root, ['dependency', 'build', 'app']);
    expect(stale.code).toBe(1);
    expect(stale.err).toBe(
      'Error: the lock file (Chart.lock) is out of sync with the dependencies file (Chart.yaml). Please update the dependencies\n',
    );
    expect(snapshotTree(app)).toEqual(before);
  });

  it("names a repository that is not configured in Helm's words", async () => {
    const { home, root, app } = await setup('@nope');
    const before = snapshotTree(app);
    const res = await bosun(home, root, ['dependency', 'update', 'app']);
    expect(res.code).toBe(1);
    expect(res.err).toBe("Error: no repository definition for @nope. Please add them via 'bosun repo add'\n");
    expect(snapshotTree(app)).toEqual(before);
  });

  it('refuses a bad --timeout', async () => {
    const { home, root } = await setup();
    const res = await bosun(home, root, ['dependency', 'update', 'app', '--timeout', 'soon']);
    expect(res.code).toBe(1);
    expect(res.err).toContain('invalid duration "soon"');
  });
});

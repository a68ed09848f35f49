/**
 * The chart-repository acceptance flows that use references, end to end through the CLI in a
 * temporary `$BOSUN_HOME`: offline with the bundled `stable` repository (search, install, template,
 * show, pull), then against a repository served on 127.0.0.1 (repo add, search, pull with a
 * constraint, install and upgrade by reference, a digest mismatch refused with nothing cached).
 */

import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cliSession } from '../helpers/cli-session.js';
import { type Loopback, listTree, loopback, routes } from '../repo/loopback.js';
import { indexText, packageChart } from '../repo/reference-fixtures.js';

const CHART = path.resolve(import.meta.dirname, '../../charts/dockercoins');

// biome-ignore lint/suspicious/noExplicitAny: the tests read JSON output freely
type J = any;

const session = (home?: string) => cliSession(home);

const servers: Loopback[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

describe('offline, with the bundled stable repository', () => {
  it('search repo dockercoins and search dockercoins list stable/dockercoins', async () => {
    const s = session();
    const repo = await s.bosun('search', 'repo', 'dockercoins');
    expect(repo).toMatchObject({ code: 0, err: '' });
    expect(repo.out).toMatch(/^NAME\s+\tCHART VERSION\tAPP VERSION\tDESCRIPTION\s*\nstable\/dockercoins\t/);
    expect(await s.bosun('search', 'dockercoins')).toEqual(repo);
    const all = await s.bosun('search');
    expect(all.out).toContain('stable/dockercoins\t');
  });

  it('install coins stable/dockercoins: every pod runs', async () => {
    const s = session();
    const r = await s.bosun('install', 'coins', 'stable/dockercoins');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /^NAME: coins\nLAST DEPLOYED: .+\nNAMESPACE: default\nSTATUS: deployed\nREVISION: 1\n/,
    );
    const pods = await s.json('pods');
    expect(pods.items.length).toBeGreaterThanOrEqual(6);
    for (const p of pods.items) expect(p.status.phase, p.metadata.name).toBe('Running');
    const history = JSON.parse((await s.bosun('history', 'coins', '-o', 'json')).out);
    expect(history[0].chart).toMatch(/^dockercoins-\d+\.\d+\.\d+$/);
  });

  it('template and show read stable/dockercoins as the chart in charts/', async () => {
    const s = session();
    const fromRepo = await s.bosun('template', 'x', 'stable/dockercoins');
    expect(fromRepo).toMatchObject({ code: 0, err: '' });
    expect(fromRepo.out).toContain('# Source: dockercoins/templates/');
    expect(fromRepo.out).toBe((await s.bosun('template', 'x', CHART)).out);
    const show = await s.bosun('show', 'chart', 'stable/dockercoins');
    expect(show).toMatchObject({ code: 0, err: '' });
    expect(show.out).toMatch(/^name: dockercoins$/m);
    expect(show.out).toBe((await s.bosun('show', 'chart', CHART)).out);
    expect((await s.bosun('show', 'values', 'stable/dockercoins', '--version', '>=0.0.1')).code).toBe(0);
  });

  it('pull stable/dockercoins --untar -d DIR unpacks the chart', async () => {
    const s = session();
    const r = await s.bosun('pull', 'stable/dockercoins', '--untar', '-d', 'vendor');
    expect(r).toEqual({ code: 0, out: '', err: '' });
    const files = await listTree(path.join(s.cwd, 'vendor'));
    expect(files).toContain('dockercoins/Chart.yaml');
    expect(files).toContain('dockercoins/values.yaml');
    expect(files.some((f) => f.startsWith('dockercoins/templates/'))).toBe(true);
  });
});

describe('a repository served on 127.0.0.1', () => {
  /** Serves `web` 1.0.0, 1.3.0, 2.0.0 and `evil` 1.0.0, whose archive is not the one indexed. */
  async function serve(): Promise<Loopback> {
    const web = await Promise.all(
      ['1.0.0', '1.3.0', '2.0.0'].map((version) =>
        packageChart({ name: 'web', version, description: 'a small web chart', keywords: ['http'] }),
      ),
    );
    const evil = await packageChart({ name: 'evil', version: '1.0.0', description: 'tampered' });
    const swapped = await packageChart({ name: 'evil', version: '6.6.6' });
    const table: Record<string, string | Buffer> = { '/index.yaml': indexText([...web, evil]) };
    for (const c of web) table[`/${c.file}`] = c.data;
    table[`/${evil.file}`] = swapped.data;
    const server = await loopback(routes(table));
    servers.push(server);
    return server;
  }

  it('repo add, search, pull with a constraint, install and upgrade by reference', async () => {
    const server = await serve();
    const s = session();
    expect(await s.bosun('repo', 'add', 'local', server.url)).toMatchObject({
      code: 0,
      out: '"local" has been added to your repositories\n',
    });

    const search = await s.bosun('search', 'repo', 'local/');
    expect(
      search.out
        .split('\n')
        .slice(1, -1)
        .map((l) => l.split('\t').map((c) => c.trim())),
    ).toEqual([
      ['local/evil', '1.0.0', '', 'tampered'],
      ['local/web', '2.0.0', '', 'a small web chart'],
    ]);
    const versions = await s.bosun('search', 'repo', 'local/web', '--versions', '-o', 'json');
    expect(JSON.parse(versions.out).map((r: J) => r.version)).toEqual(['2.0.0', '1.3.0', '1.0.0']);

    const pull = await s.bosun('pull', 'local/web', '--version', '^1.0');
    expect(pull.code).toBe(0);
    expect(pull.err).toMatch(/falling back to closest available version/);
    expect(readdirSync(s.cwd)).toEqual(['web-1.3.0.tgz']);
    const untar = await s.bosun('pull', 'local/web', '--untar', '-d', 'src');
    expect(untar.code).toBe(0);
    expect(existsSync(path.join(s.cwd, 'src/web/templates/cm.yaml'))).toBe(true);

    const install = await s.bosun('install', 'site', 'local/web', '--version', '~1.0.0');
    expect(install.err).toMatch(/^warning: unable to find exact version requested; falling back/);
    expect(install.code).toBe(0);
    const cm = await s.json('configmap', 'site-cm');
    expect(cm.data.greeting).toBe('hello from web 1.0.0');
    const upgrade = await s.bosun('upgrade', 'site', 'local/web');
    expect(upgrade.code).toBe(0);
    expect(upgrade.out).toContain('Release "site" has been upgraded. Happy Helming!');
    expect((await s.json('configmap', 'site-cm')).data.greeting).toBe('hello from web 2.0.0');

    const template = await s.bosun('template', 'x', 'web', '--repo', server.url, '--version', '1.3.0');
    expect(template.out).toContain('greeting: "hello from web 1.3.0"');
  });

  it('refuses an archive whose digest does not match the index, with nothing cached or installed', async () => {
    const server = await serve();
    const s = session();
    expect((await s.bosun('repo', 'add', 'local', server.url)).code).toBe(0);
    const content = path.join(s.home, 'cache', 'content');
    const before = await listTree(content);

    const install = await s.bosun('install', 'bad', 'local/evil');
    expect(install.code).toBe(1);
    expect(install.err).toMatch(
      /^Error: INSTALLATION FAILED: digest mismatch for evil-1\.0\.0\.tgz: expected sha256:[0-9a-f]{64}, got sha256:[0-9a-f]{64} /,
    );
    expect(install.err.trimEnd().split('\n')).toHaveLength(1);
    expect((await s.bosun('history', 'bad')).err).toContain('release: not found');

    const pull = await s.bosun('pull', 'local/evil', '--untar');
    expect(pull.code).toBe(1);
    expect(pull.err).toMatch(/^Error: digest mismatch for evil-1\.0\.0\.tgz/);
    expect(readdirSync(s.cwd)).toEqual([]);
    expect(await listTree(content)).toEqual(before);
  });
});

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { loadCachedIndex, repoChartsPath } from '../../src/repo/cache.js';
import { bundledRepoDir, bundledRepoUrl, loadRepoConfig } from '../../src/repo/config.js';
import { tempDir } from '../helpers/chart-builder.js';
import {
  drip,
  endlessBody,
  indexYaml,
  type loopback,
  redirectTo,
  routes,
  servedPerTest,
  treeHash,
} from '../repo/loopback.js';

const serve = servedPerTest();

async function bosun(home: string, args: string[], stdin?: string) {
  const io = memoryIO({ env: { BOSUN_HOME: home }, cwd: home, ...(stdin !== undefined ? { stdin } : {}) });
  const code = await run(args, io);
  return { code, out: io.out(), err: io.err() };
}

/** Pads like gosuri/uitable: each cell to its column's width, tab-separated. */
function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('\t')).join('\n') + '\n';
}

describe('bosun repo', () => {
  it("add, list, update and remove, with Helm's messages", async () => {
    const home = tempDir('bosun-cli-repo-');
    const s = await serve(routes({ '/index.yaml': indexYaml() }));

    expect(await bosun(home, ['repo', 'add', 'local', s.url])).toEqual({
      code: 0,
      out: '"local" has been added to your repositories\n',
      err: '',
    });
    expect(await bosun(home, ['repo', 'add', 'local', s.url])).toEqual({
      code: 0,
      out: '"local" already exists with the same configuration, skipping\n',
      err: '',
    });

    const list = await bosun(home, ['repo', 'list']);
    expect(list.out).toBe(
      table([
        ['NAME', 'URL'],
        ['stable', bundledRepoUrl()],
        ['local', s.url],
      ]),
    );
    expect((await bosun(home, ['repo', 'ls', '--no-headers'])).out).toBe(
      table([
        ['stable', bundledRepoUrl()],
        ['local', s.url],
      ]),
    );
    expect((await bosun(home, ['repo', 'list', '-o', 'json'])).out).toBe(
      `[{"name":"stable","url":"${bundledRepoUrl()}"},{"name":"local","url":"${s.url}"}]\n`,
    );
    expect((await bosun(home, ['repo', 'list', '-o', 'yaml'])).out).toBe(
      `- name: stable\n  url: ${bundledRepoUrl()}\n- name: local\n  url: ${s.url}\n`,
    );

    expect(await bosun(home, ['repo', 'update', 'local'])).toEqual({
      code: 0,
      out:
        'Hang tight while we grab the latest from your chart repositories...\n' +
        '...Successfully got an update from the "local" chart repository\n' +
        'Update Complete. ⎈Happy Helming!⎈\n',
      err: '',
    });

    expect(await bosun(home, ['repo', 'remove', 'local'])).toEqual({
      code: 0,
      out: '"local" has been removed from your repositories\n',
      err: '',
    });
    expect((await bosun(home, ['repo', 'rm', 'stable'])).out).toBe(
      '"stable" has been removed from your repositories\n',
    );
    expect(await bosun(home, ['repo', 'list'])).toEqual({
      code: 0,
      out: '',
      err: 'no repositories to show\n',
    });
    expect((await bosun(home, ['repo', 'list', '-o', 'json'])).out).toBe('[]\n');
    expect(await bosun(home, ['repo', 'update'])).toMatchObject({
      code: 1,
      err: 'Error: no repositories found. You must add one before updating\n',
    });
  });

  it('reports per repository when an update fails', async () => {
    const home = tempDir('bosun-cli-repo-');
    let healthy = true;
    const s = await serve((_req, res) => {
      if (healthy) res.end(indexYaml());
      else {
        res.writeHead(500);
        res.end();
      }
    });
    const ok = await serve(routes({ '/index.yaml': indexYaml() }));
    await bosun(home, ['repo', 'add', 'flaky', s.url]);
    await bosun(home, ['repo', 'add', 'ok', ok.url]);
    healthy = false;
    const before = treeHash(home);
    const r = await bosun(home, ['repo', 'update', 'flaky', 'ok']);
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      'Hang tight while we grab the latest from your chart repositories...\n' +
        `...Unable to get an update from the "flaky" chart repository (${s.url}):\n` +
        `\tfailed to fetch ${s.url}/index.yaml : 500 Internal Server Error\n` +
        '...Successfully got an update from the "ok" chart repository\n',
    );
    expect(r.err).toBe(`Error: failed to update the following repositories: [${s.url}]\n`);
    // The failed repository's cached index is the one from before.
    expect(treeHash(home)).toBe(before);
  });

  it.skipIf(!existsSync(path.join(bundledRepoDir(), 'index.yaml')))(
    'updates the preconfigured stable repository offline',
    async () => {
      const home = tempDir('bosun-cli-repo-');
      expect(await bosun(home, ['repo', 'update'])).toEqual({
        code: 0,
        out:
          'Hang tight while we grab the latest from your chart repositories...\n' +
          '...Successfully got an update from the "stable" chart repository\n' +
          'Update Complete. ⎈Happy Helming!⎈\n',
        err: '',
      });
      expect(readFileSync(repoChartsPath(home, 'stable'), 'utf8')).toContain('dockercoins\n');
    },
  );

  it('reads the password from stdin', async () => {
    const home = tempDir('bosun-cli-repo-');
    const s = await serve(routes({ '/index.yaml': indexYaml() }));
    const r = await bosun(
      home,
      ['repo', 'add', 'p', s.url, '--username', 'me', '--password-stdin'],
      'pa55\n',
    );
    expect(r.code).toBe(0);
    expect(s.requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from('me:pa55').toString('base64')}`);
    expect((await loadRepoConfig(home)).repositories[1]).toMatchObject({ username: 'me', password: 'pa55' });
  });

  it('refuses a --timeout that is not a duration', async () => {
    const home = tempDir('bosun-cli-repo-');
    expect(await bosun(home, ['repo', 'add', 'x', 'http://127.0.0.1:1', '--timeout', 'soon'])).toMatchObject({
      code: 1,
      err: 'Error: invalid argument "soon" for "--timeout" flag: time: invalid duration "soon"\n',
    });
  });

  it("refuses to remove an unknown repository in Helm's words", async () => {
    const home = tempDir('bosun-cli-repo-');
    expect(await bosun(home, ['repo', 'remove', 'nope'])).toEqual({
      code: 1,
      out: '',
      err: 'Error: no repo named "nope" found\n',
    });
  });

  it('skips index entries with invalid versions, with a warning, and keeps the rest', async () => {
    const home = tempDir('bosun-cli-repo-');
    const s = await serve(routes({ '/index.yaml': indexYaml({ bad: true }) }));
    const r = await bosun(home, ['repo', 'add', 'mixed', s.url]);
    expect(r.code).toBe(0);
    expect(r.out).toBe('"mixed" has been added to your repositories\n');
    expect(r.err).toMatch(/warn.*not-a-version/i);
    const index = await loadCachedIndex(home, 'mixed');
    expect(index.entries['broken'] ?? []).toEqual([]);
    expect(index.entries['demo']!.map((v) => v.version)).toEqual(['0.1.0']);
  });
});

describe('bosun repo add: bad input leaves BOSUN_HOME unchanged', () => {
  const cases: Array<[string, Parameters<typeof loopback>[0] | string, RegExp, string[]?]> = [
    [
      'a server answering garbage',
      routes({ '/index.yaml': '<!doctype html><p>hello</p>' }),
      /not a valid chart repository/,
    ],
    ['a 200 MB body', endlessBody(200 * 1024 * 1024), /larger than the maximum size of 52428800 bytes/],
    ['one byte per second', drip, /deadline of 2s exceeded/, ['--timeout', '2s']],
    ['a redirect loop', redirectTo('/index.yaml'), /too many redirects/],
    ['a redirect to ftp:', redirectTo('ftp://127.0.0.1/index.yaml'), /refused redirect to "ftp:/],
    ['a redirect to file:', redirectTo('file:///etc/passwd'), /refused redirect to "file:/],
    [
      'a data: URL',
      'data:text/plain;base64,YXBpVmVyc2lvbjogdjEK',
      /^could not find protocol handler for: data$/,
    ],
    ['an ftp: URL', 'ftp://127.0.0.1/charts', /^could not find protocol handler for: ftp$/],
  ];

  it.each(cases)('%s', async (_what, handler, message, flags = []) => {
    const home = tempDir('bosun-cli-repo-');
    // A configured repository and its cache, which must survive.
    const good = await serve(routes({ '/index.yaml': indexYaml() }));
    expect((await bosun(home, ['repo', 'add', 'good', good.url])).code).toBe(0);
    const url = typeof handler === 'string' ? handler : (await serve(handler)).url;
    const before = treeHash(home);
    const start = Date.now();
    const r = await bosun(home, ['repo', 'add', 'bad', url, ...flags]);
    expect(Date.now() - start).toBeLessThan(8000);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err.split('\n')).toHaveLength(2); // One line and its newline.
    const line = r.err.replace(/^Error: /, '').trimEnd();
    expect(r.err.startsWith('Error: ')).toBe(true);
    expect(line).toMatch(message);
    if (typeof handler !== 'string') {
      expect(line).toMatch(
        new RegExp(`^looks like "${url}" is not a valid chart repository or cannot be reached: `),
      );
    }
    expect(treeHash(home)).toBe(before);
  });

  it('a duplicate repository name', async () => {
    const home = tempDir('bosun-cli-repo-');
    const a = await serve(routes({ '/index.yaml': indexYaml() }));
    const b = await serve(routes({ '/index.yaml': indexYaml() }));
    await bosun(home, ['repo', 'add', 'dup', a.url]);
    const before = treeHash(home);
    expect(await bosun(home, ['repo', 'add', 'dup', b.url])).toEqual({
      code: 1,
      out: '',
      err: 'Error: repository name (dup) already exists, please specify a different name\n',
    });
    expect(treeHash(home)).toBe(before);
    expect(b.requests).toHaveLength(0);
    expect((await bosun(home, ['repo', 'add', 'dup', b.url, '--force-update'])).code).toBe(0);
  });

  it('an invalid name', async () => {
    const home = tempDir('bosun-cli-repo-');
    expect(await bosun(home, ['repo', 'add', 'a/b', 'http://127.0.0.1:1'])).toEqual({
      code: 1,
      out: '',
      err: "Error: repository name (a/b) contains '/', please specify a different name without '/'\n",
    });
  });
});

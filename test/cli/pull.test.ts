/** `bosun pull` / `bosun fetch` through the CLI entry. */

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { tempDir } from '../helpers/chart-builder.js';
import { chartsServedPerTest } from '../repo/reference-fixtures.js';

const served = chartsServedPerTest();

async function bosun(home: string, cwd: string, ...args: string[]) {
  const io = memoryIO({ env: { BOSUN_HOME: home }, cwd });
  const code = await run(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('pull', () => {
  it('unpacks stable/dockercoins with --untar -d DIR, printing nothing', async () => {
    const home = tempDir('bosun-home-');
    const cwd = tempDir();
    const r = await bosun(home, cwd, 'pull', 'stable/dockercoins', '--untar', '-d', 'charts');
    expect(r).toEqual({ code: 0, out: '', err: '' });
    expect(readdirSync(path.join(cwd, 'charts'))).toEqual(['dockercoins']);
    expect(readFileSync(path.join(cwd, 'charts/dockercoins/Chart.yaml'), 'utf8')).toMatch(
      /^name: dockercoins$/m,
    );
  });

  it('refuses to unpack twice', async () => {
    const home = tempDir('bosun-home-');
    const cwd = tempDir();
    await bosun(home, cwd, 'pull', 'stable/dockercoins', '--untar');
    const r = await bosun(home, cwd, 'pull', 'stable/dockercoins', '--untar');
    expect(r).toEqual({
      code: 1,
      out: '',
      err: 'Error: failed to untar: a file or directory with the name dockercoins already exists\n',
    });
  });

  it('is also fetch, and takes several charts, --version and --devel', async () => {
    const s = await served([
      { name: 'web', version: '1.0.0' },
      { name: 'web', version: '1.1.0-rc.1' },
      { name: 'db', version: '3.0.0' },
    ]);
    const cwd = tempDir();
    expect((await bosun(s.home, cwd, 'fetch', 'local/web', 'local/db')).code).toBe(0);
    expect((await bosun(s.home, cwd, 'pull', 'local/web', '--devel')).code).toBe(0);
    expect(readdirSync(cwd).sort()).toEqual(['db-3.0.0.tgz', 'web-1.0.0.tgz', 'web-1.1.0-rc.1.tgz']);
    const exact = await bosun(s.home, tempDir(), 'pull', 'local/web', '--version', '1.1.0-rc.1');
    expect(exact.code).toBe(0);
  });

  it('pulls from --repo URL with credentials', async () => {
    const s = await served([{ name: 'web', version: '1.0.0' }]);
    const cwd = tempDir();
    const r = await bosun(
      tempDir(),
      cwd,
      'pull',
      'web',
      '--repo',
      s.server.url,
      '--username',
      'u',
      '--password',
      'p',
    );
    expect(r.code).toBe(0);
    expect(existsSync(path.join(cwd, 'web-1.0.0.tgz'))).toBe(true);
    const auth = `Basic ${Buffer.from('u:p').toString('base64')}`;
    expect(s.server.requests.filter((q) => q.headers.authorization === auth).map((q) => q.url)).toEqual([
      '/index.yaml',
      '/web-1.0.0.tgz',
    ]);
  });

  it.each([
    [[], /^Error: "bosun pull" requires at least 1 argument/],
    [['nope/x'], /^Error: repo nope not found$/],
    [
      ['stable/nope'],
      /^Error: chart "nope" not found in stable index\. \(try 'bosun repo update'\): no chart name found$/,
    ],
    [
      ['stable/dockercoins', '--version', '99.0.0'],
      /^Error: chart "dockercoins" matching 99\.0\.0 not found in stable index\. \(try 'bosun repo update'\)/,
    ],
    [
      ['dockercoins'],
      /^Error: non-absolute URLs should be in form of repo_name\/path_to_chart, got: dockercoins$/,
    ],
    [['ftp://example.com/x.tgz'], /^Error: could not find protocol handler for: ftp$/],
  ])('refuses %j in one line, writing nothing', async (args, message) => {
    const cwd = tempDir();
    const r = await bosun(tempDir('bosun-home-'), cwd, 'pull', ...args);
    expect(r.code).toBe(1);
    expect(r.err.trimEnd()).toMatch(message);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(readdirSync(cwd)).toEqual([]);
  });
});

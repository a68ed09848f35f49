import { createHash } from 'node:crypto';
import { chmodSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { bundledRepoDir } from '../../src/repo/config.js';
import { parseIndex } from '../../src/repo/index-file.js';
import { tempDir } from '../helpers/chart-builder.js';
import { packageInto } from '../repo/served-repo.js';

/** Starts `bosun repo serve …` and waits for its address; `stop()` plays Ctrl-C. */
async function serveCli(args: string[], cwd: string) {
  const io = memoryIO({ env: { BOSUN_HOME: tempDir() }, cwd });
  const done = run(['repo', 'serve', '--address', '127.0.0.1:0', ...args], io);
  let settled: number | undefined;
  void done.then((code) => {
    settled = code;
  });
  for (let i = 0; i < 200 && settled === undefined && !io.out().includes('Press Ctrl-C'); i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  const url = /at (http:\/\/127\.0\.0\.1:\d+)\n/.exec(io.out())?.[1];
  return {
    io,
    url,
    done,
    stop: async () => {
      io.interrupt();
      return done;
    },
  };
}

describe('bosun repo serve', () => {
  it('serves a directory until Ctrl-C', async () => {
    const dir = tempDir('bosun-serve-');
    await packageInto(dir, 'alpha', '0.1.0');
    const cli = await serveCli([dir], '/');
    expect(cli.url).toBeDefined();
    expect(cli.io.out()).toBe(
      [
        `Serving ${dir} at ${cli.url}`,
        `Index: ${cli.url}/index.yaml`,
        'Uploads: disabled (serving read-only)',
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
    const index = parseIndex(await (await fetch(`${cli.url}/index.yaml`)).text(), 'index.yaml');
    expect(index.entries['alpha']![0]!.urls).toEqual([`${cli.url}/alpha-0.1.0.tgz`]);
    expect(await cli.stop()).toBe(0);
    expect(cli.io.out()).toMatch(/Stopped\.\n$/);
    await expect(fetch(`${cli.url}/index.yaml`)).rejects.toThrow();
  });

  it('accepts uploads with --upload and logs them', async () => {
    const dir = tempDir('bosun-serve-');
    const cli = await serveCli(['--upload', '.'], dir);
    expect(cli.io.out()).toContain(`Uploads: POST ${cli.url}/api/charts`);
    const archive = readFileSync(await packageInto(tempDir(), 'beta', '2.0.0'));
    const res = await fetch(`${cli.url}/api/charts`, { method: 'POST', body: archive });
    expect([res.status, await res.json()]).toEqual([201, { saved: true }]);
    expect(readFileSync(path.join(dir, 'beta-2.0.0.tgz')).equals(archive)).toBe(true);
    expect(cli.io.out()).toContain('Stored beta-2.0.0.tgz\n');
    expect(await cli.stop()).toBe(0);
  });

  it('serves the bundled repository by default', async () => {
    const cli = await serveCli([], '/');
    expect(cli.io.out()).toContain(`Serving ${bundledRepoDir()} at ${cli.url}`);
    const index = parseIndex(await (await fetch(`${cli.url}/index.yaml`)).text(), 'index.yaml');
    const coins = index.entries['dockercoins']![0]!;
    const archive = await fetch(coins.urls[0]!);
    expect(archive.status).toBe(200);
    expect(
      createHash('sha256')
        .update(Buffer.from(await archive.arrayBuffer()))
        .digest('hex'),
    ).toBe(coins.digest);
    const upload = await fetch(`${cli.url}/api/charts`, { method: 'POST', body: 'x' });
    expect(upload.status).toBe(403);
    expect(await cli.stop()).toBe(0);
  });

  it('refuses --upload without a DIR (the bundled repository is read-only)', async () => {
    const cli = await serveCli(['--upload'], '/');
    expect(await cli.done).toBe(1);
    expect(cli.io.err()).toBe('Error: --upload needs a DIR: the bundled repository is served read-only\n');
  });

  it.each([
    [['--address', 'nowhere'], 'Error: invalid address "nowhere": expected HOST:PORT, e.g. 127.0.0.1:8879\n'],
    [['/no/such/dir'], 'Error: path "/no/such/dir" not found\n'],
  ])('refuses %j', async (args, message) => {
    const io = memoryIO({ env: { BOSUN_HOME: tempDir() }, cwd: '/' });
    expect(await run(['repo', 'serve', ...args], io)).toBe(1);
    expect(io.err()).toBe(message);
  });

  it('refuses uploads into a directory it cannot write', async () => {
    if (process.getuid?.() === 0) return; // root writes anywhere
    const dir = tempDir('bosun-serve-');
    chmodSync(dir, 0o555);
    try {
      const cli = await serveCli(['--upload', dir], '/');
      expect(await cli.done).toBe(1);
      expect(cli.io.err()).toContain('the directory is not writable');
    } finally {
      chmodSync(dir, 0o755);
    }
  });
});

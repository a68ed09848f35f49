import { existsSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { IoError, YamlError } from '../../src/internal/errors.js';
import {
  bundledRepoDir,
  bundledRepoUrl,
  loadRepoConfig,
  parseRepoConfig,
  repositoriesLockPath,
  repositoriesPath,
  STABLE_REPO_NAME,
  saveRepoConfig,
  serializeRepoConfig,
  updateRepoConfig,
} from '../../src/repo/config.js';
import type { RepoConfig } from '../../src/repo/types.js';
import { tempDir } from '../helpers/chart-builder.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('bundledRepoDir', () => {
  it("is repo-index/ next to bosun's package.json", () => {
    expect(bundledRepoDir()).toBe(path.join(ROOT, 'repo-index'));
    expect(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).name).toBe('bosun');
    expect(bundledRepoUrl()).toBe(pathToFileURL(path.join(ROOT, 'repo-index')).href);
  });
});

describe('loadRepoConfig', () => {
  it('gives the default config with stable when there is no file', async () => {
    const home = tempDir('bosun-config-');
    const config = await loadRepoConfig(home);
    expect(config.apiVersion).toBe('v1');
    expect(config.repositories).toEqual([{ name: STABLE_REPO_NAME, url: bundledRepoUrl() }]);
    expect(existsSync(repositoriesPath(home))).toBe(false);
  });

  it('reads a file as Helm writes it', async () => {
    const home = tempDir('bosun-config-');
    writeFileSync(
      repositoriesPath(home),
      `apiVersion: ""
generated: "0001-01-01T00:00:00Z"
repositories:
- caFile: ""
  certFile: ""
  insecure_skip_tls_verify: false
  keyFile: ""
  name: loc
  pass_credentials_all: true
  password: "s3cret"
  url: http://127.0.0.1:18931
  username: "me"
`,
    );
    const config = await loadRepoConfig(home);
    expect(config.repositories).toEqual([
      {
        name: 'loc',
        url: 'http://127.0.0.1:18931',
        username: 'me',
        password: 's3cret',
        pass_credentials_all: true,
      },
    ]);
  });

  it("round-trips through save, in Helm's layout, mode 0600", async () => {
    const home = tempDir('bosun-config-');
    const config: RepoConfig = {
      apiVersion: 'v1',
      generated: '2026-01-01T00:00:00.000Z',
      repositories: [
        { name: 'a', url: 'https://a.example.com/charts' },
        { name: 'b', url: 'http://127.0.0.1:1', username: 'u', password: 'p' },
      ],
    };
    await saveRepoConfig(home, config);
    const text = readFileSync(repositoriesPath(home), 'utf8');
    expect(text).toBe(serializeRepoConfig(config));
    expect(text).toContain(`- caFile: ""
  certFile: ""
  insecure_skip_tls_verify: false
  keyFile: ""
  name: a
  pass_credentials_all: false
  password: ""
  url: https://a.example.com/charts
  username: ""
`);
    expect(statSync(repositoriesPath(home)).mode & 0o777).toBe(0o600);
    expect(await loadRepoConfig(home)).toEqual(config);
    expect(existsSync(repositoriesLockPath(home))).toBe(false);
  });

  it.each([
    ['garbage', '\u0000\u0001binary junk: [unclosed'],
    ['a truncated entry', 'apiVersion: v1\nrepositories:\n- name: a\n  ur'],
    ['an empty file', ''],
    ['a list at the top', '- name: a\n  url: http://x\n'],
    ['repositories that are not a list', 'repositories: {a: 1}\n'],
    ['a name that is not a string', 'repositories:\n- name: [x]\n  url: http://x\n'],
    ['a duplicate name', 'repositories:\n- {name: a, url: "http://x"}\n- {name: a, url: "http://y"}\n'],
    ['a prototype key', 'repositories:\n- name: a\n  url: http://x\n  __proto__: {polluted: 1}\n'],
  ])('refuses %s, naming the file and leaving it alone', async (_what, text) => {
    const home = tempDir('bosun-config-');
    const file = repositoriesPath(home);
    writeFileSync(file, text);
    const err = await loadRepoConfig(home).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain(file);
    expect((err as Error).message).not.toContain('\n');
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('points a stable entry whose repo-index/ is gone at the bundled one', () => {
    const moved = pathToFileURL(path.join(os.tmpdir(), 'moved-away-package', 'repo-index')).href;
    const config = parseRepoConfig(`repositories:\n- name: stable\n  url: ${moved}\n`, 'r.yaml');
    expect(config.repositories[0]!.url).toBe(bundledRepoUrl());
  });

  it('leaves a stable entry that points elsewhere alone', () => {
    const config = parseRepoConfig(
      'repositories:\n- name: stable\n  url: https://charts.example.com\n',
      'r.yaml',
    );
    expect(config.repositories[0]!.url).toBe('https://charts.example.com');
    const other = pathToFileURL(path.join(os.tmpdir(), 'no-such-dir', 'charts')).href;
    expect(
      parseRepoConfig(`repositories:\n- name: stable\n  url: ${other}\n`, 'r.yaml').repositories[0]!.url,
    ).toBe(other);
  });

  it('reports an unreadable file as an error', async () => {
    const home = tempDir('bosun-config-');
    const file = repositoriesPath(home);
    writeFileSync(file, 'x');
    const { mkdirSync, rmSync } = await import('node:fs');
    rmSync(file);
    mkdirSync(file);
    await expect(loadRepoConfig(home)).rejects.toThrow(IoError);
  });

  it('raises YamlError for structure errors', async () => {
    expect(() => parseRepoConfig('repositories: 3\n', 'r.yaml')).toThrow(YamlError);
  });
});

describe('the lock', () => {
  const entry = (i: number) => ({ name: `r${i}`, url: `http://127.0.0.1/${i}` });

  it('serialises concurrent read-modify-writes: no update is lost', async () => {
    const home = tempDir('bosun-config-');
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        updateRepoConfig(home, (c) => ({ ...c, repositories: [...c.repositories, entry(i)] })),
      ),
    );
    const names = (await loadRepoConfig(home)).repositories.map((r) => r.name);
    expect(names).toHaveLength(21);
    for (let i = 0; i < 20; i++) expect(names).toContain(`r${i}`);
    expect(existsSync(repositoriesLockPath(home))).toBe(false);
  });

  it('takes over a lock whose process is gone, and says so', async () => {
    const home = tempDir('bosun-config-');
    // A PID far above any live process.
    writeFileSync(
      repositoriesLockPath(home),
      JSON.stringify({ pid: 2 ** 22 + 12345, host: os.hostname(), token: 'x' }),
    );
    const warnings: string[] = [];
    await saveRepoConfig(
      home,
      { apiVersion: 'v1', generated: 'x', repositories: [] },
      { warn: (m) => warnings.push(m) },
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/removing the stale lock .*repositories\.lock \(process \d+ is gone\)/);
    expect((await loadRepoConfig(home)).repositories).toEqual([]);
  });

  it('waits for a live holder, then fails naming it and leaving the config alone', async () => {
    const home = tempDir('bosun-config-');
    writeFileSync(
      repositoriesLockPath(home),
      JSON.stringify({ pid: process.pid, host: os.hostname(), token: 'held' }),
    );
    const start = Date.now();
    const err = await saveRepoConfig(
      home,
      { apiVersion: 'v1', generated: 'x', repositories: [] },
      { lockWaitMs: 200 },
    ).catch((e: Error) => e);
    expect(Date.now() - start).toBeGreaterThanOrEqual(200);
    expect((err as Error).message).toContain(`locked by process ${process.pid}`);
    expect(existsSync(repositoriesPath(home))).toBe(false);
    // The holder's lock is not removed by the loser.
    expect(JSON.parse(readFileSync(repositoriesLockPath(home), 'utf8')).token).toBe('held');
  });

  it('sweeps temporary files a crashed writer left behind', async () => {
    const home = tempDir('bosun-config-');
    const old = path.join(home, '.repositories.yaml.999.dead.tmp');
    const fresh = path.join(home, '.repositories.yaml.998.beef.tmp');
    const foreign = path.join(home, '.other.999.dead.tmp');
    for (const f of [old, fresh, foreign]) writeFileSync(f, 'partial');
    const hourAgo = new Date(Date.now() - 3600_000);
    utimesSync(old, hourAgo, hourAgo);
    utimesSync(foreign, hourAgo, hourAgo);
    await saveRepoConfig(home, { apiVersion: 'v1', generated: 'x', repositories: [] });
    expect(existsSync(old)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    expect(existsSync(foreign)).toBe(true);
  });

  it('writes nothing when the mutation throws', async () => {
    const home = tempDir('bosun-config-');
    await saveRepoConfig(home, { apiVersion: 'v1', generated: 'x', repositories: [entry(1)] });
    const before = readFileSync(repositoriesPath(home), 'utf8');
    await expect(
      updateRepoConfig(home, () => {
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(readFileSync(repositoriesPath(home), 'utf8')).toBe(before);
    expect(existsSync(repositoriesLockPath(home))).toBe(false);
  });
});

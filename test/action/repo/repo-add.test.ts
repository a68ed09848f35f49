import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertRepoName, repoAdd } from '../../../src/action/repo/repo-add.js';
import { InvalidArgumentError, LimitError, TimeoutError } from '../../../src/internal/errors.js';
import { repoChartsPath, repoIndexPath } from '../../../src/repo/cache.js';
import { bundledRepoUrl, loadRepoConfig, repositoriesPath } from '../../../src/repo/config.js';
import { tempDir } from '../../helpers/chart-builder.js';
import {
  drip,
  endlessBody,
  indexYaml,
  type loopback,
  redirectTo,
  routes,
  servedPerTest,
  treeHash,
} from '../../repo/loopback.js';

const serve = servedPerTest();

describe('repoAdd', () => {
  it('downloads and caches the index, then records the repository', async () => {
    const home = tempDir('bosun-repo-add-');
    const s = await serve(routes({ '/index.yaml': indexYaml() }));
    const result = await repoAdd({ home, name: 'local', url: s.url });
    expect(result).toEqual({ name: 'local', status: 'added', charts: 1 });
    expect(s.requests.map((r) => r.url)).toEqual(['/index.yaml']);
    expect(readFileSync(repoIndexPath(home, 'local'), 'utf8')).toBe(indexYaml());
    expect(readFileSync(repoChartsPath(home, 'local'), 'utf8')).toBe('demo\n');
    const config = await loadRepoConfig(home);
    expect(config.repositories).toEqual([
      { name: 'stable', url: bundledRepoUrl() },
      { name: 'local', url: s.url },
    ]);
  });

  it('is a no-op for the same name and settings', async () => {
    const home = tempDir('bosun-repo-add-');
    const s = await serve(routes({ '/index.yaml': indexYaml() }));
    await repoAdd({ home, name: 'local', url: s.url });
    const before = treeHash(home);
    expect(await repoAdd({ home, name: 'local', url: s.url })).toEqual({
      name: 'local',
      status: 'unchanged',
    });
    expect(s.requests).toHaveLength(1);
    expect(treeHash(home)).toBe(before);
  });

  it("refuses the same name with another URL in Helm's words, unless forced", async () => {
    const home = tempDir('bosun-repo-add-');
    const a = await serve(routes({ '/index.yaml': indexYaml() }));
    const b = await serve(routes({ '/index.yaml': indexYaml({ versions: ['0.2.0'] }) }));
    await repoAdd({ home, name: 'local', url: a.url });
    const before = treeHash(home);
    await expect(repoAdd({ home, name: 'local', url: b.url })).rejects.toThrow(
      'repository name (local) already exists, please specify a different name',
    );
    expect(b.requests).toHaveLength(0);
    expect(treeHash(home)).toBe(before);
    await repoAdd({ home, name: 'local', url: b.url, forceUpdate: true });
    expect((await loadRepoConfig(home)).repositories.find((r) => r.name === 'local')?.url).toBe(b.url);
    expect(readFileSync(repoIndexPath(home, 'local'), 'utf8')).toContain('0.2.0');
  });

  it('treats other credentials as another configuration', async () => {
    const home = tempDir('bosun-repo-add-');
    const s = await serve(routes({ '/index.yaml': indexYaml() }));
    await repoAdd({ home, name: 'local', url: s.url });
    await expect(repoAdd({ home, name: 'local', url: s.url, username: 'u', password: 'p' })).rejects.toThrow(
      /already exists/,
    );
  });

  it('sends and stores credentials', async () => {
    const home = tempDir('bosun-repo-add-');
    const s = await serve(routes({ '/index.yaml': indexYaml() }));
    await repoAdd({ home, name: 'private', url: s.url, username: 'u', password: 'p' });
    expect(s.requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    expect((await loadRepoConfig(home)).repositories[1]).toEqual({
      name: 'private',
      url: s.url,
      username: 'u',
      password: 'p',
    });
  });

  it('refuses stable with another URL (it is preconfigured)', async () => {
    const home = tempDir('bosun-repo-add-');
    await expect(repoAdd({ home, name: 'stable', url: 'http://127.0.0.1:1' })).rejects.toThrow(
      'repository name (stable) already exists',
    );
    expect(existsSync(repositoriesPath(home))).toBe(false);
  });

  it.each([
    ['a/b', "repository name (a/b) contains '/', please specify a different name without '/'"],
    ['..', 'repository name (..) is invalid'],
    ['-x', 'repository name (-x) is invalid'],
    ['has space', 'repository name (has space) is invalid'],
    ['', 'repository name () is invalid'],
  ])('refuses the name %j', (name, message) => {
    expect(() => assertRepoName(name)).toThrow(InvalidArgumentError);
    expect(() => assertRepoName(name)).toThrow(message);
  });

  it.each([
    ['data:text/plain,apiVersion: v1', 'data'],
    ['ftp://127.0.0.1/charts', 'ftp'],
    ['not-a-url', ''],
  ])('refuses the URL %s before fetching anything', async (url, scheme) => {
    const home = tempDir('bosun-repo-add-');
    await expect(repoAdd({ home, name: 'x', url })).rejects.toThrow(
      `could not find protocol handler for: ${scheme}`,
    );
    expect(treeHash(home)).toBe(treeHash(tempDir('bosun-empty-')));
  });

  it('refuses a shut-down repository', async () => {
    const home = tempDir('bosun-repo-add-');
    await expect(
      repoAdd({ home, name: 'old', url: 'https://kubernetes-charts.storage.googleapis.com' }),
    ).rejects.toThrow('is no longer available; try "https://charts.helm.sh/stable" instead');
  });

  it('asks for a password with a username', async () => {
    const home = tempDir('bosun-repo-add-');
    await expect(repoAdd({ home, name: 'x', url: 'http://127.0.0.1:1', username: 'u' })).rejects.toThrow(
      /password is required/,
    );
  });

  describe('bad repositories leave the home untouched', () => {
    const cases: Array<[string, Parameters<typeof loopback>[0], RegExp, object?]> = [
      [
        'garbage',
        routes({ '/index.yaml': '<html><body>Welcome!</body></html>' }),
        /not a valid chart repository/,
      ],
      ['an empty body', routes({ '/index.yaml': '' }), /empty index\.yaml file/],
      ['a 404', routes({}), /: failed to fetch http:\/\/127\.0\.0\.1:\d+\/index\.yaml : 404 Not Found$/],
      [
        '200 MB',
        endlessBody(200 * 1024 * 1024),
        /larger than the maximum size of 1048576 bytes/,
        { maxIndexBytes: 1024 * 1024 },
      ],
      ['one byte a second', drip, /deadline of 1s exceeded/, { deadlineMs: 1000 }],
      ['a redirect loop', redirectTo('/index.yaml'), /too many redirects/],
      ['a redirect to ftp:', redirectTo('ftp://127.0.0.1/index.yaml'), /refused redirect to "ftp:/],
      ['a redirect to file:', redirectTo('file:///etc/passwd'), /refused redirect to "file:/],
    ];
    it.each(cases)('%s', async (_what, handler, message, extra = {}) => {
      const home = tempDir('bosun-repo-add-');
      const s = await serve(handler);
      const before = treeHash(home);
      const err = await repoAdd({ home, name: 'bad', url: s.url, ...extra }).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      const msg = (err as Error).message;
      expect(msg).toMatch(
        new RegExp(`^looks like "${s.url}" is not a valid chart repository or cannot be reached: `),
      );
      expect(msg).toMatch(message);
      expect(msg).not.toContain('\n');
      expect(treeHash(home)).toBe(before);
    });

    it('keeps the kind of a limit or timeout error', async () => {
      const home = tempDir('bosun-repo-add-');
      const big = await serve(endlessBody(10 * 1024 * 1024));
      await expect(repoAdd({ home, name: 'a', url: big.url, maxIndexBytes: 1024 })).rejects.toThrow(
        LimitError,
      );
      const slow = await serve(drip);
      await expect(repoAdd({ home, name: 'b', url: slow.url, deadlineMs: 300 })).rejects.toThrow(
        TimeoutError,
      );
    });
  });

  it('adds an index with invalid versions, skipping them with a warning', async () => {
    const home = tempDir('bosun-repo-add-');
    const s = await serve(routes({ '/index.yaml': indexYaml({ bad: true }) }));
    const warnings: string[] = [];
    const result = await repoAdd({ home, name: 'mixed', url: s.url, warn: (m) => warnings.push(m) });
    expect(result).toEqual({ name: 'mixed', status: 'added', charts: 1 });
    expect(warnings.join('\n')).toContain('not-a-version');
    expect(readFileSync(repoChartsPath(home, 'mixed'), 'utf8')).toBe('demo\n');
  });

  it('adds a file:// repository', async () => {
    const home = tempDir('bosun-repo-add-');
    const dir = tempDir('bosun-file-repo-');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(dir, 'index.yaml'), indexYaml());
    const { pathToFileURL } = await import('node:url');
    const url = pathToFileURL(dir).href;
    await repoAdd({ home, name: 'files', url });
    expect((await loadRepoConfig(home)).repositories[1]).toEqual({ name: 'files', url });
  });
});

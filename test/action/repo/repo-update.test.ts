import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { repoAdd } from '../../../src/action/repo/repo-add.js';
import { NO_REPOSITORIES, repoUpdate } from '../../../src/action/repo/repo-update.js';
import { repoIndexPath } from '../../../src/repo/cache.js';
import { saveRepoConfig } from '../../../src/repo/config.js';
import { tempDir } from '../../helpers/chart-builder.js';
import { indexYaml, type Loopback, loopback, treeHash } from '../../repo/loopback.js';

const servers: Loopback[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A server whose index can be changed between requests. */
async function mutableRepo(initial: string): Promise<Loopback & { set: (body: string | undefined) => void }> {
  let body: string | undefined = initial;
  const s = await loopback((_req, res) => {
    if (body === undefined) {
      res.writeHead(500);
      res.end('boom');
      return;
    }
    res.end(body);
  });
  servers.push(s);
  return Object.assign(s, { set: (b: string | undefined) => (body = b) });
}

describe('repoUpdate', () => {
  it('fetches every index and caches the new ones', async () => {
    const home = tempDir('bosun-repo-update-');
    const a = await mutableRepo(indexYaml());
    const b = await mutableRepo(indexYaml());
    await repoAdd({ home, name: 'a', url: a.url });
    await repoAdd({ home, name: 'b', url: b.url });
    a.set(indexYaml({ versions: ['0.3.0', '0.1.0'] }));
    const results = await repoUpdate({ home });
    expect(results.map((r) => [r.name, r.error])).toEqual([
      ['stable', results[0]!.error],
      ['a', undefined],
      ['b', undefined],
    ]);
    expect(readFileSync(repoIndexPath(home, 'a'), 'utf8')).toContain('0.3.0');
  });

  it('updates only the named repositories', async () => {
    const home = tempDir('bosun-repo-update-');
    const a = await mutableRepo(indexYaml());
    const b = await mutableRepo(indexYaml());
    await repoAdd({ home, name: 'a', url: a.url });
    await repoAdd({ home, name: 'b', url: b.url });
    const results = await repoUpdate({ home, names: ['b'] });
    expect(results.map((r) => r.name)).toEqual(['b']);
    expect(a.requests).toHaveLength(1);
    expect(b.requests).toHaveLength(2);
  });

  it('reports each failure and keeps the previous cached index', async () => {
    const home = tempDir('bosun-repo-update-');
    const good = await mutableRepo(indexYaml());
    const bad = await mutableRepo(indexYaml());
    await repoAdd({ home, name: 'good', url: good.url });
    await repoAdd({ home, name: 'bad', url: bad.url });
    const cached = readFileSync(repoIndexPath(home, 'bad'), 'utf8');
    bad.set('<html>not an index</html>');
    good.set(indexYaml({ versions: ['1.0.0'] }));
    const results = await repoUpdate({ home, names: ['good', 'bad'] });
    expect(results.find((r) => r.name === 'good')?.error).toBeUndefined();
    const failed = results.find((r) => r.name === 'bad');
    expect(failed?.url).toBe(bad.url);
    expect(failed?.error).toBeDefined();
    expect(failed?.error).not.toContain('\n');
    expect(readFileSync(repoIndexPath(home, 'bad'), 'utf8')).toBe(cached);
    expect(readFileSync(repoIndexPath(home, 'good'), 'utf8')).toContain('1.0.0');

    bad.set(undefined);
    const again = await repoUpdate({ home, names: ['bad'] });
    expect(again[0]!.error).toBe(`failed to fetch ${bad.url}/index.yaml : 500 Internal Server Error`);
    expect(readFileSync(repoIndexPath(home, 'bad'), 'utf8')).toBe(cached);
  });

  it("refuses an unknown name in Helm's words, touching nothing", async () => {
    const home = tempDir('bosun-repo-update-');
    const before = treeHash(home);
    await expect(repoUpdate({ home, names: ['stable', 'nope'] })).rejects.toThrow(
      "no repositories found matching 'nope'.  Nothing will be updated",
    );
    expect(treeHash(home)).toBe(before);
  });

  it('refuses when no repository is configured', async () => {
    const home = tempDir('bosun-repo-update-');
    await saveRepoConfig(home, { apiVersion: 'v1', generated: 'x', repositories: [] });
    await expect(repoUpdate({ home })).rejects.toThrow(NO_REPOSITORIES);
  });
});

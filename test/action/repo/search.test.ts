import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { searchRepos } from '../../../src/action/repo/search.js';
import { InvalidArgumentError } from '../../../src/internal/errors.js';
import { repoCacheDir } from '../../../src/repo/cache.js';
import { bundledRepoUrl, saveRepoConfig } from '../../../src/repo/config.js';
import { tempDir } from '../../helpers/chart-builder.js';
import { B_INDEX, chartsServedPerTest, T_INDEX } from '../../repo/reference-fixtures.js';

const served = chartsServedPerTest();

/** A home whose config lists `repos` and whose cache holds the given indexes. */
async function homeWith(repos: Record<string, string | undefined>): Promise<string> {
  const home = tempDir('bosun-home-');
  await saveRepoConfig(home, {
    apiVersion: 'v1',
    generated: '2026-01-01T00:00:00Z',
    repositories: Object.keys(repos).map((name) => ({ name, url: `http://127.0.0.1:1/${name}` })),
  });
  mkdirSync(repoCacheDir(home), { recursive: true });
  for (const [name, text] of Object.entries(repos)) {
    if (text !== undefined) writeFileSync(path.join(repoCacheDir(home), `${name}-index.yaml`), text);
  }
  return home;
}

describe('searchRepos', () => {
  it('finds stable/dockercoins on a fresh home, with no cache', async () => {
    const rows = await searchRepos({ home: tempDir('bosun-home-'), keywords: ['dockercoins'] });
    expect(rows.map((r) => r.name)).toEqual(['stable/dockercoins']);
    expect(rows[0]).toMatchObject({ version: expect.stringMatching(/^\d+\.\d+\.\d+$/), app_version: 'v0.1' });
    expect(rows[0]!.description).toMatch(/DockerCoins/);
  });

  it('lists every chart of every repository without a keyword', async () => {
    const home = await homeWith({ t: T_INDEX, b: B_INDEX });
    const rows = await searchRepos({ home });
    expect(rows).toEqual([
      { name: 'b/coins', version: '1.0.0', app_version: '', description: 'x' },
      { name: 't/alpha', version: '0.9.0', app_version: '1.9', description: 'Alpha chart' },
      { name: 't/dockercoins', version: '0.1.0', app_version: 'v0.1', description: 'Mine DockerCoins' },
      {
        name: 't/zeta',
        version: '2.0.0',
        app_version: '',
        description: 'something about dockercoins and ünïcode ααααααααααααααααααααααααααααααααααααααααα',
      },
    ]);
  });

  it('joins several keywords into one, as Helm does', async () => {
    const home = await homeWith({ t: T_INDEX });
    expect(
      (await searchRepos({ home, keywords: ['chart', 'old'], versions: true })).map((r) => r.version),
    ).toEqual(['0.8.0']);
  });

  it('passes --version, --devel, --versions and --regexp on', async () => {
    const home = await homeWith({ t: T_INDEX });
    const names = async (o: Partial<Parameters<typeof searchRepos>[0]>) =>
      (await searchRepos({ home, ...o })).map((r) => `${r.name}@${r.version}`);
    expect(await names({ keywords: ['alpha'], devel: true })).toEqual(['t/alpha@1.0.0-beta.1']);
    expect(await names({ keywords: ['alpha'], versions: true })).toEqual(['t/alpha@0.9.0', 't/alpha@0.8.0']);
    expect(await names({ keywords: ['alpha'], version: '<0.9' })).toEqual(['t/alpha@0.8.0']);
    expect(await names({ keywords: ['^dock'], regexp: true })).toEqual(['t/dockercoins@0.1.0']);
  });

  it('skips a repository with no cached index, with a warning', async () => {
    const home = await homeWith({ t: T_INDEX, missing: undefined });
    const warnings: string[] = [];
    const rows = await searchRepos({ home, keywords: ['zeta'], warn: (m) => warnings.push(m) });
    expect(rows.map((r) => r.name)).toEqual(['t/zeta']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^repo "missing" is corrupt or missing: no cached repo found/);
  });

  it('skips a corrupt cached index, with a warning', async () => {
    const home = await homeWith({ t: T_INDEX, bad: 'entries: [this is not an index' });
    const warnings: string[] = [];
    expect((await searchRepos({ home, warn: (m) => warnings.push(m) })).length).toBe(3);
    expect(warnings[0]).toMatch(/^repo "bad" is corrupt or missing: /);
  });

  it('searches a repository added from a server', async () => {
    const s = await served([
      { name: 'web', version: '1.0.0', description: 'a web server', keywords: ['http'] },
      { name: 'web', version: '1.1.0', description: 'a web server', keywords: ['http'] },
    ]);
    const rows = await searchRepos({ home: s.home, keywords: ['local/'] });
    expect(rows).toEqual([
      { name: 'local/web', version: '1.1.0', app_version: '', description: 'a web server' },
    ]);
  });

  it('says so when no repository is configured', async () => {
    const home = await homeWith({});
    await expect(searchRepos({ home })).rejects.toThrow(
      new InvalidArgumentError('no repositories configured'),
    );
  });

  it('reads the bundled stable repository from the package', () => {
    expect(bundledRepoUrl()).toMatch(/^file:.*\/repo-index$/);
  });
});

import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repoList } from '../../../src/action/repo/repo-list.js';
import { bundledRepoUrl, repositoriesPath, saveRepoConfig } from '../../../src/repo/config.js';
import { tempDir } from '../../helpers/chart-builder.js';

describe('repoList', () => {
  it('lists stable on a fresh home', async () => {
    expect(await repoList({ home: tempDir('bosun-repo-list-') })).toEqual([
      { name: 'stable', url: bundledRepoUrl() },
    ]);
  });

  it('lists name and URL only, in config order', async () => {
    const home = tempDir('bosun-repo-list-');
    await saveRepoConfig(home, {
      apiVersion: 'v1',
      generated: 'x',
      repositories: [
        { name: 'z', url: 'http://z', username: 'u', password: 'secret' },
        { name: 'a', url: 'http://a' },
      ],
    });
    expect(await repoList({ home })).toEqual([
      { name: 'z', url: 'http://z' },
      { name: 'a', url: 'http://a' },
    ]);
  });

  it('is empty when every repository was removed', async () => {
    const home = tempDir('bosun-repo-list-');
    await saveRepoConfig(home, { apiVersion: 'v1', generated: 'x', repositories: [] });
    expect(await repoList({ home })).toEqual([]);
  });

  it('fails on a broken config, naming it', async () => {
    const home = tempDir('bosun-repo-list-');
    writeFileSync(repositoriesPath(home), 'repositories: [[[');
    await expect(repoList({ home })).rejects.toThrow(repositoriesPath(home));
  });
});

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRemove } from '../../../src/action/repo/repo-remove.js';
import { repoChartsPath, repoIndexPath } from '../../../src/repo/cache.js';
import { loadRepoConfig, saveRepoConfig } from '../../../src/repo/config.js';
import { tempDir } from '../../helpers/chart-builder.js';
import { treeHash } from '../../repo/loopback.js';

async function homeWith(names: string[]): Promise<string> {
  const home = tempDir('bosun-repo-remove-');
  await saveRepoConfig(home, {
    apiVersion: 'v1',
    generated: 'x',
    repositories: names.map((name) => ({ name, url: `http://127.0.0.1/${name}` })),
  });
  for (const name of names) {
    mkdirSync(path.dirname(repoIndexPath(home, name)), { recursive: true });
    writeFileSync(repoIndexPath(home, name), 'apiVersion: v1\n');
    writeFileSync(repoChartsPath(home, name), 'demo\n');
  }
  return home;
}

describe('repoRemove', () => {
  it('removes repositories and their cache files', async () => {
    const home = await homeWith(['a', 'b', 'c']);
    expect(await repoRemove({ home, names: ['a', 'c'] })).toEqual(['a', 'c']);
    expect((await loadRepoConfig(home)).repositories.map((r) => r.name)).toEqual(['b']);
    expect(existsSync(repoIndexPath(home, 'a'))).toBe(false);
    expect(existsSync(repoChartsPath(home, 'a'))).toBe(false);
    expect(existsSync(repoIndexPath(home, 'b'))).toBe(true);
  });

  it("refuses an unknown name in Helm's words and removes nothing", async () => {
    const home = await homeWith(['a']);
    const before = treeHash(home);
    await expect(repoRemove({ home, names: ['a', 'nope'] })).rejects.toThrow('no repo named "nope" found');
    expect(treeHash(home)).toBe(before);
  });

  it('removes stable from a fresh home', async () => {
    const home = tempDir('bosun-repo-remove-');
    await repoRemove({ home, names: ['stable'] });
    expect((await loadRepoConfig(home)).repositories).toEqual([]);
  });

  it('says so when nothing is configured', async () => {
    const home = await homeWith([]);
    await expect(repoRemove({ home, names: ['x'] })).rejects.toThrow('no repositories configured');
  });
});

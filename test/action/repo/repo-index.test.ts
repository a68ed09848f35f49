import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM script without type declarations
import { realTools } from '../../../scripts/real-tools.mjs';
import { RepoIndexAction } from '../../../src/action/repo/repo-index.js';
import { memoryIO } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/main.js';
import { IoError } from '../../../src/internal/errors.js';
import { parseIndex } from '../../../src/repo/index-file.js';
import { snapshotTree, tempDir, writeArchiveChart } from '../../helpers/chart-builder.js';

const tools = realTools() as { helm: string } | undefined;
const now = new Date('2026-03-04T05:06:07.089Z');

/** A directory of packaged charts: two versions of `web` (one in a subdirectory), and `db`. */
async function chartsDir(): Promise<string> {
  const dir = tempDir('bosun-repo-index-');
  const chart = (name: string, version: string, extra = '') => ({
    'Chart.yaml': `apiVersion: v2\nname: ${name}\nversion: ${version}\nappVersion: "1.0"\ndescription: ${name} for tests\n${extra}`,
    'values.yaml': 'replicas: 1\n',
    'templates/cm.yaml': 'kind: ConfigMap\n',
  });
  await writeArchiveChart(path.join(dir, 'web-1.0.0.tgz'), 'web', chart('web', '1.0.0'));
  await writeArchiveChart(path.join(dir, 'beta/web-1.1.0-rc.1.tgz'), 'web', chart('web', '1.1.0-rc.1'));
  await writeArchiveChart(
    path.join(dir, 'db-0.3.0.tgz'),
    'db',
    chart('db', '0.3.0', 'keywords: [sql, "yes"]\nmaintainers:\n- name: Ann\n  email: ann@example.com\n'),
  );
  return dir;
}

async function bosun(cwd: string, args: string[]) {
  const io = memoryIO({ env: { BOSUN_HOME: path.join(cwd, '.home') }, cwd });
  const code = await run(args, io);
  return { code, out: io.out(), err: io.err() };
}

const withoutTimes = (text: string) => text.replace(/(created|generated)(": |: )"[^"]*"/g, '$1$2"T"');

describe('RepoIndexAction', () => {
  it('writes DIR/index.yaml, entries newest first, URLs under --url', async () => {
    const dir = await chartsDir();
    const result = await new RepoIndexAction({ now, url: 'https://charts.example.com' }).run(dir);
    expect(result.path).toBe(path.join(dir, 'index.yaml'));
    const text = readFileSync(result.path, 'utf8');
    const index = parseIndex(text, 'index.yaml');
    expect(index.entries['web']?.map((v) => [v.version, v.urls[0]])).toEqual([
      ['1.1.0-rc.1', 'https://charts.example.com/beta/web-1.1.0-rc.1.tgz'],
      ['1.0.0', 'https://charts.example.com/web-1.0.0.tgz'],
    ]);
    expect(index.generated).toBe('2026-03-04T05:06:07.089Z');
    expect(text.startsWith('apiVersion: v1\nentries:\n  db:\n  - apiVersion: v2\n')).toBe(true);
  });

  it('writes JSON with --json, and merges a given index with the directory winning', async () => {
    const dir = await chartsDir();
    const old = path.join(dir, 'old.yaml');
    writeFileSync(
      old,
      'apiVersion: v1\nentries:\n  web:\n  - {name: web, version: 1.0.0, description: stale, urls: [x]}\n  - {name: web, version: 0.9.0, urls: [web-0.9.0.tgz]}\n  gone:\n  - {name: gone, version: 1.0.0, urls: [gone-1.0.0.tgz]}\n',
    );
    await new RepoIndexAction({ now, merge: 'old.yaml', json: true, cwd: dir }).run('.');
    const text = readFileSync(path.join(dir, 'index.yaml'), 'utf8');
    expect(text.startsWith('{\n  "apiVersion": "v1",\n  "generated": ')).toBe(true);
    const index = parseIndex(text, 'index.yaml');
    expect(index.entries['web']?.map((v) => v.version)).toEqual(['1.1.0-rc.1', '1.0.0', '0.9.0']);
    expect(index.entries['web']?.[1]?.description).toBe('web for tests');
    expect(Object.keys(index.entries)).toEqual(['db', 'gone', 'web']);
  });

  it('treats a missing --merge file as an empty index, and refuses a broken one writing nothing', async () => {
    const dir = await chartsDir();
    await new RepoIndexAction({ now, merge: path.join(dir, 'none.yaml') }).run(dir);
    expect(existsSync(path.join(dir, 'none.yaml'))).toBe(false);
    expect(Object.keys(parseIndex(readFileSync(path.join(dir, 'index.yaml'), 'utf8'), 'i').entries)).toEqual([
      'db',
      'web',
    ]);

    const clean = await chartsDir();
    writeFileSync(path.join(clean, 'bad.yaml'), 'entries: {}\n');
    const before = snapshotTree(clean);
    await expect(new RepoIndexAction({ cwd: clean, merge: 'bad.yaml' }).run('.')).rejects.toThrow(
      'bad.yaml: no API version specified',
    );
    expect(snapshotTree(clean)).toEqual(before);
  });

  it('refuses a directory that does not exist or is a file', async () => {
    const dir = tempDir();
    await expect(new RepoIndexAction({ cwd: dir }).run('missing')).rejects.toThrow(
      new IoError('path "missing" not found'),
    );
    writeFileSync(path.join(dir, 'file'), '');
    await expect(new RepoIndexAction({ cwd: dir }).run('file')).rejects.toThrow('"file" is not a directory');
  });
});

describe('bosun repo index', () => {
  it('prints nothing, writes the index and reports skipped archives on stderr', async () => {
    const dir = await chartsDir();
    writeFileSync(path.join(dir, 'junk.tgz'), 'junk');
    const r = await bosun(dir, ['repo', 'index', '.', '--url', 'https://charts.example.com/x']);
    expect(r).toEqual({ code: 0, out: '', err: 'warning: skipping junk.tgz: not a gzipped archive\n' });
    expect(readFileSync(path.join(dir, 'index.yaml'), 'utf8')).toContain(
      '    - https://charts.example.com/x/db-0.3.0.tgz\n',
    );
  });

  it('needs exactly one directory', async () => {
    const r = await bosun(tempDir(), ['repo', 'index']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/missing required argument 'dir'/);
  });
});

describe.runIf(tools !== undefined)('parity with helm repo index (4.1.4)', () => {
  const helm = (args: string[]) => {
    const home = tempDir('bosun-helm-home-');
    execFileSync(tools!.helm, args, {
      env: { ...process.env, HELM_CACHE_HOME: home, HELM_CONFIG_HOME: home, HELM_DATA_HOME: home },
    });
  };

  it.each([
    [[] as string[]],
    [['--url', 'https://charts.example.com/base/']],
    [['--json']],
    [['--merge', 'MERGE', '--url', 'http://127.0.0.1:8879']],
  ])('writes the same index as helm with %j (times aside)', async (flags) => {
    const ours = await chartsDir();
    const theirs = tempDir('bosun-helm-index-');
    cpSync(ours, theirs, { recursive: true });
    const merge =
      'apiVersion: v1\nentries:\n  old:\n  - {name: old, version: 1.0.0, urls: [old-1.0.0.tgz]}\n';
    const mergeFile = path.join(tempDir('bosun-merge-'), 'merge.yaml');
    writeFileSync(mergeFile, merge);
    const args = flags.map((f) => (f === 'MERGE' ? mergeFile : f));
    helm(['repo', 'index', theirs, ...args]);
    const r = await bosun(ours, ['repo', 'index', ours, ...args]);
    expect(r.code).toBe(0);
    const read = (dir: string) => withoutTimes(readFileSync(path.join(dir, 'index.yaml'), 'utf8'));
    expect(read(ours)).toBe(read(theirs));
  });
});

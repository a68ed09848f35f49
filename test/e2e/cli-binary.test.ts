/**
 * The real entry point, as a user runs it: `node bin/bosun.js …` on the bundled build
 * (built once by test/global-setup.ts).
 */

import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { tempDir } from '../helpers/chart-builder.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const bin = path.join(repoRoot, 'bin', 'bosun.js');

function bosun(args: string[], cwd = repoRoot) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('bin/bosun.js', () => {
  it('renders charts/dockercoins with --set worker.replicas=10 (the README quick start)', () => {
    const r = bosun(['template', 'coins', 'charts/dockercoins', '--set', 'worker.replicas=10']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /# Source: dockercoins\/templates\/worker-deployment\.yaml\n[\s\S]*?replicas: 10\n/,
    );
  });

  it('creates, lints and packages a chart', () => {
    const dir = tempDir();
    expect(bosun(['create', 'mychart'], dir).code).toBe(0);
    expect(bosun(['lint', 'mychart'], dir)).toMatchObject({ code: 0, err: '' });
    const packaged = bosun(['package', 'mychart'], dir);
    expect(packaged.code).toBe(0);
    expect(packaged.out).toContain('mychart-0.1.0.tgz');
    const fromArchive = bosun(['template', 'r', 'mychart-0.1.0.tgz'], dir);
    expect(fromArchive.code).toBe(0);
    expect(fromArchive.out).toContain('# Source: mychart/templates/deployment.yaml');
  });

  it('fails with one line on stderr and exit code 1', () => {
    const r = bosun(['template', 'r', 'no-such-chart']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe('Error: path "no-such-chart" not found\n');
  });

  it('prints help and the version', () => {
    expect(bosun(['--help']).out).toContain('template');
    expect(bosun(['version', '--short']).out).toMatch(/^v\d+\.\d+\.\d+\n$/);
  });
});

/**
 * A copy of bin/ and dist/ in a directory of its own (with the package's node_modules and
 * repo-index), so the code caches a test sees are its own.
 */
function install(): { root: string; bosun: (args: string[], env?: NodeJS.ProcessEnv) => Run } {
  const root = tempDir();
  cpSync(path.join(repoRoot, 'bin'), path.join(root, 'bin'), { recursive: true });
  cpSync(path.join(repoRoot, 'dist'), path.join(root, 'dist'), {
    recursive: true,
    filter: (from) => !/\.(v8cache|tmp|map)$/.test(from),
  });
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'bosun', type: 'module' }));
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(root, 'node_modules'));
  symlinkSync(path.join(repoRoot, 'repo-index'), path.join(root, 'repo-index'));
  const bosun = (args: string[], env: NodeJS.ProcessEnv = process.env): Run => {
    const r = spawnSync(process.execPath, [path.join(root, 'bin', 'bosun.js'), ...args], {
      cwd: root,
      env,
      encoding: 'utf8',
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  return { root, bosun };
}

interface Run {
  code: number | null;
  out: string;
  err: string;
}

describe('the code caches bin/bosun.js keeps next to the bundle', () => {
  const caches = (root: string) =>
    readdirSync(path.join(root, 'dist'))
      .filter((f) => f.endsWith('.v8cache'))
      .sort();
  const cacheOf = (root: string, ...command: string[]) => {
    const id = readFileSync(path.join(root, 'dist', 'build-id'), 'utf8').trim();
    return path.join(root, 'dist', `${['cli.cjs', id, process.version, ...command].join('.')}.v8cache`);
  };

  it('keeps one per command, written by its first run, and a shared one for the rest', () => {
    const { root, bosun } = install();
    expect(bosun(['version', '--short'])).toMatchObject({ code: 0, err: '' });
    expect(caches(root)).toEqual([path.basename(cacheOf(root)), path.basename(cacheOf(root, 'version'))]);
    const version = readFileSync(cacheOf(root, 'version'));
    // Help, a typo and an option's value name no command: nothing is written for them.
    expect(bosun(['--help']).code).toBe(0);
    expect(bosun(['versoin']).code).toBe(1);
    expect(bosun(['-n', 'version', 'completion', 'bash']).code).toBe(0);
    expect(bosun(['kubectl', 'create', 'service', '--help']).code).toBe(0);
    expect(bosun(['version'])).toMatchObject({ code: 0, err: '' });
    expect(caches(root)).toEqual(
      [cacheOf(root), cacheOf(root, 'completion'), cacheOf(root, 'version')]
        .map((f) => path.basename(f))
        .sort(),
    );
    // A command's cache is its first run's: later runs of other commands do not grow it.
    expect(readFileSync(cacheOf(root, 'version')).equals(version)).toBe(true);
    expect(path.basename(cacheOf(root, 'version'))).toMatch(
      /^cli\.cjs\.[0-9a-f]{16}\.v\d+\.\d+\.\d+\.version\.v8cache$/,
    );
  });

  it('refuses a garbled cache and rewrites it', () => {
    const { root, bosun } = install();
    expect(bosun(['version', '--short']).code).toBe(0);
    const garbage = Buffer.alloc(4096, 7);
    for (const cache of [cacheOf(root), cacheOf(root, 'version')]) writeFileSync(cache, garbage);
    const again = bosun(['version', '--short']);
    expect(again).toMatchObject({ code: 0, err: '' });
    expect(again.out).toMatch(/^v\d+\.\d+\.\d+\n$/);
    expect(readFileSync(cacheOf(root, 'version')).equals(garbage)).toBe(false);
    // The shared cache is read (and so rewritten) by a run that names no command.
    expect(readFileSync(cacheOf(root)).equals(garbage)).toBe(true);
    expect(bosun(['--help'])).toMatchObject({ code: 0, err: '' });
    expect(readFileSync(cacheOf(root)).equals(garbage)).toBe(false);
  });

  it('runs code that loads a Node module on demand from a cache, as well as without one', () => {
    const { bosun } = install();
    const home = tempDir();
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
    delete env['BOSUN_HOME'];
    for (let i = 0; i < 3; i++) {
      const r = bosun(['repo', 'list'], env);
      expect(r).toMatchObject({ code: 0, err: '' });
      expect(r.out).toMatch(/^NAME\s+URL\s*\nstable\s+file:/);
    }
  });

  it('reads the large JSON data the bundle leaves in dist/data when a command needs it', async () => {
    const { root, bosun } = install();
    const data = readdirSync(path.join(root, 'dist', 'data'));
    expect(data.some((f) => /^descriptions\.[0-9a-f]{16}\.json$/.test(f))).toBe(true);
    const home = tempDir();
    const args = ['kubectl', 'explain', 'deployment.spec.replicas'];
    const io = memoryIO({ env: { BOSUN_HOME: home } });
    expect(await run(args, io)).toBe(0);
    const r = bosun(args, { ...process.env, BOSUN_HOME: home });
    expect(r).toEqual({ code: 0, out: io.out(), err: io.err() });
    expect(r.out).toContain('Number of desired pods.');
  });

  it('starts a command without loading the Node modules only other commands use', () => {
    const { root } = install();
    const probe = path.join(root, 'loaded.cjs');
    writeFileSync(
      probe,
      "process.on('exit', () => process.stderr.write(JSON.stringify(process.moduleLoadList)));\n",
    );
    for (let i = 0; i < 2; i++) {
      const r = spawnSync(
        process.execPath,
        ['--require', probe, path.join(root, 'bin', 'bosun.js'), 'version'],
        {
          encoding: 'utf8',
        },
      );
      expect(r.status).toBe(0);
      const loaded = JSON.parse(r.stderr) as string[];
      expect(loaded).toContain('NativeModule vm');
      for (const unused of ['child_process', 'dgram', 'zlib', 'crypto', 'http']) {
        expect(loaded).not.toContain(`NativeModule ${unused}`);
      }
    }
  });
});

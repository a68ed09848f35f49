/**
 * The real entry point, as a user runs it: `node bin/bosun.js …` on the bundled build
 * (built once by test/global-setup.ts).
 */

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
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

describe('the code cache bin/bosun.js keeps next to the bundle', () => {
  const dist = path.join(repoRoot, 'dist');
  const cacheOf = () => {
    const id = readFileSync(path.join(dist, 'build-id'), 'utf8').trim();
    return path.join(dist, `cli.cjs.${id}.${process.version}.v8cache`);
  };

  it('is written after a command, lists the command, and a garbled cache is refused and rewritten', () => {
    expect(bosun(['version', '--short']).code).toBe(0);
    const cache = cacheOf();
    expect(existsSync(cache)).toBe(true);
    expect(readFileSync(`${cache}.commands`, 'utf8').split('\n')).toContain('version');
    writeFileSync(cache, Buffer.alloc(4096, 7));
    const again = bosun(['version', '--short']);
    expect(again).toMatchObject({ code: 0, err: '' });
    expect(again.out).toMatch(/^v\d+\.\d+\.\d+/);
    expect(readFileSync(cache).equals(Buffer.alloc(4096, 7))).toBe(false);
  });

  it('is named by the build id, so a rebuilt bundle never reads an old cache', () => {
    expect(bosun(['version', '--short']).code).toBe(0);
    const cache = cacheOf();
    expect(path.basename(cache)).toMatch(/^cli\.cjs\.[0-9a-f]{16}\.v\d+\.\d+\.\d+\.v8cache$/);
  });
});

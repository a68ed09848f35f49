import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { BOSUN_VERSION } from '../../src/internal/version.js';
import { snapshotTree, tempDir, writeChart } from '../helpers/chart-builder.js';

async function bosun(args: string[], cwd: string) {
  const io = memoryIO({ cwd });
  const code = await run(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('create, lint, package (issue acceptance)', () => {
  it('bosun create mychart && bosun lint mychart && bosun package mychart', async () => {
    const dir = tempDir();
    const created = await bosun(['create', 'mychart'], dir);
    expect(created).toMatchObject({ code: 0, out: 'Creating mychart\n', err: '' });
    const linted = await bosun(['lint', 'mychart'], dir);
    expect(linted.err).toBe('');
    expect(linted.code).toBe(0);
    expect(linted.out).toBe(
      '==> Linting mychart\n[INFO] Chart.yaml: icon is recommended\n\n1 chart(s) linted, 0 chart(s) failed\n',
    );
    const packaged = await bosun(['package', 'mychart'], dir);
    expect(packaged.code).toBe(0);
    const archive = path.join(dir, 'mychart-0.1.0.tgz');
    expect(packaged.out).toBe(`Successfully packaged chart and saved it to: ${archive}\n`);
    const listing = execFileSync('tar', ['-tzf', archive], { encoding: 'utf8' }).split('\n');
    expect(listing).toContain('mychart/Chart.yaml');
    expect(listing).toContain('mychart/templates/deployment.yaml');
    expect(listing.every((l) => l === '' || l.startsWith('mychart/'))).toBe(true);
  });

  it('package --version and --app-version rewrite Chart.yaml in the archive, keeping its comments', async () => {
    const dir = tempDir();
    writeChart(dir, {
      files: {
        'Chart.yaml':
          '# The chart.\napiVersion: v2\nname: mychart\nversion: 0.1.0 # bumped by CI\nappVersion: "1.0"\n',
      },
    });
    const r = await bosun(
      ['package', 'mychart', '--version', '1.2.3', '--app-version', '2.0', '-d', '.'],
      dir,
    );
    expect(r.code).toBe(0);
    const chartYaml = execFileSync(
      'tar',
      ['-xzOf', path.join(dir, 'mychart-1.2.3.tgz'), 'mychart/Chart.yaml'],
      {
        encoding: 'utf8',
      },
    );
    expect(chartYaml).toBe(
      '# The chart.\napiVersion: v2\nname: mychart\nversion: 1.2.3 # bumped by CI\nappVersion: "2.0"\n',
    );
  });

  it('package refuses an invalid --version and writes nothing', async () => {
    const dir = tempDir();
    writeChart(dir);
    const before = snapshotTree(dir);
    const r = await bosun(['package', 'mychart', '--version', 'banana'], dir);
    expect(r.code).toBe(1);
    expect(r.err).toBe('Error: --version: invalid semantic version "banana"\n');
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('create refuses a bad name', async () => {
    const dir = tempDir();
    const r = await bosun(['create', 'bad name!'], dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^Error: .*bad name!/);
    expect(snapshotTree(dir)).toEqual([]);
  });
});

describe('show', () => {
  it('show chart, values, readme and all (inspect as the seeds type it)', async () => {
    const dir = tempDir();
    writeChart(dir, { files: { 'values.yaml': '# comment kept\nx: 1\n', 'README.md': '# Hello\n' } });
    expect((await bosun(['show', 'values', 'mychart'], dir)).out).toBe('# comment kept\nx: 1\n');
    expect((await bosun(['show', 'readme', 'mychart'], dir)).out).toBe('# Hello\n');
    expect((await bosun(['show', 'chart', 'mychart'], dir)).out).toBe(
      'apiVersion: v2\nappVersion: "1.0"\nname: mychart\nversion: 0.1.0\n',
    );
    const all = (await bosun(['inspect', 'mychart'], dir)).out;
    expect(all).toBe(
      'apiVersion: v2\nappVersion: "1.0"\nname: mychart\nversion: 0.1.0\n---\n# comment kept\nx: 1\n---\n# Hello\n',
    );
  });
});

describe('version and completion', () => {
  it('version matches package.json', async () => {
    const pkg = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8'));
    expect(BOSUN_VERSION).toBe(pkg.version);
    expect((await bosun(['version', '--short'], '.')).out).toBe(`v${pkg.version}\n`);
  });

  it.each(['bash', 'zsh'])('completion %s lists the commands', async (shell) => {
    const r = await bosun(['completion', shell], '.');
    expect(r.code).toBe(0);
    expect(r.out).toContain('complete -o default -F _bosun bosun');
    expect(r.out).toMatch(/"template"\) words="[^"]*--set /);
  });

  it('completion for an unknown shell is an error', async () => {
    expect(await bosun(['completion', 'fish'], '.')).toMatchObject({
      code: 1,
      err: 'Error: completion: unsupported shell "fish" (use bash or zsh)\n',
    });
  });
});

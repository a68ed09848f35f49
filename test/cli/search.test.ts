/**
 * `bosun search repo` / `bosun search` / `bosun search hub` through the CLI entry: output layouts,
 * flags and exit codes, and parity with the real helm on the same repository caches.
 */

import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM script without type declarations
import { realTools } from '../../scripts/real-tools.mjs';
import { memoryIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { tempDir } from '../helpers/chart-builder.js';
import { B_INDEX, T_INDEX } from '../repo/reference-fixtures.js';

const tools = realTools() as { helm: string } | undefined;

async function bosun(home: string, ...args: string[]) {
  const io = memoryIO({ env: { BOSUN_HOME: home }, cwd: home });
  const code = await run(args, io);
  return { code, out: io.out(), err: io.err() };
}

/** A home with repositories `t` and `b` (the search fixtures), in bosun's and helm's layouts. */
function fixtureHome(): string {
  const home = tempDir('bosun-search-');
  const config = [
    'apiVersion: ""',
    'generated: "0001-01-01T00:00:00Z"',
    'repositories:',
    '- name: t',
    '  url: http://127.0.0.1:1/t',
    '- name: b',
    '  url: http://127.0.0.1:1/b',
    '',
  ].join('\n');
  writeFileSync(path.join(home, 'repositories.yaml'), config);
  for (const dir of [path.join(home, 'cache', 'repository'), path.join(home, 'helm-cache')]) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 't-index.yaml'), T_INDEX);
    writeFileSync(path.join(dir, 'b-index.yaml'), B_INDEX);
  }
  return home;
}

describe('search repo', () => {
  it('lists stable/dockercoins on a fresh home, offline', async () => {
    const r = await bosun(tempDir('bosun-home-'), 'search', 'repo', 'dockercoins');
    expect(r).toMatchObject({ code: 0, err: '' });
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^NAME\s+\tCHART VERSION\tAPP VERSION\tDESCRIPTION\s*$/);
    expect(lines[1]).toMatch(/^stable\/dockercoins\t\d+\.\d+\.\d+\s*\tv0\.1\s*\tDockerCoins/);
  });

  it('prints the table as Helm does, descriptions cut at 50 columns', async () => {
    const r = await bosun(fixtureHome(), 'search', 'repo', 'coins');
    expect(r.out).toBe(
      [
        'NAME         \tCHART VERSION\tAPP VERSION\tDESCRIPTION                                       ',
        'b/coins      \t1.0.0        \t           \tx                                                 ',
        't/dockercoins\t0.1.0        \tv0.1       \tMine DockerCoins                                  ',
        't/zeta       \t2.0.0        \t           \tsomething about dockercoins and ünïcode ααααααα...',
        't/alpha      \t0.9.0        \t1.9        \tAlpha chart                                       ',
        '',
      ].join('\n'),
    );
  });

  it.each([
    ['--max-col-width 10', ['--max-col-width', '10'], 't/docke...\t0.1.0     \tv0.1      \tMine Do...'],
    [
      '--max-col-width 0',
      ['--max-col-width', '0'],
      'something about dockercoins and ünïcode ααααααααααααααααααααααααααααααααααααααααα',
    ],
  ])('%s', async (_label, flags, expected) => {
    const r = await bosun(fixtureHome(), 'search', 'repo', ...flags);
    expect(r.out).toContain(expected);
  });

  it('prints json and yaml rows with name, version, app_version, description', async () => {
    const home = fixtureHome();
    const json = await bosun(home, 'search', 'repo', 'alpha', '-o', 'json');
    expect(JSON.parse(json.out)).toEqual([
      { name: 't/alpha', version: '0.9.0', app_version: '1.9', description: 'Alpha chart' },
    ]);
    expect(json.out).toBe(
      '[{"name":"t/alpha","version":"0.9.0","app_version":"1.9","description":"Alpha chart"}]\n',
    );
    const yaml = await bosun(home, 'search', 'repo', 'alpha', '-o', 'yaml');
    expect(yaml.out).toBe(
      '- app_version: "1.9"\n  description: Alpha chart\n  name: t/alpha\n  version: 0.9.0\n',
    );
  });

  it.each([
    ['table', [], 'No results found\n'],
    ['json', ['-o', 'json'], '[]\n'],
    ['yaml', ['-o', 'yaml'], '[]\n'],
  ])('no results (%s) is not an error', async (_label, flags, expected) => {
    const r = await bosun(fixtureHome(), 'search', 'repo', 'nothing-matches', ...flags);
    expect(r).toEqual({ code: 0, out: expected, err: '' });
  });

  it('fails on no result with --fail-on-no-result', async () => {
    const r = await bosun(fixtureHome(), 'search', 'repo', 'nothing-matches', '--fail-on-no-result');
    expect(r).toEqual({ code: 1, out: '', err: 'Error: no results found\n' });
  });

  it('takes flags after the keyword', async () => {
    const r = await bosun(fixtureHome(), 'search', 'repo', 'alpha', '-l', '--devel', '-o', 'json');
    expect(JSON.parse(r.out).map((x: { version: string }) => x.version)).toEqual([
      '1.0.0-beta.1',
      '0.9.0',
      '0.8.0',
    ]);
  });

  it.each([
    [['--version', 'bad!!'], /^Error: an invalid version\/constraint format: /],
    [['-r', '[a'], /^Error: error parsing regexp: .*`\[a`$/],
    [['-o', 'xml'], /^Error: invalid argument "xml" for "-o, --output" flag/],
    [['--max-col-width', 'wide'], /^Error: invalid argument "wide" for "--max-col-width" flag/],
  ])('refuses %j in one line', async (flags, message) => {
    const r = await bosun(fixtureHome(), 'search', 'repo', ...flags);
    expect(r.code).toBe(1);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(r.err.trimEnd()).toMatch(message);
  });
});

describe('search KEYWORD (shorthand)', () => {
  it('is search repo KEYWORD', async () => {
    const home = tempDir('bosun-home-');
    const short = await bosun(home, 'search', 'dockercoins');
    expect(short.code).toBe(0);
    expect(short.out).toBe((await bosun(home, 'search', 'repo', 'dockercoins')).out);
  });

  it('lists every chart of every repository without a keyword', async () => {
    const home = fixtureHome();
    const r = await bosun(home, 'search');
    expect(r.out.split('\n').map((l) => l.split('\t')[0]!.trim())).toEqual([
      'NAME',
      'b/coins',
      't/alpha',
      't/dockercoins',
      't/zeta',
      '',
    ]);
  });

  it('takes the flags of search repo', async () => {
    const r = await bosun(fixtureHome(), 'search', 'alpha', '--versions', '-o', 'json');
    expect(JSON.parse(r.out)).toHaveLength(2);
  });
});

describe('search hub', () => {
  it('says in one line that there is no hub offline', async () => {
    const r = await bosun(tempDir(), 'search', 'hub', 'nginx');
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^Error: search hub needs Artifact Hub.*'bosun search repo KEYWORD'\n$/);
  });
});

describe.skipIf(!tools)('parity with helm search repo', () => {
  const home = fixtureHome();
  const helm = (args: string[]) => {
    const r = spawnSync(tools!.helm, args, {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        HELM_CONFIG_HOME: path.join(home, 'helm-config'),
        HELM_DATA_HOME: path.join(home, 'helm-data'),
        HELM_CACHE_HOME: path.join(home, 'helm-cache-home'),
        HELM_REPOSITORY_CONFIG: path.join(home, 'repositories.yaml'),
        HELM_REPOSITORY_CACHE: path.join(home, 'helm-cache'),
      },
    });
    return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
  };

  it.each([
    [[]],
    [['dockercoins']],
    [['coins']],
    [['-l']],
    [['--devel']],
    [['--devel', '-l']],
    [['coins', '-l']],
    [['--max-col-width', '10']],
    [['--max-col-width', '3']],
    [['--max-col-width', '0', 'alpha', '-l']],
    [['-o', 'json', 'coins']],
    [['-o', 'yaml', '-l']],
    [['-r', 'D.ck']],
    [['-r', 'd.ck']],
    [['-r', 't\\/alp\\-?ha']],
    [['-r', '(?i)D.CK']],
    [['--version', '>=0.8', 'alpha', '-l']],
    [['--version', '^0.2.0-0']],
    [['--version', '^0.2']],
    [['t/']],
    [['T/ALPHA']],
    [['chart', 'old']],
    [['ALPHA', '-l', '--devel']],
    [['nothing']],
    [['nothing', '-o', 'json']],
    [['--fail-on-no-result', 'nothing']],
  ])('search repo %j', async (args) => {
    const expected = helm(['search', 'repo', ...args]);
    const actual = await bosun(home, 'search', 'repo', ...args);
    expect(actual.out).toBe(expected.out);
    expect(actual.code).toBe(expected.code);
    expect(actual.err).toBe(expected.err);
  });
});

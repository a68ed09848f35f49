/**
 * `bosun cluster advance DURATION` (cluster time passes and stays passed) and `bosun cluster image
 * push|list` (the simulated registry), through `run()` over a temporary `$BOSUN_HOME`.
 */

import { describe, expect, it } from 'vitest';
import { parseGoDuration } from '../../src/action/kubectl/index.js';
import { memoryIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { tempDir } from '../helpers/chart-builder.js';

async function bosun(args: string[], home: string) {
  const io = memoryIO({ env: { BOSUN_HOME: home } });
  const code = await run(args, io);
  return { code, out: io.out(), err: io.err() };
}

const clusterTime = async (home: string): Promise<number> => {
  const status = await bosun(['cluster', 'status'], home);
  const match = /^Cluster time: (\S+)$/m.exec(status.out);
  if (!match) throw new Error(`no time in ${status.out}`);
  return Date.parse(match[1]!);
};

describe('parseGoDuration', () => {
  it.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['250ms', 250],
    ['0', 0],
    ['-2s', -2000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseGoDuration(text)).toBe(ms);
  });

  it.each(['', '5', '5x', 'm5', '1h 30m', 'soon'])('%j is not a duration', (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });
});

describe('bosun cluster advance', () => {
  it('moves the cluster clock on by the duration, and later commands start from there', async () => {
    const home = tempDir();
    const before = await clusterTime(home);
    const advanced = await bosun(['cluster', 'advance', '1h30m'], home);
    expect(advanced.code).toBe(0);
    expect(advanced.err).toBe('');
    const match = /^Advanced the cluster clock by 1h30m0s to (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)\n$/.exec(
      advanced.out,
    );
    expect(match).not.toBeNull();
    const reported = Date.parse(match![1]!);
    expect(reported - before).toBeGreaterThanOrEqual(90 * 60_000 - 1000);
    const after = await clusterTime(home);
    expect(after).toBeGreaterThanOrEqual(reported);
    expect(after - before).toBeLessThan(90 * 60_000 + 60_000);
  });

  it('lets what waits on time happen: a crash-looping pod restarts again', async () => {
    const home = tempDir();
    expect((await bosun(['k', 'run', 'crash', '--image=busybox', '--', 'false'], home)).code).toBe(0);
    const restarts = async () => {
      const pods = await bosun(
        [
          'k',
          'get',
          'pods',
          '-l',
          'run=crash',
          '-o',
          'jsonpath={.items[0].status.containerStatuses[0].restartCount}',
        ],
        home,
      );
      return Number(pods.out);
    };
    const first = await restarts();
    expect((await bosun(['cluster', 'advance', '10m'], home)).code).toBe(0);
    expect(await restarts()).toBeGreaterThan(first);
  });

  it.each([
    ['5x', 'Error: invalid duration "5x": use a Go duration such as 30s, 5m or 1h30m\n'],
    ['90', 'Error: invalid duration "90": use a Go duration such as 30s, 5m or 1h30m\n'],
  ])('refuses %s', async (duration, err) => {
    expect(await bosun(['cluster', 'advance', duration], tempDir())).toEqual({ code: 1, out: '', err });
  });
});

describe('bosun cluster image', () => {
  it('push records an image; list shows it after the catalog', async () => {
    const home = tempDir();
    expect(await bosun(['cluster', 'image', 'push', 'dockercoins/worker:v0.3'], home)).toEqual({
      code: 0,
      out: 'pushed docker.io/dockercoins/worker:v0.3\n',
      err: '',
    });
    expect(
      (await bosun(['cluster', 'image', 'push', '127.0.0.1:31500/busybox', '--from', 'busybox'], home)).out,
    ).toBe('pushed 127.0.0.1:31500/busybox:latest (from docker.io/library/busybox:latest)\n');
    const list = await bosun(['cluster', 'image', 'list'], home);
    expect(list.code).toBe(0);
    const rows = list.out.trimEnd().split('\n');
    expect(rows[0]).toMatch(/^REPOSITORY +TAG +PORTS +SOURCE$/);
    expect(rows).toContainEqual(expect.stringMatching(/^nginx +1\.13\.11 +80 +catalog$/));
    expect(rows.slice(-2)).toEqual([
      expect.stringMatching(/^127\.0\.0\.1:31500\/busybox +latest +- +pushed from busybox:latest$/),
      expect.stringMatching(/^dockercoins\/worker +v0\.3 +- +pushed$/),
    ]);
  });

  it('refuses names that do not parse and sources no registry has', async () => {
    const home = tempDir();
    const bad = await bosun(['cluster', 'image', 'push', 'Bad:Name'], home);
    expect(bad).toMatchObject({ code: 1, out: '' });
    expect(bad.err).toMatch(/^Error: invalid image name "Bad:Name": invalid reference format/);
    expect(await bosun(['cluster', 'image', 'push', 'x', '--from', 'nope/nope:1'], home)).toEqual({
      code: 1,
      out: '',
      err: 'Error: No such image: nope/nope:1\n',
    });
  });
});

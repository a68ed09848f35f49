/**
 * The release lock between real processes: two upgrades of one release at once (one wins, the
 * other gets Helm's in-progress error), and an upgrade killed with SIGKILL mid-apply, after which
 * the next upgrade takes the lock over and the history stays consistent — never stuck in
 * `pending-upgrade`.
 */

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEmbeddedCluster } from '../../src/kube/index.js';
import { tempDir, writeChart } from '../helpers/chart-builder.js';

const bin = path.resolve(import.meta.dirname, '../../bin/bosun.js');

function bosun(args: string[], home: string) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, BOSUN_HOME: home },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function start(args: string[], home: string) {
  const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, BOSUN_HOME: home } });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>(
    (resolve) => child.on('close', (code, signal) => resolve({ code, signal, out, err })),
  );
  return { child, done };
}

/** A chart whose every revision writes `count` ConfigMaps: an upgrade that takes a while to apply. */
function bigChart(home: string, count: number): string {
  return writeChart(home, {
    name: 'big',
    files: {
      'values.yaml': `count: ${count}\nrevision: a\n`,
      'templates/cms.yaml':
        '{{#each (until Values.count)}}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{{this}}\ndata:\n  revision: {{@root.Values.revision}}\n{{/each}}\n',
    },
  });
}

/** Whether an object exists, read in this process without settling the cluster. */
async function exists(home: string, resource: string, name: string): Promise<boolean> {
  const cluster = openEmbeddedCluster(home, { settle: false });
  try {
    const list = await cluster.client.list(resource, { namespace: 'default' });
    return list.items.some((l) => (l.metadata as { name: string }).name === name);
  } finally {
    cluster.close();
  }
}

/** Waits until the running upgrade holds the lock (and, for `stored`, has stored its revision). */
async function waitForLease(home: string, child: ChildProcess, stored?: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (await exists(home, stored ? 'secrets' : 'leases', stored ?? 'bosun.release.big')) return;
    if (child.exitCode !== null) throw new Error('the upgrade finished before its lock was seen');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('no lease appeared');
}

const historyOf = (home: string) =>
  (
    JSON.parse(bosun(['history', 'big', '-o', 'json'], home).out) as { revision: number; status: string }[]
  ).map((h) => [h.revision, h.status]);

describe('the release lock between processes', () => {
  it('two concurrent upgrades: one succeeds, the other is told another operation is in progress', async () => {
    const home = tempDir();
    // Big enough that the first upgrade is still applying when the second, started after it,
    // reaches the lock on a loaded machine (with 10,000 objects a CI run once saw it finish first).
    const chart = bigChart(home, 20000);
    expect(bosun(['install', 'big', chart], home).code).toBe(0);
    const first = start(['upgrade', 'big', chart, '--set', 'revision=b'], home);
    await waitForLease(home, first.child, 'sh.helm.release.v1.big.v2');
    const second = bosun(['upgrade', 'big', chart, '--set', 'revision=c'], home);
    const one = await first.done;
    expect(one.err).not.toContain('Error');
    expect(one.code).toBe(0);
    expect(second.code).toBe(1);
    expect(second.err).toMatch(
      /^Error: UPGRADE FAILED: another operation \(install\/upgrade\/rollback\) is in progress/,
    );
    expect(historyOf(home)).toEqual([
      [1, 'superseded'],
      [2, 'deployed'],
    ]);
  }, 60_000);

  it('kill -9 mid-apply: the next upgrade takes the lock over and history stays consistent', async () => {
    const home = tempDir();
    const chart = bigChart(home, 10000);
    expect(bosun(['install', 'big', chart], home).code).toBe(0);
    const doomed = start(['upgrade', 'big', chart, '--set', 'revision=b'], home);
    await waitForLease(home, doomed.child, 'sh.helm.release.v1.big.v2');
    doomed.child.kill('SIGKILL');
    expect((await doomed.done).signal).toBe('SIGKILL');
    expect(historyOf(home)).toEqual([
      [1, 'deployed'],
      [2, 'pending-upgrade'],
    ]);
    const next = bosun(['upgrade', 'big', chart, '--set', 'revision=c'], home);
    expect(next.code).toBe(0);
    expect(next.err).toMatch(
      /took over the lock of release "big" from bosun-\d+@.*: its process no longer exists/,
    );
    expect(historyOf(home)).toEqual([
      [1, 'superseded'],
      [2, 'failed'],
      [3, 'deployed'],
    ]);
    const cm = JSON.parse(bosun(['kubectl', 'get', 'configmap', 'cm-9999', '-o', 'json'], home).out);
    expect(cm.data.revision).toBe('c');
    expect(bosun(['kubectl', 'get', 'leases', '-o', 'name'], home).out).not.toContain('bosun.release.big');
  }, 60_000);

  it('Ctrl-C mid-apply: the revision is marked failed, the lock released, exit 130', async () => {
    const home = tempDir();
    const chart = bigChart(home, 10000);
    expect(bosun(['install', 'big', chart], home).code).toBe(0);
    const stopped = start(['upgrade', 'big', chart, '--set', 'revision=b'], home);
    await waitForLease(home, stopped.child, 'sh.helm.release.v1.big.v2');
    stopped.child.kill('SIGINT');
    const result = await stopped.done;
    expect(result.code).toBe(130);
    expect(result.err).toMatch(/^Error: UPGRADE FAILED: interrupted$/m);
    expect(historyOf(home)).toEqual([
      [1, 'deployed'],
      [2, 'failed'],
    ]);
    expect(bosun(['kubectl', 'get', 'leases', '-o', 'name'], home).out).not.toContain('bosun.release.big');
    const next = bosun(['upgrade', 'big', chart, '--set', 'revision=c'], home);
    expect(next).toMatchObject({ code: 0, err: '' });
  }, 60_000);
});

describe('Ctrl-C during --wait', () => {
  it('stops a long wait at once: exit 130, the revision failed, nothing left locked', async () => {
    const home = tempDir();
    const chart = path.resolve(import.meta.dirname, '../../charts/dockercoins');
    expect(bosun(['install', 'coins', chart], home).code).toBe(0);
    const args = ['upgrade', 'coins', chart, '--set', 'worker.image.tag=v0.3', '--wait', '--timeout', '10h'];
    const waiting = start(args, home);
    for (let i = 0; i < 400 && !(await exists(home, 'secrets', 'sh.helm.release.v1.coins.v2')); i++)
      await new Promise((resolve) => setTimeout(resolve, 5));
    const sent = Date.now();
    waiting.child.kill('SIGINT');
    const result = await waiting.done;
    expect(Date.now() - sent).toBeLessThan(5_000);
    expect(result.code).toBe(130);
    expect(result.err).toMatch(/Error: UPGRADE FAILED: interrupted/);
    const history = JSON.parse(bosun(['history', 'coins', '-o', 'json'], home).out) as { status: string }[];
    expect(history.map((h) => h.status)).toEqual(['deployed', 'failed']);
    expect(bosun(['kubectl', 'get', 'leases', '-o', 'name'], home).out).not.toContain('bosun.release.coins');
  }, 60_000);
});

describe('releases of separate processes at once', () => {
  it('eight concurrent installs of different releases all succeed, never "database is locked"', async () => {
    const home = tempDir();
    const chart = path.resolve(import.meta.dirname, '../../charts/dockercoins');
    expect(bosun(['kubectl', 'get', 'ns', '-o', 'name'], home).code).toBe(0); // bootstrap first
    const runs = await Promise.all(
      [1, 2, 3, 4, 5, 6, 7, 8].map(
        (i) => start(['install', `coins${i}`, chart, '-n', `team${i}`], home).done,
      ),
    );
    for (const r of runs) {
      expect(r.err).not.toMatch(/locked|SQLITE_BUSY|Error/);
      expect(r.code).toBe(0);
    }
    const list = JSON.parse(bosun(['list', '-A', '-o', 'json'], home).out) as {
      name: string;
      status: string;
    }[];
    expect(list.map((r) => `${r.name}:${r.status}`).sort()).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8].map((i) => `coins${i}:deployed`),
    );
  }, 120_000);
});

/**
 * `openCluster` on a home directory: persistence, one bootstrap, the virtual clock, processes
 * racing for a fresh home, `resetCluster` and `clusterStatus`.
 */

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { timelineSeconds } from '../../../src/cluster/bootstrap/index.js';
import {
  BOOTSTRAP_META,
  CLOCK_META,
  clusterStatus,
  openCluster,
  resetCluster,
} from '../../../src/cluster/cluster.js';
import { digest, listing, meta, testCluster, WALL } from './helpers.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const temps: string[] = [];
afterAll(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempHome(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bosun-bootstrap-'));
  temps.push(dir);
  return path.join(dir, 'home');
}

const at = (iso: string) => () => new Date(iso);

describe('openCluster', () => {
  it('creates the home (0700) and bootstraps once; a reopen finds the same objects', () => {
    const home = tempHome();
    const first = openCluster({ home, wallClock: () => WALL, seed: 7 });
    expect(first.bootstrapped).toBe(true);
    expect(first.databasePath).toBe(path.join(home, 'cluster.db'));
    if (process.platform !== 'win32') expect(statSync(home).mode & 0o777).toBe(0o700);
    const before = {
      listing: listing(first),
      digest: digest(first),
      revision: first.store.currentRevision(),
    };
    first.close();

    const again = openCluster({ home, wallClock: () => WALL, seed: 99, nodes: 5 });
    expect(again.bootstrapped).toBe(false);
    expect({
      listing: listing(again),
      digest: digest(again),
      revision: again.store.currentRevision(),
    }).toEqual(before);
    // A reopened cluster is the same cluster as one kept in memory.
    expect(digest(again)).toBe(digest(testCluster()));
    again.close();
  });

  it('keeps the seeded stream with the cluster, whatever seed a later open passes', () => {
    const home = tempHome();
    openCluster({ home, wallClock: () => WALL, seed: 7 }).close();
    const reopened = openCluster({ home, wallClock: () => WALL, seed: 12345 });
    const memory = testCluster();
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' } };
    expect(meta(reopened.api.create(cm)).uid).toBe(meta(memory.api.create(cm)).uid);
    reopened.close();
  });

  it('ends the bootstrap timeline at the first open and spreads the objects over it', () => {
    const cluster = testCluster();
    expect(cluster.now()).toEqual(WALL);
    const times = cluster.api.list('nodes').items.map((n) => Date.parse(String(meta(n).creationTimestamp)));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(WALL.getTime() - timelineSeconds(3) * 1000);
    expect(Math.max(...times)).toBeLessThan(WALL.getTime());
    expect(new Set(times).size).toBe(3);
  });

  it('never runs the clock backwards and stores advances', () => {
    const home = tempHome();
    const c1 = openCluster({ home, wallClock: at('2025-06-01T12:00:00Z') });
    expect(c1.now().toISOString()).toBe('2025-06-01T12:00:00.000Z');
    expect(c1.advance(90_000).toISOString()).toBe('2025-06-01T12:01:30.000Z');
    expect(c1.store.getMeta(CLOCK_META)).toBe(Date.parse('2025-06-01T12:01:30Z'));
    c1.close();

    // An earlier wall clock: the stored virtual time wins.
    const c2 = openCluster({ home, wallClock: at('2025-06-01T11:00:00Z') });
    expect(c2.now().toISOString()).toBe('2025-06-01T12:01:30.000Z');
    const cm = c2.api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late' } });
    expect(meta(cm).creationTimestamp).toBe('2025-06-01T12:01:30Z');
    c2.close();

    // A later wall clock: the command starts at the wall time.
    const c3 = openCluster({ home, wallClock: at('2025-06-02T08:00:00Z') });
    expect(c3.now().toISOString()).toBe('2025-06-02T08:00:00.000Z');
    expect(() => c3.advance(-1)).toThrow(RangeError);
    c3.close();
  });

  it('stores the clock on close when the command wrote something', () => {
    const home = tempHome();
    let wall = Date.parse('2025-06-01T12:00:00Z');
    const c1 = openCluster({ home, wallClock: () => new Date(wall) });
    wall += 60_000;
    c1.api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
    c1.close();
    const c2 = openCluster({ home, wallClock: at('2025-06-01T00:00:00Z') });
    expect(c2.now().toISOString()).toBe('2025-06-01T12:01:00.000Z');
    c2.close();
  });

  it('bootstraps a fresh home once when several processes open it at the same moment', async () => {
    const home = tempHome();
    const startAt = Date.now() + 2500;
    const tsx = path.join(ROOT, 'node_modules/.bin/tsx');
    const child = path.join(import.meta.dirname, 'open-cluster-child.ts');
    const run = () =>
      new Promise<{ bootstrapped: boolean; revision: number; digest: string }>((resolve, reject) => {
        const p = spawn(tsx, [child, home, String(startAt)], {
          cwd: ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        p.stdout.on('data', (d) => {
          out += d;
        });
        p.stderr.on('data', (d) => {
          err += d;
        });
        p.on('error', reject);
        p.on('close', (code) =>
          code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`exit ${code}: ${err}`)),
        );
      });
    const results = await Promise.all([run(), run(), run()]);
    expect(results.filter((r) => r.bootstrapped)).toHaveLength(1);
    expect(new Set(results.map((r) => r.digest)).size).toBe(1);
    expect(new Set(results.map((r) => r.revision)).size).toBe(1);
    const cluster = openCluster({ home, wallClock: () => WALL, seed: 7 });
    expect(digest(cluster)).toBe(results[0]!.digest);
    expect(digest(cluster)).toBe(digest(testCluster()));
    cluster.close();
  }, 60_000);
});

describe('resetCluster', () => {
  it('removes the database files and nothing else; the next open bootstraps again', () => {
    const home = tempHome();
    const c1 = openCluster({ home, wallClock: () => WALL });
    c1.api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'mine' } });
    c1.close();
    writeFileSync(path.join(home, 'repositories.yaml'), 'repositories: []\n');
    const removed = resetCluster(home);
    expect(removed).toContain(path.join(home, 'cluster.db'));
    expect(existsSync(path.join(home, 'cluster.db'))).toBe(false);
    expect(existsSync(path.join(home, 'cluster.db-wal'))).toBe(false);
    expect(existsSync(path.join(home, 'repositories.yaml'))).toBe(true);
    const c2 = openCluster({ home, wallClock: () => WALL });
    expect(c2.bootstrapped).toBe(true);
    expect(() => c2.api.get('configmaps', 'default', 'mine')).toThrow('configmaps "mine" not found');
    c2.close();
    expect(resetCluster(path.join(home, 'missing'))).toEqual([]);
  });

  it('refuses to delete a file that is not a bosun cluster database', () => {
    const home = tempHome();
    openCluster({ home }).close();
    resetCluster(home);
    writeFileSync(path.join(home, 'cluster.db'), 'not a database, keep me\n');
    expect(() => resetCluster(home)).toThrow();
    expect(existsSync(path.join(home, 'cluster.db'))).toBe(true);
  });
});

describe('clusterStatus', () => {
  it('summarises nodes, namespaces, pods, revision, time and database', () => {
    const home = tempHome();
    const cluster = openCluster({ home, wallClock: () => WALL, nodes: 2 });
    const status = clusterStatus(cluster);
    expect(status.nodes).toEqual([
      { name: 'node1', ready: true, roles: ['control-plane'], internalIP: '10.0.0.11' },
      { name: 'node2', ready: true, roles: [], internalIP: '10.0.0.12' },
    ]);
    expect(status.namespaces).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    expect(status.pods).toEqual({ Running: 10 });
    expect(status.revision).toBe(cluster.store.currentRevision());
    expect(status.time).toEqual(WALL);
    expect(status.bootstrap).toEqual(cluster.store.getMeta(BOOTSTRAP_META));
    expect(status.bootstrap?.nodes).toBe(2);
    expect(status.database?.path).toBe(path.join(home, 'cluster.db'));
    expect(status.database?.sizeBytes).toBeGreaterThan(0);
    cluster.close();
    expect(clusterStatus(testCluster()).database).toBeUndefined();
  });
});

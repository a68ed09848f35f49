import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Cluster, openCluster } from '../../../src/cluster/cluster.js';
import type { Controller, ControllerContext } from '../../../src/cluster/runtime/types.js';
import { objectKey } from '../../../src/cluster/runtime/types.js';

const T0 = Date.parse('2025-03-01T12:00:00Z');

/** A controller that stamps ConfigMaps labelled `tick` on a schedule the test sets. */
function ticker(
  log: string[],
  plan: { delayMs: number; kind: 'progress' | 'wait'; times: number },
): Controller {
  return {
    name: 'ticker',
    resources: ['configmaps'],
    observe(event, ctx) {
      const labels = (event.object.metadata as { labels?: Record<string, string> }).labels ?? {};
      if (event.type === 'ADDED' && labels.tick === 'yes') ctx.enqueue(objectKey(event.object));
    },
    reconcile(key, ctx: ControllerContext) {
      const [namespace, name] = key.split('/') as [string, string];
      const cm = ctx.api.get('configmaps', namespace, name);
      const data = (cm.data ?? {}) as Record<string, string>;
      const n = Number(data.n ?? '0');
      log.push(`${key} n=${n} at +${(ctx.now().getTime() - T0) / 1000}s`);
      if (n >= plan.times) return;
      ctx.api.update({ ...cm, data: { ...data, n: String(n + 1) } });
      ctx.after(key, plan.delayMs, plan.kind);
    },
  };
}

const homes: string[] = [];
const clusters: Cluster[] = [];
afterEach(() => {
  for (const c of clusters.splice(0)) c.close();
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});

function open(controller: Controller, home?: string): Cluster {
  const cluster = openCluster({
    ...(home ? { home } : {}),
    wallClock: () => new Date(T0),
    controllers: () => [() => controller],
  });
  clusters.push(cluster);
  return cluster;
}

const tick = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'a', namespace: 'default', labels: { tick: 'yes' } },
};

describe('ControllerManager', () => {
  it('settles through progress wake-ups and moves the clock to each', () => {
    const log: string[] = [];
    const c = open(ticker(log, { delayMs: 5000, kind: 'progress', times: 3 }));
    c.runtime.settle();
    c.api.create(tick);
    const result = c.runtime.settle();
    expect(log).toEqual([
      'default/a n=0 at +0s',
      'default/a n=1 at +5s',
      'default/a n=2 at +10s',
      'default/a n=3 at +15s',
    ]);
    expect(result.advancedMs).toBe(15_000);
    expect(result.pending).toEqual({ ready: 0, progress: 0, wait: 0 });
  });

  it('leaves wait wake-ups pending (a stuck state stays stuck) until time is advanced', () => {
    const log: string[] = [];
    const c = open(ticker(log, { delayMs: 10_000, kind: 'wait', times: 5 }));
    c.api.create(tick);
    const settled = c.runtime.settle();
    expect(log).toEqual(['default/a n=0 at +0s']);
    expect(settled.advancedMs).toBe(0);
    expect(settled.pending.wait).toBe(1);
    expect(settled.nextWake?.getTime()).toBe(T0 + 10_000);
    const advanced = c.runtime.advance(25_000);
    expect(log).toEqual(['default/a n=0 at +0s', 'default/a n=1 at +10s', 'default/a n=2 at +20s']);
    expect(advanced.advancedMs).toBe(25_000);
    expect(c.now().getTime()).toBe(T0 + 25_000);
  });

  it('does not move the clock beyond the horizon', () => {
    const log: string[] = [];
    const c = open(ticker(log, { delayMs: 20 * 60_000, kind: 'progress', times: 2 }));
    c.api.create(tick);
    const result = c.runtime.settle();
    expect(log).toHaveLength(1);
    expect(result.advancedMs).toBe(0);
    expect(result.pending.progress).toBe(1);
  });

  it('keeps the revision and the wake-ups with the cluster for the next process', () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'bosun-runtime-'));
    homes.push(home);
    const log: string[] = [];
    const first = open(ticker(log, { delayMs: 60_000, kind: 'wait', times: 3 }), home);
    first.api.create(tick);
    first.runtime.settle();
    first.close();
    clusters.pop();
    const second = open(ticker(log, { delayMs: 60_000, kind: 'wait', times: 3 }), home);
    expect(second.runtime.pending().wait).toBe(1);
    second.runtime.advance(60_000);
    expect(log).toEqual(['default/a n=0 at +0s', 'default/a n=1 at +60s']);
  });

  it('sees changes another process made since its last settle', () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'bosun-runtime-'));
    homes.push(home);
    const log: string[] = [];
    const first = open(ticker(log, { delayMs: 1000, kind: 'progress', times: 0 }), home);
    first.runtime.settle();
    const writer = openCluster({ home, wallClock: () => new Date(T0), controllers: () => [] });
    writer.api.create(tick);
    writer.close();
    first.runtime.settle();
    expect(log).toEqual(['default/a n=0 at +0s']);
  });

  it('retries a failing reconcile later and records the error', () => {
    let calls = 0;
    const failing: Controller = {
      name: 'failing',
      resources: ['configmaps'],
      observe(event, ctx) {
        if (objectKey(event.object) === 'default/a') ctx.enqueue('default/a');
      },
      reconcile() {
        calls++;
        throw new Error('boom');
      },
    };
    const c = open(failing);
    c.api.create(tick);
    c.runtime.settle();
    expect(calls).toBe(1);
    expect(c.runtime.errors.at(-1)).toMatchObject({
      controller: 'failing',
      key: 'default/a',
      message: 'boom',
    });
    c.runtime.advance(1000);
    expect(calls).toBeGreaterThan(1);
  });

  it('undoes the writes of a reconcile that throws', () => {
    const partial: Controller = {
      name: 'partial',
      resources: ['configmaps'],
      observe(event, ctx) {
        if (objectKey(event.object) === 'default/a') ctx.enqueue('default/a');
      },
      reconcile(_key, ctx) {
        ctx.api.create({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'half', namespace: 'default' },
        });
        throw new Error('after a write');
      },
    };
    const c = open(partial);
    c.api.create(tick);
    c.runtime.settle();
    expect(() => c.api.get('configmaps', 'default', 'half')).toThrow(/not found/);
  });

  it('resyncs every object on first start', () => {
    const seen: string[] = [];
    const watcher: Controller = {
      name: 'watcher',
      resources: ['namespaces'],
      observe(event) {
        seen.push(objectKey(event.object));
      },
      reconcile() {},
    };
    const c = open(watcher);
    c.runtime.settle();
    expect(seen).toEqual(expect.arrayContaining(['default', 'kube-system', 'kube-public']));
  });
});

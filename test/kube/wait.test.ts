/**
 * The wait loops on a fresh embedded cluster: `--wait` (helm-behaviour.md §4.6), hooks watched
 * until they finish (§5), and `uninstall --wait`. Time is the cluster's, so minutes of timeout
 * pass in a fraction of a second of wall time.
 */

import { describe, expect, it } from 'vitest';
import { ReleaseFailedError, TimeoutError } from '../../src/internal/errors.js';
import {
  describeWaiting,
  type KubeClient,
  type ResourceRef,
  WaitFailedError,
  type WaitProgress,
  WaitTimeoutError,
  waitForDeletion,
  waitForHook,
  waitForReady,
} from '../../src/kube/index.js';
import { useEmbeddedCluster } from '../helpers/embedded-cluster.js';

const client = useEmbeddedCluster();

type Json = Record<string, unknown>;

const deployment = (name: string, image: string, replicas: number, spec: Json = {}): Json => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } },
    ...spec,
  },
});

const job = (name: string, command: string, spec: Json = {}): Json => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name },
  spec: {
    backoffLimit: 1,
    ...spec,
    template: {
      spec: {
        restartPolicy: 'Never',
        containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', command] }],
      },
    },
  },
});

const pod = (name: string, command: string): Json => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: {
    restartPolicy: 'Never',
    containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', command] }],
  },
});

const refOf = (o: Json): ResourceRef => ({
  apiVersion: String(o.apiVersion),
  kind: String(o.kind),
  namespace: 'default',
  name: String((o.metadata as Json).name),
});

/** The client, counting its sleeps and running `beforeSleep` ahead of each. */
function instrumented(
  c: KubeClient,
  beforeSleep?: (n: number) => Promise<void>,
): { client: KubeClient; sleeps: () => number } {
  let sleeps = 0;
  const proxy = new Proxy(c, {
    get(target, prop, receiver) {
      if (prop === 'sleep') {
        return async (ms: number) => {
          sleeps++;
          await beforeSleep?.(sleeps);
          return target.sleep(ms);
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { client: proxy, sleeps: () => sleeps };
}

/** The error a wait rejects with (fails the test when it resolves). */
async function failure<E extends Error = Error>(promise: Promise<unknown>): Promise<E> {
  try {
    await promise;
  } catch (error) {
    return error as E;
  }
  throw new Error('expected the wait to fail');
}

const minutes = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 60_000;

describe('waitForReady', () => {
  it('returns without sleeping when everything is ready after the first settle', async () => {
    const c = client();
    const web = deployment('web', 'nginx', 3);
    const svc = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { ports: [{ port: 80 }] },
    };
    await c.create(web);
    await c.create(svc);
    const { client: counted, sleeps } = instrumented(c);
    await waitForReady(counted, [refOf(web), refOf(svc)], { timeoutMs: 300_000 });
    expect(sleeps()).toBe(0);
    await waitForReady(counted, [], { timeoutMs: 0 });
  });

  it('times out on an image that does not exist, naming ImagePullBackOff, in little wall time', async () => {
    const c = client();
    const worker = deployment('worker', 'dockercoins/worker:v0.3', 5);
    await c.create(worker);
    const started = await c.now();
    const wall = Date.now();
    const error = await failure(waitForReady(c, [refOf(worker)], { timeoutMs: 120_000 }));
    expect(Date.now() - wall).toBeLessThan(5_000);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as WaitTimeoutError).code).toBe('TIMEOUT');
    expect((error as Error).message).toBe(
      'timed out waiting for the condition after 2m0s: deployment "worker" not ready: 0/5 ready; ' +
        '5 pods in ImagePullBackOff: Back-off pulling image "dockercoins/worker:v0.3"',
    );
    expect((error as WaitTimeoutError).pending.map((p) => p.ref.name)).toEqual(['worker']);
    expect(minutes(started, await c.now())).toBeCloseTo(2, 1);
  });

  it('names every resource still not ready in the timeout', async () => {
    const c = client();
    const worker = deployment('worker', 'dockercoins/worker:v0.3', 1);
    const web = deployment('web', 'nginx', 2);
    const migrate = job('migrate', 'sleep 100000');
    for (const o of [worker, web, migrate]) await c.create(o);
    const error = await failure(
      waitForReady(c, [worker, web, migrate].map(refOf), {
        timeoutMs: 10_000,
        waitForJobs: true,
      }),
    );
    expect(error.message).toMatch(
      /^timed out waiting for the condition after 10s: deployment "worker" not ready: 0\/1 ready; 1 pod in (ErrImagePull|ImagePullBackOff): .*; job "migrate" not ready: 0\/1 complete$/,
    );
  });

  it('waits for a deployment scaled to 10 good pods', async () => {
    const c = client();
    const web = deployment('web', 'nginx', 1);
    await c.create(web);
    await c.settle();
    await c.patch('deployments.apps', 'default', 'web', { spec: { replicas: 10 } }, 'merge');
    await waitForReady(c, [refOf(web)], { timeoutMs: 300_000 });
    const status = (await c.get('deployments.apps', 'default', 'web')).status as Json;
    expect(status.readyReplicas).toBe(10);
  });

  it('reports the pending set after each poll, and sees a fix land between polls', async () => {
    const c = client();
    const worker = deployment('worker', 'dockercoins/worker:v0.3', 2);
    await c.create(worker);
    const { client: fixing } = instrumented(c, async (n) => {
      // A later poll: someone pushes a good image (what `upgrade --set image.tag=…` would do).
      if (n === 3) {
        await c.patch(
          'deployments.apps',
          'default',
          'worker',
          { spec: { template: { spec: { containers: [{ name: 'c', image: 'dockercoins/worker:v0.2' }] } } } },
          'strategic',
        );
      }
    });
    const seen: (readonly WaitProgress[])[] = [];
    await waitForReady(fixing, [refOf(worker)], { timeoutMs: 300_000, onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen[0]!.map((p) => p.ref.name)).toEqual(['worker']);
    expect(seen[0]![0]!.readiness).toMatchObject({ ready: false, progress: '0/2 ready' });
    expect(describeWaiting(seen[0]!)).toBe('waiting for 1 resource: deployment/worker 0/2 ready');
  });

  it('fails at once when a deployment exceeds its progress deadline', async () => {
    const c = client();
    const worker = deployment('worker', 'dockercoins/worker:v0.3', 2, { progressDeadlineSeconds: 60 });
    await c.create(worker);
    const started = await c.now();
    const error = await failure(waitForReady(c, [refOf(worker)], { timeoutMs: 300_000 }));
    expect(error).toBeInstanceOf(WaitFailedError);
    expect(error).toBeInstanceOf(ReleaseFailedError);
    expect((error as Error).message).toBe(
      'deployment "worker" exceeded its progress deadline; 2 pods in ImagePullBackOff: Back-off pulling image "dockercoins/worker:v0.3"',
    );
    expect(minutes(started, await c.now())).toBeLessThan(2);
  });

  it('fails when a Job fails, with --wait-for-jobs', async () => {
    const c = client();
    const bad = job('bad', 'exit 1');
    await c.create(bad);
    const error = await failure<WaitFailedError>(
      waitForReady(c, [refOf(bad)], { timeoutMs: 300_000, waitForJobs: true }),
    );
    expect(error).toBeInstanceOf(WaitFailedError);
    expect(error.message).toBe('job "bad" failed: BackoffLimitExceeded');
    expect(error.failed.map((f) => f.ref.name)).toEqual(['bad']);
    // Without it, Jobs are not waited for.
    await waitForReady(c, [refOf(bad)], { timeoutMs: 300_000 });
  });

  it('rejects with "interrupted" when aborted, at once when already aborted', async () => {
    const c = client();
    const worker = deployment('worker', 'dockercoins/worker:v0.3', 1);
    await c.create(worker);
    const controller = new AbortController();
    let polls = 0;
    const error = await failure(
      waitForReady(c, [refOf(worker)], {
        timeoutMs: 300_000,
        signal: controller.signal,
        onProgress: () => {
          if (++polls === 2) controller.abort();
        },
      }),
    );
    expect(error.message).toBe('interrupted');
    expect(polls).toBe(2);
    const before = await c.now();
    await expect(
      waitForReady(c, [refOf(worker)], { timeoutMs: 300_000, signal: controller.signal }),
    ).rejects.toThrow('interrupted');
    expect(await c.now()).toEqual(before);
  });
});

describe('waitForHook: Jobs until Complete/Failed, Pods until Succeeded/Failed, others at once', () => {
  it('a Job that exits 0 succeeds, one that exits 1 fails with the Job condition reason', async () => {
    const c = client();
    const ok = job('ok', 'exit 0');
    await c.create(ok);
    expect(await waitForHook(c, refOf(ok), { timeoutMs: 300_000 })).toEqual({ phase: 'Succeeded' });
    const bad = job('bad', 'exit 1');
    await c.create(bad);
    expect(await waitForHook(c, refOf(bad), { timeoutMs: 300_000 })).toEqual({
      phase: 'Failed',
      reason: 'job "bad" failed: BackoffLimitExceeded',
    });
  });

  it('sees a Job complete even when ttlSecondsAfterFinished deletes it at once', async () => {
    const c = client();
    const quick = job('quick', 'exit 0', { ttlSecondsAfterFinished: 0 });
    await c.create(quick);
    expect(await waitForHook(c, refOf(quick), { timeoutMs: 300_000 })).toEqual({ phase: 'Succeeded' });
    await expect(c.get('jobs.batch', 'default', 'quick')).rejects.toThrow(/not found/);
    const doomed = job('doomed', 'exit 1', { ttlSecondsAfterFinished: 0 });
    await c.create(doomed);
    expect(await waitForHook(c, refOf(doomed), { timeoutMs: 300_000 })).toMatchObject({ phase: 'Failed' });
  });

  it('a Pod succeeds or fails with its phase', async () => {
    const c = client();
    const ok = pod('check', 'exit 0');
    await c.create(ok);
    expect(await waitForHook(c, refOf(ok), { timeoutMs: 300_000 })).toEqual({ phase: 'Succeeded' });
    const bad = pod('broken', 'exit 2');
    await c.create(bad);
    expect(await waitForHook(c, refOf(bad), { timeoutMs: 300_000 })).toEqual({
      phase: 'Failed',
      reason: 'pod "broken" failed: Error: container "c" exited with code 2',
    });
  });

  it('other kinds are done at once', async () => {
    const c = client();
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'not-even-there' };
    expect(await waitForHook(c, ref, { timeoutMs: 0 })).toEqual({ phase: 'Succeeded' });
  });

  it('times out on a hook that never finishes, with its state', async () => {
    const c = client();
    const stuck = job('stuck', 'sleep 100000');
    await c.create(stuck);
    const error = await failure(waitForHook(c, refOf(stuck), { timeoutMs: 60_000 }));
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect((error as Error).message).toBe(
      'timed out waiting for the condition after 1m0s: job "stuck" not complete: 0/1 complete',
    );
  });

  it('rejects with "interrupted" when aborted', async () => {
    const c = client();
    const stuck = pod('stuck', 'sleep 100000');
    await c.create(stuck);
    const controller = new AbortController();
    const { client: aborting } = instrumented(c, async () => controller.abort());
    await expect(
      waitForHook(aborting, refOf(stuck), { timeoutMs: 60_000, signal: controller.signal }),
    ).rejects.toThrow('interrupted');
  });
});

describe('waitForDeletion', () => {
  it('returns once deleted objects and their pods are gone', async () => {
    const c = client();
    const web = deployment('web', 'nginx', 3);
    const svc = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { ports: [{ port: 80 }] },
    };
    await c.create(web);
    await c.create(svc);
    await c.settle();
    await c.delete('deployments.apps', 'default', 'web', { propagationPolicy: 'Foreground' });
    await c.delete('services', 'default', 'web');
    const unknownKind = { apiVersion: 'example.com/v1', kind: 'Widget', namespace: 'default', name: 'w' };
    await waitForDeletion(c, [refOf(web), refOf(svc), unknownKind], { timeoutMs: 300_000 });
    await expect(c.get('deployments.apps', 'default', 'web')).rejects.toThrow(/not found/);
  });

  it('times out on an object a finalizer holds, naming the finalizer', async () => {
    const c = client();
    const held = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'held', finalizers: ['example.com/hold'] },
      data: { a: '1' },
    };
    await c.create(held);
    await c.delete('configmaps', 'default', 'held');
    const pending: (readonly WaitProgress[])[] = [];
    const error = await failure(
      waitForDeletion(c, [refOf(held)], {
        timeoutMs: 30_000,
        onProgress: (p) => pending.push(p),
      }),
    );
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect((error as Error).message).toBe(
      'timed out waiting for the condition after 30s: configmap "held" not deleted: Terminating; finalizers: example.com/hold',
    );
    expect(describeWaiting(pending[0]!)).toBe('waiting for 1 resource: configmap/held Terminating');
  });
});

describe('describeWaiting', () => {
  it('names each pending object with its progress, and is empty when nothing is pending', () => {
    const p = (kind: string, name: string, progress: string): WaitProgress => ({
      ref: { apiVersion: 'v1', kind, name },
      readiness: { ready: false, progress },
    });
    expect(
      describeWaiting([
        p('Deployment', 'worker', '7/10 ready'),
        p('Service', 'lb', 'Pending'),
        p('Job', 'm', '0/1 complete'),
      ]),
    ).toBe('waiting for 3 resources: deployment/worker 7/10 ready, service/lb Pending, job/m 0/1 complete');
    expect(describeWaiting([])).toBe('');
  });
});

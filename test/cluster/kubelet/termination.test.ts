import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/cluster/api/types.js';
import type { Cluster } from '../../../src/cluster/cluster.js';
import { fakeCatalog } from './fake-catalog.js';
import {
  containerOf,
  createPod,
  elapsed,
  eventsOf,
  getPod,
  kubeletCluster,
  statusOf,
  summary,
} from './helpers.js';

const catalog = () =>
  fakeCatalog({
    'nginx:1.13.11': { process: { ports: [80] } },
    'busybox:1.36': { process: { ignoresSigterm: true } },
    'busybox:done': { process: { exit: { afterMs: 1000, code: 0 } } },
  });

const exists = (cluster: Cluster, name: string): boolean => {
  try {
    getPod(cluster, name);
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.status.code === 404) return false;
    throw error;
  }
};

describe('kubelet: termination', () => {
  it('stops the containers of a deleted pod and deletes it (at once when they exit on SIGTERM)', () => {
    const cluster = kubeletCluster(catalog());
    createPod(cluster, 'web');
    cluster.runtime.settle();
    cluster.api.delete('pods', 'default', 'web');
    expect(summary(cluster, 'web').status).toBe('Terminating');
    cluster.runtime.settle();
    expect(elapsed(cluster)).toBe(0);
    expect(exists(cluster, 'web')).toBe(false);
    expect(eventsOf(cluster, 'web')).toContain('Killing: Stopping container web');
  });

  it('keeps a pod whose process ignores SIGTERM Terminating until its grace period ends', () => {
    const cluster = kubeletCluster(catalog());
    createPod(cluster, 'sleepy', {
      containers: [{ name: 'sleep', image: 'busybox:1.36', command: ['sleep', '3600'] }],
    });
    createPod(cluster, 'quick', {
      terminationGracePeriodSeconds: 5,
      containers: [{ name: 'sleep', image: 'busybox:1.36', command: ['sleep', '3600'] }],
    });
    cluster.runtime.settle();
    cluster.api.delete('pods', 'default', 'sleepy');
    cluster.api.delete('pods', 'default', 'quick');
    cluster.runtime.settle({ horizonMs: 4_000 });
    expect(summary(cluster, 'sleepy').status).toBe('Terminating');
    expect(summary(cluster, 'quick').status).toBe('Terminating');
    cluster.runtime.settle({ horizonMs: 5_000 });
    expect(elapsed(cluster)).toBe(5);
    expect(exists(cluster, 'quick')).toBe(false);
    expect(exists(cluster, 'sleepy')).toBe(true);
    cluster.runtime.settle();
    expect(elapsed(cluster)).toBe(30);
    expect(exists(cluster, 'sleepy')).toBe(false);
  });

  it('gives a pod held by a finalizer (a Job pod) its final status, and leaves finished pods alone', () => {
    const cluster = kubeletCluster(catalog());
    const finalizers = ['batch.kubernetes.io/job-tracking'];
    createPod(
      cluster,
      'job-run',
      {
        restartPolicy: 'Never',
        containers: [{ name: 'main', image: 'busybox:1.36', command: ['sleep', '3600'] }],
      },
      { metadata: { finalizers } },
    );
    createPod(
      cluster,
      'job-done',
      { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:done' }] },
      { metadata: { finalizers } },
    );
    cluster.runtime.settle();
    expect(statusOf(cluster, 'job-done').phase).toBe('Succeeded');
    const doneBefore = getPod(cluster, 'job-done');
    cluster.api.delete('pods', 'default', 'job-run', { gracePeriodSeconds: 10 });
    cluster.runtime.settle();
    expect(elapsed(cluster)).toBe(11);
    const run = getPod(cluster, 'job-run');
    expect((run.metadata as { deletionTimestamp?: string }).deletionTimestamp).toBeDefined();
    expect(statusOf(cluster, 'job-run').phase).toBe('Failed');
    expect(
      (containerOf(cluster, 'job-run', 'main').state as { terminated: unknown }).terminated,
    ).toMatchObject({
      exitCode: 137,
      reason: 'Error',
    });
    // The finished pod was not written again.
    expect(getPod(cluster, 'job-done')).toEqual(doneBefore);
    // Once its finalizer goes, so does the pod.
    cluster.api.update({ ...run, metadata: { ...(run.metadata as object), finalizers: [] } });
    cluster.runtime.settle();
    expect(exists(cluster, 'job-run')).toBe(false);
  });

  it('deletes at once a pod whose containers never started', () => {
    const cluster = kubeletCluster(catalog());
    createPod(cluster, 'stuck', { containers: [{ name: 'web', image: 'nope:1' }] });
    cluster.runtime.settle();
    expect(summary(cluster, 'stuck').status).toBe('ErrImagePull');
    cluster.api.delete('pods', 'default', 'stuck');
    cluster.runtime.settle();
    expect(exists(cluster, 'stuck')).toBe(false);
    // Nothing of the pod is left pending.
    expect(cluster.runtime.advance(600_000).pending).toEqual({ ready: 0, progress: 0, wait: 0 });
  });
});

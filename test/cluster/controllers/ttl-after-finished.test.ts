import { afterEach, describe, expect, it } from 'vitest';
import type { Cluster } from '../../../src/cluster/cluster.js';
import { jobController } from '../../../src/cluster/controllers/job.js';
import { ttlAfterFinishedController } from '../../../src/cluster/controllers/ttl-after-finished.js';
import type { KubeObject } from '../../../src/cluster/store/types.js';
import { controllerCluster, OUTCOME, RUN_MS, T0 } from '../volumes/fake-node.js';

const clusters: Cluster[] = [];
afterEach(() => {
  for (const c of clusters.splice(0)) {
    const errors = c.runtime.errors;
    c.close();
    expect(errors).toEqual([]);
  }
});

function open(): Cluster {
  const cluster = controllerCluster([jobController, ttlAfterFinishedController]);
  clusters.push(cluster);
  return cluster;
}

function job(name: string, ttl: number | undefined, outcome = 'Succeeded'): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: {
      ...(ttl === undefined ? {} : { ttlSecondsAfterFinished: ttl }),
      backoffLimit: 0,
      template: {
        metadata: { annotations: { [OUTCOME]: outcome, [RUN_MS]: '5000' } },
        spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] },
      },
    },
  };
}

const exists = (c: Cluster, name: string) =>
  c.api
    .list('jobs.batch', { namespace: 'default' })
    .items.some((j) => (j.metadata as { name: string }).name === name);
const pods = (c: Cluster, name: string) =>
  c.api.list('pods', { namespace: 'default', labelSelector: `job-name=${name}` }).items;

describe('ttl-after-finished-controller', () => {
  it('deletes a finished Job and its pods ttlSecondsAfterFinished after it finished (under settle)', () => {
    const c = open();
    c.api.create(job('short', 100));
    c.runtime.settle({ horizonMs: 60_000 });
    expect(exists(c, 'short')).toBe(true);
    c.runtime.settle();
    expect(exists(c, 'short')).toBe(false);
    expect(pods(c, 'short')).toHaveLength(0);
    // Finished at +5 s, deleted 100 s later.
    expect(c.now().getTime() - T0).toBe(105_000);
  });

  it('deletes failed Jobs too, and never Jobs without a TTL', () => {
    const c = open();
    c.api.create(job('failed', 0, 'Failed'));
    c.api.create(job('kept', undefined));
    c.runtime.settle();
    expect(exists(c, 'failed')).toBe(false);
    expect(exists(c, 'kept')).toBe(true);
  });

  it('a TTL beyond the settle horizon waits for time to pass', () => {
    const c = open();
    c.api.create(job('daily', 86_400));
    const result = c.runtime.settle();
    expect(exists(c, 'daily')).toBe(true);
    expect(result.pending.wait).toBe(1);
    c.runtime.advance(86_400_000);
    expect(exists(c, 'daily')).toBe(false);
  });
});

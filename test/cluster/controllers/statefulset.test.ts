import { afterEach, describe, expect, it } from 'vitest';
import type { Cluster } from '../../../src/cluster/cluster.js';
import { statefulSetController } from '../../../src/cluster/controllers/statefulset.js';
import type { KubeObject } from '../../../src/cluster/store/types.js';
import { persistentVolumeController } from '../../../src/cluster/volumes/index.js';
import {
  controllerCluster,
  eventsOf,
  type FakeNode,
  fakeNode,
  metaOf,
  namesOf,
  specOf,
  statusOf,
} from '../volumes/fake-node.js';

type Json = Record<string, unknown>;

const clusters: Cluster[] = [];
afterEach(() => {
  for (const c of clusters.splice(0)) {
    const errors = c.runtime.errors;
    c.close();
    expect(errors).toEqual([]);
  }
});

function open(node: FakeNode = fakeNode()): Cluster {
  const cluster = controllerCluster([statefulSetController, persistentVolumeController], node);
  clusters.push(cluster);
  return cluster;
}

function web(overrides: Json = {}, image = 'nginx:1.27'): KubeObject {
  const spec: Json = {
    serviceName: 'web',
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'nginx', image, volumeMounts: [{ name: 'data', mountPath: '/data' }] }] },
    },
    volumeClaimTemplates: [
      {
        metadata: { name: 'data' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      },
    ],
    ...overrides,
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default' },
    spec,
  };
}

const pods = (c: Cluster) => c.api.list('pods', { namespace: 'default', labelSelector: 'app=web' }).items;
const claims = (c: Cluster) => c.api.list('persistentvolumeclaims', { namespace: 'default' }).items;
const sts = (c: Cluster) => c.api.get('statefulsets.apps', 'default', 'web');
const labels = (o: KubeObject) => (metaOf(o).labels ?? {}) as Record<string, string>;

describe('statefulset-controller', () => {
  it('creates web-0, web-1, web-2 in order, each only once the previous is Running and Ready (OrderedReady)', () => {
    const node = fakeNode();
    node.held.add('default/web-0');
    node.held.add('default/web-1');
    const c = open(node);
    c.api.create(web());
    c.runtime.settle();
    // web-0 exists but is held Pending: web-1 is not created.
    expect(namesOf(pods(c))).toEqual(['web-0']);
    expect(namesOf(claims(c))).toEqual(['data-web-0']);
    node.release(c, 'default/web-0');
    c.runtime.settle();
    expect(namesOf(pods(c))).toEqual(['web-0', 'web-1']);
    node.release(c, 'default/web-1');
    c.runtime.settle();
    expect(namesOf(pods(c))).toEqual(['web-0', 'web-1', 'web-2']);
    expect(namesOf(claims(c))).toEqual(['data-web-0', 'data-web-1', 'data-web-2']);

    const status = statusOf(sts(c));
    expect(status).toMatchObject({ replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3 });
    expect(status.availableReplicas).toBe(3);
    expect(status.observedGeneration).toBe(1);
    expect(status.currentRevision).toBe(status.updateRevision);
    expect(String(status.currentRevision)).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    const events = eventsOf(c, 'default', 'web', 'StatefulSet');
    expect(events.slice(0, 2)).toEqual([
      'SuccessfulCreate: create Claim data-web-0 Pod web-0 in StatefulSet web success',
      'SuccessfulCreate: create Pod web-0 in StatefulSet web successful',
    ]);
  });

  it('gives each pod its identity, its claim volume and the revision label; claims get the selector labels', () => {
    const c = open();
    c.api.create(web({ replicas: 2 }));
    c.runtime.settle();
    const pod = c.api.get('pods', 'default', 'web-1');
    const status = statusOf(sts(c));
    expect(labels(pod)).toEqual({
      app: 'web',
      'statefulset.kubernetes.io/pod-name': 'web-1',
      'apps.kubernetes.io/pod-index': '1',
      'controller-revision-hash': status.updateRevision,
    });
    expect(specOf(pod).hostname).toBe('web-1');
    expect(specOf(pod).subdomain).toBe('web');
    expect(specOf(pod).volumes).toContainEqual({
      name: 'data',
      persistentVolumeClaim: { claimName: 'data-web-1' },
    });
    const owner = (metaOf(pod).ownerReferences as Json[])[0]!;
    expect(owner).toMatchObject({ kind: 'StatefulSet', name: 'web', controller: true });
    const claim = c.api.get('persistentvolumeclaims', 'default', 'data-web-1');
    expect(labels(claim)).toEqual({ app: 'web' });
    expect(specOf(claim).storageClassName).toBe('standard');
    const revision = c.api.get('controllerrevisions.apps', 'default', String(status.updateRevision));
    expect(revision.revision).toBe(1);
    expect(labels(revision)['controller-revision-hash']).toBe(
      String(status.updateRevision).slice('web-'.length),
    );
  });

  it('numbers pods from spec.ordinals.start', () => {
    const c = open();
    c.api.create(web({ replicas: 2, ordinals: { start: 5 } }));
    c.runtime.settle();
    expect(namesOf(pods(c))).toEqual(['web-5', 'web-6']);
    expect(namesOf(claims(c))).toEqual(['data-web-5', 'data-web-6']);
  });

  it('scales down from the highest ordinal and keeps the claims (Retain)', () => {
    const c = open();
    c.api.create(web());
    c.runtime.settle();
    c.api.patch('statefulsets.apps', 'default', 'web', { spec: { replicas: 1 } }, 'merge');
    c.runtime.settle();
    expect(namesOf(pods(c))).toEqual(['web-0']);
    expect(namesOf(claims(c))).toEqual(['data-web-0', 'data-web-1', 'data-web-2']);
    const deletes = eventsOf(c, 'default', 'web', 'StatefulSet').filter((e) =>
      e.startsWith('SuccessfulDelete'),
    );
    expect(deletes).toEqual([
      'SuccessfulDelete: delete Pod web-2 in StatefulSet web successful',
      'SuccessfulDelete: delete Pod web-1 in StatefulSet web successful',
    ]);
    expect(statusOf(sts(c))).toMatchObject({ replicas: 1, readyReplicas: 1 });
    // Scaling up again reuses the claims.
    c.api.patch('statefulsets.apps', 'default', 'web', { spec: { replicas: 3 } }, 'merge');
    c.runtime.settle();
    expect(namesOf(pods(c))).toEqual(['web-0', 'web-1', 'web-2']);
    expect(namesOf(claims(c))).toEqual(['data-web-0', 'data-web-1', 'data-web-2']);
  });

  it('deletes the claims of removed pods when whenScaled is Delete', () => {
    const c = open();
    c.api.create(
      web({ persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Delete' } }),
    );
    c.runtime.settle();
    c.api.patch('statefulsets.apps', 'default', 'web', { spec: { replicas: 1 } }, 'merge');
    c.runtime.settle();
    expect(namesOf(claims(c))).toEqual(['data-web-0']);
  });

  it('halts scale-down while a pod is unhealthy (OrderedReady)', () => {
    const c = open();
    c.api.create(web());
    c.runtime.settle();
    const pod = c.api.get('pods', 'default', 'web-0');
    const status = statusOf(pod);
    const conditions = (status.conditions as Json[]).map((x) =>
      x.type === 'Ready' ? { ...x, status: 'False' } : x,
    );
    c.api.update({ ...pod, status: { ...status, conditions } }, { subresource: 'status' });
    c.api.patch('statefulsets.apps', 'default', 'web', { spec: { replicas: 1 } }, 'merge');
    c.runtime.settle();
    expect(namesOf(pods(c))).toEqual(['web-0', 'web-1', 'web-2']);
  });

  it('creates and deletes every pod at once with podManagementPolicy Parallel', () => {
    const node = fakeNode();
    for (const i of [0, 1, 2]) node.held.add(`default/web-${i}`);
    const c = open(node);
    c.api.create(web({ podManagementPolicy: 'Parallel' }));
    c.runtime.settle();
    // None is Ready, yet all exist.
    expect(namesOf(pods(c))).toEqual(['web-0', 'web-1', 'web-2']);
    for (const i of [0, 1, 2]) node.release(c, `default/web-${i}`);
    c.runtime.settle();
    c.api.patch('statefulsets.apps', 'default', 'web', { spec: { replicas: 0 } }, 'merge');
    c.runtime.settle({ horizonMs: 0 });
    expect(pods(c).filter((p) => metaOf(p).deletionTimestamp != null)).toHaveLength(3);
    c.runtime.settle();
    expect(pods(c)).toHaveLength(0);
  });

  it('recreates a deleted pod with the same name', () => {
    const c = open();
    c.api.create(web({ replicas: 2 }));
    c.runtime.settle();
    const before = metaOf(c.api.get('pods', 'default', 'web-1')).uid;
    c.api.delete('pods', 'default', 'web-1');
    c.runtime.settle();
    const after = c.api.get('pods', 'default', 'web-1');
    expect(metaOf(after).uid).not.toBe(before);
    expect(statusOf(after).phase).toBe('Running');
    expect(namesOf(claims(c))).toEqual(['data-web-0', 'data-web-1']);
  });

  it('rolls out a new template in reverse ordinal order, one pod at a time', () => {
    const c = open();
    c.api.create(web());
    c.runtime.settle();
    const oldRevision = statusOf(sts(c)).currentRevision;
    c.api.patch(
      'statefulsets.apps',
      'default',
      'web',
      { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.28' }] } } } },
      'strategic',
    );
    c.runtime.settle();
    const status = statusOf(sts(c));
    expect(status.updateRevision).not.toBe(oldRevision);
    expect(status.currentRevision).toBe(status.updateRevision);
    expect(status).toMatchObject({ replicas: 3, readyReplicas: 3, updatedReplicas: 3, currentReplicas: 3 });
    for (const p of pods(c)) expect(labels(p)['controller-revision-hash']).toBe(status.updateRevision);
    const deletes = eventsOf(c, 'default', 'web', 'StatefulSet').filter((e) =>
      e.startsWith('SuccessfulDelete'),
    );
    expect(deletes).toEqual([
      'SuccessfulDelete: delete Pod web-2 in StatefulSet web successful',
      'SuccessfulDelete: delete Pod web-1 in StatefulSet web successful',
      'SuccessfulDelete: delete Pod web-0 in StatefulSet web successful',
    ]);
    expect(c.api.list('controllerrevisions.apps', { namespace: 'default' }).items).toHaveLength(2);
  });

  it('updates only ordinals at or above the partition', () => {
    const c = open();
    c.api.create(web({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } }));
    c.runtime.settle();
    const oldRevision = String(statusOf(sts(c)).currentRevision);
    c.api.patch(
      'statefulsets.apps',
      'default',
      'web',
      { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.28' }] } } } },
      'strategic',
    );
    c.runtime.settle();
    const status = statusOf(sts(c));
    const revisionOf = (name: string) =>
      labels(c.api.get('pods', 'default', name))['controller-revision-hash'];
    expect(revisionOf('web-2')).toBe(status.updateRevision);
    expect(revisionOf('web-1')).toBe(oldRevision);
    expect(revisionOf('web-0')).toBe(oldRevision);
    expect(status).toMatchObject({ currentRevision: oldRevision, updatedReplicas: 1, currentReplicas: 2 });
    // A deleted pod below the partition comes back at the current revision.
    c.api.delete('pods', 'default', 'web-0');
    c.runtime.settle();
    expect(revisionOf('web-0')).toBe(oldRevision);
    // Lowering the partition rolls the rest.
    c.api.patch(
      'statefulsets.apps',
      'default',
      'web',
      { spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } },
      'merge',
    );
    c.runtime.settle();
    for (const name of ['web-0', 'web-1', 'web-2']) expect(revisionOf(name)).toBe(status.updateRevision);
    expect(statusOf(sts(c)).currentRevision).toBe(status.updateRevision);
  });

  it('OnDelete only gives recreated pods the new template', () => {
    const c = open();
    c.api.create(web({ replicas: 2, updateStrategy: { type: 'OnDelete' } }));
    c.runtime.settle();
    const oldRevision = String(statusOf(sts(c)).currentRevision);
    c.api.patch(
      'statefulsets.apps',
      'default',
      'web',
      { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.28' }] } } } },
      'strategic',
    );
    c.runtime.settle();
    const revisionOf = (name: string) =>
      labels(c.api.get('pods', 'default', name))['controller-revision-hash'];
    expect(revisionOf('web-1')).toBe(oldRevision);
    c.api.delete('pods', 'default', 'web-1');
    c.runtime.settle();
    expect(revisionOf('web-1')).toBe(statusOf(sts(c)).updateRevision);
    expect(revisionOf('web-0')).toBe(oldRevision);
  });

  it('counts availability after minReadySeconds under settle', () => {
    const c = open();
    c.api.create(web({ replicas: 2, minReadySeconds: 10 }));
    const result = c.runtime.settle();
    expect(namesOf(pods(c))).toEqual(['web-0', 'web-1']);
    expect(statusOf(sts(c))).toMatchObject({ readyReplicas: 2, availableReplicas: 2 });
    expect(result.advancedMs).toBeGreaterThanOrEqual(20_000);
  });

  it('rolls up to maxUnavailable pods at once', () => {
    const c = open();
    c.api.create(
      web({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 2 } } }),
    );
    c.runtime.settle();
    c.api.patch(
      'statefulsets.apps',
      'default',
      'web',
      { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.28' }] } } } },
      'strategic',
    );
    // At the instant of the change, the two highest ordinals go together.
    c.runtime.settle({ horizonMs: 0 });
    const terminating = pods(c)
      .filter((p) => metaOf(p).deletionTimestamp != null)
      .map((p) => String(metaOf(p).name))
      .sort();
    expect(terminating).toEqual(['web-1', 'web-2']);
    c.runtime.settle();
    const status = statusOf(sts(c));
    expect(status).toMatchObject({ updatedReplicas: 3, readyReplicas: 3 });
    expect(status.currentRevision).toBe(status.updateRevision);
  });

  it('deletes its claims with it when whenDeleted is Delete', () => {
    const c = open();
    c.api.create(
      web({
        replicas: 2,
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' },
      }),
    );
    c.runtime.settle();
    const claim = c.api.get('persistentvolumeclaims', 'default', 'data-web-0');
    expect((metaOf(claim).ownerReferences as Json[])[0]).toMatchObject({ kind: 'StatefulSet', name: 'web' });
    c.api.delete('statefulsets.apps', 'default', 'web');
    c.runtime.settle();
    expect(pods(c)).toHaveLength(0);
    expect(claims(c)).toHaveLength(0);
  });
});

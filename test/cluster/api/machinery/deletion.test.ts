import { describe, expect, it } from 'vitest';
import { ClusterApi } from '../../../../src/cluster/api/machinery/cluster-api.js';
import { ApiError } from '../../../../src/cluster/api/types.js';
import type { KubeObject } from '../../../../src/cluster/store/types.js';
import { configMap, deployment, FakeSchema, meta, newCluster, ownerRef, service } from './fixtures.js';

function exists(api: ClusterApi, resource: string, namespace: string, name: string): boolean {
  try {
    api.get(resource, namespace, name);
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.code === 404) return false;
    throw error;
  }
}

function replicaSet(name: string, owner: KubeObject, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      ownerReferences: [ownerRef(owner, { controller: true, blockOwnerDeletion: true, ...extra })],
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } } },
    },
  };
}

function pod(name: string, owner?: KubeObject, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      ...(owner
        ? { ownerReferences: [ownerRef(owner, { controller: true, blockOwnerDeletion: true })] }
        : {}),
    },
    spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec },
  };
}

/** Deployment → ReplicaSet → two Pods. */
function tree(api: ClusterApi) {
  const deploy = api.create(deployment('web'));
  const rs = api.create(replicaSet('web-abc', deploy));
  const pods = [api.create(pod('web-abc-1', rs)), api.create(pod('web-abc-2', rs))];
  return { deploy, rs, pods };
}

describe('finalizers and graceful deletion', () => {
  it('keeps an object with finalizers, marked, until they are gone', () => {
    const { api, clock } = newCluster();
    api.create(configMap('c', { metadata: { name: 'c', finalizers: ['example.com/hold'] } }));
    clock.advance(5);
    const marked = api.delete('configmaps', 'default', 'c');
    expect(meta(marked)).toMatchObject({
      deletionTimestamp: '2024-05-01T10:00:05Z',
      deletionGracePeriodSeconds: 0,
      finalizers: ['example.com/hold'],
    });
    expect(exists(api, 'configmaps', 'default', 'c')).toBe(true);
    // A second delete changes nothing; new finalizers are refused.
    expect(meta(api.delete('configmaps', 'default', 'c')).deletionTimestamp).toBe('2024-05-01T10:00:05Z');
    expect(() =>
      api.patch('cm', 'default', 'c', { metadata: { finalizers: ['example.com/hold', 'x'] } }, 'merge'),
    ).toThrow(
      'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"x"}',
    );
    api.patch('cm', 'default', 'c', { metadata: { finalizers: null } }, 'merge');
    expect(exists(api, 'configmaps', 'default', 'c')).toBe(false);
  });

  it('gives scheduled pods a grace period; a delete with 0 ends it', () => {
    const { api } = newCluster();
    api.create(pod('p', undefined, { nodeName: 'node2', terminationGracePeriodSeconds: 10 }));
    const terminating = api.delete('pods', 'default', 'p');
    expect(meta(terminating)).toMatchObject({
      deletionTimestamp: '2024-05-01T10:00:10Z',
      deletionGracePeriodSeconds: 10,
      generation: 2,
    });
    // Status updates (the kubelet's) do not remove it.
    api.update({ ...terminating, status: { phase: 'Running' } }, { subresource: 'status' });
    expect(exists(api, 'pods', 'default', 'p')).toBe(true);
    api.delete('pods', 'default', 'p', { gracePeriodSeconds: 0 });
    expect(exists(api, 'pods', 'default', 'p')).toBe(false);
  });

  it('deletes unscheduled pods at once', () => {
    const { api } = newCluster();
    api.create(pod('p'));
    api.delete('pods', 'default', 'p');
    expect(exists(api, 'pods', 'default', 'p')).toBe(false);
  });

  it('checks preconditions', () => {
    const { api, store } = newCluster();
    const cm = api.create(configMap('c'));
    const before = store.currentRevision();
    expect(() => api.delete('cm', 'default', 'c', { preconditions: { uid: 'x' } })).toThrow(
      `Operation cannot be fulfilled on configmaps "c": Precondition failed: UID in precondition: x, UID in object meta: ${meta(cm).uid}`,
    );
    expect(() => api.delete('cm', 'default', 'c', { preconditions: { resourceVersion: '1' } })).toThrow(
      `Precondition failed: ResourceVersion in precondition: 1, ResourceVersion in object meta: ${meta(cm).resourceVersion}`,
    );
    expect(store.currentRevision()).toBe(before);
    expect(() => api.delete('cm', 'default', 'nope')).toThrow('configmaps "nope" not found');
  });
});

describe('garbage collection', () => {
  it('Background: the owner goes at once, then its dependents', () => {
    const { api } = newCluster();
    tree(api);
    const gone = api.delete('deployments.apps', 'default', 'web', { propagationPolicy: 'Background' });
    expect(meta(gone).name).toBe('web');
    expect(exists(api, 'deployments.apps', 'default', 'web')).toBe(false);
    expect(api.list('replicasets.apps').items).toEqual([]);
    expect(api.list('pods').items).toEqual([]);
  });

  it('leaves Events alone, as kube-controller-manager ignores them by default (GCIgnoredResources)', () => {
    const { api } = newCluster();
    const { deploy } = tree(api);
    api.create({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'web.1', ownerReferences: [ownerRef(deploy)] },
      involvedObject: { kind: 'Deployment', name: 'web' },
      reason: 'ScalingReplicaSet',
      message: 'Scaled up',
    });
    api.delete('deployments.apps', 'default', 'web');
    expect(api.list('pods').items).toEqual([]);
    expect(exists(api, 'events', 'default', 'web.1')).toBe(true);
  });

  it('Background is the default and keeps dependents with another live owner', () => {
    const { api } = newCluster();
    const a = api.create(configMap('a'));
    const b = api.create(configMap('b'));
    api.create(
      configMap('shared', { metadata: { name: 'shared', ownerReferences: [ownerRef(a), ownerRef(b)] } }),
    );
    api.delete('cm', 'default', 'a');
    const shared = api.get('cm', 'default', 'shared');
    expect(meta(shared).ownerReferences).toEqual([ownerRef(b)]);
    api.delete('cm', 'default', 'b');
    expect(exists(api, 'cm', 'default', 'shared')).toBe(false);
  });

  it('Foreground: the owner waits, marked, for its blocking dependents', () => {
    const { api } = newCluster();
    const { rs } = tree(api);
    // Scheduled pods terminate gracefully, so the ReplicaSet and Deployment must wait for them.
    for (const p of api.list('pods').items) {
      api.patch('pods', 'default', String(meta(p).name), { spec: { nodeName: 'node2' } }, 'merge');
    }
    const marked = api.delete('deployments.apps', 'default', 'web', { propagationPolicy: 'Foreground' });
    expect(meta(marked).finalizers).toEqual(['foregroundDeletion']);
    expect(meta(marked).deletionTimestamp).toBe('2024-05-01T10:00:00Z');
    expect(meta(api.get('rs', 'default', 'web-abc')).finalizers).toEqual(['foregroundDeletion']);
    const pods = api.list('pods').items;
    expect(pods.map((p) => meta(p).deletionTimestamp)).toEqual([
      '2024-05-01T10:00:30Z',
      '2024-05-01T10:00:30Z',
    ]);
    // The kubelet finishes the pods: the ReplicaSet, then the Deployment go.
    api.delete('pods', 'default', 'web-abc-1', { gracePeriodSeconds: 0 });
    expect(exists(api, 'rs', 'default', 'web-abc')).toBe(true);
    api.delete('pods', 'default', 'web-abc-2', { gracePeriodSeconds: 0 });
    expect(exists(api, 'rs', 'default', meta(rs).name as string)).toBe(false);
    expect(exists(api, 'deployments.apps', 'default', 'web')).toBe(false);
  });

  it('Foreground with dependents that go at once removes everything in the call', () => {
    const { api } = newCluster();
    tree(api);
    api.delete('deployments.apps', 'default', 'web', { propagationPolicy: 'Foreground' });
    expect(api.list('deployments.apps').items).toEqual([]);
    expect(api.list('rs').items).toEqual([]);
    expect(api.list('pods').items).toEqual([]);
  });

  it('Foreground does not wait for dependents without blockOwnerDeletion', () => {
    const { api } = newCluster();
    const owner = api.create(configMap('owner'));
    api.create(pod('p', undefined, { nodeName: 'node2' }));
    api.patch('pods', 'default', 'p', { metadata: { ownerReferences: [ownerRef(owner)] } }, 'merge');
    api.delete('cm', 'default', 'owner', { propagationPolicy: 'Foreground' });
    expect(exists(api, 'cm', 'default', 'owner')).toBe(false);
    expect(meta(api.get('pods', 'default', 'p')).deletionTimestamp).toBe('2024-05-01T10:00:30Z');
  });

  it('Orphan: dependents stay without the owner reference', () => {
    const { api } = newCluster();
    tree(api);
    api.delete('deployments.apps', 'default', 'web', { propagationPolicy: 'Orphan' });
    expect(exists(api, 'deployments.apps', 'default', 'web')).toBe(false);
    const rs = api.get('rs', 'default', 'web-abc');
    expect(meta(rs).ownerReferences).toBeUndefined();
    expect(api.list('pods').items).toHaveLength(2);
    // The pods still belong to the ReplicaSet.
    api.delete('rs', 'default', 'web-abc');
    expect(api.list('pods').items).toEqual([]);
  });

  it('finds dependents written by another API instance on the same store', () => {
    const { api, store, registry, clock } = newCluster();
    const owner = api.create(configMap('owner'));
    // Builds the owner index now, before the other instance writes.
    api.create(configMap('x'));
    api.delete('cm', 'default', 'x');
    const other = new ClusterApi({ store, registry, schema: new FakeSchema(), clock: clock.now });
    other.create(configMap('dep', { metadata: { name: 'dep', ownerReferences: [ownerRef(owner)] } }));
    api.delete('cm', 'default', 'owner');
    expect(exists(api, 'cm', 'default', 'dep')).toBe(false);
  });
});

describe('namespace deletion', () => {
  it('deletes everything in the namespace, then the namespace', () => {
    const { api } = newCluster({ namespaces: ['blue', 'green'] });
    api.create(configMap('c'), { namespace: 'blue' });
    api.create(service('s'), { namespace: 'blue' });
    api.create(configMap('c'), { namespace: 'green' });
    api.delete('namespaces', '', 'blue');
    expect(exists(api, 'namespaces', '', 'blue')).toBe(false);
    expect(api.list('cm', { namespace: 'blue' }).items).toEqual([]);
    expect(api.list('svc', { namespace: 'blue' }).items).toEqual([]);
    expect(api.list('cm', { namespace: 'green' }).items).toHaveLength(1);
  });

  it('stays Terminating until remaining content goes, refusing new content', () => {
    const { api } = newCluster({ namespaces: ['blue'] });
    api.create(pod('p', undefined, { nodeName: 'node2' }), { namespace: 'blue' });
    api.create(configMap('held', { metadata: { name: 'held', finalizers: ['x/y'] } }), { namespace: 'blue' });
    api.create(configMap('free'), { namespace: 'blue' });
    const ns = api.delete('namespaces', '', 'blue');
    expect(ns.status).toEqual({ phase: 'Terminating' });
    expect(meta(ns).deletionTimestamp).toBe('2024-05-01T10:00:00Z');
    expect(ns.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(exists(api, 'cm', 'blue', 'free')).toBe(false);
    expect(() => api.create(configMap('new'), { namespace: 'blue' })).toThrow(
      'configmaps "new" is forbidden: unable to create new content in namespace blue because it is being terminated',
    );
    api.delete('pods', 'blue', 'p', { gracePeriodSeconds: 0 });
    expect(exists(api, 'namespaces', '', 'blue')).toBe(true);
    api.patch('cm', 'blue', 'held', { metadata: { finalizers: [] } }, 'merge');
    expect(exists(api, 'namespaces', '', 'blue')).toBe(false);
  });

  it('waits for both its own finalizers and its content', () => {
    const { api } = newCluster();
    api.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'held', finalizers: ['example.com/x'] },
    });
    api.create(configMap('c', { metadata: { name: 'c', finalizers: ['x/y'] } }), { namespace: 'held' });
    api.delete('namespaces', '', 'held');
    // Its own finalizer goes first: the content still holds it.
    api.patch('namespaces', '', 'held', { metadata: { finalizers: null } }, 'merge');
    expect(api.get('namespaces', '', 'held').spec).toEqual({ finalizers: ['kubernetes'] });
    api.patch('cm', 'held', 'c', { metadata: { finalizers: null } }, 'merge');
    expect(exists(api, 'namespaces', '', 'held')).toBe(false);
  });

  it('refuses to delete default, kube-system and kube-public', () => {
    const { api } = newCluster();
    expect(() => api.delete('namespaces', '', 'default')).toThrow(
      'namespaces "default" is forbidden: this namespace may not be deleted',
    );
    expect(exists(api, 'namespaces', '', 'default')).toBe(true);
  });
});

describe('deleteCollection', () => {
  it('deletes what a selector selects', () => {
    const { api } = newCluster();
    api.create(configMap('a', { metadata: { name: 'a', labels: { x: '1' } } }));
    api.create(configMap('b', { metadata: { name: 'b', labels: { x: '2' } } }));
    const deleted = api.deleteCollection('cm', { namespace: 'default', labelSelector: 'x=1' });
    expect(deleted.items.map((o) => meta(o).name)).toEqual(['a']);
    expect(api.list('cm').items.map((o) => meta(o).name)).toEqual(['b']);
  });
});

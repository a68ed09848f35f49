/**
 * The machinery's all-or-nothing writes and cascades on both store implementations.
 */

import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../../src/cluster/api/types.js';
import {
  configMap,
  deployment,
  meta,
  newCluster,
  openTestStore,
  ownerRef,
  type StoreKind,
  service,
} from './fixtures.js';

describe.each<StoreKind>(['memory', 'sqlite'])('on the %s store', (which) => {
  it('stores nothing when any part of a write fails', () => {
    const { api, store } = newCluster({ store: openTestStore(which) });
    api.create(service('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 30010 }] }));
    const revision = store.currentRevision();
    const meta0 = JSON.stringify([
      store.getMeta('api.service-cluster-ips'),
      store.getMeta('api.random-state'),
    ]);
    // The ClusterIP is allocated before the NodePort is refused: both must roll back.
    expect(() =>
      api.create(service('b', { type: 'NodePort', ports: [{ port: 80, nodePort: 30010 }] })),
    ).toThrow(ApiError);
    expect(store.currentRevision()).toBe(revision);
    expect(
      JSON.stringify([store.getMeta('api.service-cluster-ips'), store.getMeta('api.random-state')]),
    ).toBe(meta0);
  });

  it('runs a dry run to the end and rolls it back', () => {
    const { api, store } = newCluster({ store: openTestStore(which) });
    const deploy = api.create(deployment('web'));
    api.create(configMap('dep', { metadata: { name: 'dep', ownerReferences: [ownerRef(deploy)] } }));
    const revision = store.currentRevision();
    const result = api.delete('deployments.apps', 'default', 'web', {
      dryRun: true,
      propagationPolicy: 'Foreground',
    });
    expect(meta(result).name).toBe('web');
    expect(store.currentRevision()).toBe(revision);
    expect(api.list('cm').items).toHaveLength(1);
    api.delete('deployments.apps', 'default', 'web');
    expect(api.list('cm').items).toHaveLength(0);
  });

  it('cascades namespace deletion and garbage collection', () => {
    const { api } = newCluster({ store: openTestStore(which), namespaces: ['blue'] });
    const owner = api.create(configMap('owner'), { namespace: 'blue' });
    api.create(
      configMap('dep', { metadata: { name: 'dep', namespace: 'blue', ownerReferences: [ownerRef(owner)] } }),
    );
    api.create(service('s'), { namespace: 'blue' });
    api.delete('namespaces', '', 'blue');
    expect(api.list('namespaces').items.map((n) => meta(n).name)).toEqual(['default', 'kube-system']);
    expect(api.list('cm').items).toEqual([]);
    expect(api.list('svc').items).toEqual([]);
  });

  it('detects stale writes', () => {
    const { api } = newCluster({ store: openTestStore(which) });
    const v1 = api.create(configMap('c'));
    api.update({ ...v1, data: { a: '1' } });
    expect(() => api.update({ ...v1, data: { a: '2' } })).toThrow('the object has been modified');
  });
});

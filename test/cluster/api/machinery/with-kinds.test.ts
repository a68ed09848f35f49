/**
 * The machinery with the real kinds layer (registry, conversion, defaults, validation).
 */

import { describe, expect, it } from 'vitest';
import { BuiltinKindRegistry, KubeObjectSchema } from '../../../../src/cluster/api/kinds/index.js';
import { ClusterApi } from '../../../../src/cluster/api/machinery/cluster-api.js';
import { MemoryStore } from '../../../../src/cluster/store/index.js';
import { deployment, meta, service, TestClock } from './fixtures.js';

function cluster(): ClusterApi {
  const registry = new BuiltinKindRegistry();
  const clock = new TestClock();
  const api = new ClusterApi({
    store: new MemoryStore(),
    registry,
    schema: new KubeObjectSchema(registry),
    clock: clock.now,
  });
  for (const name of ['default', 'kube-system'])
    api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return api;
}

describe('with the built-in kinds', () => {
  it('creates, scales and garbage-collects a Deployment', () => {
    const api = cluster();
    const deploy = api.create(deployment('web', 2));
    expect(deploy.spec).toMatchObject({ revisionHistoryLimit: 10, progressDeadlineSeconds: 600 });
    api.patch('deployments.apps', 'default', 'web', { spec: { replicas: 3 } }, 'merge', {
      subresource: 'scale',
    });
    expect(meta(api.get('deploy', 'default', 'web')).generation).toBe(2);
    api.delete('deployments.apps', 'default', 'web');
    expect(api.list('deployments.apps').items).toEqual([]);
  });

  it('allocates Services and keeps (kind, namespace, name) unique', () => {
    const api = cluster();
    const svc = api.create(service('hasher'));
    expect((svc.spec as { clusterIP: string }).clusterIP).toMatch(/^10\.(9[6-9]|10\d|11[01])\./);
    expect(() => api.create(service('hasher'))).toThrow('services "hasher" already exists');
    expect(() => api.create(deployment('Web'))).toThrow(
      /^Deployment\.apps "Web" is invalid: metadata\.name: Invalid value: "Web"/,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { desiredGroups, planSlices } from '../../../src/cluster/controllers/endpointslice-plan.js';
import type { PodEndpointInfo } from '../../../src/cluster/controllers/service-pod-index.js';
import type { KubeObject } from '../../../src/cluster/store/types.js';

const service: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default', uid: 'svc-uid' },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
};

const pod = (i: number, port = true): PodEndpointInfo => ({
  namespace: 'default',
  name: `web-${String(i).padStart(3, '0')}`,
  uid: `uid-${i}`,
  ip: `10.0.${Math.floor(i / 250)}.${i % 250}`,
  nodeName: 'node-1',
  ready: true,
  terminating: false,
  terminal: false,
  labels: { app: 'web' },
  ports: port ? [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] : [],
  hostname: '',
  subdomain: '',
});

const labels = { 'kubernetes.io/service-name': 'web' };

describe('planSlices', () => {
  it('creates one empty placeholder slice for a Service without endpoints', () => {
    const plan = planSlices(service, [], desiredGroups(service, []), labels);
    expect(plan.toCreate).toEqual([{ existing: undefined, ports: [], endpoints: [] }]);
    expect(plan.toUpdate).toEqual([]);
    expect(plan.toDelete).toEqual([]);
  });

  it('splits new endpoints into slices of at most 100, grouped by resolved ports', () => {
    const pods = [...Array.from({ length: 150 }, (_, i) => pod(i)), pod(999, false)];
    const plan = planSlices(service, [], desiredGroups(service, pods), labels);
    const sizes = plan.toCreate.map((d) => [d.ports.length, d.endpoints.length]);
    expect(sizes).toEqual([
      [1, 100],
      [1, 50],
      [0, 1],
    ]);
    expect(plan.toCreate[0]!.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
  });

  it('leaves a slice that already holds the desired endpoints alone, and deletes a foreign one', () => {
    const groups = desiredGroups(service, [pod(1)]);
    const [group] = [...groups.values()];
    const owned: KubeObject = {
      metadata: { name: 'web-abcde', labels, ownerReferences: [{ uid: 'svc-uid' }] },
      addressType: 'IPv4',
      ports: group!.ports,
      endpoints: [...group!.endpoints.values()].map((d) => d.endpoint),
    };
    const foreign: KubeObject = { ...owned, metadata: { name: 'web-zzzzz', labels } };
    const plan = planSlices(service, [owned, foreign], groups, labels);
    expect(plan).toEqual({ toUpdate: [], toCreate: [], toDelete: [foreign] });
  });
});

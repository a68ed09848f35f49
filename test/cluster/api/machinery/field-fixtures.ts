/**
 * A Pod with one of each kind of field managedFields tracks: keyed lists (containers, ports, env,
 * volumes, owner references), a set (finalizers), an atomic list (tolerations, args), maps.
 */

import type { JsonObject } from '../../../../src/cluster/api/machinery/json-values.js';

export const fieldsPod: JsonObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'web-1',
    namespace: 'default',
    uid: 'u1',
    generateName: 'web-',
    labels: { app: 'web', 'pod-template-hash': 'abc' },
    annotations: {},
    finalizers: ['b.example/x', 'a.example/y'],
    ownerReferences: [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-1', controller: true },
    ],
  },
  spec: {
    containers: [
      {
        name: 'web',
        image: 'nginx:1.13.11',
        ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443 }],
        env: [
          { name: 'B', value: '2' },
          { name: 'A', valueFrom: { fieldRef: { fieldPath: 'x' } } },
        ],
        args: ['-g', 'daemon off;'],
        resources: {},
      },
      { name: 'side', image: 'busybox' },
    ],
    volumes: [{ name: 'data', emptyDir: {} }],
    tolerations: [{ key: 'k', operator: 'Exists' }],
    nodeSelector: { disk: 'ssd' },
  },
};

import { describe, expect, it } from 'vitest';
import {
  changedFields,
  type FieldScope,
  toFieldsV1,
} from '../../../../src/cluster/api/machinery/field-set.js';
import { ownedFieldsTrie } from '../../../../src/cluster/api/machinery/field-trie.js';
import type { JsonObject } from '../../../../src/cluster/api/machinery/json-values.js';
import { updateManagedFields } from '../../../../src/cluster/api/machinery/managed-fields.js';
import { listStrategiesOf } from '../../../../src/cluster/api/machinery/patch-strategies.js';

/** What the general route (path sets) makes of a create: the reference the one-walk trie must equal. */
const viaPaths = (object: JsonObject, scope: FieldScope, kind: string) =>
  toFieldsV1(changedFields(undefined, object, scope, listStrategiesOf(kind)).changed);

const pod: JsonObject = {
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
    restartPolicy: 'Always',
  },
  status: {
    phase: 'Running',
    conditions: [
      { type: 'Ready', status: 'True' },
      { type: 'PodScheduled', status: 'True' },
    ],
    containerStatuses: [{ name: 'web', ready: true, state: { running: { startedAt: 't' } } }],
  },
};

describe('ownedFieldsTrie', () => {
  it('equals the path-set route for a Pod, in both scopes', () => {
    for (const scope of ['main', 'status'] as const) {
      const trie = ownedFieldsTrie(pod, scope, listStrategiesOf('Pod'));
      expect(trie).toEqual(viaPaths(pod, scope, 'Pod'));
      // Same key order at every level, as the stored JSON shows it.
      expect(JSON.stringify(trie)).toBe(JSON.stringify(viaPaths(pod, scope, 'Pod')));
    }
    const main = ownedFieldsTrie(pod, 'main', listStrategiesOf('Pod'));
    expect(Object.keys(main)).toEqual(['f:metadata', 'f:spec']);
    expect(main['f:metadata']).toMatchObject({
      'f:finalizers': { 'v:"a.example/y"': {}, 'v:"b.example/x"': {} },
      'f:ownerReferences': { 'k:{"uid":"rs-1"}': { '.': {}, 'f:name': {} } },
    });
  });

  it('equals the path-set route for odd shapes: duplicate keys, items without the key, empty values', () => {
    const odd: JsonObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's', labels: {} },
      spec: {
        ports: [{ port: 80 }, { port: 80, name: 'again' }],
        selector: {},
        externalIPs: [],
        // An item without the merge key makes the whole list atomic.
        containers: [{ name: 'a' }, { image: 'x' }],
        nested: { a: { b: { c: [1, 2] } }, e: null },
      },
    };
    for (const kind of ['Service', 'Pod', 'ConfigMap'])
      expect(JSON.stringify(ownedFieldsTrie(odd, 'main', listStrategiesOf(kind)))).toBe(
        JSON.stringify(viaPaths(odd, 'main', kind)),
      );
    expect(
      ownedFieldsTrie({ apiVersion: 'v1', kind: 'X', metadata: { name: 'n' } }, 'main', () => undefined),
    ).toEqual({});
  });

  it('is what a create records in managedFields', () => {
    const writer = { manager: 'kubectl', operation: 'Update' as const, subresource: '', apiVersion: 'v1' };
    expect(updateManagedFields(undefined, pod, writer, 'T', listStrategiesOf('Pod'))).toEqual([
      {
        manager: 'kubectl',
        operation: 'Update',
        apiVersion: 'v1',
        time: 'T',
        fieldsType: 'FieldsV1',
        fieldsV1: viaPaths(pod, 'main', 'Pod'),
      },
    ]);
    expect(
      updateManagedFields(
        undefined,
        pod,
        { ...writer, subresource: 'status' },
        'T',
        listStrategiesOf('Pod'),
      )[0],
    ).toMatchObject({ subresource: 'status', fieldsV1: viaPaths(pod, 'status', 'Pod') });
    expect(
      updateManagedFields(undefined, { kind: 'X', metadata: { name: 'n' } }, writer, 'T', () => undefined),
    ).toEqual([]);
  });
});

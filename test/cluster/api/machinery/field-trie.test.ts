import { describe, expect, it } from 'vitest';
import { changedFields } from '../../../../src/cluster/api/machinery/field-changes.js';
import {
  type FieldScope,
  fieldValues,
  fromFieldsV1,
  toFieldsV1,
} from '../../../../src/cluster/api/machinery/field-set.js';
import { ownedFieldsTrie } from '../../../../src/cluster/api/machinery/field-trie.js';
import { type JsonObject, jsonEqual } from '../../../../src/cluster/api/machinery/json-values.js';
import { updateManagedFields } from '../../../../src/cluster/api/machinery/managed-fields.js';
import { listStrategiesOf } from '../../../../src/cluster/api/machinery/patch-strategies.js';
import { fieldsPod } from './field-fixtures.js';

/** What the general route (path sets) makes of a create: the reference the one-walk trie must equal. */
const viaPaths = (object: JsonObject, scope: FieldScope, kind: string) =>
  toFieldsV1(changedFields(undefined, object, scope, listStrategiesOf(kind)).changed);

const pod: JsonObject = {
  ...fieldsPod,
  spec: { ...(fieldsPod.spec as JsonObject), restartPolicy: 'Always' },
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

/** The path-set route of an update (decode every entry, edit sets, encode): the reference. */
function viaPathSets(
  before: JsonObject,
  after: JsonObject,
  writer: { manager: string; operation: 'Update'; subresource: string; apiVersion: string },
  time: string,
  kind: string,
): JsonObject[] {
  const strategies = listStrategiesOf(kind);
  const scope = writer.subresource === 'status' ? 'status' : 'main';
  const { changed, removed } = changedFields(before, after, scope, strategies);
  const stored = ((before['metadata'] as JsonObject)['managedFields'] as JsonObject[]) ?? [];
  const encode = (h: Record<string, unknown>, t: string, fields: ReadonlySet<string>): JsonObject[] =>
    fields.size === 0
      ? []
      : [
          {
            manager: h['manager'],
            operation: h['operation'],
            apiVersion: h['apiVersion'],
            time: t,
            fieldsType: 'FieldsV1',
            fieldsV1: toFieldsV1(fields),
            ...(h['subresource'] ? { subresource: h['subresource'] } : {}),
          },
        ];
  const out: JsonObject[] = [];
  let mine = false;
  for (const raw of stored) {
    const fields = fromFieldsV1(raw['fieldsV1']);
    const isMine =
      raw['manager'] === writer.manager &&
      raw['operation'] === 'Update' &&
      (raw['subresource'] ?? '') === writer.subresource &&
      raw['apiVersion'] === writer.apiVersion;
    if (isMine) {
      mine = true;
      const next = new Set(fields);
      for (const p of changed) next.add(p);
      for (const p of removed) next.delete(p);
      const same = next.size === fields.size && [...next].every((p) => fields.has(p));
      out.push(...(same ? [raw] : encode(writer, time, next)));
      continue;
    }
    if (![...changed, ...removed].some((p) => fields.has(p))) {
      out.push(raw);
      continue;
    }
    const next = new Set(fields);
    for (const p of [...changed, ...removed]) next.delete(p);
    out.push(...encode(raw, String(raw['time']), next));
  }
  if (!mine && changed.size > 0) out.push(...encode(writer, time, new Set(changed)));
  return out;
}

describe('updateManagedFields on tries', () => {
  const strategies = listStrategiesOf('Pod');
  const rs = {
    manager: 'replicaset-controller',
    operation: 'Update' as const,
    subresource: '',
    apiVersion: 'v1',
  };
  const kubelet = {
    manager: 'kubelet',
    operation: 'Update' as const,
    subresource: 'status',
    apiVersion: 'v1',
  };
  const kubectl = {
    manager: 'kubectl-edit',
    operation: 'Update' as const,
    subresource: '',
    apiVersion: 'v1',
  };
  const withFields = (object: JsonObject, managedFields: JsonObject[]): JsonObject => ({
    ...object,
    metadata: { ...(object['metadata'] as JsonObject), managedFields },
  });
  const step = (
    before: JsonObject,
    after: JsonObject,
    writer: typeof rs,
    time: string,
  ): { ours: JsonObject[]; ref: JsonObject[] } => ({
    ours: updateManagedFields(before, after, writer, time, strategies),
    ref: viaPathSets(before, after, writer, time, 'Pod'),
  });

  it('matches the path-set route through a pod life: create, status writes, edits by another manager', () => {
    const { status: _s, ...podMain } = pod;
    let current = withFields(podMain, updateManagedFields(undefined, podMain, rs, 'T0', strategies));
    const statuses: JsonObject[] = [
      { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }] },
      {
        phase: 'Pending',
        conditions: [
          { type: 'PodScheduled', status: 'True' },
          { type: 'Ready', status: 'False' },
        ],
        containerStatuses: [
          { name: 'web', ready: false, state: { waiting: { reason: 'ContainerCreating' } } },
        ],
      },
      {
        phase: 'Running',
        podIP: '10.244.1.5',
        conditions: [
          { type: 'PodScheduled', status: 'True' },
          { type: 'Ready', status: 'True' },
        ],
        containerStatuses: [{ name: 'web', ready: true, state: { running: { startedAt: 't' } } }],
      },
      { phase: 'Running', podIP: '10.244.1.5', conditions: [{ type: 'Ready', status: 'True' }] },
      { phase: 'Running', podIP: '10.244.1.5', conditions: [{ type: 'Ready', status: 'True' }] },
    ];
    statuses.forEach((status, i) => {
      const after = { ...current, status };
      const { ours, ref } = step(current, after, kubelet, `S${i}`);
      expect(JSON.stringify(ours)).toBe(JSON.stringify(ref));
      current = withFields(after, ours);
    });
    const edits: ((o: JsonObject) => JsonObject)[] = [
      (o) => ({ ...o, metadata: { ...(o['metadata'] as JsonObject), labels: { app: 'api' } } }),
      (o) => ({ ...o, spec: { ...(o['spec'] as JsonObject), nodeSelector: {} } }),
      (o) => {
        const { nodeSelector: _n, volumes: _v, ...spec } = o['spec'] as JsonObject;
        return { ...o, spec };
      },
      (o) => ({ ...o, metadata: { ...(o['metadata'] as JsonObject), finalizers: ['a.example/y'] } }),
    ];
    edits.forEach((edit, i) => {
      const after = edit(current);
      for (const writer of [kubectl, rs]) {
        const { ours, ref } = step(current, after, writer, `E${i}`);
        expect(JSON.stringify(ours)).toBe(JSON.stringify(ref));
      }
      current = withFields(after, updateManagedFields(current, after, kubectl, `E${i}`, strategies));
    });
  });
});

describe('changedFields', () => {
  /** The definition: every owned path of `after` that is new or holds a new value, and every path that went. */
  const reference = (before: JsonObject, after: JsonObject, scope: FieldScope, kind: string) => {
    const oldValues = fieldValues(before, scope, listStrategiesOf(kind));
    const newValues = fieldValues(after, scope, listStrategiesOf(kind));
    const changed = [...newValues].filter(([p, v]) => !oldValues.has(p) || !jsonEqual(oldValues.get(p), v));
    const removed = [...oldValues.keys()].filter((p) => !newValues.has(p));
    return { changed: changed.map(([p]) => p).sort(), removed: removed.sort() };
  };
  const ours = (before: JsonObject, after: JsonObject, scope: FieldScope, kind: string) => {
    const { changed, removed } = changedFields(before, after, scope, listStrategiesOf(kind));
    return { changed: [...changed].sort(), removed: [...removed].sort() };
  };
  const status = (conditions: unknown, containerStatuses?: unknown): JsonObject => ({
    ...pod,
    status: {
      phase: 'Running',
      conditions,
      ...(containerStatuses === undefined ? {} : { containerStatuses }),
    },
  });
  const ready = { type: 'Ready', status: 'True', lastTransitionTime: 't1' };
  const scheduled = { type: 'PodScheduled', status: 'True' };

  it('walks only the items of keyed lists that differ, with the same result as walking both whole', () => {
    const lists: unknown[] = [
      [scheduled],
      [scheduled, ready],
      [ready, scheduled],
      [scheduled, { ...ready, status: 'False' }],
      [scheduled, { ...ready, reason: 'x' }],
      [{ ...ready, lastTransitionTime: 't2' }],
      [scheduled, scheduled],
      [scheduled, { status: 'True' }],
      [],
      'not a list',
      [{ type: 'Ready', status: { nested: [1, 2] } }],
    ];
    for (const a of lists)
      for (const b of lists) {
        const before = status(a, [{ name: 'web', ready: false }]);
        const after = status(b, [{ name: 'web', ready: true, state: { running: {} } }]);
        expect(ours(before, after, 'status', 'Pod')).toEqual(reference(before, after, 'status', 'Pod'));
      }
  });

  it('is unchanged for keyed lists in the main resource (containers, ports, env)', () => {
    const spec = (containers: unknown): JsonObject => ({ ...pod, spec: { containers } });
    const variants: unknown[] = [
      [{ name: 'web', image: 'a', ports: [{ containerPort: 80 }] }],
      [{ name: 'web', image: 'b', ports: [{ containerPort: 80 }, { containerPort: 81 }] }],
      [
        { name: 'web', image: 'a' },
        { name: 'side', image: 'c', env: [{ name: 'A', value: '1' }] },
      ],
      [{ name: 'side', image: 'c', env: [{ name: 'A', value: '2' }] }],
    ];
    for (const a of variants)
      for (const b of variants)
        expect(ours(spec(a), spec(b), 'main', 'Pod')).toEqual(reference(spec(a), spec(b), 'main', 'Pod'));
  });
});

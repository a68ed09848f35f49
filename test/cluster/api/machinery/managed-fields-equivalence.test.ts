import { describe, expect, it } from 'vitest';
import { changedFields } from '../../../../src/cluster/api/machinery/field-changes.js';
import type { JsonObject } from '../../../../src/cluster/api/machinery/json-values.js';
import {
  type FieldManagerRef,
  updateManagedFields,
} from '../../../../src/cluster/api/machinery/managed-fields.js';
import type { ListStrategyLookup } from '../../../../src/cluster/api/machinery/patch-strategies.js';
import { listStrategiesOf } from '../../../../src/cluster/api/machinery/patch-strategies.js';
import { fieldsPod } from './field-fixtures.js';
import { referenceChangedFields, referenceUpdateManagedFields } from './managed-fields-reference.js';

/** JSON with `undefined` and non-finite numbers visible, so that no difference hides. */
const show = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    x === undefined ? '<undefined>' : typeof x === 'number' && !Number.isFinite(x) ? `<${x}>` : x,
  );

/** An own field, also for `__proto__` (which an object literal would take as the prototype). */
function put(o: JsonObject, k: string, v: unknown): JsonObject {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}

const withFields = (object: JsonObject, managedFields: unknown): JsonObject => {
  const meta = object.metadata;
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) return object;
  const copy: JsonObject = {};
  for (const k of Object.keys(meta)) put(copy, k, (meta as JsonObject)[k]);
  return { ...object, metadata: put(copy, 'managedFields', managedFields) };
};

const writer = (manager: string, subresource = '', apiVersion = 'v1'): FieldManagerRef => ({
  manager,
  operation: 'Update',
  subresource,
  apiVersion,
});

/** A write of a life: who writes, what the object becomes, and optionally stored entries to start from instead. */
interface Step {
  readonly by: FieldManagerRef;
  readonly next: (current: JsonObject) => JsonObject;
  readonly stored?: (entries: JsonObject[]) => unknown;
}

/**
 * Runs a life through the current code and the reference, each fed its own previous
 * `managedFields`, and checks every write's result (and the changed paths) byte for byte.
 */
function checkLife(
  start: JsonObject,
  creator: FieldManagerRef,
  steps: readonly Step[],
  strategies: ListStrategyLookup,
) {
  let ours = updateManagedFields(undefined, start, creator, 'T0', strategies);
  let ref = referenceUpdateManagedFields(undefined, start, creator, 'T0', strategies);
  expect(show(ours)).toBe(show(ref));
  let current = start;
  steps.forEach((step, i) => {
    const after = step.next(current);
    const stored = step.stored?.(ref);
    const oursBefore = withFields(current, step.stored ? stored : ours);
    const refBefore = withFields(current, step.stored ? stored : ref);
    const time = `T${i + 1}`;
    ours = updateManagedFields(oursBefore, after, step.by, time, strategies);
    ref = referenceUpdateManagedFields(refBefore, after, step.by, time, strategies);
    expect(show(ours), `write ${i + 1} by ${step.by.manager}`).toBe(show(ref));
    const scope = step.by.subresource === 'status' ? 'status' : 'main';
    const a = changedFields(refBefore, after, scope, strategies);
    const b = referenceChangedFields(refBefore, after, scope, strategies);
    expect([[...a.changed].sort(), [...a.removed].sort()]).toEqual([
      [...b.changed].sort(),
      [...new Set(b.removed)].sort(),
    ]);
    current = after;
  });
}

const rs = writer('replicaset-controller');
const scheduler = writer('default-scheduler');
const kubelet = writer('kubelet', 'status');
const kubectl = writer('kubectl-edit');
const ready = (status: string, extra: JsonObject = {}): JsonObject => ({
  type: 'Ready',
  status,
  lastProbeTime: null,
  lastTransitionTime: 't',
  ...extra,
});

const pod = fieldsPod;

const edit =
  (part: 'metadata' | 'spec' | 'status', fields: JsonObject, drop: string[] = []) =>
  (o: JsonObject): JsonObject => {
    const copy: JsonObject = { ...((o[part] as JsonObject | undefined) ?? {}), ...fields };
    for (const k of drop) delete copy[k];
    return { ...o, [part]: copy };
  };
const container = (o: JsonObject, i: number, fields: JsonObject): JsonObject => {
  const spec = o.spec as JsonObject;
  const containers = [...(spec.containers as JsonObject[])];
  containers[i] = { ...containers[i], ...fields };
  return { ...o, spec: { ...spec, containers } };
};

describe('updateManagedFields equals the reference', () => {
  it('through a pod life: bind, status writes, edits by several managers', () => {
    checkLife(
      pod,
      rs,
      [
        { by: scheduler, next: edit('spec', { nodeName: 'node-1' }) },
        {
          by: kubelet,
          next: edit('status', { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }] }),
        },
        {
          by: kubelet,
          next: edit('status', {
            conditions: [
              { type: 'PodScheduled', status: 'True' },
              { type: 'Initialized', status: 'True' },
              ready('False', { reason: 'ContainersNotReady', message: 'not ready' }),
            ],
            containerStatuses: [
              { name: 'web', ready: false, state: { waiting: { reason: 'ContainerCreating' } } },
            ],
            hostIP: '10.0.0.1',
            podIPs: [{ ip: '10.244.0.5' }],
          }),
        },
        {
          by: kubelet,
          next: edit('status', {
            phase: 'Running',
            conditions: [
              ready('True'),
              { type: 'Initialized', status: 'True' },
              { type: 'PodScheduled', status: 'True' },
            ],
            containerStatuses: [{ name: 'web', ready: true, state: { running: { startedAt: 't' } } }],
          }),
        },
        {
          by: writer('node-problem-detector', 'status'),
          next: edit('status', { conditions: [ready('True')] }),
        },
        { by: kubectl, next: edit('metadata', { labels: { app: 'api' }, finalizers: ['a.example/y'] }) },
        { by: kubectl, next: (o) => container(o, 0, { image: 'nginx:2', ports: [{ containerPort: 80 }] }) },
        {
          by: rs,
          next: (o) =>
            container(o, 0, {
              env: [
                { name: 'A', value: '1' },
                { name: 'A', value: '2' },
              ],
            }),
        },
        { by: kubectl, next: edit('spec', { nodeSelector: {}, volumes: [] }) },
        { by: kubectl, next: edit('spec', {}, ['nodeSelector', 'volumes', 'tolerations']) },
        {
          by: writer('kubectl-edit', '', 'v2'),
          next: edit('metadata', { labels: { app: 'api', tier: 'web' } }),
        },
        { by: rs, next: edit('metadata', { labels: { app: 'web' }, ownerReferences: [] }) },
        { by: kubelet, next: edit('status', {}, ['conditions']) },
        { by: kubelet, next: (o) => o },
      ],
      listStrategiesOf('Pod'),
    );
  });

  it('for odd field names, undefined values, sparse lists and malformed stored entries', () => {
    const strategies = listStrategiesOf('Pod');
    const cond = (fields: JsonObject) => Object.assign(put({ type: 'A' }, 'x', 1), fields);
    const item = (fields: [string, unknown][]) =>
      fields.reduce((o, [k, v]) => put(o, k, v), { type: 'A' } as JsonObject);
    const status = (value: JsonObject) => (o: JsonObject) => ({ ...o, status: value });
    // A list with a hole at index 1.
    const sparse = (): unknown[] => {
      const list: unknown[] = [1];
      list[2] = 3;
      return list;
    };
    const base: JsonObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'n' },
      status: { phase: 'A' },
    };
    checkLife(
      base,
      kubelet,
      [
        // An own field holding undefined inside a keyed item is a value; elsewhere it is absent.
        { by: kubelet, next: status({ conditions: [cond({})] }) },
        { by: kubelet, next: status({ conditions: [cond({ x: undefined })] }) },
        { by: kubelet, next: status({ conditions: [cond({ x: 2 })], y: undefined }) },
        // Holes of a sparse list are skipped when comparing.
        { by: kubelet, next: status({ conditions: [cond({ l: sparse() })] }) },
        { by: kubelet, next: status({ conditions: [cond({ l: [1, 2, 3] })], l: sparse() }) },
        { by: kubelet, next: status({ conditions: [cond({ l: [1, 2, 3] })], l: [1, 2, 3] }) },
        // Field names holding NUL split into several segments, and may name one path twice.
        { by: kubelet, next: status({ conditions: [item([['x', { y: 1 }]])] }) },
        { by: kubelet, next: status({ conditions: [item([['x\0f:y', 2]])] }) },
        { by: writer('other', 'status'), next: status({ b: put({ e: 1 }, 'c\0__proto__', { d: 1 }) }) },
        { by: writer('other', 'status'), next: status({ b: put({ e: 1, c: 5 }, 'c\0__proto__', { d: 1 }) }) },
        { by: kubelet, next: status({ phase: 'B' }) },
        { by: kubelet, next: status({ phase: 'B', b: { c: put({}, 'x\0__proto__', { d: 1 }) } }) },
        { by: kubelet, next: status({ phase: 'B', b: { c: { x: 5 } } }) },
        // Keys whose segments are equal though the values are not (NaN and Infinity are null in JSON).
        {
          by: kubelet,
          next: status({
            conditions: [
              { type: Number.NaN, a: 1 },
              { type: Infinity, a: 2 },
            ],
          }),
        },
        {
          by: kubelet,
          next: status({
            conditions: [
              { type: Number.NaN, a: 2 },
              { type: Infinity, a: 2 },
            ],
          }),
        },
        // Names of Object.prototype members.
        { by: kubelet, next: status({ constructor: { a: 1 }, toString: 1 }) },
        { by: kubelet, next: status(put({ hasOwnProperty: {} }, '__proto__', { a: {} })) },
        {
          by: kubelet,
          next: status(put({ conditions: [cond({ constructor: { a: 1 } })] }, '__proto__', {})),
        },
      ],
      strategies,
    );
    checkLife(
      { ...pod, status: { phase: 'A' } },
      rs,
      [
        {
          by: rs,
          next: edit('spec', { x: 2, y: 1 }),
          stored: () => [
            {
              manager: 'replicaset-controller',
              operation: 'Update',
              apiVersion: 'v1',
              time: 'T',
              fieldsType: 'FieldsV1',
              fieldsV1: JSON.parse(
                '{"__proto__":{"f:a":{}},"f:spec":{"f:x":{},"9":{},"10":{}},"f:status":{"f:phase":{}}}',
              ),
            },
            'junk',
            { manager: 5, operation: 'Apply', fieldsV1: { 'f:spec': { 'f:x': 5, 'f:b': {}, 'f:a': {} } } },
            { manager: 'kubectl-edit', operation: 'Update', apiVersion: 'v1', fieldsV1: null },
          ],
        },
        { by: kubectl, next: edit('spec', { x: 3, a: 1 }, ['y']) },
        { by: writer('5', '', 'v9'), next: edit('spec', { b: 1, x: 4 }) },
      ],
      strategies,
    );
    // Root field names holding NUL can name a field of metadata.
    const rooted = put(put({ ...pod }, 'metadata\0f:labels', { a: 1 }), 'x\0y', 1);
    checkLife(
      rooted,
      rs,
      [
        { by: kubectl, next: (o) => put({ ...o }, 'metadata\0f:labels', { a: 2 }) },
        { by: kubectl, next: edit('metadata', { labels: { app: 'x' } }) },
        { by: rs, next: (o) => put(put({ ...o }, 'metadata\0f:labels\0f:app', 1), 'metadata', null) },
        { by: rs, next: (o) => ({ ...o, metadata: { name: 'n', labels: {} } }) },
      ],
      strategies,
    );
  });

  it('for random objects and writes', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const keys = ['a', 'b', 'name', 'type', 'x', 'y', 'constructor', '__proto__', 'x\0f:y', '0', '10', '9'];
    const lists = ['conditions', 'containers', 'finalizers', 'ports', 'args'];
    const keyOf: Record<string, string> = { conditions: 'type', containers: 'name', ports: 'containerPort' };
    const strategies: ListStrategyLookup = (names) => {
      const last = names[names.length - 1]!;
      if (last === 'finalizers') return { type: 'set' };
      return keyOf[last] === undefined ? undefined : { type: 'merge', key: keyOf[last] };
    };
    const scalar = () => pick(['s', 'web', '"q"', 'a\\b', '\n', 1, 0, 80, 3.5, true, null, undefined, {}]);
    const value = (depth: number): unknown =>
      depth > 3 || random() < 0.4 ? scalar() : random() < 0.7 ? map(depth + 1) : list(pick(lists), depth + 1);
    const map = (depth: number): JsonObject => {
      const o: JsonObject = {};
      for (let n = Math.floor(random() * 4); n > 0; n--) {
        const k = random() < 0.3 ? pick(lists) : pick(keys);
        put(o, k, lists.includes(k) ? list(k, depth) : value(depth));
      }
      return o;
    };
    const list = (name: string, depth: number): unknown[] =>
      Array.from({ length: Math.floor(random() * 4) }, () => {
        if (keyOf[name] === undefined) return pick(['a', 'b', 1, null, { x: 1 }]);
        const item =
          random() < 0.9 ? put({}, keyOf[name], pick(['A', 'B', 80, 'Ready', { o: 1 }, null])) : {};
        for (const [k, v] of Object.entries(map(depth + 1))) if (k !== keyOf[name]) put(item, k, v);
        return item;
      });
    const change = (v: unknown, depth: number): unknown => {
      if (v !== null && typeof v === 'object' && !Array.isArray(v) && depth < 4 && random() < 0.75) {
        const copy: JsonObject = {};
        for (const k of Object.keys(v)) put(copy, k, (v as JsonObject)[k]);
        const present = Object.keys(copy);
        const r = random();
        if (present.length > 0 && r < 0.5) {
          const k = pick(present);
          put(copy, k, change(copy[k], depth + 1));
        } else if (present.length > 0 && r < 0.65) delete copy[pick(present)];
        else put(copy, pick(keys), value(depth + 1));
        return copy;
      }
      if (Array.isArray(v) && random() < 0.8) {
        const copy = [...v];
        const r = random();
        if (copy.length > 0 && r < 0.4) copy[Math.floor(random() * copy.length)] = change(copy[0], depth + 1);
        else if (copy.length > 0 && r < 0.6) copy.splice(Math.floor(random() * copy.length), 1);
        else if (r < 0.8) copy.push(...list(pick(lists), depth));
        else copy.reverse();
        return copy;
      }
      return value(depth);
    };
    const managers = [rs, kubelet, kubectl, writer('kubectl-edit', '', 'v2'), writer('sched', 'binding')];
    for (let life = 0; life < 150; life++) {
      const start: JsonObject = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: put(map(1), 'name', 'n'),
        spec: map(1),
        status: { phase: 'A', conditions: list('conditions', 2) },
      };
      const steps: Step[] = Array.from({ length: 6 }, () => ({
        by: pick(managers),
        next: (o: JsonObject) => {
          const next = change(o, 0);
          return next !== null && typeof next === 'object' && !Array.isArray(next) ? (next as JsonObject) : o;
        },
      }));
      checkLife(start, pick(managers), steps, strategies);
    }
  });
});

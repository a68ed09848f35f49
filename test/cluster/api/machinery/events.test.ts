import { describe, expect, it } from 'vitest';
import { EventRecorder, EventStamps } from '../../../../src/cluster/api/machinery/events.js';
import { deployment, meta, newCluster } from './fixtures.js';

describe('EventRecorder', () => {
  it('gives recorders sharing stamps distinct names at one instant, without a refused create', () => {
    const { api, clock } = newCluster();
    const deploy = api.create(deployment('web'));
    let creates = 0;
    const counting = new Proxy(api, {
      get: (target, prop, receiver) =>
        prop === 'create'
          ? (...args: Parameters<typeof api.create>) => {
              creates++;
              return target.create(...args);
            }
          : Reflect.get(target, prop, receiver),
    });
    const suffix = (e: unknown) => String(meta(e as Record<string, unknown>).name).split('.')[1];
    const base = (BigInt(Date.parse('2024-05-01T10:00:00Z')) * 1_000_000n).toString(16);
    const stamps = new EventStamps();
    const a = new EventRecorder({ api: counting, component: 'default-scheduler', clock: clock.now, stamps });
    const b = new EventRecorder({
      api: counting,
      component: 'kubelet',
      host: 'node-1',
      clock: clock.now,
      stamps,
    });
    const names = [a.record(deploy, 'Normal', 'One', 'one'), b.record(deploy, 'Normal', 'Two', 'two')].map(
      suffix,
    );
    expect(names).toEqual([base, (BigInt(`0x${base}`) + 1n).toString(16)]);
    expect(creates).toBe(2);
    // Recorders with stamps of their own collide, and the second retries with the next name.
    const c = new EventRecorder({ api: counting, component: 'x', clock: clock.now });
    expect(suffix(c.record(deploy, 'Normal', 'Three', 'three'))).toBe(
      (BigInt(`0x${base}`) + 2n).toString(16),
    );
    expect(creates).toBe(5);
  });

  it('records core/v1 Events and counts repeats', () => {
    const { api, clock } = newCluster();
    const deploy = api.create(deployment('web'));
    const recorder = new EventRecorder({ api, component: 'deployment-controller', clock: clock.now });
    const first = recorder.record(
      deploy,
      'Normal',
      'ScalingReplicaSet',
      'Scaled up replica set web-7c8bbcd9bc to 1',
    )!;
    expect(first).toMatchObject({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        namespace: 'default',
        name: `web.${(BigInt(Date.parse('2024-05-01T10:00:00Z')) * 1_000_000n).toString(16)}`,
      },
      involvedObject: {
        kind: 'Deployment',
        namespace: 'default',
        name: 'web',
        uid: meta(deploy).uid,
        apiVersion: 'apps/v1',
      },
      reason: 'ScalingReplicaSet',
      type: 'Normal',
      count: 1,
      firstTimestamp: '2024-05-01T10:00:00Z',
      lastTimestamp: '2024-05-01T10:00:00Z',
      source: { component: 'deployment-controller' },
      reportingComponent: 'deployment-controller',
    });
    clock.advance(30);
    const again = recorder.record(
      deploy,
      'Normal',
      'ScalingReplicaSet',
      'Scaled up replica set web-7c8bbcd9bc to 1',
    )!;
    expect(again).toMatchObject({
      count: 2,
      firstTimestamp: '2024-05-01T10:00:00Z',
      lastTimestamp: '2024-05-01T10:00:30Z',
    });
    expect(meta(again).name).toBe(meta(first).name);
    recorder.record(deploy, 'Warning', 'Other', 'different');
    const listed = api.list('events', {
      namespace: 'default',
      fieldSelector: 'involvedObject.name=web,involvedObject.kind=Deployment',
    });
    expect(listed.items.map((e) => [e.reason, e.count])).toEqual([
      ['ScalingReplicaSet', 2],
      ['Other', 1],
    ]);
  });

  it('files events of cluster-scoped objects in default, and drops what it cannot store', () => {
    const { api, clock } = newCluster();
    const node = api.create({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node1' },
      status: { capacity: { cpu: '2' } },
    });
    expect(node.status).toEqual({ capacity: { cpu: '2' } });
    const kubelet = new EventRecorder({ api, component: 'kubelet', host: 'node1', clock: clock.now });
    const event = kubelet.record(node, 'Normal', 'NodeReady', 'Node node1 status is now: NodeReady')!;
    expect(event).toMatchObject({
      metadata: { namespace: 'default' },
      source: { component: 'kubelet', host: 'node1' },
    });
    expect((event.involvedObject as Record<string, unknown>).namespace).toBeUndefined();
    const orphan = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'gone', uid: 'u' } };
    expect(kubelet.record(orphan, 'Warning', 'Failed', 'x')).toBeUndefined();
  });
});

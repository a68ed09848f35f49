import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/cluster/api/types.js';
import { SimilarEvents } from '../../../src/cluster/controllers/event-correlation.js';
import { BURST_REPLICAS as reexported } from '../../../src/cluster/controllers/replicaset.js';
import { PodIndex } from '../../../src/cluster/controllers/replicaset-pods.js';
import {
  BURST_REPLICAS,
  createPods,
  type ReplicaWriter,
} from '../../../src/cluster/controllers/replicaset-writes.js';
import type { ControllerContext } from '../../../src/cluster/runtime/types.js';
import type { KubeObject } from '../../../src/cluster/store/types.js';

const owner = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'web', namespace: 'default', uid: 'u1' },
  spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [] } } },
} as unknown as KubeObject;

/** A context whose creates are refused from the `refuseFrom`-th on (1-based). */
function fakeCtx(refuseFrom: number) {
  const created: KubeObject[] = [];
  const events: string[] = [];
  let calls = 0;
  const ctx = {
    now: () => new Date(0),
    recorder: () => ({ record: (_o: KubeObject, _t: string, reason: string) => events.push(reason) }),
    api: {
      create: (pod: KubeObject) => {
        calls++;
        if (calls >= refuseFrom)
          throw new ApiError({ code: 403, reason: 'Forbidden', message: 'refused' } as never);
        const named = {
          ...pod,
          metadata: { ...(pod.metadata as object), name: `web-${calls}` },
        } as KubeObject;
        created.push(named);
        return named;
      },
    },
  } as unknown as ControllerContext;
  return { ctx, created, events, calls: () => calls };
}

function writer(): ReplicaWriter {
  return {
    controller: 'replicaset-controller',
    events: new SimilarEvents(),
    pods: new PodIndex('ReplicaSet', () => undefined),
  };
}

describe('createPods', () => {
  it('creates in slow-start batches and stops after the batch with the first refusal', () => {
    // Batches 1, 2, 4: the 4th create (first of the third batch) is refused, the batch still finishes.
    const f = fakeCtx(4);
    const failure = createPods(writer(), f.ctx, owner, 20);
    expect(failure?.message).toBe('refused');
    expect(f.calls()).toBe(7);
    expect(f.created).toHaveLength(3);
    expect(f.events.filter((e) => e === 'FailedCreate')).toHaveLength(4);
  });

  it('creates at most BURST_REPLICAS pods per sync', () => {
    const f = fakeCtx(Number.POSITIVE_INFINITY);
    expect(createPods(writer(), f.ctx, owner, BURST_REPLICAS + 7)).toBeUndefined();
    expect(f.created).toHaveLength(BURST_REPLICAS);
    expect(f.created[0]?.metadata).toMatchObject({ generateName: 'web-', namespace: 'default' });
    expect(reexported).toBe(BURST_REPLICAS);
  });
});

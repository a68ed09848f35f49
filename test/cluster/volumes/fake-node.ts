/**
 * A stand-in for the scheduler and the kubelet, so the statefulset, job, cronjob and volume
 * controllers can be tested alone: binds new pods to node2 (after selecting node2 for their
 * WaitForFirstConsumer claims and waiting for the claims to be bound, as the scheduler does), then
 * reports them Running and Ready, or, when the pod is annotated `fake.bosun.dev/outcome`,
 * Succeeded or Failed `fake.bosun.dev/run-ms` after starting. Terminating pods go after a second.
 * Pods named in `held` stay Pending until released.
 */

import { type Cluster, openCluster } from '../../../src/cluster/cluster.js';
import type { Controller, ControllerFactory } from '../../../src/cluster/runtime/types.js';
import { objectKey, splitKey } from '../../../src/cluster/runtime/types.js';
import type { KubeObject } from '../../../src/cluster/store/types.js';

export const T0 = Date.parse('2025-03-01T12:00:00Z');
export const OUTCOME = 'fake.bosun.dev/outcome';
export const RUN_MS = 'fake.bosun.dev/run-ms';
export const NODE = 'node2';

type Json = Record<string, unknown>;

/** What the fake node does. */
export interface FakeNode {
  readonly factory: ControllerFactory;
  /** Pod names (`namespace/name`) kept Pending. */
  readonly held: Set<string>;
  /** Lets a held pod start (and queues it). */
  release(cluster: Cluster, key: string): void;
}

const rfc = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

function get(
  ctx: { api: Cluster['api'] },
  resource: string,
  namespace: string,
  name: string,
): KubeObject | undefined {
  try {
    return ctx.api.get(resource, namespace, name);
  } catch {
    return undefined;
  }
}

/** Builds the fake node. */
export function fakeNode(): FakeNode {
  const held = new Set<string>();
  const controller: Controller = {
    name: 'fake-node',
    resources: ['pods'],
    observe(event, ctx) {
      if (event.type === 'DELETED') return;
      const phase = ((event.object.status ?? {}) as Json).phase;
      const deleting = (event.object.metadata as Json).deletionTimestamp != null;
      if (deleting || (phase !== 'Succeeded' && phase !== 'Failed')) ctx.enqueue(objectKey(event.object));
    },
    reconcile(key, ctx) {
      const { namespace, name } = splitKey(key);
      let pod = get(ctx, 'pods', namespace, name);
      if (pod === undefined) return;
      const meta = pod.metadata as Json;
      const now = ctx.now().getTime();
      if (meta.deletionTimestamp != null) {
        const since =
          Date.parse(String(meta.deletionTimestamp)) - Number(meta.deletionGracePeriodSeconds) * 1000;
        if (since + 1000 > now) return ctx.after(key, since + 1000 - now, 'progress');
        ctx.api.delete('pods', namespace, name, { gracePeriodSeconds: 0 });
        return;
      }
      const spec = pod.spec as Json;
      let status = (pod.status ?? {}) as Json;
      if (status.phase === 'Succeeded' || status.phase === 'Failed' || held.has(key)) return;
      if (!spec.nodeName) {
        for (const volume of (spec.volumes ?? []) as Json[]) {
          const claimName = (volume.persistentVolumeClaim as Json | undefined)?.claimName;
          if (typeof claimName !== 'string') continue;
          const claim = get(ctx, 'persistentvolumeclaims', namespace, claimName);
          if (claim === undefined) return ctx.after(key, 1000, 'progress');
          if ((claim.status as Json | undefined)?.phase === 'Bound') continue;
          const annotations = ((claim.metadata as Json).annotations ?? {}) as Json;
          if (annotations['volume.kubernetes.io/selected-node'] === undefined)
            ctx.api.update({
              ...claim,
              metadata: {
                ...(claim.metadata as Json),
                annotations: { ...annotations, 'volume.kubernetes.io/selected-node': NODE },
              },
            });
          return ctx.after(key, 1000, 'progress');
        }
        pod = ctx.api.bind(namespace, name, NODE);
        status = (pod.status ?? {}) as Json;
      }
      const annotations = (meta.annotations ?? {}) as Json;
      const outcome = annotations[OUTCOME];
      const containers = (spec.containers ?? []) as Json[];
      const condition = (type: string, value: boolean, reason?: string) => ({
        type,
        status: value ? 'True' : 'False',
        lastProbeTime: null,
        lastTransitionTime: rfc(now),
        ...(reason === undefined ? {} : { reason }),
      });
      const scheduled = ((status.conditions ?? []) as Json[]).find((c) => c.type === 'PodScheduled');
      if (status.phase !== 'Running') {
        ctx.api.update(
          {
            ...pod,
            status: {
              phase: 'Running',
              conditions: [
                scheduled ?? condition('PodScheduled', true),
                condition('Initialized', true),
                condition('Ready', true),
                condition('ContainersReady', true),
              ],
              hostIP: '172.18.0.3',
              podIP: '10.244.1.10',
              startTime: rfc(now),
              containerStatuses: containers.map((c) => ({
                name: c.name,
                image: c.image,
                ready: true,
                restartCount: 0,
                started: true,
                state: { running: { startedAt: rfc(now) } },
              })),
            },
          },
          { subresource: 'status', fieldManager: 'fake-node' },
        );
        if (outcome !== undefined) ctx.after(key, Number(annotations[RUN_MS] ?? 5000), 'progress');
        return;
      }
      if (outcome !== 'Succeeded' && outcome !== 'Failed') return;
      const startedAt = Date.parse(String(status.startTime));
      const finishAt = startedAt + Number(annotations[RUN_MS] ?? 5000);
      if (finishAt > now) return ctx.after(key, finishAt - now, 'progress');
      const ok = outcome === 'Succeeded';
      ctx.api.update(
        {
          ...pod,
          status: {
            ...status,
            phase: outcome,
            conditions: [
              scheduled ?? condition('PodScheduled', true),
              condition('Initialized', true),
              condition('Ready', false, ok ? 'PodCompleted' : 'PodFailed'),
              condition('ContainersReady', false, ok ? 'PodCompleted' : 'PodFailed'),
            ],
            containerStatuses: containers.map((c) => ({
              name: c.name,
              image: c.image,
              ready: false,
              restartCount: 0,
              started: false,
              state: {
                terminated: {
                  exitCode: ok ? 0 : 1,
                  reason: ok ? 'Completed' : 'Error',
                  startedAt: status.startTime,
                  finishedAt: rfc(now),
                },
              },
            })),
          },
        },
        { subresource: 'status', fieldManager: 'fake-node' },
      );
    },
  };
  return {
    factory: () => controller,
    held,
    release(cluster, key) {
      held.delete(key);
      cluster.runtime.context.enqueue(key, 'fake-node');
    },
  };
}

/** A cluster on a fixed clock running `controllers` and, unless `node` is false, a fake node. */
export function controllerCluster(
  controllers: readonly ControllerFactory[],
  node: FakeNode | false = fakeNode(),
): Cluster {
  return openCluster({
    wallClock: () => new Date(T0),
    controllers: () => (node === false ? controllers : [...controllers, node.factory]),
  });
}

/** The events about an object: `reason: message` lines, oldest first. */
export function eventsOf(cluster: Cluster, namespace: string, name: string, kind?: string): string[] {
  return cluster.api
    .list('events', { namespace })
    .items.filter((e) => {
      const io = e.involvedObject as Json;
      return io.name === name && (kind === undefined || io.kind === kind);
    })
    .sort((a, b) => String(a.firstTimestamp).localeCompare(String(b.firstTimestamp)))
    .map((e) => `${String(e.reason)}: ${String(e.message)}`);
}

/** Shorthands to read objects in tests. */
export const metaOf = (o: KubeObject): Json => (o.metadata ?? {}) as Json;
export const specOf = (o: KubeObject): Json => (o.spec ?? {}) as Json;
export const statusOf = (o: KubeObject): Json => (o.status ?? {}) as Json;
export const namesOf = (items: readonly KubeObject[]): string[] =>
  items.map((o) => String(metaOf(o).name)).sort();

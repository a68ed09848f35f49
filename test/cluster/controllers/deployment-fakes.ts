/**
 * What the workload controller tests need around the replicaset and deployment controllers: a
 * tiny stand-in for the scheduler and the kubelet (binds every new pod to a node and reports it
 * Running and Ready, or not Ready when its image is a bad one; finishes terminating pods), and a
 * cluster on a fixed clock with those controllers.
 */

import { type Cluster, openCluster } from '../../../src/cluster/cluster.js';
import { deploymentController } from '../../../src/cluster/controllers/deployment.js';
import { replicaSetController } from '../../../src/cluster/controllers/replicaset.js';
import type { Controller, ControllerFactory } from '../../../src/cluster/runtime/types.js';
import { objectKey, splitKey } from '../../../src/cluster/runtime/types.js';
import type { KubeObject } from '../../../src/cluster/store/types.js';

export const T0 = Date.parse('2025-03-01T12:00:00Z');

type Json = Record<string, unknown>;

/** How the fake kubelet behaves. */
export interface FakeKubeletOptions {
  /** How long after binding a pod turns Ready (a progress wake-up). @default 0 */
  readonly readyAfterMs?: number;
  /** How long a terminating pod takes to go (a progress wake-up). @default 0 */
  readonly terminateAfterMs?: number;
  /** Images that never start. @default tags `v0.3` and `bad` */
  readonly badImage?: (image: string) => boolean;
}

const DEFAULT_BAD = (image: string) => /:(v0\.3|bad)$/.test(image);

/** A stand-in for the scheduler and the kubelet. */
export function fakeKubelet(options: FakeKubeletOptions = {}): ControllerFactory {
  const readyAfter = options.readyAfterMs ?? 0;
  const terminateAfter = options.terminateAfterMs ?? 0;
  const bad = options.badImage ?? DEFAULT_BAD;
  return (): Controller => ({
    name: 'fake-kubelet',
    resources: ['pods'],
    observe(event, ctx) {
      if (event.type === 'DELETED') return;
      const pod = event.object;
      const meta = pod.metadata as Json;
      const spec = pod.spec as Json;
      const status = (pod.status ?? {}) as Json;
      if (meta.deletionTimestamp != null || !spec.nodeName || status.phase !== 'Running')
        ctx.enqueue(objectKey(pod));
    },
    reconcile(key, ctx) {
      const { namespace, name } = splitKey(key);
      let pod: KubeObject;
      try {
        pod = ctx.api.get('pods', namespace, name);
      } catch {
        return;
      }
      const meta = pod.metadata as Json;
      if (meta.deletionTimestamp != null) {
        const since =
          Date.parse(String(meta.deletionTimestamp)) - Number(meta.deletionGracePeriodSeconds) * 1000;
        const due = since + terminateAfter;
        if (due > ctx.now().getTime()) {
          ctx.after(key, due - ctx.now().getTime(), 'progress');
          return;
        }
        ctx.api.delete('pods', namespace, name, { gracePeriodSeconds: 0 });
        return;
      }
      if (!(pod.spec as Json).nodeName) pod = ctx.api.bind(namespace, name, 'node2');
      const status = (pod.status ?? {}) as Json;
      const containers = ((pod.spec as Json).containers ?? []) as Json[];
      const healthy = containers.every((c) => !bad(String(c.image)));
      const now = new Date(Math.floor(ctx.now().getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
      const scheduled = ((status.conditions ?? []) as Json[]).find((c) => c.type === 'PodScheduled');
      const boundAt = Date.parse(String(scheduled?.lastTransitionTime ?? now));
      const readyAt = boundAt + readyAfter;
      const ready = healthy && readyAt <= ctx.now().getTime();
      if (healthy && !ready) ctx.after(key, readyAt - ctx.now().getTime(), 'progress');
      if (status.phase === 'Running' && !ready) return;
      const condition = (type: string, value: boolean) => ({
        type,
        status: value ? 'True' : 'False',
        lastProbeTime: null,
        lastTransitionTime: now,
      });
      ctx.api.update(
        {
          ...pod,
          status: {
            phase: healthy ? 'Running' : 'Pending',
            conditions: [
              scheduled ?? condition('PodScheduled', true),
              condition('Initialized', true),
              condition('Ready', ready),
              condition('ContainersReady', ready),
            ],
            hostIP: '192.168.0.3',
            podIP: '10.244.1.10',
            startTime: now,
            containerStatuses: containers.map((c) => ({
              name: c.name,
              image: c.image,
              ready,
              restartCount: 0,
              started: healthy,
              state: healthy
                ? { running: { startedAt: now } }
                : { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.image}"` } },
            })),
          },
        },
        { subresource: 'status', fieldManager: 'fake-kubelet' },
      );
    },
  });
}

/** A cluster with the replicaset and deployment controllers and the fake kubelet, on a fixed clock. */
export function workloadCluster(
  options: FakeKubeletOptions & { nodes?: number; home?: string } = {},
): Cluster {
  return openCluster({
    wallClock: () => new Date(T0),
    ...(options.home === undefined ? {} : { home: options.home }),
    ...(options.nodes === undefined ? {} : { nodes: options.nodes }),
    controllers: () => [replicaSetController, deploymentController, fakeKubelet(options)],
  });
}

/** A Deployment manifest. */
export function deployment(name: string, replicas: number, image: string, spec: Json = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name, image }] },
      },
      ...spec,
    },
  };
}

/** A ReplicaSet manifest. */
export function replicaSet(
  name: string,
  replicas: number,
  image = 'nginx:1.27',
  spec: Json = {},
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'main', image }] },
      },
      ...spec,
    },
  };
}

/** Names of objects. */
export const names = (objects: readonly KubeObject[]): string[] =>
  objects.map((o) => String((o.metadata as Json).name));

/** The pods of a namespace (optionally by label selector). */
export function pods(cluster: Cluster, labelSelector?: string): KubeObject[] {
  return cluster.api.list('pods', { namespace: 'default', ...(labelSelector ? { labelSelector } : {}) })
    .items;
}

/** The ReplicaSets of a namespace. */
export function replicaSets(cluster: Cluster): KubeObject[] {
  return cluster.api.list('replicasets.apps', { namespace: 'default' }).items;
}

/** The events about one object, as `Reason: message`, oldest first. */
export function eventsOf(cluster: Cluster, name: string): string[] {
  return cluster.api
    .list('events', { namespace: 'default' })
    .items.filter((e) => (e.involvedObject as Json).name === name)
    .sort((a, b) => String((a.metadata as Json).name).localeCompare(String((b.metadata as Json).name)))
    .map((e) => `${e.reason}: ${e.message}`);
}

/** Sets a Deployment's container image (as `kubectl set image` does, with a strategic merge patch). */
export function setImage(cluster: Cluster, name: string, image: string, container = name): KubeObject {
  return cluster.api.patch(
    'deployments.apps',
    'default',
    name,
    { spec: { template: { spec: { containers: [{ name: container, image }] } } } },
    'strategic',
  );
}

/** `spec.replicas` of an object. */
export const replicasOf = (o: KubeObject): number => Number((o.spec as Json).replicas);
/** `status` of an object. */
export const statusOf = (o: KubeObject): Json => (o.status ?? {}) as Json;
/** An annotation. */
export const annotation = (o: KubeObject, key: string): string | undefined =>
  ((o.metadata as Json).annotations as Record<string, string> | undefined)?.[key];

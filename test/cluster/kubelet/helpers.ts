/**
 * The kubelet's test bench: an in-memory cluster running only the kubelet (with a fake catalog),
 * pods created already bound to a node, and readers for statuses, events and the STATUS column.
 */

import { afterEach } from 'vitest';
import { type Cluster, openCluster } from '../../../src/cluster/cluster.js';
import { kubeletController } from '../../../src/cluster/kubelet/index.js';
import { podSummary } from '../../../src/cluster/printing/index.js';
import type { KubeObject } from '../../../src/cluster/store/types.js';
import type { FakeCatalog } from './fake-catalog.js';

/** The wall clock of every test. */
export const T0 = Date.parse('2025-03-01T12:00:00Z');

type Json = Record<string, unknown>;

const open: Cluster[] = [];
let wall = T0;
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

/** Moves the wall clock `ms` on (the cluster's clock follows it, as it follows wall time). */
export function passWallTime(ms: number): void {
  wall += ms;
}

/** A cluster whose only controller is the kubelet, with `catalog`. */
export function kubeletCluster(
  catalog: FakeCatalog,
  options: { seed?: number; nodes?: number } = {},
): Cluster {
  wall = T0;
  const cluster = openCluster({
    wallClock: () => new Date(wall),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.nodes === undefined ? {} : { nodes: options.nodes }),
    controllers: () => [() => kubeletController({ catalog: () => catalog })],
  });
  open.push(cluster);
  cluster.runtime.settle();
  return cluster;
}

/** Creates a pod bound to `node` (default node2) with one container `web` unless `spec` says otherwise. */
export function createPod(
  cluster: Cluster,
  name: string,
  spec: Json = {},
  options: { node?: string; namespace?: string; metadata?: Json } = {},
): KubeObject {
  return cluster.api.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: options.namespace ?? 'default', ...(options.metadata ?? {}) },
    spec: {
      containers: [{ name: 'web', image: 'nginx:1.13.11' }],
      ...spec,
      nodeName: options.node ?? 'node2',
    },
  });
}

/** The pod now. */
export function getPod(cluster: Cluster, name: string, namespace = 'default'): KubeObject {
  return cluster.api.get('pods', namespace, name);
}

/** `status` of a pod. */
export function statusOf(cluster: Cluster, name: string, namespace = 'default'): Json {
  return (getPod(cluster, name, namespace).status ?? {}) as Json;
}

/** A container's status (main or init). */
export function containerOf(cluster: Cluster, pod: string, container = 'web'): Json {
  const status = statusOf(cluster, pod);
  const all = [
    ...((status.containerStatuses ?? []) as Json[]),
    ...((status.initContainerStatuses ?? []) as Json[]),
  ];
  const found = all.find((c) => c.name === container);
  if (found === undefined) throw new Error(`no status for container ${container} of ${pod}`);
  return found;
}

/** READY, STATUS and RESTARTS as kubectl prints them. */
export function summary(cluster: Cluster, name: string, namespace = 'default') {
  return podSummary(getPod(cluster, name, namespace), cluster.now().getTime());
}

/** A condition of a pod. */
export function condition(cluster: Cluster, name: string, type: string): Json | undefined {
  return ((statusOf(cluster, name).conditions ?? []) as Json[]).find((c) => c.type === type);
}

/** The events about an object, as `Reason: message` (with `(xN)` when counted more than once). */
export function eventsOf(cluster: Cluster, name: string, namespace = 'default'): string[] {
  const list = cluster.api.list('events', { namespace, fieldSelector: `involvedObject.name=${name}` }).items;
  return [...list]
    .sort((a, b) =>
      String(a.metadata && (a.metadata as Json).name).localeCompare(
        String(b.metadata && (b.metadata as Json).name),
      ),
    )
    .map((e) => `${e.reason}: ${e.message}${(e.count as number) > 1 ? ` (x${e.count})` : ''}`);
}

/** The seconds since T0 now. */
export const elapsed = (cluster: Cluster): number => (cluster.now().getTime() - T0) / 1000;

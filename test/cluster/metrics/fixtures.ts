/** Hand-made pods and services for the metrics, endpoint, endpointslice and HPA tests. */

import { type Cluster, openCluster } from '../../../src/cluster/cluster.js';
import type { ControllerFactory } from '../../../src/cluster/runtime/types.js';
import type { KubeObject } from '../../../src/cluster/store/types.js';

export const T0 = '2025-03-01T12:00:00Z';

/** Opens an in-memory cluster running only `controllers`, settled once. */
export function openWith(
  clusters: Cluster[],
  controllers: readonly ControllerFactory[],
  settle = true,
): Cluster {
  const cluster = openCluster({ wallClock: () => new Date(T0), controllers: () => controllers });
  clusters.push(cluster);
  if (settle) cluster.runtime.settle();
  return cluster;
}

/** What a hand-made pod looks like. */
export interface PodOptions {
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  /** Its IP; without one the pod stays Pending with no status. */
  readonly ip?: string;
  readonly ready?: boolean;
  readonly phase?: string;
  readonly node?: string;
  readonly ports?: { name: string; containerPort: number; protocol?: string }[];
  readonly hostname?: string;
  readonly subdomain?: string;
  readonly image?: string;
  readonly requests?: Record<string, string>;
  readonly owner?: KubeObject;
  /** Pod start time (default: ten minutes before T0, past the CPU initialisation period). */
  readonly startTime?: string;
}

/** Creates a pod and (with an IP) reports it Running, Ready or not, as the kubelet would. */
export function makePod(c: Cluster, name: string, o: PodOptions = {}): KubeObject {
  const created = c.api.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: o.namespace ?? 'default',
      labels: o.labels ?? { app: 'web' },
      ...(o.annotations ? { annotations: o.annotations } : {}),
      ...(o.owner
        ? {
            ownerReferences: [
              {
                apiVersion: o.owner.apiVersion,
                kind: o.owner.kind,
                name: (o.owner.metadata as { name: string }).name,
                uid: (o.owner.metadata as { uid: string }).uid,
                controller: true,
              },
            ],
          }
        : {}),
    },
    spec: {
      nodeName: o.node ?? 'node2',
      ...(o.hostname ? { hostname: o.hostname } : {}),
      ...(o.subdomain ? { subdomain: o.subdomain } : {}),
      containers: [
        {
          name: 'web',
          image: o.image ?? 'nginx',
          ...(o.ports ? { ports: o.ports } : {}),
          ...(o.requests ? { resources: { requests: o.requests } } : {}),
        },
      ],
    },
  });
  if (o.ip === undefined) return created;
  const start = o.startTime ?? '2025-03-01T11:50:00Z';
  return c.api.update(
    {
      ...created,
      status: {
        phase: o.phase ?? 'Running',
        podIP: o.ip,
        podIPs: [{ ip: o.ip }],
        startTime: start,
        conditions: [
          { type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: start },
        ],
        containerStatuses: [
          {
            name: 'web',
            image: o.image ?? 'nginx',
            imageID: '',
            ready: o.ready !== false,
            restartCount: 0,
            started: true,
            state: { running: { startedAt: start } },
          },
        ],
      },
    },
    { subresource: 'status' },
  );
}

/** Sets a pod's Ready condition. */
export function setReady(c: Cluster, namespace: string, name: string, ready: boolean): KubeObject {
  const pod = c.api.get('pods', namespace, name);
  const status = pod.status as Record<string, unknown>;
  return c.api.update(
    {
      ...pod,
      status: {
        ...status,
        conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: T0 }],
      },
    },
    { subresource: 'status' },
  );
}

/** Creates a Service in `default` (or `namespace`). */
export function makeService(
  c: Cluster,
  name: string,
  spec: Record<string, unknown>,
  options: { labels?: Record<string, string>; namespace?: string } = {},
): KubeObject {
  return c.api.create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: options.namespace ?? 'default',
      ...(options.labels ? { labels: options.labels } : {}),
    },
    spec,
  });
}

/** Patches an object's labels or annotations (merge patch). */
export function mergeMeta(
  c: Cluster,
  resource: string,
  namespace: string,
  name: string,
  patch: { labels?: Record<string, string | null>; annotations?: Record<string, string | null> },
): KubeObject {
  return c.api.patch(resource, namespace, name, { metadata: patch }, 'merge');
}

/**
 * Fixtures of the pod verbs' tests: a cluster with no controllers (nothing happens by itself, so
 * a test sets pod statuses as it likes) behind a real client whose logs, exec, metrics or sleep
 * can be replaced with fakes.
 */

import { afterEach } from 'vitest';
import { type Cluster, openCluster } from '../../../src/cluster/cluster.js';
import { InProcessKubeClient, type KubeClient, type KubeObject } from '../../../src/kube/index.js';

/** The methods a test may fake. */
export type Fakes = Partial<Pick<KubeClient, 'logs' | 'exec' | 'metrics' | 'sleep' | 'settle'>>;

/** Registers the clean-up; the returned function opens a still cluster and its (partly fake) client. */
export function useStillCluster(now = '2025-03-01T12:00:00Z'): (fakes?: Fakes) => {
  cluster: Cluster;
  client: KubeClient;
} {
  let cluster: Cluster | undefined;
  afterEach(() => {
    cluster?.close();
    cluster = undefined;
  });
  return (fakes = {}) => {
    cluster = openCluster({ wallClock: () => new Date(now), controllers: () => [] });
    const real = new InProcessKubeClient(cluster);
    const client = new Proxy(real, {
      get: (target, key, receiver) =>
        key in fakes ? fakes[key as keyof Fakes] : Reflect.get(target, key, receiver),
    }) as KubeClient;
    return { cluster, client };
  };
}

/** A pod spec's containers by name (image `busybox`). */
export interface PodFixture {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
  readonly containers?: readonly string[];
  readonly initContainers?: readonly string[];
  readonly annotations?: Record<string, string>;
  readonly nodeName?: string;
  readonly ownerReferences?: readonly Record<string, unknown>[];
  readonly volumes?: readonly Record<string, unknown>[];
  readonly finalizers?: readonly string[];
  /** The status to set (phase Running and Ready when absent). */
  readonly status?: Record<string, unknown>;
}

/** Creates a pod and sets its status (Running and Ready unless told otherwise). */
export function addPod(cluster: Cluster, pod: PodFixture): KubeObject {
  const namespace = pod.namespace ?? 'default';
  const containers = pod.containers ?? [pod.name];
  cluster.api.create(
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: pod.name,
        ...(pod.labels ? { labels: pod.labels } : {}),
        ...(pod.annotations ? { annotations: pod.annotations } : {}),
        ...(pod.ownerReferences ? { ownerReferences: pod.ownerReferences } : {}),
        ...(pod.finalizers ? { finalizers: pod.finalizers } : {}),
      },
      spec: {
        containers: containers.map((name) => ({ name, image: 'busybox' })),
        ...(pod.initContainers
          ? { initContainers: pod.initContainers.map((name) => ({ name, image: 'busybox' })) }
          : {}),
        ...(pod.nodeName ? { nodeName: pod.nodeName } : {}),
        ...(pod.volumes ? { volumes: pod.volumes } : {}),
      },
    },
    { namespace },
  );
  return setPodStatus(
    cluster,
    pod.name,
    pod.status ?? {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2025-03-01T11:00:00Z' }],
      containerStatuses: containers.map((name) => ({ name, state: { running: {} }, restartCount: 0 })),
    },
    namespace,
  );
}

/** Replaces a pod's status. */
export function setPodStatus(
  cluster: Cluster,
  name: string,
  status: Record<string, unknown>,
  namespace = 'default',
): KubeObject {
  const pod = cluster.api.get('pods', namespace, name) as KubeObject;
  return cluster.api.update({ ...pod, status }, { subresource: 'status' }) as KubeObject;
}

/** Collects what an action writes. */
export function collected(): {
  output: { out(text: string): void; err(text: string): void };
  out: () => string;
  err: () => string;
} {
  let out = '';
  let err = '';
  return {
    output: { out: (t) => (out += t), err: (t) => (err += t) },
    out: () => out,
    err: () => err,
  };
}

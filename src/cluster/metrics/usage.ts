/**
 * The simulated usage model behind `metrics.k8s.io`: how much CPU and memory each running
 * container uses.
 *
 * - By default a container idles: a small, plausible usage per image (CoreDNS ~2m and ~14Mi,
 *   kube-apiserver ~50m and ~260Mi, nginx well under 1m and a few Mi, unknown images 1m–5m and
 *   4Mi–32Mi), varied by ±15 % per container (derived from its pod's uid), so the same pod always
 *   reports the same numbers.
 * - The annotation `bosun.dev/cpu-utilization` sets the CPU usage: `"80"` (or `"80%"`) is a
 *   percentage of each container's CPU request (containers without a request keep idling), an
 *   absolute quantity such as `"250m"` is the pod's total, shared by its containers in proportion
 *   to their requests (equally without requests). `bosun.dev/memory-utilization` does the same for
 *   memory (`"60"`, `"200Mi"`). The annotation counts on the pod itself or on the workload that
 *   controls it, the nearest first (pod, ReplicaSet, Deployment; StatefulSet; DaemonSet; Job,
 *   CronJob), so annotating a Deployment loads all its pods.
 * - Only Running pods have metrics, and only their running containers (metrics-server has
 *   nothing for a pod that is not running).
 */

import type { ClusterApi } from '../api/machinery/cluster-api.js';
import { getOwn, isJsonObject, type JsonObject } from '../api/machinery/json-values.js';
import { ApiError } from '../api/types.js';
import { fnv32a } from '../bootstrap/context.js';
import { parseQuantity } from '../printing/quantity.js';
import type { KubeObject } from '../store/types.js';

/** Sets a pod's (or its workload's) CPU usage: a percentage of the request, or an absolute quantity. */
export const CPU_UTILIZATION_ANNOTATION = 'bosun.dev/cpu-utilization';
/** Sets a pod's (or its workload's) memory usage: a percentage of the request, or an absolute quantity. */
export const MEMORY_UTILIZATION_ANNOTATION = 'bosun.dev/memory-utilization';
/** metrics-server's default `--metric-resolution`: the window usage is averaged over. */
export const METRICS_WINDOW_SECONDS = 15;

/** One container's usage. */
export interface ContainerUsage {
  readonly name: string;
  /** CPU in nanocores. */
  readonly cpuNanos: number;
  /** Memory (working set) in bytes. */
  readonly memoryBytes: number;
}

/** The resources the metrics know. */
export type MetricResource = 'cpu' | 'memory';

const MI = 1024 * 1024;
const MILLI = 1_000_000;

/** Idle usage of known images: [repository fragment, millicores, MiB]. First match wins. */
const IDLE: readonly (readonly [string, number, number])[] = [
  ['kube-apiserver', 48, 262],
  ['kube-controller-manager', 14, 52],
  ['kube-scheduler', 3, 22],
  ['kube-proxy', 1, 16],
  ['etcd', 22, 48],
  ['coredns', 2, 14],
  ['weave-kube', 2, 48],
  ['weave-npc', 1, 22],
  ['nginx', 0.4, 3],
  ['httpd', 1, 8],
  ['redis', 2, 3],
  ['postgres', 3, 24],
  ['mysql', 5, 190],
  ['mariadb', 4, 90],
  ['mongo', 6, 72],
  ['memcached', 1, 2],
  ['rabbitmq', 8, 110],
  ['elasticsearch', 12, 1200],
  ['prometheus', 9, 120],
  ['grafana', 2, 44],
  ['node-exporter', 1, 12],
  ['kube-state-metrics', 2, 18],
  ['traefik', 2, 26],
  ['ingress-nginx', 3, 90],
  ['busybox', 0.1, 0.4],
  ['alpine', 0.1, 0.5],
  ['pause', 0.05, 0.3],
];

/** The idle usage of a container of `image` (deterministic; `seed` varies it by ±15 %). */
export function idleUsage(image: string, seed: string): { cpuNanos: number; memoryBytes: number } {
  const repository = image.replace(/[@:][^/]*$/, '').toLowerCase();
  const known = IDLE.find(([fragment]) => repository.includes(fragment));
  const h = fnv32a(repository);
  const millicores = known?.[1] ?? 1 + (h % 5);
  const mebibytes = known?.[2] ?? 4 + ((h >>> 8) % 29);
  const jitter = 0.85 + (fnv32a(seed) % 3001) / 10_000; // 0.85 … 1.15
  return {
    cpuNanos: Math.max(1, Math.round(millicores * MILLI * jitter)),
    // Working sets are page multiples: whole KiB.
    memoryBytes: Math.max(1, Math.round((mebibytes * MI * jitter) / 1024)) * 1024,
  };
}

/** A parsed usage annotation: a percentage of the request, or an absolute per-pod amount. */
type UsageSetting = { readonly percent: number } | { readonly total: number };

/** Parses `"80"`, `"80%"`, `"250m"`, `"200Mi"` (undefined when it is none of these). */
export function parseUsageSetting(
  value: string | undefined,
  resource: MetricResource,
): UsageSetting | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  const percent = /^(\d+(?:\.\d+)?)%?$/.exec(text);
  if (percent !== null) return { percent: Number(percent[1]) };
  const q = parseQuantity(text);
  if (q === undefined || q.nanos < 0n) return undefined;
  // CPU in nanocores, memory in bytes.
  return { total: resource === 'cpu' ? Number(q.nanos) : Number(q.nanos / 1_000_000_000n) };
}

/** A container's request of a resource (cores as nanocores, bytes), undefined when it has none. */
export function containerRequest(container: JsonObject, resource: MetricResource): number | undefined {
  const requests = getOwn(getOwn(container, 'resources'), 'requests');
  const q = parseQuantity(getOwn(requests, resource));
  if (q === undefined) return undefined;
  return resource === 'cpu' ? Number(q.nanos) : Number(q.nanos / 1_000_000_000n);
}

/** The containers metrics-server reports for a pod: its running ones (and running sidecars). */
function runningContainers(pod: KubeObject): JsonObject[] {
  const spec = isJsonObject(pod.spec) ? pod.spec : {};
  const status = isJsonObject(pod.status) ? pod.status : {};
  const containers = Array.isArray(spec.containers) ? spec.containers.filter(isJsonObject) : [];
  const sidecars = Array.isArray(spec.initContainers)
    ? spec.initContainers.filter((c): c is JsonObject => isJsonObject(c) && c.restartPolicy === 'Always')
    : [];
  const statuses = [
    ...(Array.isArray(status.containerStatuses) ? status.containerStatuses : []),
    ...(Array.isArray(status.initContainerStatuses) ? status.initContainerStatuses : []),
  ].filter(isJsonObject);
  if (statuses.length === 0) return containers;
  const running = new Set(
    statuses
      .filter((s) => isJsonObject(getOwn(s, 'state')) && isJsonObject(getOwn(s.state, 'running')))
      .map((s) => s.name),
  );
  return [...sidecars, ...containers].filter((c) => running.has(c.name));
}

const RESOURCE_OF_KIND: Readonly<Record<string, string>> = {
  'apps/ReplicaSet': 'replicasets.apps',
  'apps/Deployment': 'deployments.apps',
  'apps/StatefulSet': 'statefulsets.apps',
  'apps/DaemonSet': 'daemonsets.apps',
  'batch/Job': 'jobs.batch',
  'batch/CronJob': 'cronjobs.batch',
  '/ReplicationController': 'replicationcontrollers',
};

function annotationOf(object: KubeObject, name: string): string | undefined {
  const value = getOwn(getOwn(object.metadata, 'annotations'), name);
  return typeof value === 'string' ? value : undefined;
}

function controllerRefOf(object: KubeObject): JsonObject | undefined {
  const refs = getOwn(object.metadata, 'ownerReferences');
  return Array.isArray(refs)
    ? refs.find((r): r is JsonObject => isJsonObject(r) && r.controller === true)
    : undefined;
}

/**
 * Computes pod usage, reading the workloads that control pods through the API and remembering
 * them for the model's lifetime (make one per request or reconcile).
 */
export class UsageModel {
  private readonly owners = new Map<string, KubeObject | null>();

  constructor(private readonly api: ClusterApi) {}

  /** The usage of each running container of a pod; undefined when the pod is not Running. */
  pod(pod: KubeObject): ContainerUsage[] | undefined {
    const status = isJsonObject(pod.status) ? pod.status : {};
    if (status.phase !== 'Running') return undefined;
    const containers = runningContainers(pod);
    if (containers.length === 0) return undefined;
    const uid = String(getOwn(pod.metadata, 'uid') ?? getOwn(pod.metadata, 'name') ?? '');
    const idle = containers.map((c) => idleUsage(String(c.image ?? ''), `${uid}/${String(c.name)}`));
    const cpu = this.apply(
      pod,
      containers,
      'cpu',
      idle.map((u) => u.cpuNanos),
    );
    const memory = this.apply(
      pod,
      containers,
      'memory',
      idle.map((u) => u.memoryBytes),
    );
    return containers.map((c, i) => ({
      name: String(c.name),
      cpuNanos: Math.round(cpu[i]!),
      memoryBytes: Math.round(memory[i]! / 1024) * 1024,
    }));
  }

  /** The setting that applies to a pod: its own annotation, else its nearest controller's. */
  setting(pod: KubeObject, resource: MetricResource): UsageSetting | undefined {
    const name = resource === 'cpu' ? CPU_UTILIZATION_ANNOTATION : MEMORY_UTILIZATION_ANNOTATION;
    const namespace = String(getOwn(pod.metadata, 'namespace') ?? '');
    let object: KubeObject | undefined = pod;
    for (let depth = 0; object !== undefined && depth < 4; depth++) {
      const value = parseUsageSetting(annotationOf(object, name), resource);
      if (value !== undefined) return value;
      object = this.owner(namespace, controllerRefOf(object));
    }
    return undefined;
  }

  private apply(
    pod: KubeObject,
    containers: JsonObject[],
    resource: MetricResource,
    idle: number[],
  ): number[] {
    const setting = this.setting(pod, resource);
    if (setting === undefined) return idle;
    const requests = containers.map((c) => containerRequest(c, resource));
    if ('percent' in setting) {
      return containers.map((_, i) => {
        const request = requests[i];
        return request === undefined ? idle[i]! : (request * setting.percent) / 100;
      });
    }
    const total = requests.reduce<number>((sum, r) => sum + (r ?? 0), 0);
    const allRequested = requests.every((r) => r !== undefined) && total > 0;
    return containers.map((_, i) =>
      allRequested ? (setting.total * requests[i]!) / total : setting.total / containers.length,
    );
  }

  private owner(namespace: string, ref: JsonObject | undefined): KubeObject | undefined {
    if (ref === undefined) return undefined;
    const group = String(ref.apiVersion ?? '').includes('/') ? String(ref.apiVersion).split('/')[0] : '';
    const resource = RESOURCE_OF_KIND[`${group}/${String(ref.kind)}`];
    if (resource === undefined) return undefined;
    const key = `${resource}/${namespace}/${String(ref.name)}`;
    let found = this.owners.get(key);
    if (found === undefined) {
      try {
        found = this.api.get(resource, namespace, String(ref.name));
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        found = null;
      }
      this.owners.set(key, found);
    }
    if (found === null || getOwn(found.metadata, 'uid') !== ref.uid) return undefined;
    return found;
  }
}

/**
 * A pod's usage of a resource as the HPA's metrics client sums it (`MilliValue()` per container:
 * millicores, or milli-bytes), for one container or all; undefined when the pod has no metrics
 * (or not that container).
 */
export function podUsageMilli(
  usage: readonly ContainerUsage[] | undefined,
  resource: MetricResource,
  container?: string,
): number | undefined {
  if (usage === undefined) return undefined;
  const selected = container === undefined ? usage : usage.filter((c) => c.name === container);
  if (selected.length === 0) return undefined;
  return selected.reduce(
    (sum, c) => sum + (resource === 'cpu' ? Math.ceil(c.cpuNanos / MILLI) : c.memoryBytes * 1000),
    0,
  );
}

/** A node's own usage (kubelet, container runtime, system daemons), besides its pods. */
export function nodeBaseUsage(nodeName: string): { cpuNanos: number; memoryBytes: number } {
  const h = fnv32a(`node/${nodeName}`);
  return {
    cpuNanos: (55 + (h % 31)) * MILLI + ((h >>> 5) % MILLI),
    memoryBytes: (480 + ((h >>> 10) % 161)) * MI + ((h >>> 3) % 1024) * 1024,
  };
}

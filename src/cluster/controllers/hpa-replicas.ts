/**
 * The HPA's replica calculator (`replica_calculator.go`) for resource metrics: each pod's usage
 * from the simulated metrics and its requests, `desired = ceil(ratio × ready pods)` with no
 * change within the {@link HPA_TOLERANCE}; pending and unready pods count as 0 % on a scale-up,
 * pods without metrics as 0 % on a scale-up and 100 % (or the target) on a scale-down, and a
 * change that would flip the direction is dropped. Errors come back as Kubernetes' messages.
 */

import { getOwn, isJsonObject } from '../api/machinery/json-values.js';
import { type MetricResource, podUsageMilli, type UsageModel } from '../metrics/usage.js';
import { formatQuantity, parseQuantity } from '../printing/quantity.js';
import type { KubeObject } from '../store/types.js';
import { meta, nameOf, podCondition, specOf, statusOf } from './shared.js';

/** `--horizontal-pod-autoscaler-tolerance`. */
export const HPA_TOLERANCE = 0.1;
/** `--horizontal-pod-autoscaler-cpu-initialization-period`. */
const CPU_INITIALIZATION_PERIOD_MS = 5 * 60_000;
/** `--horizontal-pod-autoscaler-initial-readiness-delay`. */
const INITIAL_READINESS_DELAY_MS = 30_000;

/** The `MilliValue()` of a quantity (rounded up), undefined when it is none. */
export function milliOf(value: unknown): number | undefined {
  const q = parseQuantity(value);
  if (q === undefined) return undefined;
  const d = 1_000_000n;
  return Number(q.nanos / d + (q.nanos % d > 0n ? 1n : 0n));
}

/** `resource.NewMilliQuantity(v, DecimalSI).String()`. */
export const milliQuantity = (milli: number): string =>
  formatQuantity({ nanos: BigInt(Math.trunc(milli)) * 1_000_000n, format: 'DecimalSI' });

/** What the replica calculator sees of the target's pods. */
export interface PodSet {
  readonly pods: readonly KubeObject[];
  readonly model: UsageModel;
  readonly now: number;
}

/** `groupPods`. */
function groupPods(set: PodSet, metrics: Map<string, number>, resource: MetricResource) {
  let ready = 0;
  const unready = new Set<string>();
  const missing = new Set<string>();
  const ignored = new Set<string>();
  for (const pod of set.pods) {
    const name = nameOf(pod);
    const status = statusOf(pod);
    if (meta(pod).deletionTimestamp != null || status.phase === 'Failed') {
      ignored.add(name);
      continue;
    }
    if (status.phase === 'Pending') {
      unready.add(name);
      continue;
    }
    if (!metrics.has(name)) {
      missing.add(name);
      continue;
    }
    if (resource === 'cpu') {
      const condition = podCondition(pod, 'Ready');
      const started = Date.parse(String(status.startTime ?? ''));
      let isUnready: boolean;
      if (condition === undefined || !Number.isFinite(started)) isUnready = true;
      else if (started + CPU_INITIALIZATION_PERIOD_MS > set.now) {
        // Still initialising: only a pod that is not ready is left out. (Kubernetes also waits
        // for one metrics window after the transition; the simulated metrics are always fresh.)
        isUnready = condition.status === 'False';
      } else {
        const transition = Date.parse(String(condition.lastTransitionTime ?? ''));
        isUnready =
          condition.status === 'False' &&
          started + INITIAL_READINESS_DELAY_MS > (Number.isFinite(transition) ? transition : 0);
      }
      if (isUnready) {
        unready.add(name);
        continue;
      }
    }
    ready++;
  }
  return { ready, unready, missing, ignored };
}

/** The metrics client: each pod's usage (milli-units) from the simulated metrics. */
function resourceMetrics(set: PodSet, resource: MetricResource, container?: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const pod of set.pods) {
    const usage = podUsageMilli(set.model.pod(pod), resource, container);
    if (usage !== undefined) out.set(nameOf(pod), usage);
  }
  return out;
}

/** `calculatePodRequests` (milli-units), or the missing request. */
function podRequests(
  pods: readonly KubeObject[],
  resource: MetricResource,
  container?: string,
): Map<string, number> | string {
  const out = new Map<string, number>();
  for (const pod of pods) {
    const spec = specOf(pod);
    const containers = [
      ...(Array.isArray(spec.containers) ? spec.containers : []),
      ...(Array.isArray(spec.initContainers) ? spec.initContainers : []).filter(
        (c) => isJsonObject(c) && c.restartPolicy === 'Always',
      ),
    ].filter(isJsonObject);
    let sum = 0;
    for (const c of containers) {
      if (container !== undefined && c.name !== container) continue;
      const request = getOwn(getOwn(getOwn(c, 'resources'), 'requests'), resource);
      const milli = milliOf(request);
      if (request === undefined || milli === undefined)
        return `missing request for ${resource} in container ${String(c.name)} of Pod ${nameOf(pod)}`;
      sum += milli;
    }
    out.set(nameOf(pod), sum);
  }
  return out;
}

const within = (ratio: number): boolean => 1 - HPA_TOLERANCE <= ratio && ratio <= 1 + HPA_TOLERANCE;

/** `GetResourceReplicas`: a Utilization target. */
export function utilizationReplicas(
  current: number,
  target: number,
  resource: MetricResource,
  set: PodSet,
  container?: string,
): { replicas: number; utilization: number; raw: number } | string {
  const metrics = resourceMetrics(set, resource, container);
  if (metrics.size === 0)
    return `unable to get metrics for resource ${resource}: no metrics returned from resource metrics API`;
  if (set.pods.length === 0) return 'no pods returned by selector while calculating replica count';
  const { ready, unready, missing, ignored } = groupPods(set, metrics, resource);
  for (const name of [...ignored, ...unready]) metrics.delete(name);
  if (metrics.size === 0) return 'did not receive metrics for targeted pods (pods might be unready)';
  const requests = podRequests(set.pods, resource, container);
  if (typeof requests === 'string') return requests;
  const ratioOf = (values: Map<string, number>) => {
    let used = 0;
    let requested = 0;
    let n = 0;
    for (const [name, v] of values) {
      const r = requests.get(name);
      if (r === undefined) continue;
      used += v;
      requested += r;
      n++;
    }
    if (requested === 0) return undefined;
    const utilization = Math.trunc((used * 100) / requested);
    return { ratio: utilization / target, utilization, raw: Math.trunc(used / n) };
  };
  const first = ratioOf(metrics);
  if (first === undefined) return 'no metrics returned matched known pods';
  const { ratio, utilization, raw } = first;
  const scaleUpWithUnready = unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && missing.size === 0) {
    if (within(ratio)) return { replicas: current, utilization, raw };
    return { replicas: Math.ceil(ratio * ready), utilization, raw };
  }
  if (missing.size > 0) {
    // Scale-down: missing pods use 100 % (or the target above it); scale-up: 0 %.
    const fallback = Math.max(100, target);
    for (const name of missing)
      metrics.set(name, ratio < 1 ? ((requests.get(name) ?? 0) * fallback) / 100 : 0);
  }
  if (scaleUpWithUnready) for (const name of unready) metrics.set(name, 0);
  const second = ratioOf(metrics);
  if (second === undefined) return 'no metrics returned matched known pods';
  const next = second.ratio;
  if (within(next) || (ratio < 1 && next > 1) || (ratio > 1 && next < 1))
    return { replicas: current, utilization, raw };
  const replicas = Math.ceil(next * metrics.size);
  if ((next < 1 && replicas > current) || (next > 1 && replicas < current))
    return { replicas: current, utilization, raw };
  return { replicas, utilization, raw };
}

/** `GetRawResourceReplicas`: an AverageValue target (milli-units). */
export function averageValueReplicas(
  current: number,
  target: number,
  resource: MetricResource,
  set: PodSet,
  container?: string,
): { replicas: number; raw: number } | string {
  const metrics = resourceMetrics(set, resource, container);
  if (metrics.size === 0)
    return `unable to get metrics for resource ${resource}: no metrics returned from resource metrics API`;
  if (set.pods.length === 0) return 'no pods returned by selector while calculating replica count';
  const { ready, unready, missing, ignored } = groupPods(set, metrics, resource);
  for (const name of [...ignored, ...unready]) metrics.delete(name);
  if (metrics.size === 0) return 'did not receive metrics for targeted pods (pods might be unready)';
  const usageOf = (values: Map<string, number>) => {
    let total = 0;
    for (const v of values.values()) total += v;
    const usage = Math.trunc(total / values.size);
    return { ratio: usage / target, usage };
  };
  const { ratio, usage } = usageOf(metrics);
  const scaleUpWithUnready = unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && missing.size === 0) {
    if (within(ratio)) return { replicas: current, raw: usage };
    return { replicas: Math.ceil(ratio * ready), raw: usage };
  }
  if (missing.size > 0) for (const name of missing) metrics.set(name, ratio < 1 ? target : 0);
  if (scaleUpWithUnready) for (const name of unready) metrics.set(name, 0);
  const next = usageOf(metrics).ratio;
  if (within(next) || (ratio < 1 && next > 1) || (ratio > 1 && next < 1))
    return { replicas: current, raw: usage };
  const replicas = Math.ceil(next * metrics.size);
  if ((next < 1 && replicas > current) || (next > 1 && replicas < current))
    return { replicas: current, raw: usage };
  return { replicas, raw: usage };
}

/**
 * The horizontal-pod-autoscaler (`pkg/controller/podautoscaler`): scales a workload through its
 * `/scale` subresource from the simulated resource metrics (`metrics.k8s.io`, see
 * `src/cluster/metrics`).
 *
 * - Resource and ContainerResource metrics, `Utilization` (of the pods' requests) and
 *   `AverageValue` targets, as the replica calculator computes them: `desired =
 *   ceil(ratio × ready pods)`, no change within the 0.1 tolerance; pending and unready pods count
 *   as 0 % on a scale-up, pods without metrics as 0 % on a scale-up and 100 % on a scale-down, and
 *   a change that would flip the direction is dropped. A container without a request fails the
 *   Utilization metric (`ScalingActive=False FailedGetResourceMetric`, `missing request for cpu in
 *   container web of Pod web-…`). Several metrics: the largest proposal. Pods, Object and External
 *   metrics have no custom metrics API to read (`FailedGet…Metric`).
 * - `spec.behavior` as Kubernetes defaults it (and as the controller applies it even when it is
 *   absent): scale-up stabilisation 0 s, policies 4 pods and 100 % per 15 s, the larger wins;
 *   scale-down stabilisation 300 s (`--horizontal-pod-autoscaler-downscale-stabilization`),
 *   100 % per 15 s. Then clamped to `[minReplicas, maxReplicas]` (`ScalingLimited`).
 * - Status: `currentReplicas`, `desiredReplicas`, `currentMetrics`, `lastScaleTime` and the
 *   `AbleToScale`, `ScalingActive`, `ScalingLimited` conditions with Kubernetes' reasons and
 *   messages; events `SuccessfulRescale` (`New size: 4; reason: cpu resource utilization
 *   (percentage of request) above target`), `FailedGetScale`, `FailedGetResourceMetric`,
 *   `FailedComputeMetricsReplicas`, `FailedRescale`.
 *
 * Timing: the sync period is 15 s, a *wait* wake-up, so a scale-down (held 5 minutes by the
 * stabilisation window) needs the clock to move (`advance`). The controller also re-evaluates at
 * once when its HPA changes, when the target workload appears, and when a usage annotation
 * (`bosun.dev/cpu-utilization`, `bosun.dev/memory-utilization`) of a target pod or workload
 * changes, so raising the load scales up without moving the clock. The recommendations and scale
 * events the stabilisation windows and policies look back on are kept in the cluster's meta
 * state (Kubernetes keeps them in memory; bosun's controllers run once per command).
 */

import { getOwn, isJsonObject, type JsonObject, jsonEqual } from '../api/machinery/json-values.js';
import { type LabelSelector, matchesLabels, parseLabelSelector } from '../api/machinery/label-selector.js';
import { ApiError, type KindInfo, resourceKeyOf } from '../api/types.js';
import {
  CPU_UTILIZATION_ANNOTATION,
  MEMORY_UTILIZATION_ANNOTATION,
  type MetricResource,
  podUsageMilli,
  UsageModel,
} from '../metrics/usage.js';
import { formatQuantity, parseQuantity } from '../printing/quantity.js';
import type { Controller, ControllerContext } from '../runtime/types.js';
import { splitKey } from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';
import { getOptional } from './endpoints.js';
import {
  annotations,
  controllerOf,
  labels,
  meta,
  nameOf,
  podCondition,
  rfc3339,
  setCondition,
  specOf,
  statusOf,
} from './shared.js';

/** The controller's name. */
export const HPA_CONTROLLER = 'horizontal-pod-autoscaler';
const RESOURCE = 'horizontalpodautoscalers.autoscaling';
/** `--horizontal-pod-autoscaler-sync-period`. */
export const HPA_SYNC_PERIOD_MS = 15_000;
/** `--horizontal-pod-autoscaler-downscale-stabilization`. */
export const DOWNSCALE_STABILIZATION_SECONDS = 300;
/** `--horizontal-pod-autoscaler-tolerance`. */
export const HPA_TOLERANCE = 0.1;
/** `--horizontal-pod-autoscaler-cpu-initialization-period`. */
const CPU_INITIALIZATION_PERIOD_MS = 5 * 60_000;
/** `--horizontal-pod-autoscaler-initial-readiness-delay`. */
const INITIAL_READINESS_DELAY_MS = 30_000;
/** The workloads whose annotations and appearance concern HPAs. */
const WORKLOADS = ['deployments.apps', 'replicasets.apps', 'statefulsets.apps', 'replicationcontrollers'];

/** One scaling policy. */
interface Policy {
  readonly type: 'Pods' | 'Percent';
  readonly value: number;
  readonly periodSeconds: number;
}

/** `HPAScalingRules` with Kubernetes' defaults filled in. */
interface ScalingRules {
  readonly window: number;
  readonly select: 'Max' | 'Min' | 'Disabled';
  readonly policies: readonly Policy[];
}

/** What the stabilisation windows and rate policies look back on (kept in meta). */
interface HpaHistory {
  /** Unstabilised recommendations: [replicas, latest time (ms) it was recommended]. */
  recs: [number, number][];
  /** Scale events: [time (ms), replicas added / removed]. */
  up: [number, number][];
  down: [number, number][];
}

const historyKey = (key: string): string => `hpa.${key}`;

function readHistory(ctx: ControllerContext, key: string): HpaHistory {
  const stored = ctx.meta.get(historyKey(key));
  const pairs = (v: unknown): [number, number][] =>
    Array.isArray(v)
      ? v.filter(
          (p): p is [number, number] =>
            Array.isArray(p) && typeof p[0] === 'number' && typeof p[1] === 'number',
        )
      : [];
  return isJsonObject(stored)
    ? { recs: pairs(stored.recs), up: pairs(stored.up), down: pairs(stored.down) }
    : { recs: [], up: [], down: [] };
}

/** `GenerateHPAScaleUpRules` / `GenerateHPAScaleDownRules` and the default downscale window. */
function scalingRules(hpa: KubeObject, direction: 'scaleUp' | 'scaleDown'): ScalingRules {
  const given = getOwn(getOwn(specOf(hpa), 'behavior'), direction);
  const rules = isJsonObject(given) ? given : {};
  const defaults: Policy[] =
    direction === 'scaleUp'
      ? [
          { type: 'Pods', value: 4, periodSeconds: 15 },
          { type: 'Percent', value: 100, periodSeconds: 15 },
        ]
      : [{ type: 'Percent', value: 100, periodSeconds: 15 }];
  const policies = Array.isArray(rules.policies)
    ? rules.policies.filter(isJsonObject).map((p) => ({
        type: p.type === 'Pods' ? ('Pods' as const) : ('Percent' as const),
        value: Number(p.value ?? 0),
        periodSeconds: Number(p.periodSeconds ?? 15),
      }))
    : defaults;
  const select =
    rules.selectPolicy === 'Min' || rules.selectPolicy === 'Disabled' ? rules.selectPolicy : 'Max';
  const window =
    typeof rules.stabilizationWindowSeconds === 'number'
      ? rules.stabilizationWindowSeconds
      : direction === 'scaleUp'
        ? 0
        : DOWNSCALE_STABILIZATION_SECONDS;
  return { window, select, policies };
}

/** `getReplicasChangePerPeriod`. */
function changeInPeriod(periodSeconds: number, events: readonly [number, number][], now: number): number {
  const cutoff = now - periodSeconds * 1000;
  return events.reduce((sum, [at, change]) => (at > cutoff ? sum + change : sum), 0);
}

/** `calculateScaleUpLimitWithScalingRules`. */
function scaleUpLimit(current: number, history: HpaHistory, rules: ScalingRules, now: number): number {
  if (rules.select === 'Disabled') return current;
  let result = rules.select === 'Min' ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
  for (const policy of rules.policies) {
    const start =
      current -
      changeInPeriod(policy.periodSeconds, history.up, now) +
      changeInPeriod(policy.periodSeconds, history.down, now);
    const proposed =
      policy.type === 'Pods' ? start + policy.value : Math.ceil(start * (1 + policy.value / 100));
    result = rules.select === 'Min' ? Math.min(result, proposed) : Math.max(result, proposed);
  }
  return result;
}

/** `calculateScaleDownLimitWithBehaviors`. */
function scaleDownLimit(current: number, history: HpaHistory, rules: ScalingRules, now: number): number {
  if (rules.select === 'Disabled') return current;
  let result = rules.select === 'Min' ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
  for (const policy of rules.policies) {
    const start =
      current -
      changeInPeriod(policy.periodSeconds, history.up, now) +
      changeInPeriod(policy.periodSeconds, history.down, now);
    const proposed =
      policy.type === 'Pods' ? start - policy.value : Math.trunc(start * (1 - policy.value / 100));
    result = rules.select === 'Min' ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return result;
}

/** A metric's outcome: a proposal with its status, or the error and the condition to set. */
type MetricOutcome =
  | { readonly ok: true; readonly replicas: number; readonly name: string; readonly status: JsonObject }
  | { readonly ok: false; readonly reason: string; readonly error: string };

/** The `MilliValue()` of a quantity (rounded up), undefined when it is none. */
function milliOf(value: unknown): number | undefined {
  const q = parseQuantity(value);
  if (q === undefined) return undefined;
  const d = 1_000_000n;
  return Number(q.nanos / d + (q.nanos % d > 0n ? 1n : 0n));
}

/** `resource.NewMilliQuantity(v, DecimalSI).String()`. */
const milliQuantity = (milli: number): string =>
  formatQuantity({ nanos: BigInt(Math.trunc(milli)) * 1_000_000n, format: 'DecimalSI' });

/** What the replica calculator sees of the target's pods. */
interface PodSet {
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
function utilizationReplicas(
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
function averageValueReplicas(
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

/** `computeReplicasForMetric` for one metric spec. */
function computeMetric(spec: JsonObject, current: number, set: PodSet, namespace: string): MetricOutcome {
  const type = String(spec.type ?? '');
  if (type === 'Resource' || type === 'ContainerResource') {
    const source = (type === 'Resource' ? spec.resource : spec.containerResource) as JsonObject | undefined;
    const resource = String(getOwn(source, 'name') ?? '') as MetricResource;
    const container = type === 'ContainerResource' ? String(getOwn(source, 'container') ?? '') : undefined;
    const target = isJsonObject(getOwn(source, 'target')) ? (source!.target as JsonObject) : {};
    const reason = type === 'Resource' ? 'FailedGetResourceMetric' : 'FailedGetContainerResourceMetric';
    const statusOfMetric = (current: JsonObject): JsonObject =>
      type === 'Resource'
        ? { type, resource: { name: resource, current } }
        : { type, containerResource: { name: resource, container, current } };
    const label = container === undefined ? `${resource} resource` : `${resource} container resource`;
    if (resource !== 'cpu' && resource !== 'memory') {
      return {
        ok: false,
        reason,
        error: `failed to get ${resource} utilization: unable to get metrics for resource ${resource}: no metrics returned from resource metrics API`,
      };
    }
    if (target.averageValue !== undefined && target.averageValue !== null) {
      const goal = milliOf(target.averageValue) ?? 0;
      const result = averageValueReplicas(current, goal, resource, set, container);
      if (typeof result === 'string')
        return { ok: false, reason, error: `failed to get ${resource} usage: ${result}` };
      return {
        ok: true,
        replicas: result.replicas,
        name: label,
        status: statusOfMetric({ averageValue: milliQuantity(result.raw) }),
      };
    }
    if (typeof target.averageUtilization !== 'number') {
      return {
        ok: false,
        reason,
        error:
          'invalid resource metric source: neither an average utilization target nor an average value (usage) target was set',
      };
    }
    const result = utilizationReplicas(current, target.averageUtilization, resource, set, container);
    if (typeof result === 'string')
      return { ok: false, reason, error: `failed to get ${resource} utilization: ${result}` };
    return {
      ok: true,
      replicas: result.replicas,
      name: `${label} utilization (percentage of request)`,
      status: statusOfMetric({
        averageUtilization: result.utilization,
        averageValue: milliQuantity(result.raw),
      }),
    };
  }
  const noCustom =
    'unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered';
  if (type === 'Pods') {
    const metric = String(getOwn(getOwn(spec.pods, 'metric'), 'name') ?? '');
    return { ok: false, reason: 'FailedGetPodsMetric', error: `unable to get metric ${metric}: ${noCustom}` };
  }
  if (type === 'Object') {
    const metric = String(getOwn(getOwn(spec.object, 'metric'), 'name') ?? '');
    const described = getOwn(spec.object, 'describedObject');
    return {
      ok: false,
      reason: 'FailedGetObjectMetric',
      error: `unable to get metric ${metric}: ${String(getOwn(described, 'kind') ?? '')} on ${namespace} ${String(getOwn(described, 'name') ?? '')}/${noCustom}`,
    };
  }
  if (type === 'External') {
    const metric = String(getOwn(getOwn(spec.external, 'metric'), 'name') ?? '');
    return {
      ok: false,
      reason: 'FailedGetExternalMetric',
      error: `unable to get external metric ${namespace}/${metric}/nil: unable to fetch metrics from external metrics API: no external metrics API (external.metrics.k8s.io) registered`,
    };
  }
  return { ok: false, reason: 'InvalidMetricSourceType', error: `unknown metric source type "${type}"` };
}

/** The annotations that drive the simulated usage, as one comparable string. */
function usageSignature(object: KubeObject): string {
  const a = annotations(object);
  const cpu = a[CPU_UTILIZATION_ANNOTATION];
  const memory = a[MEMORY_UTILIZATION_ANNOTATION];
  return cpu === undefined && memory === undefined ? '' : `${cpu ?? ''}\0${memory ?? ''}`;
}

/** What the controller remembers of an HPA. */
interface HpaEntry {
  /** Its spec (and labels/annotations) as JSON, to tell its own status writes from real changes. */
  spec: string;
  targetKind: string;
  targetName: string;
  /** The target's pod selector, once a sync has read it. */
  selector: LabelSelector | undefined;
}

/** Builds the horizontal-pod-autoscaler. */
export function hpaController(): Controller {
  /** namespace → HPA name → entry. */
  const hpas = new Map<string, Map<string, HpaEntry>>();
  /** Usage annotations seen on pods and workloads of namespaces with HPAs (only non-empty ones). */
  const signatures = new Map<string, string>();

  const enqueueIn = (ctx: ControllerContext, namespace: string, pick: (entry: HpaEntry) => boolean): void => {
    for (const [name, entry] of hpas.get(namespace) ?? [])
      if (pick(entry)) ctx.enqueue(`${namespace}/${name}`);
  };

  const signatureChanged = (id: string, object: KubeObject | undefined): boolean => {
    const next = object === undefined ? '' : usageSignature(object);
    const before = signatures.get(id) ?? '';
    if (next === '') signatures.delete(id);
    else signatures.set(id, next);
    return next !== before;
  };

  return {
    name: HPA_CONTROLLER,
    resources: [RESOURCE, 'pods', ...WORKLOADS],
    reset() {
      hpas.clear();
      signatures.clear();
    },
    observe(event, ctx) {
      const { resource, namespace, name } = event.key;
      if (resource === RESOURCE) {
        const inNamespace = hpas.get(namespace) ?? new Map<string, HpaEntry>();
        if (event.type === 'DELETED') {
          inNamespace.delete(name);
          if (inNamespace.size === 0) hpas.delete(namespace);
          ctx.enqueue(`${namespace}/${name}`);
          return;
        }
        const object = event.object;
        const ref = getOwn(specOf(object), 'scaleTargetRef');
        const spec = JSON.stringify([specOf(object), labels(object), annotations(object)]);
        const old = inNamespace.get(name);
        inNamespace.set(name, {
          spec,
          targetKind: String(getOwn(ref, 'kind') ?? ''),
          targetName: String(getOwn(ref, 'name') ?? ''),
          selector: old?.selector,
        });
        hpas.set(namespace, inNamespace);
        if (old === undefined || old.spec !== spec) ctx.enqueue(`${namespace}/${name}`);
        return;
      }
      if (!hpas.has(namespace)) return;
      const id = `${resource}/${namespace}/${name}`;
      if (resource === 'pods') {
        const changed = signatureChanged(id, event.type === 'DELETED' ? undefined : event.object);
        if (!changed || event.type === 'DELETED') return;
        const podLabels = labels(event.object);
        enqueueIn(ctx, namespace, (e) => e.selector === undefined || matchesLabels(e.selector, podLabels));
        return;
      }
      // A workload: its usage annotations count for its pods; its appearance for HPAs waiting on it.
      const changed = signatureChanged(id, event.type === 'DELETED' ? undefined : event.object);
      const kind = String(event.object.kind ?? '');
      const owner = controllerOf(event.object);
      enqueueIn(
        ctx,
        namespace,
        (e) =>
          changed ||
          (event.type !== 'MODIFIED' && e.targetKind === kind && e.targetName === name) ||
          (event.type === 'ADDED' && owner !== undefined && e.targetName === owner.name),
      );
    },
    reconcile(key, ctx) {
      const { namespace, name } = splitKey(key);
      const hpa = getOptional(ctx, RESOURCE, namespace, name);
      if (hpa === undefined) {
        if (ctx.meta.get(historyKey(key)) !== undefined) ctx.meta.set(historyKey(key), undefined);
        return;
      }
      const now = ctx.now();
      const nowMs = now.getTime();
      const recorder = ctx.recorder(HPA_CONTROLLER);
      const spec = specOf(hpa);
      const original = statusOf(hpa);
      let conditions: JsonObject[] = Array.isArray(original.conditions)
        ? original.conditions.filter(isJsonObject)
        : [];
      const condition = (type: string, status: 'True' | 'False', reason: string, message: string): void => {
        conditions = setCondition(conditions, { type, status, reason, message }, now);
      };
      let currentReplicas = typeof original.currentReplicas === 'number' ? original.currentReplicas : 0;
      let desiredReplicas = typeof original.desiredReplicas === 'number' ? original.desiredReplicas : 0;
      let lastScaleTime = original.lastScaleTime;
      let metricStatuses: JsonObject[] | undefined = Array.isArray(original.currentMetrics)
        ? original.currentMetrics.filter(isJsonObject)
        : undefined;
      const history = readHistory(ctx, key);
      const storedHistory = JSON.stringify(history);
      let nextWake = HPA_SYNC_PERIOD_MS;

      const finish = (): void => {
        nextWake = Math.min(nextWake, storeHistory(ctx, key, hpa, history, storedHistory, nowMs));
        const status: JsonObject = {
          ...(lastScaleTime === undefined || lastScaleTime === null ? {} : { lastScaleTime }),
          ...(currentReplicas !== 0 ? { currentReplicas } : {}),
          desiredReplicas,
          ...(metricStatuses === undefined || metricStatuses.length === 0
            ? {}
            : { currentMetrics: metricStatuses }),
          ...(conditions.length > 0 ? { conditions } : {}),
        };
        if (!jsonEqual(status, original)) {
          ctx.api.update({ ...hpa, status }, { subresource: 'status', fieldManager: HPA_CONTROLLER });
        }
        ctx.after(key, Math.max(1, nextWake), 'wait');
      };

      // The target's scale.
      const ref = isJsonObject(spec.scaleTargetRef) ? spec.scaleTargetRef : {};
      const apiVersion = String(ref.apiVersion ?? '');
      const kind = String(ref.kind ?? '');
      const targetName = String(ref.name ?? '');
      let info: KindInfo | undefined;
      try {
        info = ctx.api.kinds.forObject(apiVersion, kind);
      } catch {
        info = undefined;
      }
      let scale: KubeObject | undefined;
      let scaleError: string | undefined;
      if (info === undefined) {
        const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
        scaleError = `no matches for kind "${kind}" in group "${group}"`;
      } else {
        try {
          scale = ctx.api.get(info, namespace, targetName, { subresource: 'scale' });
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          // The scale client names the subresource: `deployments/scale.apps "web" not found`.
          scaleError =
            error.status.code === 404
              ? `${info.plural}/scale${info.group === '' ? '' : `.${info.group}`} "${targetName}" not found`
              : error.message;
        }
      }
      if (scale === undefined || info === undefined) {
        const message = scaleError ?? 'unrecognized resource';
        recorder.record(hpa, 'Warning', 'FailedGetScale', message);
        condition(
          'AbleToScale',
          'False',
          'FailedGetScale',
          `the HPA controller was unable to get the target's current scale: ${message}`,
        );
        finish();
        return;
      }
      condition(
        'AbleToScale',
        'True',
        'SucceededGetScale',
        "the HPA controller was able to get the target's current scale",
      );
      const scaled = Number(getOwn(scale.spec, 'replicas') ?? 0);
      currentReplicas = scaled;
      metricStatuses = undefined;
      if (history.recs.length === 0) history.recs.push([scaled, nowMs]);

      const minReplicas = typeof spec.minReplicas === 'number' ? spec.minReplicas : 1;
      const maxReplicas = Number(spec.maxReplicas ?? 0);
      let desired = 0;
      let rescale = true;
      let rescaleReason = '';
      if (scaled === 0 && minReplicas !== 0) {
        desired = 0;
        rescale = false;
        condition(
          'ScalingActive',
          'False',
          'ScalingDisabled',
          'scaling is disabled since the replica count of the target is zero',
        );
      } else if (scaled > maxReplicas) {
        rescaleReason = 'Current number of replicas above Spec.MaxReplicas';
        desired = maxReplicas;
      } else if (scaled < minReplicas) {
        rescaleReason = 'Current number of replicas below Spec.MinReplicas';
        desired = minReplicas;
      } else {
        const computed = computeReplicas(ctx, hpa, scale, scaled, condition);
        if (computed.selector !== undefined) {
          const entry = hpas.get(namespace)?.get(name);
          if (entry !== undefined) entry.selector = computed.selector;
        }
        metricStatuses = computed.statuses;
        if (computed.replicas === -1) {
          recorder.record(hpa, 'Warning', 'FailedComputeMetricsReplicas', computed.error ?? '');
          finish();
          return;
        }
        let metricName = '';
        if (computed.replicas > desired) {
          desired = computed.replicas;
          metricName = computed.metric;
        }
        if (desired > scaled) rescaleReason = `${metricName} above target`;
        if (desired < scaled) rescaleReason = 'All metrics below target';
        desired = normalize(hpa, history, scaled, desired, minReplicas, maxReplicas, nowMs, condition);
        rescale = desired !== scaled;
      }

      if (rescale) {
        try {
          ctx.api.update(
            { ...scale, spec: { ...(isJsonObject(scale.spec) ? scale.spec : {}), replicas: desired } },
            { subresource: 'scale', resource: resourceKeyOf(info), fieldManager: HPA_CONTROLLER },
          );
        } catch (error) {
          if (!(error instanceof ApiError) || error.status.code === 409) throw error;
          recorder.record(
            hpa,
            'Warning',
            'FailedRescale',
            `New size: ${desired}; reason: ${rescaleReason}; error: ${error.message}`,
          );
          condition(
            'AbleToScale',
            'False',
            'FailedUpdateScale',
            `the HPA controller was unable to update the target scale: ${error.message}`,
          );
          finish();
          return;
        }
        condition(
          'AbleToScale',
          'True',
          'SucceededRescale',
          `the HPA controller was able to update the target scale to ${desired}`,
        );
        recorder.record(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${rescaleReason}`);
        if (desired > scaled) history.up.push([nowMs, desired - scaled]);
        else history.down.push([nowMs, scaled - desired]);
        lastScaleTime = rfc3339(now);
        desiredReplicas = desired;
      } else {
        desiredReplicas = scaled;
      }
      finish();
    },
  };
}

/** Keeps what the windows and policies still need; returns when the next of it expires (ms from now). */
function storeHistory(
  ctx: ControllerContext,
  key: string,
  hpa: KubeObject,
  history: HpaHistory,
  before: string,
  now: number,
): number {
  const up = scalingRules(hpa, 'scaleUp');
  const down = scalingRules(hpa, 'scaleDown');
  const windowMs = Math.max(up.window, down.window) * 1000;
  const periodMs =
    Math.max(15, ...up.policies.map((p) => p.periodSeconds), ...down.policies.map((p) => p.periodSeconds)) *
    1000;
  const recs = history.recs.filter(([, at]) => at + windowMs > now);
  const keep = (events: [number, number][]) => events.filter(([at]) => at + periodMs > now);
  const stored: HpaHistory = { recs, up: keep(history.up), down: keep(history.down) };
  if (JSON.stringify(stored) !== before) ctx.meta.set(historyKey(key), stored);
  // The next moment a recommendation leaves a window or an event leaves a policy period.
  let next = Number.POSITIVE_INFINITY;
  for (const [, at] of recs) {
    for (const w of [up.window, down.window])
      if (w > 0 && at + w * 1000 > now) next = Math.min(next, at + w * 1000 - now);
  }
  for (const [at] of [...stored.up, ...stored.down]) {
    for (const p of [...up.policies, ...down.policies]) {
      const end = at + p.periodSeconds * 1000;
      if (end > now) next = Math.min(next, end - now);
    }
  }
  return next;
}

/**
 * `normalizeDesiredReplicasWithBehaviors`: stabilisation windows, then the rate policies and the
 * min/max bounds, with the AbleToScale and ScalingLimited conditions. Records the recommendation.
 */
function normalize(
  hpa: KubeObject,
  history: HpaHistory,
  current: number,
  prenormalized: number,
  minReplicas: number,
  maxReplicas: number,
  now: number,
  condition: (type: string, status: 'True' | 'False', reason: string, message: string) => void,
): number {
  const upRules = scalingRules(hpa, 'scaleUp');
  const downRules = scalingRules(hpa, 'scaleDown');
  // stabilizeRecommendationWithBehaviors
  const upCutoff = now - upRules.window * 1000;
  const downCutoff = now - downRules.window * 1000;
  let upRecommendation = prenormalized;
  let downRecommendation = prenormalized;
  for (const [replicas, at] of history.recs) {
    if (at > upCutoff) upRecommendation = Math.min(replicas, upRecommendation);
    if (at > downCutoff) downRecommendation = Math.max(replicas, downRecommendation);
  }
  let stabilized = current;
  if (stabilized < upRecommendation) stabilized = upRecommendation;
  if (stabilized > downRecommendation) stabilized = downRecommendation;
  const recorded = history.recs.find(([replicas]) => replicas === prenormalized);
  if (recorded !== undefined) recorded[1] = now;
  else history.recs.push([prenormalized, now]);
  if (stabilized !== prenormalized) {
    if (prenormalized >= current)
      condition(
        'AbleToScale',
        'True',
        'ScaleUpStabilized',
        'recent recommendations were lower than current one, applying the lowest recent recommendation',
      );
    else
      condition(
        'AbleToScale',
        'True',
        'ScaleDownStabilized',
        'recent recommendations were higher than current one, applying the highest recent recommendation',
      );
  } else {
    condition('AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size');
  }
  // convertDesiredReplicasWithBehaviorRate
  let desired = stabilized;
  let reason = 'DesiredWithinRange';
  let message = 'the desired count is within the acceptable range';
  if (stabilized > current) {
    const limit = Math.max(scaleUpLimit(current, history, upRules, now), current);
    let maximum = maxReplicas;
    let why = 'TooManyReplicas';
    let text = 'the desired replica count is more than the maximum replica count';
    if (maximum > limit) {
      maximum = limit;
      why = 'ScaleUpLimit';
      text = 'the desired replica count is increasing faster than the maximum scale rate';
    }
    if (stabilized > maximum) {
      desired = maximum;
      reason = why;
      message = text;
    }
  } else if (stabilized < current) {
    const limit = Math.min(scaleDownLimit(current, history, downRules, now), current);
    let minimum = minReplicas;
    let why = 'TooFewReplicas';
    let text = 'the desired replica count is less than the minimum replica count';
    if (minimum < limit) {
      minimum = limit;
      why = 'ScaleDownLimit';
      text = 'the desired replica count is decreasing faster than the maximum scale rate';
    }
    if (stabilized < minimum) {
      desired = minimum;
      reason = why;
      message = text;
    }
  }
  condition('ScalingLimited', desired === stabilized ? 'False' : 'True', reason, message);
  return desired;
}

/**
 * `computeReplicasForMetrics`: the largest proposal of the valid metrics, their statuses, and
 * the ScalingActive condition; `replicas: -1` with the error when no metric (or, scaling down,
 * not every metric) could be computed.
 */
function computeReplicas(
  ctx: ControllerContext,
  hpa: KubeObject,
  scale: KubeObject,
  current: number,
  condition: (type: string, status: 'True' | 'False', reason: string, message: string) => void,
): {
  replicas: number;
  metric: string;
  statuses: JsonObject[] | undefined;
  error?: string;
  selector?: LabelSelector;
} {
  const namespace = String(meta(hpa).namespace ?? '');
  const recorder = ctx.recorder(HPA_CONTROLLER);
  const selectorText = String(getOwn(scale.status, 'selector') ?? '');
  if (selectorText === '') {
    recorder.record(hpa, 'Warning', 'SelectorRequired', 'selector is required');
    condition('ScalingActive', 'False', 'InvalidSelector', "the HPA target's scale is missing a selector");
    return { replicas: -1, metric: '', statuses: undefined, error: 'selector is required' };
  }
  let selector: LabelSelector;
  try {
    selector = parseLabelSelector(selectorText);
  } catch (error) {
    const message = `couldn't convert selector into a corresponding internal selector object: ${
      error instanceof Error ? error.message : String(error)
    }`;
    recorder.record(hpa, 'Warning', 'InvalidSelector', message);
    condition('ScalingActive', 'False', 'InvalidSelector', message);
    return { replicas: -1, metric: '', statuses: undefined, error: message };
  }
  const pods = ctx.api.list('pods', { namespace, labelSelector: selector }).items;
  const set: PodSet = { pods, model: new UsageModel(ctx.api), now: ctx.now().getTime() };
  const specs = Array.isArray(specOf(hpa).metrics)
    ? (specOf(hpa).metrics as unknown[]).filter(isJsonObject)
    : [];
  const statuses: JsonObject[] = specs.map(() => ({ type: '' }));
  let replicas = 0;
  let metric = '';
  let invalid = 0;
  let firstError: { reason: string; error: string } | undefined;
  specs.forEach((spec, i) => {
    const outcome = computeMetric(spec, current, set, namespace);
    if (!outcome.ok) {
      recorder.record(hpa, 'Warning', outcome.reason, outcome.error);
      if (firstError === undefined) firstError = { reason: outcome.reason, error: outcome.error };
      invalid++;
      return;
    }
    statuses[i] = outcome.status;
    if (replicas === 0 || outcome.replicas > replicas) {
      replicas = outcome.replicas;
      metric = outcome.name;
    }
  });
  const error =
    firstError === undefined
      ? undefined
      : `invalid metrics (${invalid} invalid out of ${specs.length}), first error is: ${firstError.error}`;
  if (firstError !== undefined && (invalid >= specs.length || replicas < current)) {
    condition(
      'ScalingActive',
      'False',
      firstError.reason,
      `the HPA was unable to compute the replica count: ${firstError.error}`,
    );
    return { replicas: -1, metric: '', statuses, selector, ...(error === undefined ? {} : { error }) };
  }
  if (specs.length === 0) {
    return { replicas: -1, metric: '', statuses: undefined, selector, error: 'no metrics to compute' };
  }
  condition(
    'ScalingActive',
    'True',
    'ValidMetricFound',
    `the HPA was able to successfully calculate a replica count from ${metric}`,
  );
  return { replicas, metric, statuses, selector };
}

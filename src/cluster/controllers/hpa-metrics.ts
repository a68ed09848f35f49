/**
 * The HPA's metrics (`computeReplicasForMetrics`): each metric spec of `spec.metrics` turned into
 * a replica proposal and its `currentMetrics` status through the replica calculator (Resource
 * and ContainerResource metrics, Utilization and AverageValue targets), the largest proposal
 * kept, and the ScalingActive condition. Pods, Object and External metrics have no custom
 * metrics API to read (`FailedGet…Metric`).
 */

import type { EventRecorder } from '../api/machinery/events.js';
import { getOwn, isJsonObject, type JsonObject } from '../api/machinery/json-values.js';
import { type LabelSelector, parseLabelSelector } from '../api/machinery/label-selector.js';
import { type MetricResource, UsageModel } from '../metrics/usage.js';
import type { ControllerContext } from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';
import type { SetCondition } from './hpa-behavior.js';
import {
  averageValueReplicas,
  milliOf,
  milliQuantity,
  type PodSet,
  utilizationReplicas,
} from './hpa-replicas.js';
import { meta, specOf } from './shared.js';

/** A metric's outcome: a proposal with its status, or the error and the condition to set. */
export type MetricOutcome =
  | { readonly ok: true; readonly replicas: number; readonly name: string; readonly status: JsonObject }
  | { readonly ok: false; readonly reason: string; readonly error: string };

/** `computeReplicasForMetric` for one metric spec. */
export function computeMetric(
  spec: JsonObject,
  current: number,
  set: PodSet,
  namespace: string,
): MetricOutcome {
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

/**
 * `computeReplicasForMetrics`: the largest proposal of the valid metrics, their statuses, and
 * the ScalingActive condition; `replicas: -1` with the error when no metric (or, scaling down,
 * not every metric) could be computed.
 */
export function computeReplicas(
  ctx: ControllerContext,
  recorder: EventRecorder,
  hpa: KubeObject,
  scale: KubeObject,
  current: number,
  condition: SetCondition,
): {
  replicas: number;
  metric: string;
  statuses: JsonObject[] | undefined;
  error?: string;
  selector?: LabelSelector;
} {
  const namespace = String(meta(hpa).namespace ?? '');
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

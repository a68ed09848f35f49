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
 *
 * The behaviour (windows, policies, bounds) is in `hpa-behavior.ts`, the metrics in
 * `hpa-metrics.ts` and the replica calculator in `hpa-replicas.ts`; this module follows the
 * events, reads and writes the target's scale, and writes the status.
 */

import { getOwn, isJsonObject, type JsonObject, jsonEqual } from '../api/machinery/json-values.js';
import { type LabelSelector, matchesLabels } from '../api/machinery/label-selector.js';
import { ApiError, type KindInfo, resourceKeyOf } from '../api/types.js';
import { CPU_UTILIZATION_ANNOTATION, MEMORY_UTILIZATION_ANNOTATION } from '../metrics/usage.js';
import type { Controller, ControllerContext } from '../runtime/types.js';
import { splitKey } from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';
import { getOptional } from './endpoint-common.js';
import { historyKey, normalize, readHistory, storeHistory } from './hpa-behavior.js';
import { computeReplicas } from './hpa-metrics.js';
import { annotations, controllerOf, labels, rfc3339, setCondition, specOf, statusOf } from './shared.js';

export { DOWNSCALE_STABILIZATION_SECONDS } from './hpa-behavior.js';
export { HPA_TOLERANCE } from './hpa-replicas.js';

/** The controller's name. */
export const HPA_CONTROLLER = 'horizontal-pod-autoscaler';
const RESOURCE = 'horizontalpodautoscalers.autoscaling';
/** `--horizontal-pod-autoscaler-sync-period`. */
export const HPA_SYNC_PERIOD_MS = 15_000;
/** The workloads whose annotations and appearance concern HPAs. */
const WORKLOADS = ['deployments.apps', 'replicasets.apps', 'statefulsets.apps', 'replicationcontrollers'];

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

/** Builds the horizontal-pod-autoscaler. */ export function hpaController(): Controller {
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
        const computed = computeReplicas(ctx, recorder, hpa, scale, scaled, condition);
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

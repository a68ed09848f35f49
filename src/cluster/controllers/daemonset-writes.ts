/**
 * What the DaemonSet controller writes: daemon pods created on the nodes that need one and pods
 * deleted (`syncNodes`, with their `SuccessfulCreate` / `SuccessfulDelete` events, failures
 * recorded as `FailedCreate` / `FailedDelete`), and the DaemonSet's status
 * (`updateDaemonSetStatus`).
 */

import { type JsonObject, jsonEqual } from '../api/machinery/json-values.js';
import { ApiError } from '../api/types.js';
import type { ControllerContext } from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';
import { CONTROLLER_REVISION_HASH, DAEMONSET_CONTROLLER } from './daemonset-history.js';
import { type DaemonPod, daemonTolerations, pinToNode } from './daemonset-pods.js';
import { POD_TEMPLATE_GENERATION, type StatusCounts } from './daemonset-rollout.js';
import type { SimilarEvents } from './event-correlation.js';
import { isNotFound, nameOf, namespaceOf, podFromTemplate, specOf, statusOf } from './shared.js';

/** At most this many pods are created in one sync (`BurstReplicas`). */
const BURST_REPLICAS = 250;

/** The revision new pods are created at. */
export interface PodRevision {
  readonly hash: string;
  readonly generation: string;
}

/**
 * Creates pods for `needing` nodes (at most 250; the first failure stops creating) and deletes
 * `doomed` pods, at once for those whose node `known` no longer knows. Returns whether it wrote
 * anything.
 */
export function syncNodes(
  ds: KubeObject,
  needing: readonly string[],
  doomed: readonly DaemonPod[],
  revision: PodRevision,
  known: (node: string) => boolean,
  events: SimilarEvents,
  ctx: ControllerContext,
): boolean {
  let wrote = false;
  const template = specOf(ds).template;
  for (const node of needing.slice(0, BURST_REPLICAS)) {
    const pod = podFromTemplate(template, ds, {
      namespace: namespaceOf(ds),
      generateName: `${nameOf(ds)}-`,
      extraLabels: {
        [CONTROLLER_REVISION_HASH]: revision.hash,
        [POD_TEMPLATE_GENERATION]: revision.generation,
      },
    });
    const spec = specOf(pod);
    pod.spec = { ...spec, affinity: pinToNode(spec.affinity, node), tolerations: daemonTolerations(spec) };
    try {
      const created = ctx.api.create(pod, { fieldManager: DAEMONSET_CONTROLLER });
      events.record(
        ctx,
        DAEMONSET_CONTROLLER,
        ds,
        'Normal',
        'SuccessfulCreate',
        `Created pod: ${nameOf(created)}`,
      );
      wrote = true;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      events.record(
        ctx,
        DAEMONSET_CONTROLLER,
        ds,
        'Warning',
        'FailedCreate',
        `Error creating: ${error.message}`,
      );
      break;
    }
  }
  for (const p of doomed) {
    // A pod whose node is gone has no kubelet to finish it: it goes at once, as PodGC would.
    const orphaned = !known(p.node);
    try {
      ctx.api.delete('pods', p.namespace, p.name, {
        fieldManager: DAEMONSET_CONTROLLER,
        ...(orphaned ? { gracePeriodSeconds: 0 } : {}),
      });
      events.record(ctx, DAEMONSET_CONTROLLER, ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.name}`);
      wrote = true;
    } catch (error) {
      if (isNotFound(error)) continue;
      if (!(error instanceof ApiError)) throw error;
      events.record(
        ctx,
        DAEMONSET_CONTROLLER,
        ds,
        'Warning',
        'FailedDelete',
        `Error deleting: ${error.message}`,
      );
    }
  }
  return wrote;
}

/** The status for the counts; Kubernetes omits zero `numberAvailable`/`numberUnavailable`/`updatedNumberScheduled`. */
export function daemonSetStatus(
  status: JsonObject,
  counts: StatusCounts,
  observedGeneration: number,
): JsonObject {
  const next: JsonObject = {
    ...status,
    currentNumberScheduled: counts.current,
    desiredNumberScheduled: counts.desired,
    numberMisscheduled: counts.misscheduled,
    numberReady: counts.ready,
    observedGeneration,
    updatedNumberScheduled: counts.updated,
    numberAvailable: counts.available,
    numberUnavailable: counts.desired - counts.available,
  };
  for (const field of ['numberAvailable', 'numberUnavailable', 'updatedNumberScheduled'])
    if (next[field] === 0) delete next[field];
  return next;
}

/**
 * `updateDaemonSetStatus`: the counts written only when they changed, and a wake-up under the
 * DaemonSet's `key` when a pod becomes available.
 */
export function updateStatus(
  ds: KubeObject,
  key: string,
  observedGeneration: number,
  counts: StatusCounts,
  now: number,
  ctx: ControllerContext,
): void {
  const status = statusOf(ds);
  const next = daemonSetStatus(status, counts, observedGeneration);
  if (!jsonEqual(next, status))
    ctx.api.update({ ...ds, status: next }, { subresource: 'status', fieldManager: DAEMONSET_CONTROLLER });
  if (Number.isFinite(counts.nextAvailable))
    ctx.after(key, Math.max(0, counts.nextAvailable - now), 'progress');
}

/**
 * What the scheduler reads and writes on pods: which pods are its to place, the
 * `PodScheduled=False` condition of a pod that cannot be placed, and preemption's evictions.
 */

import { isJsonObject, type JsonObject } from '../api/machinery/json-values.js';
import { rfc3339 } from '../api/machinery/object-stamps.js';
import { ApiError } from '../api/types.js';
import { type ControllerContext, splitKey } from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';
import type { PodEntry } from './cache.js';
import { PREEMPTED_MESSAGE } from './messages.js';
import type { PodSchedulingInfo } from './pod-info.js';

/** The scheduler's name (`spec.schedulerName`, the events' source). */
export const SCHEDULER_NAME = 'default-scheduler';

export const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const specOf = (o: KubeObject): JsonObject => (isJsonObject(o.spec) ? o.spec : {});
export const metaOf = (o: KubeObject): JsonObject => (isJsonObject(o.metadata) ? o.metadata : {});

/** Whether this scheduler should place the pod now: ours, unbound, not being deleted. */
export function pendingForUs(pod: KubeObject): boolean {
  const spec = specOf(pod);
  const scheduler = str(spec.schedulerName) || SCHEDULER_NAME;
  return scheduler === SCHEDULER_NAME && str(spec.nodeName) === '' && metaOf(pod).deletionTimestamp == null;
}

/**
 * Sets `PodScheduled=False` with a reason and message; returns whether it changed (the
 * FailedScheduling event is recorded only then).
 */
export function setCondition(
  pod: KubeObject,
  reason: string,
  message: string,
  ctx: ControllerContext,
  nominatedNodeName?: string,
): boolean {
  const status = isJsonObject(pod.status) ? pod.status : {};
  const conditions = Array.isArray(status.conditions) ? status.conditions.filter(isJsonObject) : [];
  const existing = conditions.find((c) => c.type === 'PodScheduled');
  const nominationChanges = nominatedNodeName !== undefined && status.nominatedNodeName !== nominatedNodeName;
  if (
    existing?.status === 'False' &&
    existing.reason === reason &&
    existing.message === message &&
    !nominationChanges
  )
    return false;
  const condition = {
    type: 'PodScheduled',
    status: 'False',
    lastProbeTime: null,
    lastTransitionTime: existing?.status === 'False' ? existing.lastTransitionTime : rfc3339(ctx.now()),
    reason,
    message,
  };
  const next =
    existing === undefined
      ? [...conditions, condition]
      : conditions.map((c) => (c === existing ? condition : c));
  ctx.api.update(
    {
      ...pod,
      status: {
        ...status,
        conditions: next,
        ...(nominatedNodeName === undefined ? {} : { nominatedNodeName }),
      },
    },
    { subresource: 'status', fieldManager: SCHEDULER_NAME },
  );
  return true;
}

/**
 * Evicts preemption victims: a `DisruptionTarget` condition (`PreemptionByScheduler`), then a
 * graceful delete, and a `Preempted` event on each (`Preempted by pod <uid> on node <node>`).
 */
export function evictVictims(
  preemptor: PodSchedulingInfo,
  node: string,
  victims: readonly PodEntry[],
  ctx: ControllerContext,
): void {
  for (const victim of victims) {
    const { namespace, name } = splitKey(victim.key);
    try {
      const current = ctx.api.get('pods', namespace, name);
      const status = isJsonObject(current.status) ? current.status : {};
      const conditions = (Array.isArray(status.conditions) ? status.conditions : []).filter(
        (c) => isJsonObject(c) && c.type !== 'DisruptionTarget',
      );
      const condition = {
        type: 'DisruptionTarget',
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: rfc3339(ctx.now()),
        reason: 'PreemptionByScheduler',
        message: PREEMPTED_MESSAGE(SCHEDULER_NAME),
      };
      const marked = ctx.api.update(
        { ...current, status: { ...status, conditions: [...conditions, condition] } },
        { subresource: 'status', fieldManager: SCHEDULER_NAME },
      );
      ctx.api.delete('pods', namespace, name, { fieldManager: SCHEDULER_NAME });
      ctx
        .recorder(SCHEDULER_NAME)
        .record(marked, 'Normal', 'Preempted', `Preempted by pod ${preemptor.uid} on node ${node}`);
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 404)) throw error;
    }
  }
}

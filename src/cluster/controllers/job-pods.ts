/**
 * What the job-controller reads from a Job's pods (`pkg/controller/job`): which are active,
 * terminating, failed or succeeded, when they finished, their completion index, the pod-creation
 * back-off, the order pods are removed in, and the completed-index intervals of Indexed Jobs.
 */

import { cloneJson, isJsonObject, type JsonObject } from '../api/machinery/json-values.js';
import type { KubeObject } from '../store/types.js';
import { annotations, isDeleting, isPodReady, meta, podCondition, specOf, statusOf } from './shared.js';

/** The finalizer a Job puts on its pods until it has counted them. */
export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
/** Annotation and label with an Indexed Job pod's completion index. */
export const JOB_COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';

/** `DefaultJobPodFailureBackOff` and `MaxJobPodFailureBackOff`. */
const POD_FAILURE_BACKOFF_MS = 10_000;
const MAX_POD_FAILURE_BACKOFF_MS = 360_000;

export const phaseOf = (pod: KubeObject): string => String(statusOf(pod).phase ?? '');

/** Whether a pod carries the job-tracking finalizer. */
export function hasTrackingFinalizer(pod: KubeObject): boolean {
  const f = meta(pod).finalizers;
  return Array.isArray(f) && f.includes(JOB_TRACKING_FINALIZER);
}

/**
 * `isPodFailed`: phase Failed, or (without a pod failure policy) deleted before it succeeded, so
 * pods that never reach a terminal phase still count.
 */
export function isPodFailed(pod: KubeObject, hasFailurePolicy: boolean): boolean {
  const phase = phaseOf(pod);
  if (hasFailurePolicy) return phase === 'Failed';
  return phase === 'Failed' || (isDeleting(pod) && phase !== 'Succeeded');
}

/** `controller.CountTerminatingPods`: deleting and not yet terminal. */
export function isPodTerminating(pod: KubeObject): boolean {
  const phase = phaseOf(pod);
  return isDeleting(pod) && phase !== 'Succeeded' && phase !== 'Failed';
}

/** A pod's completion index, or -1 when it has none (`getCompletionIndex`). */
export function completionIndexOf(pod: KubeObject): number {
  const value = annotations(pod)[JOB_COMPLETION_INDEX];
  if (value === undefined || !/^[0-9]+$/.test(value)) return -1;
  return Number(value);
}

const timeOf = (value: unknown): number | undefined => {
  const t = Date.parse(String(value ?? ''));
  return Number.isFinite(t) ? t : undefined;
};

/**
 * `getFinishedTime`: the last container termination, else the Ready=False transition, else the
 * deletion timestamp, else the creation time (ms since the epoch).
 */
export function podFinishedAt(pod: KubeObject): number {
  const status = statusOf(pod);
  let latest: number | undefined;
  for (const list of [status.initContainerStatuses, status.containerStatuses]) {
    if (!Array.isArray(list)) continue;
    for (const cs of list) {
      const state = isJsonObject(cs) && isJsonObject(cs.state) ? cs.state : {};
      const terminated = isJsonObject(state.terminated) ? state.terminated : undefined;
      const at = timeOf(terminated?.finishedAt);
      if (at !== undefined && (latest === undefined || at > latest)) latest = at;
    }
  }
  if (latest !== undefined) return latest;
  const ready = podCondition(pod, 'Ready');
  if (ready?.status === 'False') {
    const at = timeOf(ready.lastTransitionTime);
    if (at !== undefined) return at;
  }
  return timeOf(meta(pod).deletionTimestamp) ?? timeOf(meta(pod).creationTimestamp) ?? 0;
}

/**
 * How long pod creation still backs off (`backoffRecord.getRemainingTime`): 10 s after the first
 * failure since the last success, doubling per further failure, capped at 6 minutes, counted
 * from the last failure. Derived from the pods the Job keeps, so it survives restarts.
 */
export function creationBackoffRemaining(pods: readonly KubeObject[], now: number): number {
  let lastSuccess = Number.NEGATIVE_INFINITY;
  for (const p of pods) if (phaseOf(p) === 'Succeeded') lastSuccess = Math.max(lastSuccess, podFinishedAt(p));
  let failures = 0;
  let lastFailure = Number.NEGATIVE_INFINITY;
  for (const p of pods) {
    if (phaseOf(p) !== 'Failed') continue;
    const at = podFinishedAt(p);
    if (at <= lastSuccess) continue;
    failures++;
    lastFailure = Math.max(lastFailure, at);
  }
  if (failures === 0) return 0;
  let backoff = POD_FAILURE_BACKOFF_MS;
  for (let i = 1; i < failures; i++) {
    backoff *= 2;
    if (backoff >= MAX_POD_FAILURE_BACKOFF_MS) {
      backoff = MAX_POD_FAILURE_BACKOFF_MS;
      break;
    }
  }
  const elapsed = now - lastFailure;
  return backoff < elapsed ? 0 : backoff - elapsed;
}

/** Sum of container restarts of running or pending pods (`pastBackoffLimitOnFailure`). */
export function restartsOfLivePods(pods: readonly KubeObject[]): number {
  let total = 0;
  for (const p of pods) {
    const phase = phaseOf(p);
    if (phase !== 'Running' && phase !== 'Pending') continue;
    const status = statusOf(p);
    for (const list of [status.initContainerStatuses, status.containerStatuses]) {
      if (!Array.isArray(list)) continue;
      for (const cs of list)
        if (isJsonObject(cs) && typeof cs.restartCount === 'number') total += cs.restartCount;
    }
  }
  return total;
}

/**
 * Active pods in the order the controller removes them (`controller.ActivePods`): unscheduled
 * first, then pending, then not ready, then the most recently created.
 */
export function removalOrder(pods: readonly KubeObject[]): KubeObject[] {
  const rank = (p: KubeObject): number[] => {
    const scheduled = String(specOf(p).nodeName ?? '') === '' ? 0 : 1;
    const phase = phaseOf(p);
    const phaseRank = phase === 'Pending' ? 0 : phase === 'Unknown' ? 1 : 2;
    const ready = isPodReady(p) ? 1 : 0;
    const created = -(timeOf(meta(p).creationTimestamp) ?? 0);
    return [scheduled, phaseRank, ready, created];
  };
  return [...pods].sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
    return String(meta(a).name) < String(meta(b).name) ? -1 : 1;
  });
}

/** Parses `status.completedIndexes` (`1,3-5`). */
export function parseIndexes(text: unknown): Set<number> {
  const out = new Set<number>();
  if (typeof text !== 'string' || text === '') return out;
  for (const part of text.split(',')) {
    const m = /^([0-9]+)(?:-([0-9]+))?$/.exec(part);
    if (m === null) continue;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    for (let i = from; i <= to; i++) out.add(i);
  }
  return out;
}

/** Formats indexes as Kubernetes' interval list (`1,3-5`). */
export function formatIndexes(indexes: ReadonlySet<number>): string {
  const sorted = [...indexes].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(j === i ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** The first `count` indexes below `completions` that neither succeeded nor have an active pod. */
export function firstPendingIndexes(
  completed: ReadonlySet<number>,
  active: ReadonlySet<number>,
  count: number,
  completions: number,
): number[] {
  const out: number[] = [];
  for (let i = 0; i < completions && out.length < count; i++)
    if (!completed.has(i) && !active.has(i)) out.push(i);
  return out;
}

/**
 * `addCompletionIndexEnvVariables`: every container gets `JOB_COMPLETION_INDEX` from the
 * completion-index annotation (unless it sets it itself).
 */
export function addCompletionIndexEnv(podSpec: JsonObject): void {
  const env = {
    name: 'JOB_COMPLETION_INDEX',
    valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${JOB_COMPLETION_INDEX}']` } },
  };
  for (const list of [podSpec.initContainers, podSpec.containers]) {
    if (!Array.isArray(list)) continue;
    for (const c of list) {
      if (!isJsonObject(c)) continue;
      const current = Array.isArray(c.env) ? c.env : [];
      if (current.some((e) => isJsonObject(e) && e.name === 'JOB_COMPLETION_INDEX')) continue;
      c.env = [...current, cloneJson(env)];
    }
  }
}

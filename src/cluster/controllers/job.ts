/**
 * The job-controller (`pkg/controller/job/job_controller.go`): runs a Job's pods to completion.
 *
 * - Pods come from the template with the Job's labels, the `batch.kubernetes.io/job-tracking`
 *   finalizer and `generateName: <job>-` (Indexed: `<job>-<index>-`, hostname `<job>-<index>`,
 *   the completion index as annotation, label and `JOB_COMPLETION_INDEX`). The active target is
 *   `min(parallelism, completions − succeeded)` (work-queue Jobs: parallelism until one succeeds).
 * - A finished pod is counted (succeeded/failed) and its finalizer removed in the same sync, so
 *   `status.uncountedTerminatedPods` is always empty. A deleted pod that had not succeeded counts
 *   as failed. Failed pods are replaced after a back-off of 10 s doubling up to 6 minutes (a
 *   *progress* wake-up: a failing Job ends Failed under `settle()`).
 * - `backoffLimit` (failures, or container restarts under `restartPolicy: OnFailure`),
 *   `activeDeadlineSeconds` and `podFailurePolicy` FailJob rules fail the Job: `FailureTarget`
 *   first, active pods deleted, then `Failed` once none is terminating. Success adds
 *   `SuccessCriteriaMet`, then `Complete` with `completionTime`.
 * - `suspend` deletes the active pods (uncounted) and sets `Suspended`; resuming resets `startTime`.
 *
 * This file holds the sync loop; the conditions and failure policy are in `job-conditions.ts`,
 * pod creation and deletion in `job-manage.ts`, and what is read from pods in `job-pods.ts`.
 */

import { isJsonObject, type JsonObject, jsonEqual } from '../api/machinery/json-values.js';
import { rfc3339 } from '../api/machinery/object-stamps.js';
import type { Controller, ControllerContext } from '../runtime/types.js';
import { objectKey, splitKey } from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';
import {
  conditionsOf,
  ensureCondition,
  type FinishCondition,
  jobFinishedCondition,
  matchFailurePolicy,
  trueCondition,
} from './job-conditions.js';
import { deletePod, JOB_CONTROLLER, manageJob, removeTrackingFinalizer } from './job-manage.js';
import {
  completionIndexOf,
  formatIndexes,
  hasTrackingFinalizer,
  isPodFailed,
  isPodTerminating,
  parseIndexes,
  phaseOf,
  restartsOfLivePods,
} from './job-pods.js';
import {
  controllerOf,
  getOrUndefined,
  isDeleting,
  isPodActive,
  isPodReady,
  nameOf,
  namespaceOf,
  numberOr,
  selectorOf,
  specOf,
  statusOf,
  uidOf,
} from './shared.js';

export { jobFinishedCondition } from './job-conditions.js';

const NAME = JOB_CONTROLLER;
/** The `spec.managedBy` value of Jobs this controller manages. */
const JOB_CONTROLLER_MANAGER = 'kubernetes.io/job-controller';

const int = numberOr;

/** Builds the job-controller. */
export function jobController(): Controller {
  return {
    name: NAME,
    resources: ['jobs.batch', 'pods'],
    observe(event, ctx) {
      if (event.key.resource === 'jobs.batch') {
        ctx.enqueue(objectKey(event.object));
        return;
      }
      const ref = controllerOf(event.object);
      if (ref === undefined || ref.kind !== 'Job' || !String(ref.apiVersion ?? '').startsWith('batch/'))
        return;
      ctx.enqueue(`${event.key.namespace}/${String(ref.name ?? '')}`);
    },
    reconcile(key, ctx) {
      const { namespace, name } = splitKey(key);
      const job = getOrUndefined(ctx.api, 'jobs.batch', namespace, name);
      if (job === undefined) {
        releaseOrphans(ctx, namespace, name, undefined);
        return;
      }
      const managedBy = specOf(job).managedBy;
      if (typeof managedBy === 'string' && managedBy !== JOB_CONTROLLER_MANAGER) return;
      syncJob(ctx, job);
    },
  };
}

/** The pods a Job controls (by its selector, else its uid label, then by owner). */
function jobPods(ctx: ControllerContext, job: KubeObject): KubeObject[] {
  const uid = uidOf(job);
  const labelSelector = isJsonObject(specOf(job).selector)
    ? selectorOf(job)
    : {
        requirements: [{ key: 'batch.kubernetes.io/controller-uid', operator: '=' as const, values: [uid] }],
      };
  const selected = ctx.api.list('pods', { namespace: namespaceOf(job), labelSelector }).items;
  return selected.filter((p) => controllerOf(p)?.uid === uid);
}

/**
 * Pods left with the tracking finalizer by a Job that is gone (or was replaced by another Job of
 * the same name): their finalizer goes, so they can be deleted (`handleOrphanPod`).
 */
function releaseOrphans(
  ctx: ControllerContext,
  namespace: string,
  name: string,
  uid: string | undefined,
): void {
  const pods = ctx.api.list('pods', {
    namespace,
    labelSelector: { requirements: [{ key: 'batch.kubernetes.io/job-name', operator: '=', values: [name] }] },
  }).items;
  for (const pod of pods) {
    if (!hasTrackingFinalizer(pod)) continue;
    const ref = controllerOf(pod);
    if (ref === undefined || ref.kind !== 'Job' || ref.name !== name || ref.uid === uid) continue;
    removeTrackingFinalizer(ctx, pod);
  }
}

function syncJob(ctx: ControllerContext, job: KubeObject): void {
  const spec = specOf(job);
  const status = statusOf(job);
  const now = ctx.now();
  const nowText = rfc3339(now);
  const pods = jobPods(ctx, job);
  const recorder = ctx.recorder(NAME);

  // A finished (or deleted) Job only lets go of its pods.
  if (jobFinishedCondition(job) !== undefined || isDeleting(job)) {
    for (const pod of pods) removeTrackingFinalizer(ctx, pod);
    return;
  }

  const indexed = spec.completionMode === 'Indexed';
  const completions = typeof spec.completions === 'number' ? spec.completions : undefined;
  const parallelism = int(spec.parallelism, 1);
  const backoffLimit = int(spec.backoffLimit, 6);
  const suspended = spec.suspend === true;
  const hasFailurePolicy = isJsonObject(spec.podFailurePolicy);
  const conditions = conditionsOf(job);

  let startTime = typeof status.startTime === 'string' ? status.startTime : undefined;
  if (startTime === undefined && !suspended) startTime = nowText;

  const activePods = pods.filter(isPodActive);
  let active = activePods.length;
  let terminating = pods.filter(isPodTerminating).length;
  let ready = activePods.filter(isPodReady).length;

  // Pods that finished since the last sync: count them (their finalizer goes below).
  let succeeded = int(status.succeeded, 0);
  let failed = int(status.failed, 0);
  const completed = parseIndexes(status.completedIndexes);
  const toRelease: KubeObject[] = [];
  let finish: FinishCondition | undefined;
  const failureTarget = trueCondition(conditions, 'FailureTarget');
  const successMet = trueCondition(conditions, 'SuccessCriteriaMet');
  if (failureTarget !== undefined)
    finish = { type: 'Failed', reason: String(failureTarget.reason), message: String(failureTarget.message) };
  else if (successMet !== undefined)
    finish = { type: 'Complete', reason: String(successMet.reason), message: String(successMet.message) };

  for (const pod of pods) {
    if (!hasTrackingFinalizer(pod)) continue;
    const phase = phaseOf(pod);
    if (phase === 'Succeeded') {
      toRelease.push(pod);
      if (!indexed) succeeded++;
      else {
        const ix = completionIndexOf(pod);
        if (ix >= 0 && ix < (completions ?? 0)) completed.add(ix);
      }
    } else if (isPodFailed(pod, hasFailurePolicy)) {
      toRelease.push(pod);
      const decision = phase === 'Failed' && hasFailurePolicy ? matchFailurePolicy(job, pod) : undefined;
      if (decision?.action === 'Ignore') continue;
      failed++;
      if (decision?.action === 'FailJob' && finish === undefined)
        finish = { type: 'FailureTarget', reason: 'PodFailurePolicy', message: decision.message };
    }
  }
  if (indexed) succeeded = completed.size;

  if (finish === undefined) {
    const onFailure = isJsonObject(spec.template) && specOf(spec.template).restartPolicy === 'OnFailure';
    const restarts = onFailure ? restartsOfLivePods(pods) : 0;
    const pastRestartLimit = onFailure && (backoffLimit === 0 ? restarts > 0 : restarts >= backoffLimit);
    const deadline = typeof spec.activeDeadlineSeconds === 'number' ? spec.activeDeadlineSeconds : undefined;
    const activeFor = startTime === undefined ? 0 : now.getTime() - Date.parse(startTime);
    if (failed > backoffLimit || pastRestartLimit) {
      finish = {
        type: 'FailureTarget',
        reason: 'BackoffLimitExceeded',
        message: 'Job has reached the specified backoff limit',
      };
    } else if (deadline !== undefined && !suspended && activeFor >= deadline * 1000) {
      finish = {
        type: 'FailureTarget',
        reason: 'DeadlineExceeded',
        message: 'Job was active longer than specified deadline',
      };
    } else if (deadline !== undefined && !suspended) {
      // A deadline: it happens only when time passes (advance), as a stuck Job should show.
      ctx.after(objectKey(job), deadline * 1000 - activeFor, 'wait');
    }
  }

  let suspendChanged = false;
  /** Pods this sync deleted: they count as terminating while they are still there. */
  const deleted: KubeObject[] = [];
  if (finish !== undefined) {
    // A finishing Job stops its pods (keeping their finalizers: a failing Job counts them as failed).
    const failing = finish.type === 'FailureTarget' || finish.type === 'Failed';
    for (const pod of activePods) {
      deletePod(ctx, job, pod);
      deleted.push(pod);
      if (failing) failed++;
      toRelease.push(pod);
    }
    ready = 0;
    active = 0;
  } else {
    if (suspended) {
      for (const pod of activePods) {
        removeTrackingFinalizer(ctx, pod);
        deletePod(ctx, job, pod);
        deleted.push(pod);
      }
      ready = 0;
      active = 0;
    } else {
      const result = manageJob(ctx, job, pods, activePods, {
        succeeded,
        completed,
        indexed,
        completions,
        parallelism,
      });
      active = result.active;
      ready = result.ready;
      deleted.push(...result.deleted);
    }
    const complete =
      completions === undefined ? succeeded > 0 && active === 0 : succeeded >= completions && active === 0;
    if (complete) {
      finish = {
        type: 'SuccessCriteriaMet',
        reason: 'CompletionsReached',
        message: 'Reached expected number of succeeded pods',
      };
    } else if (suspended) {
      if (ensureCondition(conditions, 'Suspended', 'True', 'JobSuspended', 'Job suspended', nowText)) {
        suspendChanged = true;
        recorder.record(job, 'Normal', 'Suspended', 'Job suspended');
      }
    } else if (ensureCondition(conditions, 'Suspended', 'False', 'JobResumed', 'Job resumed', nowText)) {
      suspendChanged = true;
      recorder.record(job, 'Normal', 'Resumed', 'Job resumed');
      // Resuming restarts the activeDeadlineSeconds clock.
      startTime = nowText;
    }
  }

  for (const pod of toRelease) {
    const current = getOrUndefined(ctx.api, 'pods', namespaceOf(pod), nameOf(pod));
    if (current !== undefined) removeTrackingFinalizer(ctx, current);
  }
  for (const pod of deleted) {
    const current = getOrUndefined(ctx.api, 'pods', namespaceOf(pod), nameOf(pod));
    if (current !== undefined && isPodTerminating(current)) terminating++;
  }

  // Interim condition first, then the terminal one once no pod is still terminating.
  let finished: FinishCondition | undefined;
  if (finish !== undefined) {
    if (finish.type === 'FailureTarget' || finish.type === 'SuccessCriteriaMet') {
      ensureCondition(conditions, finish.type, 'True', finish.reason, finish.message, nowText);
      finish = { ...finish, type: finish.type === 'FailureTarget' ? 'Failed' : 'Complete' };
    }
    if (terminating === 0) {
      ensureCondition(conditions, finish.type, 'True', finish.reason, finish.message, nowText);
      finished = finish;
    }
  }
  const completionTime =
    finished?.type === 'Complete'
      ? nowText
      : typeof status.completionTime === 'string'
        ? status.completionTime
        : undefined;

  const next: JsonObject = {
    ...(conditions.length > 0 ? { conditions } : {}),
    ...(startTime !== undefined ? { startTime } : {}),
    ...(completionTime !== undefined ? { completionTime } : {}),
    ...(active > 0 ? { active } : {}),
    ...(succeeded > 0 ? { succeeded } : {}),
    ...(failed > 0 ? { failed } : {}),
    terminating,
    ...(indexed && completed.size > 0 ? { completedIndexes: formatIndexes(completed) } : {}),
    uncountedTerminatedPods: {},
    ready,
  };
  if (!jsonEqual(next, status) || suspendChanged) {
    const fresh = getOrUndefined(ctx.api, 'jobs.batch', namespaceOf(job), nameOf(job));
    if (fresh === undefined) return;
    ctx.api.update({ ...fresh, status: next }, { subresource: 'status', fieldManager: NAME });
  }
  if (finished !== undefined) {
    if (finished.type === 'Complete') recorder.record(job, 'Normal', 'Completed', 'Job completed');
    else recorder.record(job, 'Warning', finished.reason, finished.message);
  }
}

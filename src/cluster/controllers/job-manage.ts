/**
 * What the job-controller writes to a Job's pods (`manageJob`): pods created from the template
 * (with the tracking finalizer, and the completion index of Indexed Jobs) up to the active
 * target after the failure back-off, surplus pods deleted, and the tracking finalizer removed.
 */

import { cloneJson, isJsonObject, type JsonObject } from '../api/machinery/json-values.js';
import type { ControllerContext } from '../runtime/types.js';
import { objectKey } from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';
import {
  addCompletionIndexEnv,
  completionIndexOf,
  creationBackoffRemaining,
  firstPendingIndexes,
  hasTrackingFinalizer,
  isPodTerminating,
  JOB_COMPLETION_INDEX,
  JOB_TRACKING_FINALIZER,
  removalOrder,
} from './job-pods.js';
import {
  getOrUndefined,
  isDeleting,
  isPodReady,
  meta,
  nameOf,
  namespaceOf,
  podFromTemplate,
  specOf,
  uidOf,
} from './shared.js';

/** The controller's name: field manager and event source. */
export const JOB_CONTROLLER = 'job-controller';
const NAME = JOB_CONTROLLER;
/** `MaxPodCreateDeletePerSync`. */
const MAX_CREATES_PER_SYNC = 500;

/** The labels a Job's generated selector uses (its pods carry them from the template). */
function generatedLabels(job: KubeObject): Record<string, string> {
  const uid = uidOf(job);
  const name = nameOf(job);
  return {
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': name,
    'controller-uid': uid,
    'job-name': name,
  };
}

/** Removes the tracking finalizer from a pod (a no-op when it has none). */
export function removeTrackingFinalizer(ctx: ControllerContext, pod: KubeObject): void {
  if (!hasTrackingFinalizer(pod)) return;
  const m = meta(pod);
  const finalizers = (m.finalizers as unknown[]).filter((f) => f !== JOB_TRACKING_FINALIZER);
  const metadata: JsonObject = { ...m, finalizers };
  if (finalizers.length === 0) delete metadata.finalizers;
  ctx.api.update({ ...pod, metadata }, { fieldManager: NAME });
}

/** Deletes one of the Job's pods, with the event `podControl.DeletePod` records. */
export function deletePod(ctx: ControllerContext, job: KubeObject, pod: KubeObject): void {
  const current = getOrUndefined(ctx.api, 'pods', namespaceOf(pod), nameOf(pod));
  if (current === undefined || isDeleting(current)) return;
  ctx.api.delete('pods', namespaceOf(pod), nameOf(pod), { fieldManager: NAME });
  ctx.recorder(NAME).record(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${nameOf(pod)}`);
}

export interface ManageInput {
  readonly succeeded: number;
  readonly completed: ReadonlySet<number>;
  readonly indexed: boolean;
  readonly completions: number | undefined;
  readonly parallelism: number;
}

/**
 * `manageJob`: deletes active pods beyond the target and creates the missing ones (after the
 * failure back-off). Returns the new active and ready counts.
 */
export function manageJob(
  ctx: ControllerContext,
  job: KubeObject,
  pods: readonly KubeObject[],
  activePods: readonly KubeObject[],
  input: ManageInput,
): { active: number; ready: number; deleted: KubeObject[] } {
  const spec = specOf(job);
  let active = activePods.length;
  let ready = activePods.filter(isPodReady).length;
  let wantActive: number;
  if (input.completions === undefined) wantActive = input.succeeded > 0 ? active : input.parallelism;
  else wantActive = Math.max(0, Math.min(input.completions - input.succeeded, input.parallelism));

  // Indexed Jobs also drop pods of indexes that already succeeded, or duplicates of one index.
  let extra: KubeObject[] = [];
  const activeIndexes = new Set<number>();
  if (input.indexed) {
    for (const pod of removalOrder(activePods).reverse()) {
      const ix = completionIndexOf(pod);
      if (ix < 0 || ix >= (input.completions ?? 0) || input.completed.has(ix) || activeIndexes.has(ix))
        extra.push(pod);
      else activeIndexes.add(ix);
    }
  }
  const remaining = activePods.filter((p) => !extra.includes(p));
  if (remaining.length > wantActive)
    extra = [...extra, ...removalOrder(remaining).slice(0, remaining.length - wantActive)];
  for (const pod of extra) {
    if (isPodReady(pod)) ready--;
    removeTrackingFinalizer(ctx, pod);
    deletePod(ctx, job, pod);
    active--;
  }

  // With podReplacementPolicy Failed, a terminating pod still holds its place.
  const holding = spec.podReplacementPolicy === 'Failed' ? pods.filter(isPodTerminating).length : 0;
  if (active + holding >= wantActive) return { active, ready, deleted: extra };
  const remainingBackoff = creationBackoffRemaining(pods, ctx.now().getTime());
  if (remainingBackoff > 0) {
    // The back-off ends by itself: a progress wake-up, so settle() plays it out.
    ctx.after(objectKey(job), remainingBackoff, 'progress');
    return { active, ready, deleted: extra };
  }
  let diff = Math.min(wantActive - active - holding, MAX_CREATES_PER_SYNC);
  const indexes = input.indexed
    ? firstPendingIndexes(input.completed, activeIndexes, diff, input.completions ?? 0)
    : undefined;
  if (indexes !== undefined) diff = indexes.length;
  const template = cloneJson(isJsonObject(spec.template) ? spec.template : {}) as JsonObject;
  const tmeta = isJsonObject(template.metadata) ? template.metadata : {};
  const finalizers = Array.isArray(tmeta.finalizers) ? [...tmeta.finalizers] : [];
  if (!finalizers.includes(JOB_TRACKING_FINALIZER)) finalizers.push(JOB_TRACKING_FINALIZER);
  template.metadata = { ...tmeta, finalizers };
  if (input.indexed && isJsonObject(template.spec)) addCompletionIndexEnv(template.spec);
  const jobName = nameOf(job);
  for (let i = 0; i < diff; i++) {
    const index = indexes?.[i];
    const pod = podFromTemplate(template, job, {
      namespace: namespaceOf(job),
      generateName: index === undefined ? `${jobName}-` : `${jobName}-${index}-`,
      extraLabels: {
        // Without a selector (never generated), pods are found by the generated labels.
        ...(isJsonObject(spec.selector) ? {} : generatedLabels(job)),
        ...(index === undefined ? {} : { [JOB_COMPLETION_INDEX]: String(index) }),
      },
      ...(index === undefined ? {} : { extraAnnotations: { [JOB_COMPLETION_INDEX]: String(index) } }),
    });
    if (index !== undefined) (pod.spec as JsonObject).hostname = `${jobName}-${index}`;
    const created = ctx.api.create(pod, { fieldManager: NAME });
    ctx.recorder(NAME).record(job, 'Normal', 'SuccessfulCreate', `Created pod: ${nameOf(created)}`);
    active++;
  }
  if (wantActive - active - holding > 0) ctx.enqueue(objectKey(job));
  return { active, ready, deleted: extra };
}

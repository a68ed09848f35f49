/**
 * The Jobs a CronJob makes (`cronjob_controllerv2.go`, `utils.go`): the Job for a schedule time
 * (`getJobFromTemplate2`: named `<cronjob>-<Unix minutes>`, annotated with its scheduled time),
 * its reference in `status.active`, and which finished Jobs the history limits remove
 * (`cleanupFinishedJobs`).
 */

import { cloneJson, isJsonObject, type JsonObject } from '../api/machinery/json-values.js';
import type { KubeObject } from '../store/types.js';
import { rfc3339InZone } from './cronjob-schedule.js';
import { timeOf } from './cronjob-times.js';
import { controllerRef, meta, nameOf, namespaceOf, specOf, statusOf } from './shared.js';

/** Annotation with a Job's scheduled time (RFC 3339 in the CronJob's time zone). */
export const CRONJOB_SCHEDULED_TIMESTAMP = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

/** The name of the Job for a scheduled time (`getJobName`: Unix minutes). */
export function cronJobJobName(cronJob: string, scheduledMs: number): string {
  return `${cronJob}-${Math.floor(scheduledMs / 60_000)}`;
}

/** The Job to create from `spec.jobTemplate` for a schedule time, owned by the CronJob. */
export function jobFromTemplate(
  cj: KubeObject,
  jobName: string,
  scheduled: number,
  timeZone: string | undefined,
): KubeObject {
  const spec = specOf(cj);
  const template = isJsonObject(spec.jobTemplate) ? spec.jobTemplate : {};
  const tmeta = isJsonObject(template.metadata) ? template.metadata : {};
  const labels = isJsonObject(tmeta.labels) ? { ...tmeta.labels } : {};
  const annotations: JsonObject = {
    ...(isJsonObject(tmeta.annotations) ? tmeta.annotations : {}),
    [CRONJOB_SCHEDULED_TIMESTAMP]: rfc3339InZone(scheduled, timeZone),
  };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobName,
      namespace: namespaceOf(cj),
      ...(Object.keys(labels).length > 0 ? { labels } : {}),
      annotations,
      ownerReferences: [controllerRef(cj)],
    },
    spec: cloneJson(isJsonObject(template.spec) ? template.spec : {}),
  };
}

/** A Job's ObjectReference for `status.active`. */
export function jobRef(job: KubeObject): JsonObject {
  const m = meta(job);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    name: m.name,
    namespace: m.namespace,
    resourceVersion: m.resourceVersion,
    uid: m.uid,
  };
}

/**
 * The finished Jobs beyond a history limit, to delete: the oldest by start time (those without
 * one last, ties by name); none without a limit.
 */
export function beyondHistoryLimit(finished: readonly KubeObject[], limit: unknown): KubeObject[] {
  if (typeof limit !== 'number') return [];
  const excess = finished.length - limit;
  if (excess <= 0) return [];
  const sorted = [...finished].sort((a, b) => {
    const sa = timeOf(statusOf(a).startTime);
    const sb = timeOf(statusOf(b).startTime);
    if (sa === undefined && sb !== undefined) return 1;
    if (sa !== undefined && sb === undefined) return -1;
    if (sa === sb) return nameOf(a) < nameOf(b) ? -1 : 1;
    return (sa ?? 0) - (sb ?? 0);
  });
  return sorted.slice(0, excess);
}

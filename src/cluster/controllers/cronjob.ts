/**
 * The cronjob-controller (`pkg/controller/cronjob/cronjob_controllerv2.go`, `utils.go`): creates
 * a Job from `spec.jobTemplate` at each schedule time of the cluster clock.
 *
 * - Schedules are robfig/cron's standard ones ({@link parseCronSchedule}) in `spec.timeZone`
 *   (UTC without one). The next schedule time is a *wait* wake-up: it happens when the clock
 *   moves (`advance`, wall time), never under `settle()` alone.
 * - Only the most recent missed schedule starts (more than 100 missed: `TooManyMissedTimes`);
 *   `startingDeadlineSeconds` drops older ones (`MissSchedule`).
 * - Job `<cronjob>-<scheduled time in Unix minutes>` with the annotation
 *   `batch.kubernetes.io/cronjob-scheduled-timestamp`; `concurrencyPolicy` Allow, Forbid (skip
 *   while one is active) or Replace (delete the active ones first); `suspend`.
 * - Finished Jobs leave `status.active` (`SawCompletedJob`), set `lastSuccessfulTime`, and the
 *   oldest beyond `successfulJobsHistoryLimit` / `failedJobsHistoryLimit` are deleted.
 *
 * This module is the sync; schedules are parsed in `cronjob-schedule.ts`, when one is due is
 * `cronjob-times.ts`'s, and the Jobs made are `cronjob-jobs.ts`'s.
 */

import { isJsonObject, type JsonObject, jsonEqual } from '../api/machinery/json-values.js';
import { rfc3339 } from '../api/machinery/object-stamps.js';
import { ApiError } from '../api/types.js';
import type { Controller, ControllerContext } from '../runtime/types.js';
import { objectKey, splitKey } from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';
import { beyondHistoryLimit, cronJobJobName, jobFromTemplate, jobRef } from './cronjob-jobs.js';
import { CronScheduleError, timeZoneProblem } from './cronjob-schedule.js';
import {
  mostRecentScheduleTime,
  parsedSchedule,
  rfc1123z,
  type ScheduleCache,
  timeOf,
} from './cronjob-times.js';
import { jobFinishedCondition } from './job.js';
import {
  controllerOf,
  getOrUndefined,
  isDeleting,
  nameOf,
  namespaceOf,
  specOf,
  statusOf,
  uidOf,
} from './shared.js';

export { CRONJOB_SCHEDULED_TIMESTAMP, cronJobJobName } from './cronjob-jobs.js';
export {
  CronScheduleError,
  cronScheduleProblems,
  parseCronSchedule,
  validateCronSchedule,
  validateCronTimeZone,
} from './cronjob-schedule.js';

const NAME = 'cronjob-controller';

/** Builds the cronjob-controller. */
export function cronJobController(): Controller {
  const schedules: ScheduleCache = new Map();
  return {
    name: NAME,
    resources: ['cronjobs.batch', 'jobs.batch'],
    observe(event, ctx) {
      if (event.key.resource === 'cronjobs.batch') {
        if (event.type !== 'DELETED') ctx.enqueue(objectKey(event.object));
        return;
      }
      const ref = controllerOf(event.object);
      if (ref === undefined || ref.kind !== 'CronJob' || !String(ref.apiVersion ?? '').startsWith('batch/'))
        return;
      ctx.enqueue(`${event.key.namespace}/${String(ref.name ?? '')}`);
    },
    reconcile(key, ctx) {
      const { namespace, name } = splitKey(key);
      const cj = getOrUndefined(ctx.api, 'cronjobs.batch', namespace, name);
      if (cj === undefined) return;
      syncCronJob(ctx, cj, schedules);
    },
    reset() {
      schedules.clear();
    },
  };
}

function syncCronJob(ctx: ControllerContext, cj: KubeObject, cache: ScheduleCache): void {
  const spec = specOf(cj);
  const oldStatus = statusOf(cj);
  const recorder = ctx.recorder(NAME);
  const now = ctx.now().getTime();
  const uid = uidOf(cj);
  const cjName = nameOf(cj);
  const namespace = namespaceOf(cj);
  const jobs = ctx.api.list('jobs.batch', { namespace }).items.filter((j) => {
    const ref = controllerOf(j);
    return ref?.kind === 'CronJob' && ref.uid === uid;
  });
  let active: JsonObject[] = Array.isArray(oldStatus.active) ? oldStatus.active.filter(isJsonObject) : [];
  let lastSuccessfulTime =
    typeof oldStatus.lastSuccessfulTime === 'string' ? oldStatus.lastSuccessfulTime : undefined;
  let lastScheduleTime =
    typeof oldStatus.lastScheduleTime === 'string' ? oldStatus.lastScheduleTime : undefined;
  const inActive = (jobUid: unknown) => active.some((r) => r.uid === jobUid);
  const dropActive = (jobUid: unknown) => {
    active = active.filter((r) => r.uid !== jobUid);
  };

  const deleteJob = (job: KubeObject): boolean => {
    try {
      ctx.api.delete('jobs.batch', namespace, nameOf(job), {
        propagationPolicy: 'Background',
        fieldManager: NAME,
      });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.status.code !== 404) {
        recorder.record(cj, 'Warning', 'FailedDelete', `Deleted job: ${error.message}`);
        return false;
      }
    }
    dropActive(uidOf(job));
    recorder.record(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${nameOf(job)}`);
    return true;
  };

  // History limits: the oldest finished Jobs beyond each limit go (`cleanupFinishedJobs`).
  const succeeded = jobs.filter((j) => jobFinishedCondition(j)?.type === 'Complete');
  for (const job of beyondHistoryLimit(succeeded, spec.successfulJobsHistoryLimit)) deleteJob(job);
  const failed = jobs.filter((j) => jobFinishedCondition(j)?.type === 'Failed');
  for (const job of beyondHistoryLimit(failed, spec.failedJobsHistoryLimit)) deleteJob(job);

  const children = new Set<string>();
  for (const job of jobs) {
    const jobUid = uidOf(job);
    children.add(jobUid);
    const finished = jobFinishedCondition(job);
    if (finished === undefined) {
      // Kubernetes reports it and leaves it out of `status.active`.
      if (!inActive(jobUid))
        recorder.record(
          cj,
          'Warning',
          'UnexpectedJob',
          `Saw a job that the controller did not create or forgot: ${nameOf(job)}`,
        );
      continue;
    }
    if (inActive(jobUid)) {
      dropActive(jobUid);
      recorder.record(
        cj,
        'Normal',
        'SawCompletedJob',
        `Saw completed job: ${nameOf(job)}, condition: ${String(finished.type)}`,
      );
    }
    const completion = statusOf(job).completionTime;
    if (finished.type === 'Complete' && typeof completion === 'string') {
      const last = timeOf(lastSuccessfulTime);
      const at = timeOf(completion);
      if (at !== undefined && (last === undefined || at > last)) lastSuccessfulTime = completion;
    }
  }
  // Active Jobs that are gone (deleted by someone) leave the list.
  for (const ref of [...active]) {
    if (children.has(String(ref.uid))) continue;
    if (getOrUndefined(ctx.api, 'jobs.batch', namespace, String(ref.name)) !== undefined) continue;
    recorder.record(cj, 'Normal', 'MissingJob', `Active job went missing: ${String(ref.name)}`);
    dropActive(ref.uid);
  }

  const writeStatus = () => {
    const next: JsonObject = {
      ...(active.length > 0 ? { active } : {}),
      ...(lastScheduleTime !== undefined ? { lastScheduleTime } : {}),
      ...(lastSuccessfulTime !== undefined ? { lastSuccessfulTime } : {}),
    };
    if (jsonEqual(next, oldStatus)) return;
    const fresh = getOrUndefined(ctx.api, 'cronjobs.batch', namespace, cjName);
    if (fresh !== undefined)
      ctx.api.update({ ...fresh, status: next }, { subresource: 'status', fieldManager: NAME });
  };

  if (isDeleting(cj)) {
    writeStatus();
    return;
  }
  const timeZone = typeof spec.timeZone === 'string' ? spec.timeZone : undefined;
  if (timeZone !== undefined) {
    const problem = timeZoneProblem(timeZone);
    if (problem !== undefined) {
      recorder.record(
        cj,
        'Warning',
        'UnknownTimeZone',
        `invalid timeZone: ${JSON.stringify(timeZone)}: ${problem}`,
      );
      writeStatus();
      return;
    }
  }
  if (spec.suspend === true) {
    writeStatus();
    return;
  }
  const scheduleText = String(spec.schedule ?? '');
  if (scheduleText.includes('TZ'))
    recorder.record(
      cj,
      'Warning',
      'UnsupportedSchedule',
      `CRON_TZ or TZ used in schedule ${JSON.stringify(scheduleText)} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`,
    );
  const schedule = parsedSchedule(cache, scheduleText, timeZone);
  if (schedule instanceof CronScheduleError) {
    recorder.record(
      cj,
      'Warning',
      'UnparseableSchedule',
      `unparseable schedule: ${JSON.stringify(scheduleText)} : ${schedule.message}`,
    );
    writeStatus();
    return;
  }

  /** The next schedule time as a wait wake-up (`nextScheduleTimeDuration`). */
  const requeue = () => {
    const status = { ...oldStatus, ...(lastScheduleTime !== undefined ? { lastScheduleTime } : {}) };
    const recent = mostRecentScheduleTime(cj, status, now, schedule, false);
    const from = recent.error !== undefined ? now : (recent.mostRecent ?? recent.earliest);
    const next = schedule.next(from);
    if (next !== undefined) ctx.after(objectKey(cj), Math.max(0, next - now), 'wait');
  };

  const recent = mostRecentScheduleTime(cj, oldStatus, now, schedule, true);
  if (recent.error !== undefined) {
    recorder.record(cj, 'Warning', 'InvalidSchedule', `invalid schedule: ${scheduleText} : ${recent.error}`);
    writeStatus();
    return;
  }
  const scheduled = recent.mostRecent;
  if (scheduled === undefined) {
    writeStatus();
    requeue();
    return;
  }
  if (recent.missed > 100)
    recorder.record(
      cj,
      'Warning',
      'TooManyMissedTimes',
      'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew',
    );
  const deadline = spec.startingDeadlineSeconds;
  if (typeof deadline === 'number' && scheduled + deadline * 1000 < now) {
    recorder.record(
      cj,
      'Warning',
      'MissSchedule',
      `Missed scheduled time to start a job: ${rfc1123z(scheduled)}`,
    );
    writeStatus();
    requeue();
    return;
  }
  const jobName = cronJobJobName(cjName, scheduled);
  if (active.some((r) => r.name === jobName) || timeOf(lastScheduleTime) === scheduled) {
    writeStatus();
    requeue();
    return;
  }
  if (spec.concurrencyPolicy === 'Forbid' && active.length > 0) {
    recorder.record(
      cj,
      'Normal',
      'JobAlreadyActive',
      'Not starting job because prior execution is running and concurrency policy is Forbid',
    );
    writeStatus();
    requeue();
    return;
  }
  if (spec.concurrencyPolicy === 'Replace') {
    for (const ref of [...active]) {
      const job = getOrUndefined(ctx.api, 'jobs.batch', namespace, String(ref.name));
      if (job === undefined) dropActive(ref.uid);
      else deleteJob(job);
    }
  }

  const request = jobFromTemplate(cj, jobName, scheduled, timeZone);
  let created: KubeObject;
  try {
    created = ctx.api.create(request, { fieldManager: NAME });
    recorder.record(cj, 'Normal', 'SuccessfulCreate', `Created job ${nameOf(created)}`);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.status.code !== 409 || error.status.reason !== 'AlreadyExists') {
      recorder.record(cj, 'Warning', 'FailedCreate', `Error creating job: ${error.message}`);
      writeStatus();
      ctx.after(objectKey(cj), 10_000, 'wait');
      return;
    }
    // Created by someone else: adopt it into the status only when it is ours.
    const existing = getOrUndefined(ctx.api, 'jobs.batch', namespace, jobName);
    if (existing === undefined || controllerOf(existing)?.uid !== uid || inActive(uidOf(existing))) {
      writeStatus();
      return;
    }
    created = existing;
  }
  active = [...active, jobRef(created)];
  lastScheduleTime = rfc3339(new Date(scheduled));
  writeStatus();
  requeue();
}

/**
 * When a CronJob is due (`utils.go`): the most recent schedule time it has not met
 * (`mostRecentScheduleTime`), with the schedules parsed once per schedule and time zone, and the
 * times as the controller reads and prints them.
 */

import type { JsonObject } from '../api/machinery/json-values.js';
import type { KubeObject } from '../store/types.js';
import { type CronSchedule, CronScheduleError, parseCronSchedule } from './cronjob-schedule.js';
import { meta, specOf } from './shared.js';

/** A time field in ms, or undefined when it is missing or not a time. */
export const timeOf = (value: unknown): number | undefined => {
  const t = Date.parse(String(value ?? ''));
  return Number.isFinite(t) ? t : undefined;
};

/** `mostRecentScheduleTime`: the earliest time considered and the most recent unmet schedule. */
export function mostRecentScheduleTime(
  cj: KubeObject,
  status: JsonObject,
  now: number,
  schedule: CronSchedule,
  withDeadline: boolean,
): { earliest: number; mostRecent: number | undefined; missed: number; error?: string } {
  let earliest = timeOf(status.lastScheduleTime) ?? timeOf(meta(cj).creationTimestamp) ?? now;
  const deadline = specOf(cj).startingDeadlineSeconds;
  if (withDeadline && typeof deadline === 'number') earliest = Math.max(earliest, now - deadline * 1000);
  const t1 = schedule.next(earliest);
  const t2 = t1 === undefined ? undefined : schedule.next(t1);
  if (t1 !== undefined && now < t1) return { earliest, mostRecent: undefined, missed: 0 };
  if (t1 !== undefined && t2 !== undefined && now < t2) return { earliest, mostRecent: t1, missed: 1 };
  if (t1 === undefined || t2 === undefined || Math.round((t2 - t1) / 1000) < 1)
    return {
      earliest,
      mostRecent: undefined,
      missed: 0,
      error: 'time difference between two schedules is less than 1 second',
    };
  const between = Math.round((t2 - t1) / 1000);
  const missed = Math.floor(Math.floor((now - t1) / 1000) / between) + 1;
  let mostRecent: number | undefined;
  const potentialEarliest = t1 + (missed - 2) * between * 1000;
  for (let t = schedule.next(potentialEarliest); t !== undefined && t <= now; t = schedule.next(t))
    mostRecent = t;
  return { earliest, mostRecent, missed };
}

/** Parsed schedules by `timeZone\0schedule`, so a reconcile does not parse again. */
export type ScheduleCache = Map<string, CronSchedule | CronScheduleError>;

/** A schedule parsed in its time zone (a `CRON_TZ=`/`TZ=` prefix wins), or robfig's refusal; cached. */
export function parsedSchedule(
  cache: ScheduleCache,
  schedule: string,
  timeZone: string | undefined,
): CronSchedule | CronScheduleError {
  const id = `${timeZone ?? ''}\0${schedule}`;
  let entry = cache.get(id);
  if (entry === undefined) {
    try {
      entry = parseCronSchedule(schedule, schedule.includes('TZ') ? undefined : timeZone);
    } catch (error) {
      if (!(error instanceof CronScheduleError)) throw error;
      entry = error;
    }
    if (cache.size > 1000) cache.clear();
    cache.set(id, entry);
  }
  return entry;
}

/** Go's `time.RFC1123Z` in UTC (`Mon, 02 Jan 2006 15:04:05 +0000`). */
export function rfc1123z(ms: number): string {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(
    d.getUTCHours(),
  )}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

import { describe, expect, it } from 'vitest';
import {
  beyondHistoryLimit,
  CRONJOB_SCHEDULED_TIMESTAMP,
  cronJobJobName,
  jobFromTemplate,
} from '../../../src/cluster/controllers/cronjob-jobs.js';
import { CronScheduleError, parseCronSchedule } from '../../../src/cluster/controllers/cronjob-schedule.js';
import {
  mostRecentScheduleTime,
  parsedSchedule,
  rfc1123z,
  type ScheduleCache,
} from '../../../src/cluster/controllers/cronjob-times.js';
import type { KubeObject } from '../../../src/cluster/store/types.js';

const T0 = Date.parse('2025-03-01T12:00:00Z');
const MIN = 60_000;
const cronJob = (spec: Record<string, unknown> = {}, created = T0): KubeObject => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: {
    name: 'hello',
    namespace: 'default',
    uid: 'cj-1',
    creationTimestamp: new Date(created).toISOString(),
  },
  spec: { schedule: '*/5 * * * *', ...spec },
});

describe('mostRecentScheduleTime', () => {
  const every5 = parseCronSchedule('*/5 * * * *');

  it('finds nothing before the first schedule time, then the latest one missed', () => {
    const cj = cronJob();
    expect(mostRecentScheduleTime(cj, {}, T0 + 4 * MIN, every5, true)).toEqual({
      earliest: T0,
      mostRecent: undefined,
      missed: 0,
    });
    expect(mostRecentScheduleTime(cj, {}, T0 + 7 * MIN, every5, true)).toMatchObject({
      mostRecent: T0 + 5 * MIN,
      missed: 1,
    });
    const late = mostRecentScheduleTime(cj, {}, T0 + 22 * MIN, every5, true);
    expect(late).toMatchObject({ mostRecent: T0 + 20 * MIN, missed: 4 });
  });

  it('starts after the last schedule time, and within the starting deadline when asked to', () => {
    const status = { lastScheduleTime: new Date(T0 + 10 * MIN).toISOString() };
    expect(mostRecentScheduleTime(cronJob(), status, T0 + 16 * MIN, every5, true)).toMatchObject({
      earliest: T0 + 10 * MIN,
      mostRecent: T0 + 15 * MIN,
    });
    const deadline = cronJob({ startingDeadlineSeconds: 60 });
    expect(mostRecentScheduleTime(deadline, {}, T0 + 22 * MIN, every5, true)).toMatchObject({
      earliest: T0 + 21 * MIN,
      mostRecent: undefined,
    });
    expect(mostRecentScheduleTime(deadline, {}, T0 + 22 * MIN, every5, false).mostRecent).toBe(T0 + 20 * MIN);
  });
});

describe('parsedSchedule', () => {
  it('parses a schedule once per time zone and keeps robfig refusals', () => {
    const cache: ScheduleCache = new Map();
    const first = parsedSchedule(cache, '0 * * * *', undefined);
    expect(parsedSchedule(cache, '0 * * * *', undefined)).toBe(first);
    expect(parsedSchedule(cache, '0 * * * *', 'Europe/Paris')).not.toBe(first);
    expect(parsedSchedule(cache, 'not a schedule', undefined)).toBeInstanceOf(CronScheduleError);
    expect(cache.size).toBe(3);
  });
});

describe('rfc1123z', () => {
  it("prints Go's RFC1123Z in UTC", () => {
    expect(rfc1123z(Date.parse('2006-01-02T15:04:05Z'))).toBe('Mon, 02 Jan 2006 15:04:05 +0000');
  });
});

describe('jobFromTemplate', () => {
  it("makes the schedule time's Job from the template, owned by the CronJob", () => {
    const cj = cronJob({
      jobTemplate: { metadata: { labels: { app: 'hello' } }, spec: { backoffLimit: 2 } },
    });
    const job = jobFromTemplate(cj, cronJobJobName('hello', T0 + 5 * MIN), T0 + 5 * MIN, undefined);
    expect(job.metadata).toMatchObject({
      name: `hello-${T0 / MIN + 5}`,
      namespace: 'default',
      labels: { app: 'hello' },
      annotations: { [CRONJOB_SCHEDULED_TIMESTAMP]: '2025-03-01T12:05:00Z' },
      ownerReferences: [{ kind: 'CronJob', name: 'hello', uid: 'cj-1', controller: true }],
    });
    expect(job.spec).toEqual({ backoffLimit: 2 });
    expect(jobFromTemplate(cronJob(), 'x', T0, undefined).metadata).not.toHaveProperty('labels');
  });
});

describe('beyondHistoryLimit', () => {
  const job = (name: string, startTime?: string): KubeObject => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    status: startTime === undefined ? {} : { startTime },
  });

  const names = (jobs: KubeObject[]) => jobs.map((j) => String((j.metadata as { name: string }).name));

  it('picks the oldest by start time, those without one last, ties by name', () => {
    const jobs = [
      job('c', '2025-03-01T12:02:00Z'),
      job('none'),
      job('b', '2025-03-01T12:01:00Z'),
      job('a', '2025-03-01T12:01:00Z'),
    ];
    expect(names(beyondHistoryLimit(jobs, 1))).toEqual(['a', 'b', 'c']);
    expect(names(beyondHistoryLimit(jobs, 0))).toEqual(['a', 'b', 'c', 'none']);
    expect(beyondHistoryLimit(jobs, 4)).toEqual([]);
    expect(beyondHistoryLimit(jobs, undefined)).toEqual([]);
  });
});

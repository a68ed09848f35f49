import { describe, expect, it } from 'vitest';
import {
  cronScheduleProblems,
  parseCronSchedule,
  rfc3339InZone,
  validateCronSchedule,
  validateCronTimeZone,
} from '../../../src/cluster/controllers/cronjob-schedule.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** The next `n` activations after `from`. */
function runs(schedule: string, from: string, n: number, timeZone?: string): (string | undefined)[] {
  const s = parseCronSchedule(schedule, timeZone);
  const out: (string | undefined)[] = [];
  let t: number | undefined = at(from);
  for (let i = 0; i < n && t !== undefined; i++) {
    t = s.next(t);
    out.push(iso(t));
  }
  return out;
}

describe('cron schedules (robfig/cron ParseStandard)', () => {
  it('steps, ranges, lists and names', () => {
    expect(runs('*/15 * * * *', '2025-03-01T12:00:00Z', 3)).toEqual([
      '2025-03-01T12:15:00.000Z',
      '2025-03-01T12:30:00.000Z',
      '2025-03-01T12:45:00.000Z',
    ]);
    expect(runs('5 9-10 * * mon-fri', '2025-03-01T12:00:00Z', 3)).toEqual([
      '2025-03-03T09:05:00.000Z',
      '2025-03-03T10:05:00.000Z',
      '2025-03-04T09:05:00.000Z',
    ]);
    expect(runs('0 0 1 jan,JUL *', '2025-03-01T12:00:00Z', 2)).toEqual([
      '2025-07-01T00:00:00.000Z',
      '2026-01-01T00:00:00.000Z',
    ]);
    // `a/step` means a to the maximum.
    expect(runs('50/5 * * * *', '2025-03-01T12:00:00Z', 3)).toEqual([
      '2025-03-01T12:50:00.000Z',
      '2025-03-01T12:55:00.000Z',
      '2025-03-01T13:50:00.000Z',
    ]);
  });

  it('day of month OR day of week when both are restricted', () => {
    expect(runs('0 0 13 * 5', '2025-03-01T12:00:00Z', 2)).toEqual([
      '2025-03-07T00:00:00.000Z',
      '2025-03-13T00:00:00.000Z',
    ]);
  });

  it('descriptors and @every', () => {
    expect(runs('@hourly', '2025-03-01T12:30:00Z', 1)).toEqual(['2025-03-01T13:00:00.000Z']);
    expect(runs('@weekly', '2025-03-01T12:00:00Z', 1)).toEqual(['2025-03-02T00:00:00.000Z']);
    expect(runs('@yearly', '2025-03-01T12:00:00Z', 1)).toEqual(['2026-01-01T00:00:00.000Z']);
    expect(runs('@every 90s', '2025-03-01T12:00:00Z', 2)).toEqual([
      '2025-03-01T12:01:30.000Z',
      '2025-03-01T12:03:00.000Z',
    ]);
  });

  it('in a time zone', () => {
    expect(runs('0 9 * * *', '2025-03-01T12:00:00Z', 1, 'Europe/Berlin')).toEqual([
      '2025-03-02T08:00:00.000Z',
    ]);
    expect(rfc3339InZone(at('2025-03-02T08:00:00Z'), 'Europe/Berlin')).toBe('2025-03-02T09:00:00+01:00');
    expect(rfc3339InZone(at('2025-03-02T08:00:00Z'), undefined)).toBe('2025-03-02T08:00:00Z');
  });

  it('a schedule that can never fire has no next time', () => {
    expect(parseCronSchedule('59 23 31 2 *').next(at('2025-03-01T12:00:00Z'))).toBeUndefined();
  });

  it('refuses invalid schedules with robfig/cron messages', () => {
    expect(cronScheduleProblems('* * * *')).toEqual(['expected exactly 5 fields, found 4: [* * * *]']);
    expect(cronScheduleProblems('61 * * * *')).toEqual(['end of range (61) above maximum (59): 61']);
    expect(cronScheduleProblems('* * * * 7')).toEqual(['end of range (7) above maximum (6): 7']);
    expect(cronScheduleProblems('5-1 * * * *')).toEqual([
      'beginning of range (5) beyond end of range (1): 5-1',
    ]);
    expect(cronScheduleProblems('*/0 * * * *')).toEqual(['step of range should be a positive number: */0']);
    expect(cronScheduleProblems('x * * * *')).toEqual([
      'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax',
    ]);
    expect(cronScheduleProblems('0 0 0 * *')).toEqual(['beginning of range (0) below minimum (1): 0']);
    expect(cronScheduleProblems('@fortnightly')).toEqual(['unrecognized descriptor: @fortnightly']);
    expect(cronScheduleProblems('@every 5')).toEqual([
      'failed to parse duration @every 5: time: missing unit in duration "5"',
    ]);
    expect(cronScheduleProblems('TZ=Europe/Berlin 0 9 * * *')).toEqual([
      'cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
    ]);
    expect(cronScheduleProblems('*/5 * * * *')).toEqual([]);
  });

  it('validateCronSchedule words the error as the API server does', () => {
    expect(validateCronSchedule('*/1 * * *')).toBe(
      'spec.schedule: Invalid value: "*/1 * * *": expected exactly 5 fields, found 4: [*/1 * * *]',
    );
    expect(validateCronSchedule('')).toBe('spec.schedule: Required value');
    expect(validateCronSchedule('0 * * * *')).toBeUndefined();
  });

  it('validates time zones as Go loads them', () => {
    expect(validateCronTimeZone('Europe/Berlin')).toBeUndefined();
    expect(validateCronTimeZone(undefined)).toBeUndefined();
    expect(validateCronTimeZone('Mars/Base')).toBe(
      'spec.timeZone: Invalid value: "Mars/Base": unknown time zone Mars/Base',
    );
    expect(validateCronTimeZone('europe/berlin')).toBe(
      'spec.timeZone: Invalid value: "europe/berlin": unknown time zone europe/berlin',
    );
    expect(validateCronTimeZone('Local')).toBe(
      'spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones',
    );
  });
});

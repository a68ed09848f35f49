/**
 * CronJob schedules as the API server validates them: five fields (or a descriptor) read by
 * robfig/cron's standard parser, with its error messages; `TZ=`/`CRON_TZ=` prefixes refused.
 */

import { invalid, type KubeFieldError, required } from '../schema/field-errors.js';

const CRON_DESCRIPTORS = /^@(yearly|annually|monthly|weekly|daily|midnight|hourly|every \S+)$/;

/** A CronJob's `spec.schedule`, as the API server checks it with robfig/cron's standard parser. */
export function validateSchedule(schedule: unknown): KubeFieldError[] {
  if (typeof schedule !== 'string' || schedule === '') return [required('spec.schedule')];
  if (/^(CRON_)?TZ=/.test(schedule.trim()))
    return [
      invalid('spec.schedule', schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'),
    ];
  const spec = schedule;
  if (spec.startsWith('@')) {
    return CRON_DESCRIPTORS.test(spec)
      ? []
      : [invalid('spec.schedule', schedule, `unrecognized descriptor: ${spec}`)];
  }
  const fields = spec.trim().split(/\s+/);
  if (fields.length !== 5)
    return [
      invalid(
        'spec.schedule',
        schedule,
        `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`,
      ),
    ];
  for (let i = 0; i < 5; i++) {
    const problem = cronFieldError(fields[i]!, CRON_BOUNDS[i]!);
    if (problem !== undefined) return [invalid('spec.schedule', schedule, problem)];
  }
  return [];
}

/** The bounds and names of the five cron fields (minute, hour, day of month, month, day of week). */
const CRON_BOUNDS: readonly { min: number; max: number; names?: readonly string[] }[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  {
    min: 1,
    max: 12,
    names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
  },
  { min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

/** robfig/cron's parse error for one field (`end of range (61) above maximum (59): 61`), if any. */
function cronFieldError(field: string, bounds: (typeof CRON_BOUNDS)[number]): string | undefined {
  const value = (text: string): number | string => {
    const named = bounds.names?.indexOf(text.toLowerCase()) ?? -1;
    if (named >= 0) return named + (bounds.min === 1 ? 1 : 0);
    if (!/^-?\d+$/.test(text))
      return `failed to parse int from ${text}: strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`;
    const n = Number(text);
    return n < 0 ? `negative number (${n}) not allowed: ${text}` : n;
  };
  for (const expr of field.split(',')) {
    const slashes = expr.split('/');
    if (slashes.length > 2) return `too many slashes: ${expr}`;
    const [range = '', step] = slashes;
    const hyphens = range.split('-');
    if (hyphens.length > 2) return `too many hyphens: ${range}`;
    let start = bounds.min;
    let end = bounds.max;
    if (range !== '*' && range !== '?') {
      const first = value(hyphens[0]!);
      if (typeof first === 'string') return first;
      start = first;
      end = first;
      if (hyphens.length === 2) {
        const last = value(hyphens[1]!);
        if (typeof last === 'string') return last;
        end = last;
      } else if (step !== undefined) end = bounds.max;
    }
    if (step !== undefined) {
      const n = value(step);
      if (typeof n === 'string') return n;
      if (n <= 0) return `step of range should be a positive number: ${expr}`;
    }
    if (start < bounds.min) return `beginning of range (${start}) below minimum (${bounds.min}): ${expr}`;
    if (end > bounds.max) return `end of range (${end}) above maximum (${bounds.max}): ${expr}`;
    if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  }
  return undefined;
}

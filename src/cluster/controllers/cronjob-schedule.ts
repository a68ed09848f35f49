/**
 * CronJob schedules as Kubernetes reads them: robfig/cron's standard parser (`cron.ParseStandard`:
 * five fields with ranges, steps, lists and month/day names, `?` for `*`, the descriptors
 * `@yearly @annually @monthly @weekly @daily @midnight @hourly @every <duration>`) with its error
 * messages, the API's validation of `spec.schedule` and `spec.timeZone`, and the activation times
 * in a time zone (computed by croner from the parsed fields, so its own extensions never apply).
 */

import { Cron } from 'croner';

/** A parsed schedule. */
export interface CronSchedule {
  /** The first activation strictly after `afterMs` (whole seconds), or undefined when there is none. */
  next(afterMs: number): number | undefined;
}

/** A schedule robfig/cron refuses; the message is robfig's. */
export class CronScheduleError extends Error {
  override readonly name = 'CronScheduleError';
}

interface Bounds {
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DOM: Bounds = { min: 1, max: 31 };
const MONTHS: Bounds = { min: 1, max: 12, names: Object.fromEntries(MONTH_NAMES.map((n, i) => [n, i + 1])) };
const DOW: Bounds = { min: 0, max: 6, names: Object.fromEntries(DAY_NAMES.map((n, i) => [n, i])) };

/** robfig's descriptors (`parseDescriptor`), as five-field expressions. */
const DESCRIPTORS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** One parsed field: the values it allows, and whether it was `*` (robfig's star bit). */
interface Field {
  readonly values: ReadonlySet<number>;
  readonly star: boolean;
}

/** Go's `strconv.Atoi` plus robfig's `mustParseInt` (no negative numbers). */
function mustParseInt(expr: string): number {
  if (!/^[+-]?[0-9]+$/.test(expr)) {
    throw new CronScheduleError(
      `failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`,
    );
  }
  const num = Number(expr);
  if (num < 0) throw new CronScheduleError(`negative number (${num}) not allowed: ${expr}`);
  return num;
}

function parseIntOrName(expr: string, names: Bounds['names']): number {
  const named = names?.[expr.toLowerCase()];
  return named ?? mustParseInt(expr);
}

/** robfig's `getRange`: `*`, `a`, `a-b`, each optionally `/step` (`a/step` means `a-max/step`). */
function getRange(expr: string, r: Bounds, into: Set<number>): boolean {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0]!.split('-');
  const singleDigit = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = r.min;
    end = r.max;
    star = true;
  } else {
    start = parseIntOrName(lowAndHigh[0]!, r.names);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1]!, r.names);
    else throw new CronScheduleError(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = mustParseInt(rangeAndStep[1]!);
    if (singleDigit) end = r.max;
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) {
    throw new CronScheduleError(`too many slashes: ${expr}`);
  }
  if (start < r.min)
    throw new CronScheduleError(`beginning of range (${start}) below minimum (${r.min}): ${expr}`);
  if (end > r.max) throw new CronScheduleError(`end of range (${end}) above maximum (${r.max}): ${expr}`);
  if (start > end)
    throw new CronScheduleError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronScheduleError(`step of range should be a positive number: ${expr}`);
  for (let v = start; v <= end; v += step) into.add(v);
  return star;
}

/** robfig's `getField`: a comma-separated list of ranges (empty items are skipped, as `FieldsFunc` does). */
function getField(field: string, r: Bounds): Field {
  const values = new Set<number>();
  let star = false;
  for (const part of field.split(',')) {
    if (part === '') continue;
    if (getRange(part, r, values)) star = true;
  }
  return { values, star };
}

/** Go's `time.ParseDuration`, as far as schedules use it; milliseconds. */
function parseGoDuration(text: string): number {
  const invalid = () => new CronScheduleError(`time: invalid duration ${JSON.stringify(text)}`);
  const units: Record<string, number> = {
    ns: 1e-6,
    us: 1e-3,
    µs: 1e-3,
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
  };
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw invalid();
  let total = 0;
  while (rest !== '') {
    const m = /^([0-9]*(?:\.[0-9]*)?)([a-z\u00b5]*)/.exec(rest);
    if (m === null || m[1] === '' || m[1] === '.') throw invalid();
    if (m[2] === '') throw new CronScheduleError(`time: missing unit in duration ${JSON.stringify(text)}`);
    const unit = units[m[2]!];
    if (unit === undefined)
      throw new CronScheduleError(
        `time: unknown unit ${JSON.stringify(m[2])} in duration ${JSON.stringify(text)}`,
      );
    total += Number(m[1]) * unit;
    rest = rest.slice(m[0].length);
  }
  return sign * total;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether five parsed fields can ever fire (`59 23 31 2 *` cannot). */
function canFire(dom: Field, month: Field, dow: Field): boolean {
  if ([dom, month, dow].some((f) => f.values.size === 0)) return false;
  // Day of month OR day of week when both are restricted; AND (so the day of month decides) otherwise.
  if (!dom.star && !dow.star) return true;
  for (const m of month.values) for (const d of dom.values) if (d <= DAYS_IN_MONTH[m - 1]!) return true;
  return false;
}

/** Parses a schedule as `cron.ParseStandard` does (in `timeZone`, UTC when absent). Throws {@link CronScheduleError}. */
export function parseCronSchedule(spec: string, timeZone?: string): CronSchedule {
  if (spec.length === 0) throw new CronScheduleError('empty spec string');
  let zone = timeZone ?? 'UTC';
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const space = spec.indexOf(' ');
    const name = spec.slice(spec.indexOf('=') + 1, space < 0 ? undefined : space);
    const problem = timeZoneProblem(name);
    if (problem !== undefined || space < 0)
      throw new CronScheduleError(`provided bad location ${name}: ${problem ?? `unknown time zone ${name}`}`);
    zone = name === '' ? 'UTC' : name;
    spec = spec.slice(space).trim();
  }
  if (spec.startsWith('@')) {
    if (spec.startsWith('@every ')) {
      const ms = parseGoDurationFor(spec);
      // robfig: at least a second, truncated to whole seconds; relative to the time given.
      const delay = Math.max(1000, ms - (ms % 1000));
      return { next: (after) => after - (after % 1000) + delay };
    }
    const expression = DESCRIPTORS[spec];
    if (expression === undefined) throw new CronScheduleError(`unrecognized descriptor: ${spec}`);
    spec = expression;
  }
  const fields = spec.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5)
    throw new CronScheduleError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  const bounds = [MINUTES, HOURS, DOM, MONTHS, DOW];
  const parsed = fields.map((f, i) => getField(f, bounds[i]!));
  if (!canFire(parsed[2]!, parsed[3]!, parsed[4]!)) return { next: () => undefined };
  const pattern = parsed.map((f) => (f.star ? '*' : [...f.values].sort((a, b) => a - b).join(','))).join(' ');
  const cron = new Cron(pattern, { timezone: zone, mode: '5-part' });
  return {
    next(after) {
      const next = cron.nextRun(new Date(after - (after % 1000)));
      return next === null ? undefined : next.getTime();
    },
  };
}

function parseGoDurationFor(descriptor: string): number {
  try {
    return parseGoDuration(descriptor.slice('@every '.length));
  } catch (error) {
    throw new CronScheduleError(`failed to parse duration ${descriptor}: ${(error as Error).message}`);
  }
}

/**
 * Why Go's `time.LoadLocation` would refuse a zone name (`unknown time zone Mars/Base`), or
 * undefined. `''` and `UTC` are UTC; names are case-sensitive, as the zoneinfo files are.
 */
export function timeZoneProblem(name: string): string | undefined {
  if (name === '' || name === 'UTC' || name === 'Local') return undefined;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    // Intl matches names case-insensitively; the zoneinfo database does not.
    if (resolved !== name && resolved.toLowerCase() === name.toLowerCase())
      return `unknown time zone ${name}`;
    return undefined;
  } catch {
    return `unknown time zone ${name}`;
  }
}

/**
 * What the API's validation says about a CronJob's `spec.schedule` (`validateScheduleFormat` on
 * create): robfig's parse error, and the refusal of `TZ=`/`CRON_TZ=` prefixes. Details only, in
 * Kubernetes' order; empty when the schedule is valid.
 */
export function cronScheduleProblems(schedule: string): string[] {
  const problems: string[] = [];
  try {
    parseCronSchedule(schedule);
  } catch (error) {
    if (!(error instanceof CronScheduleError)) throw error;
    problems.push(error.message);
  }
  if (schedule.includes('TZ'))
    problems.push('cannot use TZ or CRON_TZ in schedule, use timeZone field instead');
  return problems;
}

/**
 * The API's error for an invalid `spec.schedule`, worded as kube-apiserver words it
 * (`spec.schedule: Invalid value: "5 * * *": expected exactly 5 fields, found 4: [5 * * *]`),
 * or undefined when the schedule is valid.
 */
export function validateCronSchedule(schedule: unknown): string | undefined {
  if (typeof schedule !== 'string' || schedule === '') return 'spec.schedule: Required value';
  const [first] = cronScheduleProblems(schedule);
  return first === undefined
    ? undefined
    : `spec.schedule: Invalid value: ${JSON.stringify(schedule)}: ${first}`;
}

/**
 * The API's error for an invalid `spec.timeZone` (`validateTimeZone`), or undefined when it is
 * absent or valid.
 */
export function validateCronTimeZone(timeZone: unknown): string | undefined {
  if (timeZone === undefined || timeZone === null) return undefined;
  const value = String(timeZone);
  const invalid = (detail: string) => `spec.timeZone: Invalid value: ${JSON.stringify(value)}: ${detail}`;
  if (value === '') return invalid('timeZone must be nil or non-empty string');
  if (value.toLowerCase() === 'local')
    return invalid('timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones');
  const problem = timeZoneProblem(value);
  return problem === undefined ? undefined : invalid(problem);
}

/** RFC 3339 of an instant in a time zone (`2025-03-01T13:00:00+01:00`; `Z` in UTC), as Go formats it. */
export function rfc3339InZone(ms: number, timeZone: string | undefined): string {
  const seconds = ms - (((ms % 1000) + 1000) % 1000);
  if (timeZone === undefined || timeZone === '' || timeZone === 'UTC')
    return new Date(seconds).toISOString().replace('.000Z', 'Z');
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(seconds));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? '0');
  const local = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  const offsetMinutes = Math.round((local - seconds) / 60_000);
  const wall = new Date(local).toISOString().slice(0, 19);
  if (offsetMinutes === 0) return `${wall}Z`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${wall}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

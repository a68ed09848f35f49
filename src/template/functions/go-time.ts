/**
 * Go `time` package essentials for templates: layout-based formatting (reference time
 * `Mon Jan 2 15:04:05 MST 2006`; parsing is in `go-time-parse.ts`), time zones (UTC, fixed
 * offsets, IANA names through the built-in Intl data) and durations (`ParseDuration`,
 * `Duration.String`).
 * Times are JavaScript `Date`s (millisecond precision) interpreted in UTC unless a zone is given.
 */

/** A zone: offset east of UTC in seconds and its abbreviation (`UTC`, `PST`, `+0530` when unknown). */
export interface Zone {
  readonly offset: number;
  readonly name: string;
}

/** The UTC zone. */
export const UTC: Zone = { offset: 0, name: 'UTC' };
/** Go's `time.Time.String()` layout. */
export const GO_TIME_STRING_LAYOUT = '2006-01-02 15:04:05.999999999 -0700 MST';
/** Go's `time.RFC3339Nano`. */
export const RFC3339_NANO = '2006-01-02T15:04:05.999999999Z07:00';

/** English month names, January first. */
export const LONG_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
/** English day names, Sunday first. */
export const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** A layout element. */
export type Std =
  | { k: 'text' }
  | { k: 'LongMonth' | 'Month' | 'NumMonth' | 'ZeroMonth' | 'LongWeekDay' | 'WeekDay' }
  | { k: 'Day' | 'UnderDay' | 'ZeroDay' | 'UnderYearDay' | 'ZeroYearDay' }
  | { k: 'Hour' | 'Hour12' | 'ZeroHour12' | 'Minute' | 'ZeroMinute' | 'Second' | 'ZeroSecond' }
  | { k: 'LongYear' | 'Year' | 'PM' | 'pm' | 'TZ' }
  | { k: 'NumTZ'; iso: boolean; colon: boolean; secs: boolean; short: boolean }
  | { k: 'Frac'; digits: number; nines: boolean; sep: string };

/** Literal text, the layout element after it, and the rest of the layout. */
export interface Chunk {
  prefix: string;
  std: Std | undefined;
  suffix: string;
}

const ZERO_X: Std['k'][] = ['ZeroMonth', 'ZeroDay', 'ZeroHour12', 'ZeroMinute', 'ZeroSecond', 'Year'];
const TZ_FORMS: Array<[string, boolean, boolean, boolean]> = [
  // text after the sign, colon, seconds, short
  ['070000', false, true, false],
  ['07:00:00', true, true, false],
  ['0700', false, false, false],
  ['07:00', true, false, false],
  ['07', false, false, true],
];

/** Go's `nextStdChunk`: the literal text before the next layout element, the element, the rest. */
export function nextChunk(layout: string): Chunk {
  const at = (i: number, n: number): string => layout.slice(i, i + n);
  const cut = (i: number, std: Std, len: number): Chunk => ({
    prefix: layout.slice(0, i),
    std,
    suffix: layout.slice(i + len),
  });
  const lowerNext = (i: number): boolean => /^[a-z]/.test(layout.slice(i));
  for (let i = 0; i < layout.length; i++) {
    const c = layout[i];
    switch (c) {
      case 'J':
        if (at(i, 7) === 'January') return cut(i, { k: 'LongMonth' }, 7);
        if (at(i, 3) === 'Jan' && !lowerNext(i + 3)) return cut(i, { k: 'Month' }, 3);
        break;
      case 'M':
        if (at(i, 6) === 'Monday') return cut(i, { k: 'LongWeekDay' }, 6);
        if (at(i, 3) === 'Mon' && !lowerNext(i + 3)) return cut(i, { k: 'WeekDay' }, 3);
        if (at(i, 3) === 'MST') return cut(i, { k: 'TZ' }, 3);
        break;
      case '0': {
        const n = layout[i + 1];
        if (n !== undefined && n >= '1' && n <= '6') return cut(i, { k: ZERO_X[Number(n) - 1]! } as Std, 2);
        if (at(i, 3) === '002') return cut(i, { k: 'ZeroYearDay' }, 3);
        break;
      }
      case '1':
        if (layout[i + 1] === '5') return cut(i, { k: 'Hour' }, 2);
        return cut(i, { k: 'NumMonth' }, 1);
      case '2':
        if (at(i, 4) === '2006') return cut(i, { k: 'LongYear' }, 4);
        return cut(i, { k: 'Day' }, 1);
      case '_':
        if (layout[i + 1] === '2') {
          if (at(i + 1, 4) === '2006') return cut(i + 1, { k: 'LongYear' }, 4);
          return cut(i, { k: 'UnderDay' }, 2);
        }
        if (at(i, 3) === '__2') return cut(i, { k: 'UnderYearDay' }, 3);
        break;
      case '3':
        return cut(i, { k: 'Hour12' }, 1);
      case '4':
        return cut(i, { k: 'Minute' }, 1);
      case '5':
        return cut(i, { k: 'Second' }, 1);
      case 'P':
        if (layout[i + 1] === 'M') return cut(i, { k: 'PM' }, 2);
        break;
      case 'p':
        if (layout[i + 1] === 'm') return cut(i, { k: 'pm' }, 2);
        break;
      case '-':
      case 'Z':
        for (const [text, colon, secs, short] of TZ_FORMS) {
          if (at(i + 1, text.length) === text) {
            return cut(i, { k: 'NumTZ', iso: c === 'Z', colon, secs, short }, text.length + 1);
          }
        }
        break;
      case '.':
      case ',': {
        const ch = layout[i + 1];
        if (ch === '0' || ch === '9') {
          let j = i + 1;
          while (layout[j] === ch) j++;
          if (!/[0-9]/.test(layout[j] ?? '')) {
            return cut(i, { k: 'Frac', digits: j - i - 1, nines: ch === '9', sep: c }, j - i);
          }
        }
        break;
      }
      default:
        break;
    }
  }
  return { prefix: layout, std: undefined, suffix: '' };
}

const pad = (n: number, width: number, ch = '0'): string => String(n).padStart(width, ch);

function formatOffset(offset: number, std: Extract<Std, { k: 'NumTZ' }>): string {
  if (std.iso && offset === 0) return 'Z';
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const h = pad(Math.floor(abs / 3600), 2);
  const m = pad(Math.floor(abs / 60) % 60, 2);
  const s = pad(abs % 60, 2);
  if (std.short) return sign + h;
  const sep = std.colon ? ':' : '';
  return sign + h + sep + m + (std.secs ? sep + s : '');
}

/** Go `Time.Format(layout)` of `date` seen in `zone` (UTC by default). */
export function formatGoTime(date: Date, layout: string, zone: Zone = UTC): string {
  const t = new Date(date.getTime() + zone.offset * 1000);
  const year = t.getUTCFullYear();
  const month = t.getUTCMonth();
  const day = t.getUTCDate();
  const hour = t.getUTCHours();
  const yday = Math.floor((t.getTime() - utcDate(year, 1, 1, 0, 0, 0, 0).getTime()) / 86400000) + 1;
  const nanos = t.getUTCMilliseconds() * 1_000_000;
  let out = '';
  let rest = layout;
  while (rest !== '') {
    const { prefix, std, suffix } = nextChunk(rest);
    out += prefix;
    rest = suffix;
    if (!std) break;
    switch (std.k) {
      case 'LongYear':
        out += year < 0 ? `-${pad(-year, 4)}` : pad(year, 4);
        break;
      case 'Year':
        out += pad(((year % 100) + 100) % 100, 2);
        break;
      case 'LongMonth':
        out += LONG_MONTHS[month];
        break;
      case 'Month':
        out += LONG_MONTHS[month]!.slice(0, 3);
        break;
      case 'NumMonth':
        out += month + 1;
        break;
      case 'ZeroMonth':
        out += pad(month + 1, 2);
        break;
      case 'LongWeekDay':
        out += LONG_DAYS[t.getUTCDay()];
        break;
      case 'WeekDay':
        out += LONG_DAYS[t.getUTCDay()]!.slice(0, 3);
        break;
      case 'Day':
        out += day;
        break;
      case 'UnderDay':
        out += pad(day, 2, ' ');
        break;
      case 'ZeroDay':
        out += pad(day, 2);
        break;
      case 'UnderYearDay':
        out += pad(yday, 3, ' ');
        break;
      case 'ZeroYearDay':
        out += pad(yday, 3);
        break;
      case 'Hour':
        out += pad(hour, 2);
        break;
      case 'Hour12':
        out += hour % 12 === 0 ? 12 : hour % 12;
        break;
      case 'ZeroHour12':
        out += pad(hour % 12 === 0 ? 12 : hour % 12, 2);
        break;
      case 'Minute':
        out += t.getUTCMinutes();
        break;
      case 'ZeroMinute':
        out += pad(t.getUTCMinutes(), 2);
        break;
      case 'Second':
        out += t.getUTCSeconds();
        break;
      case 'ZeroSecond':
        out += pad(t.getUTCSeconds(), 2);
        break;
      case 'PM':
        out += hour >= 12 ? 'PM' : 'AM';
        break;
      case 'pm':
        out += hour >= 12 ? 'pm' : 'am';
        break;
      case 'TZ':
        out +=
          zone.name ||
          formatOffset(zone.offset, { k: 'NumTZ', iso: false, colon: false, secs: false, short: false });
        break;
      case 'NumTZ':
        out += formatOffset(zone.offset, std);
        break;
      case 'Frac': {
        let frac = pad(nanos, 9).slice(0, std.digits);
        if (std.nines) frac = frac.replace(/0+$/, '');
        if (frac !== '') out += std.sep + frac;
        break;
      }
      default:
        break;
    }
  }
  return out;
}

/** A `Date` at the given UTC wall time; works for years 0–99 too (unlike `Date.UTC`). */
export function utcDate(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  ms: number,
): Date {
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d);
  t.setUTCHours(h, mi, s, ms);
  return t;
}

/** Go's zero `time.Time` (`0001-01-01 00:00:00 +0000 UTC`). */
export function zeroTime(): Date {
  return utcDate(1, 1, 1, 0, 0, 0, 0);
}

/** The zone named `name` at instant `at`: `UTC`/`Local`/`""` are UTC; IANA names use Intl data. */
export function zoneAt(name: string, at: Date): Zone | undefined {
  if (name === '' || name === 'UTC' || name === 'Local') return UTC;
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      timeZoneName: 'short',
    }).formatToParts(at);
  } catch {
    return undefined;
  }
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = utcDate(get('year'), get('month'), get('day'), get('hour'), get('minute'), get('second'), 0);
  const offset = Math.round((wall.getTime() - (at.getTime() - at.getUTCMilliseconds())) / 1000);
  let abbr = parts.find((p) => p.type === 'timeZoneName')?.value ?? '';
  if (!/^[A-Z]{2,5}$/.test(abbr)) {
    const std: Extract<Std, { k: 'NumTZ' }> = {
      k: 'NumTZ',
      iso: false,
      colon: false,
      secs: false,
      short: false,
    };
    abbr = offset % 3600 === 0 ? formatOffset(offset, { ...std, short: true }) : formatOffset(offset, std);
  }
  return { offset, name: abbr };
}

const UNITS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Go `time.ParseDuration` in nanoseconds (`1h30m`, `-1.5h`, `300ms`); `undefined` when invalid. */
export function parseGoDuration(s: string): number | undefined {
  const m = /^([+-]?)(.*)$/.exec(s)!;
  let body = m[2]!;
  if (body === '0') return 0;
  if (body === '') return undefined;
  let total = 0;
  while (body !== '') {
    const part = /^(\d*\.?\d*)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/.exec(body);
    if (!part || part[1] === '' || part[1] === '.') return undefined;
    total += Number(part[1]) * UNITS[part[2]!]!;
    body = body.slice(part[0].length);
  }
  return m[1] === '-' ? -total : total;
}

/** Go `time.Duration.String()` of a duration in nanoseconds (`1h2m3s`, `1.5s`, `300ms`, `0s`). */
export function formatGoDuration(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0 ? '-' : '';
  let u = Math.abs(Math.round(ns));
  if (u < 1e9) {
    if (u < 1e3) return `${neg}${u}ns`;
    if (u < 1e6) return `${neg}${trimFrac(u / 1e3)}µs`;
    return `${neg}${trimFrac(u / 1e6)}ms`;
  }
  const h = Math.floor(u / 3600e9);
  u -= h * 3600e9;
  const m = Math.floor(u / 60e9);
  u -= m * 60e9;
  const secs = `${trimFrac(u / 1e9)}s`;
  if (h > 0) return `${neg}${h}h${m}m${secs}`;
  if (m > 0) return `${neg}${m}m${secs}`;
  return neg + secs;
}

function trimFrac(x: number): string {
  return x.toFixed(9).replace(/\.?0+$/, '');
}

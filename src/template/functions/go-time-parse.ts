/**
 * Go `time.Parse` for templates (`toDate`): reads a value with a Go reference-time layout.
 * Values without a zone are UTC.
 */

import { LONG_DAYS, LONG_MONTHS, nextChunk, utcDate } from './go-time.js';

/** Thrown by `parseGoTime` with Go's `time.ParseError` text. */
export class TimeParseError extends Error {}

function lookupName(names: string[], value: string, len: number | undefined): [number, string] | undefined {
  for (let i = 0; i < names.length; i++) {
    const name = len ? names[i]!.slice(0, len) : names[i]!;
    if (value.slice(0, name.length).toLowerCase() === name.toLowerCase())
      return [i, value.slice(name.length)];
  }
  return undefined;
}

/** Go `time.Parse(layout, value)` (zone-less values are UTC). Throws `TimeParseError`. */
export function parseGoTime(layout: string, value: string): Date {
  const original = value;
  const bad = (elem: string, rest: string): never => {
    throw new TimeParseError(
      `parsing time ${JSON.stringify(original)} as ${JSON.stringify(layout)}: cannot parse ${JSON.stringify(rest)} as ${JSON.stringify(elem)}`,
    );
  };
  let year = 1;
  let month = 1;
  let day = 1;
  let yday = -1;
  let hour = 0;
  let min = 0;
  let sec = 0;
  let ms = 0;
  let pmSet = false;
  let amSet = false;
  let offset: number | undefined;
  let rest = layout;
  const num = (width: number, fixed: boolean, elem: string, max: number): number => {
    const m = (fixed ? new RegExp(`^\\d{${width}}`) : new RegExp(`^\\d{1,${width}}`)).exec(value);
    if (!m) return bad(elem, value);
    const n = Number(m[0]);
    if (n > max) throw new TimeParseError(`parsing time ${JSON.stringify(original)}: ${elem} out of range`);
    value = value.slice(m[0].length);
    return n;
  };
  while (true) {
    const { prefix, std, suffix } = nextChunk(rest);
    const elem = std ? rest.slice(prefix.length, rest.length - suffix.length) : '';
    value = skipPrefix(value, prefix) ?? bad(prefix, value);
    if (!std) {
      if (value !== '') {
        throw new TimeParseError(
          `parsing time ${JSON.stringify(original)}: extra text: ${JSON.stringify(value)}`,
        );
      }
      break;
    }
    rest = suffix;
    switch (std.k) {
      case 'LongYear':
        year = num(4, true, elem, 9999);
        break;
      case 'Year': {
        const y = num(2, true, elem, 99);
        year = y >= 69 ? 1900 + y : 2000 + y;
        break;
      }
      case 'LongMonth':
      case 'Month': {
        const r = lookupName(LONG_MONTHS, value, std.k === 'Month' ? 3 : undefined) ?? bad(elem, value);
        month = r[0] + 1;
        value = r[1];
        break;
      }
      case 'NumMonth':
      case 'ZeroMonth':
        month = num(2, std.k === 'ZeroMonth', elem, 12);
        if (month < 1)
          throw new TimeParseError(`parsing time ${JSON.stringify(original)}: month out of range`);
        break;
      case 'LongWeekDay':
      case 'WeekDay':
        value = (lookupName(LONG_DAYS, value, std.k === 'WeekDay' ? 3 : undefined) ?? bad(elem, value))[1];
        break;
      case 'Day':
      case 'UnderDay':
      case 'ZeroDay':
        if (std.k === 'UnderDay' && value.startsWith(' ')) value = value.slice(1);
        day = num(2, std.k === 'ZeroDay', elem, 31);
        break;
      case 'UnderYearDay':
      case 'ZeroYearDay':
        value = value.replace(/^ {1,2}/, '');
        yday = num(3, std.k === 'ZeroYearDay', elem, 366);
        break;
      case 'Hour':
        hour = num(2, false, elem, 23);
        break;
      case 'Hour12':
      case 'ZeroHour12':
        hour = num(2, std.k === 'ZeroHour12', elem, 12);
        break;
      case 'Minute':
      case 'ZeroMinute':
        min = num(2, std.k === 'ZeroMinute', elem, 59);
        break;
      case 'Second':
      case 'ZeroSecond': {
        sec = num(2, std.k === 'ZeroSecond', elem, 59);
        const frac = /^[.,](\d+)/.exec(value);
        if (frac && nextChunk(rest).std?.k !== 'Frac') {
          ms = Math.floor(Number(`0.${frac[1]}`) * 1000);
          value = value.slice(frac[0].length);
        }
        break;
      }
      case 'PM':
      case 'pm': {
        const p = value.slice(0, 2).toUpperCase();
        if (p === 'PM') pmSet = true;
        else if (p === 'AM') amSet = true;
        else bad(elem, value);
        value = value.slice(2);
        break;
      }
      case 'TZ': {
        const m = /^(UTC|GMT|[A-Z]{3,5})([+-]\d{1,2})?/.exec(value) ?? bad(elem, value);
        offset = m[2] ? Number(m[2]) * 3600 : 0;
        value = value.slice(m[0].length);
        break;
      }
      case 'NumTZ': {
        if (std.iso && value.startsWith('Z')) {
          value = value.slice(1);
          offset = 0;
          break;
        }
        const re = std.short
          ? /^([+-])(\d\d)/
          : std.colon
            ? /^([+-])(\d\d):(\d\d)(?::(\d\d))?/
            : /^([+-])(\d\d)(\d\d)(\d\d)?/;
        const m = re.exec(value) ?? bad(elem, value);
        if (std.secs !== (m[4] !== undefined) && !std.short) bad(elem, value);
        const secs = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
        offset = m[1] === '-' ? -secs : secs;
        value = value.slice(m[0].length);
        break;
      }
      case 'Frac': {
        const m = (std.nines ? /^[.,](\d+)/ : new RegExp(`^[.,](\\d{${std.digits}})`)).exec(value);
        if (!m) {
          if (std.nines) break;
          bad(elem, value);
        } else {
          ms = Math.floor(Number(`0.${m[1]}`) * 1000);
          value = value.slice(m[0].length);
        }
        break;
      }
      default:
        break;
    }
  }
  if (pmSet && hour < 12) hour += 12;
  else if (amSet && hour === 12) hour = 0;
  if (yday >= 0) {
    const t = utcDate(year, 1, yday, 0, 0, 0, 0);
    if (t.getUTCFullYear() !== year)
      throw new TimeParseError(`parsing time ${JSON.stringify(original)}: day-of-year out of range`);
    month = t.getUTCMonth() + 1;
    day = t.getUTCDate();
  }
  const t = utcDate(year, month, day, hour, min, sec, ms);
  if (t.getUTCDate() !== day)
    throw new TimeParseError(`parsing time ${JSON.stringify(original)}: day out of range`);
  return new Date(t.getTime() - (offset ?? 0) * 1000);
}

/** Go's `skip`: matches literal layout text; a space matches a run of spaces. */
function skipPrefix(value: string, prefix: string): string | undefined {
  while (prefix.length > 0) {
    if (prefix[0] === ' ') {
      if (value.length > 0 && value[0] !== ' ') return undefined;
      prefix = prefix.replace(/^ +/, '');
      value = value.replace(/^ +/, '');
      continue;
    }
    if (value[0] !== prefix[0]) return undefined;
    prefix = prefix.slice(1);
    value = value.slice(1);
  }
  return value;
}

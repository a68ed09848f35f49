/**
 * Date functions (Sprig v3) over an injected clock. Layouts are Go reference-time layouts
 * (`2006-01-02T15:04:05Z07:00`); "Local" is UTC, other zones come from the built-in IANA data
 * (an unknown zone falls back to UTC, as Sprig does). A time argument may be a Date or Unix
 * seconds; anything else means "now", as in Sprig.
 */

import { type FunctionMap, fail, fn, isNil, strArg, toInt64 } from './args.js';
import { formatGoDuration, formatGoTime, parseGoDuration, UTC, zeroTime, zoneAt } from './go-time.js';
import { parseGoTime, TimeParseError } from './go-time-parse.js';

function asTime(v: unknown, now: () => Date): Date {
  if (v instanceof Date) return v;
  if (typeof v === 'number' && Number.isFinite(v)) return new Date(Math.trunc(v) * 1000);
  if (typeof v === 'bigint') return new Date(Number(v) * 1000);
  return now();
}

function inZone(layout: string, date: Date, zone: string): string {
  return formatGoTime(date, layout, zoneAt(zone, date) ?? UTC);
}

function requireTime(v: unknown, name: string): Date {
  if (v instanceof Date) return v;
  if (isNil(v)) fail(`${name}: invalid value; expected time.Time`);
  return fail(`${name}: wrong type for value; expected time.Time`);
}

function modify(modifier: string, date: Date, must: boolean): Date {
  const ns = parseGoDuration(modifier);
  if (ns === undefined) {
    if (must) fail(`time: invalid duration ${JSON.stringify(modifier)}`);
    return date;
  }
  return new Date(date.getTime() + Math.trunc(ns / 1e6));
}

function toDate(layout: string, value: string, must: boolean): Date {
  try {
    return parseGoTime(layout, value);
  } catch (err) {
    if (!(err instanceof TimeParseError)) throw err;
    if (must) fail(err.message);
    return zeroTime();
  }
}

/** Date functions; `now` is the injected clock. */
export function dateFunctions(now: () => Date): FunctionMap {
  const m: FunctionMap = {
    now: fn(0, 0, () => new Date(now().getTime())),
    date: fn(2, 2, ([f, d]) => inZone(strArg(f), asTime(d, now), 'Local')),
    dateInZone: fn(3, 3, ([f, d, z]) => inZone(strArg(f), asTime(d, now), strArg(z))),
    htmlDate: fn(1, 1, ([d]) => inZone('2006-01-02', asTime(d, now), 'Local')),
    htmlDateInZone: fn(2, 2, ([d, z]) => inZone('2006-01-02', asTime(d, now), strArg(z))),
    toDate: fn(2, 2, ([f, s]) => toDate(strArg(f), strArg(s), false)),
    mustToDate: fn(2, 2, ([f, s]) => toDate(strArg(f), strArg(s), true)),
    unixEpoch: fn(1, 1, ([d]) => String(Math.floor(requireTime(d, 'unixEpoch').getTime() / 1000))),
    dateModify: fn(2, 2, ([mod, d]) => modify(strArg(mod), requireTime(d, 'dateModify'), false)),
    mustDateModify: fn(2, 2, ([mod, d]) => modify(strArg(mod), requireTime(d, 'mustDateModify'), true)),
    ago: fn(1, 1, ([d]) => {
      const ms = now().getTime() - asTime(d, now).getTime();
      return formatGoDuration(Math.round(ms / 1000) * 1e9);
    }),
    duration: fn(1, 1, ([s]) => formatGoDuration(toInt64(typeof s === 'string' ? s.trim() : s) * 1e9)),
  };
  m.date_in_zone = m.dateInZone!;
  m.date_modify = m.dateModify!;
  m.must_date_modify = m.mustDateModify!;
  return m;
}

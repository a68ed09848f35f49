/**
 * Durations and ages as kubectl prints them: `k8s.io/apimachinery/pkg/util/duration`
 * (`HumanDuration` for the AGE columns, `ShortHumanDuration` for describe's ages) and the
 * printers' `translateTimestampSince` (`<unknown>` for a missing timestamp).
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Go's integer conversion of a float: truncation toward zero. */
const trunc = (x: number): number => Math.trunc(x);

/**
 * `duration.HumanDuration`: about two or three significant figures (`5s`, `119s`, `2m3s`, `45m`,
 * `3h2m`, `10h`, `2d5h`, `10d`, `2y3d`, `9y`); `<invalid>` for more than a second in the future.
 */
export function humanDuration(ms: number): string {
  const seconds = trunc(ms / SECOND);
  // Up to two seconds in the future reads as "now": clocks differ between machines.
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = trunc(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = trunc(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${trunc(hours / 24)}d` : `${trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = trunc(hours / 24) % 365;
    const years = trunc(hours / 24 / 365);
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${trunc(hours / 24 / 365)}y`;
}

/** `duration.ShortHumanDuration`: one unit (`5s`, `45m`, `3h`, `10d`, `2y`). */
export function shortHumanDuration(ms: number): string {
  const seconds = trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60) return `${seconds}s`;
  const minutes = trunc(ms / MINUTE);
  if (minutes < 60) return `${minutes}m`;
  const hours = trunc(ms / HOUR);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${trunc(hours / 24)}d`;
  return `${trunc(ms / HOUR / 24 / 365)}y`;
}

/** Milliseconds since the epoch of an RFC 3339 timestamp, or `undefined` when absent or unparsable. */
export function parseTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

/** The printers' `translateTimestampSince`: the age of a timestamp, `<unknown>` when it is missing. */
export function age(timestamp: unknown, now: number): string {
  const t = parseTime(timestamp);
  return t === undefined ? '<unknown>' : humanDuration(now - t);
}

/** An RFC 3339 timestamp in UTC to the second, as Go formats `time.RFC3339` (the `CREATED AT` cells). */
export function rfc3339(timestamp: unknown): string {
  const t = parseTime(timestamp);
  // Go's zero time.
  if (t === undefined) return '0001-01-01T00:00:00Z';
  return `${new Date(t).toISOString().slice(0, 19)}Z`;
}

/**
 * Go durations as kubectl reads and prints them (`--since=5m`, `--timeout=1m30s`, `age: 2m3s`):
 * `time.ParseDuration` and `time.Duration.String`, in milliseconds.
 */

const UNITS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * Parses a Go duration (`30s`, `5m`, `1h30m`, `1.5h`, `-2s`, `0`) into milliseconds; undefined
 * when `text` is not one (Go's `time: invalid duration`). A bare number other than 0 has no unit
 * and is refused, as Go refuses it.
 */
export function parseGoDuration(text: string): number | undefined {
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest[0] === '-') sign = -1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  const part = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/;
  let total = 0;
  while (rest !== '') {
    const m = part.exec(rest);
    if (m === null) return undefined;
    total += Number(m[1]) * UNITS[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return sign * total;
}

/** Trims a fraction's trailing zeros: `1.500` → `1.5`, `2.000` → `2`. */
function trimmed(value: number, digits: number): string {
  return value.toFixed(digits).replace(/\.?0+$/, '');
}

/**
 * Go's `Duration.String()` of `ms` milliseconds: `5m0s`, `1h30m0s`, `2.5s`, `500ms`, `0s`
 * (sub-millisecond precision is not kept).
 */
export function formatGoDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 0) return `-${formatGoDuration(-ms)}`;
  const whole = Math.round(ms);
  if (whole === 0) return '0s';
  if (whole < 1000) return `${whole}ms`;
  const hours = Math.floor(whole / 3_600_000);
  const minutes = Math.floor((whole % 3_600_000) / 60_000);
  const seconds = (whole % 60_000) / 1000;
  const s = `${trimmed(seconds, 3)}s`;
  if (hours > 0) return `${hours}h${minutes}m${s}`;
  if (minutes > 0) return `${minutes}m${s}`;
  return s;
}

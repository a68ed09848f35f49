/**
 * Small helpers the image behaviours share: stable pseudo-random numbers derived from names (so
 * the same pod always logs the same ping times and finds the same coins), the time formats the
 * images' logs use, and the placeholders of the catalog's log lines.
 */

import { createHash } from 'node:crypto';

/** Hex SHA-256 of a text. */
export function sha256Hex(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A stable number in [0, 1) derived from `parts` (FNV-1a, then a final mix). */
export function unitHash(...parts: readonly (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const text = String(part);
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    h = Math.imul(h ^ 0x2c, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d) >>> 0;
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b) >>> 0;
  h ^= h >>> 16;
  return (h >>> 0) / 0x100000000;
}

/** A stable integer in [min, max] derived from `parts`. */
export function intHash(min: number, max: number, ...parts: readonly (string | number)[]): number {
  return min + Math.floor(unitHash(...parts) * (max - min + 1));
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Time formats of the images' logs and commands (all UTC, as in containers). */
export const timeFormats = {
  /** `2025-03-01T12:00:00.000Z` */
  iso: (ms: number): string => new Date(ms).toISOString(),
  /** `2025-03-01T12:00:00Z` */
  rfc3339: (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  /** klog's header: `I0301 12:00:00.000000       1` (severity, date, time, thread id). */
  klog: (ms: number, severity = 'I'): string => {
    const d = new Date(ms);
    return `${severity}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())} ${timeOfDay(d)}.${pad(d.getUTCMilliseconds(), 3)}000       1`;
  },
  /** nginx's error log: `2025/03/01 12:00:00` */
  nginx: (ms: number): string => {
    const d = new Date(ms);
    return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${timeOfDay(d)}`;
  },
  /** Apache common log: `01/Mar/2025:12:00:00 +0000` */
  clf: (ms: number): string => {
    const d = new Date(ms);
    return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${timeOfDay(d)} +0000`;
  },
  /** Python's http.server / werkzeug: `01/Mar/2025 12:00:00` */
  werkzeug: (ms: number): string => {
    const d = new Date(ms);
    return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()} ${timeOfDay(d)}`;
  },
  /** redis: `01 Mar 2025 12:00:00.000` */
  redis: (ms: number): string => {
    const d = new Date(ms);
    return `${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${timeOfDay(d)}.${pad(d.getUTCMilliseconds(), 3)}`;
  },
  /** Elasticsearch / log4j: `2025-03-01 12:00:00,000` */
  log4j: (ms: number): string => {
    const d = new Date(ms);
    return `${d.toISOString().slice(0, 10)} ${timeOfDay(d)},${pad(d.getUTCMilliseconds(), 3)}`;
  },
  /** PostgreSQL: `2025-03-01 12:00:00.000` */
  pg: (ms: number): string => timeFormats.log4j(ms).replace(',', '.'),
  /** The MySQL entrypoint: `2025-03-01 12:00:00+00:00` */
  mysql: (ms: number): string =>
    `${new Date(ms).toISOString().slice(0, 10)} ${timeOfDay(new Date(ms))}+00:00`,
  /** weave / Go's log package: `2025/03/01 12:00:00.000000` */
  golog: (ms: number): string => `${timeFormats.nginx(ms)}.${pad(new Date(ms).getUTCMilliseconds(), 3)}000`,
  /** `date`: `Sat Mar  1 12:00:00 UTC 2025` */
  date: (ms: number): string => {
    const d = new Date(ms);
    return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${timeOfDay(d)} UTC ${d.getUTCFullYear()}`;
  },
  /** `ls -l`: `Mar  1 12:00` */
  ls: (ms: number): string => {
    const d = new Date(ms);
    return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  },
};

function timeOfDay(d: Date): string {
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** What a catalog log line's placeholders stand for. */
export interface TemplateValues {
  readonly pod: string;
  readonly ip: string;
  readonly namespace: string;
  readonly node: string;
  readonly version: string;
  readonly port: string;
  /** The line's time (ms since the epoch). */
  readonly time: number;
}

/**
 * Fills a catalog line: `{pod}`, `{ip}`, `{namespace}`, `{node}`, `{version}`, `{port}`, and the
 * line's time as `{klog}`, `{iso}`, `{rfc3339}`, `{nginx}`, `{redis}`, `{log4j}`, `{golog}`,
 * `{werkzeug}`, `{clf}`, `{epoch}`.
 */
export function fillTemplate(line: string, values: TemplateValues): string {
  return line.replace(/\{([a-z0-9]+)\}/g, (whole, key: string) => {
    switch (key) {
      case 'pod':
        return values.pod;
      case 'ip':
        return values.ip;
      case 'namespace':
        return values.namespace;
      case 'node':
        return values.node;
      case 'version':
        return values.version;
      case 'port':
        return values.port;
      case 'epoch':
        return (values.time / 1000).toFixed(3);
      default: {
        const format = (timeFormats as Record<string, ((ms: number) => string) | undefined>)[key];
        return format === undefined ? whole : format(values.time);
      }
    }
  });
}

/** A stable `0x7f…` address, as Python prints object ids. */
export function pyAddress(seed: string): string {
  return `0x7f${sha256Hex(seed).slice(0, 10)}`;
}

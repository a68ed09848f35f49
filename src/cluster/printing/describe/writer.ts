/**
 * The text machinery of `kubectl describe` (`kubectl/pkg/describe/describe.go`): a prefix writer
 * (two spaces per level) over a tab writer (`tabwriter.NewWriter(out, 0, 8, 2, ' ', 0)`) that is
 * flushed before the Events table, and the shared sections: labels, annotations, taints,
 * tolerations, events, dates.
 */

import { age } from '../duration.js';
import { formatLabels } from '../selectors.js';
import { alignTabs, DESCRIBE_TABWRITER } from '../tabwriter.js';
import { get, list, num, optNum, str, strMap } from '../values.js';

/** describe's indentation levels. */
export const LEVEL_0 = 0;
export const LEVEL_1 = 1;
export const LEVEL_2 = 2;
export const LEVEL_3 = 3;

/** Writes describe text at indentation levels; `toString()` aligns it as kubectl's tab writer does. */
export class PrefixWriter {
  private done = '';
  private pending = '';

  /** Writes `text` indented by `level` (two spaces each), escaping terminal control characters. */
  write(level: number, text: string): void {
    this.pending += `${'  '.repeat(level)}${text}`.replaceAll('\x1b', '^[').replaceAll('\r', '\\r');
  }

  /** Writes `text` and a newline, without indentation. */
  writeLine(text: string): void {
    this.write(LEVEL_0, `${text}\n`);
  }

  /** Aligns what was written so far; later text forms new column blocks. */
  flush(): void {
    this.done += alignTabs(this.pending, DESCRIBE_TABWRITER);
    this.pending = '';
  }

  /** The aligned text. */
  toString(): string {
    return this.done + alignTabs(this.pending, DESCRIBE_TABWRITER);
  }
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');

/** Go's `time.RFC1123Z` in UTC: `Wed, 01 May 2024 12:00:00 +0000`; Go's zero time when absent. */
export function rfc1123z(timestamp: unknown): string {
  const t = typeof timestamp === 'string' ? Date.parse(timestamp) : Number.NaN;
  if (Number.isNaN(t)) return 'Mon, 01 Jan 0001 00:00:00 +0000';
  const d = new Date(t);
  return `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** Go's `%v` of a string slice: `[a b]`. */
export const goList = (values: readonly unknown[]): string => `[${values.map((v) => String(v)).join(' ')}]`;

/** `printLabelsMultilineWithIndent`: `Title:\tk=v` then one `k=v` per line, `<none>` when empty. */
export function printLabels(
  w: PrefixWriter,
  title: string,
  labels: Readonly<Record<string, string>>,
  initialIndent = '',
  innerIndent = '\t',
): void {
  w.write(LEVEL_0, `${initialIndent}${title}:${innerIndent}`);
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) {
    w.writeLine('<none>');
    return;
  }
  keys.forEach((key, i) => {
    if (i !== 0) w.write(LEVEL_0, `${initialIndent}${innerIndent}`);
    w.write(LEVEL_0, `${key}=${labels[key]}\n`);
  });
}

const MAX_ANNOTATION_LEN = 140;
const SKIPPED_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);

/** `printAnnotationsMultiline`: `key: value` per line, long or multi-line values indented below. */
export function printAnnotations(
  w: PrefixWriter,
  title: string,
  annotations: Readonly<Record<string, string>>,
): void {
  w.write(LEVEL_0, `${title}:\t`);
  const keys = Object.keys(annotations)
    .filter((k) => !SKIPPED_ANNOTATIONS.has(k))
    .sort();
  if (keys.length === 0) {
    w.writeLine('<none>');
    return;
  }
  keys.forEach((key, i) => {
    if (i !== 0) w.write(LEVEL_0, '\t');
    const value = annotations[key]!.replace(/\n$/, '');
    if (value.length + key.length + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(LEVEL_0, `${key}:\n`);
      for (const s of value.split('\n')) {
        const short = s.length > MAX_ANNOTATION_LEN - 2 ? `${s.slice(0, MAX_ANNOTATION_LEN - 2)}...` : s;
        w.write(LEVEL_0, `\t  ${short}\n`);
      }
    } else {
      w.write(LEVEL_0, `${key}: ${value}\n`);
    }
  });
}

/** Labels and annotations of `obj.metadata` under the usual titles. */
export function printMetadata(w: PrefixWriter, obj: unknown): void {
  printLabels(w, 'Labels', strMap(obj, 'metadata', 'labels'));
  printAnnotations(w, 'Annotations', strMap(obj, 'metadata', 'annotations'));
}

/** `Taint.ToString()`: `key=value:effect`. */
export function taintString(t: unknown): string {
  const value = str(t, 'value');
  const effect = str(t, 'effect');
  const kv = value === '' ? str(t, 'key') : `${str(t, 'key')}=${value}`;
  return effect === '' ? kv : `${kv}:${effect}`;
}

/** `printNodeTaintsMultiline`: taints sorted by effect then key. */
export function printTaints(w: PrefixWriter, title: string, taints: readonly unknown[]): void {
  w.write(LEVEL_0, `${title}:\t`);
  if (taints.length === 0) {
    w.writeLine('<none>');
    return;
  }
  const key = (t: unknown) => `${str(t, 'effect')},${str(t, 'key')}`;
  [...taints]
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
    .forEach((t, i) => {
      if (i !== 0) w.write(LEVEL_0, '\t');
      w.write(LEVEL_0, `${taintString(t)}\n`);
    });
}

/** `printTolerationsMultilineWithIndent`: `key=value:effect op=Exists for 300s`, sorted by key. */
export function printTolerations(
  w: PrefixWriter,
  title: string,
  tolerations: readonly unknown[],
  initialIndent = '',
): void {
  w.write(LEVEL_0, `${initialIndent}${title}:\t`);
  if (tolerations.length === 0) {
    w.writeLine('<none>');
    return;
  }
  [...tolerations]
    .sort((a, b) => (str(a, 'key') < str(b, 'key') ? -1 : str(a, 'key') > str(b, 'key') ? 1 : 0))
    .forEach((t, i) => {
      if (i !== 0) w.write(LEVEL_0, `${initialIndent}\t`);
      let text = str(t, 'key');
      if (str(t, 'value') !== '') text += `=${str(t, 'value')}`;
      if (str(t, 'effect') !== '') text += `:${str(t, 'effect')}`;
      if (str(t, 'operator') === 'Exists' && str(t, 'value') === '') {
        text += str(t, 'key') !== '' || str(t, 'effect') !== '' ? ' op=Exists' : 'op=Exists';
      }
      const seconds = optNum(t, 'tolerationSeconds');
      if (seconds !== undefined) text += ` for ${seconds}s`;
      w.write(LEVEL_0, `${text}\n`);
    });
}

/** When an event last happened, for ordering (`SortableEvents`). */
function eventTime(e: unknown): number {
  const series = get(e, 'series');
  const t =
    series !== undefined && series !== null
      ? str(series, 'lastObservedTime')
      : str(e, 'lastTimestamp') || str(e, 'eventTime');
  return t === '' ? Number.NEGATIVE_INFINITY : Date.parse(t);
}

/** `DescribeEvents`: the Events table (oldest first), or `Events:\t<none>`. */
export function describeEvents(w: PrefixWriter, events: readonly unknown[], now: number): void {
  if (events.length === 0) {
    w.write(LEVEL_0, 'Events:\t<none>\n');
    return;
  }
  w.flush();
  const sorted = [...events].sort((a, b) => eventTime(a) - eventTime(b));
  w.write(LEVEL_0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(LEVEL_1, '----\t------\t----\t----\t-------\n');
  for (const e of sorted) {
    const eventTimeText = str(e, 'eventTime');
    const first = eventTimeText !== '' ? age(eventTimeText, now) : age(get(e, 'firstTimestamp'), now);
    const series = get(e, 'series');
    let interval = first;
    if (series !== undefined && series !== null) {
      interval = `${age(get(series, 'lastObservedTime'), now)} (x${num(series, 'count')} over ${first})`;
    } else if (num(e, 'count') > 1) {
      interval = `${age(get(e, 'lastTimestamp'), now)} (x${num(e, 'count')} over ${first})`;
    }
    const source = str(e, 'source', 'component') || str(e, 'reportingController');
    w.write(
      LEVEL_1,
      `${str(e, 'type')}\t${str(e, 'reason')}\t${interval}\t${source}\t${str(e, 'message').trim()}\n`,
    );
  }
}

/** `printController`: `Kind/name` of the controlling owner, `''` when none. */
export function controllerOf(obj: unknown): string {
  const ref = list(obj, 'metadata', 'ownerReferences').find((r) => get(r, 'controller') === true);
  return ref === undefined ? '' : `${str(ref, 'kind')}/${str(ref, 'name')}`;
}

/** `labels.FormatLabels` of a map field. */
export const formatLabelsOf = (obj: unknown, ...path: string[]): string => formatLabels(strMap(obj, ...path));

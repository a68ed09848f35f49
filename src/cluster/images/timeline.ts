/**
 * What a container's main process does over time, as data the logs are read from: the lines it
 * prints at known offsets from its start, then how it ends — it exits, it waits forever in
 * silence, it repeats a loop body every `period` ms (`ping`, `while true; do …; sleep 5; done`,
 * the DockerCoins worker), or it hands over to a server (`sh -c "…; exec nginx"`). Loops are
 * read lazily, so `kubectl logs --tail 1` of a pod that pinged for a week costs one iteration.
 */

import type { ContainerContext, HttpAnswer, HttpRequest, LogLine, ProcessBehaviour } from './types.js';

/** A line at an offset (ms) from a reference time. */
export interface TimedLine {
  readonly at: number;
  readonly text: string;
  readonly stream: 'stdout' | 'stderr';
}

/** A change to the container's own filesystem (`touch`, `echo … > f`, `rm`). */
export interface FileEvent {
  readonly at: number;
  readonly path: string;
  /** The content after the change; undefined when removed. */
  readonly content?: string;
}

/** A server process: what `ProcessBehaviour` says about it, minus `exec` (the image provides that). */
export type AppProcess = Omit<ProcessBehaviour, 'exec' | 'startError'>;

/** How a main process ends. */
export type TimelineEnd =
  | { readonly kind: 'exit'; readonly at: number; readonly code: number }
  | { readonly kind: 'forever'; readonly at: number }
  | {
      readonly kind: 'loop';
      readonly at: number;
      readonly period: number;
      /** The lines of iteration `n`, at offsets from the iteration's start. */
      iteration(n: number): readonly TimedLine[];
    }
  | { readonly kind: 'app'; readonly at: number; readonly app: AppProcess };

/** A main process, evaluated. */
export interface Timeline {
  readonly head: readonly TimedLine[];
  readonly files: readonly FileEvent[];
  readonly end: TimelineEnd;
  /** The outcome depends on the cluster (a loop waiting for a name): worth re-evaluating later. */
  readonly recheckMs?: number;
}

/** The kubelet's container log rotation size (`containerLogMaxSize`, 10 MiB). */
export const MAX_LOG_BYTES = 10 * 1024 * 1024;

/** What `logs` may be limited to. */
export interface LogWindow {
  readonly sinceMs?: number;
  readonly tailLines?: number;
}

/**
 * The lines of a periodic source between `from` (absolute ms, its first iteration) and `until`,
 * read from the newest iteration back as far as the window and the size cap allow.
 */
export function periodicLines(
  from: number,
  period: number,
  iteration: (n: number) => readonly TimedLine[],
  until: number,
  window: LogWindow | undefined,
): LogLine[] {
  if (until < from || period <= 0) return [];
  const since = window?.sinceMs ?? Number.NEGATIVE_INFINITY;
  const wanted = window?.tailLines ?? Number.POSITIVE_INFINITY;
  const last = Math.floor((until - from) / period);
  const first = Number.isFinite(since) ? Math.max(0, Math.floor((since - from) / period)) : 0;
  const chunks: LogLine[][] = [];
  let count = 0;
  let bytes = 0;
  for (let n = last; n >= first; n--) {
    const start = from + n * period;
    const lines: LogLine[] = [];
    for (const line of iteration(n)) {
      const time = start + line.at;
      if (time > until || time < since) continue;
      lines.push({ time, text: line.text, stream: line.stream });
      bytes += line.text.length + 1;
    }
    chunks.push(lines);
    count += lines.length;
    if (count >= wanted || bytes >= MAX_LOG_BYTES) break;
  }
  const out: LogLine[] = [];
  for (let i = chunks.length - 1; i >= 0; i--) out.push(...chunks[i]!);
  return out;
}

/** Applies a window and the size cap to lines in time order. */
export function windowed(lines: readonly LogLine[], window: LogWindow | undefined): LogLine[] {
  let out = lines as LogLine[];
  if (window?.sinceMs !== undefined) {
    const since = window.sinceMs;
    out = out.filter((l) => l.time >= since);
  }
  if (window?.tailLines !== undefined) out = window.tailLines <= 0 ? [] : out.slice(-window.tailLines);
  let bytes = 0;
  for (let i = out.length - 1; i >= 0; i--) {
    bytes += out[i]!.text.length + 1;
    if (bytes > MAX_LOG_BYTES) return out.slice(i + 1);
  }
  return out === lines ? [...out] : out;
}

/** The log of a timeline started at `startedAt`, up to `until`. */
export function timelineLogs(
  timeline: Timeline,
  ctx: ContainerContext,
  startedAt: number,
  until: number,
  window: LogWindow | undefined,
): LogLine[] {
  const head: LogLine[] = [];
  for (const line of timeline.head) {
    const time = startedAt + line.at;
    if (time <= until) head.push({ time, text: line.text, stream: line.stream });
  }
  const end = timeline.end;
  let tail: readonly LogLine[] = [];
  if (end.kind === 'loop') tail = periodicLines(startedAt + end.at, end.period, end.iteration, until, window);
  else if (end.kind === 'app' && startedAt + end.at <= until)
    tail = end.app.logs(ctx, startedAt + end.at, until, window);
  return windowed([...head, ...tail], window);
}

/** The HTTP answer of a timeline's server, once it has taken over. */
export function timelineHttp(
  timeline: Timeline,
  request: HttpRequest,
  ctx: ContainerContext,
): HttpAnswer | undefined {
  return timeline.end.kind === 'app' ? timeline.end.app.http(request, ctx) : undefined;
}

/** The files a timeline wrote, as they are `offset` ms after its start. */
export function filesAt(timeline: Timeline, offset: number): Map<string, string> {
  const files = new Map<string, string>();
  for (const event of timeline.files) {
    if (event.at > offset) break;
    if (event.content === undefined) files.delete(event.path);
    else files.set(event.path, event.content);
  }
  return files;
}

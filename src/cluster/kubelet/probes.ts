/**
 * Container probes (startup, readiness, liveness), as the kubelet's probe workers run them:
 * every `periodSeconds` from `initialDelaySeconds` after the container started; the startup probe
 * gates the other two; readiness turns true after `successThreshold` successes in a row and false
 * after `failureThreshold` failures; liveness (or startup) failing `failureThreshold` times in a
 * row kills the container.
 *
 * A probe's outcome is read from the image catalog's behaviour: before the process's ports are up
 * (`startupMs` after the start) HTTP and TCP probes are refused; after that the outcome is steady
 * (what the behaviour answers now). So a container's probe history is a pure function of its start
 * time, and the kubelet recomputes it instead of storing counters: it walks the probe ticks from
 * the start (a few, since after the start-up the results no longer change) to find the current
 * flags, the failures to report and the next tick where something changes.
 */

import { isJsonObject, type JsonObject } from '../api/machinery/json-values.js';
import type { RunningProcess } from './behaviour.js';
import { isOpaque } from './behaviour.js';

/** Which probe. */
export type ProbeKind = 'startup' | 'readiness' | 'liveness';

/** A probe of a container, with Kubernetes' defaults applied. */
export interface ProbeConfig {
  readonly kind: ProbeKind;
  readonly delayMs: number;
  readonly periodMs: number;
  readonly timeoutMs: number;
  readonly successThreshold: number;
  readonly failureThreshold: number;
  /** The probe object (`httpGet`, `tcpSocket`, `exec`, `grpc`). */
  readonly spec: JsonObject;
}

/** One probe's result. */
export interface ProbeResult {
  readonly ok: boolean;
  /** Why it failed (the `Unhealthy` event's text after `Liveness probe failed: `). */
  readonly message: string;
}

const num = (v: unknown, fallback: number): number =>
  typeof v === 'number' && Number.isFinite(v) ? v : fallback;

const KINDS: readonly [ProbeKind, string][] = [
  ['startup', 'startupProbe'],
  ['readiness', 'readinessProbe'],
  ['liveness', 'livenessProbe'],
];

/** The probes a container declares. */
export function probesOf(container: JsonObject): ProbeConfig[] {
  const out: ProbeConfig[] = [];
  for (const [kind, field] of KINDS) {
    const p = container[field];
    if (!isJsonObject(p)) continue;
    out.push({
      kind,
      delayMs: Math.max(0, num(p.initialDelaySeconds, 0)) * 1000,
      periodMs: Math.max(1, num(p.periodSeconds, 10)) * 1000,
      timeoutMs: Math.max(1, num(p.timeoutSeconds, 1)) * 1000,
      successThreshold: kind === 'readiness' ? Math.max(1, num(p.successThreshold, 1)) : 1,
      failureThreshold: Math.max(1, num(p.failureThreshold, 3)),
      spec: p,
    });
  }
  return out;
}

/** The capitalised probe name of events (`Liveness probe failed: …`). */
export const probeTitle = (kind: ProbeKind): string =>
  kind === 'startup' ? 'Startup' : kind === 'readiness' ? 'Readiness' : 'Liveness';

/** Whether a probe's result depends on the process's ports being up (HTTP, TCP, gRPC). */
export const usesPorts = (probe: ProbeConfig): boolean => !isJsonObject(probe.spec.exec);

/** A port number, or a named port of the container. */
function portOf(value: unknown, containerPorts: readonly JsonObject[]): number | undefined {
  if (typeof value === 'number') return value;
  const text = String(value ?? '');
  if (/^\d+$/.test(text)) return Number(text);
  const named = containerPorts.find((p) => p.name === text);
  return typeof named?.containerPort === 'number' ? named.containerPort : undefined;
}

const refused = (host: string, port: number): string =>
  `dial tcp ${host}:${port}: connect: connection refused`;

/**
 * Runs a probe once against a running process. `up` says whether its ports answer yet;
 * `podIP` is where HTTP and TCP probes connect (unless the probe names a host).
 */
export function runProbe(
  probe: ProbeConfig,
  process: RunningProcess,
  podIP: string,
  up: boolean,
  containerPorts: readonly JsonObject[],
  now: number,
): ProbeResult {
  const behaviour = process.behaviour;
  const context = { ...process.context, now };
  const opaque = isOpaque(behaviour);
  const spec = probe.spec;
  if (isJsonObject(spec.exec)) {
    if (opaque) return { ok: true, message: '' };
    const argv = Array.isArray(spec.exec.command) ? spec.exec.command.map(String) : [];
    const result = behaviour.exec(argv, context);
    if ((result.durationMs ?? 0) > probe.timeoutMs) {
      return { ok: false, message: `command ${JSON.stringify(argv.join(' '))} timed out` };
    }
    if (result.exitCode === 0) return { ok: true, message: '' };
    const output = `${result.stdout}${result.stderr}`.replace(/\s+$/, '');
    return { ok: false, message: output === '' ? `command exited with ${result.exitCode}` : output };
  }
  const http = isJsonObject(spec.httpGet) ? spec.httpGet : undefined;
  const tcp = http === undefined && isJsonObject(spec.tcpSocket) ? spec.tcpSocket : undefined;
  const grpc = http === undefined && tcp === undefined && isJsonObject(spec.grpc) ? spec.grpc : undefined;
  const handler = http ?? tcp ?? grpc ?? {};
  const host = typeof handler.host === 'string' && handler.host !== '' ? handler.host : podIP;
  const port = portOf(handler.port, containerPorts);
  if (port === undefined) {
    return { ok: false, message: `unable to find port ${JSON.stringify(String(handler.port ?? ''))}` };
  }
  if (opaque) return { ok: true, message: '' };
  const listening = up && behaviour.ports.some((p) => p.port === port && p.protocol === 'TCP');
  if (http !== undefined) {
    const scheme = String(http.scheme ?? 'HTTP').toLowerCase();
    const rawPath = String(http.path ?? '/');
    const path = rawPath.startsWith('/') ? rawPath : `/${rawPath}`;
    const url = `${scheme}://${host}:${port}${path}`;
    if (!up) return { ok: false, message: `Get ${JSON.stringify(url)}: ${refused(host, port)}` };
    const headers: Record<string, string> = { 'User-Agent': 'kube-probe/1.34', Accept: '*/*' };
    if (Array.isArray(http.httpHeaders)) {
      for (const h of http.httpHeaders) if (isJsonObject(h)) headers[String(h.name)] = String(h.value ?? '');
    }
    // The kubelet connects from the node's end of the pod network (the bridge, `.1`).
    const clientIP = host.replace(/\.\d+$/, '.1');
    const answer = behaviour.http({ method: 'GET', path, port, headers, clientIP }, context);
    if (answer === undefined) {
      return listening
        ? { ok: false, message: `Get ${JSON.stringify(url)}: EOF` }
        : { ok: false, message: `Get ${JSON.stringify(url)}: ${refused(host, port)}` };
    }
    if ((answer.delayMs ?? 0) > probe.timeoutMs) {
      return {
        ok: false,
        message: `Get ${JSON.stringify(url)}: context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
      };
    }
    if (answer.status >= 200 && answer.status < 400) return { ok: true, message: '' };
    return { ok: false, message: `HTTP probe failed with statuscode: ${answer.status}` };
  }
  if (listening) return { ok: true, message: '' };
  if (grpc !== undefined) {
    return {
      ok: false,
      message: `timeout: failed to connect service "${host}:${port}" within ${probe.timeoutMs / 1000}s`,
    };
  }
  return { ok: false, message: refused(host, port) };
}

/** What the probes of one container run did, and do next. */
export interface ProbeWalk {
  /** The startup probe succeeded (or there is none). */
  readonly started: boolean;
  /** Readiness (without a readiness probe: started). */
  readonly ready: boolean;
  /** The kill a liveness or startup probe ordered, at or before now. */
  readonly kill?: { readonly at: number; readonly kind: 'liveness' | 'startup' };
  /** Failed probes after `from` and up to now, in order. */
  readonly failures: readonly { readonly at: number; readonly kind: ProbeKind; readonly message: string }[];
  /** The next tick after now where something shows (a failure to report, a change), if any. */
  readonly next?: number;
}

/** The inputs of {@link walkProbes}. */
export interface ProbeWalkInput {
  /** When the container started (ms). */
  readonly start: number;
  /** When its ports answer (ms). */
  readonly up: number;
  /** When it exits by itself, if it does (ms): no probe runs from then on. */
  readonly end?: number;
  readonly now: number;
  /** Failures at or before this time were reported already. */
  readonly from: number;
  readonly probes: readonly ProbeConfig[];
  /** The outcome of a probe while the ports are down, and once they are up. */
  outcome(probe: ProbeConfig, up: boolean): ProbeResult;
}

interface Worker {
  readonly probe: ProbeConfig;
  tick: number;
  successes: number;
  failures: number;
  down?: ProbeResult;
  steady?: ProbeResult;
}

/** Ticks examined past the start-up before a state is called stable. */
const STABLE_TICKS = 2;
/** A bound on the ticks one walk examines. */
const MAX_TICKS = 100_000;

/** Replays a container's probes from its start (see the module comment). */
export function walkProbes(input: ProbeWalkInput): ProbeWalk {
  const workers: Worker[] = input.probes.map((probe) => ({
    probe,
    tick: input.start + probe.delayMs,
    successes: 0,
    failures: 0,
  }));
  const startup = workers.find((w) => w.probe.kind === 'startup');
  const readiness = workers.find((w) => w.probe.kind === 'readiness');
  const liveness = workers.find((w) => w.probe.kind === 'liveness');
  let started = startup === undefined;
  let ready = readiness === undefined ? started : false;
  let kill: { at: number; kind: 'liveness' | 'startup' } | undefined;
  let next: number | undefined;
  let atNow: { started: boolean; ready: boolean } | undefined;
  const failures: { at: number; kind: ProbeKind; message: string }[] = [];
  const result = (w: Worker, t: number): ProbeResult => {
    const up = !usesPorts(w.probe) || t >= input.up;
    if (up) return (w.steady ??= input.outcome(w.probe, true));
    return (w.down ??= input.outcome(w.probe, false));
  };
  let quietAfterUp = 0;
  for (let n = 0; n < MAX_TICKS; n++) {
    let t = Number.POSITIVE_INFINITY;
    for (const w of workers) {
      if ((w === startup) === started) continue;
      if (w.tick < t) t = w.tick;
    }
    if (!Number.isFinite(t) || (input.end !== undefined && t >= input.end)) break;
    const future = t > input.now;
    if (future) atNow ??= { started, ready };
    let interesting = false;
    const readyBefore = ready;
    const startedBefore = started;
    for (const w of workers) {
      if (w.tick !== t || (w === startup) === startedBefore) continue;
      w.tick += w.probe.periodMs;
      const r = result(w, t);
      if (r.ok) {
        w.successes++;
        w.failures = 0;
      } else {
        // Readiness keeps failing quietly once it has reported failureThreshold failures in a row.
        const reported = w !== readiness || ready || w.failures < w.probe.failureThreshold;
        w.failures++;
        w.successes = 0;
        if (reported) {
          interesting = true;
          if (!future && t > input.from) failures.push({ at: t, kind: w.probe.kind, message: r.message });
        }
      }
      if (w === startup && w.successes >= 1) started = true;
      if (w === readiness) {
        if (!ready && w.successes >= w.probe.successThreshold) ready = true;
        else if (ready && w.failures >= w.probe.failureThreshold) ready = false;
      }
      if ((w === liveness || w === startup) && w.failures >= w.probe.failureThreshold) {
        kill ??= { at: t, kind: w === startup ? 'startup' : 'liveness' };
      }
    }
    if (started && !startedBefore) {
      // The other workers ran (skipping) all along: they go on from their next tick.
      for (const w of workers) while (w !== startup && w.tick <= t) w.tick += w.probe.periodMs;
    }
    if (readiness === undefined) ready = started;
    if (ready !== readyBefore || started !== startedBefore || kill !== undefined) interesting = true;
    if (future) {
      if (interesting) {
        next = t;
        break;
      }
      // Ticks that change nothing: stop once every probe runs on steady outcomes.
      if (t >= input.up && ++quietAfterUp > STABLE_TICKS * workers.length) break;
      continue;
    }
    if (kill !== undefined) return { started, ready, kill, failures };
  }
  const state = atNow ?? { started, ready };
  return { ...state, failures, ...(next === undefined ? {} : { next }) };
}

/**
 * The pod status the kubelet computes (`generateAPIPodStatus` and `pkg/kubelet/status`): the
 * phase from the container states (`getPhase`), the kubelet-owned conditions
 * (PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled) with their
 * reasons and messages, the QoS class, and the small formats the kubelet writes (Go durations,
 * `name_namespace(uid)`).
 */

import { isJsonObject, type JsonObject, jsonEqual } from '../api/machinery/json-values.js';
import { parseQuantity } from '../printing/quantity.js';

const obj = (v: unknown): JsonObject => (isJsonObject(v) ? v : {});
const arr = (v: unknown): JsonObject[] => (Array.isArray(v) ? v.filter(isJsonObject) : []);

/** Whether an init container is a sidecar (`restartPolicy: Always`). */
export const isSidecar = (container: JsonObject): boolean => container.restartPolicy === 'Always';

/** Go's `time.Duration.String()` of a whole number of milliseconds (`2.5s`, `512ms`, `5m0s`). */
export function goDuration(ms: number): string {
  ms = Math.max(0, Math.round(ms));
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const rest = ms % 60_000;
  const seconds = `${Math.floor(rest / 1000)}${
    rest % 1000 === 0
      ? ''
      : `.${String(rest % 1000)
          .padStart(3, '0')
          .replace(/0+$/, '')}`
  }s`;
  if (hours > 0) return `${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${minutes}m${seconds}`;
  return seconds;
}

/** `format.Pod`: `name_namespace(uid)`. */
export function formatPod(pod: JsonObject): string {
  const meta = obj(pod.metadata);
  return `${String(meta.name ?? '')}_${String(meta.namespace ?? '')}(${String(meta.uid ?? '')})`;
}

/** `ComputePodQOS`: BestEffort, Burstable or Guaranteed from the cpu and memory requests and limits. */
export function qosClass(spec: JsonObject): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const requests = new Map<string, bigint>();
  const limits = new Map<string, bigint>();
  let guaranteed = true;
  const add = (to: Map<string, bigint>, name: string, value: unknown): boolean => {
    if (name !== 'cpu' && name !== 'memory') return false;
    const q = parseQuantity(value);
    if (q === undefined || q.nanos <= 0n) return false;
    to.set(name, (to.get(name) ?? 0n) + q.nanos);
    return true;
  };
  const podResources = obj(spec.resources);
  const podLevel =
    Object.keys(obj(podResources.requests)).length + Object.keys(obj(podResources.limits)).length;
  const sets: JsonObject[] =
    podLevel > 0
      ? [podResources]
      : [...arr(spec.containers), ...arr(spec.initContainers)].map((c) => obj(c.resources));
  for (const resources of sets) {
    for (const [name, value] of Object.entries(obj(resources.requests))) add(requests, name, value);
    const found = new Set<string>();
    for (const [name, value] of Object.entries(obj(resources.limits)))
      if (add(limits, name, value)) found.add(name);
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, value] of requests) {
      if (limits.get(name) !== value) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

/** `getPhase`: the pod phase from its container states. */
export function podPhase(
  spec: JsonObject,
  initStatuses: readonly JsonObject[],
  statuses: readonly JsonObject[],
  terminal: boolean,
): 'Pending' | 'Running' | 'Succeeded' | 'Failed' {
  const byName = (list: readonly JsonObject[], name: unknown) => list.find((s) => s.name === name);
  let pendingInit = 0;
  let failedInit = 0;
  for (const c of arr(spec.initContainers)) {
    if (isSidecar(c)) continue;
    const s = byName(initStatuses, c.name);
    const state = obj(s?.state);
    if (s === undefined || isJsonObject(state.running)) pendingInit++;
    else if (isJsonObject(state.terminated)) {
      if (state.terminated.exitCode !== 0) failedInit++;
    } else if (isJsonObject(state.waiting)) {
      const last = obj(obj(s.lastState).terminated);
      if (isJsonObject(obj(s.lastState).terminated)) {
        if (last.exitCode !== 0) failedInit++;
      } else pendingInit++;
    } else pendingInit++;
  }
  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of arr(spec.containers)) {
    const s = byName(statuses, c.name);
    const state = obj(s?.state);
    if (s === undefined) unknown++;
    else if (isJsonObject(state.running)) running++;
    else if (isJsonObject(state.terminated)) {
      stopped++;
      if (state.terminated.exitCode === 0) succeeded++;
    } else if (isJsonObject(state.waiting)) {
      if (isJsonObject(obj(s.lastState).terminated)) stopped++;
      else waiting++;
    } else unknown++;
  }
  const policy = String(spec.restartPolicy ?? 'Always');
  if (failedInit > 0 && policy === 'Never') return 'Failed';
  const anyRegularStarted = statuses.some((s) => {
    const state = obj(s.state);
    return (
      isJsonObject(state.running) ||
      isJsonObject(state.terminated) ||
      isJsonObject(obj(s.lastState).terminated)
    );
  });
  if ((pendingInit > 0 && !anyRegularStarted) || waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (terminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

/** A condition the kubelet computes (before times are merged in). */
export interface ConditionValue {
  readonly type: string;
  readonly status: 'True' | 'False';
  readonly reason?: string;
  readonly message?: string;
}

/** The conditions the kubelet owns (others are kept as they are, before them). */
const KUBELET_CONDITIONS = [
  'PodReadyToStartContainers',
  'Initialized',
  'Ready',
  'ContainersReady',
  'PodScheduled',
];

/** The kubelet's conditions of a pod (PodScheduled is kept from the binding). */
export function kubeletConditions(
  spec: JsonObject,
  oldConditions: readonly JsonObject[],
  sandboxReady: boolean,
  initStatuses: readonly JsonObject[],
  statuses: readonly JsonObject[],
  phase: string,
): ConditionValue[] {
  const list = (names: string[]): string => `[${names.join(' ')}]`;
  const byName = (l: readonly JsonObject[], name: unknown) => l.find((s) => s.name === name);
  // Initialized.
  let initialized: ConditionValue = { type: 'Initialized', status: 'True' };
  const inits = arr(spec.initContainers);
  if (inits.length > 0) {
    const unknown: string[] = [];
    const incomplete: string[] = [];
    for (const c of inits) {
      const s = byName(initStatuses, c.name);
      if (s === undefined) {
        unknown.push(String(c.name));
        continue;
      }
      const state = obj(s.state);
      if (isSidecar(c)) {
        if (s.started !== true) incomplete.push(String(c.name));
      } else if (!isJsonObject(state.terminated) || state.terminated.exitCode !== 0) {
        incomplete.push(String(c.name));
      }
    }
    const regularStarted = statuses.some((s) => {
      const state = obj(s.state);
      return (
        isJsonObject(state.running) ||
        isJsonObject(state.terminated) ||
        isJsonObject(obj(s.lastState).terminated)
      );
    });
    if (phase === 'Succeeded' && unknown.length === 0) {
      initialized = { type: 'Initialized', status: 'True', reason: 'PodCompleted' };
    } else if (!regularStarted && unknown.length + incomplete.length > 0) {
      const messages: string[] = [];
      if (unknown.length > 0) messages.push(`containers with unknown status: ${list(unknown)}`);
      if (incomplete.length > 0) messages.push(`containers with incomplete status: ${list(incomplete)}`);
      initialized = {
        type: 'Initialized',
        status: 'False',
        reason: 'ContainersNotInitialized',
        message: messages.join(', '),
      };
    }
  }
  // ContainersReady.
  let containersReady: ConditionValue;
  if (phase === 'Succeeded' || phase === 'Failed') {
    containersReady = {
      type: 'ContainersReady',
      status: 'False',
      reason: phase === 'Succeeded' ? 'PodCompleted' : 'PodFailed',
    };
  } else {
    const unknown: string[] = [];
    const unready: string[] = [];
    const check = (c: JsonObject, l: readonly JsonObject[]): void => {
      const s = byName(l, c.name);
      if (s === undefined) unknown.push(String(c.name));
      else if (s.ready !== true) unready.push(String(c.name));
    };
    for (const c of inits) if (isSidecar(c)) check(c, initStatuses);
    for (const c of arr(spec.containers)) check(c, statuses);
    const messages: string[] = [];
    if (unknown.length > 0) messages.push(`containers with unknown status: ${list(unknown)}`);
    if (unready.length > 0) messages.push(`containers with unready status: ${list(unready)}`);
    containersReady =
      messages.length > 0
        ? {
            type: 'ContainersReady',
            status: 'False',
            reason: 'ContainersNotReady',
            message: messages.join(', '),
          }
        : { type: 'ContainersReady', status: 'True' };
  }
  // Ready: ContainersReady and every readiness gate.
  let ready: ConditionValue = { ...containersReady, type: 'Ready' };
  if (containersReady.status === 'True') {
    const messages: string[] = [];
    for (const gate of arr(spec.readinessGates)) {
      const type = String(gate.conditionType ?? '');
      const c = oldConditions.find((x) => x.type === type);
      if (c === undefined)
        messages.push(`corresponding condition of pod readiness gate "${type}" does not exist.`);
      else if (c.status !== 'True')
        messages.push(`the status of pod readiness gate "${type}" is not "True", but ${String(c.status)}`);
    }
    if (messages.length > 0) {
      ready = {
        type: 'Ready',
        status: 'False',
        reason: 'ReadinessGatesNotReady',
        message: messages.join(', '),
      };
    }
  }
  return [
    { type: 'PodReadyToStartContainers', status: sandboxReady ? 'True' : 'False' },
    initialized,
    ready,
    containersReady,
  ];
}

/**
 * Merges computed conditions into the old list (`updateLastTransitionTime` of the status
 * manager): conditions others own first, as they were; then the kubelet's, each keeping its old
 * object when nothing changed and its transition time when only the reason or message did.
 */
export function mergeConditions(
  old: readonly JsonObject[],
  computed: readonly ConditionValue[],
  now: string,
): JsonObject[] {
  const out: JsonObject[] = old.filter((c) => !KUBELET_CONDITIONS.includes(String(c.type)));
  const find = (type: string) => old.find((c) => c.type === type);
  for (const value of computed) {
    const previous = find(value.type);
    const next: JsonObject = {
      lastProbeTime: null,
      lastTransitionTime:
        previous !== undefined && previous.status === value.status ? previous.lastTransitionTime : now,
      status: value.status,
      type: value.type,
      ...(value.reason === undefined ? {} : { reason: value.reason }),
      ...(value.message === undefined ? {} : { message: value.message }),
    };
    const same =
      previous !== undefined &&
      previous.status === next.status &&
      (previous.reason ?? undefined) === next.reason &&
      (previous.message ?? undefined) === next.message;
    out.push(same ? previous : next);
  }
  const scheduled = find('PodScheduled');
  out.push(
    scheduled ?? { lastProbeTime: null, lastTransitionTime: now, status: 'True', type: 'PodScheduled' },
  );
  return out;
}

/** Whether two statuses are the same (so nothing is written). */
export const sameStatus = (a: unknown, b: unknown): boolean => jsonEqual(a, b);

/**
 * The pod row of `kubectl get pods`: READY, STATUS and RESTARTS as the API server's printer
 * computes them (`printPod` in `pkg/printers/internalversion/printers.go`): the phase or
 * `status.reason`, overridden by the first failing init container (`Init:0/1`,
 * `Init:CrashLoopBackOff`, `Init:Error`), then by the containers' waiting or terminated reasons
 * (`ImagePullBackOff`, `CrashLoopBackOff`, `ContainerCreating`, `Completed`, `Error`, `OOMKilled`),
 * `Terminating` once deleted, `Unknown` for a deleted pod on a lost node. Sidecars (restartable
 * init containers) count as containers. RESTARTS carries `(5m ago)` after the last restart.
 */

import { age } from './duration.js';
import type { Cell } from './table.js';
import { get, isMap, list, nameOf, num, optBool, str } from './values.js';

/** `status.reason` of pods on a node that stopped responding. */
const NODE_UNREACHABLE_POD_REASON = 'NodeLost';

/** READY, STATUS and RESTARTS of a pod. */
export interface PodSummary {
  readonly ready: string;
  readonly status: string;
  readonly restarts: string;
}

const isRestartable = (container: unknown): boolean => str(container, 'restartPolicy') === 'Always';

const conditionTrue = (pod: unknown, type: string): boolean => {
  for (const c of list(pod, 'status', 'conditions')) {
    if (str(c, 'type') === type) return str(c, 'status') === 'True';
  }
  return false;
};

const hasReadyCondition = (pod: unknown): boolean =>
  list(pod, 'status', 'conditions').some((c) => str(c, 'type') === 'Ready' && str(c, 'status') === 'True');

const timeOf = (s: string): number => (s === '' ? Number.NEGATIVE_INFINITY : Date.parse(s) || 0);

/** Computes READY, STATUS and RESTARTS of a pod at `now`. */
export function podSummary(pod: unknown, now: number): PodSummary {
  let restarts = 0;
  let sidecarRestarts = 0;
  const initSpecs = list(pod, 'spec', 'initContainers');
  let total = list(pod, 'spec', 'containers').length;
  let ready = 0;
  let lastRestart = '';
  let lastSidecarRestart = '';
  const later = (a: string, b: string): string => (timeOf(b) > timeOf(a) ? b : a);

  const phase = str(pod, 'status', 'phase');
  let reason = str(pod, 'status', 'reason') || phase;
  for (const c of list(pod, 'status', 'conditions')) {
    if (str(c, 'type') === 'PodScheduled' && str(c, 'reason') === 'SchedulingGated')
      reason = 'SchedulingGated';
  }

  const initByName = new Map<string, unknown>();
  for (const c of initSpecs) {
    initByName.set(str(c, 'name'), c);
    if (isRestartable(c)) total++;
  }

  let initializing = false;
  const initStatuses = list(pod, 'status', 'initContainerStatuses');
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i];
    const sidecar = isRestartable(initByName.get(str(cs, 'name')));
    restarts += num(cs, 'restartCount');
    const finished = str(cs, 'lastState', 'terminated', 'finishedAt');
    if (isMap(get(cs, 'lastState', 'terminated'))) lastRestart = later(lastRestart, finished);
    if (sidecar) {
      sidecarRestarts += num(cs, 'restartCount');
      if (isMap(get(cs, 'lastState', 'terminated'))) lastSidecarRestart = later(lastSidecarRestart, finished);
    }
    const terminated = get(cs, 'state', 'terminated');
    const waitingReason = str(cs, 'state', 'waiting', 'reason');
    if (isMap(terminated) && num(terminated, 'exitCode') === 0) continue;
    if (sidecar && optBool(cs, 'started') === true) {
      if (optBool(cs, 'ready') === true) ready++;
      continue;
    }
    if (isMap(terminated)) {
      const r = str(terminated, 'reason');
      if (r !== '') reason = `Init:${r}`;
      else if (num(terminated, 'signal') !== 0) reason = `Init:Signal:${num(terminated, 'signal')}`;
      else reason = `Init:ExitCode:${num(terminated, 'exitCode')}`;
    } else if (
      isMap(get(cs, 'state', 'waiting')) &&
      waitingReason !== '' &&
      waitingReason !== 'PodInitializing'
    ) {
      reason = `Init:${waitingReason}`;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(pod, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = list(pod, 'status', 'containerStatuses');
    // Backwards, so the first container's state has the last word.
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      restarts += num(cs, 'restartCount');
      if (isMap(get(cs, 'lastState', 'terminated'))) {
        lastRestart = later(lastRestart, str(cs, 'lastState', 'terminated', 'finishedAt'));
      }
      const terminated = get(cs, 'state', 'terminated');
      const waitingReason = str(cs, 'state', 'waiting', 'reason');
      if (waitingReason !== '') {
        reason = waitingReason;
      } else if (isMap(terminated) && str(terminated, 'reason') !== '') {
        reason = str(terminated, 'reason');
      } else if (isMap(terminated)) {
        const signal = num(terminated, 'signal');
        reason = signal !== 0 ? `Signal:${signal}` : `ExitCode:${num(terminated, 'exitCode')}`;
      } else if (optBool(cs, 'ready') === true && isMap(get(cs, 'state', 'running'))) {
        hasRunning = true;
        ready++;
      }
    }
    // A pod whose first container completed while another still runs.
    if (reason === 'Completed' && hasRunning) reason = hasReadyCondition(pod) ? 'Running' : 'NotReady';
  }

  const deleted = str(pod, 'metadata', 'deletionTimestamp') !== '';
  if (deleted && str(pod, 'status', 'reason') === NODE_UNREACHABLE_POD_REASON) reason = 'Unknown';
  else if (deleted && phase !== 'Failed' && phase !== 'Succeeded') reason = 'Terminating';

  let restartsText = String(restarts);
  if (restarts !== 0 && lastRestart !== '' && timeOf(lastRestart) > Number.NEGATIVE_INFINITY) {
    restartsText = `${restarts} (${age(lastRestart, now)} ago)`;
  }
  return { ready: `${ready}/${total}`, status: reason, restarts: restartsText };
}

/** A pod's Table cells: Name, Ready, Status, Restarts, Age; wide: IP, Node, Nominated Node, Readiness Gates. */
export function podCells(pod: unknown, now: number): Cell[] {
  const s = podSummary(pod, now);
  const ips = list(pod, 'status', 'podIPs');
  // The API server keeps podIPs[0] equal to podIP; read podIP too for objects written without podIPs.
  const ip = str(ips[0], 'ip') || str(pod, 'status', 'podIP') || '<none>';
  const gates = list(pod, 'spec', 'readinessGates');
  let readinessGates = '<none>';
  if (gates.length > 0) {
    let trueConditions = 0;
    for (const gate of gates) {
      const cond = list(pod, 'status', 'conditions').find(
        (c) => str(c, 'type') === str(gate, 'conditionType'),
      );
      if (cond !== undefined && str(cond, 'status') === 'True') trueConditions++;
    }
    readinessGates = `${trueConditions}/${gates.length}`;
  }
  return [
    nameOf(pod),
    s.ready,
    s.status,
    s.restarts,
    age(get(pod, 'metadata', 'creationTimestamp'), now),
    ip,
    str(pod, 'spec', 'nodeName') || '<none>',
    str(pod, 'status', 'nominatedNodeName') || '<none>',
    readinessGates,
  ];
}

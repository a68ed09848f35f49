/**
 * The life of each container of a pod sync: init containers one after the other, then every
 * container in order; a running container's exit, probe kills, started and ready flags; a
 * terminated container done or restarted per `restartPolicy` (at once the first time, then after a
 * back-off of 10 s doubling to 300 s, reset after 10 minutes of running: `CrashLoopBackOff`).
 * Starting a container (image, environment, create, start) is `startContainer`.
 */

import { isJsonObject } from '../api/machinery/json-values.js';
import { rfc3339 } from '../api/machinery/object-stamps.js';
import { OPAQUE_BEHAVIOUR, processOf } from './behaviour.js';
import type { PodSync } from './pod-sync.js';
import {
  arr,
  BACKOFF_INITIAL_MS,
  BACKOFF_MAX_MS,
  BACKOFF_RESET_MS,
  DEFAULT_GRACE_S,
  obj,
  SIGKILL_EXIT,
  SIGTERM_EXIT,
  type Slot,
  type SlotOutcome,
  str,
} from './pod-sync-helpers.js';
import { startContainer } from './pod-sync-start.js';
import { probesOf, probeTitle, runProbe, walkProbes } from './probes.js';
import { formatPod, goDuration } from './status.js';

export function syncContainers(sync: PodSync): void {
  const regularStarted = sync.mainSlots.some((s) => hasRun(s));
  let blocked = false;
  let initFailed = false;
  for (const slot of sync.initSlots) {
    if (blocked) continue;
    const outcome = syncSlot(sync, slot, true);
    if (slot.sidecar) {
      if (outcome !== 'started') blocked = true;
    } else if (outcome !== 'done') {
      blocked = true;
      if (outcome === 'stopped') initFailed = true;
    }
  }
  if ((blocked && !regularStarted) || initFailed) return;
  let pulling = false;
  for (const slot of sync.mainSlots) {
    if (syncSlot(sync, slot, !pulling) === 'pulling') pulling = true;
  }
}

function hasRun(slot: Slot): boolean {
  const state = obj(slot.status.state);
  return (
    isJsonObject(state.running) ||
    isJsonObject(state.terminated) ||
    isJsonObject(obj(slot.status.lastState).terminated)
  );
}

/** Brings one container to now. */
function syncSlot(sync: PodSync, slot: Slot, canStart: boolean): SlotOutcome {
  for (let guard = 0; guard < 16; guard++) {
    const state = obj(slot.status.state);
    if (isJsonObject(state.running)) {
      if (canStart && definitionChanged(sync, slot)) {
        // A new image: the kubelet kills the container and starts it again, whatever the policy.
        sync.event(slot, 'Normal', 'Killing', `Container ${slot.name} definition changed, will be restarted`);
        const start = Date.parse(str(obj(state.running).startedAt));
        const process = processOf(sync.host, sync.view(), slot.name, str(slot.status.containerID), start);
        const code = process?.behaviour.ignoresSigterm ? SIGKILL_EXIT : SIGTERM_EXIT;
        terminated(slot, code, 'Error', sync.now);
        slot.status.lastState = { terminated: obj(slot.status.state).terminated };
        slot.status.state = { waiting: { reason: 'ContainerCreating' } };
      } else {
        const outcome = running(sync, slot);
        if (outcome !== 'ended') return outcome;
        continue;
      }
    }
    if (isJsonObject(obj(slot.status.state).terminated)) {
      const outcome = afterExit(sync, slot);
      if (outcome !== 'restart') return outcome;
    } else if (obj(obj(slot.status.state).waiting).reason === 'CrashLoopBackOff') {
      if (backOff(sync, slot) !== 'restart') return 'waiting';
    }
    if (!canStart) return 'waiting';
    const started = startContainer(sync, slot);
    if (started !== 'started') return started;
  }
  return 'waiting';
}

/** Whether a running container's image is no longer the one its spec names. */
function definitionChanged(sync: PodSync, slot: Slot): boolean {
  const catalog = sync.state.catalog;
  const running = catalog.parse(str(slot.status.image))?.canonical ?? str(slot.status.image);
  const wanted = catalog.parse(str(slot.spec.image))?.canonical ?? str(slot.spec.image);
  return running !== '' && running !== wanted;
}

/** A running container: exits, probe kills, and its started and ready flags now. */
function running(sync: PodSync, slot: Slot): 'running' | 'started' | 'ended' {
  const running = obj(obj(slot.status.state).running);
  const start = Date.parse(str(running.startedAt));
  const containerID = str(slot.status.containerID);
  const process = processOf(sync.host, sync.view(), slot.name, containerID, start);
  // A container that runs did start, whatever the catalog says of its command now.
  const behaviour =
    process === undefined || process.behaviour.startError !== undefined
      ? OPAQUE_BEHAVIOUR
      : process.behaviour;
  const exitAt = behaviour.exit === undefined ? undefined : start + Math.max(0, behaviour.exit.afterMs);
  const regularInit = slot.init && !slot.sidecar;
  const probes = regularInit ? [] : probesOf(slot.spec);
  let started = true;
  let ready = true;
  let stopAt = exitAt;
  let stop: { code: number; reason: string } | undefined;
  if (probes.length > 0 && process !== undefined) {
    const from = sync.startedHere.has(slot.name) ? Number.NEGATIVE_INFINITY : sync.from;
    const ports = arr(slot.spec.ports);
    const podIP = str(sync.status.podIP);
    const walk = walkProbes({
      start,
      up: start + Math.max(0, behaviour.startupMs),
      ...(exitAt === undefined ? {} : { end: exitAt }),
      now: sync.now,
      from,
      probes,
      outcome: (probe, up) => runProbe(probe, { ...process, behaviour }, podIP, up, ports, sync.now),
    });
    started = walk.started;
    ready = walk.ready;
    for (const f of walk.failures) {
      sync.event(slot, 'Warning', 'Unhealthy', `${probeTitle(f.kind)} probe failed: ${f.message}`);
    }
    if (walk.next !== undefined) sync.wake(walk.next, 'progress');
    if (walk.kill !== undefined) {
      const kill = walk.kill;
      if (kill.at > from) {
        sync.event(
          slot,
          'Normal',
          'Killing',
          `Container ${slot.name} failed ${kill.kind} probe, will be restarted`,
        );
      }
      const probe = probes.find((p) => p.kind === kill.kind);
      const grace = probe?.spec.terminationGracePeriodSeconds ?? sync.spec.terminationGracePeriodSeconds;
      const graceMs = (typeof grace === 'number' ? grace : DEFAULT_GRACE_S) * 1000;
      const killStop = behaviour.ignoresSigterm ? kill.at + graceMs : kill.at;
      if (stopAt === undefined || killStop < stopAt) {
        stopAt = killStop;
        stop = { code: behaviour.ignoresSigterm ? SIGKILL_EXIT : SIGTERM_EXIT, reason: 'Error' };
      }
    }
  }
  if (stopAt !== undefined && stopAt <= sync.now) {
    const code = stop?.code ?? behaviour.exit?.code ?? 0;
    const reason = stop?.reason ?? behaviour.exit?.reason ?? (code === 0 ? 'Completed' : 'Error');
    terminated(slot, code, reason, stopAt);
    return 'ended';
  }
  if (stopAt !== undefined) sync.wake(stopAt, 'progress');
  slot.status.started = regularInit ? true : started;
  slot.status.ready = regularInit ? false : started && ready;
  return started ? 'started' : 'running';
}

/** The container's process ended at `at`. */
export function terminated(slot: Slot, exitCode: number, reason: string, at: number): void {
  const running = obj(obj(slot.status.state).running);
  slot.status.state = {
    terminated: {
      containerID: str(slot.status.containerID),
      exitCode,
      finishedAt: rfc3339(new Date(at)),
      reason,
      startedAt: str(running.startedAt),
    },
  };
  slot.status.ready = slot.init && !slot.sidecar && exitCode === 0;
  slot.status.started = false;
}

function restartPolicy(sync: PodSync, slot: Slot): string {
  return slot.sidecar ? 'Always' : str(sync.spec.restartPolicy) || 'Always';
}

/** Restarts of `Always` pods wait for time to pass; those of `OnFailure` pods (Jobs) happen by themselves. */
function restartWake(sync: PodSync, slot: Slot, at: number): void {
  sync.wake(at, restartPolicy(sync, slot) === 'Always' ? 'wait' : 'progress');
}

/** A terminated container: done, or restarted (at once, or after its back-off). */
function afterExit(sync: PodSync, slot: Slot): 'done' | 'stopped' | 'waiting' | 'restart' {
  const terminated = obj(obj(slot.status.state).terminated);
  const exitCode = typeof terminated.exitCode === 'number' ? terminated.exitCode : 0;
  const policy = restartPolicy(sync, slot);
  let restart: boolean;
  if (slot.init && !slot.sidecar) {
    if (exitCode === 0) return 'done';
    restart = policy !== 'Never';
  } else {
    restart = policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
  }
  if (!restart) return exitCode === 0 ? 'done' : 'stopped';
  const finished = Date.parse(str(terminated.finishedAt));
  const crash = (sync.record.crash ??= {});
  const entry = crash[slot.name];
  if (entry !== undefined && !(finished - entry[1] > BACKOFF_RESET_MS) && sync.now - finished < entry[0]) {
    slot.status.lastState = { terminated };
    const message = `back-off ${goDuration(entry[0])} restarting failed container=${slot.name} pod=${formatPod(sync.pod)}`;
    slot.status.state = { waiting: { message, reason: 'CrashLoopBackOff' } };
    slot.status.ready = false;
    slot.status.started = false;
    sync.event(
      slot,
      'Warning',
      'BackOff',
      `Back-off restarting failed container ${slot.name} in pod ${formatPod(sync.pod)}`,
    );
    restartWake(sync, slot, finished + entry[0]);
    return 'waiting';
  }
  crash[slot.name] =
    entry === undefined || finished - entry[1] > BACKOFF_RESET_MS
      ? [BACKOFF_INITIAL_MS, sync.now]
      : [Math.min(entry[0] * 2, BACKOFF_MAX_MS), sync.now];
  slot.status.lastState = { terminated };
  slot.status.state = { waiting: { reason: 'ContainerCreating' } };
  slot.status.ready = false;
  slot.status.started = false;
  return 'restart';
}

/** A container in `CrashLoopBackOff`: still waiting, or its back-off is over. */
function backOff(sync: PodSync, slot: Slot): 'waiting' | 'restart' {
  const terminated = obj(obj(slot.status.lastState).terminated);
  const finished = Date.parse(str(terminated.finishedAt));
  const crash = (sync.record.crash ??= {});
  const entry = crash[slot.name] ?? [BACKOFF_INITIAL_MS, finished];
  if (sync.now - finished < entry[0]) {
    restartWake(sync, slot, finished + entry[0]);
    return 'waiting';
  }
  crash[slot.name] = [Math.min(entry[0] * 2, BACKOFF_MAX_MS), sync.now];
  slot.status.state = { waiting: { reason: 'ContainerCreating' } };
  return 'restart';
}

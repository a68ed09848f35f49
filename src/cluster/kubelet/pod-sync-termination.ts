/**
 * A pod being deleted: its containers are stopped (at once, or at the grace deadline for a process
 * that ignores SIGTERM, exit 137), then the kubelet deletes it with grace 0.
 */

import { isJsonObject } from '../api/machinery/json-values.js';
import { ApiError } from '../api/types.js';
import { OPAQUE_BEHAVIOUR, processOf } from './behaviour.js';
import type { PodSync } from './pod-sync.js';
import { terminated } from './pod-sync-containers.js';
import { obj, SIGKILL_EXIT, SIGTERM_EXIT, str } from './pod-sync-helpers.js';

/** A pod being deleted: stop its containers, then delete it with grace 0. */
export function terminate(sync: PodSync): void {
  const deadline = Date.parse(str(sync.meta.deletionTimestamp));
  const first = sync.record.stopping === undefined;
  const since = (sync.record.stopping ??= sync.now);
  let last = sync.now;
  let stopped = true;
  for (const slot of [...sync.initSlots, ...sync.mainSlots]) {
    const running = obj(obj(slot.status.state).running);
    if (!isJsonObject(obj(slot.status.state).running)) continue;
    if (first) sync.event(slot, 'Normal', 'Killing', `Stopping container ${slot.name}`);
    const start = Date.parse(str(running.startedAt));
    const process = processOf(sync.host, sync.view(), slot.name, str(slot.status.containerID), start);
    const behaviour = process?.behaviour ?? OPAQUE_BEHAVIOUR;
    const exitAt = behaviour.exit === undefined ? undefined : start + behaviour.exit.afterMs;
    let stopAt = behaviour.ignoresSigterm ? Math.max(deadline, since) : since;
    let code = behaviour.ignoresSigterm ? SIGKILL_EXIT : SIGTERM_EXIT;
    let reason = 'Error';
    if (exitAt !== undefined && exitAt < stopAt) {
      stopAt = exitAt;
      code = behaviour.exit?.code ?? 0;
      reason = behaviour.exit?.reason ?? (code === 0 ? 'Completed' : 'Error');
    }
    if (stopAt <= sync.now) terminated(slot, code, reason, stopAt);
    else {
      stopped = false;
      last = Math.max(last, stopAt);
    }
  }
  if (!stopped) {
    sync.wake(last, 'progress');
    sync.finish(str(sync.status.podIP) !== '', false);
    return;
  }
  const finalizers = sync.meta.finalizers;
  if (Array.isArray(finalizers) && finalizers.length > 0) {
    // Someone still holds the pod (a Job's tracking finalizer): it keeps its final status.
    for (const slot of [...sync.initSlots, ...sync.mainSlots]) {
      if (!isJsonObject(obj(slot.status.state).waiting)) continue;
      slot.status.state = {
        terminated: {
          exitCode: SIGKILL_EXIT,
          finishedAt: sync.nowIso,
          message: 'The container could not be located when the pod was terminated',
          reason: 'ContainerStatusUnknown',
          startedAt: null,
        },
      };
      slot.status.ready = false;
      slot.status.started = false;
    }
    sync.finish(false, true);
  } else {
    sync.recordEvents(sync.pod);
  }
  deletePod(sync);
  sync.state.records.set(sync.ctx, sync.uid, {});
  sync.state.waits.set(sync.key, []);
}

export function deletePod(sync: PodSync): void {
  try {
    sync.ctx.api.delete('pods', sync.namespace, sync.name, {
      gracePeriodSeconds: 0,
      preconditions: { uid: sync.uid },
      fieldManager: 'kubelet',
    });
  } catch (error) {
    if (!(error instanceof ApiError) || (error.status.code !== 404 && error.status.code !== 409)) throw error;
  }
}

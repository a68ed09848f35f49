/**
 * A Deployment's status as a sync writes it (`progress.go`, `sync.go`): the counts over all its
 * ReplicaSets with the Available condition, the Progressing condition (paused, resumed,
 * progressing, complete, timed out) and ReplicaFailure, and the wake-up of a stuck rollout when
 * its progress deadline is due.
 */

import { cloneJson, type JsonObject, jsonEqual } from '../api/machinery/json-values.js';
import { objectKey } from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';
import {
  calculateStatus,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  getCondition,
  hasProgressDeadline,
  newCondition,
  progressDeadlineAt,
  removeCondition,
  setCondition,
} from './deployment-conditions.js';
import { newAndOld } from './deployment-revisions.js';
import { type Sync, saveStatus } from './deployment-sync.js';
import { REASONS } from './deployment-util.js';
import { nameOf, numberOr, specOf, statusOf } from './shared.js';

/** `checkPausedConditions`: Progressing Unknown while paused, and when resumed. */
export function checkPausedConditions(s: Sync): void {
  if (!hasProgressDeadline(s.d)) return;
  const condition = getCondition(statusOf(s.d), 'Progressing');
  if (condition?.reason === REASONS.ProgressDeadlineExceeded) return;
  const pausedCondition = condition?.reason === REASONS.DeploymentPaused;
  const paused = specOf(s.d).paused === true;
  let next: ReturnType<typeof newCondition> | undefined;
  if (paused && !pausedCondition)
    next = newCondition('Progressing', 'Unknown', REASONS.DeploymentPaused, 'Deployment is paused', s.now);
  else if (!paused && pausedCondition)
    next = newCondition('Progressing', 'Unknown', REASONS.DeploymentResumed, 'Deployment is resumed', s.now);
  if (next === undefined) return;
  const status = cloneJson(statusOf(s.d));
  setCondition(status, next);
  saveStatus(s, status);
}

/** `syncStatusOnly`. */
export function syncStatusOnly(s: Sync, rsList: readonly KubeObject[]): void {
  const { newRS, old } = newAndOld(s, rsList, false);
  saveStatus(s, calculateStatus([...old, ...(newRS ? [newRS] : [])], newRS, s.d, s.now));
}

/** `syncRolloutStatus`: the status with the Progressing condition; wakes a stuck rollout at its deadline. */
export function syncRolloutStatus(s: Sync, all: readonly KubeObject[], newRS: KubeObject | undefined): void {
  const d = s.d;
  const status = calculateStatus(all, newRS, d, s.now);
  if (!hasProgressDeadline(d)) removeCondition(status, 'Progressing');
  const current = getCondition(statusOf(d), 'Progressing');
  const complete =
    numberOr(status.replicas, 0) === numberOr(status.updatedReplicas, 0) &&
    current?.reason === REASONS.NewReplicaSetAvailable;
  if (hasProgressDeadline(d) && !complete) {
    const rsName = newRS === undefined ? undefined : JSON.stringify(nameOf(newRS));
    const subject = rsName === undefined ? `Deployment ${JSON.stringify(nameOf(d))}` : `ReplicaSet ${rsName}`;
    if (deploymentComplete(d, status)) {
      setCondition(
        status,
        newCondition(
          'Progressing',
          'True',
          REASONS.NewReplicaSetAvailable,
          `${subject} has successfully progressed.`,
          s.now,
        ),
      );
    } else if (deploymentProgressing(d, status)) {
      const condition = newCondition(
        'Progressing',
        'True',
        REASONS.ReplicaSetUpdated,
        `${subject} is progressing.`,
        s.now,
      );
      if (current !== undefined) {
        if (current.status === 'True') condition.lastTransitionTime = String(current.lastTransitionTime);
        removeCondition(status, 'Progressing');
      }
      setCondition(status, condition);
    } else if (deploymentTimedOut(d, status, s.ctx.now().getTime())) {
      setCondition(
        status,
        newCondition(
          'Progressing',
          'False',
          REASONS.ProgressDeadlineExceeded,
          `${subject} has timed out progressing.`,
          s.now,
        ),
      );
    }
  }
  const failures = replicaFailures(all, newRS);
  if (failures !== undefined) setCondition(status, failures);
  else removeCondition(status, 'ReplicaFailure');
  if (jsonEqual(statusOf(d), status)) {
    requeueStuck(s, status);
    return;
  }
  saveStatus(s, status);
}

/** `requeueStuckDeployment`: a wait wake-up when the progress deadline is due. */
export function requeueStuck(s: Sync, status: JsonObject): void {
  const d = s.d;
  const current = getCondition(statusOf(d), 'Progressing');
  if (!hasProgressDeadline(d) || current === undefined) return;
  if (deploymentComplete(d, status) || current.reason === REASONS.ProgressDeadlineExceeded) return;
  const at = progressDeadlineAt(d, statusOf(d));
  if (at === undefined) return;
  s.ctx.after(objectKey(d), Math.max(0, at - s.ctx.now().getTime()), 'wait');
}

/** `getReplicaFailures`: the new ReplicaSet's ReplicaFailure condition, else an old one's, as a Deployment condition. */
function replicaFailures(all: readonly KubeObject[], newRS: KubeObject | undefined) {
  const find = (rs: KubeObject | undefined) =>
    rs === undefined ? undefined : getCondition(statusOf(rs), 'ReplicaFailure');
  const c = find(newRS) ?? all.map(find).find((x) => x !== undefined);
  if (c === undefined) return undefined;
  return {
    type: 'ReplicaFailure',
    status: String(c.status),
    lastUpdateTime: String(c.lastTransitionTime ?? ''),
    lastTransitionTime: String(c.lastTransitionTime ?? ''),
    reason: String(c.reason ?? ''),
    message: String(c.message ?? ''),
  };
}

/**
 * A Deployment's status and conditions (`pkg/controller/deployment/util`): the counts over its
 * ReplicaSets (`calculateStatus`), the Available / Progressing conditions with Kubernetes'
 * reasons and field order, and whether a rollout is complete, progressing or past its progress
 * deadline. Pure: the controller writes what they compute.
 */

import { isJsonObject, type JsonObject } from '../api/machinery/json-values.js';
import type { KubeObject } from '../store/types.js';
import {
  int,
  maxUnavailable,
  REASONS,
  replicasOf,
  specReplicaSum,
  statusCount,
  statusSum,
} from './deployment-util.js';
import { meta, specOf, statusOf } from './shared.js';

/** `math.MaxInt32`: a progress deadline that never passes. */
const MAX_INT32 = 2_147_483_647;

/** A Deployment condition (`apps.DeploymentCondition`, field order as Kubernetes writes it). */
export interface DeploymentCondition extends JsonObject {
  type: string;
  status: string;
  lastUpdateTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

/** `NewDeploymentCondition`. */
export function newCondition(
  type: string,
  status: 'True' | 'False' | 'Unknown',
  reason: string,
  message: string,
  now: string,
): DeploymentCondition {
  return { type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message };
}

/** The conditions of a status object. */
export function conditionsOf(status: JsonObject): JsonObject[] {
  return Array.isArray(status.conditions) ? status.conditions.filter(isJsonObject) : [];
}

/** `GetDeploymentCondition`. */
export function getCondition(status: JsonObject, type: string): JsonObject | undefined {
  return conditionsOf(status).find((c) => c.type === type);
}

/** `RemoveDeploymentCondition`. */
export function removeCondition(status: JsonObject, type: string): void {
  const kept = conditionsOf(status).filter((c) => c.type !== type);
  if (kept.length > 0) status.conditions = kept;
  else delete status.conditions;
}

/**
 * `SetDeploymentCondition`: nothing when the condition has the same status and reason already;
 * else it replaces the old one (moved to the end), keeping its transition time when the status
 * is the same.
 */
export function setCondition(status: JsonObject, condition: DeploymentCondition): void {
  const current = getCondition(status, condition.type);
  if (current !== undefined && current.status === condition.status && current.reason === condition.reason)
    return;
  const next = { ...condition };
  if (current !== undefined && current.status === condition.status)
    next.lastTransitionTime = String(current.lastTransitionTime);
  status.conditions = [...conditionsOf(status).filter((c) => c.type !== condition.type), next];
}

/** `HasProgressDeadline`. */
export function hasProgressDeadline(d: KubeObject): boolean {
  const deadline = specOf(d).progressDeadlineSeconds;
  return typeof deadline === 'number' && deadline !== MAX_INT32;
}

/** `calculateStatus`: the counts of all ReplicaSets and the Available condition. */
export function calculateStatus(
  all: readonly KubeObject[],
  newRS: KubeObject | undefined,
  d: KubeObject,
  now: string,
): JsonObject {
  const available = statusSum(all, 'availableReplicas');
  const unavailable = Math.max(0, specReplicaSum(all) - available);
  const status: JsonObject = {};
  const generation = meta(d).generation;
  const counts: [string, number][] = [
    ['replicas', statusSum(all, 'replicas')],
    ['updatedReplicas', newRS === undefined ? 0 : statusCount(newRS, 'replicas')],
    ['readyReplicas', statusSum(all, 'readyReplicas')],
    ['availableReplicas', available],
    ['unavailableReplicas', unavailable],
  ];
  if (typeof generation === 'number' && generation !== 0) status.observedGeneration = generation;
  for (const [field, value] of counts) if (value !== 0) status[field] = value;
  const conditions = conditionsOf(statusOf(d));
  if (conditions.length > 0) status.conditions = conditions.map((c) => ({ ...c }));
  const collisions = statusOf(d).collisionCount;
  if (typeof collisions === 'number') status.collisionCount = collisions;
  if (available >= replicasOf(d) - maxUnavailable(d)) {
    setCondition(
      status,
      newCondition(
        'Available',
        'True',
        REASONS.MinimumReplicasAvailable,
        'Deployment has minimum availability.',
        now,
      ),
    );
  } else {
    setCondition(
      status,
      newCondition(
        'Available',
        'False',
        REASONS.MinimumReplicasUnavailable,
        'Deployment does not have minimum availability.',
        now,
      ),
    );
  }
  return status;
}

/** `DeploymentComplete`: every replica updated and available, the latest spec observed. */
export function deploymentComplete(d: KubeObject, status: JsonObject): boolean {
  const replicas = replicasOf(d);
  return (
    int(status.updatedReplicas) === replicas &&
    int(status.replicas) === replicas &&
    int(status.availableReplicas) === replicas &&
    int(status.observedGeneration) >= int(meta(d).generation)
  );
}

/** `DeploymentProgressing`: more updated, fewer old, or more ready or available replicas than before. */
export function deploymentProgressing(d: KubeObject, status: JsonObject): boolean {
  const old = statusOf(d);
  const oldOld = int(old.replicas) - int(old.updatedReplicas);
  const newOld = int(status.replicas) - int(status.updatedReplicas);
  return (
    int(status.updatedReplicas) > int(old.updatedReplicas) ||
    newOld < oldOld ||
    int(status.readyReplicas) > int(old.readyReplicas) ||
    int(status.availableReplicas) > int(old.availableReplicas)
  );
}

/**
 * When a Deployment's progress deadline passes (ms), counted from the Progressing condition's
 * last update; undefined when it has none, or it completed or already timed out.
 */
export function progressDeadlineAt(d: KubeObject, status: JsonObject): number | undefined {
  if (!hasProgressDeadline(d)) return undefined;
  const condition = getCondition(status, 'Progressing');
  if (condition === undefined) return undefined;
  if (
    condition.reason === REASONS.NewReplicaSetAvailable ||
    condition.reason === REASONS.ProgressDeadlineExceeded
  )
    return undefined;
  const from = Date.parse(String(condition.lastUpdateTime ?? ''));
  if (!Number.isFinite(from)) return undefined;
  return from + int(specOf(d).progressDeadlineSeconds) * 1000;
}

/**
 * `DeploymentTimedOut`: the deadline has passed since the last progress. (Kubernetes checks that
 * it passed strictly before now; on the cluster's clock, which stands still, reaching it counts.)
 */
export function deploymentTimedOut(d: KubeObject, status: JsonObject, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const condition = getCondition(status, 'Progressing');
  if (condition === undefined || condition.reason === REASONS.NewReplicaSetAvailable) return false;
  if (condition.reason === REASONS.ProgressDeadlineExceeded) return true;
  const at = progressDeadlineAt(d, status);
  return at !== undefined && at <= now;
}

/**
 * What every step of a Deployment sync shares: the sync's working state ({@link Sync}), the
 * early stop, the Deployment's own writes (revision annotation, status) and the ReplicaSet
 * scaling that records `ScalingReplicaSet` events (`scaleReplicaSetAndRecordEvent`).
 */

import { cloneJson, type JsonObject, jsonEqual } from '../api/machinery/json-values.js';
import { ApiError } from '../api/types.js';
import type { ControllerContext } from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';
import {
  annotationsFor,
  maxSurge,
  REVISION_ANNOTATION,
  replicasAnnotationsNeedUpdate,
  replicasOf,
  setReplicasAnnotations,
} from './deployment-util.js';
import { annotations, nameOf, statusOf } from './shared.js';

/** The controller's name (event source and field manager). */
export const DEPLOYMENT_CONTROLLER = 'deployment-controller';

/** Ends a sync early (after a write that will bring the Deployment back, or a refusal). */
export class SyncStop extends Error {}

export const isApiError = (error: unknown, code: number) =>
  error instanceof ApiError && error.status.code === code;

/** The working state of one sync: the Deployment as last written, and the time its conditions carry. */
export interface Sync {
  readonly ctx: ControllerContext;
  d: KubeObject;
  readonly now: string;
}

/** Writes the Deployment's revision annotation when it differs. */
export function saveRevision(s: Sync, revision: string | undefined): void {
  if (revision === undefined || annotations(s.d)[REVISION_ANNOTATION] === revision) return;
  const copy = cloneJson(s.d);
  annotationsFor(copy)[REVISION_ANNOTATION] = revision;
  s.d = s.ctx.api.update(copy, { fieldManager: DEPLOYMENT_CONTROLLER });
}

/** Writes the Deployment's status when it differs. */
export function saveStatus(s: Sync, status: JsonObject): void {
  if (jsonEqual(statusOf(s.d), status)) return;
  s.d = s.ctx.api.update({ ...s.d, status }, { subresource: 'status', fieldManager: DEPLOYMENT_CONTROLLER });
}

/** `scaleReplicaSetAndRecordEvent`. */
export function scaleAndRecord(s: Sync, rs: KubeObject, size: number): KubeObject {
  if (replicasOf(rs) === size) return rs;
  return scaleReplicaSet(s, rs, size, replicasOf(rs) < size ? 'up' : 'down');
}

/** `scaleReplicaSet`: sets the size and the replicas annotations; records `ScalingReplicaSet`. */
export function scaleReplicaSet(s: Sync, rs: KubeObject, size: number, operation: string): KubeObject {
  const d = s.d;
  const sizeChanged = replicasOf(rs) !== size;
  const max = replicasOf(d) + maxSurge(d);
  if (!sizeChanged && !replicasAnnotationsNeedUpdate(rs, replicasOf(d), max)) return rs;
  const from = replicasOf(rs);
  const copy = cloneJson(rs);
  (copy.spec as JsonObject).replicas = size;
  setReplicasAnnotations(copy, replicasOf(d), max);
  const updated = s.ctx.api.update(copy, { fieldManager: DEPLOYMENT_CONTROLLER });
  if (sizeChanged)
    s.ctx
      .recorder(DEPLOYMENT_CONTROLLER)
      .record(
        d,
        'Normal',
        'ScalingReplicaSet',
        `Scaled ${operation} replica set ${nameOf(rs)} from ${from} to ${size}`,
      );
  return updated;
}

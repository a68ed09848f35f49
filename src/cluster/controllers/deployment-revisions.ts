/**
 * A Deployment's ReplicaSets by revision (`sync.go`): the new ReplicaSet, found by its template
 * or created as `<deployment>-<pod-template-hash>` at max(old revisions) + 1 (a template seen
 * before re-uses its ReplicaSet, the rollback of `kubectl rollout undo`, its old revision going
 * to `revision-history`), hash collisions and refused creations, and the clean-up of old
 * ReplicaSets beyond `revisionHistoryLimit`.
 */

import { cloneJson, isJsonObject, type JsonObject } from '../api/machinery/json-values.js';
import { ApiError } from '../api/types.js';
import { objectKey } from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';
import { getCondition, hasProgressDeadline, newCondition, setCondition } from './deployment-conditions.js';
import {
  DEPLOYMENT_CONTROLLER,
  isApiError,
  type Sync,
  SyncStop,
  saveRevision,
  saveStatus,
} from './deployment-sync.js';
import {
  byRevision,
  equalIgnoreHash,
  findNewReplicaSet,
  maxRevision,
  newRSNewReplicas,
  POD_TEMPLATE_HASH,
  REASONS,
  REVISION_ANNOTATION,
  replicasOf,
  setNewReplicaSetAnnotations,
  statusCount,
} from './deployment-util.js';
import {
  annotations,
  controllerOf,
  controllerRef,
  isDeleting,
  meta,
  nameOf,
  namespaceOf,
  numberOr,
  specOf,
  statusOf,
  templateHash,
  uidOf,
} from './shared.js';

/** When a refused ReplicaSet creation is retried (a wait: it would fail the same way). */
const FAILED_CREATE_RETRY_MS = 10_000;

/** `getAllReplicaSetsAndSyncRevision`: the new ReplicaSet (created when asked) and the old ones. */
export function newAndOld(
  s: Sync,
  rsList: readonly KubeObject[],
  create: boolean,
): { newRS: KubeObject | undefined; old: KubeObject[] } {
  const existing = findNewReplicaSet(s.d, rsList);
  const old = rsList.filter((rs) => rs !== existing);
  return { newRS: newReplicaSet(s, existing, old, create), old };
}

/** `getNewReplicaSet`. */
export function newReplicaSet(
  s: Sync,
  existing: KubeObject | undefined,
  old: readonly KubeObject[],
  create: boolean,
): KubeObject | undefined {
  const { ctx } = s;
  const newRevision = maxRevision(old) + 1;
  if (existing !== undefined) {
    const copy = cloneJson(existing);
    const annotationsUpdated = setNewReplicaSetAnnotations(s.d, copy, newRevision, true);
    const minReady = numberOr(specOf(s.d).minReadySeconds, 0);
    if (annotationsUpdated || numberOr(specOf(copy).minReadySeconds, 0) !== minReady) {
      setMinReadySeconds(copy, minReady);
      // Kubernetes syncs again on the ReplicaSet's update before going on.
      ctx.api.update(copy, { fieldManager: DEPLOYMENT_CONTROLLER });
      throw new SyncStop();
    }
    let status = statusOf(s.d);
    if (hasProgressDeadline(s.d) && getCondition(status, 'Progressing') === undefined) {
      status = cloneJson(status);
      setCondition(
        status,
        newCondition(
          'Progressing',
          'True',
          REASONS.FoundNewReplicaSet,
          `Found new replica set ${JSON.stringify(nameOf(copy))}`,
          s.now,
        ),
      );
    }
    saveRevision(s, annotations(copy)[REVISION_ANNOTATION]);
    saveStatus(s, status);
    return existing;
  }
  if (!create) return undefined;
  const d = s.d;
  const template = cloneJson(isJsonObject(specOf(d).template) ? (specOf(d).template as JsonObject) : {});
  const collisions = numberOr(statusOf(d).collisionCount, 0);
  const hash = templateHash(template, collisions);
  const tMeta = isJsonObject(template.metadata) ? template.metadata : {};
  const rsLabels = { ...(isJsonObject(tMeta.labels) ? tMeta.labels : {}), [POD_TEMPLATE_HASH]: hash };
  const selector = cloneJson(isJsonObject(specOf(d).selector) ? (specOf(d).selector as JsonObject) : {});
  selector.matchLabels = {
    ...(isJsonObject(selector.matchLabels) ? selector.matchLabels : {}),
    [POD_TEMPLATE_HASH]: hash,
  };
  const rsName = `${nameOf(d)}-${hash}`;
  const newRS: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: rsName,
      namespace: namespaceOf(d),
      labels: rsLabels,
      ownerReferences: [controllerRef(d)],
    },
    spec: {
      replicas: 0,
      selector,
      template: { ...template, metadata: { ...tMeta, labels: rsLabels } },
    },
  };
  setMinReadySeconds(newRS, numberOr(specOf(d).minReadySeconds, 0));
  const replicas = newRSNewReplicas(d, [...old, newRS], newRS);
  (newRS.spec as JsonObject).replicas = replicas;
  setNewReplicaSetAnnotations(d, newRS, newRevision, false);
  let created: KubeObject;
  let alreadyExists = false;
  try {
    created = ctx.api.create(newRS, { fieldManager: DEPLOYMENT_CONTROLLER });
  } catch (error) {
    if (isApiError(error, 409) && (error as ApiError).status.reason === 'AlreadyExists') {
      const found = ctx.api.get('replicasets.apps', namespaceOf(d), rsName);
      const ref = controllerOf(found);
      if (ref?.uid === uidOf(d) && equalIgnoreHash(specOf(d).template, specOf(found).template)) {
        created = found;
        alreadyExists = true;
      } else {
        // A hash collision: try again with the next collision count.
        saveStatus(s, { ...cloneJson(statusOf(d)), collisionCount: collisions + 1 });
        throw new SyncStop();
      }
    } else if (error instanceof ApiError) {
      const message = `Failed to create new replica set ${JSON.stringify(rsName)}: ${error.message}`;
      if (hasProgressDeadline(d)) {
        const status = cloneJson(statusOf(d));
        setCondition(
          status,
          newCondition('Progressing', 'False', REASONS.ReplicaSetCreateError, message, s.now),
        );
        saveStatus(s, status);
      }
      ctx.recorder(DEPLOYMENT_CONTROLLER).record(d, 'Warning', REASONS.ReplicaSetCreateError, message);
      ctx.after(objectKey(d), FAILED_CREATE_RETRY_MS, 'wait');
      throw new SyncStop();
    } else throw error;
  }
  if (!alreadyExists && replicas > 0)
    ctx
      .recorder(DEPLOYMENT_CONTROLLER)
      .record(
        d,
        'Normal',
        'ScalingReplicaSet',
        `Scaled up replica set ${nameOf(created)} from 0 to ${replicas}`,
      );
  const status = cloneJson(statusOf(s.d));
  if (!alreadyExists && hasProgressDeadline(d)) {
    setCondition(
      status,
      newCondition(
        'Progressing',
        'True',
        REASONS.NewReplicaSetCreated,
        `Created new replica set ${JSON.stringify(nameOf(created))}`,
        s.now,
      ),
    );
  }
  saveRevision(s, String(newRevision));
  saveStatus(s, status);
  return created;
}

/** `cleanupDeployment`: deletes the oldest empty old ReplicaSets beyond `revisionHistoryLimit`. */
export function cleanup(s: Sync, old: readonly KubeObject[]): void {
  const limit = specOf(s.d).revisionHistoryLimit;
  if (typeof limit !== 'number') return;
  const cleanable = old.filter((rs) => !isDeleting(rs));
  const diff = cleanable.length - limit;
  if (diff <= 0) return;
  cleanable.sort(byRevision);
  for (const rs of cleanable.slice(0, diff)) {
    const generation = numberOr(meta(rs).generation, 0);
    if (
      statusCount(rs, 'replicas') !== 0 ||
      replicasOf(rs) !== 0 ||
      generation > statusCount(rs, 'observedGeneration')
    )
      continue;
    try {
      s.ctx.api.delete('replicasets.apps', namespaceOf(rs), nameOf(rs), {
        fieldManager: DEPLOYMENT_CONTROLLER,
      });
    } catch (error) {
      if (!isApiError(error, 404)) throw error;
    }
  }
}

/** Sets `spec.minReadySeconds` (absent when 0, as Kubernetes omits it). */
function setMinReadySeconds(rs: KubeObject, seconds: number): void {
  const spec = rs.spec as JsonObject;
  if (seconds > 0) spec.minReadySeconds = seconds;
  else delete spec.minReadySeconds;
}

/**
 * The deployment controller's arithmetic and bookkeeping (`pkg/controller/deployment/util`):
 * annotations, revisions, the rolling-update fenceposts and proportional scaling, with
 * Kubernetes' constants. The status and conditions are in `deployment-conditions.ts`.
 */

import { cloneJson, isJsonObject, type JsonObject, jsonEqual } from '../api/machinery/json-values.js';
import type { KubeObject } from '../store/types.js';
import { annotations, meta, nameOf, scaledValue, specOf, statusOf } from './shared.js';

/** The label that ties a ReplicaSet and its pods to one template (`apps.DefaultDeploymentUniqueLabelKey`). */
export const POD_TEMPLATE_HASH = 'pod-template-hash';
/** The revision of a ReplicaSet, and of its Deployment (= its new ReplicaSet's). */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
/** The revisions a re-used ReplicaSet had before (comma-separated). */
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
/** The Deployment's replicas when the ReplicaSet was last scaled. */
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
/** The Deployment's replicas + maxSurge when the ReplicaSet was last scaled. */
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
/** What `rollout history` shows for a revision. */
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
/** kubectl's client-side apply record. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
/** The pre-apps/v1 rollback request. */
export const ROLLBACK_TO_ANNOTATION = 'deprecated.deployment.rollback.to';
/** The longest `revision-history` kept (`maxRevHistoryLengthInChars`). */
export const MAX_REVISION_HISTORY_CHARS = 2000;

/** Deployment annotations not copied to its ReplicaSets (`annotationsToSkip`). */
export const ANNOTATIONS_TO_SKIP: ReadonlySet<string> = new Set([
  LAST_APPLIED_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  ROLLBACK_TO_ANNOTATION,
]);

/** Condition reasons (`deployment_util.go`). */
export const REASONS = {
  NewReplicaSetCreated: 'NewReplicaSetCreated',
  FoundNewReplicaSet: 'FoundNewReplicaSet',
  ReplicaSetUpdated: 'ReplicaSetUpdated',
  NewReplicaSetAvailable: 'NewReplicaSetAvailable',
  ProgressDeadlineExceeded: 'ProgressDeadlineExceeded',
  ReplicaSetCreateError: 'ReplicaSetCreateError',
  DeploymentPaused: 'DeploymentPaused',
  DeploymentResumed: 'DeploymentResumed',
  MinimumReplicasAvailable: 'MinimumReplicasAvailable',
  MinimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

/** A finite number, else `fallback` (the zero value Kubernetes reads for an absent field). */
export const int = (value: unknown, fallback = 0): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : fallback;

/** `spec.replicas` (1 when absent, as defaulted). */
export const replicasOf = (object: KubeObject): number => int(specOf(object).replicas, 1);
/** A number from `status` (0 when absent). */
export const statusCount = (object: KubeObject, field: string): number => int(statusOf(object)[field]);

/** Whether the strategy is RollingUpdate (the default). */
export function isRollingUpdate(d: KubeObject): boolean {
  const strategy = specOf(d).strategy;
  return !isJsonObject(strategy) || strategy.type === undefined || strategy.type === 'RollingUpdate';
}

function rollingParams(d: KubeObject): { maxSurge: unknown; maxUnavailable: unknown } {
  const strategy = specOf(d).strategy;
  const ru = isJsonObject(strategy) && isJsonObject(strategy.rollingUpdate) ? strategy.rollingUpdate : {};
  return { maxSurge: ru.maxSurge ?? '25%', maxUnavailable: ru.maxUnavailable ?? '25%' };
}

/**
 * `ResolveFenceposts`: maxSurge rounded up, maxUnavailable rounded down, both of `replicas`;
 * when both come out 0, one pod may be unavailable (else nothing could ever move).
 */
export function resolveFenceposts(d: KubeObject): { surge: number; unavailable: number } {
  const desired = replicasOf(d);
  const { maxSurge, maxUnavailable } = rollingParams(d);
  const surge = scaledValue(maxSurge, desired, true);
  let unavailable = scaledValue(maxUnavailable, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

/** `MaxSurge`: 0 unless rolling. */
export function maxSurge(d: KubeObject): number {
  return isRollingUpdate(d) ? resolveFenceposts(d).surge : 0;
}

/** `MaxUnavailable`: 0 unless rolling (or scaled to 0); never more than the replicas. */
export function maxUnavailable(d: KubeObject): number {
  const replicas = replicasOf(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  return Math.min(resolveFenceposts(d).unavailable, replicas);
}

/** `Revision`: a ReplicaSet's (or Deployment's) revision annotation, or undefined when absent or not a number. */
export function revisionOf(object: KubeObject): number | undefined {
  const value = annotations(object)[REVISION_ANNOTATION];
  if (value === undefined || !/^-?\d+$/.test(value)) return undefined;
  return Number(value);
}

/** `MaxRevision` of some ReplicaSets (0 when none has one). */
export function maxRevision(replicaSets: readonly KubeObject[]): number {
  let max = 0;
  for (const rs of replicaSets) {
    const v = revisionOf(rs);
    if (v !== undefined && v > max) max = v;
  }
  return max;
}

/** A template without its `pod-template-hash` label (and without labels once none are left). */
export function withoutHash(template: unknown): JsonObject {
  const copy = isJsonObject(template) ? cloneJson(template) : {};
  const tMeta = isJsonObject(copy.metadata) ? copy.metadata : undefined;
  if (tMeta !== undefined && isJsonObject(tMeta.labels)) {
    delete tMeta.labels[POD_TEMPLATE_HASH];
    if (Object.keys(tMeta.labels).length === 0) delete tMeta.labels;
  }
  return copy;
}

/** `EqualIgnoreHash`: whether two pod templates are the same but for `pod-template-hash`. */
export function equalIgnoreHash(a: unknown, b: unknown): boolean {
  return jsonEqual(withoutHash(a), withoutHash(b));
}

const creationMs = (object: KubeObject): number => Date.parse(String(meta(object).creationTimestamp ?? ''));

/**
 * `ReplicaSetsByCreationTimestamp`, oldest first. The cluster clock stands still while it
 * settles, so ReplicaSets created at one instant are ordered by revision before name.
 */
export function byCreation(a: KubeObject, b: KubeObject): number {
  const ta = creationMs(a) || 0;
  const tb = creationMs(b) || 0;
  if (ta !== tb) return ta - tb;
  const ra = revisionOf(a) ?? 0;
  const rb = revisionOf(b) ?? 0;
  if (ra !== rb) return ra - rb;
  return nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : 0;
}

/** `ReplicaSetsByRevision`, lowest first (ties by creation). */
export function byRevision(a: KubeObject, b: KubeObject): number {
  const ra = revisionOf(a);
  const rb = revisionOf(b);
  if (ra === undefined || rb === undefined || ra === rb) return byCreation(a, b);
  return ra - rb;
}

/** `FindNewReplicaSet`: the oldest ReplicaSet whose template is the Deployment's. */
export function findNewReplicaSet(d: KubeObject, replicaSets: readonly KubeObject[]): KubeObject | undefined {
  const template = specOf(d).template;
  return [...replicaSets].sort(byCreation).find((rs) => equalIgnoreHash(specOf(rs).template, template));
}

/** `FilterActiveReplicaSets`: the ReplicaSets with replicas wanted. */
export const activeReplicaSets = (replicaSets: readonly (KubeObject | undefined)[]): KubeObject[] =>
  replicaSets.filter((rs): rs is KubeObject => rs !== undefined && replicasOf(rs) > 0);

/** Σ spec.replicas. */
export const specReplicaSum = (replicaSets: readonly (KubeObject | undefined)[]): number =>
  replicaSets.reduce((n, rs) => n + (rs === undefined ? 0 : replicasOf(rs)), 0);

/** Σ of a status count. */
export const statusSum = (replicaSets: readonly (KubeObject | undefined)[], field: string): number =>
  replicaSets.reduce((n, rs) => n + (rs === undefined ? 0 : statusCount(rs, field)), 0);

/** An annotation that must be an integer (`GetDesiredReplicasAnnotation`, `getMaxReplicasAnnotation`). */
export function intAnnotation(object: KubeObject, key: string): number | undefined {
  const value = annotations(object)[key];
  return value !== undefined && /^-?\d+$/.test(value) ? Number(value) : undefined;
}

/** `ReplicasAnnotationsNeedUpdate`. */
export function replicasAnnotationsNeedUpdate(rs: KubeObject, desired: number, max: number): boolean {
  const a = annotations(rs);
  return a[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || a[MAX_REPLICAS_ANNOTATION] !== String(max);
}

/** The writable annotations map of an object (created when absent). */
export function annotationsFor(object: KubeObject): Record<string, string> {
  const m = meta(object);
  if (!isJsonObject(m.annotations)) {
    m.annotations = {};
    object.metadata = m;
  }
  return m.annotations as Record<string, string>;
}

/** `SetReplicasAnnotations`; returns whether anything changed. */
export function setReplicasAnnotations(rs: KubeObject, desired: number, max: number): boolean {
  const a = annotationsFor(rs);
  let changed = false;
  for (const [key, value] of [
    [DESIRED_REPLICAS_ANNOTATION, String(desired)],
    [MAX_REPLICAS_ANNOTATION, String(max)],
  ] as const) {
    if (a[key] !== value) {
      a[key] = value;
      changed = true;
    }
  }
  return changed;
}

/**
 * `SetNewReplicaSetAnnotations`: copies the Deployment's annotations (but the skipped ones),
 * raises the revision to `newRevision` (keeping the old one in `revision-history` when a
 * ReplicaSet is re-used), and for a ReplicaSet about to be created the replicas annotations.
 * Returns whether anything changed.
 */
export function setNewReplicaSetAnnotations(
  d: KubeObject,
  rs: KubeObject,
  newRevision: number,
  exists: boolean,
): boolean {
  const a = annotationsFor(rs);
  let changed = false;
  for (const [k, v] of Object.entries(annotations(d))) {
    if (ANNOTATIONS_TO_SKIP.has(k) || a[k] === v) continue;
    a[k] = v;
    changed = true;
  }
  const old = a[REVISION_ANNOTATION];
  if (old !== undefined && !/^-?\d+$/.test(old)) return false;
  const oldRevision = old === undefined ? 0 : Number(old);
  if (oldRevision < newRevision) {
    a[REVISION_ANNOTATION] = String(newRevision);
    changed = true;
    if (old !== undefined) {
      const history = a[REVISION_HISTORY_ANNOTATION] ?? '';
      if (history === '') a[REVISION_HISTORY_ANNOTATION] = old;
      else {
        let revisions = history.split(',');
        let total = history.length + old.length + 1;
        while (total > MAX_REVISION_HISTORY_CHARS && revisions.length > 0) {
          total -= revisions[0]!.length + 1;
          revisions = revisions.slice(1);
        }
        if (total <= MAX_REVISION_HISTORY_CHARS)
          a[REVISION_HISTORY_ANNOTATION] = [...revisions, old].join(',');
      }
    }
  }
  if (!exists && setReplicasAnnotations(rs, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true;
  return changed;
}

/** `NewRSNewReplicas`: how far the new ReplicaSet may grow now. */
export function newRSNewReplicas(d: KubeObject, all: readonly KubeObject[], newRS: KubeObject): number {
  if (!isRollingUpdate(d)) return replicasOf(d);
  const desired = replicasOf(d);
  const surge = scaledValue(rollingParams(d).maxSurge, desired, true);
  const current = specReplicaSum(all);
  const maxTotal = desired + surge;
  if (current >= maxTotal) return replicasOf(newRS);
  const up = Math.min(maxTotal - current, desired - replicasOf(newRS));
  return replicasOf(newRS) + up;
}

/** `IsSaturated`: the new ReplicaSet runs every replica, all available. */
export function isSaturated(d: KubeObject, rs: KubeObject | undefined): boolean {
  if (rs === undefined) return false;
  const desired = replicasOf(d);
  return (
    replicasOf(rs) === desired &&
    intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION) === desired &&
    statusCount(rs, 'availableReplicas') === desired
  );
}

/** `FindActiveOrLatest`: the only active ReplicaSet, or the newest when none is active. */
export function findActiveOrLatest(
  newRS: KubeObject | undefined,
  old: readonly KubeObject[],
): KubeObject | undefined {
  if (newRS === undefined && old.length === 0) return undefined;
  const sorted = [...old].sort((a, b) => byCreation(b, a));
  const active = activeReplicaSets([...sorted, newRS]);
  if (active.length === 0) return newRS ?? sorted[0];
  return active.length === 1 ? active[0] : undefined;
}

/** `GetReplicaSetProportion`: a ReplicaSet's share of a proportional scale. */
export function replicaSetProportion(d: KubeObject, rs: KubeObject, toAdd: number, added: number): number {
  if (replicasOf(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(d, rs);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

function replicaSetFraction(d: KubeObject, rs: KubeObject): number {
  const replicas = replicasOf(rs);
  if (replicasOf(d) === 0) return -replicas;
  const max = replicasOf(d) + maxSurge(d);
  let before = intAnnotation(rs, MAX_REPLICAS_ANNOTATION) ?? 0;
  if (before === 0) {
    before = statusCount(d, 'replicas');
    if (before === 0) return 0;
  }
  // Go's math.Round rounds halves away from zero; sizes are never negative here.
  return Math.round((replicas * max) / before) - replicas;
}

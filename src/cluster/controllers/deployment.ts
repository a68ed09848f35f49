/**
 * The deployment-controller (`pkg/controller/deployment`): Deployments own ReplicaSets named
 * `<deployment>-<pod-template-hash>`, one per template, and move pods from the old ones to the
 * new one.
 *
 * - RollingUpdate (`rolling.go`): the new ReplicaSet grows while the total stays within
 *   replicas + maxSurge (rounded up); old ReplicaSets shrink, their unavailable pods first, while
 *   at least replicas − maxUnavailable (rounded down) stay available. Recreate (`recreate.go`):
 *   old ReplicaSets go to 0, and once no old pod is left the new one scales up.
 * - Revisions: a new ReplicaSet gets max(old revisions) + 1; a template seen before re-uses its
 *   ReplicaSet (the rollback of `kubectl rollout undo`), whose old revision goes to
 *   `revision-history`. The Deployment carries its new ReplicaSet's revision.
 * - Scaling mid-rollout is proportional (`sync.go` `scale`), `spec.paused` stops the rollout, old
 *   ReplicaSets beyond `revisionHistoryLimit` are deleted once empty.
 * - Status: counts over all ReplicaSets, the Available and Progressing conditions with
 *   Kubernetes' reasons and messages; a stuck rollout is woken when its progress deadline is due
 *   (a wait: `settle()` leaves it stuck, letting the time pass marks it ProgressDeadlineExceeded).
 */

import { cloneJson, isJsonObject, type JsonObject, jsonEqual } from '../api/machinery/json-values.js';
import {
  type LabelSelector,
  labelSelectorFromObject,
  matchesLabels,
} from '../api/machinery/label-selector.js';
import { ApiError } from '../api/types.js';
import {
  type Controller,
  type ControllerContext,
  objectKey,
  splitKey,
  type WatchEvent,
} from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';
import {
  activeReplicaSets,
  annotationsFor,
  byCreation,
  byRevision,
  calculateStatus,
  DESIRED_REPLICAS_ANNOTATION,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  equalIgnoreHash,
  findActiveOrLatest,
  findNewReplicaSet,
  getCondition,
  hasProgressDeadline,
  intAnnotation,
  isRollingUpdate,
  isSaturated,
  maxRevision,
  maxSurge,
  maxUnavailable,
  newCondition,
  newRSNewReplicas,
  POD_TEMPLATE_HASH,
  progressDeadlineAt,
  REASONS,
  REVISION_ANNOTATION,
  removeCondition,
  replicaSetProportion,
  replicasAnnotationsNeedUpdate,
  replicasOf,
  setCondition,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  specReplicaSum,
  statusCount,
  statusSum,
} from './deployment-util.js';
import {
  annotations,
  controllerOf,
  controllerRef,
  isDeleting,
  labels,
  meta,
  nameOf,
  namespaceOf,
  rfc3339,
  specOf,
  statusOf,
  templateHash,
  uidOf,
} from './shared.js';

const NAME = 'deployment-controller';
/** When a refused ReplicaSet creation is retried (a wait: it would fail the same way). */
const FAILED_CREATE_RETRY_MS = 10_000;

/** Ends a sync early (after a write that will bring the Deployment back, or a refusal). */
class SyncStop extends Error {}

const isApiError = (error: unknown, code: number) => error instanceof ApiError && error.status.code === code;

/** What the controller keeps of a Deployment (to find the owners of orphan ReplicaSets). */
interface DeploymentInfo {
  readonly key: string;
  readonly uid: string;
  readonly namespace: string;
  readonly selector: LabelSelector;
}

/** The working state of one sync: the Deployment as last written, and the time its conditions carry. */
interface Sync {
  readonly ctx: ControllerContext;
  d: KubeObject;
  readonly now: string;
}

class DeploymentController implements Controller {
  readonly name = NAME;
  readonly resources = ['deployments.apps', 'replicasets.apps', 'pods'] as const;
  private readonly deployments = new Map<string, DeploymentInfo>();
  private readonly byNamespace = new Map<string, Set<string>>();
  private built = false;
  /** The controlling Deployment of each ReplicaSet seen (to wake the old one when it changes). */
  private readonly rsOwners = new Map<string, string>();
  /** Recreate Deployments waiting for their old pods to go, by namespace. */
  private readonly recreateWaiting = new Map<string, Set<string>>();

  reset(): void {
    this.deployments.clear();
    this.byNamespace.clear();
    this.rsOwners.clear();
    this.recreateWaiting.clear();
    this.built = true;
  }

  observe(event: WatchEvent, ctx: ControllerContext): void {
    const object = event.object;
    switch (event.key.resource) {
      case 'deployments.apps':
        if (this.built) this.remember(event.type === 'DELETED' ? undefined : object, objectKey(object));
        if (event.type !== 'DELETED') ctx.enqueue(objectKey(object));
        return;
      case 'replicasets.apps': {
        const key = objectKey(object);
        const ref = controllerOf(object);
        const owner =
          ref !== undefined && ref.kind === 'Deployment'
            ? `${namespaceOf(object)}/${String(ref.name)}`
            : undefined;
        const previous = this.rsOwners.get(key);
        if (previous !== undefined && previous !== owner) ctx.enqueue(previous);
        if (event.type === 'DELETED' || owner === undefined) this.rsOwners.delete(key);
        else this.rsOwners.set(key, owner);
        if (owner !== undefined) ctx.enqueue(owner);
        else if (event.type !== 'DELETED' && !isDeleting(object)) {
          // An orphan: the Deployments that select it may adopt it.
          this.build(ctx);
          for (const dKey of this.byNamespace.get(namespaceOf(object)) ?? []) {
            const info = this.deployments.get(dKey);
            if (info !== undefined && matchesLabels(info.selector, labels(object))) ctx.enqueue(dKey);
          }
        }
        return;
      }
      case 'pods': {
        const waiting = this.recreateWaiting.get(event.key.namespace);
        if (waiting !== undefined) for (const key of waiting) ctx.enqueue(key);
        return;
      }
    }
  }

  reconcile(key: string, ctx: ControllerContext): void {
    const { namespace, name } = splitKey(key);
    let d: KubeObject;
    try {
      d = ctx.api.get('deployments.apps', namespace, name);
    } catch (error) {
      if (isApiError(error, 404)) {
        this.remember(undefined, key);
        this.recreateWaiting.get(namespace)?.delete(key);
        return;
      }
      throw error;
    }
    this.build(ctx);
    this.remember(d, key);
    const sync: Sync = { ctx, d, now: rfc3339(ctx.now()) };
    try {
      this.syncDeployment(sync, key);
    } catch (error) {
      if (!(error instanceof SyncStop)) throw error;
    }
  }

  /** `syncDeployment`. */
  private syncDeployment(s: Sync, key: string): void {
    const rsList = this.replicaSetsFor(s);
    if (isDeleting(s.d)) {
      this.syncStatusOnly(s, rsList);
      return;
    }
    this.checkPausedConditions(s);
    if (specOf(s.d).paused === true) {
      this.sync(s, rsList);
      return;
    }
    if (this.isScalingEvent(s, rsList)) {
      this.sync(s, rsList);
      return;
    }
    if (isRollingUpdate(s.d)) this.rolloutRolling(s, rsList);
    else this.rolloutRecreate(s, rsList, key);
  }

  /** Builds the Deployment cache from one list, the first time it is needed in a process. */
  private build(ctx: ControllerContext): void {
    if (this.built) return;
    this.built = true;
    for (const d of ctx.api.list('deployments.apps').items) this.remember(d, objectKey(d));
  }

  private remember(d: KubeObject | undefined, key: string): void {
    const old = this.deployments.get(key);
    if (old !== undefined) this.byNamespace.get(old.namespace)?.delete(key);
    if (d === undefined) {
      this.deployments.delete(key);
      return;
    }
    let selector: LabelSelector;
    try {
      selector = labelSelectorFromObject(specOf(d).selector);
    } catch {
      selector = labelSelectorFromObject(null);
    }
    const info = { key, uid: uidOf(d), namespace: namespaceOf(d), selector };
    this.deployments.set(key, info);
    let set = this.byNamespace.get(info.namespace);
    if (set === undefined) this.byNamespace.set(info.namespace, (set = new Set()));
    set.add(key);
  }

  /**
   * `getReplicaSetsForDeployment`: the ReplicaSets it controls, adopting the orphans its selector
   * selects (`ClaimReplicaSets`).
   */
  private replicaSetsFor(s: Sync): KubeObject[] {
    const { ctx, d } = s;
    const uid = uidOf(s.d);
    const selector = labelSelectorFromObject(specOf(d).selector);
    const listed = ctx.api.list('replicasets.apps', {
      namespace: namespaceOf(d),
      labelSelector: selector,
    }).items;
    const out: KubeObject[] = [];
    for (const rs of listed) {
      const ref = controllerOf(rs);
      if (ref !== undefined) {
        if (ref.uid === uid) out.push(rs);
        continue;
      }
      if (isDeleting(d) || isDeleting(rs)) continue;
      try {
        out.push(
          ctx.api.patch(
            'replicasets.apps',
            namespaceOf(rs),
            nameOf(rs),
            { metadata: { ownerReferences: [controllerRef(d)] } },
            'strategic',
            { fieldManager: NAME },
          ),
        );
      } catch (error) {
        if (!isApiError(error, 404)) throw error;
      }
    }
    return out;
  }

  /** `getAllReplicaSetsAndSyncRevision`: the new ReplicaSet (created when asked) and the old ones. */
  private newAndOld(
    s: Sync,
    rsList: readonly KubeObject[],
    create: boolean,
  ): { newRS: KubeObject | undefined; old: KubeObject[] } {
    const existing = findNewReplicaSet(s.d, rsList);
    const old = rsList.filter((rs) => rs !== existing);
    return { newRS: this.newReplicaSet(s, existing, old, create), old };
  }

  /** `getNewReplicaSet`. */
  private newReplicaSet(
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
        ctx.api.update(copy, { fieldManager: NAME });
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
      this.saveRevision(s, annotations(copy)[REVISION_ANNOTATION]);
      this.saveStatus(s, status);
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
      created = ctx.api.create(newRS, { fieldManager: NAME });
    } catch (error) {
      if (isApiError(error, 409) && (error as ApiError).status.reason === 'AlreadyExists') {
        const found = ctx.api.get('replicasets.apps', namespaceOf(d), rsName);
        const ref = controllerOf(found);
        if (ref?.uid === uidOf(d) && equalIgnoreHash(specOf(d).template, specOf(found).template)) {
          created = found;
          alreadyExists = true;
        } else {
          // A hash collision: try again with the next collision count.
          this.saveStatus(s, { ...cloneJson(statusOf(d)), collisionCount: collisions + 1 });
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
          this.saveStatus(s, status);
        }
        ctx.recorder(NAME).record(d, 'Warning', REASONS.ReplicaSetCreateError, message);
        ctx.after(objectKey(d), FAILED_CREATE_RETRY_MS, 'wait');
        throw new SyncStop();
      } else throw error;
    }
    if (!alreadyExists && replicas > 0)
      ctx
        .recorder(NAME)
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
    this.saveRevision(s, String(newRevision));
    this.saveStatus(s, status);
    return created;
  }

  /** Writes the Deployment's revision annotation when it differs. */
  private saveRevision(s: Sync, revision: string | undefined): void {
    if (revision === undefined || annotations(s.d)[REVISION_ANNOTATION] === revision) return;
    const copy = cloneJson(s.d);
    annotationsFor(copy)[REVISION_ANNOTATION] = revision;
    s.d = s.ctx.api.update(copy, { fieldManager: NAME });
  }

  /** Writes the Deployment's status when it differs. */
  private saveStatus(s: Sync, status: JsonObject): void {
    if (jsonEqual(statusOf(s.d), status)) return;
    s.d = s.ctx.api.update({ ...s.d, status }, { subresource: 'status', fieldManager: NAME });
  }

  /** `checkPausedConditions`: Progressing Unknown while paused, and when resumed. */
  private checkPausedConditions(s: Sync): void {
    if (!hasProgressDeadline(s.d)) return;
    const condition = getCondition(statusOf(s.d), 'Progressing');
    if (condition?.reason === REASONS.ProgressDeadlineExceeded) return;
    const pausedCondition = condition?.reason === REASONS.DeploymentPaused;
    const paused = specOf(s.d).paused === true;
    let next: ReturnType<typeof newCondition> | undefined;
    if (paused && !pausedCondition)
      next = newCondition('Progressing', 'Unknown', REASONS.DeploymentPaused, 'Deployment is paused', s.now);
    else if (!paused && pausedCondition)
      next = newCondition(
        'Progressing',
        'Unknown',
        REASONS.DeploymentResumed,
        'Deployment is resumed',
        s.now,
      );
    if (next === undefined) return;
    const status = cloneJson(statusOf(s.d));
    setCondition(status, next);
    this.saveStatus(s, status);
  }

  /** `isScalingEvent`: an active ReplicaSet was last scaled for another replica count. */
  private isScalingEvent(s: Sync, rsList: readonly KubeObject[]): boolean {
    const { newRS, old } = this.newAndOld(s, rsList, false);
    for (const rs of activeReplicaSets([...old, newRS])) {
      const desired = intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
      if (desired !== undefined && desired !== replicasOf(s.d)) return true;
    }
    return false;
  }

  /** `syncStatusOnly`. */
  private syncStatusOnly(s: Sync, rsList: readonly KubeObject[]): void {
    const { newRS, old } = this.newAndOld(s, rsList, false);
    this.saveStatus(s, calculateStatus([...old, ...(newRS ? [newRS] : [])], newRS, s.d, s.now));
  }

  /** `sync`: scaling (proportional mid-rollout) and, while paused, the clean-up. */
  private sync(s: Sync, rsList: readonly KubeObject[]): void {
    const { newRS, old } = this.newAndOld(s, rsList, false);
    const scaled = this.scale(s, newRS, old);
    if (specOf(s.d).paused === true) this.cleanup(s, scaled.old);
    const all = [...scaled.old, ...(scaled.newRS ? [scaled.newRS] : [])];
    this.saveStatus(s, calculateStatus(all, scaled.newRS, s.d, s.now));
  }

  /** `scale`: brings the active ReplicaSets to the Deployment's size. */
  private scale(
    s: Sync,
    newRS: KubeObject | undefined,
    old: KubeObject[],
  ): { newRS: KubeObject | undefined; old: KubeObject[] } {
    const d = s.d;
    const replace = (from: KubeObject, to: KubeObject) => {
      if (from === newRS) newRS = to;
      else old = old.map((rs) => (rs === from ? to : rs));
    };
    const only = findActiveOrLatest(newRS, old);
    if (only !== undefined) {
      if (replicasOf(only) !== replicasOf(d)) replace(only, this.scaleAndRecord(s, only, replicasOf(d)));
      return { newRS, old };
    }
    if (isSaturated(d, newRS)) {
      for (const rs of activeReplicaSets(old)) replace(rs, this.scaleAndRecord(s, rs, 0));
      return { newRS, old };
    }
    if (!isRollingUpdate(d)) return { newRS, old };
    const active = activeReplicaSets([...old, newRS]);
    const allowed = replicasOf(d) > 0 ? replicasOf(d) + maxSurge(d) : 0;
    const toAdd = allowed - specReplicaSum(active);
    let operation = '';
    if (toAdd > 0) {
      // Larger first; newer first among equals when scaling up.
      active.sort((a, b) => replicasOf(b) - replicasOf(a) || byCreation(b, a));
      operation = 'up';
    } else if (toAdd < 0) {
      // Larger first; older first among equals when scaling down.
      active.sort((a, b) => replicasOf(b) - replicasOf(a) || byCreation(a, b));
      operation = 'down';
    }
    let added = 0;
    const sizes = new Map<KubeObject, number>();
    for (const rs of active) {
      if (toAdd !== 0) {
        const proportion = replicaSetProportion(d, rs, toAdd, added);
        sizes.set(rs, replicasOf(rs) + proportion);
        added += proportion;
      } else sizes.set(rs, replicasOf(rs));
    }
    active.forEach((rs, i) => {
      let size = sizes.get(rs)!;
      if (i === 0 && toAdd !== 0) size = Math.max(0, size + (toAdd - added));
      replace(rs, this.scaleReplicaSet(s, rs, size, operation));
    });
    return { newRS, old };
  }

  /** `scaleReplicaSetAndRecordEvent`. */
  private scaleAndRecord(s: Sync, rs: KubeObject, size: number): KubeObject {
    if (replicasOf(rs) === size) return rs;
    return this.scaleReplicaSet(s, rs, size, replicasOf(rs) < size ? 'up' : 'down');
  }

  /** `scaleReplicaSet`: sets the size and the replicas annotations; records `ScalingReplicaSet`. */
  private scaleReplicaSet(s: Sync, rs: KubeObject, size: number, operation: string): KubeObject {
    const d = s.d;
    const sizeChanged = replicasOf(rs) !== size;
    const max = replicasOf(d) + maxSurge(d);
    if (!sizeChanged && !replicasAnnotationsNeedUpdate(rs, replicasOf(d), max)) return rs;
    const from = replicasOf(rs);
    const copy = cloneJson(rs);
    (copy.spec as JsonObject).replicas = size;
    setReplicasAnnotations(copy, replicasOf(d), max);
    const updated = s.ctx.api.update(copy, { fieldManager: NAME });
    if (sizeChanged)
      s.ctx
        .recorder(NAME)
        .record(
          d,
          'Normal',
          'ScalingReplicaSet',
          `Scaled ${operation} replica set ${nameOf(rs)} from ${from} to ${size}`,
        );
    return updated;
  }

  /** `rolloutRolling`. */
  private rolloutRolling(s: Sync, rsList: readonly KubeObject[]): void {
    const got = this.newAndOld(s, rsList, true);
    let newRS = got.newRS!;
    let old = got.old;
    const all = () => [...old, newRS];
    // Scale up, if we can.
    if (replicasOf(newRS) !== replicasOf(s.d)) {
      const target =
        replicasOf(newRS) > replicasOf(s.d) ? replicasOf(s.d) : newRSNewReplicas(s.d, all(), newRS);
      const scaled = this.scaleAndRecord(s, newRS, target);
      if (scaled !== newRS) {
        newRS = scaled;
        this.syncRolloutStatus(s, all(), newRS);
        return;
      }
    }
    // Scale down, if we can.
    const down = this.reconcileOldReplicaSets(s, old, newRS);
    if (down.scaled > 0) {
      old = down.old;
      this.syncRolloutStatus(s, all(), newRS);
      return;
    }
    if (deploymentComplete(s.d, statusOf(s.d))) this.cleanup(s, old);
    this.syncRolloutStatus(s, all(), newRS);
  }

  /** `reconcileOldReplicaSets`: unhealthy old replicas first, then as availability allows. */
  private reconcileOldReplicaSets(
    s: Sync,
    oldIn: KubeObject[],
    newRS: KubeObject,
  ): { old: KubeObject[]; scaled: number } {
    let old = oldIn;
    const active = () => activeReplicaSets(old);
    if (specReplicaSum(active()) === 0) return { old, scaled: 0 };
    const allPods = specReplicaSum([...old, newRS]);
    const minAvailable = replicasOf(s.d) - maxUnavailable(s.d);
    const newUnavailable = replicasOf(newRS) - statusCount(newRS, 'availableReplicas');
    const maxScaledDown = allPods - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return { old, scaled: 0 };
    const replace = (from: KubeObject, to: KubeObject) => {
      old = old.map((rs) => (rs === from ? to : rs));
    };
    // cleanupUnhealthyReplicas: scaling down unavailable pods never lowers availability.
    let cleaned = 0;
    for (const rs of active().sort(byCreation)) {
      if (cleaned >= maxScaledDown) break;
      const replicas = replicasOf(rs);
      const available = statusCount(rs, 'availableReplicas');
      if (replicas === 0 || replicas === available) continue;
      const count = Math.min(maxScaledDown - cleaned, replicas - available);
      replace(rs, this.scaleAndRecord(s, rs, replicas - count));
      cleaned += count;
    }
    // scaleDownOldReplicaSetsForRollingUpdate: as far as availability allows.
    let scaledDown = 0;
    const availableNow = statusSum([...old, newRS], 'availableReplicas');
    if (availableNow > minAvailable) {
      const budget = availableNow - minAvailable;
      for (const rs of active().sort(byCreation)) {
        if (scaledDown >= budget) break;
        const replicas = replicasOf(rs);
        if (replicas === 0) continue;
        const count = Math.min(replicas, budget - scaledDown);
        replace(rs, this.scaleAndRecord(s, rs, replicas - count));
        scaledDown += count;
      }
    }
    return { old, scaled: cleaned + scaledDown };
  }

  /** `rolloutRecreate`: old ReplicaSets to 0, wait for their pods to go, then the new one up. */
  private rolloutRecreate(s: Sync, rsList: readonly KubeObject[], key: string): void {
    const got = this.newAndOld(s, rsList, false);
    let newRS = got.newRS;
    let old = got.old;
    const all = () => [...old, ...(newRS ? [newRS] : [])];
    let scaledDown = false;
    for (const rs of activeReplicaSets(old)) {
      const scaled = this.scaleAndRecord(s, rs, 0);
      if (scaled !== rs) {
        old = old.map((o) => (o === rs ? scaled : o));
        scaledDown = true;
      }
    }
    const namespace = namespaceOf(s.d);
    if (scaledDown || this.oldPodsRunning(s, newRS, old)) {
      let waiting = this.recreateWaiting.get(namespace);
      if (waiting === undefined) this.recreateWaiting.set(namespace, (waiting = new Set()));
      waiting.add(key);
      this.syncRolloutStatus(s, all(), newRS);
      return;
    }
    const waiting = this.recreateWaiting.get(namespace);
    if (waiting?.delete(key) && waiting.size === 0) this.recreateWaiting.delete(namespace);
    if (newRS === undefined) {
      const created = this.newAndOld(s, rsList, true);
      newRS = created.newRS;
      old = created.old;
    }
    if (newRS !== undefined) newRS = this.scaleAndRecord(s, newRS, replicasOf(s.d));
    if (deploymentComplete(s.d, statusOf(s.d))) this.cleanup(s, old);
    this.syncRolloutStatus(s, all(), newRS);
  }

  /** `oldPodsRunning`: an old ReplicaSet still reports pods, or a pod of one has not finished. */
  private oldPodsRunning(s: Sync, newRS: KubeObject | undefined, old: readonly KubeObject[]): boolean {
    if (statusSum(old, 'replicas') > 0) return true;
    const oldUids = new Set(old.map(uidOf));
    if (oldUids.size === 0) return false;
    const pods = s.ctx.api.list('pods', {
      namespace: namespaceOf(s.d),
      labelSelector: labelSelectorFromObject(specOf(s.d).selector),
    }).items;
    const newUid = newRS === undefined ? '' : uidOf(newRS);
    return pods.some((pod) => {
      const ref = controllerOf(pod);
      if (ref === undefined || ref.uid === newUid || !oldUids.has(String(ref.uid))) return false;
      const phase = statusOf(pod).phase;
      return phase !== 'Succeeded' && phase !== 'Failed';
    });
  }

  /** `cleanupDeployment`: deletes the oldest empty old ReplicaSets beyond `revisionHistoryLimit`. */
  private cleanup(s: Sync, old: readonly KubeObject[]): void {
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
        s.ctx.api.delete('replicasets.apps', namespaceOf(rs), nameOf(rs), { fieldManager: NAME });
      } catch (error) {
        if (!isApiError(error, 404)) throw error;
      }
    }
  }

  /** `syncRolloutStatus`: the status with the Progressing condition; wakes a stuck rollout at its deadline. */
  private syncRolloutStatus(s: Sync, all: readonly KubeObject[], newRS: KubeObject | undefined): void {
    const d = s.d;
    const status = calculateStatus(all, newRS, d, s.now);
    if (!hasProgressDeadline(d)) removeCondition(status, 'Progressing');
    const current = getCondition(statusOf(d), 'Progressing');
    const complete =
      numberOr(status.replicas, 0) === numberOr(status.updatedReplicas, 0) &&
      current?.reason === REASONS.NewReplicaSetAvailable;
    if (hasProgressDeadline(d) && !complete) {
      const rsName = newRS === undefined ? undefined : JSON.stringify(nameOf(newRS));
      const subject =
        rsName === undefined ? `Deployment ${JSON.stringify(nameOf(d))}` : `ReplicaSet ${rsName}`;
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
      this.requeueStuck(s, status);
      return;
    }
    this.saveStatus(s, status);
  }

  /** `requeueStuckDeployment`: a wait wake-up when the progress deadline is due. */
  private requeueStuck(s: Sync, status: JsonObject): void {
    const d = s.d;
    const current = getCondition(statusOf(d), 'Progressing');
    if (!hasProgressDeadline(d) || current === undefined) return;
    if (deploymentComplete(d, status) || current.reason === REASONS.ProgressDeadlineExceeded) return;
    const at = progressDeadlineAt(d, statusOf(d));
    if (at === undefined) return;
    s.ctx.after(objectKey(d), Math.max(0, at - s.ctx.now().getTime()), 'wait');
  }
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

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** Sets `spec.minReadySeconds` (absent when 0, as Kubernetes omits it). */
function setMinReadySeconds(rs: KubeObject, seconds: number): void {
  const spec = rs.spec as JsonObject;
  if (seconds > 0) spec.minReadySeconds = seconds;
  else delete spec.minReadySeconds;
}

/** Builds the deployment-controller. */
export function deploymentController(): Controller {
  return new DeploymentController();
}

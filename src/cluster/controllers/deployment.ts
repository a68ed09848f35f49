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
 *
 * This module follows the events, adopts orphan ReplicaSets and picks the sync; the rollout
 * arithmetic is in `deployment-rollout.ts`, the revisions and new ReplicaSet in
 * `deployment-revisions.ts`, the status writes in `deployment-progress.ts` (their pure parts in
 * `deployment-conditions.ts` and `deployment-util.ts`), the shared writes in `deployment-sync.ts`.
 */

import {
  type LabelSelector,
  labelSelectorFromObject,
  matchesLabels,
} from '../api/machinery/label-selector.js';
import {
  type Controller,
  type ControllerContext,
  objectKey,
  splitKey,
  type WatchEvent,
} from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';
import { calculateStatus } from './deployment-conditions.js';
import { checkPausedConditions, syncStatusOnly } from './deployment-progress.js';
import { cleanup, newAndOld } from './deployment-revisions.js';
import { rolloutRecreate, rolloutRolling, scale } from './deployment-rollout.js';
import { DEPLOYMENT_CONTROLLER, isApiError, type Sync, SyncStop, saveStatus } from './deployment-sync.js';
import {
  activeReplicaSets,
  DESIRED_REPLICAS_ANNOTATION,
  intAnnotation,
  isRollingUpdate,
  replicasOf,
} from './deployment-util.js';
import {
  controllerOf,
  controllerRef,
  isDeleting,
  labels,
  nameOf,
  namespaceOf,
  rfc3339,
  specOf,
  uidOf,
} from './shared.js';

/** What the controller keeps of a Deployment (to find the owners of orphan ReplicaSets). */
interface DeploymentInfo {
  readonly key: string;
  readonly uid: string;
  readonly namespace: string;
  readonly selector: LabelSelector;
}

class DeploymentController implements Controller {
  readonly name = DEPLOYMENT_CONTROLLER;
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
      syncStatusOnly(s, rsList);
      return;
    }
    checkPausedConditions(s);
    if (specOf(s.d).paused === true) {
      this.sync(s, rsList);
      return;
    }
    if (this.isScalingEvent(s, rsList)) {
      this.sync(s, rsList);
      return;
    }
    if (isRollingUpdate(s.d)) rolloutRolling(s, rsList);
    else rolloutRecreate(s, rsList, key, this.recreateWaiting);
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
            { fieldManager: DEPLOYMENT_CONTROLLER },
          ),
        );
      } catch (error) {
        if (!isApiError(error, 404)) throw error;
      }
    }
    return out;
  }

  /** `isScalingEvent`: an active ReplicaSet was last scaled for another replica count. */
  private isScalingEvent(s: Sync, rsList: readonly KubeObject[]): boolean {
    const { newRS, old } = newAndOld(s, rsList, false);
    for (const rs of activeReplicaSets([...old, newRS])) {
      const desired = intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
      if (desired !== undefined && desired !== replicasOf(s.d)) return true;
    }
    return false;
  }

  /** `sync`: scaling (proportional mid-rollout) and, while paused, the clean-up. */
  private sync(s: Sync, rsList: readonly KubeObject[]): void {
    const { newRS, old } = newAndOld(s, rsList, false);
    const scaled = scale(s, newRS, old);
    if (specOf(s.d).paused === true) cleanup(s, scaled.old);
    const all = [...scaled.old, ...(scaled.newRS ? [scaled.newRS] : [])];
    saveStatus(s, calculateStatus(all, scaled.newRS, s.d, s.now));
  }
}

/** Builds the deployment-controller. */
export function deploymentController(): Controller {
  return new DeploymentController();
}

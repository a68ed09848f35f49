/**
 * The replicaset-controller (`pkg/controller/replicaset/replica_set.go`): keeps `spec.replicas`
 * active pods matching each ReplicaSet's selector.
 *
 * - Claims pods as `ClaimPods` does: adopts orphans its selector selects (adding a controller
 *   owner reference) and releases the pods it controls whose labels stopped matching (removing
 *   it; the released pod keeps running, so removing a pod's label gets it replaced).
 * - Creates the missing pods from the template (`generateName: <rs>-`) in slow-start batches of
 *   1, 2, 4… (at most 500 per sync; a refused batch stops the sync and is retried), deletes the
 *   surplus in the scale-down order of `ActivePodsWithRanks`, with the events Kubernetes records
 *   (`SuccessfulCreate`, `SuccessfulDelete`, `FailedCreate`).
 * - Reports `replicas`, `fullyLabeledReplicas`, `readyReplicas`, `availableReplicas` (ready for
 *   `minReadySeconds`; a progress wake-up is scheduled for the next pod to become available),
 *   `observedGeneration` and the `ReplicaFailure` condition. Terminating pods do not count.
 *
 * Pods are never listed per sync: a lean entry per pod and per-owner counts are kept from watch
 * events (built from one list the first time they are needed in a process).
 *
 * This file holds the caches, claiming and the sync; pod creation, deletion and the status are
 * written by `replicaset-writes.ts`, and the pod index and deletion ranking are `replicaset-pods.ts`.
 */

import { isJsonObject } from '../api/machinery/json-values.js';
import {
  type LabelSelector,
  labelSelectorFromMap,
  labelSelectorFromObject,
} from '../api/machinery/label-selector.js';
import {
  type Controller,
  type ControllerContext,
  objectKey,
  splitKey,
  type WatchEvent,
} from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';
import { SimilarEvents } from './event-correlation.js';
import { type OwnerShape, type PodEntry, PodIndex, podEntryOf, selectsPod } from './replicaset-pods.js';
import {
  BURST_PACE_MS,
  BURST_REPLICAS,
  countOr,
  createPods,
  deletePods,
  FAILED_SYNC_RETRY_MS,
  type ReplicaWriter,
  writeStatus,
} from './replicaset-writes.js';
import {
  controllerRef,
  isDeleting,
  isNotFound,
  namespaceOf,
  patchPod,
  releasePod,
  specOf,
  uidOf,
} from './shared.js';

export {
  BURST_PACE_MS,
  BURST_REPLICAS,
  FAILED_SYNC_RETRY_MS,
  SLOW_START_INITIAL_BATCH_SIZE,
} from './replicaset-writes.js';

/** The kind a replica controller manages. */
interface ReplicaKind {
  /** The controller's name (event source, field manager). */
  readonly controller: string;
  /** Store resource key. */
  readonly resource: string;
  readonly kind: string;
  /** The selector of an object of this kind. */
  readonly selector: (object: KubeObject) => LabelSelector;
}

/** What is known of one managed object. */
interface OwnerInfo extends OwnerShape {
  readonly uid: string;
  readonly key: string;
  readonly namespace: string;
  readonly selectorJson: string;
  readonly labelsJson: string;
}

const templateLabelsOf = (object: KubeObject): Record<string, string> => {
  const template = specOf(object).template;
  const tMeta = isJsonObject(template) && isJsonObject(template.metadata) ? template.metadata : {};
  const out: Record<string, string> = {};
  if (isJsonObject(tMeta.labels)) for (const [k, v] of Object.entries(tMeta.labels)) out[k] = String(v);
  return out;
};

/**
 * The shared machinery of the replicaset-controller and the replication-controller: the same
 * algorithm over ReplicaSets (`apps/v1`, a `LabelSelector`) or ReplicationControllers (`v1`, a
 * plain map selector).
 */
class ReplicaManager implements Controller {
  readonly name: string;
  readonly resources: readonly string[];
  private readonly owners = new Map<string, OwnerInfo>();
  private readonly uidByKey = new Map<string, string>();
  private readonly ownersByNamespace = new Map<string, Set<string>>();
  private readonly pods: PodIndex;
  /** What the pod and status writes use. */
  private readonly writer: ReplicaWriter;
  /** Orphans an owner's selector selects, to adopt on its next sync. */
  private readonly adoptable = new Map<string, Set<string>>();
  /** Owned pods an owner's selector no longer selects, to release on its next sync. */
  private readonly mismatched = new Map<string, Set<string>>();
  private readonly events = new SimilarEvents();
  /** Until when (ms) a key that hit the burst limit waits before its next burst. */
  private readonly pacedUntil = new Map<string, number>();
  /** Keys whose last sync had a create or delete refused (retried when a quota changes). */
  private readonly failing = new Set<string>();
  /** Whether the caches hold the whole cluster, and the store revision they were built at. */
  private built = false;
  private builtRevision = -1;

  constructor(private readonly kind: ReplicaKind) {
    this.name = kind.controller;
    this.resources = [kind.resource, 'pods', 'resourcequotas'];
    this.pods = new PodIndex(kind.kind, (uid) => this.owners.get(uid));
    this.writer = { controller: kind.controller, events: this.events, pods: this.pods };
  }

  reset(): void {
    this.owners.clear();
    this.uidByKey.clear();
    this.ownersByNamespace.clear();
    this.pods.clear();
    this.adoptable.clear();
    this.mismatched.clear();
    this.failing.clear();
    this.events.clear();
    this.pacedUntil.clear();
    // A resync follows: it hands over every object, so the caches are complete once it is done.
    this.built = true;
    this.builtRevision = -1;
  }

  observe(event: WatchEvent, ctx: ControllerContext): void {
    const resource = event.key.resource;
    if (resource === 'resourcequotas') {
      for (const key of this.failing) if (splitKey(key).namespace === event.key.namespace) ctx.enqueue(key);
      return;
    }
    this.build(ctx);
    const apply = event.revision > this.builtRevision;
    if (resource === this.kind.resource) {
      if (apply) this.applyOwner(event.type, event.object);
      if (event.type !== 'DELETED') ctx.enqueue(objectKey(event.object));
      return;
    }
    const key = `${event.key.namespace}/${event.key.name}`;
    const next = event.type === 'DELETED' ? undefined : podEntryOf(event.object);
    if (!apply) {
      // Already in the caches (built after this change): only say who should look at it.
      const entry = next ?? podEntryOf(event.object);
      this.enqueueOwner(ctx, entry);
      this.noteClaims(ctx, entry);
      return;
    }
    const before = this.pods.contributionOf(key);
    const old = this.pods.set(key, next);
    const after = this.pods.contributionOf(key);
    if (old !== undefined && old.owner !== next?.owner) {
      this.mismatched.get(old.owner)?.delete(key);
      this.enqueueOwner(ctx, old);
    }
    if (next !== undefined) this.noteClaims(ctx, next);
    const changed =
      old === undefined ||
      next === undefined ||
      old.owner !== next.owner ||
      before.active !== after.active ||
      before.ready !== after.ready ||
      before.fullyLabeled !== after.fullyLabeled ||
      (after.ready && old.readySince !== next.readySince);
    if (changed) this.enqueueOwner(ctx, next ?? old!);
  }

  reconcile(key: string, ctx: ControllerContext): void {
    this.build(ctx);
    const { namespace, name } = splitKey(key);
    let object: KubeObject;
    try {
      object = ctx.api.get(this.kind.resource, namespace, name);
    } catch (error) {
      if (isNotFound(error)) {
        this.failing.delete(key);
        this.pacedUntil.delete(key);
        return;
      }
      throw error;
    }
    const now = ctx.now().getTime();
    const paced = this.pacedUntil.get(key);
    if (paced !== undefined && paced > now) {
      ctx.after(key, paced - now, 'progress');
      return;
    }
    this.pacedUntil.delete(key);
    const uid = uidOf(object);
    const info = this.owners.get(uid) ?? this.applyOwner('ADDED', object);
    const deleting = isDeleting(object);
    if (!deleting && this.claim(ctx, object, info)) {
      // Count the claimed pods once their changes are seen.
      ctx.enqueue(key);
      return;
    }
    const spec = specOf(object);
    const replicas = countOr(spec.replicas, 1);
    const group = this.pods.ownedBy(uid);
    const diff = group.active - replicas;
    let failure: Error | undefined;
    if (!deleting)
      failure =
        diff < 0 ? createPods(this.writer, ctx, object, -diff) : deletePods(this.writer, ctx, object, diff);
    if (failure === undefined) this.failing.delete(key);
    else {
      this.failing.add(key);
      ctx.after(key, FAILED_SYNC_RETRY_MS, 'wait');
    }
    if (!deleting && failure === undefined && Math.abs(diff) > BURST_REPLICAS) {
      this.pacedUntil.set(key, now + BURST_PACE_MS);
      ctx.after(key, BURST_PACE_MS, 'progress');
    }
    writeStatus(this.writer, ctx, object, key, group, diff, failure);
  }

  /** Builds the caches from one list of each resource, the first time they are needed. */
  private build(ctx: ControllerContext): void {
    if (this.built) return;
    this.built = true;
    const owners = ctx.api.list(this.kind.resource);
    for (const object of owners.items) this.applyOwner('ADDED', object);
    const pods = ctx.api.list('pods');
    for (const pod of pods.items) {
      const entry = podEntryOf(pod);
      this.pods.set(entry.key, entry);
      this.trackMismatch(entry);
    }
    this.builtRevision = Number(pods.metadata.resourceVersion);
  }

  /** Records an owner object (or, deleted, forgets it); returns what is known of it. */
  private applyOwner(type: WatchEvent['type'], object: KubeObject): OwnerInfo {
    const uid = uidOf(object);
    const key = objectKey(object);
    const namespace = namespaceOf(object);
    const templateLabels = templateLabelsOf(object);
    const info: OwnerInfo = {
      uid,
      key,
      namespace,
      selector: this.kind.selector(object),
      templateLabels,
      selectorJson: JSON.stringify(specOf(object).selector ?? null),
      labelsJson: JSON.stringify(templateLabels),
    };
    if (type === 'DELETED') {
      this.forgetOwner(uid);
      return info;
    }
    const previous = this.owners.get(uid);
    const replaced = this.uidByKey.get(key);
    if (replaced !== undefined && replaced !== uid) this.forgetOwner(replaced);
    this.owners.set(uid, info);
    this.uidByKey.set(key, uid);
    let inNamespace = this.ownersByNamespace.get(namespace);
    if (inNamespace === undefined) this.ownersByNamespace.set(namespace, (inNamespace = new Set()));
    inNamespace.add(uid);
    if (previous === undefined || previous.labelsJson !== info.labelsJson) this.pods.recount(uid);
    if (previous === undefined || previous.selectorJson !== info.selectorJson) {
      // Which orphans it may adopt, and which of its pods it must release, changed.
      for (const podKey of this.pods.orphansIn(namespace)) {
        const entry = this.pods.get(podKey);
        if (entry !== undefined && selectsPod(info, entry)) this.addTo(this.adoptable, uid, podKey);
      }
      for (const podKey of this.pods.ownedBy(uid).keys) {
        const entry = this.pods.get(podKey);
        if (entry !== undefined) this.trackMismatch(entry);
      }
    }
    return info;
  }

  private forgetOwner(uid: string): void {
    const info = this.owners.get(uid);
    if (info === undefined) return;
    this.owners.delete(uid);
    if (this.uidByKey.get(info.key) === uid) this.uidByKey.delete(info.key);
    const inNamespace = this.ownersByNamespace.get(info.namespace);
    if (inNamespace?.delete(uid) && inNamespace.size === 0) this.ownersByNamespace.delete(info.namespace);
    this.adoptable.delete(uid);
    this.mismatched.delete(uid);
    this.events.forget(uid);
  }

  /** Enqueues the owner a pod names, if it is of this kind. */
  private enqueueOwner(ctx: ControllerContext, entry: PodEntry): void {
    if (entry.ownerKind !== this.kind.kind || entry.owner === '') return;
    const info = this.owners.get(entry.owner);
    ctx.enqueue(info?.key ?? `${entry.namespace}/${entry.ownerName}`);
  }

  /** Notes (and enqueues) the adoption of an orphan or the release of a pod that stopped matching. */
  private noteClaims(ctx: ControllerContext, entry: PodEntry): void {
    if (entry.owner === '' && !entry.deleting) {
      for (const uid of this.ownersByNamespace.get(entry.namespace) ?? []) {
        const info = this.owners.get(uid);
        if (info === undefined || !selectsPod(info, entry)) continue;
        this.addTo(this.adoptable, uid, entry.key);
        ctx.enqueue(info.key);
      }
      return;
    }
    if (this.trackMismatch(entry)) this.enqueueOwner(ctx, entry);
  }

  /** Records whether an owned pod is no longer selected by its owner; returns whether it is not. */
  private trackMismatch(entry: PodEntry): boolean {
    if (entry.ownerKind !== this.kind.kind || entry.owner === '') return false;
    const info = this.owners.get(entry.owner);
    if (info !== undefined && !selectsPod(info, entry)) {
      this.addTo(this.mismatched, entry.owner, entry.key);
      return true;
    }
    this.mismatched.get(entry.owner)?.delete(entry.key);
    return false;
  }

  private addTo(map: Map<string, Set<string>>, uid: string, key: string): void {
    let set = map.get(uid);
    if (set === undefined) map.set(uid, (set = new Set()));
    set.add(key);
  }

  /**
   * `ClaimPods`: adopts the orphans its selector selects and releases the pods it controls that
   * it no longer selects. Returns whether it changed anything.
   */
  private claim(ctx: ControllerContext, owner: KubeObject, info: OwnerInfo): boolean {
    let changed = false;
    const released = this.mismatched.get(info.uid);
    if (released !== undefined) {
      this.mismatched.delete(info.uid);
      for (const podKey of released) {
        const entry = this.pods.get(podKey);
        if (entry === undefined || entry.owner !== info.uid || selectsPod(info, entry)) continue;
        changed = releasePod(ctx, this.kind.controller, entry, info.uid) || changed;
      }
    }
    const adoptable = this.adoptable.get(info.uid);
    if (adoptable !== undefined) {
      this.adoptable.delete(info.uid);
      const ref = controllerRef(owner);
      for (const podKey of adoptable) {
        const entry = this.pods.get(podKey);
        if (entry === undefined || entry.owner !== '' || entry.deleting || !selectsPod(info, entry)) continue;
        changed =
          patchPod(ctx, this.kind.controller, entry, { metadata: { ownerReferences: [ref] } }) || changed;
      }
    }
    return changed;
  }
}

/** Builds the replicaset-controller. */
export function replicaSetController(): Controller {
  return new ReplicaManager({
    controller: 'replicaset-controller',
    resource: 'replicasets.apps',
    kind: 'ReplicaSet',
    selector: (rs) => labelSelectorFromObject(specOf(rs).selector),
  });
}

/**
 * Builds the replication-controller: the same algorithm for the (deprecated) ReplicationController,
 * whose selector is a plain map (defaulting to the template labels).
 */
export function replicationControllerController(): Controller {
  return new ReplicaManager({
    controller: 'replication-controller',
    resource: 'replicationcontrollers',
    kind: 'ReplicationController',
    selector: (rc) => {
      const selector = specOf(rc).selector;
      const map: Record<string, string> = {};
      if (isJsonObject(selector)) for (const [k, v] of Object.entries(selector)) map[k] = String(v);
      else Object.assign(map, templateLabelsOf(rc));
      return Object.keys(map).length === 0 ? labelSelectorFromObject(null) : labelSelectorFromMap(map);
    },
  });
}

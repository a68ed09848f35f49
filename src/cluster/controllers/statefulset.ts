/**
 * The statefulset-controller (`pkg/controller/statefulset/stateful_set_control.go`).
 *
 * - Pods `<set>-<ordinal>` for ordinals `[start, start + replicas)` (`spec.ordinals.start`), with
 *   `hostname`, `subdomain = serviceName`, the labels `statefulset.kubernetes.io/pod-name`,
 *   `apps.kubernetes.io/pod-index` and `controller-revision-hash` (the revision's name). The
 *   claims of `volumeClaimTemplates` (`<template>-<set>-<ordinal>`) are created before the pod and
 *   kept on scale-down unless `persistentVolumeClaimRetentionPolicy` says Delete.
 * - `OrderedReady`: one pod at a time in ordinal order, each waiting for its predecessors to be
 *   Running, Ready and available; scale-down from the highest ordinal, one at a time; any
 *   unhealthy pod halts progress. `Parallel`: every pod at once.
 * - Templates are recorded as `ControllerRevision`s `<set>-<hash>`; `RollingUpdate` replaces pods
 *   at ordinals ≥ `partition` from the highest down, one at a time (or up to `maxUnavailable`),
 *   waiting for each to be healthy; `OnDelete` only gives recreated pods the new template. Pods
 *   below the partition are recreated at the current revision.
 * - Status: replicas, readyReplicas, currentReplicas, updatedReplicas, availableReplicas,
 *   currentRevision, updateRevision, collisionCount, observedGeneration.
 *
 * This file holds the sync: ordered scaling, rolling update and status. The revision history is in
 * `statefulset-history.ts`, pod and claim writes in `statefulset-writes.ts`, and what is read from
 * or built for pods in `statefulset-pods.ts`.
 */

import { isJsonObject, type JsonObject, jsonEqual } from '../api/machinery/json-values.js';
import type { Controller, ControllerContext } from '../runtime/types.js';
import { objectKey, splitKey } from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';
import {
  availableAt,
  controllerOf,
  controllerRef,
  getOrUndefined,
  isDeleting,
  meta,
  nameOf,
  namespaceOf,
  scaledValue,
  selectorOf,
  specOf,
  statusOf,
  uidOf,
} from './shared.js';
import {
  listRevisions,
  resolveRevisions,
  STATEFULSET_CONTROLLER,
  truncateHistory,
} from './statefulset-history.js';
import {
  identityMatches,
  isHealthy,
  isRunningAndAvailable,
  isRunningAndReady,
  isTerminal,
  newSetPod,
  ordinalOf,
  POD_INDEX_LABEL,
  POD_NAME_LABEL,
  podRevision,
  replicasOf,
  startOrdinal,
} from './statefulset-pods.js';
import { SetPodWrites } from './statefulset-writes.js';

const NAME = STATEFULSET_CONTROLLER;

/** Builds the statefulset-controller. */
export function statefulSetController(): Controller {
  /** Claims being deleted that block a pod's creation, with the set waiting for them. */
  const waitingClaims = new Map<string, string>();
  return {
    name: NAME,
    resources: ['statefulsets.apps', 'pods', 'persistentvolumeclaims'],
    observe(event, ctx) {
      const resource = event.key.resource;
      if (resource === 'statefulsets.apps') {
        if (event.type !== 'DELETED') ctx.enqueue(objectKey(event.object));
        return;
      }
      if (resource === 'persistentvolumeclaims') {
        if (event.type !== 'DELETED' || waitingClaims.size === 0) return;
        const key = objectKey(event.object);
        const set = waitingClaims.get(key);
        if (set !== undefined) {
          waitingClaims.delete(key);
          ctx.enqueue(set);
        }
        return;
      }
      const ref = controllerOf(event.object);
      if (
        ref === undefined ||
        ref.kind !== 'StatefulSet' ||
        !String(ref.apiVersion ?? '').startsWith('apps/')
      )
        return;
      ctx.enqueue(`${event.key.namespace}/${String(ref.name ?? '')}`);
    },
    reconcile(key, ctx) {
      const { namespace, name } = splitKey(key);
      const set = getOrUndefined(ctx.api, 'statefulsets.apps', namespace, name);
      if (set === undefined || isDeleting(set)) return;
      new SetSync(ctx, set, key, waitingClaims).run();
    },
    reset() {
      waitingClaims.clear();
    },
  };
}

const ordinalSort = (set: KubeObject) => (a: KubeObject, b: KubeObject) =>
  ordinalOf(set, b) - ordinalOf(set, a);

/** One sync of one StatefulSet. */
class SetSync {
  private readonly namespace: string;
  private readonly now: Date;
  private readonly minReadySeconds: number;
  private readonly monotonic: boolean;
  private readonly recorder;
  private currentName = '';
  private updateName = '';
  private currentTemplate: unknown;
  private collisionCount = 0;
  /** Replicas by index (ordinal − start); undefined until created. */
  private slots: (KubeObject | undefined)[] = [];
  /** Pods outside the ordinal range, highest ordinal first. */
  private condemned: KubeObject[] = [];
  private owned: KubeObject[] = [];
  private rollingDeleted = 0;
  private readonly writes: SetPodWrites;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly set: KubeObject,
    private readonly key: string,
    waitingClaims: Map<string, string>,
  ) {
    this.namespace = namespaceOf(set);
    this.now = ctx.now();
    const mrs = specOf(set).minReadySeconds;
    this.minReadySeconds = typeof mrs === 'number' && mrs > 0 ? mrs : 0;
    this.monotonic = specOf(set).podManagementPolicy !== 'Parallel';
    this.recorder = ctx.recorder(NAME);
    this.writes = new SetPodWrites(ctx, set, key, waitingClaims, this.recorder);
  }

  run(): void {
    this.owned = this.claimPods();
    const revisions = listRevisions(this.ctx, this.set);
    const resolved = resolveRevisions(this.ctx, this.set, revisions);
    this.currentName = resolved.currentName;
    this.updateName = resolved.updateName;
    this.currentTemplate = resolved.currentTemplate;
    this.collisionCount = resolved.collisionCount;
    const start = startOrdinal(this.set);
    const replicas = replicasOf(this.set);
    this.slots = new Array(replicas).fill(undefined);
    for (const pod of this.owned) {
      const ordinal = ordinalOf(this.set, pod);
      if (ordinal < 0) continue;
      if (ordinal >= start && ordinal < start + replicas) this.slots[ordinal - start] = pod;
      else this.condemned.push(pod);
    }
    this.condemned.sort(ordinalSort(this.set));
    this.manage();
    this.writeStatus();
    const live = new Set([this.currentName, this.updateName]);
    for (const pod of this.owned) live.add(podRevision(pod));
    truncateHistory(this.ctx, this.set, revisions, live);
  }

  /** The set's pods: those it controls, plus orphans with its name pattern it adopts. */
  private claimPods(): KubeObject[] {
    const uid = uidOf(this.set);
    const pods = this.ctx.api.list('pods', {
      namespace: this.namespace,
      labelSelector: selectorOf(this.set),
    }).items;
    const owned: KubeObject[] = [];
    for (const pod of pods) {
      const ref = controllerOf(pod);
      if (ref?.uid === uid) owned.push(pod);
      else if (ref === undefined && ordinalOf(this.set, pod) >= 0 && !isDeleting(pod)) {
        const refs = Array.isArray(meta(pod).ownerReferences) ? (meta(pod).ownerReferences as unknown[]) : [];
        owned.push(
          this.ctx.api.update(
            { ...pod, metadata: { ...meta(pod), ownerReferences: [...refs, controllerRef(this.set)] } },
            { fieldManager: NAME },
          ),
        );
      }
    }
    return owned;
  }

  private manage(): void {
    if (!this.processReplicas()) return;
    if (!this.processCondemned()) return;
    const strategy = isJsonObject(specOf(this.set).updateStrategy)
      ? (specOf(this.set).updateStrategy as JsonObject)
      : {};
    if (strategy.type === 'OnDelete') return;
    const rolling = isJsonObject(strategy.rollingUpdate) ? strategy.rollingUpdate : {};
    const partition = typeof rolling.partition === 'number' ? rolling.partition : 0;
    if (rolling.maxUnavailable !== undefined && rolling.maxUnavailable !== null)
      this.rollWithMaxUnavailable(partition, rolling.maxUnavailable);
    else this.roll(partition);
  }

  /** `processReplica` for every live ordinal; false when progress must stop here. */
  private processReplicas(): boolean {
    const start = startOrdinal(this.set);
    for (let i = 0; i < this.slots.length; i++) {
      const ordinal = start + i;
      let pod = this.slots[i];
      if (pod !== undefined && isTerminal(pod)) {
        // A finished pod is replaced once it is gone.
        if (!isDeleting(pod)) this.writes.deletePod(pod);
        if (this.monotonic) return false;
        continue;
      }
      if (pod === undefined) {
        pod = this.createPod(ordinal);
        if (pod === undefined) return false;
        this.slots[i] = pod;
        if (this.monotonic) return false;
      }
      if (String(statusOf(pod).phase ?? '') === 'Pending' && !this.writes.ensureClaims(pod, ordinal))
        return false;
      if (this.monotonic) {
        if (isDeleting(pod) || !isRunningAndReady(pod)) return false;
        if (!isRunningAndAvailable(pod, this.minReadySeconds, this.now)) return false;
      }
      if (!identityMatches(this.set, pod, ordinal)) {
        const labels = { ...((meta(pod).labels as JsonObject) ?? {}) };
        labels[POD_NAME_LABEL] = nameOf(pod);
        labels[POD_INDEX_LABEL] = String(ordinal);
        this.slots[i] = this.ctx.api.update(
          { ...pod, metadata: { ...meta(pod), labels } },
          { fieldManager: NAME },
        );
        this.recorder.record(
          this.set,
          'Normal',
          'SuccessfulUpdate',
          `update Pod ${nameOf(pod)} in StatefulSet ${nameOf(this.set)} successful`,
        );
      }
      this.writes.fixClaimOwners(pod, ordinal, false);
    }
    return true;
  }

  /** `processCondemned`: scale-down from the highest ordinal; false when progress must stop. */
  private processCondemned(): boolean {
    for (const pod of this.condemned) this.writes.fixClaimOwners(pod, ordinalOf(this.set, pod), true);
    const firstUnhealthy = this.firstUnhealthy();
    for (const pod of this.condemned) {
      if (isDeleting(pod)) {
        if (this.monotonic) return false;
        continue;
      }
      if (this.monotonic && pod !== firstUnhealthy) {
        if (!isRunningAndReady(pod)) return false;
        if (!isRunningAndAvailable(pod, this.minReadySeconds, this.now)) return false;
      }
      this.writes.deletePod(pod);
      if (this.monotonic) return false;
    }
    return true;
  }

  /** The first unhealthy pod: the lowest live ordinal, else the lowest condemned one. */
  private firstUnhealthy(): KubeObject | 'replica' | undefined {
    for (const pod of this.slots) if (pod === undefined || !isHealthy(pod)) return pod ?? 'replica';
    for (let i = this.condemned.length - 1; i >= 0; i--)
      if (!isHealthy(this.condemned[i]!)) return this.condemned[i];
    return undefined;
  }

  /** Rolling update: the highest ordinal ≥ partition not at the update revision goes first. */
  private roll(partition: number): void {
    for (let i = this.slots.length - 1; i >= partition; i--) {
      const pod = this.slots[i];
      if (pod === undefined) return;
      if (podRevision(pod) !== this.updateName && !isDeleting(pod)) {
        this.writes.deletePod(pod);
        this.rollingDeleted++;
        return;
      }
      if (!isHealthy(pod)) return;
    }
  }

  /** Rolling update with `maxUnavailable`: up to that many pods unavailable at once. */
  private rollWithMaxUnavailable(partition: number, value: unknown): void {
    let maxUnavailable = scaledValue(value, this.slots.length, false);
    if (maxUnavailable < 1) maxUnavailable = 1;
    let unavailable = 0;
    for (const pod of this.slots)
      if (pod === undefined || isDeleting(pod) || !isRunningAndAvailable(pod, this.minReadySeconds, this.now))
        unavailable++;
    let budget = maxUnavailable - unavailable;
    for (let i = this.slots.length - 1; i >= partition && budget > 0; i--) {
      const pod = this.slots[i];
      if (pod === undefined || podRevision(pod) === this.updateName || isDeleting(pod)) continue;
      this.writes.deletePod(pod);
      this.rollingDeleted++;
      budget--;
    }
  }

  /**
   * Creates the pod of an ordinal (`newVersionedStatefulSetPod`): below the partition at the
   * current revision, else at the update revision; its claims first.
   */
  private createPod(ordinal: number): KubeObject | undefined {
    const spec = specOf(this.set);
    const strategy = isJsonObject(spec.updateStrategy) ? spec.updateStrategy : {};
    const rolling = isJsonObject(strategy.rollingUpdate) ? strategy.rollingUpdate : undefined;
    const start = startOrdinal(this.set);
    const currentReplicas = Number(statusOf(this.set).currentReplicas ?? 0);
    const atCurrent =
      strategy.type !== 'OnDelete' &&
      ((rolling === undefined && ordinal < start + currentReplicas) ||
        (rolling !== undefined && ordinal < start + Number(rolling.partition ?? 0)));
    const pod = atCurrent
      ? newSetPod(this.set, this.currentTemplate, ordinal, this.currentName)
      : newSetPod(this.set, spec.template, ordinal, this.updateName);
    return this.writes.createPod(pod, ordinal);
  }

  private writeStatus(): void {
    const pods = [...this.slots.filter((p): p is KubeObject => p !== undefined), ...this.condemned];
    let replicas = 0;
    let ready = 0;
    let available = 0;
    let current = 0;
    let updated = 0;
    let nextAvailable: number | undefined;
    for (const pod of pods) {
      replicas++;
      if (isRunningAndReady(pod)) {
        ready++;
        if (isRunningAndAvailable(pod, this.minReadySeconds, this.now)) available++;
        else {
          const at = availableAt(pod, this.minReadySeconds);
          if (at !== undefined && (nextAvailable === undefined || at < nextAvailable)) nextAvailable = at;
        }
      }
      if (!isDeleting(pod)) {
        const revision = podRevision(pod);
        if (revision === this.currentName) current++;
        if (revision === this.updateName) updated++;
      }
    }
    current = Math.max(0, current - this.rollingDeleted);
    let currentRevision = this.currentName;
    const strategy = specOf(this.set).updateStrategy;
    const isRolling = !isJsonObject(strategy) || strategy.type !== 'OnDelete';
    // `completeRollingUpdate`: every pod updated and ready makes the update revision current.
    if (isRolling && updated === replicas && ready === replicas) {
      current = updated;
      currentRevision = this.updateName;
    }
    const generation = meta(this.set).generation;
    const next: JsonObject = {
      ...(typeof generation === 'number' ? { observedGeneration: generation } : {}),
      replicas,
      ...(ready > 0 ? { readyReplicas: ready } : {}),
      ...(current > 0 ? { currentReplicas: current } : {}),
      ...(updated > 0 ? { updatedReplicas: updated } : {}),
      currentRevision,
      updateRevision: this.updateName,
      collisionCount: this.collisionCount,
      availableReplicas: available,
    };
    const old = statusOf(this.set);
    const keep = Array.isArray(old.conditions) ? { conditions: old.conditions } : {};
    if (!jsonEqual({ ...next, ...keep }, old)) {
      const fresh = getOrUndefined(this.ctx.api, 'statefulsets.apps', this.namespace, nameOf(this.set));
      if (fresh !== undefined)
        this.ctx.api.update(
          { ...fresh, status: { ...next, ...keep } },
          { subresource: 'status', fieldManager: NAME },
        );
    }
    // minReadySeconds: look again when the next ready pod becomes available (by itself).
    if (nextAvailable !== undefined) this.ctx.after(this.key, nextAvailable - this.now.getTime(), 'progress');
  }
}

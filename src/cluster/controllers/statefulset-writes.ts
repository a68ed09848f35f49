/**
 * What the statefulset-controller writes for one StatefulSet's pods: their claims created before
 * them (or the pod waits for a claim being deleted), the pods created and deleted with the events
 * `StatefulPodControl` records, and the claims' owners set by `persistentVolumeClaimRetentionPolicy`.
 */

import { type JsonObject, jsonEqual } from '../api/machinery/json-values.js';
import { ApiError } from '../api/types.js';
import type { ControllerContext } from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';
import { getOrUndefined, isDeleting, meta, nameOf, namespaceOf, uidOf } from './shared.js';
import { STATEFULSET_CONTROLLER } from './statefulset-history.js';
import { claimsFor, podOwnerRef, retention, setOwnerRef } from './statefulset-pods.js';

const NAME = STATEFULSET_CONTROLLER;
/** How long a failed pod or claim creation waits before the next attempt (a wait: it would fail the same way). */
const RETRY_MS = 10_000;

/** The pod and claim writes of one sync of one StatefulSet. */
export class SetPodWrites {
  private readonly namespace: string;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly set: KubeObject,
    private readonly key: string,
    private readonly waitingClaims: Map<string, string>,
    private readonly recorder: ReturnType<ControllerContext['recorder']>,
  ) {
    this.namespace = namespaceOf(set);
  }

  /** Creates a pod's missing claims; false when one cannot be (it is being deleted, or refused). */
  ensureClaims(pod: KubeObject, ordinal: number): boolean {
    for (const claim of claimsFor(this.set, ordinal)) {
      const name = nameOf(claim);
      const existing = getOrUndefined(this.ctx.api, 'persistentvolumeclaims', this.namespace, name);
      if (existing !== undefined) {
        if (!isDeleting(existing)) continue;
        this.waitingClaims.set(`${this.namespace}/${name}`, this.key);
        this.podCreateFailed(nameOf(pod), `pvc ${name} is being deleted`);
        return false;
      }
      try {
        this.ctx.api.create(claim, { fieldManager: NAME });
        this.recorder.record(
          this.set,
          'Normal',
          'SuccessfulCreate',
          `create Claim ${name} Pod ${nameOf(pod)} in StatefulSet ${nameOf(this.set)} success`,
        );
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        this.recorder.record(
          this.set,
          'Warning',
          'FailedCreate',
          `create Claim ${name} for Pod ${nameOf(pod)} in StatefulSet ${nameOf(this.set)} failed error: ${error.message}`,
        );
        this.podCreateFailed(nameOf(pod), `failed to create PVC ${name}: ${error.message}`);
        return false;
      }
    }
    return true;
  }

  private podCreateFailed(pod: string, message: string): void {
    this.recorder.record(
      this.set,
      'Warning',
      'FailedCreate',
      `create Pod ${pod} in StatefulSet ${nameOf(this.set)} failed error: ${message}`,
    );
    this.ctx.after(this.key, RETRY_MS, 'wait');
  }

  /** Creates a pod (`newVersionedStatefulSetPod` built it) after its claims; undefined when refused. */
  createPod(pod: KubeObject, ordinal: number): KubeObject | undefined {
    if (!this.ensureClaims(pod, ordinal)) return undefined;
    try {
      const created = this.ctx.api.create(pod, { fieldManager: NAME });
      this.recorder.record(
        this.set,
        'Normal',
        'SuccessfulCreate',
        `create Pod ${nameOf(pod)} in StatefulSet ${nameOf(this.set)} successful`,
      );
      return created;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.podCreateFailed(nameOf(pod), error.message);
      return undefined;
    }
  }

  deletePod(pod: KubeObject): void {
    try {
      this.ctx.api.delete('pods', this.namespace, nameOf(pod), {
        preconditions: { uid: uidOf(pod) },
        fieldManager: NAME,
      });
    } catch (error) {
      if (error instanceof ApiError && (error.status.code === 404 || error.status.code === 409)) return;
      throw error;
    }
    this.recorder.record(
      this.set,
      'Normal',
      'SuccessfulDelete',
      `delete Pod ${nameOf(pod)} in StatefulSet ${nameOf(this.set)} successful`,
    );
  }

  /**
   * `persistentVolumeClaimRetentionPolicy`: claims are owned by the set when `whenDeleted` is
   * Delete, and by their pod when it is condemned and `whenScaled` is Delete (so the garbage
   * collector removes them with it). Retain/Retain leaves claims alone.
   */
  fixClaimOwners(pod: KubeObject, ordinal: number, condemned: boolean): void {
    const policy = retention(this.set);
    if (!policy.whenDeleted && !policy.whenScaled) return;
    const setUid = uidOf(this.set);
    const podUid = uidOf(pod);
    for (const want of claimsFor(this.set, ordinal)) {
      const claim = getOrUndefined(this.ctx.api, 'persistentvolumeclaims', this.namespace, nameOf(want));
      if (claim === undefined || isDeleting(claim)) continue;
      const refs = (
        Array.isArray(meta(claim).ownerReferences) ? meta(claim).ownerReferences : []
      ) as JsonObject[];
      let next = refs.filter((r) => r.uid !== setUid && !(r.kind === 'Pod' && r.uid === podUid));
      if (policy.whenDeleted) next = [...next, setOwnerRef(this.set)];
      if (policy.whenScaled && condemned) next = [...next, podOwnerRef(pod)];
      if (jsonEqual(next, refs)) continue;
      const metadata: JsonObject = { ...meta(claim), ownerReferences: next };
      if (next.length === 0) delete metadata.ownerReferences;
      this.ctx.api.update({ ...claim, metadata }, { fieldManager: NAME });
    }
  }
}

/**
 * The writes the persistentvolume-controller shares between its claim and volume syncs: the
 * phases of claims and volumes, and `bind`.
 */

import { isJsonObject, type JsonObject, jsonEqual } from '../api/machinery/json-values.js';
import { rfc3339 } from '../api/machinery/object-stamps.js';
import type { ControllerContext } from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';
import { ANN, annotationsOf, isBoundToClaim, metaOf, specOf, statusOf } from './matching.js';
import { claimReference } from './provisioner.js';

export const NAME = 'persistentvolume-controller';
export const CLAIM = 'claim:';

export const recorder = (ctx: ControllerContext) => ctx.recorder(NAME);

/** Sets a claim's phase (Pending, Bound with the volume's modes and capacity, Lost). */
export function setClaimPhase(
  ctx: ControllerContext,
  claim: KubeObject,
  phase: string,
  volume?: KubeObject,
): KubeObject {
  const old = statusOf(claim);
  const next: JsonObject = { ...old, phase };
  if (volume !== undefined) {
    const vspec = specOf(volume);
    next.accessModes = Array.isArray(vspec.accessModes) ? [...vspec.accessModes] : [];
    next.capacity = isJsonObject(vspec.capacity) ? { ...vspec.capacity } : {};
  } else if (phase === 'Pending') {
    delete next.accessModes;
    delete next.capacity;
  }
  if (jsonEqual(next, old)) return claim;
  return ctx.api.update({ ...claim, status: next }, { subresource: 'status', fieldManager: NAME });
}

/** Sets a volume's phase (with `lastPhaseTransitionTime` when it changes) and message. */
export function setVolumePhase(
  ctx: ControllerContext,
  volume: KubeObject,
  phase: string,
  message?: string,
): KubeObject {
  const old = statusOf(volume);
  if (old.phase === phase && (message === undefined || old.message === message)) return volume;
  const next: JsonObject = { phase };
  if (message !== undefined) next.message = message;
  next.lastPhaseTransitionTime = old.phase === phase ? old.lastPhaseTransitionTime : rfc3339(ctx.now());
  return ctx.api.update({ ...volume, status: next }, { subresource: 'status', fieldManager: NAME });
}

/** `bind`: the volume to the claim, then the claim to the volume, with their phases. */
export function bind(ctx: ControllerContext, volume: KubeObject, claim: KubeObject): void {
  // Candidates come from the cache: write on the stored versions.
  volume = ctx.api.get('persistentvolumes', '', String(metaOf(volume).name));
  const cm = metaOf(claim);
  const ref = specOf(volume).claimRef;
  const boundByUs = !isBoundToClaim(volume, claim);
  const refOk =
    isJsonObject(ref) && ref.name === cm.name && ref.namespace === cm.namespace && ref.uid === cm.uid;
  const vAnnotations = annotationsOf(volume);
  if (!refOk || (boundByUs && vAnnotations[ANN.boundByController] === undefined)) {
    const metadata: JsonObject = { ...metaOf(volume) };
    if (boundByUs && vAnnotations[ANN.boundByController] === undefined)
      metadata.annotations = { ...vAnnotations, [ANN.boundByController]: 'yes' };
    volume = ctx.api.update(
      { ...volume, metadata, spec: { ...specOf(volume), claimRef: claimReference(claim) } },
      { fieldManager: NAME },
    );
  }
  volume = setVolumePhase(ctx, volume, 'Bound');

  const volumeName = String(metaOf(volume).name);
  const cAnnotations = { ...annotationsOf(claim) };
  let dirty = false;
  const spec = { ...specOf(claim) };
  if (spec.volumeName !== volumeName) {
    spec.volumeName = volumeName;
    if (cAnnotations[ANN.boundByController] === undefined) cAnnotations[ANN.boundByController] = 'yes';
    dirty = true;
  }
  if (cAnnotations[ANN.bindCompleted] === undefined) {
    cAnnotations[ANN.bindCompleted] = 'yes';
    dirty = true;
  }
  if (dirty)
    claim = ctx.api.update(
      { ...claim, metadata: { ...cm, annotations: cAnnotations }, spec },
      { fieldManager: NAME },
    );
  setClaimPhase(ctx, claim, 'Bound', volume);
}

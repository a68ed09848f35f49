/** The persistentvolume-controller's claim syncs: binding an unbound claim, checking a bound one. */

import { isJsonObject } from '../api/machinery/json-values.js';
import { getOrUndefined } from '../controllers/shared.js';
import type { ControllerContext } from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';
import { bind, recorder, setClaimPhase } from './binding.js';
import { STORAGE_CLASSES } from './default-storage-class.js';
import {
  ANN,
  accessModesMatch,
  annotationsOf,
  capacityBytes,
  claimClass,
  findMatchingVolume,
  isBoundToClaim,
  metaOf,
  requestedBytes,
  specOf,
  statusOf,
  volumeClass,
} from './matching.js';
import { provision } from './provision-claim.js';
import type { VolumeCache } from './volume-cache.js';

/** `checkVolumeSatisfyClaim`: why a requested volume cannot serve a claim, if it cannot. */
export function unsatisfiable(volume: KubeObject, claim: KubeObject): string | undefined {
  if (metaOf(volume).deletionTimestamp != null)
    return `the volume is marked for deletion ${JSON.stringify(String(metaOf(volume).name))}`;
  if (capacityBytes(volume) < requestedBytes(claim)) return 'requested PV is too small';
  if (volumeClass(volume) !== claimClass(claim)) return 'storageClassName does not match';
  if (String(specOf(volume).volumeMode ?? 'Filesystem') !== String(specOf(claim).volumeMode ?? 'Filesystem'))
    return 'incompatible volumeMode';
  if (!accessModesMatch(claim, volume)) return 'incompatible accessMode';
  return undefined;
}

export function syncUnboundClaim(ctx: ControllerContext, claim: KubeObject, volumes: VolumeCache): void {
  const requested = specOf(claim).volumeName;
  if (typeof requested === 'string' && requested !== '') {
    syncRequestedVolume(ctx, claim, requested);
    return;
  }
  const className = claimClass(claim);
  const sc = className === '' ? undefined : getOrUndefined(ctx.api, STORAGE_CLASSES, '', className);
  const delayBinding = sc?.volumeBindingMode === 'WaitForFirstConsumer';
  const selectedNode = annotationsOf(claim)[ANN.selectedNode];
  const node = selectedNode === undefined ? undefined : getOrUndefined(ctx.api, 'nodes', '', selectedNode);
  const volume = findMatchingVolume(claim, volumes.candidates(ctx, claim), {
    delayBinding,
    node: selectedNode === undefined ? undefined : (node ?? { metadata: { name: selectedNode } }),
  });
  if (volume !== undefined) {
    bind(ctx, volume, claim);
    return;
  }
  if (delayBinding && selectedNode === undefined) {
    recorder(ctx).record(
      claim,
      'Normal',
      'WaitForFirstConsumer',
      'waiting for first consumer to be created before binding',
    );
  } else if (className !== '') {
    provision(ctx, claim, className, sc, selectedNode === undefined ? undefined : (node ?? selectedNode));
    return;
  } else {
    recorder(ctx).record(
      claim,
      'Normal',
      'FailedBinding',
      'no persistent volumes available for this claim and no storage class is set',
    );
  }
  setClaimPhase(ctx, claim, 'Pending');
}

/** A claim naming its volume (`spec.volumeName`): bind it when it is free (or reserved for it) and fits. */
function syncRequestedVolume(ctx: ControllerContext, claim: KubeObject, requested: string): void {
  const volume = getOrUndefined(ctx.api, 'persistentvolumes', '', requested);
  if (volume === undefined) {
    setClaimPhase(ctx, claim, 'Pending');
    return;
  }
  const ref = specOf(volume).claimRef;
  if (!isJsonObject(ref)) {
    const problem = unsatisfiable(volume, claim);
    if (problem === undefined) {
      bind(ctx, volume, claim);
      return;
    }
    recorder(ctx).record(
      claim,
      'Warning',
      'VolumeMismatch',
      `Cannot bind to requested volume ${JSON.stringify(requested)}: ${problem}`,
    );
  } else if (isBoundToClaim(volume, claim)) {
    bind(ctx, volume, claim);
    return;
  } else {
    recorder(ctx).record(
      claim,
      'Warning',
      'FailedBinding',
      `volume ${JSON.stringify(requested)} already bound to a different claim.`,
    );
  }
  setClaimPhase(ctx, claim, 'Pending');
}

export function syncBoundClaim(ctx: ControllerContext, claim: KubeObject): void {
  const volumeName = specOf(claim).volumeName;
  const lost = (reason: string, message: string) => {
    if (statusOf(claim).phase === 'Lost') return;
    setClaimPhase(ctx, claim, 'Lost');
    recorder(ctx).record(claim, 'Warning', reason, message);
  };
  if (typeof volumeName !== 'string' || volumeName === '') {
    lost('ClaimLost', 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!');
    return;
  }
  const volume = getOrUndefined(ctx.api, 'persistentvolumes', '', volumeName);
  if (volume === undefined) {
    lost('ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
    return;
  }
  const ref = specOf(volume).claimRef;
  if (!isJsonObject(ref) || ref.uid === metaOf(claim).uid) bind(ctx, volume, claim);
  else lost('ClaimMisbound', 'Two claims are bound to the same volume, this one is bound incorrectly');
}

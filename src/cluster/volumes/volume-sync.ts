/** The persistentvolume-controller's volume sync: phases, unbinding, and the reclaim policies. */

import { isJsonObject, type JsonObject } from '../api/machinery/json-values.js';
import { ApiError } from '../api/types.js';
import { getOrUndefined } from '../controllers/shared.js';
import type { ControllerContext } from '../runtime/types.js';
import { objectKey } from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';
import { CLAIM, NAME, recorder, setVolumePhase } from './binding.js';
import { ANN, annotationsOf, metaOf, specOf, statusOf } from './matching.js';

export function syncVolume(ctx: ControllerContext, name: string): void {
  const volume = getOrUndefined(ctx.api, 'persistentvolumes', '', name);
  if (volume === undefined || metaOf(volume).deletionTimestamp != null) return;
  const ref = specOf(volume).claimRef;
  if (!isJsonObject(ref) || !ref.uid) {
    // Unused, or reserved for a claim that has not bound it yet (the claim's sync binds it).
    setVolumePhase(ctx, volume, 'Available');
    return;
  }
  let claim = getOrUndefined(
    ctx.api,
    'persistentvolumeclaims',
    String(ref.namespace ?? ''),
    String(ref.name ?? ''),
  );
  if (claim !== undefined && metaOf(claim).uid !== ref.uid) claim = undefined;
  if (claim === undefined) {
    const phase = statusOf(volume).phase;
    const released =
      phase === 'Released' || phase === 'Failed' ? volume : setVolumePhase(ctx, volume, 'Released');
    reclaim(ctx, released);
    return;
  }
  const claimVolume = specOf(claim).volumeName;
  if (typeof claimVolume !== 'string' || claimVolume === '') {
    ctx.enqueue(CLAIM + objectKey(claim));
    return;
  }
  if (claimVolume === name) {
    setVolumePhase(ctx, volume, 'Bound');
    return;
  }
  // The claim is bound to another volume.
  const annotations = annotationsOf(volume);
  if (
    annotations[ANN.provisionedBy] !== undefined &&
    specOf(volume).persistentVolumeReclaimPolicy === 'Delete'
  ) {
    reclaim(ctx, statusOf(volume).phase === 'Released' ? volume : setVolumePhase(ctx, volume, 'Released'));
    return;
  }
  unbind(ctx, volume);
}

/** `unbindVolume`: a volume the controller bound loses its claimRef; a user's keeps it without the uid. */
function unbind(ctx: ControllerContext, volume: KubeObject): void {
  const annotations = { ...annotationsOf(volume) };
  const spec = { ...specOf(volume) };
  const metadata: JsonObject = { ...metaOf(volume) };
  if (annotations[ANN.boundByController] !== undefined) {
    delete spec.claimRef;
    delete annotations[ANN.boundByController];
    if (Object.keys(annotations).length === 0) delete metadata.annotations;
    else metadata.annotations = annotations;
  } else if (isJsonObject(spec.claimRef)) {
    const ref = { ...spec.claimRef };
    delete ref.uid;
    spec.claimRef = ref;
  }
  setVolumePhase(ctx, ctx.api.update({ ...volume, metadata, spec }, { fieldManager: NAME }), 'Available');
}

/** `reclaimVolume`: what a Released volume's reclaim policy does. */
function reclaim(ctx: ControllerContext, volume: KubeObject): void {
  const policy = specOf(volume).persistentVolumeReclaimPolicy;
  const name = String(metaOf(volume).name);
  if (policy === 'Recycle') {
    // The recycler scrubs the volume; it is free again for any claim.
    const spec = { ...specOf(volume) };
    delete spec.claimRef;
    setVolumePhase(ctx, ctx.api.update({ ...volume, spec }, { fieldManager: NAME }), 'Available');
    recorder(ctx).record(volume, 'Normal', 'VolumeRecycled', 'Volume recycled');
    return;
  }
  if (policy !== 'Delete') return;
  if (annotationsOf(volume)[ANN.provisionedBy] === undefined) {
    const message = `error getting deleter volume plugin for volume ${JSON.stringify(name)}: no deletable volume plugin matched`;
    if (statusOf(volume).phase !== 'Failed') {
      setVolumePhase(ctx, volume, 'Failed', message);
      recorder(ctx).record(volume, 'Warning', 'VolumeFailedDelete', message);
    }
    return;
  }
  // The provisioner deletes what it provisioned, backing storage and volume object.
  try {
    ctx.api.delete('persistentvolumes', '', name, { fieldManager: NAME });
  } catch (error) {
    if (!(error instanceof ApiError) || error.status.code !== 404) throw error;
  }
}

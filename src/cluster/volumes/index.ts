/**
 * The persistentvolume-controller (`pkg/controller/volume/persistentvolume/pv_controller.go`)
 * and the simulated external provisioners.
 *
 * - Binding: an unbound claim takes the volume pre-bound to it (`spec.volumeName` or a volume's
 *   `claimRef`), else the smallest Available volume that fits (class, access modes, capacity,
 *   volume mode, selector). Binding sets the volume's `claimRef` and phase Bound, the claim's
 *   `volumeName`, the annotations `pv.kubernetes.io/bind-completed` and
 *   `pv.kubernetes.io/bound-by-controller`, and its status (Bound, access modes, capacity).
 * - Dynamic provisioning: with no volume, a claim of a class with a provisioner gets the
 *   `volume.kubernetes.io/storage-provisioner` annotations (event `ExternalProvisioning`), and
 *   the provisioner creates `pvc-<claim uid>` (events `Provisioning`, `ProvisioningSucceeded`).
 * - `WaitForFirstConsumer` classes: the claim stays Pending (event `WaitForFirstConsumer`) until
 *   the scheduler annotates it with `volume.kubernetes.io/selected-node`; then a static volume
 *   whose node affinity admits that node is bound (what the scheduler's volume binder does), or
 *   one is provisioned there.
 * - A claim with no volume and no class stays Pending (`FailedBinding`). A bound claim whose
 *   volume is gone is Lost. When a claim goes, its volume is Released and reclaimed: `Delete`
 *   removes it, `Retain` keeps it Released, `Recycle` makes it Available again.
 *
 * Claims without `spec.storageClassName` get the default class at creation from the
 * DefaultStorageClass admission plugin ({@link defaultStorageClassAdmission}).
 */

import { isJsonObject } from '../api/machinery/json-values.js';
import { getOrUndefined } from '../controllers/shared.js';
import type { Controller, ControllerContext } from '../runtime/types.js';
import { objectKey, splitKey } from '../runtime/types.js';
import { CLAIM, NAME } from './binding.js';
import { syncBoundClaim, syncUnboundClaim } from './claims.js';
import { STORAGE_CLASSES } from './default-storage-class.js';
import { ANN, annotationsOf, metaOf, specOf } from './matching.js';
import { provisionedVolumeName } from './provisioner.js';
import { VolumeCache } from './volume-cache.js';
import { syncVolume } from './volume-sync.js';

export { defaultStorageClass, defaultStorageClassAdmission } from './default-storage-class.js';
export { findMatchingVolume } from './matching.js';

const VOLUME = 'volume:';
/** Re-examines every unbound claim (a volume became free, a class appeared). */
const PENDING = 'pending-claims';

/** Builds the persistentvolume-controller. */
export function persistentVolumeController(): Controller {
  const volumes = new VolumeCache();
  return {
    name: NAME,
    resources: ['persistentvolumeclaims', 'persistentvolumes', STORAGE_CLASSES],
    observe(event, ctx) {
      const { resource } = event.key;
      if (resource === 'persistentvolumeclaims') {
        const volumeName = specOf(event.object).volumeName;
        if (event.type === 'DELETED') {
          if (typeof volumeName === 'string' && volumeName !== '') ctx.enqueue(VOLUME + volumeName);
          else ctx.enqueue(VOLUME + provisionedVolumeName(event.object));
          return;
        }
        ctx.enqueue(CLAIM + objectKey(event.object));
        return;
      }
      if (resource === 'persistentvolumes') {
        volumes.observe(event);
        const ref = specOf(event.object).claimRef;
        if (isJsonObject(ref) && typeof ref.name === 'string')
          ctx.enqueue(`${CLAIM}${String(ref.namespace ?? '')}/${ref.name}`);
        if (event.type === 'DELETED') return;
        ctx.enqueue(VOLUME + event.key.name);
        if (!isJsonObject(ref) || !ref.uid) ctx.enqueue(PENDING);
        return;
      }
      if (event.type !== 'DELETED') ctx.enqueue(PENDING);
    },
    reconcile(key, ctx) {
      if (key === PENDING) return enqueuePending(ctx);
      if (key.startsWith(VOLUME)) return syncVolume(ctx, key.slice(VOLUME.length));
      if (!key.startsWith(CLAIM)) return;
      const { namespace, name } = splitKey(key.slice(CLAIM.length));
      const claim = getOrUndefined(ctx.api, 'persistentvolumeclaims', namespace, name);
      if (claim === undefined || metaOf(claim).deletionTimestamp != null) return;
      if (annotationsOf(claim)[ANN.bindCompleted] === undefined) syncUnboundClaim(ctx, claim, volumes);
      else syncBoundClaim(ctx, claim);
    },
    reset() {
      volumes.reset();
    },
  };
}

/** Queues every claim not bound yet. */
function enqueuePending(ctx: ControllerContext): void {
  for (const claim of ctx.api.list('persistentvolumeclaims').items) {
    if (annotationsOf(claim)[ANN.bindCompleted] !== undefined || metaOf(claim).deletionTimestamp != null)
      continue;
    ctx.enqueue(CLAIM + objectKey(claim));
  }
}

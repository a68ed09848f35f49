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

import { isJsonObject, type JsonObject, jsonEqual } from '../api/machinery/json-values.js';
import { rfc3339 } from '../api/machinery/object-stamps.js';
import { ApiError } from '../api/types.js';
import { getOrUndefined } from '../controllers/shared.js';
import type { Controller, ControllerContext } from '../runtime/types.js';
import { objectKey, splitKey } from '../runtime/types.js';
import type { KubeObject, WatchEvent } from '../store/types.js';
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
import { claimReference, NO_PROVISIONER, provisionedVolumeName, provisionVolume } from './provisioner.js';

export { defaultStorageClass, defaultStorageClassAdmission } from './default-storage-class.js';
export { findMatchingVolume } from './matching.js';

const NAME = 'persistentvolume-controller';
const CLAIM = 'claim:';
const VOLUME = 'volume:';
/** Re-examines every unbound claim (a volume became free, a class appeared). */
const PENDING = 'pending-claims';

/**
 * Every volume, kept from `observe` once built from one list, so an unbound claim does not list
 * the volumes again. The candidates of a claim are the volumes any claim may bind (no `claimRef`,
 * or one without a uid) and those whose `claimRef` names it (provisioned for it, or pre-bound by
 * the user or the scheduler).
 */
class VolumeCache {
  private volumes: Map<string, KubeObject> | undefined;
  private builtAt = 0;

  reset(): void {
    this.volumes = undefined;
  }

  observe(event: WatchEvent): void {
    if (this.volumes === undefined || event.revision <= this.builtAt) return;
    if (event.type === 'DELETED') this.volumes.delete(event.key.name);
    else this.volumes.set(event.key.name, event.object);
  }

  /** The candidate volumes of a claim, by name. */
  candidates(ctx: ControllerContext, claim: KubeObject): KubeObject[] {
    if (this.volumes === undefined) {
      const list = ctx.api.list('persistentvolumes');
      this.volumes = new Map();
      this.builtAt = Number(list.metadata.resourceVersion);
      for (const pv of list.items) this.volumes.set(String(metaOf(pv).name), pv);
    }
    const m = metaOf(claim);
    const out: KubeObject[] = [];
    for (const pv of this.volumes.values()) {
      const ref = specOf(pv).claimRef;
      if (!isJsonObject(ref) || !ref.uid || (ref.name === m.name && ref.namespace === m.namespace))
        out.push(pv);
    }
    return out.sort((a, b) => (String(metaOf(a).name) < String(metaOf(b).name) ? -1 : 1));
  }
}

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

const recorder = (ctx: ControllerContext) => ctx.recorder(NAME);

/** Sets a claim's phase (Pending, Bound with the volume's modes and capacity, Lost). */
function setClaimPhase(
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
function setVolumePhase(
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
function bind(ctx: ControllerContext, volume: KubeObject, claim: KubeObject): void {
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

/** `checkVolumeSatisfyClaim`: why a requested volume cannot serve a claim, if it cannot. */
function unsatisfiable(volume: KubeObject, claim: KubeObject): string | undefined {
  if (metaOf(volume).deletionTimestamp != null)
    return `the volume is marked for deletion ${JSON.stringify(String(metaOf(volume).name))}`;
  if (capacityBytes(volume) < requestedBytes(claim)) return 'requested PV is too small';
  if (volumeClass(volume) !== claimClass(claim)) return 'storageClassName does not match';
  if (String(specOf(volume).volumeMode ?? 'Filesystem') !== String(specOf(claim).volumeMode ?? 'Filesystem'))
    return 'incompatible volumeMode';
  if (!accessModesMatch(claim, volume)) return 'incompatible accessMode';
  return undefined;
}

function syncUnboundClaim(ctx: ControllerContext, claim: KubeObject, volumes: VolumeCache): void {
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

/** `provisionClaim` and the external provisioner's work: a new volume, pre-bound, then bound. */
function provision(
  ctx: ControllerContext,
  claim: KubeObject,
  className: string,
  sc: KubeObject | undefined,
  node: KubeObject | string | undefined,
): void {
  if (sc === undefined) {
    recorder(ctx).record(
      claim,
      'Warning',
      'ProvisioningFailed',
      `storageclass.storage.k8s.io ${JSON.stringify(className)} not found`,
    );
    setClaimPhase(ctx, claim, 'Pending');
    return;
  }
  const provisioner = String(sc.provisioner ?? '');
  if (provisioner === '' || provisioner === NO_PROVISIONER) {
    recorder(ctx).record(claim, 'Warning', 'ProvisioningFailed', 'no provisionable volume plugin matched');
    setClaimPhase(ctx, claim, 'Pending');
    return;
  }
  const annotations = annotationsOf(claim);
  if (
    annotations[ANN.storageProvisioner] !== provisioner ||
    annotations[ANN.betaStorageProvisioner] !== provisioner
  ) {
    claim = ctx.api.update(
      {
        ...claim,
        metadata: {
          ...metaOf(claim),
          annotations: {
            ...annotations,
            [ANN.betaStorageProvisioner]: provisioner,
            [ANN.storageProvisioner]: provisioner,
          },
        },
      },
      { fieldManager: NAME },
    );
    recorder(ctx).record(
      claim,
      'Normal',
      'ExternalProvisioning',
      `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
    );
  }
  const claimKey = `${String(metaOf(claim).namespace)}/${String(metaOf(claim).name)}`;
  const provisionerEvents = ctx.recorder(provisioner);
  provisionerEvents.record(
    claim,
    'Normal',
    'Provisioning',
    `External provisioner is provisioning volume for claim ${JSON.stringify(claimKey)}`,
  );
  const volume = provisionVolume(claim, sc, node);
  if (typeof volume === 'string') {
    provisionerEvents.record(
      claim,
      'Warning',
      'ProvisioningFailed',
      `failed to provision volume with StorageClass ${JSON.stringify(className)}: ${volume}`,
    );
    setClaimPhase(ctx, claim, 'Pending');
    return;
  }
  let created: KubeObject;
  try {
    created = ctx.api.create(volume, { fieldManager: provisioner });
  } catch (error) {
    if (!(error instanceof ApiError) || error.status.reason !== 'AlreadyExists') throw error;
    created = ctx.api.get('persistentvolumes', '', String(metaOf(volume).name));
  }
  provisionerEvents.record(
    claim,
    'Normal',
    'ProvisioningSucceeded',
    `Successfully provisioned volume ${String(metaOf(created).name)}`,
  );
  bind(ctx, created, claim);
}

function syncBoundClaim(ctx: ControllerContext, claim: KubeObject): void {
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

function syncVolume(ctx: ControllerContext, name: string): void {
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

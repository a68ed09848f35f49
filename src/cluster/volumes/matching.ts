/**
 * Which PersistentVolume a claim may bind (`pkg/controller/volume/persistentvolume/util`,
 * `FindMatchingVolume`): a volume pre-bound to the claim wins; otherwise the smallest Available
 * volume with enough capacity, the claim's access modes, class, volume mode and selector (and,
 * for a claim whose node is chosen, node affinity that admits that node).
 */

import { isJsonObject, type JsonObject, labelsOf } from '../api/machinery/json-values.js';
import { labelSelectorFromObject, matchesLabels } from '../api/machinery/label-selector.js';
import { parseQuantity } from '../printing/quantity.js';
import type { KubeObject } from '../store/types.js';

/** Annotations the binder and provisioners use. */
export const ANN = {
  bindCompleted: 'pv.kubernetes.io/bind-completed',
  boundByController: 'pv.kubernetes.io/bound-by-controller',
  provisionedBy: 'pv.kubernetes.io/provisioned-by',
  storageProvisioner: 'volume.kubernetes.io/storage-provisioner',
  betaStorageProvisioner: 'volume.beta.kubernetes.io/storage-provisioner',
  selectedNode: 'volume.kubernetes.io/selected-node',
  betaStorageClass: 'volume.beta.kubernetes.io/storage-class',
  defaultClass: 'storageclass.kubernetes.io/is-default-class',
  betaDefaultClass: 'storageclass.beta.kubernetes.io/is-default-class',
} as const;

const obj = (v: unknown): JsonObject => (isJsonObject(v) ? v : {});
export const metaOf = (o: KubeObject): JsonObject => obj(o.metadata);
export const specOf = (o: KubeObject): JsonObject => obj(o.spec);
export const statusOf = (o: KubeObject): JsonObject => obj(o.status);
export const annotationsOf = (o: KubeObject): Record<string, string> =>
  obj(metaOf(o).annotations) as Record<string, string>;

/** `GetPersistentVolumeClaimClass`: the beta annotation, else `spec.storageClassName`, else "". */
export function claimClass(claim: KubeObject): string {
  const ann = annotationsOf(claim)[ANN.betaStorageClass];
  if (ann !== undefined) return ann;
  const name = specOf(claim).storageClassName;
  return typeof name === 'string' ? name : '';
}

/** `GetPersistentVolumeClass`. */
export function volumeClass(volume: KubeObject): string {
  return claimClass(volume);
}

/** A claim's requested storage, in bytes (0 when absent). */
export function requestedBytes(claim: KubeObject): bigint {
  const requests = obj(obj(specOf(claim).resources).requests);
  return parseQuantity(requests.storage)?.nanos ?? 0n;
}

/** A volume's capacity, in the same unit as {@link requestedBytes}. */
export function capacityBytes(volume: KubeObject): bigint {
  return parseQuantity(obj(specOf(volume).capacity).storage)?.nanos ?? 0n;
}

const modes = (o: KubeObject): string[] => {
  const m = specOf(o).accessModes;
  return Array.isArray(m) ? m.map(String) : [];
};

/** Whether the volume offers every access mode the claim asks for. */
export function accessModesMatch(claim: KubeObject, volume: KubeObject): boolean {
  const offered = new Set(modes(volume));
  return modes(claim).every((m) => offered.has(m));
}

const volumeMode = (o: KubeObject): string => String(specOf(o).volumeMode ?? 'Filesystem');

/** `IsVolumeBoundToClaim`: the volume's claimRef names the claim (and its uid, when set). */
export function isBoundToClaim(volume: KubeObject, claim: KubeObject): boolean {
  const ref = specOf(volume).claimRef;
  if (!isJsonObject(ref)) return false;
  const m = metaOf(claim);
  if (ref.name !== m.name || ref.namespace !== m.namespace) return false;
  return ref.uid === undefined || ref.uid === '' || ref.uid === m.uid;
}

/** `CheckNodeAffinity`: whether a volume's required node affinity admits a node. */
export function nodeAffinityAdmits(volume: KubeObject, node: KubeObject | undefined): boolean {
  const required = obj(obj(specOf(volume).nodeAffinity).required);
  const terms = Array.isArray(required.nodeSelectorTerms)
    ? required.nodeSelectorTerms.filter(isJsonObject)
    : [];
  if (terms.length === 0) return true;
  if (node === undefined) return false;
  const labels = labelsOf(node);
  const fields: Record<string, string> = { 'metadata.name': String(metaOf(node).name ?? '') };
  const matches = (req: JsonObject, values: Record<string, string>): boolean => {
    const key = String(req.key ?? '');
    const has = Object.hasOwn(values, key);
    const v = values[key];
    const want = Array.isArray(req.values) ? req.values.map(String) : [];
    switch (req.operator) {
      case 'In':
        return has && want.includes(v!);
      case 'NotIn':
        return !has || !want.includes(v!);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      case 'Gt':
        return has && Number(v) > Number(want[0]);
      case 'Lt':
        return has && Number(v) < Number(want[0]);
      default:
        return false;
    }
  };
  return terms.some((term) => {
    const exprs = Array.isArray(term.matchExpressions) ? term.matchExpressions.filter(isJsonObject) : [];
    const fieldExprs = Array.isArray(term.matchFields) ? term.matchFields.filter(isJsonObject) : [];
    if (exprs.length === 0 && fieldExprs.length === 0) return false;
    return exprs.every((e) => matches(e, labels)) && fieldExprs.every((e) => matches(e, fields));
  });
}

/**
 * `FindMatchingVolume` over candidate volumes: the volume pre-bound to the claim, else the
 * smallest Available one that fits. With `delayBinding` and no node (a WaitForFirstConsumer claim
 * no pod has been scheduled with yet) only a pre-bound volume is taken.
 */
export function findMatchingVolume(
  claim: KubeObject,
  volumes: Iterable<KubeObject>,
  options: { delayBinding: boolean; node: KubeObject | undefined },
): KubeObject | undefined {
  const requested = requestedBytes(claim);
  const className = claimClass(claim);
  const selectorSpec = specOf(claim).selector;
  const selector = isJsonObject(selectorSpec) ? labelSelectorFromObject(selectorSpec) : undefined;
  let best: KubeObject | undefined;
  let bestSize = 0n;
  for (const volume of volumes) {
    const ref = specOf(volume).claimRef;
    if (isJsonObject(ref) && !isBoundToClaim(volume, claim)) continue;
    const size = capacityBytes(volume);
    if (size < requested) continue;
    if (volumeMode(volume) !== volumeMode(claim)) continue;
    if (metaOf(volume).deletionTimestamp != null) continue;
    const affinityOk = options.node === undefined || nodeAffinityAdmits(volume, options.node);
    if (isBoundToClaim(volume, claim)) return affinityOk ? volume : undefined;
    if (options.node === undefined && options.delayBinding) continue;
    if (statusOf(volume).phase !== 'Available') continue;
    if (selector !== undefined && !matchesLabels(selector, labelsOf(volume))) continue;
    if (volumeClass(volume) !== className) continue;
    if (!affinityOk) continue;
    if (!accessModesMatch(claim, volume)) continue;
    if (best === undefined || size < bestSize) {
      best = volume;
      bestSize = size;
    }
  }
  return best;
}

/**
 * The dynamic provisioners of the simulated cluster: what an external provisioner creates for a
 * claim of a StorageClass. `rancher.io/local-path` (the default `standard` class, as kind ships
 * it) makes a hostPath volume under `/var/local-path-provisioner` pinned to the selected node;
 * any other provisioner makes a CSI volume of that driver. The volume is `pvc-<claim uid>`,
 * pre-bound to the claim, with the class's reclaim policy and mount options.
 */

import { isJsonObject, type JsonObject, labelsOf } from '../api/machinery/json-values.js';
import type { KubeObject } from '../store/types.js';
import { ANN, metaOf, specOf } from './matching.js';

/** The provisioner of the default class. */
export const LOCAL_PATH_PROVISIONER = 'rancher.io/local-path';
/** The well-known "no dynamic provisioning" provisioner (static local volumes). */
export const NO_PROVISIONER = 'kubernetes.io/no-provisioner';
/** Where local-path keeps its volumes on a node. */
const LOCAL_PATH_ROOT = '/var/local-path-provisioner';

/** The name of the volume provisioned for a claim. */
export const provisionedVolumeName = (claim: KubeObject): string => `pvc-${String(metaOf(claim).uid ?? '')}`;

/** A claim reference (`reference.GetReference`) to put in `spec.claimRef`. */
export function claimReference(claim: KubeObject): JsonObject {
  const m = metaOf(claim);
  return {
    kind: 'PersistentVolumeClaim',
    namespace: m.namespace,
    name: m.name,
    uid: m.uid,
    apiVersion: 'v1',
    resourceVersion: m.resourceVersion,
  };
}

/**
 * The volume a provisioner creates for `claim` of class `sc`, on `node` (the selected node of a
 * WaitForFirstConsumer claim), or an error message worded as the provisioner words it.
 */
export function provisionVolume(
  claim: KubeObject,
  sc: KubeObject,
  node: KubeObject | string | undefined,
): KubeObject | string {
  const provisioner = String(sc.provisioner ?? '');
  const claimSpec = specOf(claim);
  const requests =
    isJsonObject(claimSpec.resources) && isJsonObject(claimSpec.resources.requests)
      ? claimSpec.resources.requests
      : {};
  const name = provisionedVolumeName(claim);
  const spec: JsonObject = {
    accessModes: Array.isArray(claimSpec.accessModes) ? [...claimSpec.accessModes] : ['ReadWriteOnce'],
    capacity: { storage: requests.storage ?? '0' },
    claimRef: claimReference(claim),
  };
  if (provisioner === LOCAL_PATH_PROVISIONER) {
    if (node === undefined) return 'configuration error, no node was specified';
    const nodeName = typeof node === 'string' ? node : String(metaOf(node).name ?? '');
    const hostname = typeof node === 'string' ? node : (labelsOf(node)['kubernetes.io/hostname'] ?? nodeName);
    const m = metaOf(claim);
    spec.hostPath = {
      path: `${LOCAL_PATH_ROOT}/${name}_${String(m.namespace)}_${String(m.name)}`,
      type: 'DirectoryOrCreate',
    };
    spec.nodeAffinity = {
      required: {
        nodeSelectorTerms: [
          { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [hostname] }] },
        ],
      },
    };
  } else {
    spec.csi = { driver: provisioner, volumeHandle: name, fsType: 'ext4' };
  }
  if (Array.isArray(sc.mountOptions) && sc.mountOptions.length > 0) spec.mountOptions = [...sc.mountOptions];
  spec.persistentVolumeReclaimPolicy = typeof sc.reclaimPolicy === 'string' ? sc.reclaimPolicy : 'Delete';
  spec.storageClassName = String(metaOf(sc).name ?? '');
  spec.volumeMode = typeof claimSpec.volumeMode === 'string' ? claimSpec.volumeMode : 'Filesystem';
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, annotations: { [ANN.provisionedBy]: provisioner } },
    spec,
  };
}

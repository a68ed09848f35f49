/**
 * The DefaultStorageClass admission plugin (`plugin/pkg/admission/storage/storageclass/setdefault`):
 * a PersistentVolumeClaim created without `spec.storageClassName` (absent or null; `""` means "no
 * class" and stays) gets the default StorageClass, the one annotated
 * `storageclass.kubernetes.io/is-default-class: "true"` (the newest one when there are several).
 */

import type { AdmissionPlugin } from '../api/machinery/admission.js';
import { isJsonObject } from '../api/machinery/json-values.js';
import type { KubeObject, ObjectStore } from '../store/types.js';
import { ANN, annotationsOf, metaOf } from './matching.js';

/** The store resource of StorageClasses. */
export const STORAGE_CLASSES = 'storageclasses.storage.k8s.io';

/**
 * The default class among `classes` (`util.GetDefaultClass`): annotated default, newest
 * `creationTimestamp` first, then by name; undefined when none is.
 */
export function defaultStorageClass(classes: Iterable<KubeObject>): KubeObject | undefined {
  let best: KubeObject | undefined;
  for (const sc of classes) {
    const a = annotationsOf(sc);
    if (a[ANN.defaultClass] !== 'true' && a[ANN.betaDefaultClass] !== 'true') continue;
    if (best === undefined) {
      best = sc;
      continue;
    }
    const t = String(metaOf(sc).creationTimestamp ?? '');
    const bt = String(metaOf(best).creationTimestamp ?? '');
    if (t > bt || (t === bt && String(metaOf(sc).name) < String(metaOf(best).name))) best = sc;
  }
  return best;
}

/** The DefaultStorageClass admission plugin, reading StorageClasses from `store`. */
export function defaultStorageClassAdmission(store: Pick<ObjectStore, 'list'>): AdmissionPlugin {
  return {
    name: 'DefaultStorageClass',
    admit(request) {
      const { info, object } = request;
      if (request.operation !== 'CREATE' || request.subresource !== '' || object === undefined) return;
      if (info.group !== '' || info.kind !== 'PersistentVolumeClaim') return;
      const spec = isJsonObject(object.spec) ? object.spec : undefined;
      if (spec === undefined) return;
      if (spec.storageClassName !== undefined && spec.storageClassName !== null) return;
      if (annotationsOf(object)[ANN.betaStorageClass] !== undefined) return;
      const sc = defaultStorageClass(store.list(STORAGE_CLASSES).items.map((s) => s.object));
      if (sc !== undefined) spec.storageClassName = String(metaOf(sc).name);
    },
  };
}

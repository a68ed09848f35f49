/**
 * `kubectl describe` of Namespace, ConfigMap, Secret, ServiceAccount, PersistentVolume(Claim),
 * StorageClass, PriorityClass, PodDisruptionBudget and HorizontalPodAutoscaler.
 */

import { age } from '../duration.js';
import { accessModes, isDefaultClass, storageClassOf } from '../printers-cluster.js';
import { canonicalQuantity } from '../quantity.js';
import { formatLabelSelector } from '../selectors.js';
import { get, intOrString, isMap, list, nameOf, namespaceOf, num, optBool, str, strMap } from '../values.js';
import { describeVolumeSource } from './volumes.js';
import {
  describeEvents,
  formatLabelsOf,
  goList,
  LEVEL_0,
  LEVEL_1,
  LEVEL_2,
  PrefixWriter,
  printMetadata,
  rfc1123z,
} from './writer.js';

const nameAndNamespace = (w: PrefixWriter, obj: unknown): void => {
  w.write(LEVEL_0, `Name:\t${nameOf(obj)}\n`);
  w.write(LEVEL_0, `Namespace:\t${namespaceOf(obj)}\n`);
};

/** `kubectl describe configmap`. */
export function describeConfigMap(cm: unknown, events: readonly unknown[], now: number): string {
  const w = new PrefixWriter();
  nameAndNamespace(w, cm);
  printMetadata(w, cm);
  w.write(LEVEL_0, '\nData\n====\n');
  const data = strMap(cm, 'data');
  for (const k of Object.keys(data).sort()) {
    w.write(LEVEL_0, `${k}:\n----\n`);
    w.write(LEVEL_0, `${data[k]}\n`);
    w.write(LEVEL_0, '\n');
  }
  w.write(LEVEL_0, '\nBinaryData\n====\n');
  const binary = strMap(cm, 'binaryData');
  for (const k of Object.keys(binary).sort())
    w.write(LEVEL_0, `${k}: ${Buffer.from(binary[k]!, 'base64').length} bytes\n`);
  w.write(LEVEL_0, '\n');
  describeEvents(w, events, now);
  return w.toString();
}

/** `kubectl describe secret`: sizes only, except a service-account token. */
export function describeSecret(secret: unknown): string {
  const w = new PrefixWriter();
  nameAndNamespace(w, secret);
  printMetadata(w, secret);
  const type = str(secret, 'type');
  w.write(LEVEL_0, `\nType:\t${type}\n`);
  w.write(LEVEL_0, '\nData\n====\n');
  const data = strMap(secret, 'data');
  for (const k of Object.keys(data).sort()) {
    const bytes = Buffer.from(data[k]!, 'base64');
    if (k === 'token' && type === 'kubernetes.io/service-account-token')
      w.write(LEVEL_0, `${k}:\t${bytes.toString('utf8')}\n`);
    else w.write(LEVEL_0, `${k}:\t${bytes.length} bytes\n`);
  }
  return w.toString();
}

/**
 * `kubectl describe serviceaccount`; `secrets` are the namespace's Secrets (undefined when they
 * could not be listed): token secrets of this account, and mountable secrets that do not exist.
 */
export function describeServiceAccount(
  sa: unknown,
  secrets: readonly unknown[] | undefined,
  events: readonly unknown[],
  now: number,
): string {
  const w = new PrefixWriter();
  nameAndNamespace(w, sa);
  printMetadata(w, sa);
  const existing = new Set((secrets ?? []).map(nameOf));
  const tokens = (secrets ?? []).filter(
    (s) =>
      str(s, 'type') === 'kubernetes.io/service-account-token' &&
      str(s, 'metadata', 'annotations', 'kubernetes.io/service-account.name') === nameOf(sa) &&
      str(s, 'metadata', 'annotations', 'kubernetes.io/service-account.uid') === str(sa, 'metadata', 'uid'),
  );
  const sections: [string, string[]][] = [
    ['Image pull secrets:', list(sa, 'imagePullSecrets').map((s) => str(s, 'name'))],
    [
      'Mountable secrets: ',
      list(sa, 'secrets').map((s) =>
        secrets !== undefined && !existing.has(str(s, 'name'))
          ? `${str(s, 'name')} (not found)`
          : str(s, 'name'),
      ),
    ],
    ['Tokens:            ', tokens.map(nameOf)],
  ];
  for (const [header, names] of sections) {
    if (names.length === 0) w.write(LEVEL_0, `${header}\t<none>\n`);
    names.forEach((n, i) => {
      w.write(LEVEL_0, `${i === 0 ? header : ' '.repeat(19)}\t${n}\n`);
    });
  }
  describeEvents(w, events, now);
  return w.toString();
}

const terminatingOr = (obj: unknown, phase: string, now: number): string =>
  str(obj, 'metadata', 'deletionTimestamp') !== ''
    ? `Terminating (lasts ${age(get(obj, 'metadata', 'deletionTimestamp'), now)})`
    : phase;

/** `kubectl describe persistentvolume`. */
export function describePersistentVolume(pv: unknown, events: readonly unknown[], now: number): string {
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${nameOf(pv)}\n`);
  printMetadata(w, pv);
  w.write(LEVEL_0, `Finalizers:\t${goList(list(pv, 'metadata', 'finalizers'))}\n`);
  w.write(LEVEL_0, `StorageClass:\t${storageClassOf(pv)}\n`);
  w.write(LEVEL_0, `Status:\t${terminatingOr(pv, str(pv, 'status', 'phase'), now)}\n`);
  const claim = get(pv, 'spec', 'claimRef');
  w.write(LEVEL_0, `Claim:\t${isMap(claim) ? `${str(claim, 'namespace')}/${str(claim, 'name')}` : ''}\n`);
  w.write(LEVEL_0, `Reclaim Policy:\t${str(pv, 'spec', 'persistentVolumeReclaimPolicy')}\n`);
  w.write(LEVEL_0, `Access Modes:\t${accessModes(list(pv, 'spec', 'accessModes'))}\n`);
  if (str(pv, 'spec', 'volumeMode') !== '')
    w.write(LEVEL_0, `VolumeMode:\t${str(pv, 'spec', 'volumeMode')}\n`);
  w.write(LEVEL_0, `Capacity:\t${canonicalQuantity(get(pv, 'spec', 'capacity', 'storage') ?? '0')}\n`);
  const affinity = get(pv, 'spec', 'nodeAffinity', 'required');
  w.write(LEVEL_0, 'Node Affinity:\t');
  if (!isMap(affinity)) w.writeLine('<none>');
  else {
    w.writeLine('');
    const terms = list(affinity, 'nodeSelectorTerms');
    w.write(LEVEL_1, 'Required Terms:\t');
    w.writeLine(terms.length === 0 ? '<none>' : '');
    terms.forEach((term, i) => {
      w.write(LEVEL_2, `Term ${i}:\t`);
      const reqs = list(term, 'matchExpressions');
      if (reqs.length === 0) w.writeLine('<none>');
      reqs.forEach((r, j) => {
        if (j !== 0) w.write(LEVEL_2, '\t');
        const values = list(r, 'values');
        const expr = `${str(r, 'key')} ${str(r, 'operator').toLowerCase()}`;
        w.write(LEVEL_0, `${values.length > 0 ? `${expr} [${values.join(', ')}]` : expr}\n`);
      });
    });
  }
  w.write(LEVEL_0, `Message:\t${str(pv, 'status', 'message')}\n`);
  w.write(LEVEL_0, 'Source:\n');
  describeVolumeSource(w, get(pv, 'spec'));
  describeEvents(w, events, now);
  return w.toString();
}

/** `kubectl describe persistentvolumeclaim`; `pods` are the namespace's pods (for Used By). */
export function describePersistentVolumeClaim(
  pvc: unknown,
  pods: readonly unknown[],
  events: readonly unknown[],
  now: number,
): string {
  const w = new PrefixWriter();
  nameAndNamespace(w, pvc);
  w.write(LEVEL_0, `StorageClass:\t${storageClassOf(pvc)}\n`);
  w.write(LEVEL_0, `Status:\t${terminatingOr(pvc, str(pvc, 'status', 'phase'), now)}\n`);
  const volume = str(pvc, 'spec', 'volumeName');
  w.write(LEVEL_0, `Volume:\t${volume}\n`);
  printMetadata(w, pvc);
  w.write(LEVEL_0, `Finalizers:\t${goList(list(pvc, 'metadata', 'finalizers'))}\n`);
  w.write(
    LEVEL_0,
    `Capacity:\t${volume === '' ? '' : canonicalQuantity(get(pvc, 'status', 'capacity', 'storage') ?? '0')}\n`,
  );
  w.write(
    LEVEL_0,
    `Access Modes:\t${volume === '' ? '' : accessModes(list(pvc, 'status', 'accessModes'))}\n`,
  );
  if (str(pvc, 'spec', 'volumeMode') !== '')
    w.write(LEVEL_0, `VolumeMode:\t${str(pvc, 'spec', 'volumeMode')}\n`);
  const ds = get(pvc, 'spec', 'dataSource');
  if (isMap(ds)) {
    w.write(LEVEL_0, 'DataSource:\n');
    if (typeof ds.apiGroup === 'string') w.write(LEVEL_1, `APIGroup:\t${ds.apiGroup}\n`);
    w.write(LEVEL_1, `Kind:\t${str(ds, 'kind')}\n`);
    w.write(LEVEL_1, `Name:\t${str(ds, 'name')}\n`);
  }
  const uid = str(pvc, 'metadata', 'uid');
  const users = pods.filter(
    (p) =>
      list(p, 'spec', 'volumes').some((v) => str(v, 'persistentVolumeClaim', 'claimName') === nameOf(pvc)) ||
      (uid !== '' &&
        list(pvc, 'metadata', 'ownerReferences').some(
          (r) => str(r, 'kind') === 'Pod' && str(r, 'uid') === str(p, 'metadata', 'uid'),
        )),
  );
  w.write(LEVEL_0, 'Used By:\t');
  if (users.length === 0) w.writeLine('<none>');
  users
    .map(nameOf)
    .sort()
    .forEach((n, i) => {
      w.write(LEVEL_0, `${i === 0 ? '' : '\t'}${n}\n`);
    });
  const conds = list(pvc, 'status', 'conditions');
  if (conds.length > 0) {
    w.write(LEVEL_0, 'Conditions:\n');
    w.write(LEVEL_1, 'Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(LEVEL_1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    for (const c of conds) {
      w.write(
        LEVEL_1,
        `${str(c, 'type')} \t${str(c, 'status')} \t${rfc1123z(get(c, 'lastProbeTime'))} \t${rfc1123z(get(c, 'lastTransitionTime'))} \t${str(c, 'reason')} \t${str(c, 'message')}\n`,
      );
    }
  }
  describeEvents(w, events, now);
  return w.toString();
}

/** `kubectl describe storageclass`. */
export function describeStorageClass(sc: unknown, events: readonly unknown[], now: number): string {
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${nameOf(sc)}\n`);
  w.write(LEVEL_0, `IsDefaultClass:\t${isDefaultClass(sc) ? 'Yes' : 'No'}\n`);
  w.write(LEVEL_0, `Annotations:\t${formatLabelsOf(sc, 'metadata', 'annotations')}\n`);
  w.write(LEVEL_0, `Provisioner:\t${str(sc, 'provisioner')}\n`);
  w.write(LEVEL_0, `Parameters:\t${formatLabelsOf(sc, 'parameters')}\n`);
  const expansion = optBool(sc, 'allowVolumeExpansion');
  w.write(
    LEVEL_0,
    `AllowVolumeExpansion:\t${expansion === undefined ? '<unset>' : expansion ? 'True' : 'False'}\n`,
  );
  const options = list(sc, 'mountOptions');
  if (options.length === 0) w.write(LEVEL_0, 'MountOptions:\t<none>\n');
  else {
    w.write(LEVEL_0, 'MountOptions:\n');
    for (const o of options) w.write(LEVEL_1, `${String(o)}\n`);
  }
  if (str(sc, 'reclaimPolicy') !== '') w.write(LEVEL_0, `ReclaimPolicy:\t${str(sc, 'reclaimPolicy')}\n`);
  if (str(sc, 'volumeBindingMode') !== '')
    w.write(LEVEL_0, `VolumeBindingMode:\t${str(sc, 'volumeBindingMode')}\n`);
  describeEvents(w, events, now);
  return w.toString();
}

/** `kubectl describe priorityclass`. */
export function describePriorityClass(pc: unknown, events: readonly unknown[], now: number): string {
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${nameOf(pc)}\n`);
  w.write(LEVEL_0, `Value:\t${num(pc, 'value')}\n`);
  w.write(LEVEL_0, `GlobalDefault:\t${optBool(pc, 'globalDefault') ?? false}\n`);
  w.write(LEVEL_0, `PreemptionPolicy:\t${str(pc, 'preemptionPolicy')}\n`);
  w.write(LEVEL_0, `Description:\t${str(pc, 'description')}\n`);
  w.write(LEVEL_0, `Annotations:\t${formatLabelsOf(pc, 'metadata', 'annotations')}\n`);
  describeEvents(w, events, now);
  return w.toString();
}

/** `kubectl describe poddisruptionbudget`. */
export function describePodDisruptionBudget(pdb: unknown, events: readonly unknown[], now: number): string {
  const w = new PrefixWriter();
  nameAndNamespace(w, pdb);
  const min = intOrString(pdb, 'spec', 'minAvailable');
  const max = intOrString(pdb, 'spec', 'maxUnavailable');
  if (min !== undefined) w.write(LEVEL_0, `Min available:\t${min}\n`);
  else if (max !== undefined) w.write(LEVEL_0, `Max unavailable:\t${max}\n`);
  const sel = get(pdb, 'spec', 'selector');
  w.write(LEVEL_0, `Selector:\t${isMap(sel) ? formatLabelSelector(sel) : '<unset>'}\n`);
  w.write(LEVEL_0, 'Status:\n');
  w.write(LEVEL_2, `Allowed disruptions:\t${num(pdb, 'status', 'disruptionsAllowed')}\n`);
  w.write(LEVEL_2, `Current:\t${num(pdb, 'status', 'currentHealthy')}\n`);
  w.write(LEVEL_2, `Desired:\t${num(pdb, 'status', 'desiredHealthy')}\n`);
  w.write(LEVEL_2, `Total:\t${num(pdb, 'status', 'expectedPods')}\n`);
  describeEvents(w, events, now);
  return w.toString();
}

/** The Volumes section of pods and pod templates, and the Source of persistent volumes (`describeVolumes`). */

import { canonicalQuantity } from '../quantity.js';
import { get, isMap, list, num, optBool, str } from '../values.js';
import { LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, type PrefixWriter } from './writer.js';

type Field = readonly [label: string, value: (source: unknown) => string];

const s = (key: string) => (src: unknown) => str(src, key);
const b = (key: string) => (src: unknown) => String(optBool(src, key) ?? false);
const n = (key: string) => (src: unknown) => String(num(src, key));

/** Volume sources as data: the key in the spec, the type line, and the fields printed under it. */
const SOURCES: readonly (readonly [key: string, type: string, fields: readonly Field[]])[] = [
  [
    'hostPath',
    'HostPath (bare host directory volume)',
    [
      ['Path', s('path')],
      ['HostPathType', (v) => str(v, 'type') || '<none>'],
    ],
  ],
  [
    'emptyDir',
    "EmptyDir (a temporary directory that shares a pod's lifetime)",
    [
      ['Medium', s('medium')],
      [
        'SizeLimit',
        (v) => (get(v, 'sizeLimit') === undefined ? '<unset>' : canonicalQuantity(get(v, 'sizeLimit'))),
      ],
    ],
  ],
  [
    'gcePersistentDisk',
    'GCEPersistentDisk (a Persistent Disk resource in Google Compute Engine)',
    [
      ['PDName', s('pdName')],
      ['FSType', s('fsType')],
      ['Partition', n('partition')],
      ['ReadOnly', b('readOnly')],
    ],
  ],
  [
    'awsElasticBlockStore',
    'AWSElasticBlockStore (a Persistent Disk resource in AWS)',
    [
      ['VolumeID', s('volumeID')],
      ['FSType', s('fsType')],
      ['Partition', n('partition')],
      ['ReadOnly', b('readOnly')],
    ],
  ],
  [
    'gitRepo',
    'GitRepo (a volume that is pulled from git when the pod is created)',
    [
      ['Repository', s('repository')],
      ['Revision', s('revision')],
    ],
  ],
  [
    'secret',
    'Secret (a volume populated by a Secret)',
    [
      ['SecretName', s('secretName')],
      ['Optional', b('optional')],
    ],
  ],
  [
    'configMap',
    'ConfigMap (a volume populated by a ConfigMap)',
    [
      ['Name', s('name')],
      ['Optional', b('optional')],
    ],
  ],
  [
    'nfs',
    'NFS (an NFS mount that lasts the lifetime of a pod)',
    [
      ['Server', s('server')],
      ['Path', s('path')],
      ['ReadOnly', b('readOnly')],
    ],
  ],
  [
    'persistentVolumeClaim',
    'PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)',
    [
      ['ClaimName', s('claimName')],
      ['ReadOnly', b('readOnly')],
    ],
  ],
  ['local', 'LocalVolume (a persistent volume backed by local storage on a node)', [['Path', s('path')]]],
  [
    'csi',
    'CSI (a Container Storage Interface (CSI) volume source)',
    [
      ['Driver', s('driver')],
      ['FSType', s('fsType')],
      ['ReadOnly', b('readOnly')],
    ],
  ],
  ['portworxVolume', 'PortworxVolume (a Portworx Volume resource)', [['VolumeID', s('volumeID')]]],
];

function projected(w: PrefixWriter, src: unknown): void {
  w.write(LEVEL_2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
  for (const p of list(src, 'sources')) {
    if (isMap(get(p, 'secret'))) {
      w.write(
        LEVEL_2,
        `SecretName:\t${str(p, 'secret', 'name')}\n    Optional:\t${optBool(p, 'secret', 'optional') === true}\n`,
      );
    } else if (isMap(get(p, 'downwardAPI'))) {
      w.write(LEVEL_2, 'DownwardAPI:\ttrue\n');
    } else if (isMap(get(p, 'configMap'))) {
      w.write(
        LEVEL_2,
        `ConfigMapName:\t${str(p, 'configMap', 'name')}\n    Optional:\t${optBool(p, 'configMap', 'optional') === true}\n`,
      );
    } else if (isMap(get(p, 'serviceAccountToken'))) {
      w.write(LEVEL_2, `TokenExpirationSeconds:\t${num(p, 'serviceAccountToken', 'expirationSeconds')}\n`);
    }
  }
}

function downwardApi(w: PrefixWriter, src: unknown): void {
  w.write(LEVEL_2, 'Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n');
  for (const item of list(src, 'items')) {
    if (isMap(get(item, 'fieldRef')))
      w.write(LEVEL_3, `${str(item, 'fieldRef', 'fieldPath')} -> ${str(item, 'path')}\n`);
    if (isMap(get(item, 'resourceFieldRef')))
      w.write(LEVEL_3, `${str(item, 'resourceFieldRef', 'resource')} -> ${str(item, 'path')}\n`);
  }
}

/** Prints the type line and fields of a volume source held in `holder` (a volume, or a PV spec). */
export function describeVolumeSource(w: PrefixWriter, holder: unknown): void {
  if (isMap(get(holder, 'projected'))) {
    projected(w, get(holder, 'projected'));
    return;
  }
  if (isMap(get(holder, 'downwardAPI'))) {
    downwardApi(w, get(holder, 'downwardAPI'));
    return;
  }
  for (const [key, type, fields] of SOURCES) {
    const src = get(holder, key);
    if (!isMap(src)) continue;
    w.write(LEVEL_2, `Type:\t${type}\n${fields.map(([label, f]) => `    ${label}:\t${f(src)}\n`).join('')}`);
    if (key === 'csi') {
      // kubectl indents every attribute line (and continuation) at level 2 again.
      const attrs = Object.entries(isMap(src.volumeAttributes) ? src.volumeAttributes : {}).sort(
        ([a], [c]) => (a < c ? -1 : 1),
      );
      w.write(LEVEL_2, 'VolumeAttributes:\t');
      if (attrs.length === 0) w.writeLine('<none>');
      attrs.forEach(([k, v], i) => {
        if (i !== 0) {
          w.write(LEVEL_2, '');
          w.write(LEVEL_2, '\t');
        }
        const line = `${k}=${String(v)}`;
        w.write(LEVEL_2, `${line.length > 140 ? `${line.slice(0, 140)}...` : line}\n`);
      });
    }
    return;
  }
  w.write(LEVEL_1, '<unknown>\n');
}

/** `describeVolumes`: each volume's name, type and fields; `space` is `'  '` inside a pod template. */
export function describeVolumes(w: PrefixWriter, volumes: readonly unknown[], space = ''): void {
  if (volumes.length === 0) {
    w.write(LEVEL_0, `${space}Volumes:\t<none>\n`);
    return;
  }
  w.write(LEVEL_0, `${space}Volumes:\n`);
  for (const v of volumes) {
    w.write(LEVEL_1, `${space === '' ? '' : ' '}${str(v, 'name')}:\n`);
    describeVolumeSource(w, v);
  }
}

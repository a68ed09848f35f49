import { afterEach, describe, expect, it } from 'vitest';
import type { Cluster } from '../../../src/cluster/cluster.js';
import type { KubeObject } from '../../../src/cluster/store/types.js';
import { persistentVolumeController } from '../../../src/cluster/volumes/index.js';
import { controllerCluster, eventsOf, metaOf, specOf, statusOf } from './fake-node.js';

type Json = Record<string, unknown>;

const clusters: Cluster[] = [];
afterEach(() => {
  for (const c of clusters.splice(0)) {
    const errors = c.runtime.errors;
    c.close();
    expect(errors).toEqual([]);
  }
});

function open(): Cluster {
  const cluster = controllerCluster([persistentVolumeController], false);
  clusters.push(cluster);
  return cluster;
}

function pv(name: string, size: string, extra: Json = {}, labels?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, ...(labels ? { labels } : {}) },
    spec: {
      capacity: { storage: size },
      accessModes: ['ReadWriteOnce'],
      hostPath: { path: `/data/${name}` },
      storageClassName: '',
      ...extra,
    },
  };
}

function pvc(name: string, size: string, extra: Json = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'default' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } }, ...extra },
  };
}

const claim = (c: Cluster, name: string) => c.api.get('persistentvolumeclaims', 'default', name);
const volume = (c: Cluster, name: string) => c.api.get('persistentvolumes', '', name);
const annotations = (o: KubeObject) => (metaOf(o).annotations ?? {}) as Record<string, string>;

function storageClass(name: string, provisioner: string, extra: Json = {}): KubeObject {
  return { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner, ...extra };
}

describe('persistentvolume-controller: static binding', () => {
  it('binds a claim to the smallest Available volume that fits', () => {
    const c = open();
    c.api.create(pv('pv-big', '10Gi'));
    c.api.create(pv('pv-small', '1Gi'));
    c.api.create(pv('pv-tiny', '100Mi'));
    c.runtime.settle();
    expect(statusOf(volume(c, 'pv-small')).phase).toBe('Available');
    c.api.create(pvc('data', '500Mi', { storageClassName: '' }));
    c.runtime.settle();
    const bound = claim(c, 'data');
    expect(specOf(bound).volumeName).toBe('pv-small');
    expect(statusOf(bound)).toEqual({
      phase: 'Bound',
      accessModes: ['ReadWriteOnce'],
      capacity: { storage: '1Gi' },
    });
    expect(annotations(bound)).toMatchObject({
      'pv.kubernetes.io/bind-completed': 'yes',
      'pv.kubernetes.io/bound-by-controller': 'yes',
    });
    const v = volume(c, 'pv-small');
    expect(statusOf(v).phase).toBe('Bound');
    expect(specOf(v).claimRef).toMatchObject({
      kind: 'PersistentVolumeClaim',
      namespace: 'default',
      name: 'data',
      uid: metaOf(bound).uid,
    });
    expect(annotations(v)['pv.kubernetes.io/bound-by-controller']).toBe('yes');
    expect(statusOf(volume(c, 'pv-big')).phase).toBe('Available');
  });

  it('matches class, access modes and the claim selector', () => {
    const c = open();
    c.api.create(pv('fast', '5Gi', { storageClassName: 'fast' }));
    c.api.create(pv('rwx', '5Gi', { accessModes: ['ReadWriteMany', 'ReadWriteOnce'] }));
    c.api.create(pv('labelled', '8Gi', {}, { env: 'prod' }));
    c.api.create(storageClass('fast', 'kubernetes.io/no-provisioner'));
    c.runtime.settle();
    c.api.create(pvc('shared', '1Gi', { storageClassName: '', accessModes: ['ReadWriteMany'] }));
    c.api.create(pvc('prod', '1Gi', { storageClassName: '', selector: { matchLabels: { env: 'prod' } } }));
    c.api.create(pvc('quick', '1Gi', { storageClassName: 'fast' }));
    c.runtime.settle();
    expect(specOf(claim(c, 'shared')).volumeName).toBe('rwx');
    expect(specOf(claim(c, 'prod')).volumeName).toBe('labelled');
    expect(specOf(claim(c, 'quick')).volumeName).toBe('fast');
  });

  it('leaves a claim Pending when nothing fits and it has no class, and binds once a volume appears', () => {
    const c = open();
    c.api.create(pvc('data', '2Gi', { storageClassName: '' }));
    c.runtime.settle();
    expect(statusOf(claim(c, 'data')).phase).toBe('Pending');
    expect(eventsOf(c, 'default', 'data')).toEqual([
      'FailedBinding: no persistent volumes available for this claim and no storage class is set',
    ]);
    c.api.create(pv('late', '2Gi'));
    c.runtime.settle();
    expect(specOf(claim(c, 'data')).volumeName).toBe('late');
    expect(statusOf(volume(c, 'late')).phase).toBe('Bound');
  });

  it('honours pre-binding from either side (spec.volumeName, claimRef)', () => {
    const c = open();
    c.api.create(pv('small', '1Gi'));
    c.api.create(pv('chosen', '50Gi'));
    c.api.create(pv('reserved', '1Gi', { claimRef: { namespace: 'default', name: 'owner' } }));
    c.runtime.settle();
    c.api.create(pvc('picky', '1Gi', { storageClassName: '', volumeName: 'chosen' }));
    c.api.create(pvc('other', '1Gi', { storageClassName: '' }));
    c.api.create(pvc('owner', '1Gi', { storageClassName: '' }));
    c.runtime.settle();
    expect(specOf(claim(c, 'picky')).volumeName).toBe('chosen');
    expect(specOf(claim(c, 'owner')).volumeName).toBe('reserved');
    expect(specOf(claim(c, 'other')).volumeName).toBe('small');
    // A user-chosen binding is not marked as the controller's.
    expect(annotations(claim(c, 'picky'))['pv.kubernetes.io/bound-by-controller']).toBeUndefined();
    expect(annotations(volume(c, 'reserved'))['pv.kubernetes.io/bound-by-controller']).toBeUndefined();
  });

  it('refuses a requested volume that is too small', () => {
    const c = open();
    c.api.create(pv('small', '1Gi'));
    c.runtime.settle();
    c.api.create(pvc('big', '5Gi', { storageClassName: '', volumeName: 'small' }));
    c.runtime.settle();
    expect(statusOf(claim(c, 'big')).phase).toBe('Pending');
    expect(eventsOf(c, 'default', 'big')).toEqual([
      'VolumeMismatch: Cannot bind to requested volume "small": requested PV is too small',
    ]);
  });
});

describe('persistentvolume-controller: reclaiming', () => {
  it('Retain: a volume whose claim is deleted becomes Released and stays', () => {
    const c = open();
    c.api.create(pv('keep', '1Gi'));
    c.runtime.settle();
    c.api.create(pvc('data', '1Gi', { storageClassName: '' }));
    c.runtime.settle();
    c.api.delete('persistentvolumeclaims', 'default', 'data');
    c.runtime.settle();
    const v = volume(c, 'keep');
    expect(statusOf(v).phase).toBe('Released');
    expect((specOf(v).claimRef as Json).name).toBe('data');
    // A new claim does not take a Released volume.
    c.api.create(pvc('again', '1Gi', { storageClassName: '' }));
    c.runtime.settle();
    expect(statusOf(claim(c, 'again')).phase).toBe('Pending');
  });

  it('Delete: a provisioned volume goes with its claim', () => {
    const c = open();
    c.api.create(storageClass('fast', 'example.com/csi', { volumeBindingMode: 'Immediate' }));
    c.api.create(pvc('data', '1Gi', { storageClassName: 'fast' }));
    c.runtime.settle();
    const name = String(specOf(claim(c, 'data')).volumeName);
    expect(name).toMatch(/^pvc-/);
    c.api.delete('persistentvolumeclaims', 'default', 'data');
    c.runtime.settle();
    expect(c.api.list('persistentvolumes').items).toHaveLength(0);
  });

  it('a bound claim whose volume is deleted is Lost', () => {
    const c = open();
    c.api.create(pv('gone', '1Gi'));
    c.runtime.settle();
    c.api.create(pvc('data', '1Gi', { storageClassName: '' }));
    c.runtime.settle();
    c.api.delete('persistentvolumes', '', 'gone');
    c.runtime.settle();
    expect(statusOf(claim(c, 'data')).phase).toBe('Lost');
    expect(eventsOf(c, 'default', 'data')).toContain(
      'ClaimLost: Bound claim has lost its PersistentVolume. Data on the volume is lost!',
    );
  });
});

describe('persistentvolume-controller: dynamic provisioning', () => {
  it('provisions pvc-<uid> at once for an Immediate class, with the class reclaim policy', () => {
    const c = open();
    c.api.create(
      storageClass('fast', 'example.com/csi', { volumeBindingMode: 'Immediate', reclaimPolicy: 'Retain' }),
    );
    c.api.create(pvc('data', '3Gi', { storageClassName: 'fast' }));
    c.runtime.settle();
    const bound = claim(c, 'data');
    const name = `pvc-${String(metaOf(bound).uid)}`;
    expect(specOf(bound).volumeName).toBe(name);
    expect(statusOf(bound)).toMatchObject({ phase: 'Bound', capacity: { storage: '3Gi' } });
    expect(annotations(bound)).toMatchObject({
      'volume.kubernetes.io/storage-provisioner': 'example.com/csi',
      'volume.beta.kubernetes.io/storage-provisioner': 'example.com/csi',
      'pv.kubernetes.io/bind-completed': 'yes',
    });
    const v = volume(c, name);
    expect(annotations(v)['pv.kubernetes.io/provisioned-by']).toBe('example.com/csi');
    expect(specOf(v)).toMatchObject({
      persistentVolumeReclaimPolicy: 'Retain',
      storageClassName: 'fast',
      capacity: { storage: '3Gi' },
      csi: { driver: 'example.com/csi', volumeHandle: name },
    });
    expect(statusOf(v).phase).toBe('Bound');
    expect(eventsOf(c, 'default', 'data')).toEqual([
      "ExternalProvisioning: Waiting for a volume to be created either by the external provisioner 'example.com/csi' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
      'Provisioning: External provisioner is provisioning volume for claim "default/data"',
      `ProvisioningSucceeded: Successfully provisioned volume ${name}`,
    ]);
  });

  it('gives claims without a class the default class (DefaultStorageClass admission); "" stays without', () => {
    const c = open();
    c.api.create(pvc('defaulted', '1Gi'));
    c.api.create(pvc('classless', '1Gi', { storageClassName: '' }));
    expect(specOf(claim(c, 'defaulted')).storageClassName).toBe('standard');
    expect(specOf(claim(c, 'classless')).storageClassName).toBe('');
  });

  it('WaitForFirstConsumer: stays Pending until a node is selected, then provisions a local-path volume there', () => {
    const c = open();
    c.api.create(pvc('data', '1Gi'));
    c.runtime.settle();
    expect(statusOf(claim(c, 'data')).phase).toBe('Pending');
    expect(eventsOf(c, 'default', 'data')).toEqual([
      'WaitForFirstConsumer: waiting for first consumer to be created before binding',
    ]);
    expect(c.api.list('persistentvolumes').items).toHaveLength(0);
    const pending = claim(c, 'data');
    c.api.update({
      ...pending,
      metadata: { ...metaOf(pending), annotations: { 'volume.kubernetes.io/selected-node': 'node2' } },
    });
    c.runtime.settle();
    const bound = claim(c, 'data');
    expect(statusOf(bound).phase).toBe('Bound');
    const v = volume(c, String(specOf(bound).volumeName));
    expect(specOf(v)).toMatchObject({
      hostPath: {
        path: `/var/local-path-provisioner/${String(metaOf(v).name)}_default_data`,
        type: 'DirectoryOrCreate',
      },
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node2'] }] },
          ],
        },
      },
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: 'standard',
    });
  });

  it('WaitForFirstConsumer with static volumes: binds the one whose node affinity admits the selected node', () => {
    const c = open();
    c.api.create(
      storageClass('local', 'kubernetes.io/no-provisioner', { volumeBindingMode: 'WaitForFirstConsumer' }),
    );
    const affinity = (node: string) => ({
      required: {
        nodeSelectorTerms: [
          { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] },
        ],
      },
    });
    c.api.create(pv('on-node3', '1Gi', { storageClassName: 'local', nodeAffinity: affinity('node3') }));
    c.api.create(pv('on-node2', '2Gi', { storageClassName: 'local', nodeAffinity: affinity('node2') }));
    c.api.create(pvc('data', '1Gi', { storageClassName: 'local' }));
    c.runtime.settle();
    expect(statusOf(claim(c, 'data')).phase).toBe('Pending');
    const pending = claim(c, 'data');
    c.api.update({
      ...pending,
      metadata: { ...metaOf(pending), annotations: { 'volume.kubernetes.io/selected-node': 'node2' } },
    });
    c.runtime.settle();
    expect(specOf(claim(c, 'data')).volumeName).toBe('on-node2');
  });

  it('reports a class that does not exist', () => {
    const c = open();
    c.api.create(pvc('data', '1Gi', { storageClassName: 'missing' }));
    c.runtime.settle();
    expect(eventsOf(c, 'default', 'data')).toEqual([
      'ProvisioningFailed: storageclass.storage.k8s.io "missing" not found',
    ]);
    expect(statusOf(claim(c, 'data')).phase).toBe('Pending');
    // The class appearing lets it provision.
    c.api.create(storageClass('missing', 'example.com/csi', { volumeBindingMode: 'Immediate' }));
    c.runtime.settle();
    expect(statusOf(claim(c, 'data')).phase).toBe('Bound');
  });
});

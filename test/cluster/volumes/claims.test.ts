import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/cluster/store/types.js';
import { unsatisfiable } from '../../../src/cluster/volumes/claims.js';

const volume = (spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name: 'pv', ...metadata },
  spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], storageClassName: 'fast', ...spec },
});

const claim = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'data', namespace: 'default' },
  spec: {
    resources: { requests: { storage: '1Gi' } },
    accessModes: ['ReadWriteOnce'],
    storageClassName: 'fast',
    ...spec,
  },
});

describe('unsatisfiable (checkVolumeSatisfyClaim)', () => {
  it('accepts a volume that fits the claim', () => {
    expect(unsatisfiable(volume({}), claim({}))).toBeUndefined();
    expect(unsatisfiable(volume({ capacity: { storage: '2Gi' } }), claim({}))).toBeUndefined();
  });

  it('names the first reason a volume cannot serve the claim, in order', () => {
    expect(unsatisfiable(volume({}, { deletionTimestamp: '2024-01-01T00:00:00Z' }), claim({}))).toBe(
      'the volume is marked for deletion "pv"',
    );
    // Too small wins over a class mismatch.
    expect(
      unsatisfiable(volume({ capacity: { storage: '512Mi' }, storageClassName: 'slow' }), claim({})),
    ).toBe('requested PV is too small');
    expect(unsatisfiable(volume({ storageClassName: 'slow' }), claim({}))).toBe(
      'storageClassName does not match',
    );
    expect(unsatisfiable(volume({ volumeMode: 'Block' }), claim({}))).toBe('incompatible volumeMode');
    expect(unsatisfiable(volume({ volumeMode: 'Filesystem' }), claim({}))).toBeUndefined();
    expect(unsatisfiable(volume({}), claim({ accessModes: ['ReadWriteMany'] }))).toBe(
      'incompatible accessMode',
    );
  });
});

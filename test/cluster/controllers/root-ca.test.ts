import { afterEach, describe, expect, it } from 'vitest';
import type { Cluster } from '../../../src/cluster/cluster.js';
import { rootCaPublisherController } from '../../../src/cluster/controllers/root-ca.js';
import type { KubeObject } from '../../../src/cluster/store/types.js';
import { openWith } from '../metrics/fixtures.js';

const clusters: Cluster[] = [];
afterEach(() => {
  for (const c of clusters.splice(0)) c.close();
});

const open = (settle = true) => openWith(clusters, [rootCaPublisherController], settle);
const meta = (o: KubeObject) =>
  o.metadata as { annotations?: Record<string, string>; resourceVersion: string };

describe('root-ca-cert-publisher', () => {
  it('writes nothing in a freshly bootstrapped cluster', () => {
    const c = open(false);
    const revision = c.store.currentRevision();
    c.runtime.settle();
    expect(c.store.currentRevision()).toBe(revision);
    expect(c.runtime.errors).toEqual([]);
  });

  it('publishes kube-root-ca.crt in a new namespace, with the bootstrap content', () => {
    const c = open();
    c.api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'green' } });
    c.runtime.settle();
    const cm = c.api.get('configmaps', 'green', 'kube-root-ca.crt');
    const reference = c.api.get('configmaps', 'default', 'kube-root-ca.crt');
    expect(cm.data).toEqual(reference.data);
    expect(meta(cm).annotations).toEqual(meta(reference).annotations);
    expect((cm.data as Record<string, string>)['ca.crt']).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
  });

  it('creates it again when deleted, and puts back its content when modified', () => {
    const c = open();
    const reference = c.api.get('configmaps', 'kube-public', 'kube-root-ca.crt');
    c.api.delete('configmaps', 'kube-public', 'kube-root-ca.crt');
    c.runtime.settle();
    expect(c.api.get('configmaps', 'kube-public', 'kube-root-ca.crt').data).toEqual(reference.data);

    c.api.patch(
      'configmaps',
      'default',
      'kube-root-ca.crt',
      { data: { 'ca.crt': 'tampered', extra: 'x' } },
      'merge',
    );
    c.runtime.settle();
    const restored = c.api.get('configmaps', 'default', 'kube-root-ca.crt');
    expect(restored.data).toEqual(reference.data);
    const version = meta(restored).resourceVersion;
    c.runtime.settle();
    expect(meta(c.api.get('configmaps', 'default', 'kube-root-ca.crt')).resourceVersion).toBe(version);
  });
});

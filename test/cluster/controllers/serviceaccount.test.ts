import { afterEach, describe, expect, it } from 'vitest';
import type { Cluster } from '../../../src/cluster/cluster.js';
import { rootCaPublisherController } from '../../../src/cluster/controllers/root-ca.js';
import { serviceAccountController } from '../../../src/cluster/controllers/serviceaccount.js';
import type { KubeObject } from '../../../src/cluster/store/types.js';
import { apiError } from '../api/machinery/fixtures.js';
import { openWith } from '../metrics/fixtures.js';

const clusters: Cluster[] = [];
afterEach(() => {
  for (const c of clusters.splice(0)) c.close();
});

const open = (settle = true) =>
  openWith(clusters, [serviceAccountController, rootCaPublisherController], settle);
const meta = (o: KubeObject) =>
  o.metadata as { name: string; uid: string; annotations?: Record<string, string>; resourceVersion: string };
const decode = (secret: KubeObject, key: string) =>
  Buffer.from((secret.data as Record<string, string>)[key]!, 'base64').toString('utf8');

function tokenOf(c: Cluster, namespace: string, account: string): KubeObject {
  const sa = c.api.get('serviceaccounts', namespace, account);
  const [ref] = sa.secrets as { name: string }[];
  return c.api.get('secrets', namespace, ref!.name);
}

describe('serviceaccount-controller', () => {
  it('writes nothing in a freshly bootstrapped cluster', () => {
    const c = open(false);
    const revision = c.store.currentRevision();
    c.runtime.settle();
    expect(c.store.currentRevision()).toBe(revision);
    expect(c.runtime.errors).toEqual([]);
  });

  it('gives a new namespace a default ServiceAccount with a default-token-XXXXX Secret, like the bootstrap namespaces', () => {
    const c = open();
    c.api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'green' } });
    c.runtime.settle();
    const sa = c.api.get('serviceaccounts', 'green', 'default');
    const secret = tokenOf(c, 'green', 'default');
    expect(meta(secret).name).toMatch(/^default-token-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(secret.type).toBe('kubernetes.io/service-account-token');
    expect(meta(secret).annotations).toEqual({
      'kubernetes.io/service-account.name': 'default',
      'kubernetes.io/service-account.uid': meta(sa).uid,
    });
    expect(decode(secret, 'namespace')).toBe('green');
    // The same CA as the bootstrapped namespaces' tokens.
    expect(decode(secret, 'ca.crt')).toBe(decode(tokenOf(c, 'default', 'default'), 'ca.crt'));
    const claims = JSON.parse(
      Buffer.from(decode(secret, 'token').split('.')[1]!, 'base64url').toString('utf8'),
    ) as Record<string, string>;
    expect(claims.sub).toBe('system:serviceaccount:green:default');
    expect(claims['kubernetes.io/serviceaccount/secret.name']).toBe(meta(secret).name);
    // Same shape as the bootstrap's account in `default`.
    const shape = (o: KubeObject) => Object.keys(o).sort();
    expect(shape(sa)).toEqual(shape(c.api.get('serviceaccounts', 'default', 'default')));
  });

  it('creates the default ServiceAccount again when it is deleted', () => {
    const c = open();
    const before = c.api.get('serviceaccounts', 'default', 'default');
    c.api.delete('serviceaccounts', 'default', 'default');
    c.runtime.settle();
    const after = c.api.get('serviceaccounts', 'default', 'default');
    expect(meta(after).uid).not.toBe(meta(before).uid);
    expect(meta(tokenOf(c, 'default', 'default')).annotations?.['kubernetes.io/service-account.uid']).toBe(
      meta(after).uid,
    );
    // The old account's token went with it.
    const [oldRef] = before.secrets as { name: string }[];
    expect(apiError(() => c.api.get('secrets', 'default', oldRef!.name)).status.code).toBe(404);
  });

  it('gives `kubectl create serviceaccount viewer` a viewer-token-XXXXX Secret, and replaces a deleted token', () => {
    const c = open();
    c.api.create({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'viewer', namespace: 'default' },
    });
    c.runtime.settle();
    const first = tokenOf(c, 'default', 'viewer');
    expect(meta(first).name).toMatch(/^viewer-token-[a-z0-9]{5}$/);
    c.api.delete('secrets', 'default', meta(first).name);
    c.runtime.settle();
    const sa = c.api.get('serviceaccounts', 'default', 'viewer');
    expect(sa.secrets).toHaveLength(1);
    const second = tokenOf(c, 'default', 'viewer');
    expect(meta(second).name).not.toBe(meta(first).name);
    c.api.delete('serviceaccounts', 'default', 'viewer');
    c.runtime.settle();
    expect(apiError(() => c.api.get('secrets', 'default', meta(second).name)).status.code).toBe(404);
  });
});

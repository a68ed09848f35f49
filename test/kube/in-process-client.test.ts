/** InProcessKubeClient over a fresh in-memory cluster; kubeconfig and three-way patch helpers. */

import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KubeApiError, kubeconfigPath, readKubeconfig, threeWayMergePatch } from '../../src/kube/index.js';
import { useEmbeddedCluster } from '../helpers/embedded-cluster.js';

const client = useEmbeddedCluster();

const service = (name: string, namespace?: string) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, ...(namespace ? { namespace } : {}) },
  spec: { ports: [{ port: 80 }] },
});

describe('InProcessKubeClient', () => {
  it('creates, reads and lists, and reports API failures as KubeApiError with the Status', async () => {
    const c = client();
    await c.create(service('hasher'));
    expect((await c.get('svc', 'default', 'hasher')).kind).toBe('Service');
    const error = await c.create(service('hasher')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeApiError);
    expect((error as KubeApiError).reason).toBe('AlreadyExists');
    expect((error as KubeApiError).message).toBe('services "hasher" already exists');
    expect((error as KubeApiError).withSource('creating', 'svc.yaml').message).toBe(
      'error when creating "svc.yaml": services "hasher" already exists',
    );
    await c.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'blue' } });
    await c.create(service('hasher', 'blue'));
    const names = (await c.list('services', {})).items.map(
      (o) => `${(o.metadata as { namespace: string }).namespace}/${(o.metadata as { name: string }).name}`,
    );
    expect(names).toEqual(expect.arrayContaining(['default/hasher', 'blue/hasher']));
  });

  it('resolves resource arguments, categories and manifests', async () => {
    const c = client();
    expect((await c.resolve('deploy')).map((k) => k.plural)).toEqual(['deployments']);
    expect((await c.resolve('all')).map((k) => k.plural)).toContain('pods');
    expect(await c.resolve('foo')).toEqual([]);
    expect((await c.kindFor('apps/v1', 'DaemonSet'))?.namespaced).toBe(true);
    expect(await c.kindFor('v1', 'Foo')).toBeUndefined();
  });

  it('prunes unknown fields when validation is Ignore, refuses them when Strict', async () => {
    const c = client();
    const ds = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'web' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'c', image: 'nginx' }] },
        },
      },
    };
    await expect(c.create(ds)).rejects.toThrow(/unknown field "spec.replicas"/);
    const created = await c.create(ds, { fieldValidation: 'Ignore' });
    expect((created.spec as Record<string, unknown>).replicas).toBeUndefined();
  });

  it('builds the server Table of a kind', async () => {
    const c = client();
    await c.create(service('web'));
    const list = await c.list('services', { namespace: 'default' });
    const table = await c.table('services', list.items);
    expect(table.columnDefinitions.map((d) => d.name)).toContain('Cluster-IP');
  });
});

describe('kubeconfig', () => {
  it('is created on first use with the bosun context in namespace default', () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'bosun-kubeconfig-'));
    const config = readKubeconfig(home);
    expect(config.currentContext).toBe('bosun');
    expect(config.contexts).toEqual([
      { name: 'bosun', cluster: 'bosun', user: 'bosun-admin', namespace: 'default' },
    ]);
    expect(readFileSync(kubeconfigPath(home), 'utf8')).toContain('current-context: bosun');
  });
});

describe('threeWayMergePatch', () => {
  const container = (image: string) => ({ name: 'web', image });
  it.each([
    ['nothing changed', { a: 1 }, { a: 1 }, { a: 1, b: 2 }, {}],
    ['a changed value', { a: 1 }, { a: 2 }, { a: 1 }, { a: 2 }],
    ['a field dropped from the manifest', { a: 1, b: 1 }, { a: 1 }, { a: 1, b: 1 }, { b: null }],
    ['a field another writer set stays', undefined, { a: 1 }, { a: 1, z: 9 }, {}],
    [
      'containers merged by name, server defaults kept',
      { spec: { containers: [container('nginx')] } },
      { spec: { containers: [container('nginx:2')] } },
      { spec: { containers: [{ ...container('nginx'), imagePullPolicy: 'Always' }] } },
      { spec: { containers: [{ name: 'web', image: 'nginx:2' }] } },
    ],
    [
      'a container dropped from the manifest',
      { spec: { containers: [container('a'), { name: 'side', image: 'b' }] } },
      { spec: { containers: [container('a')] } },
      { spec: { containers: [container('a'), { name: 'side', image: 'b' }] } },
      { spec: { containers: [{ name: 'side', $patch: 'delete' }] } },
    ],
  ])('%s', (_name, original, modified, current, expected) => {
    expect(threeWayMergePatch(original, modified, current, 'Pod')).toEqual(expected);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { Cluster } from '../../../src/cluster/cluster.js';
import { endpointSliceController } from '../../../src/cluster/controllers/endpointslice.js';
import type { KubeObject } from '../../../src/cluster/store/types.js';
import { makePod, makeService, mergeMeta, openWith, setReady } from '../metrics/fixtures.js';

const clusters: Cluster[] = [];
afterEach(() => {
  for (const c of clusters.splice(0)) c.close();
});

const open = (settle = true) => openWith(clusters, [endpointSliceController], settle);
const RESOURCE = 'endpointslices.discovery.k8s.io';
const slices = (c: Cluster, service: string, namespace = 'default'): KubeObject[] =>
  c.api.list(RESOURCE, { namespace, labelSelector: `kubernetes.io/service-name=${service}` }).items;
const meta = (o: KubeObject) =>
  o.metadata as Record<string, unknown> & { name: string; labels: Record<string, string> };
const endpoints = (slice: KubeObject) => (slice.endpoints ?? []) as Record<string, unknown>[];

describe('endpointslice-controller', () => {
  it('writes the EndpointSlice of a Service as Kubernetes does (§2.10)', () => {
    const c = open();
    makePod(c, 'web-b', { ip: '10.244.1.9', ports: [{ name: 'http', containerPort: 8080 }] });
    makePod(c, 'web-a', { ip: '10.244.2.3', node: 'node3', ports: [{ name: 'http', containerPort: 8080 }] });
    makePod(c, 'web-c', { ip: '10.244.1.4', ready: false, ports: [{ name: 'http', containerPort: 8080 }] });
    const svc = makeService(
      c,
      'web',
      { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] },
      { labels: { tier: 'fe' } },
    );
    c.runtime.settle();
    const [slice, ...rest] = slices(c, 'web');
    expect(rest).toEqual([]);
    const m = meta(slice!);
    expect(m.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(m.generateName).toBe('web-');
    expect(m.labels).toEqual({
      tier: 'fe',
      'kubernetes.io/service-name': 'web',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    });
    expect(m.ownerReferences).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Service',
        name: 'web',
        uid: (svc.metadata as { uid: string }).uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(
      (m.annotations as Record<string, string>)['endpoints.kubernetes.io/last-change-trigger-time'],
    ).toBe('2025-03-01T12:00:00Z');
    expect(slice!.addressType).toBe('IPv4');
    expect(slice!.ports).toEqual([{ name: '', port: 8080, protocol: 'TCP' }]);
    const uid = (name: string) => (c.api.get('pods', 'default', name).metadata as { uid: string }).uid;
    expect(endpoints(slice!)).toEqual([
      {
        addresses: ['10.244.2.3'],
        conditions: { ready: true, serving: true, terminating: false },
        targetRef: { kind: 'Pod', namespace: 'default', name: 'web-a', uid: uid('web-a') },
        nodeName: 'node3',
      },
      {
        addresses: ['10.244.1.9'],
        conditions: { ready: true, serving: true, terminating: false },
        targetRef: { kind: 'Pod', namespace: 'default', name: 'web-b', uid: uid('web-b') },
        nodeName: 'node2',
      },
      {
        addresses: ['10.244.1.4'],
        conditions: { ready: false, serving: false, terminating: false },
        targetRef: { kind: 'Pod', namespace: 'default', name: 'web-c', uid: uid('web-c') },
        nodeName: 'node2',
      },
    ]);
  });

  it('creates the kube-dns slice for the bootstrapped Service, none for the selector-less kubernetes one', () => {
    const c = open();
    const [dns] = slices(c, 'kube-dns', 'kube-system');
    expect(dns!.ports).toEqual([
      { name: 'dns', port: 53, protocol: 'UDP' },
      { name: 'dns-tcp', port: 53, protocol: 'TCP' },
      { name: 'metrics', port: 9153, protocol: 'TCP' },
    ]);
    expect(endpoints(dns!).length).toBeGreaterThan(0);
    expect(endpoints(dns!).every((e) => (e.conditions as { ready: boolean }).ready)).toBe(true);
    expect(slices(c, 'kubernetes')).toEqual([]);
    expect(c.runtime.errors).toEqual([]);
  });

  it('keeps terminating pods, not ready but serving', () => {
    const c = open();
    makePod(c, 'web-1', { ip: '10.244.1.2' });
    makeService(c, 'web', { selector: { app: 'web' }, ports: [{ port: 80 }] });
    c.api.patch('pods', 'default', 'web-1', { metadata: { finalizers: ['test/hold'] } }, 'merge');
    c.api.delete('pods', 'default', 'web-1', { gracePeriodSeconds: 0 });
    c.runtime.settle();
    expect(endpoints(slices(c, 'web')[0]!)[0]!.conditions).toEqual({
      ready: false,
      serving: true,
      terminating: true,
    });
  });

  it('puts at most 100 endpoints in a slice', () => {
    const c = open();
    for (let i = 0; i < 150; i++) makePod(c, `web-${String(i).padStart(3, '0')}`, { ip: `10.245.0.${i}` });
    makeService(c, 'web', { selector: { app: 'web' }, ports: [{ port: 80 }] });
    c.runtime.settle();
    expect(
      slices(c, 'web')
        .map((s) => endpoints(s).length)
        .sort((a, b) => b - a),
    ).toEqual([100, 50]);
  });

  it('keeps an empty placeholder for a Service without pods, then fills that same slice', () => {
    const c = open();
    makeService(c, 'web', { selector: { app: 'web' }, ports: [{ port: 80 }] });
    c.runtime.settle();
    const [placeholder, ...none] = slices(c, 'web');
    expect(none).toEqual([]);
    expect(placeholder!.endpoints).toEqual([]);
    expect(placeholder!.ports).toEqual([]);
    makePod(c, 'web-1', { ip: '10.244.1.2' });
    c.runtime.settle();
    const [filled, ...more] = slices(c, 'web');
    expect(more).toEqual([]);
    expect(meta(filled!).name).toBe(meta(placeholder!).name);
    expect(filled!.ports).toEqual([{ name: '', port: 80, protocol: 'TCP' }]);
    expect(endpoints(filled!).map((e) => e.addresses)).toEqual([['10.244.1.2']]);
  });

  it('updates endpoints in place as pods change, and leaves unchanged slices alone', () => {
    const c = open();
    makePod(c, 'web-1', { ip: '10.244.1.2' });
    makePod(c, 'api-1', { ip: '10.244.1.3', labels: { app: 'api' } });
    makeService(c, 'web', { selector: { app: 'web' }, ports: [{ port: 80 }] });
    makeService(c, 'api', { selector: { app: 'api' }, ports: [{ port: 80 }] });
    c.runtime.settle();
    const apiVersion = meta(slices(c, 'api')[0]!).resourceVersion;
    setReady(c, 'default', 'web-1', false);
    c.runtime.settle();
    const [web] = slices(c, 'web');
    expect(endpoints(web!)[0]!.conditions).toEqual({ ready: false, serving: false, terminating: false });
    expect(meta(slices(c, 'api')[0]!).resourceVersion).toBe(apiVersion);
    // A label change moves the pod to the other Service.
    mergeMeta(c, 'pods', 'default', 'web-1', { labels: { app: 'api' } });
    c.runtime.settle();
    expect(endpoints(slices(c, 'web')[0]!)).toEqual([]);
    expect(endpoints(slices(c, 'api')[0]!).map((e) => e.addresses)).toEqual([['10.244.1.3'], ['10.244.1.2']]);
  });

  it('gives headless services the headless label and pod hostnames', () => {
    const c = open();
    makePod(c, 'mongo-0', {
      ip: '10.244.1.2',
      labels: { app: 'mongo' },
      hostname: 'mongo-0',
      subdomain: 'mongo',
    });
    makeService(c, 'mongo', { selector: { app: 'mongo' }, clusterIP: 'None', ports: [{ port: 27017 }] });
    c.runtime.settle();
    const [slice] = slices(c, 'mongo');
    expect(meta(slice!).labels['service.kubernetes.io/headless']).toBe('');
    expect(endpoints(slice!)[0]!.hostname).toBe('mongo-0');
  });

  it('writes no slices for selector-less or ExternalName services; the Service deletion takes its slices', () => {
    const c = open();
    makePod(c, 'web-1', { ip: '10.244.1.2' });
    makeService(c, 'manual', { ports: [{ port: 80 }] });
    makeService(c, 'alias', { type: 'ExternalName', externalName: 'example.com', selector: { app: 'web' } });
    makeService(c, 'web', { selector: { app: 'web' }, ports: [{ port: 80 }] });
    c.runtime.settle();
    expect(slices(c, 'manual')).toEqual([]);
    expect(slices(c, 'alias')).toEqual([]);
    expect(slices(c, 'web')).toHaveLength(1);
    c.api.delete('services', 'default', 'web');
    c.runtime.settle();
    expect(slices(c, 'web')).toEqual([]);
  });

  it('writes a deleted managed slice again', () => {
    const c = open();
    makePod(c, 'web-1', { ip: '10.244.1.2' });
    makeService(c, 'web', { selector: { app: 'web' }, ports: [{ port: 80 }] });
    c.runtime.settle();
    c.api.delete(RESOURCE, 'default', meta(slices(c, 'web')[0]!).name);
    c.runtime.settle();
    expect(slices(c, 'web').map((s) => endpoints(s).length)).toEqual([1]);
  });
});

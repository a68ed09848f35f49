import { afterEach, describe, expect, it } from 'vitest';
import type { Cluster } from '../../../src/cluster/cluster.js';
import { endpointsController } from '../../../src/cluster/controllers/endpoints.js';
import { podEndpointInfo, ServicePodIndex } from '../../../src/cluster/controllers/service-pod-index.js';
import type { KubeObject } from '../../../src/cluster/store/types.js';
import { apiError as catchApiError } from '../api/machinery/fixtures.js';
import { makePod, makeService, mergeMeta, openWith, setReady } from '../metrics/fixtures.js';

const clusters: Cluster[] = [];
afterEach(() => {
  for (const c of clusters.splice(0)) c.close();
});

const open = (settle = true) => openWith(clusters, [endpointsController], settle);
const ep = (c: Cluster, name: string, namespace = 'default') => c.api.get('endpoints', namespace, name);
const meta = (o: KubeObject) =>
  o.metadata as {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion: string;
  };
const ips = (subset: unknown, field: 'addresses' | 'notReadyAddresses' = 'addresses') =>
  ((subset as Record<string, { ip: string }[]>)[field] ?? []).map((a) => a.ip);

describe('endpoint-controller', () => {
  it('writes nothing for the bootstrapped kube-dns Endpoints, which is already right', () => {
    const c = open(false);
    const before = ep(c, 'kube-dns', 'kube-system');
    c.runtime.settle();
    expect(ep(c, 'kube-dns', 'kube-system')).toEqual(before);
    expect(c.runtime.errors).toEqual([]);
    // The selector-less `kubernetes` Service keeps the API server's Endpoints.
    expect(meta(ep(c, 'kubernetes')).labels).toEqual({ 'endpointslice.kubernetes.io/skip-mirror': 'true' });
  });

  it('puts ready pods in addresses and unready ones in notReadyAddresses, sorted by IP', () => {
    const c = open();
    makePod(c, 'web-b', { ip: '10.244.1.9' });
    makePod(c, 'web-a', { ip: '10.244.1.10' });
    makePod(c, 'web-c', { ip: '10.244.2.4', node: 'node3', ready: false });
    makePod(c, 'web-pending'); // no IP yet
    makePod(c, 'other', { ip: '10.244.2.5', labels: { app: 'other' } });
    makeService(
      c,
      'web',
      { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
      { labels: { tier: 'fe' } },
    );
    c.runtime.settle();
    const e = ep(c, 'web');
    const web = (name: string) => c.api.get('pods', 'default', name).metadata as { uid: string };
    expect(e.subsets).toEqual([
      {
        addresses: [
          {
            ip: '10.244.1.10',
            nodeName: 'node2',
            targetRef: { kind: 'Pod', namespace: 'default', name: 'web-a', uid: web('web-a').uid },
          },
          {
            ip: '10.244.1.9',
            nodeName: 'node2',
            targetRef: { kind: 'Pod', namespace: 'default', name: 'web-b', uid: web('web-b').uid },
          },
        ],
        notReadyAddresses: [
          {
            ip: '10.244.2.4',
            nodeName: 'node3',
            targetRef: { kind: 'Pod', namespace: 'default', name: 'web-c', uid: web('web-c').uid },
          },
        ],
        ports: [{ port: 8080, protocol: 'TCP' }],
      },
    ]);
    expect(meta(e).labels).toEqual({
      tier: 'fe',
      'endpoints.kubernetes.io/managed-by': 'endpoint-controller',
    });
    expect(meta(e).annotations?.['endpoints.kubernetes.io/last-change-trigger-time']).toBe(
      '2025-03-01T12:00:00Z',
    );
  });

  it('follows readiness and labels: "A pod that fails readiness is temporarily removed, and so is a pod whose label was removed"', () => {
    const c = open();
    makePod(c, 'web-1', { ip: '10.244.1.2' });
    makePod(c, 'web-2', { ip: '10.244.1.3' });
    makeService(c, 'web', { selector: { app: 'web' }, ports: [{ port: 80 }] });
    c.runtime.settle();
    expect(ips((ep(c, 'web').subsets as unknown[])[0])).toEqual(['10.244.1.2', '10.244.1.3']);

    setReady(c, 'default', 'web-1', false);
    c.runtime.settle();
    const subset = (ep(c, 'web').subsets as unknown[])[0];
    expect(ips(subset)).toEqual(['10.244.1.3']);
    expect(ips(subset, 'notReadyAddresses')).toEqual(['10.244.1.2']);

    mergeMeta(c, 'pods', 'default', 'web-2', { labels: { app: null } });
    c.runtime.settle();
    expect(ep(c, 'web').subsets).toEqual([
      {
        notReadyAddresses: [expect.objectContaining({ ip: '10.244.1.2' })],
        ports: [{ port: 80, protocol: 'TCP' }],
      },
    ]);

    c.api.delete('pods', 'default', 'web-1', { gracePeriodSeconds: 0 });
    c.runtime.settle();
    expect(ep(c, 'web').subsets).toBeUndefined();
  });

  it('resolves a named targetPort per pod; pods lacking the name are left out of that port only', () => {
    const c = open();
    makePod(c, 'web-new', { ip: '10.244.1.2', ports: [{ name: 'http', containerPort: 8080 }] });
    makePod(c, 'web-old', { ip: '10.244.1.3', ports: [{ name: 'http', containerPort: 9090 }] });
    makePod(c, 'web-bare', { ip: '10.244.1.4' });
    makeService(c, 'web', {
      selector: { app: 'web' },
      ports: [
        { name: 'http', port: 80, targetPort: 'http' },
        { name: 'admin', port: 81, targetPort: 7000 },
      ],
    });
    c.runtime.settle();
    const subsets = ep(c, 'web').subsets as Record<string, unknown>[];
    expect(subsets.map((s) => [ips(s), s.ports])).toEqual([
      [['10.244.1.2'], [{ name: 'http', port: 8080, protocol: 'TCP' }]],
      [['10.244.1.3'], [{ name: 'http', port: 9090, protocol: 'TCP' }]],
      [['10.244.1.2', '10.244.1.3', '10.244.1.4'], [{ name: 'admin', port: 7000, protocol: 'TCP' }]],
    ]);
  });

  it('groups addresses sharing the same ports into one subset (RepackSubsets)', () => {
    const c = open();
    makePod(c, 'dns-1', { ip: '10.244.1.2', labels: { app: 'dns' } });
    makePod(c, 'dns-2', { ip: '10.244.2.2', labels: { app: 'dns' } });
    makeService(c, 'dns', {
      selector: { app: 'dns' },
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP' },
        { name: 'dns-tcp', port: 53, protocol: 'TCP' },
      ],
    });
    c.runtime.settle();
    expect(ep(c, 'dns').subsets).toEqual([
      {
        addresses: [
          expect.objectContaining({ ip: '10.244.1.2' }),
          expect.objectContaining({ ip: '10.244.2.2' }),
        ],
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP' },
          { name: 'dns-tcp', port: 53, protocol: 'TCP' },
        ],
      },
    ]);
  });

  it('omits terminating pods, except with publishNotReadyAddresses, which also publishes unready pods as ready', () => {
    const c = open();
    const finalizing = makePod(c, 'db-0', { ip: '10.244.1.2', labels: { app: 'db' } });
    makePod(c, 'db-1', { ip: '10.244.1.3', labels: { app: 'db' }, ready: false });
    c.api.patch('pods', 'default', 'db-0', { metadata: { finalizers: ['test/hold'] } }, 'merge');
    c.api.delete('pods', 'default', 'db-0', { gracePeriodSeconds: 0 });
    expect(
      (c.api.get('pods', 'default', 'db-0').metadata as Record<string, unknown>).deletionTimestamp,
    ).toBeDefined();
    makeService(c, 'db', { selector: { app: 'db' }, ports: [{ port: 5432 }] });
    makeService(c, 'db-peers', {
      selector: { app: 'db' },
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      ports: [{ port: 5432 }],
    });
    c.runtime.settle();
    expect(ep(c, 'db').subsets).toEqual([
      {
        notReadyAddresses: [expect.objectContaining({ ip: '10.244.1.3' })],
        ports: [{ port: 5432, protocol: 'TCP' }],
      },
    ]);
    const peers = ep(c, 'db-peers');
    expect(ips((peers.subsets as unknown[])[0])).toEqual(['10.244.1.2', '10.244.1.3']);
    expect(meta(peers).labels).toEqual({
      'service.kubernetes.io/headless': '',
      'endpoints.kubernetes.io/managed-by': 'endpoint-controller',
    });
    expect(finalizing).toBeDefined();
  });

  it('sets the hostname of pods whose hostname and subdomain match a headless service', () => {
    const c = open();
    makePod(c, 'mongo-0', {
      ip: '10.244.1.2',
      labels: { app: 'mongo' },
      hostname: 'mongo-0',
      subdomain: 'mongo',
    });
    makePod(c, 'mongo-x', { ip: '10.244.1.3', labels: { app: 'mongo' }, hostname: 'x', subdomain: 'other' });
    makeService(c, 'mongo', { selector: { app: 'mongo' }, clusterIP: 'None', ports: [{ port: 27017 }] });
    c.runtime.settle();
    const addresses = (ep(c, 'mongo').subsets as { addresses: Record<string, unknown>[] }[])[0]!.addresses;
    expect(addresses.map((a) => [a.ip, a.hostname])).toEqual([
      ['10.244.1.2', 'mongo-0'],
      ['10.244.1.3', undefined],
    ]);
  });

  it('gives selector-less and ExternalName services nothing and leaves manual Endpoints alone', () => {
    const c = open();
    makePod(c, 'web-1', { ip: '10.244.1.2' });
    makeService(c, 'external-db', { ports: [{ port: 5432 }] });
    c.api.create({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'external-db', namespace: 'default' },
      subsets: [{ addresses: [{ ip: '192.0.2.10' }], ports: [{ port: 5432 }] }],
    });
    makeService(c, 'alias', {
      type: 'ExternalName',
      externalName: 'db.example.com',
      selector: { app: 'web' },
    });
    const manual = ep(c, 'external-db');
    c.runtime.settle();
    expect(ep(c, 'external-db')).toEqual(manual);
    expect(catchApiError(() => ep(c, 'alias')).status.code).toBe(404);
  });

  it('deletes the Endpoints with its Service, and writes a deleted one again', () => {
    const c = open();
    makePod(c, 'web-1', { ip: '10.244.1.2' });
    makeService(c, 'web', { selector: { app: 'web' }, ports: [{ port: 80 }] });
    c.runtime.settle();
    c.api.delete('endpoints', 'default', 'web');
    c.runtime.settle();
    expect(ips((ep(c, 'web').subsets as unknown[])[0])).toEqual(['10.244.1.2']);
    c.api.delete('services', 'default', 'web');
    c.runtime.settle();
    expect(catchApiError(() => ep(c, 'web')).message).toBe('endpoints "web" not found');
  });

  it('does not rewrite an Endpoints when a pod change shows nothing new', () => {
    const c = open();
    makePod(c, 'web-1', { ip: '10.244.1.2' });
    makeService(c, 'web', { selector: { app: 'web' }, ports: [{ port: 80 }] });
    c.runtime.settle();
    const version = meta(ep(c, 'web')).resourceVersion;
    mergeMeta(c, 'pods', 'default', 'web-1', { annotations: { note: 'unrelated' } });
    c.runtime.settle();
    expect(meta(ep(c, 'web')).resourceVersion).toBe(version);
  });

  it('truncates at 1000 addresses with endpoints.kubernetes.io/over-capacity: truncated', () => {
    const c = open();
    for (let i = 0; i < 1003; i++) makePod(c, `web-${i}`, { ip: `10.245.${i >> 8}.${i & 255}` });
    makeService(c, 'web', { selector: { app: 'web' }, ports: [{ port: 80 }] });
    c.runtime.settle();
    const e = ep(c, 'web');
    expect(ips((e.subsets as unknown[])[0])).toHaveLength(1000);
    expect(meta(e).annotations?.['endpoints.kubernetes.io/over-capacity']).toBe('truncated');
    for (let i = 0; i < 3; i++) c.api.delete('pods', 'default', `web-${i}`, { gracePeriodSeconds: 0 });
    c.runtime.settle();
    expect(meta(ep(c, 'web')).annotations?.['endpoints.kubernetes.io/over-capacity']).toBeUndefined();
  });
});

describe('ServicePodIndex', () => {
  const event = (type: 'ADDED' | 'MODIFIED' | 'DELETED', object: KubeObject) => ({
    type,
    key: {
      resource: object.kind === 'Pod' ? 'pods' : 'services',
      namespace: (object.metadata as { namespace: string }).namespace,
      name: (object.metadata as { name: string }).name,
    },
    object,
    revision: 1,
  });
  const pod = (name: string, labels: Record<string, string>, ip = '10.244.1.2', namespace = 'default') => ({
    kind: 'Pod',
    metadata: { name, namespace, labels, uid: `uid-${name}` },
    spec: { nodeName: 'node2', containers: [] },
    status: { podIP: ip, conditions: [{ type: 'Ready', status: 'True' }] },
  });
  const svc = (name: string, selector: Record<string, string> | undefined, namespace = 'default') => ({
    kind: 'Service',
    metadata: { name, namespace },
    spec: selector ? { selector } : {},
  });

  it('re-syncs only the services whose selector matches the old or new labels, in the pod namespace', () => {
    const index = new ServicePodIndex();
    index.track('default', () => []);
    index.track('other', () => []);
    index.observeService(event('ADDED', svc('web', { app: 'web' })));
    index.observeService(event('ADDED', svc('web-canary', { app: 'web', track: 'canary' })));
    index.observeService(event('ADDED', svc('api', { app: 'api' })));
    index.observeService(event('ADDED', svc('web', { app: 'web' }, 'other')));
    index.observeService(event('ADDED', svc('manual', undefined)));
    expect(index.observePod(event('ADDED', pod('p', { app: 'web' }))).sort()).toEqual(['default/web']);
    // Nothing an endpoint shows changed: nothing to re-sync.
    expect(index.observePod(event('MODIFIED', pod('p', { app: 'web' })))).toEqual([]);
    expect(index.observePod(event('MODIFIED', pod('p', { app: 'web', track: 'canary' }))).sort()).toEqual([
      'default/web',
      'default/web-canary',
    ]);
    expect(index.observePod(event('MODIFIED', pod('p', { app: 'api' }))).sort()).toEqual([
      'default/api',
      'default/web',
      'default/web-canary',
    ]);
    expect(index.select('default', { app: 'api' }).map((p) => p.name)).toEqual(['p']);
    expect(index.select('default', { app: 'web' })).toEqual([]);
    expect(index.observePod(event('DELETED', pod('p', { app: 'api' })))).toEqual(['default/api']);
    expect(index.select('default', { app: 'api' })).toEqual([]);
  });

  it('ignores the pods of namespaces it does not follow yet, then reads them once', () => {
    const index = new ServicePodIndex();
    index.observeService(event('ADDED', svc('x', { run: 'x' })));
    expect(index.observePod(event('ADDED', pod('a', { run: 'x' })))).toEqual([]);
    expect(index.select('default', { run: 'x' })).toEqual([]);
    index.track('default', () => [pod('a', { run: 'x' }), pod('b', { run: 'y' })]);
    expect(index.select('default', { run: 'x' }).map((p) => p.name)).toEqual(['a']);
    expect(index.observePod(event('MODIFIED', pod('b', { run: 'x' })))).toEqual(['default/x']);
  });

  it('indexes pods added before the service that selects them', () => {
    const index = new ServicePodIndex();
    index.track('default', () => []);
    index.observePod(event('ADDED', pod('a', { run: 'x' })));
    index.observePod(event('ADDED', pod('b', { run: 'y' })));
    index.observeService(event('ADDED', svc('x', { run: 'x' })));
    expect(index.select('default', { run: 'x' }).map((p) => p.name)).toEqual(['a']);
    index.observeService(event('DELETED', svc('x', { run: 'x' })));
    expect(index.observePod(event('MODIFIED', pod('a', { run: 'y' })))).toEqual([]);
  });

  it('keeps only the fields endpoints need, named ports of containers and sidecars included', () => {
    const info = podEndpointInfo({
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default', uid: 'u', labels: { a: 'b' }, deletionTimestamp: 'x' },
      spec: {
        nodeName: 'node2',
        initContainers: [
          { name: 'proxy', restartPolicy: 'Always', ports: [{ name: 'proxy', containerPort: 15001 }] },
          { name: 'init', ports: [{ name: 'ignored', containerPort: 1 }] },
        ],
        containers: [
          {
            name: 'web',
            ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { containerPort: 80 }],
          },
        ],
      },
      status: { phase: 'Succeeded', podIP: '10.244.1.2' },
    });
    expect(info).toMatchObject({ ip: '10.244.1.2', ready: false, terminating: true, terminal: true });
    expect(info.ports).toEqual([
      { name: 'dns', containerPort: 53, protocol: 'UDP' },
      { name: 'proxy', containerPort: 15001, protocol: 'TCP' },
    ]);
  });
});

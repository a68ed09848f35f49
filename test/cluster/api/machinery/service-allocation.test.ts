import { describe, expect, it } from 'vitest';
import { SERVICE_ALLOCATION_META } from '../../../../src/cluster/api/machinery/service-allocation.js';
import { ApiError } from '../../../../src/cluster/api/types.js';
import type { KubeObject } from '../../../../src/cluster/store/types.js';
import { meta, newCluster, service } from './fixtures.js';

type Spec = {
  clusterIP?: string;
  clusterIPs?: string[];
  ipFamilies?: string[];
  ipFamilyPolicy?: string;
  ports: { port: number; nodePort?: number }[];
  healthCheckNodePort?: number;
};
const spec = (svc: KubeObject) => svc.spec as Spec;

function ipInt(ip: string): number {
  return ip.split('.').reduce((acc, p) => acc * 256 + Number(p), 0);
}

function invalid(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiError) {
      expect(error.code).toBe(422);
      return error.message;
    }
    throw error;
  }
  throw new Error('expected a 422');
}

describe('ClusterIP allocation', () => {
  it('gives kubernetes 10.96.0.1 and kube-dns 10.96.0.10, others an IP from the dynamic band', () => {
    const { api } = newCluster();
    expect(spec(api.create(service('kubernetes'))).clusterIP).toBe('10.96.0.1');
    expect(spec(api.create(service('kube-dns'), { namespace: 'kube-system' })).clusterIP).toBe('10.96.0.10');
    const web = spec(api.create(service('web')));
    const n = ipInt(web.clusterIP!);
    expect(n).toBeGreaterThanOrEqual(ipInt('10.96.1.0'));
    expect(n).toBeLessThan(ipInt('10.112.0.0') - 1);
    expect(web).toMatchObject({
      clusterIPs: [web.clusterIP],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
    });
  });

  it('honours a requested ClusterIP or refuses it', () => {
    const { api, store } = newCluster();
    expect(spec(api.create(service('a', { clusterIP: '10.96.0.50' }))).clusterIP).toBe('10.96.0.50');
    const before = store.currentRevision();
    expect(invalid(() => api.create(service('b', { clusterIP: '10.96.0.50' })))).toBe(
      'Service "b" is invalid: spec.clusterIP: Invalid value: "10.96.0.50": provided IP is already allocated',
    );
    expect(invalid(() => api.create(service('c', { clusterIP: '192.168.0.1' })))).toBe(
      'Service "c" is invalid: spec.clusterIP: Invalid value: "192.168.0.1": provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    );
    expect(store.currentRevision()).toBe(before);
  });

  it('allocates nothing for headless and ExternalName services', () => {
    const { api, store } = newCluster();
    expect(spec(api.create(service('h', { clusterIP: 'None' })))).toMatchObject({
      clusterIP: 'None',
      clusterIPs: ['None'],
    });
    const ext = spec(
      api.create(service('e', { type: 'ExternalName', externalName: 'db.example.com', ports: [] })),
    );
    expect(ext.clusterIP).toBeUndefined();
    expect(ext.clusterIPs).toBeUndefined();
    expect(store.getMeta(SERVICE_ALLOCATION_META.clusterIPs)).toBeUndefined();
  });

  it('releases the IP on delete, and keeps it over updates that omit it', () => {
    const { api, store } = newCluster();
    const a = api.create(service('a', { clusterIP: '10.96.0.77' }));
    const updated = api.update({ ...a, spec: { ...spec(a), clusterIP: undefined, clusterIPs: undefined } });
    expect(spec(updated).clusterIP).toBe('10.96.0.77');
    expect(store.getMeta(SERVICE_ALLOCATION_META.clusterIPs)).toEqual({ '10.96.0.77': 'default/a' });
    api.delete('services', 'default', 'a');
    expect(store.getMeta(SERVICE_ALLOCATION_META.clusterIPs)).toEqual({});
    expect(spec(api.create(service('b', { clusterIP: '10.96.0.77' }))).clusterIP).toBe('10.96.0.77');
  });

  it('releases the IP when a Service becomes ExternalName', () => {
    const { api, store } = newCluster();
    const a = api.create(service('a', { clusterIP: '10.96.0.77' }));
    const ext = api.update({
      ...a,
      spec: { ...spec(a), type: 'ExternalName', externalName: 'x.example.com' },
    });
    expect(spec(ext).clusterIP).toBeUndefined();
    expect(store.getMeta(SERVICE_ALLOCATION_META.clusterIPs)).toEqual({});
  });
});

describe('NodePort allocation', () => {
  it('gives NodePort and LoadBalancer ports a port in 30000-32767', () => {
    const { api } = newCluster();
    const np = spec(
      api.create(service('np', { type: 'NodePort', ports: [{ port: 80 }, { port: 443, name: 'https' }] })),
    );
    for (const p of np.ports) {
      expect(p.nodePort).toBeGreaterThanOrEqual(30086);
      expect(p.nodePort).toBeLessThanOrEqual(32767);
    }
    expect(np.ports[0]!.nodePort).not.toBe(np.ports[1]!.nodePort);
    const lb = spec(api.create(service('lb', { type: 'LoadBalancer' })));
    expect(lb.ports[0]!.nodePort).toBeGreaterThanOrEqual(30000);
    expect(spec(api.create(service('plain'))).ports[0]!.nodePort).toBeUndefined();
  });

  it('honours a requested nodePort or refuses it', () => {
    const { api, store } = newCluster();
    expect(
      spec(api.create(service('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 30001 }] }))).ports[0]!
        .nodePort,
    ).toBe(30001);
    const before = store.currentRevision();
    expect(
      invalid(() => api.create(service('b', { type: 'NodePort', ports: [{ port: 80, nodePort: 30001 }] }))),
    ).toBe(
      'Service "b" is invalid: spec.ports[0].nodePort: Invalid value: 30001: provided port is already allocated',
    );
    expect(
      invalid(() => api.create(service('c', { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] }))),
    ).toBe(
      'Service "c" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
    expect(invalid(() => api.create(service('d', { ports: [{ port: 80, nodePort: 30002 }] })))).toBe(
      'Service "d" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is \'ClusterIP\'',
    );
    expect(store.currentRevision()).toBe(before);
  });

  it('keeps nodePorts over updates, releases them when the type no longer needs them', () => {
    const { api, store } = newCluster();
    const a = api.create(service('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 30005 }] }));
    const same = api.update({ ...a, spec: { ...spec(a), ports: [{ port: 80 }] } });
    expect(spec(same).ports[0]!.nodePort).toBe(30005);
    const plain = api.update({ ...same, spec: { ...spec(same), type: 'ClusterIP' } });
    expect(spec(plain).ports[0]!.nodePort).toBeUndefined();
    expect(store.getMeta(SERVICE_ALLOCATION_META.nodePorts)).toEqual({});
    const again = api.create(service('b', { type: 'NodePort', ports: [{ port: 80, nodePort: 30005 }] }));
    api.delete('svc', 'default', 'b');
    expect(spec(again).ports[0]!.nodePort).toBe(30005);
    expect(store.getMeta(SERVICE_ALLOCATION_META.nodePorts)).toEqual({});
  });

  it('allocates a health-check port for externalTrafficPolicy Local', () => {
    const { api } = newCluster();
    const lb = spec(api.create(service('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' })));
    expect(lb.healthCheckNodePort).toBeGreaterThanOrEqual(30000);
  });
});

describe('LoadBalancer ingress', () => {
  it('hands out pool addresses in order, releases them, and stays pending when the pool is empty', () => {
    const { api } = newCluster({
      api: { serviceNetwork: { loadBalancerPool: ['172.18.255.200', '172.18.255.201'] } },
    });
    const ingress = (svc: KubeObject) =>
      (svc.status as { loadBalancer: { ingress?: { ip: string }[] } }).loadBalancer.ingress;
    expect(ingress(api.create(service('a', { type: 'LoadBalancer' })))).toEqual([
      { ip: '172.18.255.200', ipMode: 'VIP' },
    ]);
    expect(ingress(api.create(service('b', { type: 'LoadBalancer' })))).toEqual([
      { ip: '172.18.255.201', ipMode: 'VIP' },
    ]);
    const pending = api.create(service('c', { type: 'LoadBalancer' }));
    expect(pending.status).toEqual({ loadBalancer: {} });
    api.delete('svc', 'default', 'a');
    expect(ingress(api.create(service('d', { type: 'LoadBalancer' })))).toEqual([
      { ip: '172.18.255.200', ipMode: 'VIP' },
    ]);
    // Turning a LoadBalancer into a ClusterIP service gives its address back.
    const b = api.get('svc', 'default', 'b');
    const plain = api.update({ ...b, spec: { ...spec(b), type: 'ClusterIP', ports: [{ port: 80 }] } });
    expect(plain.status).toEqual({ loadBalancer: {} });
    expect(meta(plain).name).toBe('b');
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Cluster, openCluster } from '../../../src/cluster/cluster.js';
import { createImageCatalog } from '../../../src/cluster/images/catalog.js';
import type {
  ContainerContext,
  ImageCatalog,
  NetworkView,
  ProcessBehaviour,
  Vantage,
} from '../../../src/cluster/images/types.js';
import { createNetworkView } from '../../../src/cluster/network/view.js';
import type { KubeObject } from '../../../src/cluster/store/types.js';

const NOW = Date.parse('2025-03-01T12:00:00Z');
const AGO = new Date(NOW - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

let cluster: Cluster;
let catalog: ImageCatalog;
let view: NetworkView;
let denied: (to: string, port: number) => boolean;

/** Behaviours of running containers, built from the catalog as the kubelet would. */
function behaviourOf(pod: KubeObject, name: string): ProcessBehaviour | undefined {
  const status = (
    (pod.status as { containerStatuses?: { name: string; state?: { running?: { startedAt: string } } }[] })
      ?.containerStatuses ?? []
  ).find((s) => s.name === name);
  const startedAt = status?.state?.running?.startedAt;
  if (startedAt === undefined) return undefined;
  const container = (
    (pod.spec as { containers: { name: string; image: string; command?: string[]; args?: string[] }[] })
      .containers ?? []
  ).find((c) => c.name === name);
  if (container === undefined) return undefined;
  const pulled = catalog.pull(container.image);
  if (!pulled.ok) return undefined;
  const meta = pod.metadata as { name: string; namespace: string };
  const ctx: ContainerContext = {
    namespace: meta.namespace,
    podName: meta.name,
    containerName: name,
    podIP: String((pod.status as { podIP?: string }).podIP ?? ''),
    nodeName: String((pod.spec as { nodeName?: string }).nodeName ?? ''),
    env: {},
    network: view,
    startedAt: Date.parse(startedAt),
  };
  return catalog.behaviour(
    pulled.image,
    {
      env: {},
      ...(container.command ? { command: container.command } : {}),
      ...(container.args ? { args: container.args } : {}),
    },
    ctx,
  );
}

beforeEach(() => {
  cluster = openCluster({ wallClock: () => new Date(NOW), controllers: () => [] });
  catalog = createImageCatalog({ get: (k) => cluster.store.getMeta(k) });
  denied = () => false;
  view = createNetworkView({
    api: cluster.api,
    catalog,
    now: () => cluster.now(),
    behaviourOf,
    policy: (_from, to) => !denied(String((to.pod.metadata as { name: string }).name), to.port),
  });
});
afterEach(() => cluster.close());

/** A running pod with a fixed IP (`startedAt` a minute ago unless given). */
function pod(
  name: string,
  ip: string,
  image: string,
  options: {
    namespace?: string;
    node?: string;
    labels?: Record<string, string>;
    ports?: { name?: string; containerPort: number; hostPort?: number }[];
    hostname?: string;
    subdomain?: string;
    startedAt?: string;
    command?: string[];
    hostNetwork?: boolean;
  } = {},
): KubeObject {
  const namespace = options.namespace ?? 'default';
  const created = cluster.api.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: options.labels ?? {} },
    spec: {
      nodeName: options.node ?? 'node2',
      ...(options.hostname ? { hostname: options.hostname } : {}),
      ...(options.subdomain ? { subdomain: options.subdomain } : {}),
      ...(options.hostNetwork ? { hostNetwork: true } : {}),
      containers: [
        {
          name: 'main',
          image,
          ...(options.command ? { command: options.command } : {}),
          ports: options.ports ?? [],
        },
      ],
    },
  });
  return cluster.api.update(
    {
      ...created,
      status: {
        phase: 'Running',
        podIP: ip,
        podIPs: [{ ip }],
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: options.startedAt ?? AGO }],
        containerStatuses: [
          {
            name: 'main',
            image,
            ready: true,
            restartCount: 0,
            state: { running: { startedAt: options.startedAt ?? AGO } },
          },
        ],
      },
    },
    { subresource: 'status' },
  );
}

function service(name: string, spec: Record<string, unknown>, namespace = 'default'): KubeObject {
  return cluster.api.create({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec });
}

function endpoints(
  name: string,
  pods: KubeObject[],
  ports: { name?: string; port: number }[],
  namespace = 'default',
  hostnames = false,
): void {
  cluster.api.create({
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name, namespace },
    subsets: [
      {
        addresses: pods.map((p) => {
          const meta = p.metadata as { name: string; namespace: string };
          return {
            ip: (p.status as { podIP: string }).podIP,
            nodeName: (p.spec as { nodeName: string }).nodeName,
            ...(hostnames ? { hostname: meta.name } : {}),
            targetRef: { kind: 'Pod', name: meta.name, namespace: meta.namespace },
          };
        }),
        ports: ports.map((p) => ({ ...p, protocol: 'TCP' })),
      },
    ],
  });
}

const fromPod = (namespace = 'default', podIP = '10.244.1.99'): Vantage => ({
  kind: 'pod',
  namespace,
  podIP,
  nodeName: 'node2',
});
const fromNode: Vantage = { kind: 'node', nodeName: 'node1' };
const outside: Vantage = { kind: 'external' };

describe('DNS (kubernetes-behaviour §2.10)', () => {
  it('resolves the bootstrapped services from pods, with the namespace search path', () => {
    expect(view.resolve('kubernetes.default', fromPod('web'))).toEqual({
      addresses: ['10.96.0.1'],
      canonicalName: 'kubernetes.default.svc.cluster.local',
    });
    expect(view.resolve('kubernetes', fromPod())?.addresses).toEqual(['10.96.0.1']);
    expect(view.resolve('kubernetes', fromPod('kube-system'))).toBeUndefined();
    expect(view.resolve('kube-dns.kube-system', fromPod())?.addresses).toEqual(['10.96.0.10']);
    expect(view.resolve('kube-dns.kube-system.svc', fromPod())?.addresses).toEqual(['10.96.0.10']);
    expect(view.resolve('kube-dns.kube-system.svc.cluster.local.', fromPod())?.addresses).toEqual([
      '10.96.0.10',
    ]);
    expect(view.resolve('nope', fromPod())).toBeUndefined();
  });

  it("gives a service's ClusterIP in its namespace, and only there by its short name", () => {
    const svc = service('redis', { selector: { app: 'redis' }, ports: [{ port: 6379 }] });
    const ip = (svc.spec as { clusterIP: string }).clusterIP;
    expect(view.resolve('redis', fromPod())).toEqual({
      addresses: [ip],
      canonicalName: 'redis.default.svc.cluster.local',
    });
    cluster.api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
    expect(view.resolve('redis', fromPod('other'))).toBeUndefined();
    expect(view.resolve('redis.default', fromPod('other'))?.addresses).toEqual([ip]);
  });

  it('answers a headless service with its ready endpoints, and StatefulSet pods by hostname', () => {
    const pods = [0, 1, 2].map((i) =>
      pod(`my-database-${i}`, `10.244.2.${10 + i}`, 'mongo:3.7.9', {
        hostname: `my-database-${i}`,
        subdomain: 'my-db-service',
      }),
    );
    service('my-db-service', { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 27017 }] });
    endpoints('my-db-service', pods, [{ port: 27017 }]);
    expect(view.resolve('my-db-service', fromPod())?.addresses).toEqual([
      '10.244.2.10',
      '10.244.2.11',
      '10.244.2.12',
    ]);
    expect(view.resolve('my-database-1.my-db-service', fromPod())).toEqual({
      addresses: ['10.244.2.11'],
      canonicalName: 'my-database-1.my-db-service.default.svc.cluster.local',
    });
    expect(view.reverse?.('10.244.2.12', fromPod())).toBe(
      'my-database-2.my-db-service.default.svc.cluster.local',
    );
    expect(view.reverse?.('10.96.0.10', fromPod())).toBe('kube-dns.kube-system.svc.cluster.local');
  });

  it('answers pod A records (a-b-c-d.<ns>.pod.cluster.local) and ExternalName CNAMEs', () => {
    expect(view.resolve('10-244-1-5.default.pod.cluster.local', fromPod())?.addresses).toEqual([
      '10.244.1.5',
    ]);
    service('k8s', { type: 'ExternalName', externalName: 'kubernetes.io' });
    const cname = view.resolve('k8s', fromPod());
    expect(cname?.canonicalName).toBe('kubernetes.io');
    expect(cname?.addresses.length).toBe(1);
  });

  it('nodes resolve node names and the internet, not cluster names; pods do not resolve node names', () => {
    expect(view.resolve('node2', fromNode)?.addresses).toEqual(['10.0.0.12']);
    expect(view.resolve('node2', outside)?.addresses).toEqual(['10.0.0.12']);
    expect(view.resolve('kubernetes.default.svc.cluster.local', fromNode)).toBeUndefined();
    expect(view.resolve('node2', fromPod())).toBeUndefined();
    expect(view.resolve('google.com', fromPod())?.addresses).toHaveLength(1);
    expect(view.resolve('cheddar.10.0.0.11.nip.io', fromNode)?.addresses).toEqual(['10.0.0.11']);
  });

  it('fails cluster names when CoreDNS has no ready endpoint', () => {
    cluster.api.delete('endpoints', 'kube-system', 'kube-dns');
    expect(view.resolve('kubernetes.default', fromPod())).toBeUndefined();
  });
});

describe('connections (kube-proxy)', () => {
  function web(count: number, image = 'jpetazzo/httpenv', port = 8888) {
    const pods = Array.from({ length: count }, (_, i) =>
      pod(`httpenv-${i}`, `10.244.1.${10 + i}`, image, { labels: { app: 'httpenv' } }),
    );
    const svc = service('httpenv', { selector: { app: 'httpenv' }, ports: [{ port, targetPort: port }] });
    endpoints('httpenv', pods, [{ port }]);
    return { pods, ip: (svc.spec as { clusterIP: string }).clusterIP };
  }

  it('spreads connections to a ClusterIP over the ready endpoints, round robin', () => {
    const { ip } = web(3);
    const seen = Array.from({ length: 6 }, () => {
      const c = view.connect(ip, 8888, fromPod());
      return c.ok ? c.podName : c.error;
    });
    expect(new Set(seen.slice(0, 3))).toEqual(new Set(['httpenv-0', 'httpenv-1', 'httpenv-2']));
    expect(seen.slice(3)).toEqual(seen.slice(0, 3));
    const c = view.connect(ip, 8888, fromNode);
    expect(
      c.ok &&
        JSON.parse(c.behaviour.http({ method: 'GET', path: '/', port: c.port }, c.context)!.body).HOSTNAME,
    ).toMatch(/^httpenv-\d$/);
  });

  it('maps a named targetPort through the Endpoints port names', () => {
    const p = pod('flask-0', '10.244.1.30', 'jstubbs/hello-flask', {
      ports: [{ name: 'http', containerPort: 5000 }],
    });
    const svc = service('hello-service', {
      selector: { app: 'flask' },
      ports: [{ name: 'web', port: 80, targetPort: 'http' }],
    });
    endpoints('hello-service', [p], [{ name: 'web', port: 5000 }]);
    const c = view.connect((svc.spec as { clusterIP: string }).clusterIP, 80, fromPod());
    expect(c.ok && c.port).toBe(5000);
    expect(
      c.ok && c.behaviour.http({ method: 'GET', path: '/hello-service', port: 5000 }, c.context)?.body,
    ).toBe('Hello world\n');
  });

  it('refuses a ClusterIP without ready endpoints; a port the service lacks times out', () => {
    const svc = service('empty', { selector: { app: 'none' }, ports: [{ port: 80 }] });
    const ip = (svc.spec as { clusterIP: string }).clusterIP;
    expect(view.connect(ip, 80, fromPod())).toEqual({ ok: false, error: 'refused' });
    expect(view.connect(ip, 81, fromPod())).toEqual({ ok: false, error: 'timeout' });
  });

  it('connects to a pod IP directly; refuses a port nothing listens on, and a program not up yet', () => {
    pod('web', '10.244.1.40', 'nginx');
    expect(view.connect('10.244.1.40', 80, fromPod())).toMatchObject({ ok: true, podName: 'web', port: 80 });
    expect(view.connect('10.244.1.40', 81, fromPod())).toEqual({ ok: false, error: 'refused' });
    pod('elastic', '10.244.1.41', 'elasticsearch:2', { startedAt: new Date(NOW - 2000).toISOString() });
    expect(view.connect('10.244.1.41', 9200, fromPod())).toEqual({ ok: false, error: 'refused' });
  });

  it('times out to an unknown pod-network address from inside; unreachable from outside', () => {
    expect(view.connect('10.244.7.95', 5000, fromPod())).toEqual({ ok: false, error: 'timeout' });
    expect(view.connect('10.244.7.95', 5000, outside)).toEqual({ ok: false, error: 'unreachable' });
    expect(view.connect('10.96.0.1', 443, outside)).toEqual({ ok: false, error: 'unreachable' });
  });

  it('reaches a NodePort on every node, from outside and from 127.0.0.1 on a node', () => {
    const p = pod('registry', '10.244.1.50', 'registry');
    const svc = service('registry', {
      type: 'NodePort',
      selector: { run: 'registry' },
      ports: [{ port: 5000 }],
    });
    endpoints('registry', [p], [{ port: 5000 }]);
    const nodePort = (svc.spec as { ports: { nodePort: number }[] }).ports[0]!.nodePort;
    expect(nodePort).toBeGreaterThanOrEqual(30000);
    for (const node of ['10.0.0.11', '10.0.0.12', '10.0.0.13'])
      expect(view.connect(node, nodePort, outside)).toMatchObject({ ok: true, podName: 'registry' });
    const local = view.connect('127.0.0.1', nodePort, fromNode);
    expect(
      local.ok &&
        local.behaviour.http({ method: 'GET', path: '/v2/_catalog', port: local.port }, local.context)?.body,
    ).toBe('{"repositories":[]}\n');
    expect(view.connect('10.0.0.12', 31999, outside)).toEqual({ ok: false, error: 'refused' });
  });

  it("reaches the API server through the kubernetes service (an address on node1's host network)", () => {
    // The bootstrap's static pod, Running on node1's host network.
    const c = view.connect('10.96.0.1', 443, fromPod());
    expect(c).toMatchObject({ ok: true, podName: 'kube-apiserver-node1', port: 6443 });
    expect(c.ok && c.behaviour.http({ method: 'GET', path: '/', port: 6443 }, c.context)?.status).toBe(403);
    const client = pod('testcurl', '10.244.1.70', 'centos', { command: ['sleep', '3600'] });
    const ctx: ContainerContext = {
      namespace: 'default',
      podName: 'testcurl',
      containerName: 'main',
      podIP: '10.244.1.70',
      nodeName: 'node2',
      env: {},
      network: view,
      startedAt: NOW,
    };
    const curl = behaviourOf(client, 'main')!;
    const anonymous = curl.exec(['curl', '-s', '-k', 'https://10.96.0.1'], ctx);
    expect(anonymous.stdout).toContain(
      '"message": "forbidden: User \\"system:anonymous\\" cannot get path \\"/\\""',
    );
    expect(curl.exec(['curl', '-s', 'https://10.96.0.1'], ctx).exitCode).toBe(60);
  });

  it('drops what the policy denies (the connection times out)', () => {
    const { ip } = web(1);
    denied = (to) => to === 'httpenv-0';
    expect(view.connect(ip, 8888, fromPod())).toEqual({ ok: false, error: 'timeout' });
    expect(view.connect('10.244.1.10', 8888, fromPod())).toEqual({ ok: false, error: 'timeout' });
  });

  it('answers pings from pods and nodes, not from ClusterIPs', () => {
    const { ip } = web(1);
    expect(view.pingable?.('10.244.1.10', fromPod())).toBe(true);
    expect(view.pingable?.(ip, fromPod())).toBe(false);
    expect(view.pingable?.('10.0.0.13', fromPod())).toBe(true);
    expect(view.pingable?.('1.1.1.1', fromPod())).toBe(true);
  });

  it("tells since when a service has answered, and lists a namespace's running containers", () => {
    web(2);
    // The pods answered since a minute ago (plus httpenv's start-up), the service since now.
    expect(view.reachableSince?.('httpenv', 8888, fromPod())).toBe(NOW);
    expect(view.reachableSince?.('10.244.1.10', 8888, fromPod())).toBe(Date.parse(AGO) + 100);
    expect(view.reachableSince?.('nope', 80, fromPod())).toBeUndefined();
    expect(view.containers?.('default').map((c) => c.context.podName)).toEqual(['httpenv-0', 'httpenv-1']);
  });
});

describe('commands in pods, through the network view', () => {
  it('curl and nslookup from an alpine pod see the cluster', () => {
    const { ip } = (() => {
      const p = pod('web-0', '10.244.1.60', 'nginx:1.13.11', { labels: { app: 'web' } });
      const svc = service('web', { selector: { app: 'web' }, ports: [{ port: 80 }] });
      endpoints('web', [p], [{ port: 80 }]);
      return { ip: (svc.spec as { clusterIP: string }).clusterIP };
    })();
    const client = pod('client', '10.244.1.61', 'centos', { command: ['sleep', '3600'] });
    const behaviour = behaviourOf(client, 'main')!;
    const ctx: ContainerContext = {
      namespace: 'default',
      podName: 'client',
      containerName: 'main',
      podIP: '10.244.1.61',
      nodeName: 'node2',
      env: {},
      network: view,
      startedAt: NOW,
    };
    const ok = behaviour.exec(['curl', '-s', '-m3', ip], ctx);
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toContain('<h1>Welcome to nginx!</h1>');
    expect(behaviour.exec(['curl', '-s', 'http://web/'], ctx).stdout).toContain('Welcome to nginx!');
    const noRule = behaviour.exec(['curl', 'http://web:8080/'], ctx);
    expect(noRule).toMatchObject({ exitCode: 7, durationMs: 127_000 });
    expect(noRule.stderr).toContain('curl: (7) Failed to connect to web port 8080: Connection timed out');
    expect(behaviour.exec(['curl', '-m3', '10.244.1.60:81'], ctx).stderr).toContain(
      'curl: (7) Failed to connect to 10.244.1.60 port 81: Connection refused',
    );
    const timeout = behaviour.exec(['curl', '-m3', '10.244.9.9'], ctx);
    expect(timeout.exitCode).toBe(28);
    expect(timeout.stderr).toContain('curl: (28) Connection timed out after 3001 milliseconds');
    expect(behaviour.exec(['curl', 'x'], ctx).stderr).toBe('curl: (6) Could not resolve host: x\n');
    const busybox = pod('box', '10.244.1.62', 'busybox', { command: ['sleep', '3600'] });
    const lookup = behaviourOf(busybox, 'main')!.exec(['nslookup', 'web'], {
      ...ctx,
      podName: 'box',
      podIP: '10.244.1.62',
    });
    expect(lookup.stdout).toBe(
      `Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      web\nAddress 1: ${ip} web.default.svc.cluster.local\n`,
    );
    const unknown = behaviourOf(busybox, 'main')!.exec(['nslookup', 'foo'], {
      ...ctx,
      podName: 'box',
      podIP: '10.244.1.62',
    });
    expect(unknown).toMatchObject({ stderr: "nslookup: can't resolve 'foo'\n", exitCode: 1 });
  });
});

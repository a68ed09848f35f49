import { afterEach, describe, expect, it } from 'vitest';
import type { Cluster } from '../../../src/cluster/cluster.js';
import { formatCpu, formatMemory, podUsageMilli, UsageModel } from '../../../src/cluster/metrics/index.js';
import { idleUsage, parseUsageSetting } from '../../../src/cluster/metrics/usage.js';
import { parseQuantity } from '../../../src/cluster/printing/quantity.js';
import type { KubeObject } from '../../../src/cluster/store/types.js';
import { apiError } from '../api/machinery/fixtures.js';
import { makePod, mergeMeta, openWith } from './fixtures.js';

const clusters: Cluster[] = [];
afterEach(() => {
  for (const c of clusters.splice(0)) c.close();
});

const open = () => openWith(clusters, [], false);
type PodMetrics = {
  metadata: Record<string, unknown>;
  timestamp: string;
  window: string;
  containers: { name: string; usage: { cpu: string; memory: string } }[];
};
const items = (list: KubeObject) => list.items as PodMetrics[];
const cpuOf = (c: Cluster, name: string) =>
  items(c.metrics.pods({ namespace: 'default', name }))[0]!.containers[0]!.usage.cpu;

describe('metrics.k8s.io (simulated)', () => {
  it('lists PodMetrics as metrics-server does, for Running pods only', () => {
    const c = open();
    makePod(c, 'web-1', { ip: '10.244.1.2', labels: { app: 'web' } });
    makePod(c, 'web-pending', { labels: { app: 'web' } });
    const list = c.metrics.pods({ namespace: 'default' });
    expect(list).toMatchObject({
      apiVersion: 'metrics.k8s.io/v1beta1',
      kind: 'PodMetricsList',
      metadata: {},
    });
    const [web, ...rest] = items(list);
    expect(rest).toEqual([]);
    expect(web).toEqual({
      metadata: {
        name: 'web-1',
        namespace: 'default',
        creationTimestamp: '2025-03-01T12:00:00Z',
        labels: { app: 'web' },
      },
      timestamp: '2025-03-01T12:00:00Z',
      window: '15s',
      containers: [
        {
          name: 'web',
          usage: { cpu: expect.stringMatching(/^\d+n$/), memory: expect.stringMatching(/^\d+Ki$/) },
        },
      ],
    });
    // Idle nginx: well under a millicore, a few MiB, the same every time.
    const usage = new UsageModel(c.api).pod(c.api.get('pods', 'default', 'web-1'))!;
    expect(usage[0]!.cpuNanos).toBeLessThan(1_000_000);
    expect(usage[0]!.memoryBytes).toBeGreaterThan(2 * 1024 * 1024);
    expect(items(c.metrics.pods({ namespace: 'default' }))[0]!.containers).toEqual(web!.containers);
  });

  it('answers by name, and 404s in metrics-server wording for unknown or not running pods', () => {
    const c = open();
    makePod(c, 'web-1', { ip: '10.244.1.2' });
    makePod(c, 'web-pending');
    expect(
      items(c.metrics.pods({ namespace: 'default', name: 'web-1' })).map((p) => p.metadata.name),
    ).toEqual(['web-1']);
    const missing = apiError(() => c.metrics.pods({ namespace: 'default', name: 'x' }));
    expect(missing.status).toMatchObject({
      code: 404,
      reason: 'NotFound',
      message: 'podmetrics.metrics.k8s.io "x" not found',
    });
    expect(apiError(() => c.metrics.pods({ namespace: 'default', name: 'web-pending' })).message).toBe(
      'podmetrics.metrics.k8s.io "web-pending" not found',
    );
    expect(apiError(() => c.metrics.nodes({ name: 'node9' })).message).toBe(
      'nodemetrics.metrics.k8s.io "node9" not found',
    );
  });

  it('filters by label selector and namespace', () => {
    const c = open();
    makePod(c, 'web-1', { ip: '10.244.1.2', labels: { app: 'web' } });
    makePod(c, 'db-1', { ip: '10.244.1.3', labels: { app: 'db' } });
    const names = (q: Parameters<Cluster['metrics']['pods']>[0]) =>
      items(c.metrics.pods(q)).map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    expect(names({ namespace: 'default', labelSelector: 'app=db' })).toEqual(['default/db-1']);
    expect(names({ labelSelector: 'k8s-app=kube-dns' })).toEqual([
      expect.stringMatching(/^kube-system\/coredns-/),
      expect.stringMatching(/^kube-system\/coredns-/),
    ]);
  });

  it('bosun.dev/cpu-utilization on the pod sets usage as a percentage of the CPU request', () => {
    const c = open();
    makePod(c, 'web-1', {
      ip: '10.244.1.2',
      requests: { cpu: '200m', memory: '64Mi' },
      annotations: { 'bosun.dev/cpu-utilization': '80', 'bosun.dev/memory-utilization': '50%' },
    });
    const [web] = items(c.metrics.pods({ namespace: 'default', name: 'web-1' }));
    expect(web!.containers[0]!.usage).toEqual({ cpu: '160m', memory: '32Mi' });
  });

  it('an absolute value applies without a request; a percentage then changes nothing', () => {
    const c = open();
    makePod(c, 'abs', { ip: '10.244.1.2', annotations: { 'bosun.dev/cpu-utilization': '250m' } });
    makePod(c, 'pct', { ip: '10.244.1.3', annotations: { 'bosun.dev/cpu-utilization': '90' } });
    makePod(c, 'idle', { ip: '10.244.1.4' });
    expect(cpuOf(c, 'abs')).toBe('250m');
    expect(cpuOf(c, 'pct')).toMatch(/^\d+n$/);
  });

  it('the annotation on the controlling workload applies to its pods (pod → ReplicaSet → Deployment)', () => {
    const c = open();
    const deployment = c.api.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'nginx' }] },
        },
      },
    });
    const replicaSet = c.api.create({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: 'web-7c8bbcd9bc',
        namespace: 'default',
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'web',
            uid: (deployment.metadata as { uid: string }).uid,
            controller: true,
          },
        ],
      },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'nginx' }] },
        },
      },
    });
    makePod(c, 'web-7c8bbcd9bc-abcde', { ip: '10.244.1.2', requests: { cpu: '100m' }, owner: replicaSet });
    mergeMeta(c, 'deployments.apps', 'default', 'web', {
      annotations: { 'bosun.dev/cpu-utilization': '150' },
    });
    expect(cpuOf(c, 'web-7c8bbcd9bc-abcde')).toBe('150m');
    // The nearest annotation wins.
    mergeMeta(c, 'replicasets.apps', 'default', 'web-7c8bbcd9bc', {
      annotations: { 'bosun.dev/cpu-utilization': '20' },
    });
    expect(cpuOf(c, 'web-7c8bbcd9bc-abcde')).toBe('20m');
    mergeMeta(c, 'pods', 'default', 'web-7c8bbcd9bc-abcde', {
      annotations: { 'bosun.dev/cpu-utilization': '300m' },
    });
    expect(cpuOf(c, 'web-7c8bbcd9bc-abcde')).toBe('300m');
  });

  it('node metrics are the sum of the node pods plus the node own usage; only Ready nodes have them', () => {
    const c = open();
    const list = c.metrics.nodes({});
    expect(list).toMatchObject({ apiVersion: 'metrics.k8s.io/v1beta1', kind: 'NodeMetricsList' });
    const nodes = list.items as {
      metadata: Record<string, unknown>;
      window: string;
      usage: Record<string, string>;
    }[];
    expect(nodes.map((n) => n.metadata.name)).toEqual(['node1', 'node2', 'node3']);
    expect(nodes[0]!.window).toBe('15s');
    expect((nodes[0]!.metadata.labels as Record<string, string>)['kubernetes.io/hostname']).toBe('node1');
    const before = (c.metrics.nodes({ name: 'node2' }).items as { usage: { cpu: string } }[])[0]!.usage.cpu;
    makePod(c, 'busy', {
      ip: '10.244.1.2',
      node: 'node2',
      annotations: { 'bosun.dev/cpu-utilization': '1000m' },
    });
    const after = (c.metrics.nodes({ name: 'node2' }).items as { usage: { cpu: string } }[])[0]!.usage.cpu;
    const nanos = (q: string) => Number(parseQuantity(q)!.nanos);
    expect(nanos(after) - nanos(before)).toBe(1e9);
    // The control plane node runs the heavy static pods.
    expect(nanos(nodes[0]!.usage.cpu!)).toBeGreaterThan(nanos(nodes[1]!.usage.cpu!));
    // A node that stopped reporting (NotReady) has no metrics.
    const node3 = c.api.get('nodes', '', 'node3');
    const status = node3.status as { conditions: { type: string; status: string }[] };
    const conditions = status.conditions.map((x) => (x.type === 'Ready' ? { ...x, status: 'Unknown' } : x));
    c.api.update({ ...node3, status: { ...status, conditions } }, { subresource: 'status' });
    expect(
      (c.metrics.nodes({}).items as { metadata: { name: string } }[]).map((n) => n.metadata.name),
    ).toEqual(['node1', 'node2']);
  });
});

describe('usage model', () => {
  it('formats CPU and memory as metrics-server does', () => {
    expect(formatCpu(2_003_429)).toBe('2003429n');
    expect(formatCpu(250_000_000)).toBe('250m');
    expect(formatCpu(1_000_000_000)).toBe('1');
    expect(formatMemory(14_630_912)).toBe('14288Ki');
    expect(formatMemory(64 * 1024 * 1024)).toBe('64Mi');
  });

  it('reads settings: a bare number or a percentage is of the request; anything else is a quantity', () => {
    expect(parseUsageSetting('80', 'cpu')).toEqual({ percent: 80 });
    expect(parseUsageSetting('80%', 'cpu')).toEqual({ percent: 80 });
    expect(parseUsageSetting('250m', 'cpu')).toEqual({ total: 250_000_000 });
    expect(parseUsageSetting('200Mi', 'memory')).toEqual({ total: 200 * 1024 * 1024 });
    expect(parseUsageSetting('lots', 'cpu')).toBeUndefined();
  });

  it('idles plausibly per image, deterministically', () => {
    const dns = idleUsage('registry.k8s.io/coredns/coredns:v1.12.1', 'a');
    expect(dns.cpuNanos).toBeGreaterThan(1_500_000);
    expect(dns.cpuNanos).toBeLessThan(2_500_000);
    expect(idleUsage('registry.k8s.io/kube-apiserver:v1.34.5', 'a').memoryBytes).toBeGreaterThan(
      200 * 1024 * 1024,
    );
    expect(idleUsage('example/unknown:1', 'x')).toEqual(idleUsage('example/unknown:1', 'x'));
    expect(idleUsage('example/unknown:1', 'x')).not.toEqual(idleUsage('example/unknown:1', 'y'));
  });

  it('sums a pod as the HPA metrics client does (MilliValue per container)', () => {
    const usage = [
      { name: 'a', cpuNanos: 1_500_001, memoryBytes: 1024 },
      { name: 'b', cpuNanos: 2_000_000, memoryBytes: 2048 },
    ];
    expect(podUsageMilli(usage, 'cpu')).toBe(4);
    expect(podUsageMilli(usage, 'memory', 'b')).toBe(2_048_000);
    expect(podUsageMilli(usage, 'cpu', 'c')).toBeUndefined();
    expect(podUsageMilli(undefined, 'cpu')).toBeUndefined();
  });
});

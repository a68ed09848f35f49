/**
 * `kubectl top pod|node` from the metrics API: kubectl's columns and units (millicores, MiB),
 * percentages of allocatable, `--containers`, `-A`, `--sort-by`, nodes without metrics, and the
 * errors (`Metrics API not available`, metrics missing for an old pod).
 */

import { describe, expect, it } from 'vitest';
import {
  formatGoDuration,
  quantityValue,
  TopAction,
  type TopOptions,
} from '../../../src/action/kubectl/index.js';
import type { KubeClient, MetricsOptions } from '../../../src/kube/index.js';
import { addPod, useStillCluster } from './pod-verb-fakes.js';

const setup = useStillCluster();

const podMetrics = (namespace: string, name: string, containers: [string, string, string][]) => ({
  metadata: { name, namespace },
  containers: containers.map(([c, cpu, memory]) => ({ name: c, usage: { cpu, memory } })),
});

const PODS = [
  podMetrics('default', 'web-1', [['nginx', '1234567n', '3000Ki']]),
  podMetrics('default', 'web-2', [
    ['nginx', '250m', '64Mi'],
    ['sidecar', '5m', '10Mi'],
  ]),
  podMetrics('kube-system', 'coredns-1', [['coredns', '3m', '14Mi']]),
];

/** A metrics API answering from fixed lists, filtered as the real one filters. */
function metricsApi(pods = PODS, nodes: unknown[] = []) {
  return async (kind: 'pods' | 'nodes', options: MetricsOptions = {}) => {
    const all = (kind === 'pods' ? pods : nodes) as { metadata: { name: string; namespace?: string } }[];
    const items = all.filter(
      (m) =>
        (options.namespace === undefined || m.metadata.namespace === options.namespace) &&
        (options.name === undefined || m.metadata.name === options.name),
    );
    return {
      apiVersion: 'metrics.k8s.io/v1beta1',
      kind: kind === 'pods' ? 'PodMetricsList' : 'NodeMetricsList',
      items,
    };
  };
}

const top = (client: KubeClient, options: Partial<TopOptions> = {}) =>
  new TopAction({ client, namespace: 'default', ...options });

describe('quantityValue', () => {
  it.each([
    ['250m', 0.25],
    ['2', 2],
    ['1234567n', 0.001234567],
    ['128Mi', 128 * 2 ** 20],
    ['3927784Ki', 3927784 * 1024],
    ['1G', 1e9],
    ['1e3', 1000],
    ['junk', 0],
  ])('%s is %d', (text, value) => {
    expect(quantityValue(text)).toBeCloseTo(value, 9);
  });
});

describe('kubectl top pod', () => {
  it('prints CPU in millicores (rounded up) and memory in MiB, per pod of the namespace', async () => {
    const { client } = setup({ metrics: metricsApi() });
    expect(await top(client).pods()).toEqual({
      rows: [
        ['NAME', 'CPU(cores)', 'MEMORY(bytes)'],
        ['web-1', '2m', '2Mi'],
        ['web-2', '255m', '74Mi'],
      ],
    });
  });

  it('-A adds the namespace; --containers a line per container; --sort-by orders by usage', async () => {
    const { client } = setup({ metrics: metricsApi() });
    expect((await top(client, { allNamespaces: true, sortBy: 'memory' }).pods()).rows).toEqual([
      ['NAMESPACE', 'NAME', 'CPU(cores)', 'MEMORY(bytes)'],
      ['default', 'web-2', '255m', '74Mi'],
      ['kube-system', 'coredns-1', '3m', '14Mi'],
      ['default', 'web-1', '2m', '2Mi'],
    ]);
    expect((await top(client, { containers: true }).pods('web-2')).rows).toEqual([
      ['POD', 'NAME', 'CPU(cores)', 'MEMORY(bytes)'],
      ['web-2', 'nginx', '250m', '64Mi'],
      ['web-2', 'sidecar', '5m', '10Mi'],
    ]);
    await expect(top(client, { sortBy: 'disk' }).pods()).rejects.toThrow(
      '--sort-by accepts only cpu or memory',
    );
  });

  it('says why there is nothing: no pods, or metrics not there yet for a young pod', async () => {
    const { cluster, client } = setup({ metrics: metricsApi([]) });
    expect(await top(client, { namespace: 'empty' }).pods()).toEqual({
      rows: [],
      notice: 'No resources found in empty namespace.',
    });
    addPod(cluster, { name: 'young' });
    await expect(top(client).pods()).rejects.toThrow('metrics not available yet');
  });

  it('a pod older than two minutes without metrics is an error, with its age', async () => {
    const later = new Date('2025-03-01T12:05:03Z');
    const { cluster, client } = setup({ metrics: metricsApi([]) });
    addPod(cluster, { name: 'web' });
    const afterwards = new Proxy(client, {
      get: (t, k, r) => (k === 'now' ? async () => later : Reflect.get(t, k, r)),
    });
    await expect(top(afterwards).pods()).rejects.toThrow(
      'Metrics not available for pod default/web, age: 5m3s',
    );
  });

  it('Metrics API not available when the metrics cannot be read', async () => {
    const { client } = setup({
      metrics: async () => {
        throw new Error('the server could not find the requested resource');
      },
    });
    await expect(top(client).pods()).rejects.toThrow('Metrics API not available');
    await expect(top(client).nodes()).rejects.toThrow('Metrics API not available');
  });
});

describe('kubectl top node', () => {
  it('prints usage with the share of allocatable; nodes without metrics last, <unknown>', async () => {
    const { cluster, client } = setup({
      metrics: metricsApi(
        [],
        [
          { metadata: { name: 'node2' }, usage: { cpu: '64m', memory: '627Mi' } },
          { metadata: { name: 'node1' }, usage: { cpu: '171m', memory: '1083Mi' } },
        ],
      ),
    });
    const node = cluster.api.get('nodes', '', 'node1') as { status: { allocatable: Record<string, string> } };
    expect(node.status.allocatable).toMatchObject({ cpu: '2', memory: '3927784Ki' });
    expect((await top(client).nodes()).rows).toEqual([
      ['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)'],
      ['node2', '64m', '3%', '627Mi', '16%'],
      ['node1', '171m', '8%', '1083Mi', '28%'],
      ['node3', '<unknown>', '<unknown>', '<unknown>', '<unknown>'],
    ]);
    expect((await top(client, { sortBy: 'cpu' }).nodes()).rows.slice(1, 3).map((r) => r[0])).toEqual([
      'node1',
      'node2',
    ]);
    expect((await top(client, { showCapacity: true }).nodes('node1')).rows).toEqual([
      ['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)'],
      ['node1', '171m', '8%', '1083Mi', '27%'],
    ]);
  });

  it('metrics not available yet when the list is empty', async () => {
    const { client } = setup({ metrics: metricsApi([], []) });
    await expect(top(client).nodes()).rejects.toThrow('metrics not available yet');
  });
});

describe('formatGoDuration (Go Duration.String)', () => {
  it.each([
    [0, '0s'],
    [500, '500ms'],
    [1500, '1.5s'],
    [30_000, '30s'],
    [300_000, '5m0s'],
    [303_000, '5m3s'],
    [5_400_000, '1h30m0s'],
    [90_061_000, '25h1m1s'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatGoDuration(ms)).toBe(text);
  });
});

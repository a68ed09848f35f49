import { describe, expect, it } from 'vitest';
import { DaemonNodes, nodeFit, placementOf } from '../../../src/cluster/controllers/daemonset-nodes.js';
import type { KubeObject } from '../../../src/cluster/store/types.js';

/** A DaemonSet whose pod template has the given spec fields. */
const daemonSet = (podSpec: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'agent', namespace: 'default', uid: 'ds-1' },
  spec: { template: { spec: { containers: [{ name: 'a', image: 'busybox' }], ...podSpec } } },
});

/** A Ready node with labels and taints. */
const node = (name: string, labels: Record<string, string> = {}, taints: unknown[] = []): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
  spec: { taints },
  status: { conditions: [{ type: 'Ready', status: 'True' }] },
});

describe('nodeFit', () => {
  const lite = (
    name: string,
    labels: Record<string, string> = {},
    taints: { key: string; effect: string }[] = [],
  ) => ({
    name,
    labels,
    taints,
  });

  it('runs where the node selector and nodeName match, nowhere else', () => {
    const p = placementOf(daemonSet({ nodeSelector: { disk: 'ssd' } }));
    expect(nodeFit(p, lite('a', { disk: 'ssd' }))).toEqual([true, true]);
    expect(nodeFit(p, lite('b', { disk: 'hdd' }))).toEqual([false, false]);
    const pinned = placementOf(daemonSet({ nodeName: 'a' }));
    expect(nodeFit(pinned, lite('a'))).toEqual([true, true]);
    expect(nodeFit(pinned, lite('b'))).toEqual([false, false]);
  });

  it('keeps a pod on a NoSchedule-tainted node, but not on an untolerated NoExecute one', () => {
    const p = placementOf(daemonSet());
    expect(nodeFit(p, lite('a', {}, [{ key: 'dedicated', effect: 'NoSchedule' }]))).toEqual([false, true]);
    expect(nodeFit(p, lite('a', {}, [{ key: 'dedicated', effect: 'NoExecute' }]))).toEqual([false, false]);
  });

  it('counts the daemon tolerations: a cordoned node still runs the daemon', () => {
    const p = placementOf(daemonSet());
    expect(
      nodeFit(p, lite('a', {}, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }])),
    ).toEqual([true, true]);
    const tolerant = placementOf(daemonSet({ tolerations: [{ key: 'dedicated', operator: 'Exists' }] }));
    expect(nodeFit(tolerant, lite('a', {}, [{ key: 'dedicated', effect: 'NoExecute' }]))).toEqual([
      true,
      true,
    ]);
  });
});

describe('DaemonNodes', () => {
  it('reports only changes that decide placement, and sorts names naturally', () => {
    const nodes = new DaemonNodes();
    expect(nodes.set('node10', node('node10'))).toBe(true);
    expect(nodes.set('node2', node('node2'))).toBe(true);
    expect(nodes.set('node2', node('node2'))).toBe(false);
    expect(nodes.sorted()).toEqual(['node2', 'node10']);
    expect(nodes.set('node2', node('node2', { disk: 'ssd' }))).toBe(true);
    expect(nodes.set('node10', undefined)).toBe(true);
    expect(nodes.set('node10', undefined)).toBe(false);
    expect(nodes.sorted()).toEqual(['node2']);
    expect(nodes.has('node10')).toBe(false);
  });

  it('answers again once a node or the placement changes', () => {
    const nodes = new DaemonNodes();
    nodes.set('a', node('a'));
    const ssd = placementOf(daemonSet({ nodeSelector: { disk: 'ssd' } }));
    expect(nodes.shouldRun('ds-1', ssd, nodes.get('a')!)).toEqual([false, false]);
    nodes.set('a', node('a', { disk: 'ssd' }));
    expect(nodes.shouldRun('ds-1', ssd, nodes.get('a')!)).toEqual([true, true]);
    const hdd = placementOf(daemonSet({ nodeSelector: { disk: 'hdd' } }));
    expect(nodes.shouldRun('ds-1', hdd, nodes.get('a')!)).toEqual([false, false]);
    nodes.set('a', node('a', { disk: 'ssd' }, [{ key: 'dedicated', effect: 'NoExecute' }]));
    expect(nodes.shouldRun('ds-1', ssd, nodes.get('a')!)).toEqual([false, false]);
  });
});

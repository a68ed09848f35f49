import { afterEach, describe, expect, it } from 'vitest';
import { type Cluster, openCluster } from '../../../src/cluster/cluster.js';
import { taintEvictionController } from '../../../src/cluster/controllers/taint-eviction.js';
import { schedulerController } from '../../../src/cluster/scheduler/index.js';
import type { KubeObject } from '../../../src/cluster/store/types.js';

// biome-ignore lint/suspicious/noExplicitAny: the tests read arbitrary object JSON
type Json = Record<string, any>;

const T0 = Date.parse('2025-03-01T12:00:00Z');
const clusters: Cluster[] = [];
afterEach(() => {
  for (const c of clusters.splice(0)) c.close();
});

function open(): Cluster {
  const c = openCluster({
    wallClock: () => new Date(T0),
    controllers: () => [schedulerController, taintEvictionController],
  });
  clusters.push(c);
  c.runtime.settle();
  return c;
}

/** A pod bound to node2. */
function onNode2(c: Cluster, name: string, tolerations: Json[] = []): void {
  c.api.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { nodeName: 'node2', tolerations, containers: [{ name: 'web', image: 'nginx:1.25' }] },
  });
}

const taint = (c: Cluster, taints: Json[] | null) =>
  c.api.patch('nodes', '', 'node2', { spec: { taints } }, 'merge');
const find = (c: Cluster, name: string): KubeObject | undefined =>
  c.api.list('pods', { namespace: 'default' }).items.find((p) => (p.metadata as Json).name === name);
const deleting = (c: Cluster, name: string) =>
  (find(c, name)?.metadata as Json | undefined)?.deletionTimestamp != null;
const evictions = (c: Cluster) =>
  c.api
    .list('events', { namespace: 'default' })
    .items.filter((e) => e.reason === 'TaintManagerEviction')
    .map((e) => `${(e.source as Json).component}: ${e.message}`);

describe('taint-eviction-controller', () => {
  it('deletes pods that do not tolerate a NoExecute taint, and only those', () => {
    const c = open();
    onNode2(c, 'plain');
    onNode2(c, 'tolerant', [{ key: 'maintenance', operator: 'Exists', effect: 'NoExecute' }]);
    c.runtime.settle();
    taint(c, [{ key: 'maintenance', value: 'now', effect: 'NoExecute' }]);
    c.runtime.settle();
    expect(deleting(c, 'plain')).toBe(true);
    expect(deleting(c, 'tolerant')).toBe(false);
    const condition = ((find(c, 'plain')!.status as Json).conditions as Json[]).find(
      (x) => x.type === 'DisruptionTarget',
    );
    expect(condition).toMatchObject({ status: 'True', reason: 'DeletionByTaintManager' });
    expect(evictions(c)).toEqual(['taint-eviction-controller: Marking for deletion Pod default/plain']);
  });

  it('ignores NoSchedule taints', () => {
    const c = open();
    onNode2(c, 'plain');
    taint(c, [{ key: 'maintenance', effect: 'NoSchedule' }]);
    c.runtime.settle();
    expect(deleting(c, 'plain')).toBe(false);
  });

  it('evicts after tolerationSeconds (a progress wake-up), and cancels when the taint goes in time', () => {
    const c = open();
    onNode2(c, 'minute', [
      { key: 'maintenance', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 },
    ]);
    onNode2(c, 'hour', [
      { key: 'maintenance', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 3600 },
    ]);
    c.runtime.settle();
    taint(c, [{ key: 'maintenance', effect: 'NoExecute' }]);
    const result = c.runtime.settle();
    expect(result.advancedMs).toBe(60_000);
    expect(deleting(c, 'minute')).toBe(true);
    expect(deleting(c, 'hour')).toBe(false);
    taint(c, null);
    c.runtime.settle();
    expect(evictions(c).sort()).toEqual([
      'taint-eviction-controller: Cancelling deletion of Pod default/hour',
      'taint-eviction-controller: Marking for deletion Pod default/minute',
    ]);
    c.runtime.advance(2 * 3600_000);
    expect(deleting(c, 'hour')).toBe(false);
  });

  it('evicts pods five minutes after their node stops being Ready (default tolerations)', () => {
    const c = open();
    onNode2(c, 'web');
    c.runtime.settle();
    const node = c.api.get('nodes', '', 'node2');
    const status = node.status as Json;
    const now = new Date(c.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    const conditions = status.conditions.map((x: Json) =>
      x.type === 'Ready' ? { ...x, status: 'Unknown', lastTransitionTime: now } : x,
    );
    c.api.update({ ...node, status: { ...status, conditions } }, { subresource: 'status' });
    c.runtime.settle({ horizonMs: 299_000 });
    expect(deleting(c, 'web')).toBe(false);
    c.runtime.settle();
    expect(deleting(c, 'web')).toBe(true);
    expect(c.now().getTime() - T0).toBeGreaterThanOrEqual(300_000);
  });
});

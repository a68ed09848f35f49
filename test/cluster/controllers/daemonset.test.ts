import { afterEach, describe, expect, it } from 'vitest';
import { type Cluster, openCluster } from '../../../src/cluster/cluster.js';
import {
  daemonSetController,
  daemonTolerations,
  pinToNode,
} from '../../../src/cluster/controllers/daemonset.js';
import { schedulerController } from '../../../src/cluster/scheduler/index.js';
import type { KubeObject } from '../../../src/cluster/store/types.js';

// biome-ignore lint/suspicious/noExplicitAny: the tests read arbitrary object JSON
type Json = Record<string, any>;

const T0 = '2025-03-01T12:00:00Z';
const clusters: Cluster[] = [];
afterEach(() => {
  for (const c of clusters.splice(0)) c.close();
});

function open(nodes = 3): Cluster {
  const c = openCluster({
    nodes,
    wallClock: () => new Date(T0),
    controllers: () => [schedulerController, daemonSetController],
  });
  clusters.push(c);
  c.runtime.settle();
  return c;
}

function rng(extra: Json = {}, podSpec: Json = {}, labels: Json = { app: 'rng' }): Json {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'rng', namespace: 'default' },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'rng', image: 'dockercoins/rng:v0.1' }], ...podSpec },
      },
      ...extra,
    },
  };
}

const meta = (o: KubeObject): Json => o.metadata as Json;
const spec = (o: KubeObject): Json => o.spec as Json;

/** The default namespace's pods, by name. */
function pods(c: Cluster): KubeObject[] {
  return c.api.list('pods', { namespace: 'default' }).items;
}
const nodesOf = (list: KubeObject[]) => list.map((p) => spec(p).nodeName as string).sort();
const live = (list: KubeObject[]) => list.filter((p) => meta(p).deletionTimestamp == null);
// A copy the test may change before writing it back (the API's objects are shared and read-only).
const ds = (c: Cluster, name = 'rng') => structuredClone(c.api.get('daemonsets.apps', 'default', name));
const events = (c: Cluster, reason?: string) =>
  c.api
    .list('events', { namespace: 'default' })
    .items.filter((e) => reason === undefined || e.reason === reason)
    .map((e) => String(e.message));

/** What the kubelet would report: the pod Running and Ready. */
function markReady(c: Cluster, pod: KubeObject): void {
  const current = c.api.get('pods', 'default', meta(pod).name);
  const now = c
    .now()
    .toISOString()
    .replace(/\.\d+Z$/, 'Z');
  c.api.update(
    {
      ...current,
      status: {
        ...(current.status as Json),
        phase: 'Running',
        conditions: [
          { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
          { type: 'Ready', status: 'True', lastTransitionTime: now },
        ],
      },
    },
    { subresource: 'status' },
  );
}

/** What the kubelet would do with terminating pods: remove them. */
function finishTerminating(c: Cluster): void {
  for (const p of pods(c))
    if (meta(p).deletionTimestamp != null)
      c.api.delete('pods', 'default', meta(p).name, { gracePeriodSeconds: 0 });
}

function readyAll(c: Cluster): void {
  for (const p of live(pods(c))) if (spec(p).nodeName) markReady(c, p);
}

describe('daemonset-controller', () => {
  it('recognises the bootstrapped kube-proxy and weave-net as up to date and writes nothing', () => {
    const c = openCluster({
      wallClock: () => new Date(T0),
      controllers: () => [schedulerController, daemonSetController],
    });
    clusters.push(c);
    const before = c.store.currentRevision();
    c.runtime.settle();
    expect(c.store.eventsSince(before)).toEqual([]);
    const proxy = c.api.get('daemonsets.apps', 'kube-system', 'kube-proxy');
    expect(proxy.status).toMatchObject({
      desiredNumberScheduled: 3,
      numberReady: 3,
      updatedNumberScheduled: 3,
    });
  });

  it('Off by one: runs one pod on each node except the tainted control plane', () => {
    const c = open();
    c.api.create(rng());
    c.runtime.settle();
    const list = pods(c);
    expect(nodesOf(list)).toEqual(['node2', 'node3']);
    for (const p of list) {
      expect(meta(p).name).toMatch(/^rng-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(meta(p).labels).toMatchObject({ app: 'rng', 'pod-template-generation': '1' });
      expect(meta(p).labels['controller-revision-hash']).toMatch(/^[a-z0-9]+$/);
      expect(meta(p).ownerReferences).toMatchObject([{ kind: 'DaemonSet', name: 'rng', controller: true }]);
      expect(
        spec(p).affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms,
      ).toEqual([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [spec(p).nodeName] }] }]);
      expect(spec(p).tolerations).toEqual(
        expect.arrayContaining([
          { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
          { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
        ]),
      );
    }
    expect(ds(c).status).toMatchObject({
      desiredNumberScheduled: 2,
      currentNumberScheduled: 2,
      numberMisscheduled: 0,
      numberReady: 0,
      updatedNumberScheduled: 2,
      numberUnavailable: 2,
      observedGeneration: 1,
    });
    expect(events(c, 'SuccessfulCreate').sort()).toEqual(
      list.map((p) => `Created pod: ${meta(p).name}`).sort(),
    );
    const revisions = c.api.list('controllerrevisions.apps', { namespace: 'default' }).items;
    expect(revisions).toHaveLength(1);
    expect(revisions[0]).toMatchObject({ revision: 1 });
    expect(meta(revisions[0]!).name).toBe(`rng-${meta(list[0]!).labels['controller-revision-hash']}`);
  });

  it('runs everywhere with a toleration operator: Exists', () => {
    const c = open();
    c.api.create(rng({}, { tolerations: [{ operator: 'Exists' }] }));
    c.runtime.settle();
    expect(nodesOf(pods(c))).toEqual(['node1', 'node2', 'node3']);
    expect(ds(c).status).toMatchObject({ desiredNumberScheduled: 3, currentNumberScheduled: 3 });
  });

  it('is restricted by a nodeSelector, and follows node labels as they change', () => {
    const c = open();
    const label = (name: string, value: string | null) =>
      c.api.patch('nodes', '', name, { metadata: { labels: { disk: value } } }, 'merge');
    label('node3', 'ssd');
    c.api.create(rng({}, { nodeSelector: { disk: 'ssd' } }));
    c.runtime.settle();
    expect(nodesOf(pods(c))).toEqual(['node3']);
    label('node2', 'ssd');
    c.runtime.settle();
    expect(nodesOf(pods(c))).toEqual(['node2', 'node3']);
    label('node3', null);
    c.runtime.settle();
    expect(nodesOf(live(pods(c)))).toEqual(['node2']);
    expect(events(c, 'SuccessfulDelete')).toHaveLength(1);
    expect(ds(c).status).toMatchObject({ desiredNumberScheduled: 1, numberMisscheduled: 1 });
  });

  it('follows taints: keeps its pod under NoSchedule, removes it under NoExecute, returns when untainted', () => {
    const c = open();
    c.api.create(rng());
    c.runtime.settle();
    const taint = (node: string, taints: Json[] | null) =>
      c.api.patch('nodes', '', node, { spec: { taints } }, 'merge');
    taint('node3', [{ key: 'maintenance', effect: 'NoSchedule' }]);
    c.runtime.settle();
    expect(nodesOf(live(pods(c)))).toEqual(['node2', 'node3']);
    expect(ds(c).status).toMatchObject({ desiredNumberScheduled: 1, numberMisscheduled: 1 });
    taint('node2', [{ key: 'maintenance', effect: 'NoExecute' }]);
    c.runtime.settle();
    finishTerminating(c);
    c.runtime.settle();
    expect(nodesOf(pods(c))).toEqual(['node3']);
    taint('node2', null);
    taint('node3', null);
    c.runtime.settle();
    expect(nodesOf(pods(c))).toEqual(['node2', 'node3']);
    expect(ds(c).status).toMatchObject({
      desiredNumberScheduled: 2,
      currentNumberScheduled: 2,
      numberMisscheduled: 0,
    });
  });

  it('still places pods on cordoned nodes (the unschedulable toleration)', () => {
    const c = open();
    c.api.patch('nodes', '', 'node2', { spec: { unschedulable: true } }, 'merge');
    c.runtime.settle();
    c.api.create(rng());
    c.runtime.settle();
    expect(nodesOf(pods(c))).toEqual(['node2', 'node3']);
  });

  it('creates a pod on a node that joins and deletes the pod of a node that goes', () => {
    const c = open();
    c.api.create(rng());
    c.runtime.settle();
    const node3 = c.api.get('nodes', '', 'node3');
    c.api.create({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node4', labels: { ...meta(node3).labels, 'kubernetes.io/hostname': 'node4' } },
      status: node3.status,
    });
    c.runtime.settle();
    expect(nodesOf(pods(c))).toEqual(['node2', 'node3', 'node4']);
    c.api.delete('nodes', '', 'node2');
    c.runtime.settle();
    expect(nodesOf(pods(c))).toEqual(['node3', 'node4']);
    expect(ds(c).status).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 2 });
  });

  it('counts ready and available pods (minReadySeconds with a progress wake-up)', () => {
    const c = open();
    c.api.create(rng({ minReadySeconds: 10 }));
    c.runtime.settle();
    const list = pods(c);
    markReady(c, list[0]!);
    c.runtime.settle({ horizonMs: 0 });
    expect(ds(c).status).toMatchObject({ numberReady: 1, numberUnavailable: 2 });
    expect((ds(c).status as Json).numberAvailable).toBeUndefined();
    const result = c.runtime.settle();
    expect(result.advancedMs).toBe(10_000);
    expect(ds(c).status).toMatchObject({ numberReady: 1, numberAvailable: 1, numberUnavailable: 1 });
  });

  it('rolls out a new template one node at a time (maxUnavailable 1) with a new ControllerRevision', () => {
    const c = open(4);
    c.api.create(rng());
    c.runtime.settle();
    readyAll(c);
    c.runtime.settle();
    const first = new Set(pods(c).map((p) => meta(p).name));
    const current = ds(c);
    const template = spec(current).template;
    template.spec.containers[0].image = 'dockercoins/rng:v0.2';
    c.api.update(current);
    c.runtime.settle();
    // One old pod goes; nothing else moves until it is gone.
    expect(pods(c).filter((p) => meta(p).deletionTimestamp != null)).toHaveLength(1);
    expect(pods(c)).toHaveLength(3);
    const revisions = c.api.list('controllerrevisions.apps', { namespace: 'default' }).items;
    expect(revisions.map((r) => r.revision).sort()).toEqual([1, 2]);
    for (let round = 0; round < 3; round++) {
      finishTerminating(c);
      c.runtime.settle();
      readyAll(c);
      c.runtime.settle();
    }
    const after = pods(c);
    expect(after).toHaveLength(3);
    for (const p of after) {
      expect(first.has(meta(p).name)).toBe(false);
      expect(spec(p).containers[0].image).toBe('dockercoins/rng:v0.2');
      expect(meta(p).labels['pod-template-generation']).toBe('2');
    }
    expect(ds(c).status).toMatchObject({
      desiredNumberScheduled: 3,
      updatedNumberScheduled: 3,
      numberAvailable: 3,
      observedGeneration: 2,
    });
  });

  it('surges a new pod next to the old one with maxSurge 1, maxUnavailable 0', () => {
    const c = open();
    c.api.create(
      rng({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }),
    );
    c.runtime.settle();
    readyAll(c);
    c.runtime.settle();
    const current = ds(c);
    spec(current).template.spec.containers[0].image = 'dockercoins/rng:v0.2';
    c.api.update(current);
    c.runtime.settle();
    // One node runs old and new side by side; nothing is deleted yet.
    expect(pods(c)).toHaveLength(3);
    expect(live(pods(c))).toHaveLength(3);
    const surged = pods(c).find((p) => spec(p).containers[0].image === 'dockercoins/rng:v0.2')!;
    const node = spec(surged).nodeName;
    expect(pods(c).filter((p) => spec(p).nodeName === node)).toHaveLength(2);
    // The new pod becomes available: the old one on that node goes, and the next node surges.
    markReady(c, surged);
    c.runtime.settle();
    const oldThere = pods(c).find(
      (p) => spec(p).nodeName === node && spec(p).containers[0].image === 'dockercoins/rng:v0.1',
    );
    expect(meta(oldThere!).deletionTimestamp).toBeDefined();
    for (let round = 0; round < 3; round++) {
      finishTerminating(c);
      readyAll(c);
      c.runtime.settle();
    }
    finishTerminating(c);
    c.runtime.settle();
    expect(pods(c).map((p) => spec(p).containers[0].image)).toEqual([
      'dockercoins/rng:v0.2',
      'dockercoins/rng:v0.2',
    ]);
    expect(ds(c).status).toMatchObject({ updatedNumberScheduled: 2, numberAvailable: 2 });
  });

  it('with OnDelete replaces only the pods that are deleted', () => {
    const c = open();
    c.api.create(rng({ updateStrategy: { type: 'OnDelete' } }));
    c.runtime.settle();
    const current = ds(c);
    spec(current).template.spec.containers[0].image = 'dockercoins/rng:v0.2';
    c.api.update(current);
    c.runtime.settle();
    expect(live(pods(c))).toHaveLength(2);
    expect((ds(c).status as Json).updatedNumberScheduled).toBeUndefined();
    const victim = pods(c)[0]!;
    c.api.delete('pods', 'default', meta(victim).name, { gracePeriodSeconds: 0 });
    c.runtime.settle();
    const images = pods(c)
      .map((p) => spec(p).containers[0].image)
      .sort();
    expect(images).toEqual(['dockercoins/rng:v0.1', 'dockercoins/rng:v0.2']);
    expect(ds(c).status).toMatchObject({ updatedNumberScheduled: 1 });
  });

  it('isactive: a changed selector releases the old pods, which keep running, and creates new ones', () => {
    const c = open();
    c.api.create(rng());
    c.runtime.settle();
    const old = pods(c).map((p) => meta(p).name);
    const current = ds(c);
    const labels = { app: 'rng', isactive: 'yes' };
    spec(current).selector = { matchLabels: labels };
    spec(current).template.metadata.labels = labels;
    c.api.update(current);
    c.runtime.settle();
    const all = pods(c);
    expect(all).toHaveLength(4);
    for (const p of all) {
      if (old.includes(meta(p).name)) {
        expect(meta(p).ownerReferences).toBeUndefined();
        expect(meta(p).deletionTimestamp).toBeUndefined();
      } else {
        expect(meta(p).labels).toMatchObject(labels);
        expect(meta(p).ownerReferences).toMatchObject([{ kind: 'DaemonSet', name: 'rng' }]);
      }
    }
    expect(ds(c).status).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 2 });
  });

  it('adopts an orphan pod its selector selects', () => {
    const c = open();
    c.api.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'stray', namespace: 'default', labels: { app: 'rng' } },
      spec: { nodeName: 'node2', containers: [{ name: 'rng', image: 'dockercoins/rng:v0.1' }] },
    });
    c.api.create(rng());
    c.runtime.settle();
    const stray = c.api.get('pods', 'default', 'stray');
    expect(meta(stray).ownerReferences).toMatchObject([{ kind: 'DaemonSet', name: 'rng', controller: true }]);
    // node2 already has its pod (the adopted one): only node3 gets a new one.
    expect(nodesOf(pods(c))).toEqual(['node2', 'node3']);
  });

  it('keeps revisionHistoryLimit old revisions that no pod uses', () => {
    const c = open();
    c.api.create(rng({ revisionHistoryLimit: 1, updateStrategy: { type: 'OnDelete' } }));
    c.runtime.settle();
    for (const tag of ['v0.2', 'v0.3', 'v0.4']) {
      for (const p of pods(c)) c.api.delete('pods', 'default', meta(p).name, { gracePeriodSeconds: 0 });
      const current = ds(c);
      spec(current).template.spec.containers[0].image = `dockercoins/rng:${tag}`;
      c.api.update(current);
      c.runtime.settle();
    }
    const revisions = c.api.list('controllerrevisions.apps', { namespace: 'default' }).items;
    expect(revisions.map((r) => r.revision).sort()).toEqual([3, 4]);
  });

  it('replaces a failed daemon pod with a FailedDaemonPod warning', () => {
    const c = open();
    c.api.create(rng());
    c.runtime.settle();
    const victim = pods(c).find((p) => spec(p).nodeName === 'node2')!;
    c.api.update(
      { ...victim, status: { ...(victim.status as Json), phase: 'Failed' } },
      { subresource: 'status' },
    );
    c.runtime.settle();
    expect(events(c, 'FailedDaemonPod')).toEqual([
      `Found failed daemon pod default/${meta(victim).name} on node node2, will try to kill it`,
    ]);
    expect(nodesOf(pods(c))).toEqual(['node2', 'node3']);
    expect(pods(c).some((p) => meta(p).name === meta(victim).name)).toBe(false);
  });

  it('adds the daemon tolerations without duplicating equal ones and pins the node', () => {
    const t = daemonTolerations({
      hostNetwork: true,
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }],
    });
    expect(t.filter((x) => x.key === 'node.kubernetes.io/not-ready')).toHaveLength(1);
    expect(t.map((x) => x.key)).toContain('node.kubernetes.io/network-unavailable');
    expect(
      pinToNode(
        {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [] }] },
            preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: {} }],
          },
        },
        'node7',
      ),
    ).toEqual({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node7'] }] }],
        },
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: {} }],
      },
    });
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { statusError } from '../../../src/cluster/api/machinery/api-errors.js';
import type { ClusterApi } from '../../../src/cluster/api/machinery/cluster-api.js';
import type { Cluster } from '../../../src/cluster/cluster.js';
import { openCluster } from '../../../src/cluster/cluster.js';
import { replicationControllerController } from '../../../src/cluster/controllers/replicaset.js';
import { type PodEntry, scaleDownVictims } from '../../../src/cluster/controllers/replicaset-pods.js';
import type { KubeObject } from '../../../src/cluster/store/types.js';
import {
  eventsOf,
  type FakeKubeletOptions,
  fakeKubelet,
  names,
  pods,
  replicaSet,
  statusOf,
  T0,
  workloadCluster,
} from './deployment-fakes.js';

type Json = Record<string, unknown>;

const clusters: Cluster[] = [];
afterEach(() => {
  for (const c of clusters.splice(0)) c.close();
});

function open(options: FakeKubeletOptions = {}): Cluster {
  const c = workloadCluster(options);
  clusters.push(c);
  c.runtime.settle();
  return c;
}

const getRs = (c: Cluster, name = 'web') => c.api.get('replicasets.apps', 'default', name);
const ownerOf = (p: KubeObject) => (((p.metadata as Json).ownerReferences ?? []) as Json[])[0];
const live = (list: KubeObject[]) => list.filter((p) => (p.metadata as Json).deletionTimestamp == null);
const scale = (c: Cluster, replicas: number, name = 'web') =>
  c.api.patch('replicasets.apps', 'default', name, { spec: { replicas } }, 'merge');

describe('replicaset-controller (§2.4, §6.4)', () => {
  it('creates spec.replicas pods <rs>-<5 chars> from the template, owned by the ReplicaSet', () => {
    const c = open();
    const rs = c.api.create(replicaSet('web', 3));
    c.runtime.settle();
    const list = pods(c);
    expect(list).toHaveLength(3);
    for (const p of list) {
      expect((p.metadata as Json).name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect((p.metadata as Json).labels).toEqual({ app: 'web' });
      expect(ownerOf(p)).toEqual({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: 'web',
        uid: (rs.metadata as Json).uid,
        controller: true,
        blockOwnerDeletion: true,
      });
    }
    expect(statusOf(getRs(c))).toEqual({
      replicas: 3,
      fullyLabeledReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      observedGeneration: 1,
    });
    expect(eventsOf(c, 'web').sort()).toEqual(
      names(list)
        .map((n) => `SuccessfulCreate: Created pod: ${n}`)
        .sort(),
    );
  });

  it('replaces a deleted pod', () => {
    const c = open();
    c.api.create(replicaSet('web', 2));
    c.runtime.settle();
    const [victim] = names(pods(c));
    c.api.delete('pods', 'default', victim!);
    c.runtime.settle();
    const after = names(pods(c));
    expect(after).toHaveLength(2);
    expect(after).not.toContain(victim);
  });

  it('does not count terminating pods: the replacement starts while the old pod terminates', () => {
    const c = open({ terminateAfterMs: 30_000 });
    c.api.create(replicaSet('web', 2));
    c.runtime.settle();
    const [victim] = names(pods(c));
    c.api.delete('pods', 'default', victim!);
    c.runtime.settle({ horizonMs: 1000 });
    expect(pods(c)).toHaveLength(3);
    expect(live(pods(c))).toHaveLength(2);
    expect(statusOf(getRs(c))).toMatchObject({ replicas: 2, readyReplicas: 2 });
  });

  it('releases a pod whose label is removed (it keeps running) and creates a replacement', () => {
    const c = open();
    c.api.create(replicaSet('web', 2));
    c.runtime.settle();
    const [released] = names(pods(c));
    c.api.patch('pods', 'default', released!, { metadata: { labels: { app: null } } }, 'merge');
    c.runtime.settle();
    const orphan = c.api.get('pods', 'default', released!);
    expect((orphan.metadata as Json).ownerReferences).toBeUndefined();
    expect((orphan.metadata as Json).deletionTimestamp).toBeUndefined();
    expect(statusOf(orphan).phase).toBe('Running');
    const selected = names(pods(c, 'app=web'));
    expect(selected).toHaveLength(2);
    expect(selected).not.toContain(released);
    expect(pods(c)).toHaveLength(3);
  });

  it('adopts an orphan pod its selector selects, and creates only what is missing', () => {
    const c = open();
    c.api.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'stray', namespace: 'default', labels: { app: 'web' } },
      spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] },
    });
    c.runtime.settle();
    const rs = c.api.create(replicaSet('web', 2));
    c.runtime.settle();
    expect(pods(c)).toHaveLength(2);
    const stray = c.api.get('pods', 'default', 'stray');
    expect(ownerOf(stray)).toMatchObject({
      kind: 'ReplicaSet',
      uid: (rs.metadata as Json).uid,
      controller: true,
    });
    expect(statusOf(getRs(c)).replicas).toBe(2);
  });

  it('scales down the not-ready pod first', () => {
    const c = open();
    c.api.create(replicaSet('web', 3));
    c.runtime.settle();
    const [, sick] = names(pods(c));
    const pod = c.api.get('pods', 'default', sick!);
    const conditions = (statusOf(pod).conditions as Json[]).map((x) =>
      x.type === 'Ready' ? { ...x, status: 'False' } : x,
    );
    c.api.update({ ...pod, status: { ...statusOf(pod), conditions } }, { subresource: 'status' });
    c.runtime.settle();
    expect(statusOf(getRs(c)).readyReplicas).toBe(2);
    scale(c, 2);
    c.runtime.settle();
    const left = names(pods(c));
    expect(left).toHaveLength(2);
    expect(left).not.toContain(sick);
    expect(eventsOf(c, 'web')).toContain(`SuccessfulDelete: Deleted pod: ${sick}`);
  });

  it('records FailedCreate and the ReplicaFailure condition when a create is refused, and recovers', () => {
    const c = open();
    let refuse = false;
    const api = c.api as ClusterApi & { create: ClusterApi['create'] };
    const create = api.create.bind(api);
    api.create = (object, options) => {
      if (refuse && object.kind === 'Pod')
        throw statusError(
          403,
          'Forbidden',
          'pods "web-" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=2, limited: pods=2',
        );
      return create(object, options);
    };
    c.api.create(replicaSet('web', 2));
    c.runtime.settle();
    refuse = true;
    scale(c, 5);
    c.runtime.settle();
    expect(pods(c)).toHaveLength(2);
    const failure = ((statusOf(getRs(c)).conditions ?? []) as Json[]).find(
      (x) => x.type === 'ReplicaFailure',
    );
    expect(failure).toEqual({
      type: 'ReplicaFailure',
      status: 'True',
      lastTransitionTime: '2025-03-01T12:00:00Z',
      reason: 'FailedCreate',
      message:
        'pods "web-" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=2, limited: pods=2',
    });
    expect(eventsOf(c, 'web')).toContain(
      'FailedCreate: Error creating: pods "web-" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=2, limited: pods=2',
    );
    // A quota change wakes the ReplicaSet up.
    refuse = false;
    c.api.create({
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'q', namespace: 'default' },
      spec: { hard: { pods: '10' } },
    });
    c.runtime.settle();
    expect(pods(c)).toHaveLength(5);
    expect(statusOf(getRs(c)).conditions).toBeUndefined();
  });

  it('creates at most 500 pods per sync, bursts 1 ms apart, until the replicas exist', () => {
    const c = open();
    c.api.create(replicaSet('big', 1200));
    const result = c.runtime.settle();
    expect(pods(c, 'app=big')).toHaveLength(1200);
    expect(statusOf(getRs(c, 'big'))).toMatchObject({ replicas: 1200, readyReplicas: 1200 });
    // 500 + 500 + 200: the two bursts that hit the limit each wait 1 ms for the next.
    expect(result.advancedMs).toBe(2);
    expect(c.runtime.errors).toEqual([]);
    // client-go's correlation: 10 events, then one combined event, and the spam filter's burst of 25.
    const events = c.api
      .list('events', { namespace: 'default' })
      .items.filter((e) => (e.involvedObject as Json).name === 'big');
    expect(events).toHaveLength(11);
    const combined = events.find((e) => String(e.message).startsWith('(combined from similar events): '));
    expect(combined).toMatchObject({ reason: 'SuccessfulCreate', count: 15 });
    expect(String(combined!.message)).toMatch(/^\(combined from similar events\): Created pod: big-\w{5}$/);
  });

  it('combines SuccessfulCreate events after 10 about one ReplicaSet', () => {
    const c = open();
    c.api.create(replicaSet('web', 13));
    c.runtime.settle();
    const events = eventsOf(c, 'web');
    expect(events).toHaveLength(11);
    expect(events.filter((e) => /^SuccessfulCreate: Created pod: web-\w{5}$/.test(e))).toHaveLength(10);
    const combined = c.api
      .list('events', { namespace: 'default' })
      .items.find((e) => String(e.message).startsWith('(combined'));
    expect(combined?.count).toBe(3);
  });

  it('deleting the ReplicaSet deletes its pods (garbage collection)', () => {
    const c = open();
    c.api.create(replicaSet('web', 2));
    c.runtime.settle();
    c.api.delete('replicasets.apps', 'default', 'web');
    c.runtime.settle();
    expect(pods(c)).toEqual([]);
    expect(c.runtime.errors).toEqual([]);
  });
});

describe('replication-controller (§6.4: the deprecated predecessor)', () => {
  it('keeps the replicas of a ReplicationController, whose selector is a plain map', () => {
    const c = openCluster({
      wallClock: () => new Date(T0),
      controllers: () => [replicationControllerController, fakeKubelet()],
    });
    clusters.push(c);
    c.runtime.settle();
    c.api.create({
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'legacy', namespace: 'default' },
      spec: {
        replicas: 2,
        selector: { app: 'legacy' },
        template: {
          metadata: { labels: { app: 'legacy' } },
          spec: { containers: [{ name: 'm', image: 'nginx' }] },
        },
      },
    });
    c.runtime.settle();
    const list = pods(c, 'app=legacy');
    expect(list).toHaveLength(2);
    expect(ownerOf(list[0]!)).toMatchObject({
      apiVersion: 'v1',
      kind: 'ReplicationController',
      name: 'legacy',
    });
    expect(statusOf(c.api.get('replicationcontrollers', 'default', 'legacy'))).toMatchObject({
      replicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
    });
  });
});

describe('scaleDownVictims (ActivePodsWithRanks)', () => {
  const base: PodEntry = {
    key: 'default/p',
    namespace: 'default',
    name: 'p',
    owner: 'u',
    ownerKind: 'ReplicaSet',
    ownerName: 'web',
    labels: {},
    nodeName: 'node2',
    phase: 'Running',
    active: true,
    deleting: false,
    ready: true,
    readySince: T0 - 3_600_000,
    created: T0 - 3_600_000,
    restarts: 0,
    deletionCost: 0,
  };
  const pod = (name: string, over: Partial<PodEntry>): PodEntry => ({
    ...base,
    name,
    key: `default/${name}`,
    ...over,
  });
  const pick = (list: PodEntry[], n: number) => scaleDownVictims(list, n, T0).map((p) => p.name);

  it('orders unscheduled, then Pending, then not ready, then cheaper, then doubled-up pods first', () => {
    const list = [
      pod('running', {}),
      pod('unscheduled', { nodeName: '', phase: 'Pending', ready: false }),
      pod('pending', { phase: 'Pending', ready: false, nodeName: 'node3' }),
      pod('not-ready', { ready: false, nodeName: 'node3' }),
      pod('cheap', { deletionCost: -10, nodeName: 'node4' }),
    ];
    expect(pick(list, 5)).toHaveLength(5);
    expect(pick(list, 4)).toEqual(['unscheduled', 'pending', 'not-ready', 'cheap']);
    const doubled = [pod('alone', { nodeName: 'node3' }), pod('a', {}), pod('b', {})];
    expect(pick(doubled, 1)).toEqual(['a']);
  });

  it('prefers pods ready more recently, then with more restarts, then newer', () => {
    expect(pick([pod('old', {}), pod('fresh', { readySince: T0 - 1000 })], 1)).toEqual(['fresh']);
    expect(pick([pod('steady', {}), pod('flappy', { restarts: 3 })], 1)).toEqual(['flappy']);
    expect(pick([pod('elder', {}), pod('young', { created: T0 - 1000 })], 1)).toEqual(['young']);
  });
});

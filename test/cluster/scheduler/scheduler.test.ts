import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Cluster, openCluster } from '../../../src/cluster/cluster.js';
import type { Controller } from '../../../src/cluster/runtime/types.js';
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
  const c = openCluster({ nodes, wallClock: () => new Date(T0), controllers: () => [schedulerController] });
  clusters.push(c);
  c.runtime.settle();
  return c;
}

const meta = (o: KubeObject): Json => o.metadata as Json;
const spec = (o: KubeObject): Json => o.spec as Json;

function pod(name: string, podSpec: Json = {}, metadata: Json = {}): Json {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', ...metadata },
    spec: { containers: [{ name: 'web', image: 'nginx:1.25' }], ...podSpec },
  };
}

const cpu = (amount: string): Json => ({
  containers: [{ name: 'web', image: 'nginx:1.25', resources: { requests: { cpu: amount } } }],
});

/** A pod of the fake ReplicaSet `web` (spreading counts pods per controller). */
function replica(i: number, podSpec: Json = {}): Json {
  return pod(`web-${i}`, podSpec, {
    labels: { app: 'web' },
    ownerReferences: [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-web', controller: true },
    ],
  });
}

const get = (c: Cluster, name: string) => c.api.get('pods', 'default', name);
const nodeOf = (c: Cluster, name: string) => spec(get(c, name)).nodeName as string | undefined;
const scheduled = (c: Cluster, name: string) =>
  ((get(c, name).status as Json | undefined)?.conditions ?? []).find((x: Json) => x.type === 'PodScheduled');
const events = (c: Cluster, name: string, reason: string) =>
  c.api
    .list('events', { namespace: 'default' })
    .items.filter((e) => (e.involvedObject as Json).name === name && e.reason === reason)
    .map((e) => e.message);

const SUFFIX_NOT_HELPFUL = (n: number, total = 3) =>
  `no new claims to deallocate, preemption: 0/${total} nodes are available: ${n} Preemption is not helpful for scheduling.`;

describe('default-scheduler', () => {
  it('binds a pod to a worker and records Scheduled', () => {
    const c = open();
    c.api.create(pod('web'));
    c.runtime.settle();
    const node = nodeOf(c, 'web');
    expect(['node2', 'node3']).toContain(node);
    expect(scheduled(c, 'web')).toMatchObject({ status: 'True' });
    expect(events(c, 'web', 'Scheduled')).toEqual([`Successfully assigned default/web to ${node}`]);
    const event = c.api.list('events', { namespace: 'default' }).items.find((e) => e.reason === 'Scheduled')!;
    expect(event.source).toEqual({ component: 'default-scheduler' });
  });

  it('spreads the replicas of one controller across the nodes', () => {
    const c = open(4);
    for (let i = 0; i < 6; i++) c.api.create(replica(i));
    c.runtime.settle();
    const counts: Record<string, number> = {};
    for (let i = 0; i < 6; i++) counts[nodeOf(c, `web-${i}`)!] = (counts[nodeOf(c, `web-${i}`)!] ?? 0) + 1;
    expect(counts).toEqual({ node2: 2, node3: 2, node4: 2 });
  });

  it('leaves a pod for another scheduler (schedulerName: stork) Pending and untouched', () => {
    const c = open();
    c.api.create(pod('px', { schedulerName: 'stork' }));
    c.runtime.settle();
    expect(nodeOf(c, 'px')).toBeUndefined();
    expect(get(c, 'px').status).not.toHaveProperty('conditions');
  });

  it('reports Insufficient cpu in Kubernetes 1.34 words, once per distinct message', () => {
    const c = open();
    c.api.create(pod('big', cpu('1950m')));
    c.runtime.settle();
    const message =
      '0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. no new claims to deallocate, ' +
      'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, ' +
      '2 No preemption victims found for incoming pod.';
    expect(nodeOf(c, 'big')).toBeUndefined();
    expect(scheduled(c, 'big')).toMatchObject({ status: 'False', reason: 'Unschedulable', message });
    expect(events(c, 'big', 'FailedScheduling')).toEqual([message]);
    const warning = c.api
      .list('events', { namespace: 'default' })
      .items.find((e) => e.reason === 'FailedScheduling')!;
    expect(warning.type).toBe('Warning');
    // A node change that does not help retries nothing and records nothing new.
    c.api.patch('nodes', '', 'node2', { metadata: { labels: { tier: 'x' } } }, 'merge');
    c.runtime.settle();
    expect(events(c, 'big', 'FailedScheduling')).toHaveLength(1);
  });

  it('says preemption is not helpful when the request exceeds every node', () => {
    const c = open();
    c.api.create(pod('huge', cpu('3')));
    c.runtime.settle();
    expect(scheduled(c, 'huge').message).toBe(
      `0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. ${SUFFIX_NOT_HELPFUL(3)}`,
    );
  });

  it('counts every node with an untolerated taint (multiple taints)', () => {
    const c = open();
    c.api.patch(
      'nodes',
      '',
      'node2',
      { spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } },
      'merge',
    );
    c.api.patch(
      'nodes',
      '',
      'node3',
      { spec: { taints: [{ key: 'maintenance', effect: 'NoExecute' }] } },
      'merge',
    );
    c.api.create(pod('web'));
    c.runtime.settle();
    expect(scheduled(c, 'web').message).toBe(
      `0/3 nodes are available: 3 node(s) had untolerated taint(s). ${SUFFIX_NOT_HELPFUL(3)}`,
    );
    // A PreferNoSchedule taint only lowers the score.
    c.api.patch(
      'nodes',
      '',
      'node3',
      { spec: { taints: [{ key: 'maintenance', effect: 'PreferNoSchedule' }] } },
      'merge',
    );
    c.runtime.settle();
    expect(nodeOf(c, 'web')).toBe('node3');
  });

  it('honours tolerations: Equal with a value, Exists, and an empty key with Exists', () => {
    const c = open();
    c.api.patch(
      'nodes',
      '',
      'node2',
      { spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } },
      'merge',
    );
    c.api.patch(
      'nodes',
      '',
      'node3',
      { spec: { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] } },
      'merge',
    );
    c.api.create(
      pod('gpu', {
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }],
      }),
    );
    c.api.create(
      pod('wrong-effect', { tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }] }),
    );
    c.api.create(
      pod('control-plane', {
        tolerations: [
          { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
        ],
        nodeSelector: { 'node-role.kubernetes.io/control-plane': '' },
      }),
    );
    c.api.create(pod('anything', { tolerations: [{ operator: 'Exists' }], nodeName: undefined }));
    c.runtime.settle();
    expect(nodeOf(c, 'gpu')).toBe('node2');
    expect(nodeOf(c, 'wrong-effect')).toBeUndefined();
    expect(nodeOf(c, 'control-plane')).toBe('node1');
    expect(nodeOf(c, 'anything')).toBeDefined();
  });

  it('matches nodeSelector and node affinity (In, NotIn, Exists, DoesNotExist, Gt, Lt, matchFields)', () => {
    const c = open(4);
    c.api.patch('nodes', '', 'node2', { metadata: { labels: { disk: 'ssd', cores: '8' } } }, 'merge');
    c.api.patch('nodes', '', 'node3', { metadata: { labels: { disk: 'hdd', cores: '2' } } }, 'merge');
    const required = (terms: Json[]) => ({
      affinity: {
        nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } },
      },
    });
    const expr = (key: string, operator: string, values?: string[]) => ({
      matchExpressions: [{ key, operator, ...(values ? { values } : {}) }],
    });
    c.api.create(pod('selector', { nodeSelector: { disk: 'hdd' } }));
    c.api.create(pod('in', required([expr('disk', 'In', ['ssd'])])));
    c.api.create(
      pod('notin', required([expr('disk', 'NotIn', ['ssd', 'hdd']), expr('cores', 'Exists')].slice(0, 1))),
    );
    c.api.create(pod('gt', required([expr('cores', 'Gt', ['4'])])));
    c.api.create(pod('lt', required([expr('cores', 'Lt', ['4'])])));
    c.api.create(pod('absent', required([expr('disk', 'DoesNotExist')])));
    c.api.create(
      pod(
        'fields',
        required([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node4'] }] }]),
      ),
    );
    c.api.create(pod('nowhere', { nodeSelector: { disk: 'nvme' } }));
    c.runtime.settle();
    expect(nodeOf(c, 'selector')).toBe('node3');
    expect(nodeOf(c, 'in')).toBe('node2');
    expect(nodeOf(c, 'notin')).toBe('node4');
    expect(nodeOf(c, 'gt')).toBe('node2');
    expect(nodeOf(c, 'lt')).toBe('node3');
    expect(nodeOf(c, 'absent')).toBe('node4');
    expect(nodeOf(c, 'fields')).toBe('node4');
    expect(scheduled(c, 'nowhere').message).toBe(
      "0/4 nodes are available: 1 node(s) had untolerated taint(s), 3 node(s) didn't match Pod's node affinity/selector. " +
        SUFFIX_NOT_HELPFUL(4, 4),
    );
  });

  it('skips cordoned nodes and retries when one is uncordoned (no polling)', () => {
    const c = open();
    c.api.patch('nodes', '', 'node2', { spec: { unschedulable: true } }, 'merge');
    c.api.patch('nodes', '', 'node3', { spec: { unschedulable: true } }, 'merge');
    c.api.create(pod('web'));
    const settled = c.runtime.settle();
    expect(settled.pending).toEqual({ ready: 0, progress: 0, wait: 0 });
    expect(scheduled(c, 'web').message).toBe(
      `0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 node(s) were unschedulable. ${SUFFIX_NOT_HELPFUL(3)}`,
    );
    c.api.patch('nodes', '', 'node3', { spec: { unschedulable: false } }, 'merge');
    c.runtime.settle();
    expect(nodeOf(c, 'web')).toBe('node3');
  });

  it('retries a waiting pod when a pod leaves, a taint goes or a node joins', () => {
    const c = open();
    c.api.create(pod('a', cpu('1500m')));
    c.api.create(pod('b', cpu('1500m')));
    c.runtime.settle();
    c.api.create(pod('c', cpu('1500m')));
    c.runtime.settle();
    expect(nodeOf(c, 'c')).toBeUndefined();
    // A pod finishing frees its requests.
    const a = get(c, 'a');
    c.api.update({ ...a, status: { ...(a.status as Json), phase: 'Succeeded' } }, { subresource: 'status' });
    c.runtime.settle();
    expect(nodeOf(c, 'c')).toBe(nodeOf(c, 'a'));
    // A node joining.
    c.api.create(pod('d', cpu('1500m')));
    c.runtime.settle();
    expect(nodeOf(c, 'd')).toBeUndefined();
    const node3 = c.api.get('nodes', '', 'node3');
    c.api.create({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node4', labels: { 'kubernetes.io/hostname': 'node4' } },
      status: node3.status,
    });
    c.runtime.settle();
    expect(nodeOf(c, 'd')).toBe('node4');
    // The control-plane taint removed.
    c.api.create(pod('e', cpu('1500m')));
    c.runtime.settle();
    expect(nodeOf(c, 'e')).toBeUndefined();
    c.api.patch('nodes', '', 'node1', { spec: { taints: null } }, 'merge');
    c.runtime.settle();
    expect(nodeOf(c, 'e')).toBeUndefined();
    expect(scheduled(c, 'e').message).toContain('3 Insufficient cpu');
  });

  it('picks up in a later process where an earlier one left a pod waiting', () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'bosun-scheduler-'));
    try {
      const reopen = () =>
        openCluster({ home, wallClock: () => new Date(T0), controllers: () => [schedulerController] });
      const first = reopen();
      first.runtime.settle();
      for (const node of ['node2', 'node3'])
        first.api.patch('nodes', '', node, { spec: { unschedulable: true } }, 'merge');
      first.api.create(pod('web'));
      first.runtime.settle();
      expect(nodeOf(first, 'web')).toBeUndefined();
      first.close();
      const second = reopen();
      second.api.patch('nodes', '', 'node2', { spec: { unschedulable: false } }, 'merge');
      second.runtime.settle();
      expect(nodeOf(second, 'web')).toBe('node2');
      second.close();
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('retries many waiting replicas without re-running all of them per change', () => {
    const c = open();
    for (let i = 0; i < 40; i++) c.api.create(replica(i, cpu('500m')));
    c.runtime.settle();
    const bound = () =>
      c.api
        .list('pods', { namespace: 'default' })
        .items.filter((p) => spec(p).nodeName)
        .map((p) => meta(p).name);
    expect(bound()).toHaveLength(6);
    const first = bound()[0]!;
    c.api.delete('pods', 'default', first, { gracePeriodSeconds: 0 });
    const result = c.runtime.settle();
    expect(bound()).toHaveLength(6);
    expect(bound()).not.toContain(first);
    // The retry, the pod that now fits, and the next one that does not: not the 33 others.
    expect(result.reconciles).toBeLessThan(10);
  });

  it('copes with a burst of pods leaving at one instant while others wait', () => {
    // What the kubelet does with terminating pods: removes them, one per reconcile.
    const reaper: Controller = {
      name: 'reaper',
      resources: ['pods'],
      observe(event, ctx) {
        if (event.type !== 'DELETED' && (event.object.metadata as Json).deletionTimestamp != null)
          ctx.enqueue(`${event.key.namespace}/${event.key.name}`);
      },
      reconcile(key, ctx) {
        const [namespace, name] = key.split('/') as [string, string];
        try {
          ctx.api.delete('pods', namespace, name, { gracePeriodSeconds: 0 });
        } catch {
          // already gone
        }
      },
    };
    const c = openCluster({
      wallClock: () => new Date(T0),
      controllers: () => [schedulerController, () => reaper],
    });
    clusters.push(c);
    c.runtime.settle();
    for (let i = 0; i < 220; i++) c.api.create(replica(i));
    c.runtime.settle();
    const waiting = () =>
      c.api
        .list('pods', { namespace: 'default' })
        .items.filter((p) => !spec(p).nodeName)
        .map((p) => meta(p).name);
    expect(waiting()).toHaveLength(4);
    expect(scheduled(c, waiting()[0]!).message).toContain('2 Too many pods');
    const bound = c.api.list('pods', { namespace: 'default' }).items.filter((p) => spec(p).nodeName);
    for (const p of bound.slice(0, 150)) c.api.delete('pods', 'default', meta(p).name);
    c.runtime.settle();
    expect(waiting()).toEqual([]);
    expect(c.runtime.errors).toEqual([]);
  });

  it('refuses conflicting host ports', () => {
    const c = open();
    const hostPort = (name: string) =>
      pod(name, {
        containers: [{ name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80, hostPort: 80 }] }],
      });
    for (const name of ['p1', 'p2', 'p3']) c.api.create(hostPort(name));
    c.runtime.settle();
    expect(new Set([nodeOf(c, 'p1'), nodeOf(c, 'p2')])).toEqual(new Set(['node2', 'node3']));
    expect(scheduled(c, 'p3').message).toBe(
      "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 node(s) didn't have free ports for the requested pod ports. " +
        'no new claims to deallocate, preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, ' +
        '2 No preemption victims found for incoming pod.',
    );
  });

  it('refuses a node that is full (Too many pods)', () => {
    const c = open();
    for (const name of ['node2', 'node3']) {
      const node = c.api.get('nodes', '', name);
      const status = node.status as Json;
      c.api.update(
        { ...node, status: { ...status, allocatable: { ...status.allocatable, pods: '3' } } },
        { subresource: 'status' },
      );
    }
    for (let i = 0; i < 3; i++) c.api.create(pod(`p${i}`));
    c.runtime.settle();
    expect(scheduled(c, 'p2').message).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Too many pods. no new claims to deallocate, ' +
        'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    );
  });

  it('applies required pod anti-affinity and affinity on kubernetes.io/hostname', () => {
    const c = open();
    const anti = {
      affinity: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { labelSelector: { matchLabels: { app: 'consul' } }, topologyKey: 'kubernetes.io/hostname' },
          ],
        },
      },
    };
    for (const name of ['consul-0', 'consul-1', 'consul-2'])
      c.api.create(pod(name, anti, { labels: { app: 'consul' } }));
    c.runtime.settle();
    expect(new Set([nodeOf(c, 'consul-0'), nodeOf(c, 'consul-1')])).toEqual(new Set(['node2', 'node3']));
    expect(scheduled(c, 'consul-2').message).toBe(
      "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 node(s) didn't match pod anti-affinity rules. " +
        'no new claims to deallocate, preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, ' +
        '2 No preemption victims found for incoming pod.',
    );
    // A pod that must run next to consul-0.
    const next = {
      affinity: {
        podAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { labelSelector: { matchLabels: { app: 'consul' } }, topologyKey: 'kubernetes.io/hostname' },
          ],
        },
      },
    };
    c.api.create(pod('sidekick', next));
    c.runtime.settle();
    expect(['node2', 'node3']).toContain(nodeOf(c, 'sidekick'));
    // Deleting consul-0 makes room for consul-2 (the retry follows the deletion).
    const freed = nodeOf(c, 'consul-0');
    c.api.delete('pods', 'default', 'consul-0', { gracePeriodSeconds: 0 });
    c.runtime.settle();
    expect(nodeOf(c, 'consul-2')).toBe(freed);
    // Existing pods' anti-affinity keeps matching pods away.
    c.api.create(pod('intruder', {}, { labels: { app: 'consul' } }));
    c.runtime.settle();
    expect(scheduled(c, 'intruder').message).toContain(
      "2 node(s) didn't satisfy existing pods anti-affinity rules",
    );
  });

  it('reports a missing claim, an unbound Immediate claim, and binds a WaitForFirstConsumer claim first', () => {
    const c = open();
    const withClaim = (name: string, claim: string) =>
      pod(name, { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: claim } }] });
    c.api.create(withClaim('missing', 'nope'));
    c.api.create({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'fast' },
      provisioner: 'example.com/fast',
      volumeBindingMode: 'Immediate',
    });
    const claim = (name: string, className: string) => ({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name, namespace: 'default' },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: className,
        resources: { requests: { storage: '1Gi' } },
      },
    });
    c.api.create(claim('now', 'fast'));
    c.api.create(withClaim('immediate', 'now'));
    c.api.create(claim('later', 'standard'));
    c.api.create(withClaim('delayed', 'later'));
    c.runtime.settle();
    expect(scheduled(c, 'missing').message).toBe(
      `0/3 nodes are available: persistentvolumeclaim "nope" not found. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.`,
    );
    expect(scheduled(c, 'immediate').message).toBe(
      '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    );
    // The delayed claim is marked for the chosen node; the pod waits for it to bind.
    const later = c.api.get('persistentvolumeclaims', 'default', 'later');
    const selected = meta(later).annotations?.['volume.kubernetes.io/selected-node'];
    expect(['node2', 'node3']).toContain(selected);
    expect(nodeOf(c, 'delayed')).toBeUndefined();
    // The PV controller provisions and binds it: the pod follows.
    c.api.update({ ...later, spec: { ...(later.spec as Json), volumeName: 'pvc-later' } });
    c.runtime.settle();
    expect(nodeOf(c, 'delayed')).toBe(selected);
    // The missing claim appears (bound): its pod is retried.
    c.api.create({
      ...claim('nope', 'fast'),
      spec: { ...claim('nope', 'fast').spec, volumeName: 'pv-nope' },
    });
    c.runtime.settle();
    expect(nodeOf(c, 'missing')).toBeDefined();
  });

  it('holds pods with scheduling gates until the gates are removed', () => {
    const c = open();
    c.api.create(pod('gated', { schedulingGates: [{ name: 'example.com/wait' }] }));
    c.runtime.settle();
    expect(scheduled(c, 'gated')).toMatchObject({
      status: 'False',
      reason: 'SchedulingGated',
      message: 'Scheduling is blocked due to non-empty scheduling gates',
    });
    expect(events(c, 'gated', 'FailedScheduling')).toEqual([]);
    const current = get(c, 'gated');
    c.api.update({ ...current, spec: { ...spec(current), schedulingGates: [] } });
    c.runtime.settle();
    expect(nodeOf(c, 'gated')).toBeDefined();
  });

  it('treats a node that is not Ready as tainted not-ready', () => {
    const c = open();
    const node = c.api.get('nodes', '', 'node2');
    const status = node.status as Json;
    const conditions = status.conditions.map((x: Json) =>
      x.type === 'Ready' ? { ...x, status: 'False' } : x,
    );
    c.api.update({ ...node, status: { ...status, conditions } }, { subresource: 'status' });
    c.api.create(pod('a'));
    c.api.create(pod('b'));
    c.runtime.settle();
    expect(nodeOf(c, 'a')).toBe('node3');
    expect(nodeOf(c, 'b')).toBe('node3');
  });

  it('says preemption is not eligible for preemptionPolicy: Never', () => {
    const c = open();
    c.api.create(pod('big', { ...cpu('1950m'), preemptionPolicy: 'Never' }));
    c.runtime.settle();
    expect(scheduled(c, 'big').message).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. no new claims to deallocate, ' +
        'preemption: not eligible due to preemptionPolicy=Never.',
    );
  });

  it('schedules 5,000 pods on 100 nodes quickly and evenly', () => {
    const c = open(100);
    for (let i = 0; i < 5000; i++) c.api.create(replica(i));
    const start = performance.now();
    c.runtime.settle();
    const seconds = (performance.now() - start) / 1000;
    const counts = new Map<string, number>();
    for (const p of c.api.list('pods', { namespace: 'default' }).items) {
      const node = spec(p).nodeName as string;
      counts.set(node, (counts.get(node) ?? 0) + 1);
    }
    expect(counts.has(undefined as unknown as string)).toBe(false);
    expect(counts.size).toBe(99);
    expect(Math.max(...counts.values()) - Math.min(...counts.values())).toBeLessThanOrEqual(1);
    expect(seconds).toBeLessThan(10);
  });
});

describe('preemption', () => {
  it('evicts lower-priority pods to make room and nominates the node', () => {
    const c = open();
    for (const name of ['low-1', 'low-2']) c.api.create(pod(name, cpu('1500m')));
    c.runtime.settle();
    const victimName = nodeOf(c, 'low-1') === 'node2' ? 'low-1' : 'low-2';
    c.api.create(pod('vip', { ...cpu('1500m'), priorityClassName: 'system-cluster-critical' }));
    c.runtime.settle();
    const vip = get(c, 'vip');
    const message = '0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu.';
    expect(vip.status).toMatchObject({ nominatedNodeName: 'node2' });
    expect(scheduled(c, 'vip')).toMatchObject({ status: 'False', reason: 'Unschedulable', message });
    expect(events(c, 'vip', 'FailedScheduling')).toEqual([message]);
    const victim = get(c, victimName);
    expect(meta(victim).deletionTimestamp).toBeDefined();
    expect(
      ((victim.status as Json).conditions as Json[]).find((x) => x.type === 'DisruptionTarget'),
    ).toMatchObject({
      status: 'True',
      reason: 'PreemptionByScheduler',
      message: 'default-scheduler: preempting to accommodate a higher priority pod',
    });
    expect(events(c, victimName, 'Preempted')).toEqual([`Preempted by pod ${meta(vip).uid} on node node2`]);
    expect(meta(get(c, victimName === 'low-1' ? 'low-2' : 'low-1')).deletionTimestamp).toBeUndefined();
    // The kubelet finishes the victim; the preemptor takes its place.
    c.api.delete('pods', 'default', victimName, { gracePeriodSeconds: 0 });
    c.runtime.settle();
    expect(nodeOf(c, 'vip')).toBe('node2');
  });

  it('finds no victims among pods of equal priority', () => {
    const c = open();
    for (const name of ['a', 'b']) c.api.create(pod(name, cpu('1500m')));
    c.api.create(pod('c', cpu('1500m')));
    c.runtime.settle();
    expect(scheduled(c, 'c').message).toContain('2 No preemption victims found for incoming pod.');
    expect(
      c.api.list('pods', { namespace: 'default' }).items.every((p) => meta(p).deletionTimestamp == null),
    ).toBe(true);
  });
});

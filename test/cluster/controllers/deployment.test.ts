import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Cluster } from '../../../src/cluster/cluster.js';
import { templateHash } from '../../../src/cluster/controllers/shared.js';
import type { KubeObject } from '../../../src/cluster/store/types.js';
import {
  annotation,
  deployment,
  eventsOf,
  type FakeKubeletOptions,
  names,
  pods,
  replicaSets,
  replicasOf,
  setImage,
  statusOf,
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

const getDeployment = (c: Cluster, name = 'web') => c.api.get('deployments.apps', 'default', name);
const rsNamed = (c: Cluster, name: string) => c.api.get('replicasets.apps', 'default', name);
const condition = (o: KubeObject, type: string) =>
  ((statusOf(o).conditions ?? []) as Json[]).find((x) => x.type === type);
const hashOf = (d: KubeObject) => templateHash((d.spec as Json).template);
const rsImage = (rs: KubeObject) =>
  ((((rs.spec as Json).template as Json).spec as Json).containers as Json[])[0]!.image;
/** `{ rsName: replicas }` of the Deployment's ReplicaSets. */
const sizes = (c: Cluster) =>
  Object.fromEntries(replicaSets(c).map((rs) => [String((rs.metadata as Json).name), replicasOf(rs)]));
/** Pods per ReplicaSet (by owner name), only the live ones. */
function podsPerRs(c: Cluster): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of pods(c)) {
    const meta = p.metadata as Json;
    if (meta.deletionTimestamp != null) continue;
    const owner = ((meta.ownerReferences ?? []) as Json[])[0]?.name as string;
    out[owner] = (out[owner] ?? 0) + 1;
  }
  return out;
}

/** kubectl's client-side rollback: the JSON patch of `rollout undo` (template and annotations of revision N). */
function rollbackTo(c: Cluster, name: string, revision: number): void {
  const d = getDeployment(c, name);
  const rs = replicaSets(c).find(
    (r) => annotation(r, 'deployment.kubernetes.io/revision') === String(revision),
  )!;
  const template = structuredClone((rs.spec as Json).template) as Json;
  delete ((template.metadata as Json).labels as Json)['pod-template-hash'];
  const annotations: Record<string, string> = {};
  const skip = ['deployment.kubernetes.io/revision', 'deployment.kubernetes.io/revision-history'];
  for (const k of skip) {
    const v = annotation(d, k);
    if (v !== undefined) annotations[k] = v;
  }
  for (const [k, v] of Object.entries(((rs.metadata as Json).annotations ?? {}) as Record<string, string>))
    if (!skip.includes(k) && !k.endsWith('-replicas')) annotations[k] = v;
  c.api.patch(
    'deployments.apps',
    'default',
    name,
    [
      { op: 'replace', path: '/spec/template', value: template },
      { op: 'replace', path: '/metadata/annotations', value: annotations },
    ],
    'json',
  );
}

describe('deployment-controller: a new Deployment (§2.5)', () => {
  it('creates the ReplicaSet <deploy>-<pod-template-hash> with revision 1 and its pods', () => {
    const c = open();
    const d0 = c.api.create(deployment('web', 3, 'nginx:1.27'));
    c.runtime.settle();
    const hash = hashOf(d0);
    const rs = rsNamed(c, `web-${hash}`);
    expect((rs.metadata as Json).labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect((rs.spec as Json).selector).toEqual({ matchLabels: { app: 'web', 'pod-template-hash': hash } });
    expect((((rs.spec as Json).template as Json).metadata as Json).labels).toEqual({
      app: 'web',
      'pod-template-hash': hash,
    });
    expect((rs.metadata as Json).annotations).toEqual({
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
      'deployment.kubernetes.io/revision': '1',
    });
    expect(((rs.metadata as Json).ownerReferences as Json[])[0]).toMatchObject({
      kind: 'Deployment',
      name: 'web',
      controller: true,
      blockOwnerDeletion: true,
    });
    const d = getDeployment(c);
    expect(annotation(d, 'deployment.kubernetes.io/revision')).toBe('1');
    const podNames = names(pods(c));
    expect(podNames).toHaveLength(3);
    for (const n of podNames) expect(n).toMatch(new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
    expect(statusOf(d)).toMatchObject({
      observedGeneration: 1,
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
    });
    expect(statusOf(d).unavailableReplicas).toBeUndefined();
    expect(condition(d, 'Available')).toMatchObject({
      status: 'True',
      reason: 'MinimumReplicasAvailable',
      message: 'Deployment has minimum availability.',
    });
    expect(condition(d, 'Progressing')).toMatchObject({
      status: 'True',
      reason: 'NewReplicaSetAvailable',
      message: `ReplicaSet "web-${hash}" has successfully progressed.`,
    });
    expect(eventsOf(c, 'web')).toEqual([`ScalingReplicaSet: Scaled up replica set web-${hash} from 0 to 3`]);
    const created = eventsOf(c, `web-${hash}`);
    expect(created).toHaveLength(3);
    for (const e of created)
      expect(e).toMatch(new RegExp(`^SuccessfulCreate: Created pod: web-${hash}-\\w{5}$`));
  });

  it('copies the Deployment annotations to the new ReplicaSet, except the skipped ones', () => {
    const c = open();
    const manifest = deployment('web', 1, 'nginx:1.27');
    (manifest.metadata as Json).annotations = {
      'kubernetes.io/change-cause': 'first',
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
      team: 'a',
    };
    const d0 = c.api.create(manifest);
    c.runtime.settle();
    const rs = rsNamed(c, `web-${hashOf(d0)}`);
    expect(annotation(rs, 'kubernetes.io/change-cause')).toBe('first');
    expect(annotation(rs, 'team')).toBe('a');
    expect(annotation(rs, 'kubectl.kubernetes.io/last-applied-configuration')).toBeUndefined();
  });

  it('leaves the bootstrapped coredns Deployment and ReplicaSet as they are (no writes)', () => {
    const c = workloadCluster();
    clusters.push(c);
    const before = c.store.currentRevision();
    c.runtime.settle();
    expect(c.runtime.errors).toEqual([]);
    expect(c.store.currentRevision()).toBe(before);
  });
});

describe('deployment-controller: rolling updates (§2.5, §6.6)', () => {
  it('gets stuck with exactly 8 old + 5 new pods when 10 replicas get a bad image (25%/25%)', () => {
    const c = open();
    const d0 = c.api.create(deployment('worker', 10, 'dockercoins/worker:v0.1'));
    c.runtime.settle();
    const oldRs = `worker-${hashOf(d0)}`;
    const d1 = setImage(c, 'worker', 'dockercoins/worker:v0.3');
    const settled = c.runtime.settle();
    const newRs = `worker-${hashOf(d1)}`;
    expect(sizes(c)).toEqual({ [oldRs]: 8, [newRs]: 5 });
    expect(podsPerRs(c)).toEqual({ [oldRs]: 8, [newRs]: 5 });
    // A stuck rollout does not move the clock: its deadline is a wait.
    expect(settled.advancedMs).toBe(0);
    expect(settled.pending.wait).toBeGreaterThan(0);
    let d = getDeployment(c, 'worker');
    expect(annotation(d, 'deployment.kubernetes.io/revision')).toBe('2');
    expect(statusOf(d)).toMatchObject({
      replicas: 13,
      updatedReplicas: 5,
      readyReplicas: 8,
      availableReplicas: 8,
      unavailableReplicas: 5,
    });
    expect(condition(d, 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
    expect(condition(d, 'Progressing')).toMatchObject({
      status: 'True',
      reason: 'ReplicaSetUpdated',
      message: `ReplicaSet "${newRs}" is progressing.`,
    });
    expect(eventsOf(c, 'worker')).toEqual([
      `ScalingReplicaSet: Scaled up replica set ${oldRs} from 0 to 10`,
      `ScalingReplicaSet: Scaled up replica set ${newRs} from 0 to 3`,
      `ScalingReplicaSet: Scaled down replica set ${oldRs} from 10 to 8`,
      `ScalingReplicaSet: Scaled up replica set ${newRs} from 3 to 5`,
    ]);
    c.runtime.advance(9 * 60_000);
    expect(condition(getDeployment(c, 'worker'), 'Progressing')?.reason).toBe('ReplicaSetUpdated');
    c.runtime.advance(60_000);
    d = getDeployment(c, 'worker');
    expect(condition(d, 'Progressing')).toEqual({
      type: 'Progressing',
      status: 'False',
      lastUpdateTime: '2025-03-01T12:10:00Z',
      lastTransitionTime: '2025-03-01T12:10:00Z',
      reason: 'ProgressDeadlineExceeded',
      message: `ReplicaSet "${newRs}" has timed out progressing.`,
    });
    expect(sizes(c)).toEqual({ [oldRs]: 8, [newRs]: 5 });
  });

  it('rolls back with the JSON patch of rollout undo: 10 healthy pods, the old ReplicaSet re-used as revision 3', () => {
    const c = open();
    const d0 = c.api.create(deployment('worker', 10, 'dockercoins/worker:v0.1'));
    c.runtime.settle();
    const d1 = setImage(c, 'worker', 'dockercoins/worker:v0.3');
    c.runtime.settle();
    const oldRs = `worker-${hashOf(d0)}`;
    const badRs = `worker-${hashOf(d1)}`;
    rollbackTo(c, 'worker', 1);
    c.runtime.settle();
    expect(sizes(c)).toEqual({ [oldRs]: 10, [badRs]: 0 });
    expect(podsPerRs(c)).toEqual({ [oldRs]: 10 });
    const rs = rsNamed(c, oldRs);
    expect(annotation(rs, 'deployment.kubernetes.io/revision')).toBe('3');
    expect(annotation(rs, 'deployment.kubernetes.io/revision-history')).toBe('1');
    const d = getDeployment(c, 'worker');
    expect(annotation(d, 'deployment.kubernetes.io/revision')).toBe('3');
    expect(statusOf(d)).toMatchObject({ replicas: 10, updatedReplicas: 10, availableReplicas: 10 });
    expect(condition(d, 'Progressing')).toMatchObject({
      reason: 'NewReplicaSetAvailable',
      message: `ReplicaSet "${oldRs}" has successfully progressed.`,
    });
    expect(eventsOf(c, 'worker').slice(4)).toEqual([
      `ScalingReplicaSet: Scaled down replica set ${badRs} from 5 to 0`,
      `ScalingReplicaSet: Scaled up replica set ${oldRs} from 8 to 10`,
    ]);
  });

  it('replaces pods one at a time with maxSurge 1 and maxUnavailable 0', () => {
    const c = open({ readyAfterMs: 5000 });
    const d0 = c.api.create(
      deployment('web', 3, 'nginx:1.27', {
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      }),
    );
    c.runtime.settle();
    const d1 = setImage(c, 'web', 'nginx:1.28');
    const old = `web-${hashOf(d0)}`;
    const next = `web-${hashOf(d1)}`;
    c.runtime.settle({ horizonMs: 0 });
    // Nothing is ready yet: one pod more, none fewer.
    expect(sizes(c)).toEqual({ [old]: 3, [next]: 1 });
    expect(statusOf(getDeployment(c)).availableReplicas).toBe(3);
    c.runtime.settle();
    expect(sizes(c)).toEqual({ [old]: 0, [next]: 3 });
    expect(eventsOf(c, 'web').slice(1)).toEqual([
      `ScalingReplicaSet: Scaled up replica set ${next} from 0 to 1`,
      `ScalingReplicaSet: Scaled down replica set ${old} from 3 to 2`,
      `ScalingReplicaSet: Scaled up replica set ${next} from 1 to 2`,
      `ScalingReplicaSet: Scaled down replica set ${old} from 2 to 1`,
      `ScalingReplicaSet: Scaled up replica set ${next} from 2 to 3`,
      `ScalingReplicaSet: Scaled down replica set ${old} from 1 to 0`,
    ]);
    const d = getDeployment(c);
    expect(statusOf(d)).toMatchObject({ replicas: 3, updatedReplicas: 3, availableReplicas: 3 });
  });

  it('counts a pod available only minReadySeconds after it is ready', () => {
    const c = open();
    c.api.create(deployment('web', 2, 'nginx:1.27', { minReadySeconds: 10 }));
    c.runtime.settle({ horizonMs: 5000 });
    const rs = replicaSets(c)[0]!;
    expect((rs.spec as Json).minReadySeconds).toBe(10);
    expect(statusOf(rs)).toMatchObject({ replicas: 2, readyReplicas: 2 });
    expect(statusOf(rs).availableReplicas).toBeUndefined();
    expect(condition(getDeployment(c), 'Available')?.status).toBe('False');
    const settled = c.runtime.settle();
    expect(settled.advancedMs).toBe(10_000);
    expect(statusOf(replicaSets(c)[0]!).availableReplicas).toBe(2);
    const d = getDeployment(c);
    expect(condition(d, 'Available')).toMatchObject({
      status: 'True',
      lastTransitionTime: '2025-03-01T12:00:10Z',
    });
  });

  it('scales proportionally mid-rollout (max-replicas annotations), leftovers to the largest', () => {
    const c = open();
    const d0 = c.api.create(deployment('worker', 10, 'dockercoins/worker:v0.1'));
    c.runtime.settle();
    const d1 = setImage(c, 'worker', 'dockercoins/worker:v0.3');
    c.runtime.settle();
    c.api.patch('deployments.apps', 'default', 'worker', { spec: { replicas: 15 } }, 'merge');
    c.runtime.settle();
    const oldRs = `worker-${hashOf(d0)}`;
    const newRs = `worker-${hashOf(d1)}`;
    expect(sizes(c)).toEqual({ [oldRs]: 12, [newRs]: 7 });
    for (const rs of replicaSets(c)) {
      expect(annotation(rs, 'deployment.kubernetes.io/desired-replicas')).toBe('15');
      expect(annotation(rs, 'deployment.kubernetes.io/max-replicas')).toBe('19');
    }
    expect(eventsOf(c, 'worker').slice(4)).toEqual([
      `ScalingReplicaSet: Scaled up replica set ${oldRs} from 8 to 12`,
      `ScalingReplicaSet: Scaled up replica set ${newRs} from 5 to 7`,
    ]);
  });

  it('scales the only ReplicaSet when the Deployment is scaled', () => {
    const c = open();
    const d0 = c.api.create(deployment('web', 2, 'nginx:1.27'));
    c.runtime.settle();
    c.api.patch('deployments.apps', 'default', 'web', { spec: { replicas: 5 } }, 'merge');
    c.runtime.settle();
    expect(sizes(c)).toEqual({ [`web-${hashOf(d0)}`]: 5 });
    expect(pods(c)).toHaveLength(5);
    c.api.patch('deployments.apps', 'default', 'web', { spec: { replicas: 1 } }, 'merge');
    c.runtime.settle();
    expect(sizes(c)).toEqual({ [`web-${hashOf(d0)}`]: 1 });
    expect(pods(c)).toHaveLength(1);
    expect(eventsOf(c, 'web').slice(1)).toEqual([
      `ScalingReplicaSet: Scaled up replica set web-${hashOf(d0)} from 2 to 5`,
      `ScalingReplicaSet: Scaled down replica set web-${hashOf(d0)} from 5 to 1`,
    ]);
  });

  it('reverts the scaling of its ReplicaSet (§6.4)', () => {
    const c = open();
    const d0 = c.api.create(deployment('web', 2, 'nginx:1.27'));
    c.runtime.settle();
    const rs = `web-${hashOf(d0)}`;
    c.api.patch('replicasets.apps', 'default', rs, { spec: { replicas: 5 } }, 'merge');
    c.runtime.settle();
    expect(sizes(c)).toEqual({ [rs]: 2 });
    expect(pods(c)).toHaveLength(2);
  });

  it('keeps revisionHistoryLimit old ReplicaSets, deleting the oldest empty ones', () => {
    const c = open();
    c.api.create(deployment('web', 1, 'nginx:1.25', { revisionHistoryLimit: 1 }));
    c.runtime.settle();
    for (const tag of ['1.26', '1.27', '1.28']) {
      setImage(c, 'web', `nginx:${tag}`);
      c.runtime.settle();
    }
    const left = replicaSets(c);
    expect(left.map(rsImage).sort()).toEqual(['nginx:1.27', 'nginx:1.28']);
    expect(left.map((rs) => annotation(rs, 'deployment.kubernetes.io/revision')).sort()).toEqual(['3', '4']);
  });

  it('does not roll out while paused (Progressing Unknown DeploymentPaused), and does once resumed', () => {
    const c = open();
    c.api.create(deployment('web', 2, 'nginx:1.27'));
    c.runtime.settle();
    c.api.patch('deployments.apps', 'default', 'web', { spec: { paused: true } }, 'merge');
    setImage(c, 'web', 'nginx:1.28');
    c.runtime.settle();
    expect(replicaSets(c).map(rsImage)).toEqual(['nginx:1.27']);
    expect(condition(getDeployment(c), 'Progressing')).toMatchObject({
      status: 'Unknown',
      reason: 'DeploymentPaused',
      message: 'Deployment is paused',
    });
    c.api.patch('deployments.apps', 'default', 'web', { spec: { paused: false } }, 'merge');
    c.runtime.settle();
    expect(
      replicaSets(c)
        .map((rs) => [rsImage(rs), replicasOf(rs)])
        .sort(),
    ).toEqual([
      ['nginx:1.27', 0],
      ['nginx:1.28', 2],
    ]);
    expect(condition(getDeployment(c), 'Progressing')?.reason).toBe('NewReplicaSetAvailable');
  });

  it('Recreate: scales the old ReplicaSet to 0 and waits for its pods to go before the new one', () => {
    const c = open({ terminateAfterMs: 5000 });
    const d0 = c.api.create(deployment('web', 3, 'nginx:1.27', { strategy: { type: 'Recreate' } }));
    c.runtime.settle();
    const d1 = setImage(c, 'web', 'nginx:1.28');
    c.runtime.settle({ horizonMs: 1000 });
    const old = `web-${hashOf(d0)}`;
    const next = `web-${hashOf(d1)}`;
    // The old pods are terminating: no new ReplicaSet yet.
    expect(sizes(c)).toEqual({ [old]: 0 });
    expect(pods(c)).toHaveLength(3);
    c.runtime.settle();
    expect(sizes(c)).toEqual({ [old]: 0, [next]: 3 });
    expect(podsPerRs(c)).toEqual({ [next]: 3 });
    expect(eventsOf(c, 'web').slice(1)).toEqual([
      `ScalingReplicaSet: Scaled down replica set ${old} from 3 to 0`,
      `ScalingReplicaSet: Scaled up replica set ${next} from 0 to 3`,
    ]);
  });

  it('adopts an orphan ReplicaSet its selector selects', () => {
    const c = open();
    const manifest = deployment('web', 2, 'nginx:1.27');
    const hash = templateHash((c.api.create(manifest, { dryRun: true }).spec as Json).template);
    c.api.create({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `web-${hash}`,
        namespace: 'default',
        labels: { app: 'web', 'pod-template-hash': hash },
      },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web', 'pod-template-hash': hash } },
        template: {
          metadata: { labels: { app: 'web', 'pod-template-hash': hash } },
          spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
        },
      },
    });
    c.runtime.settle();
    c.api.create(manifest);
    c.runtime.settle();
    const rs = rsNamed(c, `web-${hash}`);
    expect(((rs.metadata as Json).ownerReferences as Json[])[0]).toMatchObject({
      kind: 'Deployment',
      name: 'web',
    });
    expect(replicaSets(c)).toHaveLength(1);
    expect(pods(c)).toHaveLength(2);
  });

  it('deleting a Deployment deletes its ReplicaSets and pods', () => {
    const c = open();
    c.api.create(deployment('web', 2, 'nginx:1.27'));
    c.runtime.settle();
    c.api.delete('deployments.apps', 'default', 'web');
    c.runtime.settle();
    expect(replicaSets(c)).toEqual([]);
    expect(pods(c)).toEqual([]);
    expect(c.runtime.errors).toEqual([]);
  });

  it('runs from a stored cluster: a later process (caches built lazily) finishes the rollout', () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'bosun-deploy-'));
    try {
      const first = workloadCluster({ home });
      first.runtime.settle();
      const d0 = first.api.create(deployment('web', 3, 'nginx:1.27'));
      first.runtime.settle();
      first.close();
      const second = workloadCluster({ home });
      const d1 = setImage(second, 'web', 'nginx:1.28');
      second.runtime.settle();
      expect(sizes(second)).toEqual({ [`web-${hashOf(d0)}`]: 0, [`web-${hashOf(d1)}`]: 3 });
      expect(podsPerRs(second)).toEqual({ [`web-${hashOf(d1)}`]: 3 });
      second.api.delete('pods', 'default', names(pods(second))[0]!);
      second.runtime.settle();
      expect(podsPerRs(second)).toEqual({ [`web-${hashOf(d1)}`]: 3 });
      expect(second.runtime.errors).toEqual([]);
      second.close();
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

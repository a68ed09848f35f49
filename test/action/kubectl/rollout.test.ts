/** RolloutAction over a cluster running the deployment and replicaset controllers (and a stand-in kubelet). */

import { afterEach, describe, expect, it } from 'vitest';
import { RolloutAction, rolloutStatus } from '../../../src/action/kubectl/index.js';
import type { Cluster } from '../../../src/cluster/cluster.js';
import { InProcessKubeClient, type KindDescriptor, type KubeClient } from '../../../src/kube/index.js';
import {
  deployment,
  type FakeKubeletOptions,
  replicaSets,
  setImage,
  T0,
  workloadCluster,
} from '../../cluster/controllers/deployment-fakes.js';

type Json = Record<string, unknown>;

const clusters: Cluster[] = [];
afterEach(() => {
  for (const c of clusters.splice(0)) c.close();
});

function open(options: FakeKubeletOptions = {}): {
  cluster: Cluster;
  client: KubeClient;
  rollout: RolloutAction;
} {
  const cluster = workloadCluster(options);
  clusters.push(cluster);
  cluster.runtime.settle();
  const client = new InProcessKubeClient(cluster);
  return { cluster, client, rollout: new RolloutAction({ client }) };
}

const kind = (k: string): KindDescriptor => ({
  group: 'apps',
  version: 'v1',
  kind: k,
  plural: `${k.toLowerCase()}s`,
  singular: k.toLowerCase(),
  shortNames: [],
  namespaced: true,
  categories: [],
  verbs: [],
});

async function status(
  rollout: RolloutAction,
  args: string[],
  options = {},
): Promise<{ lines: string[]; error?: string }> {
  const lines: string[] = [];
  try {
    await rollout.status(args, options, (line) => lines.push(line));
    return { lines };
  } catch (error) {
    return { lines, error: (error as Error).message };
  }
}

describe('rollout status', () => {
  it('waits through a rolling update until it is rolled out, each poll letting cluster time pass', async () => {
    const { cluster, rollout } = open({ readyAfterMs: 3000 });
    cluster.api.create(deployment('web', 3, 'nginx:1.27'));
    cluster.runtime.settle();
    const start = cluster.now().getTime();
    setImage(cluster, 'web', 'nginx:1.28');
    const { lines, error } = await status(rollout, ['deploy/web']);
    expect(error).toBeUndefined();
    // The embedded cluster plays out what happens by itself while the client sleeps.
    expect(lines).toEqual([
      'Waiting for deployment spec update to be observed...',
      'deployment "web" successfully rolled out',
    ]);
    expect(cluster.now().getTime() - start).toBeGreaterThanOrEqual(9000);
  });

  it('reports the stuck v0.3 rollout, then fails once its progress deadline passes in cluster time', async () => {
    const { cluster, rollout } = open();
    cluster.api.create(deployment('worker', 10, 'dockercoins/worker:v0.1'));
    cluster.runtime.settle();
    setImage(cluster, 'worker', 'dockercoins/worker:v0.3');
    cluster.runtime.settle();
    const { lines, error } = await status(rollout, ['deployment', 'worker']);
    expect(lines).toEqual([
      'Waiting for deployment "worker" rollout to finish: 5 out of 10 new replicas have been updated...',
    ]);
    expect(error).toBe('deployment "worker" exceeded its progress deadline');
    expect(cluster.now().getTime() - T0).toBe(600_000);
  });

  it('prints the status once with --watch=false, and times out with --timeout', async () => {
    const { cluster, client, rollout } = open();
    cluster.api.create(deployment('web', 2, 'nginx:1.27'));
    cluster.runtime.settle();
    await client.patch('deploy', 'default', 'web', { spec: { paused: true } }, 'merge');
    setImage(cluster, 'web', 'nginx:1.28');
    cluster.runtime.settle();
    const waiting =
      'Waiting for deployment "web" rollout to finish: 0 out of 2 new replicas have been updated...';
    expect(await status(rollout, ['deploy/web'], { watch: false })).toEqual({ lines: [waiting] });
    expect(await status(rollout, ['deploy/web'], { timeoutMs: 5000 })).toEqual({
      lines: [waiting],
      error: 'timed out waiting for the condition',
    });
    expect(cluster.now().getTime() - T0).toBe(5000);
  });

  it('refuses kinds without a status viewer, collections and missing objects', async () => {
    const { cluster, rollout } = open();
    cluster.api.create(deployment('web', 1, 'nginx:1.27'));
    cluster.api.create(deployment('api', 1, 'nginx:1.27'));
    cluster.runtime.settle();
    const rs = String(
      (
        replicaSets(cluster).find((r) => String((r.metadata as Json).name).startsWith('web-'))!
          .metadata as Json
      ).name,
    );
    expect((await status(rollout, [`rs/${rs}`])).error).toBe(
      'no status viewer has been implemented for ReplicaSet.apps',
    );
    expect((await status(rollout, ['deployments'])).error).toBe(
      'rollout status is only supported on individual resources and resource collections are not supported yet',
    );
    expect((await status(rollout, ['deploy/nope'])).error).toBe('deployments.apps "nope" not found');
    expect((await status(rollout, [])).error).toBe('required resource not specified');
  });
});

describe('rolloutStatus (the status viewers)', () => {
  const meta = { name: 'x', generation: 2 };
  it('reads a DaemonSet', () => {
    const ds = (status: Json) => ({
      metadata: meta,
      spec: { updateStrategy: { type: 'RollingUpdate' } },
      status,
    });
    expect(rolloutStatus(kind('DaemonSet'), ds({ observedGeneration: 1 })).message).toBe(
      'Waiting for daemon set spec update to be observed...',
    );
    expect(
      rolloutStatus(
        kind('DaemonSet'),
        ds({ observedGeneration: 2, desiredNumberScheduled: 3, updatedNumberScheduled: 1 }),
      ).message,
    ).toBe('Waiting for daemon set "x" rollout to finish: 1 out of 3 new pods have been updated...');
    expect(
      rolloutStatus(
        kind('DaemonSet'),
        ds({
          observedGeneration: 2,
          desiredNumberScheduled: 3,
          updatedNumberScheduled: 3,
          numberAvailable: 2,
        }),
      ).message,
    ).toBe('Waiting for daemon set "x" rollout to finish: 2 of 3 updated pods are available...');
    expect(
      rolloutStatus(
        kind('DaemonSet'),
        ds({
          observedGeneration: 2,
          desiredNumberScheduled: 3,
          updatedNumberScheduled: 3,
          numberAvailable: 3,
        }),
      ),
    ).toEqual({ message: 'daemon set "x" successfully rolled out', done: true });
    expect(() =>
      rolloutStatus(kind('DaemonSet'), { metadata: meta, spec: { updateStrategy: { type: 'OnDelete' } } }),
    ).toThrow('rollout status is only available for RollingUpdate strategy type');
  });

  it('reads a StatefulSet (partitioned, as the API defaults it)', () => {
    const sts = (status: Json) => ({
      metadata: meta,
      spec: { replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } } },
      status,
    });
    expect(rolloutStatus(kind('StatefulSet'), sts({})).message).toBe(
      'Waiting for statefulset spec update to be observed...',
    );
    expect(rolloutStatus(kind('StatefulSet'), sts({ observedGeneration: 2, readyReplicas: 1 })).message).toBe(
      'Waiting for 2 pods to be ready...',
    );
    expect(
      rolloutStatus(kind('StatefulSet'), sts({ observedGeneration: 2, readyReplicas: 3, updatedReplicas: 1 }))
        .message,
    ).toBe('Waiting for partitioned roll out to finish: 1 out of 3 new pods have been updated...');
    expect(
      rolloutStatus(
        kind('StatefulSet'),
        sts({ observedGeneration: 2, readyReplicas: 3, updatedReplicas: 3 }),
      ),
    ).toEqual({ message: 'partitioned roll out complete: 3 new pods have been updated...', done: true });
  });

  it('reads a Deployment: old replicas pending, available, revision pinning', () => {
    const d = (status: Json, annotations: Json = {}) => ({
      metadata: { ...meta, annotations },
      spec: { replicas: 3 },
      status: { observedGeneration: 2, ...status },
    });
    expect(rolloutStatus(kind('Deployment'), d({ updatedReplicas: 3, replicas: 4 })).message).toBe(
      'Waiting for deployment "x" rollout to finish: 1 old replicas are pending termination...',
    );
    expect(
      rolloutStatus(kind('Deployment'), d({ updatedReplicas: 3, replicas: 3, availableReplicas: 2 })).message,
    ).toBe('Waiting for deployment "x" rollout to finish: 2 of 3 updated replicas are available...');
    expect(() =>
      rolloutStatus(kind('Deployment'), d({}, { 'deployment.kubernetes.io/revision': '2' }), 3),
    ).toThrow('desired revision (3) is different from the running revision (2)');
  });
});

describe('rollout history, undo, restart, pause, resume', () => {
  async function threeRevisions() {
    const o = open();
    const manifest = deployment('web', 2, 'nginx:1.26');
    (manifest.metadata as Json).annotations = { 'kubernetes.io/change-cause': 'first' };
    o.cluster.api.create(manifest);
    o.cluster.runtime.settle();
    for (const tag of ['1.27', '1.28']) {
      setImage(o.cluster, 'web', `nginx:${tag}`);
      o.cluster.runtime.settle();
    }
    return o;
  }

  it('lists the revisions with their change-cause', async () => {
    const { rollout } = await threeRevisions();
    expect(await rollout.history(['deploy/web'])).toEqual({
      text: 'deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         first\n2         first\n3         first\n\n',
      errors: [],
    });
  });

  it('prints the pod template of one revision, unaligned as kubectl does', async () => {
    const { rollout } = await threeRevisions();
    const { text } = await rollout.history(['deploy/web'], 2);
    expect(text.split('\n').slice(0, 9)).toEqual([
      'deployment.apps/web with revision #2',
      'Pod Template:',
      expect.stringMatching(/^ {2}Labels:\tapp=web$/),
      expect.stringMatching(/^\tpod-template-hash=\w+$/),
      '  Annotations:\tkubernetes.io/change-cause: first',
      '  Containers:',
      '   web:',
      '    Image:\tnginx:1.27',
      '    Port:\t<none>',
    ]);
    expect(text.endsWith('Tolerations:\t<none>\n\n')).toBe(true);
    const missing = await rollout.history(['deploy/web'], 7);
    expect(missing.errors.map((e) => e.message)).toEqual(['unable to find the specified revision']);
  });

  it('rolls back to the previous revision, to a given one, and skips the current one', async () => {
    const { cluster, client, rollout } = await threeRevisions();
    expect(await rollout.undo(['deploy/web'])).toEqual({
      lines: ['deployment.apps/web rolled back'],
      errors: [],
    });
    cluster.runtime.settle();
    const image = async () =>
      (
        ((((await client.get('deploy', 'default', 'web')).spec as Json).template as Json).spec as Json)
          .containers as Json[]
      )[0]!.image;
    expect(await image()).toBe('nginx:1.27');
    expect((await rollout.history(['deploy/web'])).text).toContain(
      'REVISION  CHANGE-CAUSE\n1         first\n3         first\n4         first\n',
    );
    expect(await rollout.undo(['deploy/web'], 1)).toEqual({
      lines: ['deployment.apps/web rolled back'],
      errors: [],
    });
    cluster.runtime.settle();
    expect(await image()).toBe('nginx:1.26');
    expect((await rollout.undo(['deploy/web'], 5)).lines).toEqual([
      'deployment.apps/web skipped rollback (current template already matches revision 5)',
    ]);
    const missing = await rollout.undo(['deploy/web'], 9);
    expect(missing.errors.map((e) => e.message)).toEqual(['unable to find specified revision 9 in history']);
  });

  it('pauses and resumes a Deployment, refusing to pause twice or to roll back while paused', async () => {
    const { rollout } = await threeRevisions();
    expect((await rollout.pause(['deploy/web'])).lines).toEqual(['deployment.apps/web paused']);
    expect((await rollout.pause(['deploy/web'])).errors.map((e) => e.message)).toEqual([
      'deployments.apps "web" is already paused',
    ]);
    expect((await rollout.undo(['deploy/web'])).errors.map((e) => e.message)).toEqual([
      "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
    ]);
    expect((await rollout.restart(['deploy/web'])).errors.map((e) => e.message)).toEqual([
      `error: deployments.apps "web" can't restart paused deployment (run rollout resume first)`,
    ]);
    expect((await rollout.resume(['deploy/web'])).lines).toEqual(['deployment.apps/web resumed']);
    expect((await rollout.resume(['deploy/web'])).errors.map((e) => e.message)).toEqual([
      'deployments.apps "web" is not paused',
    ]);
  });

  it('restarts: a restartedAt template annotation at the cluster time, which rolls the pods', async () => {
    const { cluster, client, rollout } = await threeRevisions();
    expect(await rollout.restart(['deploy/web'])).toEqual({
      lines: ['deployment.apps/web restarted'],
      errors: [],
    });
    const d = await client.get('deploy', 'default', 'web');
    expect((((d.spec as Json).template as Json).metadata as Json).annotations).toEqual({
      'kubectl.kubernetes.io/restartedAt': '2025-03-01T12:00:00Z',
    });
    expect((await rollout.restart(['deploy/web'])).errors.map((e) => e.message)).toEqual([
      'failed to create patch for web: if restart has already been triggered within the past second, please wait before attempting to trigger another',
    ]);
    cluster.runtime.settle();
    expect((await rollout.history(['deploy/web'])).text).toContain('4         first');
  });

  it('lists and rolls back the ControllerRevisions of a DaemonSet', async () => {
    const { cluster, client, rollout } = open();
    const template = (image: string) => ({
      metadata: { labels: { app: 'agent' } },
      spec: { containers: [{ name: 'agent', image }] },
    });
    const ds = cluster.api.create({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'agent' } }, template: template('agent:2') },
    });
    const stored = (await client.get('ds', 'default', 'agent')).spec as Json;
    for (const [revision, image] of [
      [1, 'agent:1'],
      [2, 'agent:2'],
    ] as const) {
      const t = { ...(stored.template as Json), spec: { ...((stored.template as Json).spec as Json) } };
      ((t.spec as Json).containers as Json[]) = [
        { ...(((stored.template as Json).spec as Json).containers as Json[])[0]!, image },
      ];
      cluster.api.create({
        apiVersion: 'apps/v1',
        kind: 'ControllerRevision',
        metadata: {
          name: `agent-${revision}`,
          namespace: 'default',
          labels: { app: 'agent' },
          annotations: revision === 2 ? { 'kubernetes.io/change-cause': 'upgrade' } : {},
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'DaemonSet',
              name: 'agent',
              uid: (ds.metadata as Json).uid,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        data: { spec: { template: { ...t, $patch: 'replace' } } },
        revision,
      });
    }
    expect((await rollout.history(['ds/agent'])).text).toBe(
      'daemonset.apps/agent \nREVISION  CHANGE-CAUSE\n1         <none>\n2         upgrade\n\n',
    );
    expect((await rollout.undo(['ds/agent'], 2)).lines).toEqual([
      'daemonset.apps/agent skipped rollback (current template already matches revision 2)',
    ]);
    expect(await rollout.undo(['ds/agent'])).toEqual({
      lines: ['daemonset.apps/agent rolled back'],
      errors: [],
    });
    const after = await client.get('ds', 'default', 'agent');
    expect((((after.spec as Json).template as Json).spec as Json).containers).toMatchObject([
      { image: 'agent:1' },
    ]);
    expect((await rollout.pause(['ds/agent'])).errors.map((e) => e.message)).toEqual([
      'daemonsets.apps "agent" pausing is not supported',
    ]);
  });
});

/**
 * The workload acceptance scenarios, end to end through the CLI on an embedded cluster in a
 * temporary `$BOSUN_HOME`: DockerCoins comes up, the training's stuck rollout and its undo,
 * DaemonSets and taints, a StatefulSet with claims, ReplicaSet replacement and orphaning, Jobs
 * and CronJobs, determinism, and bad input refused with nothing stored.
 */

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { tempDir } from '../helpers/chart-builder.js';

const CHART = path.resolve(__dirname, '../../charts/dockercoins');

// biome-ignore lint/suspicious/noExplicitAny: the tests read kubectl's JSON output freely
type J = any;

interface Result {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

function session(home = tempDir()) {
  const bosun = async (...args: string[]): Promise<Result> => {
    const io = memoryIO({ env: { BOSUN_HOME: home } });
    const code = await run(args, io);
    return { code, out: io.out(), err: io.err() };
  };
  const k = (...args: string[]) => bosun('kubectl', ...args);
  const apply = async (yaml: string): Promise<Result> => {
    const file = path.join(home, `manifest-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, yaml);
    return k('apply', '-f', file);
  };
  const json = async (...args: string[]) => {
    const r = await k('get', ...args, '-o', 'json');
    expect(r.err).toBe('');
    return JSON.parse(r.out) as { items: Record<string, J>[] } & Record<string, J>;
  };
  return { home, bosun, k, apply, json };
}

const lines = (text: string) => text.trimEnd().split('\n');
const podsOf = (items: Record<string, J>[], prefix: string) =>
  items.filter((p) => String(p.metadata.name).startsWith(prefix));

async function installDockerCoins(s: ReturnType<typeof session>): Promise<void> {
  const rendered = await s.bosun('template', 'coins', CHART);
  expect(rendered.code).toBe(0);
  const applied = await s.apply(rendered.out);
  expect(applied.err).toBe('');
  expect(applied.code).toBe(0);
}

describe('DockerCoins on the embedded cluster', () => {
  it('comes up: every pod Running and Ready, tables shaped like the training', async () => {
    const s = session();
    await installDockerCoins(s);
    const pods = await s.json('pods');
    expect(pods.items.length).toBeGreaterThanOrEqual(6);
    for (const pod of pods.items) {
      expect(pod.status.phase, pod.metadata.name).toBe('Running');
      expect(pod.status.conditions.find((c: J) => c.type === 'Ready').status, pod.metadata.name).toBe('True');
      expect(pod.status.podIP).toMatch(/^10\.244\.\d+\.\d+$/);
    }
    const worker = podsOf(pods.items, 'worker-');
    expect(worker).toHaveLength(1);
    expect(worker[0]!.metadata.name).toMatch(
      /^worker-[bcdfghjklmnpqrstvwxz2456789]{1,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/,
    );
    // rng is a DaemonSet: one pod per worker node (not on the tainted control plane).
    expect(
      podsOf(pods.items, 'rng-')
        .map((p) => p.spec.nodeName)
        .sort(),
    ).toEqual(['node2', 'node3']);

    const table = await s.k('get', 'deploy,rs,pods');
    expect(table.code).toBe(0);
    expect(table.out).toMatch(
      /^NAME +READY +UP-TO-DATE +AVAILABLE +AGE\ndeployment\.apps\/hasher +1\/1 +1 +1 /m,
    );
    expect(table.out).toMatch(/^replicaset\.apps\/worker-\w+ +1 +1 +1 /m);
    expect(table.out).toMatch(/^pod\/worker-\w+-\w{5} +1\/1 +Running +0 /m);
  });

  it('the stuck rollout: 10 workers, a missing image → 8 old + 5 new; undo → 10 healthy', async () => {
    const s = session();
    await installDockerCoins(s);
    expect((await s.k('scale', 'deploy/worker', '--replicas=10')).out).toBe(
      'deployment.apps/worker scaled\n',
    );
    expect(
      (await s.json('pods', '-l', 'app=worker')).items.filter((p) => p.status.phase === 'Running'),
    ).toHaveLength(10);

    const set = await s.k('set', 'image', 'deploy/worker', 'worker=dockercoins/worker:v0.3');
    expect(set.out).toBe('deployment.apps/worker image updated\n');
    const pods = (await s.json('pods', '-l', 'app=worker')).items;
    const byImage = (image: string) => pods.filter((p) => p.spec.containers[0].image === image);
    expect(byImage('dockercoins/worker:v0.1')).toHaveLength(8);
    const fresh = byImage('dockercoins/worker:v0.3');
    expect(fresh).toHaveLength(5);
    for (const pod of fresh) {
      expect(['ErrImagePull', 'ImagePullBackOff']).toContain(
        pod.status.containerStatuses[0].state.waiting.reason,
      );
    }
    const table = await s.k('get', 'pods', '-l', 'app=worker');
    expect(table.out).toMatch(/(ErrImagePull|ImagePullBackOff)/);

    const status = await s.k('rollout', 'status', 'deploy/worker');
    expect(status.code).toBe(1);
    expect(status.out).toContain(
      'Waiting for deployment "worker" rollout to finish: 5 out of 10 new replicas have been updated...',
    );
    expect(status.err).toContain('error: deployment "worker" exceeded its progress deadline');

    const history = await s.k('rollout', 'history', 'deploy/worker');
    expect(lines(history.out)).toEqual([
      'deployment.apps/worker ',
      'REVISION  CHANGE-CAUSE',
      '1         <none>',
      '2         <none>',
    ]);

    expect((await s.k('rollout', 'undo', 'deploy/worker')).out).toBe('deployment.apps/worker rolled back\n');
    const after = (await s.json('pods', '-l', 'app=worker')).items;
    expect(after).toHaveLength(10);
    for (const pod of after) {
      expect(pod.spec.containers[0].image).toBe('dockercoins/worker:v0.1');
      expect(pod.status.phase).toBe('Running');
    }
    const done = await s.k('rollout', 'status', 'deploy/worker');
    expect(done.out).toContain('deployment "worker" successfully rolled out');
  });
});

describe('DaemonSets, StatefulSets, ReplicaSets', () => {
  const daemonSet = (tolerate: boolean) => `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      ${tolerate ? 'tolerations: [{operator: Exists}]' : 'tolerations: []'}
      containers: [{name: agent, image: nginx}]
`;

  it('a DaemonSet skips the tainted control plane; with a toleration it runs on every node', async () => {
    const s = session();
    await s.apply(daemonSet(false));
    const nodes = async () =>
      (await s.json('pods', '-l', 'app=agent')).items.map((p) => p.spec.nodeName).sort();
    expect(await nodes()).toEqual(['node2', 'node3']);
    await s.apply(daemonSet(true));
    expect(await nodes()).toEqual(['node1', 'node2', 'node3']);
    const ds = await s.k('get', 'ds', 'agent');
    expect(ds.out).toMatch(/^agent +3 +3 +3 +3 +3 +<none> /m);
  });

  it('a StatefulSet creates web-0, web-1, web-2 in order with claims data-web-N that survive scale-down', async () => {
    const s = session();
    await s.apply(`apiVersion: v1
kind: Service
metadata: {name: web}
spec: {clusterIP: None, selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: web
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: nginx, image: nginx, volumeMounts: [{name: data, mountPath: /data}]}]}
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`);
    const pods = (await s.json('pods', '-l', 'app=web')).items;
    const created = pods
      .map(
        (p) =>
          [
            p.metadata.name,
            Date.parse(p.metadata.creationTimestamp),
            Date.parse(p.status.startTime),
          ] as const,
      )
      .sort((a, b) => a[0].localeCompare(b[0]));
    expect(created.map(([n]) => n)).toEqual(['web-0', 'web-1', 'web-2']);
    // Ordered: each pod is created only once the previous one is up.
    expect(created[1]![1]).toBeGreaterThan(created[0]![2]);
    expect(created[2]![1]).toBeGreaterThan(created[1]![2]);
    const claims = async () => (await s.json('pvc')).items.map((c) => [c.metadata.name, c.status.phase]);
    expect(await claims()).toEqual([
      ['data-web-0', 'Bound'],
      ['data-web-1', 'Bound'],
      ['data-web-2', 'Bound'],
    ]);
    await s.k('scale', 'sts/web', '--replicas=1');
    expect((await s.json('pods', '-l', 'app=web')).items.map((p) => p.metadata.name)).toEqual(['web-0']);
    expect((await claims()).map(([n]) => n)).toEqual(['data-web-0', 'data-web-1', 'data-web-2']);
  });

  it('a deleted ReplicaSet pod is replaced; a pod whose label is removed is replaced and keeps running', async () => {
    const s = session();
    await s.apply(`apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: nginx, image: nginx}]}
`);
    const names = async (selector: string) =>
      (await s.json('pods', '-l', selector)).items.map((p) => p.metadata.name).sort();
    const first = await names('app=web');
    expect(first).toHaveLength(2);
    await s.k('delete', 'pod', first[0]!);
    const second = await names('app=web');
    expect(second).toHaveLength(2);
    expect(second).not.toContain(first[0]);

    const orphan = second[0]!;
    expect((await s.k('label', 'pod', orphan, 'app-')).code).toBe(0);
    const third = await names('app=web');
    expect(third).toHaveLength(2);
    expect(third).not.toContain(orphan);
    const kept = await s.json('pod', orphan);
    expect(kept.status.phase).toBe('Running');
    expect(kept.metadata.ownerReferences ?? []).toEqual([]);
  });
});

describe('Jobs and CronJobs', () => {
  it('a Job with backoffLimit 2 and a failing command ends Failed with BackoffLimitExceeded', async () => {
    const s = session();
    await s.apply(`apiVersion: batch/v1
kind: Job
metadata: {name: fail}
spec:
  backoffLimit: 2
  template:
    spec:
      restartPolicy: Never
      containers: [{name: fail, image: busybox, command: [sh, -c, "exit 3"]}]
`);
    const job = await s.json('job', 'fail');
    const failed = job.status.conditions.find((c: J) => c.type === 'Failed');
    expect(failed).toMatchObject({ status: 'True', reason: 'BackoffLimitExceeded' });
    expect(job.status.failed).toBe(3);
  });

  it('a CronJob */1 creates Jobs as time advances', async () => {
    const s = session();
    await s.apply(`apiVersion: batch/v1
kind: CronJob
metadata: {name: tick}
spec:
  schedule: "*/1 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: tick, image: busybox, command: [date]}]
`);
    expect((await s.json('jobs')).items).toHaveLength(0);
    expect((await s.bosun('cluster', 'advance', '3m')).code).toBe(0);
    const jobs = (await s.json('jobs')).items.map((j) => j.metadata.name);
    expect(jobs.length).toBeGreaterThanOrEqual(3);
    for (const name of jobs) expect(name).toMatch(/^tick-\d+$/);
  });
});

describe('determinism and bad input', () => {
  it('the same scenario twice gives the same names, IPs and events', async () => {
    const scenario = async () => {
      const s = session();
      await installDockerCoins(s);
      await s.k('scale', 'deploy/worker', '--replicas=4');
      const pods = (await s.json('pods')).items.map(
        (p) => `${p.metadata.name} ${p.status.podIP} ${p.spec.nodeName}`,
      );
      const events = (await s.json('events')).items.map(
        (e) => `${e.involvedObject.name} ${e.reason} ${e.message}`,
      );
      return { pods: pods.sort(), events: events.sort() };
    };
    const a = await scenario();
    const b = await scenario();
    expect(b.pods).toEqual(a.pods);
    expect(b.events).toEqual(a.events);
    expect(a.events.some((e) => / Scheduled Successfully assigned default\/worker-/.test(e))).toBe(true);
  });

  it.each([
    [
      'an invalid selector',
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: bad}
spec:
  selector: {matchExpressions: [{key: app, operator: Sometimes}]}
  template: {metadata: {labels: {app: bad}}, spec: {containers: [{name: c, image: nginx}]}}
`,
      /Invalid value: "Sometimes": not a valid selector operator/,
    ],
    [
      'a selector that does not match the template labels',
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: bad}
spec:
  selector: {matchLabels: {app: other}}
  template: {metadata: {labels: {app: bad}}, spec: {containers: [{name: c, image: nginx}]}}
`,
      /spec\.template\.metadata\.labels: Invalid value: .*`selector` does not match template `labels`/,
    ],
    [
      'negative replicas',
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: bad}
spec:
  replicas: -1
  selector: {matchLabels: {app: bad}}
  template: {metadata: {labels: {app: bad}}, spec: {containers: [{name: c, image: nginx}]}}
`,
      /spec\.replicas: Invalid value: -1: must be greater than or equal to 0/,
    ],
    [
      'an invalid cron schedule',
      `apiVersion: batch/v1
kind: CronJob
metadata: {name: bad}
spec:
  schedule: "61 * * * *"
  jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}}}}
`,
      /spec\.schedule: Invalid value: "61 \* \* \* \*"/,
    ],
  ])('%s is refused with a clear error and nothing is stored', async (_what, yaml, message) => {
    const s = session();
    const r = await s.apply(yaml);
    expect(r.code).toBe(1);
    expect(lines(r.err)[0]).toMatch(/^The (Deployment|CronJob) "bad" is invalid: /);
    expect(r.err).toMatch(message);
    const left = await s.k('get', 'deploy,cronjobs', '-o', 'name');
    expect(left.out).toBe('');
  });
});

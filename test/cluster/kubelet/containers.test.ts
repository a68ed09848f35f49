import { describe, expect, it } from 'vitest';
import type { ProcessSpec } from '../../../src/cluster/images/types.js';
import { fakeCatalog } from './fake-catalog.js';
import {
  condition,
  containerOf,
  createPod,
  elapsed,
  eventsOf,
  getPod,
  kubeletCluster,
  statusOf,
  summary,
} from './helpers.js';

/** busybox: `sleep N` runs N seconds and exits 0; `exit N` exits N at once; no command exits 0 at once. */
function busybox(spec: ProcessSpec) {
  const line = [...(spec.command ?? []), ...(spec.args ?? [])].join(' ');
  const sleep = /sleep (\d+)/.exec(line);
  const exit = /exit (\d+)/.exec(line);
  const code = exit === null ? 0 : Number(exit[1]);
  if (line.includes('forever')) return { ignoresSigterm: true };
  if (line.includes('missing-binary')) {
    return {
      startError:
        'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "missing-binary": executable file not found in $PATH: unknown',
      exit: { afterMs: 0, code: 128 },
    };
  }
  return { exit: { afterMs: sleep === null ? 0 : Number(sleep[1]) * 1000, code }, ignoresSigterm: true };
}

const catalog = () =>
  fakeCatalog({
    'nginx:1.13.11': { process: { ports: [80] } },
    'busybox:1.36': { process: busybox },
  });

const bb = (name: string, ...command: string[]) => ({
  name,
  image: 'busybox:1.36',
  ...(command.length > 0 ? { command: ['sh', '-c', command.join(' ')] } : {}),
});

const state = (c: Record<string, unknown>) => c.state as Record<string, Record<string, unknown>>;
const lastTerminated = (c: Record<string, unknown>) =>
  (c.lastState as { terminated?: Record<string, unknown> }).terminated;

describe('kubelet: init containers', () => {
  it('runs init containers in order before the containers (Init:0/2, Init:1/2, PodInitializing)', () => {
    const cluster = kubeletCluster(catalog());
    createPod(cluster, 'web', {
      initContainers: [bb('fetch', 'sleep 5'), bb('migrate', 'sleep 3')],
      containers: [{ name: 'web', image: 'nginx:1.13.11' }],
    });
    cluster.runtime.settle({ horizonMs: 0 });
    expect(summary(cluster, 'web')).toEqual({ ready: '0/1', status: 'Init:0/2', restarts: '0' });
    expect(state(containerOf(cluster, 'web', 'web')).waiting).toEqual({ reason: 'PodInitializing' });
    expect(state(containerOf(cluster, 'web', 'migrate')).waiting).toEqual({ reason: 'PodInitializing' });
    expect(condition(cluster, 'web', 'Initialized')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotInitialized',
      message: 'containers with incomplete status: [fetch migrate]',
    });
    expect(statusOf(cluster, 'web').phase).toBe('Pending');
    cluster.runtime.settle({ horizonMs: 5000 });
    expect(elapsed(cluster)).toBe(5);
    expect(summary(cluster, 'web').status).toBe('Init:1/2');
    cluster.runtime.settle();
    expect(elapsed(cluster)).toBe(8);
    expect(summary(cluster, 'web')).toEqual({ ready: '1/1', status: 'Running', restarts: '0' });
    const fetch = containerOf(cluster, 'web', 'fetch');
    expect(state(fetch).terminated).toMatchObject({
      exitCode: 0,
      reason: 'Completed',
      startedAt: '2025-03-01T12:00:00Z',
      finishedAt: '2025-03-01T12:00:05Z',
    });
    expect(fetch.ready).toBe(true);
    expect(condition(cluster, 'web', 'Initialized')).toMatchObject({ status: 'True' });
    expect(eventsOf(cluster, 'web').filter((e) => e.startsWith('Started'))).toEqual([
      'Started: Started container fetch',
      'Started: Started container migrate',
      'Started: Started container web',
    ]);
  });

  it('fails the pod when an init container fails under restartPolicy Never (Init:Error)', () => {
    const cluster = kubeletCluster(catalog());
    createPod(cluster, 'job', {
      restartPolicy: 'Never',
      initContainers: [bb('check', 'exit 2')],
      containers: [bb('main', 'sleep 1')],
    });
    cluster.runtime.settle();
    expect(statusOf(cluster, 'job').phase).toBe('Failed');
    expect(summary(cluster, 'job').status).toBe('Init:Error');
  });

  it('restarts a failing init container with back-off (Init:CrashLoopBackOff)', () => {
    const cluster = kubeletCluster(catalog());
    createPod(cluster, 'web', {
      initContainers: [bb('check', 'exit 1')],
      containers: [{ name: 'web', image: 'nginx:1.13.11' }],
    });
    cluster.runtime.settle();
    expect(summary(cluster, 'web').status).toBe('Init:CrashLoopBackOff');
    expect(statusOf(cluster, 'web').phase).toBe('Pending');
  });

  it('starts a sidecar (an init container with restartPolicy Always) and keeps it running beside the containers', () => {
    const cluster = kubeletCluster(catalog());
    createPod(cluster, 'web', {
      initContainers: [{ name: 'proxy', image: 'nginx:1.13.11', restartPolicy: 'Always' }],
      containers: [{ name: 'web', image: 'nginx:1.13.11' }],
    });
    cluster.runtime.settle();
    expect(summary(cluster, 'web')).toEqual({ ready: '2/2', status: 'Running', restarts: '0' });
    expect(state(containerOf(cluster, 'web', 'proxy')).running).toBeDefined();
  });
});

describe('kubelet: exits and restarts', () => {
  it('restarts a crashing container at once, then backs off (CrashLoopBackOff), as a wait', () => {
    const cluster = kubeletCluster(catalog());
    createPod(cluster, 'crash', { containers: [bb('web', 'exit 1')] });
    const settled = cluster.runtime.settle();
    expect(elapsed(cluster)).toBe(0);
    expect(settled.pending.wait).toBe(1);
    const uid = String((getPod(cluster, 'crash').metadata as { uid: string }).uid);
    const web = containerOf(cluster, 'crash');
    expect(web.restartCount).toBe(1);
    expect(state(web).waiting).toEqual({
      reason: 'CrashLoopBackOff',
      message: `back-off 10s restarting failed container=web pod=crash_default(${uid})`,
    });
    expect(lastTerminated(web)).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(statusOf(cluster, 'crash').phase).toBe('Running');
    expect(summary(cluster, 'crash').status).toBe('CrashLoopBackOff');
    expect(summary(cluster, 'crash').restarts).toMatch(/^1 \(\d+s ago\)$/);
    expect(condition(cluster, 'crash', 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
    });
    expect(eventsOf(cluster, 'crash')).toContain(
      `BackOff: Back-off restarting failed container web in pod crash_default(${uid})`,
    );
    cluster.runtime.advance(10_000);
    expect(containerOf(cluster, 'crash').restartCount).toBe(2);
    expect(String(state(containerOf(cluster, 'crash')).waiting?.message)).toMatch(/^back-off 20s /);
    cluster.runtime.advance(20_000);
    expect(containerOf(cluster, 'crash').restartCount).toBe(3);
    expect(String(state(containerOf(cluster, 'crash')).waiting?.message)).toMatch(/^back-off 40s /);
    // Doubling to 5 minutes at most.
    cluster.runtime.advance(3_600_000);
    expect(String(state(containerOf(cluster, 'crash')).waiting?.message)).toMatch(/^back-off 5m0s /);
  });

  it('restarts a container that exits with 0 under restartPolicy Always (Completed, then CrashLoopBackOff)', () => {
    const cluster = kubeletCluster(catalog());
    createPod(cluster, 'done', { containers: [bb('web')] });
    cluster.runtime.settle();
    expect(lastTerminated(containerOf(cluster, 'done'))).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(summary(cluster, 'done').status).toBe('CrashLoopBackOff');
  });

  it('resets the back-off after 10 minutes of running', () => {
    const cluster = kubeletCluster(catalog());
    createPod(cluster, 'long', { containers: [bb('web', 'sleep 660', '&& exit 1')] });
    // Advancing 23 minutes, then settling (up to 15 more): exits at 11, 22 and 33 minutes, each time
    // restarted at once since it ran longer than 10 minutes, never backing off.
    cluster.runtime.advance(1_400_000);
    const web = containerOf(cluster, 'long');
    expect(web.restartCount).toBe(3);
    expect(state(web).running).toEqual({ startedAt: '2025-03-01T12:33:00Z' });
  });

  it('completes a pod under restartPolicy Never (Succeeded) or fails it (Failed)', () => {
    const cluster = kubeletCluster(catalog());
    createPod(cluster, 'ok', { restartPolicy: 'Never', containers: [bb('main', 'sleep 2')] });
    createPod(cluster, 'ko', { restartPolicy: 'Never', containers: [bb('main', 'sleep 2', '&& exit 3')] });
    cluster.runtime.settle();
    expect(elapsed(cluster)).toBe(2);
    expect(statusOf(cluster, 'ok').phase).toBe('Succeeded');
    expect(summary(cluster, 'ok')).toEqual({ ready: '0/1', status: 'Completed', restarts: '0' });
    expect(condition(cluster, 'ok', 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    expect(condition(cluster, 'ok', 'PodReadyToStartContainers')).toMatchObject({ status: 'False' });
    expect(statusOf(cluster, 'ko').phase).toBe('Failed');
    expect(summary(cluster, 'ko').status).toBe('Error');
    expect(state(containerOf(cluster, 'ko', 'main')).terminated).toMatchObject({
      exitCode: 3,
      reason: 'Error',
    });
    expect(condition(cluster, 'ko', 'Ready')).toMatchObject({ status: 'False', reason: 'PodFailed' });
  });

  it('retries under restartPolicy OnFailure by itself (settle plays the back-offs) and succeeds on exit 0', () => {
    const cluster = kubeletCluster(catalog());
    createPod(cluster, 'flaky', {
      restartPolicy: 'OnFailure',
      containers: [bb('main', 'sleep 1', '&& exit 1')],
    });
    createPod(cluster, 'fine', { restartPolicy: 'OnFailure', containers: [bb('main', 'sleep 1')] });
    const settled = cluster.runtime.settle();
    expect(statusOf(cluster, 'fine').phase).toBe('Succeeded');
    // 1 s runs; restarts at once, then after 10, 20, 40, 80, 160, 300 s: all within settle's 15 minutes.
    expect(Number(containerOf(cluster, 'flaky', 'main').restartCount)).toBeGreaterThanOrEqual(6);
    expect(statusOf(cluster, 'flaky').phase).toBe('Running');
    expect(settled.pending.wait).toBe(0);
  });

  it('reports a container that cannot start (StartError) and backs off', () => {
    const cluster = kubeletCluster(catalog());
    createPod(cluster, 'broken', {
      containers: [{ name: 'web', image: 'busybox:1.36', command: ['missing-binary'] }],
    });
    cluster.runtime.settle();
    const web = containerOf(cluster, 'broken');
    expect(lastTerminated(web)).toMatchObject({
      exitCode: 128,
      reason: 'StartError',
      startedAt: '1970-01-01T00:00:00Z',
    });
    expect(String(lastTerminated(web)?.message)).toContain('executable file not found in $PATH');
    expect(summary(cluster, 'broken').status).toBe('CrashLoopBackOff');
    const events = eventsOf(cluster, 'broken');
    expect(events).toContain('Created: Created container: web (x2)');
    expect(events.some((e) => e.startsWith('Failed: Error: failed to create containerd task'))).toBe(true);
    expect(events.some((e) => e.startsWith('Started'))).toBe(false);
  });
});

describe('kubelet: a changed container image', () => {
  it('kills the container and starts it again with the new image', () => {
    const cluster = kubeletCluster(
      fakeCatalog({
        'nginx:1.13.11': { process: { ports: [80] } },
        'nginx:1.15': { process: { ports: [80] } },
      }),
    );
    createPod(cluster, 'web');
    cluster.runtime.settle();
    const pod = getPod(cluster, 'web');
    const spec = pod.spec as { containers: Record<string, unknown>[] };
    cluster.api.update({
      ...pod,
      spec: { ...spec, containers: [{ ...spec.containers[0], image: 'nginx:1.15' }] },
    });
    cluster.runtime.settle();
    const web = containerOf(cluster, 'web');
    expect(web).toMatchObject({ image: 'docker.io/library/nginx:1.15', restartCount: 1, ready: true });
    expect(lastTerminated(web)).toMatchObject({ exitCode: 143, reason: 'Error' });
    expect(eventsOf(cluster, 'web')).toContain(
      'Killing: Container web definition changed, will be restarted',
    );
    expect(summary(cluster, 'web').status).toBe('Running');
  });
});

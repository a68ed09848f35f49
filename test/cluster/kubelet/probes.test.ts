import { describe, expect, it } from 'vitest';
import { fakeCatalog } from './fake-catalog.js';
import { condition, containerOf, createPod, elapsed, eventsOf, kubeletCluster, summary } from './helpers.js';

const routes = {
  '8080 /': { status: 200, body: 'ok' },
  '8080 /healthz': { status: 500, body: 'boom' },
  '8080 /slow': { status: 200, body: 'late', delayMs: 2000 },
  '8080 /redirect': { status: 302, body: '' },
};

const catalog = () =>
  fakeCatalog({
    'app:1': { process: { startupMs: 25_000, ports: [8080], routes } },
    'fast:1': {
      process: {
        ports: [8080],
        routes,
        commands: {
          'cat /tmp/healthy': {
            stdout: '',
            stderr: "cat: can't open '/tmp/healthy': No such file or directory\n",
            exitCode: 1,
          },
        },
      },
    },
    'stubborn:1': { process: { ports: [8080], routes, ignoresSigterm: true } },
  });

const probe = (path: string, extra: Record<string, unknown> = {}) => ({
  httpGet: { path, port: 8080 },
  periodSeconds: 10,
  ...extra,
});

describe('kubelet: probes (§6.23)', () => {
  it('turns ready at the first successful readiness probe once the app is up, reporting the refusals', () => {
    const cluster = kubeletCluster(catalog());
    createPod(cluster, 'web', { containers: [{ name: 'web', image: 'app:1', readinessProbe: probe('/') }] });
    cluster.runtime.settle({ horizonMs: 0 });
    expect(summary(cluster, 'web')).toEqual({ ready: '0/1', status: 'Running', restarts: '0' });
    expect(containerOf(cluster, 'web')).toMatchObject({ started: true, ready: false });
    const settled = cluster.runtime.settle();
    // Probes at 0, 10 and 20 s are refused (the app answers from 25 s); the one at 30 s succeeds.
    expect(elapsed(cluster)).toBe(30);
    expect(settled.pending).toEqual({ ready: 0, progress: 0, wait: 0 });
    expect(summary(cluster, 'web').ready).toBe('1/1');
    expect(condition(cluster, 'web', 'Ready')).toMatchObject({
      status: 'True',
      lastTransitionTime: '2025-03-01T12:00:30Z',
    });
    expect(eventsOf(cluster, 'web').filter((e) => e.startsWith('Unhealthy'))).toEqual([
      'Unhealthy: Readiness probe failed: Get "http://10.244.1.2:8080/": dial tcp 10.244.1.2:8080: connect: connection refused (x3)',
    ]);
  });

  it('counts 2xx and 3xx answers as success and honours initialDelaySeconds and successThreshold', () => {
    const cluster = kubeletCluster(catalog());
    createPod(cluster, 'web', {
      containers: [
        {
          name: 'web',
          image: 'fast:1',
          readinessProbe: probe('/redirect', { initialDelaySeconds: 5, successThreshold: 2 }),
        },
      ],
    });
    cluster.runtime.settle();
    expect(elapsed(cluster)).toBe(15);
    expect(summary(cluster, 'web').ready).toBe('1/1');
  });

  it('keeps a pod unready when its readiness probe keeps failing, reporting failureThreshold failures, then quiet', () => {
    const cluster = kubeletCluster(catalog());
    createPod(cluster, 'sick', {
      containers: [{ name: 'web', image: 'fast:1', readinessProbe: probe('/healthz') }],
    });
    createPod(cluster, 'slow', {
      containers: [{ name: 'web', image: 'fast:1', readinessProbe: probe('/slow') }],
    });
    const settled = cluster.runtime.settle();
    expect(settled.pending).toEqual({ ready: 0, progress: 0, wait: 0 });
    expect(summary(cluster, 'sick')).toEqual({ ready: '0/1', status: 'Running', restarts: '0' });
    expect(condition(cluster, 'sick', 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [web]',
    });
    expect(eventsOf(cluster, 'sick').filter((e) => e.startsWith('Unhealthy'))).toEqual([
      'Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 500 (x3)',
    ]);
    expect(eventsOf(cluster, 'slow').filter((e) => e.startsWith('Unhealthy'))).toEqual([
      'Unhealthy: Readiness probe failed: Get "http://10.244.1.3:8080/slow": context deadline exceeded (Client.Timeout exceeded while awaiting headers) (x3)',
    ]);
  });

  it('kills and restarts a container whose liveness probe fails failureThreshold times', () => {
    const cluster = kubeletCluster(catalog());
    createPod(cluster, 'web', {
      containers: [{ name: 'web', image: 'fast:1', livenessProbe: probe('/healthz', { periodSeconds: 5 }) }],
    });
    cluster.runtime.settle();
    // Failures at 0, 5, 10 s: killed at 10 s and restarted at once; again at 20 s: back-off.
    expect(elapsed(cluster)).toBe(20);
    const web = containerOf(cluster, 'web');
    expect(web.restartCount).toBe(1);
    expect(web.lastState).toMatchObject({
      terminated: {
        exitCode: 143,
        reason: 'Error',
        startedAt: '2025-03-01T12:00:10Z',
        finishedAt: '2025-03-01T12:00:20Z',
      },
    });
    expect(summary(cluster, 'web').status).toBe('CrashLoopBackOff');
    const events = eventsOf(cluster, 'web');
    expect(events).toContain('Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500 (x6)');
    expect(events).toContain('Killing: Container web failed liveness probe, will be restarted (x2)');
  });

  it('lets a process that ignores SIGTERM run until the grace period ends after a liveness kill (exit 137)', () => {
    const cluster = kubeletCluster(catalog());
    createPod(cluster, 'web', {
      terminationGracePeriodSeconds: 20,
      containers: [
        { name: 'web', image: 'stubborn:1', livenessProbe: probe('/healthz', { periodSeconds: 5 }) },
      ],
    });
    // Killed at 10 s, the process goes only at 30 s.
    cluster.runtime.settle({ horizonMs: 29_000 });
    expect(elapsed(cluster)).toBe(10);
    expect(containerOf(cluster, 'web')).toMatchObject({ restartCount: 0, state: { running: {} } });
    cluster.runtime.settle();
    // Restarted at once at 30 s, killed again at 40 s, gone at 60 s: then it backs off.
    expect(elapsed(cluster)).toBe(60);
    expect(containerOf(cluster, 'web')).toMatchObject({
      restartCount: 1,
      lastState: { terminated: { exitCode: 137, reason: 'Error', finishedAt: '2025-03-01T12:01:00Z' } },
    });
  });

  it('gates readiness and liveness behind the startup probe', () => {
    const cluster = kubeletCluster(catalog());
    createPod(cluster, 'web', {
      containers: [
        {
          name: 'web',
          image: 'app:1',
          startupProbe: { tcpSocket: { port: 8080 }, periodSeconds: 10, failureThreshold: 30 },
          readinessProbe: probe('/'),
          livenessProbe: probe('/', { periodSeconds: 3 }),
        },
      ],
    });
    cluster.runtime.settle({ horizonMs: 20_000 });
    expect(containerOf(cluster, 'web')).toMatchObject({ started: false, ready: false, restartCount: 0 });
    cluster.runtime.settle();
    expect(containerOf(cluster, 'web')).toMatchObject({ started: true, ready: true, restartCount: 0 });
    expect(eventsOf(cluster, 'web').filter((e) => e.startsWith('Unhealthy'))).toEqual([
      'Unhealthy: Startup probe failed: dial tcp 10.244.1.2:8080: connect: connection refused (x3)',
    ]);
  });

  it('runs exec probes in the container (their output is the failure message)', () => {
    const cluster = kubeletCluster(catalog());
    createPod(cluster, 'web', {
      containers: [
        {
          name: 'web',
          image: 'fast:1',
          livenessProbe: {
            exec: { command: ['cat', '/tmp/healthy'] },
            periodSeconds: 5,
            failureThreshold: 1,
          },
        },
      ],
    });
    cluster.runtime.settle({ horizonMs: 0 });
    // Killed at its first probe, restarted at once, killed again.
    expect(eventsOf(cluster, 'web')).toContain(
      "Unhealthy: Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory (x2)",
    );
    expect(containerOf(cluster, 'web').restartCount).toBe(1);
  });
});

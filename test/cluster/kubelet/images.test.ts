import { describe, expect, it } from 'vitest';
import { fakeCatalog } from './fake-catalog.js';
import {
  containerOf,
  createPod,
  elapsed,
  eventsOf,
  kubeletCluster,
  passWallTime,
  statusOf,
  summary,
} from './helpers.js';

const catalog = () =>
  fakeCatalog({
    'nginx:1.13.11': { pullMs: 2500, sizeBytes: 6917475, process: { ports: [80] } },
    'nginx:latest': { pullMs: 3000, sizeBytes: 7000000, process: { ports: [80] } },
    'redis:5.0.0': { pullMs: 4000, sizeBytes: 30000000, process: { ports: [6379] } },
  });

const waitingOf = (c: Record<string, unknown>) =>
  (c.state as { waiting?: { reason: string; message?: string } }).waiting;

describe('kubelet: images', () => {
  it('pulls an image the node lacks, reports it in node.status.images, and finds it there next time', () => {
    const cluster = kubeletCluster(catalog());
    createPod(cluster, 'first');
    cluster.runtime.settle();
    expect(eventsOf(cluster, 'first')).toEqual([
      'Pulling: Pulling image "nginx:1.13.11"',
      'Pulled: Successfully pulled image "nginx:1.13.11" in 2.5s (2.5s including waiting). Image size: 6917475 bytes.',
      'Created: Created container: web',
      'Started: Started container web',
    ]);
    const images = (
      cluster.api.get('nodes', '', 'node2').status as { images: { names: string[]; sizeBytes: number }[] }
    ).images;
    const nginx = images.find((i) => i.names.includes('docker.io/library/nginx:1.13.11'));
    expect(nginx?.sizeBytes).toBe(6917475);
    expect(nginx?.names[0]).toMatch(/^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    // Another node still has to pull it.
    createPod(cluster, 'elsewhere', {}, { node: 'node3' });
    createPod(cluster, 'second');
    cluster.runtime.settle();
    expect(eventsOf(cluster, 'second')[0]).toBe(
      'Pulled: Container image "nginx:1.13.11" already present on machine',
    );
    expect(eventsOf(cluster, 'elsewhere')[0]).toBe('Pulling: Pulling image "nginx:1.13.11"');
  });

  it('shares one pull between the pods of a node that need the same image', () => {
    const cluster = kubeletCluster(catalog());
    createPod(cluster, 'a');
    cluster.runtime.settle({ horizonMs: 1000 });
    expect(elapsed(cluster)).toBe(0);
    passWallTime(1000);
    createPod(cluster, 'b');
    cluster.runtime.settle();
    expect(elapsed(cluster)).toBe(2.5);
    expect(eventsOf(cluster, 'b')[1]).toBe(
      'Pulled: Successfully pulled image "nginx:1.13.11" in 1.5s (1.5s including waiting). Image size: 6917475 bytes.',
    );
    expect(summary(cluster, 'a').status).toBe('Running');
    expect(summary(cluster, 'b').status).toBe('Running');
  });

  it('pulls the containers of a pod one after the other', () => {
    const cluster = kubeletCluster(catalog());
    createPod(cluster, 'two', {
      containers: [
        { name: 'web', image: 'nginx:1.13.11' },
        { name: 'cache', image: 'redis:5.0.0' },
      ],
    });
    cluster.runtime.settle({ horizonMs: 3000 });
    expect(elapsed(cluster)).toBe(2.5);
    expect(summary(cluster, 'two')).toEqual({ ready: '1/2', status: 'ContainerCreating', restarts: '0' });
    cluster.runtime.settle();
    expect(elapsed(cluster)).toBe(6.5);
    expect(summary(cluster, 'two')).toEqual({ ready: '2/2', status: 'Running', restarts: '0' });
    // Container statuses are listed by name, as the kubelet sorts them.
    expect(
      ((statusOf(cluster, 'two').containerStatuses ?? []) as { name: string }[]).map((c) => c.name),
    ).toEqual(['cache', 'web']);
  });

  it('fails a missing tag with ErrImagePull, then ImagePullBackOff, retrying with a doubling back-off', () => {
    const cat = catalog();
    const cluster = kubeletCluster(cat);
    createPod(cluster, 'worker', { containers: [{ name: 'worker', image: 'dockercoins/worker:v0.3' }] });
    const settled = cluster.runtime.settle();
    // The retry is a wait: settle leaves the pod stuck.
    expect(elapsed(cluster)).toBe(0);
    expect(settled.pending.wait).toBeGreaterThan(0);
    const missing =
      'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/dockercoins/worker:v0.3": failed to resolve reference "docker.io/dockercoins/worker:v0.3": docker.io/dockercoins/worker:v0.3: not found';
    expect(waitingOf(containerOf(cluster, 'worker', 'worker'))).toEqual({
      reason: 'ErrImagePull',
      message: missing,
    });
    expect(summary(cluster, 'worker').status).toBe('ErrImagePull');
    expect(eventsOf(cluster, 'worker')).toEqual([
      'Pulling: Pulling image "dockercoins/worker:v0.3"',
      `Failed: Failed to pull image "dockercoins/worker:v0.3": ${missing}`,
      'Failed: Error: ErrImagePull',
    ]);
    // 10 s: the first retry fails again (back-off now 20 s).
    cluster.runtime.advance(10_000);
    expect(elapsed(cluster)).toBe(20);
    // …and 10 s later the next sync finds it backing off.
    expect(summary(cluster, 'worker').status).toBe('ImagePullBackOff');
    expect(waitingOf(containerOf(cluster, 'worker', 'worker'))).toEqual({
      reason: 'ImagePullBackOff',
      message: 'Back-off pulling image "dockercoins/worker:v0.3"',
    });
    expect(eventsOf(cluster, 'worker')).toEqual([
      'Pulling: Pulling image "dockercoins/worker:v0.3" (x2)',
      `Failed: Failed to pull image "dockercoins/worker:v0.3": ${missing} (x2)`,
      'Failed: Error: ErrImagePull (x2)',
      'BackOff: Back-off pulling image "dockercoins/worker:v0.3"',
      'Failed: Error: ImagePullBackOff',
    ]);
    // Retry at 30 s (10 + 20), then 40 s later at 70 s.
    cluster.runtime.advance(9_000);
    expect(summary(cluster, 'worker').status).toBe('ImagePullBackOff');
    cluster.runtime.advance(1_000);
    expect(elapsed(cluster)).toBe(40);
    expect(summary(cluster, 'worker').status).toBe('ImagePullBackOff');
    expect(eventsOf(cluster, 'worker')[0]).toBe('Pulling: Pulling image "dockercoins/worker:v0.3" (x3)');
    cluster.runtime.advance(29_000);
    expect(eventsOf(cluster, 'worker')[0]).toBe('Pulling: Pulling image "dockercoins/worker:v0.3" (x3)');
    cluster.runtime.advance(1_000);
    expect(eventsOf(cluster, 'worker')[0]).toBe('Pulling: Pulling image "dockercoins/worker:v0.3" (x4)');
    // Once the image is pushed, the next retry finds it.
    cat.push('dockercoins/worker:v0.3', { pullMs: 500, process: {} });
    cluster.runtime.advance(300_000);
    expect(summary(cluster, 'worker')).toEqual({ ready: '1/1', status: 'Running', restarts: '0' });
    expect(eventsOf(cluster, 'worker')).toContain(
      'Pulled: Successfully pulled image "dockercoins/worker:v0.3" in 500ms (500ms including waiting). Image size: 1000000 bytes.',
    );
  });

  it('never retries an invalid image name', () => {
    const cluster = kubeletCluster(catalog());
    createPod(cluster, 'bad', { containers: [{ name: 'web', image: 'nginx::1' }] });
    cluster.runtime.settle();
    const result = cluster.runtime.advance(600_000);
    expect(result.pending).toEqual({ ready: 0, progress: 0, wait: 0 });
    const waiting = waitingOf(containerOf(cluster, 'bad'));
    expect(waiting?.reason).toBe('InvalidImageName');
    expect(waiting?.message).toBe(
      'Failed to apply default image tag "nginx::1": couldn\'t parse image name "nginx::1": invalid reference format',
    );
    expect(summary(cluster, 'bad').status).toBe('InvalidImageName');
    expect(eventsOf(cluster, 'bad')).toEqual([
      `InspectFailed: ${waiting?.message}`,
      'Failed: Error: InvalidImageName',
    ]);
  });

  it('refuses to pull with imagePullPolicy Never (ErrImageNeverPull), and starts once the node has the image', () => {
    const cluster = kubeletCluster(catalog());
    createPod(cluster, 'never', {
      containers: [{ name: 'web', image: 'nginx:1.13.11', imagePullPolicy: 'Never' }],
    });
    cluster.runtime.settle();
    expect(waitingOf(containerOf(cluster, 'never'))).toEqual({
      reason: 'ErrImageNeverPull',
      message: 'Container image "nginx:1.13.11" is not present with pull policy of Never',
    });
    expect(eventsOf(cluster, 'never')).toEqual([
      'ErrImageNeverPull: Container image "nginx:1.13.11" is not present with pull policy of Never',
      'Failed: Error: ErrImageNeverPull',
    ]);
    createPod(cluster, 'puller');
    cluster.runtime.settle();
    expect(summary(cluster, 'never').status).toBe('Running');
  });

  it('with imagePullPolicy Always asks the registry even when the node has the image', () => {
    const cluster = kubeletCluster(catalog());
    createPod(cluster, 'a', { containers: [{ name: 'web', image: 'nginx' }] });
    cluster.runtime.settle();
    expect(eventsOf(cluster, 'a')[1]).toBe(
      'Pulled: Successfully pulled image "nginx" in 3s (3s including waiting). Image size: 7000000 bytes.',
    );
    const start = cluster.now().getTime();
    createPod(cluster, 'b', { containers: [{ name: 'web', image: 'nginx' }] });
    cluster.runtime.settle();
    // The image is there: the check is quick, and the pod starts at once.
    expect(cluster.now().getTime()).toBe(start);
    const events = eventsOf(cluster, 'b');
    expect(events[0]).toBe('Pulling: Pulling image "nginx"');
    expect(events[1]).toMatch(
      /^Pulled: Successfully pulled image "nginx" in (\d{3})ms \(\1ms including waiting\)\. Image size: 7000000 bytes\.$/,
    );
    expect(summary(cluster, 'b').status).toBe('Running');
  });
});

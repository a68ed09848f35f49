import { describe, expect, it } from 'vitest';
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

const nginxOnNode = () =>
  fakeCatalog({ 'nginx:1.13.11': { pullMs: 2500, sizeBytes: 6917475, process: { ports: [80] } } });

describe('kubelet: pod lifecycle', () => {
  it('a pod whose image the node has goes from bound to Running and Ready in one status write', () => {
    const catalog = nginxOnNode();
    const cluster = kubeletCluster(catalog);
    createPod(cluster, 'warm');
    cluster.runtime.settle();
    // The first pod pulled the image onto node2.
    const created = createPod(cluster, 'web');
    const rv = Number((created.metadata as { resourceVersion: string }).resourceVersion);
    cluster.runtime.settle();
    const pod = getPod(cluster, 'web');
    // One write after the create: the kubelet's status.
    expect(Number((pod.metadata as { resourceVersion: string }).resourceVersion)).toBeGreaterThan(rv);
    const history = cluster.store
      .eventsSince(rv)
      .filter((e) => e.key.resource === 'pods' && e.key.name === 'web');
    expect(history.map((e) => e.type)).toEqual(['MODIFIED']);
    const status = statusOf(cluster, 'web');
    expect(status.phase).toBe('Running');
    expect(summary(cluster, 'web')).toEqual({ ready: '1/1', status: 'Running', restarts: '0' });
    expect(eventsOf(cluster, 'web')).toEqual([
      'Pulled: Container image "nginx:1.13.11" already present on machine',
      'Created: Created container: web',
      'Started: Started container web',
    ]);
  });

  it('fills IPs, start time, QoS class and the conditions kubectl reads', () => {
    const cluster = kubeletCluster(nginxOnNode());
    createPod(cluster, 'web', {
      containers: [
        { name: 'web', image: 'nginx:1.13.11', resources: { limits: { cpu: '100m', memory: '64Mi' } } },
      ],
    });
    cluster.runtime.settle();
    const status = statusOf(cluster, 'web');
    expect(status.hostIP).toBe('10.0.0.12');
    expect(status.hostIPs).toEqual([{ ip: '10.0.0.12' }]);
    // node2 owns 10.244.1.0/24; host-local IPAM starts at .2.
    expect(status.podIP).toBe('10.244.1.2');
    expect(status.podIPs).toEqual([{ ip: '10.244.1.2' }]);
    expect(status.startTime).toBe('2025-03-01T12:00:00Z');
    expect(status.qosClass).toBe('Guaranteed');
    const types = ((status.conditions ?? []) as { type: string; status: string }[]).map(
      (c) => `${c.type}=${c.status}`,
    );
    expect(types).toEqual([
      'PodReadyToStartContainers=True',
      'Initialized=True',
      'Ready=True',
      'ContainersReady=True',
      'PodScheduled=True',
    ]);
    const web = containerOf(cluster, 'web');
    expect(web.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
    expect(web.image).toBe('docker.io/library/nginx:1.13.11');
    expect(web.imageID).toMatch(/^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    expect(web).toMatchObject({ ready: true, started: true, restartCount: 0, lastState: {} });
    expect((web.state as { running: { startedAt: string } }).running.startedAt).toBe('2025-03-01T12:00:02Z');
  });

  it('computes the QoS class: BestEffort without requests, Burstable with some', () => {
    const cluster = kubeletCluster(nginxOnNode());
    createPod(cluster, 'best');
    createPod(cluster, 'burst', {
      containers: [{ name: 'web', image: 'nginx:1.13.11', resources: { requests: { cpu: '100m' } } }],
    });
    cluster.runtime.settle();
    expect(statusOf(cluster, 'best').qosClass).toBe('BestEffort');
    expect(statusOf(cluster, 'burst').qosClass).toBe('Burstable');
  });

  it('hands out pod IPs per node, next free after the last, skipping live pods, not reusing at once', () => {
    const cluster = kubeletCluster(nginxOnNode());
    createPod(cluster, 'a');
    createPod(cluster, 'b');
    createPod(cluster, 'c', {}, { node: 'node3' });
    cluster.runtime.settle();
    expect(statusOf(cluster, 'a').podIP).toBe('10.244.1.2');
    expect(statusOf(cluster, 'b').podIP).toBe('10.244.1.3');
    expect(statusOf(cluster, 'c').podIP).toBe('10.244.2.2');
    cluster.api.delete('pods', 'default', 'a', { gracePeriodSeconds: 0 });
    createPod(cluster, 'd');
    cluster.runtime.settle();
    // host-local goes on after the last address it gave (.3), it does not take .2 back at once.
    expect(statusOf(cluster, 'd').podIP).toBe('10.244.1.4');
  });

  it('gives host-network pods the node IP', () => {
    const cluster = kubeletCluster(nginxOnNode());
    createPod(cluster, 'host', { hostNetwork: true });
    cluster.runtime.settle();
    expect(statusOf(cluster, 'host').podIP).toBe('10.0.0.12');
  });

  it('skips the addresses the bootstrap pods hold on node1', () => {
    const cluster = kubeletCluster(nginxOnNode());
    const used = new Set(
      cluster.api
        .list('pods', { namespace: 'kube-system' })
        .items.map((p) => String((p.status as { podIP?: string }).podIP))
        .filter((ip) => ip.startsWith('10.244.0.')),
    );
    expect(used.size).toBeGreaterThan(0);
    createPod(cluster, 'cp', { tolerations: [{ operator: 'Exists' }] }, { node: 'node1' });
    cluster.runtime.settle();
    const ip = String(statusOf(cluster, 'cp').podIP);
    expect(ip).toMatch(/^10\.244\.0\.\d+$/);
    expect(used.has(ip)).toBe(false);
  });

  it('leaves the bootstrap pods (already Running) untouched', () => {
    const catalog = nginxOnNode();
    const cluster = kubeletCluster(catalog);
    const before = cluster.store.currentRevision();
    cluster.runtime.settle();
    const pods = cluster.api.list('pods', { namespace: 'kube-system' }).items;
    expect(pods.length).toBeGreaterThan(0);
    for (const p of pods) {
      expect(Number((p.metadata as { resourceVersion: string }).resourceVersion)).toBeLessThanOrEqual(before);
    }
    expect(cluster.runtime.errors).toEqual([]);
  });

  it('ignores pods that are not bound, and pods bound to a node that does not exist', () => {
    const cluster = kubeletCluster(nginxOnNode());
    cluster.api.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'unbound', namespace: 'default' },
      spec: { containers: [{ name: 'web', image: 'nginx:1.13.11' }] },
    });
    createPod(cluster, 'lost', {}, { node: 'node9' });
    cluster.runtime.settle();
    expect(statusOf(cluster, 'unbound')).toEqual({ phase: 'Pending' });
    expect(statusOf(cluster, 'lost')).toEqual({ phase: 'Pending' });
    expect(eventsOf(cluster, 'lost')).toEqual([]);
  });

  it('runs the same scenario to the same IPs and container ids', () => {
    const run = () => {
      const cluster = kubeletCluster(nginxOnNode());
      createPod(cluster, 'a');
      createPod(cluster, 'b', {}, { node: 'node3' });
      cluster.runtime.settle();
      return ['a', 'b'].map((n) => [statusOf(cluster, n).podIP, containerOf(cluster, n).containerID]);
    };
    const first = run();
    expect(run()).toEqual(first);
    expect(new Set(first.map((r) => r[1])).size).toBe(2);
  });

  it('keeps the pod Pending with ContainerCreating while the image is pulled', () => {
    const cluster = kubeletCluster(nginxOnNode());
    createPod(cluster, 'web');
    cluster.runtime.settle({ horizonMs: 1000 });
    expect(statusOf(cluster, 'web').phase).toBe('Pending');
    expect(summary(cluster, 'web')).toEqual({ ready: '0/1', status: 'ContainerCreating', restarts: '0' });
    expect(condition(cluster, 'web', 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [web]',
    });
    expect(condition(cluster, 'web', 'PodReadyToStartContainers')?.status).toBe('True');
    cluster.runtime.settle();
    expect(elapsed(cluster)).toBe(2.5);
    expect(summary(cluster, 'web').status).toBe('Running');
    expect(condition(cluster, 'web', 'Ready')).toMatchObject({
      status: 'True',
      lastTransitionTime: '2025-03-01T12:00:02Z',
    });
  });
});

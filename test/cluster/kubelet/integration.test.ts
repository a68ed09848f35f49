import { afterEach, describe, expect, it } from 'vitest';
import { type Cluster, openCluster } from '../../../src/cluster/cluster.js';
import { kubeletController } from '../../../src/cluster/kubelet/index.js';
import { podSummary } from '../../../src/cluster/printing/index.js';

const clusters: Cluster[] = [];
afterEach(() => {
  for (const c of clusters.splice(0)) c.close();
});

/** A cluster running only the kubelet, with the cluster's own image catalog and network. */
function open(): Cluster {
  const cluster = openCluster({
    wallClock: () => new Date('2025-03-01T12:00:00Z'),
    controllers: () => [kubeletController],
  });
  clusters.push(cluster);
  return cluster;
}

const pod = (cluster: Cluster, name: string, container: Record<string, unknown>) =>
  cluster.api.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { nodeName: 'node2', containers: [{ name: 'main', ...container }] },
  });

const status = (cluster: Cluster, name: string) =>
  podSummary(cluster.api.get('pods', 'default', name), cluster.now().getTime()).status;

describe('kubelet with the cluster image catalog', () => {
  it('leaves every bootstrap pod as it is', () => {
    const cluster = open();
    const revision = cluster.store.currentRevision();
    cluster.runtime.settle();
    expect(cluster.store.eventsSince(revision)).toEqual([]);
    expect(cluster.runtime.errors).toEqual([]);
  });

  it('runs the training images as the catalog describes them', () => {
    const cluster = open();
    pod(cluster, 'web', { image: 'nginx:1.13.11' });
    pod(cluster, 'worker', { image: 'dockercoins/worker:v0.3' });
    pod(cluster, 'shell', { image: 'busybox' });
    pod(cluster, 'pinger', { image: 'alpine', command: ['sleep', '3600'] });
    cluster.runtime.settle();
    expect(status(cluster, 'web')).toBe('Running');
    expect(status(cluster, 'worker')).toBe('ErrImagePull');
    expect(status(cluster, 'shell')).toBe('CrashLoopBackOff');
    expect(status(cluster, 'pinger')).toBe('Running');
    const failed = cluster.api
      .list('events', { namespace: 'default', fieldSelector: 'involvedObject.name=worker,reason=Failed' })
      .items.map((e) => String(e.message));
    expect(failed).toContain(
      'Failed to pull image "dockercoins/worker:v0.3": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/dockercoins/worker:v0.3": failed to resolve reference "docker.io/dockercoins/worker:v0.3": docker.io/dockercoins/worker:v0.3: not found',
    );
    expect(cluster.kubelet.exec('default', 'pinger', ['cat', '/etc/resolv.conf'], {}).stdout).toContain(
      'nameserver 10.96.0.10',
    );
    expect(cluster.runtime.errors).toEqual([]);
  });
});

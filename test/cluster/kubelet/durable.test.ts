import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Cluster, openCluster } from '../../../src/cluster/cluster.js';
import { kubeletController } from '../../../src/cluster/kubelet/index.js';
import { type FakeCatalog, fakeCatalog } from './fake-catalog.js';
import { createPod, eventsOf, statusOf, summary, T0 } from './helpers.js';

const homes: string[] = [];
const clusters: Cluster[] = [];
afterEach(() => {
  for (const c of clusters.splice(0)) c.close();
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});

/** Opens the cluster under `home` as one command would (a new process: empty caches). */
function command(home: string, catalog: FakeCatalog): Cluster {
  const cluster = openCluster({
    home,
    wallClock: () => new Date(T0),
    controllers: () => [() => kubeletController({ catalog: () => catalog })],
  });
  clusters.push(cluster);
  return cluster;
}

function close(cluster: Cluster): void {
  clusters.splice(clusters.indexOf(cluster), 1);
  cluster.close();
}

describe('kubelet: state kept across commands (SQLite cluster)', () => {
  it('finishes a pull, a back-off and a wait for a ConfigMap begun by an earlier command', () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'bosun-kubelet-'));
    homes.push(home);
    const catalog = fakeCatalog({ 'nginx:1.13.11': { pullMs: 5000, sizeBytes: 42 } });
    let cluster = command(home, catalog);
    createPod(cluster, 'pulling');
    createPod(cluster, 'missing', { containers: [{ name: 'web', image: 'app:2' }] });
    createPod(cluster, 'config', {
      containers: [{ name: 'web', image: 'nginx:1.13.11', envFrom: [{ configMapRef: { name: 'cfg' } }] }],
    });
    cluster.runtime.settle({ horizonMs: 0 });
    expect(summary(cluster, 'pulling').status).toBe('ContainerCreating');
    expect(summary(cluster, 'missing').status).toBe('ErrImagePull');
    close(cluster);

    cluster = command(home, catalog);
    cluster.runtime.settle();
    expect(summary(cluster, 'pulling').status).toBe('Running');
    expect(eventsOf(cluster, 'pulling')).toContain(
      'Pulled: Successfully pulled image "nginx:1.13.11" in 5s (5s including waiting). Image size: 42 bytes.',
    );
    expect(summary(cluster, 'config').status).toBe('CreateContainerConfigError');
    close(cluster);

    cluster = command(home, catalog);
    cluster.api.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg', namespace: 'default' },
    });
    catalog.push('app:2', {});
    cluster.runtime.advance(10_000);
    expect(summary(cluster, 'config').status).toBe('Running');
    expect(summary(cluster, 'missing').status).toBe('Running');
    // Addresses go on from the last one handed out (the first command met the pods in name order).
    createPod(cluster, 'later');
    cluster.runtime.settle();
    const ips = ['config', 'missing', 'pulling', 'later'].map((n) => statusOf(cluster, n).podIP);
    expect(ips).toEqual(['10.244.1.2', '10.244.1.3', '10.244.1.4', '10.244.1.5']);
  });
});

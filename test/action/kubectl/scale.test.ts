/** ScaleAction over a cluster running the deployment and replicaset controllers (and a stand-in kubelet). */

import { afterEach, describe, expect, it } from 'vitest';
import { ScaleAction } from '../../../src/action/kubectl/index.js';
import type { Cluster } from '../../../src/cluster/cluster.js';
import { InProcessKubeClient, type KubeClient } from '../../../src/kube/index.js';
import { deployment, pods, replicaSet, workloadCluster } from '../../cluster/controllers/deployment-fakes.js';

type Json = Record<string, unknown>;

const clusters: Cluster[] = [];
afterEach(() => {
  for (const c of clusters.splice(0)) c.close();
});

function open(): { cluster: Cluster; client: KubeClient } {
  const cluster = workloadCluster();
  clusters.push(cluster);
  cluster.runtime.settle();
  cluster.api.create(deployment('web', 2, 'nginx:1.27'));
  cluster.runtime.settle();
  return { cluster, client: new InProcessKubeClient(cluster) };
}

const scale = (
  client: KubeClient,
  args: string[],
  options: Partial<ConstructorParameters<typeof ScaleAction>[0]>,
) => new ScaleAction({ client, replicas: undefined, ...options }).run(args);
const replicas = async (client: KubeClient, resource: string, name: string) =>
  ((await client.get(resource, 'default', name)).spec as Json).replicas;

describe('ScaleAction (kubectl scale)', () => {
  it('scales a Deployment by TYPE/NAME and TYPE NAME; the controllers follow', async () => {
    const { cluster, client } = open();
    expect(await scale(client, ['deploy/web'], { replicas: 4 })).toEqual({
      lines: ['deployment.apps/web scaled'],
      errors: [],
    });
    cluster.runtime.settle();
    expect(pods(cluster)).toHaveLength(4);
    expect(await scale(client, ['deployment', 'web'], { replicas: 1 })).toEqual({
      lines: ['deployment.apps/web scaled'],
      errors: [],
    });
    cluster.runtime.settle();
    expect(pods(cluster)).toHaveLength(1);
  });

  it('scales a ReplicaSet, and a StatefulSet and ReplicationController spec', async () => {
    const { cluster, client } = open();
    cluster.api.create(replicaSet('front', 1));
    cluster.api.create({
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'legacy', namespace: 'default' },
      spec: {
        replicas: 1,
        selector: { app: 'legacy' },
        template: {
          metadata: { labels: { app: 'legacy' } },
          spec: { containers: [{ name: 'm', image: 'nginx' }] },
        },
      },
    });
    const result = await scale(client, ['rs/front', 'rc/legacy'], { replicas: 3 });
    expect(result).toEqual({
      lines: ['replicaset.apps/front scaled', 'replicationcontroller/legacy scaled'],
      errors: [],
    });
    cluster.runtime.settle();
    expect(pods(cluster, 'app=front')).toHaveLength(3);
    expect(await replicas(client, 'rc', 'legacy')).toBe(3);
  });

  it('checks --current-replicas and --resource-version before scaling', async () => {
    const { client } = open();
    const wrong = await scale(client, ['deploy/web'], { replicas: 5, currentReplicas: 3 });
    expect(wrong.errors.map((e) => e.message)).toEqual(['Expected replicas to be 3, was 2']);
    expect(await replicas(client, 'deploy', 'web')).toBe(2);
    const right = await scale(client, ['deploy/web'], { replicas: 5, currentReplicas: 2 });
    expect(right.lines).toEqual(['deployment.apps/web scaled']);
    const rv = await scale(client, ['deploy/web'], { replicas: 6, resourceVersion: '1' });
    expect(rv.errors[0]!.message).toMatch(/^Expected resource version to be 1, was \d+$/);
  });

  it('refuses a missing or negative count, kinds without a scale subresource and unknown objects', async () => {
    const { client } = open();
    const required = 'The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0';
    await expect(scale(client, ['deploy/web'], {})).rejects.toThrow(required);
    await expect(scale(client, ['deploy/web'], { replicas: -1 })).rejects.toThrow(required);
    const pod = String(
      ((await client.list('pods', { namespace: 'default' })).items[0]!.metadata as Json).name,
    );
    expect((await scale(client, [`pod/${pod}`], { replicas: 2 })).errors.map((e) => e.message)).toEqual([
      'the server could not find the requested resource',
    ]);
    expect((await scale(client, ['deploy/nope'], { replicas: 2 })).errors.map((e) => e.message)).toEqual([
      'deployments.apps "nope" not found',
    ]);
  });

  it('scales nothing on a client dry run', async () => {
    const { client } = open();
    expect((await scale(client, ['deploy/web'], { replicas: 9, dryRun: 'client' })).lines).toEqual([
      'deployment.apps/web scaled (dry run)',
    ]);
    expect(await replicas(client, 'deploy', 'web')).toBe(2);
  });
});

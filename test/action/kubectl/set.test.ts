/** SetImageAction and SetEnvAction over a cluster running the deployment and replicaset controllers. */

import { afterEach, describe, expect, it } from 'vitest';
import { SetEnvAction, SetImageAction } from '../../../src/action/kubectl/index.js';
import type { Cluster } from '../../../src/cluster/cluster.js';
import { InProcessKubeClient, type KubeClient } from '../../../src/kube/index.js';
import { deployment, replicaSets, workloadCluster } from '../../cluster/controllers/deployment-fakes.js';

type Json = Record<string, unknown>;

const clusters: Cluster[] = [];
afterEach(() => {
  for (const c of clusters.splice(0)) c.close();
});

function open(): { cluster: Cluster; client: KubeClient } {
  const cluster = workloadCluster();
  clusters.push(cluster);
  cluster.runtime.settle();
  const manifest = deployment('web', 2, 'nginx:1.27');
  const spec = ((manifest.spec as Json).template as Json).spec as Json;
  spec.containers = [
    {
      name: 'web',
      image: 'nginx:1.27',
      env: [
        { name: 'MODE', value: 'prod' },
        { name: 'DEBUG', value: '0' },
      ],
    },
    { name: 'sidecar', image: 'busybox:1.36' },
  ];
  cluster.api.create(manifest);
  cluster.runtime.settle();
  return { cluster, client: new InProcessKubeClient(cluster) };
}

const containers = async (client: KubeClient, name = 'web') =>
  ((((await client.get('deploy', 'default', name)).spec as Json).template as Json).spec as Json)
    .containers as Json[];

describe('SetImageAction (kubectl set image)', () => {
  it('updates the named containers and rolls out a new ReplicaSet', async () => {
    const { cluster, client } = open();
    const result = await new SetImageAction({ client }).run([
      'deploy/web',
      'web=nginx:1.28',
      'sidecar=busybox:1.37',
    ]);
    expect(result).toEqual({ lines: ['deployment.apps/web image updated'], errors: [] });
    expect((await containers(client)).map((c) => [c.name, c.image])).toEqual([
      ['web', 'nginx:1.28'],
      ['sidecar', 'busybox:1.37'],
    ]);
    cluster.runtime.settle();
    expect(replicaSets(cluster)).toHaveLength(2);
  });

  it('prints nothing when nothing changes, and names a missing container', async () => {
    const { client } = open();
    expect(await new SetImageAction({ client }).run(['deploy/web', 'web=nginx:1.27'])).toEqual({
      lines: [],
      errors: [],
    });
    const missing = await new SetImageAction({ client }).run(['deployment', 'web', 'x=nginx']);
    expect(missing.lines).toEqual([]);
    expect(missing.errors.map((e) => e.message)).toEqual(['error: unable to find container named "x"']);
  });

  it('sets every container with *, records the change-cause with --record', async () => {
    const { client } = open();
    const result = await new SetImageAction({
      client,
      changeCause: 'kubectl set image deploy/web *=nginx:1.29 --record',
    }).run(['deploy/web', '*=nginx:1.29']);
    expect(result.lines).toEqual(['deployment.apps/web image updated']);
    expect((await containers(client)).map((c) => c.image)).toEqual(['nginx:1.29', 'nginx:1.29']);
    const d = await client.get('deploy', 'default', 'web');
    expect(((d.metadata as Json).annotations as Json)['kubernetes.io/change-cause']).toBe(
      'kubectl set image deploy/web *=nginx:1.29 --record',
    );
  });

  it('refuses bad arguments and objects without a pod template', async () => {
    const { client } = open();
    const run = (args: string[]) => new SetImageAction({ client }).run(args);
    await expect(run(['deploy/web'])).rejects.toThrow('at least one image update is required');
    await expect(run(['web=nginx'])).rejects.toThrow(
      'one or more resources must be specified as <resource> <name> or <resource>/<name>',
    );
    await expect(run(['deploy/web', 'web=nginx', 'deploy/other'])).rejects.toThrow(
      'all resources must be specified before image changes: deploy/other',
    );
    const svc = await run(['svc/kubernetes', 'web=nginx']);
    expect(svc.errors.map((e) => e.message)).toEqual([
      'error: services/kubernetes the object is not a pod or does not have a pod template: *v1.Service',
    ]);
  });
});

describe('SetEnvAction (kubectl set env)', () => {
  it('sets and removes variables in the selected containers', async () => {
    const { client } = open();
    const set = await new SetEnvAction({ client, containers: 'web' }).run([
      'deploy/web',
      'MODE=dev',
      'NEW=1',
      'DEBUG-',
    ]);
    expect(set).toEqual({ lines: ['deployment.apps/web env updated'], errors: [], text: '', warnings: [] });
    const [web, sidecar] = await containers(client);
    expect(web!.env).toEqual([
      { name: 'MODE', value: 'dev' },
      { name: 'NEW', value: '1' },
    ]);
    expect(sidecar!.env).toBeUndefined();
  });

  it('lists the variables with --list', async () => {
    const { client } = open();
    const result = await new SetEnvAction({ client, list: true }).run(['deploy/web']);
    expect(result.text).toBe(
      '# Deployment web, container web\nMODE=prod\nDEBUG=0\n# Deployment web, container sidecar\n',
    );
    expect(result.lines).toEqual([]);
  });

  it('adds references to every key of a config map with --from and --prefix', async () => {
    const { cluster, client } = open();
    cluster.api.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'default' },
      data: { 'log.level': 'debug', color: 'blue' },
    });
    const result = await new SetEnvAction({
      client,
      from: 'configmap/settings',
      prefix: 'APP_',
      containers: 'web',
    }).run(['deploy/web']);
    expect(result.lines).toEqual(['deployment.apps/web env updated']);
    expect((await containers(client))[0]!.env).toEqual([
      { name: 'MODE', value: 'prod' },
      { name: 'DEBUG', value: '0' },
      { name: 'APP_COLOR', valueFrom: { configMapKeyRef: { name: 'settings', key: 'color' } } },
      { name: 'APP_LOG_LEVEL', valueFrom: { configMapKeyRef: { name: 'settings', key: 'log.level' } } },
    ]);
  });

  it('refuses --overwrite=false changes, conflicting and invalid variables, and warns about unmatched containers', async () => {
    const { client } = open();
    const keep = await new SetEnvAction({ client, overwrite: false }).run(['deploy/web', 'MODE=dev']);
    expect(keep.errors.map((e) => e.message)).toEqual([
      "error: apps/v1, Resource=deployments/web 'MODE' already has a value (prod), and --overwrite is false",
    ]);
    await expect(new SetEnvAction({ client }).run(['deploy/web', 'A=1', 'A-'])).rejects.toThrow(
      'can not both modify and remove the same environment variable in the same command',
    );
    await expect(new SetEnvAction({ client }).run(['deploy/web', '1X=1'])).rejects.toThrow(
      '"1X" is not a valid key name',
    );
    await expect(new SetEnvAction({ client }).run(['deploy/web'])).rejects.toThrow(
      'at least one environment variable must be provided',
    );
    const none = await new SetEnvAction({ client, containers: 'db' }).run(['deploy/web', 'A=1']);
    expect(none.warnings).toEqual(['warning: Deployment/web does not have any containers matching "db"']);
  });
});

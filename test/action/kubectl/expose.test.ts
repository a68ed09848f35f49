/**
 * `kubectl expose`: the Service kubectl 1.34 builds for a deployment, pod, service, replica set
 * or replication controller (selector, labels, ports by introspection, `port-N` names, target
 * port, type, external IP), and its errors.
 */

import { describe, expect, it } from 'vitest';
import { ExposeAction, type ExposeOptions } from '../../../src/action/kubectl/index.js';
import type { KubeClient } from '../../../src/kube/index.js';
import { useEmbeddedCluster } from '../../helpers/embedded-cluster.js';

const open = useEmbeddedCluster();

const deployment = (
  name: string,
  ports: Record<string, unknown>[] = [],
  labels: Record<string, string> = { app: name },
) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, labels },
  spec: {
    replicas: 1,
    selector: { matchLabels: labels },
    template: { metadata: { labels }, spec: { containers: [{ name, image: 'nginx', ports }] } },
  },
});

async function expose(client: KubeClient, args: string[], options: Partial<ExposeOptions> = {}) {
  return new ExposeAction({ client, namespace: 'default', ...options }).run(args);
}

describe('kubectl expose', () => {
  it('a deployment as a NodePort service: its selector and labels, port 80, a node port allocated', async () => {
    const client = open();
    await client.create(deployment('web', [], { run: 'web' }), { namespace: 'default' });
    const result = await expose(client, ['deployment', 'web'], { port: '80', type: 'NodePort' });
    expect(result.line).toBe('service/web exposed');
    const service = await client.get('services', 'default', 'web');
    expect(service.metadata).toMatchObject({ name: 'web', labels: { run: 'web' } });
    expect(service.spec).toMatchObject({
      selector: { run: 'web' },
      type: 'NodePort',
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
    });
    const nodePort = (service.spec as { ports: { nodePort: number }[] }).ports[0]!.nodePort;
    expect(nodePort).toBeGreaterThanOrEqual(30000);
    expect(nodePort).toBeLessThanOrEqual(32767);
  });

  it('deploy/NAME takes the container port when --port is not given; several ports are named port-N', async () => {
    const client = open();
    await client.create(deployment('redis', [{ containerPort: 6379 }]), { namespace: 'default' });
    await expose(client, ['deploy/redis']);
    expect((await client.get('services', 'default', 'redis')).spec).toMatchObject({
      type: 'ClusterIP',
      ports: [{ port: 6379, targetPort: 6379, protocol: 'TCP' }],
    });
    await client.create(deployment('es', [{ containerPort: 9200 }, { containerPort: 9300 }]), {
      namespace: 'default',
    });
    const es = await expose(client, ['deployment', 'es'], { dryRun: 'client' });
    expect(es.line).toBe('service/es exposed (dry run)');
    expect(es.service.spec).toEqual({
      ports: [
        { name: 'port-1', port: 9200, protocol: 'TCP', targetPort: 9200 },
        { name: 'port-2', port: 9300, protocol: 'TCP', targetPort: 9300 },
      ],
      selector: { app: 'es' },
    });
  });

  it('--target-port, --name, --external-ip, --protocol; a pod is selected by its labels', async () => {
    const client = open();
    await client.create(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'debug', labels: { app: 'debug', tier: 'x' } },
        spec: { containers: [{ name: 'c', image: 'nginx' }] },
      },
      { namespace: 'default' },
    );
    const result = await expose(client, ['pod', 'debug'], {
      port: '8080',
      targetPort: 'http',
      name: 'debug-svc',
      externalIP: '1.2.3.4',
      protocol: 'UDP',
      dryRun: 'client',
    });
    expect(result.service).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'debug-svc', labels: { app: 'debug', tier: 'x' } },
      spec: {
        externalIPs: ['1.2.3.4'],
        ports: [{ port: 8080, protocol: 'UDP', targetPort: 'http' }],
        selector: { app: 'debug', tier: 'x' },
      },
    });
  });

  it('a service is exposed again under another name with its selector and ports', async () => {
    const client = open();
    await client.create(
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'redis' },
        spec: { selector: { app: 'redis' }, ports: [{ port: 6379 }] },
      },
      { namespace: 'default' },
    );
    const result = await expose(client, ['svc/redis'], {
      name: 'redis-np',
      type: 'NodePort',
      dryRun: 'client',
    });
    expect(result.service.spec).toEqual({
      ports: [{ port: 6379, protocol: 'TCP', targetPort: 6379 }],
      selector: { app: 'redis' },
      type: 'NodePort',
    });
  });

  it.each([
    [
      ['deploy/web'],
      {},
      "couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples",
    ],
    [['deployment', 'nope'], { port: '80' }, 'deployments.apps "nope" not found'],
    [['node', 'node1'], { port: '80' }, 'cannot expose a Node'],
    [['daemonset', 'kube-proxy'], { port: '80', namespace: 'kube-system' }, 'cannot expose a DaemonSet.apps'],
    [['foo', 'bar'], { port: '80' }, 'the server doesn\'t have a resource type "foo"'],
    [['deploy/web'], { port: 'http' }, 'strconv.Atoi: parsing "http": invalid syntax'],
  ])('%j %j is refused: %s', async (args, options, message) => {
    const client = open();
    await client.create(deployment('web'), { namespace: 'default' });
    await expect(expose(client, args, options)).rejects.toThrow(message);
  });

  it('a pod without labels cannot be exposed', async () => {
    const client = open();
    await client.create(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'bare' },
        spec: { containers: [{ name: 'c', image: 'x' }] },
      },
      { namespace: 'default' },
    );
    await expect(expose(client, ['pod', 'bare'], { port: '80' })).rejects.toThrow(
      'the pod has no labels and cannot be exposed',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { fakeCatalog } from './fake-catalog.js';
import { containerOf, createPod, eventsOf, kubeletCluster, statusOf, summary } from './helpers.js';

const catalog = () => fakeCatalog({ 'nginx:1.13.11': { process: { ports: [80] } } });

const waiting = (c: Record<string, unknown>) =>
  (c.state as { waiting?: { reason: string; message?: string } }).waiting;

const configMap = (name: string, data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
  data,
});

describe('kubelet: ConfigMaps and Secrets (§2.14)', () => {
  it('waits with CreateContainerConfigError for a missing ConfigMap or key, and starts once it is there', () => {
    const cluster = kubeletCluster(catalog());
    createPod(cluster, 'web', {
      containers: [
        {
          name: 'web',
          image: 'nginx:1.13.11',
          env: [{ name: 'FOO', valueFrom: { configMapKeyRef: { name: 'app-cfg', key: 'FOO' } } }],
        },
      ],
    });
    cluster.runtime.settle();
    expect(waiting(containerOf(cluster, 'web'))).toEqual({
      reason: 'CreateContainerConfigError',
      message: 'configmap "app-cfg" not found',
    });
    expect(statusOf(cluster, 'web').phase).toBe('Pending');
    expect(summary(cluster, 'web').status).toBe('CreateContainerConfigError');
    // The image comes first (pulled in no time from the fake registry), then the configuration.
    expect(eventsOf(cluster, 'web')).toEqual([
      'Pulling: Pulling image "nginx:1.13.11"',
      'Pulled: Successfully pulled image "nginx:1.13.11" in 0s (0s including waiting). Image size: 1000000 bytes.',
      'Failed: Error: configmap "app-cfg" not found',
    ]);
    cluster.api.create(configMap('app-cfg', { OTHER: 'x' }));
    cluster.runtime.settle();
    expect(waiting(containerOf(cluster, 'web'))?.message).toBe(
      "couldn't find key FOO in ConfigMap default/app-cfg",
    );
    cluster.api.update(configMap('app-cfg', { FOO: 'bar' }));
    cluster.runtime.settle();
    expect(summary(cluster, 'web').status).toBe('Running');
  });

  it('names a missing Secret and its keys the same way; optional sources are skipped', () => {
    const cat = catalog();
    const cluster = kubeletCluster(cat);
    createPod(cluster, 'db', {
      containers: [
        {
          name: 'web',
          image: 'nginx:1.13.11',
          env: [{ name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }],
        },
      ],
    });
    createPod(cluster, 'opt', {
      containers: [
        {
          name: 'web',
          image: 'nginx:1.13.11',
          env: [
            { name: 'A', valueFrom: { secretKeyRef: { name: 'nope', key: 'a', optional: true } } },
            { name: 'B', valueFrom: { configMapKeyRef: { name: 'nope', key: 'b', optional: true } } },
          ],
          envFrom: [{ configMapRef: { name: 'nope', optional: true } }],
        },
      ],
    });
    cluster.runtime.settle();
    expect(waiting(containerOf(cluster, 'db'))?.message).toBe('secret "db" not found');
    expect(summary(cluster, 'opt').status).toBe('Running');
    cluster.api.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'default' },
      data: { user: Buffer.from('admin').toString('base64') },
    });
    cluster.runtime.settle();
    expect(waiting(containerOf(cluster, 'db'))?.message).toBe(
      "couldn't find key password in Secret default/db",
    );
    cluster.api.update({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'default' },
      stringData: { password: 's3cret' },
    });
    cluster.runtime.settle();
    expect(summary(cluster, 'db').status).toBe('Running');
    expect(cat.started.at(-1)?.env.PASSWORD).toBe('s3cret');
  });

  it('stays ContainerCreating with FailedMount while a ConfigMap or Secret volume is missing', () => {
    const cluster = kubeletCluster(catalog());
    createPod(cluster, 'vol', {
      volumes: [
        { name: 'cfg', configMap: { name: 'app-cfg' } },
        { name: 'creds', secret: { secretName: 'creds' } },
      ],
    });
    cluster.runtime.settle();
    expect(summary(cluster, 'vol')).toEqual({ ready: '0/1', status: 'ContainerCreating', restarts: '0' });
    expect(statusOf(cluster, 'vol').podIP).toBeUndefined();
    expect(eventsOf(cluster, 'vol')).toEqual([
      'FailedMount: MountVolume.SetUp failed for volume "cfg" : configmap "app-cfg" not found',
      'FailedMount: MountVolume.SetUp failed for volume "creds" : secret "creds" not found',
    ]);
    cluster.api.create(configMap('app-cfg', { 'app.conf': 'x' }));
    cluster.runtime.settle();
    expect(eventsOf(cluster, 'vol')).toEqual([
      'FailedMount: MountVolume.SetUp failed for volume "cfg" : configmap "app-cfg" not found',
      'FailedMount: MountVolume.SetUp failed for volume "creds" : secret "creds" not found (x2)',
    ]);
    cluster.api.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'creds', namespace: 'default' },
    });
    cluster.runtime.settle();
    expect(summary(cluster, 'vol').status).toBe('Running');
    expect(statusOf(cluster, 'vol').podIP).toBe('10.244.1.2');
  });

  it('waits for a persistentVolumeClaim volume to be Bound', () => {
    const cluster = kubeletCluster(catalog());
    cluster.api.create({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: 'default' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    });
    createPod(cluster, 'db', { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] });
    cluster.runtime.settle();
    expect(summary(cluster, 'db').status).toBe('ContainerCreating');
    expect(eventsOf(cluster, 'db')).toEqual([]);
    const pvc = cluster.api.get('persistentvolumeclaims', 'default', 'data');
    cluster.api.update({ ...pvc, status: { phase: 'Bound' } }, { subresource: 'status' });
    cluster.runtime.settle();
    expect(summary(cluster, 'db').status).toBe('Running');
  });

  it('skips envFrom keys that are no variable names, with a warning event', () => {
    const cat = catalog();
    const cluster = kubeletCluster(cat);
    cluster.api.create(configMap('app-cfg', { GOOD: '1', '1BAD': '2' }));
    createPod(cluster, 'web', {
      containers: [
        {
          name: 'web',
          image: 'nginx:1.13.11',
          envFrom: [
            { configMapRef: { name: 'app-cfg' }, prefix: 'APP_' },
            { configMapRef: { name: 'app-cfg' } },
          ],
        },
      ],
    });
    cluster.runtime.settle();
    const env = cat.started.at(-1)?.env ?? {};
    expect(env.APP_GOOD).toBe('1');
    expect(env.APP_1BAD).toBe('2');
    expect(env.GOOD).toBe('1');
    expect(env['1BAD']).toBeUndefined();
    expect(eventsOf(cluster, 'web')).toContain(
      'InvalidEnvironmentVariableNames: Keys [1BAD] from the EnvFrom configMap default/app-cfg were skipped since they are considered invalid environment variable names.',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/cluster/api/types.js';
import type { Cluster } from '../../../src/cluster/cluster.js';
import { createKubeletServices, KubeletStreamError } from '../../../src/cluster/kubelet/api.js';
import { type FakeCatalog, fakeCatalog } from './fake-catalog.js';
import { createPod, kubeletCluster } from './helpers.js';

const catalog = () =>
  fakeCatalog({
    'logger:1': { process: { logEveryMs: 1000, logLines: [[0, 'starting up']] } },
    'crasher:1': { process: { logLines: [[0, 'panic: oops']], exit: { afterMs: 0, code: 2 } } },
    'nginx:1.13.11': { process: { ports: [80] } },
  });

function setup(cat: FakeCatalog = catalog()) {
  const cluster = kubeletCluster(cat);
  const kubelet = createKubeletServices({
    api: cluster.api,
    store: cluster.store,
    now: () => cluster.now(),
    catalog: cat,
  });
  return { cluster, kubelet };
}

function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiError) return `${error.status.code} ${error.status.reason}: ${error.message}`;
    if (error instanceof KubeletStreamError) return `stream: ${error.message}`;
    throw error;
  }
  throw new Error('expected a failure');
}

const settleFor = (cluster: Cluster, ms: number) => cluster.runtime.advance(ms);

describe('kubelet services: logs', () => {
  it('returns the log of the running container, with tail, since, timestamps and byte limits', () => {
    const { cluster, kubelet } = setup();
    createPod(cluster, 'app', { containers: [{ name: 'app', image: 'logger:1' }] });
    cluster.runtime.settle();
    settleFor(cluster, 5000);
    expect(kubelet.logs('default', 'app', {})).toBe('starting up\nline 1\nline 2\nline 3\nline 4\nline 5\n');
    expect(kubelet.logs('default', 'app', { tailLines: 2 })).toBe('line 4\nline 5\n');
    expect(kubelet.logs('default', 'app', { tailLines: 0 })).toBe('');
    expect(kubelet.logs('default', 'app', { sinceSeconds: 2 })).toBe('line 3\nline 4\nline 5\n');
    expect(kubelet.logs('default', 'app', { tailLines: 1, timestamps: true })).toBe(
      '2025-03-01T12:00:05.000000000Z line 5\n',
    );
    expect(kubelet.logs('default', 'app', { limitBytes: 15 })).toBe('starting up\nlin');
  });

  it('names the containers to choose from when a pod has several', () => {
    const { cluster, kubelet } = setup();
    createPod(cluster, 'web', {
      initContainers: [{ name: 'init', image: 'logger:1', command: ['true'] }],
      containers: [
        { name: 'a', image: 'nginx:1.13.11' },
        { name: 'b', image: 'nginx:1.13.11' },
      ],
    });
    createPod(cluster, 'plain', {
      containers: [
        { name: 'a', image: 'nginx:1.13.11' },
        { name: 'b', image: 'nginx:1.13.11' },
      ],
    });
    expect(failure(() => kubelet.logs('default', 'web', {}))).toBe(
      '400 BadRequest: a container name must be specified for pod web, choose one of: [a b] or one of the init containers: [init]',
    );
    expect(failure(() => kubelet.logs('default', 'plain', {}))).toBe(
      '400 BadRequest: a container name must be specified for pod plain, choose one of: [a b]',
    );
    expect(failure(() => kubelet.logs('default', 'plain', { container: 'c' }))).toBe(
      '400 BadRequest: container c is not valid for pod plain',
    );
    expect(failure(() => kubelet.logs('default', 'nope', {}))).toBe('404 NotFound: pods "nope" not found');
  });

  it('says why a container has no log yet', () => {
    const { cluster, kubelet } = setup();
    createPod(cluster, 'pulling', { containers: [{ name: 'web', image: 'logger:1' }] });
    createPod(cluster, 'missing', { containers: [{ name: 'worker', image: 'dockercoins/worker:v0.3' }] });
    createPod(cluster, 'cfg', {
      containers: [{ name: 'web', image: 'logger:1', envFrom: [{ configMapRef: { name: 'absent' } }] }],
    });
    expect(failure(() => kubelet.logs('default', 'pulling', {}))).toBe(
      '400 BadRequest: container "web" in pod "pulling" is not available',
    );
    cluster.runtime.settle({ horizonMs: 0 });
    expect(failure(() => kubelet.logs('default', 'missing', {}))).toBe(
      '400 BadRequest: container "worker" in pod "missing" is waiting to start: image can\'t be pulled',
    );
    expect(failure(() => kubelet.logs('default', 'cfg', {}))).toBe(
      '400 BadRequest: container "web" in pod "cfg" is waiting to start: CreateContainerConfigError',
    );
    cluster.runtime.advance(10_000);
    expect(failure(() => kubelet.logs('default', 'missing', {}))).toBe(
      '400 BadRequest: container "worker" in pod "missing" is waiting to start: trying and failing to pull image',
    );
    expect(failure(() => kubelet.logs('default', 'cfg', { previous: true }))).toBe(
      '400 BadRequest: previous terminated container "web" in pod "cfg" not found',
    );
  });

  it('shows a ContainerCreating container as waiting to start', () => {
    const cat = catalog();
    cat.push('slow:1', { pullMs: 5000, process: {} });
    const { cluster, kubelet } = setup(cat);
    createPod(cluster, 'slow', { containers: [{ name: 'web', image: 'slow:1' }] });
    cluster.runtime.settle({ horizonMs: 0 });
    expect(failure(() => kubelet.logs('default', 'slow', {}))).toBe(
      '400 BadRequest: container "web" in pod "slow" is waiting to start: ContainerCreating',
    );
  });

  it('returns the last run of a crashing container, and its previous run with previous', () => {
    const { cluster, kubelet } = setup();
    createPod(cluster, 'crash', { containers: [{ name: 'web', image: 'crasher:1' }] });
    cluster.runtime.settle();
    expect(kubelet.logs('default', 'crash', {})).toBe('panic: oops\n');
    expect(kubelet.logs('default', 'crash', { previous: true })).toBe('panic: oops\n');
  });

  it('returns nothing for a pod not bound to a node yet', () => {
    const { cluster, kubelet } = setup();
    cluster.api.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'pending', namespace: 'default' },
      spec: { containers: [{ name: 'web', image: 'nginx:1.13.11' }] },
    });
    expect(kubelet.logs('default', 'pending', {})).toBe('');
  });
});

describe('kubelet services: exec', () => {
  it('runs a command in the running container, with its environment and mounted files', () => {
    const { cluster, kubelet } = setup();
    cluster.api.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg', namespace: 'default' },
      data: { 'app.conf': 'color=blue\n' },
    });
    createPod(cluster, 'web', {
      volumes: [{ name: 'cfg', configMap: { name: 'cfg' } }],
      containers: [
        {
          name: 'web',
          image: 'nginx:1.13.11',
          env: [{ name: 'GREETING', value: 'hello' }],
          volumeMounts: [{ name: 'cfg', mountPath: '/etc/app' }],
        },
      ],
    });
    cluster.runtime.settle();
    expect(kubelet.exec('default', 'web', ['echo', 'hi'], {})).toEqual({
      stdout: 'hi\n',
      stderr: '',
      exitCode: 0,
    });
    const env = kubelet.exec('default', 'web', ['env'], {}).stdout;
    expect(env).toContain('HOSTNAME=web\n');
    expect(env).toContain('GREETING=hello\n');
    expect(env).toContain('KUBERNETES_SERVICE_HOST=10.96.0.1\n');
    expect(kubelet.exec('default', 'web', ['cat', '/etc/app/app.conf'], {}).stdout).toBe('color=blue\n');
    expect(kubelet.exec('default', 'web', ['cat', '/etc/resolv.conf'], {}).stdout).toBe(
      'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n',
    );
    expect(kubelet.exec('default', 'web', ['cat', '/etc/hosts'], {}).stdout).toContain('10.244.1.2\tweb\n');
    const token = kubelet.exec(
      'default',
      'web',
      ['cat', '/var/run/secrets/kubernetes.io/serviceaccount/token'],
      {},
    );
    expect(token.stdout).toMatch(/^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+$/);
    expect(
      kubelet.exec('default', 'web', ['cat', '/var/run/secrets/kubernetes.io/serviceaccount/namespace'], {})
        .stdout,
    ).toBe('default');
  });

  it('refuses a container that does not run', () => {
    const { cluster, kubelet } = setup();
    createPod(cluster, 'missing', { containers: [{ name: 'worker', image: 'dockercoins/worker:v0.3' }] });
    createPod(cluster, 'crash', { containers: [{ name: 'web', image: 'crasher:1' }] });
    createPod(cluster, 'two', {
      containers: [
        { name: 'a', image: 'nginx:1.13.11' },
        { name: 'b', image: 'nginx:1.13.11' },
      ],
    });
    cluster.runtime.settle();
    expect(failure(() => kubelet.exec('default', 'missing', ['ls'], {}))).toBe(
      'stream: unable to upgrade connection: container not found ("worker")',
    );
    expect(failure(() => kubelet.exec('default', 'crash', ['ls'], {}))).toMatch(
      /^stream: Internal error occurred: error executing command in container: failed to exec in container: failed to create exec "[0-9a-f]{64}": cannot exec in a stopped state: unknown$/,
    );
    expect(failure(() => kubelet.exec('default', 'two', ['ls'], {}))).toBe(
      '400 BadRequest: a container name must be specified for pod two, choose one of: [a b]',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { type KubeObject, podSummary, toTable } from '../../../src/cluster/printing/index.js';
import { ago, labPods, NOW, pod, running } from './fixtures.js';

const byName = new Map(labPods().map((p) => [(p.metadata as KubeObject).name as string, p]));

describe('pod STATUS, READY and RESTARTS (kubelet-reported states)', () => {
  it.each([
    ['errimagepull', '0/1', 'ErrImagePull', '0'],
    ['imagepullbackoff', '0/1', 'ImagePullBackOff', '0'],
    ['crashloop', '0/1', 'CrashLoopBackOff', '7 (3m ago)'],
    ['creating', '0/1', 'ContainerCreating', '0'],
    ['completed', '0/1', 'Completed', '0'],
    ['error', '0/1', 'Error', '0'],
    ['oomkilled', '0/1', 'OOMKilled', '0'],
    ['init-waiting', '0/1', 'Init:0/1', '0'],
    ['init-crashloop', '0/1', 'Init:CrashLoopBackOff', '4'],
    ['init-error', '0/1', 'Init:Error', '0'],
    ['terminating', '1/1', 'Terminating', '0'],
    ['pending', '0/1', 'Pending', '0'],
    ['nodelost', '1/1', 'Unknown', '0'],
    ['sidecar', '2/2', 'Running', '1 (120m ago)'],
  ])('%s: %s %s %s', (name, ready, status, restarts) => {
    expect(podSummary(byName.get(name), NOW)).toEqual({ ready, status, restarts });
  });
});

const withContainers = (statuses: KubeObject[], extra: KubeObject = {}): KubeObject =>
  pod('p', 600, {
    spec: { containers: statuses.map((s) => ({ name: s.name, image: 'busybox:1.36' })) },
    status: { containerStatuses: statuses, ...extra },
  });

const terminated = (name: string, t: KubeObject): KubeObject => ({
  name,
  ready: false,
  restartCount: 0,
  state: { terminated: t },
});

describe('pod STATUS edge cases', () => {
  it.each<[string, KubeObject, string]>([
    [
      'a terminated container without a reason shows its exit code',
      withContainers([terminated('a', { exitCode: 2 })]),
      'ExitCode:2',
    ],
    [
      'a killed container shows its signal',
      withContainers([terminated('a', { exitCode: 137, signal: 9 })]),
      'Signal:9',
    ],
    [
      'a failed init container without a reason shows its exit code',
      pod('p', 600, {
        spec: { initContainers: [{ name: 'init', image: 'busybox:1.36' }] },
        status: {
          conditions: [{ type: 'Initialized', status: 'False' }],
          initContainerStatuses: [terminated('init', { exitCode: 1 })],
        },
      }),
      'Init:ExitCode:1',
    ],
    [
      'a scheduling gate wins over the phase',
      pod('p', 600, {
        status: {
          phase: 'Pending',
          conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }],
          containerStatuses: [],
        },
      }),
      'SchedulingGated',
    ],
    [
      'an evicted pod shows the reason',
      pod('p', 600, { status: { phase: 'Failed', reason: 'Evicted', containerStatuses: [] } }),
      'Evicted',
    ],
    [
      'a completed first container beside a running one reads Running when the pod is ready',
      withContainers(
        [terminated('a', { exitCode: 0, reason: 'Completed' }), running('b', 'nginx:1.25', 60)],
        {
          conditions: [{ type: 'Ready', status: 'True' }],
        },
      ),
      'Running',
    ],
    [
      '…and NotReady when it is not',
      withContainers(
        [terminated('a', { exitCode: 0, reason: 'Completed' }), running('b', 'nginx:1.25', 60)],
        {
          conditions: [{ type: 'Ready', status: 'False' }],
        },
      ),
      'NotReady',
    ],
    [
      'a deleted pod that already succeeded is not Terminating',
      pod('p', 600, {
        metadata: { deletionTimestamp: ago(5) },
        status: {
          phase: 'Succeeded',
          containerStatuses: [terminated('main', { exitCode: 0, reason: 'Completed' })],
        },
      }),
      'Completed',
    ],
  ])('%s', (_name, p, status) => {
    expect(podSummary(p, NOW).status).toBe(status);
  });

  it('adds restarts of all containers and dates the last one', () => {
    const p = withContainers([
      {
        ...running('a', 'nginx:1.25', 60, NOW, 2),
        lastState: { terminated: { exitCode: 1, finishedAt: ago(600) } },
      },
      {
        ...running('b', 'nginx:1.25', 60, NOW, 3),
        lastState: { terminated: { exitCode: 1, finishedAt: ago(90) } },
      },
    ]);
    expect(podSummary(p, NOW)).toEqual({ ready: '2/2', status: 'Running', restarts: '5 (90s ago)' });
  });
});

describe('pod rows', () => {
  it('has the -o wide cells: IP, node, nominated node, readiness gates', () => {
    const p = pod('web', 600, {
      spec: { readinessGates: [{ conditionType: 'example.com/feature' }] },
      status: { nominatedNodeName: 'node2', conditions: [{ type: 'example.com/feature', status: 'True' }] },
    });
    expect(toTable([p], { kind: 'Pod', now: NOW }).rows[0]!.cells).toEqual([
      'web',
      '1/1',
      'Running',
      '0',
      '10m',
      '10.244.1.5',
      'node2',
      'node2',
      '1/1',
    ]);
  });
});

describe('table rows carry their object as asked (includeObject)', () => {
  const p = pod('web', 600);
  it.each([
    [undefined, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1' }],
    ['Metadata' as const, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1' }],
    ['Object' as const, { kind: 'Pod', apiVersion: 'v1' }],
  ])('%s', (includeObject, typeMeta) => {
    const row = toTable([p], { kind: 'Pod', now: NOW, ...(includeObject ? { includeObject } : {}) }).rows[0]!;
    expect(row.object).toMatchObject({ ...typeMeta, metadata: { name: 'web', namespace: 'default' } });
  });

  it('None leaves the object out', () => {
    expect(toTable([p], { kind: 'Pod', now: NOW, includeObject: 'None' }).rows[0]).toEqual({
      cells: ['web', '1/1', 'Running', '0', '10m', '10.244.1.5', 'node2', '<none>', '<none>'],
    });
  });
});

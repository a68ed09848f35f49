/**
 * Pods in every state the STATUS column distinguishes (namespace `lab`), with the status the
 * kubelet reports for each.
 */

import type { KubeObject } from '../../../src/cluster/printing/index.js';
import { ago, MIN, NOW, pod, running } from './fixture-builders.js';

const waiting = (reason: string, message = '', restarts = 0, image = 'nginx:1.25'): KubeObject => ({
  name: 'main',
  image,
  imageID: '',
  ready: false,
  started: false,
  restartCount: restarts,
  state: { waiting: { reason, ...(message === '' ? {} : { message }) } },
});

const terminated = (reason: string, exitCode: number, seconds: number, now: number): KubeObject => ({
  name: 'main',
  image: 'busybox:1.36',
  imageID: 'docker.io/library/busybox@sha256:9ae97d36',
  containerID: 'containerd://0a1b2c3d',
  ready: false,
  started: false,
  restartCount: 0,
  state: {
    terminated: { exitCode, reason, startedAt: ago(seconds + 5, now), finishedAt: ago(seconds, now) },
  },
});

const notReady = [
  { type: 'Initialized', status: 'True' },
  { type: 'Ready', status: 'False', reason: 'ContainersNotReady' },
  { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady' },
  { type: 'PodScheduled', status: 'True' },
];

const initializing = [
  { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized' },
  { type: 'Ready', status: 'False', reason: 'ContainersNotReady' },
  { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady' },
  { type: 'PodScheduled', status: 'True' },
];

const init = (name: string, state: KubeObject, restarts = 0): KubeObject => ({
  name,
  image: 'busybox:1.36',
  ready: false,
  restartCount: restarts,
  state,
});

/** One pod per STATUS case, named after the STATUS it prints. */
export function labPods(now = NOW): KubeObject[] {
  const lab = (name: string, status: KubeObject, extra: Parameters<typeof pod>[2] = {}) =>
    pod(name, 30 * MIN, { ns: 'lab', labels: { run: name }, ip: '10.244.1.20', ...extra, status }, now);
  const initSpec = { initContainers: [{ name: 'init-db', image: 'busybox:1.36' }] };
  return [
    lab('errimagepull', {
      phase: 'Pending',
      conditions: notReady,
      containerStatuses: [waiting('ErrImagePull', 'failed to pull image "nginx:nope"', 0, 'nginx:nope')],
    }),
    lab('imagepullbackoff', {
      phase: 'Pending',
      conditions: notReady,
      containerStatuses: [
        waiting('ImagePullBackOff', 'Back-off pulling image "nginx:nope"', 0, 'nginx:nope'),
      ],
    }),
    lab('crashloop', {
      phase: 'Running',
      conditions: notReady,
      containerStatuses: [
        {
          ...waiting('CrashLoopBackOff', 'back-off 5m0s restarting failed container', 7),
          lastState: {
            terminated: {
              exitCode: 1,
              reason: 'Error',
              startedAt: ago(4 * MIN, now),
              finishedAt: ago(3 * MIN, now),
            },
          },
        },
      ],
    }),
    lab('creating', {
      phase: 'Pending',
      conditions: notReady,
      podIPs: [],
      podIP: undefined,
      containerStatuses: [waiting('ContainerCreating')],
    }),
    lab(
      'completed',
      {
        phase: 'Succeeded',
        conditions: notReady,
        containerStatuses: [terminated('Completed', 0, 20 * MIN, now)],
      },
      { spec: { restartPolicy: 'Never' } },
    ),
    lab(
      'error',
      { phase: 'Failed', conditions: notReady, containerStatuses: [terminated('Error', 1, 20 * MIN, now)] },
      { spec: { restartPolicy: 'Never' } },
    ),
    lab('oomkilled', {
      phase: 'Running',
      conditions: notReady,
      containerStatuses: [terminated('OOMKilled', 137, 1 * MIN, now)],
    }),
    lab(
      'init-waiting',
      {
        phase: 'Pending',
        conditions: initializing,
        initContainerStatuses: [init('init-db', { running: { startedAt: ago(MIN, now) } })],
        containerStatuses: [waiting('PodInitializing')],
      },
      { spec: initSpec },
    ),
    lab(
      'init-crashloop',
      {
        phase: 'Pending',
        conditions: initializing,
        initContainerStatuses: [init('init-db', { waiting: { reason: 'CrashLoopBackOff' } }, 4)],
        containerStatuses: [waiting('PodInitializing')],
      },
      { spec: initSpec },
    ),
    lab(
      'init-error',
      {
        phase: 'Pending',
        conditions: initializing,
        initContainerStatuses: [init('init-db', { terminated: { exitCode: 2, reason: 'Error' } })],
        containerStatuses: [waiting('PodInitializing')],
      },
      { spec: initSpec },
    ),
    lab(
      'terminating',
      { phase: 'Running' },
      { metadata: { deletionTimestamp: ago(10, now), deletionGracePeriodSeconds: 30 } },
    ),
    lab(
      'pending',
      {
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }],
        podIPs: [],
        podIP: undefined,
        containerStatuses: undefined,
        hostIP: undefined,
      },
      { node: '' },
    ),
    lab(
      'nodelost',
      { phase: 'Running', reason: 'NodeLost' },
      { metadata: { deletionTimestamp: ago(MIN, now), deletionGracePeriodSeconds: 30 } },
    ),
    lab(
      'sidecar',
      {
        phase: 'Running',
        initContainerStatuses: [
          {
            ...running('proxy', 'envoy:1.30', 20 * MIN, now, 1),
            lastState: { terminated: { exitCode: 1, finishedAt: ago(2 * 3600, now) } },
          },
        ],
        containerStatuses: [running('main', 'nginx:1.25', 20 * MIN, now)],
      },
      { spec: { initContainers: [{ name: 'proxy', image: 'envoy:1.30', restartPolicy: 'Always' }] } },
    ),
  ];
}

/** Builders of realistic objects for the printing tests; timestamps are relative to `now` (default `NOW`). */

import type { KubeObject } from '../../../src/cluster/printing/index.js';

/** The pinned clock of every golden test: 2024-05-01T12:00:00Z. */
export const NOW = Date.parse('2024-05-01T12:00:00Z');

/** An RFC 3339 timestamp `seconds` before `now`. */
export const ago = (seconds: number, now = NOW): string =>
  `${new Date(now - seconds * 1000).toISOString().slice(0, 19)}Z`;

const MIN = 60;
const HOUR = 3600;
const DAY = 86400;

/** Metadata with a creation time `seconds` ago. */
export function meta(
  name: string,
  seconds: number,
  extra: Record<string, unknown> = {},
  now = NOW,
): KubeObject {
  return { name, creationTimestamp: ago(seconds, now), uid: `uid-${name}`, resourceVersion: '42', ...extra };
}

/** A running container's status. */
export function running(name: string, image: string, seconds: number, now = NOW, restarts = 0): KubeObject {
  return {
    name,
    image,
    imageID: `docker.io/library/${image}@sha256:0f1e2d3c`,
    containerID: `containerd://${name}0123456789`,
    ready: true,
    started: true,
    restartCount: restarts,
    state: { running: { startedAt: ago(seconds, now) } },
  };
}

/** A pod; `status` overrides the running defaults. */
export function pod(
  name: string,
  seconds: number,
  opts: {
    ns?: string;
    labels?: Record<string, string>;
    node?: string;
    ip?: string;
    image?: string;
    status?: KubeObject;
    spec?: KubeObject;
    metadata?: KubeObject;
  } = {},
  now = NOW,
): KubeObject {
  const image = opts.image ?? 'nginx:1.25';
  const ip = opts.ip ?? '10.244.1.5';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(
      name,
      seconds,
      { namespace: opts.ns ?? 'default', labels: opts.labels ?? { app: 'web' }, ...opts.metadata },
      now,
    ),
    spec: {
      containers: [{ name: 'main', image, ports: [{ containerPort: 80, protocol: 'TCP' }] }],
      nodeName: opts.node ?? 'node2',
      restartPolicy: 'Always',
      serviceAccountName: 'default',
      ...opts.spec,
    },
    status: {
      phase: 'Running',
      conditions: [
        { type: 'Initialized', status: 'True' },
        { type: 'Ready', status: 'True' },
        { type: 'ContainersReady', status: 'True' },
        { type: 'PodScheduled', status: 'True' },
      ],
      hostIP: '192.168.0.12',
      podIP: ip,
      podIPs: [{ ip }],
      startTime: ago(seconds, now),
      containerStatuses: [running('main', image, seconds, now)],
      qosClass: 'BestEffort',
      ...opts.status,
    },
  };
}

export { DAY, HOUR, MIN };

import { afterEach, describe, expect, it } from 'vitest';
import type { Cluster } from '../../../src/cluster/cluster.js';
import { hpaController } from '../../../src/cluster/controllers/hpa.js';
import type { KubeObject } from '../../../src/cluster/store/types.js';
import { makePod, mergeMeta, openWith, type PodOptions } from '../metrics/fixtures.js';

const clusters: Cluster[] = [];
afterEach(() => {
  for (const c of clusters.splice(0)) c.close();
});

const HPA = 'horizontalpodautoscalers.autoscaling';
const open = () => openWith(clusters, [hpaController]);

function deployment(c: Cluster, name = 'web', replicas = 1): KubeObject {
  return c.api.create({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'web', image: 'nginx', resources: { requests: { cpu: '200m' } } }] },
      },
    },
  });
}

function autoscaler(c: Cluster, spec: Record<string, unknown> = {}, name = 'web'): KubeObject {
  return c.api.create({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, namespace: 'default' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 1,
      maxReplicas: 10,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
        },
      ],
      ...spec,
    },
  });
}

const webPod = (c: Cluster, name: string, ip: string, o: PodOptions = {}) =>
  makePod(c, name, { ip, requests: { cpu: '200m' }, ...o });
const replicas = (c: Cluster, name = 'web') =>
  (c.api.get('deployments.apps', 'default', name).spec as { replicas: number }).replicas;
const status = (c: Cluster, name = 'web') =>
  c.api.get(HPA, 'default', name).status as Record<string, unknown>;
const conditions = (c: Cluster, name = 'web') =>
  (status(c, name).conditions as Record<string, string>[]).map((x) => [
    x.type,
    x.status,
    x.reason,
    x.message,
  ]);
const events = (c: Cluster) =>
  c.api
    .list('events', { namespace: 'default' })
    .items.filter((e) => (e.involvedObject as { kind: string }).kind === 'HorizontalPodAutoscaler')
    .map((e) => [e.type, e.reason, e.message]);
const load = (c: Cluster, pod: string, value: string) =>
  mergeMeta(c, 'pods', 'default', pod, { annotations: { 'bosun.dev/cpu-utilization': value } });

const VALID =
  'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)';

describe('horizontal-pod-autoscaler', () => {
  it('reports an idle target: utilization, replicas and the conditions of a fresh HPA', () => {
    const c = open();
    deployment(c);
    webPod(c, 'web-1', '10.244.1.2');
    autoscaler(c);
    c.runtime.settle();
    expect(replicas(c)).toBe(1);
    expect(status(c)).toMatchObject({
      currentReplicas: 1,
      desiredReplicas: 1,
      currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 0 } } }],
    });
    expect(status(c).lastScaleTime).toBeUndefined();
    expect(conditions(c)).toEqual([
      [
        'AbleToScale',
        'True',
        'ScaleDownStabilized',
        'recent recommendations were higher than current one, applying the highest recent recommendation',
      ],
      ['ScalingActive', 'True', 'ValidMetricFound', VALID],
      ['ScalingLimited', 'False', 'DesiredWithinRange', 'the desired count is within the acceptable range'],
    ]);
    // Five minutes later the initial recommendation has left the window: the minimum holds it.
    c.runtime.advance(5 * 60_000);
    expect(conditions(c)).toEqual([
      ['AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size'],
      ['ScalingActive', 'True', 'ValidMetricFound', VALID],
      [
        'ScalingLimited',
        'True',
        'TooFewReplicas',
        'the desired replica count is less than the minimum replica count',
      ],
    ]);
    expect(replicas(c)).toBe(1);
  });

  it('scales up at once when the load rises (no clock move), and down only after the 5-minute window', () => {
    const c = open();
    deployment(c);
    webPod(c, 'web-1', '10.244.1.2');
    autoscaler(c);
    c.runtime.settle();
    load(c, 'web-1', '150');
    const start = c.now().getTime();
    c.runtime.settle();
    expect(c.now().getTime()).toBe(start);
    expect(replicas(c)).toBe(3);
    expect(status(c)).toMatchObject({
      currentReplicas: 1,
      desiredReplicas: 3,
      lastScaleTime: '2025-03-01T12:00:00Z',
      currentMetrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', current: { averageUtilization: 150, averageValue: '300m' } },
        },
      ],
    });
    expect(conditions(c)[0]).toEqual([
      'AbleToScale',
      'True',
      'SucceededRescale',
      'the HPA controller was able to update the target scale to 3',
    ]);
    expect(events(c)).toEqual([
      [
        'Normal',
        'SuccessfulRescale',
        'New size: 3; reason: cpu resource utilization (percentage of request) above target',
      ],
    ]);

    // The new replicas run; then the load drops.
    webPod(c, 'web-2', '10.244.1.3');
    webPod(c, 'web-3', '10.244.1.4');
    for (const pod of ['web-1', 'web-2', 'web-3']) load(c, pod, '10');
    c.runtime.settle();
    expect(replicas(c)).toBe(3);
    expect(conditions(c)[0]?.[2]).toBe('ScaleDownStabilized');
    c.runtime.advance(4 * 60_000);
    expect(replicas(c)).toBe(3);
    c.runtime.advance(60_000);
    expect(replicas(c)).toBe(1);
    expect(events(c).at(-1)).toEqual([
      'Normal',
      'SuccessfulRescale',
      'New size: 1; reason: All metrics below target',
    ]);
    expect(c.runtime.errors).toEqual([]);
  });

  it('does nothing within the 0.1 tolerance', () => {
    const c = open();
    deployment(c, 'web', 2);
    webPod(c, 'web-1', '10.244.1.2', { annotations: { 'bosun.dev/cpu-utilization': '54' } });
    webPod(c, 'web-2', '10.244.1.3', { annotations: { 'bosun.dev/cpu-utilization': '55' } });
    autoscaler(c, { minReplicas: 2 });
    c.runtime.settle();
    expect(replicas(c)).toBe(2);
    expect(status(c)).toMatchObject({ desiredReplicas: 2 });
    expect(events(c)).toEqual([]);
  });

  it('limits a scale-up to 4 pods or 100 % per 15 s, and clamps to maxReplicas', () => {
    const c = open();
    deployment(c);
    webPod(c, 'web-1', '10.244.1.2', { annotations: { 'bosun.dev/cpu-utilization': '1000' } });
    autoscaler(c);
    c.runtime.settle();
    expect(replicas(c)).toBe(5);
    expect(conditions(c)[2]).toEqual([
      'ScalingLimited',
      'True',
      'ScaleUpLimit',
      'the desired replica count is increasing faster than the maximum scale rate',
    ]);
    c.runtime.advance(15_000);
    expect(replicas(c)).toBe(10);
    expect(conditions(c)[2]).toEqual([
      'ScalingLimited',
      'True',
      'TooManyReplicas',
      'the desired replica count is more than the maximum replica count',
    ]);
  });

  it('counts pending pods as 0 % on a scale-up', () => {
    const c = open();
    deployment(c, 'web', 2);
    webPod(c, 'web-1', '10.244.1.2', { annotations: { 'bosun.dev/cpu-utilization': '100' } });
    makePod(c, 'web-2', { requests: { cpu: '200m' }, annotations: { 'bosun.dev/cpu-utilization': '100' } });
    c.api.update(
      { ...c.api.get('pods', 'default', 'web-2'), status: { phase: 'Pending' } },
      { subresource: 'status' },
    );
    autoscaler(c);
    c.runtime.settle();
    // 100 % of 50 % on the running pod alone would ask for 2 × 2 = 4; with the pending one at 0 %: 2.
    expect(replicas(c)).toBe(2);
  });

  it('fails the metric of pods without a CPU request: ScalingActive False FailedGetResourceMetric', () => {
    const c = open();
    deployment(c);
    makePod(c, 'web-1', { ip: '10.244.1.2' });
    autoscaler(c);
    c.runtime.settle();
    const message = 'failed to get cpu utilization: missing request for cpu in container web of Pod web-1';
    expect(conditions(c)).toEqual([
      [
        'AbleToScale',
        'True',
        'SucceededGetScale',
        "the HPA controller was able to get the target's current scale",
      ],
      [
        'ScalingActive',
        'False',
        'FailedGetResourceMetric',
        `the HPA was unable to compute the replica count: ${message}`,
      ],
    ]);
    expect(status(c)).toMatchObject({
      currentReplicas: 1,
      desiredReplicas: 0,
      currentMetrics: [{ type: '' }],
    });
    expect(events(c)).toEqual([
      ['Warning', 'FailedGetResourceMetric', message],
      [
        'Warning',
        'FailedComputeMetricsReplicas',
        `invalid metrics (1 invalid out of 1), first error is: ${message}`,
      ],
    ]);
  });

  it('reports a missing target: AbleToScale False FailedGetScale', () => {
    const c = open();
    autoscaler(c);
    c.runtime.settle();
    expect(conditions(c)).toEqual([
      [
        'AbleToScale',
        'False',
        'FailedGetScale',
        'the HPA controller was unable to get the target\'s current scale: deployments/scale.apps "web" not found',
      ],
    ]);
    // The target appears: the HPA reacts without waiting for its next sync.
    deployment(c);
    webPod(c, 'web-1', '10.244.1.2');
    c.runtime.settle();
    expect(conditions(c)[0]?.[2]).toBe('ScaleDownStabilized');
  });

  it('scales on an AverageValue target, and accepts autoscaling/v1 objects', () => {
    const c = open();
    deployment(c);
    webPod(c, 'web-1', '10.244.1.2', { annotations: { 'bosun.dev/cpu-utilization': '250m' } });
    autoscaler(c, {
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'AverageValue', averageValue: '100m' } },
        },
      ],
    });
    c.runtime.settle();
    expect(replicas(c)).toBe(3);
    expect(status(c).currentMetrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', current: { averageValue: '250m' } } },
    ]);

    deployment(c, 'api');
    webPod(c, 'api-1', '10.244.1.3', {
      labels: { app: 'api' },
      annotations: { 'bosun.dev/cpu-utilization': '160' },
    });
    c.api.create({
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'api', namespace: 'default' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
        maxReplicas: 5,
        targetCPUUtilizationPercentage: 80,
      },
    });
    c.runtime.settle();
    expect(replicas(c, 'api')).toBe(2);
  });

  it('follows the usage annotation of the target workload, and honours spec.behavior', () => {
    const c = open();
    const d = deployment(c);
    const rs = c.api.create({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: 'web-7c8bbcd9bc',
        namespace: 'default',
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'web',
            uid: (d.metadata as { uid: string }).uid,
            controller: true,
          },
        ],
      },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'nginx' }] },
        },
      },
    });
    webPod(c, 'web-1', '10.244.1.2', { owner: rs });
    autoscaler(c, {
      behavior: { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } },
    });
    c.runtime.settle();
    mergeMeta(c, 'deployments.apps', 'default', 'web', {
      annotations: { 'bosun.dev/cpu-utilization': '200' },
    });
    c.runtime.settle();
    expect(replicas(c)).toBe(2);
    c.runtime.advance(30_000);
    expect(replicas(c)).toBe(2);
    c.runtime.advance(30_000);
    expect(replicas(c)).toBe(3);
  });

  it('forgets its history when deleted', () => {
    const c = open();
    deployment(c);
    webPod(c, 'web-1', '10.244.1.2');
    autoscaler(c);
    c.runtime.settle();
    expect(c.store.getMeta('hpa.default/web')).toBeDefined();
    c.api.delete(HPA, 'default', 'web');
    c.runtime.settle();
    expect(c.store.getMeta('hpa.default/web')).toBeUndefined();
  });
});

/**
 * Helm's legacy readiness rules (helm-behaviour.md §4.6) kind by kind: on a fresh embedded
 * cluster for what the cluster produces, and on fixed objects for the arithmetic edges
 * (maxUnavailable rounding, partitions, CRD conditions) a live cluster rarely sits on.
 */

import { describe, expect, it } from 'vitest';
import {
  type KubeClient,
  type KubeObject,
  type Readiness,
  type ResourceRef,
  readinessOf,
} from '../../src/kube/index.js';
import { useEmbeddedCluster } from '../helpers/embedded-cluster.js';

const client = useEmbeddedCluster();

type Json = Record<string, unknown>;

const podSpec = (image: string, extra: Json = {}): Json => ({ containers: [{ name: 'c', image, ...extra }] });

function workload(kind: string, name: string, image: string, spec: Json = {}): Json {
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: podSpec(image) },
      ...spec,
    },
  };
}

const job = (name: string, command: string, spec: Json = {}): Json => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name },
  spec: {
    backoffLimit: 1,
    ...spec,
    template: { spec: { restartPolicy: 'Never', ...podSpec('busybox', { command: ['sh', '-c', command] }) } },
  },
});

const service = (name: string, spec: Json): Json => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name },
  spec,
});

const ref = (apiVersion: string, kind: string, name: string): ResourceRef => ({
  apiVersion,
  kind,
  namespace: 'default',
  name,
});

/** Creates the objects, lets the cluster settle, and reads the readiness of the first. */
async function settled(
  c: KubeClient,
  objects: Json[],
  options: { waitForJobs?: boolean } = {},
): Promise<Readiness> {
  for (const o of objects) await c.create(o);
  await c.settle();
  const first = objects[0]!;
  return readinessOf(
    c,
    ref(String(first.apiVersion), String(first.kind), String((first.metadata as Json).name)),
    options,
  );
}

describe('Pod: ready when the PodReady condition is True', () => {
  it('is ready once running, not ready while its image cannot be pulled', async () => {
    const c = client();
    const good = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: podSpec('nginx') };
    expect(await settled(c, [good])).toEqual({ ready: true, progress: 'Running' });
    const bad = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'bad' },
      spec: podSpec('dockercoins/worker:v0.3'),
    };
    const r = await settled(c, [bad]);
    expect(r.ready).toBe(false);
    expect(r.failed).toBeUndefined();
    expect(r.progress).toBe('Pending');
    expect(r.reason).toMatch(/^(ErrImagePull|ImagePullBackOff): .*dockercoins\/worker:v0\.3/);
  });

  it('has failed once it exited with an error and will not restart', async () => {
    const c = client();
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'once' },
      spec: { restartPolicy: 'Never', ...podSpec('busybox', { command: ['sh', '-c', 'exit 3'] }) },
    };
    const r = await settled(c, [pod]);
    expect(r).toMatchObject({ ready: false, failed: true, progress: 'Failed' });
    expect(r.reason).toBe('pod "once" failed: Error: container "c" exited with code 3');
  });
});

describe('Job: only with --wait-for-jobs, not failed and succeeded >= completions', () => {
  it('is ready at once without waitForJobs, even while it runs', async () => {
    const c = client();
    expect(await settled(c, [job('forever', 'sleep 100000')])).toEqual({
      ready: true,
      progress: '0/1 complete',
    });
  });

  it('with waitForJobs: running is not ready, complete is ready, failed is failed', async () => {
    const c = client();
    expect(await settled(c, [job('forever', 'sleep 100000')], { waitForJobs: true })).toEqual({
      ready: false,
      progress: '0/1 complete',
    });
    expect(await settled(c, [job('ok', 'exit 0')], { waitForJobs: true })).toEqual({
      ready: true,
      progress: '1/1 complete',
    });
    expect(await settled(c, [job('bad', 'exit 1')], { waitForJobs: true })).toEqual({
      ready: false,
      progress: '0/1 complete',
      reason: 'job "bad" failed: BackoffLimitExceeded',
      failed: true,
    });
  });
});

describe('Deployment: new ReplicaSet ready >= replicas - maxUnavailable, generation observed', () => {
  it('is ready with 10 good pods', async () => {
    const c = client();
    expect(await settled(c, [workload('Deployment', 'web', 'nginx', { replicas: 10 })])).toEqual({
      ready: true,
      progress: '10/10 ready',
    });
  });

  it('is not ready while its pods cannot pull their image, and says so per pod reason', async () => {
    const c = client();
    const r = await settled(c, [
      workload('Deployment', 'worker', 'dockercoins/worker:v0.3', { replicas: 5 }),
    ]);
    expect(r.ready).toBe(false);
    expect(r.progress).toBe('0/5 ready');
    expect(r.reason).toMatch(/^5 pods in ErrImagePull: .*not found$/);
    await c.sleep(60_000);
    const later = await readinessOf(c, ref('apps/v1', 'Deployment', 'worker'));
    expect(later.reason).toBe('5 pods in ImagePullBackOff: Back-off pulling image "dockercoins/worker:v0.3"');
  });

  it('names crash loops', async () => {
    const c = client();
    const crashing = workload('Deployment', 'crash', 'busybox', { replicas: 2 });
    ((crashing.spec as Json).template as Json).spec = podSpec('busybox', { command: ['sh', '-c', 'exit 1'] });
    await settled(c, [crashing]);
    await c.sleep(30_000);
    const r = await readinessOf(c, ref('apps/v1', 'Deployment', 'crash'));
    expect(r.ready).toBe(false);
    expect(r.reason).toMatch(/^2 pods in (CrashLoopBackOff|Error)/);
  });

  it('is not ready until the controller has observed a spec change', async () => {
    const c = client();
    await settled(c, [workload('Deployment', 'web', 'nginx', { replicas: 2 })]);
    await c.patch('deployments.apps', 'default', 'web', { spec: { replicas: 3 } }, 'merge');
    const r = await readinessOf(c, ref('apps/v1', 'Deployment', 'web'));
    expect(r).toEqual({
      ready: false,
      progress: '2/3 ready',
      reason: 'waiting for the deployment spec update to be observed',
    });
    await c.settle();
    expect(await readinessOf(c, ref('apps/v1', 'Deployment', 'web'))).toEqual({
      ready: true,
      progress: '3/3 ready',
    });
  });

  it('counts a paused deployment as ready (PausedAsReady)', async () => {
    const c = client();
    const r = await settled(c, [workload('Deployment', 'held', 'dockercoins/worker:v0.3', { paused: true })]);
    expect(r).toEqual({ ready: true, progress: 'paused' });
  });

  it('has failed once Progressing=False with ProgressDeadlineExceeded', async () => {
    const c = client();
    await settled(c, [
      workload('Deployment', 'worker', 'dockercoins/worker:v0.3', {
        replicas: 2,
        progressDeadlineSeconds: 30,
      }),
    ]);
    await c.sleep(40_000);
    const r = await readinessOf(c, ref('apps/v1', 'Deployment', 'worker'));
    expect(r).toMatchObject({ ready: false, failed: true, progress: '0/2 ready' });
    expect(r.reason).toBe(
      'deployment "worker" exceeded its progress deadline; 2 pods in ImagePullBackOff: Back-off pulling image "dockercoins/worker:v0.3"',
    );
  });

  it('has failed when it does not exist', async () => {
    const c = client();
    expect(await readinessOf(c, ref('apps/v1', 'Deployment', 'nope'))).toEqual({
      ready: false,
      progress: 'NotFound',
      reason: 'deployments.apps "nope" not found',
      failed: true,
    });
  });
});

describe('ReplicaSet / ReplicationController: generation observed and every selected pod ready', () => {
  it('is ready when all pods are, not ready when they cannot start', async () => {
    const c = client();
    expect(await settled(c, [workload('ReplicaSet', 'rs', 'nginx', { replicas: 3 })])).toEqual({
      ready: true,
      progress: '3/3 ready',
    });
    const bad = await settled(c, [
      workload('ReplicaSet', 'badrs', 'dockercoins/worker:v0.3', { replicas: 2 }),
    ]);
    expect(bad).toMatchObject({ ready: false, progress: '0/2 ready' });
    expect(bad.reason).toMatch(/^2 pods in ErrImagePull/);
  });

  it('reads a ReplicationController through its map selector', async () => {
    const c = client();
    const rc = {
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'legacy' },
      spec: {
        replicas: 2,
        selector: { app: 'legacy' },
        template: { metadata: { labels: { app: 'legacy' } }, spec: podSpec('nginx') },
      },
    };
    expect(await settled(c, [rc])).toEqual({ ready: true, progress: '2/2 ready' });
  });
});

describe('DaemonSet and StatefulSet', () => {
  it('a DaemonSet is ready when every scheduled pod is updated and enough are ready', async () => {
    const c = client();
    expect(await settled(c, [workload('DaemonSet', 'ds', 'nginx')])).toEqual({
      ready: true,
      progress: '2/2 ready',
    });
    const bad = await settled(c, [workload('DaemonSet', 'badds', 'dockercoins/worker:v0.3')]);
    expect(bad).toMatchObject({ ready: false, progress: '0/2 ready' });
    expect(bad.reason).toMatch(/^2 pods in ErrImagePull/);
  });

  it('a StatefulSet is ready when all replicas are ready at the update revision', async () => {
    const c = client();
    await c.create(service('db', { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 80 }] }));
    expect(
      await settled(c, [workload('StatefulSet', 'db', 'nginx', { replicas: 2, serviceName: 'db' })]),
    ).toEqual({
      ready: true,
      progress: '2/2 ready',
    });
    const bad = await settled(c, [
      workload('StatefulSet', 'baddb', 'dockercoins/worker:v0.3', { replicas: 2, serviceName: 'db' }),
    ]);
    expect(bad).toMatchObject({ ready: false, progress: '0/2 ready' });
    // Pods start one at a time (OrderedReady): only the first exists.
    expect(bad.reason).toMatch(/^1 pod in ErrImagePull/);
  });
});

describe('Service: ExternalName always; a cluster IP; LoadBalancer needs an ingress unless externalIPs', () => {
  it('ClusterIP, headless and ExternalName services are ready', async () => {
    const c = client();
    expect(await settled(c, [service('web', { ports: [{ port: 80 }] })])).toEqual({
      ready: true,
      progress: 'ready',
    });
    expect(await settled(c, [service('headless', { clusterIP: 'None', ports: [{ port: 80 }] })])).toEqual({
      ready: true,
      progress: 'ready',
    });
    expect(await settled(c, [service('ext', { type: 'ExternalName', externalName: 'example.com' })])).toEqual(
      {
        ready: true,
        progress: 'ExternalName',
      },
    );
  });

  it('a LoadBalancer is ready with the ingress IP the cluster assigns, pending once the pool is empty', async () => {
    const c = client();
    const lb = (name: string, extra: Json = {}) =>
      service(name, { type: 'LoadBalancer', ports: [{ port: 80 }], ...extra });
    // The simulated pool hands out 172.18.255.200 to .250.
    expect(await settled(c, [lb('lb0')])).toEqual({ ready: true, progress: '172.18.255.200' });
    for (let i = 1; i <= 50; i++) await c.create(lb(`lb${i}`));
    const starved = await settled(c, [lb('starved')]);
    expect(starved).toEqual({
      ready: false,
      progress: 'Pending',
      reason: 'waiting for a load balancer ingress',
    });
    expect(await settled(c, [lb('pinned', { externalIPs: ['192.0.2.10'] })])).toEqual({
      ready: true,
      progress: 'ready',
    });
  });
});

describe('PersistentVolumeClaim: Bound', () => {
  it('waits for its first consumer under the default class, then is Bound', async () => {
    const c = client();
    const claim = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    };
    expect(await settled(c, [claim])).toEqual({
      ready: false,
      progress: 'Pending',
      reason: 'waiting for first consumer to be created before binding',
    });
    const user = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'user' },
      spec: {
        volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }],
        containers: [{ name: 'c', image: 'nginx', volumeMounts: [{ name: 'd', mountPath: '/d' }] }],
      },
    };
    await settled(c, [user]);
    expect(await readinessOf(c, ref('v1', 'PersistentVolumeClaim', 'data'))).toEqual({
      ready: true,
      progress: 'Bound',
    });
  });
});

describe('CustomResourceDefinition and everything else', () => {
  it('a CRD the cluster serves is established (the bundled cluster writes no conditions)', async () => {
    const c = client();
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          },
        ],
      },
    };
    await c.create(crd);
    expect(
      await readinessOf(c, {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        name: crd.metadata.name,
      }),
    ).toEqual({ ready: true, progress: 'Established' });
  });

  it('other kinds are ready at once, without being read', async () => {
    const c = client();
    expect(await readinessOf(c, ref('v1', 'ConfigMap', 'never-created'))).toEqual({
      ready: true,
      progress: 'ready',
    });
    // A custom kind named like a built-in is not checked as one.
    expect(await readinessOf(c, ref('example.com/v1', 'Deployment', 'x'))).toEqual({
      ready: true,
      progress: 'ready',
    });
  });
});

/** A client that only reads the given objects (every list returns every object of the kind). */
function fixedClient(objects: KubeObject[]): KubeClient {
  const byResource: Record<string, string> = {
    'deployments.apps': 'Deployment',
    'replicasets.apps': 'ReplicaSet',
    'daemonsets.apps': 'DaemonSet',
    'statefulsets.apps': 'StatefulSet',
    'jobs.batch': 'Job',
    pods: 'Pod',
    'customresourcedefinitions.apiextensions.k8s.io': 'CustomResourceDefinition',
  };
  const ofKind = (resource: unknown) => objects.filter((o) => o.kind === byResource[String(resource)]);
  return {
    get: async (resource: unknown, _ns: string, name: string) => {
      const found = ofKind(resource).find((o) => (o.metadata as Json).name === name);
      if (found === undefined) throw new Error(`unexpected read of ${String(resource)} ${name}`);
      return found;
    },
    list: async (resource: unknown) => ({
      apiVersion: 'v1',
      kind: 'List',
      metadata: { resourceVersion: '1' },
      items: ofKind(resource),
    }),
    kindFor: async () => undefined,
  } as unknown as KubeClient;
}

const template = { metadata: { labels: { app: 'web' } }, spec: podSpec('nginx') };

function fixedDeployment(strategy: Json | undefined, newReady: number): KubeObject[] {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', uid: 'd-1', generation: 1 },
    spec: {
      replicas: 10,
      selector: { matchLabels: { app: 'web' } },
      template,
      ...(strategy ? { strategy } : {}),
    },
    status: { observedGeneration: 1 },
  };
  const rs = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-1', generation: 1, ownerReferences: [{ controller: true, uid: 'd-1' }] },
    spec: {
      replicas: 10,
      template: { ...template, metadata: { labels: { app: 'web', 'pod-template-hash': '1' } } },
    },
    status: { observedGeneration: 1, readyReplicas: newReady },
  };
  return [deployment, rs];
}

describe('the arithmetic, on fixed objects', () => {
  it('Deployment: maxUnavailable 25% of 10 rounds down to 2, so 8 ready pods are enough and 7 are not', async () => {
    const web = ref('apps/v1', 'Deployment', 'web');
    expect(await readinessOf(fixedClient(fixedDeployment(undefined, 8)), web)).toEqual({
      ready: true,
      progress: '8/10 ready',
    });
    expect(await readinessOf(fixedClient(fixedDeployment(undefined, 7)), web)).toEqual({
      ready: false,
      progress: '7/10 ready',
      reason: '7 of 10 new replicas are ready',
    });
    // Recreate allows no unavailable pods.
    const recreate = await readinessOf(fixedClient(fixedDeployment({ type: 'Recreate' }, 9)), web);
    expect(recreate.ready).toBe(false);
  });

  it('DaemonSet: maxUnavailable 25% of 10 rounds up to 3, so 7 ready pods are enough and 6 are not', async () => {
    const ds = (numberReady: number, updated = 10) => ({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'ds', generation: 2 },
      spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%' } } },
      status: {
        observedGeneration: 2,
        desiredNumberScheduled: 10,
        updatedNumberScheduled: updated,
        numberReady,
      },
    });
    const r = ref('apps/v1', 'DaemonSet', 'ds');
    expect((await readinessOf(fixedClient([ds(7)]), r)).ready).toBe(true);
    expect((await readinessOf(fixedClient([ds(6)]), r)).ready).toBe(false);
    expect(await readinessOf(fixedClient([ds(10, 9)]), r)).toEqual({
      ready: false,
      progress: '10/10 ready',
      reason: '9 out of 10 new pods have been updated',
    });
  });

  it('StatefulSet: a partition lowers the updated count needed and skips the revision check', async () => {
    const sts = (partition: number, updated: number) => ({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', generation: 1 },
      spec: { replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition } } },
      status: {
        observedGeneration: 1,
        readyReplicas: 3,
        updatedReplicas: updated,
        currentRevision: 'db-1',
        updateRevision: 'db-2',
      },
    });
    const r = ref('apps/v1', 'StatefulSet', 'db');
    expect((await readinessOf(fixedClient([sts(2, 1)]), r)).ready).toBe(true);
    expect(await readinessOf(fixedClient([sts(0, 3)]), r)).toEqual({
      ready: false,
      progress: '3/3 ready',
      reason: 'waiting for the rolling update to complete at revision db-2',
    });
  });

  it('CRD: Established=True or NamesAccepted=False is ready; Established=False is not', async () => {
    const crd = (conditions: Json[]) => ({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: { group: 'example.com', names: { kind: 'Widget' }, versions: [{ name: 'v1', served: true }] },
      status: { conditions },
    });
    const r = ref('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com');
    const established = crd([{ type: 'Established', status: 'True' }]);
    expect((await readinessOf(fixedClient([established]), r)).ready).toBe(true);
    const conflict = crd([{ type: 'NamesAccepted', status: 'False' }]);
    expect((await readinessOf(fixedClient([conflict]), r)).ready).toBe(true);
    const pending = crd([{ type: 'Established', status: 'False' }]);
    expect(await readinessOf(fixedClient([pending]), r)).toEqual({
      ready: false,
      progress: 'Pending',
      reason: 'waiting for the definition to be established',
    });
  });

  it('Job: no completions counts as ready; failures past the backoff limit fail without a condition', async () => {
    const j = (spec: Json, status: Json) => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'j' },
      spec,
      status,
    });
    const r = ref('batch/v1', 'Job', 'j');
    expect(await readinessOf(fixedClient([j({}, {})]), r, { waitForJobs: true })).toEqual({
      ready: true,
      progress: '0/1 complete',
    });
    expect(
      await readinessOf(fixedClient([j({ completions: 1, backoffLimit: 2 }, { failed: 3 })]), r, {
        waitForJobs: true,
      }),
    ).toEqual({
      ready: false,
      progress: '0/1 complete',
      reason: 'job "j" failed: BackoffLimitExceeded',
      failed: true,
    });
  });
});

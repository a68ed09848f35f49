import { describe, expect, it } from 'vitest';
import { apiError, configMap, deployment, meta, newCluster, service } from './fixtures.js';

describe('create', () => {
  it('sets uid, creationTimestamp, resourceVersion and generation', () => {
    const { api, store } = newCluster();
    const created = api.create(deployment('web'));
    const m = meta(created);
    expect(m.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(m.creationTimestamp).toBe('2024-05-01T10:00:00Z');
    expect(m.resourceVersion).toBe(String(store.currentRevision()));
    expect(m.generation).toBe(1);
    expect(m.namespace).toBe('default');
    expect(created.status).toEqual({});
    expect(api.get('deployments.apps', 'default', 'web')).toEqual(created);
  });

  it('gives kinds without a generation none (ConfigMap)', () => {
    const { api } = newCluster();
    expect(meta(api.create(configMap('c'))).generation).toBeUndefined();
  });

  it('ignores what the server sets (uid, timestamps) and refuses a resourceVersion', () => {
    const { api } = newCluster();
    const cm = configMap('c');
    meta(cm).uid = 'mine';
    meta(cm).creationTimestamp = '2000-01-01T00:00:00Z';
    const created = api.create(cm);
    expect(meta(created).uid).not.toBe('mine');
    expect(meta(created).creationTimestamp).toBe('2024-05-01T10:00:00Z');
    const withRv = configMap('d');
    meta(withRv).resourceVersion = '5';
    const error = apiError(() => api.create(withRv));
    expect([error.code, error.message]).toEqual([
      400,
      'resourceVersion should not be set on objects to be created',
    ]);
  });

  it('generates names from generateName', () => {
    const { api } = newCluster();
    const created = api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'web-' } });
    expect(meta(created).name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    const long = api.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { generateName: 'x'.repeat(70) },
    });
    expect(String(meta(long).name)).toHaveLength(63);
  });

  it('refuses an object without a name', () => {
    const { api } = newCluster();
    const error = apiError(() => api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }));
    expect(error.message).toBe(
      'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required',
    );
  });

  it('keeps (kind, namespace, name) unique: issue 3 acceptance', () => {
    const { api, store } = newCluster({ namespaces: ['blue'] });
    api.create(service('hasher'));
    const before = store.currentRevision();
    const error = apiError(() => api.create(service('hasher')));
    expect(error.status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'services "hasher" already exists',
      reason: 'AlreadyExists',
      details: { name: 'hasher', group: '', kind: 'services' },
      code: 409,
    });
    expect(store.currentRevision()).toBe(before);
    // The same name as another kind, or in another namespace, is fine.
    api.create(deployment('hasher'));
    api.create(service('hasher'), { namespace: 'blue' });
    expect(apiError(() => api.create(deployment('hasher'))).message).toBe(
      'deployments.apps "hasher" already exists',
    );
  });

  it('reports validation failures in Kubernetes words, storing nothing', () => {
    const { api, store } = newCluster();
    const before = store.currentRevision();
    const bad = deployment('web');
    (bad.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels = {
      app: 'other',
    };
    const error = apiError(() => api.create(bad));
    expect(error.code).toBe(422);
    expect(error.message).toBe(
      'Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`',
    );
    expect(error.status.details).toEqual({
      name: 'web',
      group: 'apps',
      kind: 'Deployment',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`',
          field: 'spec.template.metadata.labels',
        },
      ],
    });
    const two = deployment('Web', -1);
    expect(apiError(() => api.create(two)).message).toMatch(
      /^Deployment\.apps "Web" is invalid: \[metadata\.name: Invalid value: "Web": a lowercase RFC 1123 subdomain .*, spec\.replicas: Invalid value: -1: must be greater than or equal to 0\]$/,
    );
    expect(store.currentRevision()).toBe(before);
  });

  it('checks the namespace: missing → 404, mismatched → 400', () => {
    const { api, store } = newCluster();
    const before = store.currentRevision();
    expect(apiError(() => api.create(configMap('c'), { namespace: 'nope' })).status).toMatchObject({
      code: 404,
      reason: 'NotFound',
      message: 'namespaces "nope" not found',
    });
    expect(apiError(() => api.create(configMap('c', {}, 'a'), { namespace: 'b' })).message).toBe(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
    expect(store.currentRevision()).toBe(before);
  });

  it('stores cluster-scoped objects without a namespace', () => {
    const { api } = newCluster();
    const role = api.create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'r', namespace: 'x' },
    });
    expect(meta(role).namespace).toBeUndefined();
    expect(api.get('clusterroles.rbac.authorization.k8s.io', '', 'r')).toEqual(role);
  });

  it('refuses unknown kinds', () => {
    const { api } = newCluster();
    expect(
      apiError(() => api.create({ apiVersion: 'v1', kind: 'Nope', metadata: { name: 'x' } })).message,
    ).toBe('no matches for kind "Nope" in version "v1"');
  });

  it('runs everything but stores nothing on a dry run', () => {
    const { api, store } = newCluster();
    const before = store.currentRevision();
    const created = api.create(service('web'), { dryRun: true });
    expect(meta(created).uid).toBeDefined();
    expect(meta(created).resourceVersion).toBeUndefined();
    expect((created.spec as Record<string, unknown>).clusterIP).toMatch(/^10\./);
    expect(store.currentRevision()).toBe(before);
    expect(() => api.get('services', 'default', 'web')).toThrow('services "web" not found');
    // The dry run drew no randomness: a real create gets the same uid.
    expect(meta(api.create(service('web'))).uid).toBe(meta(created).uid);
  });
});

describe('get and list', () => {
  it('reports NotFound with the qualified resource', () => {
    const { api } = newCluster();
    expect(apiError(() => api.get('deployments.apps', 'default', 'web')).status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'deployments.apps "web" not found',
      reason: 'NotFound',
      details: { name: 'web', group: 'apps', kind: 'deployments' },
      code: 404,
    });
    expect(apiError(() => api.get('pods', 'default', 'nope')).message).toBe('pods "nope" not found');
    expect(apiError(() => api.get('widgets', 'default', 'x')).message).toBe(
      'the server could not find the requested resource',
    );
  });

  it('resolves short names and kinds', () => {
    const { api } = newCluster();
    api.create(deployment('web'));
    expect(meta(api.get('deploy', 'default', 'web')).name).toBe('web');
    expect(meta(api.get('Deployment', 'default', 'web')).name).toBe('web');
  });

  it('lists with selectors, namespaces, pages and the list resourceVersion', () => {
    const { api, store } = newCluster({ namespaces: ['blue'] });
    for (const [name, ns, tier] of [
      ['a', 'default', 'fe'],
      ['b', 'default', 'be'],
      ['c', 'blue', 'fe'],
      ['d', 'blue', 'db'],
    ] as const) {
      api.create(configMap(name, { metadata: { name, namespace: ns, labels: { tier } } }));
    }
    const all = api.list('configmaps');
    expect(all.kind).toBe('ConfigMapList');
    expect(all.apiVersion).toBe('v1');
    expect(all.metadata.resourceVersion).toBe(String(store.currentRevision()));
    expect(all.items.map((o) => meta(o).name)).toEqual(['c', 'd', 'a', 'b']);
    expect(api.list('configmaps', { namespace: 'default' }).items.map((o) => meta(o).name)).toEqual([
      'a',
      'b',
    ]);
    expect(api.list('cm', { labelSelector: 'tier=fe' }).items.map((o) => meta(o).name)).toEqual(['c', 'a']);
    expect(
      api.list('cm', { labelSelector: 'tier notin (fe)', namespace: 'blue' }).items.map((o) => meta(o).name),
    ).toEqual(['d']);
    expect(api.list('cm', { fieldSelector: 'metadata.name=b' }).items.map((o) => meta(o).name)).toEqual([
      'b',
    ]);
    const page1 = api.list('cm', { limit: 3 });
    expect(page1.items).toHaveLength(3);
    expect(page1.metadata.remainingItemCount).toBe(1);
    const page2 = api.list('cm', { limit: 3, continue: page1.metadata.continue! });
    expect(page2.items.map((o) => meta(o).name)).toEqual(['b']);
    expect(page2.metadata.continue).toBeUndefined();
    expect(apiError(() => api.list('cm', { fieldSelector: 'spec.nodeName=x' })).message).toBe(
      'field label not supported: spec.nodeName',
    );
  });
});

describe('update', () => {
  it('uses the stored resourceVersion for optimistic concurrency', () => {
    const { api, store } = newCluster();
    const v1 = api.create(deployment('web'));
    const v2 = api.update({ ...v1, spec: { ...(v1.spec as object), replicas: 3 } });
    expect(Number(meta(v2).resourceVersion)).toBeGreaterThan(Number(meta(v1).resourceVersion));
    const before = store.currentRevision();
    const error = apiError(() => api.update({ ...v1, spec: { ...(v1.spec as object), replicas: 5 } }));
    expect(error.status).toMatchObject({
      code: 409,
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
      details: { name: 'web', group: 'apps', kind: 'deployments' },
    });
    expect(store.currentRevision()).toBe(before);
    // Without a resourceVersion the update is unconditional.
    const { resourceVersion: _rv, ...m } = meta(v1);
    const v3 = api.update({ ...v1, metadata: m, spec: { ...(v1.spec as object), replicas: 5 } });
    expect((v3.spec as { replicas: number }).replicas).toBe(5);
  });

  it('bumps generation on spec changes only', () => {
    const { api } = newCluster();
    const v1 = api.create(deployment('web'));
    const labelled = api.update({ ...v1, metadata: { ...meta(v1), labels: { app: 'web', x: 'y' } } });
    expect(meta(labelled).generation).toBe(1);
    const statusOnly = api.update({ ...labelled, status: { replicas: 3 } }, { subresource: 'status' });
    expect(meta(statusOnly).generation).toBe(1);
    const scaled = api.update({ ...statusOnly, spec: { ...(statusOnly.spec as object), replicas: 2 } });
    expect(meta(scaled).generation).toBe(2);
  });

  it('stores nothing on a dry run and keeps the resourceVersion', () => {
    const { api, store } = newCluster();
    const v1 = api.create(configMap('c'));
    const before = store.currentRevision();
    const dry = api.update({ ...v1, data: { key: 'changed' } }, { dryRun: true });
    expect(dry.data).toEqual({ key: 'changed' });
    expect(meta(dry).resourceVersion).toBe(meta(v1).resourceVersion);
    expect(store.currentRevision()).toBe(before);
    expect(api.get('cm', 'default', 'c').data).toEqual({ key: 'value' });
  });

  it('writes nothing when nothing changed', () => {
    const { api, store } = newCluster();
    const v1 = api.create(configMap('c'));
    const before = store.currentRevision();
    expect(api.update(v1)).toEqual(v1);
    expect(store.currentRevision()).toBe(before);
  });

  it('keeps uid, creationTimestamp and status from the stored object; the status subresource changes only status', () => {
    const { api, clock } = newCluster();
    const v1 = api.create(deployment('web'));
    clock.advance(60);
    const v2 = api.update({
      ...v1,
      metadata: { ...meta(v1), creationTimestamp: '2000-01-01T00:00:00Z' },
      status: { replicas: 9 },
    });
    expect(meta(v2).creationTimestamp).toBe('2024-05-01T10:00:00Z');
    expect(v2.status).toEqual({});
    const v3 = api.update(
      { ...v2, spec: { replicas: 7 }, status: { replicas: 1 } },
      { subresource: 'status' },
    );
    expect(v3.status).toEqual({ replicas: 1 });
    expect(v3.spec).toEqual(v1.spec);
    expect(apiError(() => api.update({ ...v3, metadata: { ...meta(v3), uid: 'other' } })).message).toBe(
      'Deployment.apps "web" is invalid: metadata.uid: Invalid value: "other": field is immutable',
    );
  });

  it.each([
    [
      'a Deployment selector',
      deployment('web'),
      (o: Record<string, unknown>) => {
        const spec = o.spec as Record<string, unknown>;
        spec.selector = { matchLabels: { app: 'web', v: '2' } };
        (spec.template as { metadata: { labels: Record<string, string> } }).metadata.labels = {
          app: 'web',
          v: '2',
        };
      },
      'Deployment.apps "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "v":"2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    ],
    [
      'a Service clusterIP',
      service('web', { clusterIP: '10.96.0.50' }),
      (o: Record<string, unknown>) => {
        (o.spec as Record<string, unknown>).clusterIP = '10.96.0.51';
      },
      'Service "web" is invalid: spec.clusterIP: Invalid value: "10.96.0.51": field is immutable',
    ],
    [
      'an immutable ConfigMap',
      configMap('c', { immutable: true }),
      (o: Record<string, unknown>) => {
        o.data = { key: 'changed' };
      },
      'ConfigMap "c" is invalid: data: Forbidden: field is immutable when `immutable` is set',
    ],
    [
      'a PVC spec',
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'data' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      },
      (o: Record<string, unknown>) => {
        (o.spec as Record<string, unknown>).accessModes = ['ReadWriteMany'];
      },
      'PersistentVolumeClaim "data" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
    ],
  ])('refuses changing %s', (_name, manifest, change, message) => {
    const { api } = newCluster();
    const created = api.create(manifest);
    const changed = structuredClone(created);
    change(changed);
    expect(apiError(() => api.update(changed)).message).toBe(message);
  });

  it('lets a PVC grow', () => {
    const { api } = newCluster();
    const pvc = api.create({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data' },
      spec: { resources: { requests: { storage: '1Gi' } } },
    });
    const grown = api.patch(
      'pvc',
      'default',
      'data',
      { spec: { resources: { requests: { storage: '2Gi' } } } },
      'merge',
    );
    expect(meta(grown).resourceVersion).not.toBe(meta(pvc).resourceVersion);
  });
});

describe('scale subresource', () => {
  it('reads and writes autoscaling/v1 Scale', () => {
    const { api } = newCluster();
    api.create(deployment('web', 2));
    const scale = api.get('deployments.apps', 'default', 'web', { subresource: 'scale' });
    expect(scale).toMatchObject({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 2 },
      status: { replicas: 0, selector: 'app=web' },
    });
    const patched = api.patch('deployments.apps', 'default', 'web', { spec: { replicas: 4 } }, 'merge', {
      subresource: 'scale',
    });
    expect(patched.spec).toEqual({ replicas: 4 });
    const deploy = api.get('deployments.apps', 'default', 'web');
    expect((deploy.spec as { replicas: number }).replicas).toBe(4);
    expect(meta(deploy).generation).toBe(2);
    const updated = api.update(
      { ...patched, spec: { replicas: 1 } },
      { subresource: 'scale', resource: 'deployments.apps' },
    );
    expect(updated.spec).toEqual({ replicas: 1 });
    expect(
      apiError(() =>
        api.update({ ...patched, spec: { replicas: 2 } }, { subresource: 'scale', resource: 'deploy' }),
      ).reason,
    ).toBe('Conflict');
    expect(
      apiError(() =>
        api.patch('deploy', 'default', 'web', { spec: { replicas: -1 } }, 'merge', { subresource: 'scale' }),
      ).message,
    ).toBe(
      'Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    );
  });

  it('serves ReplicationControllers and custom resources, not ConfigMaps', () => {
    const { api } = newCluster();
    api.create({
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'rc' },
      spec: { replicas: 1, selector: { b: '2', a: '1' } },
    });
    expect(api.get('rc', 'default', 'rc', { subresource: 'scale' }).status).toEqual({
      replicas: 0,
      selector: 'a=1,b=2',
    });
    api.create({
      apiVersion: 'stable.example.com/v1',
      kind: 'CronTab',
      metadata: { name: 'ct' },
      spec: { replicas: 3 },
    });
    expect(api.get('ct', 'default', 'ct', { subresource: 'scale' }).spec).toEqual({ replicas: 3 });
    api.create(configMap('c'));
    expect(apiError(() => api.get('cm', 'default', 'c', { subresource: 'scale' })).code).toBe(404);
  });
});

describe('patch', () => {
  it('applies merge, strategic and JSON patches', () => {
    const { api } = newCluster();
    api.create(deployment('web'));
    api.patch('deploy', 'default', 'web', { metadata: { labels: { x: 'y' } } }, 'merge');
    api.patch(
      'deploy',
      'default',
      'web',
      { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:2' }] } } } },
      'strategic',
    );
    const out = api.patch(
      'deploy',
      'default',
      'web',
      [{ op: 'replace', path: '/spec/replicas', value: 3 }],
      'json',
    );
    expect(meta(out).labels).toEqual({ app: 'web', x: 'y' });
    expect(out.spec).toMatchObject({
      replicas: 3,
      template: { spec: { containers: [{ name: 'web', image: 'nginx:2' }] } },
    });
    expect(meta(out).generation).toBe(3);
  });

  it('reports patch failures as Kubernetes does', () => {
    const { api, store } = newCluster();
    api.create(deployment('web'));
    const before = store.currentRevision();
    const failed = apiError(() =>
      api.patch('deploy', 'default', 'web', [{ op: 'test', path: '/spec/replicas', value: 9 }], 'json'),
    );
    expect([failed.code, failed.message, failed.status.details?.causes?.[0]?.message]).toEqual([
      422,
      'the server rejected our request due to an error in our request',
      'testing value /spec/replicas failed: test failed',
    ]);
    expect(apiError(() => api.patch('deploy', 'default', 'web', '{nope', 'merge')).code).toBe(400);
    expect(
      apiError(() => api.patch('deploy', 'default', 'web', { metadata: { name: 'other' } }, 'merge')).message,
    ).toBe('the name of the object (other) does not match the name on the URL (web)');
    expect(apiError(() => api.patch('deploy', 'default', 'nope', {}, 'merge')).message).toBe(
      'deployments.apps "nope" not found',
    );
    expect(
      apiError(() => api.patch('deploy', 'default', 'web', { metadata: { resourceVersion: '1' } }, 'merge'))
        .reason,
    ).toBe('Conflict');
    api.create({ apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'ct' }, spec: {} });
    expect(
      apiError(() => api.patch('ct', 'default', 'ct', { spec: { a: 1 } }, 'strategic')).status,
    ).toMatchObject({
      code: 415,
      reason: 'UnsupportedMediaType',
    });
    expect(store.currentRevision()).toBe(before + 1);
  });
});

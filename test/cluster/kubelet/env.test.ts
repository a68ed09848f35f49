import { afterEach, describe, expect, it } from 'vitest';
import { type Cluster, openCluster } from '../../../src/cluster/cluster.js';
import { processSpecOf } from '../../../src/cluster/kubelet/behaviour.js';
import { expandVariables, resolveContainerEnv } from '../../../src/cluster/kubelet/env.js';
import type { KubeObject } from '../../../src/cluster/store/types.js';

const clusters: Cluster[] = [];
afterEach(() => {
  podCount = 0;
  for (const c of clusters.splice(0)) c.close();
});

function cluster(): Cluster {
  const c = openCluster({ wallClock: () => new Date('2025-03-01T12:00:00Z'), controllers: () => [] });
  clusters.push(c);
  return c;
}

let podCount = 0;
function pod(
  c: Cluster,
  container: Record<string, unknown>,
  spec: Record<string, unknown> = {},
  namespace = 'default',
): KubeObject {
  const created = c.api.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: podCount++ === 0 ? 'web' : `web-${podCount}`,
      namespace,
      labels: { app: 'web', tier: 'front' },
      annotations: { team: 'blue' },
    },
    spec: { nodeName: 'node2', containers: [{ name: 'web', image: 'nginx', ...container }], ...spec },
  });
  return { ...created, status: { ...(created.status as object), podIP: '10.244.1.7', hostIP: '10.0.0.12' } };
}

function envOf(c: Cluster, p: KubeObject, name = 'web'): Record<string, string> {
  const r = resolveContainerEnv(c.api, p, name);
  if (!r.ok) throw new Error(r.message);
  return { ...r.env };
}

const service = (name: string, namespace: string, ports: Record<string, unknown>[]) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace },
  spec: { selector: { app: name }, ports },
});

describe('resolveContainerEnv', () => {
  it('expands $(VAR) against the variables declared before, keeps unknown ones and unescapes $$', () => {
    const c = cluster();
    const env = envOf(
      c,
      pod(c, {
        env: [
          { name: 'A', value: 'alpha' },
          { name: 'B', value: '$(A)-beta' },
          { name: 'C', value: '$(LATER) $$(A) $(A' },
          { name: 'LATER', value: 'late' },
          { name: 'D', value: 'cost: $5' },
        ],
      }),
    );
    expect(env.A).toBe('alpha');
    expect(env.B).toBe('alpha-beta');
    expect(env.C).toBe('$(LATER) $(A) $(A');
    expect(env.D).toBe('cost: $5');
  });

  it('expandVariables follows Kubernetes rules', () => {
    const lookup = (n: string) => ({ X: 'x' })[n];
    expect(expandVariables('$(X)$(X)', lookup)).toBe('xx');
    expect(expandVariables('$$(X)', lookup)).toBe('$(X)');
    expect(expandVariables('$$$(X)', lookup)).toBe('$x');
    expect(expandVariables('a$', lookup)).toBe('a$');
    expect(expandVariables('$(Y)', lookup)).toBe('$(Y)');
  });

  it('reads the downward API (fieldRef)', () => {
    const c = cluster();
    const p = pod(c, {
      env: [
        ['NAME', 'metadata.name'],
        ['NS', 'metadata.namespace'],
        ['UID', 'metadata.uid'],
        ['APP', "metadata.labels['app']"],
        ['TEAM', "metadata.annotations['team']"],
        ['LABELS', 'metadata.labels'],
        ['NODE', 'spec.nodeName'],
        ['SA', 'spec.serviceAccountName'],
        ['IP', 'status.podIP'],
        ['HOST', 'status.hostIP'],
      ].map(([name, fieldPath]) => ({ name, valueFrom: { fieldRef: { fieldPath } } })),
    });
    const env = envOf(c, p);
    expect(env).toMatchObject({
      NAME: 'web',
      NS: 'default',
      UID: String((p.metadata as { uid: string }).uid),
      APP: 'web',
      TEAM: 'blue',
      LABELS: 'app="web"\ntier="front"',
      NODE: 'node2',
      SA: 'default',
      IP: '10.244.1.7',
      HOST: '10.0.0.12',
    });
  });

  it('reads requests and limits (resourceFieldRef), an unset limit being the node allocatable', () => {
    const c = cluster();
    const env = envOf(
      c,
      pod(c, {
        resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { memory: '128Mi' } },
        env: [
          {
            name: 'MEM_LIMIT',
            valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } },
          },
          { name: 'MEM_BYTES', valueFrom: { resourceFieldRef: { resource: 'requests.memory' } } },
          { name: 'CPU_REQ', valueFrom: { resourceFieldRef: { resource: 'requests.cpu', divisor: '1m' } } },
          { name: 'CPU_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
        ],
      }),
    );
    expect(env).toMatchObject({ MEM_LIMIT: '128', MEM_BYTES: '67108864', CPU_REQ: '250', CPU_LIMIT: '2' });
  });

  it('takes envFrom first (with its prefix), then env overrides', () => {
    const c = cluster();
    c.api.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg', namespace: 'default' },
      data: { COLOR: 'red', SIZE: 'L' },
    });
    const env = envOf(
      c,
      pod(c, {
        envFrom: [{ configMapRef: { name: 'cfg' } }, { configMapRef: { name: 'cfg' }, prefix: 'X_' }],
        env: [
          { name: 'COLOR', value: 'blue' },
          { name: 'BOTH', value: '$(SIZE)/$(X_COLOR)' },
        ],
      }),
    );
    expect(env).toMatchObject({ COLOR: 'blue', SIZE: 'L', X_COLOR: 'red', X_SIZE: 'L', BOTH: 'L/red' });
  });

  it('adds the service links of the namespace and of kubernetes, unless enableServiceLinks is false', () => {
    const c = cluster();
    const redis = c.api.create(
      service('redis-master', 'default', [
        { name: 'redis', port: 6379 },
        { name: 'sentinel', port: 26379 },
      ]),
    );
    c.api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'elsewhere-ns' } });
    c.api.create(service('other', 'elsewhere-ns', [{ port: 80 }]));
    const ip = String((redis.spec as { clusterIP: string }).clusterIP);
    const env = envOf(
      c,
      pod(c, {
        env: [{ name: 'REDIS', value: '$(REDIS_MASTER_SERVICE_HOST):$(REDIS_MASTER_SERVICE_PORT)' }],
      }),
    );
    expect(env).toMatchObject({
      REDIS: `${ip}:6379`,
      REDIS_MASTER_SERVICE_HOST: ip,
      REDIS_MASTER_SERVICE_PORT: '6379',
      REDIS_MASTER_SERVICE_PORT_REDIS: '6379',
      REDIS_MASTER_SERVICE_PORT_SENTINEL: '26379',
      REDIS_MASTER_PORT: `tcp://${ip}:6379`,
      REDIS_MASTER_PORT_6379_TCP: `tcp://${ip}:6379`,
      REDIS_MASTER_PORT_6379_TCP_PROTO: 'tcp',
      REDIS_MASTER_PORT_6379_TCP_PORT: '6379',
      REDIS_MASTER_PORT_6379_TCP_ADDR: ip,
      REDIS_MASTER_PORT_26379_TCP_ADDR: ip,
      KUBERNETES_SERVICE_HOST: '10.96.0.1',
      KUBERNETES_SERVICE_PORT: '443',
      KUBERNETES_PORT: 'tcp://10.96.0.1:443',
    });
    expect(Object.keys(env).some((k) => k.startsWith('OTHER_'))).toBe(false);
    // The container's own variables come first.
    expect(Object.keys(env)[0]).toBe('REDIS');
    const unlinked = envOf(c, pod(c, {}, { enableServiceLinks: false }, 'default'));
    expect(Object.keys(unlinked).some((k) => k.startsWith('REDIS_MASTER'))).toBe(false);
    expect(unlinked.KUBERNETES_SERVICE_HOST).toBe('10.96.0.1');
  });

  it('rebuilt for a container that started earlier, leaves out services created after it started', () => {
    const c = cluster();
    const p = pod(c, {});
    c.api.create(service('late', 'default', [{ port: 80 }]));
    const r = resolveContainerEnv(c.api, p, 'web', { servicesAt: Date.parse('2025-03-01T11:00:00Z') });
    expect(r.ok && Object.keys(r.env).some((k) => k.startsWith('LATE_'))).toBe(false);
  });

  it('reports the missing source in the kubelet words', () => {
    const c = cluster();
    const r = resolveContainerEnv(c.api, pod(c, { envFrom: [{ secretRef: { name: 'creds' } }] }), 'web');
    expect(r).toEqual({ ok: false, message: 'secret "creds" not found' });
  });

  it('expands $(VAR) in command and args with the container environment', () => {
    const spec = processSpecOf(
      { command: ['sh', '-c', 'echo $(GREETING) $$(GREETING) $(NOPE)'], args: ['$(NAME)'] },
      { GREETING: 'hello', NAME: 'web' },
      'web-abc',
    );
    expect(spec.command).toEqual(['sh', '-c', 'echo hello $(GREETING) $(NOPE)']);
    expect(spec.args).toEqual(['web']);
    expect(spec.env).toEqual({ HOSTNAME: 'web-abc', GREETING: 'hello', NAME: 'web' });
  });
});

/**
 * Builders for the machinery tests: a small kinds registry and schema (fakes of the kinds
 * layer's contracts), a virtual clock and a cluster with its namespaces.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { ClusterApi, type ClusterApiOptions } from '../../../../src/cluster/api/machinery/cluster-api.js';
import { SeededRandom } from '../../../../src/cluster/api/machinery/seeded-random.js';
import {
  ApiError,
  apiVersionOf,
  type FieldError,
  type KindInfo,
  type KindRegistry,
  type ObjectSchema,
  type Scope,
} from '../../../../src/cluster/api/types.js';
import { MemoryStore, SqliteStore } from '../../../../src/cluster/store/index.js';
import type { KubeObject, ObjectStore } from '../../../../src/cluster/store/types.js';

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** A kind for the fake registry. */
export function kind(
  group: string,
  version: string,
  kindName: string,
  plural: string,
  scope: Scope = 'Namespaced',
  subresources: string[] = [],
  shortNames: string[] = [],
): KindInfo {
  return {
    group,
    version,
    kind: kindName,
    plural,
    singular: kindName.toLowerCase(),
    shortNames,
    scope,
    categories: [],
    verbs: ALL_VERBS,
    subresources,
  };
}

/** The kinds the tests use. */
export const KINDS: readonly KindInfo[] = [
  kind('', 'v1', 'Namespace', 'namespaces', 'Cluster', ['status'], ['ns']),
  kind('', 'v1', 'Node', 'nodes', 'Cluster', ['status'], ['no']),
  kind('', 'v1', 'Pod', 'pods', 'Namespaced', ['status'], ['po']),
  kind('', 'v1', 'Service', 'services', 'Namespaced', ['status'], ['svc']),
  kind('', 'v1', 'ConfigMap', 'configmaps', 'Namespaced', [], ['cm']),
  kind('', 'v1', 'Secret', 'secrets'),
  kind('', 'v1', 'Event', 'events', 'Namespaced', [], ['ev']),
  kind('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', 'Namespaced', ['status'], ['pvc']),
  kind(
    '',
    'v1',
    'ReplicationController',
    'replicationcontrollers',
    'Namespaced',
    ['status', 'scale'],
    ['rc'],
  ),
  kind('apps', 'v1', 'Deployment', 'deployments', 'Namespaced', ['status', 'scale'], ['deploy']),
  kind('apps', 'v1', 'ReplicaSet', 'replicasets', 'Namespaced', ['status', 'scale'], ['rs']),
  kind('apps', 'v1', 'StatefulSet', 'statefulsets', 'Namespaced', ['status', 'scale'], ['sts']),
  kind('apps', 'v1', 'DaemonSet', 'daemonsets', 'Namespaced', ['status'], ['ds']),
  kind('batch', 'v1', 'Job', 'jobs', 'Namespaced', ['status']),
  kind('rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles', 'Cluster'),
  kind('stable.example.com', 'v1', 'CronTab', 'crontabs', 'Namespaced', ['status', 'scale'], ['ct']),
];

/** A registry over `KINDS`. */
export class FakeRegistry implements KindRegistry {
  private kinds: KindInfo[] = [...KINDS];
  all(): readonly KindInfo[] {
    return this.kinds;
  }
  forObject(apiVersion: string, kindName: string): KindInfo | undefined {
    const v = apiVersion === 'extensions/v1beta1' && kindName === 'Deployment' ? 'apps/v1' : apiVersion;
    return this.kinds.find((k) => apiVersionOf(k) === v && k.kind === kindName);
  }
  resolve(arg: string): readonly KindInfo[] {
    const [name, ...group] = arg.split('.');
    const g = group.join('.');
    return this.kinds.filter(
      (k) =>
        (group.length === 0 || k.group === g) &&
        [k.plural, k.singular, k.kind.toLowerCase(), ...k.shortNames].includes(name!.toLowerCase()),
    );
  }
  register(info: KindInfo): void {
    this.kinds = [...this.kinds.filter((k) => !(k.group === info.group && k.kind === info.kind)), info];
  }
  unregister(group: string, kindName: string): void {
    this.kinds = this.kinds.filter((k) => !(k.group === group && k.kind === kindName));
  }
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function field(object: KubeObject, path: string): unknown {
  let cur: unknown = object;
  for (const k of path.split('.'))
    cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
  return cur;
}

/** A schema that defaults and validates the few things the tests rely on. */
export class FakeSchema implements ObjectSchema {
  convert(object: KubeObject, info: KindInfo): KubeObject {
    return { ...object, apiVersion: apiVersionOf(info) };
  }
  applyDefaults(object: KubeObject, info: KindInfo): void {
    const spec = object.spec as Record<string, unknown> | undefined;
    if (info.kind === 'Service' && spec && spec.type === undefined) spec.type = 'ClusterIP';
    if (info.kind === 'Deployment' && spec && spec.replicas === undefined) spec.replicas = 1;
  }
  validate(object: KubeObject, info: KindInfo): FieldError[] {
    const errors: FieldError[] = [];
    const name = field(object, 'metadata.name');
    if (typeof name === 'string' && !NAME.test(name)) {
      errors.push({
        type: 'Invalid',
        field: 'metadata.name',
        value: name,
        message:
          "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      });
    }
    const replicas = field(object, 'spec.replicas');
    if (replicas !== undefined && (typeof replicas !== 'number' || replicas < 0)) {
      errors.push({
        type: 'Invalid',
        field: 'spec.replicas',
        value: replicas,
        message: 'must be greater than or equal to 0',
      });
    }
    if (info.kind === 'Deployment') {
      const selector = field(object, 'spec.selector.matchLabels') as Record<string, string> | undefined;
      const labels = (field(object, 'spec.template.metadata.labels') ?? {}) as Record<string, string>;
      if (selector && Object.entries(selector).some(([k, v]) => labels[k] !== v)) {
        errors.push({
          type: 'Invalid',
          field: 'spec.template.metadata.labels',
          value: labels,
          message: '`selector` does not match template `labels`',
        });
      }
    }
    return errors;
  }
}

/** A virtual clock that tests move forward. */
export class TestClock {
  private ms: number;
  constructor(start = '2024-05-01T10:00:00Z') {
    this.ms = Date.parse(start);
  }
  readonly now = (): Date => new Date(this.ms);
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

/** A cluster for one test. */
export interface TestCluster {
  readonly api: ClusterApi;
  readonly store: ObjectStore;
  readonly clock: TestClock;
  readonly registry: FakeRegistry;
}

/** Which store a cluster uses. */
export type StoreKind = 'memory' | 'sqlite';

const sqliteStores: { store: ObjectStore; dir: string }[] = [];

// Registered by each test file that imports these fixtures.
afterAll(() => {
  for (const { store, dir } of sqliteStores.splice(0)) {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Opens a fresh store (SQLite ones are closed and removed after the test file). */
export function openTestStore(which: StoreKind = 'memory'): ObjectStore {
  if (which === 'memory') return new MemoryStore();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bosun-machinery-'));
  const store = new SqliteStore(path.join(dir, 'cluster.db'));
  sqliteStores.push({ store, dir });
  return store;
}

/** A cluster with the namespaces `default` and `kube-system` (and any extra ones). */
export function newCluster(
  options: {
    seed?: number;
    store?: ObjectStore;
    namespaces?: string[];
    api?: Partial<ClusterApiOptions>;
  } = {},
): TestCluster {
  const store = options.store ?? new MemoryStore();
  const clock = new TestClock();
  const registry = new FakeRegistry();
  const api = new ClusterApi({
    store,
    registry,
    schema: new FakeSchema(),
    clock: clock.now,
    random: new SeededRandom(options.seed ?? 42),
    ...options.api,
  });
  for (const ns of ['default', 'kube-system', ...(options.namespaces ?? [])]) {
    api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  }
  return { api, store, clock, registry };
}

/** A ConfigMap manifest. */
export function configMap(name: string, extra: Record<string, unknown> = {}, namespace?: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    data: { key: 'value' },
    ...extra,
  };
}

/** A Deployment manifest. */
export function deployment(name: string, replicas = 1, image = 'nginx:1.25'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image }] } },
    },
  };
}

/** A Service manifest. */
export function service(name: string, spec: Record<string, unknown> = {}, namespace?: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 80 }], ...spec },
  };
}

/** An owner reference to an object. */
export function ownerRef(owner: KubeObject, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const meta = owner.metadata as Record<string, unknown>;
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: meta.name, uid: meta.uid, ...extra };
}

/** The metadata of an object. */
export function meta(object: KubeObject): Record<string, unknown> {
  return object.metadata as Record<string, unknown>;
}

/** The ApiError a call throws (fails the test when it throws something else or nothing). */
export function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

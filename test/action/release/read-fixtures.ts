/**
 * Fixtures for the read-side release tests (list, history, status, get): release records built
 * directly, and release contexts over the memory driver.
 */

import type { ReleaseContext } from '../../../src/action/release/context.js';
import type { KubeClient } from '../../../src/kube/index.js';
import type { HookRecord, Release, ReleaseStatus } from '../../../src/release/release.js';
import { createStorage, MemoryDriver } from '../../../src/storage/index.js';

/** What {@link makeRelease} lets a test choose. */
export interface ReleaseFixture {
  namespace?: string;
  /** RFC 3339; `null` leaves `last_deployed` unset. */
  lastDeployed?: string | null;
  description?: string;
  config?: Record<string, unknown>;
  notes?: string;
  manifest?: string;
  hooks?: HookRecord[];
  chartName?: string;
  chartVersion?: string;
  appVersion?: string;
  chartValues?: Record<string, unknown>;
  labels?: Record<string, string>;
  applyMethod?: string;
}

/** A revision of a `chickadee-1.0.0` (app 0.0.1) release, as Helm's own list tests use. */
export function makeRelease(
  name: string,
  version: number,
  status: ReleaseStatus,
  f: ReleaseFixture = {},
): Release {
  const lastDeployed = f.lastDeployed === undefined ? '2016-01-16T00:00:01Z' : f.lastDeployed;
  return {
    name,
    info: {
      first_deployed: '2016-01-16T00:00:00Z',
      ...(lastDeployed === null ? {} : { last_deployed: lastDeployed }),
      description: f.description ?? 'Release mock',
      status,
      ...(f.notes !== undefined ? { notes: f.notes } : {}),
    },
    chart: {
      metadata: {
        apiVersion: 'v2',
        name: f.chartName ?? 'chickadee',
        version: f.chartVersion ?? '1.0.0',
        appVersion: f.appVersion ?? '0.0.1',
        type: 'application',
      },
      lock: null,
      templates: [],
      values: f.chartValues ?? { image: { repository: 'nginx', tag: 'stable' }, replicas: 1 },
      schema: null,
      files: [],
    },
    config: f.config ?? {},
    manifest: f.manifest ?? '',
    ...(f.hooks ? { hooks: f.hooks } : {}),
    version,
    namespace: f.namespace ?? 'default',
    ...(f.labels ? { labels: f.labels } : {}),
    ...(f.applyMethod ? { apply_method: f.applyMethod } : {}),
  };
}

/** A release context over one memory store, seen from `namespace` (and from all namespaces). */
export function memoryContext(namespace = 'default', client = {} as KubeClient): ReleaseContext {
  const driver = new MemoryDriver(namespace);
  return {
    client,
    namespace,
    storage: createStorage(driver),
    allNamespaces: createStorage(driver.withNamespace('')),
  };
}

/** Stores releases, each in its own namespace. */
export async function store(ctx: ReleaseContext, releases: readonly Release[]): Promise<void> {
  const all = ctx.allNamespaces!;
  const byNs = all.driver as MemoryDriver;
  for (const r of releases) await createStorage(byNs.withNamespace(r.namespace)).create(r);
}

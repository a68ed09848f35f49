/**
 * Opening a simulated cluster: the store (SQLite at `<home>/cluster.db`, or memory), the kinds,
 * the API, the virtual clock and the seeded generator, and the bootstrap on first use.
 *
 * - The first open of a home bootstraps it in one transaction; the check runs inside that
 *   transaction, so processes opening a fresh home together bootstrap it once (the others wait
 *   for the write lock, then find it done). A store that already holds objects but no bootstrap
 *   record is left as it is.
 * - The virtual clock lives in store meta. A command starts at max(stored virtual time, wall
 *   time) and follows the wall clock from there; `advance` moves it ahead (a settle) and stores
 *   it. It never runs backwards: an earlier wall clock does not take it back.
 * - The generator state lives in store meta too (the API stores it after each write); `seed`
 *   only seeds a cluster that has none yet.
 */

import { mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { BuiltinKindRegistry, KubeObjectSchema } from './api/kinds/index.js';
import { ClusterApi } from './api/machinery/cluster-api.js';
import { DEFAULT_SEED, SeededRandom } from './api/machinery/seeded-random.js';
import { bootstrapCluster, checkNodeCount } from './bootstrap/bootstrap.js';
import { DEFAULT_NODES } from './bootstrap/topology.js';
import { createKubeletServices, type KubeletServices } from './kubelet/api.js';
import { createMetricsServices, type MetricsServices } from './metrics/index.js';
import { builtinControllers } from './runtime/controllers.js';
import { ControllerManager } from './runtime/manager.js';
import type { ControllerFactory } from './runtime/types.js';
import { openStore, type SqliteStoreOptions } from './store/index.js';
import type { KubeObject, ObjectStore } from './store/types.js';
import { defaultStorageClassAdmission } from './volumes/default-storage-class.js';

/** The database file name under a cluster home. */
export const CLUSTER_DB = 'cluster.db';
/** The store key of CustomResourceDefinitions. */
const CRD_RESOURCE = 'customresourcedefinitions.apiextensions.k8s.io';
/** Meta key of the virtual clock (milliseconds since the epoch). */
export const CLOCK_META = 'cluster.virtual-time';
/** Meta key of the bootstrap record (written once, with the bootstrap). */
export const BOOTSTRAP_META = 'cluster.bootstrap';

/** What {@link openCluster} takes. */
export interface OpenClusterOptions {
  /** The cluster's directory (`$BOSUN_HOME`); undefined keeps the cluster in memory. */
  readonly home?: string;
  /** Nodes of a new cluster (ignored when the cluster exists). @default 3 */
  readonly nodes?: number;
  /** The wall clock. @default () => new Date() */
  readonly wallClock?: () => Date;
  /** Seeds a new cluster's generator (a bootstrapped cluster keeps its stored state). */
  readonly seed?: number;
  /** The controllers to run. @default every built-in controller */
  readonly controllers?: () => readonly ControllerFactory[];
  /** Options of the SQLite store (with `home`). */
  readonly store?: SqliteStoreOptions;
}

/** What the bootstrap recorded. */
export interface BootstrapRecord {
  readonly nodes: number;
  readonly seed: number;
  /** When the cluster was bootstrapped (virtual time, RFC 3339). */
  readonly at: string;
}

/** An open cluster. */
export interface Cluster {
  readonly store: ObjectStore;
  readonly registry: BuiltinKindRegistry;
  readonly schema: KubeObjectSchema;
  readonly api: ClusterApi;
  /** The database file, or undefined for an in-memory cluster. */
  readonly databasePath: string | undefined;
  /** Whether this open bootstrapped the cluster. */
  readonly bootstrapped: boolean;
  /** The cluster's current (virtual) time. */
  now(): Date;
  /** Moves the clock `ms` ahead (at least to the wall time first), stores it and returns it. */
  advance(ms: number): Date;
  /**
   * The controllers (scheduler, kubelet, workload controllers…): `runtime.settle()` plays out
   * pending changes, `runtime.advance(ms)` lets time pass.
   */
  readonly runtime: ControllerManager;
  /** Container logs and exec, as the kubelet serves them. */
  readonly kubelet: KubeletServices;
  /** Simulated resource usage (`metrics.k8s.io`). */
  readonly metrics: MetricsServices;
  /** Stores the clock if this process wrote anything, and closes the store. */
  close(): void;
}

function storedTime(store: Pick<ObjectStore, 'getMeta'>): number {
  const value = store.getMeta(CLOCK_META);
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** Opens (and on first use bootstraps) a cluster. */
export function openCluster(options: OpenClusterOptions = {}): Cluster {
  const wall = options.wallClock ?? (() => new Date());
  const nodes = checkNodeCount(options.nodes ?? DEFAULT_NODES);
  const seed = options.seed ?? DEFAULT_SEED;
  let databasePath: string | undefined;
  if (options.home !== undefined) {
    mkdirSync(options.home, { recursive: true, mode: 0o700 });
    databasePath = path.join(options.home, CLUSTER_DB);
  }
  const store = openStore(databasePath, options.store);
  try {
    const registry = new BuiltinKindRegistry();
    const schema = new KubeObjectSchema(registry);
    const random = new SeededRandom(seed);
    let virtual = Math.max(storedTime(store), wall().getTime());
    let pinned: number | undefined;
    const clock = (): Date => {
      if (pinned !== undefined) return new Date(pinned);
      const w = wall().getTime();
      if (w > virtual) virtual = w;
      return new Date(virtual);
    };
    const api = new ClusterApi({
      store,
      registry,
      schema,
      clock,
      random,
      admission: [defaultStorageClassAdmission(store)],
    });
    // Kinds declared by stored CustomResourceDefinitions (the registry lives in this process).
    for (const crd of store.list(CRD_RESOURCE).items) {
      try {
        registry.registerCrd(crd.object);
      } catch {
        // A CRD the registry cannot serve stays stored; its objects are refused as unknown kinds.
      }
    }

    const bootstrapped = store.transaction((tx) => {
      if (tx.getMeta(BOOTSTRAP_META) !== undefined || store.currentRevision() > 0) return false;
      const end = new Date(Math.max(storedTime(tx), clock().getTime()));
      try {
        bootstrapCluster({
          api,
          nodes,
          end,
          setClock: (time) => {
            pinned = time.getTime();
          },
          draw: (fn) => api.draw(fn),
        });
      } finally {
        pinned = undefined;
      }
      const record: BootstrapRecord = { nodes, seed, at: end.toISOString() };
      tx.setMeta(BOOTSTRAP_META, record);
      tx.setMeta(CLOCK_META, end.getTime());
      return true;
    });
    // Another process may have bootstrapped (or advanced) the cluster while this one waited.
    virtual = Math.max(virtual, storedTime(store));

    // Whether this process wrote anything: the first change is enough to know, so the listener
    // goes at once instead of being handed every later change.
    let wrote = false;
    const unsubscribe = store.subscribe(() => {
      wrote = true;
      unsubscribe();
    });
    const advance = (ms: number): Date => {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`cannot advance the clock by ${ms} ms`);
      return store.transaction((tx) => {
        virtual = Math.max(storedTime(tx), clock().getTime()) + ms;
        tx.setMeta(CLOCK_META, virtual);
        return new Date(virtual);
      });
    };
    const runtime = new ControllerManager({
      store,
      api,
      random,
      controllers: (options.controllers ?? builtinControllers)().map((factory) => factory()),
      clock: {
        now: clock,
        advanceTo: (time) => {
          const ms = time - clock().getTime();
          if (ms > 0) advance(ms);
        },
      },
    });
    const host = { api, store, now: clock };
    return {
      runtime,
      kubelet: createKubeletServices(host),
      metrics: createMetricsServices(host),
      store,
      registry,
      schema,
      api,
      databasePath,
      bootstrapped,
      now: clock,
      advance,
      close() {
        unsubscribe();
        try {
          if (wrote) {
            const time = clock().getTime();
            store.transaction((tx) => {
              if (time > storedTime(tx)) tx.setMeta(CLOCK_META, time);
            });
          }
        } finally {
          store.close();
        }
      },
    };
  } catch (error) {
    store.close();
    throw error;
  }
}

/** The files of a cluster database under `home`. */
export function clusterFiles(home: string): string[] {
  const db = path.join(home, CLUSTER_DB);
  return [db, `${db}-wal`, `${db}-shm`];
}

/**
 * Deletes the cluster under `home` (`cluster.db` and its `-wal` and `-shm` files) and nothing
 * else. A file that is not a bosun cluster database is refused untouched (the store's open check);
 * a bosun database is opened and closed first, so its WAL is checkpointed and released.
 * Returns the files removed.
 */
export function resetCluster(home: string): string[] {
  const files = clusterFiles(home);
  const [db] = files as [string, string, string];
  if (!exists(db)) {
    // Leftover WAL/SHM files without their database are stale: remove them too.
    const stale = files.filter(exists);
    for (const file of stale) rmSync(file, { force: true });
    return stale;
  }
  openStore(db).close();
  const removed = files.filter(exists);
  for (const file of [...removed].reverse()) rmSync(file, { force: true });
  return removed;
}

function exists(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}

/** A node in {@link ClusterStatus}. */
export interface NodeSummary {
  readonly name: string;
  readonly ready: boolean;
  readonly roles: readonly string[];
  readonly internalIP: string | undefined;
}

/** What `bosun cluster status` shows. */
export interface ClusterStatus {
  readonly nodes: readonly NodeSummary[];
  readonly namespaces: readonly string[];
  /** Pod counts by phase (Running, Pending, …). */
  readonly pods: Readonly<Record<string, number>>;
  /** The store revision (the latest resourceVersion). */
  readonly revision: number;
  /** The cluster's virtual time. */
  readonly time: Date;
  readonly bootstrap: BootstrapRecord | undefined;
  /** The database file and its size with its WAL (bytes), or undefined in memory. */
  readonly database: { readonly path: string; readonly sizeBytes: number } | undefined;
}

const field = (object: KubeObject, ...keys: string[]): unknown => {
  let value: unknown = object;
  for (const key of keys)
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return value;
};

/** A summary of a cluster: nodes, namespaces, pods by phase, revision, time, database. */
export function clusterStatus(cluster: Cluster): ClusterStatus {
  const nodes = cluster.api.list('nodes').items.map((node): NodeSummary => {
    const conditions = (field(node, 'status', 'conditions') ?? []) as { type?: string; status?: string }[];
    const labels = (field(node, 'metadata', 'labels') ?? {}) as Record<string, string>;
    const addresses = (field(node, 'status', 'addresses') ?? []) as { type?: string; address?: string }[];
    return {
      name: String(field(node, 'metadata', 'name')),
      ready: conditions.some((c) => c.type === 'Ready' && c.status === 'True'),
      roles: Object.keys(labels)
        .filter((k) => k.startsWith('node-role.kubernetes.io/'))
        .map((k) => k.slice('node-role.kubernetes.io/'.length)),
      internalIP: addresses.find((a) => a.type === 'InternalIP')?.address,
    };
  });
  const pods: Record<string, number> = {};
  for (const pod of cluster.api.list('pods').items) {
    const phase = String(field(pod, 'status', 'phase') ?? 'Unknown');
    pods[phase] = (pods[phase] ?? 0) + 1;
  }
  const record = cluster.store.getMeta(BOOTSTRAP_META) as BootstrapRecord | undefined;
  const dbPath = cluster.databasePath;
  return {
    nodes,
    namespaces: cluster.api.list('namespaces').items.map((n) => String(field(n, 'metadata', 'name'))),
    pods,
    revision: cluster.store.currentRevision(),
    time: cluster.now(),
    bootstrap: record,
    database:
      dbPath === undefined
        ? undefined
        : {
            path: dbPath,
            sizeBytes: [dbPath, `${dbPath}-wal`].reduce(
              (sum, f) => sum + (exists(f) ? statSync(f).size : 0),
              0,
            ),
          },
  };
}

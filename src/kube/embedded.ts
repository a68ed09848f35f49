/**
 * The embedded cluster of a `$BOSUN_HOME` (default `~/.bosun`): its SQLite file `cluster.db`,
 * opened as a `KubeClient`, and the kubeconfig `$BOSUN_HOME/kubeconfig` that names it (one
 * cluster `bosun`, user `bosun-admin`, context `bosun` in namespace `default`), created on first
 * use. kubectl commands read their default namespace from the current context.
 */

import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  type ClusterStatus,
  clusterFiles,
  clusterStatus,
  openCluster,
  resetCluster,
} from '../cluster/cluster.js';
import {
  type CatalogListing,
  listImages,
  type MetaAccess,
  type PushedImage,
  pushImage,
} from '../cluster/images/registry.js';
import { InvalidArgumentError } from '../internal/errors.js';
import { InProcessKubeClient } from './in-process-client.js';
import type { KubeClient } from './kube-client.js';

export {
  type Kubeconfig,
  type KubeconfigContext,
  kubeconfigPath,
  readKubeconfig,
  writeKubeconfig,
} from './kubeconfig.js';

/** The name of the embedded cluster, its user and its context in the kubeconfig. */
export const EMBEDDED_CONTEXT = 'bosun';

/** `$BOSUN_HOME`, else `~/.bosun`. */
export function bosunHome(env: Readonly<Record<string, string | undefined>>): string {
  const home = env.BOSUN_HOME;
  return home !== undefined && home !== '' ? path.resolve(home) : path.join(os.homedir(), '.bosun');
}

/** An open embedded cluster, as a client. */
export interface EmbeddedCluster {
  readonly client: KubeClient;
  /** Stores the cluster clock and closes the store (the client is unusable afterwards). */
  close(): void;
}

/** Options of {@link openEmbeddedCluster}. */
export interface OpenEmbeddedOptions {
  /** The wall clock the cluster clock follows. @default () => new Date() */
  readonly wallClock?: () => Date;
  /** Seeds a new cluster's generator. */
  readonly seed?: number;
  /**
   * Whether the controllers run when the cluster opens and, after a write, when it closes.
   * @default true
   */
  readonly settle?: boolean;
}

/**
 * Opens the cluster kept in `home`, bootstrapping it on first use; `undefined` opens a fresh
 * cluster in memory (tests).
 */
export function openEmbeddedCluster(
  home: string | undefined,
  options: OpenEmbeddedOptions = {},
): EmbeddedCluster {
  const cluster = openCluster({
    ...(home === undefined ? {} : { home }),
    ...(options.wallClock ? { wallClock: options.wallClock } : {}),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  });
  let wrote = false;
  const unsubscribe = cluster.store.subscribe(() => {
    wrote = true;
  });
  try {
    // Time has passed since the last command: let the cluster catch up before this one looks.
    if (options.settle !== false) cluster.runtime.settle();
  } catch (error) {
    unsubscribe();
    cluster.close();
    throw error;
  }
  wrote = false;
  return {
    client: new InProcessKubeClient(cluster),
    close: () => {
      unsubscribe();
      try {
        // The command changed the cluster: let the controllers play the change out.
        if (wrote && options.settle !== false) cluster.runtime.settle();
      } finally {
        cluster.close();
      }
    },
  };
}

/** What `bosun cluster status` reports (the cluster's own summary). */
export type { ClusterStatus };

/** Whether `home` already holds a cluster database. */
export function embeddedClusterExists(home: string): boolean {
  return existsSync(clusterFiles(home)[0]!);
}

/**
 * Creates the cluster of `home` with `nodes` nodes. Refuses when one exists: its nodes are
 * part of its state, so a different size needs `bosun cluster reset` first.
 */
export function initEmbeddedCluster(
  home: string,
  options: { nodes?: number; wallClock?: () => Date } = {},
): ClusterStatus {
  if (embeddedClusterExists(home)) {
    throw new InvalidArgumentError(
      `a cluster already exists in ${home}: run "bosun cluster reset" first to make a new one`,
    );
  }
  const cluster = openCluster({
    home,
    ...(options.nodes === undefined ? {} : { nodes: options.nodes }),
    ...(options.wallClock ? { wallClock: options.wallClock } : {}),
  });
  try {
    return clusterStatus(cluster);
  } finally {
    cluster.close();
  }
}

/** The status of the cluster of `home` (opening it bootstraps it when it does not exist yet). */
export function embeddedClusterStatus(home: string, options: { wallClock?: () => Date } = {}): ClusterStatus {
  const cluster = openCluster({ home, ...(options.wallClock ? { wallClock: options.wallClock } : {}) });
  try {
    return clusterStatus(cluster);
  } finally {
    cluster.close();
  }
}

/** Deletes the cluster of `home` (its database files only); returns the files removed. */
export function resetEmbeddedCluster(home: string): string[] {
  return resetCluster(home);
}

/** What {@link advanceEmbeddedCluster} did to the cluster clock. */
export interface ClockAdvance {
  /** The cluster time before (after catching up with the wall clock). */
  readonly from: Date;
  /** The cluster time after: `from` plus the span, or later when what was due kept it busy. */
  readonly to: Date;
}

/**
 * Lets `ms` of cluster time pass in the cluster of `home`: every wake-up in that span happens
 * (image-pull and crash-loop back-offs, progress deadlines, cron schedules…), then the cluster
 * settles. The clock is stored with the cluster, so later commands start from it.
 */
export function advanceEmbeddedCluster(
  home: string,
  ms: number,
  options: { wallClock?: () => Date } = {},
): ClockAdvance {
  if (!Number.isFinite(ms) || ms < 0) throw new InvalidArgumentError(`cannot advance the clock by ${ms} ms`);
  const cluster = openCluster({ home, ...(options.wallClock ? { wallClock: options.wallClock } : {}) });
  try {
    // Time has passed since the last command: catch up first, as every command does.
    cluster.runtime.settle();
    const from = cluster.now();
    cluster.runtime.advance(ms);
    return { from, to: cluster.now() };
  } finally {
    cluster.close();
  }
}

export type { CatalogListing, PushedImage };

/** The store meta of an open cluster, as the image registry reads and writes it. */
const metaOf = (cluster: ReturnType<typeof openCluster>): MetaAccess => ({
  get: (name) => cluster.store.getMeta(name),
  set: (name, value) => cluster.store.transaction((tx) => tx.setMeta(name, value)),
});

/**
 * Pushes `ref` to the simulated registry of the cluster of `home` (tagged from `from`, which
 * must be pullable), as `docker push` does: pods that failed to pull it succeed on their next
 * retry. Refuses a name that does not parse in the registry's words.
 */
export function pushEmbeddedImage(
  home: string,
  ref: string,
  from?: string,
  options: { wallClock?: () => Date } = {},
): PushedImage {
  const cluster = openCluster({ home, ...(options.wallClock ? { wallClock: options.wallClock } : {}) });
  try {
    return pushImage(metaOf(cluster), ref, { ...(from === undefined ? {} : { from }), now: cluster.now() });
  } catch (error) {
    throw error instanceof InvalidArgumentError
      ? error
      : new InvalidArgumentError((error as Error).message, { cause: error });
  } finally {
    cluster.close();
  }
}

/** The images pods of the cluster of `home` can run: the catalog's and those pushed. */
export function listEmbeddedImages(home: string): {
  readonly catalog: readonly CatalogListing[];
  readonly pushed: readonly PushedImage[];
} {
  const cluster = openCluster({ home });
  try {
    return listImages(metaOf(cluster));
  } finally {
    cluster.close();
  }
}

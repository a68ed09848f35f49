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

/**
 * The embedded cluster of a `$BOSUN_HOME` (default `~/.bosun`): its SQLite file `cluster.db`,
 * opened as a `KubeClient`, and the kubeconfig `$BOSUN_HOME/kubeconfig` that names it (one
 * cluster `bosun`, user `bosun-admin`, context `bosun` in namespace `default`), created on first
 * use. kubectl commands read their default namespace from the current context.
 */

import os from 'node:os';
import path from 'node:path';
import { openCluster } from '../cluster/cluster.js';
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
  return { client: new InProcessKubeClient(cluster), close: () => cluster.close() };
}

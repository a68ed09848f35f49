/**
 * What every release action gets: the cluster client, the release namespace, release storage in
 * that namespace, and how to report notices. The CLI builds one per command (`-n`, the current
 * context's namespace); tests build one over an embedded cluster or the memory driver.
 */

import type { KubeClient } from '../../kube/index.js';
import type { Storage } from '../../storage/storage.js';

/** The environment of a release action. */
export interface ReleaseContext {
  readonly client: KubeClient;
  /** The release namespace (`-n`, else the current context's). */
  readonly namespace: string;
  /** Release storage in `namespace`. */
  readonly storage: Storage;
  /** Release storage across every namespace (`list -A`). */
  readonly allNamespaces?: Storage;
  /** Non-fatal notices for stderr (a namespace created, a stale lock taken over). */
  readonly notice?: (line: string) => void;
  /** Aborts a running operation (Ctrl-C): the release is marked failed and the lock released. */
  readonly signal?: AbortSignal;
  /** Who holds the release lock while this process works on a release. @default `bosun-PID@HOST` */
  readonly holder?: string;
  /** How long the release lock lasts without renewal, in seconds. @default 60 */
  readonly leaseSeconds?: number;
}

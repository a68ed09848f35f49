/**
 * Release storage drivers (`pkg/storage/driver`): where revisions live. The Secret driver keeps
 * them in the cluster as Helm does; the memory driver serves tests and `template`. One contract
 * suite runs against both.
 */

import type { Release, ReleaseStatus } from '../release/release.js';

/** Which revisions a query selects: every given field must match (labels as Helm stores them). */
export interface ReleaseQuery {
  readonly name?: string;
  readonly status?: ReleaseStatus;
  /** Extra storage labels that must match (user `--labels`). */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A place revisions are stored, in one namespace or (namespace `''`) across all of them. */
export interface Driver {
  /** `Secret` or `Memory`, as Helm's `driver.Name()`. */
  readonly name: string;
  /** One revision by key; throws `ReleaseNotFoundError` (`release: not found`). */
  get(key: string): Promise<Release>;
  /** Every revision for which `filter` holds (all namespaces the driver sees). */
  list(filter: (release: Release) => boolean): Promise<Release[]>;
  /** Revisions matching the query; throws `ReleaseNotFoundError` when none do (Helm's Query). */
  query(query: ReleaseQuery): Promise<Release[]>;
  /** Stores a new revision; throws `ReleaseExistsError` (`release: already exists`) when the key is taken. */
  create(key: string, release: Release): Promise<void>;
  /** Replaces a stored revision; throws `ReleaseNotFoundError` when it is not stored. */
  update(key: string, release: Release): Promise<void>;
  /** Removes a revision and returns it; throws `ReleaseNotFoundError`. */
  delete(key: string): Promise<Release>;
}

/**
 * What the Secret driver needs from a cluster: the Secret verbs of a `KubeClient`, in its own
 * words (storage sits below `kube/`, so it names only this much).
 */
export interface SecretsClient {
  get(resource: 'secrets', namespace: string, name: string): Promise<Record<string, unknown>>;
  list(
    resource: 'secrets',
    options?: { namespace?: string; labelSelector?: string },
  ): Promise<{ readonly items: readonly Record<string, unknown>[] }>;
  create(object: Record<string, unknown>, options?: { namespace?: string }): Promise<Record<string, unknown>>;
  update(object: Record<string, unknown>): Promise<Record<string, unknown>>;
  delete(resource: 'secrets', namespace: string, name: string): Promise<Record<string, unknown>>;
}

/**
 * The cluster's object store: versioned Kubernetes objects, one cluster-wide revision (the
 * resourceVersion) and a log of watch events, behind one {@link ObjectStore} contract.
 *
 * - {@link SqliteStore} keeps the cluster in one SQLite file (`$BOSUN_HOME/cluster.db`) that
 *   several bosun processes share: WAL, `BEGIN IMMEDIATE` for every write, the revision counter
 *   read under the write lock. Files that are not bosun's, or that a newer bosun wrote, are
 *   refused untouched. In a `deferCommits` scope (a settle) a writer thread commits in groups
 *   while the store reads its own writes from memory.
 * - {@link MemoryStore} is the same contract in memory, for tests.
 *
 * Both copy objects in and out (through JSON), so callers never share mutable state with the
 * store; both keep a label index for `labelEquals` and the last 10,000 events for `eventsSince`
 * (older revisions throw `Expired`, Kubernetes' 410 Gone).
 *
 * The store never edits objects: the API layer stamps `metadata.resourceVersion` from
 * `StoredObject.revision` when it reads. Meta values (`setMeta`) do not bump the revision.
 */

import { MemoryStore } from './memory-store.js';
import { SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
import type { ObjectStore } from './types.js';

export { MemoryStore } from './memory-store.js';
export { DEFAULT_EVENT_HISTORY, type StoreOptions } from './records.js';
export { APPLICATION_ID, SCHEMA_VERSION } from './sqlite-schema.js';
export { SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
export {
  type KubeObject,
  type ListOptions,
  type ListResult,
  type ObjectKey,
  type ObjectStore,
  type StoredObject,
  StoreError,
  type StoreErrorReason,
  type StoreWriter,
  type WatchEvent,
  type WatchEventType,
} from './types.js';

/** Opens the SQLite store at `path`, or a fresh memory store when there is no path. */
export function openStore(path?: string, options?: SqliteStoreOptions): ObjectStore {
  return path === undefined ? new MemoryStore(options) : new SqliteStore(path, options);
}

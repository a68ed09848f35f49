/**
 * The cluster's persistence contract. Objects are JSON; every write bumps one cluster-wide
 * revision (the resourceVersion), as etcd's revision does. Implementations: SQLite (default,
 * one file under $BOSUN_HOME) and memory (tests); one contract suite runs on both.
 *
 * The store is synchronous: better-sqlite3 is, and it keeps the API layer simple.
 */

/** A Kubernetes object as JSON. */
export type KubeObject = Record<string, unknown>;

/** Where an object lives: its resource (`pods`, `deployments.apps`), namespace ('' if cluster-scoped) and name. */
export interface ObjectKey {
  readonly resource: string;
  readonly namespace: string;
  readonly name: string;
}

/** An object as stored, with the revision of its last write. */
export interface StoredObject {
  readonly key: ObjectKey;
  readonly object: KubeObject;
  readonly revision: number;
}

/** What a watch reports. */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change, at the revision that made it; `object` is the object after (or, for DELETED, before) it. */
export interface WatchEvent {
  readonly type: WatchEventType;
  readonly key: ObjectKey;
  readonly object: KubeObject;
  readonly revision: number;
}

/** Options of `list`. */
export interface ListOptions {
  /** Only this namespace ('' = cluster-scoped objects only; undefined = all). */
  readonly namespace?: string;
  /** Only objects whose `metadata.labels` have these exact values (served from an index). */
  readonly labelEquals?: Readonly<Record<string, string>>;
  /**
   * Only objects whose stored JSON contains this text (a prefilter answered inside the store,
   * e.g. `"ownerReferences"`; callers check the field itself). Not combined with `labelEquals`.
   */
  readonly contains?: string;
}

/** A consistent list: the items and the store revision it was taken at. */
export interface ListResult {
  readonly items: readonly StoredObject[];
  readonly revision: number;
}

/** Store failures the API layer turns into Kubernetes errors. */
export type StoreErrorReason = 'AlreadyExists' | 'NotFound' | 'Conflict' | 'Expired' | 'Corrupt';

/** A store failure with a reason. */
export class StoreError extends Error {
  constructor(
    readonly reason: StoreErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/** Operations available inside a transaction (all-or-nothing). */
export interface StoreWriter {
  get(key: ObjectKey): StoredObject | undefined;
  /** Creates; `AlreadyExists` when the key is taken. Returns the stored object at its new revision. */
  create(key: ObjectKey, object: KubeObject): StoredObject;
  /**
   * Replaces; `NotFound` when absent; `Conflict` when `expectedRevision` is given and differs
   * from the stored revision.
   */
  update(key: ObjectKey, object: KubeObject, expectedRevision?: number): StoredObject;
  /** Deletes; `NotFound` when absent; `Conflict` on a revision mismatch. Returns the deleted object. */
  delete(key: ObjectKey, expectedRevision?: number): StoredObject;
  /** Small cluster-wide values (virtual clock, PRNG state, allocators), stored as JSON. */
  getMeta(name: string): unknown;
  setMeta(name: string, value: unknown): void;
}

/** The persistence contract. */
export interface ObjectStore extends StoreWriter {
  /** The revision of the last write (0 for an empty store). */
  currentRevision(): number;
  list(resource: string, options?: ListOptions): ListResult;
  /**
   * Runs `fn` as one transaction (SQLite: `BEGIN IMMEDIATE`, so concurrent processes queue
   * instead of failing). Nested calls join the outer transaction. A throw rolls everything back.
   */
  transaction<T>(fn: (tx: StoreWriter) => T): T;
  /**
   * Runs `fn`, many transactions in a row (a settle), letting the store hold back their commits
   * until it returns (SQLite: a writer thread commits them in groups). Inside, this process
   * reads its own writes as always; other processes see them later. Nested calls join the outer.
   */
  deferCommits<T>(fn: () => T): T;
  /**
   * Changes after `revision` (exclusive), oldest first, optionally for one resource. Throws
   * `Expired` when events that old were compacted away (Kubernetes' 410 Gone).
   */
  eventsSince(revision: number, resource?: string): WatchEvent[];
  /** Calls `listener` for every change this process makes, after it commits. Returns an unsubscribe function. */
  subscribe(listener: (event: WatchEvent) => void): () => void;
  close(): void;
}

/**
 * The SQLite store's connection to the cluster database: the file opened and checked, the
 * prepared statements, the object cache (exact while no other connection commits), background
 * checkpoints, and the reads the store makes from the file. The only module that loads
 * better-sqlite3.
 */

import { createRequire } from 'node:module';
import { type CachedRow, cacheIdOf, type DecodedCell, ObjectCache, storedOf } from './object-cache.js';
import { toWatchEvent } from './records.js';
import { Checkpointer } from './sqlite-checkpointer.js';
import { LOGGED_WRITES } from './sqlite-ops.js';
import {
  AUTOCHECKPOINT_PAGES,
  classifyError,
  openError,
  preflight,
  prepareDatabase,
  type SqliteConstructor,
  type SqliteDatabase,
  type SqliteStatement,
  type SqliteTransaction,
} from './sqlite-schema.js';
import { listSql, type ObjectRow, prepareStatements, type Statements } from './sqlite-statements.js';
import type { SqliteStoreOptions } from './sqlite-store-options.js';
import type { WriterThreadOptions } from './sqlite-writer.js';
import type { ObjectKey, StoredObject, WatchEvent } from './types.js';

/** The writer's own automatic checkpoint mark, in pages, while a checkpoint worker runs. */
const BACKSTOP_PAGES = 262_144;

/** The writer thread commits after this many statements, or this long after its last commit. */
const GROUP_STATEMENTS = 20_000;
const GROUP_MS = 1000;

// Loaded on first use, so commands that never open the cluster do not pay for the native module.
// A runtime require also keeps the bundler from trying to inline it.
const requireFromHere = createRequire(import.meta.url);
let driver: SqliteConstructor | undefined;

/** One open connection of a SQLite store. */
export class SqliteConnection {
  readonly db: SqliteDatabase;
  readonly s: Statements;
  /** Wraps a body in BEGIN…COMMIT (its variants pick the BEGIN). */
  readonly txn: SqliteTransaction;
  /**
   * The latest rows of recently used objects. Exact while `dataVersion` holds: this connection's
   * writes update it, another connection's commit (a new `PRAGMA data_version`) or a rollback
   * empties it.
   */
  readonly cache: ObjectCache;
  readonly checkpointer: Checkpointer | undefined;
  private readonly busyTimeoutMs: number;
  private readonly listStatements = new Map<string, SqliteStatement<ObjectRow>>();
  private dataVersion = -1;
  private closed = false;

  /**
   * Opens (or creates) the database at `path`. Refuses, without modifying it, a file that is not a
   * bosun cluster database or that a newer bosun wrote (`StoreError` 'Corrupt' naming the path).
   */
  constructor(
    readonly path: string,
    options?: SqliteStoreOptions,
  ) {
    this.cache = new ObjectCache(options?.objectCacheSize ?? 8192);
    const busyTimeoutMs = options?.busyTimeoutMs ?? 10_000;
    this.busyTimeoutMs = busyTimeoutMs;
    preflight(path);
    driver ??= requireFromHere('better-sqlite3') as SqliteConstructor;
    let db: SqliteDatabase | undefined;
    try {
      db = new driver(path, { timeout: busyTimeoutMs });
      prepareDatabase(db, path, busyTimeoutMs);
      this.s = prepareStatements(db);
    } catch (error) {
      db?.close();
      throw openError(path, error);
    }
    this.db = db;
    this.txn = db.transaction((body) => body());
    const everyBytes = options?.checkpointEveryBytes ?? 64 * 1024 * 1024;
    if (everyBytes > 0) {
      const autocheckpoint = (pages: number) => {
        if (!this.closed) db.pragma(`wal_autocheckpoint = ${pages}`, { simple: true });
      };
      this.checkpointer = new Checkpointer({
        path,
        driver: requireFromHere.resolve('better-sqlite3'),
        everyBytes,
        busyTimeoutMs,
        onStart: () => autocheckpoint(BACKSTOP_PAGES),
        onFail: () => autocheckpoint(AUTOCHECKPOINT_PAGES),
      });
    }
  }

  /** What a writer thread on this database starts with (`writeBehindGroup`: see the options). */
  writerOptions(group: number | undefined): WriterThreadOptions {
    return {
      path: this.path,
      driver: requireFromHere.resolve('better-sqlite3'),
      busyTimeoutMs: this.busyTimeoutMs,
      autocheckpoint: this.checkpointer?.running ? BACKSTOP_PAGES : AUTOCHECKPOINT_PAGES,
      writes: LOGGED_WRITES.map(([name, arity]) => [this.s[name].source, arity] as const),
      setStateCode: LOGGED_WRITES.findIndex(([name]) => name === 'setState'),
      commitStatements: group ?? GROUP_STATEMENTS,
      commitMs: GROUP_MS,
    };
  }

  /**
   * Runs reads; with `snapshot`, several statements see one state (a deferred transaction, unless
   * one is already open). `fresh`: first empty the cache if another connection committed.
   */
  reading<T>(snapshot: boolean, fresh: boolean, fn: () => T): T {
    try {
      if (fresh) this.checkDataVersion();
      return (snapshot && !this.db.inTransaction ? this.txn.deferred(fn) : fn()) as T;
    } catch (error) {
      throw classifyError(this.path, error);
    }
  }

  /** Empties the cache when another connection committed since the last look. */
  checkDataVersion(): void {
    const version = this.s.dataVersion.get()!.data_version;
    if (version !== this.dataVersion) {
      this.cache.clear();
      this.dataVersion = version;
    }
  }

  /**
   * After this store's writer thread committed up to `revision` and let go of the lock: its
   * commits are the store's own, so the cache stays, unless another process wrote since (the
   * revision moved on).
   */
  adopt(revision: number): void {
    const version = this.s.dataVersion.get()!.data_version;
    if (this.s.state.get()!.revision === revision) this.dataVersion = version;
    else this.cache.clear();
  }

  /** The current row of `key` (cache id `id`): from the cache, else read from the file (and cached). */
  row(key: ObjectKey, id: string): CachedRow | undefined {
    const cached = this.cache.get(id);
    if (cached !== undefined) return cached;
    const head = this.s.headData.get(key.resource, key.namespace, key.name);
    if (head === undefined) return undefined;
    const row: CachedRow = {
      key: Object.freeze({ resource: key.resource, namespace: key.namespace, name: key.name }),
      id: head.id,
      revision: head.revision,
      labels: head.labels,
      text: head.data,
      transient: true,
    };
    this.cache.set(id, row);
    return row;
  }

  /** The cached row of `key` when it is at `revision` (its decoded object is shared), else a new cell. */
  cellOf(key: ObjectKey, revision: number, text: string): DecodedCell {
    const cached = this.cache.get(cacheIdOf(key));
    return cached !== undefined && cached.revision === revision ? cached : { text };
  }

  /** The objects of `resource` in the file, in (namespace, name) order (call inside `reading`). */
  list(
    resource: string,
    namespace: string | undefined,
    selector: readonly (readonly [string, string])[],
    contains: string | undefined,
  ): StoredObject[] {
    const params: unknown[] = [resource];
    for (const [k, v] of selector.slice(0, 1)) params.push(k, v);
    if (namespace !== undefined) params.push(namespace);
    for (const [k, v] of selector.slice(1)) params.push(k, v);
    if (contains !== undefined) params.push(contains);
    const statement = this.listStatement(namespace !== undefined, selector.length, contains !== undefined);
    return statement.all(...params).map((row) => {
      const key = Object.freeze({ resource, namespace: row.namespace, name: row.name });
      return storedOf(key, row.revision, this.cellOf(key, row.revision, row.data));
    });
  }

  /** The events in the file after `revision`, optionally of one resource (call inside `reading`). */
  events(revision: number, resource: string | undefined): WatchEvent[] {
    const rows =
      resource === undefined ? this.s.events.all(revision) : this.s.eventsOf.all(revision, resource);
    return rows.map((row) => {
      const key = Object.freeze({ resource: row.resource, namespace: row.namespace, name: row.name });
      const cell = this.cellOf(key, row.revision, row.data);
      return toWatchEvent({ type: row.type, key, cell, revision: row.revision });
    });
  }

  /** The keys of every object of `resource` in the file. */
  keysOf(resource: string): ObjectKey[] {
    return this.s.keysOf.all(resource).map(({ namespace, name }) => ({ resource, namespace, name }));
  }

  /** Closes the checkpoint worker, then the connection. */
  close(): void {
    this.checkpointer?.close();
    this.closed = true;
    this.db.close();
  }

  /** The list query for a shape (namespace or not, number of labels, a text filter), prepared once. */
  private listStatement(byNamespace: boolean, labels: number, contains: boolean): SqliteStatement<ObjectRow> {
    const shape = `${byNamespace}:${labels}:${contains}`;
    let statement = this.listStatements.get(shape);
    if (statement !== undefined) return statement;
    statement = this.db.prepare<ObjectRow>(listSql(byNamespace, labels, contains));
    this.listStatements.set(shape, statement);
    return statement;
  }
}

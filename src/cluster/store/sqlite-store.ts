/**
 * The SQLite object store: one database file shared by every bosun process on the machine (as
 * k3s keeps its cluster in SQLite through kine). The only module that loads better-sqlite3.
 */

import { createRequire } from 'node:module';
import { EventBus } from './event-bus.js';
import { MetaBuffer } from './meta-buffer.js';
import {
  type CachedRow,
  cacheIdOf,
  type DecodedCell,
  ObjectCache,
  storedOf,
  textOf,
  transientCell,
} from './object-cache.js';
import {
  alreadyExists,
  assertSync,
  checkRevision,
  closedError,
  type EventRecord,
  encodeObject,
  expired,
  historyOf,
  labelsOf,
  notFound,
  ownKey,
  selectorOf,
  toWatchEvent,
} from './records.js';
import { Checkpointer } from './sqlite-checkpointer.js';
import { indexLabels, revertWrite, type Undo, unindexLabels } from './sqlite-rows.js';
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
  sqliteCode,
} from './sqlite-schema.js';
import { listSql, type ObjectRow, prepareStatements, type Statements } from './sqlite-statements.js';
import type { SqliteStoreOptions } from './sqlite-store-options.js';
import type {
  KubeObject,
  ListOptions,
  ListResult,
  ObjectKey,
  ObjectStore,
  StoredObject,
  StoreWriter,
  WatchEvent,
  WatchEventType,
} from './types.js';

export type { SqliteStoreOptions } from './sqlite-store-options.js';

/** The writer's own automatic checkpoint mark, in pages, while a checkpoint worker runs. */
const BACKSTOP_PAGES = 262_144;

// Loaded on first use, so commands that never open the cluster do not pay for the native module.
// A runtime require also keeps the bundler from trying to inline it.
const requireFromHere = createRequire(import.meta.url);
let driver: SqliteConstructor | undefined;

/** The open write transaction: the revision counter as read under the lock, and its events. */
interface Tx {
  /** The revision when the transaction began: later events are all in `pending`. */
  readonly start: number;
  revision: number;
  compacted: number;
  readonly pending: EventRecord[];
  /** Meta values written, stored when the transaction commits. */
  readonly meta: MetaBuffer;
  /**
   * Revisions at or below `compacted` whose events held an object's JSON until this transaction
   * replaced or deleted it: compaction passed them by, so they are deleted at the commit.
   */
  readonly superseded: number[];
  /** Encoded bytes written (the objects' events), for the checkpointer. */
  written: number;
}

/**
 * Resources written far more often than they are read back: their rows are not cached, so they
 * do not push out the objects controllers read again and again.
 */
const UNCACHED = new Set(['events']);

/**
 * An {@link ObjectStore} in one SQLite file. Every write runs in `BEGIN IMMEDIATE`, so processes
 * queue for the write lock (up to `busyTimeoutMs`) instead of failing, and the revision counter
 * is read under that lock, so it stays gap-free across processes. `subscribe` sees this process's
 * commits; other processes' changes are read with `eventsSince`.
 */
export class SqliteStore implements ObjectStore {
  private readonly db: SqliteDatabase;
  private readonly bus: EventBus;
  private readonly history: number;
  private readonly slack: number;
  /** Wraps a body in BEGIN…COMMIT (its variants pick the BEGIN), or in a savepoint when nested. */
  private readonly txn: SqliteTransaction;
  private readonly s: Statements;
  private readonly listStatements = new Map<string, SqliteStatement<ObjectRow>>();
  /**
   * The latest rows of recently used objects. Exact while `dataVersion` holds: this connection's
   * writes update it, another connection's commit (a new `PRAGMA data_version`) or a rollback
   * empties it.
   */
  private readonly cache: ObjectCache;
  private dataVersion = -1;
  private readonly checkpointer: Checkpointer | undefined;
  private tx: Tx | undefined;
  /** How deep the open transaction's nested parts are, and how to undo their writes. */
  private depth = 0;
  private readonly undo: Undo[] = [];
  private closed = false;

  /**
   * Opens (or creates) the database at `path`. Refuses, without modifying it, a file that is not a
   * bosun cluster database or that a newer bosun wrote (`StoreError` 'Corrupt' naming the path).
   */
  constructor(
    readonly path: string,
    options?: SqliteStoreOptions,
  ) {
    ({ history: this.history, slack: this.slack } = historyOf(options));
    this.bus = new EventBus(options?.onListenerError);
    this.cache = new ObjectCache(options?.objectCacheSize ?? 8192);
    const busyTimeoutMs = options?.busyTimeoutMs ?? 10_000;
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

  /** Whether a worker thread checkpoints this store's WAL ({@link SqliteStoreOptions.checkpointEveryBytes}). */
  get backgroundCheckpoints(): boolean {
    return this.checkpointer?.running ?? false;
  }

  currentRevision(): number {
    return this.tx?.revision ?? this.reading(false, () => this.s.state.get()!.revision);
  }

  get(key: ObjectKey): StoredObject | undefined {
    return this.reading(false, () => {
      const row = this.row(key);
      return row === undefined ? undefined : storedOf(row.key, row.revision, row);
    });
  }

  create(key: ObjectKey, object: KubeObject): StoredObject {
    return this.writing((tx) => {
      const own = ownKey(key);
      const id = cacheIdOf(own);
      if (this.cache.get(id) !== undefined) throw alreadyExists(own);
      const text = encodeObject(object);
      const labels = labelsOf(object);
      const labelText = JSON.stringify(labels);
      const revision = tx.revision + 1;
      let rowid: number | bigint;
      try {
        ({ lastInsertRowid: rowid } = this.s.insert.run(
          own.resource,
          own.namespace,
          own.name,
          revision,
          labelText,
        ));
      } catch (error) {
        // The key is taken: (resource, namespace, name) is unique. Only this statement failed.
        if (sqliteCode(error) === 'SQLITE_CONSTRAINT_UNIQUE') throw alreadyExists(own);
        throw error;
      }
      if (this.depth > 0) this.undo.push({ op: 'insert', id: Number(rowid), key: own, labels: labelText });
      const row: CachedRow = {
        key: own,
        id: Number(rowid),
        revision,
        labels: labelText,
        ...transientCell(text, object),
      };
      this.record(tx, 'ADDED', own, row, text);
      if (!UNCACHED.has(own.resource)) this.cache.set(id, row);
      indexLabels(this.s, row.id, own, labels);
      return storedOf(own, revision, row);
    });
  }

  update(key: ObjectKey, object: KubeObject, expectedRevision?: number): StoredObject {
    return this.writing((tx) => {
      const own = ownKey(key);
      const head = this.row(own);
      if (head === undefined) throw notFound(own);
      checkRevision(own, head.revision, expectedRevision);
      const text = encodeObject(object);
      const labels = labelsOf(object);
      const labelText = JSON.stringify(labels);
      const revision = tx.revision + 1;
      this.s.update.run(revision, labelText, head.id);
      if (this.depth > 0) this.undo.push({ op: 'update', before: head, labels: labelText });
      if (head.revision <= tx.compacted) tx.superseded.push(head.revision);
      const row: CachedRow = {
        key: own,
        id: head.id,
        revision,
        labels: labelText,
        ...transientCell(text, object),
      };
      this.record(tx, 'MODIFIED', own, row, text);
      if (UNCACHED.has(own.resource)) this.cache.delete(cacheIdOf(own));
      else this.cache.set(cacheIdOf(own), row);
      // Most updates (status, replicas) leave labels alone: skip rewriting the index then.
      if (labelText !== head.labels) {
        unindexLabels(this.s, own, head.labels);
        indexLabels(this.s, head.id, own, labels);
      }
      return storedOf(own, revision, row);
    });
  }

  delete(key: ObjectKey, expectedRevision?: number): StoredObject {
    return this.writing((tx) => {
      const own = ownKey(key);
      const head = this.row(own);
      if (head === undefined) throw notFound(own);
      checkRevision(own, head.revision, expectedRevision);
      this.s.remove.run(head.id);
      if (this.depth > 0) this.undo.push({ op: 'delete', before: head });
      if (head.revision <= tx.compacted) tx.superseded.push(head.revision);
      this.record(tx, 'DELETED', own, head, textOf(head));
      this.cache.delete(cacheIdOf(own));
      unindexLabels(this.s, own, head.labels);
      return storedOf(own, head.revision, head);
    });
  }

  getMeta(name: string): unknown {
    const buffered = this.tx?.meta;
    if (buffered?.has(name)) {
      const text = buffered.get(name);
      return text === undefined ? undefined : JSON.parse(text);
    }
    return this.reading(false, () => {
      const row = this.s.getMeta.get(name);
      return row === undefined ? undefined : JSON.parse(row.value);
    });
  }

  setMeta(name: string, value: unknown): void {
    this.writing((tx) => {
      tx.meta.set(name, JSON.stringify(value) as string | undefined);
    });
  }

  list(resource: string, options?: ListOptions): ListResult {
    this.assertOpen();
    const namespace = options?.namespace;
    const selector = selectorOf(options?.labelEquals);
    const contains = selector.length === 0 ? options?.contains : undefined;
    const params: unknown[] = [resource];
    for (const [k, v] of selector.slice(0, 1)) params.push(k, v);
    if (namespace !== undefined) params.push(namespace);
    for (const [k, v] of selector.slice(1)) params.push(k, v);
    if (contains !== undefined) params.push(contains);
    const statement = this.listStatement(namespace !== undefined, selector.length, contains !== undefined);
    return this.reading(true, () => {
      const revision = this.tx?.revision ?? this.s.state.get()!.revision;
      const items = statement.all(...params).map((row) => {
        const key = Object.freeze({ resource, namespace: row.namespace, name: row.name });
        return storedOf(key, row.revision, this.cellOf(key, row.revision, row.data));
      });
      return { items, revision };
    });
  }

  transaction<T>(fn: (tx: StoreWriter) => T): T {
    this.assertOpen();
    const open = this.tx;
    if (open !== undefined) return this.nested(open, fn);
    let committed: EventRecord[] = [];
    let written = 0;
    let result: T;
    try {
      result = this.txn.immediate(() => {
        // Under the write lock: what another process committed before it is now visible.
        this.checkDataVersion();
        const state = this.s.state.get()!;
        const tx: Tx = {
          start: state.revision,
          revision: state.revision,
          compacted: state.compacted,
          pending: [],
          meta: new MetaBuffer(),
          superseded: [],
          written: 0,
        };
        this.tx = tx;
        const value = checked(fn(this));
        for (const [name, text] of tx.meta.entries()) {
          if (text === undefined) this.s.deleteMeta.run(name);
          else this.s.setMeta.run(name, text);
        }
        if (tx.pending.length > 0) {
          for (const revision of tx.superseded) this.s.removeEvent.run(revision);
          if (tx.revision - tx.compacted > this.history + this.slack) {
            const from = tx.compacted;
            tx.compacted = tx.revision - this.history;
            this.s.compact.run(from, tx.compacted);
          }
          this.s.setState.run(tx.revision, tx.compacted);
        }
        committed = tx.pending;
        written = tx.written;
        return value;
      }) as T;
    } catch (error) {
      this.cache.clear();
      throw classifyError(this.path, error);
    } finally {
      this.tx = undefined;
      this.undo.length = 0;
    }
    this.checkpointer?.wrote(written);
    this.bus.publish(committed);
    return result;
  }

  /**
   * Runs `fn` inside the open transaction: a throw undoes only its part. Instead of an SQL
   * savepoint per part (two statements, for every API call a controller makes), each write of a
   * nested part logs how to undo it, and a part that throws replays its log backwards.
   */
  private nested<T>(open: Tx, fn: (tx: StoreWriter) => T): T {
    const mark = {
      revision: open.revision,
      pending: open.pending.length,
      superseded: open.superseded.length,
      meta: open.meta.mark(),
    };
    const undo = this.undo;
    const from = undo.length;
    this.depth++;
    try {
      const result = checked(fn(this));
      // An outermost part that succeeded can only be undone with the whole transaction.
      if (this.depth === 1) undo.length = from;
      return result;
    } catch (error) {
      if (open.revision !== mark.revision || open.meta.mark() !== mark.meta) {
        // A failed statement may have ended the whole transaction: then there is nothing to undo.
        if (this.db.inTransaction)
          for (let i = undo.length - 1; i >= from; i--) revertWrite(this.s, undo[i]!);
        open.revision = mark.revision;
        open.pending.length = mark.pending;
        open.superseded.length = mark.superseded;
        open.meta.rollbackTo(mark.meta);
        this.cache.clear();
      }
      undo.length = from;
      throw error;
    } finally {
      this.depth--;
    }
  }

  eventsSince(revision: number, resource?: string): WatchEvent[] {
    const open = this.tx;
    if (open !== undefined && revision >= open.start) {
      // Everything after `revision` was written by this transaction: serve it from memory.
      const pending = open.pending;
      let lo = 0;
      let hi = pending.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (pending[mid]!.revision <= revision) lo = mid + 1;
        else hi = mid;
      }
      const out: WatchEvent[] = [];
      for (let i = lo; i < pending.length; i++) {
        const record = pending[i]!;
        if (resource === undefined || record.key.resource === resource) out.push(toWatchEvent(record));
      }
      return out;
    }
    return this.reading(true, () => {
      const compacted = this.tx?.compacted ?? this.s.state.get()!.compacted;
      if (revision < compacted) throw expired(revision, compacted);
      const rows =
        resource === undefined ? this.s.events.all(revision) : this.s.eventsOf.all(revision, resource);
      return rows.map((row) => {
        const key = Object.freeze({ resource: row.resource, namespace: row.namespace, name: row.name });
        return toWatchEvent({
          type: row.type,
          key,
          cell: this.cellOf(key, row.revision, row.data),
          revision: row.revision,
        });
      });
    });
  }

  subscribe(listener: (event: WatchEvent) => void): () => void {
    this.assertOpen();
    return this.bus.subscribe(listener);
  }

  /** Closes the database (idempotent); later calls throw. */
  close(): void {
    if (this.closed) return;
    if (this.tx !== undefined) throw new Error('cannot close the object store inside a transaction');
    this.checkpointer?.close();
    this.closed = true;
    this.db.close();
  }

  /** Runs `fn` in the open transaction, or in an IMMEDIATE one of its own. */
  private writing<T>(fn: (tx: Tx) => T): T {
    const tx = this.tx;
    if (tx !== undefined) return fn(tx);
    return this.transaction(() => fn(this.tx!));
  }

  /**
   * Runs reads; with `snapshot`, several statements see one state (a deferred transaction, unless
   * one is already open).
   */
  private reading<T>(snapshot: boolean, fn: () => T): T {
    this.assertOpen();
    try {
      if (this.tx === undefined) this.checkDataVersion();
      return (snapshot && !this.db.inTransaction ? this.txn.deferred(fn) : fn()) as T;
    } catch (error) {
      throw classifyError(this.path, error);
    }
  }

  /** Takes the next revision for a change and logs its event (sharing the decoded object of `cell`). */
  private record(tx: Tx, type: WatchEventType, key: ObjectKey, cell: DecodedCell, text: string): number {
    const revision = ++tx.revision;
    this.s.insertEvent.run(revision, type, key.resource, key.namespace, key.name, text);
    if (this.depth > 0) this.undo.push({ op: 'event', revision });
    tx.written += text.length;
    tx.pending.push({ type, key, cell, revision });
    return revision;
  }

  /** The current row of `key`: from the cache, else read (and cached). */
  private row(key: ObjectKey): CachedRow | undefined {
    const id = cacheIdOf(key);
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
  private cellOf(key: ObjectKey, revision: number, text: string): DecodedCell {
    const cached = this.cache.get(cacheIdOf(key));
    return cached !== undefined && cached.revision === revision ? cached : { text };
  }

  /** Empties the cache when another connection committed since the last look. */
  private checkDataVersion(): void {
    const version = this.s.dataVersion.get()!.data_version;
    if (version !== this.dataVersion) {
      this.cache.clear();
      this.dataVersion = version;
    }
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

  private assertOpen(): void {
    if (this.closed) throw closedError();
  }
}

/** Checks a transaction body's result before the commit (an async body would commit early). */
function checked<T>(value: T): T {
  assertSync(value);
  return value;
}

/**
 * The SQLite object store: one database file shared by every bosun process on the machine (as
 * k3s keeps its cluster in SQLite through kine). Its connection (`sqlite-connection.ts`) opens
 * the file and reads it; this module writes, directly or behind (`sqlite-deferral.ts`).
 */

import { EventBus } from './event-bus.js';
import {
  type CachedRow,
  cacheIdOf,
  type DecodedCell,
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
  eventsAfter,
  expired,
  historyOf,
  labelsOf,
  notFound,
  ownKey,
  selectorOf,
} from './records.js';
import { isKeyOnly, type WriteBehind } from './sqlite-behind.js';
import { SqliteConnection } from './sqlite-connection.js';
import { Deferral } from './sqlite-deferral.js';
import { type RowWriter, statementWriter } from './sqlite-ops.js';
import {
  finishWrites,
  indexLabels,
  openTx,
  revertWrite,
  type Tx,
  type Undo,
  unindexLabels,
} from './sqlite-rows.js';
import { classifyError, sqliteCode } from './sqlite-schema.js';
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

/** How far (in revisions) the writer thread may fall behind before transactions wait for it. */
const MAX_LAG = 100_000;
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
  private readonly c: SqliteConnection;
  private readonly bus: EventBus;
  private readonly history: number;
  private readonly slack: number;
  private tx: Tx | undefined;
  /** How deep the open transaction's nested parts are, and how to undo their writes. */
  private depth = 0;
  private readonly undo: Undo[] = [];
  private closed = false;
  /** Where row writes go: this connection's statements, or the write-behind log. */
  private w: RowWriter;
  private readonly direct: RowWriter;
  /** The `deferCommits` scopes and the writer thread. */
  private readonly deferral: Deferral;

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
    this.c = new SqliteConnection(path, options);
    this.direct = statementWriter(this.c.s);
    this.w = this.direct;
    this.deferral = new Deferral({
      path,
      afterBytes: options?.writeBehindAfterBytes ?? 16 * 1024 * 1024,
      writer: () => this.c.writerOptions(options?.writeBehindGroup),
    });
  }

  /** Whether a writer thread commits this store's writes now (inside `deferCommits`). */
  get writingBehind(): boolean {
    return this.behind !== undefined;
  }

  /** The write-behind state while the writer thread holds the lock. */
  private get behind(): WriteBehind | undefined {
    return this.deferral.behind;
  }

  /** Whether a worker thread checkpoints this store's WAL ({@link SqliteStoreOptions.checkpointEveryBytes}). */
  get backgroundCheckpoints(): boolean {
    return this.c.checkpointer?.running ?? false;
  }

  currentRevision(): number {
    return (
      this.tx?.revision ?? this.behind?.revision ?? this.reading(false, () => this.c.s.state.get()!.revision)
    );
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
      if (this.taken(own, id)) throw alreadyExists(own);
      const text = encodeObject(object);
      const labels = labelsOf(object);
      const labelText = JSON.stringify(labels);
      const revision = tx.revision + 1;
      let rowid: number;
      try {
        rowid = this.w.insert(own.resource, own.namespace, own.name, revision, labelText);
      } catch (error) {
        // The key is taken: (resource, namespace, name) is unique. Only this statement failed.
        if (sqliteCode(error) === 'SQLITE_CONSTRAINT_UNIQUE') throw alreadyExists(own);
        throw error;
      }
      if (this.logsUndo) this.undo.push({ op: 'insert', id: rowid, key: own, labels: labelText });
      const row: CachedRow = {
        key: own,
        id: rowid,
        revision,
        labels: labelText,
        ...transientCell(text, object),
      };
      this.record(tx, 'ADDED', own, row, text);
      this.behind?.setRow(id, row, UNCACHED.has(own.resource), true);
      if (!UNCACHED.has(own.resource)) this.c.cache.set(id, row);
      indexLabels(this.w, row.id, own, labels);
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
      this.w.update(revision, labelText, head.id);
      if (this.logsUndo) this.undo.push({ op: 'update', before: head, labels: labelText });
      if (head.revision <= tx.compacted) tx.superseded.push(head.revision);
      const row: CachedRow = {
        key: own,
        id: head.id,
        revision,
        labels: labelText,
        ...transientCell(text, object),
      };
      this.record(tx, 'MODIFIED', own, row, text);
      const id = cacheIdOf(own);
      this.behind?.setRow(id, row, UNCACHED.has(own.resource), false);
      if (UNCACHED.has(own.resource)) this.c.cache.delete(id);
      else this.c.cache.set(id, row);
      // Most updates (status, replicas) leave labels alone: skip rewriting the index then.
      if (labelText !== head.labels) {
        unindexLabels(this.w, own, head.labels);
        indexLabels(this.w, head.id, own, labels);
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
      this.w.remove(head.id);
      if (this.logsUndo) this.undo.push({ op: 'delete', before: head });
      if (head.revision <= tx.compacted) tx.superseded.push(head.revision);
      this.record(tx, 'DELETED', own, head, textOf(head));
      const id = cacheIdOf(own);
      this.behind?.setRow(id, undefined, false, true);
      this.c.cache.delete(id);
      unindexLabels(this.w, own, head.labels);
      return storedOf(own, head.revision, head);
    });
  }

  getMeta(name: string): unknown {
    const buffered = this.tx?.meta;
    if (buffered?.has(name)) {
      const text = buffered.get(name);
      return text === undefined ? undefined : JSON.parse(text);
    }
    const behind = this.behind;
    if (behind?.hasMeta(name)) {
      const text = behind.metaText(name);
      return text === undefined ? undefined : JSON.parse(text);
    }
    return this.reading(false, () => {
      const row = this.c.s.getMeta.get(name);
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
    // Behind, objects of an uncached resource are read once the writer has written them.
    if (this.behind !== undefined && UNCACHED.has(resource)) this.deferral.catchUp(this.behind);
    return this.reading(true, () => {
      const revision = this.tx?.revision ?? this.behind?.revision ?? this.c.s.state.get()!.revision;
      const items = this.c.list(resource, namespace, selector, contains);
      if (this.behind === undefined) return { items, revision };
      // What the writer thread has not committed yet replaces what the file holds.
      const match = (row: CachedRow) =>
        row.key.resource === resource &&
        (namespace === undefined || row.key.namespace === namespace) &&
        hasLabels(row.labels, selector) &&
        (contains === undefined || textOf(row).includes(contains));
      return { items: this.behind.overlay(items, match), revision };
    });
  }

  transaction<T>(fn: (tx: StoreWriter) => T): T {
    this.assertOpen();
    const open = this.tx;
    if (open !== undefined) return this.nested(open, fn);
    if (this.deferral.open) this.deferral.handOver(() => this.c.checkDataVersion());
    if (this.behind !== undefined) return this.transactionBehind(this.behind, fn);
    let committed: EventRecord[] = [];
    let written = 0;
    let result: T;
    try {
      result = this.c.txn.immediate(() => {
        // Under the write lock: what another process committed before it is now visible.
        this.c.checkDataVersion();
        const state = this.c.s.state.get()!;
        const tx = openTx(state.revision, state.compacted);
        this.tx = tx;
        const value = checked(fn(this));
        finishWrites(tx, this.w, this.history, this.slack);
        committed = tx.pending;
        written = tx.written;
        return value;
      }) as T;
    } catch (error) {
      this.c.cache.clear();
      throw classifyError(this.path, error);
    } finally {
      this.tx = undefined;
      this.undo.length = 0;
    }
    this.c.checkpointer?.wrote(written);
    this.deferral.wrote(written);
    this.bus.publish(committed);
    return result;
  }

  /**
   * Runs `fn` (a settle: many transactions in a row) with commits held back: once the scope has
   * written `writeBehindAfterBytes`, a writer thread takes the write lock and commits the
   * transactions' writes in groups on another core, while this connection reads what is
   * committed and the store keeps the rest in memory. Everything is committed, and the lock
   * released, when `fn` returns; other processes see the writes as the groups commit.
   */
  deferCommits<T>(fn: () => T): T {
    this.assertOpen();
    if (this.tx !== undefined) return fn();
    return this.deferral.scope(fn, (behind) => this.c.adopt(behind.revision));
  }

  /** A top-level transaction whose writes the writer thread commits later (see `deferCommits`). */
  private transactionBehind<T>(behind: WriteBehind, fn: (tx: StoreWriter) => T): T {
    behind.trim();
    behind.keepUp(MAX_LAG);
    this.deferral.check(behind);
    const tx = openTx(behind.revision, behind.compacted);
    this.tx = tx;
    this.w = behind.log;
    let result: T;
    try {
      result = checked(fn(this));
      finishWrites(tx, this.w, this.history, this.slack);
    } catch (error) {
      behind.discard();
      this.c.cache.clear();
      throw error;
    } finally {
      this.tx = undefined;
      this.w = this.direct;
    }
    behind.send(tx.revision, tx.compacted, tx.meta.entries());
    this.c.checkpointer?.wrote(tx.written);
    this.bus.publish(tx.pending);
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
    const behind = this.behind;
    const logMark = behind?.log.mark() ?? 0;
    const rowMark = behind?.mark() ?? 0;
    this.depth++;
    try {
      const result = checked(fn(this));
      // An outermost part that succeeded can only be undone with the whole transaction.
      if (this.depth === 1) {
        undo.length = from;
        behind?.sendPart();
      }
      return result;
    } catch (error) {
      if (open.revision !== mark.revision || open.meta.mark() !== mark.meta) {
        if (behind !== undefined) {
          behind.log.truncate(logMark);
          behind.revertTo(rowMark);
        } else if (this.c.db.inTransaction) {
          // A failed statement may have ended the whole transaction: then there is nothing to undo.
          for (let i = undo.length - 1; i >= from; i--) revertWrite(this.w, undo[i]!);
        }
        open.revision = mark.revision;
        open.pending.length = mark.pending;
        open.superseded.length = mark.superseded;
        open.meta.rollbackTo(mark.meta);
        this.c.cache.clear();
      }
      undo.length = from;
      throw error;
    } finally {
      this.depth--;
    }
  }

  eventsSince(revision: number, resource?: string): WatchEvent[] {
    const open = this.tx;
    // Everything after `revision` was written by the open transaction: serve it from memory.
    if (open !== undefined && revision >= open.start) return eventsAfter(open.pending, revision, resource);
    if (this.behind !== undefined) return this.eventsBehind(this.behind, revision, resource);
    return this.reading(true, () => {
      const compacted = this.tx?.compacted ?? this.c.s.state.get()!.compacted;
      if (revision < compacted) throw expired(revision, compacted);
      return this.c.events(revision, resource);
    });
  }

  /**
   * `eventsSince` with a writer thread behind (rare: a settle's own changes come from its open
   * transaction): once the writer has committed all it was sent, the file has the events.
   */
  private eventsBehind(behind: WriteBehind, revision: number, resource: string | undefined): WatchEvent[] {
    const compacted = this.tx?.compacted ?? behind.compacted;
    if (revision < compacted) throw expired(revision, compacted);
    this.deferral.catchUp(behind);
    const out = this.reading(true, () => this.c.events(revision, resource));
    return eventsAfter(this.tx?.pending ?? [], revision, resource, out);
  }

  subscribe(listener: (event: WatchEvent) => void): () => void {
    this.assertOpen();
    return this.bus.subscribe(listener);
  }

  /** Closes the database (idempotent); later calls throw. */
  close(): void {
    if (this.closed) return;
    if (this.tx !== undefined) throw new Error('cannot close the object store inside a transaction');
    this.deferral.close((behind) => this.c.adopt(behind.revision));
    this.closed = true;
    this.c.close();
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
    // In a transaction, or with the writer holding the lock, no other connection commits.
    return this.c.reading(snapshot, this.tx === undefined && this.behind === undefined, fn);
  }

  /** Takes the next revision for a change and logs its event (sharing the decoded object of `cell`). */
  private record(tx: Tx, type: WatchEventType, key: ObjectKey, cell: DecodedCell, text: string): number {
    const revision = ++tx.revision;
    this.w.insertEvent(revision, type, key.resource, key.namespace, key.name, text);
    if (this.logsUndo) this.undo.push({ op: 'event', revision });
    tx.written += text.length;
    tx.pending.push({ type, key, cell, revision });
    return revision;
  }

  /** The current row of `key`: from the cache, else read (and cached). */
  private row(key: ObjectKey): CachedRow | undefined {
    const id = cacheIdOf(key);
    const behind = this.behind;
    const pending = behind?.row(id);
    if (pending !== undefined) {
      if (pending.row === undefined || !isKeyOnly(pending.row)) return pending.row;
      // Of an uncached object only the key is kept behind: read it once the writer wrote it.
      this.deferral.catchUp(behind!);
    }
    return this.c.row(key, id);
  }

  /** Whether a nested part's writes are logged for undoing (the write-behind log is cut instead). */
  private get logsUndo(): boolean {
    return this.depth > 0 && this.behind === undefined;
  }

  /** Whether the key is taken: by a pending write, a cached row, or (write-behind) the file. */
  private taken(key: ObjectKey, id: string): boolean {
    const behind = this.behind;
    // Writing directly, the insert itself finds a key taken in the file.
    if (behind === undefined) return this.c.cache.get(id) !== undefined;
    // Behind, there is no insert to find it: the pending writes and the keys in the file tell.
    return behind.exists(key, id, (resource) => this.c.keysOf(resource));
  }

  private assertOpen(): void {
    if (this.closed) throw closedError();
    if (this.deferral.broken !== undefined) throw this.deferral.broken;
  }
}

/** Whether a row's labels (the `objects.labels` JSON) include every pair of `selector`. */
function hasLabels(labels: string, selector: readonly (readonly [string, string])[]): boolean {
  if (selector.length === 0) return true;
  const pairs = JSON.parse(labels) as [string, string][];
  return selector.every(([k, v]) => pairs.some(([pk, pv]) => pk === k && pv === v));
}

/** Checks a transaction body's result before the commit (an async body would commit early). */
function checked<T>(value: T): T {
  assertSync(value);
  return value;
}

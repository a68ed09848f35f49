/**
 * The SQLite object store: one database file shared by every bosun process on the machine (as
 * k3s keeps its cluster in SQLite through kine). This module holds the object operations; its
 * transactions (`sqlite-transactions.ts`) write directly or behind (`sqlite-deferral.ts`), and
 * its connection (`sqlite-connection.ts`) opens the file and reads it.
 */

import { type CachedRow, cacheIdOf, storedOf, textOf, transientCell } from './object-cache.js';
import {
  alreadyExists,
  checkRevision,
  encodeObject,
  eventsAfter,
  expired,
  labelsOf,
  matchesSelector,
  notFound,
  ownKey,
  selectorOf,
} from './records.js';
import { isKeyOnly, type WriteBehind } from './sqlite-behind.js';
import { indexLabels, unindexLabels } from './sqlite-rows.js';
import { sqliteCode } from './sqlite-schema.js';
import { SqliteTransactions } from './sqlite-transactions.js';
import type {
  KubeObject,
  ListOptions,
  ListResult,
  ObjectKey,
  ObjectStore,
  StoredObject,
  WatchEvent,
} from './types.js';

export type { SqliteStoreOptions } from './sqlite-store-options.js';

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
export class SqliteStore extends SqliteTransactions implements ObjectStore {
  /** Whether a writer thread commits this store's writes now (inside `deferCommits`). */
  get writingBehind(): boolean {
    return this.behind !== undefined;
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
        (selector.length === 0 || matchesSelector(JSON.parse(row.labels) as [string, string][], selector)) &&
        (contains === undefined || textOf(row).includes(contains));
      return { items: this.behind.overlay(items, match), revision };
    });
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

  /**
   * Runs reads; with `snapshot`, several statements see one state (a deferred transaction, unless
   * one is already open).
   */
  private reading<T>(snapshot: boolean, fn: () => T): T {
    this.assertOpen();
    // In a transaction, or with the writer holding the lock, no other connection commits.
    return this.c.reading(snapshot, this.tx === undefined && this.behind === undefined, fn);
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

  /** Whether the key is taken: by a pending write, a cached row, or (write-behind) the file. */
  private taken(key: ObjectKey, id: string): boolean {
    const behind = this.behind;
    // Writing directly, the insert itself finds a key taken in the file.
    if (behind === undefined) return this.c.cache.get(id) !== undefined;
    // Behind, there is no insert to find it: the pending writes and the keys in the file tell.
    return behind.exists(key, id, (resource) => this.c.keysOf(resource));
  }
}

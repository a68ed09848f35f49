/**
 * The SQLite store's transactions: the open one and its nested parts (a part that throws undoes
 * only its own writes), where their row writes go (this connection's statements, or the writer
 * thread's log inside `deferCommits`), and what a transaction publishes when it commits.
 * `SqliteStore` builds the object operations on top.
 */

import { EventBus } from './event-bus.js';
import type { DecodedCell } from './object-cache.js';
import { assertSync, closedError, type EventRecord, historyOf } from './records.js';
import type { WriteBehind } from './sqlite-behind.js';
import { SqliteConnection } from './sqlite-connection.js';
import { Deferral } from './sqlite-deferral.js';
import { type RowWriter, statementWriter } from './sqlite-ops.js';
import { finishWrites, openTx, revertWrite, type Tx, type Undo } from './sqlite-rows.js';
import { classifyError } from './sqlite-schema.js';
import type { SqliteStoreOptions } from './sqlite-store-options.js';
import type { KubeObject, ObjectKey, StoredObject, StoreWriter, WatchEventType } from './types.js';

/** How far (in revisions) the writer thread may fall behind before transactions wait for it. */
const MAX_LAG = 100_000;

/** Transactions over one SQLite connection; the object operations are the subclass's. */
export abstract class SqliteTransactions implements StoreWriter {
  protected readonly c: SqliteConnection;
  protected readonly bus: EventBus;
  private readonly history: number;
  private readonly slack: number;
  protected tx: Tx | undefined;
  /** How deep the open transaction's nested parts are, and how to undo their writes. */
  private depth = 0;
  protected readonly undo: Undo[] = [];
  protected closed = false;
  /** Where row writes go: this connection's statements, or the write-behind log. */
  protected w: RowWriter;
  private readonly direct: RowWriter;
  /** The `deferCommits` scopes and the writer thread. */
  protected readonly deferral: Deferral;

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

  /** The write-behind state while the writer thread holds the lock. */
  protected get behind(): WriteBehind | undefined {
    return this.deferral.behind;
  }

  abstract get(key: ObjectKey): StoredObject | undefined;
  abstract create(key: ObjectKey, object: KubeObject): StoredObject;
  abstract update(key: ObjectKey, object: KubeObject, expectedRevision?: number): StoredObject;
  abstract delete(key: ObjectKey, expectedRevision?: number): StoredObject;
  abstract getMeta(name: string): unknown;
  abstract setMeta(name: string, value: unknown): void;

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

  /** Runs `fn` in the open transaction, or in an IMMEDIATE one of its own. */
  protected writing<T>(fn: (tx: Tx) => T): T {
    const tx = this.tx;
    if (tx !== undefined) return fn(tx);
    return this.transaction(() => fn(this.tx!));
  }

  /** Takes the next revision for a change and logs its event (sharing the decoded object of `cell`). */
  protected record(tx: Tx, type: WatchEventType, key: ObjectKey, cell: DecodedCell, text: string): number {
    const revision = ++tx.revision;
    this.w.insertEvent(revision, type, key.resource, key.namespace, key.name, text);
    if (this.logsUndo) this.undo.push({ op: 'event', revision });
    tx.written += text.length;
    tx.pending.push({ type, key, cell, revision });
    return revision;
  }

  /** Whether a nested part's writes are logged for undoing (the write-behind log is cut instead). */
  protected get logsUndo(): boolean {
    return this.depth > 0 && this.behind === undefined;
  }

  protected assertOpen(): void {
    if (this.closed) throw closedError();
    if (this.deferral.broken !== undefined) throw this.deferral.broken;
  }
}

/** Checks a transaction body's result before the commit (an async body would commit early). */
function checked<T>(value: T): T {
  assertSync(value);
  return value;
}

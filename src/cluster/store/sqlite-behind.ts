/**
 * Write-behind: what the SQLite store has written but its writer thread (`sqlite-writer.ts`)
 * may not have committed yet.
 *
 * Inside `deferCommits` (a settle), once a store has written enough, its transactions stop
 * running SQL: each logs its row writes (`sqlite-ops.ts`) and hands them to the writer thread,
 * which holds the write lock, replays them on its own connection and commits them in groups. The
 * store's own connection only reads, and sees the writer's commits; what they do not hold yet is
 * kept here, by the batch (store transaction) that wrote it, until the writer has committed that
 * batch: the latest row of each object written (undefined once deleted), which reads take
 * first, and the latest value of each meta name written. The rare read of the event log waits
 * until the writer has committed everything.
 *
 * A create must know whether its key is taken, which writing directly the insert itself finds
 * out. Asking the file for every create costs more than the writes saved, so the keys of each
 * resource a create names are read once and kept up to date.
 */

import { type CachedRow, cacheIdOf, storedOf } from './object-cache.js';
import { OpLog } from './sqlite-ops.js';
import type { Begun, WriterThread } from './sqlite-writer.js';
import type { ObjectKey, StoredObject } from './types.js';

interface PendingRow {
  readonly row: CachedRow | undefined;
  readonly seq: number;
  /** Keep only the key once the batch is sent (see {@link isKeyOnly}). */
  readonly keyOnly?: boolean;
}

interface PendingMeta {
  readonly text: string | undefined;
  readonly seq: number;
}

/** One batch sent to the writer, and the revision it reached. */
interface Batch {
  readonly seq: number;
  readonly revision: number;
}

/** The longest `catchUp` waits for the writer. */
const CATCH_UP_MS = 600_000;

/**
 * Logged values after which a transaction sends what it has logged so far (between two of its
 * nested parts): held until the transaction ends, the JSON texts would outlive the young
 * generation and be copied by the collector, where writing directly they die at once.
 */
const PART_VALUES = 4096;

/** The write-behind state of a store while its writer thread holds the lock. */
export class WriteBehind {
  /** The log of the open transaction's row writes. */
  readonly log: OpLog;
  /** The store's revision and compaction point, as its sent batches leave them. */
  revision: number;
  compacted: number;
  /** The revision the writer had committed up to when last looked at. */
  private committedRevision: number;
  /** The last batch sent. */
  private seq: number;
  private readonly rows = new Map<string, PendingRow>();
  private readonly meta = new Map<string, PendingMeta>();
  /** Cache ids in the order their rows were written, with the batch of each, for trimming. */
  private order: string[] = [];
  private orderSeqs: number[] = [];
  private head = 0;
  private batches: (Batch | undefined)[] = [];
  private batchHead = 0;
  /** How to undo the open transaction's row changes: id, previous entry, order and `touched` lengths. */
  private readonly undo: unknown[] = [];
  /** Ids of the open transaction's creates, deletes and key-only rows: what `send` revisits. */
  private touched: string[] = [];
  /** Per resource, the cache ids of its objects that exist (in the file or in a sent batch). */
  private readonly keys = new Map<string, Set<string>>();
  /** Whether the open transaction has sent parts of its batch. */
  private partsSent = false;

  constructor(
    readonly thread: WriterThread,
    begun: Begun,
  ) {
    this.revision = begun.revision;
    this.compacted = begun.compacted;
    this.committedRevision = begun.revision;
    // Batch numbers go on from the thread's earlier scopes, all committed by now.
    this.seq = thread.committed;
    this.log = new OpLog(begun.maxId + 1);
  }

  /** How many revisions the writer had not committed when last looked at. */
  get lag(): number {
    return this.revision - this.committedRevision;
  }

  /** The pending entry of an object: `row` undefined when it was deleted; undefined when none. */
  row(id: string): PendingRow | undefined {
    return this.rows.get(id);
  }

  /**
   * Notes the row the open transaction wrote (undefined: deleted). `keyOnly`: once the batch is
   * sent, only the key is kept (objects written far more often than read: their JSON would live,
   * and be moved by the collector, until the writer commits it). `keyChange`: a create or a delete.
   */
  setRow(id: string, row: CachedRow | undefined, keyOnly: boolean, keyChange: boolean): void {
    this.undo.push(id, this.rows.get(id), this.order.length, this.touched.length);
    if (keyOnly || keyChange) this.touched.push(id);
    this.rows.set(id, { row, seq: this.seq + 1, keyOnly });
    this.order.push(id);
    this.orderSeqs.push(this.seq + 1);
  }

  /**
   * Whether the key is taken: by a pending write, else in the file. The first time a resource is
   * asked about, `load` lists the keys the file has of it.
   */
  exists(key: ObjectKey, id: string, load: (resource: string) => Iterable<ObjectKey>): boolean {
    const pending = this.rows.get(id);
    if (pending !== undefined) return pending.row !== undefined;
    let keys = this.keys.get(key.resource);
    if (keys === undefined) {
      keys = new Set();
      for (const stored of load(key.resource)) keys.add(cacheIdOf(stored));
      for (const [pendingId, { row }] of this.rows) {
        if (resourceOf(pendingId) !== key.resource) continue;
        if (row === undefined) keys.delete(pendingId);
        else keys.add(pendingId);
      }
      this.keys.set(key.resource, keys);
    }
    return keys.has(id);
  }

  /** Whether meta `name` is pending, and its text (undefined: deleted). */
  hasMeta(name: string): boolean {
    return this.meta.has(name);
  }

  metaText(name: string): string | undefined {
    return this.meta.get(name)?.text;
  }

  /** A point of the open transaction to revert to. */
  mark(): number {
    return this.undo.length;
  }

  /** Forgets the row changes made since `mark`. */
  revertTo(mark: number): void {
    const undo = this.undo;
    for (let i = undo.length - 4; i >= mark; i -= 4) {
      const id = undo[i] as string;
      const previous = undo[i + 1] as PendingRow | undefined;
      if (previous === undefined) this.rows.delete(id);
      else this.rows.set(id, previous);
      this.order.length = undo[i + 2] as number;
      this.orderSeqs.length = undo[i + 2] as number;
      this.touched.length = undo[i + 3] as number;
    }
    undo.length = mark;
  }

  /**
   * Sends what the open transaction has logged, when that is much: called between its nested
   * parts, whose logs can no longer be cut back on their own.
   */
  sendPart(): void {
    if (this.log.mark() < PART_VALUES) return;
    this.thread.send(this.seq + 1, this.log.take(), false);
    this.partsSent = true;
  }

  /** Ends the open transaction without writing anything. */
  discard(): void {
    this.revertTo(0);
    this.log.truncate(0);
    if (this.partsSent) this.thread.abort();
    this.partsSent = false;
  }

  /** Sends the open transaction's writes as the next batch. */
  send(revision: number, compacted: number, meta: Iterable<[string, string | undefined]>): void {
    for (const id of this.touched) {
      const pending = this.rows.get(id)!;
      const row = pending.row;
      if (pending.keyOnly && row !== undefined && !isKeyOnly(row)) {
        const { key, id: rowId, revision, labels } = row;
        this.rows.set(id, { row: { key, id: rowId, revision, labels, transient: true }, seq: pending.seq });
      }
      const keys = this.keys.get(resourceOf(id));
      if (keys === undefined) continue;
      if (row === undefined) keys.delete(id);
      else keys.add(id);
    }
    this.touched = [];
    this.undo.length = 0;
    if (this.log.mark() === 0 && !this.partsSent) return;
    this.partsSent = false;
    const seq = ++this.seq;
    for (const [name, text] of meta) this.meta.set(name, { text, seq });
    this.revision = revision;
    this.compacted = compacted;
    this.batches.push({ seq, revision });
    this.thread.send(seq, this.log.take(), true);
  }

  /** Lets go of what the writer has committed since the last look. */
  trim(): void {
    const committed = this.thread.committed;
    let head = this.head;
    const order = this.order;
    const seqs = this.orderSeqs;
    while (head < order.length && seqs[head]! <= committed) {
      const id = order[head]!;
      if (this.rows.get(id)?.seq === seqs[head]) this.rows.delete(id);
      head++;
    }
    if (head > 4096 && head * 2 > order.length) {
      this.order = order.slice(head);
      this.orderSeqs = seqs.slice(head);
      head = 0;
    }
    this.head = head;
    for (const [name, entry] of this.meta) if (entry.seq <= committed) this.meta.delete(name);
    const batches = this.batches;
    let batchHead = this.batchHead;
    while (batchHead < batches.length && batches[batchHead]!.seq <= committed) {
      this.committedRevision = batches[batchHead]!.revision;
      batches[batchHead++] = undefined;
    }
    if (batchHead > 1024 && batchHead * 2 > batches.length) {
      this.batches = batches.slice(batchHead);
      batchHead = 0;
    }
    this.batchHead = batchHead;
  }

  /** Waits while the writer is more than `maxLag` revisions behind. */
  keepUp(maxLag: number): void {
    while (this.lag > maxLag && this.thread.failed === undefined) {
      this.thread.waitCommitted(this.batches[this.batchHead]!.seq, CATCH_UP_MS);
      this.trim();
    }
  }

  /** Waits until the writer has committed every batch sent. */
  catchUp(): void {
    this.thread.waitCommitted(this.seq, CATCH_UP_MS);
    this.trim();
  }

  /**
   * A list read from the file, with the pending rows laid over it: pending versions replace (or
   * remove) what the file holds, and pending objects that match are added, in (namespace, name)
   * order like the query's.
   */
  overlay(items: StoredObject[], match: (row: CachedRow) => boolean): StoredObject[] {
    if (this.rows.size === 0) return items;
    const out = items.filter((item) => !this.rows.has(cacheIdOf(item.key)));
    let added = false;
    for (const { row } of this.rows.values()) {
      if (row === undefined || !match(row)) continue;
      out.push(storedOf(row.key, row.revision, row));
      added = true;
    }
    if (added) out.sort(byNamespaceAndName);
    return out;
  }
}

/** Whether a pending row has only its key: its object is read from the file, once written. */
export function isKeyOnly(row: CachedRow): boolean {
  return row.text === undefined && row.object === undefined;
}

/** The resource of a cache id. */
function resourceOf(id: string): string {
  return id.slice(0, id.indexOf('\0'));
}

function byNamespaceAndName(a: StoredObject, b: StoredObject): number {
  const x = a.key;
  const y = b.key;
  if (x.namespace !== y.namespace) return x.namespace < y.namespace ? -1 : 1;
  if (x.name !== y.name) return x.name < y.name ? -1 : 1;
  return 0;
}

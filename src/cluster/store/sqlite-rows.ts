/**
 * The row-level writes of the SQLite store beside its objects: the open transaction and what it
 * writes when its body is done, the label index, and how a nested part of a transaction that
 * failed undoes its writes (the store logs one {@link Undo} per write instead of taking an SQL
 * savepoint per part).
 */

import { MetaBuffer } from './meta-buffer.js';
import type { CachedRow } from './object-cache.js';
import type { EventRecord } from './records.js';
import type { RowWriter } from './sqlite-ops.js';
import type { ObjectKey } from './types.js';

/** The open write transaction: the revision counter as read under the lock, and its events. */
export interface Tx {
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

/** A transaction opened at `revision`. */
export function openTx(revision: number, compacted: number): Tx {
  return {
    start: revision,
    revision,
    compacted,
    pending: [],
    meta: new MetaBuffer(),
    superseded: [],
    written: 0,
  };
}

/**
 * The writes a transaction makes when its body is done: its meta values, the events it
 * superseded, compaction past `history` (in batches of `slack`), the revision counter.
 */
export function finishWrites(tx: Tx, w: RowWriter, history: number, slack: number): void {
  for (const [name, text] of tx.meta.entries()) {
    if (text === undefined) w.deleteMeta(name);
    else w.setMeta(name, text);
  }
  if (tx.pending.length === 0) return;
  for (const revision of tx.superseded) w.removeEvent(revision);
  if (tx.revision - tx.compacted > history + slack) {
    const from = tx.compacted;
    tx.compacted = tx.revision - history;
    w.compact(from, tx.compacted);
  }
  w.setState(tx.revision, tx.compacted);
}

/** How to undo one write of a nested part of a transaction (see `SqliteStore.nested`). */
export type Undo =
  | { readonly op: 'event'; readonly revision: number }
  | { readonly op: 'insert'; readonly id: number; readonly key: ObjectKey; readonly labels: string }
  | { readonly op: 'update'; readonly before: CachedRow; readonly labels: string }
  | { readonly op: 'delete'; readonly before: CachedRow };

/** Adds the index rows of an object's labels. */
export function indexLabels(
  w: RowWriter,
  id: number,
  key: ObjectKey,
  labels: readonly [string, string][],
): void {
  for (const [k, v] of labels) w.insertLabel(key.resource, k, v, key.namespace, key.name, id);
}

/** Removes the index rows of `labels` (the JSON kept in `objects.labels`). */
export function unindexLabels(w: RowWriter, key: ObjectKey, labels: string): void {
  for (const [k, v] of JSON.parse(labels) as [string, string][]) {
    w.removeLabel(key.resource, k, v, key.namespace, key.name);
  }
}

/** Undoes one logged write. */
export function revertWrite(w: RowWriter, entry: Undo): void {
  switch (entry.op) {
    case 'event':
      w.removeEvent(entry.revision);
      return;
    case 'insert':
      w.remove(entry.id);
      unindexLabels(w, entry.key, entry.labels);
      return;
    case 'update': {
      const { before, labels } = entry;
      w.update(before.revision, before.labels, before.id);
      if (labels !== before.labels) {
        unindexLabels(w, before.key, labels);
        indexLabels(w, before.id, before.key, JSON.parse(before.labels) as [string, string][]);
      }
      return;
    }
    case 'delete': {
      const { before } = entry;
      const { resource, namespace, name } = before.key;
      w.insertWithId(before.id, resource, namespace, name, before.revision, before.labels);
      indexLabels(w, before.id, before.key, JSON.parse(before.labels) as [string, string][]);
      return;
    }
  }
}

/**
 * The row-level writes of the SQLite store beside its objects: the label index, and how a nested
 * part of a transaction that failed undoes its writes (the store logs one {@link Undo} per write
 * instead of taking an SQL savepoint per part).
 */

import type { CachedRow } from './object-cache.js';
import type { Statements } from './sqlite-statements.js';
import type { ObjectKey } from './types.js';

/** How to undo one write of a nested part of a transaction (see `SqliteStore.nested`). */
export type Undo =
  | { readonly op: 'event'; readonly revision: number }
  | { readonly op: 'insert'; readonly id: number; readonly key: ObjectKey; readonly labels: string }
  | { readonly op: 'update'; readonly before: CachedRow; readonly labels: string }
  | { readonly op: 'delete'; readonly before: CachedRow };

/** Adds the index rows of an object's labels. */
export function indexLabels(
  s: Statements,
  id: number,
  key: ObjectKey,
  labels: readonly [string, string][],
): void {
  for (const [k, v] of labels) s.insertLabel.run(key.resource, k, v, key.namespace, key.name, id);
}

/** Removes the index rows of `labels` (the JSON kept in `objects.labels`). */
export function unindexLabels(s: Statements, key: ObjectKey, labels: string): void {
  for (const [k, v] of JSON.parse(labels) as [string, string][]) {
    s.removeLabel.run(key.resource, k, v, key.namespace, key.name);
  }
}

/** Undoes one logged write. */
export function revertWrite(s: Statements, entry: Undo): void {
  switch (entry.op) {
    case 'event':
      s.removeEvent.run(entry.revision);
      return;
    case 'insert':
      s.remove.run(entry.id);
      unindexLabels(s, entry.key, entry.labels);
      return;
    case 'update': {
      const { before, labels } = entry;
      s.update.run(before.revision, before.labels, before.id);
      if (labels !== before.labels) {
        unindexLabels(s, before.key, labels);
        indexLabels(s, before.id, before.key, JSON.parse(before.labels) as [string, string][]);
      }
      return;
    }
    case 'delete': {
      const { before } = entry;
      const { resource, namespace, name } = before.key;
      s.insertWithId.run(before.id, resource, namespace, name, before.revision, before.labels);
      indexLabels(s, before.id, before.key, JSON.parse(before.labels) as [string, string][]);
      return;
    }
  }
}

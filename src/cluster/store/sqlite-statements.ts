/**
 * The SQL of the SQLite store: its row shapes and statements, prepared once per connection.
 */

import type { SqliteDatabase } from './sqlite-schema.js';
import type { WatchEventType } from './types.js';

/** An object as lists and gets read it. */
export interface ObjectRow {
  namespace: string;
  name: string;
  revision: number;
  data: string;
}
/** What a write checks before it replaces or deletes an object. */
export interface HeadRow {
  id: number;
  revision: number;
  labels: string;
  data: string;
}
/** One row of the event log. */
export interface EventRow {
  revision: number;
  type: WatchEventType;
  resource: string;
  namespace: string;
  name: string;
  data: string;
}
/** The revision counter and the newest compacted revision. */
export interface StateRow {
  revision: number;
  compacted: number;
}

const LABEL_PROBE =
  ' AND EXISTS (SELECT 1 FROM labels x WHERE x.resource = l.resource AND x.key = ? AND x.value = ?' +
  ' AND x.namespace = l.namespace AND x.name = l.name)';

/** The fixed statements, prepared once per connection. */
export function prepareStatements(db: SqliteDatabase) {
  const eventColumns = 'revision, type, resource, namespace, name, data';
  return {
    state: db.prepare<StateRow>('SELECT revision, compacted FROM state WHERE id = 1'),
    dataVersion: db.prepare<{ data_version: number }>('PRAGMA data_version'),
    setState: db.prepare<never>('UPDATE state SET revision = ?, compacted = ? WHERE id = 1'),
    headData: db.prepare<HeadRow>(
      'SELECT o.id, o.revision, o.labels, e.data FROM objects o CROSS JOIN events e ON e.revision = o.revision' +
        ' WHERE o.resource = ? AND o.namespace = ? AND o.name = ?',
    ),
    keysOf: db.prepare<{ namespace: string; name: string }>(
      'SELECT namespace, name FROM objects WHERE resource = ?',
    ),
    insert: db.prepare<never>(
      'INSERT INTO objects (resource, namespace, name, revision, labels) VALUES (?, ?, ?, ?, ?)',
    ),
    update: db.prepare<never>('UPDATE objects SET revision = ?, labels = ? WHERE id = ?'),
    remove: db.prepare<never>('DELETE FROM objects WHERE id = ?'),
    insertLabel: db.prepare<never>(
      'INSERT INTO labels (resource, key, value, namespace, name, obj) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    removeLabel: db.prepare<never>(
      'DELETE FROM labels WHERE resource = ? AND key = ? AND value = ? AND namespace = ? AND name = ?',
    ),
    insertEvent: db.prepare<never>(`INSERT INTO events (${eventColumns}) VALUES (?, ?, ?, ?, ?, ?)`),
    events: db.prepare<EventRow>(`SELECT ${eventColumns} FROM events WHERE revision > ? ORDER BY revision`),
    eventsOf: db.prepare<EventRow>(
      `SELECT ${eventColumns} FROM events WHERE revision > ? AND resource = ? ORDER BY revision`,
    ),
    // Events in (from, to] except those that hold an object's current JSON.
    compact: db.prepare<never>(
      'DELETE FROM events WHERE revision > ? AND revision <= ?' +
        ' AND NOT EXISTS (SELECT 1 FROM objects o WHERE o.resource = events.resource' +
        ' AND o.namespace = events.namespace AND o.name = events.name AND o.revision = events.revision)',
    ),
    getMeta: db.prepare<{ value: string }>('SELECT value FROM meta WHERE name = ?'),
    setMeta: db.prepare<never>(
      'INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
    ),
    deleteMeta: db.prepare<never>('DELETE FROM meta WHERE name = ?'),
    // Undoing the writes of a nested part that failed.
    insertWithId: db.prepare<never>(
      'INSERT INTO objects (id, resource, namespace, name, revision, labels) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    removeEvent: db.prepare<never>('DELETE FROM events WHERE revision = ?'),
  };
}

/**
 * The list query for a shape: all objects of a resource (optionally in one namespace), or those
 * with some labels. A label query walks the `labels` key for the first label, already in
 * (namespace, name) order so nothing is sorted, and probes the key for each further label.
 */
export function listSql(byNamespace: boolean, labels: number, contains = false): string {
  if (labels === 0) {
    return (
      'SELECT o.namespace, o.name, o.revision, e.data FROM objects o' +
      ' CROSS JOIN events e ON e.revision = o.revision WHERE o.resource = ?' +
      (byNamespace ? ' AND o.namespace = ?' : '') +
      (contains ? ' AND instr(e.data, ?) > 0' : '') +
      ' ORDER BY o.namespace, o.name'
    );
  }
  return (
    'SELECT o.namespace, o.name, o.revision, e.data FROM labels l CROSS JOIN objects o ON o.id = l.obj' +
    ' CROSS JOIN events e ON e.revision = o.revision' +
    ' WHERE l.resource = ? AND l.key = ? AND l.value = ?' +
    (byNamespace ? ' AND l.namespace = ?' : '') +
    LABEL_PROBE.repeat(labels - 1) +
    ' ORDER BY l.namespace, l.name'
  );
}

/** The prepared statements of one connection. */
export type Statements = ReturnType<typeof prepareStatements>;

/**
 * The cluster database file: its schema, how it is recognised, and the checks made before bosun
 * writes to it. A file that is not ours, or that a newer bosun wrote, is refused without a single
 * byte changed (security-and-faults §5.G5); the error names the file and what to do about it.
 *
 * Also the subset of better-sqlite3's API the store uses, typed here because the package ships
 * no type declarations.
 */

import { closeSync, openSync, readSync } from 'node:fs';
import { IoError } from '../../internal/errors.js';
import { StoreError } from './types.js';

/** A prepared statement (better-sqlite3 `Statement`). */
export interface SqliteStatement<Row> {
  /** The SQL it was prepared from. */
  readonly source: string;
  run(...params: unknown[]): { readonly changes: number; readonly lastInsertRowid: number | bigint };
  get(...params: unknown[]): Row | undefined;
  all(...params: unknown[]): Row[];
}

/** A transaction-wrapped function (better-sqlite3 `Transaction`); nested calls use savepoints. */
export interface SqliteTransaction {
  (body: () => unknown): unknown;
  immediate(body: () => unknown): unknown;
  deferred(body: () => unknown): unknown;
}

/** A database connection (better-sqlite3 `Database`). */
export interface SqliteDatabase {
  readonly inTransaction: boolean;
  prepare<Row>(sql: string): SqliteStatement<Row>;
  pragma(source: string, options: { simple: true }): unknown;
  exec(sql: string): unknown;
  transaction(fn: (body: () => unknown) => unknown): SqliteTransaction;
  close(): void;
}

/** The better-sqlite3 constructor. */
export type SqliteConstructor = new (path: string, options: { timeout: number }) => SqliteDatabase;

/**
 * The schema version this code reads and writes (`PRAGMA user_version`). Version 1 kept each
 * object's JSON twice, in its `objects` row and in its newest `events` row; version 2 keeps it
 * once, in the event, and a file of version 1 is migrated when it is opened.
 */
export const SCHEMA_VERSION = 2;

/**
 * A connection's automatic checkpoint mark, in WAL pages: every 256 MiB of WAL (64 MiB before),
 * so objects rewritten several times between two checkpoints are copied into the database once
 * (a settle of 10,000 pods writes a fifth less). A store that writes a lot moves its checkpoints
 * to a worker thread (`sqlite-checkpointer.ts`) and raises its own mark.
 */
export const AUTOCHECKPOINT_PAGES = 65_536;

/** `PRAGMA application_id` of a bosun cluster database: "bosu". */
export const APPLICATION_ID = 0x626f7375;

/**
 * `objects` holds each object's key, current revision and labels; its JSON is the `data` of the
 * `events` row of that revision, which compaction keeps for as long as the object stays at that
 * revision (so a write stores the object once, not once per table).
 *
 * `labels` answers "which objects of a resource have k=v" in (namespace, name) order straight
 * from its primary key; an object's rows are found again through `objects.labels` (the same
 * pairs as JSON), so no second index is needed.
 */
const SCHEMA = `
CREATE TABLE objects (
  id INTEGER PRIMARY KEY,
  resource TEXT NOT NULL,
  namespace TEXT NOT NULL,
  name TEXT NOT NULL,
  revision INTEGER NOT NULL,
  labels TEXT NOT NULL,
  UNIQUE (resource, namespace, name)
);
CREATE TABLE labels (
  resource TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  namespace TEXT NOT NULL,
  name TEXT NOT NULL,
  obj INTEGER NOT NULL,
  PRIMARY KEY (resource, key, value, namespace, name)
) WITHOUT ROWID;
CREATE TABLE events (
  revision INTEGER PRIMARY KEY,
  type TEXT NOT NULL,
  resource TEXT NOT NULL,
  namespace TEXT NOT NULL,
  name TEXT NOT NULL,
  data TEXT NOT NULL
);
CREATE TABLE meta (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  revision INTEGER NOT NULL,
  compacted INTEGER NOT NULL
);
INSERT INTO state (id, revision, compacted) VALUES (1, 0, 0);
`;

const MAGIC = 'SQLite format 3\0';

/** What to tell the user about a file that is not (or no longer) a usable cluster database. */
const RESTORE_HINT = 'move it aside or restore it from a backup';

/**
 * Checks an existing file's header before SQLite opens it (so a foreign file is never touched),
 * or creates a missing file with owner-only permissions.
 */
export function preflight(path: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw cannotOpen(path, error);
    createEmpty(path);
    return;
  }
  const header = Buffer.alloc(100);
  let size: number;
  try {
    size = readSync(fd, header, 0, 100, 0);
  } catch (error) {
    throw cannotOpen(path, error);
  } finally {
    closeSync(fd);
  }
  if (size === 0) return;
  if (size < 100 || header.toString('latin1', 0, 16) !== MAGIC) {
    throw notOurs(path, 'it is not an SQLite database');
  }
  // The header may lag behind an uncheckpointed WAL; `checkIdentity` reads the real values.
  refuseForeign(path, header.readUInt32BE(68), header.readUInt32BE(60), 0);
}

function createEmpty(path: string): void {
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (error) {
    // Another process created it first: fine, SQLite sorts out the rest.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw cannotOpen(path, error);
  }
}

/**
 * Sets up a freshly opened connection: refuses a foreign or newer database (reads only), then
 * switches to WAL and creates the schema when the file is new.
 */
export function prepareDatabase(db: SqliteDatabase, path: string, busyTimeoutMs: number): void {
  const inTransaction = db.transaction((body) => body());
  retryBusy(busyTimeoutMs, () => {
    // One snapshot: another process may be creating the schema between two reads.
    inTransaction.deferred(() => checkIdentity(db, path));
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw cannotOpen(path, new Error(`cannot use WAL mode (journal mode is ${mode})`));
  });
  db.pragma('synchronous = NORMAL', { simple: true });
  db.pragma('journal_size_limit = 67108864', { simple: true });
  db.pragma('cache_size = -32768', { simple: true });
  db.pragma('temp_store = MEMORY', { simple: true });
  // The last connection to close checkpoints and removes the WAL.
  db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`, { simple: true });
  // A second process may be creating the schema at the same moment: decide inside the lock.
  inTransaction.immediate(() => {
    const identity = checkIdentity(db, path);
    if (identity === 'empty') {
      db.exec(SCHEMA);
      db.pragma(`application_id = ${APPLICATION_ID}`, { simple: true });
      db.pragma(`user_version = ${SCHEMA_VERSION}`, { simple: true });
    } else if (identity === 'version 1') {
      migrateFromVersion1(db);
    }
  });
}

/**
 * Version 1 to 2, inside the write lock: each object's JSON moves to the event of its current
 * revision (written again when compaction had dropped that event), and `objects` loses its copy.
 */
function migrateFromVersion1(db: SqliteDatabase): void {
  db.exec(`
INSERT INTO events (revision, type, resource, namespace, name, data)
  SELECT o.revision, 'MODIFIED', o.resource, o.namespace, o.name, o.data FROM objects o
  WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.revision = o.revision);
ALTER TABLE objects DROP COLUMN data;
`);
  db.pragma(`user_version = ${SCHEMA_VERSION}`, { simple: true });
}

/** Whether the database is ours and current, ours at schema version 1, or empty; throws otherwise. */
function checkIdentity(db: SqliteDatabase, path: string): 'ours' | 'version 1' | 'empty' {
  const appId = Number(db.pragma('application_id', { simple: true }));
  const version = Number(db.pragma('user_version', { simple: true }));
  const tables = Number(db.prepare<{ n: number }>('SELECT count(*) AS n FROM sqlite_master').get()!.n);
  refuseForeign(path, appId, version, tables);
  if (appId === 0) return 'empty';
  if (version === 1) return 'version 1';
  if (version < SCHEMA_VERSION) {
    throw new StoreError('Corrupt', `cluster database "${path}" has unknown schema version ${version}`);
  }
  return 'ours';
}

function refuseForeign(path: string, appId: number, version: number, tables: number): void {
  if (appId === 0 && (version !== 0 || tables !== 0)) {
    throw notOurs(path, 'it is an SQLite database of another application');
  }
  if (appId !== 0 && appId !== APPLICATION_ID) {
    throw notOurs(path, `it is an SQLite database of another application (application_id ${appId})`);
  }
  if (appId === APPLICATION_ID && version > SCHEMA_VERSION) {
    throw new StoreError(
      'Corrupt',
      `cluster database "${path}" was written by a newer bosun (schema version ${version}, this one ` +
        `understands up to ${SCHEMA_VERSION}); upgrade bosun, or ${RESTORE_HINT}`,
    );
  }
}

function notOurs(path: string, reason: string): StoreError {
  return new StoreError('Corrupt', `"${path}" is not a bosun cluster database: ${reason}; ${RESTORE_HINT}`);
}

function cannotOpen(path: string, cause: unknown): IoError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new IoError(`cannot open cluster database "${path}": ${detail}`, { cause });
}

/** The SQLite error code of a thrown value (`SQLITE_BUSY`, `SQLITE_CORRUPT`…), if any. */
export function sqliteCode(error: unknown): string | undefined {
  const code = error instanceof Error ? Reflect.get(error, 'code') : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/** Turns a damaged-file error into `StoreError('Corrupt')` naming the file; other errors pass. */
export function classifyError(path: string, error: unknown): unknown {
  const code = sqliteCode(error);
  if (code === undefined || !(code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')) return error;
  const detail = error instanceof Error ? error.message : String(error);
  const wrapped = new StoreError(
    'Corrupt',
    `cluster database "${path}" is damaged (${detail}); ${RESTORE_HINT}`,
  );
  wrapped.cause = error;
  return wrapped;
}

/** Wraps a failure while opening: damaged files become `Corrupt`, the rest name the file. */
export function openError(path: string, error: unknown): unknown {
  if (error instanceof StoreError || error instanceof IoError) return error;
  const classified = classifyError(path, error);
  return classified === error ? cannotOpen(path, error) : classified;
}

/**
 * Retries `fn` while SQLite reports SQLITE_BUSY. Switching a new file to WAL needs a lock that
 * SQLite does not wait for, so concurrent first opens can fail without this.
 */
function retryBusy(timeoutMs: number, fn: () => void): void {
  const deadline = Date.now() + timeoutMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      fn();
      return;
    } catch (error) {
      if (sqliteCode(error) !== 'SQLITE_BUSY' || Date.now() >= deadline) throw error;
      Atomics.wait(pause, 0, 0, 10 + Math.floor(Math.random() * 20));
    }
  }
}

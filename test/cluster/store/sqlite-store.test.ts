import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { APPLICATION_ID, SCHEMA_VERSION, SqliteStore, StoreError } from '../../../src/cluster/store/index.js';
import type { SqliteConstructor, SqliteDatabase } from '../../../src/cluster/store/sqlite-schema.js';
import { IoError } from '../../../src/internal/errors.js';
import { tempDir } from '../../helpers/chart-builder.js';
import { storeContract } from './contract.js';
import { key, names, object } from './fixtures.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const dirs: string[] = [];
const freshDir = () => {
  const dir = tempDir('bosun-store-');
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

storeContract('SqliteStore', (options) => new SqliteStore(path.join(freshDir(), 'cluster.db'), options));

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** A closed bosun database with a few objects in it. */
function bosunDatabase(objects = 3): string {
  const file = path.join(freshDir(), 'cluster.db');
  const store = new SqliteStore(file);
  for (let i = 0; i < objects; i++)
    store.create(key(`cm-${i}`), object(`cm-${i}`, { app: 'web' }, 'x'.repeat(500)));
  store.close();
  return file;
}

/** Overwrites a big-endian 32-bit field of the SQLite header (60: user_version, 68: application_id). */
function patchHeader(file: string, offset: number, value: number): void {
  const bytes = readFileSync(file);
  bytes.writeUInt32BE(value, offset);
  writeFileSync(file, bytes);
}

describe('SqliteStore: the file', () => {
  it('keeps objects, labels, revision, meta and events across reopening', () => {
    const file = path.join(freshDir(), 'cluster.db');
    const first = new SqliteStore(file);
    first.create(key('a'), object('a', { app: 'web' }));
    first.update(key('a'), object('a', { app: 'api' }));
    first.create(key('b', ''), object('b'));
    first.setMeta('clock', { now: 42 });
    first.close();
    const second = new SqliteStore(file);
    expect(second.currentRevision()).toBe(3);
    expect(second.get(key('a'))).toEqual({ key: key('a'), object: object('a', { app: 'api' }), revision: 2 });
    expect(second.list('configmaps', { labelEquals: { app: 'api' } }).items).toHaveLength(1);
    expect(second.getMeta('clock')).toEqual({ now: 42 });
    expect(second.eventsSince(1).map((e) => e.revision)).toEqual([2, 3]);
    expect(second.create(key('c'), object('c')).revision).toBe(4);
    second.close();
  });

  it('creates the file readable by its owner only', () => {
    const file = path.join(freshDir(), 'cluster.db');
    new SqliteStore(file).close();
    expect(statSync(file).mode & 0o077).toBe(0);
  });

  it('initialises an empty file', () => {
    const file = path.join(freshDir(), 'cluster.db');
    writeFileSync(file, '');
    const store = new SqliteStore(file);
    expect(store.create(key('a'), object('a')).revision).toBe(1);
    store.close();
  });

  it('shares one revision counter between connections; subscribers see their own writes', () => {
    const file = path.join(freshDir(), 'cluster.db');
    const one = new SqliteStore(file);
    const two = new SqliteStore(file);
    const seenByOne: number[] = [];
    one.subscribe((e) => seenByOne.push(e.revision));
    one.create(key('a'), object('a'));
    expect(two.create(key('b'), object('b')).revision).toBe(2);
    expect(one.update(key('a'), object('a2'), 1).revision).toBe(3);
    expect(two.eventsSince(0).map((e) => `${e.key.name}@${e.revision}`)).toEqual(['a@1', 'b@2', 'a@3']);
    expect(seenByOne).toEqual([1, 3]);
    expect(one.list('configmaps').revision).toBe(3);
    one.close();
    two.close();
  });

  it('names the path when its directory does not exist', () => {
    const file = path.join(freshDir(), 'missing', 'cluster.db');
    expect(() => new SqliteStore(file)).toThrow(IoError);
    expect(() => new SqliteStore(file)).toThrow(file);
  });
});

describe('SqliteStore: the object cache', () => {
  const dataOf = (store: SqliteStore, name: string) => store.get(key(name))?.object['data'];

  it('sees what another connection committed after it cached an object', () => {
    const file = path.join(freshDir(), 'cluster.db');
    const one = new SqliteStore(file);
    const two = new SqliteStore(file);
    one.create(key('a'), object('a', {}, 'v1'));
    expect(dataOf(one, 'a')).toBe('v1');
    expect(dataOf(two, 'a')).toBe('v1');
    two.update(key('a'), object('a', {}, 'v2'));
    expect(dataOf(one, 'a')).toBe('v2');
    // Writes check the current row too: an update with the old revision is a conflict.
    expect(() => one.update(key('a'), object('a', {}, 'v3'), 1)).toThrow(/has been modified/);
    two.delete(key('a'));
    expect(one.get(key('a'))).toBeUndefined();
    expect(() => one.create(key('a'), object('a', {}, 'again'))).not.toThrow();
    expect(dataOf(two, 'a')).toBe('again');
    one.close();
    two.close();
  });

  it('forgets the writes of a transaction that rolls back, and of a nested one', () => {
    const store = new SqliteStore(path.join(freshDir(), 'cluster.db'));
    store.create(key('a'), object('a', {}, 'v1'));
    expect(() =>
      store.transaction((tx) => {
        tx.update(key('a'), object('a', {}, 'v2'));
        expect(dataOf(store, 'a')).toBe('v2');
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(dataOf(store, 'a')).toBe('v1');
    store.transaction((tx) => {
      tx.update(key('a'), object('a', {}, 'v2'));
      expect(() =>
        store.transaction((inner) => {
          inner.update(key('a'), object('a', {}, 'v3'));
          inner.create(key('b'), object('b'));
          throw new Error('inner');
        }),
      ).toThrow('inner');
      expect(dataOf(store, 'a')).toBe('v2');
      expect(store.get(key('b'))).toBeUndefined();
    });
    expect(dataOf(store, 'a')).toBe('v2');
    expect(store.get(key('a'))!.revision).toBe(2);
    store.close();
  });

  it('stores the last value of each meta name a transaction wrote, when it commits', () => {
    const file = path.join(freshDir(), 'cluster.db');
    const one = new SqliteStore(file);
    const two = new SqliteStore(file);
    one.setMeta('kept', 'before');
    one.transaction((tx) => {
      tx.setMeta('n', 1);
      tx.setMeta('n', 2);
      tx.setMeta('kept', undefined);
      expect([tx.getMeta('n'), tx.getMeta('kept')]).toEqual([2, undefined]);
      // Nothing reaches the file before the commit.
      expect([two.getMeta('n'), two.getMeta('kept')]).toEqual([undefined, 'before']);
      tx.setMeta('n', { v: 3 });
      (tx.getMeta('n') as { v: number }).v = 99;
      expect(tx.getMeta('n')).toEqual({ v: 3 });
    });
    expect([two.getMeta('n'), two.getMeta('kept')]).toEqual([{ v: 3 }, undefined]);
    one.close();
    two.close();
  });

  it('refuses a create of a taken key, cached or not, and changes nothing', () => {
    const file = path.join(freshDir(), 'cluster.db');
    const one = new SqliteStore(file, { objectCacheSize: 0 });
    const two = new SqliteStore(file);
    two.create(key('a'), object('a', {}, 'two'));
    expect(() => one.create(key('a'), object('a', {}, 'one'))).toThrow(/already exists/);
    expect(() => two.create(key('a'), object('a', {}, 'two again'))).toThrow(/already exists/);
    expect(one.get(key('a'))!.object['data']).toBe('two');
    expect(one.currentRevision()).toBe(1);
    one.close();
    two.close();
  });

  it('reads correctly through a cache smaller than what it reads, or none at all', () => {
    for (const objectCacheSize of [0, 2]) {
      const store = new SqliteStore(path.join(freshDir(), 'cluster.db'), { objectCacheSize });
      for (const name of ['a', 'b', 'c', 'd']) store.create(key(name), object(name, {}, name));
      for (const name of ['a', 'b', 'c', 'd', 'a', 'd']) expect(dataOf(store, name)).toBe(name);
      store.update(key('a'), object('a', {}, 'a2'));
      expect(dataOf(store, 'a')).toBe('a2');
      expect(store.list('configmaps').items.map((i) => i.object['data'])).toEqual(['a2', 'b', 'c', 'd']);
      store.close();
    }
    expect(() => new SqliteStore(path.join(freshDir(), 'cluster.db'), { objectCacheSize: -1 })).toThrow(
      /capacity must be a non-negative integer/,
    );
  });
});

/** Opens the file with the SQLite driver itself, to look at (or build) its tables. */
function rawDatabase(file: string): SqliteDatabase {
  const Driver = createRequire(import.meta.url)('better-sqlite3') as SqliteConstructor;
  return new Driver(file, { timeout: 1000 });
}

/** The revisions in the event log, oldest first. */
function loggedRevisions(file: string): number[] {
  const db = rawDatabase(file);
  try {
    return db
      .prepare<{ revision: number }>('SELECT revision FROM events ORDER BY revision')
      .all()
      .map((r) => r.revision);
  } finally {
    db.close();
  }
}

describe('SqliteStore: each object stored once, in the event of its revision', () => {
  it('keeps the event of every current revision through compaction, and drops it once replaced', () => {
    const file = path.join(freshDir(), 'cluster.db');
    const store = new SqliteStore(file, { eventHistory: 10 });
    for (const name of ['a', 'b', 'c']) store.create(key(name), object(name, { app: 'web' }, name));
    store.create(key('busy'), object('busy', {}, 0));
    for (let i = 1; i <= 40; i++) store.update(key('busy'), object('busy', {}, i));
    expect(store.currentRevision()).toBe(44);
    // Compacted up to 34 (history 10): revisions 1-3 stay, they hold a, b and c.
    expect(() => store.eventsSince(33)).toThrow(/too old/);
    expect(loggedRevisions(file)).toEqual([1, 2, 3, ...range(35, 44)]);
    store.close();

    // Another store (cold cache) reads every object from those events.
    const again = new SqliteStore(file, { eventHistory: 10 });
    expect(['a', 'b', 'c', 'busy'].map((n) => again.get(key(n))?.object['data'])).toEqual([
      'a',
      'b',
      'c',
      40,
    ]);
    expect(names(again.list('configmaps', { labelEquals: { app: 'web' } }).items)).toEqual([
      'default/a',
      'default/b',
      'default/c',
    ]);
    // Replacing or deleting an object whose event compaction passed by drops that event.
    again.update(key('a'), object('a', { app: 'web' }, 'a2'));
    again.delete(key('b'));
    expect(loggedRevisions(file)).toEqual([3, ...range(37, 46)]);
    expect(again.get(key('a'))?.object['data']).toBe('a2');
    again.close();
    const db = rawDatabase(file);
    const columns = db.prepare<{ name: string }>("SELECT name FROM pragma_table_info('objects')").all();
    expect(columns.map((c) => c.name)).not.toContain('data');
    db.close();
  });

  it('keeps the event of an object a failed part of a transaction replaced', () => {
    const file = path.join(freshDir(), 'cluster.db');
    const store = new SqliteStore(file, { eventHistory: 5 });
    store.create(key('old'), object('old', {}, 'kept'));
    for (let i = 0; i < 20; i++) store.create(key(`n${i}`), object(`n${i}`));
    store.transaction((tx) => {
      tx.create(key('new'), object('new'));
      expect(() =>
        store.transaction((inner) => {
          inner.update(key('old'), object('old', {}, 'lost'));
          inner.delete(key('n0'));
          throw new Error('inner');
        }),
      ).toThrow('inner');
    });
    store.close();
    expect(loggedRevisions(file)).toContain(1);
    const again = new SqliteStore(file);
    expect(again.get(key('old'))?.object['data']).toBe('kept');
    expect(again.get(key('n0'))).toBeDefined();
    again.close();
  });

  it('migrates a file of schema version 1, which kept the JSON in both tables', () => {
    const file = path.join(freshDir(), 'cluster.db');
    const db = rawDatabase(file);
    db.exec(VERSION_1_SCHEMA);
    const insert = db.prepare<never>(
      'INSERT INTO objects (resource, namespace, name, revision, labels, data) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const text = (name: string, data: string) => JSON.stringify(object(name, { app: 'web' }, data));
    // `a` was written at revision 2, which compaction dropped; `b` at revision 5, still logged.
    insert.run('configmaps', 'default', 'a', 2, '[["app","web"]]', text('a', 'from a'));
    insert.run('configmaps', 'default', 'b', 5, '[["app","web"]]', text('b', 'from b'));
    const label = db.prepare<never>(
      'INSERT INTO labels (resource, key, value, namespace, name, obj) VALUES (?, ?, ?, ?, ?, ?)',
    );
    label.run('configmaps', 'app', 'web', 'default', 'a', 1);
    label.run('configmaps', 'app', 'web', 'default', 'b', 2);
    db.prepare<never>(
      'INSERT INTO events (revision, type, resource, namespace, name, data) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(5, 'MODIFIED', 'configmaps', 'default', 'b', text('b', 'from b'));
    db.exec('UPDATE state SET revision = 5, compacted = 4');
    db.pragma(`application_id = ${APPLICATION_ID}`, { simple: true });
    db.pragma('user_version = 1', { simple: true });
    db.close();

    const store = new SqliteStore(file);
    expect(
      store.list('configmaps', { labelEquals: { app: 'web' } }).items.map((i) => i.object['data']),
    ).toEqual(['from a', 'from b']);
    expect(store.eventsSince(4).map((e) => [e.revision, e.object['data']])).toEqual([[5, 'from b']]);
    expect(store.update(key('a'), object('a', { app: 'web' }, 'a2')).revision).toBe(6);
    store.close();
    expect(loggedRevisions(file)).toEqual([5, 6]);
    const check = rawDatabase(file);
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    check.close();
    const again = new SqliteStore(file);
    expect(again.get(key('a'))?.object['data']).toBe('a2');
    again.close();
  });
});

/** The integers from `from` to `to`, both included. */
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** The tables of a schema version 1 file, as bosun created them. */
const VERSION_1_SCHEMA = `
CREATE TABLE objects (
  id INTEGER PRIMARY KEY,
  resource TEXT NOT NULL,
  namespace TEXT NOT NULL,
  name TEXT NOT NULL,
  revision INTEGER NOT NULL,
  labels TEXT NOT NULL,
  data TEXT NOT NULL,
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

describe('SqliteStore: background checkpoints', () => {
  const payload = 'x'.repeat(20_000);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  /** Writes 1,500 objects of 20 kB: about 60 MB of WAL. */
  const writeMuch = (store: SqliteStore) => {
    for (let i = 0; i < 1_500; i++) store.create(key(`cm-${i}`), object(`cm-${i}`, {}, payload));
  };
  /** The database file's size once it stops growing (or after 10 s). */
  async function settledSize(file: string): Promise<number> {
    let size = -1;
    for (let waited = 0; waited < 10_000; waited += 100) {
      await sleep(100);
      const now = statSync(file).size;
      if (now === size && now > 0) break;
      size = now;
    }
    return size;
  }

  it('checkpoints from a worker once a store has written enough, while it keeps writing', async () => {
    // The writer alone checkpoints at 256 MiB of WAL: its pages stay in the WAL.
    const alone = path.join(freshDir(), 'cluster.db');
    const single = new SqliteStore(alone, { checkpointEveryBytes: 0 });
    writeMuch(single);
    expect(single.backgroundCheckpoints).toBe(false);
    expect(await settledSize(alone)).toBeLessThan(1 << 20);
    single.close();
    // With a worker, the pages reach the database file while the store stays open.
    const file = path.join(freshDir(), 'cluster.db');
    const store = new SqliteStore(file, { checkpointEveryBytes: 1 << 20 });
    writeMuch(store);
    expect(store.backgroundCheckpoints).toBe(true);
    store.create(key('last'), object('last'));
    expect(await settledSize(file)).toBeGreaterThan(25 << 20);
    store.close();
  });

  it('closes the worker first, so the last close removes the WAL; everything is kept', () => {
    const file = path.join(freshDir(), 'cluster.db');
    const store = new SqliteStore(file, { checkpointEveryBytes: 1 << 20 });
    writeMuch(store);
    expect(store.backgroundCheckpoints).toBe(true);
    store.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
    const reopened = new SqliteStore(file);
    expect(reopened.list('configmaps').items).toHaveLength(1_500);
    expect(reopened.currentRevision()).toBe(1_500);
    reopened.close();
  });

  it('starts no worker for a store that writes little', () => {
    const file = path.join(freshDir(), 'cluster.db');
    const store = new SqliteStore(file);
    for (let i = 0; i < 100; i++) store.create(key(`cm-${i}`), object(`cm-${i}`, {}, payload));
    expect(store.backgroundCheckpoints).toBe(false);
    store.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
  });
});

describe('SqliteStore: refuses files it must not touch', () => {
  const refusals: [string, () => string, RegExp][] = [
    [
      'random bytes',
      () => {
        const file = path.join(freshDir(), 'cluster.db');
        writeFileSync(file, Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919) % 251)));
        return file;
      },
      /is not a bosun cluster database: it is not an SQLite database/,
    ],
    [
      'a text file',
      () => {
        const file = path.join(freshDir(), 'cluster.db');
        writeFileSync(file, 'apiVersion: v1\nkind: Config\n');
        return file;
      },
      /is not a bosun cluster database: it is not an SQLite database/,
    ],
    [
      'a newer schema version',
      () => {
        const file = bosunDatabase();
        patchHeader(file, 60, SCHEMA_VERSION + 1);
        return file;
      },
      /was written by a newer bosun \(schema version 3, this one understands up to 2\)/,
    ],
    [
      "another application's database",
      () => {
        const file = bosunDatabase();
        patchHeader(file, 68, 0x12345678);
        return file;
      },
      /is not a bosun cluster database: it is an SQLite database of another application/,
    ],
    [
      'an SQLite database without an application id',
      () => {
        const file = bosunDatabase();
        patchHeader(file, 60, 0);
        patchHeader(file, 68, 0);
        return file;
      },
      /is not a bosun cluster database: it is an SQLite database of another application/,
    ],
    [
      'a truncated database',
      () => {
        const file = bosunDatabase(200);
        truncateSync(file, Math.floor(statSync(file).size / 2));
        return file;
      },
      /is damaged/,
    ],
  ];

  it.each(refusals)('%s: a Corrupt error naming the file, the file unchanged', (_, make, message) => {
    const file = make();
    const before = sha256(file);
    let error: unknown;
    try {
      new SqliteStore(file).close();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).reason).toBe('Corrupt');
    expect((error as StoreError).message).toContain(`"${file}"`);
    expect((error as StoreError).message).toMatch(message);
    expect((error as StoreError).message).toMatch(/move it aside or restore it from a backup|upgrade bosun/);
    expect(sha256(file)).toBe(before);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });
});

describe('SqliteStore: several processes', () => {
  const WRITES = 300;
  const WORKERS = 4;

  /**
   * Each worker reports ready, waits for "go", opens the store (all at once, so a new file is
   * created by several processes together), then runs WRITES read-modify-write transactions on
   * its object (`counter-<n>`, or the shared `counter`).
   */
  const workerSource = `
import { SqliteStore } from ${JSON.stringify(pathToFileURL(path.join(ROOT, 'src/cluster/store/index.ts')).href)};
const [file, name, writes] = process.argv.slice(2);
const key = { resource: 'configmaps', namespace: 'default', name };
process.stdout.write('ready\\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
const store = new SqliteStore(file);
for (let i = 0; i < Number(writes); i++) {
  store.transaction((tx) => {
    const current = tx.get(key);
    if (current === undefined) tx.create(key, { metadata: { name }, data: { n: 1 } });
    else tx.update(key, { ...current.object, data: { n: current.object.data.n + 1 } }, current.revision);
  });
}
store.close();
process.stdout.write('done\\n');
process.stdin.destroy();
`;

  async function runWorkers(file: string, names: string[]): Promise<void> {
    const dir = freshDir();
    const script = path.join(dir, 'worker.mjs');
    writeFileSync(script, workerSource);
    const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
    const workers = names.map((name) => {
      const child = spawn(tsx, [script, file, name, String(WRITES)], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d));
      child.stderr.on('data', (d: Buffer) => (stderr += d));
      const ready = new Promise<void>((resolve, reject) => {
        child.stdout.on('data', () => stdout.includes('ready') && resolve());
        child.once('exit', () => reject(new Error(`worker exited early: ${stderr}`)));
      });
      const exit = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
        child.once('exit', (code) => resolve({ code, stdout, stderr })),
      );
      return { child, ready, exit };
    });
    await Promise.all(workers.map((w) => w.ready));
    for (const w of workers) w.child.stdin.write('go\n');
    const results = await Promise.all(workers.map((w) => w.exit));
    for (const r of results) {
      expect(r.stderr).not.toMatch(/SQLITE_BUSY|database is locked/);
      expect(r).toMatchObject({ code: 0, stdout: 'ready\ndone\n' });
    }
  }

  it('serialises read-modify-write transactions on one object: no lost update, no SQLITE_BUSY', async () => {
    const file = path.join(freshDir(), 'cluster.db');
    const store = new SqliteStore(file);
    store.create(key('counter'), { metadata: { name: 'counter' }, data: { n: 0 } });
    const start = store.currentRevision();
    await runWorkers(
      file,
      Array.from({ length: WORKERS }, () => 'counter'),
    );
    expect(store.currentRevision()).toBe(start + WORKERS * WRITES);
    expect(store.get(key('counter'))!.object['data']).toEqual({ n: WORKERS * WRITES });
    const revisions = store.eventsSince(start).map((e) => e.revision);
    expect(revisions).toEqual(Array.from({ length: WORKERS * WRITES }, (_, i) => start + 1 + i));
    store.close();
  }, 60_000);

  it('creates the database and writes different objects from several processes at once', async () => {
    const file = path.join(freshDir(), 'cluster.db');
    const names = Array.from({ length: WORKERS }, (_, i) => `counter-${i}`);
    await runWorkers(file, names);
    const store = new SqliteStore(file);
    expect(store.currentRevision()).toBe(WORKERS * WRITES);
    for (const name of names) expect(store.get(key(name))!.object['data']).toEqual({ n: WRITES });
    expect(store.eventsSince(0)).toHaveLength(WORKERS * WRITES);
    store.close();
  }, 60_000);
});

/**
 * The writer thread of write-behind and how its failures reach the store: a statement that
 * fails, another write found when it takes the lock again, a lock it cannot take.
 */

import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StoreError } from '../../../src/cluster/store/index.js';
import { SqliteConnection } from '../../../src/cluster/store/sqlite-connection.js';
import { Deferral } from '../../../src/cluster/store/sqlite-deferral.js';
import { LOGGED_WRITES } from '../../../src/cluster/store/sqlite-ops.js';
import { SqliteStore } from '../../../src/cluster/store/sqlite-store.js';
import type { WriterThreadOptions } from '../../../src/cluster/store/sqlite-writer.js';
import { tempDir } from '../../helpers/chart-builder.js';
import { key, object } from './fixtures.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A cluster database with one object, and the writer options of a connection to it. */
function database(): { file: string; options: WriterThreadOptions } {
  const dir = tempDir('bosun-writer-');
  dirs.push(dir);
  const file = path.join(dir, 'cluster.db');
  const store = new SqliteStore(file);
  store.create(key('a'), object('a'));
  store.close();
  const connection = new SqliteConnection(file);
  const options = connection.writerOptions(undefined);
  connection.close();
  return { file, options };
}

/** The options with the SQL of one logged write replaced. */
function replacing(options: WriterThreadOptions, name: string, sql: string): WriterThreadOptions {
  const code = LOGGED_WRITES.findIndex(([write]) => write === name);
  return { ...options, writes: options.writes.map((write, i) => (i === code ? [sql, write[1]] : write)) };
}

/** Runs one batch that sets the revision (and meta `m`) through a deferral; returns what it threw. */
function runBatch(deferral: Deferral): unknown {
  try {
    deferral.scope(
      () => {
        deferral.handOver(() => {});
        const behind = deferral.behind!;
        expect(behind).toBeDefined();
        behind.log.setState(behind.revision + 1, behind.compacted);
        behind.log.setMeta('m', '1');
        behind.send(behind.revision + 1, behind.compacted, [['m', '1']]);
        deferral.catchUp(behind);
      },
      () => {},
    );
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('writer thread failures', () => {
  it('commits a batch and hands the lock back', () => {
    const { file, options } = database();
    const deferral = new Deferral({ path: file, afterBytes: 0, writer: () => options });
    expect(runBatch(deferral)).toBeUndefined();
    deferral.close(() => {});
    const store = new SqliteStore(file);
    expect(store.currentRevision()).toBe(2);
    expect(store.getMeta('m')).toBe(1);
    store.close();
  });

  it('a statement that fails: the error, with its SQLite code, and nothing of the batch in the file', () => {
    const { file, options } = database();
    const failing = replacing(
      options,
      'setState',
      'INSERT INTO state (id, revision, compacted) VALUES (1, ?, ?)',
    );
    const deferral = new Deferral({ path: file, afterBytes: 0, writer: () => failing });
    const error = runBatch(deferral) as Error & { code?: string };
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('SQLITE_CONSTRAINT_PRIMARYKEY');
    expect(error.message).toMatch(/UNIQUE constraint failed: state.id/);
    // From now on the deferral reports the failure instead of writing.
    expect(deferral.broken).toBe(error);
    // The writer rolled back and let go of the lock: another connection writes at once.
    const store = new SqliteStore(file, { busyTimeoutMs: 100 });
    expect(store.currentRevision()).toBe(1);
    expect(store.getMeta('m')).toBeUndefined();
    store.create(key('b'), object('b'));
    store.close();
    deferral.close(() => {});
  });

  it('another write found when it takes the lock again after a group: Conflict', () => {
    const { file, options } = database();
    // The meta write stands in for another process: it moves the revision behind the writer's back.
    const meddling = replacing(
      options,
      'setMeta',
      'UPDATE state SET revision = revision + 100 WHERE ? IS NOT ?',
    );
    const deferral = new Deferral({ path: file, afterBytes: 0, writer: () => meddling });
    const error = runBatch(deferral);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).reason).toBe('Conflict');
    expect((error as StoreError).message).toMatch(/another process wrote the cluster database/);
    deferral.close(() => {});
  });

  it('a lock it cannot take: the store writes directly instead', () => {
    const { file, options } = database();
    const holder = new SqliteStore(file);
    const deferral = new Deferral({
      path: file,
      afterBytes: 0,
      writer: () => ({ ...options, busyTimeoutMs: 50 }),
    });
    holder.transaction(() => {
      deferral.scope(
        () => {
          deferral.handOver(() => {});
          expect(deferral.behind).toBeUndefined();
          expect(deferral.broken).toBeUndefined();
        },
        () => {},
      );
    });
    deferral.close(() => {});
    holder.close();
  });
});

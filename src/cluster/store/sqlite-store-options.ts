/**
 * The options of the SQLite object store (`sqlite-store.ts`).
 */

import type { StoreOptions } from './records.js';

/** Options of `SqliteStore`. */
export interface SqliteStoreOptions extends StoreOptions {
  /**
   * How long a write waits for another process's transaction before failing with SQLITE_BUSY.
   * @default 10_000
   */
  readonly busyTimeoutMs?: number;
  /**
   * How many recently used objects are kept decoded in memory (reads of them need no query and
   * no parse). A kubelet reads a pod again when its image pull ends, thousands of writes after
   * it last wrote it: with 2,048, a 100,000-pod settle read and decoded 328,000 rows back from
   * the file; with 8,192, 106,000 (10% less CPU, the same peak RSS). Bigger caches cost memory.
   * @default 8192
   */
  readonly objectCacheSize?: number;
  /**
   * Encoded bytes written between two background checkpoints; the first time a store writes
   * this much, it starts its checkpoint worker (the checkpoint worker, `sqlite-checkpointer.ts`). 0 never starts one.
   * @default 64 MiB
   */
  readonly checkpointEveryBytes?: number;
  /**
   * Encoded bytes a `deferCommits` scope writes before a writer thread takes over its commits
   * (0: from its first transaction; `Infinity`: never).
   * @default 16 MiB
   */
  readonly writeBehindAfterBytes?: number;
  /**
   * Statements the writer thread replays between two group commits (it also commits once a
   * second has passed since the last).
   * @default 20,000
   */
  readonly writeBehindGroup?: number;
}

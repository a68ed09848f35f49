/**
 * Checkpoints the cluster database's WAL from a worker thread while the store keeps writing.
 *
 * In WAL mode a commit appends pages to the `-wal` file, and a checkpoint later copies them into
 * the database. SQLite's automatic checkpoint runs inside the commit that crosses the threshold,
 * on the writing thread: a settle of 100,000 pods spent about a tenth of its wall time there. A
 * PASSIVE checkpoint on a second connection never blocks the writer, so it can run on the
 * machine's other core instead. The worker is only started once a store has written enough for
 * it to pay off (a CLI command that writes a few objects never starts one), and the writer's own
 * automatic checkpoint stays on, at a higher mark, as a backstop.
 */

import { Worker } from 'node:worker_threads';

/** Options of {@link Checkpointer}. */
export interface CheckpointerOptions {
  /** The database file. */
  readonly path: string;
  /** Where better-sqlite3 is (`require.resolve`), for the worker to load the same driver. */
  readonly driver: string;
  /** Encoded bytes written between two checkpoint requests (the first one starts the worker). */
  readonly everyBytes: number;
  /** How long a checkpoint waits for a lock held by another connection. */
  readonly busyTimeoutMs: number;
  /** Called once the worker runs: the writer may raise its own automatic checkpoint mark. */
  readonly onStart: () => void;
  /** Called when the worker failed: the writer goes back to checkpointing on its own. */
  readonly onFail: () => void;
}

// The worker: one connection that only checkpoints, on request, until told to close. It signals
// its exit (closed, or failed) through shared memory, so the store's close can wait for it
// synchronously; a failure also ends it, and the store's writer checkpoints on its own again.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const closed = new Int32Array(workerData.closed);
process.on('exit', () => { Atomics.store(closed, 0, 1); Atomics.notify(closed, 0); });
const Database = require(workerData.driver);
const db = new Database(workerData.path, { timeout: workerData.busyTimeoutMs });
db.pragma('synchronous = NORMAL');
db.pragma('wal_autocheckpoint = 0');
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
  } else {
    db.pragma('wal_checkpoint(PASSIVE)');
  }
});
`;
/** How long `close` waits for the worker to finish a checkpoint and close its connection. */
const CLOSE_WAIT_MS = 10_000;

/**
 * Requests background checkpoints as a store writes: `wrote(bytes)` after each commit, `close()`
 * before the store closes its own connection (so the last connection to close is the store's,
 * which checkpoints what is left and removes the WAL).
 */
export class Checkpointer {
  private worker: Worker | undefined;
  private closed: Int32Array | undefined;
  private failed = false;
  private written = 0;

  constructor(private readonly options: CheckpointerOptions) {}

  /** Counts bytes a commit wrote; past the mark, asks for a checkpoint. */
  wrote(bytes: number): void {
    if (this.failed) return;
    this.written += bytes;
    if (this.written < this.options.everyBytes) return;
    this.written = 0;
    this.start()?.postMessage('checkpoint');
  }

  /** Whether the worker is running. */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /** Stops the worker, waiting (bounded) until its connection is closed. */
  close(): void {
    const worker = this.worker;
    if (worker === undefined) return;
    this.worker = undefined;
    this.failed = true;
    worker.postMessage('close');
    Atomics.wait(this.closed!, 0, 0, CLOSE_WAIT_MS);
  }

  private start(): Worker | undefined {
    if (this.worker !== undefined || this.failed) return this.worker;
    const closed = new SharedArrayBuffer(4);
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: {
          path: this.options.path,
          driver: this.options.driver,
          busyTimeoutMs: this.options.busyTimeoutMs,
          closed,
        },
      });
    } catch {
      this.fail();
      return undefined;
    }
    // A checkpoint is only an optimisation: a worker that fails leaves the writer checkpointing
    // as before, and an idle one never keeps the process alive.
    worker.on('error', () => {
      if (this.worker === worker) {
        this.worker = undefined;
        this.fail();
      }
    });
    worker.unref();
    this.worker = worker;
    this.closed = new Int32Array(closed);
    this.options.onStart();
    return worker;
  }

  private fail(): void {
    this.failed = true;
    this.options.onFail();
  }
}

/**
 * The writer thread of the SQLite store's write-behind mode (see `sqlite-behind.ts`): a worker
 * with its own connection that holds the write lock, replays the store's logged writes
 * (`sqlite-ops.ts`) and commits them in groups, on the machine's other core.
 *
 * The store talks to it through shared memory, never waiting on the event loop (a settle runs
 * synchronously): `begin` and `flush` wait for the worker's answer with `Atomics.wait`, `send`
 * does not wait at all, and `committed` tells how far the commits have come.
 */

import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { StoreError } from './types.js';

/** Slots of the shared Int32Array. */
const READY = 0;
const COMMITTED = 1;
const ACK = 2;
const FAILED = 3;

// The worker. A failure (a statement, a commit, or another process's write found when it takes
// the lock again) rolls back what is not committed, posts the error on the port and raises
// FAILED; from then on it only acknowledges, so the store never waits for an answer that will
// not come.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const sync = new Int32Array(workerData.sync);
const nums = new Float64Array(workerData.nums);
const port = workerData.port;
const ack = () => { Atomics.add(sync, ${ACK}, 1); Atomics.notify(sync, ${ACK}); };
let db, writes, begin, commit, state, maxId;
let failed = false, seq = 0, expected = -1, count = 0, since = 0, parts = [];
function fail(error) {
  if (failed) return;
  failed = true;
  try { if (db !== undefined && db.inTransaction) db.exec('ROLLBACK'); } catch {}
  port.postMessage({ code: error && error.code, message: error instanceof Error ? error.message : String(error) });
  Atomics.store(sync, ${FAILED}, 1);
  Atomics.notify(sync, ${COMMITTED});
  Atomics.notify(sync, ${READY});
}
process.on('exit', () => { try { fail(new Error('the writer thread exited')); } catch {} ack(); });
try {
  const Database = require(workerData.driver);
  db = new Database(workerData.path, { timeout: workerData.busyTimeoutMs });
  db.pragma('synchronous = NORMAL');
  db.pragma('journal_size_limit = 67108864');
  db.pragma('cache_size = -32768');
  db.pragma('temp_store = MEMORY');
  db.pragma('wal_autocheckpoint = ' + workerData.autocheckpoint);
  writes = workerData.writes.map(([sql, arity]) => [db.prepare(sql), arity]);
  begin = db.prepare('BEGIN IMMEDIATE');
  commit = db.prepare('COMMIT');
  state = db.prepare('SELECT revision, compacted FROM state WHERE id = 1');
  maxId = db.prepare('SELECT coalesce(max(id), 0) AS id FROM objects');
  Atomics.store(sync, ${READY}, 1);
  Atomics.notify(sync, ${READY});
} catch (error) {
  fail(error);
}
function apply(ops) {
  for (let i = 0; i < ops.length; ) {
    const code = ops[i];
    const [statement, arity] = writes[code];
    switch (arity) {
      case 1: statement.run(ops[i + 1]); break;
      case 2: statement.run(ops[i + 1], ops[i + 2]); break;
      case 3: statement.run(ops[i + 1], ops[i + 2], ops[i + 3]); break;
      case 5: statement.run(ops[i + 1], ops[i + 2], ops[i + 3], ops[i + 4], ops[i + 5]); break;
      default: statement.run(ops[i + 1], ops[i + 2], ops[i + 3], ops[i + 4], ops[i + 5], ops[i + 6]);
    }
    if (code === workerData.setState) expected = ops[i + 1];
    i += arity + 1;
    count++;
  }
}
function lock() {
  begin.run();
  const row = state.get();
  if (expected >= 0 && row.revision !== expected) {
    const error = new Error('another process wrote the cluster database while this one held back its commits (revision ' + row.revision + ', expected ' + expected + ')');
    error.code = 'BOSUN_CONFLICT';
    throw error;
  }
  expected = row.revision;
  since = Date.now();
  count = 0;
  return row;
}
function commitAll() {
  commit.run();
  Atomics.store(sync, ${COMMITTED}, seq);
  Atomics.notify(sync, ${COMMITTED});
}
parentPort.on('message', (message) => {
  if (message.type === 'close') {
    try { if (db !== undefined) db.close(); } catch {}
    failed = true;
    ack();
    parentPort.close();
    return;
  }
  if (failed) {
    if (message.type === 'begin' || message.type === 'flush') ack();
    return;
  }
  try {
    if (message.type === 'begin') {
      expected = -1;
      const row = lock();
      nums[0] = row.revision;
      nums[1] = row.compacted;
      nums[2] = maxId.get().id;
      ack();
    } else if (message.type === 'abort') {
      parts = [];
    } else if (message.type === 'commit') {
      if (Atomics.load(sync, ${COMMITTED}) !== seq) {
        commitAll();
        lock();
      }
    } else if (message.type === 'ops') {
      // A batch comes in parts; it is written once the last part is in (an aborted one never).
      parts.push(message.ops);
      if (!message.last) return;
      for (const ops of parts) apply(ops);
      parts = [];
      seq = message.seq;
      if (count >= workerData.commitStatements || Date.now() - since >= workerData.commitMs) {
        commitAll();
        lock();
      }
    } else if (message.type === 'flush') {
      commitAll();
      expected = -1;
      ack();
    }
  } catch (error) {
    fail(error);
    if (message.type === 'begin' || message.type === 'flush') ack();
  }
});
`;

/** Options of {@link WriterThread.start}. */
export interface WriterThreadOptions {
  readonly path: string;
  /** Where better-sqlite3 is (`require.resolve`). */
  readonly driver: string;
  readonly busyTimeoutMs: number;
  /** The connection's `wal_autocheckpoint`, in pages. */
  readonly autocheckpoint: number;
  /** The SQL and argument count of each logged write, by op code. */
  readonly writes: readonly (readonly [string, number])[];
  /** The op code of `setState` (the worker checks the revision it wrote when it locks again). */
  readonly setStateCode: number;
  /** A group commit after this many statements... */
  readonly commitStatements: number;
  /** ...or once this many milliseconds passed since the last one. */
  readonly commitMs: number;
}

/** What the writer read when it took the write lock. */
export interface Begun {
  readonly revision: number;
  readonly compacted: number;
  readonly maxId: number;
}

/** The longest a flush waits for the writer to commit what it was sent. */
const FLUSH_WAIT_MS = 600_000;
/** How long closing waits for the worker to close its connection. */
const CLOSE_WAIT_MS = 10_000;

/** The store's end of the writer thread. */
export class WriterThread {
  private failure: Error | undefined;

  private constructor(
    private readonly worker: Worker,
    private readonly sync: Int32Array,
    private readonly nums: Float64Array,
    private readonly port: MessagePort,
    private readonly busyTimeoutMs: number,
  ) {}

  /** Starts the worker (it opens its connection in the background); undefined when it cannot. */
  static start(options: WriterThreadOptions): WriterThread | undefined {
    const sync = new SharedArrayBuffer(4 * 4);
    const nums = new SharedArrayBuffer(8 * 3);
    const { port1, port2 } = new MessageChannel();
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: {
          path: options.path,
          driver: options.driver,
          busyTimeoutMs: options.busyTimeoutMs,
          autocheckpoint: options.autocheckpoint,
          writes: options.writes,
          setState: options.setStateCode,
          commitStatements: options.commitStatements,
          commitMs: options.commitMs,
          sync,
          nums,
          port: port2,
        },
        transferList: [port2],
      });
    } catch {
      port1.close();
      return undefined;
    }
    // Failures reach the store through shared memory; the worker never keeps the process alive.
    worker.on('error', () => {});
    worker.unref();
    port1.unref();
    return new WriterThread(
      worker,
      new Int32Array(sync),
      new Float64Array(nums),
      port1,
      options.busyTimeoutMs,
    );
  }

  /** Whether the worker has opened its connection, waiting up to `timeoutMs` for it. */
  waitReady(timeoutMs: number): boolean {
    if (Atomics.load(this.sync, READY) === 0 && timeoutMs > 0 && this.failed === undefined) {
      Atomics.wait(this.sync, READY, 0, timeoutMs);
    }
    return Atomics.load(this.sync, READY) === 1 && this.failed === undefined;
  }

  /** The worker's failure, once it has failed (it then writes nothing more). */
  get failed(): Error | undefined {
    if (this.failure === undefined && Atomics.load(this.sync, FAILED) === 1) {
      const received = receiveMessageOnPort(this.port)?.message as
        | { code?: string; message: string }
        | undefined;
      const error: Error & { code?: string } =
        received?.code === 'BOSUN_CONFLICT'
          ? new StoreError('Conflict', received.message)
          : new Error(received?.message ?? 'the writer thread failed');
      if (received?.code !== undefined && received.code !== 'BOSUN_CONFLICT') error.code = received.code;
      this.failure = error;
    }
    return this.failure;
  }

  /** The sequence number of the last batch committed. */
  get committed(): number {
    return Atomics.load(this.sync, COMMITTED);
  }

  /** Takes the write lock (waiting for other processes as a write would) and reads the state. */
  begin(): Begun {
    this.request('begin', this.busyTimeoutMs + 10_000);
    const [revision, compacted, maxId] = this.nums as unknown as [number, number, number];
    return { revision, compacted, maxId };
  }

  /**
   * Sends a part of batch `seq` of logged writes (one store transaction); does not wait. The
   * writer writes the batch once its `last` part is in.
   */
  send(seq: number, ops: unknown[], last: boolean): void {
    this.worker.postMessage({ type: 'ops', seq, ops, last });
  }

  /** Drops the parts of the batch being sent: its transaction failed. */
  abort(): void {
    this.worker.postMessage({ type: 'abort' });
  }

  /** Has the writer commit what it has written (it keeps the lock), and waits until batch `seq` is in. */
  waitCommitted(seq: number, timeoutMs: number): void {
    if (this.committed >= seq) return;
    this.worker.postMessage({ type: 'commit' });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const committed = this.committed;
      if (committed >= seq || this.failed !== undefined) return;
      const left = deadline - Date.now();
      if (left <= 0) {
        this.failure ??= new Error(`the writer thread did not commit within ${timeoutMs} ms`);
        return;
      }
      Atomics.wait(this.sync, COMMITTED, committed, left);
    }
  }

  /** Commits everything sent and releases the write lock. */
  flush(): void {
    this.request('flush', FLUSH_WAIT_MS);
  }

  /** Ends the worker, waiting (bounded) until its connection is closed. */
  close(): void {
    try {
      this.request('close', CLOSE_WAIT_MS);
    } catch {
      // A failed or silent worker has nothing left to write.
    }
    this.port.close();
  }

  /** Posts a request and waits for its acknowledgement; throws the worker's failure. */
  private request(type: 'begin' | 'flush' | 'close', timeoutMs: number): void {
    const before = Atomics.load(this.sync, ACK);
    this.worker.postMessage({ type });
    const deadline = Date.now() + timeoutMs;
    while (Atomics.load(this.sync, ACK) === before) {
      const left = deadline - Date.now();
      if (left <= 0 || Atomics.wait(this.sync, ACK, before, left) === 'timed-out') {
        this.failure ??= new Error(`the writer thread did not answer "${type}" within ${timeoutMs} ms`);
        throw this.failure;
      }
    }
    const failed = this.failed;
    if (failed !== undefined) throw failed;
  }
}

/**
 * When a SQLite store's commits go behind (`deferCommits`, see `sqlite-behind.ts`): its scopes,
 * what they wrote directly, the writer thread it starts once a scope has written enough, and
 * how that thread hands the lock back or fails.
 */

import { WriteBehind } from './sqlite-behind.js';
import { classifyError } from './sqlite-schema.js';
import { type Begun, WriterThread, type WriterThreadOptions } from './sqlite-writer.js';

/** Options of {@link Deferral}. */
export interface DeferralOptions {
  /** The database file (errors name it). */
  readonly path: string;
  /** Encoded bytes a scope writes directly before the writer takes over (0: at once). */
  readonly afterBytes: number;
  /** The writer thread's options, when it starts. */
  readonly writer: () => WriterThreadOptions;
}

/** A store's `deferCommits` scopes and writer thread. */
export class Deferral {
  /** The write-behind state while the writer thread holds the lock. */
  behind: WriteBehind | undefined;
  /** Set when the writer failed with writes the store had already published: the store is done. */
  broken: unknown;
  private depth = 0;
  private written = 0;
  private writer: WriterThread | undefined;
  /** Set when the writer cannot be used: the store writes directly from then on. */
  private unusable = false;

  constructor(private readonly options: DeferralOptions) {}

  /** Whether a scope is open. */
  get open(): boolean {
    return this.depth > 0;
  }

  /**
   * Runs `fn` as a scope (nested scopes join the outer one). At its end the writer commits what
   * it was sent and lets go of the lock; `adopt` then takes its commits as the store's own.
   */
  scope<T>(fn: () => T, adopt: (behind: WriteBehind) => void): T {
    if (this.depth > 0) return fn();
    this.depth++;
    let done = false;
    try {
      const result = fn();
      done = true;
      return result;
    } finally {
      this.depth--;
      this.written = 0;
      this.handBack(done, adopt);
    }
  }

  /** Counts bytes a scope's transaction wrote directly. */
  wrote(bytes: number): void {
    if (this.depth > 0) this.written += bytes;
  }

  /**
   * At the start of a scope's transaction, once the scope has written enough: starts the writer
   * the first time (transactions write directly until it is ready), then has it take the write
   * lock. `locked` runs right after, while nothing else can commit.
   */
  handOver(locked: () => void): void {
    if (this.behind !== undefined || this.unusable || this.written < this.options.afterBytes) return;
    if (this.writer === undefined) {
      this.writer = WriterThread.start(this.options.writer());
      if (this.writer === undefined) {
        this.unusable = true;
        return;
      }
    }
    // A store told to hand over at once waits for the thread; otherwise it goes on meanwhile.
    if (!this.writer.waitReady(this.options.afterBytes === 0 ? 10_000 : 0)) return;
    let begun: Begun;
    try {
      begun = this.writer.begin();
    } catch {
      // The store writes on its own, as before: its own BEGIN waits for (or reports) the lock.
      this.unusable = true;
      return;
    }
    locked();
    this.behind = new WriteBehind(this.writer, begun);
  }

  /** Waits until the writer has committed every batch sent. */
  catchUp(behind: WriteBehind): void {
    behind.catchUp();
    this.check(behind);
  }

  /** Throws (from now on) when the writer failed: its last writes are not in the file. */
  check(behind: WriteBehind): void {
    const failed = behind.thread.failed;
    if (failed === undefined) return;
    this.behind = undefined;
    this.unusable = true;
    this.broken = classifyError(this.options.path, failed);
    throw this.broken;
  }

  /** Ends the writer thread (after handing the lock back). */
  close(adopt: (behind: WriteBehind) => void): void {
    this.handBack(false, adopt);
    this.writer?.close();
    this.writer = undefined;
  }

  /**
   * Ends write-behind: the writer commits what it was sent and releases the lock. `loud`: a
   * failure is thrown (else only remembered, when the scope fails anyway).
   */
  private handBack(loud: boolean, adopt: (behind: WriteBehind) => void): void {
    const behind = this.behind;
    if (behind === undefined) return;
    this.behind = undefined;
    try {
      behind.thread.flush();
    } catch (error) {
      this.unusable = true;
      this.broken = classifyError(this.options.path, error);
      if (loud) throw this.broken;
      return;
    }
    adopt(behind);
  }
}

/**
 * In-process delivery of committed changes to `subscribe` listeners, shared by both stores.
 */

import { type EventRecord, toWatchEvent } from './records.js';
import type { WatchEvent } from './types.js';

type Listener = (event: WatchEvent) => void;

/**
 * Delivers committed events to listeners in revision order. A listener that writes to the store
 * while being called does not reorder anything: the events of its write are queued and delivered
 * after the current ones. Each listener gets its own copy of the object. A listener that throws
 * neither stops delivery to the others nor fails the write that already committed: its error
 * goes to `onListenerError`, by default rethrown asynchronously, where it surfaces as an uncaught
 * exception (a bug to fix, not a state to recover from).
 */
export class EventBus {
  /** Wrapped so the same function subscribed twice is called twice and unsubscribed once. */
  private listeners: { readonly fn: Listener }[] = [];
  private readonly queue: EventRecord[] = [];
  private delivering = false;

  constructor(private readonly onListenerError: (error: unknown) => void = rethrowLater) {}

  /** Adds a listener; returns a function that removes it (idempotent). */
  subscribe(fn: Listener): () => void {
    const entry = { fn };
    this.listeners = [...this.listeners, entry];
    return () => {
      this.listeners = this.listeners.filter((e) => e !== entry);
    };
  }

  /** Delivers the events of one commit (oldest first). */
  publish(events: readonly EventRecord[]): void {
    if (events.length === 0 || this.listeners.length === 0) return;
    this.queue.push(...events);
    if (this.delivering) return;
    this.delivering = true;
    try {
      for (let i = 0; i < this.queue.length; i++) {
        const record = this.queue[i]!;
        // A snapshot: listeners added or removed during delivery take effect from the next event.
        for (const { fn } of this.listeners) {
          try {
            fn(toWatchEvent(record));
          } catch (error) {
            this.onListenerError(error);
          }
        }
      }
    } finally {
      this.queue.length = 0;
      this.delivering = false;
    }
  }
}

function rethrowLater(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}

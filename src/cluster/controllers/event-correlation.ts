/**
 * client-go's event correlation, shared by the controllers that record events by the hundred.
 */

import type { ControllerContext } from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';
import { uidOf } from './shared.js';

/** Similar events (same object, reason) kept apart before they are combined (`maxEvents`). */
export const SIMILAR_EVENTS = 10;
/** How long similar events are remembered (`maxIntervalInSeconds`). */
const SIMILAR_EVENTS_WINDOW_MS = 600_000;
/** Events about one object (of one type and reason) recorded in a burst (`defaultSpamBurst`). */
export const EVENT_SPAM_BURST = 25;
/** One more may be recorded every 5 minutes after the burst (`defaultSpamQPS`). */
const EVENT_SPAM_REFILL_MS = 300_000;

/**
 * client-go's event correlation, for the events a controller records by the hundred (one per
 * pod): after 10 events of one reason about one object within 10 minutes, the next are combined
 * into one event, `(combined from similar events): Created pod: …`, whose count goes up (it keeps
 * the message of the first one it combined); and the spam filter drops what comes after a burst of
 * 25 (one more every 5 minutes), so a ReplicaSet of 100,000 pods records a few dozen events.
 */
export class SimilarEvents {
  private readonly seen = new Map<
    string,
    { count: number; last: number; combined: string | undefined; tokens: number; refilled: number }
  >();

  record(
    ctx: ControllerContext,
    component: string,
    object: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
  ): void {
    const key = `${uidOf(object)}\0${type}\0${reason}`;
    const now = ctx.now().getTime();
    let entry = this.seen.get(key);
    if (entry === undefined) {
      entry = { count: 0, last: now, combined: undefined, tokens: EVENT_SPAM_BURST, refilled: now };
      this.seen.set(key, entry);
    }
    if (now - entry.last > SIMILAR_EVENTS_WINDOW_MS) {
      entry.count = 0;
      entry.combined = undefined;
    }
    entry.count++;
    entry.last = now;
    const refill = Math.floor((now - entry.refilled) / EVENT_SPAM_REFILL_MS);
    if (refill > 0) {
      entry.tokens = Math.min(EVENT_SPAM_BURST, entry.tokens + refill);
      entry.refilled += refill * EVENT_SPAM_REFILL_MS;
    }
    let text = message;
    if (entry.count > SIMILAR_EVENTS) text = entry.combined ??= `(combined from similar events): ${message}`;
    if (entry.tokens <= 0) return;
    entry.tokens--;
    ctx.recorder(component).record(object, type, reason, text);
  }

  forget(uid: string): void {
    for (const key of this.seen.keys()) if (key.startsWith(`${uid}\0`)) this.seen.delete(key);
  }

  clear(): void {
    this.seen.clear();
  }
}

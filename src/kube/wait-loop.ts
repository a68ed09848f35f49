/**
 * The poll loop every wait shares (Helm's legacy poller: `wait.PollUntilContextTimeout` with an
 * immediate first check). Time is the cluster's: `client.now()` measures it and `client.sleep()`
 * passes it, so on the embedded cluster a five-minute wait plays out its back-offs and deadlines
 * in well under a second; on a real cluster it takes the five minutes.
 */

import { goDuration } from '../cluster/kubelet/status.js';
import { ReleaseFailedError, TimeoutError } from '../internal/errors.js';
import type { KubeClient } from './kube-client.js';
import type { Readiness, ResourceRef } from './readiness-common.js';

/** Helm's legacy poll interval. */
export const DEFAULT_POLL_MS = 2000;

/** Go's `time.Duration` text of a timeout (`5m0s`, `90s` → `1m30s`), as Helm prints `--timeout`. */
export const durationText = (ms: number): string => goDuration(ms);

/** One object still waited for, with its state. */
export interface WaitProgress {
  readonly ref: ResourceRef;
  readonly readiness: Readiness;
}

/** A wait that ran out of time; `pending` holds what was still not there at the deadline. */
export class WaitTimeoutError extends TimeoutError {
  constructor(
    message: string,
    readonly pending: readonly WaitProgress[],
  ) {
    super(message);
  }
}

/**
 * A wait that stopped because an object reached a state waiting cannot fix (a Deployment past its
 * progress deadline, a failed Job, a deleted object); `failed` holds those objects.
 */
export class WaitFailedError extends ReleaseFailedError {
  constructor(
    message: string,
    readonly failed: readonly WaitProgress[],
  ) {
    super(message);
  }
}

/** The error an aborted wait rejects with. */
export function interrupted(): Error {
  return new Error('interrupted');
}

/** Rejects at once when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw interrupted();
}

/**
 * `promise`, or a rejection with `interrupted` as soon as `signal` fires (a real cluster's sleep
 * would otherwise hold Ctrl-C for a whole poll interval).
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) {
    // The work may still settle later; nobody listens to it any more.
    promise.catch(() => undefined);
    return Promise.reject(interrupted());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(interrupted());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** How a loop polls. */
export interface PollOptions {
  readonly timeoutMs: number;
  readonly pollMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * Settles the cluster once, then checks, and until `check` answers (not `undefined`) lets
 * `pollMs` of cluster time pass and checks again. At the deadline (`timeoutMs` of cluster time
 * after the start) the last check's verdict goes to `onTimeout`, whose error is thrown. The
 * deadline is checked after each check, so the state at the deadline is always looked at.
 */
export async function pollUntil<T>(
  client: KubeClient,
  options: PollOptions,
  check: () => Promise<T | undefined>,
  onTimeout: () => Error,
): Promise<T> {
  const { signal } = options;
  const pollMs = Math.max(1, options.pollMs ?? DEFAULT_POLL_MS);
  throwIfAborted(signal);
  const start = (await abortable(client.now(), signal)).getTime();
  const deadline = start + Math.max(0, options.timeoutMs);
  // What was applied just now has not been acted on yet: let the controllers catch up first, but
  // no further than the deadline (a hook that takes ten minutes fails a five-second timeout).
  await abortable(client.settle({ horizonMs: Math.max(0, options.timeoutMs) }), signal);
  for (;;) {
    throwIfAborted(signal);
    const answer = await abortable(check(), signal);
    if (answer !== undefined) return answer;
    const now = (await abortable(client.now(), signal)).getTime();
    if (now >= deadline) throw onTimeout();
    throwIfAborted(signal);
    await abortable(client.sleep(Math.min(pollMs, deadline - now), { settleAfter: false }), signal);
    // The embedded cluster answers synchronously: give the event loop a turn each poll, so a
    // Ctrl-C (delivered there) can abort a long wait.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

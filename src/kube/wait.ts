/**
 * The waits of a release: until its objects are ready (`--wait`, Helm's legacy poller over
 * {@link readinessOf}), until they are gone (`uninstall --wait`), and until a hook has finished
 * ({@link waitForHook}). A failure names every object that is not there yet and why, on one line:
 * `timed out waiting for the condition after 2m0s: deployment "worker" not ready: 0/10 ready;
 * 5 pods in ImagePullBackOff: Back-off pulling image "dockercoins/worker:v0.3"`.
 */

import { get, list, str } from '../cluster/printing/values.js';
import { type KindDescriptor, KubeApiError, type KubeClient } from './kube-client.js';
import { readinessOf } from './readiness.js';
import { namespaceOf, type ResourceRef, readiness, refLabel, refShortName } from './readiness-common.js';
import {
  durationText,
  pollUntil,
  throwIfAborted,
  WaitFailedError,
  type WaitProgress,
  WaitTimeoutError,
} from './wait-loop.js';

export { waitForHook } from './hook-wait.js';
export { DEFAULT_POLL_MS, WaitFailedError, type WaitProgress, WaitTimeoutError } from './wait-loop.js';

/** How to wait. */
export interface WaitOptions {
  /** `--timeout` (Helm's default is 5m), in cluster time. */
  readonly timeoutMs: number;
  /** Time between polls. @default 2000 (Helm's legacy poller) */
  readonly pollMs?: number;
  /** Jobs must complete (`--wait-for-jobs`). */
  readonly waitForJobs?: boolean;
  /**
   * Called after each poll that leaves something not ready, with those objects (for a live
   * progress line); not called once everything is ready.
   */
  readonly onProgress?: (pending: readonly WaitProgress[]) => void;
  /** Aborting rejects the wait promptly with `Error('interrupted')`. */
  readonly signal?: AbortSignal;
}

/** `deployment "worker" not ready: 0/10 ready; 5 pods in ImagePullBackOff: …`. */
function pendingText(p: WaitProgress, verb: string): string {
  const { progress, reason } = p.readiness;
  return `${refLabel(p.ref)} ${verb}: ${progress}${reason === undefined ? '' : `; ${reason}`}`;
}

function timeoutMessage(timeoutMs: number, pending: readonly WaitProgress[], verb: string): string {
  const what = pending.map((p) => pendingText(p, verb)).join('; ');
  return `timed out waiting for the condition after ${durationText(timeoutMs)}${what === '' ? '' : `: ${what}`}`;
}

/**
 * Waits until every object is ready by Helm's rules (`--wait`). Checks at once (after letting the
 * cluster settle), then every `pollMs` of cluster time. Throws {@link WaitFailedError} as soon as an
 * object has failed for good, and {@link WaitTimeoutError} at the deadline naming every object
 * still not ready.
 */
export async function waitForReady(
  client: KubeClient,
  refs: readonly ResourceRef[],
  options: WaitOptions,
): Promise<void> {
  throwIfAborted(options.signal);
  if (refs.length === 0) return;
  const readinessOptions = options.waitForJobs ? { waitForJobs: true } : {};
  let pending: readonly WaitProgress[] = [];
  await pollUntil(
    client,
    options,
    async () => {
      const states = await Promise.all(
        refs.map(async (ref) => ({ ref, readiness: await readinessOf(client, ref, readinessOptions) })),
      );
      pending = states.filter((s) => !s.readiness.ready);
      if (pending.length === 0) return true;
      options.onProgress?.(pending);
      const failed = pending.filter((s) => s.readiness.failed);
      if (failed.length > 0) {
        const message = failed.map((f) => f.readiness.reason ?? `${refLabel(f.ref)} failed`).join('; ');
        throw new WaitFailedError(message, failed);
      }
      return undefined;
    },
    () => new WaitTimeoutError(timeoutMessage(options.timeoutMs, pending, 'not ready'), pending),
  );
}

/**
 * Waits until every object is gone (`uninstall --wait`, a hook's `before-hook-creation`). An object
 * whose kind the cluster does not serve cannot exist and counts as gone. The timeout names what
 * is left and the finalizers holding it.
 */
export async function waitForDeletion(
  client: KubeClient,
  refs: readonly ResourceRef[],
  options: WaitOptions,
): Promise<void> {
  throwIfAborted(options.signal);
  if (refs.length === 0) return;
  const kinds = await Promise.all(refs.map((ref) => client.kindFor(ref.apiVersion, ref.kind)));
  let pending: readonly WaitProgress[] = [];
  await pollUntil(
    client,
    options,
    async () => {
      const states = await Promise.all(refs.map((ref, i) => leftOver(client, kinds[i], ref)));
      pending = states.filter((s): s is WaitProgress => s !== undefined);
      if (pending.length === 0) return true;
      options.onProgress?.(pending);
      return undefined;
    },
    () => new WaitTimeoutError(timeoutMessage(options.timeoutMs, pending, 'not deleted'), pending),
  );
}

/** The state of an object being deleted; undefined once it is gone. */
async function leftOver(
  client: KubeClient,
  kind: KindDescriptor | undefined,
  ref: ResourceRef,
): Promise<WaitProgress | undefined> {
  if (kind === undefined) return undefined;
  let object: Record<string, unknown>;
  try {
    object = await client.get(kind, kind.namespaced ? namespaceOf(ref) : '', ref.name);
  } catch (error) {
    if (error instanceof KubeApiError && error.code === 404) return undefined;
    throw error;
  }
  const terminating = get(object, 'metadata', 'deletionTimestamp') != null;
  const finalizers = list(object, 'metadata', 'finalizers').map((f) => str(f));
  const reason = finalizers.length === 0 ? undefined : `finalizers: ${finalizers.join(', ')}`;
  return { ref, readiness: readiness(false, terminating ? 'Terminating' : 'present', reason) };
}

/**
 * The live line of a wait: `waiting for 3 resources: deployment/worker 7/10 ready, service/lb
 * Pending, job/migrate 0/1 complete`; empty when nothing is pending.
 */
export function describeWaiting(pending: readonly WaitProgress[]): string {
  if (pending.length === 0) return '';
  const items = pending.map((p) => `${refShortName(p.ref)} ${p.readiness.progress}`).join(', ');
  return `waiting for ${pending.length} ${pending.length === 1 ? 'resource' : 'resources'}: ${items}`;
}

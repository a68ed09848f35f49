/**
 * Waiting for a hook (`pkg/kube/client.go WatchUntilReady`): a Job until its `Complete` or
 * `Failed` condition, a Pod until phase `Succeeded` or `Failed`, any other kind done at once.
 *
 * Like Helm, it follows a watch rather than polling alone: a Job with `ttlSecondsAfterFinished: 0`
 * is deleted the moment it completes, and only the watch still saw it complete. A hook deleted
 * before any verdict counts as done, as in Helm.
 */

import { str } from '../cluster/printing/values.js';
import { KubeApiError, type KubeClient, type KubeObject, type KubeWatchEvent } from './kube-client.js';
import { describeProblem, podProblem } from './pod-problems.js';
import { jobComplete, jobFailure, readinessOf } from './readiness.js';
import { groupOf, namespaceOf, type ResourceRef, readiness, refLabel } from './readiness-common.js';
import {
  abortable,
  durationText,
  pollUntil,
  throwIfAborted,
  type WaitProgress,
  WaitTimeoutError,
} from './wait-loop.js';

/** How a hook ended. */
export interface HookOutcome {
  readonly phase: 'Succeeded' | 'Failed';
  /** Why it failed: `job "migrate" failed: BackoffLimitExceeded`. */
  readonly reason?: string;
}

/** The verdict on one state of a hook object; undefined while it still runs. */
function verdictOf(ref: ResourceRef, object: KubeObject): HookOutcome | undefined {
  if (ref.kind === 'Job') {
    if (jobComplete(object)) return { phase: 'Succeeded' };
    const failure = jobFailure(object);
    return failure === undefined
      ? undefined
      : { phase: 'Failed', reason: `${refLabel(ref)} failed: ${failure}` };
  }
  const phase = str(object, 'status', 'phase');
  if (phase === 'Succeeded') return { phase: 'Succeeded' };
  if (phase !== 'Failed') return undefined;
  const problem = podProblem(object);
  const why = problem === undefined ? '' : `: ${describeProblem(problem)}`;
  return { phase: 'Failed', reason: `${refLabel(ref)} failed${why}` };
}

/**
 * Waits for a hook object: Job → Complete/Failed, Pod → Succeeded/Failed, other kinds at once.
 * A failed hook resolves with phase `Failed` and the reason; running out of `timeoutMs` (cluster
 * time) throws a {@link WaitTimeoutError} with the hook's state; an abort rejects with
 * `Error('interrupted')`.
 */
export async function waitForHook(
  client: KubeClient,
  ref: ResourceRef,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<{ phase: 'Succeeded' | 'Failed'; reason?: string }> {
  const group = groupOf(ref.apiVersion);
  const resource =
    group === 'batch' && ref.kind === 'Job'
      ? 'jobs.batch'
      : group === '' && ref.kind === 'Pod'
        ? 'pods'
        : undefined;
  if (resource === undefined) return { phase: 'Succeeded' };
  const { signal } = options;
  throwIfAborted(signal);
  const namespace = namespaceOf(ref);

  let current: KubeObject;
  try {
    current = await abortable(client.get(resource, namespace, ref.name), signal);
  } catch (error) {
    if (error instanceof KubeApiError && error.code === 404)
      return { phase: 'Failed', reason: error.message };
    throw error;
  }
  const events: KubeWatchEvent[] = [];
  let watching = true;
  // Not abortable: a watch opened after an abort would never be stopped.
  const watch = await client.watch(
    resource,
    {
      namespace,
      fieldSelector: `metadata.name=${ref.name}`,
      resourceVersion: str(current, 'metadata', 'resourceVersion'),
    },
    (event) => events.push(event),
  );
  let first = true;
  let state: WaitProgress = { ref, readiness: readiness(false, 'Pending') };
  try {
    return await pollUntil(
      client,
      options,
      async () => {
        if (first) {
          first = false;
          const verdict = verdictOf(ref, current);
          if (verdict !== undefined) return verdict;
        }
        if (watching) {
          watch.poll();
          for (let event = events.shift(); event !== undefined; event = events.shift()) {
            // A deleted hook is done (Helm's watch ends on Deleted without an error).
            if (event.type === 'DELETED') return verdictOf(ref, event.object) ?? { phase: 'Succeeded' };
            if (event.type === 'ERROR') {
              // The watch broke (its version expired): go on by reading the object.
              watching = false;
              break;
            }
            current = event.object;
            const verdict = verdictOf(ref, current);
            if (verdict !== undefined) return verdict;
          }
        }
        if (!watching) {
          try {
            current = await client.get(resource, namespace, ref.name);
          } catch (error) {
            if (error instanceof KubeApiError && error.code === 404) return { phase: 'Succeeded' };
            throw error;
          }
          const verdict = verdictOf(ref, current);
          if (verdict !== undefined) return verdict;
        }
        state = { ref, readiness: await readinessOf(client, ref, { waitForJobs: true }) };
        return undefined;
      },
      () =>
        new WaitTimeoutError(
          `timed out waiting for the condition after ${durationText(options.timeoutMs)}: ${stateText(state)}`,
          [state],
        ),
    );
  } finally {
    watch.stop();
  }
}

/** `job "migrate" not complete: 0/1 complete; 1 pod in ImagePullBackOff: …`, for a timeout. */
function stateText({ ref, readiness }: WaitProgress): string {
  const reason = readiness.reason === undefined ? '' : `; ${readiness.reason}`;
  return `${refLabel(ref)} not complete: ${readiness.progress}${reason}`;
}

/**
 * The ttl-after-finished-controller (`pkg/controller/ttlafterfinished`): deletes a finished Job
 * (`Complete` or `Failed`) `spec.ttlSecondsAfterFinished` seconds after it finished (the terminal
 * condition's `lastTransitionTime`), in the foreground so its pods go first, as Kubernetes does.
 * Kubernetes does this by itself, so a TTL within the settle horizon (15 minutes) is a *progress*
 * wake-up and `settle()` plays it out; a longer one waits for time to pass.
 */

import { SETTLE_HORIZON_MS } from '../runtime/manager.js';
import type { Controller } from '../runtime/types.js';
import { objectKey, splitKey } from '../runtime/types.js';
import { jobFinishedCondition } from './job.js';
import { getOrUndefined, isDeleting, specOf, uidOf } from './shared.js';

const NAME = 'ttl-after-finished-controller';

/** When a finished Job with a TTL expires (ms since the epoch), or undefined when it never does. */
function expiresAt(job: Parameters<typeof specOf>[0]): number | undefined {
  const ttl = specOf(job).ttlSecondsAfterFinished;
  if (typeof ttl !== 'number' || ttl < 0 || isDeleting(job)) return undefined;
  const finished = jobFinishedCondition(job);
  if (finished === undefined) return undefined;
  const at = Date.parse(String(finished.lastTransitionTime ?? ''));
  return Number.isFinite(at) ? at + ttl * 1000 : undefined;
}

/** Builds the ttl-after-finished-controller. */
export function ttlAfterFinishedController(): Controller {
  return {
    name: NAME,
    resources: ['jobs.batch'],
    observe(event, ctx) {
      if (event.type === 'DELETED') return;
      if (expiresAt(event.object) !== undefined) ctx.enqueue(objectKey(event.object));
    },
    reconcile(key, ctx) {
      const { namespace, name } = splitKey(key);
      const job = getOrUndefined(ctx.api, 'jobs.batch', namespace, name);
      if (job === undefined) return;
      const expire = expiresAt(job);
      if (expire === undefined) return;
      const now = ctx.now().getTime();
      if (now < expire) {
        const ttlMs = Number(specOf(job).ttlSecondsAfterFinished) * 1000;
        ctx.after(key, expire - now, ttlMs <= SETTLE_HORIZON_MS ? 'progress' : 'wait');
        return;
      }
      ctx.api.delete('jobs.batch', namespace, name, {
        propagationPolicy: 'Foreground',
        preconditions: { uid: uidOf(job) },
        fieldManager: NAME,
      });
    },
  };
}

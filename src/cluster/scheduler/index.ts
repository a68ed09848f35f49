/**
 * The default-scheduler: binds each pending pod whose `schedulerName` is `default-scheduler` to a
 * node (pods naming another scheduler, such as the training's `stork`, stay Pending untouched).
 *
 * - A cycle (see `framework.ts`) filters and scores the nodes from the scheduler's cache; the pod
 *   is bound through `pods/binding` and a `Scheduled` event says where
 *   (`Successfully assigned default/web-7c5ddbdf54-x2lzk to node2`).
 * - A pod no node fits gets `PodScheduled=False` (reason `Unschedulable`) with Kubernetes'
 *   message and a `FailedScheduling` warning (recorded again only when the message changes), and
 *   waits: it is retried when something that could help happens, never by polling: a node added
 *   or changed (labels, taints, cordon, readiness, capacity) or a pod leaving a node (deleted or
 *   finished) marks that node, and waiting pods that would now fit there are retried; a claim or
 *   class they wait for appearing or binding retries them too. Replicas of one template wait as
 *   one group, retried one after the other while they keep fitting, so a node freeing room for one
 *   pod does not re-run a thousand waiting replicas.
 * - A pod with a higher priority (`spec.priority`, else its PriorityClass's value) may preempt:
 *   lower-priority victims get `DisruptionTarget` (`PreemptionByScheduler`), are deleted and get a
 *   `Preempted` event; the pod is nominated to the node (`status.nominatedNodeName`) and bound
 *   once the victims are gone.
 * - Pods with `schedulingGates` get `PodScheduled=False` reason `SchedulingGated` until the
 *   gates are removed.
 * - Claims waiting for their first consumer are bound for the chosen node (see `volumes.ts`); the
 *   pod is held there (its requests counted) and bound once its claims are.
 *
 * The cache is built from one list of nodes and one of pods on first use and then follows the
 * watch events; scheduling a pod costs one pass over the nodes (fewer in large clusters), never
 * one over the pods.
 *
 * `scheduler.ts` holds the scheduler's state and work, `waiting.ts` its waiting pods, and
 * `pod-status.ts` what it writes on pods; this module wires it up as a controller.
 */

import type { Controller } from '../runtime/types.js';
import { SCHEDULER_NAME } from './pod-status.js';
import { Scheduler } from './scheduler.js';

export { SchedulerCache } from './cache.js';
export { SCHEDULER_NAME } from './pod-status.js';
export * from './predicates.js';

/** Builds the default-scheduler. */
export function schedulerController(): Controller {
  const scheduler = new Scheduler();
  return {
    name: SCHEDULER_NAME,
    resources: [
      'pods',
      'nodes',
      'persistentvolumeclaims',
      'persistentvolumes',
      'storageclasses.storage.k8s.io',
    ],
    observe: (event, ctx) => scheduler.observe(event, ctx),
    reconcile: (key, ctx) => scheduler.reconcile(key, ctx),
    reset: () => scheduler.reset(),
  };
}

/**
 * The DaemonSet controller's `manage` decision (`podsShouldBeOnNode` over every node): which
 * nodes need a daemon pod and which pods must go, as a function of the pods per node and of the
 * nodes' fit; and the back-off per node before a failed or succeeded daemon pod is replaced.
 * Creating and deleting them is `daemonset-writes.ts`'s.
 */

import type { ControllerContext } from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';
import { CONTROLLER_REVISION_HASH, DAEMONSET_CONTROLLER } from './daemonset-history.js';
import type { NodeLite } from './daemonset-nodes.js';
import { available, type DaemonPod } from './daemonset-pods.js';
import type { SimilarEvents } from './event-correlation.js';

/** The failed-pod back-off per node: 1 s, doubling, at most 15 min. */
const FAILED_BACKOFF_INITIAL_MS = 1000;
const FAILED_BACKOFF_MAX_MS = 15 * 60_000;

/** What `manage` reads. */
export interface ManageInput {
  /** The known nodes, in order. */
  readonly nodes: readonly NodeLite[];
  /** The set's pods by the node they are for, oldest first. */
  readonly nodePods: ReadonlyMap<string, DaemonPod[]>;
  /** [shouldRun, shouldContinueRunning] of a node. */
  readonly shouldRun: (node: NodeLite) => readonly [boolean, boolean];
  /** Whether the controller knows a node. */
  readonly known: (node: string) => boolean;
  readonly hash: string;
  readonly maxSurge: number;
  readonly minReady: number;
  readonly now: number;
}

/** The nodes that get a new pod, and the pods to delete. */
export interface ManageStep {
  readonly needing: string[];
  readonly doomed: DaemonPod[];
}

/**
 * Which nodes need a pod and which pods must go. A failed or succeeded pod is passed to
 * `finished`, which says whether it goes now (false: it stays until its node's back-off ends).
 */
export function podsShouldBeOnNodes(
  input: ManageInput,
  finished: (pod: DaemonPod, node: string) => boolean,
): ManageStep {
  const { nodes, nodePods, shouldRun, known, hash, maxSurge, minReady, now } = input;
  const needing: string[] = [];
  const doomed: DaemonPod[] = [];
  for (const node of nodes) {
    const [run, keep] = shouldRun(node);
    const pods = nodePods.get(node.name);
    if (run && pods === undefined) {
      needing.push(node.name);
      continue;
    }
    if (pods === undefined) continue;
    if (!keep) {
      for (const p of pods) if (!p.deleting) doomed.push(p);
      continue;
    }
    const running: DaemonPod[] = [];
    for (const p of pods) {
      if (p.deleting) continue;
      if (p.phase === 'Failed' || p.phase === 'Succeeded') {
        if (finished(p, node.name)) doomed.push(p);
      } else {
        running.push(p);
      }
    }
    if (maxSurge === 0) {
      // Without surge only the oldest pod stays.
      for (let i = 1; i < running.length; i++) doomed.push(running[i]!);
      continue;
    }
    if (running.length <= 1) {
      if (running.length === 0 && run) needing.push(node.name);
      continue;
    }
    // With surge, an old and a new pod may run side by side while the new one starts.
    let oldestNew: DaemonPod | undefined;
    let oldestOld: DaemonPod | undefined;
    for (const p of running) {
      if (p.labels[CONTROLLER_REVISION_HASH] === hash) {
        if (oldestNew === undefined) {
          oldestNew = p;
          continue;
        }
      } else if (oldestOld === undefined) {
        oldestOld = p;
        continue;
      }
      doomed.push(p);
    }
    if (oldestNew !== undefined && oldestOld !== undefined) {
      if (!oldestOld.ready || available(oldestNew, minReady, now)) doomed.push(oldestOld);
    }
  }
  // Daemon pods whose node is gone: nothing will ever run or finish them.
  for (const [node, pods] of nodePods) {
    if (known(node)) continue;
    for (const p of pods) if (!p.deleting || p.bound) doomed.push(p);
  }
  return { needing, doomed };
}

/** The back-off before failed (or succeeded) daemon pods on a node are deleted and replaced. */
export class FinishedPods {
  /** Per `<ds uid>/<node>`: the current delay and when it ends. */
  private readonly backoff = new Map<string, { delay: number; until: number }>();

  /**
   * Whether a finished pod goes now: at most once per its node's back-off, with a
   * `FailedDaemonPod` / `SucceededDaemonPod` event; else the DaemonSet (`key`, `uid`) is woken
   * when the back-off ends.
   */
  goes(
    ds: KubeObject,
    set: { readonly key: string; readonly uid: string },
    p: DaemonPod,
    node: string,
    now: number,
    events: SimilarEvents,
    ctx: ControllerContext,
  ): boolean {
    const id = `${set.uid}/${node}`;
    const back = this.backoff.get(id);
    if (back !== undefined && now < back.until) {
      ctx.after(set.key, back.until - now, 'wait');
      return false;
    }
    const delay =
      back === undefined ? FAILED_BACKOFF_INITIAL_MS : Math.min(back.delay * 2, FAILED_BACKOFF_MAX_MS);
    this.backoff.set(id, { delay, until: now + delay });
    const verb = p.phase === 'Failed' ? 'Found failed daemon pod' : 'Found succeeded daemon pod';
    const action = p.phase === 'Failed' ? 'will try to kill it' : 'will try to delete it';
    const reason = p.phase === 'Failed' ? 'FailedDaemonPod' : 'SucceededDaemonPod';
    events.record(
      ctx,
      DAEMONSET_CONTROLLER,
      ds,
      'Warning',
      reason,
      `${verb} ${p.namespace}/${p.name} on node ${node}, ${action}`,
    );
    return true;
  }
}

/**
 * The DaemonSet controller's rolling update (`rollingUpdate` of `pkg/controller/daemon`) and
 * status counts, as functions of the pods per node and of which nodes should run the set's pod.
 */

import { CONTROLLER_REVISION_HASH } from './daemonset-history.js';
import { available, type DaemonPod } from './daemonset-pods.js';

/** The label with the template generation of a daemon pod. */
export const POD_TEMPLATE_GENERATION = 'pod-template-generation';

/** What the rollout asks about nodes. */
export interface NodeView {
  /** Whether the node is known and should run the set's pod. */
  runs(node: string): boolean;
  /** Whether the controller knows the node. */
  known(node: string): boolean;
}

/** The rollout's decision: nodes that get a new pod, pods to delete. */
export interface RolloutStep {
  readonly needing: readonly string[];
  readonly doomed: readonly DaemonPod[];
}

/** The settings of one rollout step. */
export interface RolloutOptions {
  readonly hash: string;
  readonly generation: string;
  readonly maxSurge: number;
  readonly maxUnavailable: number;
  readonly desired: number;
  readonly minReady: number;
  readonly now: number;
}

/**
 * One step of `RollingUpdate`: without surge, old pods are deleted within `maxUnavailable`
 * (unavailable ones first); with surge, new pods are created next to old ones within
 * `maxSurge` and old pods go once their replacement is available.
 */
export function rolloutStep(
  view: NodeView,
  nodes: readonly string[],
  nodePods: ReadonlyMap<string, DaemonPod[]>,
  options: RolloutOptions,
): RolloutStep {
  const { hash, generation, maxSurge, maxUnavailable, desired, minReady, now } = options;
  // The nodes to consider: those with pods, and those that should run one.
  const names: string[] = [];
  for (const node of nodes) if (nodePods.has(node) || view.runs(node)) names.push(node);
  for (const node of nodePods.keys()) if (!view.known(node)) names.push(node);
  const updated = (p: DaemonPod) =>
    p.labels[CONTROLLER_REVISION_HASH] === hash || p.labels[POD_TEMPLATE_GENERATION] === generation;
  const split = (pods: readonly DaemonPod[]) => {
    let fresh: DaemonPod | undefined;
    let stale: DaemonPod | undefined;
    for (const p of pods) {
      if (p.deleting) continue;
      if (updated(p)) {
        if (fresh !== undefined) return undefined;
        fresh = p;
      } else {
        if (stale !== undefined) return undefined;
        stale = p;
      }
    }
    return { fresh, stale };
  };
  const doomed: DaemonPod[] = [];
  if (maxSurge === 0) {
    let unavailable = 0;
    const replacements: DaemonPod[] = [];
    const candidates: DaemonPod[] = [];
    for (const node of names) {
      const pair = split(nodePods.get(node) ?? []);
      if (pair === undefined) {
        unavailable++;
        continue;
      }
      const { fresh, stale } = pair;
      if ((fresh === undefined) === (stale === undefined)) {
        unavailable++;
      } else if (fresh !== undefined) {
        if (!available(fresh, minReady, now)) unavailable++;
      } else if (!available(stale!, minReady, now)) {
        replacements.push(stale!);
        unavailable++;
      } else if (unavailable < maxUnavailable) {
        candidates.push(stale!);
      }
    }
    const room = Math.min(Math.max(0, maxUnavailable - unavailable), candidates.length);
    doomed.push(...replacements, ...candidates.slice(0, room));
    return { needing: [], doomed };
  }
  let surging = 0;
  let availableCount = 0;
  const allowed: string[] = [];
  const candidates: string[] = [];
  const notToRun: DaemonPod[] = [];
  for (const node of names) {
    const pair = split(nodePods.get(node) ?? []);
    if (pair === undefined) {
      surging++;
      continue;
    }
    const { fresh, stale } = pair;
    if (
      stale !== undefined
        ? available(stale, minReady, now)
        : fresh !== undefined && available(fresh, minReady, now)
    )
      availableCount++;
    if (stale === undefined) continue;
    const run = view.runs(node);
    if (fresh === undefined) {
      if (!available(stale, minReady, now)) {
        if (!run) doomed.push(stale);
        else allowed.push(node);
      } else if (!run) {
        notToRun.push(stale);
      } else if (surging < maxSurge) {
        candidates.push(node);
      }
    } else if (!available(fresh, minReady, now)) {
      surging++;
    } else {
      doomed.push(stale);
    }
  }
  const deletable = Math.min(Math.max(0, availableCount - desired), notToRun.length);
  doomed.push(...notToRun.slice(0, deletable));
  const room = Math.min(Math.max(0, maxSurge - surging), candidates.length);
  return { needing: [...allowed, ...candidates.slice(0, room)], doomed };
}

/** The counts of `updateDaemonSetStatus`, and when the next pod becomes available. */
export interface StatusCounts {
  readonly desired: number;
  readonly current: number;
  readonly misscheduled: number;
  readonly ready: number;
  readonly updated: number;
  readonly available: number;
  /** When the next ready pod becomes available (Infinity when none waits). */
  readonly nextAvailable: number;
}

/** Counts the set's pods per node, as `updateDaemonSetStatus` does. */
export function statusCounts(
  view: NodeView,
  nodes: readonly string[],
  nodePods: ReadonlyMap<string, DaemonPod[]>,
  options: Pick<RolloutOptions, 'hash' | 'generation' | 'minReady' | 'now'>,
): StatusCounts {
  const { hash, generation, minReady, now } = options;
  let desired = 0;
  let current = 0;
  let misscheduled = 0;
  let ready = 0;
  let updated = 0;
  let availableCount = 0;
  let nextAvailable = Number.POSITIVE_INFINITY;
  for (const node of nodes) {
    const run = view.runs(node);
    const pods = nodePods.get(node);
    const scheduled = pods !== undefined && pods.length > 0;
    if (!run) {
      if (scheduled) misscheduled++;
      continue;
    }
    desired++;
    if (!scheduled) continue;
    current++;
    const pod = pods[0]!;
    if (pod.ready) {
      ready++;
      if (available(pod, minReady, now)) availableCount++;
      else if (Number.isFinite(pod.readySince))
        nextAvailable = Math.min(nextAvailable, pod.readySince + minReady * 1000);
    }
    if (pod.labels[CONTROLLER_REVISION_HASH] === hash || pod.labels[POD_TEMPLATE_GENERATION] === generation)
      updated++;
  }
  return {
    desired,
    current,
    misscheduled,
    ready,
    updated,
    available: availableCount,
    nextAvailable,
  };
}

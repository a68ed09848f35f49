/**
 * The pods waiting to be scheduled: replicas that wait alike are kept as one group (retried as
 * one), and each pod is indexed under the claims and classes it waits for, so an event retries
 * only the pods it may help.
 */

import type { PodSchedulingInfo } from './pod-info.js';

/** Replicas that wait alike (same scheduling signature). */
export interface WaitingGroup {
  readonly signature: string;
  /** One member's compiled pod, to test changed nodes against. */
  info: PodSchedulingInfo;
  readonly pods: Set<string>;
  /** Retrying one member at a time: the next one goes when the current one is bound. */
  chaining: boolean;
}

/** A pod held on a node while its claims bind. */
export interface HeldPod {
  readonly node: string;
  readonly claims: readonly string[];
  readonly info: PodSchedulingInfo;
}

/** A pod that waits. */
export interface Waiting {
  readonly group: WaitingGroup | undefined;
  readonly signature: string;
  readonly waitOn: readonly string[];
}

/** The scheduler's waiting pods, their groups and what they wait for. */
export interface WaitingState {
  readonly waiting: Map<string, Waiting>;
  readonly groups: Map<string, WaitingGroup>;
  /** `pvc:<ns>/<name>` / `sc:<name>` → pods waiting for it. */
  readonly waiters: Map<string, Set<string>>;
  /** Waiting groups with required pod affinity (a pod arriving somewhere may help them). */
  affinityGroups: number;
}

/**
 * Records a waiting pod: in its group of alike replicas (unless `grouped` is false: gated pods,
 * pods held for their claims) and under what it waits for.
 */
export function park(
  state: WaitingState,
  key: string,
  info: PodSchedulingInfo,
  waitOn: readonly string[],
  grouped = !info.gated,
): void {
  unpark(state, key);
  let group: WaitingGroup | undefined;
  if (grouped) {
    group = state.groups.get(info.signature);
    if (group === undefined) {
      group = { signature: info.signature, info, pods: new Set(), chaining: false };
      state.groups.set(info.signature, group);
      if (info.affinity.length > 0) state.affinityGroups++;
    }
    group.pods.add(key);
  }
  state.waiting.set(key, { group, signature: info.signature, waitOn });
  for (const w of waitOn) {
    let set = state.waiters.get(w);
    if (set === undefined) state.waiters.set(w, (set = new Set()));
    set.add(key);
  }
}

/** Forgets a waiting pod: drops it from its group and from what it waits for. */
export function unpark(state: WaitingState, key: string): void {
  const waiting = state.waiting.get(key);
  if (waiting === undefined) return;
  state.waiting.delete(key);
  const group = waiting.group;
  if (group !== undefined) {
    group.pods.delete(key);
    if (group.pods.size === 0) {
      state.groups.delete(group.signature);
      if (group.info.affinity.length > 0) state.affinityGroups--;
    }
  }
  for (const w of waiting.waitOn) {
    const set = state.waiters.get(w);
    set?.delete(key);
    if (set?.size === 0) state.waiters.delete(w);
  }
}

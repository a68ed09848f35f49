/**
 * One scheduling cycle, as kube-scheduler's framework runs it with the default plugins:
 * PreFilter (VolumeBinding's claim checks, NodeAffinity's `metadata.name` node set), Filter in
 * plugin order (NodeUnschedulable, TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit,
 * VolumeBinding, InterPodAffinity) over the nodes starting where the previous cycle stopped and
 * stopping once enough feasible nodes are found (`percentageOfNodesToScore`: all nodes below 100,
 * else 50% − nodes/125, at least 5% and 100 nodes), then Score (NodeResourcesFit LeastAllocated,
 * BalancedAllocation, TaintToleration, NodeAffinity, PodTopologySpread's system default spreading
 * by hostname, InterPodAffinity) with Kubernetes' plugin weights. Ties go to the node running
 * fewer pods, then to the first in natural name order (Kubernetes picks one at random). When no
 * node fits, DefaultPreemption looks for lower-priority victims; without any, the failure
 * message is `FitError.Error()` with the PostFilter messages (DynamicResources', then
 * DefaultPreemption's verdict per node). Nodes nominated for preempting pods are not held back
 * from other pods meanwhile (Kubernetes counts the nominated pod there).
 *
 * The plugins live in `filters.ts`, `scoring.ts` and `preemption.ts`; this module runs them in order.
 */

import type { ClusterApi } from '../api/machinery/cluster-api.js';
import { prepareAffinity } from './affinity.js';
import type { NodeInfo, NodeView, PodEntry, SchedulerCache } from './cache.js';
import { filterNode } from './filters.js';
import {
  fitErrorMessage,
  NO_CLAIMS_TO_DEALLOCATE,
  NO_NODES_AVAILABLE,
  type NodeFailure,
  preemptionMessage,
  REASON,
} from './messages.js';
import type { ClassPriority, NamespaceLabels, PodSchedulingInfo } from './pod-info.js';
import { preempt } from './preemption.js';
import { selectHost } from './scoring.js';
import { prepareVolumes, selectedNodeOf, type VolumeState } from './volumes.js';

export { filterNode } from './filters.js';

/** What a cycle works with. */
export interface CycleEnvironment {
  readonly cache: SchedulerCache;
  readonly api: ClusterApi;
  readonly namespaceLabels: NamespaceLabels;
  readonly classPriority: ClassPriority;
  /** Where the next cycle starts looking (`nextStartNodeIndex`); the cycle moves it on. */
  nextStartNodeIndex: number;
}

/** How a cycle ended. */
export type CycleOutcome =
  | { readonly kind: 'scheduled'; readonly node: NodeView; readonly volumes: VolumeState | undefined }
  | {
      readonly kind: 'unschedulable';
      readonly message: string;
      /** Store keys whose change may help (claims, classes). */
      readonly waitOn: readonly string[];
    }
  | { readonly kind: 'error'; readonly message: string; readonly waitOn: readonly string[] }
  | {
      /** No node fits, but evicting lower-priority pods makes room on `node`. */
      readonly kind: 'preempt';
      readonly message: string;
      readonly node: string;
      readonly victims: readonly PodEntry[];
    };

/** The minimum number of feasible nodes to look for, and the adaptive percentage's floor. */
const MIN_FEASIBLE_NODES = 100;
const MIN_FEASIBLE_PERCENTAGE = 5;

/** `numFeasibleNodesToFind` with the adaptive default `percentageOfNodesToScore`. */
export function feasibleNodesToFind(all: number): number {
  if (all < MIN_FEASIBLE_NODES) return all;
  const percentage = Math.max(MIN_FEASIBLE_PERCENTAGE, 50 - Math.floor(all / 125));
  return Math.max(MIN_FEASIBLE_NODES, Math.floor((all * percentage) / 100));
}

/** Runs one scheduling cycle for a pod. */
export function runCycle(pod: PodSchedulingInfo, env: CycleEnvironment): CycleOutcome {
  const { cache } = env;
  const all = cache.nodeList();
  const total = all.length;
  if (total === 0) return { kind: 'unschedulable', message: NO_NODES_AVAILABLE, waitOn: [] };

  // PreFilter.
  const volumes = prepareVolumes(pod, env.api);
  if (volumes?.error !== undefined) return { kind: 'error', message: volumes.error, waitOn: volumes.waitOn };
  if (volumes?.reject !== undefined) {
    const message = fitErrorMessage({
      total,
      preFilterMessage: volumes.reject,
      failures: [],
      postFilterMessage: preemptionMessage(total, total, 0),
    });
    return { kind: 'unschedulable', message, waitOn: volumes.waitOn };
  }
  let candidates: readonly NodeInfo[] = all;
  const names = pod.placement.names;
  if (names !== undefined) {
    const pinned: NodeInfo[] = [];
    for (const name of names) {
      const node = cache.nodes.get(name);
      if (node !== undefined) pinned.push(node);
    }
    candidates = pinned.sort((a, b) => a.rank - b.rank);
  }
  const absent = total - candidates.length;
  const affinity = prepareAffinity(pod, cache, env.namespaceLabels);

  // Filter.
  const count = candidates.length;
  const toFind = feasibleNodesToFind(count);
  const feasible: NodeInfo[] = [];
  const failures: NodeFailure[] = [];
  const failedNodes: NodeInfo[] = [];
  const start = count === 0 ? 0 : env.nextStartNodeIndex % count;
  let processed = 0;
  for (let i = 0; i < count && feasible.length < toFind; i++) {
    const node = candidates[(start + i) % count]!;
    const failure = filterNode(pod, node.view, node.usage, affinity, volumes);
    if (failure === undefined) feasible.push(node);
    else {
      failures.push(failure);
      failedNodes.push(node);
    }
    processed++;
  }
  env.nextStartNodeIndex = (env.nextStartNodeIndex + processed) % total;

  if (feasible.length === 0) {
    let unresolvable = absent;
    for (const f of failures) if (f.code === 'UnschedulableAndUnresolvable') unresolvable++;
    const fitError = (postFilter: string | undefined) =>
      fitErrorMessage({
        total,
        failures,
        absent: { count: absent, reason: REASON.preFilterNodeAffinity },
        ...(postFilter === undefined ? {} : { postFilterMessage: postFilter }),
      });
    const waitOn = volumes?.waitOn ?? [];
    const preemption = preempt(pod, env, failedNodes, failures, affinity, volumes);
    if (preemption !== undefined && typeof preemption !== 'string')
      return {
        kind: 'preempt',
        message: fitError(undefined),
        node: preemption.node,
        victims: preemption.victims,
      };
    const verdict = preemption ?? preemptionMessage(total, unresolvable, total - unresolvable);
    return { kind: 'unschedulable', message: fitError(`${NO_CLAIMS_TO_DEALLOCATE}, ${verdict}`), waitOn };
  }

  // A claim already provisioned for a node keeps the pod there when it can go there.
  const selected = volumes === undefined ? undefined : selectedNodeOf(volumes);
  if (selected !== undefined) {
    const node = feasible.find((n) => n.view.name === selected);
    if (node !== undefined) return { kind: 'scheduled', node: node.view, volumes };
  }
  if (feasible.length === 1) return { kind: 'scheduled', node: feasible[0]!.view, volumes };
  return { kind: 'scheduled', node: selectHost(pod, feasible, cache, affinity).view, volumes };
}

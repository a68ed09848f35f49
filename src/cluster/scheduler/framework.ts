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
 */

import type { ClusterApi } from '../api/machinery/cluster-api.js';
import { type AffinityState, affinityFilter, affinityScore, prepareAffinity } from './affinity.js';
import type { NodeInfo, NodeView, PodEntry, SchedulerCache, UsageView } from './cache.js';
import {
  fitErrorMessage,
  NO_CLAIMS_TO_DEALLOCATE,
  NO_NODES_AVAILABLE,
  type NodeFailure,
  PREEMPTION_POLICY_NEVER,
  PREEMPTION_TERMINATING_ON_NOMINATED,
  preemptionMessage,
  REASON,
} from './messages.js';
import type { ClassPriority, NamespaceLabels, PodSchedulingInfo } from './pod-info.js';
import {
  firstUntolerated,
  type HostPort,
  hostPortsConflict,
  nodeTermMatches,
  placementMatches,
  TAINT_UNSCHEDULABLE,
  tolerates,
} from './predicates.js';
import { prepareVolumes, selectedNodeOf, type VolumeState, volumeFilter } from './volumes.js';

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

const UNSCHEDULABLE_TAINT = { key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' };
const F_UNSCHEDULABLE: NodeFailure = {
  code: 'UnschedulableAndUnresolvable',
  reasons: [REASON.unschedulable],
};
const F_TAINT: NodeFailure = { code: 'UnschedulableAndUnresolvable', reasons: [REASON.taint] };
const F_AFFINITY: NodeFailure = { code: 'UnschedulableAndUnresolvable', reasons: [REASON.nodeAffinity] };
const F_PORTS: NodeFailure = { code: 'Unschedulable', reasons: [REASON.ports] };
const F_TOO_MANY_PODS: NodeFailure = { code: 'Unschedulable', reasons: [REASON.tooManyPods] };

/** The minimum number of feasible nodes to look for, and the adaptive percentage's floor. */
const MIN_FEASIBLE_NODES = 100;
const MIN_FEASIBLE_PERCENTAGE = 5;

/** `numFeasibleNodesToFind` with the adaptive default `percentageOfNodesToScore`. */
export function feasibleNodesToFind(all: number): number {
  if (all < MIN_FEASIBLE_NODES) return all;
  const percentage = Math.max(MIN_FEASIBLE_PERCENTAGE, 50 - Math.floor(all / 125));
  return Math.max(MIN_FEASIBLE_NODES, Math.floor((all * percentage) / 100));
}

/** NodeResourcesFit's filter: every resource the node cannot hold, in Kubernetes' order. */
function fitsResources(
  pod: PodSchedulingInfo,
  view: NodeView,
  used: UsageView | undefined,
): NodeFailure | undefined {
  const alloc = view.allocatable;
  const r = pod.requests;
  const tooMany = (used?.pods.size ?? 0) + 1 > alloc.pods;
  const scalarNames = pod.scalarNames;
  if (r.cpu === 0 && r.memory === 0 && r.ephemeralStorage === 0 && scalarNames.length === 0)
    return tooMany ? F_TOO_MANY_PODS : undefined;
  const cpu = r.cpu > 0 && r.cpu > alloc.cpu - (used?.cpu ?? 0);
  const memory = r.memory > 0 && r.memory > alloc.memory - (used?.memory ?? 0);
  const storage =
    r.ephemeralStorage > 0 && r.ephemeralStorage > alloc.ephemeralStorage - (used?.ephemeralStorage ?? 0);
  let scalarShort = false;
  for (const name of scalarNames) {
    const want = r.scalar[name]!;
    if (want > 0 && want > (alloc.scalar[name] ?? 0) - (used?.scalar?.get(name) ?? 0)) scalarShort = true;
  }
  if (!tooMany && !cpu && !memory && !storage && !scalarShort) return undefined;
  const reasons: string[] = [];
  let unresolvable = false;
  if (tooMany) reasons.push(REASON.tooManyPods);
  if (cpu) {
    reasons.push(REASON.insufficient('cpu'));
    if (r.cpu > alloc.cpu) unresolvable = true;
  }
  if (memory) {
    reasons.push(REASON.insufficient('memory'));
    if (r.memory > alloc.memory) unresolvable = true;
  }
  if (storage) {
    reasons.push(REASON.insufficient('ephemeral-storage'));
    if (r.ephemeralStorage > alloc.ephemeralStorage) unresolvable = true;
  }
  for (const name of scalarNames) {
    const want = r.scalar[name]!;
    const have = alloc.scalar[name] ?? 0;
    if (want > 0 && want > have - (used?.scalar?.get(name) ?? 0)) {
      reasons.push(REASON.insufficient(name));
      if (want > have) unresolvable = true;
    }
  }
  return { code: unresolvable ? 'UnschedulableAndUnresolvable' : 'Unschedulable', reasons };
}

/** Runs the filters on one node: undefined when the pod fits. */
export function filterNode(
  pod: PodSchedulingInfo,
  view: NodeView,
  usage: UsageView | undefined,
  affinity: AffinityState | undefined,
  volumes: VolumeState | undefined,
): NodeFailure | undefined {
  if (view.unschedulable && !tolerates(pod.tolerations, UNSCHEDULABLE_TAINT)) return F_UNSCHEDULABLE;
  if (
    view.blocking.length > 0 &&
    !pod.toleratesAll &&
    firstUntolerated(view.blocking, pod.tolerations) !== undefined
  )
    return F_TAINT;
  if (pod.constrained && !placementMatches(pod.placement, view.labels, view.name)) return F_AFFINITY;
  if (pod.hostPorts.length > 0 && usage !== undefined && usage.ports.length > 0) {
    for (const want of pod.hostPorts)
      for (const held of usage.ports) if (hostPortsConflict(want, held)) return F_PORTS;
  }
  const fit = fitsResources(pod, view, usage);
  if (fit !== undefined) return fit;
  if (volumes !== undefined) {
    const reason = volumeFilter(volumes, view);
    if (reason !== undefined) return { code: 'UnschedulableAndUnresolvable', reasons: [reason] };
  }
  return affinity === undefined ? undefined : affinityFilter(pod, affinity, view);
}

const score100 = (value: number, max: number): number => (max <= 0 ? 0 : Math.floor((value * 100) / max));
/** LeastAllocated's per-resource score: the share left free, 0–100. */
const least = (req: number, cap: number): number =>
  cap <= 0 || req > cap ? 0 : Math.floor(((cap - req) * 100) / cap);
/** BalancedAllocation's per-resource fraction requested, capped at 1. */
const frac = (req: number, cap: number): number => (cap <= 0 ? 1 : Math.min(1, req / cap));

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

/**
 * Scores the feasible nodes and picks the best: NodeResourcesFit (LeastAllocated, weight 1),
 * BalancedAllocation (1), TaintToleration (3), NodeAffinity (2), PodTopologySpread (2),
 * InterPodAffinity (2), each normalized to 0–100 as its plugin does.
 */
function selectHost(
  pod: PodSchedulingInfo,
  feasible: readonly NodeInfo[],
  cache: SchedulerCache,
  affinity: AffinityState | undefined,
): NodeInfo {
  const n = feasible.length;
  const preferNoSchedule = pod.tolerations.filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
  const preferred = pod.placement.preferred;
  const owner = pod.ownerUid;
  // PodTopologySpread's system default constraint (hostname, maxSkew 3), weighted by log(domains + 2).
  const spreadWeight = Math.log(cache.nodes.size + 2);
  const balance = pod.requests.cpu > 0 || pod.requests.memory > 0;
  const interPod = affinity !== undefined && affinity.preferred.length > 0 ? affinity : undefined;

  // First pass: what does not need normalizing (LeastAllocated, BalancedAllocation), and what the
  // normalizations need.
  let maxTaints = 0;
  let maxNodeAffinity = 0;
  let minSpread = Number.POSITIVE_INFINITY;
  let maxSpread = 0;
  let minInterPod = Number.POSITIVE_INFINITY;
  let maxInterPod = Number.NEGATIVE_INFINITY;
  const base = new Float64Array(n);
  const podCounts = new Int32Array(n);
  const taintCounts = new Int32Array(n);
  const affinitySums = new Float64Array(n);
  const spreads = new Float64Array(n);
  const interPods = new Float64Array(n);
  const cpuReq = pod.nonZero.cpu;
  const memReq = pod.nonZero.memory;
  const ownerCounts = owner === undefined ? undefined : cache.ownerCounts.get(owner);
  for (let i = 0; i < n; i++) {
    const { view, usage } = feasible[i]!;
    const alloc = view.allocatable;
    let b = Math.floor(
      (least(usage.nzCpu + cpuReq, alloc.cpu) + least(usage.nzMemory + memReq, alloc.memory)) / 2,
    );
    if (balance) {
      const fc = frac(usage.cpu + pod.requests.cpu, alloc.cpu);
      const fm = frac(usage.memory + pod.requests.memory, alloc.memory);
      b += Math.floor((1 - Math.abs(fc - fm) / 2) * 100);
    }
    base[i] = b;
    podCounts[i] = usage.pods.size;
    if (view.preferNoSchedule.length > 0) {
      let intolerable = 0;
      for (const t of view.preferNoSchedule) if (!tolerates(preferNoSchedule, t)) intolerable++;
      taintCounts[i] = intolerable;
      if (intolerable > maxTaints) maxTaints = intolerable;
    }
    if (preferred.length > 0) {
      let sum = 0;
      for (const p of preferred) if (nodeTermMatches(p.term, view.labels, view.name)) sum += p.weight;
      affinitySums[i] = sum;
      if (sum > maxNodeAffinity) maxNodeAffinity = sum;
    }
    if (owner !== undefined) {
      const count =
        ownerCounts !== undefined && usage.slot < ownerCounts.length ? ownerCounts[usage.slot]! : 0;
      const sp = Math.round(count * spreadWeight + 2);
      spreads[i] = sp;
      if (sp < minSpread) minSpread = sp;
      if (sp > maxSpread) maxSpread = sp;
    }
    if (interPod !== undefined) {
      const ip = affinityScore(interPod, view);
      interPods[i] = ip;
      if (ip < minInterPod) minInterPod = ip;
      if (ip > maxInterPod) maxInterPod = ip;
    }
  }

  // Second pass: the weighted sum; ties go to fewer pods, then to the first in natural order.
  const interPodRange = maxInterPod - minInterPod;
  let best = 0;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    let total = base[i]!;
    total += 3 * (maxTaints === 0 ? 100 : 100 - score100(taintCounts[i]!, maxTaints));
    if (maxNodeAffinity > 0) total += 2 * score100(affinitySums[i]!, maxNodeAffinity);
    if (owner !== undefined)
      total +=
        2 * (maxSpread === 0 ? 100 : Math.floor((100 * (maxSpread + minSpread - spreads[i]!)) / maxSpread));
    if (interPodRange > 0) total += 2 * Math.floor((100 * (interPods[i]! - minInterPod)) / interPodRange);
    if (
      total > bestScore ||
      (total === bestScore &&
        (podCounts[i]! < podCounts[best]! ||
          (podCounts[i] === podCounts[best] && feasible[i]!.rank < feasible[best]!.rank)))
    ) {
      best = i;
      bestScore = total;
    }
  }
  return feasible[best]!;
}

/**
 * DefaultPreemption: on the nodes where only resources, ports or the pod count were short
 * (`Unschedulable`), finds the fewest lower-priority pods whose eviction lets the pod fit
 * (all lower-priority pods out, then back in from the highest priority while it still fits),
 * and picks the node whose victims have the lowest highest priority, then the lowest sum of
 * priorities, then the fewest victims. Returns the choice, a verdict message when preemption
 * cannot be tried, or undefined when no node has victims.
 */
function preempt(
  pod: PodSchedulingInfo,
  env: CycleEnvironment,
  failedNodes: readonly NodeInfo[],
  failures: readonly NodeFailure[],
  affinity: AffinityState | undefined,
  volumes: VolumeState | undefined,
): { node: string; victims: PodEntry[] } | string | undefined {
  if (pod.preemptNever) return `preemption: ${PREEMPTION_POLICY_NEVER}`;
  const priority = (p: PodEntry) =>
    p.priority ?? (p.priorityClassName ? env.classPriority(p.priorityClassName) : 0) ?? 0;
  const nominated = pod.nominatedNodeName === '' ? undefined : env.cache.nodes.get(pod.nominatedNodeName);
  if (nominated !== undefined) {
    for (const p of nominated.usage.pods)
      if (p.deleting && priority(p) < pod.priority)
        return `preemption: ${PREEMPTION_TERMINATING_ON_NOMINATED}`;
  }
  let best: { node: NodeInfo; victims: PodEntry[]; highest: number; sum: number } | undefined;
  const priorities = new Map<PodEntry, number>();
  for (let i = 0; i < failedNodes.length; i++) {
    if (failures[i]!.code !== 'Unschedulable') continue;
    const node = failedNodes[i]!;
    const lower: PodEntry[] = [];
    for (const p of node.usage.pods) {
      if (p.deleting || p.assumed) continue;
      const value = priority(p);
      if (value >= pod.priority) continue;
      priorities.set(p, value);
      lower.push(p);
    }
    if (lower.length === 0) continue;
    const sim = new SimulatedUsage(node.usage, lower);
    if (filterNode(pod, node.view, sim, affinity, volumes) !== undefined) continue;
    lower.sort((a, b) => priorities.get(b)! - priorities.get(a)!);
    const victims: PodEntry[] = [];
    for (const p of lower) {
      sim.add(p);
      if (filterNode(pod, node.view, sim, affinity, volumes) !== undefined) {
        sim.remove(p);
        victims.push(p);
      }
    }
    const highest = Math.max(...victims.map((v) => priorities.get(v)!));
    const sum = victims.reduce((acc, v) => acc + priorities.get(v)!, 0);
    if (
      best === undefined ||
      highest < best.highest ||
      (highest === best.highest &&
        (sum < best.sum ||
          (sum === best.sum &&
            (victims.length < best.victims.length ||
              (victims.length === best.victims.length && node.rank < best.node.rank)))))
    )
      best = { node, victims, highest, sum };
  }
  return best === undefined ? undefined : { node: best.node.view.name, victims: best.victims };
}

/** A node's usage with some of its pods taken out (preemption's dry run). */
class SimulatedUsage implements UsageView {
  cpu: number;
  memory: number;
  ephemeralStorage: number;
  scalar: Map<string, number> | undefined;
  ports: HostPort[];
  readonly pods: { size: number };

  constructor(usage: UsageView, without: readonly PodEntry[]) {
    this.cpu = usage.cpu;
    this.memory = usage.memory;
    this.ephemeralStorage = usage.ephemeralStorage;
    this.scalar = usage.scalar === undefined ? undefined : new Map(usage.scalar);
    this.ports = [...usage.ports];
    this.pods = { size: usage.pods.size };
    for (const p of without) this.remove(p);
  }

  add(p: PodEntry): void {
    this.shift(p, 1);
    this.ports.push(...p.ports);
  }

  remove(p: PodEntry): void {
    this.shift(p, -1);
    for (const port of p.ports) {
      const at = this.ports.indexOf(port);
      if (at >= 0) this.ports.splice(at, 1);
    }
  }

  private shift(p: PodEntry, sign: 1 | -1): void {
    this.cpu += sign * p.cpu;
    this.memory += sign * p.memory;
    this.ephemeralStorage += sign * p.ephemeralStorage;
    this.pods.size += sign;
    if (p.scalar !== undefined) {
      this.scalar ??= new Map();
      for (const [k, v] of p.scalar) this.scalar.set(k, (this.scalar.get(k) ?? 0) + sign * v);
    }
  }
}

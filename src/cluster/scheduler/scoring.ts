/**
 * The cycle's Score plugins and host selection: NodeResourcesFit (LeastAllocated),
 * BalancedAllocation, TaintToleration, NodeAffinity, PodTopologySpread's system default spreading
 * by hostname and InterPodAffinity, with Kubernetes' weights and normalizations.
 */

import { type AffinityState, affinityScore } from './affinity.js';
import type { NodeInfo, SchedulerCache } from './cache.js';
import type { PodSchedulingInfo } from './pod-info.js';
import { nodeTermMatches, tolerates } from './predicates.js';

const score100 = (value: number, max: number): number => (max <= 0 ? 0 : Math.floor((value * 100) / max));
/** LeastAllocated's per-resource score: the share left free, 0–100. */
const least = (req: number, cap: number): number =>
  cap <= 0 || req > cap ? 0 : Math.floor(((cap - req) * 100) / cap);
/** BalancedAllocation's per-resource fraction requested, capped at 1. */
const frac = (req: number, cap: number): number => (cap <= 0 ? 1 : Math.min(1, req / cap));

/**
 * Scores the feasible nodes and picks the best: NodeResourcesFit (LeastAllocated, weight 1),
 * BalancedAllocation (1), TaintToleration (3), NodeAffinity (2), PodTopologySpread (2),
 * InterPodAffinity (2), each normalized to 0–100 as its plugin does.
 */
export function selectHost(
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

/**
 * The InterPodAffinity plugin: required pod affinity and anti-affinity of the incoming pod, the
 * required anti-affinity of pods already placed (which keeps matching pods out of their topology
 * domain), and the preferred terms for scoring. Domains are node label values of each term's
 * `topologyKey` (`kubernetes.io/hostname`: one node each). Counting matching pods uses each
 * node's label index to skip nodes that cannot hold a match, so a pod with affinity costs about
 * one pass over the nodes, not over every pod.
 */

import type { NodeUsage, NodeView, PodEntry, SchedulerCache } from './cache.js';
import type { NodeFailure } from './messages.js';
import { REASON } from './messages.js';
import {
  type AffinityTerm,
  type NamespaceLabels,
  type PodSchedulingInfo,
  requiredAntiAffinityOf,
  termMatches,
} from './pod-info.js';

/** What the affinity filter and score need for one pod, computed once per attempt. */
export interface AffinityState {
  /** Per topology key, how many existing pods match all required affinity terms, per domain. */
  readonly affinityCounts: Map<string, Map<string, number>>;
  readonly anyAffinityMatch: boolean;
  readonly selfMatchesAffinity: boolean;
  /** Per topology key, the domains holding a pod the incoming pod's anti-affinity rejects. */
  readonly antiDomains: Map<string, Set<string>>;
  /** Per topology key, the domains whose pods' anti-affinity rejects the incoming pod. */
  readonly existingAntiDomains: Map<string, Set<string>>;
  /** Preferred terms with their per-domain counts of matching pods. */
  readonly preferred: readonly {
    readonly term: AffinityTerm;
    readonly sign: 1 | -1;
    readonly counts: Map<string, number>;
  }[];
}

/** Whether a node's pods may hold a pod the term selects (its label index has every equality). */
function mayMatch(term: AffinityTerm, usage: NodeUsage): boolean {
  for (const [k, v] of term.equalities) if (!usage.labelIndex.has(`${k}=${v}`)) return false;
  return true;
}

function matchingPods(term: AffinityTerm, usage: NodeUsage): PodEntry[] {
  const out: PodEntry[] = [];
  if (usage.pods.size === 0 || !mayMatch(term, usage)) return out;
  for (const p of usage.pods) if (termMatches(term, p)) out.push(p);
  return out;
}

function bump(map: Map<string, Map<string, number>>, key: string, value: string, by = 1): void {
  let inner = map.get(key);
  if (inner === undefined) map.set(key, (inner = new Map()));
  inner.set(value, (inner.get(value) ?? 0) + by);
}

function addDomain(map: Map<string, Set<string>>, key: string, value: string): void {
  let inner = map.get(key);
  if (inner === undefined) map.set(key, (inner = new Set()));
  inner.add(value);
}

/** Computes the affinity state of a pod; undefined when no term (its own or a placed pod's) concerns it. */
export function prepareAffinity(
  pod: PodSchedulingInfo,
  cache: SchedulerCache,
  namespaceLabels: NamespaceLabels,
): AffinityState | undefined {
  const existingAntiDomains = new Map<string, Set<string>>();
  for (const entry of cache.antiAffinityPods) {
    if (entry.spec === undefined) continue;
    const view = cache.nodes.get(entry.node)?.view;
    if (view === undefined) continue;
    const terms = requiredAntiAffinityOf(
      { metadata: { namespace: entry.namespace }, spec: entry.spec },
      namespaceLabels,
    );
    for (const term of terms) {
      if (!termMatches(term, pod)) continue;
      const value = view.labels[term.topologyKey];
      if (value !== undefined) addDomain(existingAntiDomains, term.topologyKey, value);
    }
  }
  const hasOwn =
    pod.affinity.length +
      pod.antiAffinity.length +
      pod.preferredAffinity.length +
      pod.preferredAntiAffinity.length >
    0;
  if (!hasOwn && existingAntiDomains.size === 0) return undefined;

  const affinityCounts = new Map<string, Map<string, number>>();
  const antiDomains = new Map<string, Set<string>>();
  const preferred = [
    ...pod.preferredAffinity.map((term) => ({ term, sign: 1 as const, counts: new Map<string, number>() })),
    ...pod.preferredAntiAffinity.map((term) => ({
      term,
      sign: -1 as const,
      counts: new Map<string, number>(),
    })),
  ];
  let anyAffinityMatch = false;
  if (hasOwn) {
    for (const { view, usage } of cache.nodes.values()) {
      if (usage.pods.size === 0) continue;
      if (pod.affinity.length > 0 && pod.affinity.every((t) => mayMatch(t, usage))) {
        for (const p of usage.pods) {
          if (!pod.affinity.every((t) => termMatches(t, p))) continue;
          for (const t of pod.affinity) {
            const value = view.labels[t.topologyKey];
            if (value === undefined) continue;
            bump(affinityCounts, t.topologyKey, value);
            anyAffinityMatch = true;
          }
        }
      }
      for (const t of pod.antiAffinity) {
        const value = view.labels[t.topologyKey];
        if (value === undefined || antiDomains.get(t.topologyKey)?.has(value)) continue;
        if (matchingPods(t, usage).length > 0) addDomain(antiDomains, t.topologyKey, value);
      }
      for (const pref of preferred) {
        const value = view.labels[pref.term.topologyKey];
        if (value === undefined) continue;
        const n = matchingPods(pref.term, usage).length;
        if (n > 0) pref.counts.set(value, (pref.counts.get(value) ?? 0) + n);
      }
    }
  }
  return {
    affinityCounts,
    anyAffinityMatch,
    selfMatchesAffinity: pod.affinity.every((t) => termMatches(t, pod)),
    antiDomains,
    existingAntiDomains,
    preferred,
  };
}

/** The InterPodAffinity filter on one node. */
export function affinityFilter(
  pod: PodSchedulingInfo,
  state: AffinityState,
  view: NodeView,
): NodeFailure | undefined {
  if (pod.affinity.length > 0) {
    let podsExist = true;
    for (const t of pod.affinity) {
      const value = view.labels[t.topologyKey];
      if (value === undefined) return { code: 'UnschedulableAndUnresolvable', reasons: [REASON.podAffinity] };
      if ((state.affinityCounts.get(t.topologyKey)?.get(value) ?? 0) <= 0) podsExist = false;
    }
    // The first pod of a group that has affinity to itself may go anywhere its topology exists.
    if (!podsExist && !(!state.anyAffinityMatch && state.selfMatchesAffinity))
      return { code: 'UnschedulableAndUnresolvable', reasons: [REASON.podAffinity] };
  }
  for (const t of pod.antiAffinity) {
    const value = view.labels[t.topologyKey];
    if (value !== undefined && state.antiDomains.get(t.topologyKey)?.has(value))
      return { code: 'Unschedulable', reasons: [REASON.podAntiAffinity] };
  }
  for (const [key, domains] of state.existingAntiDomains) {
    const value = view.labels[key];
    if (value !== undefined && domains.has(value))
      return { code: 'Unschedulable', reasons: [REASON.existingAntiAffinity] };
  }
  return undefined;
}

/** The raw InterPodAffinity score of a node (weights times matching pods in its domains). */
export function affinityScore(state: AffinityState, view: NodeView): number {
  let score = 0;
  for (const pref of state.preferred) {
    const value = view.labels[pref.term.topologyKey];
    if (value === undefined) continue;
    score += pref.sign * pref.term.weight * (pref.counts.get(value) ?? 0);
  }
  return score;
}

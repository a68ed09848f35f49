/**
 * The cycle's PostFilter: DefaultPreemption's search for lower-priority victims on the nodes that
 * failed only for lack of room, dry-run on a copy of each node's usage.
 */

import type { AffinityState } from './affinity.js';
import type { NodeInfo, PodEntry, UsageView } from './cache.js';
import { filterNode } from './filters.js';
import type { CycleEnvironment } from './framework.js';
import {
  type NodeFailure,
  PREEMPTION_POLICY_NEVER,
  PREEMPTION_TERMINATING_ON_NOMINATED,
} from './messages.js';
import type { PodSchedulingInfo } from './pod-info.js';
import type { HostPort } from './predicates.js';
import type { VolumeState } from './volumes.js';

/**
 * DefaultPreemption: on the nodes where only resources, ports or the pod count were short
 * (`Unschedulable`), finds the fewest lower-priority pods whose eviction lets the pod fit
 * (all lower-priority pods out, then back in from the highest priority while it still fits),
 * and picks the node whose victims have the lowest highest priority, then the lowest sum of
 * priorities, then the fewest victims. Returns the choice, a verdict message when preemption
 * cannot be tried, or undefined when no node has victims.
 */
export function preempt(
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
export class SimulatedUsage implements UsageView {
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

/**
 * The scheduler's cache (kube-scheduler's `internal/cache`): every node as the filters read it,
 * and per node what its pods request (cpu, memory, ephemeral storage, extended resources, pod
 * count), the host ports they hold, an index of their labels (for inter-pod affinity) and how
 * many pods of each controller it runs (for spreading). Built from one list of nodes and pods,
 * then kept current from the watch events the controller observes. A pod counts on its node
 * from binding (or from being assumed there while its volumes bind) until it is deleted or
 * terminal (Succeeded/Failed); a pod that is terminating still counts, as in Kubernetes.
 */

import { isJsonObject, type JsonObject, listAt } from '../api/machinery/json-values.js';
import type { KubeObject } from '../store/types.js';
import {
  compareNodeNames,
  DO_NOT_SCHEDULE,
  effectiveTaints,
  type HostPort,
  nodeAllocatable,
  nodeLabels,
  podHostPorts,
  podNonZeroRequests,
  podRequests,
  type Taint,
} from './predicates.js';

/** A node as the filters and scores read it. */
export interface NodeView {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Taints with NoSchedule or NoExecute (the TaintToleration filter). */
  readonly blocking: readonly Taint[];
  /** PreferNoSchedule taints (scoring only). */
  readonly preferNoSchedule: readonly Taint[];
  readonly unschedulable: boolean;
  readonly allocatable: {
    readonly cpu: number;
    readonly memory: number;
    readonly ephemeralStorage: number;
    readonly pods: number;
    readonly scalar: Readonly<Record<string, number>>;
  };
  /** Equal for two views the filters would treat alike (change detection). */
  readonly fingerprint: string;
}

/** A pod counted on a node. */
export interface PodEntry {
  readonly key: string;
  readonly namespace: string;
  node: string;
  labels: Readonly<Record<string, string>>;
  readonly ownerUid: string | undefined;
  /** `spec.priority`, or undefined when only `priorityClassName` says (resolved when needed). */
  readonly priority: number | undefined;
  readonly priorityClassName: string;
  readonly cpu: number;
  readonly memory: number;
  readonly ephemeralStorage: number;
  readonly scalar: readonly (readonly [string, number])[] | undefined;
  readonly nzCpu: number;
  readonly nzMemory: number;
  readonly ports: readonly HostPort[];
  /** The pod's required anti-affinity (raw), if it has any: it can keep other pods away. */
  readonly antiAffinity: unknown;
  /** The pod's whole spec, kept only for pods with required anti-affinity (their namespace rules). */
  readonly spec: JsonObject | undefined;
  /** Assumed by the scheduler (its volumes are binding), not yet bound. */
  assumed: boolean;
  /** Being deleted (it still counts until it is gone). */
  deleting: boolean;
}

/** What the filters read of a node's usage (a node's, or one simulated without some pods). */
export interface UsageView {
  readonly pods: { readonly size: number };
  readonly cpu: number;
  readonly memory: number;
  readonly ephemeralStorage: number;
  readonly scalar: ReadonlyMap<string, number> | undefined;
  readonly ports: readonly HostPort[];
}

/** What a node's pods use. */
export class NodeUsage {
  cpu = 0;
  memory = 0;
  ephemeralStorage = 0;
  scalar: Map<string, number> | undefined;
  nzCpu = 0;
  nzMemory = 0;
  readonly pods = new Set<PodEntry>();
  readonly ports: HostPort[] = [];
  /** `key=value` → how many of the node's pods carry that label. */
  readonly labelIndex = new Map<string, number>();

  /** `slot`: the node's index in the per-controller counts of {@link SchedulerCache.ownerCounts}. */
  constructor(
    readonly name: string,
    readonly slot: number,
  ) {}

  add(entry: PodEntry): void {
    this.pods.add(entry);
    this.cpu += entry.cpu;
    this.memory += entry.memory;
    this.ephemeralStorage += entry.ephemeralStorage;
    this.nzCpu += entry.nzCpu;
    this.nzMemory += entry.nzMemory;
    if (entry.scalar !== undefined) {
      this.scalar ??= new Map();
      for (const [k, v] of entry.scalar) this.scalar.set(k, (this.scalar.get(k) ?? 0) + v);
    }
    for (const p of entry.ports) this.ports.push(p);
    this.indexLabels(entry.labels, 1);
  }

  remove(entry: PodEntry): void {
    if (!this.pods.delete(entry)) return;
    this.cpu -= entry.cpu;
    this.memory -= entry.memory;
    this.ephemeralStorage -= entry.ephemeralStorage;
    this.nzCpu -= entry.nzCpu;
    this.nzMemory -= entry.nzMemory;
    if (entry.scalar !== undefined && this.scalar !== undefined)
      for (const [k, v] of entry.scalar) this.scalar.set(k, (this.scalar.get(k) ?? 0) - v);
    for (const p of entry.ports) {
      const at = this.ports.indexOf(p);
      if (at >= 0) this.ports.splice(at, 1);
    }
    this.indexLabels(entry.labels, -1);
  }

  relabel(entry: PodEntry, labels: Readonly<Record<string, string>>): void {
    this.indexLabels(entry.labels, -1);
    entry.labels = labels;
    this.indexLabels(labels, 1);
  }

  private indexLabels(labels: Readonly<Record<string, string>>, delta: number): void {
    for (const k in labels) {
      const id = `${k}=${labels[k]}`;
      const n = (this.labelIndex.get(id) ?? 0) + delta;
      if (n > 0) this.labelIndex.set(id, n);
      else this.labelIndex.delete(id);
    }
  }
}

/** Compiles a Node for the filters. */
export function nodeView(node: KubeObject): NodeView {
  const meta = (node.metadata ?? {}) as JsonObject;
  const name = String(meta.name ?? '');
  const labels = nodeLabels(node);
  const taints = effectiveTaints(node);
  const blocking = taints.filter((t) => DO_NOT_SCHEDULE.includes(t.effect));
  const preferNoSchedule = taints.filter((t) => t.effect === 'PreferNoSchedule');
  const unschedulable = isJsonObject(node.spec) && node.spec.unschedulable === true;
  const allocatable = nodeAllocatable(node);
  const fingerprint = JSON.stringify([
    labels,
    taints.map((t) => [t.key, t.value ?? '', t.effect]),
    unschedulable,
    allocatable,
  ]);
  return { name, labels, blocking, preferNoSchedule, unschedulable, allocatable, fingerprint };
}

/** The node a pod counts on: bound and not terminal; undefined otherwise. */
export function accountedNode(pod: KubeObject): string | undefined {
  const spec = pod.spec as JsonObject | undefined;
  const nodeName = spec?.nodeName;
  if (typeof nodeName !== 'string' || nodeName === '') return undefined;
  const phase = (pod.status as JsonObject | undefined)?.phase;
  return phase === 'Succeeded' || phase === 'Failed' ? undefined : nodeName;
}

function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  let n = 0;
  for (const k in a) {
    if (a[k] !== b[k]) return false;
    n++;
  }
  for (const _ in b) n--;
  return n === 0;
}

/** A cache entry for a pod (its requests, ports, labels, owner). */
export function podEntry(pod: KubeObject, node: string, assumed: boolean): PodEntry {
  const meta = (pod.metadata ?? {}) as JsonObject;
  const spec = (isJsonObject(pod.spec) ? pod.spec : {}) as JsonObject;
  const requests = podRequests(pod);
  const nonZero = podNonZeroRequests(pod);
  const scalar = Object.entries(requests.scalar);
  let ownerUid: string | undefined;
  for (const r of listAt(meta, 'ownerReferences'))
    if (isJsonObject(r) && r.controller === true && typeof r.uid === 'string') ownerUid = r.uid;
  const anti = isJsonObject(spec.affinity) ? (spec.affinity as JsonObject).podAntiAffinity : undefined;
  const antiRequired = isJsonObject(anti) ? anti.requiredDuringSchedulingIgnoredDuringExecution : undefined;
  const hasAnti = Array.isArray(antiRequired) && antiRequired.length > 0;
  return {
    key: `${String(meta.namespace ?? '')}/${String(meta.name ?? '')}`,
    namespace: String(meta.namespace ?? ''),
    node,
    labels: (isJsonObject(meta.labels) ? meta.labels : {}) as Record<string, string>,
    ownerUid,
    priority: typeof spec.priority === 'number' ? spec.priority : undefined,
    priorityClassName: typeof spec.priorityClassName === 'string' ? spec.priorityClassName : '',
    cpu: requests.cpu,
    memory: requests.memory,
    ephemeralStorage: requests.ephemeralStorage,
    scalar: scalar.length > 0 ? scalar : undefined,
    nzCpu: nonZero.cpu,
    nzMemory: nonZero.memory,
    ports: podHostPorts(pod),
    antiAffinity: hasAnti ? anti : undefined,
    spec: hasAnti ? spec : undefined,
    assumed,
    deleting: meta.deletionTimestamp != null,
  };
}

/** What a pod event did to the cache. */
export interface PodChange {
  /** A node that lost a pod (resources, ports, a label freed). */
  readonly freed?: string;
  /** A node that gained a pod (or whose pod changed labels). */
  readonly gained?: string;
}

/** A node with what its pods use, and its place in the natural order. */
export interface NodeInfo {
  view: NodeView;
  readonly usage: NodeUsage;
  rank: number;
}

/** The cache. */
export class SchedulerCache {
  /** Existing nodes. */
  readonly nodes = new Map<string, NodeInfo>();
  /** What pods use per node name (also for pods bound to a node that is gone). */
  readonly usage = new Map<string, NodeUsage>();
  readonly pods = new Map<string, PodEntry>();
  /** Placed pods with required anti-affinity (they can reject incoming pods). */
  readonly antiAffinityPods = new Set<PodEntry>();
  /**
   * Per controller uid, how many of its pods each node runs, indexed by the node's usage slot
   * (a typed array: spreading reads it for every node of every cycle).
   */
  readonly ownerCounts = new Map<string, Int32Array>();
  private order: NodeInfo[] | undefined;
  private slots = 0;

  /** The nodes in natural name order (`node2` before `node10`). */
  nodeList(): readonly NodeInfo[] {
    if (this.order === undefined) {
      this.order = [...this.nodes.values()].sort((a, b) => compareNodeNames(a.view.name, b.view.name));
      for (let i = 0; i < this.order.length; i++) this.order[i]!.rank = i;
    }
    return this.order;
  }

  usageOf(name: string): NodeUsage {
    let u = this.usage.get(name);
    if (u === undefined) {
      u = new NodeUsage(name, this.slots++);
      this.usage.set(name, u);
    }
    return u;
  }

  /** How many pods of a controller a node runs. */
  ownerCount(owner: string, usage: NodeUsage): number {
    const counts = this.ownerCounts.get(owner);
    return counts !== undefined && usage.slot < counts.length ? counts[usage.slot]! : 0;
  }

  private countOwner(entry: PodEntry, delta: number): void {
    const owner = entry.ownerUid;
    if (owner === undefined) return;
    const slot = this.usageOf(entry.node).slot;
    let counts = this.ownerCounts.get(owner);
    if (counts === undefined || slot >= counts.length) {
      const grown = new Int32Array(Math.max(this.slots, slot + 1, 16) + 16);
      if (counts !== undefined) grown.set(counts);
      counts = grown;
      this.ownerCounts.set(owner, counts);
    }
    counts[slot]! += delta;
    if (delta < 0 && counts[slot] === 0 && counts.every((n) => n === 0)) this.ownerCounts.delete(owner);
  }

  /** Applies a node change; returns whether what the filters see changed. */
  setNode(node: KubeObject | undefined, name: string): 'added' | 'changed' | 'removed' | 'same' {
    const before = this.nodes.get(name);
    if (node === undefined) {
      if (before === undefined) return 'same';
      this.nodes.delete(name);
      this.order = undefined;
      return 'removed';
    }
    const view = nodeView(node);
    if (before === undefined) {
      this.nodes.set(name, { view, usage: this.usageOf(name), rank: 0 });
      this.order = undefined;
      return 'added';
    }
    const same = before.view.fingerprint === view.fingerprint;
    before.view = view;
    return same ? 'same' : 'changed';
  }

  /** Applies a pod's current state (undefined: deleted). */
  setPod(key: string, pod: KubeObject | undefined): PodChange {
    const entry = this.pods.get(key);
    const node = pod === undefined ? undefined : accountedNode(pod);
    if (node === undefined) {
      if (entry === undefined) return {};
      // An assumed pod stays counted until it is bound or deleted.
      if (pod !== undefined && entry.assumed && !terminal(pod)) return {};
      this.remove(entry);
      return { freed: entry.node };
    }
    if (entry !== undefined && entry.node === node) {
      entry.assumed = false;
      entry.deleting = (pod!.metadata as JsonObject | undefined)?.deletionTimestamp != null;
      const labels = ((pod!.metadata as JsonObject | undefined)?.labels ?? {}) as Record<string, string>;
      if (!sameLabels(entry.labels, labels)) {
        this.usageOf(node).relabel(entry, labels);
        return { gained: node, freed: node };
      }
      return {};
    }
    if (entry !== undefined) this.remove(entry);
    this.add(podEntry(pod!, node, false));
    return entry !== undefined ? { freed: entry.node, gained: node } : { gained: node };
  }

  /** Counts a pod on a node before it is bound (its volumes are binding). */
  assume(pod: KubeObject, node: string): void {
    const key = `${String((pod.metadata as JsonObject).namespace)}/${String((pod.metadata as JsonObject).name)}`;
    const entry = this.pods.get(key);
    if (entry !== undefined) this.remove(entry);
    this.add(podEntry(pod, node, true));
  }

  /** Drops an assumed pod. */
  forget(key: string): string | undefined {
    const entry = this.pods.get(key);
    if (entry === undefined || !entry.assumed) return undefined;
    this.remove(entry);
    return entry.node;
  }

  clear(): void {
    this.nodes.clear();
    this.usage.clear();
    this.pods.clear();
    this.antiAffinityPods.clear();
    this.ownerCounts.clear();
    this.order = undefined;
    this.slots = 0;
  }

  private add(entry: PodEntry): void {
    this.pods.set(entry.key, entry);
    this.usageOf(entry.node).add(entry);
    this.countOwner(entry, 1);
    if (entry.antiAffinity !== undefined) this.antiAffinityPods.add(entry);
  }

  private remove(entry: PodEntry): void {
    this.pods.delete(entry.key);
    const usage = this.usage.get(entry.node);
    if (usage?.pods.has(entry)) {
      usage.remove(entry);
      this.countOwner(entry, -1);
    }
    this.antiAffinityPods.delete(entry);
  }
}

function terminal(pod: KubeObject): boolean {
  const phase = (pod.status as JsonObject | undefined)?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

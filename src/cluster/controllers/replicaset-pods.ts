/**
 * The replica controllers' view of pods: a lean entry per pod (owner, readiness, placement, the
 * few fields scale-down ranks by) instead of the object, per-owner counts kept up to date from
 * watch events (so a ReplicaSet of 100,000 pods never lists them), and Kubernetes' scale-down
 * victim order (`controller.ActivePodsWithRanks`).
 */

import { isJsonObject } from '../api/machinery/json-values.js';
import { type LabelSelector, matchesLabels } from '../api/machinery/label-selector.js';
import type { KubeObject } from '../store/types.js';
import {
  annotations,
  controllerOf,
  isDeleting,
  isPodActive,
  isPodReady,
  labels,
  meta,
  nameOf,
  namespaceOf,
  podCondition,
  statusOf,
} from './shared.js';

/** What a replica controller keeps of one pod. */
export interface PodEntry {
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  /** The uid of the controller owner reference ('' when none). */
  readonly owner: string;
  /** The kind of the controller owner ('' when none). */
  readonly ownerKind: string;
  /** The name of the controller owner ('' when none). */
  readonly ownerName: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly nodeName: string;
  readonly phase: string;
  /** `controller.IsPodActive`: not finished, not being deleted. */
  readonly active: boolean;
  readonly deleting: boolean;
  readonly ready: boolean;
  /** When the Ready condition last turned True (ms), NaN when unknown. */
  readonly readySince: number;
  /** Creation time (ms). */
  readonly created: number;
  /** The highest restart count of its containers. */
  readonly restarts: number;
  /** `controller.kubernetes.io/pod-deletion-cost` (0 when absent or invalid). */
  readonly deletionCost: number;
}

/** The annotation that orders pods for scale-down (lower goes first). */
export const POD_DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

const time = (value: unknown): number => (typeof value === 'string' ? Date.parse(value) : Number.NaN);

function maxRestarts(pod: KubeObject): number {
  let max = 0;
  const status = statusOf(pod);
  for (const field of ['containerStatuses', 'initContainerStatuses']) {
    const list = status[field];
    if (!Array.isArray(list)) continue;
    for (const c of list) {
      const n = isJsonObject(c) ? c.restartCount : undefined;
      if (typeof n === 'number' && n > max) max = n;
    }
  }
  return max;
}

/** The entry of a pod object. */
export function podEntryOf(pod: KubeObject): PodEntry {
  const ref = controllerOf(pod);
  const spec = isJsonObject(pod.spec) ? pod.spec : {};
  const ready = isPodReady(pod);
  const cost = Number.parseInt(annotations(pod)[POD_DELETION_COST] ?? '', 10);
  const namespace = namespaceOf(pod);
  const name = nameOf(pod);
  return {
    key: `${namespace}/${name}`,
    namespace,
    name,
    owner: ref !== undefined && typeof ref.uid === 'string' ? ref.uid : '',
    ownerKind: ref !== undefined && typeof ref.kind === 'string' ? ref.kind : '',
    ownerName: ref !== undefined && typeof ref.name === 'string' ? ref.name : '',
    labels: labels(pod),
    nodeName: typeof spec.nodeName === 'string' ? spec.nodeName : '',
    phase: String(statusOf(pod).phase ?? ''),
    active: isPodActive(pod),
    deleting: isDeleting(pod),
    ready,
    readySince: ready ? time(podCondition(pod, 'Ready')?.lastTransitionTime) : Number.NaN,
    created: time(meta(pod).creationTimestamp),
    restarts: maxRestarts(pod),
    deletionCost: Number.isFinite(cost) ? cost : 0,
  };
}

/** Whether every label of `template` is on the pod with the same value. */
export function hasLabels(
  template: Readonly<Record<string, string>>,
  podLabels: Readonly<Record<string, string>>,
) {
  for (const [k, v] of Object.entries(template)) if (podLabels[k] !== v) return false;
  return true;
}

/** The pods one owner controls, with counts of its active, ready and fully labelled ones. */
export class OwnedPods {
  readonly keys = new Set<string>();
  active = 0;
  ready = 0;
  fullyLabeled = 0;
}

/** What an owner needs to know about its pods' labels. */
export interface OwnerShape {
  readonly selector: LabelSelector;
  readonly templateLabels: Readonly<Record<string, string>>;
}

/** One pod's contribution to its owner's counts. */
interface Contribution {
  readonly active: boolean;
  readonly ready: boolean;
  readonly fullyLabeled: boolean;
}

const NONE: Contribution = { active: false, ready: false, fullyLabeled: false };

/**
 * Pods by key and by controlling owner (of one owner kind), with the owners' counts updated as
 * pods change, plus the orphans of each namespace (pods without a controller, for adoption).
 */
export class PodIndex {
  private readonly pods = new Map<string, PodEntry>();
  private readonly contributions = new Map<string, Contribution>();
  private readonly owned = new Map<string, OwnedPods>();
  private readonly orphans = new Map<string, Set<string>>();

  /**
   * @param ownerKind the kind whose pods are counted (`ReplicaSet`).
   * @param shapeOf the selector and template labels of an owner uid, when known.
   */
  constructor(
    private readonly ownerKind: string,
    private readonly shapeOf: (uid: string) => OwnerShape | undefined,
  ) {}

  get(key: string): PodEntry | undefined {
    return this.pods.get(key);
  }

  /** The pods of an owner (an empty set when it has none). */
  ownedBy(uid: string): OwnedPods {
    return this.owned.get(uid) ?? new OwnedPods();
  }

  /** The orphan pods of a namespace. */
  orphansIn(namespace: string): ReadonlySet<string> {
    return this.orphans.get(namespace) ?? new Set();
  }

  /** Stores (or, with undefined, forgets) a pod; returns the entry it replaced. */
  set(key: string, next: PodEntry | undefined): PodEntry | undefined {
    const old = this.pods.get(key);
    if (old !== undefined) this.unlink(old);
    if (next === undefined) this.pods.delete(key);
    else {
      this.pods.set(key, next);
      this.link(next);
    }
    return old;
  }

  /** How a pod counts for its owner now (nothing when it has none). */
  contributionOf(key: string): Contribution {
    return this.contributions.get(key) ?? NONE;
  }

  /** Recounts the pods of an owner whose template labels changed. */
  recount(uid: string): void {
    const group = this.owned.get(uid);
    if (group === undefined) return;
    for (const key of group.keys) {
      const entry = this.pods.get(key);
      if (entry === undefined) continue;
      this.uncount(group, key);
      this.count(group, entry);
    }
  }

  clear(): void {
    this.pods.clear();
    this.contributions.clear();
    this.owned.clear();
    this.orphans.clear();
  }

  private link(entry: PodEntry): void {
    if (entry.ownerKind === this.ownerKind && entry.owner !== '') {
      let group = this.owned.get(entry.owner);
      if (group === undefined) this.owned.set(entry.owner, (group = new OwnedPods()));
      group.keys.add(entry.key);
      this.count(group, entry);
    } else if (entry.owner === '' && !entry.deleting) {
      let set = this.orphans.get(entry.namespace);
      if (set === undefined) this.orphans.set(entry.namespace, (set = new Set()));
      set.add(entry.key);
    }
  }

  private unlink(entry: PodEntry): void {
    const group = entry.owner === '' ? undefined : this.owned.get(entry.owner);
    if (group?.keys.delete(entry.key)) {
      this.uncount(group, entry.key);
      if (group.keys.size === 0) this.owned.delete(entry.owner);
    }
    const set = this.orphans.get(entry.namespace);
    if (set?.delete(entry.key) && set.size === 0) this.orphans.delete(entry.namespace);
  }

  private count(group: OwnedPods, entry: PodEntry): void {
    const shape = this.shapeOf(entry.owner);
    const c: Contribution = {
      active: entry.active,
      ready: entry.active && entry.ready,
      fullyLabeled: entry.active && shape !== undefined && hasLabels(shape.templateLabels, entry.labels),
    };
    if (c.active) group.active++;
    if (c.ready) group.ready++;
    if (c.fullyLabeled) group.fullyLabeled++;
    this.contributions.set(entry.key, c);
  }

  private uncount(group: OwnedPods, key: string): void {
    const c = this.contributions.get(key);
    if (c === undefined) return;
    if (c.active) group.active--;
    if (c.ready) group.ready--;
    if (c.fullyLabeled) group.fullyLabeled--;
    this.contributions.delete(key);
  }
}

/** Whether an owner's selector still selects a pod. */
export function selectsPod(shape: OwnerShape, entry: PodEntry): boolean {
  return matchesLabels(shape.selector, entry.labels);
}

const PHASE_ORDINAL: Readonly<Record<string, number>> = { Pending: 0, Unknown: 1, Running: 2 };

/** `logarithmicRankDiff`: compares how long ago two times were on a log₂ scale (of nanoseconds). */
function logRankDiff(t1: number, t2: number, now: number): number {
  const rank = (t: number) => {
    const d = (now - t) * 1e6;
    return d > 0 ? Math.floor(Math.log2(d)) : -1;
  };
  return rank(t1) - rank(t2);
}

/**
 * Picks `count` pods to delete in Kubernetes' order (`ActivePodsWithRanks.Less`, with the
 * LogarithmicScaleDown and PodDeletionCost features on): unscheduled before scheduled; Pending
 * before Unknown before Running; not ready before ready; lower deletion cost; more replicas of the
 * owner on the same node; ready more recently; more restarts; created more recently. Names break
 * the ties Kubernetes breaks with uids.
 */
export function scaleDownVictims(pods: readonly PodEntry[], count: number, now: number): PodEntry[] {
  if (count >= pods.length) return [...pods];
  const onNode = new Map<string, number>();
  for (const p of pods) if (p.nodeName !== '') onNode.set(p.nodeName, (onNode.get(p.nodeName) ?? 0) + 1);
  const rank = (p: PodEntry) => (p.nodeName === '' ? 0 : (onNode.get(p.nodeName) ?? 0));
  const tie = (a: PodEntry, b: PodEntry) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const order = (a: PodEntry, b: PodEntry): number => {
    if (a.nodeName !== b.nodeName && (a.nodeName === '' || b.nodeName === ''))
      return a.nodeName === '' ? -1 : 1;
    const pa = PHASE_ORDINAL[a.phase] ?? 0;
    const pb = PHASE_ORDINAL[b.phase] ?? 0;
    if (pa !== pb) return pa - pb;
    if (a.ready !== b.ready) return a.ready ? 1 : -1;
    if (a.deletionCost !== b.deletionCost) return a.deletionCost - b.deletionCost;
    const ra = rank(a);
    const rb = rank(b);
    if (ra !== rb) return rb - ra;
    if (a.ready && b.ready && a.readySince !== b.readySince) {
      if (!Number.isFinite(a.readySince) || !Number.isFinite(b.readySince))
        return Number.isFinite(a.readySince) ? 1 : -1;
      const diff = logRankDiff(a.readySince, b.readySince, now);
      return diff === 0 ? tie(a, b) : diff;
    }
    if (a.restarts !== b.restarts) return b.restarts - a.restarts;
    if (a.created !== b.created) {
      if (!Number.isFinite(a.created) || !Number.isFinite(b.created))
        return Number.isFinite(a.created) ? 1 : -1;
      const diff = logRankDiff(a.created, b.created, now);
      return diff === 0 ? tie(a, b) : diff;
    }
    return tie(a, b);
  };
  return [...pods].sort(order).slice(0, count);
}

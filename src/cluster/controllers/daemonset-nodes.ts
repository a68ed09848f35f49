/**
 * The DaemonSet controller's nodes: what it keeps of each node between syncs, and whether a node
 * should run a DaemonSet's pod, or may keep running one (`NodeShouldRunDaemonPod`).
 *
 * A node fits when it matches the template's `nodeName`, `nodeSelector` and required node
 * affinity and the pod (with the daemon tolerations) tolerates its NoSchedule and NoExecute
 * taints; a pod tolerating the node's NoExecute taints may keep running where no new one would be
 * placed. The answers are memoized per DaemonSet and node version, since every sync asks them for
 * every node.
 */

import { isJsonObject } from '../api/machinery/json-values.js';
import {
  compareNodeNames,
  DO_NOT_SCHEDULE,
  effectiveTaints,
  firstUntolerated,
  type NodePlacement,
  nodeLabels,
  nodePlacementOf,
  placementMatches,
  type Taint,
  type Toleration,
} from '../scheduler/predicates.js';
import type { KubeObject } from '../store/types.js';
import { daemonTolerations } from './daemonset-pods.js';
import { specOf } from './shared.js';

/** A node as the controller reads it. */
export interface NodeLite {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly fingerprint: string;
  readonly version: number;
}

/** What decides where a DaemonSet's pods go (the template's placement and tolerations). */
export interface Placement {
  readonly id: string;
  readonly nodeName: string;
  readonly placement: NodePlacement;
  readonly tolerations: readonly Toleration[];
}

/** The placement of a DaemonSet's pods; `id` changes exactly when the placement does. */
export function placementOf(ds: KubeObject): Placement {
  const spec = specOf(isJsonObject(specOf(ds).template) ? (specOf(ds).template as KubeObject) : {});
  const tolerations = daemonTolerations(spec) as Toleration[];
  const nodeName = typeof spec.nodeName === 'string' ? spec.nodeName : '';
  const id = JSON.stringify([spec.nodeSelector ?? null, spec.affinity ?? null, tolerations, nodeName]);
  return { id, nodeName, placement: nodePlacementOf(spec), tolerations };
}

/** `NodeShouldRunDaemonPod` for one node: [shouldRun, shouldContinueRunning]. */
export function nodeFit(
  p: Placement,
  node: Pick<NodeLite, 'name' | 'labels' | 'taints'>,
): readonly [boolean, boolean] {
  if (
    (p.nodeName !== '' && p.nodeName !== node.name) ||
    !placementMatches(p.placement, node.labels, node.name)
  )
    return [false, false];
  if (firstUntolerated(node.taints, p.tolerations, DO_NOT_SCHEDULE) !== undefined)
    return [false, firstUntolerated(node.taints, p.tolerations, ['NoExecute']) === undefined];
  return [true, true];
}

/** The nodes the controller knows, in name order, and the memoized fit of each DaemonSet. */
export class DaemonNodes {
  private readonly nodes = new Map<string, NodeLite>();
  private order: string[] | undefined;
  /** Counts on across `clear()`: a memoized fit is only ever compared with a node's version. */
  private version = 0;
  /** Per DaemonSet uid: its placement id and, per node, whether it should run / keep running there. */
  private readonly fit = new Map<
    string,
    { id: string; nodes: Map<string, readonly [number, boolean, boolean]> }
  >();

  clear(): void {
    this.nodes.clear();
    this.order = undefined;
    this.fit.clear();
  }

  get(name: string): NodeLite | undefined {
    return this.nodes.get(name);
  }

  has(name: string): boolean {
    return this.nodes.has(name);
  }

  /** Applies a node change; returns whether what decides placement changed. */
  set(name: string, node: KubeObject | undefined): boolean {
    const before = this.nodes.get(name);
    if (node === undefined) {
      if (before === undefined) return false;
      this.nodes.delete(name);
      this.order = undefined;
      return true;
    }
    const labels = nodeLabels(node);
    const taints = effectiveTaints(node);
    const fingerprint = JSON.stringify([labels, taints.map((t) => [t.key, t.value ?? '', t.effect])]);
    if (before?.fingerprint === fingerprint) return false;
    this.nodes.set(name, { name, labels, taints, fingerprint, version: ++this.version });
    if (before === undefined) this.order = undefined;
    return true;
  }

  /** The known node names, sorted as the scheduler orders nodes. */
  sorted(): readonly string[] {
    this.order ??= [...this.nodes.keys()].sort(compareNodeNames);
    return this.order;
  }

  /** {@link nodeFit}, memoized per DaemonSet (while its placement stays) and node version. */
  shouldRun(uid: string, p: Placement, node: NodeLite): readonly [boolean, boolean] {
    let memo = this.fit.get(uid);
    if (memo === undefined || memo.id !== p.id) {
      memo = { id: p.id, nodes: new Map() };
      this.fit.set(uid, memo);
    }
    const hit = memo.nodes.get(node.name);
    if (hit !== undefined && hit[0] === node.version) return [hit[1], hit[2]];
    const [run, keep] = nodeFit(p, node);
    memo.nodes.set(node.name, [node.version, run, keep]);
    return [run, keep];
  }

  /** Drops a removed DaemonSet's memo. */
  forget(uid: string): void {
    this.fit.delete(uid);
  }
}

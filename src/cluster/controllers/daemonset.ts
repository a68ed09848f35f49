/**
 * The daemonset-controller (`pkg/controller/daemon`): one pod of each DaemonSet on every node
 * that should run it.
 *
 * - A node should run a DaemonSet's pod when it matches the template's `nodeSelector` and
 *   required node affinity and the pod tolerates its NoSchedule and NoExecute taints, counting
 *   the tolerations the controller adds to every daemon pod (not-ready and unreachable NoExecute;
 *   disk-, memory-, pid-pressure and unschedulable NoSchedule; network-unavailable for
 *   host-network pods), so cordoned nodes keep their daemons. A pod tolerating the node's
 *   NoExecute taints may keep running where no new one would be placed.
 * - Pods are created from the template as `<ds>-<5 chars>` with the labels
 *   `controller-revision-hash` and `pod-template-generation`, the node pinned by required node
 *   affinity `matchFields metadata.name In [<node>]` (the scheduler binds them), at most 250 per
 *   sync, with `SuccessfulCreate` / `SuccessfulDelete` events. Surplus pods on a node (beyond the
 *   oldest), pods on nodes that should no longer run them and pods of removed nodes are deleted;
 *   failed pods are deleted and replaced with a back-off per node (1 s doubling to 15 min).
 * - Each template is kept as a ControllerRevision `<ds>-<hash>` with increasing `revision`
 *   numbers (a template that comes back reuses its revision, renumbered), pruned beyond
 *   `revisionHistoryLimit` unless pods still use it. `RollingUpdate` replaces old pods within
 *   `maxUnavailable` (or surges new ones within `maxSurge`); `OnDelete` waits for old pods to
 *   be deleted.
 * - Pods are claimed by selector: orphans it selects are adopted, pods it controls that it no
 *   longer selects are released (their owner reference removed) and keep running. DaemonSet
 *   selectors stay mutable here (the training's `isactive` exercise): changing selector and
 *   template labels releases the old pods and creates new ones.
 * - Status: `desiredNumberScheduled`, `currentNumberScheduled`, `numberMisscheduled`,
 *   `numberReady`, `updatedNumberScheduled`, `numberAvailable`, `numberUnavailable`,
 *   `observedGeneration` (`kubectl get ds`: DESIRED CURRENT READY UP-TO-DATE AVAILABLE).
 *
 * Pods are never listed per sync: a lean entry per daemon pod and per orphan is kept from watch
 * events (built from one list the first time it is needed in a process).
 */

import { isJsonObject, type JsonObject, jsonEqual } from '../api/machinery/json-values.js';
import { type LabelSelector, matchesLabels, NOTHING } from '../api/machinery/label-selector.js';
import { ApiError } from '../api/types.js';
import {
  type Controller,
  type ControllerContext,
  objectKey,
  splitKey,
  type WatchEvent,
} from '../runtime/types.js';
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
import {
  CONTROLLER_REVISION_HASH,
  cleanupHistory,
  constructHistory,
  DAEMONSET_CONTROLLER,
} from './daemonset-history.js';
import {
  available,
  byCreation,
  type DaemonPod,
  daemonPodOf,
  daemonTolerations,
  pinToNode,
  samePod,
} from './daemonset-pods.js';
import {
  type NodeView,
  POD_TEMPLATE_GENERATION,
  rolloutStep,
  type StatusCounts,
  statusCounts,
} from './daemonset-rollout.js';
import { SimilarEvents } from './event-correlation.js';
import {
  controllerOf,
  controllerRef,
  isDeleting,
  isNotFound,
  meta,
  nameOf,
  namespaceOf,
  numberOr,
  patchPod,
  podFromTemplate,
  releasePod,
  scaledValue,
  selectorOf,
  specOf,
  statusOf,
  uidOf,
} from './shared.js';

export { CONTROLLER_REVISION_HASH, DAEMONSET_CONTROLLER } from './daemonset-history.js';
export { daemonTolerations, pinToNode, targetNodeOf } from './daemonset-pods.js';

export { POD_TEMPLATE_GENERATION } from './daemonset-rollout.js';

/** At most this many pods are created in one sync (`BurstReplicas`). */
const BURST_REPLICAS = 250;
/** The failed-pod back-off per node: 1 s, doubling, at most 15 min. */
const FAILED_BACKOFF_INITIAL_MS = 1000;
const FAILED_BACKOFF_MAX_MS = 15 * 60_000;
/** The key that (re)builds the caches and syncs every DaemonSet. */
const SYNC_ALL = '@all';

/** A node as the controller reads it. */
interface NodeLite {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly fingerprint: string;
  readonly version: number;
}

/** What is known of a DaemonSet between syncs. */
interface SetInfo {
  readonly key: string;
  readonly uid: string;
  readonly namespace: string;
  readonly selector: LabelSelector;
  readonly generation: number;
  readonly deleting: boolean;
}

/** What decides where a DaemonSet's pods go (the template's placement and tolerations). */
interface Placement {
  readonly id: string;
  readonly nodeName: string;
  readonly placement: NodePlacement;
  readonly tolerations: readonly Toleration[];
}

const int = numberOr;

function safeSelector(ds: KubeObject): LabelSelector {
  try {
    return selectorOf(ds);
  } catch {
    return NOTHING;
  }
}

/** The controller's state for one open cluster. */
class DaemonSetController {
  private built = false;
  private builtRevision = 0;
  private readonly sets = new Map<string, SetInfo>();
  private readonly setByUid = new Map<string, string>();
  private readonly pods = new Map<string, DaemonPod>();
  private readonly byOwner = new Map<string, Set<string>>();
  private readonly orphans = new Map<string, Set<string>>();
  private readonly nodes = new Map<string, NodeLite>();
  private nodeOrder: string[] | undefined;
  private nodeVersion = 0;
  /** Per DaemonSet uid: its placement id and, per node, whether it should run / keep running there. */
  private readonly fit = new Map<
    string,
    { id: string; nodes: Map<string, readonly [number, boolean, boolean]> }
  >();
  /** Failed-pod back-off per `<ds uid>/<node>`: the current delay and when it ends. */
  private readonly backoff = new Map<string, { delay: number; until: number }>();
  private readonly events = new SimilarEvents();

  reset(): void {
    this.built = false;
    this.builtRevision = 0;
    this.sets.clear();
    this.setByUid.clear();
    this.pods.clear();
    this.byOwner.clear();
    this.orphans.clear();
    this.nodes.clear();
    this.nodeOrder = undefined;
    this.fit.clear();
    this.events.clear();
  }

  // ------------------------------------------------------------------------------------------
  // Caches

  observe(event: WatchEvent, ctx: ControllerContext): void {
    if (!this.built) {
      if (this.relevantBeforeBuild(event)) ctx.enqueue(SYNC_ALL);
      return;
    }
    if (event.revision <= this.builtRevision) return;
    switch (event.key.resource) {
      case 'daemonsets.apps':
        this.observeSet(event, ctx);
        break;
      case 'pods':
        this.observePod(event, ctx);
        break;
      case 'nodes':
        if (this.setNode(event.key.name, event.type === 'DELETED' ? undefined : event.object))
          for (const key of this.sets.keys()) ctx.enqueue(key);
        break;
      case 'controllerrevisions.apps': {
        const ref = controllerOf(event.object);
        const key = ref?.kind === 'DaemonSet' ? this.setByUid.get(String(ref.uid)) : undefined;
        if (key !== undefined && event.type === 'DELETED') ctx.enqueue(key);
        break;
      }
    }
  }

  /** Before the caches exist, whether a change may concern a DaemonSet (then everything syncs once). */
  private relevantBeforeBuild(event: WatchEvent): boolean {
    const resource = event.key.resource;
    if (resource === 'daemonsets.apps' || resource === 'nodes') return true;
    if (resource !== 'pods') return false;
    const ref = controllerOf(event.object);
    return ref === undefined || ref.kind === 'DaemonSet';
  }

  private observeSet(event: WatchEvent, ctx: ControllerContext): void {
    const key = `${event.key.namespace}/${event.key.name}`;
    const before = this.sets.get(key);
    if (event.type === 'DELETED') {
      if (before !== undefined) {
        this.sets.delete(key);
        this.setByUid.delete(before.uid);
        this.fit.delete(before.uid);
      }
      return;
    }
    const info = this.setInfo(event.object);
    this.sets.set(key, info);
    this.setByUid.set(info.uid, key);
    // Its own status writes change neither the generation nor the deletion.
    if (before === undefined || before.generation !== info.generation || before.deleting !== info.deleting)
      ctx.enqueue(key);
    if (before !== undefined && before.uid !== info.uid) this.setByUid.delete(before.uid);
  }

  private setInfo(ds: KubeObject): SetInfo {
    return {
      key: objectKey(ds),
      uid: uidOf(ds),
      namespace: namespaceOf(ds),
      selector: safeSelector(ds),
      generation: int(meta(ds).generation, 1),
      deleting: isDeleting(ds),
    };
  }

  private observePod(event: WatchEvent, ctx: ControllerContext): void {
    const key = `${event.key.namespace}/${event.key.name}`;
    const before = this.pods.get(key);
    const after = event.type === 'DELETED' ? undefined : this.entryOf(event.object);
    if (before !== undefined && after !== undefined && samePod(before, after)) return;
    this.setPod(key, after);
    if (before !== undefined) this.enqueueFor(before, ctx);
    if (after !== undefined) this.enqueueFor(after, ctx);
  }

  /** The entry of a pod the controller cares about (a DaemonSet's, or an orphan), else undefined. */
  private entryOf(pod: KubeObject): DaemonPod | undefined {
    const ref = controllerOf(pod);
    if (ref === undefined) return daemonPodOf(pod, '');
    if (ref.kind !== 'DaemonSet') return undefined;
    return daemonPodOf(pod, String(ref.uid ?? ''));
  }

  /** Queues the DaemonSet that owns a pod, or those that may adopt an orphan. */
  private enqueueFor(pod: DaemonPod, ctx: ControllerContext): void {
    if (pod.owner !== '') {
      const key = this.setByUid.get(pod.owner);
      if (key !== undefined) ctx.enqueue(key);
      return;
    }
    for (const info of this.sets.values())
      if (info.namespace === pod.namespace && matchesLabels(info.selector, pod.labels)) ctx.enqueue(info.key);
  }

  private setPod(key: string, entry: DaemonPod | undefined): void {
    const before = this.pods.get(key);
    if (before !== undefined) {
      const index = before.owner === '' ? this.orphans.get(before.namespace) : this.byOwner.get(before.owner);
      index?.delete(key);
      if (index?.size === 0) {
        if (before.owner === '') this.orphans.delete(before.namespace);
        else this.byOwner.delete(before.owner);
      }
      this.pods.delete(key);
    }
    if (entry === undefined) return;
    this.pods.set(key, entry);
    const map = entry.owner === '' ? this.orphans : this.byOwner;
    const id = entry.owner === '' ? entry.namespace : entry.owner;
    let set = map.get(id);
    if (set === undefined) map.set(id, (set = new Set()));
    set.add(key);
  }

  /** Applies a node change; returns whether what decides placement changed. */
  private setNode(name: string, node: KubeObject | undefined): boolean {
    const before = this.nodes.get(name);
    if (node === undefined) {
      if (before === undefined) return false;
      this.nodes.delete(name);
      this.nodeOrder = undefined;
      return true;
    }
    const labels = nodeLabels(node);
    const taints = effectiveTaints(node);
    const fingerprint = JSON.stringify([labels, taints.map((t) => [t.key, t.value ?? '', t.effect])]);
    if (before?.fingerprint === fingerprint) return false;
    this.nodes.set(name, { name, labels, taints, fingerprint, version: ++this.nodeVersion });
    if (before === undefined) this.nodeOrder = undefined;
    return true;
  }

  private sortedNodes(): readonly string[] {
    this.nodeOrder ??= [...this.nodes.keys()].sort(compareNodeNames);
    return this.nodeOrder;
  }

  private ensureBuilt(ctx: ControllerContext): boolean {
    if (this.built) return false;
    this.reset();
    for (const node of ctx.api.list('nodes').items) this.setNode(nameOf(node), node);
    const sets = ctx.api.list('daemonsets.apps');
    for (const ds of sets.items) {
      const info = this.setInfo(ds);
      this.sets.set(info.key, info);
      this.setByUid.set(info.uid, info.key);
    }
    const pods = ctx.api.list('pods');
    for (const pod of pods.items) {
      const entry = this.entryOf(pod);
      if (entry !== undefined) this.setPod(entry.key, entry);
    }
    this.builtRevision = Number(pods.metadata.resourceVersion);
    this.built = true;
    for (const key of this.sets.keys()) ctx.enqueue(key);
    return true;
  }

  // ------------------------------------------------------------------------------------------
  // Placement

  private placementOf(ds: KubeObject): Placement {
    const spec = specOf(isJsonObject(specOf(ds).template) ? (specOf(ds).template as KubeObject) : {});
    const tolerations = daemonTolerations(spec) as Toleration[];
    const nodeName = typeof spec.nodeName === 'string' ? spec.nodeName : '';
    const id = JSON.stringify([spec.nodeSelector ?? null, spec.affinity ?? null, tolerations, nodeName]);
    return { id, nodeName, placement: nodePlacementOf(spec), tolerations };
  }

  /** `NodeShouldRunDaemonPod`: [shouldRun, shouldContinueRunning], memoized per node version. */
  private shouldRun(uid: string, p: Placement, node: NodeLite): readonly [boolean, boolean] {
    let memo = this.fit.get(uid);
    if (memo === undefined || memo.id !== p.id) {
      memo = { id: p.id, nodes: new Map() };
      this.fit.set(uid, memo);
    }
    const hit = memo.nodes.get(node.name);
    if (hit !== undefined && hit[0] === node.version) return [hit[1], hit[2]];
    let run = true;
    let keep = true;
    if (
      (p.nodeName !== '' && p.nodeName !== node.name) ||
      !placementMatches(p.placement, node.labels, node.name)
    ) {
      run = false;
      keep = false;
    } else if (firstUntolerated(node.taints, p.tolerations, DO_NOT_SCHEDULE) !== undefined) {
      run = false;
      keep = firstUntolerated(node.taints, p.tolerations, ['NoExecute']) === undefined;
    }
    memo.nodes.set(node.name, [node.version, run, keep]);
    return [run, keep];
  }

  // ------------------------------------------------------------------------------------------
  // Sync

  reconcile(key: string, ctx: ControllerContext): void {
    if (this.ensureBuilt(ctx) || key === SYNC_ALL) return;
    const { namespace, name } = splitKey(key);
    let ds: KubeObject;
    try {
      ds = ctx.api.get('daemonsets.apps', namespace, name);
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    if (isDeleting(ds)) return;
    const info = this.setInfo(ds);
    const now = ctx.now().getTime();

    const revision = constructHistory(ds, ctx);
    if (revision === undefined) return;
    const { hash, generation, old } = revision;

    const { nodePods, changed: claimed } = this.claim(ds, info, ctx);
    const placement = this.placementOf(ds);
    const nodes = this.sortedNodes().map((n) => this.nodes.get(n)!);
    const minReady = int(specOf(ds).minReadySeconds, 0);
    const strategy = isJsonObject(specOf(ds).updateStrategy) ? (specOf(ds).updateStrategy as JsonObject) : {};
    const rolling = strategy.type !== 'OnDelete';
    const rollingUpdate = isJsonObject(strategy.rollingUpdate) ? strategy.rollingUpdate : {};
    let desired = 0;
    for (const node of nodes) if (this.shouldRun(info.uid, placement, node)[0]) desired++;
    let maxSurge = rolling ? scaledValue(rollingUpdate.maxSurge ?? 0, desired, true) : 0;
    let maxUnavailable = rolling ? scaledValue(rollingUpdate.maxUnavailable ?? 1, desired, true) : 0;
    if (rolling && desired > 0 && maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
    if (!rolling) maxSurge = 0;

    const wrote = this.manage(ds, info, placement, nodes, nodePods, hash, generation, maxSurge, now, ctx);
    const view = this.viewOf(info, placement);
    const names = nodes.map((n) => n.name);
    if (!claimed && !wrote && rolling) {
      const step = rolloutStep(view, names, nodePods, {
        hash,
        generation,
        maxSurge,
        maxUnavailable,
        desired,
        minReady,
        now,
      });
      this.syncNodes(ds, step.needing, step.doomed, hash, generation, ctx);
    }
    cleanupHistory(ds, old, nodePods, ctx);
    this.updateStatus(
      ds,
      info,
      statusCounts(view, names, nodePods, { hash, generation, minReady, now }),
      now,
      ctx,
    );
  }

  /**
   * `ClaimPods`: the DaemonSet's pods by node, after adopting the orphans it selects and
   * releasing the pods it no longer selects (those writes are seen by the next sync).
   */
  private claim(
    ds: KubeObject,
    info: SetInfo,
    ctx: ControllerContext,
  ): { nodePods: Map<string, DaemonPod[]>; changed: boolean } {
    const nodePods = new Map<string, DaemonPod[]>();
    const add = (pod: DaemonPod) => {
      const list = nodePods.get(pod.node);
      if (list === undefined) nodePods.set(pod.node, [pod]);
      else list.push(pod);
    };
    let changed = false;
    for (const key of [...(this.byOwner.get(info.uid) ?? [])]) {
      const pod = this.pods.get(key)!;
      if (matchesLabels(info.selector, pod.labels)) {
        add(pod);
        continue;
      }
      changed = releasePod(ctx, DAEMONSET_CONTROLLER, pod, info.uid) || changed;
    }
    const ref = controllerRef(ds);
    for (const key of [...(this.orphans.get(info.namespace) ?? [])]) {
      const pod = this.pods.get(key)!;
      if (pod.deleting || !matchesLabels(info.selector, pod.labels)) continue;
      if (patchPod(ctx, DAEMONSET_CONTROLLER, pod, { metadata: { ownerReferences: [ref] } })) {
        add({ ...pod, owner: info.uid });
        changed = true;
      }
    }
    for (const list of nodePods.values()) list.sort(byCreation);
    return { nodePods, changed };
  }

  /**
   * `manage`: which nodes need a pod and which pods must go (`podsShouldBeOnNode`), then creates
   * and deletes them. Returns whether it wrote anything.
   */
  private manage(
    ds: KubeObject,
    info: SetInfo,
    placement: Placement,
    nodes: readonly NodeLite[],
    nodePods: ReadonlyMap<string, DaemonPod[]>,
    hash: string,
    generation: string,
    maxSurge: number,
    now: number,
    ctx: ControllerContext,
  ): boolean {
    const needing: string[] = [];
    const doomed: DaemonPod[] = [];
    for (const node of nodes) {
      const [run, keep] = this.shouldRun(info.uid, placement, node);
      const pods = nodePods.get(node.name);
      if (run && pods === undefined) {
        needing.push(node.name);
        continue;
      }
      if (pods === undefined) continue;
      if (!keep) {
        for (const p of pods) if (!p.deleting) doomed.push(p);
        continue;
      }
      const running: DaemonPod[] = [];
      for (const p of pods) {
        if (p.deleting) continue;
        if (p.phase === 'Failed' || p.phase === 'Succeeded') {
          const id = `${info.uid}/${node.name}`;
          const back = this.backoff.get(id);
          if (back !== undefined && now < back.until) {
            ctx.after(info.key, back.until - now, 'wait');
            continue;
          }
          const delay =
            back === undefined ? FAILED_BACKOFF_INITIAL_MS : Math.min(back.delay * 2, FAILED_BACKOFF_MAX_MS);
          this.backoff.set(id, { delay, until: now + delay });
          const verb = p.phase === 'Failed' ? 'Found failed daemon pod' : 'Found succeeded daemon pod';
          const action = p.phase === 'Failed' ? 'will try to kill it' : 'will try to delete it';
          const reason = p.phase === 'Failed' ? 'FailedDaemonPod' : 'SucceededDaemonPod';
          this.events.record(
            ctx,
            DAEMONSET_CONTROLLER,
            ds,
            'Warning',
            reason,
            `${verb} ${p.namespace}/${p.name} on node ${node.name}, ${action}`,
          );
          doomed.push(p);
        } else {
          running.push(p);
        }
      }
      if (maxSurge === 0) {
        // Without surge only the oldest pod stays.
        for (let i = 1; i < running.length; i++) doomed.push(running[i]!);
        continue;
      }
      if (running.length <= 1) {
        if (running.length === 0 && run) needing.push(node.name);
        continue;
      }
      // With surge, an old and a new pod may run side by side while the new one starts.
      let oldestNew: DaemonPod | undefined;
      let oldestOld: DaemonPod | undefined;
      for (const p of running) {
        if (p.labels[CONTROLLER_REVISION_HASH] === hash) {
          if (oldestNew === undefined) {
            oldestNew = p;
            continue;
          }
        } else if (oldestOld === undefined) {
          oldestOld = p;
          continue;
        }
        doomed.push(p);
      }
      if (oldestNew !== undefined && oldestOld !== undefined) {
        if (!oldestOld.ready || available(oldestNew, int(specOf(ds).minReadySeconds, 0), now))
          doomed.push(oldestOld);
      }
    }
    // Daemon pods whose node is gone: nothing will ever run or finish them.
    for (const [node, pods] of nodePods) {
      if (this.nodes.has(node)) continue;
      for (const p of pods) if (!p.deleting || p.bound) doomed.push(p);
    }
    return this.syncNodes(ds, needing, doomed, hash, generation, ctx);
  }

  /** Creates pods for `needing` nodes (at most 250) and deletes `doomed` pods. */
  private syncNodes(
    ds: KubeObject,
    needing: readonly string[],
    doomed: readonly DaemonPod[],
    hash: string,
    generation: string,
    ctx: ControllerContext,
  ): boolean {
    let wrote = false;
    const template = specOf(ds).template;
    for (const node of needing.slice(0, BURST_REPLICAS)) {
      const pod = podFromTemplate(template, ds, {
        namespace: namespaceOf(ds),
        generateName: `${nameOf(ds)}-`,
        extraLabels: { [CONTROLLER_REVISION_HASH]: hash, [POD_TEMPLATE_GENERATION]: generation },
      });
      const spec = specOf(pod);
      pod.spec = { ...spec, affinity: pinToNode(spec.affinity, node), tolerations: daemonTolerations(spec) };
      try {
        const created = ctx.api.create(pod, { fieldManager: DAEMONSET_CONTROLLER });
        this.events.record(
          ctx,
          DAEMONSET_CONTROLLER,
          ds,
          'Normal',
          'SuccessfulCreate',
          `Created pod: ${nameOf(created)}`,
        );
        wrote = true;
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        this.events.record(
          ctx,
          DAEMONSET_CONTROLLER,
          ds,
          'Warning',
          'FailedCreate',
          `Error creating: ${error.message}`,
        );
        break;
      }
    }
    for (const p of doomed) {
      // A pod whose node is gone has no kubelet to finish it: it goes at once, as PodGC would.
      const orphaned = !this.nodes.has(p.node);
      try {
        ctx.api.delete('pods', p.namespace, p.name, {
          fieldManager: DAEMONSET_CONTROLLER,
          ...(orphaned ? { gracePeriodSeconds: 0 } : {}),
        });
        this.events.record(
          ctx,
          DAEMONSET_CONTROLLER,
          ds,
          'Normal',
          'SuccessfulDelete',
          `Deleted pod: ${p.name}`,
        );
        wrote = true;
      } catch (error) {
        if (isNotFound(error)) continue;
        if (!(error instanceof ApiError)) throw error;
        this.events.record(
          ctx,
          DAEMONSET_CONTROLLER,
          ds,
          'Warning',
          'FailedDelete',
          `Error deleting: ${error.message}`,
        );
      }
    }
    return wrote;
  }

  /** `rollingUpdate`: replaces old pods within `maxUnavailable`, or surges within `maxSurge`. */
  /** Which nodes should run the set's pod, as the rollout asks it. */
  private viewOf(info: SetInfo, placement: Placement): NodeView {
    return {
      runs: (name) => {
        const node = this.nodes.get(name);
        return node !== undefined && this.shouldRun(info.uid, placement, node)[0];
      },
      known: (name) => this.nodes.has(name),
    };
  }

  /** `updateDaemonSetStatus`: counts per node, written only when they changed. */
  private updateStatus(
    ds: KubeObject,
    info: SetInfo,
    counts: StatusCounts,
    now: number,
    ctx: ControllerContext,
  ): void {
    const status = statusOf(ds);
    const next: JsonObject = {
      ...status,
      currentNumberScheduled: counts.current,
      desiredNumberScheduled: counts.desired,
      numberMisscheduled: counts.misscheduled,
      numberReady: counts.ready,
      observedGeneration: info.generation,
      updatedNumberScheduled: counts.updated,
      numberAvailable: counts.available,
      numberUnavailable: counts.desired - counts.available,
    };
    // Kubernetes omits zero counts of `numberAvailable`/`numberUnavailable`/`updatedNumberScheduled`.
    for (const field of ['numberAvailable', 'numberUnavailable', 'updatedNumberScheduled'])
      if (next[field] === 0) delete next[field];
    if (!jsonEqual(next, status))
      ctx.api.update({ ...ds, status: next }, { subresource: 'status', fieldManager: DAEMONSET_CONTROLLER });
    if (Number.isFinite(counts.nextAvailable))
      ctx.after(info.key, Math.max(0, counts.nextAvailable - now), 'progress');
  }
}

/** Builds the daemonset-controller. */
export function daemonSetController(): Controller {
  const controller = new DaemonSetController();
  return {
    name: DAEMONSET_CONTROLLER,
    resources: ['daemonsets.apps', 'pods', 'nodes', 'controllerrevisions.apps'],
    observe: (event, ctx) => controller.observe(event, ctx),
    reconcile: (key, ctx) => controller.reconcile(key, ctx),
    reset: () => controller.reset(),
  };
}

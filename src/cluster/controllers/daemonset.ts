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
 *
 * This module follows the watch events and runs a sync; its parts live next to it: the nodes
 * and their fit (`daemonset-nodes.ts`), the pod index (`daemonset-pod-index.ts`), a daemon pod's
 * shape (`daemonset-pods.ts`), ControllerRevisions (`daemonset-history.ts`), which pods go where
 * (`daemonset-manage.ts`), the rolling update and status counts (`daemonset-rollout.ts`), and the
 * writes (`daemonset-writes.ts`).
 */

import { isJsonObject, type JsonObject } from '../api/machinery/json-values.js';
import { type LabelSelector, matchesLabels, NOTHING } from '../api/machinery/label-selector.js';
import {
  type Controller,
  type ControllerContext,
  objectKey,
  splitKey,
  type WatchEvent,
} from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';
import { cleanupHistory, constructHistory, DAEMONSET_CONTROLLER } from './daemonset-history.js';
import { FinishedPods, podsShouldBeOnNodes } from './daemonset-manage.js';
import { DaemonNodes, type Placement, placementOf } from './daemonset-nodes.js';
import { DaemonPodIndex, daemonEntryOf } from './daemonset-pod-index.js';
import { byCreation, type DaemonPod, samePod } from './daemonset-pods.js';
import { type NodeView, rolloutStep, statusCounts } from './daemonset-rollout.js';
import { type PodRevision, syncNodes, updateStatus } from './daemonset-writes.js';
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
  releasePod,
  scaledValue,
  selectorOf,
  specOf,
  uidOf,
} from './shared.js';

export { CONTROLLER_REVISION_HASH, DAEMONSET_CONTROLLER } from './daemonset-history.js';
export { daemonTolerations, pinToNode, targetNodeOf } from './daemonset-pods.js';

export { POD_TEMPLATE_GENERATION } from './daemonset-rollout.js';

/** The key that (re)builds the caches and syncs every DaemonSet. */
const SYNC_ALL = '@all';

/** What is known of a DaemonSet between syncs. */
interface SetInfo {
  readonly key: string;
  readonly uid: string;
  readonly namespace: string;
  readonly selector: LabelSelector;
  readonly generation: number;
  readonly deleting: boolean;
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
  private readonly pods = new DaemonPodIndex();
  private readonly nodes = new DaemonNodes();
  /** The back-off of finished pods per node (not one of the caches `reset()` rebuilds). */
  private readonly finished = new FinishedPods();
  private readonly events = new SimilarEvents();

  reset(): void {
    this.built = false;
    this.builtRevision = 0;
    this.sets.clear();
    this.setByUid.clear();
    this.pods.clear();
    this.nodes.clear();
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
        if (this.nodes.set(event.key.name, event.type === 'DELETED' ? undefined : event.object))
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
        this.nodes.forget(before.uid);
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
    const after = event.type === 'DELETED' ? undefined : daemonEntryOf(event.object);
    if (before !== undefined && after !== undefined && samePod(before, after)) return;
    this.pods.set(key, after);
    if (before !== undefined) this.enqueueFor(before, ctx);
    if (after !== undefined) this.enqueueFor(after, ctx);
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

  private ensureBuilt(ctx: ControllerContext): boolean {
    if (this.built) return false;
    this.reset();
    for (const node of ctx.api.list('nodes').items) this.nodes.set(nameOf(node), node);
    const sets = ctx.api.list('daemonsets.apps');
    for (const ds of sets.items) {
      const info = this.setInfo(ds);
      this.sets.set(info.key, info);
      this.setByUid.set(info.uid, info.key);
    }
    const pods = ctx.api.list('pods');
    for (const pod of pods.items) {
      const entry = daemonEntryOf(pod);
      if (entry !== undefined) this.pods.set(entry.key, entry);
    }
    this.builtRevision = Number(pods.metadata.resourceVersion);
    this.built = true;
    for (const key of this.sets.keys()) ctx.enqueue(key);
    return true;
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
    const placement = placementOf(ds);
    const nodes = this.nodes.sorted().map((n) => this.nodes.get(n)!);
    const minReady = int(specOf(ds).minReadySeconds, 0);
    const strategy = isJsonObject(specOf(ds).updateStrategy) ? (specOf(ds).updateStrategy as JsonObject) : {};
    const rolling = strategy.type !== 'OnDelete';
    const rollingUpdate = isJsonObject(strategy.rollingUpdate) ? strategy.rollingUpdate : {};
    let desired = 0;
    for (const node of nodes) if (this.nodes.shouldRun(info.uid, placement, node)[0]) desired++;
    let maxSurge = rolling ? scaledValue(rollingUpdate.maxSurge ?? 0, desired, true) : 0;
    let maxUnavailable = rolling ? scaledValue(rollingUpdate.maxUnavailable ?? 1, desired, true) : 0;
    if (rolling && desired > 0 && maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
    if (!rolling) maxSurge = 0;

    const podRevision: PodRevision = { hash, generation };
    const { needing, doomed } = podsShouldBeOnNodes(
      {
        nodes,
        nodePods,
        shouldRun: (node) => this.nodes.shouldRun(info.uid, placement, node),
        known: (node) => this.nodes.has(node),
        hash,
        maxSurge,
        minReady,
        now,
      },
      (pod, node) => this.finished.goes(ds, info, pod, node, now, this.events, ctx),
    );
    const wrote = this.syncNodes(ds, needing, doomed, podRevision, ctx);
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
      this.syncNodes(ds, step.needing, step.doomed, podRevision, ctx);
    }
    cleanupHistory(ds, old, nodePods, ctx);
    updateStatus(
      ds,
      info.key,
      info.generation,
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
    for (const key of this.pods.ownedBy(info.uid)) {
      const pod = this.pods.get(key)!;
      if (matchesLabels(info.selector, pod.labels)) {
        add(pod);
        continue;
      }
      changed = releasePod(ctx, DAEMONSET_CONTROLLER, pod, info.uid) || changed;
    }
    const ref = controllerRef(ds);
    for (const key of this.pods.orphansIn(info.namespace)) {
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

  /** Creates pods for `needing` nodes and deletes `doomed` pods; returns whether it wrote anything. */
  private syncNodes(
    ds: KubeObject,
    needing: readonly string[],
    doomed: readonly DaemonPod[],
    revision: PodRevision,
    ctx: ControllerContext,
  ): boolean {
    return syncNodes(ds, needing, doomed, revision, (node) => this.nodes.has(node), this.events, ctx);
  }

  /** Which nodes should run the set's pod, as the rollout asks it. */
  private viewOf(info: SetInfo, placement: Placement): NodeView {
    return {
      runs: (name) => {
        const node = this.nodes.get(name);
        return node !== undefined && this.nodes.shouldRun(info.uid, placement, node)[0];
      },
      known: (name) => this.nodes.has(name),
    };
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

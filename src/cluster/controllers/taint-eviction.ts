/**
 * The taint-eviction-controller (`pkg/controller/tainteviction`): pods bound to a node with a
 * NoExecute taint they do not tolerate are deleted (`TaintManagerEviction`: `Marking for
 * deletion Pod default/web-…`, after a `DisruptionTarget` condition with reason
 * `DeletionByTaintManager`). A pod that tolerates every NoExecute taint of its node, some with
 * `tolerationSeconds`, is deleted once the shortest of those has passed since the taint appeared
 * (a progress wake-up), so the default 300 s tolerations of `not-ready`/`unreachable` evict pods
 * five minutes after their node stops being Ready. Removing the taint in time cancels it
 * (`Cancelling deletion of Pod …`).
 *
 * The node taints are those the control plane keeps (`effectiveTaints`: `spec.taints`, plus the
 * not-ready/unreachable taints of a node that is not Ready, since `timeAdded`, the Ready
 * condition's transition). A taint without `timeAdded` counts from when this controller first saw
 * it; that moment is kept with the cluster, so the countdown survives the end of a command.
 * Pods are looked at only on tainted nodes: a node gaining a NoExecute taint lists its pods once.
 */

import { isJsonObject, type JsonObject } from '../api/machinery/json-values.js';
import { rfc3339 } from '../api/machinery/object-stamps.js';
import type { Controller, ControllerContext, WatchEvent } from '../runtime/types.js';
import {
  effectiveTaints,
  type Taint,
  type Toleration,
  toleratesTaint,
  tolerationsOf,
} from '../scheduler/predicates.js';
import type { KubeObject } from '../store/types.js';
import { isDeleting, isNotFound, nameOf, namespaceOf, specOf, statusOf } from './shared.js';

/** The controller's name (event source, field manager). */
export const TAINT_EVICTION_CONTROLLER = 'taint-eviction-controller';
/** Meta key: when NoExecute taints without `timeAdded` were first seen (`node\0key\0value` → ms). */
const FIRST_SEEN_META = 'taint-eviction.first-seen';
const BUILD_KEY = '@nodes';

/** A node's NoExecute taints with when each started (ms). */
interface TaintedNode {
  readonly taints: readonly { readonly taint: Taint; readonly id: string }[];
  readonly fingerprint: string;
}

const taintId = (node: string, t: Taint) => `${node}\0${t.key}\0${t.value ?? ''}`;

/** The controller's state for one open cluster. */
class TaintEvictionController {
  private built = false;
  private readonly nodes = new Map<string, TaintedNode>();
  /** Pods with an eviction scheduled (to record its cancellation). */
  private readonly scheduled = new Set<string>();
  private firstSeen: Record<string, number> | undefined;

  reset(): void {
    this.built = false;
    this.nodes.clear();
    this.scheduled.clear();
    this.firstSeen = undefined;
  }

  observe(event: WatchEvent, ctx: ControllerContext): void {
    if (!this.built) {
      ctx.enqueue(BUILD_KEY);
      return;
    }
    if (event.key.resource === 'nodes') {
      if (this.setNode(event.key.name, event.type === 'DELETED' ? undefined : event.object))
        ctx.enqueue(`node:${event.key.name}`);
      return;
    }
    const key = `${event.key.namespace}/${event.key.name}`;
    if (event.type === 'DELETED') {
      this.scheduled.delete(key);
      return;
    }
    const node = specOf(event.object).nodeName;
    if (typeof node === 'string' && (this.nodes.has(node) || this.scheduled.has(key)))
      ctx.enqueue(`pod:${key}`);
  }

  /** Records a node's NoExecute taints; returns whether they changed. */
  private setNode(name: string, node: KubeObject | undefined): boolean {
    const taints = node === undefined ? [] : effectiveTaints(node).filter((t) => t.effect === 'NoExecute');
    const fingerprint = JSON.stringify(taints);
    const before = this.nodes.get(name);
    if ((before?.fingerprint ?? '[]') === fingerprint) return false;
    if (taints.length === 0) this.nodes.delete(name);
    else
      this.nodes.set(name, {
        taints: taints.map((taint) => ({ taint, id: taintId(name, taint) })),
        fingerprint,
      });
    return true;
  }

  reconcile(key: string, ctx: ControllerContext): void {
    if (!this.built) {
      for (const node of ctx.api.list('nodes').items) {
        this.setNode(nameOf(node), node);
        if (this.nodes.has(nameOf(node))) ctx.enqueue(`node:${nameOf(node)}`);
      }
      this.built = true;
    }
    if (key.startsWith('node:')) this.syncNode(key.slice(5), ctx);
    else if (key.startsWith('pod:')) this.syncPod(key.slice(4), ctx);
  }

  private seen(ctx: ControllerContext): Record<string, number> {
    if (this.firstSeen === undefined) {
      const stored = ctx.meta.get(FIRST_SEEN_META);
      this.firstSeen = isJsonObject(stored) ? ({ ...stored } as Record<string, number>) : {};
    }
    return this.firstSeen;
  }

  /** Remembers when the node's taints without `timeAdded` appeared; then looks at its pods. */
  private syncNode(name: string, ctx: ControllerContext): void {
    const seen = this.seen(ctx);
    const tainted = this.nodes.get(name);
    const now = ctx.now().getTime();
    let changed = false;
    const live = new Set(tainted?.taints.map((t) => t.id) ?? []);
    for (const id of Object.keys(seen)) {
      if (id.startsWith(`${name}\0`) && !live.has(id)) {
        delete seen[id];
        changed = true;
      }
    }
    for (const t of tainted?.taints ?? []) {
      if (t.taint.timeAdded === undefined && seen[t.id] === undefined) {
        seen[t.id] = now;
        changed = true;
      }
    }
    if (changed) ctx.meta.set(FIRST_SEEN_META, { ...seen });
    // Its pods: evicted, scheduled for eviction, or (the taints went) cancelled.
    const pods = ctx.api.list('pods', { fieldSelector: `spec.nodeName=${name}` }).items;
    for (const pod of pods) this.process(pod, name, ctx);
  }

  private syncPod(key: string, ctx: ControllerContext): void {
    const slash = key.indexOf('/');
    let pod: KubeObject;
    try {
      pod = ctx.api.get('pods', key.slice(0, slash), key.slice(slash + 1));
    } catch (error) {
      if (isNotFound(error)) {
        this.scheduled.delete(key);
        return;
      }
      throw error;
    }
    const node = specOf(pod).nodeName;
    this.process(pod, typeof node === 'string' ? node : '', ctx);
  }

  /** `processPodOnNode`: evicts now, schedules the eviction, or cancels it. */
  private process(pod: KubeObject, node: string, ctx: ControllerContext): void {
    const key = `${namespaceOf(pod)}/${nameOf(pod)}`;
    const phase = statusOf(pod).phase;
    const tainted = this.nodes.get(node);
    if (tainted === undefined || isDeleting(pod) || phase === 'Succeeded' || phase === 'Failed') {
      this.cancel(pod, key, ctx);
      return;
    }
    const tolerations = tolerationsOf(pod);
    const now = ctx.now().getTime();
    let evictAt = Number.POSITIVE_INFINITY;
    for (const { taint, id } of tainted.taints) {
      const used = tolerations.find((t) => toleratesTaint(t, taint));
      if (used === undefined) {
        evictAt = now;
        break;
      }
      const seconds = tolerationSecondsOf(used);
      if (seconds === undefined) continue;
      const since = taint.timeAdded !== undefined ? Date.parse(taint.timeAdded) : (this.seen(ctx)[id] ?? now);
      evictAt = Math.min(evictAt, (Number.isFinite(since) ? since : now) + Math.max(0, seconds) * 1000);
    }
    if (!Number.isFinite(evictAt)) {
      this.cancel(pod, key, ctx);
      return;
    }
    if (evictAt > now) {
      this.scheduled.add(key);
      ctx.after(`pod:${key}`, evictAt - now, 'progress');
      return;
    }
    this.scheduled.delete(key);
    this.evict(pod, key, ctx);
  }

  private cancel(pod: KubeObject, key: string, ctx: ControllerContext): void {
    if (!this.scheduled.delete(key)) return;
    if (isDeleting(pod)) return;
    ctx
      .recorder(TAINT_EVICTION_CONTROLLER)
      .record(pod, 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`);
  }

  /** Marks the pod as disrupted and deletes it (`addConditionAndDeletePod`). */
  private evict(pod: KubeObject, key: string, ctx: ControllerContext): void {
    ctx
      .recorder(TAINT_EVICTION_CONTROLLER)
      .record(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`);
    const status = statusOf(pod);
    const conditions = (Array.isArray(status.conditions) ? status.conditions : []).filter(isJsonObject);
    if (!conditions.some((c) => c.type === 'DisruptionTarget' && c.status === 'True')) {
      const condition: JsonObject = {
        type: 'DisruptionTarget',
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: rfc3339(ctx.now()),
        reason: 'DeletionByTaintManager',
        message: 'Taint manager: deleting due to NoExecute taint',
      };
      try {
        pod = ctx.api.update(
          {
            ...pod,
            status: {
              ...status,
              conditions: [...conditions.filter((c) => c.type !== 'DisruptionTarget'), condition],
            },
          },
          { subresource: 'status', fieldManager: TAINT_EVICTION_CONTROLLER },
        );
      } catch (error) {
        if (isNotFound(error)) return;
        throw error;
      }
    }
    try {
      ctx.api.delete('pods', namespaceOf(pod), nameOf(pod), { fieldManager: TAINT_EVICTION_CONTROLLER });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}

function tolerationSecondsOf(t: Toleration): number | undefined {
  const s = t.tolerationSeconds;
  return typeof s === 'number' && Number.isFinite(s) ? s : undefined;
}

/** Builds the taint-eviction-controller. */
export function taintEvictionController(): Controller {
  const controller = new TaintEvictionController();
  return {
    name: TAINT_EVICTION_CONTROLLER,
    resources: ['nodes', 'pods'],
    observe: (event, ctx) => controller.observe(event, ctx),
    reconcile: (key, ctx) => controller.reconcile(key, ctx),
    reset: () => controller.reset(),
  };
}

/**
 * The default-scheduler's state for one open cluster and its work: observing the watch events,
 * scheduling and binding one pod per reconcile, and retrying waiting pods when a node changes
 * (see `index.ts` for the behaviour as a whole).
 */

import { isJsonObject } from '../api/machinery/json-values.js';
import { ApiError } from '../api/types.js';
import { type ControllerContext, objectKey, splitKey } from '../runtime/types.js';
import type { KubeObject, WatchEvent } from '../store/types.js';
import { prepareAffinity } from './affinity.js';
import { SchedulerCache } from './cache.js';
import { type CycleEnvironment, type CycleOutcome, filterNode, runCycle } from './framework.js';
import { SCHEDULING_GATED_MESSAGE } from './messages.js';
import {
  CompiledPods,
  type NamespaceLabels,
  type PodSchedulingInfo,
  schedulingSignature,
} from './pod-info.js';
import { evictVictims, metaOf, pendingForUs, SCHEDULER_NAME, setCondition, str } from './pod-status.js';
import { bindVolumes, claimBound, prepareVolumes } from './volumes.js';
import { type HeldPod, park, unpark, type Waiting, type WaitingGroup, type WaitingState } from './waiting.js';

/** The work-queue key that retries waiting pods against the nodes that changed. */
const RETRY_KEY = '@retry';
/**
 * Retries run at once up to this many times at one instant; beyond, 1 s later (a pod's initial
 * scheduling back-off in Kubernetes), so a burst of deletions does not retry after each one.
 */
const RETRIES_PER_INSTANT = 50;
const RETRY_BACKOFF_MS = 1000;
/** Groups up to this size are retried whole; larger ones one pod after the other. */
const RETRY_WHOLE_GROUP = 32;

/** The scheduler's state for one open cluster. */
export class Scheduler implements WaitingState {
  readonly cache = new SchedulerCache();
  readonly compiled = new CompiledPods();
  built = false;
  builtRevision = 0;
  readonly waiting = new Map<string, Waiting>();
  readonly groups = new Map<string, WaitingGroup>();
  /** `pvc:<ns>/<name>` / `sc:<name>` → pods waiting for it. */
  readonly waiters = new Map<string, Set<string>>();
  /** Pods held on a node while their claims bind: pod key → node, claim keys, the pod as compiled. */
  readonly volumeBinds = new Map<string, HeldPod>();
  /**
   * The last observed state of pods queued for scheduling (dropped once they are handled), so a
   * cycle does not read back what the watch already delivered.
   */
  readonly queued = new Map<string, KubeObject>();
  /** Nodes that changed since the last retry. */
  readonly dirty = new Set<string>();
  /** Waiting groups with required pod affinity (a pod arriving somewhere may help them). */
  affinityGroups = 0;
  nextStartNodeIndex = 0;
  /** Retries run at the instant `retryInstant`. */
  retryCount = 0;
  retryInstant = 0;

  reset(): void {
    this.cache.clear();
    this.compiled.clear();
    this.built = false;
    this.builtRevision = 0;
    this.waiting.clear();
    this.groups.clear();
    this.waiters.clear();
    this.volumeBinds.clear();
    this.queued.clear();
    this.dirty.clear();
    this.affinityGroups = 0;
  }

  // ------------------------------------------------------------------------------------------
  // Observing

  observe(event: WatchEvent, ctx: ControllerContext): void {
    const resource = event.key.resource;
    if (resource === 'pods') this.observePod(event, ctx);
    else if (resource === 'nodes') this.observeNode(event, ctx);
    else if (resource === 'persistentvolumeclaims') {
      const key = `pvc:${event.key.namespace}/${event.key.name}`;
      if (!this.built) ctx.enqueue(RETRY_KEY);
      else this.wake(key, ctx);
    } else if (resource === 'storageclasses.storage.k8s.io') {
      if (!this.built) ctx.enqueue(RETRY_KEY);
      else this.wake(`sc:${event.key.name}`, ctx);
    } else if (resource === 'persistentvolumes') {
      // A volume becoming available may help pods whose claims wait for their first consumer.
      if (event.type !== 'DELETED')
        for (const key of this.waiters.keys()) if (key.startsWith('pvc:')) this.wake(key, ctx);
    }
  }

  private observePod(event: WatchEvent, ctx: ControllerContext): void {
    const key = `${event.key.namespace}/${event.key.name}`;
    const deleted = event.type === 'DELETED';
    if (this.built && event.revision > this.builtRevision) {
      const change = this.cache.setPod(key, deleted ? undefined : event.object);
      if (change.freed !== undefined) this.markDirty(change.freed, ctx);
      if (change.gained !== undefined && this.affinityGroups > 0) this.markDirty(change.gained, ctx);
    }
    if (deleted || !pendingForUs(event.object)) {
      unpark(this, key);
      this.queued.delete(key);
      if (this.volumeBinds.delete(key) && deleted) this.cache.forget(key);
      return;
    }
    if (!this.built || event.type === 'ADDED') {
      this.queue(key, event.object, ctx);
      return;
    }
    if (this.queued.has(key)) {
      this.queued.set(key, event.object);
      return;
    }
    const waiting = this.waiting.get(key);
    if (waiting !== undefined && waiting.signature !== schedulingSignature(event.object)) {
      // Its spec changed (a toleration added, gates removed): try again.
      unpark(this, key);
      this.queue(key, event.object, ctx);
    }
  }

  private observeNode(event: WatchEvent, ctx: ControllerContext): void {
    if (!this.built) {
      ctx.enqueue(RETRY_KEY);
      return;
    }
    if (event.revision <= this.builtRevision) return;
    const name = event.key.name;
    const change = this.cache.setNode(event.type === 'DELETED' ? undefined : event.object, name);
    if (change === 'added' || change === 'changed') this.markDirty(name, ctx);
  }

  private queue(key: string, pod: KubeObject, ctx: ControllerContext): void {
    this.queued.set(key, pod);
    ctx.enqueue(key);
  }

  private markDirty(node: string, ctx: ControllerContext): void {
    if (this.waiting.size === 0) return;
    this.dirty.add(node);
    if (this.retryCount >= RETRIES_PER_INSTANT && ctx.now().getTime() === this.retryInstant)
      ctx.after(RETRY_KEY, RETRY_BACKOFF_MS, 'progress');
    else ctx.enqueue(RETRY_KEY);
  }

  /** Retries the pods waiting for a claim or a class. */
  private wake(waitKey: string, ctx: ControllerContext): void {
    const pods = this.waiters.get(waitKey);
    if (pods === undefined) return;
    this.waiters.delete(waitKey);
    for (const key of pods) ctx.enqueue(key);
  }

  // ------------------------------------------------------------------------------------------
  // Reconciling

  reconcile(key: string, ctx: ControllerContext): void {
    if (this.ensureBuilt(ctx)) {
      if (key === RETRY_KEY) return;
    }
    if (key === RETRY_KEY) {
      this.retry(ctx);
      return;
    }
    const { namespace, name } = splitKey(key);
    let pod: KubeObject | undefined = this.queued.get(key);
    this.queued.delete(key);
    try {
      pod ??= ctx.api.get('pods', namespace, name);
    } catch (error) {
      if (error instanceof ApiError && error.code === 404) {
        unpark(this, key);
        if (this.volumeBinds.delete(key)) this.cache.forget(key);
        return;
      }
      throw error;
    }
    if (!pendingForUs(pod)) {
      unpark(this, key);
      this.volumeBinds.delete(key);
      return;
    }
    const held = this.volumeBinds.get(key);
    if (held !== undefined) {
      this.finishVolumeBind(key, pod, held, ctx);
      return;
    }
    const env = this.environment(ctx);
    const info = this.compiled.compile(pod, env.namespaceLabels, env.classPriority);
    if (info.gated) {
      setCondition(pod, 'SchedulingGated', SCHEDULING_GATED_MESSAGE, ctx);
      park(this, key, info, []);
      return;
    }
    const outcome = runCycle(info, env);
    this.nextStartNodeIndex = env.nextStartNodeIndex;
    this.apply(key, pod, info, outcome, ctx);
  }

  private apply(
    key: string,
    pod: KubeObject,
    info: PodSchedulingInfo,
    outcome: CycleOutcome,
    ctx: ControllerContext,
  ): void {
    if (outcome.kind !== 'scheduled') {
      const reason = outcome.kind === 'error' ? 'SchedulerError' : 'Unschedulable';
      let nominated: string | undefined;
      if (outcome.kind === 'preempt') {
        evictVictims(info, outcome.node, outcome.victims, ctx);
        nominated = outcome.node;
      }
      if (setCondition(pod, reason, outcome.message, ctx, nominated))
        ctx.recorder(SCHEDULER_NAME).record(pod, 'Warning', 'FailedScheduling', outcome.message);
      const group = this.groups.get(info.signature);
      if (group !== undefined) group.chaining = false;
      park(this, key, info, outcome.kind === 'preempt' ? [] : outcome.waitOn);
      return;
    }
    const node = outcome.node.name;
    if (outcome.volumes !== undefined && outcome.volumes.delayed.length > 0) {
      const claims = bindVolumes(outcome.volumes, outcome.node, ctx.api, SCHEDULER_NAME);
      this.cache.assume(pod, node);
      this.volumeBinds.set(key, { node, claims, info });
      park(
        this,
        key,
        info,
        claims.map((c) => `pvc:${c}`),
        false,
      );
      return;
    }
    this.bind(key, pod, node, ctx);
  }

  private bind(key: string, pod: KubeObject, node: string, ctx: ControllerContext): void {
    const meta = metaOf(pod);
    let bound: KubeObject;
    try {
      bound = ctx.api.bind(str(meta.namespace), str(meta.name), node, { fieldManager: SCHEDULER_NAME });
    } catch (error) {
      // Deleted, or bound by someone else, meanwhile: nothing left to do.
      if (error instanceof ApiError && (error.code === 404 || error.code === 409)) {
        unpark(this, key);
        return;
      }
      throw error;
    }
    ctx
      .recorder(SCHEDULER_NAME)
      .record(
        bound,
        'Normal',
        'Scheduled',
        `Successfully assigned ${str(meta.namespace)}/${str(meta.name)} to ${node}`,
      );
    const waiting = this.waiting.get(key);
    unpark(this, key);
    // Replicas retried one at a time: the next one may fit too.
    const group = waiting?.group;
    if (group?.chaining) {
      const next = group.pods.values().next();
      if (next.done) group.chaining = false;
      else ctx.enqueue(next.value);
    }
  }

  /** Binds a pod held for its claims once they are all bound. */
  private finishVolumeBind(key: string, pod: KubeObject, held: HeldPod, ctx: ControllerContext): void {
    for (const claimKey of held.claims) {
      const { namespace, name } = splitKey(claimKey);
      let claim: KubeObject | undefined;
      try {
        claim = ctx.api.get('persistentvolumeclaims', namespace, name);
      } catch (error) {
        if (!(error instanceof ApiError && error.code === 404)) throw error;
      }
      if (claim === undefined) {
        // The claim went away: give the node back and start over.
        this.volumeBinds.delete(key);
        this.cache.forget(key);
        unpark(this, key);
        ctx.enqueue(key);
        return;
      }
      if (!claimBound(claim)) {
        park(
          this,
          key,
          held.info,
          held.claims.map((c) => `pvc:${c}`),
          false,
        );
        return;
      }
    }
    this.volumeBinds.delete(key);
    this.bind(key, pod, held.node, ctx);
  }

  /** Retries waiting pods that would fit on a node that changed. */
  private retry(ctx: ControllerContext): void {
    const now = ctx.now().getTime();
    if (now !== this.retryInstant) {
      this.retryInstant = now;
      this.retryCount = 0;
    }
    this.retryCount++;
    const dirty = [...this.dirty];
    this.dirty.clear();
    if (dirty.length === 0 || this.groups.size === 0) return;
    const env = this.environment(ctx);
    for (const group of [...this.groups.values()]) {
      if (group.chaining) {
        // Its retry is under way; make sure the current member runs.
        const head = group.pods.values().next();
        if (!head.done) ctx.enqueue(head.value);
        continue;
      }
      const info = group.info;
      const volumes = info.claims.length > 0 ? prepareVolumes(info, ctx.api) : undefined;
      if (volumes?.reject !== undefined || volumes?.error !== undefined) continue;
      const affinity = prepareAffinity(info, this.cache, env.namespaceLabels);
      const fits = dirty.some((name) => {
        const node = this.cache.nodes.get(name);
        return node !== undefined && filterNode(info, node.view, node.usage, affinity, volumes) === undefined;
      });
      if (!fits) continue;
      if (group.pods.size <= RETRY_WHOLE_GROUP) {
        for (const key of group.pods) ctx.enqueue(key);
      } else {
        group.chaining = true;
        ctx.enqueue(group.pods.values().next().value!);
      }
    }
  }

  private environment(ctx: ControllerContext): CycleEnvironment {
    let namespaces: Map<string, Record<string, string>> | undefined;
    const namespaceLabels: NamespaceLabels = () => {
      if (namespaces === undefined) {
        namespaces = new Map();
        for (const ns of ctx.api.list('namespaces').items) {
          const meta = metaOf(ns);
          namespaces.set(
            str(meta.name),
            (isJsonObject(meta.labels) ? meta.labels : {}) as Record<string, string>,
          );
        }
      }
      return namespaces;
    };
    let classes: Map<string, number> | undefined;
    const classPriority = (name: string): number | undefined => {
      if (classes === undefined) {
        classes = new Map();
        for (const pc of ctx.api.list('priorityclasses.scheduling.k8s.io').items)
          if (typeof pc.value === 'number') classes.set(str(metaOf(pc).name), pc.value);
      }
      return classes.get(name);
    };
    return {
      cache: this.cache,
      api: ctx.api,
      namespaceLabels,
      classPriority,
      nextStartNodeIndex: this.nextStartNodeIndex,
    };
  }

  /** Builds the cache from one list of nodes and one of pods; queues every pending pod. Returns whether it built. */
  private ensureBuilt(ctx: ControllerContext): boolean {
    if (this.built) return false;
    this.cache.clear();
    for (const node of ctx.api.list('nodes').items) this.cache.setNode(node, str(metaOf(node).name));
    const pods = ctx.api.list('pods');
    const revision = Number(pods.metadata.resourceVersion);
    for (const pod of pods.items) {
      const key = objectKey(pod);
      this.cache.setPod(key, pod);
      if (pendingForUs(pod)) ctx.enqueue(key);
    }
    this.builtRevision = revision;
    this.built = true;
    return true;
  }
}

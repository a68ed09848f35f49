/**
 * The controller runtime's contract: what a controller is, and what it gets to work with.
 *
 * Controllers (replicaset, deployment, scheduler, kubelet, …) are level-triggered, as in
 * Kubernetes: `observe` maps each change of a watched resource to work-queue keys, and
 * `reconcile(key)` reads the current state through the API and writes what should change. Time
 * is the cluster's (virtual) clock; a controller that needs to act later schedules its key with
 * `after`, and says whether that wake-up is *progress* (something happens by itself shortly: a
 * container finishes starting, a grace period ends, a Job's back-off elapses) or a *wait* (a retry
 * that would fail the same way, a deadline, a cron schedule). `settle()` jumps the clock to
 * progress wake-ups only, so a stuck state stays stuck instead of spinning; `advance(ms)` lets
 * every wake-up in that span happen.
 */

import type { ClusterApi } from '../api/machinery/cluster-api.js';
import type { EventRecorder } from '../api/machinery/events.js';
import type { SeededRandom } from '../api/machinery/seeded-random.js';
import type { KubeObject, WatchEvent } from '../store/types.js';

/** How a scheduled wake-up counts for `settle()`. */
export type WakeKind = 'progress' | 'wait';

/** Small, durable controller state (IP allocation, the simulated registry, metrics), kept with the cluster. */
export interface MetaAccess {
  get(name: string): unknown;
  set(name: string, value: unknown): void;
}

/** What a controller works with. */
export interface ControllerContext {
  /** The in-process API server (every write goes through it: validation, events, GC). */
  readonly api: ClusterApi;
  /** The cluster clock. */
  now(): Date;
  /** Queues `key` of controller `controller` (default: the calling controller) to reconcile now. */
  enqueue(key: string, controller?: string): void;
  /**
   * Reconciles `key` of the calling controller (or `controller`) `delayMs` from now. One pending
   * wake-up per key: the earliest wins. Every reconcile should schedule what it still needs
   * (wake-ups are consumed when they fire).
   */
  after(key: string, delayMs: number, kind: WakeKind, controller?: string): void;
  /** An event recorder for a component (`deployment-controller`, `kubelet` with its node as host). */
  recorder(component: string, host?: string): EventRecorder;
  /** Draws from the cluster's seeded generator (its state is stored with the cluster). */
  draw<T>(fn: (random: SeededRandom) => T): T;
  /** Durable meta values (stored in the same transaction as the controller's writes). */
  readonly meta: MetaAccess;
  /** Another controller, by name (for the few that share a cache, e.g. the scheduler's node usage). */
  controller<T extends Controller>(name: string): T | undefined;
}

/** One controller. */
export interface Controller {
  /** Its name, also the `source.component` of its events: `replicaset-controller`, `kubelet`. */
  readonly name: string;
  /** Store resources it observes: `pods`, `replicasets.apps`, `nodes`, … */
  readonly resources: readonly string[];
  /**
   * Called for every change of an observed resource, in revision order (and, on a resync, with
   * a synthetic ADDED per existing object). Updates caches and enqueues keys; never writes.
   */
  observe(event: WatchEvent, ctx: ControllerContext): void;
  /**
   * Reconciles one key: reads through `ctx.api`, writes what should change. Runs in a store
   * savepoint: a throw undoes its writes and the key is retried later (a 409 Conflict at once).
   */
  reconcile(key: string, ctx: ControllerContext): void;
  /** Drops caches (the runtime lost track of changes and is about to resync). */
  reset?(): void;
}

/** Builds a controller (one instance per open cluster). */
export type ControllerFactory = () => Controller;

/** A reconcile that threw (kept for tests and `bosun cluster status`). */
export interface ReconcileError {
  readonly controller: string;
  readonly key: string;
  readonly at: string;
  readonly message: string;
}

/** The namespace/name key most controllers use. */
export function objectKey(object: KubeObject): string {
  const meta = (object.metadata ?? {}) as Record<string, unknown>;
  const namespace = typeof meta.namespace === 'string' ? meta.namespace : '';
  const name = typeof meta.name === 'string' ? meta.name : '';
  return namespace === '' ? name : `${namespace}/${name}`;
}

/** Splits an {@link objectKey} into namespace ('' for cluster-scoped) and name. */
export function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return slash < 0
    ? { namespace: '', name: key }
    : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** The watch event of a change, for `observe`. */
export type { WatchEvent };

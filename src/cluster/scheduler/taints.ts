/**
 * Taints and tolerations as the scheduler, the DaemonSet controller, the taint-eviction controller
 * and the kubelet's admission share them (`v1helper.ToleratesTaint`), including the taints the node
 * lifecycle controller derives from a node's state.
 */

import { isJsonObject, type JsonObject, listAt, objectAt } from '../api/machinery/json-values.js';
import type { KubeObject } from '../store/types.js';

/** A node taint (`v1.Taint`). */
export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
  /** RFC 3339; set for NoExecute taints by whoever adds them. */
  readonly timeAdded?: string;
}

/** A pod toleration (`v1.Toleration`). */
export interface Toleration {
  readonly key?: string;
  readonly operator?: string;
  readonly value?: string;
  readonly effect?: string;
  readonly tolerationSeconds?: number;
}

/** The taint the node lifecycle controller puts on a node whose Ready condition is False. */
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
/** The taint the node lifecycle controller puts on a node whose Ready condition is Unknown. */
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
/** The taint a cordoned node carries (`TaintNodeUnschedulable`). */
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

/** The effects that keep a pod off a node (`DoNotScheduleTaintsFilterFunc`). */
export const DO_NOT_SCHEDULE: readonly string[] = ['NoSchedule', 'NoExecute'];

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** `Toleration.ToleratesTaint`: an empty effect or key matches any; `Exists` ignores the value. */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? '') {
    case '':
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

/** Whether any of `tolerations` tolerates `taint` (`TolerationsTolerateTaint`). */
export function tolerates(tolerations: readonly Toleration[], taint: Taint): boolean {
  for (const t of tolerations) if (toleratesTaint(t, taint)) return true;
  return false;
}

/** A pod's `spec.tolerations`. */
export function tolerationsOf(pod: KubeObject): Toleration[] {
  return listAt(pod.spec, 'tolerations').filter(isJsonObject) as Toleration[];
}

/** A node's `spec.taints` as stored. */
export function specTaints(node: KubeObject): Taint[] {
  return listAt(node.spec, 'taints').filter(
    (t): t is JsonObject => isJsonObject(t) && typeof t.key === 'string' && typeof t.effect === 'string',
  ) as unknown as Taint[];
}

/** The Ready condition of a node: 'True', 'False', 'Unknown', or undefined when it reports none. */
export function nodeReadyCondition(node: KubeObject): JsonObject | undefined {
  for (const c of listAt(node.status, 'conditions')) if (isJsonObject(c) && c.type === 'Ready') return c;
  return undefined;
}

/**
 * A node's taints as the control plane keeps them: `spec.taints`, plus what the node lifecycle
 * controller adds from the node's state when they are not there already (`TaintNodesByCondition`
 * and taint-based eviction): `node.kubernetes.io/not-ready` (Ready False) or
 * `node.kubernetes.io/unreachable` (Ready Unknown, or no Ready condition reported), both NoSchedule
 * and NoExecute (added when Ready changed), and `node.kubernetes.io/unschedulable:NoSchedule` on a
 * cordoned node.
 */
export function effectiveTaints(node: KubeObject): Taint[] {
  const taints = specTaints(node);
  const has = (key: string, effect: string) => taints.some((t) => t.key === key && t.effect === effect);
  const extra: Taint[] = [];
  const ready = nodeReadyCondition(node);
  if (ready?.status !== 'True') {
    const key = ready?.status === 'False' ? TAINT_NOT_READY : TAINT_UNREACHABLE;
    const since = str(ready?.lastTransitionTime);
    if (!has(key, 'NoSchedule')) extra.push({ key, effect: 'NoSchedule' });
    if (!has(key, 'NoExecute'))
      extra.push({ key, effect: 'NoExecute', ...(since === undefined ? {} : { timeAdded: since }) });
  }
  if (objectAt(node, 'spec')?.unschedulable === true && !has(TAINT_UNSCHEDULABLE, 'NoSchedule'))
    extra.push({ key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' });
  return extra.length === 0 ? taints : [...taints, ...extra];
}

/**
 * The first of `taints` with one of `effects` that `tolerations` do not tolerate
 * (`FindMatchingUntoleratedTaint`), or undefined.
 */
export function firstUntolerated(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
  effects: readonly string[] = DO_NOT_SCHEDULE,
): Taint | undefined {
  for (const taint of taints) {
    if (!effects.includes(taint.effect)) continue;
    if (!tolerates(tolerations, taint)) return taint;
  }
  return undefined;
}

/**
 * The first of the node's taints (its {@link effectiveTaints}) with one of `effects` that the pod
 * does not tolerate, or undefined when it tolerates them all.
 */
export function untoleratedTaint(
  pod: KubeObject,
  node: KubeObject,
  effects: readonly string[] = DO_NOT_SCHEDULE,
): Taint | undefined {
  return firstUntolerated(effectiveTaints(node), tolerationsOf(pod), effects);
}

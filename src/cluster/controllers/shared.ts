/**
 * What the workload controllers share (Kubernetes' `controller_utils.go` and `pod_util.go`):
 * owner references, pods from templates, pod readiness and availability, selectors, and the
 * template hash the bootstrap also uses, so controllers find the bootstrapped objects as theirs.
 */

import type { ClusterApi } from '../api/machinery/cluster-api.js';
import { cloneJson, getOwn, isJsonObject, type JsonObject, labelsOf } from '../api/machinery/json-values.js';
import {
  type LabelSelector,
  labelSelectorFromObject,
  matchesLabels,
} from '../api/machinery/label-selector.js';
import { rfc3339 } from '../api/machinery/object-stamps.js';
import { ApiError } from '../api/types.js';
import {
  controllerRef as bootstrapControllerRef,
  templateHash as bootstrapTemplateHash,
} from '../bootstrap/context.js';
import type { ControllerContext } from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';

export type { JsonObject };
export { rfc3339 };

/** `metadata` of an object (a fresh empty object when absent). */
export function meta(object: KubeObject): JsonObject {
  const m = object.metadata;
  return isJsonObject(m) ? m : {};
}

export const nameOf = (object: KubeObject): string => String(meta(object).name ?? '');
export const namespaceOf = (object: KubeObject): string => String(meta(object).namespace ?? '');
export const uidOf = (object: KubeObject): string => String(meta(object).uid ?? '');
export const labels = (object: KubeObject): Record<string, string> => labelsOf(object);
export const annotations = (object: KubeObject): Record<string, string> => {
  const a = meta(object).annotations;
  return isJsonObject(a) ? (a as Record<string, string>) : {};
};
export const isDeleting = (object: KubeObject): boolean => meta(object).deletionTimestamp != null;

/** `spec` / `status` as objects (empty when absent). */
export const specOf = (object: KubeObject): JsonObject => (isJsonObject(object.spec) ? object.spec : {});
export const statusOf = (object: KubeObject): JsonObject =>
  isJsonObject(object.status) ? object.status : {};

/** A controller owner reference to `owner` (`controller: true`, `blockOwnerDeletion: true`). */
export function controllerRef(owner: KubeObject, blockOwnerDeletion = true): JsonObject {
  return bootstrapControllerRef(owner, blockOwnerDeletion);
}

/** The controller owner reference of an object, if any. */
export function controllerOf(object: KubeObject): JsonObject | undefined {
  const refs = meta(object).ownerReferences;
  if (!Array.isArray(refs)) return undefined;
  return refs.find((r): r is JsonObject => isJsonObject(r) && r.controller === true);
}

/** Whether `object` is controlled by an owner of `kind` (and, when given, that uid). */
export function isControlledBy(object: KubeObject, kind: string, uid?: string): boolean {
  const ref = controllerOf(object);
  return ref !== undefined && ref.kind === kind && (uid === undefined || ref.uid === uid);
}

/**
 * The `pod-template-hash` / `controller-revision-hash` of a template: FNV-1a of its canonical
 * JSON mapped through Kubernetes' safe alphabet (`7c8bbcd9bc`), plus the collision count.
 */
export function templateHash(template: unknown, collisionCount = 0): string {
  return bootstrapTemplateHash(template, collisionCount);
}

/** The selector of a workload's `spec.selector` (null/absent selects nothing). */
export function selectorOf(workload: KubeObject): LabelSelector {
  return labelSelectorFromObject(getOwn(specOf(workload), 'selector'));
}

/** Whether a selector selects an object's labels. */
export function selects(selector: LabelSelector, object: KubeObject): boolean {
  return matchesLabels(selector, labels(object));
}

/**
 * A pod for a controller to create from its template (`controller.GetPodFromTemplate`):
 * template labels, annotations and spec; `generateName` (or `name`); the owner reference;
 * `extraLabels` added (`pod-template-hash`, `controller-revision-hash`…).
 */
export function podFromTemplate(
  template: unknown,
  owner: KubeObject,
  options: {
    readonly namespace: string;
    readonly generateName?: string;
    readonly name?: string;
    readonly extraLabels?: Readonly<Record<string, string>>;
    readonly extraAnnotations?: Readonly<Record<string, string>>;
  },
): KubeObject {
  const t = isJsonObject(template) ? template : {};
  const tMeta = isJsonObject(t.metadata) ? t.metadata : {};
  const podLabels = { ...(isJsonObject(tMeta.labels) ? tMeta.labels : {}), ...(options.extraLabels ?? {}) };
  const podAnnotations = {
    ...(isJsonObject(tMeta.annotations) ? tMeta.annotations : {}),
    ...(options.extraAnnotations ?? {}),
  };
  const metadata: JsonObject = {
    ...(options.name !== undefined ? { name: options.name } : {}),
    ...(options.generateName !== undefined ? { generateName: options.generateName } : {}),
    namespace: options.namespace,
    labels: podLabels,
    ...(Object.keys(podAnnotations).length > 0 ? { annotations: podAnnotations } : {}),
    ownerReferences: [controllerRef(owner)],
  };
  if (Array.isArray(tMeta.finalizers) && tMeta.finalizers.length > 0)
    metadata.finalizers = [...tMeta.finalizers];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata,
    spec: cloneJson(isJsonObject(t.spec) ? t.spec : {}),
  };
}

/** A pod condition (`Ready`, `PodScheduled`…). */
export function podCondition(pod: KubeObject, type: string): JsonObject | undefined {
  const conditions = statusOf(pod).conditions;
  if (!Array.isArray(conditions)) return undefined;
  return conditions.find((c): c is JsonObject => isJsonObject(c) && c.type === type);
}

/** `podutil.IsPodReady`: the Ready condition is True. */
export function isPodReady(pod: KubeObject): boolean {
  return podCondition(pod, 'Ready')?.status === 'True';
}

/**
 * `podutil.IsPodAvailable`: ready for at least `minReadySeconds` (by the Ready condition's
 * `lastTransitionTime`) at `now`.
 */
export function isPodAvailable(pod: KubeObject, minReadySeconds: number, now: Date): boolean {
  const ready = podCondition(pod, 'Ready');
  if (ready?.status !== 'True') return false;
  if (minReadySeconds <= 0) return true;
  const since = Date.parse(String(ready.lastTransitionTime ?? ''));
  return Number.isFinite(since) && since + minReadySeconds * 1000 <= now.getTime();
}

/**
 * When a ready pod becomes available (ms since the epoch), for scheduling a wake-up; undefined
 * when it is not ready.
 */
export function availableAt(pod: KubeObject, minReadySeconds: number): number | undefined {
  const ready = podCondition(pod, 'Ready');
  if (ready?.status !== 'True') return undefined;
  const since = Date.parse(String(ready.lastTransitionTime ?? ''));
  return (Number.isFinite(since) ? since : 0) + Math.max(0, minReadySeconds) * 1000;
}

/** `controller.IsPodActive`: not Succeeded, not Failed, not being deleted. */
export function isPodActive(pod: KubeObject): boolean {
  const phase = statusOf(pod).phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !isDeleting(pod);
}

/** A `metav1.Condition`-style workload condition, updated as Kubernetes does (transition time kept when status is unchanged). */
export function setCondition(
  conditions: JsonObject[],
  next: { type: string; status: 'True' | 'False' | 'Unknown'; reason: string; message: string },
  now: Date,
  options: { lastUpdateTime?: boolean } = {},
): JsonObject[] {
  const time = rfc3339(now);
  const existing = conditions.find((c) => c.type === next.type);
  const keepTransition = existing !== undefined && existing.status === next.status;
  const condition: JsonObject = {
    type: next.type,
    status: next.status,
    ...(options.lastUpdateTime
      ? {
          lastUpdateTime:
            keepTransition && existing.reason === next.reason && existing.message === next.message
              ? existing.lastUpdateTime
              : time,
        }
      : {}),
    lastTransitionTime: keepTransition ? existing.lastTransitionTime : time,
    reason: next.reason,
    message: next.message,
  };
  return existing === undefined
    ? [...conditions, condition]
    : conditions.map((c) => (c.type === next.type ? condition : c));
}

/**
 * `intstr.GetScaledValueFromIntOrPercent`: a count, or a percentage of `total` rounded up or down.
 * Throws on anything else (validation has already refused it).
 */
export function scaledValue(value: unknown, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(String(value ?? ''));
  if (m === null) throw new Error(`invalid value for IntOrString: invalid value ${JSON.stringify(value)}`);
  const scaled = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/** An object through the API, or undefined when it does not exist (404). */
export function getOrUndefined(
  api: ClusterApi,
  resource: string,
  namespace: string,
  name: string,
): KubeObject | undefined {
  try {
    return api.get(resource, namespace, name);
  } catch (error) {
    if (error instanceof ApiError && error.status.code === 404) return undefined;
    throw error;
  }
}

/** A strategic merge patch of a pod by `manager`; false when the pod is gone. */
export function patchPod(
  ctx: ControllerContext,
  manager: string,
  pod: { readonly namespace: string; readonly name: string },
  patch: JsonObject,
): boolean {
  try {
    ctx.api.patch('pods', pod.namespace, pod.name, patch, 'strategic', { fieldManager: manager });
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.status.code === 404) return false;
    throw error;
  }
}

/**
 * Removes a pod's owner reference to `uid` (`ReleasePod`): it keeps running as an orphan. The
 * last reference goes as a whole (an empty list is not kept, as with Kubernetes' omitempty).
 * False when the pod is gone.
 */
export function releasePod(
  ctx: ControllerContext,
  manager: string,
  pod: { readonly namespace: string; readonly name: string },
  uid: string,
): boolean {
  const current = getOrUndefined(ctx.api, 'pods', pod.namespace, pod.name);
  if (current === undefined) return false;
  const refs = meta(current).ownerReferences;
  const others = Array.isArray(refs) ? refs.filter((r) => !isJsonObject(r) || r.uid !== uid) : [];
  return patchPod(ctx, manager, pod, {
    metadata: { ownerReferences: others.length === 0 ? null : [{ $patch: 'delete', uid }] },
  });
}

/** Whether an API error is a 404 NotFound. */
export const isNotFound = (error: unknown): boolean => error instanceof ApiError && error.status.code === 404;

/** A number field, or `fallback` when it is absent or not a finite number. */
export const numberOr = (v: unknown, fallback: number): number =>
  typeof v === 'number' && Number.isFinite(v) ? v : fallback;

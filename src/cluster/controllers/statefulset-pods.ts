/**
 * A StatefulSet's pods and claims (`pkg/controller/statefulset/stateful_set_utils.go`): stable
 * names `<set>-<ordinal>`, identity labels, the claims of `volumeClaimTemplates`
 * (`<template>-<set>-<ordinal>`), the pod health checks the ordered policies wait on, and the
 * revision data (`ControllerRevision`) a template is recorded as.
 */

import { cloneJson, isJsonObject, type JsonObject, labelsOf } from '../api/machinery/json-values.js';
import type { KubeObject } from '../store/types.js';
import {
  controllerRef,
  isDeleting,
  isPodAvailable,
  isPodReady,
  meta,
  nameOf,
  namespaceOf,
  podFromTemplate,
  specOf,
  statusOf,
  templateHash,
} from './shared.js';

/** Pod label with the pod's own name. */
export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
/** Pod label with the pod's ordinal. */
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
/** Pod label with the name of the revision the pod was made from. */
export const REVISION_LABEL = 'controller-revision-hash';

/** The first ordinal (`spec.ordinals.start`, default 0). */
export function startOrdinal(set: KubeObject): number {
  const ordinals = specOf(set).ordinals;
  const start = isJsonObject(ordinals) ? ordinals.start : undefined;
  return typeof start === 'number' && start >= 0 ? start : 0;
}

/** The desired replica count. */
export function replicasOf(set: KubeObject): number {
  const r = specOf(set).replicas;
  return typeof r === 'number' && r >= 0 ? r : 1;
}

/** The ordinal in a pod name `<set>-<ordinal>`, or -1 when the pod is not the set's. */
export function ordinalOf(set: KubeObject, pod: KubeObject): number {
  const name = nameOf(pod);
  const prefix = `${nameOf(set)}-`;
  if (!name.startsWith(prefix)) return -1;
  const rest = name.slice(prefix.length);
  return /^(0|[1-9][0-9]*)$/.test(rest) ? Number(rest) : -1;
}

export const podName = (set: KubeObject, ordinal: number): string => `${nameOf(set)}-${ordinal}`;

/** The claim templates of a set. */
export function claimTemplates(set: KubeObject): JsonObject[] {
  const t = specOf(set).volumeClaimTemplates;
  return Array.isArray(t) ? t.filter(isJsonObject) : [];
}

/** `<template>-<set>-<ordinal>`. */
export function claimName(set: KubeObject, template: JsonObject, ordinal: number): string {
  const name = isJsonObject(template.metadata) ? String(template.metadata.name ?? '') : '';
  return `${name}-${nameOf(set)}-${ordinal}`;
}

/** The `matchLabels` of the set's selector (what claims are labelled with). */
function selectorLabels(set: KubeObject): Record<string, string> {
  const selector = specOf(set).selector;
  const match = isJsonObject(selector) && isJsonObject(selector.matchLabels) ? selector.matchLabels : {};
  return Object.fromEntries(Object.entries(match).map(([k, v]) => [k, String(v)]));
}

/** Whether the set's claims are deleted with it / when scaled down (`persistentVolumeClaimRetentionPolicy`). */
export function retention(set: KubeObject): { whenDeleted: boolean; whenScaled: boolean } {
  const p = specOf(set).persistentVolumeClaimRetentionPolicy;
  const policy = isJsonObject(p) ? p : {};
  return { whenDeleted: policy.whenDeleted === 'Delete', whenScaled: policy.whenScaled === 'Delete' };
}

/** An owner reference to the set for claims deleted with it. */
export function setOwnerRef(set: KubeObject): JsonObject {
  return controllerRef(set);
}

/** A (non-controller) owner reference to a pod, for claims deleted with a condemned pod. */
export function podOwnerRef(pod: KubeObject): JsonObject {
  return { apiVersion: 'v1', kind: 'Pod', name: nameOf(pod), uid: String(meta(pod).uid ?? '') };
}

/**
 * The claims of one ordinal (`getPersistentVolumeClaims`): the template's metadata and spec,
 * the template labels plus the selector's `matchLabels`, in the set's namespace.
 */
export function claimsFor(set: KubeObject, ordinal: number): KubeObject[] {
  const labels = selectorLabels(set);
  const { whenDeleted } = retention(set);
  return claimTemplates(set).map((template) => {
    const tmeta = isJsonObject(template.metadata) ? template.metadata : {};
    const metadata: JsonObject = {
      name: claimName(set, template, ordinal),
      namespace: namespaceOf(set),
      labels: { ...(isJsonObject(tmeta.labels) ? tmeta.labels : {}), ...labels },
    };
    if (isJsonObject(tmeta.annotations) && Object.keys(tmeta.annotations).length > 0)
      metadata.annotations = { ...tmeta.annotations };
    if (whenDeleted) metadata.ownerReferences = [setOwnerRef(set)];
    return {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata,
      spec: cloneJson(isJsonObject(template.spec) ? template.spec : {}),
    };
  });
}

/**
 * A new pod for an ordinal from a template (`newStatefulSetPod` + `setPodRevision`): name,
 * hostname and subdomain, identity and revision labels, and a volume per claim template (claim
 * volumes first, then the template's other volumes).
 */
export function newSetPod(set: KubeObject, template: unknown, ordinal: number, revision: string): KubeObject {
  const name = podName(set, ordinal);
  const pod = podFromTemplate(template, set, {
    namespace: namespaceOf(set),
    name,
    extraLabels: { [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [REVISION_LABEL]: revision },
  });
  const spec = pod.spec as JsonObject;
  spec.hostname = name;
  const serviceName = specOf(set).serviceName;
  if (typeof serviceName === 'string' && serviceName !== '') spec.subdomain = serviceName;
  const templates = claimTemplates(set);
  if (templates.length > 0) {
    const claimVolumes = templates.map((t) => ({
      name: String(isJsonObject(t.metadata) ? t.metadata.name : ''),
      persistentVolumeClaim: { claimName: claimName(set, t, ordinal) },
    }));
    const names = new Set(claimVolumes.map((v) => v.name));
    const others = Array.isArray(spec.volumes)
      ? spec.volumes.filter((v) => !(isJsonObject(v) && names.has(String(v.name))))
      : [];
    spec.volumes = [...claimVolumes, ...others];
  }
  return pod;
}

/** Whether a pod still has its identity labels (`identityMatches`). */
export function identityMatches(set: KubeObject, pod: KubeObject, ordinal: number): boolean {
  const labels = labelsOf(pod);
  return (
    namespaceOf(pod) === namespaceOf(set) &&
    labels[POD_NAME_LABEL] === nameOf(pod) &&
    labels[POD_INDEX_LABEL] === String(ordinal)
  );
}

const phase = (pod: KubeObject) => String(statusOf(pod).phase ?? '');

/** `isRunningAndReady`. */
export const isRunningAndReady = (pod: KubeObject): boolean => phase(pod) === 'Running' && isPodReady(pod);

/** `isRunningAndAvailable`. */
export const isRunningAndAvailable = (pod: KubeObject, minReadySeconds: number, now: Date): boolean =>
  phase(pod) === 'Running' && isPodAvailable(pod, minReadySeconds, now);

/** `isHealthy`: running, ready and not terminating. */
export const isHealthy = (pod: KubeObject): boolean => isRunningAndReady(pod) && !isDeleting(pod);

/** `isFailed` / `isSucceeded`: a terminal pod is replaced. */
export const isTerminal = (pod: KubeObject): boolean => phase(pod) === 'Failed' || phase(pod) === 'Succeeded';

/** The revision a pod was made from. */
export const podRevision = (pod: KubeObject): string => labelsOf(pod)[REVISION_LABEL] ?? '';

/** A ControllerRevision's `data` for a template (`getPatch`: the template, replacing). */
export function revisionData(template: unknown): JsonObject {
  const t = isJsonObject(template) ? template : {};
  return { spec: { template: { ...cloneJson(t), $patch: 'replace' } } };
}

/** The template a revision records. */
export function templateOfRevision(revision: KubeObject): JsonObject | undefined {
  const data = revision.data;
  const spec = isJsonObject(data) && isJsonObject(data.spec) ? data.spec : undefined;
  if (spec === undefined || !isJsonObject(spec.template)) return undefined;
  const template = cloneJson(spec.template);
  delete template.$patch;
  return template;
}

/** A new ControllerRevision of the set's current template (`history.NewControllerRevision`). */
export function newRevision(set: KubeObject, revision: number, collisionCount: number): KubeObject {
  const template = specOf(set).template;
  const hash = templateHash(template, collisionCount);
  const tmeta = isJsonObject(template) && isJsonObject(template.metadata) ? template.metadata : {};
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: `${nameOf(set)}-${hash}`,
      namespace: namespaceOf(set),
      labels: { ...(isJsonObject(tmeta.labels) ? tmeta.labels : {}), [REVISION_LABEL]: hash },
      ownerReferences: [controllerRef(set)],
    },
    data: revisionData(template),
    revision,
  };
}

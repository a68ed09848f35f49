/**
 * Per-kind rules of the API server's registry strategies, as data: which changes bump
 * `metadata.generation`, what `status` a new object starts with, which kinds delete gracefully,
 * which namespaces cannot be deleted, and which groups are built in.
 */

import type { KindInfo } from '../types.js';
import { getOwn, isJsonObject, type JsonObject } from './json-values.js';

/** API groups served by Kubernetes itself (everything else comes from a CRD). */
export const BUILTIN_GROUPS: ReadonlySet<string> = new Set([
  '',
  'apps',
  'batch',
  'autoscaling',
  'policy',
  'extensions',
  'networking.k8s.io',
  'discovery.k8s.io',
  'storage.k8s.io',
  'rbac.authorization.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'events.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'certificates.k8s.io',
  'node.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'resource.k8s.io',
]);

/** Whether a kind is built in (custom resources do not take strategic merge patches). */
export function isBuiltin(info: Pick<KindInfo, 'group'>): boolean {
  return BUILTIN_GROUPS.has(info.group);
}

/**
 * Which top-level fields bump `metadata.generation` when they change, by `Kind.group`;
 * `non-metadata` means any change outside `metadata` (and `status`). Built-in kinds not listed
 * have no generation; custom resources always have one (`non-metadata`).
 */
export const GENERATION_FIELDS: Readonly<Record<string, readonly string[] | 'non-metadata'>> = {
  Pod: ['spec'],
  ReplicationController: ['spec'],
  'Deployment.apps': ['spec'],
  'ReplicaSet.apps': ['spec'],
  'StatefulSet.apps': ['spec'],
  'DaemonSet.apps': ['spec'],
  'Job.batch': ['spec'],
  'CronJob.batch': ['spec'],
  'HorizontalPodAutoscaler.autoscaling': ['spec'],
  'Ingress.networking.k8s.io': ['spec'],
  'IngressClass.networking.k8s.io': ['spec'],
  'NetworkPolicy.networking.k8s.io': ['spec'],
  'PodDisruptionBudget.policy': ['spec'],
  'CustomResourceDefinition.apiextensions.k8s.io': ['spec'],
  'ValidatingWebhookConfiguration.admissionregistration.k8s.io': ['webhooks'],
  'MutatingWebhookConfiguration.admissionregistration.k8s.io': ['webhooks'],
  'EndpointSlice.discovery.k8s.io': 'non-metadata',
};

/** The generation rule of a kind, or undefined when the kind has no generation. */
export function generationFieldsOf(info: KindInfo): readonly string[] | 'non-metadata' | undefined {
  const key = info.group === '' ? info.kind : `${info.kind}.${info.group}`;
  return GENERATION_FIELDS[key] ?? (isBuiltin(info) ? undefined : 'non-metadata');
}

/**
 * The status a new object starts with, by kind, for kinds whose status the main endpoint
 * ignores; `keep` takes the status given on create (Nodes: the kubelet registers with one).
 * Other kinds with a status subresource start with an empty status.
 */
export const STATUS_ON_CREATE: Readonly<Record<string, JsonObject | 'keep'>> = {
  Node: 'keep',
  Pod: { phase: 'Pending' },
  Namespace: { phase: 'Active' },
  PersistentVolumeClaim: { phase: 'Pending' },
  PersistentVolume: { phase: 'Pending' },
  Service: { loadBalancer: {} },
};

/** Whether the main endpoint ignores `status` for this kind (it has a status subresource). */
export function hasStatusSubresource(info: KindInfo): boolean {
  return info.subresources.includes('status');
}

/** Namespaces that cannot be deleted. */
export const PROTECTED_NAMESPACES: ReadonlySet<string> = new Set(['default', 'kube-system', 'kube-public']);

/** The finalizer that holds a namespace until its content is gone. */
export const NAMESPACE_FINALIZER = 'kubernetes';

/** What still holds a deleted object: its finalizers, and for a Namespace its `spec.finalizers` too. */
export function pendingFinalizers(info: KindInfo, object: JsonObject): string[] {
  const own = getOwn(getOwn(object, 'metadata'), 'finalizers');
  const spec =
    info.group === '' && info.kind === 'Namespace' ? getOwn(getOwn(object, 'spec'), 'finalizers') : undefined;
  return [...(Array.isArray(own) ? own : []), ...(Array.isArray(spec) ? spec : [])].map(String);
}

/** The finalizer that holds an owner deleted in the foreground until its blocking dependents are gone. */
export const FOREGROUND_FINALIZER = 'foregroundDeletion';

/** Default grace period of a pod without `terminationGracePeriodSeconds`. */
export const DEFAULT_POD_GRACE_SECONDS = 30;

/**
 * The grace period a delete gives an object: pods get `gracePeriodSeconds` (or their
 * `terminationGracePeriodSeconds`, default 30) unless they never ran on a node or already
 * finished; every other kind goes at once.
 */
export function gracePeriodOf(info: KindInfo, object: JsonObject, requested: number | undefined): number {
  if (info.group !== '' || info.kind !== 'Pod') return 0;
  const spec = getOwn(object, 'spec');
  const phase = getOwn(getOwn(object, 'status'), 'phase');
  if (!isJsonObject(spec) || !spec.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
  if (requested !== undefined) return Math.max(0, Math.floor(requested));
  const own = spec.terminationGracePeriodSeconds;
  return typeof own === 'number' && own >= 0 ? own : DEFAULT_POD_GRACE_SECONDS;
}

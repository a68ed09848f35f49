/**
 * What the scheduler reads from a pod, compiled once per scheduling attempt: its node placement,
 * tolerations, requests, host ports, inter-pod (anti-)affinity terms and volume claims, plus a
 * signature that is equal for pods the scheduler would treat alike (replicas of one template), so
 * a group of unschedulable replicas is retried as one.
 */

import { isJsonObject, type JsonObject, listAt, objectAt } from '../api/machinery/json-values.js';
import {
  type LabelSelector,
  labelEqualityTerms,
  labelSelectorFromObject,
  matchesLabels,
  NOTHING,
} from '../api/machinery/label-selector.js';
import type { KubeObject } from '../store/types.js';
import {
  type HostPort,
  type NodePlacement,
  nodePlacementOf,
  type PodRequests,
  podHostPorts,
  podNonZeroRequests,
  podRequests,
  type Toleration,
  tolerationsOf,
} from './predicates.js';

/** One inter-pod affinity term (`AffinityTerm` with its namespaces resolved). */
export interface AffinityTerm {
  readonly selector: LabelSelector;
  /** Equality requirements of the selector, for a quick reject with a node's label index. */
  readonly equalities: readonly (readonly [string, string])[];
  /** Namespaces the term looks at; undefined means every namespace. */
  readonly namespaces: ReadonlySet<string> | undefined;
  readonly topologyKey: string;
  /** Preferred terms only. */
  readonly weight: number;
}

/** The minimum a pod needs to be matched by affinity terms. */
export interface PodLabels {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** A volume claim the pod uses. */
export interface PodClaim {
  readonly name: string;
  /** A generic ephemeral volume (its claim is created by the ephemeral volume controller). */
  readonly ephemeral: boolean;
}

/** A pod as the scheduler evaluates it. */
export interface PodSchedulingInfo {
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ownerUid: string | undefined;
  /** `status.nominatedNodeName`: where an earlier preemption made room. */
  readonly nominatedNodeName: string;
  readonly priority: number;
  readonly preemptNever: boolean;
  readonly placement: NodePlacement;
  /** Whether placement constrains anything (a node selector or required node affinity). */
  readonly constrained: boolean;
  readonly tolerations: readonly Toleration[];
  /** Tolerates every taint (`operator: Exists` without key and effect). */
  readonly toleratesAll: boolean;
  readonly requests: PodRequests;
  /** The extended resources it requests, sorted. */
  readonly scalarNames: readonly string[];
  readonly nonZero: { readonly cpu: number; readonly memory: number };
  readonly hostPorts: readonly HostPort[];
  readonly affinity: readonly AffinityTerm[];
  readonly antiAffinity: readonly AffinityTerm[];
  readonly preferredAffinity: readonly AffinityTerm[];
  readonly preferredAntiAffinity: readonly AffinityTerm[];
  readonly claims: readonly PodClaim[];
  readonly gated: boolean;
  readonly signature: string;
}

function safeSelector(raw: unknown): LabelSelector {
  try {
    return labelSelectorFromObject(raw);
  } catch {
    return NOTHING;
  }
}

/** Namespace labels, for terms with a `namespaceSelector` (looked up only when one is used). */
export type NamespaceLabels = () => ReadonlyMap<string, Readonly<Record<string, string>>>;

/** The value of a PriorityClass, by name (undefined when there is none). */
export type ClassPriority = (className: string) => number | undefined;

/**
 * A pod's priority: `spec.priority` (the Priority admission plugin's work), or else the value of
 * its `priorityClassName`, or 0.
 */
export function priorityOf(spec: unknown, classPriority: ClassPriority | undefined): number {
  const s = isJsonObject(spec) ? spec : {};
  if (typeof s.priority === 'number') return s.priority;
  const className = typeof s.priorityClassName === 'string' ? s.priorityClassName : '';
  return (className !== '' ? classPriority?.(className) : undefined) ?? 0;
}

/** Compiles an affinity term relative to the namespace of the pod that carries it. */
export function compileAffinityTerm(
  raw: unknown,
  ownNamespace: string,
  weight: number,
  namespaceLabels: NamespaceLabels,
): AffinityTerm {
  const selector = safeSelector(objectAt(raw, 'labelSelector'));
  const listed = listAt(raw, 'namespaces').map(String);
  const nsSelectorRaw = objectAt(raw, 'namespaceSelector');
  let namespaces: Set<string> | undefined = new Set(listed);
  if (nsSelectorRaw !== undefined) {
    const nsSelector = safeSelector(nsSelectorRaw);
    if (!nsSelector.nothing && nsSelector.requirements.length === 0) namespaces = undefined;
    else
      for (const [name, labels] of namespaceLabels())
        if (matchesLabels(nsSelector, labels)) namespaces.add(name);
  } else if (listed.length === 0) {
    namespaces.add(ownNamespace);
  }
  const equalities = Object.entries(labelEqualityTerms(selector) ?? {});
  return {
    selector,
    equalities,
    namespaces,
    topologyKey: String((raw as JsonObject | undefined)?.topologyKey ?? ''),
    weight,
  };
}

/** Whether an affinity term selects a pod. */
export function termMatches(term: AffinityTerm, pod: PodLabels): boolean {
  if (term.namespaces !== undefined && !term.namespaces.has(pod.namespace)) return false;
  return matchesLabels(term.selector, pod.labels);
}

function compileTerms(
  affinity: JsonObject | undefined,
  field: 'requiredDuringSchedulingIgnoredDuringExecution' | 'preferredDuringSchedulingIgnoredDuringExecution',
  namespace: string,
  namespaceLabels: NamespaceLabels,
): AffinityTerm[] {
  const out: AffinityTerm[] = [];
  for (const raw of listAt(affinity, field)) {
    if (!isJsonObject(raw)) continue;
    if (field === 'requiredDuringSchedulingIgnoredDuringExecution') {
      out.push(compileAffinityTerm(raw, namespace, 0, namespaceLabels));
    } else {
      const weight = Number(raw.weight ?? 0);
      if (weight !== 0)
        out.push(compileAffinityTerm(raw.podAffinityTerm, namespace, weight, namespaceLabels));
    }
  }
  return out;
}

/** The required anti-affinity terms of a pod already placed (the ones that can keep others away). */
export function requiredAntiAffinityOf(pod: KubeObject, namespaceLabels: NamespaceLabels): AffinityTerm[] {
  const anti = objectAt(objectAt(pod.spec, 'affinity'), 'podAntiAffinity');
  if (anti === undefined) return [];
  const namespace = String((pod.metadata as JsonObject | undefined)?.namespace ?? '');
  return compileTerms(anti, 'requiredDuringSchedulingIgnoredDuringExecution', namespace, namespaceLabels);
}

/** The claims of a pod's volumes (`persistentVolumeClaim.claimName`, and `<pod>-<volume>` for ephemeral ones). */
export function podClaims(pod: KubeObject): PodClaim[] {
  const name = String((pod.metadata as JsonObject | undefined)?.name ?? '');
  const out: PodClaim[] = [];
  for (const v of listAt(pod.spec, 'volumes')) {
    if (!isJsonObject(v)) continue;
    const pvc = objectAt(v, 'persistentVolumeClaim');
    if (pvc !== undefined && typeof pvc.claimName === 'string')
      out.push({ name: pvc.claimName, ephemeral: false });
    else if (objectAt(v, 'ephemeral') !== undefined)
      out.push({ name: `${name}-${String(v.name)}`, ephemeral: true });
  }
  return out;
}

/** The uid of a pod's controller, if any. */
export function ownerUidOf(pod: KubeObject): string | undefined {
  for (const r of listAt(pod.metadata, 'ownerReferences'))
    if (isJsonObject(r) && r.controller === true && typeof r.uid === 'string') return r.uid;
  return undefined;
}

/**
 * A signature equal for pods the scheduler treats alike: same namespace and labels, and the same
 * scheduling-relevant spec (placement, tolerations, requests, ports, claims, gates, priority).
 */
export function schedulingSignature(pod: KubeObject): string {
  const meta = (pod.metadata ?? {}) as JsonObject;
  const spec = (isJsonObject(pod.spec) ? pod.spec : {}) as JsonObject;
  const claims = listAt(spec, 'volumes').filter(
    (v) => isJsonObject(v) && (v.persistentVolumeClaim || v.ephemeral),
  );
  return JSON.stringify([
    meta.namespace ?? '',
    // Pods with claims are never alike: each waits for its own claims.
    claims.length > 0 ? (meta.name ?? '') : null,
    meta.labels ?? null,
    spec.nodeSelector ?? null,
    spec.affinity ?? null,
    spec.tolerations ?? null,
    listAt(spec, 'containers').map((c) => [objectAt(c, 'resources') ?? null, listAt(c, 'ports')]),
    listAt(spec, 'initContainers').map((c) => [
      objectAt(c, 'resources') ?? null,
      listAt(c, 'ports'),
      isJsonObject(c) ? (c.restartPolicy ?? null) : null,
    ]),
    spec.overhead ?? null,
    spec.resources ?? null,
    claims,
    spec.schedulingGates ?? null,
    spec.priority ?? 0,
    spec.priorityClassName ?? '',
    spec.preemptionPolicy ?? null,
  ]);
}

/** What pods with one signature share (everything but their identity and owner). */
type TemplatePart = Omit<
  PodSchedulingInfo,
  'key' | 'namespace' | 'name' | 'uid' | 'labels' | 'ownerUid' | 'nominatedNodeName'
>;

/** Compiled template parts by signature, so the replicas of a template compile once. */
export class CompiledPods {
  private readonly parts = new Map<string, TemplatePart>();

  /** Compiles a pod for one scheduling attempt. */
  compile(
    pod: KubeObject,
    namespaceLabels: NamespaceLabels,
    classPriority?: ClassPriority,
  ): PodSchedulingInfo {
    const meta = (pod.metadata ?? {}) as JsonObject;
    const namespace = String(meta.namespace ?? '');
    const name = String(meta.name ?? '');
    const signature = schedulingSignature(pod);
    let part = this.parts.get(signature);
    if (part === undefined) {
      part = templatePart(pod, signature, namespace, namespaceLabels, classPriority);
      // Terms that select namespaces by label follow the namespaces: never reused.
      if (
        !JSON.stringify((pod.spec as JsonObject | undefined)?.affinity ?? null).includes(
          '"namespaceSelector"',
        )
      ) {
        if (this.parts.size >= 512) this.parts.clear();
        this.parts.set(signature, part);
      }
    }
    // Spelled out rather than spread: one object shape for every pod, built fast.
    return {
      key: `${namespace}/${name}`,
      namespace,
      name,
      uid: String(meta.uid ?? ''),
      labels: (isJsonObject(meta.labels) ? meta.labels : {}) as Record<string, string>,
      ownerUid: ownerUidOf(pod),
      nominatedNodeName: String(objectAt(pod, 'status')?.nominatedNodeName ?? ''),
      priority: part.priority,
      preemptNever: part.preemptNever,
      placement: part.placement,
      constrained: part.constrained,
      tolerations: part.tolerations,
      toleratesAll: part.toleratesAll,
      requests: part.requests,
      scalarNames: part.scalarNames,
      nonZero: part.nonZero,
      hostPorts: part.hostPorts,
      affinity: part.affinity,
      antiAffinity: part.antiAffinity,
      preferredAffinity: part.preferredAffinity,
      preferredAntiAffinity: part.preferredAntiAffinity,
      claims: part.claims,
      gated: part.gated,
      signature,
    };
  }

  clear(): void {
    this.parts.clear();
  }
}

function templatePart(
  pod: KubeObject,
  signature: string,
  namespace: string,
  namespaceLabels: NamespaceLabels,
  classPriority: ClassPriority | undefined,
): TemplatePart {
  const spec = (isJsonObject(pod.spec) ? pod.spec : {}) as JsonObject;
  const placement = nodePlacementOf(spec);
  const tolerations = tolerationsOf(pod);
  const affinity = objectAt(spec, 'affinity');
  const podAffinity = objectAt(affinity, 'podAffinity');
  const podAntiAffinity = objectAt(affinity, 'podAntiAffinity');
  const required = 'requiredDuringSchedulingIgnoredDuringExecution' as const;
  const preferred = 'preferredDuringSchedulingIgnoredDuringExecution' as const;
  const requests = podRequests(pod);
  return {
    priority: priorityOf(spec, classPriority),
    preemptNever: spec.preemptionPolicy === 'Never',
    placement,
    constrained: placement.nodeSelector !== undefined || placement.required !== undefined,
    tolerations,
    toleratesAll: tolerations.some((t) => t.operator === 'Exists' && !t.key && !t.effect),
    requests,
    scalarNames: Object.keys(requests.scalar).sort(),
    nonZero: podNonZeroRequests(pod),
    hostPorts: podHostPorts(pod),
    affinity: compileTerms(podAffinity, required, namespace, namespaceLabels),
    antiAffinity: compileTerms(podAntiAffinity, required, namespace, namespaceLabels),
    preferredAffinity: compileTerms(podAffinity, preferred, namespace, namespaceLabels),
    preferredAntiAffinity: compileTerms(podAntiAffinity, preferred, namespace, namespaceLabels),
    claims: podClaims(pod),
    gated: listAt(spec, 'schedulingGates').length > 0,
    signature,
  };
}

/**
 * The DaemonSet controller's view of its pods: the tolerations and node pinning a daemon pod
 * gets, which node a pod is for, and the few fields of a pod the controller keeps between syncs.
 */

import { isJsonObject, type JsonObject, jsonEqual } from '../api/machinery/json-values.js';
import { objectKey } from '../runtime/types.js';
import { nodePlacementOf, type Toleration } from '../scheduler/predicates.js';
import type { KubeObject } from '../store/types.js';
import { isDeleting, meta, nameOf, namespaceOf, podCondition, specOf, statusOf } from './shared.js';

/** Tolerations every daemon pod gets (`AddOrUpdateDaemonPodTolerations`). */
const DAEMON_TOLERATIONS: readonly Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];
const NETWORK_UNAVAILABLE: Toleration = {
  key: 'node.kubernetes.io/network-unavailable',
  operator: 'Exists',
  effect: 'NoSchedule',
};

/**
 * A pod spec's tolerations with the daemon tolerations added or updated
 * (`AddOrUpdateTolerationInPodSpec`: one with the same key, operator, value and effect is replaced).
 */
export function daemonTolerations(spec: JsonObject): JsonObject[] {
  let tolerations = (Array.isArray(spec.tolerations) ? spec.tolerations : []).filter(isJsonObject);
  const wanted = [...DAEMON_TOLERATIONS, ...(spec.hostNetwork === true ? [NETWORK_UNAVAILABLE] : [])];
  for (const t of wanted) {
    const same = (o: JsonObject) =>
      (o.key ?? '') === t.key &&
      (o.effect ?? '') === t.effect &&
      (o.operator ?? '') === t.operator &&
      (o.value ?? '') === (t.value ?? '');
    const at = tolerations.findIndex(same);
    if (at < 0) tolerations = [...tolerations, { ...t }];
    else if (!jsonEqual(tolerations[at], t))
      tolerations = tolerations.map((o, i) => (i === at ? { ...t } : o));
  }
  return tolerations;
}

/**
 * Pins a pod to a node (`ReplaceDaemonSetPodNodeNameNodeAffinity`): the required node affinity
 * becomes the single term `matchFields metadata.name In [<node>]`; other affinity is kept.
 */
export function pinToNode(affinity: unknown, node: string): JsonObject {
  const term = { matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] };
  const a = isJsonObject(affinity) ? affinity : {};
  const nodeAffinity = isJsonObject(a.nodeAffinity) ? a.nodeAffinity : {};
  const required = isJsonObject(nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution)
    ? nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution
    : {};
  return {
    ...a,
    nodeAffinity: {
      ...nodeAffinity,
      requiredDuringSchedulingIgnoredDuringExecution: { ...required, nodeSelectorTerms: [term] },
    },
  };
}

/** The node a daemon pod is for: its `spec.nodeName`, else the node its affinity pins. */
export function targetNodeOf(pod: KubeObject): string {
  const spec = specOf(pod);
  if (typeof spec.nodeName === 'string' && spec.nodeName !== '') return spec.nodeName;
  const placement = nodePlacementOf(spec);
  if (placement.names !== undefined && placement.names.size === 1) return [...placement.names][0]!;
  return '';
}

/** What the controller keeps of a daemon pod or an orphan. */
export interface DaemonPod {
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  /** Controller uid ('' for an orphan). */
  readonly owner: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The node it is for. */
  readonly node: string;
  readonly bound: boolean;
  readonly phase: string;
  readonly deleting: boolean;
  readonly ready: boolean;
  /** When Ready last turned True (ms); NaN when unknown. */
  readonly readySince: number;
  readonly created: number;
}

const time = (v: unknown): number => (typeof v === 'string' ? Date.parse(v) : Number.NaN);

export function daemonPodOf(pod: KubeObject, owner: string): DaemonPod {
  const m = meta(pod);
  const ready = podCondition(pod, 'Ready');
  const labels = isJsonObject(m.labels) ? (m.labels as Record<string, string>) : {};
  return {
    key: objectKey(pod),
    namespace: namespaceOf(pod),
    name: nameOf(pod),
    owner,
    labels,
    node: targetNodeOf(pod),
    bound: typeof specOf(pod).nodeName === 'string' && specOf(pod).nodeName !== '',
    phase: String(statusOf(pod).phase ?? ''),
    deleting: isDeleting(pod),
    ready: ready?.status === 'True',
    readySince: ready?.status === 'True' ? time(ready.lastTransitionTime) : Number.NaN,
    created: time(m.creationTimestamp),
  };
}

export function samePod(a: DaemonPod, b: DaemonPod): boolean {
  if (
    a.owner !== b.owner ||
    a.node !== b.node ||
    a.bound !== b.bound ||
    a.phase !== b.phase ||
    a.deleting !== b.deleting ||
    a.ready !== b.ready ||
    !(a.readySince === b.readySince || (Number.isNaN(a.readySince) && Number.isNaN(b.readySince)))
  )
    return false;
  return jsonEqual(a.labels, b.labels);
}

/** `podutil.IsPodAvailable` on an entry. */
export function available(pod: DaemonPod, minReadySeconds: number, now: number): boolean {
  if (!pod.ready) return false;
  if (minReadySeconds <= 0) return true;
  return Number.isFinite(pod.readySince) && pod.readySince + minReadySeconds * 1000 <= now;
}

/** `podByCreationTimestampAndPhase`: bound pods first, then oldest, then by name. */
export function byCreation(a: DaemonPod, b: DaemonPod): number {
  if (a.bound !== b.bound) return a.bound ? -1 : 1;
  if (a.created !== b.created) return a.created - b.created;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

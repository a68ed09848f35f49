/**
 * The scheduling predicates other components share (the scheduler, the DaemonSet controller, the
 * taint-eviction controller, the kubelet's admission): taints and tolerations
 * (`v1helper.ToleratesTaint`), node selectors and required node affinity
 * (`component-helpers/scheduling/corev1/nodeaffinity`), and a pod's resource requests as the
 * scheduler counts them (`component-helpers/resource.PodRequests`).
 */

import { isJsonObject, type JsonObject } from '../api/machinery/json-values.js';
import { milliValue, parseQuantity, value } from '../printing/quantity.js';
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
const objectAt = (o: unknown, key: string): JsonObject | undefined => {
  const v = isJsonObject(o) ? o[key] : undefined;
  return isJsonObject(v) ? v : undefined;
};
const listAt = (o: unknown, key: string): unknown[] => {
  const v = isJsonObject(o) ? o[key] : undefined;
  return Array.isArray(v) ? v : [];
};

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

// ---------------------------------------------------------------------------------------------
// Node selectors and node affinity

/** A compiled `NodeSelectorRequirement` (labels) or field requirement (`metadata.name`). */
interface NodeRequirement {
  readonly key: string;
  readonly operator: string;
  readonly values: readonly string[];
}

/** A compiled `NodeSelectorTerm`: every requirement must hold; an empty or invalid term matches nothing. */
export interface NodeTerm {
  readonly expressions: readonly NodeRequirement[];
  readonly fields: readonly NodeRequirement[];
  readonly valid: boolean;
}

const INTEGER = /^[+-]?\d+$/;

function compileRequirements(list: unknown[], fields: boolean): { reqs: NodeRequirement[]; valid: boolean } {
  const reqs: NodeRequirement[] = [];
  let valid = true;
  for (const r of list) {
    if (!isJsonObject(r)) continue;
    const key = str(r.key) ?? '';
    const operator = str(r.operator) ?? '';
    const values = Array.isArray(r.values) ? r.values.map(String) : [];
    if (fields) {
      // Only `metadata.name` with In/NotIn and one value is a valid field requirement.
      if (key !== 'metadata.name' || (operator !== 'In' && operator !== 'NotIn') || values.length !== 1)
        valid = false;
    } else if (operator === 'Gt' || operator === 'Lt') {
      if (values.length !== 1 || !INTEGER.test(values[0]!)) valid = false;
    } else if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(operator)) {
      valid = false;
    }
    reqs.push({ key, operator, values });
  }
  return { reqs, valid };
}

/** Compiles a `NodeSelectorTerm`. */
export function compileNodeTerm(term: unknown): NodeTerm {
  const e = compileRequirements(listAt(term, 'matchExpressions'), false);
  const f = compileRequirements(listAt(term, 'matchFields'), true);
  return {
    expressions: e.reqs,
    fields: f.reqs,
    valid: e.valid && f.valid && e.reqs.length + f.reqs.length > 0,
  };
}

function requirementMatches(r: NodeRequirement, value: string | undefined): boolean {
  switch (r.operator) {
    case 'In':
      return value !== undefined && r.values.includes(value);
    case 'NotIn':
      return value === undefined || !r.values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || !INTEGER.test(value)) return false;
      const [l, v] = [Number(value), Number(r.values[0])];
      return r.operator === 'Gt' ? l > v : l < v;
    }
    default:
      return false;
  }
}

/** Whether a compiled term matches a node's labels and name. */
export function nodeTermMatches(
  term: NodeTerm,
  labels: Readonly<Record<string, string>>,
  nodeName: string,
): boolean {
  if (!term.valid) return false;
  for (const r of term.expressions)
    if (!requirementMatches(r, Object.hasOwn(labels, r.key) ? labels[r.key] : undefined)) return false;
  for (const r of term.fields) if (!requirementMatches(r, nodeName)) return false;
  return true;
}

/** What a pod asks of a node's labels: `spec.nodeSelector` and the required node affinity terms. */
export interface NodePlacement {
  readonly nodeSelector: Readonly<Record<string, string>> | undefined;
  /** undefined: no required affinity; otherwise the terms (ORed). */
  readonly required: readonly NodeTerm[] | undefined;
  /** Preferred terms with their weights (scoring only). */
  readonly preferred: readonly { readonly weight: number; readonly term: NodeTerm }[];
  /**
   * The node names the required terms allow when every term pins names with `matchFields
   * metadata.name In` (the NodeAffinity PreFilter result, what DaemonSet pods carry); else undefined.
   */
  readonly names: ReadonlySet<string> | undefined;
}

/** Compiles a pod's (or pod template's) node selector and node affinity. */
export function nodePlacementOf(podSpec: unknown): NodePlacement {
  const selector = objectAt(podSpec, 'nodeSelector');
  const nodeSelector =
    selector && Object.keys(selector).length > 0
      ? Object.fromEntries(Object.entries(selector).map(([k, v]) => [k, String(v)]))
      : undefined;
  const affinity = objectAt(objectAt(podSpec, 'affinity'), 'nodeAffinity');
  const requiredSelector = objectAt(affinity, 'requiredDuringSchedulingIgnoredDuringExecution');
  const required = requiredSelector
    ? listAt(requiredSelector, 'nodeSelectorTerms').map(compileNodeTerm)
    : undefined;
  const preferred = listAt(affinity, 'preferredDuringSchedulingIgnoredDuringExecution')
    .filter(isJsonObject)
    .map((p) => ({ weight: Number(p.weight ?? 0), term: compileNodeTerm(p.preference) }))
    .filter((p) => p.weight !== 0);
  let names: Set<string> | undefined;
  if (required !== undefined && required.length > 0) {
    names = new Set<string>();
    for (const term of required) {
      let termNames: Set<string> | undefined;
      for (const f of term.fields) {
        if (f.operator !== 'In') continue;
        const these = new Set(f.values);
        termNames = termNames === undefined ? these : new Set([...termNames].filter((n) => these.has(n)));
      }
      if (termNames === undefined) {
        names = undefined;
        break;
      }
      for (const n of termNames) names.add(n);
    }
  }
  return { nodeSelector, required, preferred, names };
}

/** Whether a node satisfies a compiled placement (the NodeAffinity filter). */
export function placementMatches(
  placement: NodePlacement,
  labels: Readonly<Record<string, string>>,
  nodeName: string,
): boolean {
  if (placement.nodeSelector !== undefined) {
    for (const [k, v] of Object.entries(placement.nodeSelector))
      if (!Object.hasOwn(labels, k) || labels[k] !== v) return false;
  }
  if (placement.required !== undefined) {
    let any = false;
    for (const term of placement.required) {
      if (nodeTermMatches(term, labels, nodeName)) {
        any = true;
        break;
      }
    }
    if (!any) return false;
  }
  return true;
}

/** A node's labels as a string map. */
export function nodeLabels(node: KubeObject): Record<string, string> {
  const labels = objectAt(node.metadata, 'labels');
  const out: Record<string, string> = {};
  if (labels) for (const [k, v] of Object.entries(labels)) if (typeof v === 'string') out[k] = v;
  return out;
}

/**
 * Whether a node matches the pod's `nodeSelector` and required node affinity
 * (`nodeaffinity.GetRequiredNodeAffinity(pod).Match(node)`).
 */
export function nodeMatchesSelectorAndAffinity(pod: KubeObject, node: KubeObject): boolean {
  const name =
    typeof objectAt(node, 'metadata')?.name === 'string' ? String(objectAt(node, 'metadata')!.name) : '';
  return placementMatches(nodePlacementOf(pod.spec), nodeLabels(node), name);
}

// ---------------------------------------------------------------------------------------------
// Resource requests

/** What a pod requests, as the scheduler counts it. */
export interface PodRequests {
  /** Millicores. */
  readonly cpu: number;
  /** Bytes. */
  readonly memory: number;
  /** Bytes. */
  readonly ephemeralStorage: number;
  /** Other resources (extended resources, hugepages), in their units. */
  readonly scalar: Readonly<Record<string, number>>;
}

/** The requests counted for scoring when a container sets none (`DefaultMilliCPURequest`, `DefaultMemoryRequest`). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

const quantityCache = new Map<string, number>();

/** A quantity in millis (cpu) or units (everything else), rounded up; 0 when it does not parse. */
export function quantityValue(resource: string, raw: unknown): number {
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw : '';
  const id = `${resource === 'cpu' ? 'm' : 'u'}${text}`;
  let cached = quantityCache.get(id);
  if (cached === undefined) {
    const q = parseQuantity(text);
    cached = q === undefined ? 0 : resource === 'cpu' ? milliValue(q) : value(q);
    if (quantityCache.size > 10_000) quantityCache.clear();
    quantityCache.set(id, cached);
  }
  return cached;
}

type Amounts = Map<string, number>;

function requestsOfContainer(container: unknown): Amounts {
  const resources = objectAt(container, 'resources');
  // The API server copies limits into unset requests; do it here too for stored objects that predate that.
  const requests = { ...(objectAt(resources, 'limits') ?? {}), ...(objectAt(resources, 'requests') ?? {}) };
  const out: Amounts = new Map();
  for (const [k, v] of Object.entries(requests)) out.set(k, quantityValue(k, v));
  return out;
}

function addInto(target: Amounts, add: Amounts): void {
  for (const [k, v] of add) target.set(k, (target.get(k) ?? 0) + v);
}

function maxInto(target: Amounts, other: Amounts): void {
  for (const [k, v] of other) if (v > (target.get(k) ?? 0)) target.set(k, v);
}

/**
 * `resource.PodRequests`: containers add up; init containers run one at a time, so the pod needs
 * the largest of them (plus the sidecars started before it); sidecars (`restartPolicy: Always`
 * init containers) run alongside and add up too; then `spec.overhead`. Pod-level
 * `spec.resources.requests` replaces the per-container totals of what it names.
 * `nonZero` counts 100m CPU and 200Mi memory for containers that request none (scoring).
 */
function podAmounts(spec: unknown, nonZero: boolean): Amounts {
  const withDefaults = (container: unknown): Amounts => {
    const own = requestsOfContainer(container);
    if (nonZero) {
      if (!own.has('cpu')) own.set('cpu', DEFAULT_MILLI_CPU_REQUEST);
      if (!own.has('memory')) own.set('memory', DEFAULT_MEMORY_REQUEST);
    }
    return own;
  };
  const reqs: Amounts = new Map();
  for (const c of listAt(spec, 'containers')) addInto(reqs, withDefaults(c));
  const sidecars: Amounts = new Map();
  const initMax: Amounts = new Map();
  for (const c of listAt(spec, 'initContainers')) {
    const own = withDefaults(c);
    if (isJsonObject(c) && c.restartPolicy === 'Always') {
      addInto(reqs, own);
      addInto(sidecars, own);
      maxInto(initMax, sidecars);
    } else {
      const tmp = new Map(own);
      addInto(tmp, sidecars);
      maxInto(initMax, tmp);
    }
  }
  maxInto(reqs, initMax);
  const podLevel = objectAt(objectAt(spec, 'resources'), 'requests');
  if (podLevel && !nonZero)
    for (const [k, v] of Object.entries(podLevel))
      if (k === 'cpu' || k === 'memory') reqs.set(k, quantityValue(k, v));
  const overhead = objectAt(spec, 'overhead');
  if (overhead)
    for (const [k, v] of Object.entries(overhead)) reqs.set(k, (reqs.get(k) ?? 0) + quantityValue(k, v));
  return reqs;
}

function toRequests(amounts: Amounts): PodRequests {
  const scalar: Record<string, number> = {};
  for (const [k, v] of amounts) if (k !== 'cpu' && k !== 'memory' && k !== 'ephemeral-storage') scalar[k] = v;
  return {
    cpu: amounts.get('cpu') ?? 0,
    memory: amounts.get('memory') ?? 0,
    ephemeralStorage: amounts.get('ephemeral-storage') ?? 0,
    scalar,
  };
}

/** A pod's resource requests as the scheduler's NodeResourcesFit counts them. */
export function podRequests(pod: KubeObject): PodRequests {
  return toRequests(podAmounts(pod.spec, false));
}

/** The requests the scheduler's scoring counts: unset container CPU/memory requests count as 100m/200Mi. */
export function podNonZeroRequests(pod: KubeObject): { cpu: number; memory: number } {
  const amounts = podAmounts(pod.spec, true);
  return { cpu: amounts.get('cpu') ?? 0, memory: amounts.get('memory') ?? 0 };
}

/** A node's allocatable resources (cpu in millicores, the rest in units; `pods` defaults to 110). */
export function nodeAllocatable(node: KubeObject): {
  cpu: number;
  memory: number;
  ephemeralStorage: number;
  pods: number;
  scalar: Record<string, number>;
} {
  const status = objectAt(node, 'status');
  const allocatable = objectAt(status, 'allocatable') ?? objectAt(status, 'capacity') ?? {};
  const scalar: Record<string, number> = {};
  let cpu = 0;
  let memory = 0;
  let ephemeralStorage = 0;
  let pods = 110;
  for (const [k, v] of Object.entries(allocatable)) {
    const amount = quantityValue(k, v);
    if (k === 'cpu') cpu = amount;
    else if (k === 'memory') memory = amount;
    else if (k === 'ephemeral-storage') ephemeralStorage = amount;
    else if (k === 'pods') pods = amount;
    else scalar[k] = amount;
  }
  return { cpu, memory, ephemeralStorage, pods, scalar };
}

/** A host port a pod's container asks for. */
export interface HostPort {
  readonly protocol: string;
  readonly hostIP: string;
  readonly port: number;
}

/** The host ports of a pod's containers (and sidecars), as the NodePorts plugin reads them. */
export function podHostPorts(pod: KubeObject): HostPort[] {
  const out: HostPort[] = [];
  const spec = pod.spec;
  const containers = [
    ...listAt(spec, 'containers'),
    ...listAt(spec, 'initContainers').filter((c) => isJsonObject(c) && c.restartPolicy === 'Always'),
  ];
  for (const c of containers) {
    for (const p of listAt(c, 'ports')) {
      if (!isJsonObject(p)) continue;
      const port = Number(p.hostPort ?? 0);
      if (!Number.isInteger(port) || port <= 0) continue;
      out.push({ protocol: str(p.protocol) ?? 'TCP', hostIP: str(p.hostIP) || '0.0.0.0', port });
    }
  }
  return out;
}

/** Whether two host ports conflict: same protocol and port, and the same or a wildcard address. */
export function hostPortsConflict(a: HostPort, b: HostPort): boolean {
  return (
    a.port === b.port &&
    a.protocol === b.protocol &&
    (a.hostIP === b.hostIP || a.hostIP === '0.0.0.0' || b.hostIP === '0.0.0.0')
  );
}

/** Natural order of node names (`node2` before `node10`), then plain order. */
export function compareNodeNames(a: string, b: string): number {
  const ma = /^(.*?)(\d+)$/.exec(a);
  const mb = /^(.*?)(\d+)$/.exec(b);
  if (ma && mb && ma[1] === mb[1]) {
    const d = Number(ma[2]) - Number(mb[2]);
    if (d !== 0) return d;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Node selectors and node affinity (`component-helpers/scheduling/corev1/nodeaffinity`): compiled
 * `NodeSelectorTerm`s and a pod's placement, matched against a node's labels and name.
 */

import { isJsonObject, listAt, objectAt } from '../api/machinery/json-values.js';
import type { KubeObject } from '../store/types.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

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

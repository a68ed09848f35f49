/**
 * Resource quantities as the scheduler counts them: a pod's requests
 * (`component-helpers/resource.PodRequests`) and a node's allocatable resources.
 */

import { isJsonObject, listAt, objectAt } from '../api/machinery/json-values.js';
import { milliValue, parseQuantity, value } from '../printing/quantity.js';
import type { KubeObject } from '../store/types.js';

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

/**
 * What the endpointslice-controller wants and how it gets there from the slices it has: the
 * desired endpoints of a Service grouped by resolved port set (`podToEndpoint`, matched by
 * `hashEndpoint`'s key), and the reconciler's plan (`reconcileByPortMapping`): which slices to
 * update, create and delete, keeping endpoints where they are and reusing slices about to go.
 * Pure: the controller does the writes.
 */

import { isJsonObject, type JsonObject, jsonEqual } from '../api/machinery/json-values.js';
import type { KubeObject } from '../store/types.js';
import { endpointHostname, findPort, servicePorts } from './endpoint-common.js';
import type { PodEndpointInfo } from './service-pod-index.js';
import { labels, meta, specOf, uidOf } from './shared.js';

/** `--max-endpoints-per-slice` default. */
export const MAX_ENDPOINTS_PER_SLICE = 100;

/** A desired endpoint and the key it is matched by (addresses, hostname, pod name: `hashEndpoint`). */
interface Desired {
  readonly key: string;
  readonly endpoint: JsonObject;
  readonly podName: string;
}

/** The desired endpoints of one port set. */
export interface PortGroup {
  readonly ports: JsonObject[];
  readonly endpoints: Map<string, Desired>;
}

/** Endpoints of pod states for the common case (no hostname, not publishing unready pods). */
const ENDPOINTS = new WeakMap<PodEndpointInfo, JsonObject>();

/** `podToEndpoint` (built once per pod state in the common case; the API copies what it stores). */
function podEndpoint(pod: PodEndpointInfo, service: KubeObject): JsonObject {
  const publishNotReady = specOf(service).publishNotReadyAddresses === true;
  const hostname = endpointHostname(pod, service);
  const common = hostname === undefined && !publishNotReady;
  const cached = common ? ENDPOINTS.get(pod) : undefined;
  if (cached !== undefined) return cached;
  const serving = pod.ready;
  const terminating = pod.terminating;
  const ready = publishNotReady || (serving && !terminating);
  const endpoint: JsonObject = {
    addresses: [pod.ip],
    conditions: { ready, serving, terminating },
    ...(hostname === undefined ? {} : { hostname }),
    targetRef: { kind: 'Pod', namespace: pod.namespace, name: pod.name, uid: pod.uid },
    ...(pod.nodeName === '' ? {} : { nodeName: pod.nodeName }),
  };
  if (common) ENDPOINTS.set(pod, endpoint);
  return endpoint;
}

/** Keys of endpoints already seen (endpoint objects are never changed in place). */
const KEYS = new WeakMap<JsonObject, string>();

/** The key an existing or desired endpoint is matched by. */
function endpointKey(endpoint: JsonObject): string {
  let key = KEYS.get(endpoint);
  if (key === undefined) {
    key = computeEndpointKey(endpoint);
    KEYS.set(endpoint, key);
  }
  return key;
}

function computeEndpointKey(endpoint: JsonObject): string {
  const addresses = Array.isArray(endpoint.addresses) ? endpoint.addresses.map(String).sort() : [];
  const ref = isJsonObject(endpoint.targetRef) ? endpoint.targetRef : {};
  return [
    addresses.join(','),
    String(endpoint.hostname ?? ''),
    String(ref.namespace ?? ''),
    String(ref.name ?? ''),
  ].join('\0');
}

/** A port set's key (`NewPortMapKey`: independent of order). */
function portsKey(ports: readonly unknown[]): string {
  return ports
    .filter(isJsonObject)
    .map((p) => JSON.stringify([p.name ?? '', p.port ?? null, p.protocol ?? 'TCP', p.appProtocol ?? null]))
    .sort()
    .join('\n');
}

/** The desired endpoints of a Service, by port set, pods in name order. */
export function desiredGroups(service: KubeObject, pods: readonly PodEndpointInfo[]): Map<string, PortGroup> {
  const ports = servicePorts(service);
  const groups = new Map<string, PortGroup>();
  const sorted = [...pods].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const pod of sorted) {
    // `ShouldPodBeInEndpoints(pod, true)`: terminating pods are kept.
    if (pod.terminal || pod.ip === '') continue;
    const endpointPorts: JsonObject[] = [];
    for (const servicePort of ports) {
      const number = findPort(pod, servicePort);
      if (number === undefined) continue;
      endpointPorts.push({
        name: typeof servicePort.name === 'string' ? servicePort.name : '',
        port: number,
        protocol: typeof servicePort.protocol === 'string' ? servicePort.protocol : 'TCP',
        ...(typeof servicePort.appProtocol === 'string' ? { appProtocol: servicePort.appProtocol } : {}),
      });
    }
    const key = portsKey(endpointPorts);
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = { ports: endpointPorts, endpoints: new Map() }));
    const endpoint = podEndpoint(pod, service);
    const ek = endpointKey(endpoint);
    group.endpoints.set(ek, { key: ek, endpoint, podName: pod.name });
  }
  return groups;
}

function ownedBy(slice: KubeObject, service: KubeObject): boolean {
  const refs = meta(slice).ownerReferences;
  return Array.isArray(refs) && refs.some((r) => isJsonObject(r) && r.uid === uidOf(service));
}

const endpointsOf = (slice: KubeObject): JsonObject[] =>
  Array.isArray(slice.endpoints) ? slice.endpoints.filter(isJsonObject) : [];

/** A slice being written: an existing one (with its name) or a new one. */
export interface SliceDraft {
  readonly existing: KubeObject | undefined;
  ports: JsonObject[];
  endpoints: JsonObject[];
}

/** The writes that bring a Service's slices to the desired endpoints. */
export interface SlicePlan {
  readonly toUpdate: SliceDraft[];
  readonly toCreate: SliceDraft[];
  readonly toDelete: KubeObject[];
}

/**
 * Plans the slices of `service` (already known to select pods) from its managed `existing` ones:
 * endpoints stay in their slice and are updated there, gone ones are removed, new ones fill the
 * slices being updated, then the fullest unchanged slice that takes them all, then new slices of
 * at most {@link MAX_ENDPOINTS_PER_SLICE}; a slice left empty is deleted, a Service without
 * endpoints keeps one empty placeholder slice, and slices about to be deleted are reused (renamed
 * into) for new ones.
 */
export function planSlices(
  service: KubeObject,
  existing: readonly KubeObject[],
  groups: ReadonlyMap<string, PortGroup>,
  wantedLabels: Record<string, string>,
): SlicePlan {
  const toUpdate: SliceDraft[] = [];
  const toCreate: SliceDraft[] = [];
  const toDelete: KubeObject[] = [];
  const unchanged: KubeObject[] = [];
  const byPorts = new Map<string, KubeObject[]>();
  for (const slice of existing) {
    if (!ownedBy(slice, service) || slice.addressType !== 'IPv4') {
      toDelete.push(slice);
      continue;
    }
    const k = portsKey(Array.isArray(slice.ports) ? slice.ports : []);
    const list = byPorts.get(k) ?? [];
    list.push(slice);
    byPorts.set(k, list);
  }
  for (const [k, list] of byPorts) if (!groups.has(k)) toDelete.push(...list);

  for (const [k, group] of groups) {
    const remaining = new Map(group.endpoints);
    const updating: SliceDraft[] = [];
    const untouched: KubeObject[] = [];
    for (const slice of byPorts.get(k) ?? []) {
      const kept: JsonObject[] = [];
      let changed = !jsonEqual(labels(slice), wantedLabels);
      for (const endpoint of endpointsOf(slice)) {
        const desired = remaining.get(endpointKey(endpoint));
        if (desired === undefined) {
          changed = true;
          continue;
        }
        remaining.delete(desired.key);
        if (!jsonEqual(endpoint, desired.endpoint)) changed = true;
        kept.push(desired.endpoint);
      }
      if (kept.length === 0) toDelete.push(slice);
      else if (changed) updating.push({ existing: slice, ports: group.ports, endpoints: kept });
      else untouched.push(slice);
    }
    const left = [...remaining.values()];
    let next = 0;
    // 1. Fill the slices being updated anyway.
    for (const draft of updating) {
      while (next < left.length && draft.endpoints.length < MAX_ENDPOINTS_PER_SLICE)
        draft.endpoints.push(left[next++]!.endpoint);
    }
    // 2. The fullest unchanged slice that can take every remaining endpoint.
    if (next < left.length) {
      const count = left.length - next;
      const fitting = untouched
        .filter((s) => endpointsOf(s).length + count <= MAX_ENDPOINTS_PER_SLICE)
        .sort((a, b) => endpointsOf(b).length - endpointsOf(a).length)[0];
      if (fitting !== undefined) {
        untouched.splice(untouched.indexOf(fitting), 1);
        updating.push({
          existing: fitting,
          ports: group.ports,
          endpoints: [...endpointsOf(fitting), ...left.slice(next).map((d) => d.endpoint)],
        });
        next = left.length;
      }
    }
    // 3. New slices for the rest.
    for (; next < left.length; next += MAX_ENDPOINTS_PER_SLICE) {
      toCreate.push({
        existing: undefined,
        ports: group.ports,
        endpoints: left.slice(next, next + MAX_ENDPOINTS_PER_SLICE).map((d) => d.endpoint),
      });
    }
    toUpdate.push(...updating);
    unchanged.push(...untouched);
  }

  // A Service without endpoints keeps one empty placeholder slice.
  if (toUpdate.length === 0 && unchanged.length === 0 && toCreate.length === 0) {
    const placeholder = toDelete.find(
      (s) =>
        ownedBy(s, service) &&
        s.addressType === 'IPv4' &&
        endpointsOf(s).length === 0 &&
        portsKey(Array.isArray(s.ports) ? s.ports : []) === '',
    );
    if (placeholder !== undefined && jsonEqual(labels(placeholder), wantedLabels)) {
      toDelete.splice(toDelete.indexOf(placeholder), 1);
    } else {
      toCreate.push({ existing: undefined, ports: [], endpoints: [] });
    }
  }
  // Reuse slices about to be deleted instead of creating new ones.
  for (let i = 0; i < toDelete.length && toCreate.length > 0; ) {
    const slice = toDelete[i]!;
    if (slice.addressType === 'IPv4' && ownedBy(slice, service)) {
      const draft = toCreate.pop()!;
      toUpdate.push({ existing: slice, ports: draft.ports, endpoints: draft.endpoints });
      toDelete.splice(i, 1);
    } else i++;
  }
  return { toUpdate, toCreate, toDelete };
}

/**
 * The `subsets` of an Endpoints object: the selected pods' addresses per resolved port (named
 * target ports looked up per pod), ready pods in `addresses` and the others in
 * `notReadyAddresses`, packed as `endpoints.RepackSubsets` packs them, and truncated to
 * {@link ENDPOINTS_MAX_CAPACITY} addresses (`truncateEndpoints`).
 */

import { getOwn, type JsonObject } from '../api/machinery/json-values.js';
import type { KubeObject } from '../store/types.js';
import { endpointHostname, findPort, isHeadless, servicePorts } from './endpoint-common.js';
import type { PodEndpointInfo } from './service-pod-index.js';
import { specOf } from './shared.js';

/** The most addresses an Endpoints object holds (`maxCapacity`). */
export const ENDPOINTS_MAX_CAPACITY = 1000;

/** An `EndpointPort` of a resolved Service port (`endpointPortFromServicePort`). */
function endpointPort(servicePort: JsonObject, port: number): JsonObject {
  return {
    ...(typeof servicePort.name === 'string' && servicePort.name !== '' ? { name: servicePort.name } : {}),
    port,
    protocol: typeof servicePort.protocol === 'string' ? servicePort.protocol : 'TCP',
    ...(typeof servicePort.appProtocol === 'string' ? { appProtocol: servicePort.appProtocol } : {}),
  };
}

/** `LessEndpointAddress`: by IP (byte order), then by target uid. */
function compareAddresses(a: JsonObject, b: JsonObject): number {
  const ipA = String(a.ip);
  const ipB = String(b.ip);
  if (ipA !== ipB) return ipA < ipB ? -1 : 1;
  const uidA = String(getOwn(a.targetRef, 'uid') ?? '');
  const uidB = String(getOwn(b.targetRef, 'uid') ?? '');
  return uidA < uidB ? -1 : uidA > uidB ? 1 : 0;
}

/**
 * The `subsets` of a Service's Endpoints for the given (selected) pods, packed as
 * `RepackSubsets` packs them, before truncation.
 */
export function endpointSubsets(service: KubeObject, pods: readonly PodEndpointInfo[]): JsonObject[] {
  const spec = specOf(service);
  const publishNotReady = spec.publishNotReadyAddresses === true;
  const ports = servicePorts(service);
  const headless = isHeadless(service);
  // Resolved port (Service port index and number; -1 = no port) → pod → { address, ready }.
  const byPort = new Map<number, Map<number, PortEntry>>();
  const add = (
    index: number,
    number: number,
    pod: PodEndpointInfo,
    address: JsonObject,
    ready: boolean,
  ): void => {
    let numbers = byPort.get(index);
    if (numbers === undefined) byPort.set(index, (numbers = new Map()));
    let entry = numbers.get(number);
    if (entry === undefined) {
      const port = index < 0 ? undefined : endpointPort(ports[index]!, number);
      numbers.set(number, (entry = { index, number, port, addresses: new Map() }));
    }
    entry.addresses.set(pod, [address, ready]);
  };
  for (const pod of pods) {
    // `ShouldPodBeInEndpoints(pod, publishNotReadyAddresses)`.
    if (pod.terminal || pod.ip === '') continue;
    if (pod.terminating && !publishNotReady) continue;
    const address = addressOf(pod, pod.hostname === '' ? undefined : endpointHostname(pod, service));
    const ready = publishNotReady || pod.ready;
    if (ports.length === 0) {
      // Headless services may have no ports.
      if (headless) add(-1, -1, pod, address, ready);
      continue;
    }
    for (let i = 0; i < ports.length; i++) {
      const number = findPort(pod, ports[i]!);
      if (number !== undefined) add(i, number, pod, address, ready);
    }
  }
  // Group the ports that share the same set of (address, readiness).
  const groups: {
    members: PortEntry['addresses'];
    ports: JsonObject[];
    ready: JsonObject[];
    notReady: JsonObject[];
  }[] = [];
  const entries = [...byPort.values()]
    .flatMap((numbers) => [...numbers.values()])
    .sort((a, b) => a.index - b.index || a.number - b.number);
  for (const entry of entries) {
    let group = groups.find((g) => sameMembers(g.members, entry.addresses));
    if (group === undefined) {
      const ready: JsonObject[] = [];
      const notReady: JsonObject[] = [];
      for (const [address, isReady] of entry.addresses.values()) (isReady ? ready : notReady).push(address);
      ready.sort(compareAddresses);
      notReady.sort(compareAddresses);
      groups.push((group = { members: entry.addresses, ports: [], ready, notReady }));
    }
    if (entry.port !== undefined) group.ports.push(entry.port);
  }
  return groups.map((g) => ({
    ...(g.ready.length > 0 ? { addresses: g.ready } : {}),
    ...(g.notReady.length > 0 ? { notReadyAddresses: g.notReady } : {}),
    ...(g.ports.length > 0 ? { ports: g.ports } : {}),
  }));
}

/** One resolved port and the pods (addresses, readiness) that offer it. */
interface PortEntry {
  readonly index: number;
  readonly number: number;
  readonly port: JsonObject | undefined;
  readonly addresses: Map<PodEndpointInfo, [JsonObject, boolean]>;
}

function sameMembers(a: PortEntry['addresses'], b: PortEntry['addresses']): boolean {
  if (a.size !== b.size) return false;
  for (const [pod, [, ready]] of a) {
    const other = b.get(pod);
    if (other === undefined || other[1] !== ready) return false;
  }
  return true;
}

/** Addresses without a hostname, built once per pod state (the API copies what it stores). */
const ADDRESSES = new WeakMap<PodEndpointInfo, JsonObject>();

/** `podToEndpointAddressForService` (and the hostname, when it applies). */
function addressOf(pod: PodEndpointInfo, hostname: string | undefined): JsonObject {
  const cached = hostname === undefined ? ADDRESSES.get(pod) : undefined;
  if (cached !== undefined) return cached;
  const address: JsonObject = {
    ip: pod.ip,
    ...(hostname === undefined ? {} : { hostname }),
    ...(pod.nodeName === '' ? {} : { nodeName: pod.nodeName }),
    targetRef: { kind: 'Pod', namespace: pod.namespace, name: pod.name, uid: pod.uid },
  };
  if (hostname === undefined) ADDRESSES.set(pod, address);
  return address;
}

const addressCount = (subsets: readonly JsonObject[], field: 'addresses' | 'notReadyAddresses'): number =>
  subsets.reduce((n, s) => n + (Array.isArray(s[field]) ? (s[field] as unknown[]).length : 0), 0);

/**
 * `truncateEndpoints`: keeps at most {@link ENDPOINTS_MAX_CAPACITY} addresses, not-ready ones
 * first to go, each subset keeping its share (rounded up). Returns the subsets and whether it
 * truncated.
 */
export function truncateSubsets(subsets: readonly JsonObject[]): {
  subsets: JsonObject[];
  truncated: boolean;
} {
  const totalReady = addressCount(subsets, 'addresses');
  const totalNotReady = addressCount(subsets, 'notReadyAddresses');
  if (totalReady + totalNotReady <= ENDPOINTS_MAX_CAPACITY)
    return { subsets: [...subsets], truncated: false };
  const truncateReady = totalReady > ENDPOINTS_MAX_CAPACITY;
  const max = truncateReady ? ENDPOINTS_MAX_CAPACITY : ENDPOINTS_MAX_CAPACITY - totalReady;
  const numTotal = truncateReady ? totalReady : totalNotReady;
  let canBeAdded = max;
  const out = subsets.map((subset) => {
    const field = truncateReady ? 'addresses' : 'notReadyAddresses';
    const list = Array.isArray(subset[field]) ? (subset[field] as JsonObject[]) : [];
    const toBeAdded = Math.min(Math.ceil((list.length / numTotal) * max), canBeAdded);
    const kept = list.slice(0, toBeAdded);
    canBeAdded -= kept.length;
    const next: JsonObject = { ...subset };
    if (truncateReady) delete next.notReadyAddresses;
    if (kept.length > 0) next[field] = kept;
    else delete next[field];
    return next;
  });
  return { subsets: out, truncated: true };
}

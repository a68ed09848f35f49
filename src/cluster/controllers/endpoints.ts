/**
 * The endpoint-controller (`pkg/controller/endpoint`): one `Endpoints` object per Service with a
 * selector, named like the Service, listing the selected pods' addresses per port set.
 *
 * - Services without a selector (their Endpoints are written by hand) and ExternalName services
 *   are left alone; a deleted Service's Endpoints is deleted.
 * - Ready pods go to `addresses`, the others to `notReadyAddresses` (all to `addresses` with
 *   `publishNotReadyAddresses`); terminating pods are omitted (kept with
 *   `publishNotReadyAddresses`), and so are finished pods and pods without an IP. A named
 *   `targetPort` is looked up per pod among its container ports (`podutil.FindPort`): a pod
 *   without that port is left out of that port only.
 * - Subsets are packed as `endpoints.RepackSubsets` packs them: one subset per set of addresses
 *   sharing the same ports, addresses sorted by IP. (Kubernetes orders ports and subsets by a
 *   hash of their Go structs; bosun uses the Service's port order, which the bootstrapped
 *   `kube-dns` Endpoints already follows.)
 * - More than 1000 addresses are truncated, and the object is annotated
 *   `endpoints.kubernetes.io/over-capacity: truncated`.
 * - The labels are the Service's, plus `service.kubernetes.io/headless` for a headless Service
 *   and `endpoints.kubernetes.io/managed-by: endpoint-controller` (Kubernetes 1.33). As in
 *   Kubernetes, an object whose subsets and labels (besides those two) are already right is not
 *   written, so the bootstrapped `kube-dns` Endpoints stays as it is.
 *
 * The controller never lists pods per reconcile: a {@link ServicePodIndex} maps each Service to
 * its selector and each pod to the few fields endpoints need. It reads a namespace's pods once,
 * when a Service there first needs them, then follows them from the observed events (pods of
 * namespaces without Services cost nothing), and a pod change re-syncs only the Services in its
 * namespace whose selector matches its old or new labels. The EndpointSlice controller uses the
 * same index.
 */

import { getOwn, isJsonObject, type JsonObject, jsonEqual } from '../api/machinery/json-values.js';
import { rfc3339 } from '../api/machinery/object-stamps.js';
import { ApiError } from '../api/types.js';
import type { Controller, ControllerContext, WatchEvent } from '../runtime/types.js';
import { splitKey } from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';
import { annotations, labels, meta, nameOf, namespaceOf, specOf, statusOf } from './shared.js';

/** The controller's name (`source.component` and field manager). */
export const ENDPOINT_CONTROLLER = 'endpoint-controller';
/** `endpoints.kubernetes.io/managed-by` (`endpoint.LabelManagedBy`). */
export const ENDPOINTS_MANAGED_BY_LABEL = 'endpoints.kubernetes.io/managed-by';
/** `service.kubernetes.io/headless` (`v1.IsHeadlessService`). */
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
/** `endpoints.kubernetes.io/last-change-trigger-time` (`v1.EndpointsLastChangeTriggerTime`). */
export const TRIGGER_TIME_ANNOTATION = 'endpoints.kubernetes.io/last-change-trigger-time';
/** `endpoints.kubernetes.io/over-capacity` (`v1.EndpointsOverCapacity`). */
export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';
/** The most addresses an Endpoints object holds (`maxCapacity`). */
export const ENDPOINTS_MAX_CAPACITY = 1000;

// ---------------------------------------------------------------------------------------------
// The shared index: services → selectors, pods → what endpoints need.
// ---------------------------------------------------------------------------------------------

/** A named container port (only named ports matter: numbered target ports need no lookup). */
export interface NamedPort {
  readonly name: string;
  readonly containerPort: number;
  readonly protocol: string;
}

/** What the endpoint controllers keep of a pod. */
export interface PodEndpointInfo {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  /** `status.podIP` ('' when none yet). */
  readonly ip: string;
  readonly nodeName: string;
  /** The Ready condition is True. */
  readonly ready: boolean;
  /** `metadata.deletionTimestamp` is set. */
  readonly terminating: boolean;
  /** Succeeded or Failed (`podutil.IsPodTerminal`). */
  readonly terminal: boolean;
  readonly labels: Readonly<Record<string, string>>;
  /** Named ports of its containers and sidecar (restartable init) containers. */
  readonly ports: readonly NamedPort[];
  readonly hostname: string;
  readonly subdomain: string;
}

const NO_PORTS: NamedPort[] = [];
const NO_LABELS: Readonly<Record<string, string>> = {};

/** The fields of a pod the endpoint controllers use. */
export function podEndpointInfo(pod: KubeObject): PodEndpointInfo {
  const m = meta(pod);
  const spec = specOf(pod);
  const status = statusOf(pod);
  const phase = status.phase;
  let ports: NamedPort[] = NO_PORTS;
  const collect = (containers: unknown, sidecarsOnly: boolean): void => {
    if (!Array.isArray(containers)) return;
    for (const c of containers) {
      if (!isJsonObject(c)) continue;
      if (sidecarsOnly && c.restartPolicy !== 'Always') continue;
      if (!Array.isArray(c.ports)) continue;
      for (const p of c.ports) {
        if (!isJsonObject(p) || typeof p.name !== 'string' || p.name === '') continue;
        if (typeof p.containerPort !== 'number') continue;
        if (ports === NO_PORTS) ports = [];
        ports.push({
          name: p.name,
          containerPort: p.containerPort,
          protocol: typeof p.protocol === 'string' ? p.protocol : 'TCP',
        });
      }
    }
  };
  collect(spec.containers, false);
  collect(spec.initContainers, true);
  let ready = false;
  if (Array.isArray(status.conditions)) {
    for (const c of status.conditions) {
      if (isJsonObject(c) && c.type === 'Ready') {
        ready = c.status === 'True';
        break;
      }
    }
  }
  const ip =
    typeof status.podIP === 'string'
      ? status.podIP
      : Array.isArray(status.podIPs) && isJsonObject(status.podIPs[0])
        ? String(status.podIPs[0].ip ?? '')
        : '';
  return {
    namespace: namespaceOf(pod),
    name: nameOf(pod),
    uid: String(m.uid ?? ''),
    ip,
    nodeName: typeof spec.nodeName === 'string' ? spec.nodeName : '',
    ready,
    terminating: m.deletionTimestamp != null,
    terminal: phase === 'Succeeded' || phase === 'Failed',
    // The stored labels as they are (the API keeps them a string map); never changed in place.
    labels: isJsonObject(m.labels) ? (m.labels as Record<string, string>) : NO_LABELS,
    ports,
    hostname: typeof spec.hostname === 'string' ? spec.hostname : '',
    subdomain: typeof spec.subdomain === 'string' ? spec.subdomain : '',
  };
}

function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

function samePorts(a: readonly NamedPort[], b: readonly NamedPort[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (p, i) =>
        p.name === b[i]!.name && p.containerPort === b[i]!.containerPort && p.protocol === b[i]!.protocol,
    )
  );
}

/** Whether two pod infos differ in anything an endpoint shows. */
function samePodInfo(a: PodEndpointInfo, b: PodEndpointInfo): boolean {
  return (
    a.uid === b.uid &&
    a.ip === b.ip &&
    a.nodeName === b.nodeName &&
    a.ready === b.ready &&
    a.terminating === b.terminating &&
    a.terminal === b.terminal &&
    a.hostname === b.hostname &&
    a.subdomain === b.subdomain &&
    sameLabels(a.labels, b.labels) &&
    samePorts(a.ports, b.ports)
  );
}

/** A Service selector as a plain map, or undefined when it selects nothing (absent or empty). */
export function serviceSelector(service: KubeObject): Readonly<Record<string, string>> | undefined {
  const selector = getOwn(specOf(service), 'selector');
  if (!isJsonObject(selector)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(selector)) out[k] = String(v);
  return Object.keys(out).length > 0 ? out : undefined;
}

const term = (key: string, value: string): string => `${key}\0${value}`;

function selectorMatches(
  selector: Readonly<Record<string, string>>,
  podLabels: Readonly<Record<string, string>>,
) {
  for (const k in selector) if (podLabels[k] !== selector[k]) return false;
  return true;
}

/** One namespace of the index. */
interface NamespaceIndex {
  readonly name: string;
  /** Whether its pods are followed (once a Service there needed them). */
  tracked: boolean;
  readonly pods: Map<string, PodEndpointInfo>;
  /** `key\0value` → pod names, only for the label keys some service selector uses as its term. */
  readonly podsByTerm: Map<string, Set<string>>;
  readonly services: Map<string, { selector: Readonly<Record<string, string>>; term: string }>;
  /** `key\0value` → names of the services whose term it is. */
  readonly servicesByTerm: Map<string, Set<string>>;
}

/**
 * Services and pods as the endpoint controllers need them, from observed events: each Service's
 * selector (indexed by one of its `key=value` terms) and each pod's endpoint fields (indexed by
 * the label keys services use as terms). Finding a Service's pods, or the Services a pod change
 * concerns, never scans a namespace.
 */
export class ServicePodIndex {
  private readonly namespaces = new Map<string, NamespaceIndex>();
  /** Label keys services use as their term (pods are indexed by these only). */
  private readonly termKeys = new Map<string, number>();

  /** Forgets everything. */
  clear(): void {
    this.namespaces.clear();
    this.termKeys.clear();
  }

  private ns(namespace: string): NamespaceIndex {
    let index = this.namespaces.get(namespace);
    if (index === undefined) {
      index = {
        name: namespace,
        tracked: false,
        pods: new Map(),
        podsByTerm: new Map(),
        services: new Map(),
        servicesByTerm: new Map(),
      };
      this.namespaces.set(namespace, index);
    }
    return index;
  }

  /**
   * Starts following the pods of a namespace, the first time a Service there needs them: they
   * are read once from `list` (call it where the index is in step with the store: in a
   * reconcile), then kept up to date from events. Until then the namespace's pod events are
   * ignored, so pods in namespaces without Services cost nothing.
   */
  track(namespace: string, list: () => readonly KubeObject[]): void {
    const index = this.ns(namespace);
    if (index.tracked) return;
    index.tracked = true;
    for (const pod of list()) {
      const info = podEndpointInfo(pod);
      const old = index.pods.get(info.name);
      if (old !== undefined) this.unindexPod(index, old);
      index.pods.set(info.name, info);
      this.indexPod(index, info);
    }
  }

  /**
   * Records a pod change; returns the `namespace/name` keys of the Services it concerns (those
   * selecting its old or new labels), none when nothing an endpoint shows changed or when the
   * namespace is not followed yet.
   */
  observePod(event: WatchEvent): string[] {
    const index = this.namespaces.get(event.key.namespace);
    if (index === undefined || !index.tracked) return [];
    const info = podEndpointInfo(event.object);
    const old = index.pods.get(info.name);
    if (event.type === 'DELETED') {
      if (old === undefined) return [];
      index.pods.delete(info.name);
      this.unindexPod(index, old);
      return this.servicesFor(index, old.labels, undefined);
    }
    if (old !== undefined && samePodInfo(old, info)) return [];
    index.pods.set(info.name, info);
    const relabelled = old === undefined || !sameLabels(old.labels, info.labels);
    if (relabelled) {
      if (old !== undefined) this.unindexPod(index, old);
      this.indexPod(index, info);
    }
    return this.servicesFor(index, info.labels, relabelled ? old?.labels : undefined);
  }

  /** Records a Service change (its selector). */
  observeService(event: WatchEvent): void {
    const namespace = namespaceOf(event.object);
    const name = nameOf(event.object);
    const index = this.ns(namespace);
    const old = index.services.get(name);
    const selector = event.type === 'DELETED' ? undefined : serviceSelector(event.object);
    if (old !== undefined && selector !== undefined && sameLabels(old.selector, selector)) return;
    if (old !== undefined) {
      const set = index.servicesByTerm.get(old.term);
      set?.delete(name);
      if (set?.size === 0) index.servicesByTerm.delete(old.term);
      this.releaseTermKey(old.term.slice(0, old.term.indexOf('\0')));
      index.services.delete(name);
    }
    if (selector === undefined) return;
    const key = Object.keys(selector).sort()[0]!;
    const t = term(key, selector[key]!);
    index.services.set(name, { selector, term: t });
    let set = index.servicesByTerm.get(t);
    if (set === undefined) index.servicesByTerm.set(t, (set = new Set()));
    set.add(name);
    this.retainTermKey(key);
  }

  /** The pods a selector selects in a namespace, in the index's (stable) order. */
  select(namespace: string, selector: Readonly<Record<string, string>>): PodEndpointInfo[] {
    const index = this.namespaces.get(namespace);
    if (index === undefined) return [];
    const key = Object.keys(selector).sort()[0];
    if (key === undefined) return [];
    const names = this.termKeys.has(key)
      ? index.podsByTerm.get(term(key, selector[key]!))
      : new Set(index.pods.keys());
    const out: PodEndpointInfo[] = [];
    if (names === undefined) return out;
    for (const name of names) {
      const pod = index.pods.get(name);
      if (pod !== undefined && selectorMatches(selector, pod.labels)) out.push(pod);
    }
    return out;
  }

  /** A pod by namespace and name. */
  pod(namespace: string, name: string): PodEndpointInfo | undefined {
    return this.namespaces.get(namespace)?.pods.get(name);
  }

  private servicesFor(
    index: NamespaceIndex,
    now: Readonly<Record<string, string>>,
    before: Readonly<Record<string, string>> | undefined,
  ): string[] {
    if (index.services.size === 0) return [];
    const out = new Set<string>();
    const namespace = index.name;
    for (const set of [now, before]) {
      if (set === undefined) continue;
      for (const k in set) {
        if (!this.termKeys.has(k)) continue;
        const names = index.servicesByTerm.get(term(k, set[k]!));
        if (names === undefined) continue;
        for (const name of names) {
          const service = index.services.get(name);
          if (service !== undefined && selectorMatches(service.selector, set))
            out.add(`${namespace}/${name}`);
        }
      }
    }
    return [...out];
  }

  private indexPod(index: NamespaceIndex, pod: PodEndpointInfo): void {
    for (const k in pod.labels) {
      if (!this.termKeys.has(k)) continue;
      const t = term(k, pod.labels[k]!);
      let set = index.podsByTerm.get(t);
      if (set === undefined) index.podsByTerm.set(t, (set = new Set()));
      set.add(pod.name);
    }
  }

  private unindexPod(index: NamespaceIndex, pod: PodEndpointInfo): void {
    for (const k in pod.labels) {
      if (!this.termKeys.has(k)) continue;
      const t = term(k, pod.labels[k]!);
      const set = index.podsByTerm.get(t);
      set?.delete(pod.name);
      if (set?.size === 0) index.podsByTerm.delete(t);
    }
  }

  /** A service uses `key` as its term: index every pod by it if none did yet. */
  private retainTermKey(key: string): void {
    const count = this.termKeys.get(key) ?? 0;
    this.termKeys.set(key, count + 1);
    if (count > 0) return;
    for (const index of this.namespaces.values()) {
      for (const pod of index.pods.values()) {
        const v = pod.labels[key];
        if (v === undefined) continue;
        const t = term(key, v);
        let set = index.podsByTerm.get(t);
        if (set === undefined) index.podsByTerm.set(t, (set = new Set()));
        set.add(pod.name);
      }
    }
  }

  private releaseTermKey(key: string): void {
    const count = (this.termKeys.get(key) ?? 1) - 1;
    if (count > 0) {
      this.termKeys.set(key, count);
      return;
    }
    this.termKeys.delete(key);
    const prefix = `${key}\0`;
    for (const index of this.namespaces.values()) {
      for (const t of [...index.podsByTerm.keys()]) if (t.startsWith(prefix)) index.podsByTerm.delete(t);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Endpoints computation.
// ---------------------------------------------------------------------------------------------

/**
 * `podutil.FindPort`: the port number a Service port targets on a pod: a number as is, a name
 * looked up among the pod's container ports of the same protocol; undefined when it has none.
 */
export function findPort(pod: PodEndpointInfo, servicePort: JsonObject): number | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  if (typeof target === 'number') return target;
  if (typeof target !== 'string') return undefined;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = typeof servicePort.protocol === 'string' ? servicePort.protocol : 'TCP';
  return pod.ports.find((p) => p.name === target && p.protocol === protocol)?.containerPort;
}

/** `endpointsliceutil.ShouldSetHostname`: the pod's hostname, when its subdomain names the Service. */
export function endpointHostname(pod: PodEndpointInfo, service: KubeObject): string | undefined {
  return pod.hostname !== '' && pod.subdomain === nameOf(service) && pod.namespace === namespaceOf(service)
    ? pod.hostname
    : undefined;
}

/** The Service's ports (objects only). */
export function servicePorts(service: KubeObject): JsonObject[] {
  const ports = specOf(service).ports;
  return Array.isArray(ports) ? ports.filter(isJsonObject) : [];
}

/** `helper.IsServiceIPSet`: false for headless (`clusterIP: None`) Services. */
export function isHeadless(service: KubeObject): boolean {
  return specOf(service).clusterIP === 'None';
}

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

/** Labels without the two the controller adds itself (what Kubernetes compares with the Service's). */
function comparableLabels(current: Record<string, string>): Record<string, string> {
  const out = { ...current };
  delete out[HEADLESS_LABEL];
  delete out[ENDPOINTS_MANAGED_BY_LABEL];
  return out;
}

/** The labels the controller writes: the Service's, the headless marker, its own. */
function endpointsLabels(service: KubeObject): Record<string, string> {
  const out: Record<string, string> = { ...labels(service) };
  if (isHeadless(service)) out[HEADLESS_LABEL] = '';
  else delete out[HEADLESS_LABEL];
  out[ENDPOINTS_MANAGED_BY_LABEL] = ENDPOINT_CONTROLLER;
  return out;
}

/** Reads an object, undefined when it does not exist. */
export function getOptional(
  ctx: ControllerContext,
  resource: string,
  namespace: string,
  name: string,
): KubeObject | undefined {
  try {
    return ctx.api.get(resource, namespace, name);
  } catch (error) {
    if (error instanceof ApiError && error.status.code === 404) return undefined;
    throw error;
  }
}

/**
 * Remembers, per Service key, when its first unsynced change happened (the
 * `last-change-trigger-time` Kubernetes' trigger-time tracker reports).
 */
export class TriggerTimes {
  private readonly times = new Map<string, number>();

  note(key: string, at: number): void {
    const seen = this.times.get(key);
    if (seen === undefined || at < seen) this.times.set(key, at);
  }

  /** The time to annotate (the first pending change, else `now`), forgetting it. */
  take(key: string, now: Date): string {
    const at = this.times.get(key);
    this.times.delete(key);
    return rfc3339(at === undefined ? now : new Date(at));
  }

  clear(): void {
    this.times.clear();
  }
}

/** Builds the endpoint-controller. */
export function endpointsController(): Controller {
  const index = new ServicePodIndex();
  const triggers = new TriggerTimes();
  return {
    name: ENDPOINT_CONTROLLER,
    resources: ['services', 'pods', 'endpoints'],
    reset() {
      index.clear();
      triggers.clear();
    },
    observe(event, ctx) {
      const resource = event.key.resource;
      if (resource === 'pods') {
        const now = ctx.now().getTime();
        for (const key of index.observePod(event)) {
          triggers.note(key, now);
          ctx.enqueue(key);
        }
      } else if (resource === 'services') {
        index.observeService(event);
        const key = `${event.key.namespace}/${event.key.name}`;
        if (event.type === 'ADDED') {
          const created = Date.parse(String(meta(event.object).creationTimestamp ?? ''));
          triggers.note(key, Number.isFinite(created) ? created : ctx.now().getTime());
        } else triggers.note(key, ctx.now().getTime());
        ctx.enqueue(key);
      } else if (resource === 'endpoints' && event.type === 'DELETED') {
        // A deleted Endpoints of a selecting Service is written again.
        ctx.enqueue(`${event.key.namespace}/${event.key.name}`);
      }
    },
    reconcile(key, ctx) {
      const { namespace, name } = splitKey(key);
      const service = getOptional(ctx, 'services', namespace, name);
      const current = getOptional(ctx, 'endpoints', namespace, name);
      if (service === undefined) {
        // The Service is gone: so is its Endpoints.
        triggers.take(key, ctx.now());
        if (current !== undefined) {
          try {
            ctx.api.delete('endpoints', namespace, name, { fieldManager: ENDPOINT_CONTROLLER });
          } catch (error) {
            if (!(error instanceof ApiError && error.status.code === 404)) throw error;
          }
        }
        return;
      }
      const spec = specOf(service);
      const selector = serviceSelector(service);
      // ExternalName services and services without a selector get nothing from this controller.
      if (spec.type === 'ExternalName' || selector === undefined) {
        triggers.take(key, ctx.now());
        return;
      }
      index.track(namespace, () => ctx.api.list('pods', { namespace }).items);
      const { subsets, truncated } = truncateSubsets(
        endpointSubsets(service, index.select(namespace, selector)),
      );
      const currentAnnotations = current === undefined ? {} : annotations(current);
      if (
        current !== undefined &&
        jsonEqual(current.subsets ?? [], subsets) &&
        jsonEqual(comparableLabels(labels(current)), labels(service)) &&
        truncated === (currentAnnotations[OVER_CAPACITY_ANNOTATION] !== undefined)
      ) {
        triggers.take(key, ctx.now());
        return;
      }
      const nextAnnotations: Record<string, string> = { ...currentAnnotations };
      nextAnnotations[TRIGGER_TIME_ANNOTATION] = triggers.take(key, ctx.now());
      if (truncated) nextAnnotations[OVER_CAPACITY_ANNOTATION] = 'truncated';
      else delete nextAnnotations[OVER_CAPACITY_ANNOTATION];
      if (current === undefined) {
        ctx.api.create(
          {
            apiVersion: 'v1',
            kind: 'Endpoints',
            metadata: { name, namespace, labels: endpointsLabels(service), annotations: nextAnnotations },
            ...(subsets.length > 0 ? { subsets } : {}),
          },
          { fieldManager: ENDPOINT_CONTROLLER },
        );
        return;
      }
      const next: KubeObject = {
        ...current,
        metadata: { ...meta(current), labels: endpointsLabels(service), annotations: nextAnnotations },
      };
      if (subsets.length > 0) next.subsets = subsets;
      else delete next.subsets;
      ctx.api.update(next, { fieldManager: ENDPOINT_CONTROLLER });
    },
  };
}

/**
 * The index both endpoint controllers (Endpoints and EndpointSlices) keep of Services and pods:
 * each Service's selector and each pod's endpoint fields ({@link PodEndpointInfo}), built from
 * the observed events, so finding a Service's pods, or the Services a pod change concerns, never
 * scans a namespace. A namespace's pods are read once, when a Service there first needs them.
 */

import { getOwn, isJsonObject } from '../api/machinery/json-values.js';
import type { WatchEvent } from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';
import { meta, nameOf, namespaceOf, specOf, statusOf } from './shared.js';

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

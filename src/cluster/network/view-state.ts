/**
 * What the network view shares between its parts: the host it reads, its round-robin counters,
 * and the index of services, nodes and pods it keeps per store revision.
 */

import type { ClusterApi } from '../api/machinery/cluster-api.js';
import { isJsonObject, type JsonObject } from '../api/machinery/json-values.js';
import { CLUSTER_DOMAIN } from '../bootstrap/topology.js';
import type {
  ContainerContext,
  ImageCatalog,
  NetworkView,
  ProcessBehaviour,
  Vantage,
} from '../images/types.js';
import type { KubeObject } from '../store/types.js';

/** The target of a connection, for a policy decision. */
export interface PolicyTarget {
  readonly namespace: string;
  readonly pod: KubeObject;
  readonly port: number;
}

/** What the network view reads. */
export interface NetworkHost {
  readonly api: ClusterApi;
  readonly catalog: ImageCatalog;
  now(): Date;
  /** The behaviour of a running container (undefined when it is not running). */
  behaviourOf(pod: KubeObject, containerName: string): ProcessBehaviour | undefined;
  /** The context a running container was started with (mounted files, its environment), when known. */
  contextOf?(pod: KubeObject, containerName: string): ContainerContext | undefined;
  /** A pod by address, when the caller keeps such an index (else the view builds its own). */
  podByIP?(ip: string): KubeObject | undefined;
  /** NetworkPolicy: false drops the connection (it times out). Absent: everything is allowed. */
  policy?(from: Vantage, to: PolicyTarget): boolean;
}

export const SERVICE_SUFFIX = `.svc.${CLUSTER_DOMAIN}`;

export const obj = (v: unknown): JsonObject => (isJsonObject(v) ? v : {});
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');
export const list = (v: unknown): JsonObject[] => (Array.isArray(v) ? v.filter(isJsonObject) : []);
export const metaOf = (o: KubeObject) => obj(o.metadata);

/** What the view indexes per store revision. */
export interface Index {
  readonly revision: string;
  readonly servicesByIP: Map<string, KubeObject>;
  readonly servicesByNodePort: Map<number, { service: KubeObject; port: JsonObject }>;
  readonly nodesByIP: Map<string, KubeObject>;
  readonly nodesByName: Map<string, KubeObject>;
  pods?: {
    byIP: Map<string, { namespace: string; name: string }>;
    hostNetwork: Map<string, { namespace: string; name: string }[]>;
  };
  ptr?: Map<string, string>;
}

/** The state of one network view, which its parts take as their first argument. */
export interface NetworkState {
  readonly host: NetworkHost;
  readonly api: ClusterApi;
  /** Round-robin positions per service port, for as long as the view lives. */
  readonly counters: Map<string, number>;
  /** The index of the last revision seen (rebuilt when the store moves on). */
  index: Index | undefined;
  /** The view itself: the contexts handed to programs carry it. */
  readonly view: NetworkView;
}

export function tryGet(
  state: NetworkState,
  resource: string,
  namespace: string,
  name: string,
): KubeObject | undefined {
  try {
    return state.api.get(resource, namespace, name);
  } catch {
    return undefined;
  }
}

export function currentIndex(state: NetworkState): Index {
  const { api } = state;
  const revision = api.list('namespaces').metadata.resourceVersion;
  if (state.index?.revision === revision) return state.index;
  const servicesByIP = new Map<string, KubeObject>();
  const servicesByNodePort = new Map<number, { service: KubeObject; port: JsonObject }>();
  for (const service of api.list('services').items) {
    const spec = obj(service.spec);
    const ips = [str(spec.clusterIP), ...(Array.isArray(spec.clusterIPs) ? spec.clusterIPs.map(str) : [])];
    for (const ip of [...ips, ...(Array.isArray(spec.externalIPs) ? spec.externalIPs.map(str) : [])]) {
      if (ip !== '' && ip !== 'None') servicesByIP.set(ip, service);
    }
    for (const ingress of list(obj(obj(service.status).loadBalancer).ingress)) {
      if (str(ingress.ip) !== '') servicesByIP.set(str(ingress.ip), service);
    }
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
      for (const port of list(spec.ports))
        if (typeof port.nodePort === 'number') servicesByNodePort.set(port.nodePort, { service, port });
    }
  }
  const nodesByIP = new Map<string, KubeObject>();
  const nodesByName = new Map<string, KubeObject>();
  for (const node of api.list('nodes').items) {
    nodesByName.set(str(metaOf(node).name), node);
    for (const address of list(obj(node.status).addresses)) {
      if (address.type === 'InternalIP' || address.type === 'ExternalIP')
        nodesByIP.set(str(address.address), node);
    }
  }
  state.index = { revision, servicesByIP, servicesByNodePort, nodesByIP, nodesByName };
  return state.index;
}

export function podIndex(state: NetworkState, idx: Index): NonNullable<Index['pods']> {
  if (idx.pods === undefined) {
    const byIP = new Map<string, { namespace: string; name: string }>();
    const hostNetwork = new Map<string, { namespace: string; name: string }[]>();
    for (const pod of state.api.list('pods').items) {
      const key = { namespace: str(metaOf(pod).namespace), name: str(metaOf(pod).name) };
      const ip = str(obj(pod.status).podIP);
      if (ip === '') continue;
      if (obj(pod.spec).hostNetwork === true) hostNetwork.set(ip, [...(hostNetwork.get(ip) ?? []), key]);
      else byIP.set(ip, key);
    }
    idx.pods = { byIP, hostNetwork };
  }
  return idx.pods;
}

/** The pod (not on the host network) with this address. */
export function podAt(state: NetworkState, ip: string): KubeObject | undefined {
  const given = state.host.podByIP?.(ip);
  if (given !== undefined) return obj(given.spec).hostNetwork === true ? undefined : given;
  const key = podIndex(state, currentIndex(state)).byIP.get(ip);
  if (key === undefined) return undefined;
  const pod = tryGet(state, 'pods', key.namespace, key.name);
  return pod !== undefined && str(obj(pod.status).podIP) === ip ? pod : undefined;
}

/** Host-network pods of the node with this address. */
export const hostPodsAt = (state: NetworkState, ip: string): KubeObject[] =>
  (podIndex(state, currentIndex(state)).hostNetwork.get(ip) ?? [])
    .map((k) => tryGet(state, 'pods', k.namespace, k.name))
    .filter((p): p is KubeObject => p !== undefined);

export function nodeIPOf(state: NetworkState, name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const node = currentIndex(state).nodesByName.get(name);
  const address = list(obj(node?.status).addresses).find((a) => a.type === 'InternalIP');
  return address ? str(address.address) : undefined;
}

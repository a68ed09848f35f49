/**
 * Where a TCP connection lands (kube-proxy's rules): a service address goes to one ready
 * endpoint, a node address to a NodePort, a host-network pod or a `hostPort`, a pod address to
 * the pod, and two internet hosts answer on 80 and 443.
 */

import type { JsonObject } from '../api/machinery/json-values.js';
import type { Connection, Vantage } from '../images/types.js';
import type { KubeObject } from '../store/types.js';
import { internetBehaviour, internetHost } from './internet.js';
import { hash, isClusterAddress } from './view-address.js';
import { listener, toPod } from './view-pods.js';
import {
  currentIndex,
  hostPodsAt,
  list,
  metaOf,
  type NetworkState,
  nodeIPOf,
  obj,
  podAt,
  podIndex,
  str,
  tryGet,
} from './view-state.js';

/** An endpoint address and port that can take a connection. */
export interface Candidate {
  readonly ip: string;
  readonly port: number;
  readonly nodeName?: string;
  readonly targetRef?: { namespace: string; name: string };
}

/** A pod's `hostPort` mapping on a node (a `hostPort` → that pod's `containerPort`). */
function hostPortOn(
  state: NetworkState,
  nodeIP: string,
  port: number,
): { pod: KubeObject; containerPort: number } | undefined {
  const node = currentIndex(state).nodesByIP.get(nodeIP);
  if (node === undefined) return undefined;
  const nodeName = str(metaOf(node).name);
  for (const key of podIndex(state, currentIndex(state)).byIP.values()) {
    const pod = tryGet(state, 'pods', key.namespace, key.name);
    if (pod === undefined || str(obj(pod.spec).nodeName) !== nodeName) continue;
    for (const container of list(obj(pod.spec).containers)) {
      for (const p of list(container.ports)) {
        if (p.hostPort === port && (p.protocol ?? 'TCP') === 'TCP')
          return { pod, containerPort: Number(p.containerPort) };
      }
    }
  }
  return undefined;
}

/** A node address: NodePort, host-network pods, host ports, else refused. */
function toNode(state: NetworkState, ip: string, port: number, from: Vantage, depth: number): Connection {
  const nodePort = currentIndex(state).servicesByNodePort.get(port);
  if (nodePort !== undefined) {
    const node = currentIndex(state).nodesByIP.get(ip);
    return toService(
      state,
      nodePort.service,
      nodePort.port,
      from,
      { viaNode: str(metaOf(node ?? {}).name) },
      depth,
    );
  }
  for (const pod of hostPodsAt(state, ip)) {
    const found = listener(state, pod, port);
    if (found !== undefined) return toPod(state, pod, port, from);
  }
  const mapped = hostPortOn(state, ip, port);
  if (mapped !== undefined) return toPod(state, mapped.pod, mapped.containerPort, from);
  return { ok: false, error: 'refused' };
}

/** The endpoints of a service port that can take a connection now. */
export function candidatesOf(state: NetworkState, service: KubeObject, servicePort: JsonObject): Candidate[] {
  const namespace = str(metaOf(service).namespace);
  const endpoints = tryGet(state, 'endpoints', namespace, str(metaOf(service).name));
  if (endpoints === undefined) return [];
  const ports = list(obj(service.spec).ports);
  const portName = str(servicePort.name);
  const out: Candidate[] = [];
  for (const subset of list(endpoints.subsets)) {
    const subsetPorts = list(subset.ports);
    const match =
      subsetPorts.find(
        (p) => str(p.name) === portName && (p.protocol ?? 'TCP') === (servicePort.protocol ?? 'TCP'),
      ) ?? (ports.length === 1 && subsetPorts.length === 1 ? subsetPorts[0] : undefined);
    if (match === undefined || typeof match.port !== 'number') continue;
    for (const address of list(subset.addresses)) {
      const ref = obj(address.targetRef);
      out.push({
        ip: str(address.ip),
        port: match.port,
        ...(str(address.nodeName) !== '' ? { nodeName: str(address.nodeName) } : {}),
        ...(ref.kind === 'Pod'
          ? { targetRef: { namespace: str(ref.namespace) || namespace, name: str(ref.name) } }
          : {}),
      });
    }
  }
  return out;
}

function toEndpoint(state: NetworkState, candidate: Candidate, from: Vantage, depth: number): Connection {
  if (candidate.targetRef !== undefined) {
    const pod = tryGet(state, 'pods', candidate.targetRef.namespace, candidate.targetRef.name);
    if (pod !== undefined && obj(pod.spec).hostNetwork !== true)
      return toPod(state, pod, candidate.port, from);
  }
  return depth > 3
    ? { ok: false, error: 'timeout' }
    : connect(state, candidate.ip, candidate.port, from, depth + 1);
}

const clientKey = (state: NetworkState, from: Vantage) =>
  from.podIP ?? nodeIPOf(state, from.nodeName) ?? 'external';

function toService(
  state: NetworkState,
  service: KubeObject,
  servicePort: JsonObject,
  from: Vantage,
  via: { viaNode?: string },
  depth: number,
): Connection {
  const { counters, host } = state;
  const spec = obj(service.spec);
  let candidates = candidatesOf(state, service, servicePort);
  const local =
    via.viaNode !== undefined
      ? spec.externalTrafficPolicy === 'Local'
      : spec.internalTrafficPolicy === 'Local';
  if (local) {
    const nodeName = via.viaNode ?? from.nodeName;
    candidates = candidates.filter((c) => c.nodeName === nodeName);
    // No local endpoint: the node drops the packets.
    if (candidates.length === 0) return { ok: false, error: 'timeout' };
  }
  // kube-proxy rejects connections to a service with no ready endpoint.
  if (candidates.length === 0) return { ok: false, error: 'refused' };
  const key = `${str(metaOf(service).namespace)}/${str(metaOf(service).name)}:${String(servicePort.port)}`;
  let pick: number;
  if (spec.sessionAffinity === 'ClientIP') {
    pick = hash(clientKey(state, from)) % candidates.length;
  } else {
    // Round robin within this process, from a start that moves with the clock, so that
    // separate commands (each its own process) land on different pods too.
    const n = counters.get(key) ?? 0;
    counters.set(key, n + 1);
    pick = (hash(`${key}@${host.now().getTime()}`) + n) % candidates.length;
  }
  return toEndpoint(state, candidates[pick]!, from, depth);
}

export function connect(state: NetworkState, ip: string, port: number, from: Vantage, depth = 0): Connection {
  let target = ip;
  if (target.startsWith('127.') || target === 'localhost') {
    if (from.kind === 'pod' && from.podIP) target = from.podIP;
    else if (from.kind === 'node') target = nodeIPOf(state, from.nodeName) ?? target;
    else return { ok: false, error: 'refused' };
  }
  const idx = currentIndex(state);
  const service = idx.servicesByIP.get(target);
  if (service !== undefined) {
    const spec = obj(service.spec);
    const isClusterIP =
      str(spec.clusterIP) === target || (Array.isArray(spec.clusterIPs) && spec.clusterIPs.includes(target));
    if (isClusterIP && from.kind === 'external') return { ok: false, error: 'unreachable' };
    const servicePort = list(spec.ports).find((p) => p.port === port && (p.protocol ?? 'TCP') === 'TCP');
    // No rule for that port: the virtual address does not answer.
    if (servicePort === undefined) return { ok: false, error: 'timeout' };
    return toService(state, service, servicePort, from, {}, depth);
  }
  if (idx.nodesByIP.has(target)) return toNode(state, target, port, from, depth);
  if (isClusterAddress(target)) {
    if (from.kind === 'external') return { ok: false, error: 'unreachable' };
    const pod = podAt(state, target);
    return pod === undefined ? { ok: false, error: 'timeout' } : toPod(state, pod, port, from);
  }
  const internet = internetHost(target);
  if (internet !== undefined && (port === 80 || port === 443)) {
    const behaviour = internetBehaviour(internet);
    return {
      ok: true,
      namespace: '',
      podName: '',
      podIP: target,
      port,
      behaviour,
      context: {
        namespace: '',
        podName: internet.names[0] ?? target,
        containerName: '',
        podIP: target,
        nodeName: '',
        env: {},
        network: state.view,
        now: state.host.now().getTime(),
      },
      external: internet.names[0] ?? target,
    };
  }
  return { ok: false, error: 'timeout' };
}

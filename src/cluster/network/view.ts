/**
 * The cluster network as pods, nodes and the outside see it: CoreDNS's answers (kubernetes-
 * behaviour §2.10) and where a TCP connection lands (kube-proxy's rules).
 *
 * DNS (zone `cluster.local`): pods search `<ns>.svc.cluster.local svc.cluster.local
 * cluster.local` with `ndots:5`; `<svc>.<ns>.svc.cluster.local` is the ClusterIP, or the ready
 * endpoint addresses of a headless service; `<hostname>.<svc>.<ns>.svc.cluster.local` is an
 * endpoint with a hostname (StatefulSet pods); `a-b-c-d.<ns>.pod.cluster.local` is that address
 * (`pods insecure`); an ExternalName service is a CNAME. Nodes use their own resolver: node names
 * and the internet, not cluster names.
 *
 * Connections: a ClusterIP (or external IP, or LoadBalancer address) port goes to one ready
 * endpoint of the service's Endpoints, round robin (or by client with `sessionAffinity:
 * ClientIP`), and is refused when there is none (kube-proxy's REJECT); a node address with a
 * NodePort goes the same way, else to a host-network pod or a `hostPort` on that node; a pod
 * address goes to the container that listens on the port once its program is up, else is
 * refused. Unknown addresses of the cluster's networks time out from inside and are unreachable
 * from outside. NetworkPolicy is not enforced here: `policy` is the seam where it plugs in.
 */

import type { ClusterApi } from '../api/machinery/cluster-api.js';
import { isJsonObject, type JsonObject } from '../api/machinery/json-values.js';
import { CLUSTER_DOMAIN, DNS_SERVICE_IP } from '../bootstrap/topology.js';
import type {
  Connection,
  ContainerContext,
  ImageCatalog,
  NetworkView,
  ProcessBehaviour,
  RunningContainer,
  Vantage,
} from '../images/types.js';
import type { KubeObject } from '../store/types.js';
import { internetBehaviour, internetHost, resolveInternet } from './internet.js';

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

const SERVICE_SUFFIX = `.svc.${CLUSTER_DOMAIN}`;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

const obj = (v: unknown): JsonObject => (isJsonObject(v) ? v : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): JsonObject[] => (Array.isArray(v) ? v.filter(isJsonObject) : []);
const metaOf = (o: KubeObject) => obj(o.metadata);

function inCidr(ip: string, base: string, bits: number): boolean {
  const toInt = (a: string) => a.split('.').reduce((n, o) => (n << 8) + Number(o), 0) >>> 0;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return IPV4.test(ip) && (toInt(ip) & mask) >>> 0 === (toInt(base) & mask) >>> 0;
}

/** Pod and service networks (kubeadm's), which are not routed outside the cluster. */
const isClusterAddress = (ip: string) => inCidr(ip, '10.244.0.0', 16) || inCidr(ip, '10.96.0.0', 12);

/** What the view indexes per store revision. */
interface Index {
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

interface Candidate {
  readonly ip: string;
  readonly port: number;
  readonly nodeName?: string;
  readonly targetRef?: { namespace: string; name: string };
}

/** Builds the network view of a cluster. */
export function createNetworkView(host: NetworkHost): NetworkView {
  const { api } = host;
  const counters = new Map<string, number>();
  let index: Index | undefined;

  const tryGet = (resource: string, namespace: string, name: string): KubeObject | undefined => {
    try {
      return api.get(resource, namespace, name);
    } catch {
      return undefined;
    }
  };

  const currentIndex = (): Index => {
    const revision = api.list('namespaces').metadata.resourceVersion;
    if (index?.revision === revision) return index;
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
    index = { revision, servicesByIP, servicesByNodePort, nodesByIP, nodesByName };
    return index;
  };

  const podIndex = (idx: Index) => {
    if (idx.pods === undefined) {
      const byIP = new Map<string, { namespace: string; name: string }>();
      const hostNetwork = new Map<string, { namespace: string; name: string }[]>();
      for (const pod of api.list('pods').items) {
        const key = { namespace: str(metaOf(pod).namespace), name: str(metaOf(pod).name) };
        const ip = str(obj(pod.status).podIP);
        if (ip === '') continue;
        if (obj(pod.spec).hostNetwork === true) hostNetwork.set(ip, [...(hostNetwork.get(ip) ?? []), key]);
        else byIP.set(ip, key);
      }
      idx.pods = { byIP, hostNetwork };
    }
    return idx.pods;
  };

  /** The pod (not on the host network) with this address. */
  const podAt = (ip: string): KubeObject | undefined => {
    const given = host.podByIP?.(ip);
    if (given !== undefined) return obj(given.spec).hostNetwork === true ? undefined : given;
    const key = podIndex(currentIndex()).byIP.get(ip);
    if (key === undefined) return undefined;
    const pod = tryGet('pods', key.namespace, key.name);
    return pod !== undefined && str(obj(pod.status).podIP) === ip ? pod : undefined;
  };

  /** Host-network pods of the node with this address. */
  const hostPodsAt = (ip: string): KubeObject[] =>
    (podIndex(currentIndex()).hostNetwork.get(ip) ?? [])
      .map((k) => tryGet('pods', k.namespace, k.name))
      .filter((p): p is KubeObject => p !== undefined);

  const nodeIPOf = (name: string | undefined): string | undefined => {
    if (name === undefined) return undefined;
    const node = currentIndex().nodesByName.get(name);
    const address = list(obj(node?.status).addresses).find((a) => a.type === 'InternalIP');
    return address ? str(address.address) : undefined;
  };

  const containerContext = (pod: KubeObject, containerName: string): ContainerContext => {
    const given = host.contextOf?.(pod, containerName);
    const status = list(obj(pod.status).containerStatuses).find((s) => s.name === containerName);
    const startedAt = Date.parse(str(obj(obj(status?.state).running).startedAt));
    const base: ContainerContext = given ?? {
      namespace: str(metaOf(pod).namespace),
      podName: str(metaOf(pod).name),
      containerName,
      podIP: str(obj(pod.status).podIP),
      nodeName: str(obj(pod.spec).nodeName),
      env: {},
      network: view,
      ...(Number.isFinite(startedAt) ? { startedAt } : {}),
    };
    return { ...base, network: view, now: host.now().getTime() };
  };

  /** The container of `pod` that listens on `port` now, and since when it has. */
  const listener = (
    pod: KubeObject,
    port: number,
  ): { name: string; behaviour: ProcessBehaviour; since: number } | undefined => {
    const now = host.now().getTime();
    const statuses = list(obj(pod.status).containerStatuses);
    for (const container of list(obj(pod.spec).containers)) {
      const name = str(container.name);
      const behaviour = host.behaviourOf(pod, name);
      if (behaviour === undefined) continue;
      if (!behaviour.ports.some((p) => p.port === port && p.protocol === 'TCP')) continue;
      const status = statuses.find((s) => s.name === name);
      const startedAt = Date.parse(str(obj(obj(status?.state).running).startedAt));
      const since = (Number.isFinite(startedAt) ? startedAt : now) + behaviour.startupMs;
      if (since > now) continue;
      return { name, behaviour, since };
    }
    return undefined;
  };

  const allowed = (from: Vantage, pod: KubeObject, port: number): boolean =>
    host.policy === undefined || host.policy(from, { namespace: str(metaOf(pod).namespace), pod, port });

  const toPod = (pod: KubeObject, port: number, from: Vantage): Connection => {
    if (!allowed(from, pod, port)) return { ok: false, error: 'timeout' };
    const found = listener(pod, port);
    if (found === undefined) return { ok: false, error: 'refused' };
    return {
      ok: true,
      namespace: str(metaOf(pod).namespace),
      podName: str(metaOf(pod).name),
      podIP: str(obj(pod.status).podIP),
      port,
      behaviour: found.behaviour,
      context: containerContext(pod, found.name),
    };
  };

  /** A pod's `hostPort` mapping on a node (a `hostPort` → that pod's `containerPort`). */
  const hostPortOn = (
    nodeIP: string,
    port: number,
  ): { pod: KubeObject; containerPort: number } | undefined => {
    const node = currentIndex().nodesByIP.get(nodeIP);
    if (node === undefined) return undefined;
    const nodeName = str(metaOf(node).name);
    for (const key of podIndex(currentIndex()).byIP.values()) {
      const pod = tryGet('pods', key.namespace, key.name);
      if (pod === undefined || str(obj(pod.spec).nodeName) !== nodeName) continue;
      for (const container of list(obj(pod.spec).containers)) {
        for (const p of list(container.ports)) {
          if (p.hostPort === port && (p.protocol ?? 'TCP') === 'TCP')
            return { pod, containerPort: Number(p.containerPort) };
        }
      }
    }
    return undefined;
  };

  /** A node address: NodePort, host-network pods, host ports, else refused. */
  const toNode = (ip: string, port: number, from: Vantage, depth: number): Connection => {
    const nodePort = currentIndex().servicesByNodePort.get(port);
    if (nodePort !== undefined) {
      const node = currentIndex().nodesByIP.get(ip);
      return toService(
        nodePort.service,
        nodePort.port,
        from,
        { viaNode: str(metaOf(node ?? {}).name) },
        depth,
      );
    }
    for (const pod of hostPodsAt(ip)) {
      const found = listener(pod, port);
      if (found !== undefined) return toPod(pod, port, from);
    }
    const mapped = hostPortOn(ip, port);
    if (mapped !== undefined) return toPod(mapped.pod, mapped.containerPort, from);
    return { ok: false, error: 'refused' };
  };

  /** The endpoints of a service port that can take a connection now. */
  const candidatesOf = (service: KubeObject, servicePort: JsonObject): Candidate[] => {
    const namespace = str(metaOf(service).namespace);
    const endpoints = tryGet('endpoints', namespace, str(metaOf(service).name));
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
  };

  const toEndpoint = (candidate: Candidate, from: Vantage, depth: number): Connection => {
    if (candidate.targetRef !== undefined) {
      const pod = tryGet('pods', candidate.targetRef.namespace, candidate.targetRef.name);
      if (pod !== undefined && obj(pod.spec).hostNetwork !== true) return toPod(pod, candidate.port, from);
    }
    return depth > 3
      ? { ok: false, error: 'timeout' }
      : connect(candidate.ip, candidate.port, from, depth + 1);
  };

  const clientKey = (from: Vantage) => from.podIP ?? nodeIPOf(from.nodeName) ?? 'external';

  const toService = (
    service: KubeObject,
    servicePort: JsonObject,
    from: Vantage,
    via: { viaNode?: string },
    depth: number,
  ): Connection => {
    const spec = obj(service.spec);
    let candidates = candidatesOf(service, servicePort);
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
      pick = hash(clientKey(from)) % candidates.length;
    } else {
      // Round robin within this process, from a start that moves with the clock, so that
      // separate commands (each its own process) land on different pods too.
      const n = counters.get(key) ?? 0;
      counters.set(key, n + 1);
      pick = (hash(`${key}@${host.now().getTime()}`) + n) % candidates.length;
    }
    return toEndpoint(candidates[pick]!, from, depth);
  };

  const connect = (ip: string, port: number, from: Vantage, depth = 0): Connection => {
    let target = ip;
    if (target.startsWith('127.') || target === 'localhost') {
      if (from.kind === 'pod' && from.podIP) target = from.podIP;
      else if (from.kind === 'node') target = nodeIPOf(from.nodeName) ?? target;
      else return { ok: false, error: 'refused' };
    }
    const idx = currentIndex();
    const service = idx.servicesByIP.get(target);
    if (service !== undefined) {
      const spec = obj(service.spec);
      const isClusterIP =
        str(spec.clusterIP) === target ||
        (Array.isArray(spec.clusterIPs) && spec.clusterIPs.includes(target));
      if (isClusterIP && from.kind === 'external') return { ok: false, error: 'unreachable' };
      const servicePort = list(spec.ports).find((p) => p.port === port && (p.protocol ?? 'TCP') === 'TCP');
      // No rule for that port: the virtual address does not answer.
      if (servicePort === undefined) return { ok: false, error: 'timeout' };
      return toService(service, servicePort, from, {}, depth);
    }
    if (idx.nodesByIP.has(target)) return toNode(target, port, from, depth);
    if (isClusterAddress(target)) {
      if (from.kind === 'external') return { ok: false, error: 'unreachable' };
      const pod = podAt(target);
      return pod === undefined ? { ok: false, error: 'timeout' } : toPod(pod, port, from);
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
          network: view,
          now: host.now().getTime(),
        },
        external: internet.names[0] ?? target,
      };
    }
    return { ok: false, error: 'timeout' };
  };

  /** Records of `<…>.cluster.local`, or undefined. */
  const clusterRecord = (
    fqdn: string,
  ): { addresses: readonly string[]; canonicalName: string } | undefined => {
    if (!fqdn.endsWith(`.${CLUSTER_DOMAIN}`)) return undefined;
    const parts = fqdn.slice(0, -(CLUSTER_DOMAIN.length + 1)).split('.');
    if (parts.length === 3 && parts[2] === 'pod') {
      const ip = parts[0]!.replace(/-/g, '.');
      return IPV4.test(ip) ? { addresses: [ip], canonicalName: fqdn } : undefined;
    }
    if (parts[parts.length - 1] !== 'svc') return undefined;
    if (parts.length === 3) {
      const [name, namespace] = parts as [string, string];
      const service = tryGet('services', namespace, name);
      if (service === undefined) return undefined;
      const spec = obj(service.spec);
      if (spec.type === 'ExternalName') {
        const external = str(spec.externalName).replace(/\.$/, '');
        const target = resolveInternet(external) ?? clusterRecord(external);
        return target === undefined ? undefined : { addresses: target.addresses, canonicalName: external };
      }
      if (spec.clusterIP === 'None') {
        const addresses = readyAddresses(namespace, name).map((a) => a.ip);
        return addresses.length === 0 ? undefined : { addresses, canonicalName: fqdn };
      }
      return str(spec.clusterIP) === ''
        ? undefined
        : { addresses: [str(spec.clusterIP)], canonicalName: fqdn };
    }
    if (parts.length === 4) {
      const [hostname, name, namespace] = parts as [string, string, string];
      const found = readyAddresses(namespace, name).filter((a) => a.hostname === hostname);
      return found.length === 0 ? undefined : { addresses: found.map((a) => a.ip), canonicalName: fqdn };
    }
    return undefined;
  };

  /** The ready addresses of a service's Endpoints, with the hostname each answers to. */
  const readyAddresses = (namespace: string, name: string): { ip: string; hostname?: string }[] => {
    const endpoints = tryGet('endpoints', namespace, name);
    if (endpoints === undefined) return [];
    const out: { ip: string; hostname?: string }[] = [];
    for (const subset of list(endpoints.subsets)) {
      for (const address of list(subset.addresses)) {
        let hostname = str(address.hostname);
        const ref = obj(address.targetRef);
        if (hostname === '' && ref.kind === 'Pod') {
          // The endpoints controller copies a pod's hostname when its subdomain is the service.
          const pod = tryGet('pods', str(ref.namespace) || namespace, str(ref.name));
          const podSpec = obj(pod?.spec);
          if (str(podSpec.subdomain) === name) hostname = str(podSpec.hostname);
        }
        if (out.some((a) => a.ip === str(address.ip))) continue;
        out.push({ ip: str(address.ip), ...(hostname !== '' ? { hostname } : {}) });
      }
    }
    return out;
  };

  /** Whether cluster DNS answers (kube-dns has a ready endpoint). */
  const clusterDnsUp = (): boolean => {
    const endpoints = tryGet('endpoints', 'kube-system', 'kube-dns');
    return endpoints !== undefined && list(endpoints.subsets).some((s) => list(s.addresses).length > 0);
  };

  const resolve = (
    raw: string,
    from: Vantage,
  ): { addresses: readonly string[]; canonicalName: string } | undefined => {
    const name = raw.toLowerCase().replace(/\.$/, '');
    if (name === '') return undefined;
    if (IPV4.test(name)) return { addresses: [name], canonicalName: name };
    if (from.kind !== 'pod') {
      // A node's own resolver (/etc/hosts and upstream DNS): node names and the internet.
      if (name === 'localhost') return { addresses: ['127.0.0.1'], canonicalName: name };
      const node = currentIndex().nodesByName.get(name);
      if (node !== undefined) {
        const ip = nodeIPOf(name);
        return ip === undefined ? undefined : { addresses: [ip], canonicalName: name };
      }
      return resolveInternet(name);
    }
    if (name === 'localhost') return { addresses: ['127.0.0.1'], canonicalName: name };
    if (!clusterDnsUp()) return undefined;
    const namespace = from.namespace ?? 'default';
    const search = [`${namespace}${SERVICE_SUFFIX}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN];
    const dots = name.split('.').length - 1;
    const candidates =
      dots >= 5 ? [name, ...search.map((s) => `${name}.${s}`)] : [...search.map((s) => `${name}.${s}`), name];
    for (const candidate of candidates) {
      const record = clusterRecord(candidate) ?? (candidate === name ? resolveInternet(name) : undefined);
      if (record !== undefined) return record;
    }
    return undefined;
  };

  const ptrIndex = (): Map<string, string> => {
    const idx = currentIndex();
    if (idx.ptr === undefined) {
      const ptr = new Map<string, string>();
      for (const service of api.list('services').items) {
        const namespace = str(metaOf(service).namespace);
        const name = str(metaOf(service).name);
        const spec = obj(service.spec);
        if (spec.clusterIP === 'None') {
          for (const a of readyAddresses(namespace, name)) {
            ptr.set(a.ip, `${a.hostname ?? a.ip.replace(/\./g, '-')}.${name}.${namespace}${SERVICE_SUFFIX}`);
          }
        } else if (str(spec.clusterIP) !== '') {
          ptr.set(str(spec.clusterIP), `${name}.${namespace}${SERVICE_SUFFIX}`);
        }
      }
      idx.ptr = ptr;
    }
    return idx.ptr;
  };

  const view: NetworkView = {
    resolve,
    connect: (ip, port, from) => connect(ip, port, from, 0),
    reverse(ip) {
      return (
        ptrIndex().get(ip) ??
        internetHost(ip)?.ptr ??
        (ip === DNS_SERVICE_IP ? `kube-dns.kube-system${SERVICE_SUFFIX}` : undefined)
      );
    },
    pingable(ip, from) {
      if (ip.startsWith('127.')) return true;
      const idx = currentIndex();
      if (idx.servicesByIP.has(ip)) return false;
      if (idx.nodesByIP.has(ip)) return true;
      if (isClusterAddress(ip)) return from.kind !== 'external' && podAt(ip) !== undefined;
      return internetHost(ip) !== undefined;
    },
    reachableSince(name, port, from) {
      const resolved = resolve(name, from);
      const ip = resolved?.addresses[0];
      if (ip === undefined) return undefined;
      const service = currentIndex().servicesByIP.get(ip);
      const since = (pod: KubeObject, targetPort: number): number | undefined => {
        if (!allowed(from, pod, targetPort)) return undefined;
        const found = listener(pod, targetPort);
        if (found === undefined) return undefined;
        const ready = list(obj(pod.status).conditions).find((c) => c.type === 'Ready' && c.status === 'True');
        const readyAt = Date.parse(str(ready?.lastTransitionTime));
        return Math.max(found.since, Number.isFinite(readyAt) ? readyAt : found.since);
      };
      if (service !== undefined) {
        const servicePort = list(obj(service.spec).ports).find((p) => p.port === port);
        if (servicePort === undefined) return undefined;
        const times = candidatesOf(service, servicePort)
          .map((c) => {
            const pod = c.targetRef ? tryGet('pods', c.targetRef.namespace, c.targetRef.name) : podAt(c.ip);
            return pod === undefined ? undefined : since(pod, c.port);
          })
          .filter((t): t is number => t !== undefined);
        if (times.length === 0) return undefined;
        const created = Date.parse(str(metaOf(service).creationTimestamp));
        return Math.max(Math.min(...times), Number.isFinite(created) ? created : 0);
      }
      const pod = podAt(ip);
      return pod === undefined ? undefined : since(pod, port);
    },
    containers(namespace): RunningContainer[] {
      const out: RunningContainer[] = [];
      for (const pod of api.list('pods', { namespace }).items) {
        const statuses = list(obj(pod.status).containerStatuses);
        for (const status of statuses) {
          const startedAt = Date.parse(str(obj(obj(status.state).running).startedAt));
          if (!Number.isFinite(startedAt)) continue;
          const name = str(status.name);
          const behaviour = host.behaviourOf(pod, name);
          if (behaviour === undefined) continue;
          out.push({ image: str(status.image), startedAt, behaviour, context: containerContext(pod, name) });
        }
      }
      return out;
    },
  };
  return view;
}

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

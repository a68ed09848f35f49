/**
 * CoreDNS's answers (kubernetes-behaviour §2.10) and the node resolver: forward lookups from a
 * vantage, and reverse (PTR) lookups of service and endpoint addresses.
 */

import { CLUSTER_DOMAIN, DNS_SERVICE_IP } from '../bootstrap/topology.js';
import type { Vantage } from '../images/types.js';
import { internetHost, resolveInternet } from './internet.js';
import { IPV4 } from './view-address.js';
import {
  currentIndex,
  list,
  metaOf,
  type NetworkState,
  nodeIPOf,
  obj,
  SERVICE_SUFFIX,
  str,
  tryGet,
} from './view-state.js';

/** An answer: the addresses of a name and the name they belong to (after CNAMEs). */
export type Resolved = { addresses: readonly string[]; canonicalName: string };

/** Records of `<…>.cluster.local`, or undefined. */
function clusterRecord(state: NetworkState, fqdn: string): Resolved | undefined {
  if (!fqdn.endsWith(`.${CLUSTER_DOMAIN}`)) return undefined;
  const parts = fqdn.slice(0, -(CLUSTER_DOMAIN.length + 1)).split('.');
  if (parts.length === 3 && parts[2] === 'pod') {
    const ip = parts[0]!.replace(/-/g, '.');
    return IPV4.test(ip) ? { addresses: [ip], canonicalName: fqdn } : undefined;
  }
  if (parts[parts.length - 1] !== 'svc') return undefined;
  if (parts.length === 3) {
    const [name, namespace] = parts as [string, string];
    const service = tryGet(state, 'services', namespace, name);
    if (service === undefined) return undefined;
    const spec = obj(service.spec);
    if (spec.type === 'ExternalName') {
      const external = str(spec.externalName).replace(/\.$/, '');
      const target = resolveInternet(external) ?? clusterRecord(state, external);
      return target === undefined ? undefined : { addresses: target.addresses, canonicalName: external };
    }
    if (spec.clusterIP === 'None') {
      const addresses = readyAddresses(state, namespace, name).map((a) => a.ip);
      return addresses.length === 0 ? undefined : { addresses, canonicalName: fqdn };
    }
    return str(spec.clusterIP) === '' ? undefined : { addresses: [str(spec.clusterIP)], canonicalName: fqdn };
  }
  if (parts.length === 4) {
    const [hostname, name, namespace] = parts as [string, string, string];
    const found = readyAddresses(state, namespace, name).filter((a) => a.hostname === hostname);
    return found.length === 0 ? undefined : { addresses: found.map((a) => a.ip), canonicalName: fqdn };
  }
  return undefined;
}

/** The ready addresses of a service's Endpoints, with the hostname each answers to. */
function readyAddresses(
  state: NetworkState,
  namespace: string,
  name: string,
): { ip: string; hostname?: string }[] {
  const endpoints = tryGet(state, 'endpoints', namespace, name);
  if (endpoints === undefined) return [];
  const out: { ip: string; hostname?: string }[] = [];
  for (const subset of list(endpoints.subsets)) {
    for (const address of list(subset.addresses)) {
      let hostname = str(address.hostname);
      const ref = obj(address.targetRef);
      if (hostname === '' && ref.kind === 'Pod') {
        // The endpoints controller copies a pod's hostname when its subdomain is the service.
        const pod = tryGet(state, 'pods', str(ref.namespace) || namespace, str(ref.name));
        const podSpec = obj(pod?.spec);
        if (str(podSpec.subdomain) === name) hostname = str(podSpec.hostname);
      }
      if (out.some((a) => a.ip === str(address.ip))) continue;
      out.push({ ip: str(address.ip), ...(hostname !== '' ? { hostname } : {}) });
    }
  }
  return out;
}

/** Whether cluster DNS answers (kube-dns has a ready endpoint). */
function clusterDnsUp(state: NetworkState): boolean {
  const endpoints = tryGet(state, 'endpoints', 'kube-system', 'kube-dns');
  return endpoints !== undefined && list(endpoints.subsets).some((s) => list(s.addresses).length > 0);
}

export function resolve(state: NetworkState, raw: string, from: Vantage): Resolved | undefined {
  const name = raw.toLowerCase().replace(/\.$/, '');
  if (name === '') return undefined;
  if (IPV4.test(name)) return { addresses: [name], canonicalName: name };
  if (from.kind !== 'pod') {
    // A node's own resolver (/etc/hosts and upstream DNS): node names and the internet.
    if (name === 'localhost') return { addresses: ['127.0.0.1'], canonicalName: name };
    const node = currentIndex(state).nodesByName.get(name);
    if (node !== undefined) {
      const ip = nodeIPOf(state, name);
      return ip === undefined ? undefined : { addresses: [ip], canonicalName: name };
    }
    return resolveInternet(name);
  }
  if (name === 'localhost') return { addresses: ['127.0.0.1'], canonicalName: name };
  if (!clusterDnsUp(state)) return undefined;
  const namespace = from.namespace ?? 'default';
  const search = [`${namespace}${SERVICE_SUFFIX}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN];
  const dots = name.split('.').length - 1;
  const candidates =
    dots >= 5 ? [name, ...search.map((s) => `${name}.${s}`)] : [...search.map((s) => `${name}.${s}`), name];
  for (const candidate of candidates) {
    const record =
      clusterRecord(state, candidate) ?? (candidate === name ? resolveInternet(name) : undefined);
    if (record !== undefined) return record;
  }
  return undefined;
}

function ptrIndex(state: NetworkState): Map<string, string> {
  const idx = currentIndex(state);
  if (idx.ptr === undefined) {
    const ptr = new Map<string, string>();
    for (const service of state.api.list('services').items) {
      const namespace = str(metaOf(service).namespace);
      const name = str(metaOf(service).name);
      const spec = obj(service.spec);
      if (spec.clusterIP === 'None') {
        for (const a of readyAddresses(state, namespace, name)) {
          ptr.set(a.ip, `${a.hostname ?? a.ip.replace(/\./g, '-')}.${name}.${namespace}${SERVICE_SUFFIX}`);
        }
      } else if (str(spec.clusterIP) !== '') {
        ptr.set(str(spec.clusterIP), `${name}.${namespace}${SERVICE_SUFFIX}`);
      }
    }
    idx.ptr = ptr;
  }
  return idx.ptr;
}

/** The name of an address: a service or endpoint of the cluster, an internet host, or kube-dns. */
export function reverse(state: NetworkState, ip: string): string | undefined {
  return (
    ptrIndex(state).get(ip) ??
    internetHost(ip)?.ptr ??
    (ip === DNS_SERVICE_IP ? `kube-dns.kube-system${SERVICE_SUFFIX}` : undefined)
  );
}

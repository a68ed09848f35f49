/**
 * Table columns and cells of the networking kinds (`printers.go`): Service, Endpoints,
 * EndpointSlice, Ingress, IngressClass, NetworkPolicy.
 */

import { age } from './duration.js';
import { formatLabelSelector, formatLabelsAt } from './selectors.js';
import { column, type KindPrinter } from './table.js';
import { get, list, nameOf, optNum, str } from './values.js';

const created = (obj: unknown, now: number): string => age(get(obj, 'metadata', 'creationTimestamp'), now);

/** Load-balancer ingress points: IPs, else host names, without duplicates, comma-separated. */
function loadBalancerAddresses(status: unknown): string {
  const seen: string[] = [];
  for (const ing of list(status, 'ingress')) {
    const v = str(ing, 'ip') || str(ing, 'hostname');
    if (v !== '' && !seen.includes(v)) seen.push(v);
  }
  return seen.join(',');
}

/** `getServiceExternalIP` (the API server prints tables wide, so nothing is clipped). */
export function serviceExternalIP(svc: unknown): string {
  const externalIPs = list(svc, 'spec', 'externalIPs').filter((x): x is string => typeof x === 'string');
  switch (str(svc, 'spec', 'type')) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerAddresses(get(svc, 'status', 'loadBalancer'));
      if (externalIPs.length > 0) return [...(lb === '' ? [] : lb.split(',')), ...externalIPs].join(',');
      return lb === '' ? '<pending>' : lb;
    }
    case 'ExternalName':
      return str(svc, 'spec', 'externalName');
    default:
      return '<unknown>';
  }
}

/** `makePortString`: `80/TCP`, `80:30080/TCP`, comma-separated. */
export function servicePorts(svc: unknown): string {
  return list(svc, 'spec', 'ports')
    .map((p) => {
      const protocol = str(p, 'protocol') || 'TCP';
      const nodePort = optNum(p, 'nodePort') ?? 0;
      return nodePort > 0
        ? `${optNum(p, 'port') ?? 0}:${nodePort}/${protocol}`
        : `${optNum(p, 'port') ?? 0}/${protocol}`;
    })
    .join(',');
}

/** The first cluster IP of a service (`spec.clusterIPs[0]`, else `spec.clusterIP`), `<none>` when none. */
export function serviceClusterIP(svc: unknown): string {
  return str(svc, 'spec', 'clusterIPs', 0) || str(svc, 'spec', 'clusterIP') || '<none>';
}

/** `formatEndpoints`: `ip:port` pairs, at most three, then `+ N more...`; `<none>` without subsets. */
export function formatEndpoints(endpoints: unknown, portNames?: ReadonlySet<string>): string {
  const subsets = list(endpoints, 'subsets');
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const out: string[] = [];
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addresses = list(ss, 'addresses');
    const ports = list(ss, 'ports');
    if (ports.length === 0) {
      // Headless services may have no ports.
      count += addresses.length;
      for (const a of addresses) {
        if (out.length === max) {
          more = true;
          break;
        }
        out.push(str(a, 'ip'));
      }
      continue;
    }
    for (const port of ports) {
      if (portNames !== undefined && !portNames.has(str(port, 'name'))) continue;
      count += addresses.length;
      for (const a of addresses) {
        if (out.length === max) {
          more = true;
          break;
        }
        const ip = str(a, 'ip');
        out.push(`${ip.includes(':') ? `[${ip}]` : ip}:${optNum(port, 'port') ?? 0}`);
      }
    }
  }
  const text = out.join(',');
  return more ? `${text} + ${count - max} more...` : text;
}

const listWithMore = (items: string[], total: number, max: number): string => {
  if (total > max) return `${items.join(',')} + ${total - max} more...`;
  return items.length === 0 ? '<unset>' : items.join(',');
};

function slicePorts(slice: unknown): string {
  const ports = list(slice, 'ports');
  const out = ports.slice(0, 3).map((p) => {
    const port = optNum(p, 'port');
    if (port !== undefined) return String(port);
    return typeof get(p, 'name') === 'string' ? str(p, 'name') : '*';
  });
  return listWithMore(out, ports.length, 3);
}

function sliceEndpoints(slice: unknown): string {
  const all = list(slice, 'endpoints').flatMap((e) =>
    list(e, 'addresses').filter((a): a is string => typeof a === 'string'),
  );
  return listWithMore(all.slice(0, 3), all.length, 3);
}

function ingressHosts(ing: unknown): string {
  const rules = list(ing, 'spec', 'rules');
  const max = 3;
  const out: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (out.length === max) more = true;
    if (!more && str(rule, 'host') !== '') out.push(str(rule, 'host'));
  }
  if (out.length === 0) return '*';
  return more ? `${out.join(',')} + ${rules.length - max} more...` : out.join(',');
}

/** The networking kinds' printers, by kind. */
export const NETWORK_PRINTERS: Readonly<Record<string, KindPrinter>> = {
  Service: {
    columns: [
      column('Name'),
      column('Type'),
      column('Cluster-IP'),
      column('External-IP'),
      column('Port(s)'),
      column('Age'),
      column('Selector', 'string', 1),
    ],
    cells: (o, now) => [
      nameOf(o),
      str(o, 'spec', 'type'),
      serviceClusterIP(o),
      serviceExternalIP(o),
      servicePorts(o) || '<none>',
      created(o, now),
      formatLabelsAt(o, 'spec', 'selector'),
    ],
  },
  Endpoints: {
    columns: [column('Name'), column('Endpoints'), column('Age')],
    cells: (o, now) => [nameOf(o), formatEndpoints(o), created(o, now)],
  },
  EndpointSlice: {
    columns: [column('Name'), column('AddressType'), column('Ports'), column('Endpoints'), column('Age')],
    cells: (o, now) => [nameOf(o), str(o, 'addressType'), slicePorts(o), sliceEndpoints(o), created(o, now)],
  },
  Ingress: {
    columns: [
      column('Name'),
      column(
        'Class',
        'string',
        0,
        'The name of the IngressClass resource that should be used for additional configuration',
      ),
      column(
        'Hosts',
        'string',
        0,
        'Hosts that incoming requests are matched against before the ingress rule',
      ),
      column('Address', 'string', 0, 'Address is a list containing ingress points for the load-balancer'),
      column('Ports', 'string', 0, 'Ports of TLS configurations that open'),
      column('Age'),
    ],
    cells: (o, now) => [
      nameOf(o),
      str(o, 'spec', 'ingressClassName') || '<none>',
      ingressHosts(o),
      loadBalancerAddresses(get(o, 'status', 'loadBalancer')),
      list(o, 'spec', 'tls').length > 0 ? '80, 443' : '80',
      created(o, now),
    ],
  },
  IngressClass: {
    columns: [
      column('Name'),
      column('Controller', 'string', 0, 'Controller that is responsible for handling this class'),
      column('Parameters', 'string', 0, 'A reference to a resource with additional parameters'),
      column('Age'),
    ],
    cells: (o, now) => {
      const p = get(o, 'spec', 'parameters');
      let parameters = '<none>';
      if (p !== undefined && p !== null) {
        const group = get(p, 'apiGroup');
        parameters = `${str(p, 'kind')}${typeof group === 'string' ? `.${group}` : ''}/${str(p, 'name')}`;
      }
      return [nameOf(o), str(o, 'spec', 'controller'), parameters, created(o, now)];
    },
  },
  NetworkPolicy: {
    columns: [column('Name'), column('Pod-Selector'), column('Age')],
    cells: (o, now) => [nameOf(o), formatLabelSelector(get(o, 'spec', 'podSelector') ?? {}), created(o, now)],
  },
};

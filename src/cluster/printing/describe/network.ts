/** `kubectl describe` of Service, Ingress, Endpoints, EndpointSlice and NetworkPolicy. */

import { get, isMap, list, nameOf, namespaceOf, optNum, str, strMap } from '../values.js';
import {
  describeEvents,
  formatLabelsOf,
  LEVEL_0,
  LEVEL_1,
  LEVEL_2,
  LEVEL_3,
  PrefixWriter,
  printAnnotations,
  printLabels,
  printMetadata,
} from './writer.js';

/**
 * EndpointSlices of a service as describe reads them; when the cluster keeps only Endpoints, their
 * subsets stand in (one slice per subset, not-ready addresses as not ready).
 */
export function slicesFor(
  service: string,
  slices: readonly unknown[] | undefined,
  endpoints: readonly unknown[] | undefined,
): unknown[] {
  const own = (slices ?? []).filter(
    (s) => str(s, 'metadata', 'labels', 'kubernetes.io/service-name') === service,
  );
  if (own.length > 0 || slices !== undefined) return own;
  const ep = (endpoints ?? []).find((e) => nameOf(e) === service);
  return list(ep, 'subsets').map((ss) => ({
    ports: list(ss, 'ports').map((p) => ({
      name: str(p, 'name'),
      port: optNum(p, 'port'),
      protocol: str(p, 'protocol'),
    })),
    endpoints: [
      ...list(ss, 'addresses').map((a) => ({ addresses: [str(a, 'ip')], conditions: { ready: true } })),
      ...list(ss, 'notReadyAddresses').map((a) => ({
        addresses: [str(a, 'ip')],
        conditions: { ready: false },
      })),
    ],
  }));
}

/** `formatEndpointSlices`: ready `ip:port` pairs of the named ports, at most three, then `+ N more...`. */
export function formatEndpointSlices(slices: readonly unknown[], portName: string): string {
  if (slices.length === 0) return '<none>';
  const out: string[] = [];
  let more = false;
  let count = 0;
  const add = (endpoint: unknown, text: () => string): void => {
    if (out.length === 3) more = true;
    const ready = get(endpoint, 'conditions', 'ready');
    if (ready === false) return;
    if (!more) out.push(text());
    count++;
  };
  for (const slice of slices) {
    const ports = list(slice, 'ports');
    if (ports.length === 0) {
      for (const e of list(slice, 'endpoints')) add(e, () => str(e, 'addresses', 0));
      continue;
    }
    for (const port of ports) {
      if (str(port, 'name') !== portName) continue;
      for (const e of list(slice, 'endpoints')) {
        const ip = str(e, 'addresses', 0);
        add(e, () => `${ip.includes(':') ? `[${ip}]` : ip}:${optNum(port, 'port') ?? 0}`);
      }
    }
  }
  const text = out.join(',');
  return more ? `${text} + ${count - 3} more...` : text;
}

/** `kubectl describe service`; `slices` are its EndpointSlices (or `endpoints`, the namespace's Endpoints). */
export function describeService(
  svc: unknown,
  slices: readonly unknown[],
  events: readonly unknown[],
  now: number,
): string {
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${nameOf(svc)}\n`);
  w.write(LEVEL_0, `Namespace:\t${namespaceOf(svc)}\n`);
  printMetadata(w, svc);
  const spec = get(svc, 'spec');
  w.write(LEVEL_0, `Selector:\t${formatLabelsOf(spec, 'selector')}\n`);
  w.write(LEVEL_0, `Type:\t${str(spec, 'type')}\n`);
  if (str(spec, 'ipFamilyPolicy') !== '')
    w.write(LEVEL_0, `IP Family Policy:\t${str(spec, 'ipFamilyPolicy')}\n`);
  const families = list(spec, 'ipFamilies');
  w.write(LEVEL_0, `IP Families:\t${families.length > 0 ? families.join(',') : '<none>'}\n`);
  w.write(LEVEL_0, `IP:\t${str(spec, 'clusterIP')}\n`);
  const ips = list(spec, 'clusterIPs');
  w.write(LEVEL_0, `IPs:\t${ips.length > 0 ? ips.join(',') : '<none>'}\n`);
  const externalIPs = list(spec, 'externalIPs');
  if (externalIPs.length > 0) w.write(LEVEL_0, `External IPs:\t${externalIPs.join(',')}\n`);
  if (str(spec, 'loadBalancerIP') !== '')
    w.write(LEVEL_0, `Desired LoadBalancer IP:\t${str(spec, 'loadBalancerIP')}\n`);
  if (str(spec, 'externalName') !== '') w.write(LEVEL_0, `External Name:\t${str(spec, 'externalName')}\n`);
  const ingress = list(svc, 'status', 'loadBalancer', 'ingress');
  if (ingress.length > 0) {
    const text = ingress
      .map((i) =>
        str(i, 'ip') !== ''
          ? `${str(i, 'ip')}${str(i, 'ipMode') === '' ? '' : ` (${str(i, 'ipMode')})`}`
          : str(i, 'hostname'),
      )
      .join(', ');
    w.write(LEVEL_0, `LoadBalancer Ingress:\t${text}\n`);
  }
  for (const p of list(spec, 'ports')) {
    const name = str(p, 'name') || '<unset>';
    const protocol = str(p, 'protocol');
    w.write(LEVEL_0, `Port:\t${name}\t${optNum(p, 'port') ?? 0}/${protocol}\n`);
    const target = get(p, 'targetPort');
    w.write(
      LEVEL_0,
      `TargetPort:\t${typeof target === 'string' ? target : String(typeof target === 'number' ? target : 0)}/${protocol}\n`,
    );
    if (str(p, 'appProtocol') !== '') w.write(LEVEL_0, `AppProtocol:\t${str(p, 'appProtocol')}\n`);
    const nodePort = optNum(p, 'nodePort') ?? 0;
    if (nodePort !== 0) w.write(LEVEL_0, `NodePort:\t${name}\t${nodePort}/${protocol}\n`);
    w.write(LEVEL_0, `Endpoints:\t${formatEndpointSlices(slices, str(p, 'name'))}\n`);
  }
  w.write(LEVEL_0, `Session Affinity:\t${str(spec, 'sessionAffinity')}\n`);
  const optional: [string, string][] = [
    ['externalTrafficPolicy', 'External Traffic Policy'],
    ['internalTrafficPolicy', 'Internal Traffic Policy'],
  ];
  for (const [key, label] of optional)
    if (str(spec, key) !== '') w.write(LEVEL_0, `${label}:\t${str(spec, key)}\n`);
  if ((optNum(spec, 'healthCheckNodePort') ?? 0) !== 0)
    w.write(LEVEL_0, `HealthCheck NodePort:\t${optNum(spec, 'healthCheckNodePort')}\n`);
  const ranges = list(spec, 'loadBalancerSourceRanges');
  if (ranges.length > 0) w.write(LEVEL_0, `LoadBalancer Source Ranges:\t${ranges.join(',')}\n`);
  if (str(spec, 'trafficDistribution') !== '')
    w.write(LEVEL_0, `Traffic Distribution:\t${str(spec, 'trafficDistribution')}\n`);
  describeEvents(w, events, now);
  return w.toString();
}

/** Objects an ingress description looks up: the namespace's services and their endpoints. */
export interface IngressBackends {
  readonly services: readonly unknown[];
  readonly endpointSlices?: readonly unknown[];
  readonly endpoints?: readonly unknown[];
}

function backendText(ns: string, backend: unknown, related: IngressBackends): string {
  const service = get(backend, 'service');
  if (isMap(service)) {
    const name = str(service, 'name');
    const number = optNum(service, 'port', 'number') ?? 0;
    const portText = number !== 0 ? String(number) : str(service, 'port', 'name');
    const sb = `${name}:${portText}`;
    const svc = related.services.find(
      (s) => nameOf(s) === name && (namespaceOf(s) === ns || namespaceOf(s) === ''),
    );
    if (svc === undefined) return `${sb} (<error: services "${name}" not found>)`;
    let spName = '';
    for (const sp of list(svc, 'spec', 'ports')) {
      if (number !== 0 && number === optNum(sp, 'port')) spName = str(sp, 'name');
      else if (str(service, 'port', 'name') !== '' && str(service, 'port', 'name') === str(sp, 'name'))
        spName = str(sp, 'name');
    }
    return `${sb} (${formatEndpointSlices(slicesFor(name, related.endpointSlices, related.endpoints), spName)})`;
  }
  const resource = get(backend, 'resource');
  if (isMap(resource)) {
    const group = get(resource, 'apiGroup');
    return `APIGroup: ${typeof group === 'string' ? group : '<none>'}, Kind: ${str(resource, 'kind')}, Name: ${str(resource, 'name')}`;
  }
  return '';
}

/** `kubectl describe ingress`. */
export function describeIngress(
  ing: unknown,
  related: IngressBackends,
  events: readonly unknown[],
  now: number,
): string {
  const w = new PrefixWriter();
  const ns = namespaceOf(ing);
  w.write(LEVEL_0, `Name:\t${nameOf(ing)}\n`);
  printLabels(w, 'Labels', strMap(ing, 'metadata', 'labels'));
  w.write(LEVEL_0, `Namespace:\t${ns}\n`);
  const addresses = [
    ...new Set(
      list(ing, 'status', 'loadBalancer', 'ingress')
        .map((i) => str(i, 'ip') || str(i, 'hostname'))
        .filter((x) => x !== ''),
    ),
  ].sort();
  w.write(LEVEL_0, `Address:\t${addresses.join(',')}\n`);
  w.write(LEVEL_0, `Ingress Class:\t${str(ing, 'spec', 'ingressClassName') || '<none>'}\n`);
  const def = get(ing, 'spec', 'defaultBackend');
  const defText = isMap(def) ? backendText(ns, def, related) : '<default>';
  w.write(LEVEL_0, `Default backend:\t${defText}\n`);
  const tls = list(ing, 'spec', 'tls');
  if (tls.length > 0) {
    w.write(LEVEL_0, 'TLS:\n');
    for (const t of tls) {
      const hosts = list(t, 'hosts').join(',');
      w.write(
        LEVEL_1,
        str(t, 'secretName') === ''
          ? `SNI routes ${hosts}\n`
          : `${str(t, 'secretName')} terminates ${hosts}\n`,
      );
    }
  }
  w.write(LEVEL_0, 'Rules:\n  Host\tPath\tBackends\n');
  w.write(LEVEL_1, '----\t----\t--------\n');
  let count = 0;
  for (const rule of list(ing, 'spec', 'rules')) {
    if (!isMap(get(rule, 'http'))) continue;
    count++;
    w.write(LEVEL_1, `${str(rule, 'host') || '*'}\t\n`);
    for (const path of list(rule, 'http', 'paths')) {
      w.write(LEVEL_2, `\t${str(path, 'path')} \t${backendText(ns, get(path, 'backend'), related)}\n`);
    }
  }
  if (count === 0) w.write(LEVEL_1, `*\t*\t${defText}\n`);
  printAnnotations(w, 'Annotations', strMap(ing, 'metadata', 'annotations'));
  describeEvents(w, events, now);
  return w.toString();
}

/** `kubectl describe endpoints`. */
export function describeEndpoints(ep: unknown, events: readonly unknown[], now: number): string {
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${nameOf(ep)}\n`);
  w.write(LEVEL_0, `Namespace:\t${namespaceOf(ep)}\n`);
  printMetadata(w, ep);
  w.write(LEVEL_0, 'Subsets:\n');
  for (const ss of list(ep, 'subsets')) {
    const ips = (key: string) =>
      list(ss, key)
        .map((a) => str(a, 'ip'))
        .join(',') || '<none>';
    w.write(LEVEL_1, `Addresses:\t${ips('addresses')}\n`);
    w.write(LEVEL_1, `NotReadyAddresses:\t${ips('notReadyAddresses')}\n`);
    const ports = list(ss, 'ports');
    if (ports.length > 0) {
      w.write(LEVEL_1, 'Ports:\n');
      w.write(LEVEL_2, 'Name\tPort\tProtocol\n');
      w.write(LEVEL_2, '----\t----\t--------\n');
      for (const p of ports)
        w.write(
          LEVEL_2,
          `${str(p, 'name') || '<unset>'}\t${optNum(p, 'port') ?? 0}\t${str(p, 'protocol')}\n`,
        );
    }
    w.write(LEVEL_0, '\n');
  }
  describeEvents(w, events, now);
  return w.toString();
}

/** `kubectl describe endpointslice`. */
export function describeEndpointSlice(eps: unknown, events: readonly unknown[], now: number): string {
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${nameOf(eps)}\n`);
  w.write(LEVEL_0, `Namespace:\t${namespaceOf(eps)}\n`);
  printMetadata(w, eps);
  w.write(LEVEL_0, `AddressType:\t${str(eps, 'addressType')}\n`);
  const ports = list(eps, 'ports');
  if (ports.length === 0) w.write(LEVEL_0, 'Ports: <unset>\n');
  else {
    w.write(LEVEL_0, 'Ports:\n');
    w.write(LEVEL_1, 'Name\tPort\tProtocol\n');
    w.write(LEVEL_1, '----\t----\t--------\n');
    for (const p of ports) {
      const port = optNum(p, 'port');
      w.write(
        LEVEL_1,
        `${str(p, 'name') || '<unset>'}\t${port === undefined ? '<unset>' : port}\t${str(p, 'protocol')}\n`,
      );
    }
  }
  const endpoints = list(eps, 'endpoints');
  if (endpoints.length === 0) w.write(LEVEL_0, 'Endpoints: <none>\n');
  else {
    w.write(LEVEL_0, 'Endpoints:\n');
    for (const e of endpoints) {
      w.write(LEVEL_1, `- Addresses:\t${list(e, 'addresses').join(', ') || '<none>'}\n`);
      w.write(LEVEL_2, 'Conditions:\n');
      const ready = get(e, 'conditions', 'ready');
      w.write(LEVEL_3, `Ready:\t${typeof ready === 'boolean' ? String(ready) : '<unset>'}\n`);
      w.write(LEVEL_2, `Hostname:\t${str(e, 'hostname') || '<unset>'}\n`);
      if (isMap(get(e, 'targetRef')))
        w.write(LEVEL_2, `TargetRef:\t${str(e, 'targetRef', 'kind')}/${str(e, 'targetRef', 'name')}\n`);
      w.write(LEVEL_2, `NodeName:\t${str(e, 'nodeName') || '<unset>'}\n`);
      w.write(LEVEL_2, `Zone:\t${str(e, 'zone') || '<unset>'}\n`);
    }
  }
  describeEvents(w, events, now);
  return w.toString();
}

/** `kubectl describe ingressclass`. */
export function describeIngressClass(ic: unknown, events: readonly unknown[], now: number): string {
  const w = new PrefixWriter();
  w.write(LEVEL_0, `Name:\t${nameOf(ic)}\n`);
  printMetadata(w, ic);
  w.write(LEVEL_0, `Controller:\t${str(ic, 'spec', 'controller')}\n`);
  const p = get(ic, 'spec', 'parameters');
  if (isMap(p)) {
    w.write(LEVEL_0, 'Parameters:\n');
    if (typeof p.apiGroup === 'string') w.write(LEVEL_1, `APIGroup:\t${p.apiGroup}\n`);
    w.write(LEVEL_1, `Kind:\t${str(p, 'kind')}\n`);
    w.write(LEVEL_1, `Name:\t${str(p, 'name')}\n`);
  }
  describeEvents(w, events, now);
  return w.toString();
}

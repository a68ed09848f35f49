/**
 * What the API server allocates for a Service (§2.10, §6.10): a ClusterIP from the service CIDR
 * (`kubernetes` 10.96.0.1, `kube-dns` 10.96.0.10; `None` for headless; none for ExternalName), a
 * NodePort per port for NodePort and LoadBalancer services, a health-check port for
 * `externalTrafficPolicy: Local`, and a LoadBalancer ingress IP from a simulated pool. Requested
 * values are honoured or refused as Kubernetes refuses them. Allocations live in store meta and
 * are released when the Service goes or stops needing them.
 */

import type { StoreWriter } from '../../store/types.js';
import type { FieldError } from '../types.js';
import { invalidValue } from './invalid-error.js';
import { getOwn, isJsonObject, type JsonObject } from './json-values.js';
import {
  type Allocations,
  type BandedRange,
  formatIPv4,
  parseCidr,
  parseIPv4,
  pickFree,
  readAllocations,
  writeAllocations,
} from './range-allocator.js';
import type { SeededRandom } from './seeded-random.js';

/** The simulated cluster's service network. */
export interface ServiceNetworkOptions {
  /** @default '10.96.0.0/12' (kubeadm) */
  readonly serviceCidr?: string;
  /** @default [30000, 32767] */
  readonly nodePortRange?: readonly [number, number];
  /** First and last address of the LoadBalancer pool. @default ['172.18.255.200', '172.18.255.250'] */
  readonly loadBalancerPool?: readonly [string, string];
  /**
   * Offsets in the service CIDR given to well-known Services (`namespace/name`) that ask for no
   * ClusterIP. @default { 'default/kubernetes': 1, 'kube-system/kube-dns': 10 }
   */
  readonly wellKnownClusterIPs?: Readonly<Record<string, number>>;
}

/** Meta keys of the allocations. */
export const SERVICE_ALLOCATION_META = {
  clusterIPs: 'api.service-cluster-ips',
  nodePorts: 'api.service-node-ports',
  loadBalancerIPs: 'api.service-load-balancer-ips',
} as const;

type Pool = keyof typeof SERVICE_ALLOCATION_META;

/** The allocation maps one write works on, read lazily and written back only when changed. */
class AllocationSession {
  private readonly maps = new Map<Pool, Allocations>();
  private readonly dirty = new Set<Pool>();
  constructor(private readonly tx: StoreWriter) {}

  get(pool: Pool): Allocations {
    let m = this.maps.get(pool);
    if (m === undefined) this.maps.set(pool, (m = readAllocations(this.tx, SERVICE_ALLOCATION_META[pool])));
    return m;
  }
  take(pool: Pool, value: string, owner: string): void {
    this.get(pool)[value] = owner;
    this.dirty.add(pool);
  }
  release(pool: Pool, value: string, owner: string): void {
    const m = this.get(pool);
    if (m[value] === owner) {
      delete m[value];
      this.dirty.add(pool);
    }
  }
  commit(): void {
    for (const pool of this.dirty) writeAllocations(this.tx, SERVICE_ALLOCATION_META[pool], this.get(pool));
  }
}

const typeOf = (spec: JsonObject): string => (typeof spec.type === 'string' ? spec.type : 'ClusterIP');
const needsNodePorts = (spec: JsonObject): boolean =>
  typeOf(spec) === 'NodePort' ||
  (typeOf(spec) === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
const needsHealthCheck = (spec: JsonObject): boolean =>
  typeOf(spec) === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
const portsOf = (spec: JsonObject | undefined): JsonObject[] =>
  Array.isArray(spec?.ports) ? spec.ports.filter(isJsonObject) : [];
const specOf = (svc: JsonObject | undefined): JsonObject | undefined => {
  const s = getOwn(svc, 'spec');
  return isJsonObject(s) ? s : undefined;
};
const ingressIPs = (svc: JsonObject | undefined): string[] => {
  const ingress = getOwn(getOwn(getOwn(svc, 'status'), 'loadBalancer'), 'ingress');
  return Array.isArray(ingress)
    ? ingress.map((i) => getOwn(i, 'ip')).filter((ip): ip is string => typeof ip === 'string')
    : [];
};

/** Allocates and releases Service addresses and ports. */
export class ServiceAllocator {
  private readonly cidr: string;
  private readonly base: number;
  private readonly ipRange: BandedRange;
  private readonly ports: BandedRange;
  private readonly pool: readonly [number, number];
  private readonly wellKnown: Readonly<Record<string, number>>;

  constructor(options: ServiceNetworkOptions = {}) {
    this.cidr = options.serviceCidr ?? '10.96.0.0/12';
    const { base, size } = parseCidr(this.cidr);
    this.base = base;
    // Network and broadcast addresses are never handed out.
    this.ipRange = { first: 1, size: size - 2, staticSize: Math.min(Math.max(16, size / 16), 256) };
    const [lo, hi] = options.nodePortRange ?? [30000, 32767];
    const n = hi - lo + 1;
    this.ports = { first: lo, size: n, staticSize: Math.min(Math.max(16, Math.floor(n / 32)), 128) };
    const [first, last] = options.loadBalancerPool ?? ['172.18.255.200', '172.18.255.250'];
    this.pool = [parseIPv4(first) ?? 0, parseIPv4(last) ?? -1];
    this.wellKnown = options.wellKnownClusterIPs ?? { 'default/kubernetes': 1, 'kube-system/kube-dns': 10 };
  }

  /** Fills a new Service's allocations in place; returns the refusals (nothing is kept then). */
  allocate(tx: StoreWriter, random: SeededRandom, service: JsonObject, owner: string): FieldError[] {
    return this.reallocate(tx, random, undefined, service, owner);
  }

  /**
   * Carries allocations over an update (an omitted ClusterIP or NodePort keeps the old one),
   * allocates what the new type needs and releases what it no longer does.
   */
  reallocate(
    tx: StoreWriter,
    random: SeededRandom,
    old: JsonObject | undefined,
    service: JsonObject,
    owner: string,
  ): FieldError[] {
    const spec = specOf(service);
    if (spec === undefined) return [];
    const session = new AllocationSession(tx);
    const errors: FieldError[] = [];
    this.clusterIP(session, random, specOf(old), spec, owner, errors);
    this.nodePorts(session, random, specOf(old), spec, owner, errors);
    this.loadBalancer(session, old, service, owner);
    if (errors.length === 0) session.commit();
    return errors;
  }

  /** Releases everything a deleted Service held. */
  release(tx: StoreWriter, service: JsonObject, owner: string): void {
    const session = new AllocationSession(tx);
    const spec = specOf(service);
    const ips = Array.isArray(spec?.clusterIPs) ? spec.clusterIPs : [spec?.clusterIP];
    for (const ip of ips) if (typeof ip === 'string') session.release('clusterIPs', ip, owner);
    for (const p of portsOf(spec))
      if (typeof p.nodePort === 'number') session.release('nodePorts', String(p.nodePort), owner);
    if (typeof spec?.healthCheckNodePort === 'number')
      session.release('nodePorts', String(spec.healthCheckNodePort), owner);
    for (const ip of ingressIPs(service)) session.release('loadBalancerIPs', ip, owner);
    session.commit();
  }

  private clusterIP(
    session: AllocationSession,
    random: SeededRandom,
    old: JsonObject | undefined,
    spec: JsonObject,
    owner: string,
    errors: FieldError[],
  ): void {
    const oldIP =
      old !== undefined && typeOf(old) !== 'ExternalName' && typeof old.clusterIP === 'string'
        ? old.clusterIP
        : '';
    if (typeOf(spec) === 'ExternalName') {
      if (oldIP !== '') session.release('clusterIPs', oldIP, owner);
      if (typeof spec.clusterIP === 'string' && spec.clusterIP !== '' && spec.clusterIP !== oldIP) {
        errors.push(
          invalidValue('spec.clusterIP', spec.clusterIP, "may not be set when `type` is 'ExternalName'"),
        );
      }
      for (const f of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy']) delete spec[f];
      return;
    }
    const given = typeof spec.clusterIP === 'string' && spec.clusterIP !== '' ? spec.clusterIP : undefined;
    const listed =
      Array.isArray(spec.clusterIPs) && typeof spec.clusterIPs[0] === 'string'
        ? spec.clusterIPs[0]
        : undefined;
    // An update that omits the ClusterIP keeps the allocated one (immutability is checked later).
    const requested = given ?? (listed === '' ? undefined : listed) ?? (oldIP === '' ? undefined : oldIP);
    let ip: string | undefined;
    if (requested === 'None' || requested === oldIP) {
      ip = requested;
    } else if (requested !== undefined) {
      const n = parseIPv4(requested);
      const offset = n === undefined ? -1 : n - this.base;
      const taken = session.get('clusterIPs')[requested];
      if (n === undefined)
        errors.push(invalidValue('spec.clusterIP', requested, 'must be a valid IP address, (e.g. 10.9.8.7)'));
      else if (offset < this.ipRange.first || offset >= this.ipRange.first + this.ipRange.size) {
        errors.push(
          invalidValue(
            'spec.clusterIP',
            requested,
            `provided IP is not in the valid range. The range of valid IPs is ${this.cidr}`,
          ),
        );
      } else if (taken !== undefined && taken !== owner) {
        errors.push(invalidValue('spec.clusterIP', requested, 'provided IP is already allocated'));
      } else ip = requested;
    } else {
      const used = session.get('clusterIPs');
      const known = this.wellKnown[owner];
      const wanted = known === undefined ? undefined : formatIPv4(this.base + known);
      if (wanted !== undefined && used[wanted] === undefined) ip = wanted;
      else {
        const offset = pickFree(this.ipRange, (o) => used[formatIPv4(this.base + o)] !== undefined, random);
        if (offset === undefined)
          errors.push({
            type: 'Internal',
            field: 'spec.clusterIPs',
            message: 'failed to allocate a serviceIP: range is full',
          });
        else ip = formatIPv4(this.base + offset);
      }
    }
    if (ip === undefined) return;
    if (oldIP !== '' && oldIP !== ip) session.release('clusterIPs', oldIP, owner);
    if (ip !== 'None') session.take('clusterIPs', ip, owner);
    spec.clusterIP = ip;
    spec.clusterIPs = [ip];
    if (!Array.isArray(spec.ipFamilies) || spec.ipFamilies.length === 0) spec.ipFamilies = ['IPv4'];
    if (typeof spec.ipFamilyPolicy !== 'string') spec.ipFamilyPolicy = 'SingleStack';
  }

  private nodePorts(
    session: AllocationSession,
    random: SeededRandom,
    old: JsonObject | undefined,
    spec: JsonObject,
    owner: string,
    errors: FieldError[],
  ): void {
    const oldPorts = old !== undefined && needsNodePorts(old) ? portsOf(old) : [];
    const oldOwned = new Set<number>(
      oldPorts.map((p) => p.nodePort).filter((n): n is number => typeof n === 'number'),
    );
    if (old !== undefined && typeof old.healthCheckNodePort === 'number')
      oldOwned.add(old.healthCheckNodePort);
    const kept = new Set<number>();
    const [lo, hi] = [this.ports.first, this.ports.first + this.ports.size - 1];
    const claim = (field: string, requested: unknown): number | undefined => {
      if (typeof requested === 'number' && requested !== 0) {
        if (oldOwned.has(requested) || kept.has(requested)) return requested;
        const taken = session.get('nodePorts')[String(requested)];
        if (requested < lo || requested > hi) {
          errors.push(
            invalidValue(
              field,
              requested,
              `provided port is not in the valid range. The range of valid ports is ${lo}-${hi}`,
            ),
          );
          return undefined;
        }
        if (taken !== undefined && taken !== owner) {
          errors.push(invalidValue(field, requested, 'provided port is already allocated'));
          return undefined;
        }
        session.take('nodePorts', String(requested), owner);
        return requested;
      }
      const used = session.get('nodePorts');
      const port = pickFree(this.ports, (p) => used[String(p)] !== undefined || kept.has(p), random);
      if (port === undefined)
        errors.push({ type: 'Internal', field, message: 'failed to allocate a nodePort: range is full' });
      else session.take('nodePorts', String(port), owner);
      return port;
    };
    const type = typeOf(spec);
    portsOf(spec).forEach((port, i) => {
      const field = `spec.ports[${i}].nodePort`;
      if (!needsNodePorts(spec) && type !== 'LoadBalancer') {
        if (typeof port.nodePort !== 'number' || port.nodePort === 0) return;
        // Left over from a type that needed it: dropped with the type change.
        if (oldOwned.has(port.nodePort)) delete port.nodePort;
        else errors.push({ type: 'Forbidden', field, message: `may not be used when \`type\` is '${type}'` });
        return;
      }
      let requested = port.nodePort;
      if ((typeof requested !== 'number' || requested === 0) && needsNodePorts(spec)) {
        const protocol = port.protocol ?? 'TCP';
        requested = oldPorts.find(
          (p) => p.port === port.port && (p.protocol ?? 'TCP') === protocol,
        )?.nodePort;
      } else if (typeof requested !== 'number' || requested === 0) return;
      const got = claim(field, requested);
      if (got !== undefined) {
        port.nodePort = got;
        kept.add(got);
      }
    });
    if (needsHealthCheck(spec)) {
      const got = claim('spec.healthCheckNodePort', spec.healthCheckNodePort ?? old?.healthCheckNodePort);
      if (got !== undefined) {
        spec.healthCheckNodePort = got;
        kept.add(got);
      }
    } else if (
      typeof spec.healthCheckNodePort === 'number' &&
      spec.healthCheckNodePort === old?.healthCheckNodePort
    ) {
      delete spec.healthCheckNodePort;
    }
    for (const p of oldOwned) if (!kept.has(p)) session.release('nodePorts', String(p), owner);
  }

  private loadBalancer(
    session: AllocationSession,
    old: JsonObject | undefined,
    service: JsonObject,
    owner: string,
  ): void {
    const spec = specOf(service)!;
    const wasLB = old !== undefined && typeOf(specOf(old) ?? {}) === 'LoadBalancer';
    const status = isJsonObject(service.status) ? service.status : (service.status = {});
    if (typeOf(spec) !== 'LoadBalancer') {
      if (wasLB) {
        for (const ip of ingressIPs(old)) session.release('loadBalancerIPs', ip, owner);
        status.loadBalancer = {};
      }
      return;
    }
    if (ingressIPs(service).length > 0) return;
    const used = session.get('loadBalancerIPs');
    const wanted = typeof spec.loadBalancerIP === 'string' ? parseIPv4(spec.loadBalancerIP) : undefined;
    let ip: number | undefined;
    if (
      wanted !== undefined &&
      wanted >= this.pool[0] &&
      wanted <= this.pool[1] &&
      used[formatIPv4(wanted)] === undefined
    )
      ip = wanted;
    for (let n = this.pool[0]; ip === undefined && n <= this.pool[1]; n++)
      if (used[formatIPv4(n)] === undefined) ip = n;
    // An exhausted pool leaves the Service pending, as a cloud without capacity would.
    if (ip === undefined) return;
    session.take('loadBalancerIPs', formatIPv4(ip), owner);
    status.loadBalancer = { ingress: [{ ip: formatIPv4(ip), ipMode: 'VIP' }] };
  }
}

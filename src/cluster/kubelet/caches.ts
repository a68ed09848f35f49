/**
 * What the kubelet keeps besides the pods' statuses:
 *
 * - the nodes it runs pods on (pod CIDR, InternalIP, allocatable, the images they have), read
 *   once and followed through `observe`;
 * - host-local IPAM per node: the last address handed out is durable (`kubelet.ipam.<node>`),
 *   the addresses in use are the live pods' (built from one list of pods, then followed);
 * - per-pod records of what a status cannot say (an image pull under way, pull and restart
 *   back-offs), durable in meta (`kubelet.pod.<uid>`) and only while needed;
 * - image pulls under way per node (`kubelet.pulls.<node>`), shared by the pods that need the
 *   same image;
 * - which pods wait for a ConfigMap, Secret, claim or node image to appear.
 */

import { cloneJson, isJsonObject, type JsonObject } from '../api/machinery/json-values.js';
import { ApiError } from '../api/types.js';
import type { ControllerContext } from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';

const obj = (v: unknown): JsonObject => (isJsonObject(v) ? v : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** What the kubelet needs of a node. */
export interface NodeInfo {
  readonly name: string;
  readonly podCIDR: string;
  readonly internalIP: string;
  readonly allocatable: Readonly<Record<string, unknown>>;
  /** Every name of every image the node reports, plus their canonical forms. */
  readonly images: ReadonlySet<string>;
}

/** The nodes, read lazily and kept up to date from node events. */
export class NodeCache {
  private readonly nodes = new Map<string, NodeInfo | null>();

  constructor(private readonly canonical: (name: string) => string | undefined) {}

  reset(): void {
    this.nodes.clear();
  }

  /** The node, or undefined when it does not exist. */
  get(ctx: ControllerContext, name: string): NodeInfo | undefined {
    let info = this.nodes.get(name);
    if (info === undefined) {
      try {
        info = this.infoOf(ctx.api.get('nodes', '', name));
      } catch (error) {
        if (!(error instanceof ApiError) || error.status.code !== 404) throw error;
        info = null;
      }
      this.nodes.set(name, info);
    }
    return info ?? undefined;
  }

  /** The node as cached (undefined when not read yet or gone). */
  peek(name: string): NodeInfo | undefined {
    return this.nodes.get(name) ?? undefined;
  }

  /** Follows a node change. */
  observe(type: string, node: KubeObject): void {
    const name = str(obj(node.metadata).name);
    if (type === 'DELETED') this.nodes.set(name, null);
    else this.nodes.set(name, this.infoOf(node));
  }

  /** Forgets a node (it is read again next time). */
  forget(name: string): void {
    this.nodes.delete(name);
  }

  private infoOf(node: KubeObject): NodeInfo {
    const meta = obj(node.metadata);
    const spec = obj(node.spec);
    const status = obj(node.status);
    const images = new Set<string>();
    for (const image of Array.isArray(status.images) ? status.images : []) {
      for (const name of Array.isArray(obj(image).names) ? (obj(image).names as unknown[]) : []) {
        if (typeof name !== 'string') continue;
        images.add(name);
        const canonical = this.canonical(name);
        if (canonical !== undefined) images.add(canonical);
      }
    }
    const addresses = Array.isArray(status.addresses) ? status.addresses.filter(isJsonObject) : [];
    return {
      name: str(meta.name),
      podCIDR: str(spec.podCIDR) || str((Array.isArray(spec.podCIDRs) ? spec.podCIDRs : [])[0]),
      internalIP: str(addresses.find((a) => a.type === 'InternalIP')?.address),
      allocatable: obj(status.allocatable),
      images,
    };
  }
}

const ipToInt = (ip: string): number =>
  ip.split('.').reduce((acc, part) => ((acc << 8) >>> 0) + (Number(part) & 0xff), 0) >>> 0;
const intToIp = (n: number): string => [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff].join('.');

/** Whether a pod holds its IP: bound, not host-network, not finished. */
function holdsIP(pod: KubeObject): { node: string; ip: string; uid: string } | undefined {
  const spec = obj(pod.spec);
  const status = obj(pod.status);
  const ip = str(status.podIP);
  if (ip === '' || spec.hostNetwork === true || str(spec.nodeName) === '') return undefined;
  if (status.phase === 'Succeeded' || status.phase === 'Failed') return undefined;
  return { node: str(spec.nodeName), ip, uid: str(obj(pod.metadata).uid) };
}

/** Meta key of a node's last allocated pod address (an offset in its pod CIDR). */
export const ipamKey = (node: string): string => `kubelet.ipam.${node}`;

/**
 * Host-local IPAM: the next free address after the last one handed out, skipping the addresses
 * live pods hold, wrapping round the node's range (`.2` to the last but one: `.0` is the network,
 * `.1` the bridge).
 */
export class PodIpam {
  /** node → ip → uid of the pod holding it. */
  private readonly byNode = new Map<string, Map<string, string>>();
  private complete = false;

  /** A resync follows: every pod will be observed again. */
  reset(): void {
    this.byNode.clear();
    this.complete = true;
  }

  /** Follows a pod change. */
  observe(type: string, pod: KubeObject): void {
    const uid = str(obj(pod.metadata).uid);
    const held = type === 'DELETED' ? undefined : holdsIP(pod);
    if (held !== undefined) {
      this.node(held.node).set(held.ip, held.uid);
      return;
    }
    const spec = obj(pod.spec);
    const ip = str(obj(pod.status).podIP);
    const map = this.byNode.get(str(spec.nodeName));
    if (map !== undefined && ip !== '' && map.get(ip) === uid) map.delete(ip);
  }

  /** Allocates (or finds again) the address of pod `uid` on a node; undefined when the range is full. */
  allocate(ctx: ControllerContext, node: string, cidr: string, uid: string): string | undefined {
    this.load(ctx);
    const used = this.node(node);
    for (const [ip, owner] of used) if (owner === uid) return ip;
    const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(cidr);
    if (m === null) return undefined;
    const prefix = Number(m[2]);
    const size = 2 ** (32 - Math.min(32, Math.max(0, prefix)));
    const base = (ipToInt(m[1]!) & (size === 2 ** 32 ? 0 : ~(size - 1))) >>> 0;
    const first = 2;
    const last = size - 2;
    if (last < first) return undefined;
    const stored = ctx.meta.get(ipamKey(node));
    let previous = typeof stored === 'number' ? stored : 1;
    if (typeof stored !== 'number') {
      for (const ip of used.keys()) previous = Math.max(previous, ipToInt(ip) - base);
      if (previous > last) previous = 1;
    }
    const count = last - first + 1;
    for (let i = 1; i <= count; i++) {
      const offset = first + ((((previous - first + i) % count) + count) % count);
      const ip = intToIp((base + offset) >>> 0);
      if (used.has(ip)) continue;
      used.set(ip, uid);
      ctx.meta.set(ipamKey(node), offset);
      return ip;
    }
    return undefined;
  }

  /** Gives back what a pod held (its reconcile failed before the address was stored). */
  release(node: string, uid: string): void {
    const map = this.byNode.get(node);
    if (map === undefined) return;
    for (const [ip, owner] of map) if (owner === uid) map.delete(ip);
  }

  private node(name: string): Map<string, string> {
    let map = this.byNode.get(name);
    if (map === undefined) {
      map = new Map();
      this.byNode.set(name, map);
    }
    return map;
  }

  /** The first time, without a resync: one list of the pods. */
  private load(ctx: ControllerContext): void {
    if (this.complete) return;
    this.complete = true;
    for (const pod of ctx.api.list('pods').items) this.observe('ADDED', pod);
  }
}

/** What the kubelet remembers of a pod between reconciles (only while something is under way). */
export interface PodRecord {
  /** Image pulls under way: container → [requested at, done at]. */
  pull?: Record<string, [number, number]>;
  /** Failed pulls: container → [failed at, back-off ms]. */
  pullFail?: Record<string, [number, number]>;
  /** Restart back-off: container → [back-off ms, last restart at]. */
  crash?: Record<string, [number, number]>;
  /** The last FailedMount message recorded. */
  mount?: string;
  /** When the kubelet began stopping the pod's containers. */
  stopping?: number;
}

/** Meta key of a pod's record. */
export const recordKey = (uid: string): string => `kubelet.pod.${uid}`;

const isEmpty = (r: PodRecord): boolean =>
  Object.values(r).every((v) => v === undefined || (isJsonObject(v) && Object.keys(v).length === 0));

/** Pod records, durable in meta, cached in memory. */
export class RecordStore {
  private readonly cache = new Map<string, PodRecord | null>();

  reset(): void {
    this.cache.clear();
  }

  /** A copy of the pod's record (empty when it has none). */
  get(ctx: ControllerContext, uid: string): PodRecord {
    let record = this.cache.get(uid);
    if (record === undefined) {
      const stored = ctx.meta.get(recordKey(uid));
      record = isJsonObject(stored) ? (stored as PodRecord) : null;
      this.cache.set(uid, record);
    }
    return record === null ? {} : cloneJson(record);
  }

  /** Stores the record (drops it when empty); meta is written only when it changed. */
  set(ctx: ControllerContext, uid: string, record: PodRecord): void {
    const next = isEmpty(record) ? null : record;
    const current = this.cache.get(uid);
    if (current !== undefined && JSON.stringify(current) === JSON.stringify(next)) return;
    if (current === undefined && next === null && ctx.meta.get(recordKey(uid)) === undefined) {
      this.cache.set(uid, null);
      return;
    }
    ctx.meta.set(recordKey(uid), next ?? undefined);
    this.cache.set(uid, next);
  }

  /** Whether the pod may have a stored record (true when unknown). */
  mayHave(uid: string): boolean {
    return this.cache.get(uid) !== null;
  }

  forget(uid: string): void {
    this.cache.delete(uid);
  }
}

/** Meta key of a node's image pulls under way: canonical image → done at (ms). */
export const pullsKey = (node: string): string => `kubelet.pulls.${node}`;

/** Which pods wait for which object (`configmaps/ns/name`, `secrets/…`, `persistentvolumeclaims/…`, `nodes/name`). */
export class WaitIndex {
  private readonly waiters = new Map<string, Set<string>>();
  private readonly byPod = new Map<string, string[]>();
  private complete = false;

  reset(): void {
    this.waiters.clear();
    this.byPod.clear();
    this.complete = true;
  }

  /** Replaces what a pod waits for. */
  set(podKey: string, keys: readonly string[]): void {
    for (const key of this.byPod.get(podKey) ?? []) this.waiters.get(key)?.delete(podKey);
    if (keys.length === 0) {
      this.byPod.delete(podKey);
      return;
    }
    this.byPod.set(podKey, [...keys]);
    for (const key of keys) {
      let set = this.waiters.get(key);
      if (set === undefined) {
        set = new Set();
        this.waiters.set(key, set);
      }
      set.add(podKey);
    }
  }

  /** The pods waiting for `key`. */
  waiting(key: string): readonly string[] {
    const set = this.waiters.get(key);
    return set === undefined ? [] : [...set];
  }

  /** Whether the index knows every waiting pod (else it is built from one list of pods first). */
  get isComplete(): boolean {
    return this.complete;
  }

  markComplete(): void {
    this.complete = true;
  }
}

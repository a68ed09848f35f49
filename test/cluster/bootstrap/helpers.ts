/** Helpers of the bootstrap tests: opening test clusters and reading everything they hold. */

import { createHash } from 'node:crypto';
import { type Cluster, type OpenClusterOptions, openCluster } from '../../../src/cluster/cluster.js';
import type { KubeObject } from '../../../src/cluster/store/types.js';

/** A fixed wall clock, so clusters compare equal. */
export const WALL = new Date('2025-06-01T12:00:00Z');

/** Opens a cluster on the fixed wall clock (in memory unless `home` is given). */
export function testCluster(options: OpenClusterOptions = {}): Cluster {
  return openCluster({ wallClock: () => WALL, seed: 7, ...options });
}

/** One stored object with its kind and place. */
export interface Entry {
  readonly resource: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly object: KubeObject;
}

/** Every object of a cluster, sorted by kind, namespace and name. */
export function everything(cluster: Cluster): Entry[] {
  const out: Entry[] = [];
  for (const resource of cluster.api.kinds.resourceKeys()) {
    for (const item of cluster.store.list(resource).items) {
      out.push({
        resource,
        kind: String(item.object.kind),
        namespace: item.key.namespace,
        name: item.key.name,
        object: item.object,
      });
    }
  }
  const key = (e: Entry) => `${e.kind}/${e.namespace}/${e.name}`;
  return out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** `kind/namespace/name` lines, as in the golden. */
export function listing(cluster: Cluster): string {
  return `${everything(cluster)
    .map((e) => `${e.kind}/${e.namespace}/${e.name}`)
    .join('\n')}\n`;
}

/** A digest of every object (content included), to compare clusters across processes. */
export function digest(cluster: Cluster): string {
  const hash = createHash('sha256');
  for (const e of everything(cluster))
    hash.update(JSON.stringify([e.resource, e.namespace, e.name, e.object]));
  return hash.digest('hex');
}

/** `metadata` of an object. */
export function meta(object: KubeObject): Record<string, unknown> & {
  name: string;
  namespace?: string;
  uid: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[];
} {
  return object.metadata as ReturnType<typeof meta>;
}

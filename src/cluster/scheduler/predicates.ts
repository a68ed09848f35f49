/**
 * The scheduling predicates other components share (the scheduler, the DaemonSet controller, the
 * taint-eviction controller, the kubelet's admission). Taints and tolerations live in `taints.ts`,
 * node selectors and node affinity in `node-affinity.ts`, resource requests and allocatable in
 * `resources.ts`; this module re-exports them and holds the host-port checks and node name order.
 */

import { isJsonObject, listAt } from '../api/machinery/json-values.js';
import type { KubeObject } from '../store/types.js';

export * from './node-affinity.js';
export * from './resources.js';
export * from './taints.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A host port a pod's container asks for. */
export interface HostPort {
  readonly protocol: string;
  readonly hostIP: string;
  readonly port: number;
}

/** The host ports of a pod's containers (and sidecars), as the NodePorts plugin reads them. */
export function podHostPorts(pod: KubeObject): HostPort[] {
  const out: HostPort[] = [];
  const spec = pod.spec;
  const containers = [
    ...listAt(spec, 'containers'),
    ...listAt(spec, 'initContainers').filter((c) => isJsonObject(c) && c.restartPolicy === 'Always'),
  ];
  for (const c of containers) {
    for (const p of listAt(c, 'ports')) {
      if (!isJsonObject(p)) continue;
      const port = Number(p.hostPort ?? 0);
      if (!Number.isInteger(port) || port <= 0) continue;
      out.push({ protocol: str(p.protocol) ?? 'TCP', hostIP: str(p.hostIP) || '0.0.0.0', port });
    }
  }
  return out;
}

/** Whether two host ports conflict: same protocol and port, and the same or a wildcard address. */
export function hostPortsConflict(a: HostPort, b: HostPort): boolean {
  return (
    a.port === b.port &&
    a.protocol === b.protocol &&
    (a.hostIP === b.hostIP || a.hostIP === '0.0.0.0' || b.hostIP === '0.0.0.0')
  );
}

/** Natural order of node names (`node2` before `node10`), then plain order. */
export function compareNodeNames(a: string, b: string): number {
  const ma = /^(.*?)(\d+)$/.exec(a);
  const mb = /^(.*?)(\d+)$/.exec(b);
  if (ma && mb && ma[1] === mb[1]) {
    const d = Number(ma[2]) - Number(mb[2]);
    if (d !== 0) return d;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

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

import type { NetworkView, RunningContainer } from '../images/types.js';
import type { KubeObject } from '../store/types.js';
import { internetHost } from './internet.js';
import { isClusterAddress } from './view-address.js';
import { candidatesOf, connect } from './view-connect.js';
import { resolve, reverse } from './view-dns.js';
import { allowed, containerContext, listener } from './view-pods.js';
import {
  currentIndex,
  list,
  metaOf,
  type NetworkHost,
  type NetworkState,
  obj,
  podAt,
  str,
  tryGet,
} from './view-state.js';

export type { NetworkHost, PolicyTarget } from './view-state.js';

/** Builds the network view of a cluster. */
export function createNetworkView(host: NetworkHost): NetworkView {
  const { api } = host;
  const state: NetworkState = {
    host,
    api,
    counters: new Map<string, number>(),
    index: undefined,
    // The parts reach the view through the state; it exists before any of them runs.
    get view() {
      return view;
    },
  };

  const view: NetworkView = {
    resolve: (raw, from) => resolve(state, raw, from),
    connect: (ip, port, from) => connect(state, ip, port, from, 0),
    reverse(ip) {
      return reverse(state, ip);
    },
    pingable(ip, from) {
      if (ip.startsWith('127.')) return true;
      const idx = currentIndex(state);
      if (idx.servicesByIP.has(ip)) return false;
      if (idx.nodesByIP.has(ip)) return true;
      if (isClusterAddress(ip)) return from.kind !== 'external' && podAt(state, ip) !== undefined;
      return internetHost(ip) !== undefined;
    },
    reachableSince(name, port, from) {
      const resolved = resolve(state, name, from);
      const ip = resolved?.addresses[0];
      if (ip === undefined) return undefined;
      const service = currentIndex(state).servicesByIP.get(ip);
      const since = (pod: KubeObject, targetPort: number): number | undefined => {
        if (!allowed(state, from, pod, targetPort)) return undefined;
        const found = listener(state, pod, targetPort);
        if (found === undefined) return undefined;
        const ready = list(obj(pod.status).conditions).find((c) => c.type === 'Ready' && c.status === 'True');
        const readyAt = Date.parse(str(ready?.lastTransitionTime));
        return Math.max(found.since, Number.isFinite(readyAt) ? readyAt : found.since);
      };
      if (service !== undefined) {
        const servicePort = list(obj(service.spec).ports).find((p) => p.port === port);
        if (servicePort === undefined) return undefined;
        const times = candidatesOf(state, service, servicePort)
          .map((c) => {
            const pod = c.targetRef
              ? tryGet(state, 'pods', c.targetRef.namespace, c.targetRef.name)
              : podAt(state, c.ip);
            return pod === undefined ? undefined : since(pod, c.port);
          })
          .filter((t): t is number => t !== undefined);
        if (times.length === 0) return undefined;
        const created = Date.parse(str(metaOf(service).creationTimestamp));
        return Math.max(Math.min(...times), Number.isFinite(created) ? created : 0);
      }
      const pod = podAt(state, ip);
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
          out.push({
            image: str(status.image),
            startedAt,
            behaviour,
            context: containerContext(state, pod, name),
          });
        }
      }
      return out;
    },
  };
  return view;
}

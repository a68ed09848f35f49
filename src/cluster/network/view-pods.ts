/**
 * The pod end of a connection: which container listens on a port (once its program is up), the
 * context it runs with, and whether NetworkPolicy lets the connection in.
 */

import type { Connection, ContainerContext, ProcessBehaviour, Vantage } from '../images/types.js';
import type { KubeObject } from '../store/types.js';
import { list, metaOf, type NetworkState, obj, str } from './view-state.js';

export function containerContext(
  state: NetworkState,
  pod: KubeObject,
  containerName: string,
): ContainerContext {
  const { host, view } = state;
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
}

/** The container of `pod` that listens on `port` now, and since when it has. */
export function listener(
  state: NetworkState,
  pod: KubeObject,
  port: number,
): { name: string; behaviour: ProcessBehaviour; since: number } | undefined {
  const { host } = state;
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
}

/** The policy seam: without a `policy` on the host every connection is allowed. */
export const allowed = (state: NetworkState, from: Vantage, pod: KubeObject, port: number): boolean =>
  state.host.policy === undefined ||
  state.host.policy(from, { namespace: str(metaOf(pod).namespace), pod, port });

export function toPod(state: NetworkState, pod: KubeObject, port: number, from: Vantage): Connection {
  if (!allowed(state, from, pod, port)) return { ok: false, error: 'timeout' };
  const found = listener(state, pod, port);
  if (found === undefined) return { ok: false, error: 'refused' };
  return {
    ok: true,
    namespace: str(metaOf(pod).namespace),
    podName: str(metaOf(pod).name),
    podIP: str(obj(pod.status).podIP),
    port,
    behaviour: found.behaviour,
    context: containerContext(state, pod, found.name),
  };
}

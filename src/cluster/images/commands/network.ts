/**
 * How a container reaches the network: name lookups through its resolver, connections (the
 * loopback answered by the pod itself), and the request context answers depend on.
 */

import { vantageOf } from '../apps.js';
import type { Shell } from '../shell.js';
import type { Connection, NetworkView, Vantage } from '../types.js';

/** A network where nothing resolves and nothing answers (a container run without its context). */
const OFFLINE: NetworkView = {
  resolve: () => undefined,
  connect: () => ({ ok: false, error: 'timeout' }),
};

export function network(shell: Shell): { view: NetworkView; from: Vantage } {
  shell.touchNetwork();
  const ctx = shell.run.context;
  return ctx === undefined
    ? { view: OFFLINE, from: { kind: 'external' } }
    : { view: ctx.network, from: vantageOf(ctx) };
}

export const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Resolves a host as the container's resolver would (IP literals, `localhost`, cluster DNS). */
export function lookup(
  shell: Shell,
  host: string,
): { addresses: readonly string[]; canonicalName: string } | undefined {
  if (IPV4.test(host)) return { addresses: [host], canonicalName: host };
  if (host === 'localhost' || host === shell.run.context?.podName) {
    return {
      addresses: [host === 'localhost' ? '127.0.0.1' : (shell.run.context?.podIP ?? '127.0.0.1')],
      canonicalName: host,
    };
  }
  const { view, from } = network(shell);
  return view.resolve(host, from);
}

/** Connects from the container (`127.0.0.1` is the pod itself). */
export function connect(shell: Shell, ip: string, port: number): Connection {
  const ctx = shell.run.context;
  const loopback = ip.startsWith('127.') || (ctx !== undefined && ip === ctx.podIP);
  const local = loopback ? shell.run.local?.(port) : undefined;
  if (local !== undefined && ctx !== undefined) {
    return {
      ok: true,
      namespace: ctx.namespace,
      podName: ctx.podName,
      podIP: ctx.podIP,
      port,
      behaviour: local,
      context: ctx,
    };
  }
  const { view, from } = network(shell);
  const target = ip.startsWith('127.') && ctx ? ctx.podIP : ip;
  const connection = view.connect(target, port, from);
  // Loopback never drops packets: nothing listening is a refusal at once.
  return loopback && !connection.ok ? { ok: false, error: 'refused' } : connection;
}

/** The time a request arrives, for answers that depend on it. */
export function requestContext(shell: Shell, connection: Extract<Connection, { ok: true }>) {
  return { ...connection.context, now: shell.run.startAbs + shell.t };
}

/**
 * Test fixtures for image behaviours: a catalog on a memory meta, containers started from it, and
 * a hand-made network (names → addresses, address:port → a container's behaviour).
 */

import { createImageCatalog } from '../../../src/cluster/images/catalog.js';
import type {
  Connection,
  ContainerContext,
  ImageCatalog,
  NetworkView,
  ProcessBehaviour,
  ProcessSpec,
  RunningContainer,
  Vantage,
} from '../../../src/cluster/images/types.js';

export const T0 = Date.parse('2025-03-01T12:00:00Z');

export function memoryMeta() {
  const values = new Map<string, unknown>();
  return { get: (k: string) => values.get(k), set: (k: string, v: unknown) => void values.set(k, v) };
}

/** A listener on the fake network. */
interface Listener {
  readonly behaviour: ProcessBehaviour;
  readonly context: ContainerContext;
}

/** A network of hand-made names and listeners. */
export class FakeNetwork implements NetworkView {
  readonly names = new Map<string, string[]>();
  readonly listeners = new Map<string, Listener[]>();
  readonly dropped = new Set<string>();
  readonly ptr = new Map<string, string>();
  readonly since = new Map<string, number>();
  readonly running: RunningContainer[] = [];
  private readonly turns = new Map<string, number>();

  resolve(name: string, _from: Vantage) {
    if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return { addresses: [name], canonicalName: name };
    const addresses = this.names.get(name);
    return addresses === undefined
      ? undefined
      : { addresses, canonicalName: name.includes('.') ? name : `${name}.default.svc.cluster.local` };
  }

  connect(ip: string, port: number, _from: Vantage): Connection {
    const key = `${ip}:${port}`;
    if (this.dropped.has(key)) return { ok: false, error: 'timeout' };
    const listeners = this.listeners.get(key);
    if (listeners === undefined || listeners.length === 0) {
      return this.listeners.has(`${ip}:*`)
        ? { ok: false, error: 'refused' }
        : { ok: false, error: 'timeout' };
    }
    const n = this.turns.get(key) ?? 0;
    this.turns.set(key, n + 1);
    const l = listeners[n % listeners.length]!;
    return {
      ok: true,
      namespace: l.context.namespace,
      podName: l.context.podName,
      podIP: l.context.podIP,
      port,
      behaviour: l.behaviour,
      context: l.context,
    };
  }

  reverse(ip: string) {
    return this.ptr.get(ip);
  }

  pingable(ip: string) {
    return !ip.startsWith('10.96.');
  }

  reachableSince(name: string, port: number, from: Vantage) {
    const resolved = this.resolve(name, from);
    if (resolved === undefined) return undefined;
    const c = this.connect(resolved.addresses[0]!, port, from);
    return c.ok ? (this.since.get(name) ?? T0) : undefined;
  }

  containers(): RunningContainer[] {
    return this.running;
  }

  /** Registers a listening container under an address (and a name). */
  listen(
    ip: string,
    port: number,
    behaviour: ProcessBehaviour,
    context: ContainerContext,
    name?: string,
  ): void {
    const key = `${ip}:${port}`;
    this.listeners.set(key, [...(this.listeners.get(key) ?? []), { behaviour, context }]);
    this.listeners.set(`${ip}:*`, []);
    if (name !== undefined) this.names.set(name, [ip]);
  }
}

/** A container context on a network. */
export function contextFor(
  network: NetworkView,
  pod: string,
  overrides: Partial<ContainerContext> = {},
): ContainerContext {
  return {
    namespace: 'default',
    podName: pod,
    containerName: pod.split('-')[0]!,
    podIP: '10.244.1.5',
    nodeName: 'node2',
    env: {},
    network,
    startedAt: T0,
    ...overrides,
  };
}

/** Starts a container of `image` (which must pull) with `spec`. */
export function start(
  catalog: ImageCatalog,
  image: string,
  spec: Partial<ProcessSpec> = {},
  context?: ContainerContext,
): ProcessBehaviour {
  const pulled = catalog.pull(image);
  if (!pulled.ok) throw new Error(pulled.message);
  return catalog.behaviour(pulled.image, { env: {}, ...spec }, context);
}

export const newCatalog = () => createImageCatalog(memoryMeta());

/** The log text of a behaviour from its start to `seconds` later. */
export function logText(
  behaviour: ProcessBehaviour,
  ctx: ContainerContext,
  seconds: number,
  window?: { sinceMs?: number; tailLines?: number },
): string[] {
  return behaviour
    .logs(ctx, ctx.startedAt ?? T0, (ctx.startedAt ?? T0) + seconds * 1000, window)
    .map((l) => l.text);
}

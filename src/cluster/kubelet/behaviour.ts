/**
 * How a pod's container behaves while it runs: the image catalog's `ProcessBehaviour` for the
 * container's image, started with its command and arguments (`$(VAR)` expanded, as the kubelet
 * does) and its environment. The environment is the one the container started with: rebuilt with
 * the services that existed when it started. Behaviours are cached per container id (one run of
 * one container), so a restart (a new id) gets a fresh one.
 */

import type { ClusterApi } from '../api/machinery/cluster-api.js';
import { isJsonObject, type JsonObject } from '../api/machinery/json-values.js';
import type {
  CatalogImage,
  ContainerContext,
  ImageCatalog,
  NetworkView,
  ProcessBehaviour,
  ProcessSpec,
} from '../images/types.js';
import type { KubeObject } from '../store/types.js';
import { expandVariables, resolveContainerEnv } from './env.js';
import { mountedFiles } from './mounts.js';

/** What a behaviour lookup reads. */
export interface BehaviourHost {
  readonly api: ClusterApi;
  readonly catalog: ImageCatalog;
  /** The network containers see (for their context); a closed network when absent. */
  readonly network?: NetworkView;
}

/** A container's spec, whichever list it is in. */
export function containerSpec(pod: KubeObject, name: string): JsonObject | undefined {
  const spec = isJsonObject(pod.spec) ? pod.spec : {};
  for (const key of ['containers', 'initContainers']) {
    const list = spec[key];
    if (!Array.isArray(list)) continue;
    const found = list.find((c): c is JsonObject => isJsonObject(c) && c.name === name);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** A container's status, whichever list it is in. */
export function containerStatus(pod: KubeObject, name: string): JsonObject | undefined {
  const status = isJsonObject(pod.status) ? pod.status : {};
  for (const key of ['containerStatuses', 'initContainerStatuses']) {
    const list = status[key];
    if (!Array.isArray(list)) continue;
    const found = list.find((c): c is JsonObject => isJsonObject(c) && c.name === name);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** A network where nothing resolves or answers (until the cluster's network view is wired in). */
export const CLOSED_NETWORK: NetworkView = {
  resolve: () => undefined,
  connect: () => ({ ok: false, error: 'unreachable' }),
};

/**
 * A process the catalog cannot describe (an image it does not know, already on the node): it runs
 * until stopped, stops on SIGTERM, logs nothing and answers no request; its probes of any kind
 * succeed, as the images of the system pods do.
 */
export const OPAQUE_BEHAVIOUR: ProcessBehaviour & { readonly opaque: true } = {
  opaque: true,
  startupMs: 0,
  ports: [],
  ignoresSigterm: false,
  logs: () => [],
  http: () => ({ status: 200, body: '' }),
  exec: () => ({ stdout: '', stderr: '', exitCode: 0 }),
};

/** Whether a behaviour is the stand-in for an image the catalog does not know. */
export const isOpaque = (b: ProcessBehaviour): boolean => (b as { opaque?: boolean }).opaque === true;

/** The process spec of a container: command and args with `$(VAR)` expanded against `env`. */
export function processSpecOf(
  container: JsonObject,
  env: Readonly<Record<string, string>>,
  hostname: string,
): ProcessSpec {
  const lookup = (name: string): string | undefined => (Object.hasOwn(env, name) ? env[name] : undefined);
  const expand = (v: unknown): string[] | undefined =>
    Array.isArray(v) ? v.map((a) => expandVariables(String(a), lookup)) : undefined;
  const command = expand(container.command);
  const args = expand(container.args);
  return {
    ...(command === undefined ? {} : { command }),
    ...(args === undefined ? {} : { args }),
    // The runtime sets HOSTNAME (the pod's host name) before the container's own variables.
    env: { HOSTNAME: hostname, ...env },
    ...(container.tty === true ? { tty: true } : {}),
    ...(container.stdin === true ? { stdin: true } : {}),
  };
}

/** The pod's host name (`spec.hostname`, else its name). */
export function hostnameOf(pod: KubeObject): string {
  const spec = isJsonObject(pod.spec) ? pod.spec : {};
  const meta = isJsonObject(pod.metadata) ? pod.metadata : {};
  return typeof spec.hostname === 'string' && spec.hostname !== '' ? spec.hostname : String(meta.name ?? '');
}

/** A container's behaviour with what it was built from. */
export interface RunningProcess {
  readonly behaviour: ProcessBehaviour;
  /** The container's context at its start (add `now` for a request or command). */
  readonly context: ContainerContext;
  readonly image: CatalogImage | undefined;
}

/** Recently built behaviours, per container id: two generations, the older dropped as a whole. */
class ProcessCache {
  private young = new Map<string, RunningProcess>();
  private old = new Map<string, RunningProcess>();
  constructor(private readonly limit: number) {}
  get(id: string): RunningProcess | undefined {
    const hit = this.young.get(id);
    if (hit !== undefined) return hit;
    const older = this.old.get(id);
    if (older !== undefined) this.set(id, older);
    return older;
  }
  set(id: string, value: RunningProcess): void {
    this.young.set(id, value);
    if (this.young.size >= this.limit) {
      this.old = this.young;
      this.young = new Map();
    }
  }
}

const caches = new WeakMap<ImageCatalog, ProcessCache>();

function cacheFor(catalog: ImageCatalog): ProcessCache {
  let cache = caches.get(catalog);
  if (cache === undefined) {
    cache = new ProcessCache(1024);
    caches.set(catalog, cache);
  }
  return cache;
}

/**
 * The process of container `name` of `pod` started at `startedAt` with container id `id` (cached
 * by id): its image from the catalog, its environment as it started, its behaviour.
 */
export function processOf(
  host: BehaviourHost,
  pod: KubeObject,
  name: string,
  id: string,
  startedAt: number,
  knownEnv?: Readonly<Record<string, string>>,
): RunningProcess | undefined {
  const cache = cacheFor(host.catalog);
  const key = `${id}\0${name}`;
  const hit = id === '' ? undefined : cache.get(key);
  if (hit !== undefined) return hit;
  const container = containerSpec(pod, name);
  if (container === undefined) return undefined;
  let env = knownEnv;
  if (env === undefined) {
    const resolved = resolveContainerEnv(host.api, pod, name, { servicesAt: startedAt });
    env = resolved.ok ? resolved.env : {};
  }
  const spec = processSpecOf(container, env, hostnameOf(pod));
  const meta = isJsonObject(pod.metadata) ? pod.metadata : {};
  const status = isJsonObject(pod.status) ? pod.status : {};
  const podSpec = isJsonObject(pod.spec) ? pod.spec : {};
  const files = mountedFiles(host.api, pod, container);
  const context: ContainerContext = {
    namespace: String(meta.namespace ?? 'default'),
    podName: String(meta.name ?? ''),
    containerName: name,
    podIP: String(status.podIP ?? ''),
    nodeName: String(podSpec.nodeName ?? ''),
    env: spec.env,
    network: host.network ?? CLOSED_NETWORK,
    startedAt,
    readFile: files.readFile,
    listDir: files.listDir,
  };
  const pulled = host.catalog.pull(String(container.image ?? ''));
  const image = pulled.ok ? pulled.image : undefined;
  let behaviour: ProcessBehaviour = OPAQUE_BEHAVIOUR;
  if (image !== undefined) {
    try {
      behaviour = host.catalog.behaviour(image, spec, context);
    } catch {
      behaviour = OPAQUE_BEHAVIOUR;
    }
  }
  const process: RunningProcess = { behaviour, context, image };
  if (id !== '') cache.set(key, process);
  return process;
}

/** `startedAt` of a container state (ms), or undefined. */
export function startedAtOf(state: unknown): number | undefined {
  if (!isJsonObject(state)) return undefined;
  const t = Date.parse(String(state.startedAt ?? ''));
  return Number.isFinite(t) ? t : undefined;
}

/** The process of container `containerName` of `pod` if it runs now (the pod not finished, the container `running`). */
function runningProcess(
  host: BehaviourHost,
  pod: KubeObject,
  containerName: string,
): RunningProcess | undefined {
  const phase = isJsonObject(pod.status) ? pod.status.phase : undefined;
  if (phase === 'Succeeded' || phase === 'Failed') return undefined;
  const status = containerStatus(pod, containerName);
  const running = isJsonObject(status?.state) ? status.state.running : undefined;
  const startedAt = startedAtOf(running);
  if (status === undefined || startedAt === undefined) return undefined;
  return processOf(host, pod, containerName, String(status.containerID ?? ''), startedAt);
}

/**
 * How container `containerName` of `pod` behaves now: undefined unless it is running (the pod not
 * finished, the container's state `running`). The network view asks this to answer connections.
 */
export function behaviourOf(
  host: BehaviourHost,
  pod: KubeObject,
  containerName: string,
): ProcessBehaviour | undefined {
  return runningProcess(host, pod, containerName)?.behaviour;
}

/**
 * The context container `containerName` of `pod` runs in now (its environment as it started, its
 * mounted files): undefined unless it is running.
 */
export function contextOf(
  host: BehaviourHost,
  pod: KubeObject,
  containerName: string,
): ContainerContext | undefined {
  return runningProcess(host, pod, containerName)?.context;
}

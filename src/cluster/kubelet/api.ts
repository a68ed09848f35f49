/**
 * What the kubelet serves besides running pods: container logs (`GET pods/NAME/log`) and
 * `exec` (`pods/NAME/exec`), answered from the image catalog for the container as it runs now
 * (or, with `previous`, as it last ran). Errors are `ApiError`s worded as the API server words
 * them (`container "worker" in pod "worker-…" is waiting to start: trying and failing to pull image`);
 * an exec into a container that does not run fails while kubectl upgrades the connection, which
 * it reports in its own words (a {@link KubeletStreamError}).
 */

import { badRequest } from '../api/machinery/api-errors.js';
import type { ClusterApi } from '../api/machinery/cluster-api.js';
import { isJsonObject, type JsonObject } from '../api/machinery/json-values.js';
import type { ExecResult, ImageCatalog, LogLine, NetworkView } from '../images/types.js';
import type { KubeObject, ObjectStore } from '../store/types.js';
import { type BehaviourHost, behaviourOf, containerStatus, contextOf, processOf } from './behaviour.js';
import { defaultCatalog, defaultNetwork } from './defaults.js';

/** What `GET pods/NAME/log` takes (kubectl logs flags). */
export interface PodLogOptions {
  readonly container?: string;
  readonly previous?: boolean;
  readonly tailLines?: number;
  readonly timestamps?: boolean;
  readonly sinceSeconds?: number;
  readonly limitBytes?: number;
}

/** What `exec` takes. */
export interface PodExecOptions {
  readonly container?: string;
  readonly stdin?: string;
  readonly tty?: boolean;
}

/** The kubelet's served endpoints. */
export interface KubeletServices {
  /** A container's log as text (lines end with `\n`). */
  logs(namespace: string, pod: string, options: PodLogOptions): string;
  /** Runs a command in a container. */
  exec(namespace: string, pod: string, argv: readonly string[], options: PodExecOptions): ExecResult;
}

/** What the services read. */
export interface KubeletServicesHost {
  readonly api: ClusterApi;
  readonly store: ObjectStore;
  now(): Date;
  /** The image catalog. @default the cluster's catalog */
  readonly catalog?: ImageCatalog;
  /** The network containers see. @default the cluster's network view */
  readonly network?: NetworkView;
}

/**
 * An exec stream that could not be opened (kubectl prints `error: unable to upgrade connection:
 * container not found ("web")`, not an API error).
 */
export class KubeletStreamError extends Error {
  override readonly name = 'KubeletStreamError';
}

const obj = (v: unknown): JsonObject => (isJsonObject(v) ? v : {});
const arr = (v: unknown): JsonObject[] => (Array.isArray(v) ? v.filter(isJsonObject) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The container a request names, or the pod's only one (`validateContainer` of the API server). */
function chooseContainer(pod: KubeObject, requested: string | undefined): string {
  const spec = obj(pod.spec);
  const name = str(obj(pod.metadata).name);
  const names = (key: string) => arr(spec[key]).map((c) => str(c.name));
  const containers = names('containers');
  if (requested === undefined || requested === '') {
    if (containers.length === 1) return containers[0]!;
    if (containers.length === 0) throw badRequest(`a container name must be specified for pod ${name}`);
    const inits = names('initContainers');
    let message = `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`;
    if (inits.length > 0) message += ` or one of the init containers: [${inits.join(' ')}]`;
    throw badRequest(message);
  }
  const all = [...containers, ...names('initContainers'), ...names('ephemeralContainers')];
  if (!all.includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${name}`);
  return requested;
}

/** One run of a container: when it started and stopped, and its id. */
interface Run {
  readonly id: string;
  readonly startedAt: number;
  readonly until: number;
}

/** `validateContainerLogStatus`: the run whose log is asked for, or why there is none. */
function runOf(pod: KubeObject, container: string, previous: boolean, now: number): Run | undefined {
  const podName = str(obj(pod.metadata).name);
  const status = containerStatus(pod, container);
  if (status === undefined) throw badRequest(`container "${container}" in pod "${podName}" is not available`);
  const state = obj(status.state);
  const last = obj(obj(status.lastState).terminated);
  const hasLast = isJsonObject(obj(status.lastState).terminated);
  const ofTerminated = (t: JsonObject): Run | undefined => {
    if (t.reason === 'StartError') return undefined;
    const startedAt = Date.parse(str(t.startedAt));
    const finishedAt = Date.parse(str(t.finishedAt));
    if (!Number.isFinite(startedAt) || startedAt <= 0) return undefined;
    return { id: str(t.containerID), startedAt, until: Number.isFinite(finishedAt) ? finishedAt : now };
  };
  if (previous) {
    if (!hasLast || str(last.containerID) === '') {
      throw badRequest(`previous terminated container "${container}" in pod "${podName}" not found`);
    }
    return ofTerminated(last);
  }
  if (isJsonObject(state.running)) {
    return { id: str(status.containerID), startedAt: Date.parse(str(state.running.startedAt)), until: now };
  }
  if (isJsonObject(state.terminated)) {
    if (str(state.terminated.containerID) !== '') return ofTerminated(state.terminated);
    if (hasLast && str(last.containerID) !== '') return ofTerminated(last);
    throw badRequest(`container "${container}" in pod "${podName}" is terminated`);
  }
  if (hasLast) {
    if (str(last.containerID) === '')
      throw badRequest(`container "${container}" in pod "${podName}" is terminated`);
    return ofTerminated(last);
  }
  if (isJsonObject(state.waiting)) {
    const reason = str(state.waiting.reason);
    if (reason === 'ErrImagePull') {
      throw badRequest(
        `container "${container}" in pod "${podName}" is waiting to start: image can't be pulled`,
      );
    }
    if (reason === 'ImagePullBackOff') {
      throw badRequest(
        `container "${container}" in pod "${podName}" is waiting to start: trying and failing to pull image`,
      );
    }
    throw badRequest(`container "${container}" in pod "${podName}" is waiting to start: ${reason}`);
  }
  throw badRequest(`container "${container}" in pod "${podName}" is waiting to start - no logs yet`);
}

/** RFC 3339 with nanoseconds, as the kubelet writes log timestamps (`2025-03-01T12:00:00.250000000Z`). */
export function logTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

/** Cuts text to at most `limit` bytes of UTF-8. */
function limitBytes(text: string, limit: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= limit) return text;
  return bytes.subarray(0, Math.max(0, limit)).toString('utf8');
}

/** Builds the kubelet's services for a cluster. */
export function createKubeletServices(host: KubeletServicesHost): KubeletServices {
  let behaviourHost: BehaviourHost | undefined;
  const hostOf = (): BehaviourHost => {
    if (behaviourHost === undefined) {
      const catalog = host.catalog ?? defaultCatalog({ get: (name) => host.store.getMeta(name) });
      const self: { api: ClusterApi; catalog: ImageCatalog; network?: NetworkView } = {
        api: host.api,
        catalog,
      };
      self.network =
        host.network ??
        defaultNetwork({
          api: host.api,
          catalog,
          now: () => host.now(),
          behaviourOf: (pod, name) => behaviourOf(self, pod, name),
          contextOf: (pod, name) => contextOf(self, pod, name),
        });
      behaviourHost = self;
    }
    return behaviourHost;
  };

  return {
    logs(namespace, podName, options) {
      const pod = host.api.get('pods', namespace, podName);
      const container = chooseContainer(pod, options.container);
      if (str(obj(pod.spec).nodeName) === '') return '';
      const now = host.now().getTime();
      const run = runOf(pod, container, options.previous === true, now);
      if (run === undefined || !Number.isFinite(run.startedAt)) return '';
      const process = processOf(hostOf(), pod, container, run.id, run.startedAt);
      if (process === undefined) return '';
      const sinceMs = options.sinceSeconds === undefined ? undefined : now - options.sinceSeconds * 1000;
      const tail = options.tailLines !== undefined && options.tailLines >= 0 ? options.tailLines : undefined;
      const window = {
        ...(sinceMs === undefined ? {} : { sinceMs }),
        ...(tail === undefined ? {} : { tailLines: tail }),
      };
      let lines: readonly LogLine[] = process.behaviour.logs(
        { ...process.context, now: run.until },
        run.startedAt,
        run.until,
        window,
      );
      if (sinceMs !== undefined) lines = lines.filter((l) => l.time >= sinceMs);
      if (tail !== undefined) lines = tail === 0 ? [] : lines.slice(-tail);
      let text = '';
      for (const line of lines) {
        const body = line.text.endsWith('\n') ? line.text : `${line.text}\n`;
        text += options.timestamps ? `${logTimestamp(line.time)} ${body}` : body;
      }
      return options.limitBytes !== undefined && options.limitBytes > 0
        ? limitBytes(text, options.limitBytes)
        : text;
    },

    exec(namespace, podName, argv, options) {
      const pod = host.api.get('pods', namespace, podName);
      const container = chooseContainer(pod, options.container);
      if (str(obj(pod.spec).nodeName) === '')
        throw badRequest(`pod ${podName} does not have a host assigned`);
      const status = containerStatus(pod, container);
      const state = obj(status?.state);
      const running = isJsonObject(state.running) ? state.running : undefined;
      const phase = obj(pod.status).phase;
      if (running === undefined || phase === 'Succeeded' || phase === 'Failed') {
        const id = str(status?.containerID).replace(/^[a-z]+:\/\//, '');
        if (id === '')
          throw new KubeletStreamError(`unable to upgrade connection: container not found ("${container}")`);
        throw new KubeletStreamError(
          `Internal error occurred: error executing command in container: failed to exec in container: failed to create exec "${id}": cannot exec in a stopped state: unknown`,
        );
      }
      const process = processOf(
        hostOf(),
        pod,
        container,
        str(status?.containerID),
        Date.parse(str(running.startedAt)),
      );
      if (process === undefined) {
        throw new KubeletStreamError(`unable to upgrade connection: container not found ("${container}")`);
      }
      return process.behaviour.exec(argv, { ...process.context, now: host.now().getTime() }, options.stdin);
    },
  };
}

/**
 * A container's environment as the kubelet builds it (`makeEnvironmentVariables` in
 * `pkg/kubelet/kubelet_pods.go`): `envFrom` first (ConfigMaps and Secrets, with their prefix),
 * then `env` in order — values with `$(VAR)` references expanded against the variables declared
 * so far and the service variables, `configMapKeyRef` / `secretKeyRef` (optional or not),
 * `fieldRef` (the downward API) and `resourceFieldRef` — then the service links of the pod's
 * namespace (`{SVC}_SERVICE_HOST`, Docker-link `{SVC}_PORT_80_TCP_ADDR`…) that the container's
 * own variables do not override. A missing non-optional source is what the kubelet reports as
 * `CreateContainerConfigError` (`configmap "app-cfg" not found`).
 */

import type { ClusterApi } from '../api/machinery/cluster-api.js';
import { isJsonObject, type JsonObject } from '../api/machinery/json-values.js';
import { ApiError } from '../api/types.js';
import { parseQuantity } from '../printing/quantity.js';
import type { KubeObject } from '../store/types.js';

/** The resolved environment, or the CreateContainerConfigError message when a source is missing. */
export type ResolvedEnv =
  | {
      readonly ok: true;
      readonly env: Readonly<Record<string, string>>;
      /**
       * Warning events the kubelet records while building it (`InvalidEnvironmentVariableNames`:
       * keys of an `envFrom` source skipped because they are no variable names).
       */
      readonly warnings?: readonly { readonly reason: string; readonly message: string }[];
    }
  | { readonly ok: false; readonly message: string };

/** What {@link resolveContainerEnv} may be told besides the pod. */
export interface ResolveEnvOptions {
  /**
   * Only services created at or before this time (ms since the epoch) give service links: the
   * environment of a container that started then, rebuilt later.
   */
  readonly servicesAt?: number;
  /** The node's allocatable resources (the default of `resourceFieldRef` limits); read from the node when absent. */
  readonly allocatable?: Readonly<Record<string, unknown>>;
  /** The service environment of the pod's namespace, when the caller keeps it (see {@link serviceEnvironment}). */
  readonly serviceEnv?: (namespace: string, enableServiceLinks: boolean) => Readonly<Record<string, string>>;
}

/** The services the kubelet always links from `default` (`masterServices`), even without service links. */
const MASTER_SERVICES = new Set(['kubernetes']);

/** `IsEnvVarName`: letters, digits, `_`, `-`, `.`, not starting with a digit. */
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

const obj = (v: unknown): JsonObject => (isJsonObject(v) ? v : {});
const arr = (v: unknown): JsonObject[] => (Array.isArray(v) ? v.filter(isJsonObject) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** A missing source: the message the container's waiting state carries. */
class EnvError extends Error {}

/** `makeEnvVariableName`: upper case, dashes to underscores. */
function envName(text: string): string {
  return text.toUpperCase().replaceAll('-', '_');
}

/**
 * `expansion.Expand`: `$(VAR)` becomes the variable's value when `lookup` knows it (else stays
 * as written), `$$` is an escaped `$`, anything else is kept.
 */
export function expandVariables(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const rest = input.slice(cursor + 1);
    let advance = 1;
    if (rest[0] === '$') {
      out += '$';
    } else if (rest[0] === '(') {
      const close = rest.indexOf(')', 1);
      if (close < 0) {
        out += '$(';
      } else {
        const name = rest.slice(1, close);
        out += lookup(name) ?? `$(${name})`;
        advance = close + 1;
      }
    } else {
      out += `$${rest[0]}`;
    }
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

/** `FormatMap`: `key="value"` lines, keys sorted. */
function formatMap(map: JsonObject): string {
  return Object.keys(map)
    .sort()
    .map((k) => `${k}=${JSON.stringify(str(map[k]))}`)
    .join('\n');
}

/** The downward API value of a `fieldRef` (`podFieldSelectorRuntimeValue`). */
function fieldValue(pod: KubeObject, fieldPath: string): string {
  const meta = obj(pod.metadata);
  const spec = obj(pod.spec);
  const status = obj(pod.status);
  const ips = (key: string, single: string): string => {
    const list = arr(status[key]).map((e) => str(e.ip));
    return list.length > 0 ? list.join(',') : str(status[single]);
  };
  switch (fieldPath) {
    case 'metadata.name':
      return str(meta.name);
    case 'metadata.namespace':
      return str(meta.namespace);
    case 'metadata.uid':
      return str(meta.uid);
    case 'metadata.labels':
      return formatMap(obj(meta.labels));
    case 'metadata.annotations':
      return formatMap(obj(meta.annotations));
    case 'spec.nodeName':
      return str(spec.nodeName);
    case 'spec.serviceAccountName':
      return str(spec.serviceAccountName);
    case 'status.hostIP':
      return str(status.hostIP);
    case 'status.hostIPs':
      return ips('hostIPs', 'hostIP');
    case 'status.podIP':
      return str(status.podIP);
    case 'status.podIPs':
      return ips('podIPs', 'podIP');
  }
  const subscript = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(fieldPath);
  if (subscript !== null) return str(obj(meta[subscript[1]!])[subscript[2]!]);
  throw new EnvError(`unsupported fieldPath: ${fieldPath}`);
}

/** `containerResourceRuntimeValue`: a container's request or limit, divided by `divisor` and rounded up. */
function resourceValue(
  ref: JsonObject,
  pod: KubeObject,
  containerName: string,
  allocatable: () => Readonly<Record<string, unknown>>,
): string {
  const target = str(ref.containerName) || containerName;
  const spec = obj(pod.spec);
  const container = [...arr(spec.containers), ...arr(spec.initContainers)].find((c) => c.name === target);
  if (container === undefined) throw new EnvError(`container ${target} not found`);
  const resource = str(ref.resource);
  const dot = resource.indexOf('.');
  const kind = resource.slice(0, dot);
  const name = resource.slice(dot + 1);
  if ((kind !== 'limits' && kind !== 'requests') || dot < 0)
    throw new EnvError(`unsupported container resource : ${resource}`);
  const resources = obj(container.resources);
  let value = obj(resources[kind])[name];
  // `defaultPodLimitsForDownwardAPI`: an unset limit is the node's allocatable.
  if (value === undefined && kind === 'limits') value = allocatable()[name];
  const quantity = parseQuantity(value ?? '0');
  const divisor = parseQuantity(ref.divisor ?? '1');
  if (quantity === undefined || divisor === undefined || divisor.nanos === 0n)
    throw new EnvError(`unsupported container resource : ${resource}`);
  if (name === 'cpu') {
    // Whole milli-units, as `MilliValue()` rounds up.
    const milli = (q: bigint): bigint => (q + 999_999n) / 1_000_000n;
    const d = milli(divisor.nanos);
    const v = milli(quantity.nanos);
    return String(d === 0n ? 0n : (v + d - 1n) / d);
  }
  const whole = (q: bigint): bigint => (q + 999_999_999n) / 1_000_000_000n;
  const d = whole(divisor.nanos);
  const v = whole(quantity.nanos);
  return String(d === 0n ? 0n : (v + d - 1n) / d);
}

/** The service environment of a namespace (`getServiceEnvVarMap` and `envvars.FromServices`). */
export function serviceEnvironment(
  api: ClusterApi,
  namespace: string,
  enableServiceLinks: boolean,
  servicesAt?: number,
): Readonly<Record<string, string>> {
  const chosen = new Map<string, JsonObject>();
  const consider = (service: KubeObject, master: boolean): void => {
    const meta = obj(service.metadata);
    const ip = str(obj(service.spec).clusterIP);
    if (ip === '' || ip === 'None') return;
    if (servicesAt !== undefined) {
      const created = Date.parse(str(meta.creationTimestamp));
      if (Number.isFinite(created) && created > servicesAt) return;
    }
    const name = str(meta.name);
    if (master) {
      if (!chosen.has(name)) chosen.set(name, service);
    } else if (!(namespace === 'default' && MASTER_SERVICES.has(name) && chosen.has(name))) {
      chosen.set(name, service);
    }
  };
  for (const name of MASTER_SERVICES) {
    try {
      consider(api.get('services', 'default', name), true);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
    }
  }
  if (enableServiceLinks) {
    for (const service of api.list('services', { namespace }).items) consider(service, false);
  }
  const env: Record<string, string> = {};
  const names = [...chosen.keys()].sort();
  for (const name of names) {
    const spec = obj(chosen.get(name)!.spec);
    const ip = str(spec.clusterIP);
    const ports = arr(spec.ports);
    if (ports.length === 0) continue;
    const prefix = envName(name);
    env[`${prefix}_SERVICE_HOST`] = ip;
    env[`${prefix}_SERVICE_PORT`] = String(ports[0]!.port);
    for (const port of ports) {
      if (str(port.name) !== '') env[`${prefix}_SERVICE_PORT_${envName(str(port.name))}`] = String(port.port);
    }
    const host = ip.includes(':') ? `[${ip}]` : ip;
    ports.forEach((port, i) => {
      const protocol = (str(port.protocol) || 'TCP').toLowerCase();
      const url = `${protocol}://${host}:${port.port}`;
      if (i === 0) env[`${prefix}_PORT`] = url;
      const portPrefix = `${prefix}_PORT_${port.port}_${protocol.toUpperCase()}`;
      env[portPrefix] = url;
      env[`${portPrefix}_PROTO`] = protocol;
      env[`${portPrefix}_PORT`] = String(port.port);
      env[`${portPrefix}_ADDR`] = ip;
    });
  }
  return env;
}

/** Reads a ConfigMap or Secret of the pod's namespace; undefined when it does not exist. */
function readSource(api: ClusterApi, kind: 'configmaps' | 'secrets', namespace: string, name: string) {
  try {
    return api.get(kind, namespace, name);
  } catch (error) {
    if (error instanceof ApiError && error.status.code === 404) return undefined;
    throw error;
  }
}

/** The string data of a ConfigMap, or the decoded data of a Secret. */
function dataOf(kind: 'configmaps' | 'secrets', object: KubeObject): Record<string, string> {
  const data = obj(object.data);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) {
    out[k] = kind === 'secrets' ? Buffer.from(str(v), 'base64').toString('utf8') : str(v);
  }
  if (kind === 'secrets') {
    for (const [k, v] of Object.entries(obj(object.stringData))) if (!(k in out)) out[k] = str(v);
  }
  return out;
}

/**
 * Resolves the environment of container `containerName` of `pod` as it would start now (or, with
 * `options.servicesAt`, as it started then).
 */
export function resolveContainerEnv(
  api: ClusterApi,
  pod: KubeObject,
  containerName: string,
  options: ResolveEnvOptions = {},
): ResolvedEnv {
  const meta = obj(pod.metadata);
  const spec = obj(pod.spec);
  const namespace = str(meta.namespace) || 'default';
  const container = [...arr(spec.containers), ...arr(spec.initContainers)].find(
    (c) => c.name === containerName,
  );
  if (container === undefined) return { ok: false, message: `container ${containerName} not found` };
  const sources = new Map<string, Record<string, string> | undefined>();
  const source = (kind: 'configmaps' | 'secrets', name: string): Record<string, string> | undefined => {
    const id = `${kind}/${name}`;
    if (!sources.has(id)) {
      const object = readSource(api, kind, namespace, name);
      sources.set(id, object === undefined ? undefined : dataOf(kind, object));
    }
    return sources.get(id);
  };
  const notFound = (kind: 'configmaps' | 'secrets', name: string): EnvError =>
    new EnvError(`${kind === 'configmaps' ? 'configmap' : 'secret'} "${name}" not found`);
  let nodeAllocatable = options.allocatable;
  const allocatable = (): Readonly<Record<string, unknown>> => {
    if (nodeAllocatable === undefined) {
      try {
        nodeAllocatable = obj(obj(api.get('nodes', '', str(spec.nodeName)).status).allocatable);
      } catch {
        nodeAllocatable = {};
      }
    }
    return nodeAllocatable;
  };
  try {
    const links = spec.enableServiceLinks !== false;
    const serviceEnv =
      options.serviceEnv?.(namespace, links) ?? serviceEnvironment(api, namespace, links, options.servicesAt);
    const env = new Map<string, string>();
    const warnings: { reason: string; message: string }[] = [];
    for (const from of arr(container.envFrom)) {
      const ref = isJsonObject(from.configMapRef) ? from.configMapRef : from.secretRef;
      if (!isJsonObject(ref)) continue;
      const kind = isJsonObject(from.configMapRef) ? 'configmaps' : 'secrets';
      const name = str(ref.name);
      const data = source(kind, name);
      if (data === undefined) {
        if (ref.optional === true) continue;
        throw notFound(kind, name);
      }
      const invalid: string[] = [];
      for (const [key, value] of Object.entries(data)) {
        const k = str(from.prefix) + key;
        if (!ENV_VAR_NAME.test(k)) {
          invalid.push(k);
          continue;
        }
        env.set(k, value);
      }
      if (invalid.length > 0) {
        warnings.push({
          reason: 'InvalidEnvironmentVariableNames',
          message: `Keys [${invalid.sort().join(', ')}] from the EnvFrom ${kind === 'configmaps' ? 'configMap' : 'secret'} ${namespace}/${name} were skipped since they are considered invalid environment variable names.`,
        });
      }
    }
    const lookup = (name: string): string | undefined => env.get(name) ?? serviceEnv[name];
    for (const e of arr(container.env)) {
      const name = str(e.name);
      let value = str(e.value);
      if (value !== '') {
        value = expandVariables(value, lookup);
      } else if (isJsonObject(e.valueFrom)) {
        const from = e.valueFrom;
        if (isJsonObject(from.fieldRef)) {
          value = fieldValue(pod, str(from.fieldRef.fieldPath));
        } else if (isJsonObject(from.resourceFieldRef)) {
          value = resourceValue(from.resourceFieldRef, pod, containerName, allocatable);
        } else if (isJsonObject(from.configMapKeyRef) || isJsonObject(from.secretKeyRef)) {
          const kind = isJsonObject(from.configMapKeyRef) ? 'configmaps' : 'secrets';
          const ref = obj(kind === 'configmaps' ? from.configMapKeyRef : from.secretKeyRef);
          const optional = ref.optional === true;
          const data = source(kind, str(ref.name));
          if (data === undefined) {
            if (optional) continue;
            throw notFound(kind, str(ref.name));
          }
          const key = str(ref.key);
          if (!Object.hasOwn(data, key)) {
            if (optional) continue;
            throw new EnvError(
              `couldn't find key ${key} in ${kind === 'configmaps' ? 'ConfigMap' : 'Secret'} ${namespace}/${str(ref.name)}`,
            );
          }
          value = data[key]!;
        }
      }
      env.set(name, value);
    }
    const result: Record<string, string> = {};
    for (const [k, v] of env) result[k] = v;
    for (const [k, v] of Object.entries(serviceEnv)) if (!env.has(k)) result[k] = v;
    return warnings.length > 0 ? { ok: true, env: result, warnings } : { ok: true, env: result };
  } catch (error) {
    if (error instanceof EnvError) return { ok: false, message: error.message };
    throw error;
  }
}

/** The ConfigMaps and Secrets a container's environment reads (for retrying when one appears). */
export function envSources(container: JsonObject): { kind: 'configmaps' | 'secrets'; name: string }[] {
  const out: { kind: 'configmaps' | 'secrets'; name: string }[] = [];
  for (const from of arr(container.envFrom)) {
    if (isJsonObject(from.configMapRef)) out.push({ kind: 'configmaps', name: str(from.configMapRef.name) });
    if (isJsonObject(from.secretRef)) out.push({ kind: 'secrets', name: str(from.secretRef.name) });
  }
  for (const e of arr(container.env)) {
    const from = obj(e.valueFrom);
    if (isJsonObject(from.configMapKeyRef))
      out.push({ kind: 'configmaps', name: str(from.configMapKeyRef.name) });
    if (isJsonObject(from.secretKeyRef)) out.push({ kind: 'secrets', name: str(from.secretKeyRef.name) });
  }
  return out;
}

/**
 * What the endpoint-controller and the endpointslice-controller share besides the
 * {@link ServicePodIndex}: the Service's ports and how a port targets a pod (`podutil.FindPort`,
 * named target ports looked up among the pod's container ports), the endpoint hostname, the
 * headless test and label, and the `last-change-trigger-time` bookkeeping.
 */

import { isJsonObject, type JsonObject } from '../api/machinery/json-values.js';
import { rfc3339 } from '../api/machinery/object-stamps.js';
import { ApiError } from '../api/types.js';
import type { ControllerContext } from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';
import type { PodEndpointInfo } from './service-pod-index.js';
import { nameOf, namespaceOf, specOf } from './shared.js';

/** `service.kubernetes.io/headless` (`v1.IsHeadlessService`). */
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
/** `endpoints.kubernetes.io/last-change-trigger-time` (`v1.EndpointsLastChangeTriggerTime`). */
export const TRIGGER_TIME_ANNOTATION = 'endpoints.kubernetes.io/last-change-trigger-time';

/**
 * `podutil.FindPort`: the port number a Service port targets on a pod: a number as is, a name
 * looked up among the pod's container ports of the same protocol; undefined when it has none.
 */
export function findPort(pod: PodEndpointInfo, servicePort: JsonObject): number | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  if (typeof target === 'number') return target;
  if (typeof target !== 'string') return undefined;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = typeof servicePort.protocol === 'string' ? servicePort.protocol : 'TCP';
  return pod.ports.find((p) => p.name === target && p.protocol === protocol)?.containerPort;
}

/** `endpointsliceutil.ShouldSetHostname`: the pod's hostname, when its subdomain names the Service. */
export function endpointHostname(pod: PodEndpointInfo, service: KubeObject): string | undefined {
  return pod.hostname !== '' && pod.subdomain === nameOf(service) && pod.namespace === namespaceOf(service)
    ? pod.hostname
    : undefined;
}

/** The Service's ports (objects only). */
export function servicePorts(service: KubeObject): JsonObject[] {
  const ports = specOf(service).ports;
  return Array.isArray(ports) ? ports.filter(isJsonObject) : [];
}

/** `helper.IsServiceIPSet`: false for headless (`clusterIP: None`) Services. */
export function isHeadless(service: KubeObject): boolean {
  return specOf(service).clusterIP === 'None';
}

/** Reads an object, undefined when it does not exist. */
export function getOptional(
  ctx: ControllerContext,
  resource: string,
  namespace: string,
  name: string,
): KubeObject | undefined {
  try {
    return ctx.api.get(resource, namespace, name);
  } catch (error) {
    if (error instanceof ApiError && error.status.code === 404) return undefined;
    throw error;
  }
}

/**
 * Remembers, per Service key, when its first unsynced change happened (the
 * `last-change-trigger-time` Kubernetes' trigger-time tracker reports).
 */
export class TriggerTimes {
  private readonly times = new Map<string, number>();

  note(key: string, at: number): void {
    const seen = this.times.get(key);
    if (seen === undefined || at < seen) this.times.set(key, at);
  }

  /** The time to annotate (the first pending change, else `now`), forgetting it. */
  take(key: string, now: Date): string {
    const at = this.times.get(key);
    this.times.delete(key);
    return rfc3339(at === undefined ? now : new Date(at));
  }

  clear(): void {
    this.times.clear();
  }
}

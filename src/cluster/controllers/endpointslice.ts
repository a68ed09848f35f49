/**
 * The endpointslice-controller (`pkg/controller/endpointslice` and the staging reconciler): the
 * `discovery.k8s.io/v1` EndpointSlices of every Service with a selector.
 *
 * - A slice per set of resolved ports, at most 100 endpoints each (`--max-endpoints-per-slice`),
 *   named `<service>-<5 random>` (generateName), owned by the Service (so deleting it deletes
 *   them), labelled with the Service's labels plus `kubernetes.io/service-name` and
 *   `endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io` (and
 *   `service.kubernetes.io/headless` for a headless Service), `addressType: IPv4`.
 * - Each endpoint is one pod with an IP that has not finished: `conditions.ready` (Ready and not
 *   terminating, or always with `publishNotReadyAddresses`), `serving` (Ready) and `terminating`,
 *   `targetRef`, `nodeName`, and `hostname` when the pod's subdomain names the Service.
 *   Terminating pods stay listed (unlike Endpoints).
 * - Reconciling keeps what it can, as the reconciler does: endpoints stay in their slice and are
 *   updated there, gone ones are removed, new ones fill slices already being updated, then a
 *   single unchanged slice that can take them all, then new slices; a slice left empty is deleted,
 *   or reused (renamed into) when a new one would be created. A Service with no endpoints keeps
 *   one empty placeholder slice.
 *
 * It shares the {@link ServicePodIndex} of the endpoint-controller's module (its own instance),
 * so a pod change re-syncs only the Services that select it.
 */

import { isJsonObject, type JsonObject, jsonEqual } from '../api/machinery/json-values.js';
import { ApiError } from '../api/types.js';
import type { Controller, WatchEvent } from '../runtime/types.js';
import { splitKey } from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';
import {
  endpointHostname,
  findPort,
  getOptional,
  HEADLESS_LABEL,
  isHeadless,
  type PodEndpointInfo,
  ServicePodIndex,
  servicePorts,
  serviceSelector,
  TRIGGER_TIME_ANNOTATION,
  TriggerTimes,
} from './endpoints.js';
import { controllerRef, labels, meta, nameOf, specOf, uidOf } from './shared.js';

/** The controller's name. */
export const ENDPOINTSLICE_CONTROLLER = 'endpointslice-controller';
/** `endpointslice.kubernetes.io/managed-by` value of the slices it manages. */
export const ENDPOINTSLICE_MANAGER = 'endpointslice-controller.k8s.io';
/** `discovery.LabelServiceName`. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
/** `discovery.LabelManagedBy`. */
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
/** `--max-endpoints-per-slice` default. */
export const MAX_ENDPOINTS_PER_SLICE = 100;

const RESOURCE = 'endpointslices.discovery.k8s.io';

/** A desired endpoint and the key it is matched by (addresses, hostname, pod name: `hashEndpoint`). */
interface Desired {
  readonly key: string;
  readonly endpoint: JsonObject;
  readonly podName: string;
}

/** The desired endpoints of one port set. */
interface PortGroup {
  readonly ports: JsonObject[];
  readonly endpoints: Map<string, Desired>;
}

/** Endpoints of pod states for the common case (no hostname, not publishing unready pods). */
const ENDPOINTS = new WeakMap<PodEndpointInfo, JsonObject>();

/** `podToEndpoint` (built once per pod state in the common case; the API copies what it stores). */
function podEndpoint(pod: PodEndpointInfo, service: KubeObject): JsonObject {
  const publishNotReady = specOf(service).publishNotReadyAddresses === true;
  const hostname = endpointHostname(pod, service);
  const common = hostname === undefined && !publishNotReady;
  const cached = common ? ENDPOINTS.get(pod) : undefined;
  if (cached !== undefined) return cached;
  const serving = pod.ready;
  const terminating = pod.terminating;
  const ready = publishNotReady || (serving && !terminating);
  const endpoint: JsonObject = {
    addresses: [pod.ip],
    conditions: { ready, serving, terminating },
    ...(hostname === undefined ? {} : { hostname }),
    targetRef: { kind: 'Pod', namespace: pod.namespace, name: pod.name, uid: pod.uid },
    ...(pod.nodeName === '' ? {} : { nodeName: pod.nodeName }),
  };
  if (common) ENDPOINTS.set(pod, endpoint);
  return endpoint;
}

/** Keys of endpoints already seen (endpoint objects are never changed in place). */
const KEYS = new WeakMap<JsonObject, string>();

/** The key an existing or desired endpoint is matched by. */
function endpointKey(endpoint: JsonObject): string {
  let key = KEYS.get(endpoint);
  if (key === undefined) {
    key = computeEndpointKey(endpoint);
    KEYS.set(endpoint, key);
  }
  return key;
}

function computeEndpointKey(endpoint: JsonObject): string {
  const addresses = Array.isArray(endpoint.addresses) ? endpoint.addresses.map(String).sort() : [];
  const ref = isJsonObject(endpoint.targetRef) ? endpoint.targetRef : {};
  return [
    addresses.join(','),
    String(endpoint.hostname ?? ''),
    String(ref.namespace ?? ''),
    String(ref.name ?? ''),
  ].join('\0');
}

/** A port set's key (`NewPortMapKey`: independent of order). */
function portsKey(ports: readonly unknown[]): string {
  return ports
    .filter(isJsonObject)
    .map((p) => JSON.stringify([p.name ?? '', p.port ?? null, p.protocol ?? 'TCP', p.appProtocol ?? null]))
    .sort()
    .join('\n');
}

/** The desired endpoints of a Service, by port set, pods in name order. */
function desiredGroups(service: KubeObject, pods: readonly PodEndpointInfo[]): Map<string, PortGroup> {
  const ports = servicePorts(service);
  const groups = new Map<string, PortGroup>();
  const sorted = [...pods].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const pod of sorted) {
    // `ShouldPodBeInEndpoints(pod, true)`: terminating pods are kept.
    if (pod.terminal || pod.ip === '') continue;
    const endpointPorts: JsonObject[] = [];
    for (const servicePort of ports) {
      const number = findPort(pod, servicePort);
      if (number === undefined) continue;
      endpointPorts.push({
        name: typeof servicePort.name === 'string' ? servicePort.name : '',
        port: number,
        protocol: typeof servicePort.protocol === 'string' ? servicePort.protocol : 'TCP',
        ...(typeof servicePort.appProtocol === 'string' ? { appProtocol: servicePort.appProtocol } : {}),
      });
    }
    const key = portsKey(endpointPorts);
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = { ports: endpointPorts, endpoints: new Map() }));
    const endpoint = podEndpoint(pod, service);
    const ek = endpointKey(endpoint);
    group.endpoints.set(ek, { key: ek, endpoint, podName: pod.name });
  }
  return groups;
}

/** `setEndpointSliceLabels`: the Service's labels (but the reserved ones) and the controller's. */
function sliceLabels(service: KubeObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels(service))) {
    if (k === SERVICE_NAME_LABEL || k === MANAGED_BY_LABEL) continue;
    out[k] = v;
  }
  if (isHeadless(service)) out[HEADLESS_LABEL] = '';
  else delete out[HEADLESS_LABEL];
  out[SERVICE_NAME_LABEL] = nameOf(service);
  out[MANAGED_BY_LABEL] = ENDPOINTSLICE_MANAGER;
  return out;
}

function ownedBy(slice: KubeObject, service: KubeObject): boolean {
  const refs = meta(slice).ownerReferences;
  return Array.isArray(refs) && refs.some((r) => isJsonObject(r) && r.uid === uidOf(service));
}

const endpointsOf = (slice: KubeObject): JsonObject[] =>
  Array.isArray(slice.endpoints) ? slice.endpoints.filter(isJsonObject) : [];

/** A slice being written: an existing one (with its name) or a new one. */
interface SliceDraft {
  readonly existing: KubeObject | undefined;
  ports: JsonObject[];
  endpoints: JsonObject[];
}

/**
 * The managed slices of each Service, as observed (so a sync reads no slice from the store):
 * `namespace/service` → slice name → slice.
 */
class ManagedSlices {
  private readonly byService = new Map<string, Map<string, KubeObject>>();
  /** `namespace/slice` → its Service key. */
  private readonly owners = new Map<string, string>();

  /** Records a slice change; returns the key of the Service it belonged to, if managed. */
  observe(event: WatchEvent): string | undefined {
    const id = `${event.key.namespace}/${event.key.name}`;
    const before = this.owners.get(id);
    if (before !== undefined) {
      this.owners.delete(id);
      const set = this.byService.get(before);
      set?.delete(event.key.name);
      if (set?.size === 0) this.byService.delete(before);
    }
    if (event.type === 'DELETED') return before;
    const sliceLabels = labels(event.object);
    const service = sliceLabels[SERVICE_NAME_LABEL];
    if (service === undefined || sliceLabels[MANAGED_BY_LABEL] !== ENDPOINTSLICE_MANAGER) return before;
    const key = `${event.key.namespace}/${service}`;
    let set = this.byService.get(key);
    if (set === undefined) this.byService.set(key, (set = new Map()));
    set.set(event.key.name, event.object);
    this.owners.set(id, key);
    return key;
  }

  /** The managed slices of a Service, oldest first. */
  of(serviceKey: string): KubeObject[] {
    return [...(this.byService.get(serviceKey)?.values() ?? [])];
  }

  clear(): void {
    this.byService.clear();
    this.owners.clear();
  }
}

/** Builds the endpointslice-controller. */
export function endpointSliceController(): Controller {
  const index = new ServicePodIndex();
  const triggers = new TriggerTimes();
  const slices = new ManagedSlices();
  return {
    name: ENDPOINTSLICE_CONTROLLER,
    resources: ['services', 'pods', RESOURCE],
    reset() {
      index.clear();
      triggers.clear();
      slices.clear();
    },
    observe(event, ctx) {
      const resource = event.key.resource;
      if (resource === 'pods') {
        const now = ctx.now().getTime();
        for (const key of index.observePod(event)) {
          triggers.note(key, now);
          ctx.enqueue(key);
        }
      } else if (resource === 'services') {
        index.observeService(event);
        if (event.type === 'DELETED') return; // its slices go with it (owner references)
        const key = `${event.key.namespace}/${event.key.name}`;
        triggers.note(key, ctx.now().getTime());
        ctx.enqueue(key);
      } else {
        const owner = slices.observe(event);
        // A managed slice deleted by someone else: write the Service's slices again.
        if (event.type === 'DELETED' && owner !== undefined) ctx.enqueue(owner);
      }
    },
    reconcile(key, ctx) {
      const { namespace, name } = splitKey(key);
      const service = getOptional(ctx, 'services', namespace, name);
      const selector = service === undefined ? undefined : serviceSelector(service);
      if (service === undefined || specOf(service).type === 'ExternalName' || selector === undefined) {
        triggers.take(key, ctx.now());
        return;
      }
      const existing = slices.of(key);
      const wantedLabels = sliceLabels(service);
      index.track(namespace, () => ctx.api.list('pods', { namespace }).items);
      const groups = desiredGroups(service, index.select(namespace, selector));

      const toUpdate: SliceDraft[] = [];
      const toCreate: SliceDraft[] = [];
      const toDelete: KubeObject[] = [];
      const unchanged: KubeObject[] = [];
      const byPorts = new Map<string, KubeObject[]>();
      for (const slice of existing) {
        if (!ownedBy(slice, service) || slice.addressType !== 'IPv4') {
          toDelete.push(slice);
          continue;
        }
        const k = portsKey(Array.isArray(slice.ports) ? slice.ports : []);
        const list = byPorts.get(k) ?? [];
        list.push(slice);
        byPorts.set(k, list);
      }
      for (const [k, list] of byPorts) if (!groups.has(k)) toDelete.push(...list);

      for (const [k, group] of groups) {
        const remaining = new Map(group.endpoints);
        const updating: SliceDraft[] = [];
        const untouched: KubeObject[] = [];
        for (const slice of byPorts.get(k) ?? []) {
          const kept: JsonObject[] = [];
          let changed = !jsonEqual(labels(slice), wantedLabels);
          for (const endpoint of endpointsOf(slice)) {
            const desired = remaining.get(endpointKey(endpoint));
            if (desired === undefined) {
              changed = true;
              continue;
            }
            remaining.delete(desired.key);
            if (!jsonEqual(endpoint, desired.endpoint)) changed = true;
            kept.push(desired.endpoint);
          }
          if (kept.length === 0) toDelete.push(slice);
          else if (changed) updating.push({ existing: slice, ports: group.ports, endpoints: kept });
          else untouched.push(slice);
        }
        const left = [...remaining.values()];
        let next = 0;
        // 1. Fill the slices being updated anyway.
        for (const draft of updating) {
          while (next < left.length && draft.endpoints.length < MAX_ENDPOINTS_PER_SLICE)
            draft.endpoints.push(left[next++]!.endpoint);
        }
        // 2. The fullest unchanged slice that can take every remaining endpoint.
        if (next < left.length) {
          const count = left.length - next;
          const fitting = untouched
            .filter((s) => endpointsOf(s).length + count <= MAX_ENDPOINTS_PER_SLICE)
            .sort((a, b) => endpointsOf(b).length - endpointsOf(a).length)[0];
          if (fitting !== undefined) {
            untouched.splice(untouched.indexOf(fitting), 1);
            updating.push({
              existing: fitting,
              ports: group.ports,
              endpoints: [...endpointsOf(fitting), ...left.slice(next).map((d) => d.endpoint)],
            });
            next = left.length;
          }
        }
        // 3. New slices for the rest.
        for (; next < left.length; next += MAX_ENDPOINTS_PER_SLICE) {
          toCreate.push({
            existing: undefined,
            ports: group.ports,
            endpoints: left.slice(next, next + MAX_ENDPOINTS_PER_SLICE).map((d) => d.endpoint),
          });
        }
        toUpdate.push(...updating);
        unchanged.push(...untouched);
      }

      // A Service without endpoints keeps one empty placeholder slice.
      if (toUpdate.length === 0 && unchanged.length === 0 && toCreate.length === 0) {
        const placeholder = toDelete.find(
          (s) =>
            ownedBy(s, service) &&
            s.addressType === 'IPv4' &&
            endpointsOf(s).length === 0 &&
            portsKey(Array.isArray(s.ports) ? s.ports : []) === '',
        );
        if (placeholder !== undefined && jsonEqual(labels(placeholder), wantedLabels)) {
          toDelete.splice(toDelete.indexOf(placeholder), 1);
        } else {
          toCreate.push({ existing: undefined, ports: [], endpoints: [] });
        }
      }
      // Reuse slices about to be deleted instead of creating new ones.
      for (let i = 0; i < toDelete.length && toCreate.length > 0; ) {
        const slice = toDelete[i]!;
        if (slice.addressType === 'IPv4' && ownedBy(slice, service)) {
          const draft = toCreate.pop()!;
          toUpdate.push({ existing: slice, ports: draft.ports, endpoints: draft.endpoints });
          toDelete.splice(i, 1);
        } else i++;
      }
      if (toCreate.length === 0 && toUpdate.length === 0 && toDelete.length === 0) {
        triggers.take(key, ctx.now());
        return;
      }

      const trigger = triggers.take(key, ctx.now());
      const options = { fieldManager: ENDPOINTSLICE_CONTROLLER };
      for (const slice of toDelete) {
        try {
          ctx.api.delete(RESOURCE, namespace, nameOf(slice), options);
        } catch (error) {
          if (!(error instanceof ApiError && error.status.code === 404)) throw error;
        }
      }
      for (const draft of toUpdate) {
        const current = draft.existing!;
        const m = meta(current);
        ctx.api.update(
          {
            ...current,
            metadata: {
              ...m,
              labels: wantedLabels,
              annotations: {
                ...(isJsonObject(m.annotations) ? m.annotations : {}),
                [TRIGGER_TIME_ANNOTATION]: trigger,
              },
              ownerReferences: [controllerRef(service)],
            },
            addressType: 'IPv4',
            endpoints: draft.endpoints,
            ports: draft.ports,
          },
          options,
        );
      }
      for (const draft of toCreate) {
        ctx.api.create(
          {
            apiVersion: 'discovery.k8s.io/v1',
            kind: 'EndpointSlice',
            metadata: {
              // The API server keeps at most 58 characters of a generateName.
              generateName: `${name}-`.slice(0, 58),
              namespace,
              labels: wantedLabels,
              annotations: { [TRIGGER_TIME_ANNOTATION]: trigger },
              ownerReferences: [controllerRef(service)],
            },
            addressType: 'IPv4',
            endpoints: draft.endpoints,
            ports: draft.ports,
          },
          options,
        );
      }
    },
  };
}

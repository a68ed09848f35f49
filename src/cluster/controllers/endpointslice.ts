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
 * It keeps its own instance of the {@link ServicePodIndex} the endpoint-controller uses, so a pod
 * change re-syncs only the Services that select it. The desired endpoints and the plan of slice
 * writes are computed in `endpointslice-plan.ts`; this module follows the events and writes.
 */

import { isJsonObject } from '../api/machinery/json-values.js';
import { ApiError } from '../api/types.js';
import type { Controller, WatchEvent } from '../runtime/types.js';
import { splitKey } from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';
import {
  getOptional,
  HEADLESS_LABEL,
  isHeadless,
  TRIGGER_TIME_ANNOTATION,
  TriggerTimes,
} from './endpoint-common.js';
import { desiredGroups, planSlices } from './endpointslice-plan.js';
import { ServicePodIndex, serviceSelector } from './service-pod-index.js';
import { controllerRef, labels, meta, nameOf, specOf } from './shared.js';

export { MAX_ENDPOINTS_PER_SLICE } from './endpointslice-plan.js';

/** The controller's name. */
export const ENDPOINTSLICE_CONTROLLER = 'endpointslice-controller';
/** `endpointslice.kubernetes.io/managed-by` value of the slices it manages. */
export const ENDPOINTSLICE_MANAGER = 'endpointslice-controller.k8s.io';
/** `discovery.LabelServiceName`. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
/** `discovery.LabelManagedBy`. */
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';

const RESOURCE = 'endpointslices.discovery.k8s.io';

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

      const { toUpdate, toCreate, toDelete } = planSlices(service, existing, groups, wantedLabels);
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

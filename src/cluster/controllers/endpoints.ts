/**
 * The endpoint-controller (`pkg/controller/endpoint`): one `Endpoints` object per Service with a
 * selector, named like the Service, listing the selected pods' addresses per port set.
 *
 * - Services without a selector (their Endpoints are written by hand) and ExternalName services
 *   are left alone; a deleted Service's Endpoints is deleted.
 * - Ready pods go to `addresses`, the others to `notReadyAddresses` (all to `addresses` with
 *   `publishNotReadyAddresses`); terminating pods are omitted (kept with
 *   `publishNotReadyAddresses`), and so are finished pods and pods without an IP. A named
 *   `targetPort` is looked up per pod among its container ports (`podutil.FindPort`): a pod
 *   without that port is left out of that port only.
 * - Subsets are packed as `endpoints.RepackSubsets` packs them: one subset per set of addresses
 *   sharing the same ports, addresses sorted by IP. (Kubernetes orders ports and subsets by a
 *   hash of their Go structs; bosun uses the Service's port order, which the bootstrapped
 *   `kube-dns` Endpoints already follows.)
 * - More than 1000 addresses are truncated, and the object is annotated
 *   `endpoints.kubernetes.io/over-capacity: truncated`.
 * - The labels are the Service's, plus `service.kubernetes.io/headless` for a headless Service
 *   and `endpoints.kubernetes.io/managed-by: endpoint-controller` (Kubernetes 1.33). As in
 *   Kubernetes, an object whose subsets and labels (besides those two) are already right is not
 *   written, so the bootstrapped `kube-dns` Endpoints stays as it is.
 *
 * The controller never lists pods per reconcile: a {@link ServicePodIndex} maps each Service to
 * its selector and each pod to the few fields endpoints need. It reads a namespace's pods once,
 * when a Service there first needs them, then follows them from the observed events (pods of
 * namespaces without Services cost nothing), and a pod change re-syncs only the Services in its
 * namespace whose selector matches its old or new labels. The EndpointSlice controller uses the
 * same index (`service-pod-index.ts`) and port helpers (`endpoint-common.ts`); the subsets are
 * built in `endpoint-subsets.ts`, and this module follows the events and writes the object.
 */

import { jsonEqual } from '../api/machinery/json-values.js';
import { ApiError } from '../api/types.js';
import type { Controller } from '../runtime/types.js';
import { splitKey } from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';
import {
  getOptional,
  HEADLESS_LABEL,
  isHeadless,
  TRIGGER_TIME_ANNOTATION,
  TriggerTimes,
} from './endpoint-common.js';
import { endpointSubsets, truncateSubsets } from './endpoint-subsets.js';
import { ServicePodIndex, serviceSelector } from './service-pod-index.js';
import { annotations, labels, meta, specOf } from './shared.js';

/** Other controllers read objects through it (it lives with the endpoint controllers' helpers). */
export { getOptional } from './endpoint-common.js';

/** The controller's name (`source.component` and field manager). */
export const ENDPOINT_CONTROLLER = 'endpoint-controller';
/** `endpoints.kubernetes.io/managed-by` (`endpoint.LabelManagedBy`). */
export const ENDPOINTS_MANAGED_BY_LABEL = 'endpoints.kubernetes.io/managed-by';
/** `endpoints.kubernetes.io/over-capacity` (`v1.EndpointsOverCapacity`). */
export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';

/** Labels without the two the controller adds itself (what Kubernetes compares with the Service's). */
function comparableLabels(current: Record<string, string>): Record<string, string> {
  const out = { ...current };
  delete out[HEADLESS_LABEL];
  delete out[ENDPOINTS_MANAGED_BY_LABEL];
  return out;
}

/** The labels the controller writes: the Service's, the headless marker, its own. */
function endpointsLabels(service: KubeObject): Record<string, string> {
  const out: Record<string, string> = { ...labels(service) };
  if (isHeadless(service)) out[HEADLESS_LABEL] = '';
  else delete out[HEADLESS_LABEL];
  out[ENDPOINTS_MANAGED_BY_LABEL] = ENDPOINT_CONTROLLER;
  return out;
}

/** Builds the endpoint-controller. */
export function endpointsController(): Controller {
  const index = new ServicePodIndex();
  const triggers = new TriggerTimes();
  return {
    name: ENDPOINT_CONTROLLER,
    resources: ['services', 'pods', 'endpoints'],
    reset() {
      index.clear();
      triggers.clear();
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
        const key = `${event.key.namespace}/${event.key.name}`;
        if (event.type === 'ADDED') {
          const created = Date.parse(String(meta(event.object).creationTimestamp ?? ''));
          triggers.note(key, Number.isFinite(created) ? created : ctx.now().getTime());
        } else triggers.note(key, ctx.now().getTime());
        ctx.enqueue(key);
      } else if (resource === 'endpoints' && event.type === 'DELETED') {
        // A deleted Endpoints of a selecting Service is written again.
        ctx.enqueue(`${event.key.namespace}/${event.key.name}`);
      }
    },
    reconcile(key, ctx) {
      const { namespace, name } = splitKey(key);
      const service = getOptional(ctx, 'services', namespace, name);
      const current = getOptional(ctx, 'endpoints', namespace, name);
      if (service === undefined) {
        // The Service is gone: so is its Endpoints.
        triggers.take(key, ctx.now());
        if (current !== undefined) {
          try {
            ctx.api.delete('endpoints', namespace, name, { fieldManager: ENDPOINT_CONTROLLER });
          } catch (error) {
            if (!(error instanceof ApiError && error.status.code === 404)) throw error;
          }
        }
        return;
      }
      const spec = specOf(service);
      const selector = serviceSelector(service);
      // ExternalName services and services without a selector get nothing from this controller.
      if (spec.type === 'ExternalName' || selector === undefined) {
        triggers.take(key, ctx.now());
        return;
      }
      index.track(namespace, () => ctx.api.list('pods', { namespace }).items);
      const { subsets, truncated } = truncateSubsets(
        endpointSubsets(service, index.select(namespace, selector)),
      );
      const currentAnnotations = current === undefined ? {} : annotations(current);
      if (
        current !== undefined &&
        jsonEqual(current.subsets ?? [], subsets) &&
        jsonEqual(comparableLabels(labels(current)), labels(service)) &&
        truncated === (currentAnnotations[OVER_CAPACITY_ANNOTATION] !== undefined)
      ) {
        triggers.take(key, ctx.now());
        return;
      }
      const nextAnnotations: Record<string, string> = { ...currentAnnotations };
      nextAnnotations[TRIGGER_TIME_ANNOTATION] = triggers.take(key, ctx.now());
      if (truncated) nextAnnotations[OVER_CAPACITY_ANNOTATION] = 'truncated';
      else delete nextAnnotations[OVER_CAPACITY_ANNOTATION];
      if (current === undefined) {
        ctx.api.create(
          {
            apiVersion: 'v1',
            kind: 'Endpoints',
            metadata: { name, namespace, labels: endpointsLabels(service), annotations: nextAnnotations },
            ...(subsets.length > 0 ? { subsets } : {}),
          },
          { fieldManager: ENDPOINT_CONTROLLER },
        );
        return;
      }
      const next: KubeObject = {
        ...current,
        metadata: { ...meta(current), labels: endpointsLabels(service), annotations: nextAnnotations },
      };
      if (subsets.length > 0) next.subsets = subsets;
      else delete next.subsets;
      ctx.api.update(next, { fieldManager: ENDPOINT_CONTROLLER });
    },
  };
}

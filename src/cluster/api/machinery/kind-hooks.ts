/**
 * What the registry of a few kinds adds to every write (Kubernetes' REST storage hooks): Service
 * allocations and their release, a Namespace's `kubernetes` finalizer. Keyed by `Kind.group`.
 */

import { generateJobSelector } from '../kinds/defaults.js';
import type { FieldError, KindInfo } from '../types.js';
import { cloneJson, getOwn, isJsonObject, type JsonObject, metaString } from './json-values.js';
import { NAMESPACE_FINALIZER } from './kind-policies.js';
import type { ObjectWriter } from './object-writer.js';

/** Hooks of one kind; each may change the object in place and returns refusals. */
export interface KindHooks {
  /** Before a create is validated and stored. */
  prepareCreate?(writer: ObjectWriter, object: JsonObject): FieldError[];
  /** Before an update through the main endpoint is validated and stored. */
  prepareUpdate?(writer: ObjectWriter, oldObject: JsonObject, object: JsonObject): FieldError[];
  /** After the object left the store. */
  afterRemove?(writer: ObjectWriter, object: JsonObject): void;
}

const ownerOf = (object: JsonObject): string =>
  `${metaString(object, 'namespace')}/${metaString(object, 'name')}`;

const serviceHooks: KindHooks = {
  prepareCreate: (w, object) => w.ctx.services.allocate(w.tx, w.random(), object, ownerOf(object)),
  prepareUpdate: (w, old, object) =>
    w.ctx.services.reallocate(w.tx, w.random(), old, object, ownerOf(object)),
  afterRemove: (w, object) => w.ctx.services.release(w.tx, object, ownerOf(object)),
};

const namespaceHooks: KindHooks = {
  prepareCreate: (_w, object) => {
    const spec = isJsonObject(object.spec) ? object.spec : (object.spec = {});
    const finalizers = Array.isArray(spec.finalizers) ? spec.finalizers : [];
    if (!finalizers.includes(NAMESPACE_FINALIZER)) spec.finalizers = [...finalizers, NAMESPACE_FINALIZER];
    return [];
  },
  // Only the namespace controller changes spec.finalizers (through /finalize in Kubernetes).
  prepareUpdate: (_w, old, object) => {
    const finalizers = getOwn(old.spec, 'finalizers');
    const spec = isJsonObject(object.spec) ? object.spec : (object.spec = {});
    if (finalizers === undefined) delete spec.finalizers;
    else spec.finalizers = cloneJson(finalizers);
    return [];
  },
};

/**
 * A CustomResourceDefinition registers its kind as it is written (an unregistrable one is
 * refused); when it leaves the store its objects are deleted and its kind unregistered. Registration lives in this process's
 * registry; `openCluster` registers the stored CRDs of the cluster it opens.
 */
function registerCrd(w: ObjectWriter, object: JsonObject): FieldError[] {
  const register = w.ctx.registry.registerCrd?.bind(w.ctx.registry);
  if (!register) return [];
  try {
    register(object);
    return [];
  } catch (err) {
    return [{ type: 'Invalid', field: 'spec', message: err instanceof Error ? err.message : String(err) }];
  }
}

const crdHooks: KindHooks = {
  prepareCreate: (w, object) => registerCrd(w, object),
  prepareUpdate: (w, _old, object) => registerCrd(w, object),
  afterRemove: (w, object) => {
    const spec = isJsonObject(object.spec) ? object.spec : {};
    const names = isJsonObject(spec.names) ? spec.names : {};
    const group = String(spec.group ?? '');
    // The custom objects go with their definition, as the API server's CRD finalizer does.
    const resource = `${String(names.plural ?? '')}.${group}`;
    for (const item of w.ctx.store.list(resource).items) w.tx.delete(item.key);
    w.ctx.registry.unregister(group, String(names.kind ?? ''));
  },
};

/**
 * A Job's generated selector and pod labels need its uid, which create assigns after defaulting
 * (the Job registry's `PrepareForCreate`); its labels default to the template's.
 */
const jobHooks: KindHooks = {
  prepareCreate: (_w, object) => {
    if (!isJsonObject(object.spec)) return [];
    generateJobSelector(object, object.spec);
    const meta = isJsonObject(object.metadata) ? object.metadata : {};
    const template = isJsonObject(object.spec.template) ? object.spec.template : {};
    const labels = isJsonObject(template.metadata) ? template.metadata.labels : undefined;
    if (isJsonObject(labels) && (!isJsonObject(meta.labels) || Object.keys(meta.labels).length === 0))
      meta.labels = { ...labels };
    return [];
  },
};

/** Hooks by `Kind.group` (`Kind` for the core group). */
export const KIND_HOOKS: Readonly<Record<string, KindHooks>> = {
  Service: serviceHooks,
  Namespace: namespaceHooks,
  'CustomResourceDefinition.apiextensions.k8s.io': crdHooks,
  'Job.batch': jobHooks,
};

/** The hooks of a kind (none for most). */
export function hooksOf(info: KindInfo): KindHooks {
  return KIND_HOOKS[kindKeyOf(info)] ?? {};
}

/** `Deployment.apps`, `Service`: a kind's key in per-kind tables. */
export function kindKeyOf(info: Pick<KindInfo, 'group' | 'kind'>): string {
  return info.group === '' ? info.kind : `${info.kind}.${info.group}`;
}

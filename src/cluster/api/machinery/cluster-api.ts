/**
 * The in-process API server: what kubectl commands, controllers and the release manager (through
 * a KubeClient) call. Methods are synchronous, take and return plain JSON objects and throw
 * `ApiError` with Kubernetes' `Status`. Every write runs in one store transaction: conversion,
 * defaults, validation, admission, allocation, the write and its cascades, all or nothing.
 */

import type { KubeObject, ObjectStore, StoredObject } from '../../store/types.js';
import { type KindInfo, type KindRegistry, type ObjectSchema, resourceKeyOf } from '../types.js';
import { type AdmissionPlugin, BUILTIN_ADMISSION } from './admission.js';
import { badRequest, conflict, methodNotSupported, notFound } from './api-errors.js';
import { type DeletionRequest, deleteObject, type PropagationPolicy } from './deletion.js';
import type { FieldSelector } from './field-selector.js';
import { metaString } from './json-values.js';
import { KindLookup, type ResourceRef } from './kind-lookup.js';
import type { LabelSelector } from './label-selector.js';
import { type ListQuery, listObjects, type ObjectList, selectorsOf } from './list-query.js';
import { stampRevision } from './object-stamps.js';
import { loadRandom, ObjectWriter, storeRandom, type WriterContext } from './object-writer.js';
import { OwnerIndex } from './owner-index.js';
import { decodePatchBody, type PatchType } from './patch-document.js';
import { checkPatchRequest, type PatchRequest, patchObject } from './patch-operation.js';
import { requireScaleTarget, scaleOf, writeScale } from './scale-subresource.js';
import { SeededRandom } from './seeded-random.js';
import { ServiceAllocator, type ServiceNetworkOptions } from './service-allocation.js';
import { type ApiWatchEvent, startWatch, type WatchHandle } from './watch.js';

/** How a `ClusterApi` is put together. */
export interface ClusterApiOptions {
  readonly store: ObjectStore;
  readonly registry: KindRegistry;
  readonly schema: ObjectSchema;
  /** The cluster clock (virtual in embedded mode). */
  readonly clock: () => Date;
  /** Seeds the stored generator state the first time; later the state lives in the store. @default new SeededRandom() */
  readonly random?: SeededRandom;
  /** Admission plugins run after the built-in ones (NamespaceLifecycle). */
  readonly admission?: readonly AdmissionPlugin[];
  readonly serviceNetwork?: ServiceNetworkOptions;
  /** The field manager of writes that name none. @default 'bosun' */
  readonly defaultFieldManager?: string;
}

/** Options every write takes. */
export interface WriteCallOptions {
  /** Run everything, store nothing. */
  readonly dryRun?: boolean;
  /** Who writes, for `managedFields`. */
  readonly fieldManager?: string;
  /**
   * A write the cluster makes for itself whose content it built (Events from the recorder):
   * schema validation and field ownership are skipped. Never for what a user sent.
   */
  readonly trusted?: boolean;
}

/** Options of `create`. */
export interface CreateOptions extends WriteCallOptions {
  /** The namespace (the object's own, or `default`, when absent). */
  readonly namespace?: string;
}

/** Options of `get`. */
export interface GetOptions {
  /** `scale` returns the `autoscaling/v1` Scale. */
  readonly subresource?: 'scale';
}

/** Options of `update`. */
export interface UpdateOptions extends WriteCallOptions {
  readonly subresource?: 'status' | 'scale';
  /** The scaled resource, for `subresource: 'scale'` (the object is then a Scale). */
  readonly resource?: ResourceRef;
}

/** Options of `patch`. */
export interface PatchOptions extends WriteCallOptions {
  /** Take over fields other managers own (server-side apply only). */
  readonly force?: boolean;
  readonly subresource?: 'status' | 'scale';
}

/** Options of `delete`. */
export interface DeleteOptions extends WriteCallOptions {
  /** @default 'Background' */
  readonly propagationPolicy?: PropagationPolicy;
  readonly gracePeriodSeconds?: number;
  /** The delete fails with 409 unless the object still has this uid / resourceVersion. */
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
}

/** Options of `deleteCollection`. */
export interface DeleteCollectionOptions extends DeleteOptions, Omit<ListQuery, 'limit' | 'continue'> {}

/** Options of `watch`. */
export interface WatchOptions {
  readonly namespace?: string;
  /** Changes after this version; none or `0` starts with the current objects. */
  readonly resourceVersion?: string;
  readonly labelSelector?: string | LabelSelector;
  readonly fieldSelector?: string | FieldSelector;
}

/** Thrown inside a dry-run transaction to roll it back and carry the result out. */
class DryRunResult extends Error {
  constructor(readonly result: unknown) {
    super('dry run');
  }
}

/** The in-process Kubernetes API server. */
export class ClusterApi {
  /** Kind lookups (resource names, manifests, owner references). */
  readonly kinds: KindLookup;
  private readonly ctx: WriterContext;
  private readonly store: ObjectStore;
  private readonly defaultFieldManager: string;

  constructor(options: ClusterApiOptions) {
    this.store = options.store;
    this.kinds = new KindLookup(options.registry);
    this.defaultFieldManager = options.defaultFieldManager ?? 'bosun';
    this.ctx = {
      store: options.store,
      registry: options.registry,
      schema: options.schema,
      clock: options.clock,
      random: options.random ?? new SeededRandom(),
      randomCache: {},
      services: new ServiceAllocator(options.serviceNetwork),
      admission: [...BUILTIN_ADMISSION, ...(options.admission ?? [])],
      ownerIndex: new OwnerIndex(options.store, () => this.kinds.resourceKeys()),
      kinds: this.kinds,
    };
  }

  /**
   * Draws from the cluster's seeded generator outside an object write (container ids, bootstrap
   * certificates); the state is stored with the cluster, as writes store it.
   */
  draw<T>(fn: (random: SeededRandom) => T): T {
    return this.store.transaction((tx) => {
      const rng = loadRandom(this.ctx, tx, this.store.currentRevision());
      const result = fn(rng);
      storeRandom(this.ctx, tx, rng, true);
      return result;
    });
  }

  /** Forgets the remembered generator state (after a caller rolled back writes that drew from it). */
  forgetRandom(): void {
    this.ctx.randomCache.value = undefined;
  }

  /** The kind a resource argument names (404 when none). */
  resolve(resource: ResourceRef): KindInfo {
    return this.kinds.resolve(resource);
  }

  /** Creates an object (`POST`). */
  create(object: KubeObject, options: CreateOptions = {}): KubeObject {
    const info = this.kinds.forObject(object.apiVersion, object.kind);
    const namespace = this.namespaceFor(info, object, options.namespace);
    return this.write(options, (w) =>
      w.create(info, object, namespace, { fieldManager: this.manager(options), trusted: !!options.trusted }),
    );
  }

  /** Reads one object (or its Scale). */
  get(resource: ResourceRef, namespace: string, name: string, options: GetOptions = {}): KubeObject {
    const info = this.kinds.resolve(resource);
    const stored = this.store.get(this.key(info, namespace, name));
    if (stored === undefined) throw notFound(info, name);
    const object = stampRevision(stored);
    return options.subresource === 'scale' ? scaleOf(requireScaleTarget(info), object) : object;
  }

  /** Lists a resource: `{ apiVersion, kind: 'XList', metadata: { resourceVersion }, items }`. */
  list(resource: ResourceRef, query: ListQuery = {}): ObjectList {
    return listObjects(this.store, this.kinds.resolve(resource), query);
  }

  /** Replaces an object (`PUT`), or its status, or (given a Scale) its replica count. */
  update(object: KubeObject, options: UpdateOptions = {}): KubeObject {
    if (options.subresource === 'scale') {
      if (options.resource === undefined) throw badRequest('updating a scale needs the scaled resource');
      const info = this.kinds.resolve(options.resource);
      const name = metaString(object, 'name');
      return this.write(options, (w) =>
        writeScale(
          w,
          info,
          this.current(w, info, metaString(object, 'namespace'), name),
          object,
          this.manager(options),
        ),
      );
    }
    const info = this.kinds.forObject(object.apiVersion, object.kind);
    const namespace = this.namespaceFor(info, object, undefined);
    const name = metaString(object, 'name');
    if (name === '') throw badRequest('name is required for an update');
    return this.write(options, (w) =>
      w.replace(info, this.current(w, info, namespace, name), object, {
        fieldManager: this.manager(options),
        subresource: options.subresource ?? '',
      }),
    );
  }

  /** Patches an object (`PATCH`) with a merge, strategic merge or JSON patch, or applies it server-side. */
  patch(
    resource: ResourceRef,
    namespace: string,
    name: string,
    patch: unknown,
    type: PatchType,
    options: PatchOptions = {},
  ): KubeObject {
    const info = this.kinds.resolve(resource);
    const request: PatchRequest = {
      type,
      body: undefined,
      fieldManager: this.manager(options),
      namedManager: !!options.fieldManager,
      force: !!options.force,
      subresource: options.subresource ?? '',
    };
    checkPatchRequest(info, request);
    const body = decodePatchBody(patch);
    return this.write(options, (w) => patchObject(w, info, namespace, name, { ...request, body }));
  }

  /**
   * Binds a pod to a node (`POST pods/NAME/binding`, what the scheduler does): sets
   * `spec.nodeName` and the `PodScheduled` condition. A pod already bound elsewhere, or being
   * deleted, is a 409 Conflict.
   */
  bind(namespace: string, name: string, nodeName: string, options: WriteCallOptions = {}): KubeObject {
    const info = this.kinds.resolve('pods');
    return this.write(options, (w) => {
      const current = this.current(w, info, namespace, name);
      const pod = stampRevision(current);
      const spec = (pod.spec ?? {}) as Record<string, unknown>;
      const meta = (pod.metadata ?? {}) as Record<string, unknown>;
      if (meta.deletionTimestamp != null) {
        throw conflict(info, name, `pod ${name} is being deleted, cannot be assigned to a host`);
      }
      if (typeof spec.nodeName === 'string' && spec.nodeName !== '') {
        throw conflict(info, name, `pod ${name} is already assigned to node "${spec.nodeName}"`);
      }
      if (nodeName === '') throw badRequest('binding target name is required');
      pod.spec = { ...spec, nodeName };
      const status = (pod.status ?? {}) as Record<string, unknown>;
      const conditions = Array.isArray(status.conditions) ? [...status.conditions] : [];
      const scheduled = {
        type: 'PodScheduled',
        status: 'True',
        lastProbeTime: null,
        lastTransitionTime: w.now(),
      };
      const at = conditions.findIndex((c) => (c as { type?: string }).type === 'PodScheduled');
      if (at >= 0) conditions[at] = scheduled;
      else conditions.push(scheduled);
      pod.status = { ...status, conditions };
      return w.writeStored(info, current, pod);
    });
  }

  /** Deletes an object (`DELETE`) and cascades to its dependents; returns its last state. */
  delete(resource: ResourceRef, namespace: string, name: string, options: DeleteOptions = {}): KubeObject {
    const info = this.kinds.resolve(resource);
    return this.write(options, (w) =>
      this.deleteOne(w, info, this.current(w, info, namespace, name), options),
    );
  }

  /** Deletes every object a query selects; returns their last states as a list. */
  deleteCollection(resource: ResourceRef, options: DeleteCollectionOptions = {}): ObjectList {
    const info = this.kinds.resolve(resource);
    if (!info.verbs.includes('deletecollection') && info.verbs.length > 0)
      throw methodNotSupported(info, 'deletecollection');
    return this.write(options, (w) => {
      const selected = listObjects(this.store, info, options);
      const items: KubeObject[] = [];
      for (const object of selected.items) {
        const current = w.tx.get(w.keyOf(info, metaString(object, 'namespace'), metaString(object, 'name')));
        if (current !== undefined) items.push(this.deleteOne(w, info, current, options));
      }
      return { ...selected, items };
    });
  }

  /** Watches a resource; the listener gets ADDED/MODIFIED/DELETED (and ERROR) events. */
  watch(resource: ResourceRef, options: WatchOptions, listener: (event: ApiWatchEvent) => void): WatchHandle {
    const info = this.kinds.resolve(resource);
    const { labels, fields } = selectorsOf(info, options);
    return startWatch(
      this.store,
      info,
      { ...options, labelSelector: labels, fieldSelector: fields },
      listener,
    );
  }

  private deleteOne(
    w: ObjectWriter,
    info: KindInfo,
    current: StoredObject,
    options: DeleteOptions,
  ): KubeObject {
    const uid = metaString(current.object, 'uid');
    const pre = options.preconditions;
    if (pre?.uid !== undefined && pre.uid !== uid) {
      throw conflict(
        info,
        current.key.name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${uid}`,
      );
    }
    if (pre?.resourceVersion !== undefined && pre.resourceVersion !== String(current.revision)) {
      throw conflict(
        info,
        current.key.name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.revision}`,
      );
    }
    const request: DeletionRequest = {
      ...(options.propagationPolicy === undefined ? {} : { propagationPolicy: options.propagationPolicy }),
      ...(options.gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds: options.gracePeriodSeconds }),
    };
    const old = stampRevision(current);
    w.admit({
      operation: 'DELETE',
      info,
      namespace: current.key.namespace,
      name: current.key.name,
      subresource: '',
      object: undefined,
      oldObject: old,
    });
    return deleteObject(w, info, current, request);
  }

  private current(w: ObjectWriter, info: KindInfo, namespace: string, name: string): StoredObject {
    return w.tx.get(w.keyOf(info, namespace, name)) ?? this.missing(info, name);
  }

  private missing(info: KindInfo, name: string): never {
    throw notFound(info, name);
  }

  private key(info: KindInfo, namespace: string, name: string) {
    return { resource: resourceKeyOf(info), namespace: info.scope === 'Namespaced' ? namespace : '', name };
  }

  private manager(options: WriteCallOptions): string {
    return options.fieldManager || this.defaultFieldManager;
  }

  /** The namespace of a namespaced object: the request's, else its own, else `default`. */
  private namespaceFor(info: KindInfo, object: KubeObject, requested: string | undefined): string {
    if (info.scope !== 'Namespaced') return '';
    const own = metaString(object, 'namespace');
    if (requested && own && requested !== own) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    return requested || own || 'default';
  }

  /** Runs one call's writes in one transaction (rolled back, result kept, for a dry run). */
  private write<T extends KubeObject | ObjectList>(options: WriteCallOptions, fn: (w: ObjectWriter) => T): T {
    let writer: ObjectWriter | undefined;
    try {
      return this.store.transaction((tx) => {
        writer = new ObjectWriter(this.ctx, tx, !!options.dryRun);
        const result = fn(writer);
        writer.finish();
        if (options.dryRun) throw new DryRunResult(result);
        return result;
      });
    } catch (error) {
      if (writer?.indexRebuilt) this.ctx.ownerIndex.reset();
      if (error instanceof DryRunResult) return error.result as T;
      throw error;
    }
  }
}

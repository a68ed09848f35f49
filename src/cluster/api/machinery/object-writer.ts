/**
 * The write path of one API call, inside its store transaction: Kubernetes' object machinery
 * for create (conversion, defaults, uid, timestamps, generated names, validation, admission,
 * allocation) and update (optimistic concurrency, the status subresource, generation, immutable
 * fields, managed fields), and the removal of objects that leave the store, with its cascades.
 */

import type { KubeObject, ObjectKey, ObjectStore, StoredObject, StoreWriter } from '../../store/types.js';
import {
  apiVersionOf,
  type FieldError,
  type KindInfo,
  type KindRegistry,
  type ObjectSchema,
  resourceKeyOf,
} from '../types.js';
import type { AdmissionPlugin, AdmissionRequest } from './admission.js';
import { badRequest, fromStoreError, optimisticLockConflict } from './api-errors.js';
import { onRemoved } from './deletion.js';
import { immutableFieldErrors } from './immutable-fields.js';
import { invalid, invalidValue, rejection, requiredField } from './invalid-error.js';
import { cloneJson, isJsonObject, type JsonObject, jsonEqual, metadataOf } from './json-values.js';
import { hooksOf, kindKeyOf } from './kind-hooks.js';
import type { KindLookup } from './kind-lookup.js';
import {
  generationFieldsOf,
  hasStatusSubresource,
  pendingFinalizers,
  STATUS_ON_CREATE,
} from './kind-policies.js';
import { type FieldManagerRef, updateManagedFields } from './managed-fields.js';
import {
  bumpGeneration,
  KEPT_ON_UPDATE,
  newFinalizerErrors,
  SERVER_SET_ON_CREATE,
  writtenContent,
} from './object-meta-rules.js';
import { rfc3339, stampRevision } from './object-stamps.js';
import { type OwnerIndex, ownerUidsOf } from './owner-index.js';
import { listStrategiesOf } from './patch-strategies.js';
import { RANDOM_STATE_META, type SeededRandom } from './seeded-random.js';
import type { ServiceAllocator } from './service-allocation.js';

/** What every write needs from the API server. */
export interface WriterContext {
  readonly store: ObjectStore;
  readonly registry: KindRegistry;
  readonly schema: ObjectSchema;
  readonly clock: () => Date;
  /** The generator whose state seeds the stored one the first time. */
  readonly random: SeededRandom;
  /**
   * The generator state this process last stored, with the store revision after that write: a
   * call starting at that revision reuses it instead of reading it back (anyone else drawing
   * since would have written objects too, moving the revision on).
   */
  readonly randomCache: { value?: { readonly state: readonly number[]; readonly revision: number } };
  readonly services: ServiceAllocator;
  readonly admission: readonly AdmissionPlugin[];
  readonly ownerIndex: OwnerIndex;
  readonly kinds: KindLookup;
}

/** Options of one write. */
export interface WriteOptions {
  readonly fieldManager: string;
  /** '' (the main resource), `status` or `scale`. @default '' */
  readonly subresource?: string;
  /** Ownership computed by server-side apply; other writes record `Update` ownership. */
  readonly managedFields?: readonly JsonObject[];
  /** The cluster's own write of content it built: no schema validation, no field ownership. */
  readonly trusted?: boolean;
}

/** A dependent found through the owner index, re-read in the transaction. */
export interface Dependent {
  readonly info: KindInfo;
  readonly stored: StoredObject;
}

/** One API call's writes, in one transaction. */
export class ObjectWriter {
  /** The store revision before this call wrote anything. */
  readonly startRevision: number;
  /** Whether the owner index was rebuilt during this call (reset it if the call rolls back). */
  indexRebuilt = false;
  /** Namespaces being emptied by this call: their completion is checked once, at the end. */
  readonly emptying = new Set<string>();
  private rng: SeededRandom | undefined;
  private indexSynced = false;

  constructor(
    readonly ctx: WriterContext,
    readonly tx: StoreWriter,
    readonly dryRun: boolean,
  ) {
    this.startRevision = ctx.store.currentRevision();
  }

  /** The clock's time plus `seconds`, as RFC 3339. */
  now(seconds = 0): string {
    return rfc3339(new Date(this.ctx.clock().getTime() + seconds * 1000));
  }

  /** The cluster's generator, loaded from store meta on first use. */
  random(): SeededRandom {
    if (this.rng === undefined) this.rng = loadRandom(this.ctx, this.tx, this.startRevision);
    return this.rng;
  }

  /** Ends the call's work: stores the generator state if it was used. */
  finish(): void {
    if (this.rng !== undefined) storeRandom(this.ctx, this.tx, this.rng, !this.dryRun);
  }

  /** The store key of an object. */
  keyOf(info: KindInfo, namespace: string, name: string): ObjectKey {
    return { resource: resourceKeyOf(info), namespace: info.scope === 'Namespaced' ? namespace : '', name };
  }

  /** Runs the admission chain; plugins refuse by throwing. */
  admit(request: Omit<AdmissionRequest, 'dryRun' | 'store'>): void {
    const full: AdmissionRequest = { ...request, dryRun: this.dryRun, store: this.tx };
    for (const plugin of this.ctx.admission) plugin.admit(full);
  }

  private writer(info: KindInfo, options: WriteOptions): FieldManagerRef {
    return {
      manager: options.fieldManager,
      operation: 'Update',
      subresource: options.subresource ?? '',
      apiVersion: apiVersionOf(info),
    };
  }

  private ownership(
    info: KindInfo,
    before: JsonObject | undefined,
    after: JsonObject,
    options: WriteOptions,
  ): void {
    const meta = metadataOf(after);
    const fields =
      options.managedFields ??
      updateManagedFields(before, after, this.writer(info, options), this.now(), listStrategiesOf(info.kind));
    if (fields.length > 0) meta.managedFields = fields;
    else delete meta.managedFields;
  }

  /** `<generateName><5 random characters>`, avoiding names already taken. */
  private generatedName(info: KindInfo, namespace: string, base: string): string {
    const prefix = base.slice(0, 58);
    let name = '';
    for (let attempt = 0; attempt < 8; attempt++) {
      name = prefix + this.random().nameSuffix(5);
      if (this.tx.get(this.keyOf(info, namespace, name)) === undefined) break;
    }
    return name;
  }

  /** Creates an object in `namespace` ('' for cluster-scoped kinds). */
  create(info: KindInfo, input: KubeObject, namespace: string, options: WriteOptions): KubeObject {
    // A trusted write's content was built for this call in the served version: no copy, no conversion.
    const object = options.trusted
      ? { ...input, metadata: { ...(isJsonObject(input.metadata) ? input.metadata : {}) } }
      : this.ctx.schema.convert(cloneJson(input), info);
    object.apiVersion = apiVersionOf(info);
    object.kind = info.kind;
    const meta = metadataOf(object);
    if (meta.resourceVersion !== undefined && meta.resourceVersion !== '') {
      throw badRequest('resourceVersion should not be set on objects to be created');
    }
    delete meta.resourceVersion;
    for (const f of SERVER_SET_ON_CREATE) delete meta[f];
    if (info.scope === 'Namespaced') meta.namespace = namespace;
    else delete meta.namespace;
    if (!options.trusted) this.ctx.schema.applyDefaults(object, info);
    if (hasStatusSubresource(info)) {
      const initial = STATUS_ON_CREATE[kindKeyOf(info)];
      if (initial !== 'keep') object.status = cloneJson(initial ?? {});
    }
    const errors: FieldError[] = [];
    if (typeof meta.name !== 'string' || meta.name === '') {
      if (typeof meta.generateName === 'string' && meta.generateName !== '') {
        meta.name = this.generatedName(info, namespace, meta.generateName);
      } else {
        errors.push(requiredField('metadata.name', 'name or generateName is required'));
      }
    }
    const name = typeof meta.name === 'string' ? meta.name : '';
    meta.uid = this.random().uuid();
    meta.creationTimestamp = this.now();
    if (generationFieldsOf(info) !== undefined) meta.generation = 1;
    if (!options.trusted)
      errors.push(
        ...this.ctx.schema
          .validate(object, info)
          .filter((e) => !(e.field === 'metadata.name' && errors.length > 0)),
      );
    if (errors.length > 0) throw rejection(info, input.apiVersion, name, errors);
    this.admit({ operation: 'CREATE', info, namespace, name, subresource: '', object, oldObject: undefined });
    const refused = hooksOf(info).prepareCreate?.(this, object) ?? [];
    if (refused.length > 0) throw invalid(info, name, refused);
    if (!options.trusted) this.ownership(info, undefined, object, options);
    let stored: StoredObject;
    try {
      stored = this.tx.create(this.keyOf(info, namespace, name), object);
    } catch (error) {
      throw fromStoreError(error, info, name);
    }
    // A dry run stores nothing, so its object has no resourceVersion. The object in hand is what
    // was stored (the store keeps its own encoding), so it is returned instead of a decoded copy.
    return this.dryRun ? object : stampRevision({ object, revision: stored.revision });
  }

  /**
   * Replaces a stored object through the main endpoint or the `status` subresource. A stale
   * `metadata.resourceVersion` is a 409 Conflict; none means an unconditional update. Writes
   * nothing when nothing changed.
   */
  replace(info: KindInfo, current: StoredObject, input: KubeObject, options: WriteOptions): KubeObject {
    const subresource = options.subresource ?? '';
    const name = current.key.name;
    const old = stampRevision(current);
    const oldMeta = metadataOf(old);
    const served = apiVersionOf(info);
    // A status write uses only the status (and the identity checks below): it needs no copy
    // of the rest, unless it was written in another version and must be converted whole.
    const statusOnly =
      subresource === 'status' && (input.apiVersion === undefined || input.apiVersion === served);
    let next = statusOnly
      ? { ...input, metadata: { ...(isJsonObject(input.metadata) ? input.metadata : {}) } }
      : this.ctx.schema.convert(cloneJson(input), info);
    next.apiVersion = served;
    next.kind = info.kind;
    const meta = metadataOf(next);
    if (
      meta.resourceVersion !== undefined &&
      meta.resourceVersion !== '' &&
      String(meta.resourceVersion) !== String(current.revision)
    ) {
      throw optimisticLockConflict(info, name);
    }
    const errors: FieldError[] = [];
    if (typeof meta.uid === 'string' && meta.uid !== '' && meta.uid !== oldMeta.uid) {
      errors.push(invalidValue('metadata.uid', meta.uid, 'field is immutable'));
    }
    if (subresource === 'status') {
      const status = next.status;
      // `old` is this call's own decoded copy: share its content, copy what changes.
      next = { ...old, metadata: { ...oldMeta } };
      if (status === undefined) delete next.status;
      else next.status = cloneJson(status);
    } else {
      for (const f of KEPT_ON_UPDATE) {
        if (oldMeta[f] === undefined) delete meta[f];
        else meta[f] = cloneJson(oldMeta[f]);
      }
      this.ctx.schema.applyDefaults(next, info);
      if (hasStatusSubresource(info)) {
        if (old.status === undefined) delete next.status;
        else next.status = cloneJson(old.status);
      }
      errors.push(...newFinalizerErrors(old, next));
      errors.push(...(hooksOf(info).prepareUpdate?.(this, old, next) ?? []));
      bumpGeneration(info, old, next);
      errors.push(...immutableFieldErrors(kindKeyOf(info), old, next));
    }
    delete metadataOf(next).resourceVersion;
    const schema = this.ctx.schema;
    errors.push(
      ...(subresource === 'status' && schema.validateStatus
        ? schema.validateStatus(next, info)
        : schema.validate(next, info)),
    );
    if (errors.length > 0) throw rejection(info, input.apiVersion, name, errors);
    this.admit({
      operation: 'UPDATE',
      info,
      namespace: current.key.namespace,
      name,
      subresource,
      object: next,
      oldObject: old,
    });
    // Ownership changes only managedFields, which the content comparison leaves out.
    const sameContent = jsonEqual(writtenContent(old), writtenContent(next));
    if (sameContent && options.managedFields === undefined) return old;
    this.ownership(info, current.object, next, options);
    if (sameContent && jsonEqual(oldMeta.managedFields, metadataOf(next).managedFields)) return old;
    // Kubernetes deletes, instead of updating, an object whose last finalizer goes once its grace is over.
    if (oldMeta.deletionGracePeriodSeconds === 0 && pendingFinalizers(info, next).length === 0) {
      this.remove(info, current);
      return { ...next, metadata: { ...metadataOf(next), resourceVersion: String(current.revision) } };
    }
    return this.writeStored(info, current, next);
  }

  /** Stores a new version of an object as is (the server's own changes: deletion marks, finalizers, owner references). */
  writeStored(info: KindInfo, current: StoredObject, next: KubeObject): KubeObject {
    const copy = { ...next, metadata: { ...metadataOf(next) } };
    delete copy.metadata.resourceVersion;
    let stored: StoredObject;
    try {
      stored = this.tx.update(current.key, copy, current.revision);
    } catch (error) {
      throw fromStoreError(error, info, current.key.name);
    }
    // A dry run stores nothing: the object keeps the resourceVersion it had.
    return stampRevision({ object: copy, revision: this.dryRun ? current.revision : stored.revision });
  }

  /** Removes an object from the store now, then releases what it held and cascades. */
  remove(info: KindInfo, current: StoredObject): KubeObject {
    let removed: StoredObject;
    try {
      removed = this.tx.delete(current.key, current.revision);
    } catch (error) {
      throw fromStoreError(error, info, current.key.name);
    }
    hooksOf(info).afterRemove?.(this, removed.object);
    onRemoved(this, info, removed.object);
    return stampRevision(removed);
  }

  /** The objects that name `uid` among their owners, as they are now in this transaction. */
  dependentsOf(uid: string): Dependent[] {
    const out: Dependent[] = [];
    this.eachDependent(this.index().dependentsOf(uid), uid, (d) => {
      out.push(d);
      return false;
    });
    return out;
  }

  /** Whether some dependent of `uid` satisfies `test`; stops at the first that does. */
  hasDependent(uid: string, test: (dependent: Dependent) => boolean = () => true): boolean {
    return this.eachDependent(this.index().candidatesOf(uid), uid, test);
  }

  /** The owner index, synced to this call's start on first use. */
  private index(): OwnerIndex {
    if (!this.indexSynced) {
      this.indexRebuilt = this.ctx.ownerIndex.sync(this.startRevision) || this.indexRebuilt;
      this.indexSynced = true;
    }
    return this.ctx.ownerIndex;
  }

  /** Calls `visit` on each live dependent among `keys` until it returns true; returns whether one did. */
  private eachDependent(
    keys: Iterable<ObjectKey>,
    uid: string,
    visit: (dependent: Dependent) => boolean,
  ): boolean {
    for (const key of keys) {
      const stored = this.tx.get(key);
      const info = this.ctx.kinds.byResource(key.resource);
      if (stored === undefined || info === undefined || !ownerUidsOf(stored.object).includes(uid)) continue;
      if (visit({ info, stored })) return true;
    }
    return false;
  }
}

/** The cluster's generator as stored (or as this process last stored it, at `revision`). */
export function loadRandom(
  ctx: Pick<WriterContext, 'random' | 'randomCache'>,
  tx: Pick<StoreWriter, 'getMeta'>,
  revision: number,
): SeededRandom {
  const rng = ctx.random.clone();
  const cached = ctx.randomCache.value;
  if (cached !== undefined && cached.revision === revision) {
    rng.state = cached.state;
    return rng;
  }
  const stored = tx.getMeta(RANDOM_STATE_META);
  if (Array.isArray(stored)) rng.state = stored as number[];
  return rng;
}

/** Stores the generator state, and remembers it for the next call when `remember`. */
export function storeRandom(
  ctx: Pick<WriterContext, 'store' | 'randomCache'>,
  tx: Pick<StoreWriter, 'setMeta'>,
  rng: SeededRandom,
  remember: boolean,
): void {
  tx.setMeta(RANDOM_STATE_META, rng.state);
  ctx.randomCache.value = remember ? { state: rng.state, revision: ctx.store.currentRevision() } : undefined;
}

/**
 * Deletion (§2.1, §2.16, §2.17): graceful deletion and finalizers (`deletionTimestamp`), owner
 * reference garbage collection with Background, Foreground and Orphan propagation, and namespace
 * deletion. Kubernetes runs the collector and the namespace controller asynchronously; here the
 * cascade runs inside the delete call (and inside whatever later write removes a blocking
 * dependent or a last finalizer), which is what a user sees once the cluster settles.
 */

import type { KubeObject, StoredObject } from '../../store/types.js';
import { type KindInfo, resourceKeyOf } from '../types.js';
import { isTerminating, namespaceKey } from './admission.js';
import {
  finalizersOf,
  getOwn,
  isJsonObject,
  type JsonObject,
  metadataOf,
  metaString,
} from './json-values.js';
import {
  FOREGROUND_FINALIZER,
  gracePeriodOf,
  NAMESPACE_FINALIZER,
  pendingFinalizers,
} from './kind-policies.js';
import { stampRevision } from './object-stamps.js';
import type { Dependent, ObjectWriter } from './object-writer.js';

/** How dependents go when their owner is deleted. */
export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

/** What a delete asks for. */
export interface DeletionRequest {
  /** @default 'Background' */
  readonly propagationPolicy?: PropagationPolicy;
  readonly gracePeriodSeconds?: number;
}

/** Meta key of the count of objects a terminating namespace still waits for, by resource. */
const remainingKey = (namespace: string) => `api.namespace-remaining.${namespace}`;

const ownerRefsOf = (object: KubeObject): JsonObject[] => {
  const refs = getOwn(getOwn(object, 'metadata'), 'ownerReferences');
  return Array.isArray(refs) ? refs.filter(isJsonObject) : [];
};

const isNamespace = (info: KindInfo) => info.group === '' && info.kind === 'Namespace';

/** Deletes an object as `DELETE` does; returns its last state (with `deletionTimestamp` when it stays). */
export function deleteObject(
  w: ObjectWriter,
  info: KindInfo,
  current: StoredObject,
  request: DeletionRequest,
): KubeObject {
  if (isNamespace(info)) return deleteNamespace(w, info, current);
  const object = stampRevision(current);
  const meta = metadataOf(object);
  const uid = metaString(object, 'uid');
  const policy = request.propagationPolicy ?? 'Background';
  const finalizers = finalizersOf(object);
  if (meta.deletionTimestamp !== undefined) {
    if (policy === 'Orphan') orphanDependents(w, uid);
    const requested = request.gracePeriodSeconds;
    const grace = typeof meta.deletionGracePeriodSeconds === 'number' ? meta.deletionGracePeriodSeconds : 0;
    if (requested === undefined || requested >= grace) return object;
    if (requested <= 0 && finalizers.length === 0) return w.remove(info, current);
    meta.deletionGracePeriodSeconds = Math.max(0, requested);
    meta.deletionTimestamp = w.now(Math.max(0, requested));
    return w.writeStored(info, current, object);
  }
  if (policy === 'Orphan') orphanDependents(w, uid);
  if (policy === 'Foreground' && !finalizers.includes(FOREGROUND_FINALIZER))
    finalizers.push(FOREGROUND_FINALIZER);
  const grace = gracePeriodOf(info, object, request.gracePeriodSeconds);
  if (finalizers.length === 0 && grace === 0) return w.remove(info, current);
  meta.deletionTimestamp = w.now(grace);
  meta.deletionGracePeriodSeconds = grace;
  meta.finalizers = finalizers;
  if (typeof meta.generation === 'number' && meta.generation > 0) meta.generation += 1;
  const marked = w.writeStored(info, current, object);
  if (policy !== 'Foreground') return marked;
  for (const dep of w.dependentsOf(uid)) collectDependent(w, dep);
  return finishForeground(w, info, current.key.namespace, current.key.name) ?? marked;
}

/** Strips the owner reference to `uid` from every dependent. */
function orphanDependents(w: ObjectWriter, uid: string): void {
  for (const { info, stored } of w.dependentsOf(uid)) {
    const object = stampRevision(stored);
    setOwnerRefs(
      object,
      ownerRefsOf(object).filter((r) => r.uid !== uid),
    );
    w.writeStored(info, stored, object);
  }
}

function setOwnerRefs(object: KubeObject, refs: JsonObject[]): void {
  const meta = metadataOf(object);
  if (refs.length === 0) delete meta.ownerReferences;
  else meta.ownerReferences = refs;
}

/** What an owner reference points at: a live owner, one deleting in the foreground, or nothing. */
function ownerState(
  w: ObjectWriter,
  dependent: StoredObject,
  ref: JsonObject,
): 'solid' | 'waiting' | 'dangling' {
  const info = w.ctx.kinds.forOwnerRef(ref.apiVersion, ref.kind);
  // An owner of a kind the server does not know cannot be checked: keep the dependent.
  if (info === undefined || typeof ref.name !== 'string' || ref.name === '') return 'solid';
  const owner = w.tx.get(w.keyOf(info, dependent.key.namespace, ref.name));
  if (owner === undefined || metaString(owner.object, 'uid') !== ref.uid) return 'dangling';
  const deleting = getOwn(getOwn(owner.object, 'metadata'), 'deletionTimestamp') !== undefined;
  return deleting && finalizersOf(owner.object).includes(FOREGROUND_FINALIZER) ? 'waiting' : 'solid';
}

/**
 * What the garbage collector does with a dependent whose owner went or is deleting in the
 * foreground: delete it when no live owner is left (in the foreground too when it has
 * dependents of its own and an owner waits for it), else drop its references to the others.
 */
function collectDependent(w: ObjectWriter, dep: Dependent): void {
  const object = dep.stored.object;
  if (getOwn(getOwn(object, 'metadata'), 'deletionTimestamp') !== undefined) return;
  const refs = ownerRefsOf(object);
  const states = refs.map((r) => ownerState(w, dep.stored, r));
  if (states.includes('solid')) {
    const kept = refs.filter((_r, i) => states[i] === 'solid');
    if (kept.length === refs.length) return;
    const copy = stampRevision(dep.stored);
    setOwnerRefs(copy, kept);
    w.writeStored(dep.info, dep.stored, copy);
    return;
  }
  const uid = metaString(object, 'uid');
  const foreground = states.includes('waiting') && w.hasDependent(uid);
  deleteObject(w, dep.info, dep.stored, { propagationPolicy: foreground ? 'Foreground' : 'Background' });
}

/**
 * Removes the `foregroundDeletion` finalizer of an owner once no dependent with
 * `blockOwnerDeletion` is left, and the owner with it when that was its last finalizer.
 */
function finishForeground(
  w: ObjectWriter,
  info: KindInfo,
  namespace: string,
  name: string,
): KubeObject | undefined {
  const current = w.tx.get(w.keyOf(info, namespace, name));
  if (current === undefined || !finalizersOf(current.object).includes(FOREGROUND_FINALIZER)) return undefined;
  const uid = metaString(current.object, 'uid');
  const blocking = w.hasDependent(uid, ({ stored }) =>
    ownerRefsOf(stored.object).some((r) => r.uid === uid && r.blockOwnerDeletion === true),
  );
  if (blocking) return stampRevision(current);
  const object = stampRevision(current);
  const finalizers = finalizersOf(object).filter((f) => f !== FOREGROUND_FINALIZER);
  const meta = metadataOf(object);
  if (finalizers.length === 0 && (meta.deletionGracePeriodSeconds ?? 0) === 0) return w.remove(info, current);
  if (finalizers.length === 0) delete meta.finalizers;
  else meta.finalizers = finalizers;
  return w.writeStored(info, current, object);
}

/** The cascade after an object left the store: waiting owners, dependents, its namespace. */
export function onRemoved(w: ObjectWriter, _info: KindInfo, object: KubeObject): void {
  const namespace = metaString(object, 'namespace');
  for (const ref of ownerRefsOf(object)) {
    const ownerInfo = w.ctx.kinds.forOwnerRef(ref.apiVersion, ref.kind);
    if (ownerInfo !== undefined && typeof ref.name === 'string' && ref.name !== '') {
      finishForeground(w, ownerInfo, ownerInfo.scope === 'Namespaced' ? namespace : '', ref.name);
    }
  }
  const uid = metaString(object, 'uid');
  if (uid !== '') for (const dep of w.dependentsOf(uid)) collectDependent(w, dep);
  if (namespace !== '') namespaceContentRemoved(w, namespace, _info);
}

/**
 * Deletes a namespace: it turns `Terminating`, everything in it is deleted (each object
 * honouring its finalizers and grace period), and it goes once nothing is left.
 */
function deleteNamespace(w: ObjectWriter, info: KindInfo, current: StoredObject): KubeObject {
  const name = current.key.name;
  let stored = current;
  if (
    !isTerminating(current.object) ||
    getOwn(getOwn(current.object, 'metadata'), 'deletionTimestamp') === undefined
  ) {
    const object = stampRevision(current);
    const meta = metadataOf(object);
    meta.deletionTimestamp = w.now();
    meta.deletionGracePeriodSeconds = 0;
    object.status = { ...(isJsonObject(object.status) ? object.status : {}), phase: 'Terminating' };
    w.writeStored(info, current, object);
    stored = w.tx.get(current.key)!;
  }
  w.emptying.add(name);
  const remaining: Record<string, number> = {};
  for (const kind of w.ctx.kinds.namespaced()) {
    const key = resourceKeyOf(kind);
    for (const item of w.ctx.store.list(key, { namespace: name }).items) {
      const live = w.tx.get(item.key);
      if (live !== undefined) deleteObject(w, kind, live, { propagationPolicy: 'Background' });
    }
    const left = w.ctx.store.list(key, { namespace: name }).items.length;
    if (left > 0) remaining[key] = left;
  }
  w.emptying.delete(name);
  if (Object.keys(remaining).length === 0) return finishNamespace(w, info, name) ?? stampRevision(stored);
  w.tx.setMeta(remainingKey(name), remaining);
  return stampRevision(w.tx.get(current.key) ?? stored);
}

/** Counts down a terminating namespace's remaining content; finishes it at zero. */
function namespaceContentRemoved(w: ObjectWriter, namespace: string, info: KindInfo): void {
  if (w.emptying.has(namespace)) return;
  const remaining = w.tx.getMeta(remainingKey(namespace));
  if (!isJsonObject(remaining)) return;
  const resource = resourceKeyOf(info);
  const counts = { ...(remaining as Record<string, number>) };
  if (typeof counts[resource] === 'number') counts[resource] -= 1;
  if (Object.values(counts).some((n) => n > 0)) {
    w.tx.setMeta(remainingKey(namespace), counts);
    return;
  }
  // The counts say empty; a list makes sure before the namespace goes.
  const left = w.ctx.kinds
    .namespaced()
    .some((k) => w.ctx.store.list(resourceKeyOf(k), { namespace }).items.length > 0);
  if (left) return;
  w.tx.setMeta(remainingKey(namespace), null);
  finishNamespace(w, w.ctx.kinds.namespaceKind(), namespace);
}

/** Drops a terminating namespace's `kubernetes` finalizer; it goes with its last finalizer. */
function finishNamespace(w: ObjectWriter, info: KindInfo, name: string): KubeObject | undefined {
  const current = w.tx.get(namespaceKey(name));
  if (current === undefined || !isTerminating(current.object)) return undefined;
  const object = stampRevision(current);
  const spec = isJsonObject(object.spec) ? object.spec : {};
  const finalizers = Array.isArray(spec.finalizers)
    ? spec.finalizers.filter((f) => f !== NAMESPACE_FINALIZER)
    : [];
  object.spec = { ...spec, finalizers };
  if (pendingFinalizers(info, object).length === 0) return w.remove(info, current);
  return w.writeStored(info, current, object);
}

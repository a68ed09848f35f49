/**
 * The metadata rules of the write path, as plain functions over objects: what the server sets on
 * create, what an update keeps, what counts as a change, when `metadata.generation` moves and
 * which finalizers an object being deleted may not gain.
 */

import type { FieldError, KindInfo } from '../types.js';
import { forbiddenField, goSyntax } from './invalid-error.js';
import { finalizersOf, isJsonObject, type JsonObject, jsonEqual, metadataOf } from './json-values.js';
import { generationFieldsOf, hasStatusSubresource } from './kind-policies.js';

/** Metadata the server sets on create; whatever the client sent is dropped. */
export const SERVER_SET_ON_CREATE = [
  'uid',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'generation',
  'selfLink',
  'managedFields',
];
/** Metadata an update cannot change: kept from the stored object. */
export const KEPT_ON_UPDATE = [
  'uid',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'generation',
  'name',
  'namespace',
  'selfLink',
];

/** An object without what changes on every write (resourceVersion, managedFields). */
export function writtenContent(object: JsonObject): JsonObject {
  const {
    resourceVersion: _rv,
    managedFields: _mf,
    ...metadata
  } = isJsonObject(object.metadata) ? object.metadata : {};
  return { ...object, metadata };
}

/** Bumps `metadata.generation` when the fields that count for this kind changed. */
export function bumpGeneration(info: KindInfo, old: JsonObject, next: JsonObject): void {
  const rule = generationFieldsOf(info);
  if (rule === undefined) return;
  const skip = new Set(['metadata', 'apiVersion', 'kind', ...(hasStatusSubresource(info) ? ['status'] : [])]);
  const fields =
    rule === 'non-metadata'
      ? [...new Set([...Object.keys(old), ...Object.keys(next)])].filter((k) => !skip.has(k))
      : rule;
  if (fields.some((f) => !jsonEqual(old[f], next[f]))) {
    const meta = metadataOf(next);
    meta.generation = (typeof meta.generation === 'number' ? meta.generation : 1) + 1;
  }
}

/** On an object being deleted: the finalizers `next` adds, which the server refuses. */
export function newFinalizerErrors(old: JsonObject, next: JsonObject): FieldError[] {
  if (metadataOf(old).deletionTimestamp === undefined) return [];
  const before = finalizersOf(old);
  const added = finalizersOf(next).filter((f) => !before.includes(f));
  if (added.length === 0) return [];
  return [
    forbiddenField(
      'metadata.finalizers',
      `no new finalizers can be added if the object is being deleted, found new finalizers ${goSyntax(added)}`,
    ),
  ];
}

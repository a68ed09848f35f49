/**
 * `PATCH`: a merge, strategic merge or JSON patch applied to the stored object (or its Scale),
 * or a server-side apply, which also creates. Checks the options as the API server does.
 */

import type { KubeObject } from '../../store/types.js';
import type { KindInfo } from '../types.js';
import { badRequest, notFound, unsupportedMediaType } from './api-errors.js';
import { invalid, requiredField } from './invalid-error.js';
import { cloneJson, isJsonObject, type JsonObject, metaString } from './json-values.js';
import { isBuiltin } from './kind-policies.js';
import { stampRevision } from './object-stamps.js';
import type { ObjectWriter } from './object-writer.js';
import { type PatchType, patchDocument } from './patch-document.js';
import { listStrategiesOf } from './patch-strategies.js';
import { requireScaleTarget, scaleOf, writeScale } from './scale-subresource.js';
import { serverSideApply } from './server-side-apply.js';

/** One patch request. */
export interface PatchRequest {
  readonly type: PatchType;
  /** The decoded body. */
  readonly body: unknown;
  readonly fieldManager: string;
  /** Whether the caller named a field manager (server-side apply requires one). */
  readonly namedManager: boolean;
  readonly force: boolean;
  /** '', `status` or `scale`. */
  readonly subresource: string;
}

const PATCH_TYPES_OF_CUSTOM_RESOURCES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/apply-patch+yaml',
];

const PATCH_OPTIONS = { group: 'meta.k8s.io', kind: 'PatchOptions' } as const;

/** Refuses what the API server refuses before reading anything (415, invalid PatchOptions). */
export function checkPatchRequest(info: KindInfo, request: PatchRequest): void {
  if (request.type === 'strategic' && !isBuiltin(info))
    throw unsupportedMediaType(PATCH_TYPES_OF_CUSTOM_RESOURCES);
  if (request.type === 'apply' && !request.namedManager) {
    throw invalid(PATCH_OPTIONS, '', [requiredField('fieldManager', 'is required for apply patch')]);
  }
  if (request.type !== 'apply' && request.force) {
    throw invalid(PATCH_OPTIONS, '', [
      { type: 'Forbidden', field: 'force', message: 'may not be specified for non-apply patch' },
    ]);
  }
}

function nameMismatch(objectName: string, name: string) {
  return badRequest(`the name of the object (${objectName}) does not match the name on the URL (${name})`);
}

/** The applied configuration of a server-side apply: an object of this kind and name. */
function appliedObject(w: ObjectWriter, info: KindInfo, name: string, body: unknown): JsonObject {
  if (!isJsonObject(body)) throw badRequest('the apply patch must be an object');
  const kind = w.ctx.kinds.forObject(body.apiVersion, body.kind);
  if (kind.kind !== info.kind || kind.group !== info.group) {
    throw badRequest(
      `the kind of the applied object (${String(body.kind)}) does not match the resource (${info.plural})`,
    );
  }
  if (metaString(body, 'name') !== name) throw nameMismatch(metaString(body, 'name'), name);
  return cloneJson(body);
}

/** Patches (or, applying, creates) one object in the writer's transaction. */
export function patchObject(
  w: ObjectWriter,
  info: KindInfo,
  namespace: string,
  name: string,
  request: PatchRequest,
): KubeObject {
  const { type, body, fieldManager, subresource } = request;
  const stored = w.tx.get(w.keyOf(info, namespace, name));
  if (subresource === 'scale') {
    if (stored === undefined) throw notFound(info, name);
    const scale = scaleOf(requireScaleTarget(info), stampRevision(stored));
    const patched = patchDocument(scale, body, type === 'apply' ? 'merge' : type, 'Scale');
    return writeScale(w, info, stored, patched, fieldManager);
  }
  if (type === 'apply') {
    const applied = appliedObject(w, info, name, body);
    const apply = {
      manager: fieldManager,
      force: request.force,
      subresource,
      time: w.now(),
      strategies: listStrategiesOf(info.kind),
    };
    if (stored === undefined && subresource !== '') throw notFound(info, name);
    const { object } = serverSideApply(
      stored === undefined ? undefined : stampRevision(stored),
      applied,
      apply,
    );
    const managedFields = (object.metadata as JsonObject).managedFields as JsonObject[];
    if (stored === undefined) return w.create(info, object, namespace, { fieldManager, managedFields });
    return w.replace(info, stored, object, { fieldManager, subresource, managedFields });
  }
  if (stored === undefined) throw notFound(info, name);
  const patched = patchDocument(stampRevision(stored), body, type, info.kind);
  if (metaString(patched, 'name') !== name) throw nameMismatch(metaString(patched, 'name'), name);
  return w.replace(info, stored, patched, { fieldManager, subresource });
}

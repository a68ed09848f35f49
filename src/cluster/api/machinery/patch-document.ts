/**
 * Applies a `PATCH` body of one of the non-apply types to a document, turning each patch
 * library's failure into the API error Kubernetes returns for it.
 */

import { badRequest, rejectedRequest } from './api-errors.js';
import { applyJsonPatch, decodeJsonPatch, JsonPatchError } from './json-patch.js';
import { isJsonObject, type JsonObject } from './json-values.js';
import { applyMergePatch } from './merge-patch.js';
import { listStrategiesOf } from './patch-strategies.js';
import { applyStrategicMergePatch, StrategicPatchError } from './strategic-merge-patch.js';

/** The patch types: JSON merge, strategic merge, JSON patch, server-side apply. */
export type PatchType = 'merge' | 'strategic' | 'json' | 'apply';

/** A patch body given as text is parsed as JSON (400 when it is not). */
export function decodePatchBody(patch: unknown): unknown {
  if (typeof patch !== 'string') return patch;
  try {
    return JSON.parse(patch) as unknown;
  } catch (error) {
    throw badRequest(`error decoding patch: ${(error as Error).message}`);
  }
}

/** Applies a merge, strategic or JSON patch to `doc` (an object of `kind`). */
export function patchDocument(
  doc: JsonObject,
  patch: unknown,
  type: Exclude<PatchType, 'apply'>,
  kind: string,
): JsonObject {
  let out: unknown;
  try {
    if (type === 'json') out = applyJsonPatch(doc, decodeJsonPatch(patch));
    else if (!isJsonObject(patch)) throw badRequest('the patch body must be a JSON object');
    else if (type === 'merge') out = applyMergePatch(doc, patch);
    else out = applyStrategicMergePatch(doc, patch, listStrategiesOf(kind));
  } catch (error) {
    if (error instanceof JsonPatchError)
      throw error.phase === 'decode' ? badRequest(error.message) : rejectedRequest(error.message);
    if (error instanceof StrategicPatchError) throw badRequest(error.message);
    throw error;
  }
  if (!isJsonObject(out)) throw badRequest('the patched document is not a JSON object');
  return out;
}

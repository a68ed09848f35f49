/**
 * JSON merge patch (RFC 7386, `application/merge-patch+json`): maps merge recursively, `null`
 * removes a key, anything else (lists included) replaces what was there.
 */

import { cloneJson, getOwn, isJsonObject, type JsonObject, setOwn } from './json-values.js';

/** Applies a merge patch to a document; neither argument is modified. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return cloneJson(patch);
  const out: JsonObject = isJsonObject(target) ? cloneJson(target) : {};
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (value === null) delete out[key];
    else setOwn(out, key, applyMergePatch(getOwn(out, key), value));
  }
  return out;
}

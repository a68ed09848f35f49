/**
 * Strategic merge patch (`application/strategic-merge-patch+json`): a JSON merge patch whose
 * lists merge by key where the type says so (containers by name, ports by containerPort…, see
 * `patch-strategies.ts`), with the directives `$patch: delete|replace|merge`, `$retainKeys`,
 * `$deleteFromPrimitiveList/<list>`; `$setElementOrder/<list>` is accepted and ignored.
 */

import { goSyntax } from './invalid-error.js';
import { cloneJson, getOwn, isJsonObject, type JsonObject, jsonEqual, setOwn } from './json-values.js';
import type { ListStrategyLookup } from './patch-strategies.js';

/** A patch that cannot be applied (a missing merge key, an unknown directive). */
export class StrategicPatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StrategicPatchError';
  }
}

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ELEMENT_ORDER = '$setElementOrder/';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/';

/** Applies a strategic merge patch to a copy of `original`. */
export function applyStrategicMergePatch(
  original: unknown,
  patch: unknown,
  strategies: ListStrategyLookup,
): JsonObject {
  if (!isJsonObject(patch)) throw new StrategicPatchError(`invalid patch: ${goSyntax(patch)} is not a map`);
  return mergeMap(isJsonObject(original) ? original : undefined, patch, [], strategies) ?? {};
}

/** The patch map without its directives, directives of nested maps and lists removed too. */
function withoutDirectives(
  patch: JsonObject,
  path: readonly string[],
  strategies: ListStrategyLookup,
): JsonObject {
  return mergeMap(undefined, patch, path, strategies) ?? {};
}

function mergeMap(
  original: JsonObject | undefined,
  patch: JsonObject,
  path: readonly string[],
  strategies: ListStrategyLookup,
): JsonObject | undefined {
  const directive = getOwn(patch, DIRECTIVE);
  if (directive === 'delete') return undefined;
  if (directive === 'replace') {
    const rest: JsonObject = {};
    for (const k of Object.keys(patch)) if (k !== DIRECTIVE) setOwn(rest, k, patch[k]);
    return withoutDirectives(rest, path, strategies);
  }
  if (directive !== undefined && directive !== 'merge') {
    throw new StrategicPatchError(`unknown patch type: ${String(directive)} in map: ${goSyntax(patch)}`);
  }
  const out: JsonObject = original === undefined ? {} : cloneJson(original);
  const retain = getOwn(patch, RETAIN_KEYS);
  if (Array.isArray(retain)) {
    for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k];
  }
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (key === DIRECTIVE || key === RETAIN_KEYS || key.startsWith(SET_ELEMENT_ORDER)) continue;
    if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      const field = key.slice(DELETE_FROM_PRIMITIVE_LIST.length);
      const list = getOwn(out, field);
      if (Array.isArray(list) && Array.isArray(value)) {
        setOwn(
          out,
          field,
          list.filter((x) => !value.some((v) => jsonEqual(v, x))),
        );
      }
      continue;
    }
    if (value === null) {
      delete out[key];
      continue;
    }
    const current = getOwn(out, key);
    const childPath = [...path, key];
    let merged: unknown;
    if (isJsonObject(value)) {
      merged = mergeMap(isJsonObject(current) ? current : undefined, value, childPath, strategies);
    } else if (Array.isArray(value)) {
      merged = mergeList(Array.isArray(current) ? current : undefined, value, childPath, strategies);
    } else {
      merged = value;
    }
    if (merged === undefined) delete out[key];
    else setOwn(out, key, merged);
  }
  return out;
}

function mergeList(
  original: readonly unknown[] | undefined,
  patch: readonly unknown[],
  path: readonly string[],
  strategies: ListStrategyLookup,
): unknown[] {
  const strategy = strategies(path);
  if (strategy?.type === 'set') {
    const out = original === undefined ? [] : cloneJson([...original]);
    for (const v of patch) if (!out.some((x) => jsonEqual(x, v))) out.push(cloneJson(v));
    return out;
  }
  if (strategy?.type !== 'merge')
    return patch.map((v) => (isJsonObject(v) ? withoutDirectives(v, path, strategies) : cloneJson(v)));
  const key = strategy.key;
  const items = patch.filter(isJsonObject);
  if (items.some((item) => getOwn(item, DIRECTIVE) === 'replace' && Object.keys(item).length === 1)) {
    return items
      .filter((item) => !(getOwn(item, DIRECTIVE) === 'replace' && Object.keys(item).length === 1))
      .map((item) => withoutDirectives(item, path, strategies));
  }
  const out: unknown[] = original === undefined ? [] : cloneJson([...original]);
  for (const item of patch) {
    if (!isJsonObject(item)) {
      out.push(cloneJson(item));
      continue;
    }
    const keyValue = getOwn(item, key);
    if (keyValue === undefined) {
      throw new StrategicPatchError(`map: ${goSyntax(item)} does not contain declared merge key: ${key}`);
    }
    const at = out.findIndex((x) => isJsonObject(x) && jsonEqual(getOwn(x, key), keyValue));
    if (getOwn(item, DIRECTIVE) === 'delete') {
      for (let i = out.length - 1; i >= 0; i--) {
        const x = out[i];
        if (isJsonObject(x) && jsonEqual(getOwn(x, key), keyValue)) out.splice(i, 1);
      }
      continue;
    }
    if (at >= 0) {
      const merged = mergeMap(out[at] as JsonObject, item, path, strategies);
      if (merged === undefined) out.splice(at, 1);
      else out[at] = merged;
    } else {
      out.push(withoutDirectives(item, path, strategies));
    }
  }
  return out;
}

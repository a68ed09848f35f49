/**
 * Server-side apply (`application/apply-patch+yaml`, §2.18): the applied configuration is a
 * manager's whole intent. It merges into the live object (keyed lists by key, see
 * `patch-strategies.ts`), fields the manager applied before but no longer does are removed
 * unless someone else owns them, and changing a field another manager owns is a 409 conflict
 * unless forced, which takes the field over.
 */

import type { ApiError } from '../types.js';
import { statusError } from './api-errors.js';
import { describeFieldPath, type FieldPath, fieldValues, removeFieldPath } from './field-set.js';
import { cloneJson, getOwn, isJsonObject, type JsonObject, jsonEqual, setOwn } from './json-values.js';
import {
  decodeManagedFields,
  encodeManagedFields,
  type FieldManagerRef,
  type ManagedEntry,
  putEntry,
  sameManager,
  scopeOf,
} from './managed-fields.js';
import type { ListStrategyLookup } from './patch-strategies.js';

/** One apply request. */
export interface ApplyRequest {
  readonly manager: string;
  readonly force: boolean;
  /** '' or `status`. */
  readonly subresource: string;
  readonly time: string;
  readonly strategies: ListStrategyLookup;
}

/** What an apply produces: the merged object (with its `managedFields`). */
export interface ApplyResult {
  readonly object: JsonObject;
}

interface Conflict {
  readonly owner: ManagedEntry;
  readonly path: FieldPath;
}

/** `"kubectl-client-side-apply" using apps/v1`: a manager as conflict messages name it. */
function printManager(m: FieldManagerRef): string {
  let out = JSON.stringify(m.manager);
  if (m.subresource !== '') out += ` with subresource ${JSON.stringify(m.subresource)}`;
  if (m.operation === 'Update') out += ` using ${m.apiVersion}`;
  return out;
}

/** 409 `Apply failed with 1 conflict: conflict with "…" using apps/v1: .spec.replicas`. */
function conflictError(conflicts: readonly Conflict[]): ApiError {
  let detail: string;
  if (conflicts.length === 1) {
    detail = `conflict with ${printManager(conflicts[0]!.owner)}: ${describeFieldPath(conflicts[0]!.path)}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) {
      const who = printManager(c.owner);
      byManager.set(who, [...(byManager.get(who) ?? []), describeFieldPath(c.path)]);
    }
    const lines: string[] = [];
    for (const who of [...byManager.keys()].sort()) {
      lines.push(`conflicts with ${who}`, ...byManager.get(who)!.map((p) => `- ${p}`));
    }
    detail = lines.join('\n');
  }
  const n = conflicts.length;
  return statusError(409, 'Conflict', `Apply failed with ${n} conflict${n === 1 ? '' : 's'}: ${detail}`, {
    causes: conflicts.map((c) => ({
      reason: 'FieldManagerConflict',
      message: `conflict with ${printManager(c.owner)}`,
      field: describeFieldPath(c.path),
    })),
  });
}

/** Merges an applied configuration into a live value: maps by key, keyed lists by item key. */
function mergeApplied(
  live: unknown,
  applied: unknown,
  names: readonly string[],
  strategies: ListStrategyLookup,
): unknown {
  if (isJsonObject(applied)) {
    const out: JsonObject = isJsonObject(live) ? cloneJson(live) : {};
    for (const k of Object.keys(applied)) {
      if (applied[k] === null) continue;
      setOwn(out, k, mergeApplied(getOwn(out, k), applied[k], [...names, k], strategies));
    }
    return out;
  }
  if (Array.isArray(applied) && Array.isArray(live)) {
    const strategy = strategies(names);
    if (strategy?.type === 'set') {
      const out = cloneJson(live);
      for (const v of applied) if (!out.some((x) => jsonEqual(x, v))) out.push(cloneJson(v));
      return out;
    }
    if (strategy?.type === 'merge') {
      const out = cloneJson(live);
      for (const item of applied) {
        const key = getOwn(item, strategy.key);
        const at = key === undefined ? -1 : out.findIndex((x) => jsonEqual(getOwn(x, strategy.key), key));
        if (at >= 0) out[at] = mergeApplied(out[at], item, names, strategies);
        else out.push(cloneJson(item));
      }
      return out;
    }
  }
  return cloneJson(applied);
}

/** The part of the applied configuration a subresource writes (status only, or all but status). */
function scoped(applied: JsonObject, subresource: string): JsonObject {
  const out: JsonObject = {};
  for (const k of Object.keys(applied)) {
    if ((k === 'status') === (subresource === 'status')) setOwn(out, k, applied[k]);
  }
  return out;
}

/**
 * Applies `applied` for `request.manager` to `live` (undefined when the object does not exist
 * yet). Throws 409 Conflict when it changes fields other managers own and `force` is off.
 */
export function serverSideApply(
  live: JsonObject | undefined,
  applied: JsonObject,
  request: ApplyRequest,
): ApplyResult {
  const scope = scopeOf(request.subresource);
  const apiVersion = String(applied.apiVersion ?? '');
  const me: FieldManagerRef = {
    manager: request.manager,
    operation: 'Apply',
    subresource: request.subresource,
    apiVersion,
  };
  const appliedValues = fieldValues(applied, scope, request.strategies);
  const liveValues =
    live === undefined ? new Map<FieldPath, unknown>() : fieldValues(live, scope, request.strategies);
  const entries = decodeManagedFields(live);
  const mine = entries.find((e) => sameManager(e, me));
  const others = entries.filter((e) => e !== mine && scopeOf(e.subresource) === scope);

  const conflicts: Conflict[] = [];
  for (const owner of others) {
    for (const path of owner.fields) {
      if (path.endsWith('.') || !appliedValues.has(path)) continue;
      if (!jsonEqual(liveValues.get(path), appliedValues.get(path))) conflicts.push({ owner, path });
    }
  }
  if (conflicts.length > 0 && !request.force) throw conflictError(conflicts);
  for (const c of conflicts) c.owner.fields.delete(c.path);

  const merged = mergeApplied(
    live ?? {},
    scoped(applied, request.subresource),
    [],
    request.strategies,
  ) as JsonObject;
  const ownedByOthers = new Set(others.flatMap((e) => [...e.fields]));
  const dropped = [...(mine?.fields ?? [])].filter((p) => !appliedValues.has(p) && !ownedByOthers.has(p));
  // Whole items first (shallowest first); the fields inside them are then already gone.
  const items = dropped.filter((p) => p.endsWith('.')).sort((a, b) => a.length - b.length);
  for (const p of [...items, ...dropped.filter((p) => !p.endsWith('.'))]) removeFieldPath(merged, p);

  putEntry(entries, { ...me, time: request.time, fields: new Set(appliedValues.keys()) });
  const metadata = isJsonObject(merged.metadata) ? merged.metadata : {};
  merged.metadata = { ...metadata, managedFields: encodeManagedFields(entries) };
  return { object: merged };
}

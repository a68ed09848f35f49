/**
 * kubectl's client-side apply patch (`CreateThreeWayMergePatch`): a strategic merge patch that
 * takes the live object to what the manifest says, deleting what the last applied manifest had
 * and the new one dropped, and leaving everything else (server defaults, other writers' fields)
 * alone. Lists merge by key where the kind's patch strategy says so (containers by name, ports…).
 */

import { listStrategyFor } from '../cluster/api/machinery/index.js';

type Json = Record<string, unknown>;

const isMap = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && equal(a[k], b[k]));
  }
  return false;
}

/**
 * The patch from `current` to `modified`, given the `original` (last applied) manifest; `{}`
 * when nothing changes. `kind` selects the list strategies.
 */
export function threeWayMergePatch(
  original: Json | undefined,
  modified: Json,
  current: Json,
  kind: string,
): Json {
  return diffMaps(original, modified, current, [], kind);
}

function diffMaps(
  original: Json | undefined,
  modified: Json,
  current: Json,
  path: readonly string[],
  kind: string,
): Json {
  const patch: Json = {};
  for (const [key, want] of Object.entries(modified)) {
    const have = current[key];
    const was = original?.[key];
    const at = [...path, key];
    if (!Object.hasOwn(current, key)) {
      if (want !== null) patch[key] = want;
    } else if (isMap(want) && isMap(have)) {
      const sub = diffMaps(isMap(was) ? was : undefined, want, have, at, kind);
      if (Object.keys(sub).length > 0) patch[key] = sub;
    } else if (Array.isArray(want) && Array.isArray(have)) {
      diffList(patch, key, Array.isArray(was) ? was : undefined, want, have, at, kind);
    } else if (!equal(want, have)) {
      patch[key] = want;
    }
  }
  for (const key of Object.keys(original ?? {})) {
    if (!Object.hasOwn(modified, key) && Object.hasOwn(current, key)) patch[key] = null;
  }
  return patch;
}

function diffList(
  patch: Json,
  key: string,
  original: readonly unknown[] | undefined,
  modified: readonly unknown[],
  current: readonly unknown[],
  path: readonly string[],
  kind: string,
): void {
  const strategy = listStrategyFor(kind, path);
  if (strategy?.type === 'merge') {
    const mergeKey = strategy.key;
    const find = (items: readonly unknown[] | undefined, value: unknown) =>
      items?.find((item): item is Json => isMap(item) && equal(item[mergeKey], value));
    const entries: Json[] = [];
    for (const item of modified) {
      if (!isMap(item)) continue;
      const live = find(current, item[mergeKey]);
      if (live === undefined) {
        entries.push(item);
        continue;
      }
      const sub = diffMaps(find(original, item[mergeKey]), item, live, path, kind);
      if (Object.keys(sub).length > 0) entries.push({ [mergeKey]: item[mergeKey], ...sub });
    }
    for (const item of original ?? []) {
      if (!isMap(item) || find(modified, item[mergeKey]) !== undefined) continue;
      if (find(current, item[mergeKey]) !== undefined)
        entries.push({ [mergeKey]: item[mergeKey], $patch: 'delete' });
    }
    if (entries.length > 0) patch[key] = entries;
    return;
  }
  if (strategy?.type === 'set') {
    const added = modified.filter((v) => !current.some((c) => equal(c, v)));
    const removed = (original ?? []).filter(
      (v) => !modified.some((m) => equal(m, v)) && current.some((c) => equal(c, v)),
    );
    if (added.length > 0) patch[key] = added;
    if (removed.length > 0) patch[`$deleteFromPrimitiveList/${key}`] = removed;
    return;
  }
  if (!equal(modified, current)) patch[key] = modified;
}

/**
 * How a release's objects reach the cluster (`pkg/kube/client.go` Create / Update / Delete):
 * create what is new, take what exists to the new manifest with a three-way merge (the old
 * manifest, the live object, the new manifest — so fields others set are kept and fields the chart
 * dropped are removed), and delete what the chart no longer renders.
 */

import { ReleaseFailedError } from '../../internal/errors.js';
import { KubeApiError, type KubeClient, threeWayMergePatch } from '../../kube/index.js';
import { sortByKind, UNINSTALL_ORDER } from '../../release/install-order.js';
import { getLive, isKept, type Resource, resourceKey } from './resources.js';

/** Who writes, as the API server records it (Helm uses its binary's name). */
export const FIELD_MANAGER = 'helm';

/** What an apply did. */
export interface ApplyResult {
  readonly created: Resource[];
  readonly updated: Resource[];
  readonly unchanged: Resource[];
  readonly deleted: Resource[];
  /** Objects the chart dropped but that carry `helm.sh/resource-policy: keep`. */
  readonly kept: Resource[];
}

/** Options of {@link applyResources}. */
export interface ApplyOptions {
  /** Replace objects (PUT) instead of patching them (`--force-replace`, Helm 3's `--force`). */
  readonly force?: boolean;
  /** Called after each write (a lock renewal, a cancellation check). */
  readonly step?: () => Promise<void>;
}

function failure(verb: string, r: Resource, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  return new ReleaseFailedError(`failed to ${verb} ${r.kind.kind} "${r.name}": ${message}`, { cause: error });
}

/**
 * Takes the cluster from the `current` objects to the `target` ones: creates the new, patches the
 * existing (three-way, with `original` the current manifest's document), deletes the dropped
 * (unless kept). A partial result is attached to the thrown error as `result`.
 */
export async function applyResources(
  client: KubeClient,
  current: readonly Resource[],
  target: readonly Resource[],
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  const result: ApplyResult = { created: [], updated: [], unchanged: [], deleted: [], kept: [] };
  const originals = new Map(current.map((r) => [resourceKey(r), r.object]));
  try {
    for (const r of target) {
      const live = await getLive(client, r);
      if (live === undefined) {
        try {
          await client.create(r.object, { fieldManager: FIELD_MANAGER, namespace: r.namespace });
        } catch (error) {
          throw failure('create', r, error);
        }
        result.created.push(r);
      } else if (options.force) {
        const meta = { ...(r.object.metadata as Record<string, unknown>) };
        meta.resourceVersion = (live.metadata as Record<string, unknown>).resourceVersion;
        try {
          await client.update({ ...r.object, metadata: meta }, { fieldManager: FIELD_MANAGER });
        } catch (error) {
          throw failure('replace', r, error);
        }
        result.updated.push(r);
      } else {
        const patch = threeWayMergePatch(originals.get(resourceKey(r)), r.object, live, r.kind.kind);
        if (Object.keys(patch).length === 0) {
          result.unchanged.push(r);
        } else {
          try {
            await client.patch(r.kind, r.namespace, r.name, patch, 'strategic', {
              fieldManager: FIELD_MANAGER,
            });
          } catch (error) {
            throw failure('update', r, error);
          }
          result.updated.push(r);
        }
      }
      await options.step?.();
    }
    const wanted = new Set(target.map(resourceKey));
    const dropped = current.filter((r) => !wanted.has(resourceKey(r)));
    for (const r of sortByKind(dropped, (x) => x.kind.kind, UNINSTALL_ORDER)) {
      const live = await getLive(client, r);
      if (live === undefined) continue;
      // On upgrade Helm reads the policy from the live object (§4.10).
      if (isKept(live)) {
        result.kept.push(r);
        continue;
      }
      await deleteOne(client, r);
      result.deleted.push(r);
      await options.step?.();
    }
  } catch (error) {
    if (error instanceof Error) Object.assign(error, { result });
    throw error;
  }
  return result;
}

/** Deletes one object; a missing one is not an error. */
export async function deleteOne(
  client: KubeClient,
  r: Resource,
  propagationPolicy: 'Background' | 'Foreground' | 'Orphan' = 'Background',
): Promise<boolean> {
  try {
    await client.delete(r.kind, r.namespace, r.name, { propagationPolicy });
    return true;
  } catch (error) {
    if (error instanceof KubeApiError && error.code === 404) return false;
    throw error;
  }
}

/** What deleting a release's objects did. */
export interface DeleteResult {
  readonly deleted: Resource[];
  readonly kept: Resource[];
  readonly errors: Error[];
}

/**
 * Deletes the objects in uninstall order, sparing those whose manifest says
 * `helm.sh/resource-policy: keep` (on uninstall Helm reads the policy from the manifest); errors
 * are collected, the rest still deleted.
 */
export async function deleteResources(
  client: KubeClient,
  resources: readonly Resource[],
  propagationPolicy: 'Background' | 'Foreground' | 'Orphan' = 'Background',
): Promise<DeleteResult> {
  const result: DeleteResult = { deleted: [], kept: [], errors: [] };
  for (const r of sortByKind(resources, (x) => x.kind.kind, UNINSTALL_ORDER)) {
    if (isKept(r.object)) {
      result.kept.push(r);
      continue;
    }
    try {
      if (await deleteOne(client, r, propagationPolicy)) result.deleted.push(r);
    } catch (error) {
      result.errors.push(error instanceof Error ? error : new Error(String(error)));
    }
  }
  return result;
}

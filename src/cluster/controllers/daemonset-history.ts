/**
 * The DaemonSet controller's revision history (`pkg/controller/daemon/update.go`): the
 * ControllerRevision of the current template, found or created (with hash collisions counted in
 * `status.collisionCount`), duplicates removed, and old revisions no pod uses pruned beyond
 * `revisionHistoryLimit`.
 */

import { isJsonObject, jsonEqual } from '../api/machinery/json-values.js';
import { type ControllerContext, objectKey } from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';
import type { DaemonPod } from './daemonset-pods.js';
import {
  controllerOf,
  controllerRef,
  isNotFound,
  meta,
  nameOf,
  namespaceOf,
  numberOr,
  specOf,
  statusOf,
  templateHash,
  uidOf,
} from './shared.js';

/** The controller's name (event source, field manager). */
export const DAEMONSET_CONTROLLER = 'daemonset-controller';
/** The label naming the ControllerRevision a pod was made from. */
export const CONTROLLER_REVISION_HASH = 'controller-revision-hash';
const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

const int = numberOr;

/**
 * `constructHistory`: the ControllerRevision of the current template (created, or renumbered
 * to the newest revision) and the older ones. Undefined when a write must be seen first.
 */
export function constructHistory(
  ds: KubeObject,
  ctx: ControllerContext,
): { hash: string; generation: string; old: KubeObject[] } | undefined {
  const uid = uidOf(ds);
  const template = specOf(ds).template;
  const all = ctx.api
    .list('controllerrevisions.apps', { namespace: namespaceOf(ds) })
    .items.filter((r) => controllerOf(r)?.uid === uid);
  const current: KubeObject[] = [];
  const old: KubeObject[] = [];
  for (const r of all) (revisionMatches(r, template) ? current : old).push(r);
  const next = old.reduce((max, r) => Math.max(max, int(r.revision, 0)), 0) + 1;
  let cur: KubeObject;
  if (current.length === 0) {
    let collisions = int(statusOf(ds).collisionCount, 0);
    for (;;) {
      const hash = templateHash(template, collisions);
      const name = `${nameOf(ds)}-${hash}`;
      const existing = all.find((r) => nameOf(r) === name);
      let clash: KubeObject | undefined = existing;
      if (clash === undefined) {
        try {
          clash = ctx.api.get('controllerrevisions.apps', namespaceOf(ds), name);
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
      }
      if (clash !== undefined && !revisionMatches(clash, template)) {
        collisions++;
        continue;
      }
      if (clash !== undefined) {
        cur = clash;
        break;
      }
      const templateLabels =
        isJsonObject(template) && isJsonObject(template.metadata) ? template.metadata.labels : {};
      cur = ctx.api.create(
        {
          apiVersion: 'apps/v1',
          kind: 'ControllerRevision',
          metadata: {
            name,
            namespace: namespaceOf(ds),
            labels: {
              ...(isJsonObject(templateLabels) ? templateLabels : {}),
              [CONTROLLER_REVISION_HASH]: hash,
            },
            annotations: { [TEMPLATE_GENERATION_ANNOTATION]: String(next) },
            ownerReferences: [controllerRef(ds)],
          },
          data: { spec: { template: { ...(isJsonObject(template) ? template : {}), $patch: 'replace' } } },
          revision: next,
        },
        { fieldManager: DAEMONSET_CONTROLLER },
      );
      break;
    }
    if (collisions !== int(statusOf(ds).collisionCount, 0)) {
      ctx.api.update(
        { ...ds, status: { ...statusOf(ds), collisionCount: collisions } },
        { subresource: 'status', fieldManager: DAEMONSET_CONTROLLER },
      );
      // Its own status write does not queue it again: go on with the new name next time.
      ctx.enqueue(objectKey(ds));
      return undefined;
    }
  } else {
    // Duplicates of the current template: keep the newest, drop the others (`dedupCurHistories`).
    current.sort((a, b) => int(b.revision, 0) - int(a.revision, 0));
    cur = current[0]!;
    for (const dup of current.slice(1)) deleteRevision(dup, ctx);
    if (int(cur.revision, 0) < next)
      cur = ctx.api.update({ ...cur, revision: next }, { fieldManager: DAEMONSET_CONTROLLER });
  }
  const labels = meta(cur).labels;
  const hash =
    isJsonObject(labels) && typeof labels[CONTROLLER_REVISION_HASH] === 'string'
      ? (labels[CONTROLLER_REVISION_HASH] as string)
      : nameOf(cur).slice(nameOf(ds).length + 1);
  return { hash, generation: String(int(cur.revision, next)), old };
}

function deleteRevision(revision: KubeObject, ctx: ControllerContext): void {
  try {
    ctx.api.delete('controllerrevisions.apps', namespaceOf(revision), nameOf(revision), {
      fieldManager: DAEMONSET_CONTROLLER,
    });
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

/** Deletes the oldest revisions beyond `revisionHistoryLimit` that no pod uses. */
export function cleanupHistory(
  ds: KubeObject,
  old: KubeObject[],
  nodePods: ReadonlyMap<string, DaemonPod[]>,
  ctx: ControllerContext,
): void {
  const keep = int(specOf(ds).revisionHistoryLimit, 10);
  let excess = old.length - keep;
  if (excess <= 0) return;
  const live = new Set<string>();
  for (const pods of nodePods.values())
    for (const p of pods)
      if (p.labels[CONTROLLER_REVISION_HASH]) live.add(p.labels[CONTROLLER_REVISION_HASH]);
  for (const r of [...old].sort((a, b) => int(a.revision, 0) - int(b.revision, 0))) {
    if (excess <= 0) break;
    const labels = meta(r).labels;
    const hash = isJsonObject(labels) ? labels[CONTROLLER_REVISION_HASH] : undefined;
    if (typeof hash === 'string' && live.has(hash)) continue;
    deleteRevision(r, ctx);
    excess--;
  }
}

/** Whether a ControllerRevision holds this template (`Match`: its data is the template's patch). */
function revisionMatches(revision: KubeObject, template: unknown): boolean {
  const data = isJsonObject(revision.data) ? revision.data : {};
  const spec = isJsonObject(data.spec) ? data.spec : {};
  const stored = isJsonObject(spec.template) ? { ...spec.template } : undefined;
  if (stored === undefined) return false;
  delete stored.$patch;
  return jsonEqual(stored, template);
}

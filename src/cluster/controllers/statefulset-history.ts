/**
 * A StatefulSet's revision history (`pkg/controller/history`, `getStatefulSetRevisions`): its
 * ControllerRevisions in order, the update revision found or recorded (with hash collisions
 * counted) and the current one, and the old revisions pruned beyond `revisionHistoryLimit`.
 */

import { jsonEqual } from '../api/machinery/json-values.js';
import { ApiError } from '../api/types.js';
import type { ControllerContext } from '../runtime/types.js';
import type { KubeObject } from '../store/types.js';
import { controllerOf, meta, nameOf, namespaceOf, selectorOf, specOf, statusOf, uidOf } from './shared.js';
import { newRevision, templateOfRevision } from './statefulset-pods.js';

/** The controller's name: field manager and event source. */
export const STATEFULSET_CONTROLLER = 'statefulset-controller';
const NAME = STATEFULSET_CONTROLLER;

/** The revisions one sync works with. */
export interface SetRevisions {
  /** The revision the pods below the partition (or not yet updated) run. */
  readonly currentName: string;
  /** The revision of the set's template. */
  readonly updateName: string;
  /** The current revision's template (the set's own when the revision has none). */
  readonly currentTemplate: unknown;
  readonly collisionCount: number;
}

/** The set's ControllerRevisions, oldest first (`SortControllerRevisions`). */
export function listRevisions(ctx: ControllerContext, set: KubeObject): KubeObject[] {
  const uid = uidOf(set);
  return ctx.api
    .list('controllerrevisions.apps', { namespace: namespaceOf(set), labelSelector: selectorOf(set) })
    .items.filter((r) => controllerOf(r)?.uid === uid)
    .sort((a, b) => {
      const ra = Number(a.revision ?? 0);
      const rb = Number(b.revision ?? 0);
      if (ra !== rb) return ra - rb;
      const ca = String(meta(a).creationTimestamp ?? '');
      const cb = String(meta(b).creationTimestamp ?? '');
      if (ca !== cb) return ca < cb ? -1 : 1;
      return nameOf(a) < nameOf(b) ? -1 : 1;
    });
}

/** `getStatefulSetRevisions`: finds or records the update revision, and the current one. */
export function resolveRevisions(
  ctx: ControllerContext,
  set: KubeObject,
  revisions: KubeObject[],
): SetRevisions {
  const status = statusOf(set);
  let collisionCount = typeof status.collisionCount === 'number' ? status.collisionCount : 0;
  const next = revisions.reduce((m, r) => Math.max(m, Number(r.revision ?? 0)), 0) + 1;
  let candidate = newRevision(set, next, collisionCount);
  const equal = revisions.filter((r) => jsonEqual(r.data, candidate.data));
  const last = revisions[revisions.length - 1];
  let update: KubeObject;
  if (equal.length > 0 && last !== undefined && equal[equal.length - 1] === last) {
    update = last;
  } else if (equal.length > 0) {
    // Rolling back to an older template: that revision becomes the newest.
    const older = equal[equal.length - 1]!;
    update = ctx.api.update({ ...older, revision: next }, { fieldManager: NAME });
    const at = revisions.indexOf(older);
    revisions[at] = update;
  } else {
    for (;;) {
      try {
        update = ctx.api.create(candidate, { fieldManager: NAME });
        break;
      } catch (error) {
        if (!(error instanceof ApiError) || error.status.reason !== 'AlreadyExists' || collisionCount > 100)
          throw error;
        // A revision of that name with other content: a hash collision.
        collisionCount++;
        candidate = newRevision(set, next, collisionCount);
      }
    }
    revisions.push(update);
  }
  const updateName = nameOf(update);
  const current = revisions.find((r) => nameOf(r) === status.currentRevision) ?? update;
  return {
    currentName: nameOf(current),
    updateName,
    currentTemplate: templateOfRevision(current) ?? specOf(set).template,
    collisionCount,
  };
}

/** `truncateHistory`: non-live revisions beyond `revisionHistoryLimit` go, oldest first. */
export function truncateHistory(
  ctx: ControllerContext,
  set: KubeObject,
  revisions: readonly KubeObject[],
  live: ReadonlySet<string>,
): void {
  const limit = specOf(set).revisionHistoryLimit;
  const max = typeof limit === 'number' && limit >= 0 ? limit : 10;
  const history = revisions.filter((r) => !live.has(nameOf(r)));
  for (const r of history.slice(0, Math.max(0, history.length - max))) {
    try {
      ctx.api.delete('controllerrevisions.apps', namespaceOf(set), nameOf(r), { fieldManager: NAME });
    } catch (error) {
      if (!(error instanceof ApiError) || error.status.code !== 404) throw error;
    }
  }
}

import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/cluster/api/types.js';
import { resolveRevisions, truncateHistory } from '../../../src/cluster/controllers/statefulset-history.js';
import { newRevision } from '../../../src/cluster/controllers/statefulset-pods.js';
import type { ControllerContext } from '../../../src/cluster/runtime/types.js';
import type { KubeObject } from '../../../src/cluster/store/types.js';

function set(
  image: string,
  status: Record<string, unknown> = {},
  spec: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default', uid: 'set-uid' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } },
      ...spec,
    },
    status,
  } as unknown as KubeObject;
}

/** A context recording writes; creates of the names in `taken` are refused as AlreadyExists. */
function fakeCtx(taken: ReadonlySet<string> = new Set()) {
  const created: string[] = [];
  const updated: KubeObject[] = [];
  const deleted: string[] = [];
  const ctx = {
    api: {
      create: (o: KubeObject) => {
        const name = String((o.metadata as { name: string }).name);
        if (taken.has(name))
          throw new ApiError({
            code: 409,
            reason: 'AlreadyExists',
            message: `"${name}" already exists`,
          } as never);
        created.push(name);
        return o;
      },
      update: (o: KubeObject) => {
        updated.push(o);
        return o;
      },
      delete: (_r: string, _ns: string, name: string) => {
        deleted.push(name);
      },
    },
  } as unknown as ControllerContext;
  return { ctx, created, updated, deleted };
}

const nameOf = (o: KubeObject) => String((o.metadata as { name: string }).name);

describe('resolveRevisions', () => {
  it('records the first revision, which is both current and update', () => {
    const f = fakeCtx();
    const s = set('nginx:1');
    const revisions: KubeObject[] = [];
    const r = resolveRevisions(f.ctx, s, revisions);
    expect(f.created).toEqual([nameOf(newRevision(s, 1, 0))]);
    expect(r).toMatchObject({ updateName: f.created[0], currentName: f.created[0], collisionCount: 0 });
    expect(revisions).toHaveLength(1);
  });

  it('counts a hash collision and records the revision under the next name', () => {
    const s = set('nginx:1');
    const f = fakeCtx(new Set([nameOf(newRevision(s, 1, 0))]));
    const r = resolveRevisions(f.ctx, s, []);
    expect(r.collisionCount).toBe(1);
    expect(f.created).toEqual([nameOf(newRevision(s, 1, 1))]);
  });

  it('makes an older equal revision the newest on roll-back, keeping the current one', () => {
    const old = set('nginx:1');
    const v1 = newRevision(old, 1, 0);
    const v2 = newRevision(set('nginx:2'), 2, 0);
    const f = fakeCtx();
    const r = resolveRevisions(f.ctx, set('nginx:1', { currentRevision: nameOf(v2) }), [v1, v2]);
    expect(f.created).toEqual([]);
    expect(f.updated.map((u) => [nameOf(u), u.revision])).toEqual([[nameOf(v1), 3]]);
    expect(r.updateName).toBe(nameOf(v1));
    expect(r.currentName).toBe(nameOf(v2));
    expect(r.currentTemplate).toMatchObject({ spec: { containers: [{ image: 'nginx:2' }] } });
  });
});

describe('truncateHistory', () => {
  it('deletes the oldest non-live revisions beyond revisionHistoryLimit', () => {
    const revisions = ['a', 'b', 'c', 'd'].map((n) => ({ metadata: { name: n } }) as unknown as KubeObject);
    const f = fakeCtx();
    truncateHistory(f.ctx, set('x', {}, { revisionHistoryLimit: 1 }), revisions, new Set(['b']));
    expect(f.deleted).toEqual(['a', 'c']);
  });
});

/**
 * `bosun rollback NAME [REVISION]` (`pkg/action/rollback.go`): a new revision that copies an
 * older one (chart, values, manifest, hooks — nothing is re-rendered), applied with the same
 * three-way merge as an upgrade. Revision 0 or none means the one before the newest.
 */

import { InvalidArgumentError, ReleaseFailedError, ReleaseNotFoundError } from '../../internal/errors.js';
import type { Release } from '../../release/release.js';
import { validateReleaseName } from '../release-name.js';
import { applyResources, deleteOne } from './apply.js';
import type { ReleaseContext } from './context.js';
import { runHooks } from './hooks.js';
import type { WaitFlags } from './install.js';
import {
  checkAborted,
  hookOptionsFor,
  pruneHistory,
  setStatus,
  timeoutOf,
  withReleaseLock,
} from './operation.js';
import { waitForResources } from './release-wait.js';
import { buildResources, parseReleaseManifest, type Resource } from './resources.js';

/** Options of {@link RollbackAction}. */
export interface RollbackOptions extends WaitFlags {
  readonly historyMax?: number;
  readonly force?: boolean;
  readonly cleanupOnFail?: boolean;
  readonly dryRun?: boolean;
}

/** Rolls a release back to an earlier revision. */
export class RollbackAction {
  constructor(
    private readonly ctx: ReleaseContext,
    private readonly options: RollbackOptions = {},
  ) {}

  /** Rolls back to `revision` (0 or undefined: the previous one); resolves to the new revision. */
  async run(name: string, revision?: number): Promise<Release> {
    const { ctx } = this;
    validateReleaseName(name);
    if (revision !== undefined && (!Number.isInteger(revision) || revision < 0))
      throw new InvalidArgumentError(`invalid revision "${revision}"`);
    const history = await ctx.storage.history(name);
    if (history.length === 0) throw new ReleaseNotFoundError('release: not found');
    if (this.options.dryRun) {
      const last = history.at(-1)!;
      const version = revision || last.version - 1;
      const target = history.find((r) => r.version === version);
      if (!target) throw new ReleaseNotFoundError(`release has no ${version} version`);
      return copyRevision(target, last, await ctx.client.now(), 'Dry run complete');
    }
    return withReleaseLock(ctx, name, 'rollback', (lock) =>
      rollbackWithLock(ctx, name, revision, this.options, () => lock.renew()),
    );
  }
}

function copyRevision(target: Release, last: Release, now: Date, description: string): Release {
  const copy: Release = structuredClone(target);
  copy.version = last.version + 1;
  copy.info = {
    status: 'pending-rollback',
    description,
    ...(last.info.first_deployed ? { first_deployed: last.info.first_deployed } : {}),
    last_deployed: now.toISOString(),
    ...(target.info.notes ? { notes: target.info.notes } : {}),
  };
  for (const hook of copy.hooks ?? []) hook.last_run = { phase: 'Unknown' };
  return copy;
}

/**
 * Rolls back with the lock held (also how `--atomic` undoes a failed upgrade); `renew` keeps the
 * lock alive through the writes and a long `--wait`.
 */
export async function rollbackWithLock(
  ctx: ReleaseContext,
  name: string,
  revision: number | undefined,
  o: RollbackOptions,
  renew: () => Promise<void> = async () => undefined,
): Promise<Release> {
  const current = await ctx.storage.last(name);
  const version = revision || current.version - 1;
  const history = await ctx.storage.history(name);
  const target = history.find((r) => r.version === version);
  if (!target || version < 1) throw new ReleaseNotFoundError(`release has no ${version} version`);
  const release = copyRevision(target, current, await ctx.client.now(), `Rollback to ${version}`);
  await pruneHistory(ctx, name, o.historyMax ?? 10);
  await ctx.storage.create(release);
  const timeoutMs = timeoutOf(o.timeoutMs);
  const hookOptions = hookOptionsFor(ctx, release, timeoutMs);
  let created: Resource[] = [];
  try {
    const currentResources = await buildResources(
      ctx.client,
      parseReleaseManifest(current.manifest),
      ctx.namespace,
      {
        owner: { release: name, namespace: ctx.namespace },
      },
    );
    const targetResources = await buildResources(
      ctx.client,
      parseReleaseManifest(release.manifest),
      ctx.namespace,
      {
        owner: { release: name, namespace: ctx.namespace },
      },
    );
    if (!o.noHooks) await runHooks(ctx.client, release, 'pre-rollback', hookOptions);
    try {
      created = (
        await applyResources(ctx.client, currentResources, targetResources, {
          ...(o.force ? { force: true } : {}),
          step: async () => {
            await checkAborted(ctx);
            await renew();
          },
        })
      ).created;
    } catch (error) {
      created = (error as { result?: { created: Resource[] } }).result?.created ?? [];
      throw error;
    }
    if (o.wait) await waitForResources(ctx, targetResources, o, renew);
    if (!o.noHooks) await runHooks(ctx.client, release, 'post-rollback', hookOptions);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    setStatus(release, 'failed', `Rollback "${name}" failed: ${reason}`);
    await ctx.storage.update(release);
    current.info.status = 'superseded';
    await ctx.storage.update(current);
    if (o.cleanupOnFail) for (const r of created) await deleteOne(ctx.client, r).catch(() => false);
    throw error instanceof ReleaseFailedError ? error : new ReleaseFailedError(reason, { cause: error });
  }
  for (const r of await ctx.storage.history(name)) {
    if (r.version !== release.version && r.info.status === 'deployed') {
      r.info.status = 'superseded';
      await ctx.storage.update(r);
    }
  }
  setStatus(release, 'deployed', `Rollback to ${version}`, await ctx.client.now());
  await ctx.storage.update(release);
  return release;
}

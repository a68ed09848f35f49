/**
 * `bosun uninstall NAME` (`pkg/action/uninstall.go`): pre-delete hooks, the release marked
 * `uninstalling`, its objects deleted in uninstall order (sparing `helm.sh/resource-policy: keep`),
 * an optional wait for them to go, post-delete hooks, then the history purged — or kept, with the
 * last revision `uninstalled` (`--keep-history`). Hook objects, `crds/` and namespaces stay.
 */

import { ReleaseFailedError, ReleaseNotFoundError } from '../../internal/errors.js';
import { waitForDeletion } from '../../kube/wait.js';
import type { Release } from '../../release/release.js';
import { validateReleaseName } from '../release-name.js';
import { deleteResources } from './apply.js';
import type { ReleaseContext } from './context.js';
import { runHooks } from './hooks.js';
import { hookOptionsFor, setStatus, timeoutOf, withReleaseLock } from './operation.js';
import { buildResources, parseReleaseManifest, type Resource, refOf } from './resources.js';

/** Options of {@link UninstallAction}. */
export interface UninstallOptions {
  readonly keepHistory?: boolean;
  readonly noHooks?: boolean;
  readonly dryRun?: boolean;
  readonly wait?: boolean;
  readonly timeoutMs?: number;
  readonly description?: string;
  /** `--ignore-not-found`: a missing release is not an error. */
  readonly ignoreNotFound?: boolean;
  /** `--cascade background|orphan|foreground`. */
  readonly cascade?: 'background' | 'orphan' | 'foreground';
}

/** What an uninstall did. */
export interface UninstallResult {
  /** The last revision, as it ended (absent when the release did not exist). */
  readonly release?: Release;
  /** Objects spared by `helm.sh/resource-policy: keep`. */
  readonly kept: readonly Resource[];
}

/** Removes a release. */
export class UninstallAction {
  constructor(
    private readonly ctx: ReleaseContext,
    private readonly options: UninstallOptions = {},
  ) {}

  async run(name: string): Promise<UninstallResult> {
    const { ctx, options: o } = this;
    validateReleaseName(name);
    const history = await ctx.storage.history(name);
    const last = history.at(-1);
    if (last === undefined) {
      if (o.ignoreNotFound) return { kept: [] };
      throw new ReleaseNotFoundError(`uninstall: Release not loaded: ${name}: release: not found`);
    }
    if (o.dryRun) return { release: last, kept: [] };
    if (last.info.status === 'uninstalled') {
      if (o.keepHistory) throw new ReleaseFailedError(`the release named "${name}" is already deleted`);
      for (const r of history) await ctx.storage.delete(name, r.version);
      return { release: last, kept: [] };
    }
    return withReleaseLock(ctx, name, 'uninstall', async () => {
      // The lock may have marked a dead operation's revision failed: read it again.
      const current = await ctx.storage.last(name);
      return uninstallRelease(ctx, current, o);
    });
  }
}

/** Uninstalls with the lock held. */
async function uninstallRelease(
  ctx: ReleaseContext,
  last: Release,
  o: UninstallOptions,
): Promise<UninstallResult> {
  const name = last.name;
  const timeoutMs = timeoutOf(o.timeoutMs);
  const hookOptions = hookOptionsFor(ctx, last, timeoutMs);
  if (!o.noHooks) await runHooks(ctx.client, last, 'pre-delete', hookOptions);
  setStatus(last, 'uninstalling', 'Deletion in progress (or silently failed)');
  await ctx.storage.update(last);
  const resources = await buildResources(
    ctx.client,
    parseReleaseManifest(last.manifest),
    last.namespace,
  ).catch(() => [] as Resource[]);
  const cascade = o.cascade ?? 'background';
  const propagation = (cascade[0]!.toUpperCase() + cascade.slice(1)) as
    | 'Background'
    | 'Orphan'
    | 'Foreground';
  const result = await deleteResources(ctx.client, resources, propagation);
  if (o.wait && result.errors.length === 0) {
    await waitForDeletion(ctx.client, result.deleted.map(refOf), {
      timeoutMs,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
  }
  if (!o.noHooks) await runHooks(ctx.client, last, 'post-delete', hookOptions);
  if (result.errors.length > 0) {
    throw new ReleaseFailedError(
      `uninstallation completed with ${result.errors.length} error(s): ${result.errors.map((e) => e.message).join('; ')}`,
    );
  }
  if (o.keepHistory) {
    setStatus(last, 'uninstalled', o.description ?? 'Uninstallation complete');
    last.info.deleted = (await ctx.client.now()).toISOString();
    await ctx.storage.update(last);
    for (const r of await ctx.storage.history(name)) {
      if (r.version !== last.version && r.info.status === 'deployed') {
        r.info.status = 'superseded';
        await ctx.storage.update(r);
      }
    }
  } else {
    for (const r of await ctx.storage.history(name)) await ctx.storage.delete(name, r.version);
  }
  return { release: last, kept: result.kept };
}

/**
 * Removes a release and its whole history, with the lock already held (a failed `--atomic`
 * install cleaning up after itself, with the install's `--no-hooks` and `--timeout` as Helm does).
 */
export async function purgeRelease(
  ctx: ReleaseContext,
  name: string,
  options: Pick<UninstallOptions, 'noHooks' | 'timeoutMs'> = {},
): Promise<UninstallResult> {
  const last = await ctx.storage.last(name);
  return uninstallRelease(ctx, last, { ...options, keepHistory: false });
}

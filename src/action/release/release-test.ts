/**
 * `bosun test NAME` (`pkg/action/release_testing.go`): runs the `test` hooks of the newest
 * revision (the scaffold's `busybox wget` Pod), records each run in the release, and optionally
 * returns the test pods' logs.
 */

import { InvalidArgumentError, ReleaseNotFoundError } from '../../internal/errors.js';
import type { HookRecord, Release } from '../../release/release.js';
import { validateReleaseName } from '../release-name.js';
import type { ReleaseContext } from './context.js';
import { executionOrder, runHooks } from './hooks.js';
import { timeoutOf, withReleaseLock } from './operation.js';

/** Options of {@link ReleaseTestAction}. */
export interface ReleaseTestOptions {
  readonly timeoutMs?: number;
  /** `--filter name=a,!name=b`. */
  readonly filters?: readonly string[];
  /** `--logs`: collect the test pods' logs. */
  readonly logs?: boolean;
}

/** What a test run did. */
export interface ReleaseTestResult {
  readonly release: Release;
  /** Each test pod's log, when asked for. */
  readonly logs: readonly { readonly pod: string; readonly log: string }[];
  /** The error of the first failing test, if any (the release is stored either way). */
  readonly error?: Error;
}

function hookFilter(filters: readonly string[]): (hook: HookRecord) => boolean {
  const include: string[] = [];
  const exclude: string[] = [];
  for (const f of filters.flatMap((x) => x.split(','))) {
    const m = /^(!?)name=(.+)$/.exec(f.trim());
    if (!m) throw new InvalidArgumentError(`invalid filter "${f}": must be name=NAME or !name=NAME`);
    (m[1] ? exclude : include).push(m[2]!);
  }
  return (hook) => (include.length === 0 || include.includes(hook.name)) && !exclude.includes(hook.name);
}

/** Runs a release's tests. */
export class ReleaseTestAction {
  constructor(
    private readonly ctx: ReleaseContext,
    private readonly options: ReleaseTestOptions = {},
  ) {}

  async run(name: string): Promise<ReleaseTestResult> {
    const { ctx, options: o } = this;
    validateReleaseName(name);
    if ((await ctx.storage.history(name)).length === 0) throw new ReleaseNotFoundError('release: not found');
    const filter = hookFilter(o.filters ?? []);
    return withReleaseLock(ctx, name, 'test', async () => {
      const release = await ctx.storage.last(name);
      const logs: { pod: string; log: string }[] = [];
      const since = (await ctx.client.now()).getTime();
      // Logs are read before a delete policy removes the pods (Helm's delayed hook shutdown).
      const collectLogs = async () => {
        if (!o.logs) return;
        for (const hook of executionOrder(release.hooks ?? [])) {
          if (!hook.events.includes('test') || hook.kind !== 'Pod' || !filter(hook)) continue;
          // Only the pods this run started.
          if (!(Date.parse(hook.last_run.started_at ?? '') >= since)) continue;
          const log = await ctx.client.logs(release.namespace, hook.name).catch(() => '');
          logs.push({ pod: hook.name, log });
        }
      };
      let error: Error | undefined;
      try {
        await runHooks(ctx.client, release, 'test', {
          timeoutMs: timeoutOf(o.timeoutMs),
          now: () => ctx.client.now(),
          record: () => ctx.storage.update(release),
          filter,
          beforeCleanup: collectLogs,
          ...(ctx.signal ? { signal: ctx.signal } : {}),
        });
      } catch (e) {
        error = e instanceof Error ? e : new Error(String(e));
      }
      await ctx.storage.update(release);
      return { release, logs, ...(error ? { error } : {}) };
    });
  }
}

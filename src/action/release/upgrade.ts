/**
 * `bosun upgrade NAME CHART` (`pkg/action/upgrade.go`): values per Helm's reuse/reset rules,
 * render revision N+1, store it `pending-upgrade`, run pre-upgrade hooks, take the cluster from
 * the current revision's manifest to the new one (create, three-way merge, delete), wait when asked,
 * post-upgrade hooks, then `deployed` with the previous revision `superseded`. On failure the
 * revision is `failed`; `--cleanup-on-fail` deletes what it created; `--atomic` rolls back.
 */

import type { Chart } from '../../chart/chart.js';
import { ReleaseFailedError, ReleaseNotFoundError } from '../../internal/errors.js';
import type { PlainObject } from '../../internal/objects.js';
import { chartFromStored } from '../../release/codec.js';
import { isPending, type Release } from '../../release/release.js';
import {
  coalesceValues,
  mergeTables,
  mergeValueOptions,
  type ValueOptions,
  type ValueSources,
} from '../../values/index.js';
import { validateReleaseName } from '../release-name.js';
import { applyResources, deleteOne } from './apply.js';
import { type ChartRefOptions, locateChart } from './chart-ref.js';
import type { ReleaseContext } from './context.js';
import { runHooks } from './hooks.js';
import { type DryRun, InstallAction, type InstallOptions, type WaitFlags } from './install.js';
import {
  checkAborted,
  hookOptionsFor,
  pruneHistory,
  renderRevision,
  setStatus,
  timeoutOf,
  withReleaseLock,
} from './operation.js';
import { waitForResources } from './release-wait.js';
import {
  buildResources,
  checkOwnership,
  parseReleaseManifest,
  type Resource,
  resourceKey,
} from './resources.js';
import { rollbackWithLock } from './rollback.js';

/** Options of {@link UpgradeAction}. */
export interface UpgradeOptions extends WaitFlags, ChartRefOptions {
  readonly values?: ValueOptions;
  readonly valueSources?: ValueSources;
  /** `--install`: install when the release does not exist. */
  readonly install?: boolean;
  readonly reuseValues?: boolean;
  readonly resetValues?: boolean;
  readonly resetThenReuseValues?: boolean;
  /** `--history-max`: revisions kept (0 = all). @default 10 */
  readonly historyMax?: number;
  readonly cleanupOnFail?: boolean;
  /** `--force-replace` (Helm 3's `--force`): replace objects instead of patching. */
  readonly force?: boolean;
  readonly dryRun?: DryRun;
  readonly atomic?: boolean;
  readonly description?: string;
  readonly labels?: Readonly<Record<string, string | null>>;
  readonly skipSchemaValidation?: boolean;
  readonly renderSubchartNotes?: boolean;
  readonly takeOwnership?: boolean;
  /** Install-only flags used by `--install` on a new release. */
  readonly createNamespace?: boolean;
  readonly skipCrds?: boolean;
}

/** What an upgrade did. */
export interface UpgradeResult {
  readonly release: Release;
  /** `--install` installed a new release. */
  readonly installed?: boolean;
}

/** Upgrades a release to a chart with values. */
export class UpgradeAction {
  constructor(
    private readonly ctx: ReleaseContext,
    private readonly options: UpgradeOptions = {},
  ) {}

  async run(name: string, chartRef: string): Promise<UpgradeResult> {
    validateReleaseName(name);
    const chart = await locateChart(chartRef, this.options);
    return this.runWithChart(name, chart);
  }

  async runWithChart(name: string, chart: Chart): Promise<UpgradeResult> {
    const { ctx, options: o } = this;
    validateReleaseName(name);
    const history = await ctx.storage.history(name);
    const last = history.at(-1);
    if (last === undefined || last.info.status === 'uninstalled') {
      if (!o.install) {
        if (last === undefined) throw new ReleaseNotFoundError(`"${name}" has no deployed releases`);
      } else {
        const result = await new InstallAction(ctx, {
          ...(o as InstallOptions),
          ...(last ? { replace: true } : {}),
          labels: definedLabels(o.labels),
        }).runWithChart(name, chart);
        return { release: result.release, installed: true };
      }
    }
    if (o.dryRun && o.dryRun !== 'none')
      return { release: (await this.prepare(name, chart, history)).release };
    let outcome: Release | undefined;
    await withReleaseLock(ctx, name, 'upgrade', async (lock) => {
      const prepared = await this.prepare(name, chart, await ctx.storage.history(name));
      outcome = await this.perform(prepared, () => lock.renew());
    });
    return { release: outcome! };
  }

  /** The base revision, the values, the render and the object lists. */
  private async prepare(name: string, chart: Chart, history: Release[]): Promise<Prepared> {
    const { ctx, options: o } = this;
    const last = history.at(-1);
    if (last === undefined) throw new ReleaseNotFoundError(`"${name}" has no deployed releases`);
    const deployed = [...history].reverse().find((r) => r.info.status === 'deployed');
    // Without a deployed revision Helm builds on the last one only when it failed or was
    // superseded (a failed first install); an uninstalled release has nothing to upgrade.
    const usable = ['failed', 'superseded'].includes(last.info.status) || isPending(last.info.status);
    if (deployed === undefined && !usable)
      throw new ReleaseNotFoundError(`"${name}" has no deployed releases`);
    const current = deployed ?? last;
    const cliValues = await mergeValueOptions(o.values ?? {}, o.valueSources ?? { readFile: noFiles });
    const { config, renderValues, renderChart } = upgradeValues(chart, current, cliValues, o);
    const { release, documents } = await renderRevision({
      ctx,
      name,
      chart: renderChart,
      config,
      ...(renderValues ? { renderValues } : {}),
      revision: last.version + 1,
      isUpgrade: true,
      offline: o.dryRun === 'client',
      ...(o.skipSchemaValidation ? { skipSchemaValidation: true } : {}),
      ...(o.renderSubchartNotes ? { renderSubchartNotes: true } : {}),
    });
    release.labels = mergeLabels(last.labels, o.labels);
    const now = await ctx.client.now();
    release.info.first_deployed = current.info.first_deployed ?? now.toISOString();
    release.info.last_deployed = now.toISOString();
    setStatus(
      release,
      'pending-upgrade',
      o.dryRun && o.dryRun !== 'none' ? 'Dry run complete' : 'Preparing upgrade',
    );
    const currentResources = await buildResources(
      ctx.client,
      parseReleaseManifest(current.manifest),
      ctx.namespace,
      {
        owner: { release: name, namespace: ctx.namespace },
      },
    ).catch((error: unknown) => {
      throw new ReleaseFailedError(
        `unable to build kubernetes objects from current release manifest: ${(error as Error).message}`,
      );
    });
    const target = await buildResources(ctx.client, documents, ctx.namespace, {
      owner: { release: name, namespace: ctx.namespace },
    });
    const known = new Set(currentResources.map(resourceKey));
    const toCreate = target.filter((r) => !known.has(resourceKey(r)));
    await checkOwnership(ctx.client, toCreate, name, ctx.namespace, 'update', o.takeOwnership);
    return { release, current, last, currentResources, target };
  }

  private async perform(p: Prepared, renew: () => Promise<void>): Promise<Release> {
    const { ctx, options: o } = this;
    const { release, current } = p;
    await pruneHistory(ctx, release.name, o.historyMax ?? 10);
    await ctx.storage.create(release);
    const timeoutMs = timeoutOf(o.timeoutMs);
    const hookOptions = hookOptionsFor(ctx, release, timeoutMs);
    let created: Resource[] = [];
    try {
      if (!o.noHooks) await runHooks(ctx.client, release, 'pre-upgrade', hookOptions);
      try {
        const applied = await applyResources(ctx.client, p.currentResources, p.target, {
          ...(o.force ? { force: true } : {}),
          step: async () => {
            await checkAborted(ctx);
            await renew();
          },
        });
        created = applied.created;
      } catch (error) {
        created = (error as { result?: { created: Resource[] } }).result?.created ?? [];
        throw error;
      }
      if (o.wait || o.atomic) await waitForResources(ctx, p.target, o, renew);
      if (!o.noHooks) await runHooks(ctx.client, release, 'post-upgrade', hookOptions);
    } catch (error) {
      return this.fail(p, created, error, renew);
    }
    current.info.status = 'superseded';
    await ctx.storage.update(current);
    setStatus(release, 'deployed', o.description ?? 'Upgrade complete', await ctx.client.now());
    await ctx.storage.update(release);
    return release;
  }

  /** Records the failure, cleans up or rolls back as asked, and throws. */
  private async fail(
    p: Prepared,
    created: readonly Resource[],
    error: unknown,
    renew: () => Promise<void>,
  ): Promise<never> {
    const { ctx, options: o } = this;
    const reason = error instanceof Error ? error.message : String(error);
    setStatus(p.release, 'failed', `Upgrade "${p.release.name}" failed: ${reason}`);
    await ctx.storage.update(p.release);
    if (o.cleanupOnFail) for (const r of created) await deleteOne(ctx.client, r).catch(() => false);
    if (o.atomic) {
      const history = await ctx.storage.history(p.release.name);
      const target = [...history]
        .reverse()
        .find(
          (r) =>
            r.version !== p.release.version &&
            (r.info.status === 'deployed' || r.info.status === 'superseded'),
        );
      if (target) {
        try {
          await rollbackWithLock(
            ctx,
            p.release.name,
            target.version,
            {
              wait: true,
              ...(o.waitForJobs ? { waitForJobs: true } : {}),
              ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
              ...(o.noHooks ? { noHooks: true } : {}),
              ...(o.force ? { force: true } : {}),
              ...(o.historyMax !== undefined ? { historyMax: o.historyMax } : {}),
            },
            renew,
          );
        } catch (rollbackError) {
          throw new ReleaseFailedError(
            `an error occurred while rolling back the release. original upgrade error: ${reason}: ${(rollbackError as Error).message}`,
            { cause: error },
          );
        }
        throw new ReleaseFailedError(
          `release ${p.release.name} failed, and has been rolled back due to rollback-on-failure being set: ${reason}`,
          { cause: error },
        );
      }
    }
    throw error instanceof ReleaseFailedError ? error : new ReleaseFailedError(reason, { cause: error });
  }
}

interface Prepared {
  readonly release: Release;
  /** The revision the upgrade starts from (deployed, else the newest). */
  readonly current: Release;
  readonly last: Release;
  readonly currentResources: Resource[];
  readonly target: Resource[];
}

/**
 * Helm's value rules for an upgrade (§4.4): reuse the previous user values when no values are
 * given; `--reset-values` ignores them; `--reuse-values` merges the new over the old and renders
 * against the old chart's computed defaults; `--reset-then-reuse-values` merges but keeps the new
 * chart's defaults.
 */
function upgradeValues(
  chart: Chart,
  current: Release,
  cliValues: PlainObject,
  o: UpgradeOptions,
): { config: PlainObject; renderValues?: PlainObject; renderChart: Chart } {
  const hasCli = Object.keys(cliValues).length > 0;
  if (o.resetValues) return { config: cliValues, renderChart: chart };
  if (o.reuseValues) {
    const config = mergeTables(structuredClone(cliValues), structuredClone(current.config), []);
    const oldComputed = coalesceValues(chartFromStored(current.chart), current.config).values;
    return { config, renderChart: { ...chart, values: oldComputed } };
  }
  if (o.resetThenReuseValues) {
    return {
      config: mergeTables(structuredClone(cliValues), structuredClone(current.config), []),
      renderChart: chart,
    };
  }
  if (!hasCli) return { config: structuredClone(current.config), renderChart: chart };
  return { config: cliValues, renderChart: chart };
}

/** `--labels` on upgrade merge into the previous ones; `null` deletes one. */
function mergeLabels(
  previous: Readonly<Record<string, string>> | undefined,
  given: Readonly<Record<string, string | null>> | undefined,
): Record<string, string> | undefined {
  if (!previous && !given) return undefined;
  const out: Record<string, string> = { ...previous };
  for (const [k, v] of Object.entries(given ?? {})) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

function definedLabels(labels: Readonly<Record<string, string | null>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels ?? {})) if (v !== null) out[k] = v;
  return out;
}

function noFiles(p: string): never {
  throw new ReleaseFailedError(`cannot read "${p}": no file access configured`);
}

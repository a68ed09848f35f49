/**
 * `bosun install [NAME] CHART` (`pkg/action/install.go`): render, check that nothing the release
 * would create belongs to someone else, store revision 1 `pending-install`, run the pre-install
 * hooks, create the objects in Helm's order, wait when asked, run the post-install hooks, and
 * record `deployed` — or `failed`, uninstalling again with `--atomic`.
 */

import type { Chart } from '../../chart/chart.js';
import { ReleaseExistsError, ReleaseFailedError } from '../../internal/errors.js';
import type { WaitProgress } from '../../kube/wait.js';
import type { Release } from '../../release/release.js';
import {
  mergeValueOptions,
  processDependencies,
  type ValueOptions,
  type ValueSources,
} from '../../values/index.js';
import { validateReleaseName } from '../release-name.js';
import { applyResources } from './apply.js';
import { type ChartRefOptions, locateChart } from './chart-ref.js';
import type { ReleaseContext } from './context.js';
import { runHooks } from './hooks.js';
import { adjectiveAnimalName, generatedName } from './names.js';
import {
  checkAborted,
  createNamespace,
  hookOptionsFor,
  namespaceExists,
  renderRevision,
  setStatus,
  timeoutOf,
  withReleaseLock,
} from './operation.js';
import { installCrds, waitForResources } from './release-wait.js';
import { buildResources, checkOwnership, type Resource } from './resources.js';
import { purgeRelease } from './uninstall.js';

/** `--dry-run`: `client` renders only; `server` also checks against the cluster. */
export type DryRun = 'none' | 'client' | 'server';

/** Flags install, upgrade and rollback share about waiting. */
export interface WaitFlags {
  /** `--wait`: wait until every object is ready. */
  readonly wait?: boolean;
  readonly waitForJobs?: boolean;
  /** `--timeout` in ms (each wait and each hook). @default 5 minutes */
  readonly timeoutMs?: number;
  /** Progress while waiting (a live line on a terminal). */
  readonly onProgress?: (pending: readonly WaitProgress[]) => void;
  /** `--no-hooks`. */
  readonly noHooks?: boolean;
}

/** Options of {@link InstallAction}. */
export interface InstallOptions extends WaitFlags, ChartRefOptions {
  readonly values?: ValueOptions;
  readonly valueSources?: ValueSources;
  /** `--generate-name`: `<chart>-<unix time>`. */
  readonly generateName?: boolean;
  readonly createNamespace?: boolean;
  readonly dryRun?: DryRun;
  /** `--atomic` / `--rollback-on-failure`: uninstall when the install fails (implies `wait`). */
  readonly atomic?: boolean;
  readonly description?: string;
  /** Reuse the name of an `uninstalled` or `failed` release. */
  readonly replace?: boolean;
  readonly skipCrds?: boolean;
  readonly renderSubchartNotes?: boolean;
  /** Release labels (`--labels`), kept on the storage objects. */
  readonly labels?: Readonly<Record<string, string>>;
  readonly skipSchemaValidation?: boolean;
  /** `--take-ownership`: adopt existing objects without ownership metadata. */
  readonly takeOwnership?: boolean;
}

/** What an install did. */
export interface InstallResult {
  readonly release: Release;
  /** How the name was chosen when none was given. */
  readonly generatedName?: 'words' | 'chart-time';
  /** The namespace was created because it did not exist. */
  readonly createdNamespace?: boolean;
}

/** Installs a chart as a new release. */
export class InstallAction {
  constructor(
    private readonly ctx: ReleaseContext,
    private readonly options: InstallOptions = {},
  ) {}

  /** Installs `chartRef` as `name` (generated when undefined). */
  async run(name: string | undefined, chartRef: string): Promise<InstallResult> {
    const chart = await locateChart(chartRef, this.options);
    return this.runWithChart(name, chart);
  }

  /** Installs an already-loaded chart. */
  async runWithChart(nameArg: string | undefined, chart: Chart): Promise<InstallResult> {
    const { ctx, options: o } = this;
    let name = nameArg;
    let generated: InstallResult['generatedName'];
    if (name === undefined) {
      if (o.generateName) {
        name = generatedName(chart.metadata.name, await ctx.client.now());
        generated = 'chart-time';
      } else {
        name = await unusedWordsName(ctx);
        generated = 'words';
      }
    }
    validateReleaseName(name);
    const config = await mergeValueOptions(o.values ?? {}, o.valueSources ?? { readFile: noFiles });
    const previous = await this.checkName(name);
    const revision = (previous?.version ?? 0) + 1;
    // As Helm does, `crds/` go in before anything is rendered, so the templates' custom resources
    // resolve and `.Capabilities` sees the new kinds. Never on a dry run.
    if (!o.skipCrds && (o.dryRun ?? 'none') === 'none') {
      await installCrds(ctx.client, processDependencies(chart, config).chart);
    }
    const { release, documents } = await renderRevision({
      ctx,
      name,
      chart,
      config,
      revision,
      isUpgrade: false,
      offline: o.dryRun === 'client',
      ...(o.skipSchemaValidation ? { skipSchemaValidation: true } : {}),
      ...(o.renderSubchartNotes ? { renderSubchartNotes: true } : {}),
    });
    if (o.labels) release.labels = { ...o.labels };
    const now = await ctx.client.now();
    release.info.first_deployed = now.toISOString();
    release.info.last_deployed = now.toISOString();
    const extra = generated ? { generatedName: generated } : {};
    if (o.dryRun === 'client') {
      setStatus(release, 'pending-install', 'Dry run complete');
      return { release, ...extra };
    }
    const resources = await buildResources(ctx.client, documents, ctx.namespace, {
      owner: { release: name, namespace: ctx.namespace },
    });
    const hasNamespace = await namespaceExists(ctx.client, ctx.namespace);
    if (hasNamespace)
      await checkOwnership(ctx.client, resources, name, ctx.namespace, 'install', o.takeOwnership);
    if (o.dryRun === 'server') {
      setStatus(release, 'pending-install', 'Dry run complete');
      return { release, ...extra };
    }
    if (!hasNamespace) {
      await createNamespace(ctx.client, ctx.namespace);
      if (!o.createNamespace)
        ctx.notice?.(
          `namespace "${ctx.namespace}" did not exist: created it (as Helm 2 did; say --create-namespace)`,
        );
    }
    await withReleaseLock(ctx, name, 'install', async (lock) => {
      // Another process may have installed the name since the check above.
      const replaced = await this.checkName(name);
      // `--replace` supersedes the revision it reuses the name of before anything else, but
      // leaves a failed one as it is (`Install.replaceRelease`).
      if (replaced && replaced.info.status !== 'failed') {
        setStatus(replaced, 'superseded', 'superseded by new release');
        await ctx.storage.update(replaced);
      }
      setStatus(release, 'pending-install', 'Initial install underway');
      await ctx.storage.create(release);
      try {
        await this.perform(release, resources, () => lock.renew());
      } catch (error) {
        await this.fail(release, error);
      }
    });
    return { release, ...extra, ...(hasNamespace ? {} : { createdNamespace: true }) };
  }

  /** Hooks, objects, wait, hooks; then `deployed`. */
  private async perform(release: Release, resources: Resource[], renew: () => Promise<void>): Promise<void> {
    const { ctx, options: o } = this;
    const timeoutMs = timeoutOf(o.timeoutMs);
    const hookOptions = hookOptionsFor(ctx, release, timeoutMs);
    if (!o.noHooks) await runHooks(ctx.client, release, 'pre-install', hookOptions);
    await applyResources(ctx.client, [], resources, {
      step: async () => {
        await checkAborted(ctx);
        await renew();
      },
    });
    if (o.wait || o.atomic) await waitForResources(ctx, resources, o, renew);
    if (!o.noHooks) await runHooks(ctx.client, release, 'post-install', hookOptions);
    setStatus(release, 'deployed', o.description ?? 'Install complete', await ctx.client.now());
    await ctx.storage.update(release);
  }

  /** Records the failure; with `--atomic`, uninstalls. Always throws. */
  private async fail(release: Release, error: unknown): Promise<never> {
    const { ctx, options: o } = this;
    const reason = error instanceof Error ? error.message : String(error);
    setStatus(release, 'failed', `Release "${release.name}" failed: ${reason}`);
    await ctx.storage.update(release);
    if (o.atomic) {
      try {
        await purgeRelease(ctx, release.name, {
          ...(o.noHooks ? { noHooks: true } : {}),
          ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
        });
      } catch (uninstallError) {
        throw new ReleaseFailedError(
          `an error occurred while uninstalling the release. original install error: ${reason}: ${(uninstallError as Error).message}`,
          { cause: error },
        );
      }
      throw new ReleaseFailedError(
        `release ${release.name} failed, and has been uninstalled due to rollback-on-failure being set: ${reason}`,
        { cause: error },
      );
    }
    throw error instanceof ReleaseFailedError ? error : new ReleaseFailedError(reason, { cause: error });
  }

  /**
   * Whether `name` may be installed: no history, or (`--replace`) a last revision that is
   * uninstalled or failed, which is returned.
   */
  private async checkName(name: string): Promise<Release | undefined> {
    const history = await this.ctx.storage.history(name);
    const last = history.at(-1);
    if (last === undefined) return undefined;
    if (this.options.replace && (last.info.status === 'uninstalled' || last.info.status === 'failed'))
      return last;
    throw new ReleaseExistsError('cannot reuse a name that is still in use');
  }
}

/** An adjective-animal name no release in the namespace has yet. */
async function unusedWordsName(ctx: ReleaseContext): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const name = await adjectiveAnimalName(ctx.client);
    if (attempt >= 20 || (await ctx.storage.history(name)).length === 0) return name;
  }
}

function noFiles(p: string): never {
  throw new ReleaseFailedError(`cannot read "${p}": no file access configured`);
}

/**
 * What install, upgrade, rollback and uninstall share: rendering a chart for a revision against
 * the cluster's capabilities, the release lock around a change (with recovery of a revision a
 * crashed operation left `pending-*`), the namespace check, and cancellation.
 */

import type { Chart } from '../../chart/chart.js';
import { InvalidArgumentError, ReleaseFailedError } from '../../internal/errors.js';
import type { PlainObject } from '../../internal/objects.js';
import { BOSUN_VERSION } from '../../internal/version.js';
import { KubeApiError, type KubeClient } from '../../kube/index.js';
import { storedChart } from '../../release/codec.js';
import { formatManifests } from '../../release/manifest.js';
import { isPending, type Release, type ReleaseStatus } from '../../release/release.js';
import { type Capabilities, makeCapabilities } from '../../template/capabilities.js';
import { type RenderedRelease, renderRelease } from '../render-release.js';
import type { ReleaseContext } from './context.js';
import { hookRecords, type RunHooksOptions } from './hooks.js';
import { acquireReleaseLock, type ReleaseLock, type ReleaseOperation, takeoverNotice } from './lock.js';
import type { ManifestDocument } from './resources.js';

/** Helm's default `--timeout`: 5 minutes. */
export const DEFAULT_TIMEOUT_MS = 5 * 60_000;

/** The capabilities of the cluster: its version and every served group/version. */
export async function clusterCapabilities(client: KubeClient): Promise<Capabilities> {
  const [version, kinds] = await Promise.all([client.version(), client.kinds()]);
  const apiVersions = new Set<string>();
  for (const k of kinds) {
    const gv = k.group === '' ? k.version : `${k.group}/${k.version}`;
    apiVersions.add(gv);
    apiVersions.add(`${gv}/${k.kind}`);
  }
  return makeCapabilities(version.gitVersion, [...apiVersions], BOSUN_VERSION);
}

/** What {@link renderRevision} needs. */
export interface RevisionInput {
  readonly ctx: ReleaseContext;
  readonly name: string;
  readonly chart: Chart;
  /** The user-supplied values stored as `config`. */
  readonly config: PlainObject;
  /** Values the render sees when they differ from `config` (`--reuse-values`). */
  readonly renderValues?: PlainObject;
  readonly revision: number;
  readonly isUpgrade: boolean;
  readonly skipSchemaValidation?: boolean;
  readonly renderSubchartNotes?: boolean;
  /** Render without the cluster (`--dry-run=client`): `lookup` answers an empty map. */
  readonly offline?: boolean;
}

/** A rendered revision, before it is stored. */
export interface RenderedRevision {
  readonly release: Release;
  readonly rendered: RenderedRelease;
  /** The documents of `release.manifest`, already parsed. */
  readonly documents: readonly ManifestDocument[];
}

/** Renders a chart into a new revision record (status `unknown`; the caller sets it). */
export async function renderRevision(input: RevisionInput): Promise<RenderedRevision> {
  const { ctx, name, chart } = input;
  const now = await ctx.client.now();
  const rendered = await renderRelease({
    chart,
    userValues: input.renderValues ?? input.config,
    release: {
      Name: name,
      Namespace: ctx.namespace,
      Revision: input.revision,
      IsInstall: !input.isUpgrade,
      IsUpgrade: input.isUpgrade,
      Service: 'Helm',
    },
    capabilities: await clusterCapabilities(ctx.client),
    functions: {
      now: () => now,
      // Helm's `lookup` reads the cluster during install and upgrade (never during template).
      ...(ctx.client.lookupSync && !input.offline
        ? {
            lookup: ctx.client.lookupSync.bind(ctx.client) as (
              a: string,
              k: string,
              n: string,
              m: string,
            ) => unknown,
          }
        : {}),
    },
    ...(input.skipSchemaValidation ? { skipSchemaValidation: true } : {}),
    ...(input.renderSubchartNotes ? { renderSubchartNotes: true } : {}),
  });
  const hooks = hookRecords(rendered.hooks);
  const release: Release = {
    name,
    info: { status: 'unknown', ...(rendered.notes ? { notes: rendered.notes } : {}) },
    chart: storedChart(chart),
    config: input.config,
    manifest: formatManifests(rendered.manifests),
    ...(hooks.length > 0 ? { hooks } : {}),
    version: input.revision,
    namespace: ctx.namespace,
    apply_method: 'csa',
  };
  const documents = rendered.manifests.map((m) => ({ source: m.path, object: m.object }));
  return { release, rendered, documents };
}

/**
 * How an action runs its hooks: within `timeoutMs` each, on cluster time, storing the release as
 * each hook's run is recorded, stopping on Ctrl-C.
 */
export function hookOptionsFor(ctx: ReleaseContext, release: Release, timeoutMs: number): RunHooksOptions {
  return {
    timeoutMs,
    now: () => ctx.client.now(),
    record: () => ctx.storage.update(release),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  };
}

/** Sets a revision's status and description (and its deploy time when it is deployed now). */
export function setStatus(release: Release, status: ReleaseStatus, description: string, at?: Date): void {
  release.info.status = status;
  release.info.description = description;
  if (at !== undefined) release.info.last_deployed = at.toISOString();
}

/** Throws when the namespace does not exist (`namespaces "x" not found`). */
export async function namespaceExists(client: KubeClient, namespace: string): Promise<boolean> {
  try {
    await client.get('namespaces', '', namespace);
    return true;
  } catch (error) {
    if (error instanceof KubeApiError && error.code === 404) return false;
    throw error;
  }
}

/** Creates a namespace labelled `name: <ns>`, as `--create-namespace` does. */
export async function createNamespace(client: KubeClient, namespace: string): Promise<void> {
  try {
    await client.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace, labels: { name: namespace } },
    });
  } catch (error) {
    if (!(error instanceof KubeApiError && error.code === 409)) throw error;
  }
}

let lastYield = 0;

/**
 * Throws `interrupted` when the context's signal fired (Ctrl-C). The embedded cluster answers
 * synchronously, so a long apply never returns to the event loop, where signals are delivered: it
 * is given a turn every 20 ms of wall time.
 */
export async function checkAborted(ctx: ReleaseContext): Promise<void> {
  const now = Date.now();
  if (now - lastYield >= 20) {
    lastYield = now;
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (ctx.signal?.aborted) throw new ReleaseFailedError('interrupted');
}

const VERB: Record<string, string> = {
  'pending-install': 'Install',
  'pending-upgrade': 'Upgrade',
  'pending-rollback': 'Rollback',
};

/**
 * Runs `fn` holding the release's lock. A revision left `pending-*` by an operation that died
 * (its lease expired or its process is gone) is marked failed first, with a notice, so the release
 * is never stuck.
 */
export async function withReleaseLock<T>(
  ctx: ReleaseContext,
  name: string,
  operation: ReleaseOperation,
  fn: (lock: ReleaseLock) => Promise<T>,
): Promise<T> {
  const lock = await acquireReleaseLock(ctx, name, operation);
  try {
    if (lock.tookOver) ctx.notice?.(takeoverNotice(name, lock.tookOver));
    await recoverPending(ctx, name);
    return await fn(lock);
  } finally {
    await lock.release().catch(() => undefined);
  }
}

/** Marks a `pending-*` newest revision failed: with the lock held, nothing is working on it. */
async function recoverPending(ctx: ReleaseContext, name: string): Promise<void> {
  const history = await ctx.storage.history(name);
  const last = history.at(-1);
  if (!last || !isPending(last.info.status)) return;
  const was = last.info.status;
  const verb = VERB[was] ?? 'Operation';
  setStatus(last, 'failed', `${verb} "${name}" interrupted: the operation stopped before it finished`);
  await ctx.storage.update(last);
  ctx.notice?.(`revision ${last.version} of "${name}" was left ${was}: marked failed`);
}

/**
 * Makes room for one more revision under `--history-max` (0 = unlimited), as Helm's
 * `removeLeastRecent(name, max - 1)`: the oldest go first, never the deployed one.
 */
export async function pruneHistory(ctx: ReleaseContext, name: string, historyMax: number): Promise<void> {
  if (historyMax <= 0) return;
  if (historyMax > 1) {
    await ctx.storage.prune(name, historyMax - 1);
    return;
  }
  const history = await ctx.storage.history(name);
  const deployed = [...history].reverse().find((r) => r.info.status === 'deployed');
  for (const r of history) if (r !== deployed) await ctx.storage.delete(name, r.version);
}

/** A positive `--timeout` in ms. */
export function timeoutOf(ms: number | undefined): number {
  if (ms === undefined) return DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(ms) || ms < 0) throw new InvalidArgumentError(`invalid timeout ${ms}`);
  return ms;
}

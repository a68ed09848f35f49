/**
 * `dependency update CHART` and `dependency build CHART` (Helm's `pkg/downloader/manager.go`
 * `Update` and `Build`).
 *
 * - update: refreshes the indexes of the repositories the dependencies use (unless
 *   `skipRefresh`), resolves each range to the newest matching version, vendors the archives
 *   under `charts/` (packaging `file://` charts), removes outdated archives of those charts, and
 *   writes `Chart.lock` when its digest changed.
 * - build: the exact versions of `Chart.lock`, after checking that the lock still matches
 *   Chart.yaml (Helm's digest); without a lock, an update.
 *
 * Differences from Helm, on purpose: only the repositories the chart uses are refreshed (not
 * every configured one), and `build` accepts a repository URL that is not configured (fetching
 * its index for the run), as `update` does, where Helm 4.1.4 stops with `no repository
 * definition`. Every archive from a repository is checked against the index digest.
 */

import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ChartLock, ChartMetadata, Dependency } from '../../chart/chart.js';
import { MAX_CHART_FILE_SIZE } from '../../chart/chart.js';
import { parseChartMetadata } from '../../chart/metadata.js';
import { ChartInvalidError, IoError } from '../../internal/errors.js';
import { loadRepoConfig } from '../../repo/config.js';
import {
  type DependencyContext,
  type DependencySource,
  fetchLocked,
  IndexSet,
  localPath,
  lockVersions,
  type PlannedArchive,
  resolveSources,
  sameUrl,
  vendorArchives,
} from '../../repo/dependencies.js';
import { goTime, lockDigest, readLock, writeLock } from '../../repo/lock.js';
import type { RepoConfig } from '../../repo/types.js';
import { type RepoUpdateResult, repoUpdate } from './repo-update.js';

/** Options of {@link dependencyUpdate} and {@link dependencyBuild}. */
export interface DependencyOptions {
  /** `$BOSUN_HOME`. */
  readonly home: string;
  /** The chart directory, as given. */
  readonly chart: string;
  /** Directory a relative `chart` is resolved against. */
  readonly cwd: string;
  /** `--skip-refresh`: use the cached indexes as they are. */
  readonly skipRefresh?: boolean;
  /** Each download's deadline. */
  readonly deadlineMs?: number;
  readonly warn?: (message: string) => void;
  /** The lock's `generated` time. @default now */
  readonly now?: Date;
}

/** One dependency as it was saved. */
export interface SavedDependency {
  readonly name: string;
  readonly version: string;
  readonly repository: string;
  /** `repository` (downloaded or from the cache), `directory` (a `file://` chart packaged), `charts` (already there). */
  readonly from: 'repository' | 'directory' | 'charts';
  /** The file written under `charts/` (not for `charts`). */
  readonly file?: string;
}

/** What an update or build did, for the CLI to report. */
export interface DependencyResult {
  /** The chart has no dependencies: nothing was done. */
  readonly none: boolean;
  /** A build without a Chart.lock ran as an update. */
  readonly updatedInstead?: boolean;
  /** The configured repositories refreshed, with their outcome. */
  readonly refreshed: readonly RepoUpdateResult[];
  /** Unconfigured repository URLs whose index was fetched. */
  readonly unmanaged: readonly { url: string; error?: string }[];
  readonly saved: readonly SavedDependency[];
  /** Outdated archives removed from `charts/`. */
  readonly removed: readonly string[];
  readonly lock?: ChartLock;
  /** Chart.lock was (re)written. */
  readonly lockWritten: boolean;
}

/** The chart directory and its Chart.yaml; Helm's errors for a missing path or an archive. */
async function loadChartDir(options: DependencyOptions): Promise<{ dir: string; metadata: ChartMetadata }> {
  const dir = path.resolve(options.cwd, options.chart);
  const stat = await fs.stat(dir).catch(() => undefined);
  if (!stat) throw new IoError(`could not find ${options.chart}: no such file or directory`);
  if (!stat.isDirectory()) throw new IoError('only unpacked charts can be updated');
  const file = path.join(dir, 'Chart.yaml');
  const chartYaml = await fs.stat(file).catch(() => undefined);
  if (!chartYaml?.isFile()) throw new ChartInvalidError(`${options.chart}: Chart.yaml file is missing`);
  if (chartYaml.size > MAX_CHART_FILE_SIZE) {
    throw new ChartInvalidError(`${options.chart}/Chart.yaml is larger than ${MAX_CHART_FILE_SIZE} bytes`);
  }
  const source = `${options.chart.replace(/\/+$/, '')}/Chart.yaml`;
  return { dir, metadata: parseChartMetadata(await fs.readFile(file, 'utf8'), source) };
}

/** Refreshes the cached indexes of the configured repositories among `sources`. */
async function refresh(
  sources: readonly DependencySource[],
  options: DependencyOptions,
): Promise<RepoUpdateResult[]> {
  if (options.skipRefresh) return [];
  const names = [
    ...new Set(sources.flatMap((s) => (s.kind === 'repository' && s.repo ? [s.repo.name] : []))),
  ];
  if (names.length === 0) return [];
  return repoUpdate({
    home: options.home,
    names,
    ...(options.deadlineMs !== undefined ? { deadlineMs: options.deadlineMs } : {}),
    ...(options.warn ? { warn: options.warn } : {}),
  });
}

/** Fetches every locked dependency, then vendors them all at once. */
async function fetchAndVendor(
  dir: string,
  locked: readonly Dependency[],
  sources: readonly DependencySource[],
  ctx: DependencyContext,
  indexes: IndexSet,
): Promise<{ saved: SavedDependency[]; removed: string[]; planned: PlannedArchive[] }> {
  const planned: PlannedArchive[] = [];
  const saved: SavedDependency[] = [];
  for (const [i, dep] of locked.entries()) {
    const archive = await fetchLocked(dep, sources[i]!, ctx, indexes);
    if (archive) planned.push(archive);
    saved.push(
      archive
        ? {
            name: dep.name,
            version: archive.version,
            repository: archive.repository,
            from: archive.from,
            file: archive.file,
          }
        : { name: dep.name, version: dep.version ?? '', repository: '', from: 'charts' },
    );
  }
  const names = locked.filter((d) => (d.repository ?? '') !== '').map((d) => d.name);
  const { removed } = await vendorArchives(dir, planned, names, ctx.warn);
  return { saved, removed, planned };
}

function context(options: DependencyOptions, dir: string, config: RepoConfig): DependencyContext {
  return {
    home: options.home,
    chartDir: dir,
    config,
    ...(options.deadlineMs !== undefined ? { deadlineMs: options.deadlineMs } : {}),
    ...(options.warn ? { warn: options.warn } : {}),
  };
}

const NOTHING: DependencyResult = {
  none: true,
  refreshed: [],
  unmanaged: [],
  saved: [],
  removed: [],
  lockWritten: false,
};

/** `dependency update`: resolve, vendor, write Chart.lock. Nothing in `charts/` changes on error. */
export async function dependencyUpdate(options: DependencyOptions): Promise<DependencyResult> {
  const { dir, metadata } = await loadChartDir(options);
  const deps = metadata.dependencies ?? [];
  if (deps.length === 0) return NOTHING;
  const config = await loadRepoConfig(options.home);
  const { requested, sources } = await resolveSources(deps, dir, config);
  const refreshed = await refresh(sources, options);
  const ctx = context(options, dir, config);
  const indexes = new IndexSet(ctx);
  const pinned = await lockVersions(requested, sources, ctx, indexes);
  const { saved, removed } = await fetchAndVendor(dir, pinned, sources, ctx, indexes);
  // A file:// chart is locked at the version actually packaged (Helm recomputes after downloadAll).
  const locked = pinned.map((d, i) =>
    saved[i]!.from === 'directory' ? { ...d, version: saved[i]!.version } : d,
  );
  const lock: ChartLock = {
    generated: goTime(options.now ?? new Date()),
    digest: lockDigest(requested, locked),
    dependencies: locked,
  };
  const old = await readLock(dir, options.chart).catch(() => undefined);
  const lockWritten = old?.digest !== lock.digest;
  if (lockWritten) await writeLock(dir, lock);
  return {
    none: false,
    refreshed,
    unmanaged: indexes.fetched,
    saved,
    removed,
    lock: lockWritten ? lock : old!,
    lockWritten,
  };
}

/** The source of a locked dependency (its repository is a URL, `file://…`, or empty). */
async function lockedSource(dep: Dependency, dir: string, config: RepoConfig): Promise<DependencySource> {
  const repository = dep.repository ?? '';
  if (repository === '') return { kind: 'charts' };
  const repo = config.repositories.find((r) => sameUrl(r.url, repository));
  if (repo) return { kind: 'repository', url: repository, repo };
  if (/^file:\/\//i.test(repository)) return { kind: 'directory', path: await localPath(repository, dir) };
  return { kind: 'repository', url: repository };
}

/**
 * `dependency build`: the versions of Chart.lock, exactly.
 *
 * @throws ChartInvalidError `the lock file (Chart.lock) is out of sync with the dependencies
 *   file (Chart.yaml). Please update the dependencies` when Chart.yaml changed since the lock.
 */
export async function dependencyBuild(options: DependencyOptions): Promise<DependencyResult> {
  const { dir, metadata } = await loadChartDir(options);
  const lock = await readLock(dir, options.chart);
  if (lock === undefined) return { ...(await dependencyUpdate(options)), updatedInstead: true };
  const config = await loadRepoConfig(options.home);
  const { requested } = await resolveSources(metadata.dependencies ?? [], dir, config);
  if (lockDigest(requested, lock.dependencies) !== lock.digest) {
    throw new ChartInvalidError(
      'the lock file (Chart.lock) is out of sync with the dependencies file (Chart.yaml). Please update the dependencies',
    );
  }
  const sources = await Promise.all(lock.dependencies.map((d) => lockedSource(d, dir, config)));
  const refreshed = await refresh(sources, options);
  const ctx = context(options, dir, config);
  const indexes = new IndexSet(ctx);
  const { saved, removed } = await fetchAndVendor(dir, lock.dependencies, sources, ctx, indexes);
  return {
    none: lock.dependencies.length === 0,
    refreshed,
    unmanaged: indexes.fetched,
    saved,
    removed,
    lock,
    lockWritten: false,
  };
}

/**
 * Chart dependencies (Helm's `pkg/downloader/manager.go` and `internal/resolver`): where each
 * Chart.yaml dependency comes from, which version it resolves to, fetching the archives, and
 * vendoring them under `charts/`.
 *
 * A dependency's `repository` is one of: empty (the chart is already in `charts/<name>`),
 * `file://PATH` (a chart directory, relative to the chart, packaged into `charts/`), `@name` or
 * `alias:name` (a configured repository), or an `http(s)://` URL (the configured repository with
 * that URL, or else the URL's index, fetched for this run only). Archives from repositories are
 * fetched with the getters' limits and checked against the index digest while they stream, then
 * kept in the content cache; every archive is also loaded as a chart and must hold the name and
 * version asked for. Nothing in `charts/` changes until every archive is in hand.
 */

import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Dependency } from '../chart/chart.js';
import { readChartArchive, writeChartArchive } from '../chart/chart-archive.js';
import { readChartDirectory } from '../chart/chart-directory.js';
import { loadChartFiles } from '../chart/loader.js';
import { ChartInvalidError, errorMessage, InvalidArgumentError, IoError } from '../internal/errors.js';
import { cachedChart, loadCachedIndex, storeChart } from './cache.js';
import { assertConstraint, compareVersions, isValidVersion, satisfiesConstraint } from './constraints.js';
import { fetchUrl, getterFor, repoFetchOptions, repoIndexUrl, schemeOf } from './getter.js';
import { parseIndex, resolveChartUrl } from './index-file.js';
import {
  type IndexFile,
  MAX_CHART_BYTES,
  MAX_INDEX_BYTES,
  type RepoConfig,
  type RepoEntry,
} from './types.js';

/** Where one dependency comes from. */
export type DependencySource =
  | { readonly kind: 'charts' }
  | { readonly kind: 'directory'; readonly path: string }
  | { readonly kind: 'repository'; readonly url: string; readonly repo?: RepoEntry };

/** Context of a dependency run. */
export interface DependencyContext {
  /** `$BOSUN_HOME` (repository caches). */
  readonly home: string;
  /** The chart directory (absolute). */
  readonly chartDir: string;
  readonly config: RepoConfig;
  /** Each download's deadline. */
  readonly deadlineMs?: number;
  readonly warn?: (message: string) => void;
}

/** Helm's `urlutil.Equal`: the same URL up to trailing slashes and the case of scheme and host. */
export function sameUrl(a: string, b: string): boolean {
  const norm = (u: string) => {
    try {
      const url = new URL(u);
      return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}${url.search}`;
    } catch {
      return u.replace(/\/+$/, '');
    }
  };
  return norm(a) === norm(b);
}

/** Helm's `resolver.GetLocalPath`: a `file://` repository as a directory relative to the chart. */
export async function localPath(repository: string, chartDir: string): Promise<string> {
  const p = repository.replace(/^file:\/\//, '');
  const dir = path.isAbsolute(p) ? path.resolve(p) : path.join(chartDir, p);
  try {
    await fs.stat(dir);
  } catch {
    throw new IoError(`directory ${dir} not found`);
  }
  return dir;
}

/** The configured repository with this URL, if any. */
function configuredByUrl(config: RepoConfig, url: string): RepoEntry | undefined {
  return config.repositories.find((r) => sameUrl(r.url, url));
}

/** Checks that an unconfigured repository URL is one bosun can fetch. */
function assertFetchable(url: string): void {
  if (schemeOf(url) === 'oci') throw new InvalidArgumentError(`OCI registries are not supported: ${url}`);
  getterFor(url);
}

/**
 * Helm's `resolveRepoNames`: the source of each Chart.yaml dependency, and the dependencies with
 * `@name`/`alias:name` replaced by the repository's URL (what the lock digest is computed over).
 *
 * @throws InvalidArgumentError `no repository definition for @x. Please add them via 'bosun repo add'`.
 */
export async function resolveSources(
  deps: readonly Dependency[],
  chartDir: string,
  config: RepoConfig,
): Promise<{ requested: Dependency[]; sources: DependencySource[] }> {
  const requested: Dependency[] = [];
  const sources: DependencySource[] = [];
  const missing: string[] = [];
  for (const d of deps) {
    const repository = d.repository ?? '';
    const alias = /^(?:@|alias:)(.*)$/.exec(repository)?.[1];
    if (repository === '') {
      requested.push(d);
      sources.push({ kind: 'charts' });
    } else if (alias !== undefined) {
      const repo = config.repositories.find((r) => r.name === alias);
      if (!repo) missing.push(repository);
      requested.push({ ...d, repository: repo?.url ?? repository });
      sources.push({ kind: 'repository', url: repo?.url ?? repository, ...(repo ? { repo } : {}) });
    } else if (/^file:\/\//i.test(repository) && !configuredByUrl(config, repository)) {
      requested.push(d);
      sources.push({ kind: 'directory', path: await localPath(repository, chartDir) });
    } else if (repository.includes('://')) {
      const repo = configuredByUrl(config, repository);
      if (!repo) assertFetchable(repository);
      requested.push(d);
      sources.push({ kind: 'repository', url: repository, ...(repo ? { repo } : {}) });
    } else {
      missing.push(repository);
      requested.push(d);
      sources.push({ kind: 'charts' });
    }
  }
  if (missing.length > 0) {
    let message = `no repository definition for ${missing.join(', ')}. Please add them via 'bosun repo add'`;
    const plain = missing.find((m) => !m.includes('//') && !/^(?:@|alias:)/.test(m));
    if (plain !== undefined) {
      message += ` (repositories must be URLs or aliases: use "https://charts.example.com/" or "@${plain}" instead of "${plain}", once the repository is added)`;
    }
    throw new InvalidArgumentError(message);
  }
  return { requested, sources };
}

/** `dependency "x" has an invalid version/constraint format: …` unless `range` is a constraint. */
export function assertDependencyRange(name: string, range: string | undefined): void {
  try {
    assertConstraint(range ?? '');
  } catch (err) {
    const detail = errorMessage(err).replace(/^invalid version constraint ".*?": /s, '');
    throw new InvalidArgumentError(
      `dependency "${name}" has an invalid version/constraint format: ${detail}`,
    );
  }
}

/** Loads the chart of a directory (for `file://` and `charts/<name>` dependencies). */
async function loadDirectoryChart(dir: string) {
  const files = await readChartDirectory(dir);
  const chart = await loadChartFiles(files, dir);
  return { files, chart };
}

/** Indexes of the repositories used in one run, each read or fetched once. */
export class IndexSet {
  private readonly indexes = new Map<string, Promise<IndexFile>>();
  /** URLs of unconfigured repositories fetched, with the error when the fetch failed. */
  readonly fetched: { url: string; error?: string }[] = [];

  constructor(private readonly ctx: DependencyContext) {}

  /** The index of a repository source. */
  get(source: Extract<DependencySource, { kind: 'repository' }>): Promise<IndexFile> {
    const key = source.repo ? `repo:${source.repo.name}` : `url:${source.url}`;
    let index = this.indexes.get(key);
    if (!index) {
      index = source.repo ? this.cached(source.repo) : this.remote(source.url);
      this.indexes.set(key, index);
    }
    return index;
  }

  private cached(repo: RepoEntry): Promise<IndexFile> {
    const warn = this.ctx.warn;
    return loadCachedIndex(this.ctx.home, repo.name, warn ? { warn } : {});
  }

  private async remote(url: string): Promise<IndexFile> {
    try {
      const fetched = await fetchUrl(repoIndexUrl(url), {
        maxBytes: MAX_INDEX_BYTES,
        ...(this.ctx.deadlineMs !== undefined ? { deadlineMs: this.ctx.deadlineMs } : {}),
        what: `index of ${url}`,
      });
      const index = parseIndex(
        fetched.data.toString('utf8'),
        url,
        this.ctx.warn ? { warn: this.ctx.warn } : {},
      );
      this.fetched.push({ url });
      return index;
    } catch (err) {
      this.fetched.push({ url, error: errorMessage(err) });
      throw err;
    }
  }
}

/**
 * Helm's `Resolver.Resolve`: each dependency pinned to a version. A repository dependency gets
 * the newest version of its index satisfying its range; a `file://` one, its chart's version
 * (which must satisfy the range); a `charts/` one keeps its range.
 *
 * @returns the locked dependencies (`name`, `repository`, `version`), in Chart.yaml order.
 */
export async function lockVersions(
  requested: readonly Dependency[],
  sources: readonly DependencySource[],
  ctx: DependencyContext,
  indexes: IndexSet,
): Promise<Dependency[]> {
  const locked: Dependency[] = [];
  const missing: string[] = [];
  for (const [i, d] of requested.entries()) {
    const source = sources[i]!;
    const repository = d.repository ?? '';
    assertDependencyRange(d.name, d.version);
    const range = d.version!;
    if (source.kind === 'charts') {
      await localPath(path.join('charts', d.name), ctx.chartDir);
      locked.push({ name: d.name, repository: '', version: range });
      continue;
    }
    let version: string | undefined;
    if (source.kind === 'directory') {
      const { chart } = await loadDirectoryChart(source.path);
      if (satisfiesConstraint(chart.metadata.version, range)) version = chart.metadata.version;
    } else {
      const index = await indexes.get(source);
      const versions = Object.hasOwn(index.entries, d.name) ? index.entries[d.name] : undefined;
      if (!versions) throw new ChartInvalidError(`${d.name} chart not found in repo ${source.url}`);
      version = versions.find(
        (v) => v.urls.length > 0 && isValidVersion(v.version) && satisfiesConstraint(v.version, range),
      )?.version;
    }
    if (version === undefined) missing.push(`"${d.name}" (repository "${repository}", version "${range}")`);
    locked.push({ name: d.name, repository, version: version ?? range });
  }
  if (missing.length > 0) {
    throw new ChartInvalidError(
      `can't get a valid version for ${missing.length} subchart(s): ${missing.join(', ')}. Make sure a matching chart version exists in the repo, or change the version constraint in Chart.yaml`,
    );
  }
  return locked;
}

/** One archive to put in `charts/`. */
export interface PlannedArchive {
  readonly name: string;
  readonly version: string;
  readonly repository: string;
  /** File name under `charts/`: `<name>-<version>.tgz`. */
  readonly file: string;
  readonly data: Buffer;
  /** How it was obtained. */
  readonly from: 'repository' | 'directory';
  /** The URL downloaded (repository archives). */
  readonly url?: string;
}

/** Checks that an archive holds the chart `name` at `version`. */
async function assertArchiveHolds(data: Buffer, where: string, name: string, version: string): Promise<void> {
  const { files } = await readChartArchive(data, where);
  const chart = await loadChartFiles(files, where);
  const got = chart.metadata;
  if (got.name !== name || compareVersions(got.version, version) !== 0) {
    throw new ChartInvalidError(`${where} holds chart ${got.name} ${got.version}, not ${name} ${version}`);
  }
}

/**
 * Gets the archive of one locked dependency: packages a `file://` directory, or downloads the
 * exact version from its repository (content cache first, by the index digest). A `charts/`
 * dependency gives nothing: its directory is checked against the range instead.
 */
export async function fetchLocked(
  locked: Dependency,
  source: DependencySource,
  ctx: DependencyContext,
  indexes: IndexSet,
): Promise<PlannedArchive | undefined> {
  const version = locked.version ?? '';
  const repository = locked.repository ?? '';
  if (source.kind === 'charts') {
    const dir = path.join(ctx.chartDir, 'charts', locked.name);
    const { chart } = await loadDirectoryChart(dir);
    assertDependencyRange(locked.name, version);
    if (!satisfiesConstraint(chart.metadata.version, version)) {
      throw new ChartInvalidError(
        `dependency ${locked.name} at version ${chart.metadata.version} does not satisfy the constraint ${version}`,
      );
    }
    return undefined;
  }
  const file = `${locked.name}-${version}.tgz`;
  if (source.kind === 'directory') {
    const { files, chart } = await loadDirectoryChart(source.path);
    if (chart.metadata.name !== locked.name) {
      throw new ChartInvalidError(`${repository} holds chart ${chart.metadata.name}, not ${locked.name}`);
    }
    if (chart.metadata.version !== version && !satisfiesConstraint(chart.metadata.version, version)) {
      throw new ChartInvalidError(`can't get a valid version for dependency ${locked.name}`);
    }
    const data = await writeChartArchive(files, chart.metadata.name);
    const name = `${locked.name}-${chart.metadata.version}.tgz`;
    return {
      name: locked.name,
      version: chart.metadata.version,
      repository,
      file: name,
      data,
      from: 'directory',
    };
  }
  const index = await indexes.get(source);
  const versions = Object.hasOwn(index.entries, locked.name) ? (index.entries[locked.name] ?? []) : [];
  const entry = versions.find(
    (v) => v.urls.length > 0 && (v.version === version || compareVersions(v.version, version) === 0),
  );
  if (!entry) {
    throw new ChartInvalidError(
      `chart ${locked.name} version ${version} not found in ${source.url} (try 'bosun dependency update')`,
    );
  }
  const url = resolveChartUrl(entry.urls[0]!, source.url);
  // A cached archive is checked too: another index may have filed another chart under that digest.
  let data = entry.digest ? await cachedChart(ctx.home, entry.digest) : undefined;
  if (data) await assertArchiveHolds(data, url, locked.name, version);
  else {
    if (!entry.digest) {
      ctx.warn?.(`the index of ${source.url} has no digest for ${file}: the download cannot be verified`);
    }
    const fetched = await fetchUrl(url, {
      ...(source.repo ? repoFetchOptions(source.repo) : {}),
      maxBytes: MAX_CHART_BYTES,
      ...(ctx.deadlineMs !== undefined ? { deadlineMs: ctx.deadlineMs } : {}),
      ...(entry.digest ? { expectedDigest: entry.digest } : {}),
      what: file,
    });
    await assertArchiveHolds(fetched.data, url, locked.name, version);
    await storeChart(ctx.home, fetched);
    data = fetched.data;
  }
  return { name: locked.name, version, repository, file, data, from: 'repository', url };
}

/** What vendoring changed in `charts/`. */
export interface VendorResult {
  /** Files written (names under `charts/`). */
  readonly written: string[];
  /** Outdated archives removed. */
  readonly removed: string[];
}

/** The chart name inside an archive file, or undefined when it cannot be read. */
async function archiveChartName(file: string): Promise<string | undefined> {
  try {
    const data = await fs.readFile(file);
    const { files } = await readChartArchive(data, file);
    return (await loadChartFiles(files, file)).metadata.name;
  } catch {
    return undefined;
  }
}

/**
 * Writes the planned archives into `<chartDir>/charts` and removes the outdated archives of the
 * same charts (Helm's `safeDeleteDep`: `charts/<name>-*.tgz` holding chart `<name>`). The
 * archives are staged as hidden temporary files first, so a failure leaves `charts/` as it was.
 */
export async function vendorArchives(
  chartDir: string,
  planned: readonly PlannedArchive[],
  names: readonly string[],
  warn?: (message: string) => void,
): Promise<VendorResult> {
  const dest = path.join(chartDir, 'charts');
  const stat = await fs.stat(dest).catch(() => undefined);
  if (stat && !stat.isDirectory()) throw new IoError(`"${dest}" is not a directory`);
  await fs.mkdir(dest, { recursive: true });
  const unique = new Map(planned.map((p) => [p.file, p]));
  const staged: [string, string][] = [];
  try {
    for (const p of unique.values()) {
      const tmp = path.join(dest, `.${p.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
      await fs.writeFile(tmp, p.data, { mode: 0o644, flag: 'wx' });
      staged.push([tmp, path.join(dest, p.file)]);
    }
  } catch (err) {
    await Promise.all(staged.map(([tmp]) => fs.rm(tmp, { force: true })));
    throw err;
  }
  const removed: string[] = [];
  const existing = await fs.readdir(dest);
  for (const name of new Set(names)) {
    for (const f of existing) {
      if (!f.startsWith(`${name}-`) || !f.endsWith('.tgz') || unique.has(f)) continue;
      const chartName = await archiveChartName(path.join(dest, f));
      if (chartName === undefined) {
        warn?.(`could not verify charts/${f} for deletion (skipping)`);
        continue;
      }
      if (chartName !== name) continue;
      await fs.rm(path.join(dest, f), { force: true });
      removed.push(f);
    }
  }
  for (const [tmp, target] of staged) await fs.rename(tmp, target);
  return { written: [...unique.keys()], removed };
}

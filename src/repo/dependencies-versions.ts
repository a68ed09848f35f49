/**
 * Which version each dependency resolves to (Helm's `Resolver.Resolve`): its range checked, the
 * repository indexes read or fetched once per run, and the newest version in range picked.
 */

import path from 'node:path';
import type { Dependency } from '../chart/chart.js';
import { readChartDirectory } from '../chart/chart-directory.js';
import { loadChartFiles } from '../chart/loader.js';
import { ChartInvalidError, errorMessage, InvalidArgumentError } from '../internal/errors.js';
import { loadCachedIndex } from './cache.js';
import { assertConstraint, isValidVersion, satisfiesConstraint } from './constraints.js';
import { type DependencyContext, type DependencySource, localPath } from './dependencies-sources.js';
import { fetchUrl, repoIndexUrl } from './getter.js';
import { parseIndex } from './index-file.js';
import { type IndexFile, MAX_INDEX_BYTES, type RepoEntry } from './types.js';

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
export async function loadDirectoryChart(dir: string) {
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

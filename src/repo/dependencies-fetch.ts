/**
 * Getting the archive of each locked dependency: a `file://` chart packaged, or the exact
 * version downloaded from its repository (or taken from the content cache) and checked to hold
 * the chart asked for.
 */

import path from 'node:path';
import type { Dependency } from '../chart/chart.js';
import { readChartArchive, writeChartArchive } from '../chart/chart-archive.js';
import { loadChartFiles } from '../chart/loader.js';
import { ChartInvalidError } from '../internal/errors.js';
import { cachedChart, storeChart } from './cache.js';
import { compareVersions, satisfiesConstraint } from './constraints.js';
import type { DependencyContext, DependencySource } from './dependencies-sources.js';
import { assertDependencyRange, type IndexSet, loadDirectoryChart } from './dependencies-versions.js';
import { fetchUrl, repoFetchOptions } from './getter.js';
import { resolveChartUrl } from './index-file.js';
import { MAX_CHART_BYTES } from './types.js';

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

/**
 * Resolving a chart reference to the bytes of its archive, as Helm's `ChartDownloader.
 * ResolveChartVersion` and `repo.FindChartInRepoURL` do (`pkg/downloader/chart_downloader.go`,
 * `pkg/repo/v1/chartrepo.go`):
 *
 * - `REPO/NAME`: the chart in the cached index of the configured repository `REPO`;
 * - `NAME` with `repoUrl` (`--repo URL`): the chart in the index downloaded from that URL (not
 *   cached, as Helm keeps it only for the command);
 * - an absolute `http(s)://` or `file://` URL of an archive; when a configured repository's index
 *   lists that URL, its credentials and digest apply.
 *
 * The version is picked as Helm's `IndexFile.Get` does: the exact version first, else the newest
 * satisfying the constraint. Unlike Helm, every archive whose index gives a digest is checked
 * against it while it downloads (a mismatch is refused and nothing is cached), and archives are
 * cached by that digest: a chart already in the cache is used without going to the network.
 */

import type { ChartMetadata } from '../chart/chart.js';
import { readChartYamlFromArchive } from '../chart/chart-archive-head.js';
import { parseChartMetadata } from '../chart/metadata.js';
import { BosunError, InvalidArgumentError, IoError } from '../internal/errors.js';
import { cachedChart, loadCachedIndex, storeChart } from './cache.js';
import { findRepo, loadRepoConfig } from './config.js';
import {
  type FetchOptions,
  fetchUrl,
  getterFor,
  normalizeDigest,
  repoFetchOptions,
  repoIndexUrl,
  schemeOf,
} from './getter.js';
import { findChartVersion, parseIndex, resolveChartUrl } from './index-file.js';
import {
  type ChartVersion,
  type IndexFile,
  MAX_CHART_BYTES,
  MAX_INDEX_BYTES,
  type RepoEntry,
} from './types.js';

/** Options of {@link resolveChartReference}. */
export interface ResolveChartOptions {
  /** A version or a constraint (`--version`); absent: the newest release. */
  readonly version?: string;
  /** Pre-releases too when no version is given (`--devel`, `>0.0.0-0`). */
  readonly devel?: boolean;
  /** `--repo URL`: the reference is a chart name in the repository at this URL. */
  readonly repoUrl?: string;
  /** Credentials for `--repo` or for a repository that has none configured. */
  readonly username?: string;
  readonly password?: string;
  /** Send the credentials to every host (`--pass-credentials`). */
  readonly passCredentialsAll?: boolean;
  /** Receives warnings (a version fallback, an entry without a digest, skipped index entries). */
  readonly warn?: (message: string) => void;
  /** Total time each download may take. @default DEFAULT_DEADLINE_MS */
  readonly deadlineMs?: number;
  /** Largest archive accepted. @default MAX_CHART_BYTES */
  readonly maxBytes?: number;
  /** Cancels the downloads. */
  readonly signal?: AbortSignal;
}

/** A resolved chart: its archive, the archive's sha256, and where it came from. */
export interface ResolvedChart {
  readonly data: Buffer;
  /** sha256 (hex) of `data`. */
  readonly digest: string;
  readonly name: string;
  readonly version: string;
  /** The absolute URL of the archive. */
  readonly url: string;
}

/** A copy of a bosun error with `prefix: ` before its message, keeping its class and code. */
function prefixError(prefix: string, error: unknown): unknown {
  if (!(error instanceof BosunError))
    return new IoError(`${prefix}: ${(error as Error).message}`, { cause: error });
  const copy = Object.create(Object.getPrototypeOf(error)) as BosunError;
  Object.assign(copy, error);
  Object.defineProperty(copy, 'message', { value: `${prefix}: ${error.message}` });
  Object.defineProperty(copy, 'cause', { value: error });
  return copy;
}

/** The download limits every fetch of a resolution shares. */
function limits(options: ResolveChartOptions): FetchOptions {
  return {
    ...(options.deadlineMs !== undefined ? { deadlineMs: options.deadlineMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
}

/** The credentials given on the command line, for a repository at `repoUrl`. */
function flagCredentials(options: ResolveChartOptions, repoUrl: string): FetchOptions {
  return {
    repoUrl,
    ...(options.username ? { username: options.username } : {}),
    ...(options.password ? { password: options.password } : {}),
    ...(options.passCredentialsAll ? { passCredentialsAll: true } : {}),
  };
}

/** The version asked for, trimmed; `undefined` when none. */
function requestedVersion(options: ResolveChartOptions): string | undefined {
  const version = options.version?.trim();
  return version === undefined || version === '' ? undefined : version;
}

/**
 * Why `name` has no version matching in `index` (the reason Helm's `IndexFile.Get` gives, with a
 * hint when only pre-releases exist).
 */
function missReason(index: IndexFile, name: string, version: string | undefined): string {
  const versions = Object.hasOwn(index.entries, name) ? index.entries[name]! : [];
  if (versions.length === 0) return 'no chart name found';
  if (version === undefined)
    return `no chart version found for ${name} (it has only pre-releases: use --devel)`;
  return `no chart version found for ${name}-${version}`;
}

/** Picks the version of `name` in `index`, passing on the fallback warning. */
function pick(
  index: IndexFile,
  name: string,
  options: ResolveChartOptions,
): { entry: ChartVersion } | { miss: string } {
  const version = requestedVersion(options);
  const found = findChartVersion(index, name, {
    ...(version !== undefined ? { version } : {}),
    ...(options.devel ? { devel: true } : {}),
  });
  if (found === undefined) return { miss: missReason(index, name, version) };
  if (found.warning) options.warn?.(found.warning);
  return { entry: found.entry };
}

/** What a chart entry's download needs. */
interface Download {
  readonly url: string;
  readonly name: string;
  readonly version: string;
  /** The digest the index gives, normalised; absent when it gives none. */
  readonly digest?: string;
  readonly fetch: FetchOptions;
}

/** The download of an index entry: its first URL resolved against the repository URL. */
function entryDownload(entry: ChartVersion, repoUrl: string, fetch: FetchOptions, ref: string): Download {
  const first = entry.urls[0];
  if (first === undefined) throw new IoError(`chart ${JSON.stringify(ref)} has no downloadable URLs`);
  const file = `${entry.name}-${entry.version}.tgz`;
  return {
    url: resolveChartUrl(first, repoUrl),
    name: entry.name,
    version: entry.version,
    ...(entry.digest ? { digest: normalizeDigest(entry.digest, `${file} (the digest in the index)`) } : {}),
    fetch,
  };
}

/**
 * Gets an archive: from the cache when its digest is known and cached, else from its URL,
 * checked against the digest while it streams, then cached. An entry without a digest is
 * downloaded unchecked (with a warning) and not cached.
 */
async function download(home: string, d: Download, options: ResolveChartOptions): Promise<ResolvedChart> {
  const result = (data: Buffer, digest: string): ResolvedChart => ({
    data,
    digest,
    name: d.name,
    version: d.version,
    url: d.url,
  });
  if (d.digest !== undefined) {
    const cached = await cachedChart(home, d.digest);
    if (cached !== undefined) return result(cached, d.digest);
  } else {
    options.warn?.(`the index gives no digest for ${d.name}-${d.version}.tgz: it cannot be verified`);
  }
  const fetched = await fetchUrl(d.url, {
    ...d.fetch,
    maxBytes: options.maxBytes ?? MAX_CHART_BYTES,
    what: `${d.name}-${d.version}.tgz`,
    ...(d.digest !== undefined ? { expectedDigest: d.digest } : {}),
  });
  if (d.digest !== undefined) await storeChart(home, fetched);
  return result(fetched.data, fetched.digest);
}

/** `REPO/NAME`: the chart in the cached index of a configured repository. */
async function resolveRepoRef(
  home: string,
  ref: string,
  options: ResolveChartOptions,
): Promise<ResolvedChart> {
  const slash = ref.indexOf('/');
  if (slash <= 0 || slash === ref.length - 1) {
    throw new InvalidArgumentError(
      `non-absolute URLs should be in form of repo_name/path_to_chart, got: ${ref}`,
    );
  }
  const repoName = ref.slice(0, slash);
  const chartName = ref.slice(slash + 1);
  const repo = findRepo(await loadRepoConfig(home), repoName);
  if (repo === undefined) throw new IoError(`repo ${repoName} not found`);
  const index = await loadCachedIndex(home, repoName, options.warn ? { warn: options.warn } : {});
  const picked = pick(index, chartName, options);
  if ('miss' in picked) {
    const version = requestedVersion(options);
    const matching = version === undefined ? '' : ` matching ${version}`;
    throw new IoError(
      `chart ${JSON.stringify(chartName)}${matching} not found in ${repoName} index. (try 'bosun repo update'): ${picked.miss}`,
    );
  }
  return download(home, entryDownload(picked.entry, repo.url, repoCredentials(repo, options), ref), options);
}

/** A repository's configured credentials, else those of the command line. */
function repoCredentials(repo: RepoEntry, options: ResolveChartOptions): FetchOptions {
  const configured = repoFetchOptions(repo);
  const base =
    configured.username || configured.password
      ? configured
      : { ...configured, ...flagCredentials(options, repo.url) };
  return { ...base, ...limits(options) };
}

/** `--repo URL NAME`: the chart in the index downloaded from `repoUrl`. */
async function resolveInRepoUrl(
  home: string,
  name: string,
  repoUrl: string,
  options: ResolveChartOptions,
): Promise<ResolvedChart> {
  const credentials = { ...flagCredentials(options, repoUrl), ...limits(options) };
  const indexUrl = repoIndexUrl(repoUrl);
  let index: IndexFile;
  try {
    const fetched = await fetchUrl(indexUrl, {
      ...credentials,
      maxBytes: MAX_INDEX_BYTES,
      what: `the index of ${repoUrl}`,
    });
    index = parseIndex(fetched.data.toString('utf8'), indexUrl, options.warn ? { warn: options.warn } : {});
  } catch (error) {
    throw prefixError(
      `looks like ${JSON.stringify(repoUrl)} is not a valid chart repository or cannot be reached`,
      error,
    );
  }
  const picked = pick(index, name, options);
  if ('miss' in picked) {
    const version = requestedVersion(options);
    const what = `chart ${JSON.stringify(name)}${version === undefined ? '' : ` version ${JSON.stringify(version)}`}`;
    throw new IoError(`${what} not found in ${repoUrl} repository`);
  }
  return download(home, entryDownload(picked.entry, repoUrl, credentials, name), options);
}

/** The entry of a configured repository whose index lists `url` (Helm's `scanReposForURL`). */
async function ownerOf(
  home: string,
  url: string,
): Promise<{ repo: RepoEntry; entry: ChartVersion } | undefined> {
  const wanted = normalUrl(url);
  const config = await loadRepoConfig(home);
  for (const repo of config.repositories) {
    let index: IndexFile;
    try {
      index = await loadCachedIndex(home, repo.name);
    } catch {
      continue; // A repository never updated cannot own the URL.
    }
    for (const versions of Object.values(index.entries)) {
      for (const entry of versions) {
        if (entry.urls.some((u) => normalUrl(resolveChartUrl(u, repo.url)) === wanted))
          return { repo, entry };
      }
    }
  }
  return undefined;
}

/** `Chart.yaml` of an archive, read without unpacking the rest. */
function archiveMetadata(data: Buffer, url: string): ChartMetadata {
  const chartYaml = readChartYamlFromArchive(data, url);
  return parseChartMetadata(chartYaml.data.toString('utf8'), url);
}

/** `url` as the URL parser writes it, so equal URLs compare equal. */
function normalUrl(url: string): string {
  return URL.canParse(url) ? new URL(url).href : url;
}

/** An absolute `http(s)://` or `file://` URL of an archive. */
async function resolveUrl(home: string, url: string, options: ResolveChartOptions): Promise<ResolvedChart> {
  getterFor(url); // Refuses other schemes before anything else.
  const owner = await ownerOf(home, url);
  if (owner !== undefined) {
    return download(
      home,
      entryDownload(owner.entry, owner.repo.url, repoCredentials(owner.repo, options), url),
      options,
    );
  }
  const fetched = await fetchUrl(url, {
    ...flagCredentials(options, url),
    ...limits(options),
    maxBytes: options.maxBytes ?? MAX_CHART_BYTES,
  });
  const metadata = archiveMetadata(fetched.data, url);
  return { data: fetched.data, digest: fetched.digest, name: metadata.name, version: metadata.version, url };
}

/**
 * Resolves a chart reference (`REPO/NAME`, a chart name with `repoUrl`, or an absolute
 * `http(s)://` / `file://` archive URL) to its archive, from the content cache when the index
 * digest is already there, else downloaded under the size cap and deadline and checked against
 * the index digest. Errors are Helm's: `repo x not found`, `no cached repo found. (try 'bosun
 * repo update')`, `chart "y" matching 1.2.3 not found in x index. (try 'bosun repo update')`.
 *
 * @param home - `$BOSUN_HOME` (repository config and caches).
 * @param ref - the reference as typed.
 */
export async function resolveChartReference(
  home: string,
  ref: string,
  options: ResolveChartOptions = {},
): Promise<ResolvedChart> {
  const trimmed = ref.trim();
  if (trimmed === '') throw new InvalidArgumentError('a chart reference is required');
  if (options.repoUrl !== undefined && options.repoUrl.trim() !== '') {
    return resolveInRepoUrl(home, trimmed, options.repoUrl.trim(), options);
  }
  const scheme = schemeOf(trimmed);
  if (scheme === 'oci') {
    throw new InvalidArgumentError(
      `${trimmed}: OCI registries are not supported; add a chart repository with 'bosun repo add'`,
    );
  }
  if (scheme !== '' && /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(trimmed))
    return resolveUrl(home, trimmed, options);
  if (scheme !== '') throw new InvalidArgumentError(`could not find protocol handler for: ${scheme}`);
  return resolveRepoRef(home, trimmed, options);
}

/**
 * `repo add NAME URL` (Helm's `pkg/cmd/repo_add.go`): checks the name and the URL's scheme,
 * downloads `<URL>/index.yaml` under the index cap and the deadline, checks that it parses as an
 * index, caches it, then records the repository in `repositories.yaml`. Nothing is written when
 * any step fails. The same name with the same settings is a no-op; other settings need
 * `--force-update`.
 */

import {
  ArchiveError,
  type BosunError,
  InvalidArgumentError,
  IoError,
  LimitError,
  TimeoutError,
} from '../../internal/errors.js';
import { storeRepoIndex } from '../../repo/cache.js';
import { findRepo, loadRepoConfig, updateRepoConfig } from '../../repo/config.js';
import { fetchUrl, getterFor, repoFetchOptions, repoIndexUrl } from '../../repo/getter.js';
import { parseIndex } from '../../repo/index-file.js';
import { DEFAULT_DEADLINE_MS, type IndexFile, MAX_INDEX_BYTES, type RepoEntry } from '../../repo/types.js';

/** Options of {@link repoAdd}. */
export interface RepoAddOptions {
  /** `$BOSUN_HOME`. */
  readonly home: string;
  readonly name: string;
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  /** `--pass-credentials`: send the credentials to every host. */
  readonly passCredentialsAll?: boolean;
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly insecureSkipTlsVerify?: boolean;
  /** `--force-update`: replace a repository of the same name. */
  readonly forceUpdate?: boolean;
  /** `--allow-deprecated-repos`. */
  readonly allowDeprecatedRepos?: boolean;
  /** `--timeout`: the whole index download. @default DEFAULT_DEADLINE_MS */
  readonly deadlineMs?: number;
  /** Largest index accepted. @default MAX_INDEX_BYTES */
  readonly maxIndexBytes?: number;
  /** Receives warnings (index entries skipped, a stale lock removed). */
  readonly warn?: (message: string) => void;
}

/** What `repo add` did. */
export interface RepoAddResult {
  readonly name: string;
  /** `added` (new or replaced) or `unchanged` (the same settings were already there). */
  readonly status: 'added' | 'unchanged';
  /** Chart names in the index (absent when unchanged). */
  readonly charts?: number;
}

/** Repositories that were shut down (`deprecatedRepos` in Helm's repo_add.go). */
const DEPRECATED_REPOS: Readonly<Record<string, string>> = {
  '//kubernetes-charts.storage.googleapis.com': 'https://charts.helm.sh/stable',
  '//kubernetes-charts-incubator.storage.googleapis.com': 'https://charts.helm.sh/incubator',
};

/**
 * Checks a repository name. Helm refuses only `/`; the name also becomes a cache file name
 * (`<name>-index.yaml`) and the `NAME` of `NAME/CHART`, so bosun keeps it to a safe alphabet.
 */
export function assertRepoName(name: string): void {
  if (name.includes('/')) {
    throw new InvalidArgumentError(
      `repository name (${name}) contains '/', please specify a different name without '/'`,
    );
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) || name.length > 100) {
    throw new InvalidArgumentError(
      `repository name (${name}) is invalid: use letters, digits, '.', '_' and '-' (at most 100), starting with a letter or digit`,
    );
  }
}

/** Whether two entries have the same settings (Helm compares the whole entry). */
function sameEntry(a: RepoEntry, b: RepoEntry): boolean {
  const keys = [
    'name',
    'url',
    'username',
    'password',
    'certFile',
    'keyFile',
    'caFile',
    'insecure_skip_tls_verify',
    'pass_credentials_all',
  ] as const;
  const norm = (v: unknown) => (v === undefined || v === '' || v === false ? undefined : v);
  return keys.every((k) => norm(a[k]) === norm(b[k]));
}

/** The entry `repo add` would record. */
function entryOf(options: RepoAddOptions): RepoEntry {
  return {
    name: options.name,
    url: options.url,
    ...(options.username ? { username: options.username } : {}),
    ...(options.username && options.password ? { password: options.password } : {}),
    ...(options.certFile ? { certFile: options.certFile } : {}),
    ...(options.keyFile ? { keyFile: options.keyFile } : {}),
    ...(options.caFile ? { caFile: options.caFile } : {}),
    ...(options.insecureSkipTlsVerify ? { insecure_skip_tls_verify: true } : {}),
    ...(options.passCredentialsAll ? { pass_credentials_all: true } : {}),
  };
}

/** The duplicate check: undefined to go on, `unchanged` for an identical entry; throws otherwise. */
function checkExisting(
  existing: RepoEntry | undefined,
  entry: RepoEntry,
  force: boolean,
): 'unchanged' | undefined {
  if (existing === undefined || force) return undefined;
  if (sameEntry(existing, entry)) return 'unchanged';
  throw new InvalidArgumentError(
    `repository name (${entry.name}) already exists, please specify a different name`,
  );
}

/**
 * Downloads `<url>/index.yaml` of a repository under the index cap and the deadline, and parses
 * it; errors name the URL. Nothing is written.
 */
export async function fetchRepoIndex(
  entry: RepoEntry,
  options: { deadlineMs?: number; maxIndexBytes?: number; warn?: (message: string) => void } = {},
): Promise<{ data: Buffer; index: IndexFile }> {
  const url = repoIndexUrl(entry.url);
  const fetched = await fetchUrl(url, {
    ...repoFetchOptions(entry),
    maxBytes: options.maxIndexBytes ?? MAX_INDEX_BYTES,
    deadlineMs: options.deadlineMs ?? DEFAULT_DEADLINE_MS,
    what: `index of "${entry.name}"`,
  });
  if (fetched.data.length === 0) throw new InvalidArgumentError(`${url}: empty index.yaml file`);
  const index = parseIndex(fetched.data.toString('utf8'), url, options.warn ? { warn: options.warn } : {});
  return { data: fetched.data, index };
}

/** An error of the same kind as `err` (timeout, limit…) with another message. */
function sameKind(err: unknown, message: string): BosunError {
  const options = { cause: err };
  if (err instanceof TimeoutError) return new TimeoutError(message, options);
  if (err instanceof LimitError) return new LimitError(message, options);
  if (err instanceof ArchiveError) return new ArchiveError(message, options);
  if (err instanceof InvalidArgumentError) return new InvalidArgumentError(message, options);
  return new IoError(message, options);
}

/** Charts of an index with at least one valid version. */
export function chartCount(index: IndexFile): number {
  return Object.values(index.entries).filter((versions) => versions.length > 0).length;
}

/** Adds (or with `forceUpdate` replaces) a chart repository. */
export async function repoAdd(options: RepoAddOptions): Promise<RepoAddResult> {
  const { home, name, url } = options;
  if (!options.allowDeprecatedRepos) {
    for (const [old, replacement] of Object.entries(DEPRECATED_REPOS)) {
      if (url.includes(old)) {
        throw new InvalidArgumentError(`repo "${url}" is no longer available; try "${replacement}" instead`);
      }
    }
  }
  assertRepoName(name);
  getterFor(url); // Scheme check: `could not find protocol handler for: ftp`.
  repoIndexUrl(url);
  if (options.username && !options.password) {
    throw new InvalidArgumentError(
      'a password is required with --username (use --password or --password-stdin)',
    );
  }
  const entry = entryOf(options);
  const force = options.forceUpdate === true;

  // Fail fast on a garbage config or a taken name, before any download.
  const before = await loadRepoConfig(home);
  if (checkExisting(findRepo(before, name), entry, force) === 'unchanged')
    return { name, status: 'unchanged' };

  let downloaded: { data: Buffer; index: IndexFile };
  try {
    downloaded = await fetchRepoIndex(entry, options);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw sameKind(
      err,
      `looks like "${url}" is not a valid chart repository or cannot be reached: ${detail}`,
    );
  }
  const { data, index } = downloaded;

  const outcome: { unchanged: boolean } = { unchanged: false };
  await updateRepoConfig(
    home,
    async (config) => {
      // Checked again under the lock: another process may have added the name meanwhile.
      if (checkExisting(findRepo(config, name), entry, force) === 'unchanged') {
        outcome.unchanged = true;
        return undefined;
      }
      await storeRepoIndex(home, name, data, index);
      const exists = config.repositories.some((r) => r.name === name);
      return {
        ...config,
        repositories: exists
          ? config.repositories.map((r) => (r.name === name ? entry : r))
          : [...config.repositories, entry],
      };
    },
    options.warn ? { warn: options.warn } : {},
  );
  return outcome.unchanged
    ? { name, status: 'unchanged' }
    : { name, status: 'added', charts: chartCount(index) };
}

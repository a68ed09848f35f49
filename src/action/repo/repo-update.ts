/**
 * `repo update [REPO...]` (Helm's `pkg/cmd/repo_update.go`): fetches the index of every named
 * (or every configured) repository in parallel and caches each one that parses. A repository
 * that fails keeps its previous cached index; the failures are reported per repository.
 */

import { InvalidArgumentError } from '../../internal/errors.js';
import { storeRepoIndex } from '../../repo/cache.js';
import { loadRepoConfig } from '../../repo/config.js';
import type { RepoEntry } from '../../repo/types.js';
import { chartCount, fetchRepoIndex } from './repo-add.js';

/** Options of {@link repoUpdate}. */
export interface RepoUpdateOptions {
  /** `$BOSUN_HOME`. */
  readonly home: string;
  /** Repositories to update; none: all of them. */
  readonly names?: readonly string[];
  /** `--timeout`: each index download. */
  readonly deadlineMs?: number;
  /** Largest index accepted. */
  readonly maxIndexBytes?: number;
  /** Receives warnings (index entries skipped). */
  readonly warn?: (message: string) => void;
}

/** The outcome for one repository. */
export interface RepoUpdateResult {
  readonly name: string;
  readonly url: string;
  /** Set when the update failed (the previous cached index is kept). */
  readonly error?: string;
  /** Chart names in the new index, on success. */
  readonly charts?: number;
}

/** Helm's error when there is nothing to update. */
export const NO_REPOSITORIES = 'no repositories found. You must add one before updating';

/** Updates the cached indexes; resolves to one result per repository, in config order. */
export async function repoUpdate(options: RepoUpdateOptions): Promise<RepoUpdateResult[]> {
  const config = await loadRepoConfig(options.home);
  if (config.repositories.length === 0) throw new InvalidArgumentError(NO_REPOSITORIES);
  const names = options.names ?? [];
  for (const name of names) {
    if (!config.repositories.some((r) => r.name === name)) {
      throw new InvalidArgumentError(`no repositories found matching '${name}'.  Nothing will be updated`);
    }
  }
  const selected = config.repositories.filter((r) => names.length === 0 || names.includes(r.name));
  return Promise.all(selected.map((entry) => updateOne(entry, options)));
}

async function updateOne(entry: RepoEntry, options: RepoUpdateOptions): Promise<RepoUpdateResult> {
  try {
    const { data, index } = await fetchRepoIndex(entry, {
      ...(options.deadlineMs !== undefined ? { deadlineMs: options.deadlineMs } : {}),
      ...(options.maxIndexBytes !== undefined ? { maxIndexBytes: options.maxIndexBytes } : {}),
      ...(options.warn ? { warn: (m: string) => options.warn?.(m) } : {}),
    });
    await storeRepoIndex(options.home, entry.name, data, index);
    return { name: entry.name, url: entry.url, charts: chartCount(index) };
  } catch (err) {
    return { name: entry.name, url: entry.url, error: err instanceof Error ? err.message : String(err) };
  }
}

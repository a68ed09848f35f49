/**
 * `repo remove REPO...` (Helm's `pkg/cmd/repo_remove.go`): drops repositories from
 * `repositories.yaml` and deletes their cached index and chart list. Every name is checked
 * first, so an unknown name changes nothing (Helm removes the names before it).
 */

import { InvalidArgumentError } from '../../internal/errors.js';
import { removeRepoCache } from '../../repo/cache.js';
import { updateRepoConfig } from '../../repo/config.js';

/** Options of {@link repoRemove}. */
export interface RepoRemoveOptions {
  /** `$BOSUN_HOME`. */
  readonly home: string;
  readonly names: readonly string[];
  /** Receives a line when a stale lock is taken over. */
  readonly warn?: (message: string) => void;
}

/** Removes the repositories; resolves to the names removed, in the order given. */
export async function repoRemove(options: RepoRemoveOptions): Promise<string[]> {
  const names = [...new Set(options.names)];
  if (names.length === 0) throw new InvalidArgumentError('requires at least 1 argument');
  await updateRepoConfig(
    options.home,
    (config) => {
      if (config.repositories.length === 0) throw new InvalidArgumentError('no repositories configured');
      for (const name of names) {
        if (!config.repositories.some((r) => r.name === name)) {
          throw new InvalidArgumentError(`no repo named "${name}" found`);
        }
      }
      return { ...config, repositories: config.repositories.filter((r) => !names.includes(r.name)) };
    },
    options.warn ? { warn: options.warn } : {},
  );
  for (const name of names) {
    try {
      await removeRepoCache(options.home, name);
    } catch (err) {
      // A name that cannot be a cache file name (hand-edited config) has no cache to remove.
      if (!(err instanceof InvalidArgumentError)) throw err;
    }
  }
  return names;
}

/**
 * `search repo [KEYWORD...]` (Helm's `pkg/cmd/search_repo.go`): searches the cached index of every
 * configured repository. A repository whose cache is missing or unreadable is skipped with a
 * warning, as Helm does; the bundled `stable` repository needs no cache.
 */

import { InvalidArgumentError } from '../../internal/errors.js';
import { loadCachedIndex } from '../../repo/cache.js';
import { loadRepoConfig } from '../../repo/config.js';
import { type SearchSource, searchCharts } from '../../repo/search.js';

/** Options of {@link searchRepos}. */
export interface SearchReposOptions {
  /** `$BOSUN_HOME`. */
  readonly home: string;
  /** The keywords, joined with spaces into one (as Helm does); none: every chart. */
  readonly keywords?: readonly string[];
  /** `-r/--regexp`. */
  readonly regexp?: boolean;
  /** `-l/--versions`: every version satisfying the constraint. */
  readonly versions?: boolean;
  /** `--version`: a version constraint. */
  readonly version?: string;
  /** `--devel`: include pre-releases (ignored with `version`). */
  readonly devel?: boolean;
  /** Receives the repositories skipped and the index entries skipped. */
  readonly warn?: (message: string) => void;
}

/** One row of `search repo`, with the keys of its json/yaml output. */
export interface SearchRepoRow {
  /** `repo/chart`. */
  readonly name: string;
  readonly version: string;
  readonly app_version: string;
  readonly description: string;
}

/**
 * The charts of the configured repositories matching the keywords, in Helm's order.
 *
 * @throws InvalidArgumentError when no repository is configured, or for a bad regular
 *   expression or version constraint.
 */
export async function searchRepos(options: SearchReposOptions): Promise<SearchRepoRow[]> {
  const warn = options.warn ?? (() => {});
  const config = await loadRepoConfig(options.home);
  if (config.repositories.length === 0) throw new InvalidArgumentError('no repositories configured');
  const sources: SearchSource[] = [];
  for (const repo of config.repositories) {
    try {
      sources.push({ name: repo.name, index: await loadCachedIndex(options.home, repo.name, { warn }) });
    } catch (error) {
      warn(`repo "${repo.name}" is corrupt or missing: ${(error as Error).message}`);
    }
  }
  const results = searchCharts(sources, {
    keyword: (options.keywords ?? []).join(' '),
    ...(options.regexp ? { regexp: true } : {}),
    ...(options.versions ? { versions: true } : {}),
    ...(options.version !== undefined ? { version: options.version } : {}),
    ...(options.devel ? { devel: true } : {}),
  });
  return results.map((r) => ({
    name: r.name,
    version: r.chart.version,
    app_version: r.chart.appVersion ?? '',
    description: r.chart.description ?? '',
  }));
}

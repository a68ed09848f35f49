/**
 * `repo list` (Helm's `pkg/cmd/repo_list.go`): the configured repositories, in config order.
 */

import { loadRepoConfig } from '../../repo/config.js';

/** One row of `repo list` (the keys of its json/yaml output). */
export interface RepoListItem {
  readonly name: string;
  readonly url: string;
}

/**
 * The configured repositories. Unlike Helm, which shows nothing when `repositories.yaml` does
 * not parse, a broken file is an error naming it.
 */
export async function repoList(options: { readonly home: string }): Promise<RepoListItem[]> {
  const config = await loadRepoConfig(options.home);
  return config.repositories.map((r) => ({ name: r.name, url: r.url }));
}

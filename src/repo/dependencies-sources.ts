/**
 * Where each Chart.yaml dependency comes from (the `charts/` directory, a `file://` chart
 * directory, or a repository by alias or URL), and the context every later step of a dependency
 * run shares.
 */

import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Dependency } from '../chart/chart.js';
import { InvalidArgumentError, IoError } from '../internal/errors.js';
import { getterFor, schemeOf } from './getter.js';
import type { RepoConfig, RepoEntry } from './types.js';

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

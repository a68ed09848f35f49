/**
 * Getters by URL scheme (Helm's `pkg/getter`): `http` and `https` (axios, with a total deadline,
 * a byte cap and bounded redirects) and `file` (plus plain absolute paths). Every other scheme
 * (`data:`, `ftp:`, `javascript:`…) is refused before anything is fetched, in Helm's words:
 * `could not find protocol handler for: ftp`.
 */

import { InvalidArgumentError } from '../internal/errors.js';
import type { FetchOptions } from './getter-body.js';
import { FileGetter } from './getter-file.js';
import { HttpGetter } from './getter-http.js';
import type { Fetched, Getter, RepoEntry } from './types.js';

export { checkDigest, type FetchOptions, normalizeDigest, sha256Hex } from './getter-body.js';

const httpGetter = new HttpGetter();
const fileGetter = new FileGetter();

/** The URL's scheme in lower case (`''` when it has none). */
export function schemeOf(url: string): string {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url);
  return m ? m[1]!.toLowerCase() : '';
}

/**
 * The getter for `url`'s scheme. An absolute path (no scheme) is a local file. Throws
 * `InvalidArgumentError` (`could not find protocol handler for: data`) for any other scheme.
 */
export function getterFor(url: string): Getter {
  const scheme = schemeOf(url);
  if (scheme === 'http' || scheme === 'https') return httpGetter;
  if (scheme === 'file' || (scheme === '' && url.startsWith('/'))) return fileGetter;
  throw new InvalidArgumentError(`could not find protocol handler for: ${scheme}`);
}

/**
 * Fetches `url` with the limits of `options` (default: the chart cap `MAX_CHART_BYTES` and
 * `DEFAULT_DEADLINE_MS` for the whole download), hashing it as it streams; with
 * `expectedDigest`, a body with another sha256 is refused.
 */
export async function fetchUrl(url: string, options: FetchOptions = {}): Promise<Fetched> {
  return getterFor(url).get(url, options);
}

/**
 * The download options for a configured repository: its credentials (sent only to its own host
 * unless `pass_credentials_all`) and TLS settings.
 */
export function repoFetchOptions(entry: RepoEntry): FetchOptions {
  return {
    repoUrl: entry.url,
    ...(entry.username ? { username: entry.username } : {}),
    ...(entry.password ? { password: entry.password } : {}),
    ...(entry.pass_credentials_all ? { passCredentialsAll: true } : {}),
    ...(entry.caFile ? { caFile: entry.caFile } : {}),
    ...(entry.certFile ? { certFile: entry.certFile } : {}),
    ...(entry.keyFile ? { keyFile: entry.keyFile } : {}),
    ...(entry.insecure_skip_tls_verify ? { insecureSkipTlsVerify: true } : {}),
  };
}

/**
 * The URL of a repository's `index.yaml` (Helm's `ResolveReferenceURL(repoURL, "index.yaml")`):
 * resolved against the repository URL with a trailing slash, keeping its query string.
 */
export function repoIndexUrl(repoUrl: string): string {
  let base: URL;
  try {
    base = new URL(repoUrl);
  } catch {
    throw new InvalidArgumentError(`invalid chart URL format: ${repoUrl}`);
  }
  const query = base.search;
  base.search = '';
  if (!base.pathname.endsWith('/')) base.pathname = `${base.pathname}/`;
  const resolved = new URL('index.yaml', base);
  resolved.search = query;
  return resolved.href;
}

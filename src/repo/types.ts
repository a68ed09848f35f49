/**
 * Chart repositories, as Helm has them (`pkg/repo/v1`): the `index.yaml` model, the repository
 * config `repositories.yaml`, and the getters that fetch indexes and archives with limits. The
 * contracts every part of `src/repo/` and the repository actions code against.
 */

import type { ChartMetadata } from '../chart/chart.js';

/** One chart version of an index: its Chart.yaml fields plus where to get it. */
export interface ChartVersion extends ChartMetadata {
  /** Absolute URLs, or names relative to the index's URL. */
  readonly urls: readonly string[];
  /** RFC 3339 time the entry was made. */
  readonly created?: string;
  /** sha256 (hex) of the archive. */
  readonly digest?: string;
  readonly removed?: boolean;
}

/** An `index.yaml` (apiVersion v1): entries by chart name, each newest version first. */
export interface IndexFile {
  readonly apiVersion: string;
  readonly generated: string;
  readonly entries: Readonly<Record<string, readonly ChartVersion[]>>;
  readonly serverInfo?: Readonly<Record<string, unknown>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** A configured repository (`repositories.yaml` `repositories[]`), with Helm's field names. */
export interface RepoEntry {
  readonly name: string;
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly caFile?: string;
  readonly insecure_skip_tls_verify?: boolean;
  readonly pass_credentials_all?: boolean;
}

/** `$BOSUN_HOME/repositories.yaml`. */
export interface RepoConfig {
  readonly apiVersion: string;
  readonly generated: string;
  readonly repositories: readonly RepoEntry[];
}

/** Limits and expectations of one download. */
export interface GetOptions {
  /** Refuse bodies larger than this. @default MAX_CHART_BYTES */
  readonly maxBytes?: number;
  /** The whole download must finish within this (not an idle timeout). @default DEFAULT_DEADLINE_MS */
  readonly deadlineMs?: number;
  /** sha256 (hex) the body must have; a mismatch is refused. */
  readonly expectedDigest?: string;
  readonly username?: string;
  readonly password?: string;
  /** What the download is, for errors (`index of "local"`, `dockercoins-0.1.0.tgz`). */
  readonly what?: string;
}

/** A completed download: the body and its sha256, computed while it streamed. */
export interface Fetched {
  readonly data: Buffer;
  /** sha256 (hex) of `data`. */
  readonly digest: string;
}

/** Fetches a URL of one scheme (Helm's `getter.Getter`). */
export interface Getter {
  get(url: string, options?: GetOptions): Promise<Fetched>;
}

/** Largest index accepted. */
export const MAX_INDEX_BYTES = 50 * 1024 * 1024;
/** Largest chart archive accepted. */
export const MAX_CHART_BYTES = 100 * 1024 * 1024;
/** Total time a download may take (Helm's `repo add --timeout` default is 2m). */
export const DEFAULT_DEADLINE_MS = 120_000;
/** Redirects followed at most. */
export const MAX_REDIRECTS = 5;

/**
 * The `Storage` facade over a driver (`pkg/storage/storage.go`): the queries the actions ask —
 * a revision, a release's history, its deployed and last revisions — and history pruning.
 */

import type { Release } from '../release/release.js';
import type { Driver } from './driver.js';

/** Release storage as the actions see it. */
export interface Storage {
  readonly driver: Driver;
  /** Revision `version` of `name`; `ReleaseNotFoundError` when absent. */
  get(name: string, version: number): Promise<Release>;
  /** Stores a new revision (`release: already exists` when taken). */
  create(release: Release): Promise<void>;
  /** Rewrites a stored revision (status, description, hooks' last runs). */
  update(release: Release): Promise<void>;
  /** Removes one revision. */
  delete(name: string, version: number): Promise<Release>;
  /** Every revision of `name`, oldest first; empty when there is none. */
  history(name: string): Promise<Release[]>;
  /** The newest revision of `name`; `ReleaseNotFoundError` (`release: not found`) when none. */
  last(name: string): Promise<Release>;
  /** The newest `deployed` revision; `ReleaseNotFoundError` (`"x" has no deployed releases`). */
  deployed(name: string): Promise<Release>;
  /** Every revision the filter keeps (for `list`). */
  list(filter?: (release: Release) => boolean): Promise<Release[]>;
  /**
   * Deletes the oldest revisions of `name` so at most `max` remain, never the newest `deployed`
   * one (Helm's `removeLeastRecent`); `max` 0 keeps everything.
   */
  prune(name: string, max: number): Promise<void>;
}

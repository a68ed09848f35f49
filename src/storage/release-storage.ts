/**
 * The `Storage` facade over a driver (`pkg/storage/storage.go`): keys made from name and
 * revision, history oldest first, the newest and the newest deployed revision, and history
 * pruning as Helm's `removeLeastRecent` does it.
 */

import { ReleaseFailedError, ReleaseNotFoundError } from '../internal/errors.js';
import { type Release, releaseKey } from '../release/release.js';
import type { Driver, ReleaseQuery } from './driver.js';
import type { Storage } from './storage.js';

const byVersion = (a: Release, b: Release) => a.version - b.version;

/** A driver query that answers "none" with an empty list instead of `release: not found`. */
async function queryOrEmpty(driver: Driver, query: ReleaseQuery): Promise<Release[]> {
  try {
    return await driver.query(query);
  } catch (err) {
    if (err instanceof ReleaseNotFoundError) return [];
    throw err;
  }
}

/** Release storage over `driver`. */
export function createStorage(driver: Driver): Storage {
  const storage: Storage = {
    driver,
    get: (name, version) => driver.get(releaseKey(name, version)),
    create: (release) => driver.create(releaseKey(release.name, release.version), release),
    update: (release) => driver.update(releaseKey(release.name, release.version), release),
    delete: (name, version) => driver.delete(releaseKey(name, version)),

    async history(name) {
      return (await queryOrEmpty(driver, { name })).sort(byVersion);
    },

    async last(name) {
      const history = await storage.history(name);
      if (history.length === 0) throw new ReleaseNotFoundError();
      return history[history.length - 1]!;
    },

    /** Several `deployed` revisions are a known corruption; the highest wins, as in Helm. */
    async deployed(name) {
      const deployed = await queryOrEmpty(driver, { name, status: 'deployed' });
      if (deployed.length === 0)
        throw new ReleaseNotFoundError(`${JSON.stringify(name)} has no deployed releases`);
      return deployed.sort(byVersion)[deployed.length - 1]!;
    },

    list: (filter = () => true) => driver.list(filter),

    async prune(name, max) {
      if (max <= 0) return;
      const history = await storage.history(name);
      if (history.length <= max) return;
      const deployed = history.filter((r) => r.info.status === 'deployed').at(-1);
      // Oldest first, skipping the deployed revision, until `max` would remain; like Helm, a
      // newer non-deployed revision goes too when the deployed one is among the oldest.
      const doomed: Release[] = [];
      for (const release of history) {
        if (history.length - doomed.length === max) break;
        if (release.version !== deployed?.version) doomed.push(release);
      }
      const errors: unknown[] = [];
      for (const release of doomed) {
        try {
          await driver.delete(releaseKey(name, release.version));
        } catch (err) {
          if (!(err instanceof ReleaseNotFoundError)) errors.push(err);
        }
      }
      if (errors.length === 1) throw errors[0];
      if (errors.length > 1) {
        const first = errors[0] instanceof Error ? errors[0].message : String(errors[0]);
        throw new ReleaseFailedError(`encountered ${errors.length} deletion errors. First is: ${first}`, {
          cause: errors[0],
        });
      }
    },
  };
  return storage;
}

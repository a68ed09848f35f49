/**
 * The one contract every release storage driver meets (and the `Storage` facade over it), run
 * against each driver by its own test file.
 */

import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ReleaseExistsError, ReleaseNotFoundError } from '../../src/internal/errors.js';
import { type Release, type ReleaseStatus, releaseKey } from '../../src/release/release.js';
import { createStorage, type Driver } from '../../src/storage/index.js';

/** Opens a fresh store and gives drivers over it; `''` sees every namespace. */
export type DriverFactory = () => Promise<(namespace: string) => Driver>;

/** A small release revision. */
export function makeRelease(
  name: string,
  version: number,
  status: ReleaseStatus = 'deployed',
  extra: Partial<Release> = {},
): Release {
  return {
    name,
    info: {
      first_deployed: '2025-03-01T12:00:00Z',
      last_deployed: '2025-03-01T12:00:00Z',
      description: 'Install complete',
      status,
    },
    chart: {
      metadata: { apiVersion: 'v2', name: 'mychart', version: '0.1.0', appVersion: '1.0' },
      lock: null,
      templates: [{ name: 'templates/cm.yaml', data: Buffer.from('kind: ConfigMap\n').toString('base64') }],
      values: { replicas: 1 },
      schema: null,
      files: [],
    },
    config: { image: { tag: 'v2' } },
    manifest: `---\n# Source: mychart/templates/cm.yaml\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`,
    version,
    namespace: 'default',
    ...extra,
  };
}

const versions = (rs: readonly Release[]) => rs.map((r) => r.version);
const keyOf = (r: Release) => releaseKey(r.name, r.version);

/** Registers the contract tests for one driver. */
export function driverContract(label: string, open: DriverFactory): void {
  describe(`${label} driver contract`, () => {
    it('creates and gets a revision back unchanged, deep-copied both ways', async () => {
      const driver = (await open())('default');
      const rel = makeRelease('web', 1, 'deployed', { labels: { team: 'blue' } });
      await driver.create(keyOf(rel), rel);
      rel.info.status = 'failed';
      const got = await driver.get('sh.helm.release.v1.web.v1');
      expect(got).toEqual(makeRelease('web', 1, 'deployed', { labels: { team: 'blue' } }));
      got.info.status = 'superseded';
      expect((await driver.get('sh.helm.release.v1.web.v1')).info.status).toBe('deployed');
    });

    it('a release without user labels comes back without labels', async () => {
      const driver = (await open())('default');
      await driver.create('sh.helm.release.v1.web.v1', makeRelease('web', 1));
      expect((await driver.get('sh.helm.release.v1.web.v1')).labels).toBeUndefined();
    });

    it('refuses a second create of a key: release: already exists', async () => {
      const driver = (await open())('default');
      await driver.create('sh.helm.release.v1.web.v1', makeRelease('web', 1));
      const again = driver.create('sh.helm.release.v1.web.v1', makeRelease('web', 1, 'failed'));
      await expect(again).rejects.toBeInstanceOf(ReleaseExistsError);
      await expect(again).rejects.toThrow('release: already exists');
      expect((await driver.get('sh.helm.release.v1.web.v1')).info.status).toBe('deployed');
    });

    it('get, update and delete of a missing key: release: not found', async () => {
      const driver = (await open())('default');
      await expect(driver.get('sh.helm.release.v1.web.v1')).rejects.toBeInstanceOf(ReleaseNotFoundError);
      await expect(driver.get('sh.helm.release.v1.web.v1')).rejects.toThrow('release: not found');
      await expect(driver.update('sh.helm.release.v1.web.v1', makeRelease('web', 1))).rejects.toBeInstanceOf(
        ReleaseNotFoundError,
      );
      await expect(driver.delete('sh.helm.release.v1.web.v1')).rejects.toBeInstanceOf(ReleaseNotFoundError);
      await expect(driver.query({ name: 'web' })).rejects.toBeInstanceOf(ReleaseNotFoundError);
    });

    it('updates status, description and labels in place', async () => {
      const driver = (await open())('default');
      await driver.create('sh.helm.release.v1.web.v1', makeRelease('web', 1, 'pending-install'));
      const done = makeRelease('web', 1, 'deployed', { labels: { tier: 'front' } });
      done.info.description = 'Install complete';
      await driver.update('sh.helm.release.v1.web.v1', done);
      expect(await driver.get('sh.helm.release.v1.web.v1')).toEqual(done);
      expect(versions(await driver.query({ name: 'web', status: 'deployed' }))).toEqual([1]);
      await expect(driver.query({ name: 'web', status: 'pending-install' })).rejects.toBeInstanceOf(
        ReleaseNotFoundError,
      );
    });

    it('deletes a revision and returns it', async () => {
      const driver = (await open())('default');
      await driver.create('sh.helm.release.v1.web.v1', makeRelease('web', 1));
      await driver.create('sh.helm.release.v1.web.v2', makeRelease('web', 2));
      expect(await driver.delete('sh.helm.release.v1.web.v1')).toEqual(makeRelease('web', 1));
      await expect(driver.get('sh.helm.release.v1.web.v1')).rejects.toBeInstanceOf(ReleaseNotFoundError);
      expect(versions(await driver.query({ name: 'web' }))).toEqual([2]);
    });

    it('queries by name, status and user labels', async () => {
      const driver = (await open())('default');
      await driver.create('sh.helm.release.v1.web.v1', makeRelease('web', 1, 'superseded'));
      await driver.create(
        'sh.helm.release.v1.web.v2',
        makeRelease('web', 2, 'deployed', { labels: { team: 'a' } }),
      );
      await driver.create(
        'sh.helm.release.v1.web.v3',
        makeRelease('web', 3, 'failed', { labels: { team: 'b' } }),
      );
      await driver.create(
        'sh.helm.release.v1.db.v1',
        makeRelease('db', 1, 'deployed', { labels: { team: 'a' } }),
      );
      expect(versions(await driver.query({ name: 'web' })).sort()).toEqual([1, 2, 3]);
      expect(versions(await driver.query({ name: 'web', status: 'failed' }))).toEqual([3]);
      const teamA = await driver.query({ labels: { team: 'a' } });
      expect(teamA.map((r) => r.name).sort()).toEqual(['db', 'web']);
      expect(versions(await driver.query({ name: 'web', labels: { team: 'b' } }))).toEqual([3]);
      await expect(driver.query({ name: 'nope' })).rejects.toBeInstanceOf(ReleaseNotFoundError);
    });

    it('lists with a filter, in one namespace or (namespace "") across all of them', async () => {
      const drivers = await open();
      const def = drivers('default');
      const other = drivers('other');
      await def.create('sh.helm.release.v1.web.v1', makeRelease('web', 1));
      await def.create('sh.helm.release.v1.web.v2', makeRelease('web', 2, 'failed'));
      await other.create(
        'sh.helm.release.v1.api.v1',
        makeRelease('api', 1, 'deployed', { namespace: 'other' }),
      );
      expect((await def.list(() => true)).map(keyOf).sort()).toEqual([
        'sh.helm.release.v1.web.v1',
        'sh.helm.release.v1.web.v2',
      ]);
      expect((await other.list(() => true)).map(keyOf)).toEqual(['sh.helm.release.v1.api.v1']);
      const all = drivers('');
      expect((await all.list(() => true)).map((r) => `${r.namespace}/${keyOf(r)}`).sort()).toEqual([
        'default/sh.helm.release.v1.web.v1',
        'default/sh.helm.release.v1.web.v2',
        'other/sh.helm.release.v1.api.v1',
      ]);
      expect(versions(await all.list((r) => r.info.status === 'failed'))).toEqual([2]);
      expect((await all.query({ status: 'deployed' })).map((r) => r.name).sort()).toEqual(['api', 'web']);
      expect((await all.get('sh.helm.release.v1.api.v1')).namespace).toBe('other');
      expect((await all.delete('sh.helm.release.v1.api.v1')).name).toBe('api');
      await expect(other.get('sh.helm.release.v1.api.v1')).rejects.toBeInstanceOf(ReleaseNotFoundError);
    });

    it('an all-namespaces driver writes to the release namespace', async () => {
      const drivers = await open();
      await drivers('').create(
        'sh.helm.release.v1.api.v1',
        makeRelease('api', 1, 'deployed', { namespace: 'other' }),
      );
      expect((await drivers('other').get('sh.helm.release.v1.api.v1')).name).toBe('api');
      await expect(drivers('default').get('sh.helm.release.v1.api.v1')).rejects.toBeInstanceOf(
        ReleaseNotFoundError,
      );
    });

    it('refuses user labels that use a system label name, and stores nothing', async () => {
      const driver = (await open())('default');
      const rel = makeRelease('web', 1, 'deployed', { labels: { owner: 'me' } });
      const create = driver.create('sh.helm.release.v1.web.v1', rel);
      await expect(create).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(create).rejects.toThrow(
        'user supplied labels contains system reserved label name. System labels: [name owner status version createdAt modifiedAt]',
      );
      await expect(driver.get('sh.helm.release.v1.web.v1')).rejects.toBeInstanceOf(ReleaseNotFoundError);
    });

    describe('Storage facade', () => {
      it('history is oldest first; last is the newest; empty history is []', async () => {
        const storage = createStorage((await open())('default'));
        expect(await storage.history('web')).toEqual([]);
        await expect(storage.last('web')).rejects.toThrow('release: not found');
        for (const v of [2, 10, 1])
          await storage.create(makeRelease('web', v, v === 10 ? 'failed' : 'superseded'));
        expect(versions(await storage.history('web'))).toEqual([1, 2, 10]);
        expect((await storage.last('web')).version).toBe(10);
        expect((await storage.get('web', 2)).version).toBe(2);
      });

      it('deployed is the newest deployed revision; none: "NAME" has no deployed releases', async () => {
        const storage = createStorage((await open())('default'));
        await storage.create(makeRelease('web', 1, 'failed'));
        const none = storage.deployed('web');
        await expect(none).rejects.toBeInstanceOf(ReleaseNotFoundError);
        await expect(none).rejects.toThrow('"web" has no deployed releases');
        // Two deployed revisions is a known corruption: the highest wins.
        await storage.create(makeRelease('web', 2, 'deployed'));
        await storage.create(makeRelease('web', 3, 'deployed'));
        await storage.create(makeRelease('web', 4, 'pending-upgrade'));
        expect((await storage.deployed('web')).version).toBe(3);
      });

      it('update and delete by name and revision; list filters', async () => {
        const storage = createStorage((await open())('default'));
        await storage.create(makeRelease('web', 1, 'pending-install'));
        await storage.update(makeRelease('web', 1, 'deployed'));
        expect((await storage.get('web', 1)).info.status).toBe('deployed');
        await storage.create(makeRelease('db', 1, 'failed'));
        expect((await storage.list((r) => r.info.status === 'failed')).map((r) => r.name)).toEqual(['db']);
        expect((await storage.list()).length).toBe(2);
        expect((await storage.delete('db', 1)).name).toBe('db');
        expect((await storage.list()).map((r) => r.name)).toEqual(['web']);
      });

      it('prune deletes the oldest revisions but keeps the deployed one (removeLeastRecent)', async () => {
        const storage = createStorage((await open())('default'));
        const statuses: ReleaseStatus[] = ['superseded', 'deployed', 'superseded', 'failed', 'failed'];
        for (const [i, s] of statuses.entries()) await storage.create(makeRelease('web', i + 1, s));
        await storage.create(makeRelease('db', 1));
        await storage.prune('web', 3);
        expect(versions(await storage.history('web'))).toEqual([2, 4, 5]);
        await storage.prune('web', 1);
        expect(versions(await storage.history('web'))).toEqual([2]);
        expect(versions(await storage.history('db'))).toEqual([1]);
      });

      it('prune with nothing deployed deletes the oldest; max 0 keeps everything', async () => {
        const storage = createStorage((await open())('default'));
        for (const v of [1, 2, 3, 4]) await storage.create(makeRelease('web', v, 'failed'));
        await storage.prune('web', 0);
        expect(versions(await storage.history('web'))).toEqual([1, 2, 3, 4]);
        await storage.prune('web', 2);
        expect(versions(await storage.history('web'))).toEqual([3, 4]);
        await storage.prune('web', 5);
        expect(versions(await storage.history('web'))).toEqual([3, 4]);
      });
    });
  });
}

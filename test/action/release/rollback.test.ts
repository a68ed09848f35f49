import { afterEach, describe, expect, it, vi } from 'vitest';
import { InstallAction } from '../../../src/action/release/install.js';
import { acquireReleaseLock } from '../../../src/action/release/lock.js';
import { RollbackAction } from '../../../src/action/release/rollback.js';
import { UpgradeAction } from '../../../src/action/release/upgrade.js';
import { ReleaseInProgressError, ReleaseNotFoundError } from '../../../src/internal/errors.js';
import {
  chartOf,
  configMap,
  deployment,
  hookPod,
  live,
  present,
  secretLabels,
  statuses,
  useReleaseContext,
} from './write-fixtures.js';

const newContext = useReleaseContext();

afterEach(() => {
  vi.restoreAllMocks();
});

const cmChart = (value: string, extra: Record<string, string> = {}) =>
  chartOf('demo', {
    'values.yaml': `value: ${value}\n`,
    'templates/cm.yaml': configMap('demo-cm'),
    ...extra,
  });

const cmValue = async (ctx: { client: Parameters<typeof live>[0] }, name = 'demo-cm') =>
  ((await live(ctx.client, 'configmaps', name))?.data as Record<string, string> | undefined)?.value;

describe('rollback (§4.7)', () => {
  it('no revision: a new revision copying the previous one (values, manifest, labels), every other superseded', async () => {
    const ctx = newContext();
    await new InstallAction(ctx, { labels: { team: 'blue' } }).runWithChart('demo', await cmChart('a'));
    await new UpgradeAction(ctx, { values: { set: ['value=b'] } }).runWithChart('demo', await cmChart('a'));
    await new UpgradeAction(ctx, { values: { set: ['value=c'] }, labels: { team: null } }).runWithChart(
      'demo',
      await cmChart('a'),
    );
    const release = await new RollbackAction(ctx).run('demo');
    expect(release.version).toBe(4);
    expect(release.info).toMatchObject({ status: 'deployed', description: 'Rollback to 2' });
    const two = await ctx.storage.get('demo', 2);
    expect(release.config).toEqual({ value: 'b' });
    expect(release.manifest).toBe(two.manifest);
    expect(await cmValue(ctx)).toBe('b');
    expect(await statuses(ctx, 'demo')).toEqual([
      [1, 'superseded'],
      [2, 'superseded'],
      [3, 'superseded'],
      [4, 'deployed'],
    ]);
    expect((await secretLabels(ctx.client, 'demo', 4)).team).toBe('blue');
    // Revision 0 means the same.
    expect((await new RollbackAction(ctx).run('demo', 0)).info.description).toBe('Rollback to 3');
    expect(await cmValue(ctx)).toBe('c');
  });

  it('re-creates what the newer revision dropped and deletes what it added', async () => {
    const ctx = newContext();
    await new InstallAction(ctx).runWithChart(
      'demo',
      await cmChart('a', { 'templates/old.yaml': configMap('old-cm') }),
    );
    await new UpgradeAction(ctx).runWithChart(
      'demo',
      await cmChart('a', { 'templates/new.yaml': configMap('new-cm') }),
    );
    expect(await present(ctx.client, 'configmaps', 'old-cm')).toBe(false);
    await new RollbackAction(ctx).run('demo', 1);
    expect(await present(ctx.client, 'configmaps', 'old-cm')).toBe(true);
    expect(await present(ctx.client, 'configmaps', 'new-cm')).toBe(false);
  });

  it('to a failed revision: applied like any other', async () => {
    const ctx = newContext();
    await new InstallAction(ctx).runWithChart('demo', await cmChart('a'));
    const failing = await cmChart('b', { 'templates/check.yaml': hookPod('check', 'pre-upgrade', 'exit 1') });
    await expect(new UpgradeAction(ctx).runWithChart('demo', failing)).rejects.toThrow(
      /pre-upgrade hooks failed/,
    );
    expect(await cmValue(ctx)).toBe('a');
    const release = await new RollbackAction(ctx).run('demo', 2);
    expect(release.info.status).toBe('deployed');
    expect(await cmValue(ctx)).toBe('b');
    expect(await statuses(ctx, 'demo')).toEqual([
      [1, 'superseded'],
      [2, 'failed'],
      [3, 'deployed'],
    ]);
  });

  it('while the last revision is pending-upgrade (a dead operation): allowed, the pending one marked failed (G12)', async () => {
    const ctx = newContext();
    await new InstallAction(ctx).runWithChart('demo', await cmChart('a'));
    const one = await ctx.storage.get('demo', 1);
    await ctx.storage.create({
      ...structuredClone(one),
      version: 2,
      config: { value: 'half-done' },
      info: { ...one.info, status: 'pending-upgrade', description: 'Preparing upgrade' },
    });
    const release = await new RollbackAction(ctx).run('demo');
    expect(release.version).toBe(3);
    expect(release.info.description).toBe('Rollback to 1');
    expect(await statuses(ctx, 'demo')).toEqual([
      [1, 'superseded'],
      [2, 'failed'],
      [3, 'deployed'],
    ]);
    expect(ctx.notices).toContain('revision 2 of "demo" was left pending-upgrade: marked failed');
  });

  it('a revision that does not exist: "release has no N version", nothing stored', async () => {
    const ctx = newContext();
    await new InstallAction(ctx).runWithChart('demo', await cmChart('a'));
    await expect(new RollbackAction(ctx).run('demo', 9)).rejects.toThrow(
      new ReleaseNotFoundError('release has no 9 version'),
    );
    // The revision before the only one is 0.
    await expect(new RollbackAction(ctx).run('demo')).rejects.toThrow('release has no 0 version');
    await expect(new RollbackAction(ctx, { dryRun: true }).run('demo', 9)).rejects.toThrow(
      'release has no 9 version',
    );
    expect(await statuses(ctx, 'demo')).toEqual([[1, 'deployed']]);
    await expect(new RollbackAction(ctx).run('nope')).rejects.toThrow('release: not found');
  });

  it('--dry-run stores nothing and changes nothing', async () => {
    const ctx = newContext();
    await new InstallAction(ctx).runWithChart('demo', await cmChart('a'));
    await new UpgradeAction(ctx).runWithChart('demo', await cmChart('b'));
    const release = await new RollbackAction(ctx, { dryRun: true }).run('demo');
    expect(release.version).toBe(3);
    expect(release.info.description).toBe('Dry run complete');
    expect(await statuses(ctx, 'demo')).toEqual([
      [1, 'superseded'],
      [2, 'deployed'],
    ]);
    expect(await cmValue(ctx)).toBe('b');
  });

  it('--history-max applies to the rollback revision too', async () => {
    const ctx = newContext();
    await new InstallAction(ctx).runWithChart('demo', await cmChart('a'));
    await new UpgradeAction(ctx).runWithChart('demo', await cmChart('b'));
    await new UpgradeAction(ctx).runWithChart('demo', await cmChart('c'));
    await new RollbackAction(ctx, { historyMax: 2 }).run('demo', 2);
    expect(await statuses(ctx, 'demo')).toEqual([
      [3, 'superseded'],
      [4, 'deployed'],
    ]);
  });

  it('a rollback whose objects never get ready (--wait): the new revision failed, the current one superseded', async () => {
    const ctx = newContext();
    const broken = await chartOf('demo', {
      'values.yaml': 'replicas: 1\n',
      'templates/web.yaml': deployment('web', 'nginx:no-such-tag'),
    });
    await new InstallAction(ctx).runWithChart('demo', broken);
    const fixed = await chartOf('demo', {
      'values.yaml': 'replicas: 1\n',
      'templates/web.yaml': deployment('web'),
    });
    await new UpgradeAction(ctx, { wait: true }).runWithChart('demo', fixed);
    await expect(new RollbackAction(ctx, { wait: true, timeoutMs: 10_000 }).run('demo')).rejects.toThrow(
      /timed out waiting for the condition/,
    );
    expect(await statuses(ctx, 'demo')).toEqual([
      [1, 'superseded'],
      [2, 'superseded'],
      [3, 'failed'],
    ]);
    expect((await ctx.storage.get('demo', 3)).info.description).toMatch(/^Rollback "demo" failed: timed out/);
  });

  it('keeps its lock alive through a long --wait (no one takes it over)', async () => {
    const ctx = newContext({ leaseSeconds: 60 });
    const fixed = await chartOf('demo', {
      'values.yaml': 'replicas: 1\n',
      'templates/web.yaml': deployment('web'),
    });
    const broken = await chartOf('demo', {
      'values.yaml': 'replicas: 1\n',
      'templates/web.yaml': deployment('web', 'nginx:no-such-tag'),
    });
    await new InstallAction(ctx).runWithChart('demo', fixed);
    await new UpgradeAction(ctx).runWithChart('demo', broken);
    await new UpgradeAction(ctx, { wait: true }).runWithChart('demo', fixed);
    // Each poll of the wait takes 40 s of this process's clock (the lease is 60 s).
    const real = Date.now.bind(Date);
    let offset = 0;
    vi.spyOn(Date, 'now').mockImplementation(() => real() + offset);
    let polls = 0;
    let rival: Promise<unknown> | undefined;
    const rollback = new RollbackAction(ctx, {
      wait: true,
      timeoutMs: 20_000,
      onProgress: () => {
        offset += 40_000;
        // The outcome is captured at once: the rival may be refused before the rollback ends.
        if (++polls === 4)
          rival = acquireReleaseLock({ ...ctx, holder: 'rival' }, 'demo', 'upgrade').then(
            () => 'acquired',
            (error: unknown) => error,
          );
      },
    }).run('demo', 2);
    await expect(rollback).rejects.toThrow(/timed out waiting for the condition/);
    expect(polls).toBeGreaterThanOrEqual(4);
    expect(await rival).toBeInstanceOf(ReleaseInProgressError);
  });
});

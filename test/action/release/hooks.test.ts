import { describe, expect, it } from 'vitest';
import { runHooks } from '../../../src/action/release/hooks.js';
import { InstallAction } from '../../../src/action/release/install.js';
import { RollbackAction } from '../../../src/action/release/rollback.js';
import { UninstallAction } from '../../../src/action/release/uninstall.js';
import { UpgradeAction } from '../../../src/action/release/upgrade.js';
import {
  chartOf,
  configMap,
  deployment,
  hookConfigMap,
  hookJob,
  hookNamed,
  live,
  metaOf,
  present,
  recordChanges,
  statuses,
  useReleaseContext,
} from './write-fixtures.js';

const newContext = useReleaseContext();

const added = (events: readonly string[]) =>
  events.filter((e) => e.startsWith('ADDED ')).map((e) => e.slice(6));

describe('hooks (§5)', () => {
  it('pre-install Jobs run by weight then name, before the objects; post-install after; runs recorded', async () => {
    const ctx = newContext();
    const chart = await chartOf('demo', {
      'values.yaml': 'value: a\n',
      'templates/cm.yaml': configMap('demo-cm'),
      'templates/hook-b.yaml': hookJob('b', 'pre-install', { weight: 1 }),
      'templates/hook-a.yaml': hookJob('a', 'pre-install', { weight: 1 }),
      'templates/hook-c.yaml': hookJob('c', 'pre-install'),
      'templates/hook-z.yaml': hookJob('z', 'pre-install', { weight: -1 }),
      'templates/hook-post.yaml': hookJob('post', 'post-install', { weight: -9 }),
    });
    const changes = await recordChanges(ctx.client, ['jobs.batch', 'configmaps']);
    await new InstallAction(ctx).runWithChart('demo', chart);
    changes.stop();
    expect(added(changes.events)).toEqual(['z', 'c', 'a', 'b', 'demo-cm', 'post']);
    const stored = await ctx.storage.get('demo', 1);
    expect(stored.info.status).toBe('deployed');
    let previousEnd = '';
    for (const name of ['z', 'c', 'a', 'b', 'post']) {
      const run = hookNamed(stored, name).last_run;
      expect(run.phase, name).toBe('Succeeded');
      expect(run.started_at! >= previousEnd, name).toBe(true);
      expect(run.completed_at! >= run.started_at!, name).toBe(true);
      previousEnd = run.completed_at!;
    }
    expect(hookNamed(stored, 'a')).toMatchObject({
      kind: 'Job',
      path: 'demo/templates/hook-a.yaml',
      weight: 1,
    });
    expect(hookNamed(stored, 'a').events).toEqual(['pre-install']);
  });

  it('hooks are not in the manifest and uninstall leaves them', async () => {
    const ctx = newContext();
    const chart = await chartOf('demo', {
      'values.yaml': 'value: a\n',
      'templates/cm.yaml': configMap('demo-cm'),
      'templates/hook.yaml': hookJob('setup', 'post-install'),
    });
    const { release } = await new InstallAction(ctx).runWithChart('demo', chart);
    expect(release.manifest).toContain('name: demo-cm');
    expect(release.manifest).not.toContain('setup');
    expect(release.hooks?.map((h) => h.name)).toEqual(['setup']);
    await new UninstallAction(ctx).run('demo');
    expect(await present(ctx.client, 'configmaps', 'demo-cm')).toBe(false);
    expect(await present(ctx.client, 'jobs.batch', 'setup')).toBe(true);
  });

  it('a failing pre-install Job: install failed "failed pre-install: …", no regular object created', async () => {
    const ctx = newContext();
    const chart = await chartOf('demo', {
      'values.yaml': 'value: a\n',
      'templates/cm.yaml': configMap('demo-cm'),
      'templates/hook.yaml': hookJob('migrate', 'pre-install', { command: 'exit 3' }),
      'templates/post.yaml': hookJob('after', 'post-install'),
    });
    const attempt = new InstallAction(ctx).runWithChart('demo', chart);
    await expect(attempt).rejects.toThrow(/^failed pre-install: job "migrate" failed/);
    const [stored] = await ctx.storage.history('demo');
    expect(stored?.info.status).toBe('failed');
    expect(stored?.info.description).toMatch(
      /^Release "demo" failed: failed pre-install: job "migrate" failed/,
    );
    expect(hookNamed(stored!, 'migrate').last_run.phase).toBe('Failed');
    expect(hookNamed(stored!, 'after').last_run.phase).toBe('Unknown');
    expect(await live(ctx.client, 'configmaps', 'demo-cm')).toBeUndefined();
    expect(await live(ctx.client, 'jobs.batch', 'after')).toBeUndefined();
    // The default policy (before-hook-creation) leaves the failed Job to inspect.
    expect(await present(ctx.client, 'jobs.batch', 'migrate')).toBe(true);
  });

  describe('delete policies', () => {
    it('hook-succeeded deletes after success; the default policy keeps the object', async () => {
      const ctx = newContext();
      const chart = await chartOf('demo', {
        'templates/gone.yaml': hookJob('gone', 'pre-install', { deletePolicy: 'hook-succeeded' }),
        'templates/kept.yaml': hookJob('kept', 'pre-install'),
      });
      const { release } = await new InstallAction(ctx).runWithChart('demo', chart);
      expect(hookNamed(release, 'gone').last_run.phase).toBe('Succeeded');
      expect(await live(ctx.client, 'jobs.batch', 'gone')).toBeUndefined();
      expect(await present(ctx.client, 'jobs.batch', 'kept')).toBe(true);
    });

    it('hook-failed deletes after failure, and the hooks that ran before it under hook-succeeded (Helm 4)', async () => {
      const ctx = newContext();
      const chart = await chartOf('demo', {
        'templates/first.yaml': hookJob('first', 'pre-install', {
          weight: 1,
          deletePolicy: 'hook-succeeded',
        }),
        'templates/second.yaml': hookJob('second', 'pre-install', { weight: 2 }),
        'templates/bad.yaml': hookJob('bad', 'pre-install', {
          weight: 3,
          command: 'exit 1',
          deletePolicy: 'hook-failed',
        }),
      });
      await expect(new InstallAction(ctx).runWithChart('demo', chart)).rejects.toThrow(/failed pre-install/);
      expect(await live(ctx.client, 'jobs.batch', 'bad')).toBeUndefined();
      expect(await live(ctx.client, 'jobs.batch', 'first')).toBeUndefined();
      expect(await present(ctx.client, 'jobs.batch', 'second')).toBe(true);
    });

    it('hook-succeeded keeps a failed hook', async () => {
      const ctx = newContext();
      const chart = await chartOf('demo', {
        'templates/bad.yaml': hookJob('bad', 'pre-install', {
          command: 'exit 1',
          deletePolicy: 'hook-succeeded',
        }),
      });
      await expect(new InstallAction(ctx).runWithChart('demo', chart)).rejects.toThrow(/failed pre-install/);
      expect(await present(ctx.client, 'jobs.batch', 'bad')).toBe(true);
    });

    it('a CustomResourceDefinition hook is never deleted, whatever its policy', async () => {
      const ctx = newContext();
      const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.example.com
  annotations:
    "helm.sh/hook": pre-install
    "helm.sh/hook-delete-policy": hook-succeeded
spec:
  group: example.com
  scope: Namespaced
  names: { plural: gadgets, singular: gadget, kind: Gadget }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          x-kubernetes-preserve-unknown-fields: true
`;
      await new InstallAction(ctx).runWithChart('demo', await chartOf('demo', { 'templates/crd.yaml': crd }));
      expect(await live(ctx.client, 'customresourcedefinitions', 'gadgets.example.com', '')).toBeDefined();
    });

    it('before-hook-creation (the default) replaces the copy left by the previous run', async () => {
      const ctx = newContext();
      const chart = await chartOf('demo', {
        'values.yaml': 'value: a\n',
        'templates/cm.yaml': configMap('demo-cm'),
        'templates/hook.yaml': hookJob('migrate', 'pre-install,pre-upgrade'),
      });
      await new InstallAction(ctx).runWithChart('demo', chart);
      const first = metaOf(await live(ctx.client, 'jobs.batch', 'migrate')).uid;
      await new UpgradeAction(ctx).runWithChart('demo', chart);
      const second = metaOf(await live(ctx.client, 'jobs.batch', 'migrate')).uid;
      expect(first).toBeDefined();
      expect(second).toBeDefined();
      expect(second).not.toBe(first);
      const jobs = await ctx.client.list('jobs.batch', { namespace: 'default' });
      expect(jobs.items.map((j) => metaOf(j).name)).toEqual(['migrate']);
    });

    it('without before-hook-creation a leftover copy fails the hook and is left alone, as in Helm', async () => {
      const ctx = newContext();
      const chart = await chartOf('demo', {
        'values.yaml': 'value: a\n',
        'templates/cm.yaml': configMap('demo-cm'),
        'templates/hook.yaml': hookJob('migrate', 'pre-upgrade', { deletePolicy: 'hook-failed' }),
      });
      await new InstallAction(ctx).runWithChart('demo', chart);
      await new UpgradeAction(ctx).runWithChart('demo', chart);
      const uid = metaOf(await live(ctx.client, 'jobs.batch', 'migrate')).uid;
      const attempt = new UpgradeAction(ctx).runWithChart('demo', chart);
      await expect(attempt).rejects.toThrow(
        /^pre-upgrade hooks failed: warning: Hook pre-upgrade demo\/templates\/hook\.yaml failed: .*already exists/,
      );
      expect(metaOf(await live(ctx.client, 'jobs.batch', 'migrate')).uid).toBe(uid);
      const stored = await ctx.storage.get('demo', 3);
      expect(stored.info.status).toBe('failed');
      expect(hookNamed(stored, 'migrate').last_run.phase).toBe('Failed');
    });
  });

  it('upgrade, rollback and uninstall run their hooks around their changes; hooks outlive the release', async () => {
    const ctx = newContext();
    const hooks = {
      'templates/pre-upgrade.yaml': hookConfigMap('pre-upgrade', 'pre-upgrade'),
      'templates/post-upgrade.yaml': hookConfigMap('post-upgrade', 'post-upgrade'),
      'templates/pre-rollback.yaml': hookConfigMap('pre-rollback', 'pre-rollback'),
      'templates/post-rollback.yaml': hookConfigMap('post-rollback', 'post-rollback'),
      'templates/pre-delete.yaml': hookConfigMap('pre-delete', 'pre-delete'),
      'templates/post-delete.yaml': hookConfigMap('post-delete', 'post-delete'),
    };
    const chart = await chartOf('demo', {
      'values.yaml': 'value: a\n',
      'templates/cm.yaml': configMap('demo-cm'),
      ...hooks,
    });
    const changes = await recordChanges(ctx.client, ['configmaps']);
    await new InstallAction(ctx).runWithChart('demo', chart);
    expect(changes.events).toEqual(['ADDED demo-cm']);
    changes.events.length = 0;
    await new UpgradeAction(ctx, { values: { set: ['value=b'] } }).runWithChart('demo', chart);
    expect(changes.events).toEqual(['ADDED pre-upgrade', 'MODIFIED demo-cm', 'ADDED post-upgrade']);
    changes.events.length = 0;
    await new RollbackAction(ctx).run('demo');
    expect(changes.events).toEqual(['ADDED pre-rollback', 'MODIFIED demo-cm', 'ADDED post-rollback']);
    changes.events.length = 0;
    await new UninstallAction(ctx).run('demo');
    changes.stop();
    expect(changes.events).toEqual(['ADDED pre-delete', 'DELETED demo-cm', 'ADDED post-delete']);
    for (const name of [
      'pre-upgrade',
      'post-upgrade',
      'pre-rollback',
      'post-rollback',
      'pre-delete',
      'post-delete',
    ]) {
      expect(await present(ctx.client, 'configmaps', name), name).toBe(true);
    }
    // The rollback ran revision 1's hooks (a copy, not re-rendered).
    expect((await live(ctx.client, 'configmaps', 'pre-rollback'))?.data).toEqual({ revision: '1' });
  });

  it('a failing pre-upgrade hook: "pre-upgrade hooks failed: …", the revision failed, objects untouched', async () => {
    const ctx = newContext();
    const ok = await chartOf('demo', {
      'values.yaml': 'value: a\n',
      'templates/cm.yaml': configMap('demo-cm'),
    });
    await new InstallAction(ctx).runWithChart('demo', ok);
    const failing = await chartOf('demo', {
      'values.yaml': 'value: b\n',
      'templates/cm.yaml': configMap('demo-cm'),
      'templates/hook.yaml': hookJob('check', 'pre-upgrade', { command: 'exit 1' }),
    });
    await expect(new UpgradeAction(ctx).runWithChart('demo', failing)).rejects.toThrow(
      /^pre-upgrade hooks failed: job "check" failed/,
    );
    expect(await statuses(ctx, 'demo')).toEqual([
      [1, 'deployed'],
      [2, 'failed'],
    ]);
    expect((await live(ctx.client, 'configmaps', 'demo-cm'))?.data).toEqual({ value: 'a' });
  });

  it('--no-hooks skips every event', async () => {
    const ctx = newContext();
    const chart = await chartOf('demo', {
      'values.yaml': 'value: a\n',
      'templates/cm.yaml': configMap('demo-cm'),
      'templates/job.yaml': hookJob('setup', 'pre-install,post-install'),
      'templates/hooks.yaml': hookConfigMap(
        'every',
        'pre-upgrade,post-upgrade,pre-rollback,post-rollback,pre-delete,post-delete',
      ),
    });
    await new InstallAction(ctx, { noHooks: true }).runWithChart('demo', chart);
    await new UpgradeAction(ctx, { noHooks: true, values: { set: ['value=b'] } }).runWithChart('demo', chart);
    await new RollbackAction(ctx, { noHooks: true }).run('demo');
    const last = await ctx.storage.last('demo');
    expect(last.hooks?.map((h) => h.last_run.phase)).toEqual(['Unknown', 'Unknown']);
    await new UninstallAction(ctx, { noHooks: true }).run('demo');
    expect(await live(ctx.client, 'jobs.batch', 'setup')).toBeUndefined();
    expect(await live(ctx.client, 'configmaps', 'every')).toBeUndefined();
  });

  it('a failed --atomic install runs the pre-delete hooks of its uninstall, unless --no-hooks', async () => {
    const files = {
      'values.yaml': 'replicas: 1\n',
      'templates/web.yaml': deployment('web', 'nginx:no-such-tag'),
      'templates/cleanup.yaml': hookConfigMap('cleanup', 'pre-delete'),
    };
    const withHooks = newContext();
    const attempt = new InstallAction(withHooks, { atomic: true, timeoutMs: 10_000 }).runWithChart(
      'demo',
      await chartOf('demo', files),
    );
    await expect(attempt).rejects.toThrow(/has been uninstalled due to rollback-on-failure/);
    expect(await present(withHooks.client, 'configmaps', 'cleanup')).toBe(true);

    const noHooks = newContext();
    const quiet = new InstallAction(noHooks, { atomic: true, noHooks: true, timeoutMs: 10_000 }).runWithChart(
      'demo',
      await chartOf('demo', files),
    );
    await expect(quiet).rejects.toThrow(/has been uninstalled due to rollback-on-failure/);
    expect(await live(noHooks.client, 'configmaps', 'cleanup')).toBeUndefined();
    expect(await noHooks.storage.history('demo')).toEqual([]);
  });

  it('an unknown hook event makes Helm skip the whole document; event names are case-insensitive', async () => {
    const ctx = newContext();
    const chart = await chartOf('demo', {
      'values.yaml': 'value: a\n',
      'templates/cm.yaml': configMap('demo-cm'),
      'templates/odd.yaml': hookJob('odd', 'pre-install,post-bogus'),
      'templates/upper.yaml': hookConfigMap('upper', 'Pre-Install'),
    });
    const { release } = await new InstallAction(ctx).runWithChart('demo', chart);
    expect(release.hooks?.map((h) => h.name)).toEqual(['upper']);
    expect(release.manifest).not.toContain('odd');
    expect(await live(ctx.client, 'jobs.batch', 'odd')).toBeUndefined();
    expect(await present(ctx.client, 'configmaps', 'upper')).toBe(true);
  });

  it('records Running when a hook starts and its outcome when it ends', async () => {
    const ctx = newContext();
    const chart = await chartOf('demo', {
      'templates/slow.yaml': hookJob('slow', 'post-install', { command: 'sleep 5' }),
    });
    const { release } = await new InstallAction(ctx, { noHooks: true }).runWithChart('demo', chart);
    const seen: string[] = [];
    const hook = hookNamed(release, 'slow');
    await runHooks(ctx.client, release, 'post-install', {
      timeoutMs: 60_000,
      now: () => ctx.client.now(),
      record: async () => {
        seen.push(hook.last_run.phase);
      },
    });
    expect(seen).toEqual(['Running', 'Succeeded']);
    const took = Date.parse(hook.last_run.completed_at!) - Date.parse(hook.last_run.started_at!);
    expect(took).toBeGreaterThanOrEqual(5_000);
  });

  it("a hook stuck past --timeout fails the action with the wait's reason", async () => {
    const ctx = newContext();
    const stuck = hookJob('stuck', 'pre-install').replace('image: busybox', 'image: busybox:no-such-tag');
    const chart = await chartOf('demo', {
      'values.yaml': 'value: a\n',
      'templates/cm.yaml': configMap('demo-cm'),
      'templates/stuck.yaml': stuck,
    });
    await expect(new InstallAction(ctx, { timeoutMs: 5_000 }).runWithChart('demo', chart)).rejects.toThrow(
      /^failed pre-install: timed out waiting for the condition after 5s: job "stuck" not complete/,
    );
    expect(await live(ctx.client, 'configmaps', 'demo-cm')).toBeUndefined();
    expect(hookNamed(await ctx.storage.last('demo'), 'stuck').last_run.phase).toBe('Failed');
  });

  it('a hook still running when --timeout ends fails, though it would finish later (cluster time is bounded)', async () => {
    const ctx = newContext();
    const chart = await chartOf('demo', {
      'templates/cm.yaml': configMap('demo-cm'),
      'templates/slow.yaml': hookJob('slow', 'pre-install', { command: 'sleep 600' }),
    });
    const before = (await ctx.client.now()).getTime();
    await expect(new InstallAction(ctx, { timeoutMs: 5_000 }).runWithChart('demo', chart)).rejects.toThrow(
      /^failed pre-install: timed out waiting for the condition after 5s: job "slow" not complete/,
    );
    // The wait stopped at its deadline: the cluster clock did not run on to the Job's end.
    expect((await ctx.client.now()).getTime() - before).toBeLessThan(60_000);
    expect(await live(ctx.client, 'configmaps', 'demo-cm')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { InstallAction } from '../../../src/action/release/install.js';
import { leaseName } from '../../../src/action/release/lock.js';
import { UninstallAction } from '../../../src/action/release/uninstall.js';
import { UpgradeAction } from '../../../src/action/release/upgrade.js';
import { ReleaseNotFoundError } from '../../../src/internal/errors.js';
import {
  chartOf,
  configMap,
  deployment,
  hookPod,
  live,
  metaOf,
  present,
  secretLabels,
  statuses,
  useReleaseContext,
} from './write-fixtures.js';

const newContext = useReleaseContext();

const webChart = (replicas = 2, extra: Record<string, string> = {}) =>
  chartOf('demo', {
    'values.yaml': `replicas: ${replicas}\n`,
    'templates/web.yaml': deployment('web'),
    ...extra,
  });

const cmChart = (value: string, extra: Record<string, string> = {}) =>
  chartOf('demo', {
    'values.yaml': `value: ${value}\n`,
    'templates/cm.yaml': configMap('demo-cm'),
    ...extra,
  });

const cmValue = async (ctx: { client: Parameters<typeof live>[0] }, name = 'demo-cm') =>
  ((await live(ctx.client, 'configmaps', name))?.data as Record<string, string> | undefined)?.value;

describe('upgrade: how objects change (§4.5)', () => {
  it('three-way merge: keeps what others set, resets what the chart manages, drops what the chart dropped', async () => {
    const ctx = newContext();
    const labelled = deployment('web').replace('  name: web\n', '  name: web\n  labels:\n    tier: front\n');
    await new InstallAction(ctx).runWithChart('demo', await webChart(2, { 'templates/web.yaml': labelled }));
    await ctx.client.patch(
      'deployments.apps',
      'default',
      'web',
      { metadata: { annotations: { 'example.com/owner': 'ops' } }, spec: { replicas: 5 } },
      'merge',
    );
    await new UpgradeAction(ctx).runWithChart('demo', await webChart(2));
    const web = await live(ctx.client, 'deployments.apps', 'web');
    expect((web?.spec as { replicas?: number } | undefined)?.replicas).toBe(2);
    expect(metaOf(web).annotations?.['example.com/owner']).toBe('ops');
    expect(metaOf(web).labels?.tier).toBeUndefined();
    expect(metaOf(web).labels?.['app.kubernetes.io/managed-by']).toBe('Helm');
    expect(await statuses(ctx, 'demo')).toEqual([
      [1, 'superseded'],
      [2, 'deployed'],
    ]);
  });

  it('an object the chart dropped is deleted, unless the live object says resource-policy: keep', async () => {
    const ctx = newContext();
    const three = await cmChart('a', {
      'templates/b.yaml': configMap('b-cm'),
      'templates/c.yaml': configMap('c-cm'),
    });
    await new InstallAction(ctx).runWithChart('demo', three);
    await ctx.client.patch(
      'configmaps',
      'default',
      'c-cm',
      { metadata: { annotations: { 'helm.sh/resource-policy': 'keep' } } },
      'merge',
    );
    await new UpgradeAction(ctx).runWithChart('demo', await cmChart('a'));
    expect(await present(ctx.client, 'configmaps', 'demo-cm')).toBe(true);
    expect(await present(ctx.client, 'configmaps', 'b-cm')).toBe(false);
    expect(await present(ctx.client, 'configmaps', 'c-cm')).toBe(true);
  });

  it('a new object that exists unowned: the ownership error, and nothing changes', async () => {
    const ctx = newContext();
    await new InstallAction(ctx).runWithChart('demo', await cmChart('a'));
    await ctx.client.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'theirs', namespace: 'default' },
      data: { value: 'theirs' },
    });
    const grown = await cmChart('b', { 'templates/theirs.yaml': configMap('theirs') });
    await expect(new UpgradeAction(ctx).runWithChart('demo', grown)).rejects.toThrow(
      'rendered manifests contain a resource that already exists. Unable to continue with update: ConfigMap "theirs" in namespace "default" exists and cannot be imported into the current release: invalid ownership metadata; label validation error: missing key "app.kubernetes.io/managed-by": must be set to "Helm"',
    );
    expect(await statuses(ctx, 'demo')).toEqual([[1, 'deployed']]);
    expect(await cmValue(ctx)).toBe('a');
    expect(await cmValue(ctx, 'theirs')).toBe('theirs');
    // --take-ownership adopts it.
    await new UpgradeAction(ctx, { takeOwnership: true }).runWithChart('demo', grown);
    expect(await cmValue(ctx, 'theirs')).toBe('b');
    expect(metaOf(await live(ctx.client, 'configmaps', 'theirs')).annotations).toMatchObject({
      'meta.helm.sh/release-name': 'demo',
    });
  });

  it('--force replaces the object: fields set out of band are gone', async () => {
    const ctx = newContext();
    await new InstallAction(ctx).runWithChart('demo', await cmChart('a'));
    const patch = { metadata: { annotations: { 'example.com/owner': 'ops' } } };
    await ctx.client.patch('configmaps', 'default', 'demo-cm', patch, 'merge');
    await new UpgradeAction(ctx).runWithChart('demo', await cmChart('b'));
    expect(metaOf(await live(ctx.client, 'configmaps', 'demo-cm')).annotations?.['example.com/owner']).toBe(
      'ops',
    );
    await new UpgradeAction(ctx, { force: true }).runWithChart('demo', await cmChart('c'));
    const cm = await live(ctx.client, 'configmaps', 'demo-cm');
    expect(cm?.data).toEqual({ value: 'c' });
    expect(metaOf(cm).annotations?.['example.com/owner']).toBeUndefined();
    expect(metaOf(cm).annotations?.['meta.helm.sh/release-name']).toBe('demo');
  });

  it('--cleanup-on-fail deletes what a failed upgrade created (and only that)', async () => {
    for (const cleanupOnFail of [false, true]) {
      const ctx = newContext();
      await new InstallAction(ctx).runWithChart('demo', await cmChart('a'));
      const broken = await cmChart('b', {
        'templates/extra.yaml': configMap('extra-cm'),
        'templates/web.yaml': deployment('web', 'nginx:no-such-tag'),
        'values.yaml': 'value: b\nreplicas: 1\n',
      });
      const attempt = new UpgradeAction(ctx, { wait: true, timeoutMs: 10_000, cleanupOnFail }).runWithChart(
        'demo',
        broken,
      );
      await expect(attempt).rejects.toThrow(/timed out waiting for the condition/);
      expect(await statuses(ctx, 'demo')).toEqual([
        [1, 'deployed'],
        [2, 'failed'],
      ]);
      expect(await present(ctx.client, 'configmaps', 'extra-cm'), `cleanup ${cleanupOnFail}`).toBe(
        !cleanupOnFail,
      );
      expect(await present(ctx.client, 'deployments.apps', 'web'), `cleanup ${cleanupOnFail}`).toBe(
        !cleanupOnFail,
      );
      // What existed before stays, as updated.
      expect(await cmValue(ctx)).toBe('b');
    }
  });

  it('--dry-run stores nothing and changes nothing', async () => {
    const ctx = newContext();
    await new InstallAction(ctx).runWithChart('demo', await cmChart('a'));
    for (const dryRun of ['client', 'server'] as const) {
      const { release } = await new UpgradeAction(ctx, { dryRun, values: { set: ['value=z'] } }).runWithChart(
        'demo',
        await cmChart('a', { 'templates/new.yaml': configMap('new-cm') }),
      );
      expect(release.version).toBe(2);
      expect(release.info).toMatchObject({ status: 'pending-upgrade', description: 'Dry run complete' });
      expect(release.manifest).toContain('value: "z"');
    }
    expect(await statuses(ctx, 'demo')).toEqual([[1, 'deployed']]);
    expect(await cmValue(ctx)).toBe('a');
    expect(await live(ctx.client, 'configmaps', 'new-cm')).toBeUndefined();
  });

  it("--labels merge into the previous revision's, null deletes one (on the storage Secret)", async () => {
    const ctx = newContext();
    await new InstallAction(ctx, { labels: { team: 'blue', tier: 'web' } }).runWithChart(
      'demo',
      await cmChart('a'),
    );
    await new UpgradeAction(ctx, { labels: { tier: null, env: 'prod' } }).runWithChart(
      'demo',
      await cmChart('a'),
    );
    const labels = await secretLabels(ctx.client, 'demo', 2);
    expect(labels).toMatchObject({
      team: 'blue',
      env: 'prod',
      name: 'demo',
      status: 'deployed',
      version: '2',
    });
    expect(labels.tier).toBeUndefined();
    expect((await ctx.storage.get('demo', 2)).labels).toEqual({ team: 'blue', env: 'prod' });
  });
});

describe('upgrade: history (§4.3, G11)', () => {
  it('--history-max 3 over 6 upgrades keeps 3 revisions with the deployed one; numbers never reused', async () => {
    const ctx = newContext();
    await new InstallAction(ctx).runWithChart('demo', await cmChart('v1'));
    for (let i = 2; i <= 7; i++) {
      const { release } = await new UpgradeAction(ctx, { historyMax: 3 }).runWithChart(
        'demo',
        await cmChart(`v${i}`),
      );
      expect(release.version).toBe(i);
    }
    expect(await statuses(ctx, 'demo')).toEqual([
      [5, 'superseded'],
      [6, 'superseded'],
      [7, 'deployed'],
    ]);
    expect(await cmValue(ctx)).toBe('v7');
  });

  it('--history-max 3 keeps the deployed revision even when it is the oldest', async () => {
    const ctx = newContext();
    await new InstallAction(ctx).runWithChart('demo', await cmChart('v1'));
    const failing = await cmChart('v2', {
      'templates/check.yaml': hookPod('check', 'pre-upgrade', 'exit 1'),
    });
    for (let i = 0; i < 4; i++) {
      await expect(new UpgradeAction(ctx, { historyMax: 3 }).runWithChart('demo', failing)).rejects.toThrow(
        /pre-upgrade hooks failed/,
      );
    }
    expect(await statuses(ctx, 'demo')).toEqual([
      [1, 'deployed'],
      [4, 'failed'],
      [5, 'failed'],
    ]);
    const { release } = await new UpgradeAction(ctx, { historyMax: 3 }).runWithChart(
      'demo',
      await cmChart('v6'),
    );
    expect(release.version).toBe(6);
  });

  it('--history-max 1 keeps the deployed revision and the new one', async () => {
    const ctx = newContext();
    await new InstallAction(ctx).runWithChart('demo', await cmChart('v1'));
    for (let i = 2; i <= 4; i++) {
      await new UpgradeAction(ctx, { historyMax: 1 }).runWithChart('demo', await cmChart(`v${i}`));
    }
    expect(await statuses(ctx, 'demo')).toEqual([
      [3, 'superseded'],
      [4, 'deployed'],
    ]);
  });
});

describe('upgrade: values (§4.4)', () => {
  const valuesChart = (defaults: string) =>
    chartOf('demo', {
      'values.yaml': defaults,
      'templates/cm.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: demo-cm
data:
  a: "{{Values.a}}"
  b: "{{Values.b}}"
  c: "{{Values.c}}"
`,
    });
  const data = async (ctx: { client: Parameters<typeof live>[0] }) =>
    (await live(ctx.client, 'configmaps', 'demo-cm'))?.data;

  async function installed() {
    const ctx = newContext();
    const v1 = await valuesChart('a: chart1-a\nb: chart1-b\n');
    await new InstallAction(ctx, { values: { set: ['a=user'] } }).runWithChart('demo', v1);
    const v2 = await valuesChart('a: chart2-a\nb: chart2-b\nc: chart2-c\n');
    return { ctx, v2 };
  }

  it("no values given: the previous user values are reused with the new chart's defaults", async () => {
    const { ctx, v2 } = await installed();
    const { release } = await new UpgradeAction(ctx).runWithChart('demo', v2);
    expect(release.config).toEqual({ a: 'user' });
    expect(await data(ctx)).toEqual({ a: 'user', b: 'chart2-b', c: 'chart2-c' });
  });

  it("values given: only those, over the new chart's defaults", async () => {
    const { ctx, v2 } = await installed();
    const { release } = await new UpgradeAction(ctx, { values: { set: ['b=new'] } }).runWithChart('demo', v2);
    expect(release.config).toEqual({ b: 'new' });
    expect(await data(ctx)).toEqual({ a: 'chart2-a', b: 'new', c: 'chart2-c' });
  });

  it("--reset-values: the chart's defaults only", async () => {
    const { ctx, v2 } = await installed();
    const { release } = await new UpgradeAction(ctx, { resetValues: true }).runWithChart('demo', v2);
    expect(release.config).toEqual({});
    expect(await data(ctx)).toEqual({ a: 'chart2-a', b: 'chart2-b', c: 'chart2-c' });
  });

  it('--reuse-values: new over old, rendered against the OLD computed values (new defaults ignored)', async () => {
    const { ctx, v2 } = await installed();
    const { release } = await new UpgradeAction(ctx, {
      reuseValues: true,
      values: { set: ['b=new'] },
    }).runWithChart('demo', v2);
    expect(release.config).toEqual({ a: 'user', b: 'new' });
    expect(await data(ctx)).toEqual({ a: 'user', b: 'new', c: '' });
  });

  it("--reset-then-reuse-values: new over old, with the new chart's defaults", async () => {
    const { ctx, v2 } = await installed();
    const { release } = await new UpgradeAction(ctx, {
      resetThenReuseValues: true,
      values: { set: ['b=new'] },
    }).runWithChart('demo', v2);
    expect(release.config).toEqual({ a: 'user', b: 'new' });
    expect(await data(ctx)).toEqual({ a: 'user', b: 'new', c: 'chart2-c' });
  });

  it('--reset-values wins over --reuse-values', async () => {
    const { ctx, v2 } = await installed();
    const { release } = await new UpgradeAction(ctx, { resetValues: true, reuseValues: true }).runWithChart(
      'demo',
      v2,
    );
    expect(release.config).toEqual({});
  });
});

describe('upgrade: which release', () => {
  it('a missing release: "has no deployed releases"; --install installs it', async () => {
    const ctx = newContext();
    await expect(new UpgradeAction(ctx).runWithChart('demo', await cmChart('a'))).rejects.toThrow(
      new ReleaseNotFoundError('"demo" has no deployed releases'),
    );
    const result = await new UpgradeAction(ctx, { install: true }).runWithChart('demo', await cmChart('a'));
    expect(result.installed).toBe(true);
    expect(result.release.info.description).toBe('Install complete');
    expect(await statuses(ctx, 'demo')).toEqual([[1, 'deployed']]);
  });

  it('an uninstalled (--keep-history) release: refused without --install, installed over with it', async () => {
    const ctx = newContext();
    await new InstallAction(ctx).runWithChart('demo', await cmChart('a'));
    await new UninstallAction(ctx, { keepHistory: true }).run('demo');
    await expect(new UpgradeAction(ctx).runWithChart('demo', await cmChart('b'))).rejects.toThrow(
      '"demo" has no deployed releases',
    );
    expect(await statuses(ctx, 'demo')).toEqual([[1, 'uninstalled']]);
    expect(await live(ctx.client, 'configmaps', 'demo-cm')).toBeUndefined();
    const result = await new UpgradeAction(ctx, { install: true }).runWithChart('demo', await cmChart('b'));
    expect(result.installed).toBe(true);
    expect(await statuses(ctx, 'demo')).toEqual([
      [1, 'superseded'],
      [2, 'deployed'],
    ]);
    expect(await cmValue(ctx)).toBe('b');
  });

  it('a failed first install can be upgraded (the base is the last revision)', async () => {
    const ctx = newContext();
    const failing = await cmChart('a', {
      'templates/check.yaml': hookPod('check', 'post-install', 'exit 1'),
    });
    await expect(new InstallAction(ctx).runWithChart('demo', failing)).rejects.toThrow(/failed post-install/);
    await new UpgradeAction(ctx).runWithChart('demo', await cmChart('b'));
    expect(await statuses(ctx, 'demo')).toEqual([
      [1, 'superseded'],
      [2, 'deployed'],
    ]);
    expect(await cmValue(ctx)).toBe('b');
  });
});

describe('upgrade: interruption (G4)', () => {
  it('aborting during --wait marks the revision failed and releases the lock', async () => {
    const controller = new AbortController();
    const ctx = newContext({ signal: controller.signal });
    await new InstallAction(ctx).runWithChart('demo', await webChart(1));
    const stuck = await chartOf('demo', {
      'values.yaml': 'replicas: 1\n',
      'templates/web.yaml': deployment('web', 'nginx:no-such-tag'),
    });
    let polls = 0;
    const attempt = new UpgradeAction(ctx, {
      wait: true,
      timeoutMs: 600_000,
      onProgress: () => {
        if (++polls === 3) controller.abort();
      },
    }).runWithChart('demo', stuck);
    await expect(attempt).rejects.toThrow('interrupted');
    expect(polls).toBe(3);
    expect(await statuses(ctx, 'demo')).toEqual([
      [1, 'deployed'],
      [2, 'failed'],
    ]);
    expect((await ctx.storage.get('demo', 2)).info.description).toBe('Upgrade "demo" failed: interrupted');
    expect(await live(ctx.client, 'leases.coordination.k8s.io', leaseName('demo'))).toBeUndefined();
    // The next operation is not refused, and needs no takeover.
    const next = await new UpgradeAction({ ...ctx, signal: new AbortController().signal }).runWithChart(
      'demo',
      await webChart(1),
    );
    expect(next.release.version).toBe(3);
    expect(ctx.notices).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { InstallAction } from '../../../src/action/release/install.js';
import { UninstallAction } from '../../../src/action/release/uninstall.js';
import { UpgradeAction } from '../../../src/action/release/upgrade.js';
import { ReleaseFailedError, ReleaseNotFoundError } from '../../../src/internal/errors.js';
import {
  chartOf,
  configMap,
  deployment,
  live,
  present,
  statuses,
  useReleaseContext,
} from './write-fixtures.js';

const newContext = useReleaseContext();

const cmChart = (extra: Record<string, string> = {}) =>
  chartOf('demo', {
    'values.yaml': 'value: a\nreplicas: 1\n',
    'templates/cm.yaml': configMap('demo-cm'),
    ...extra,
  });

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
`;

const SERVICE_ACCOUNT = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: web-sa
`;

const SECRET = `apiVersion: v1
kind: Secret
metadata:
  name: web-secret
stringData:
  token: abc
`;

describe('uninstall (§4.7)', () => {
  it('deletes the objects in uninstall order (reverse kinds) and purges the history', async () => {
    const ctx = newContext();
    await new InstallAction(ctx).runWithChart(
      'demo',
      await cmChart({
        'templates/a-deploy.yaml': deployment('web'),
        'templates/b-sa.yaml': SERVICE_ACCOUNT,
        'templates/c-secret.yaml': SECRET,
        'templates/d-svc.yaml': SERVICE,
      }),
    );
    const order: string[] = [];
    const watches = [];
    for (const resource of ['deployments.apps', 'services', 'serviceaccounts', 'secrets', 'configmaps']) {
      const { metadata } = await ctx.client.list(resource, { namespace: 'default' });
      const options = { namespace: 'default', resourceVersion: metadata.resourceVersion };
      watches.push(
        await ctx.client.watch(resource, options, (e) => {
          const name = String((e.object.metadata as { name: string }).name);
          if (e.type === 'DELETED' && !name.startsWith('sh.helm.release'))
            order.push(`${e.object.kind}/${name}`);
        }),
      );
    }
    const result = await new UninstallAction(ctx).run('demo');
    for (const w of watches) w.stop();
    expect(result.release?.info.status).toBe('uninstalling');
    expect(order).toEqual([
      'Service/web',
      'Deployment/web',
      'ConfigMap/demo-cm',
      'Secret/web-secret',
      'ServiceAccount/web-sa',
    ]);
    expect(await ctx.storage.history('demo')).toEqual([]);
  });

  it('resource-policy: keep is read from the manifest: kept and reported; an annotation added live does not count', async () => {
    const ctx = newContext();
    const keep = configMap('keep-cm', '  annotations:\n    helm.sh/resource-policy: keep\n');
    await new InstallAction(ctx).runWithChart('demo', await cmChart({ 'templates/keep.yaml': keep }));
    await ctx.client.patch(
      'configmaps',
      'default',
      'demo-cm',
      { metadata: { annotations: { 'helm.sh/resource-policy': 'keep' } } },
      'merge',
    );
    const result = await new UninstallAction(ctx).run('demo');
    expect(result.kept.map((r) => `${r.kind.kind}/${r.name}`)).toEqual(['ConfigMap/keep-cm']);
    expect(await present(ctx.client, 'configmaps', 'keep-cm')).toBe(true);
    expect(await present(ctx.client, 'configmaps', 'demo-cm')).toBe(false);
  });

  it('--keep-history: the last revision uninstalled, the others superseded; again → "already deleted"; then purge', async () => {
    const ctx = newContext();
    await new InstallAction(ctx).runWithChart('demo', await cmChart());
    await new UpgradeAction(ctx, { values: { set: ['value=b'] } }).runWithChart('demo', await cmChart());
    const result = await new UninstallAction(ctx, { keepHistory: true, description: 'gone for now' }).run(
      'demo',
    );
    expect(result.release?.info).toMatchObject({ status: 'uninstalled', description: 'gone for now' });
    expect(result.release?.info.deleted).toBeDefined();
    expect(await statuses(ctx, 'demo')).toEqual([
      [1, 'superseded'],
      [2, 'uninstalled'],
    ]);
    expect(await present(ctx.client, 'configmaps', 'demo-cm')).toBe(false);
    await expect(new UninstallAction(ctx, { keepHistory: true }).run('demo')).rejects.toThrow(
      new ReleaseFailedError('the release named "demo" is already deleted'),
    );
    // Uninstalling an uninstalled release without --keep-history purges its history.
    const purged = await new UninstallAction(ctx).run('demo');
    expect(purged.release?.info.status).toBe('uninstalled');
    expect(await ctx.storage.history('demo')).toEqual([]);
  });

  it("a missing release: Helm's error, or nothing with --ignore-not-found", async () => {
    const ctx = newContext();
    await expect(new UninstallAction(ctx).run('nope')).rejects.toThrow(
      new ReleaseNotFoundError('uninstall: Release not loaded: nope: release: not found'),
    );
    expect(await new UninstallAction(ctx, { ignoreNotFound: true }).run('nope')).toEqual({ kept: [] });
  });

  it('--dry-run deletes nothing and keeps the history', async () => {
    const ctx = newContext();
    await new InstallAction(ctx).runWithChart('demo', await cmChart());
    const result = await new UninstallAction(ctx, { dryRun: true }).run('demo');
    expect(result.release?.version).toBe(1);
    expect(await present(ctx.client, 'configmaps', 'demo-cm')).toBe(true);
    expect(await statuses(ctx, 'demo')).toEqual([[1, 'deployed']]);
  });

  it('--cascade foreground --wait returns once the objects and their pods are gone', async () => {
    const ctx = newContext();
    await new InstallAction(ctx, { wait: true }).runWithChart(
      'demo',
      await cmChart({ 'templates/a-deploy.yaml': deployment('web') }),
    );
    const pods = async () =>
      (await ctx.client.list('pods', { namespace: 'default', labelSelector: 'app=web' })).items.length;
    expect(await pods()).toBe(1);
    await new UninstallAction(ctx, { cascade: 'foreground', wait: true }).run('demo');
    expect(await live(ctx.client, 'deployments.apps', 'web')).toBeUndefined();
    expect(await pods()).toBe(0);
    expect(await ctx.storage.history('demo')).toEqual([]);
  });

  it('a revision left pending-install by a dead operation is recovered, then uninstalled', async () => {
    const ctx = newContext();
    await new InstallAction(ctx).runWithChart('demo', await cmChart());
    const one = await ctx.storage.get('demo', 1);
    one.info.status = 'pending-install';
    await ctx.storage.update(one);
    await new UninstallAction(ctx, { keepHistory: true }).run('demo');
    expect(await statuses(ctx, 'demo')).toEqual([[1, 'uninstalled']]);
    expect(ctx.notices).toContain('revision 1 of "demo" was left pending-install: marked failed');
    expect(await present(ctx.client, 'configmaps', 'demo-cm')).toBe(false);
  });
});

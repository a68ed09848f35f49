import { describe, expect, it } from 'vitest';
import { InstallAction } from '../../../src/action/release/install.js';
import { UninstallAction } from '../../../src/action/release/uninstall.js';
import { ReleaseExistsError } from '../../../src/internal/errors.js';
import { openEmbeddedCluster } from '../../../src/kube/index.js';
import { createStorage, SecretDriver } from '../../../src/storage/index.js';
import { tempDir, writeChart } from '../../helpers/chart-builder.js';
import {
  chartOf,
  configMap,
  deployment,
  live,
  metaOf,
  present,
  secretLabels,
  statuses,
  useReleaseContext,
} from './write-fixtures.js';

const newContext = useReleaseContext();

const simpleChart = () =>
  chartOf('demo', { 'values.yaml': 'value: a\n', 'templates/cm.yaml': configMap('demo-cm') });

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names:
    plural: widgets
    singular: widget
    kind: Widget
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          x-kubernetes-preserve-unknown-fields: true
`;

const WIDGET = `apiVersion: example.com/v1
kind: Widget
metadata:
  name: gizmo
spec:
  size: 3
`;

describe('install', () => {
  it('stores revision 1 deployed "Install complete", objects owned, --labels on the Secret', async () => {
    const ctx = newContext();
    const { release } = await new InstallAction(ctx, { labels: { team: 'blue' } }).runWithChart(
      'demo',
      await simpleChart(),
    );
    expect(release.info).toMatchObject({ status: 'deployed', description: 'Install complete' });
    expect(await statuses(ctx, 'demo')).toEqual([[1, 'deployed']]);
    const cm = await live(ctx.client, 'configmaps', 'demo-cm');
    expect(metaOf(cm).labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'Helm' });
    expect(metaOf(cm).annotations).toMatchObject({
      'meta.helm.sh/release-name': 'demo',
      'meta.helm.sh/release-namespace': 'default',
    });
    expect(await secretLabels(ctx.client, 'demo', 1)).toMatchObject({
      name: 'demo',
      owner: 'helm',
      status: 'deployed',
      version: '1',
      team: 'blue',
    });
  });

  it('refuses a name in use: "cannot reuse a name that is still in use", nothing changes', async () => {
    const ctx = newContext();
    await new InstallAction(ctx).runWithChart('demo', await simpleChart());
    const other = await chartOf('demo', { 'templates/cm.yaml': configMap('other-cm') });
    const attempt = new InstallAction(ctx).runWithChart('demo', other);
    await expect(attempt).rejects.toThrow(new ReleaseExistsError('cannot reuse a name that is still in use'));
    // --replace only reuses an uninstalled or failed release, never a deployed one.
    await expect(new InstallAction(ctx, { replace: true }).runWithChart('demo', other)).rejects.toThrow(
      'cannot reuse a name that is still in use',
    );
    expect(await statuses(ctx, 'demo')).toEqual([[1, 'deployed']]);
    expect(await live(ctx.client, 'configmaps', 'other-cm')).toBeUndefined();
  });

  it('--replace reuses the name of an uninstalled (--keep-history) release as the next revision', async () => {
    const ctx = newContext();
    await new InstallAction(ctx).runWithChart('demo', await simpleChart());
    await new UninstallAction(ctx, { keepHistory: true }).run('demo');
    expect(await present(ctx.client, 'configmaps', 'demo-cm')).toBe(false);
    await expect(new InstallAction(ctx).runWithChart('demo', await simpleChart())).rejects.toThrow(
      'cannot reuse a name that is still in use',
    );
    const { release } = await new InstallAction(ctx, { replace: true }).runWithChart(
      'demo',
      await simpleChart(),
    );
    expect(release.version).toBe(2);
    expect(await statuses(ctx, 'demo')).toEqual([
      [1, 'superseded'],
      [2, 'deployed'],
    ]);
    expect((await ctx.storage.get('demo', 1)).info.description).toBe('superseded by new release');
    expect(await present(ctx.client, 'configmaps', 'demo-cm')).toBe(true);
  });

  it('a failed install is stored failed; --replace installs over it as revision 2, leaving it failed', async () => {
    const ctx = newContext();
    const broken = await chartOf('demo', {
      'values.yaml': 'replicas: 1\n',
      'templates/web.yaml': deployment('web', 'nginx:no-such-tag'),
    });
    const failing = new InstallAction(ctx, { wait: true, timeoutMs: 20_000 }).runWithChart('demo', broken);
    await expect(failing).rejects.toThrow(/timed out waiting for the condition/);
    const [first] = await ctx.storage.history('demo');
    expect(first?.info.status).toBe('failed');
    expect(first?.info.description).toMatch(/^Release "demo" failed: timed out waiting for the condition/);
    const fixed = await chartOf('demo', {
      'values.yaml': 'replicas: 1\n',
      'templates/web.yaml': deployment('web'),
    });
    const { release } = await new InstallAction(ctx, { replace: true, wait: true }).runWithChart(
      'demo',
      fixed,
    );
    expect(release.version).toBe(2);
    expect(await statuses(ctx, 'demo')).toEqual([
      [1, 'failed'],
      [2, 'deployed'],
    ]);
  });

  it('--generate-name names the release <chart>-<unix seconds>', async () => {
    const ctx = newContext();
    const before = Math.floor((await ctx.client.now()).getTime() / 1000);
    const result = await new InstallAction(ctx, { generateName: true }).runWithChart(
      undefined,
      await simpleChart(),
    );
    const after = Math.floor((await ctx.client.now()).getTime() / 1000);
    expect(result.generatedName).toBe('chart-time');
    const m = /^demo-(\d+)$/.exec(result.release.name);
    expect(m, result.release.name).not.toBeNull();
    const seconds = Number(m![1]);
    expect(seconds).toBeGreaterThanOrEqual(before);
    expect(seconds).toBeLessThanOrEqual(after);
    expect(await statuses(ctx, result.release.name)).toEqual([[1, 'deployed']]);
  });

  it('no name: an adjective-animal name, the same for the same cluster seed, then a different one', async () => {
    const namesOf = async () => {
      const cluster = openEmbeddedCluster(undefined, { wallClock: () => new Date('2025-03-01T12:00:00Z') });
      try {
        const ctx = {
          client: cluster.client,
          namespace: 'default',
          storage: createStorage(new SecretDriver(cluster.client, 'default')),
        };
        const first = await new InstallAction(ctx).runWithChart(undefined, await simpleChart());
        const second = await new InstallAction(ctx).runWithChart(
          undefined,
          await chartOf('demo', { 'templates/cm.yaml': configMap('second-cm') }),
        );
        expect(first.generatedName).toBe('words');
        return [first.release.name, second.release.name];
      } finally {
        cluster.close();
      }
    };
    const a = await namesOf();
    const b = await namesOf();
    expect(a[0]).toMatch(/^[a-z]+-[a-z]+$/);
    expect(a).toEqual(b);
    expect(a[0]).not.toBe(a[1]);
  });

  describe('dry run', () => {
    it('client: renders a pending-install "Dry run complete" record; stores and creates nothing', async () => {
      const ctx = newContext();
      // An unowned object in the way: a client dry run does not look at the cluster.
      await ctx.client.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'demo-cm', namespace: 'default' },
      });
      const { release } = await new InstallAction(ctx, { dryRun: 'client' }).runWithChart(
        'demo',
        await simpleChart(),
      );
      expect(release.info).toMatchObject({ status: 'pending-install', description: 'Dry run complete' });
      expect(release.manifest).toContain('name: demo-cm');
      expect(await ctx.storage.history('demo')).toEqual([]);
      expect(metaOf(await live(ctx.client, 'configmaps', 'demo-cm')).annotations).toBeUndefined();
    });

    it('server: checks ownership against the cluster, stores and creates nothing', async () => {
      const ctx = newContext();
      const ok = await new InstallAction(ctx, { dryRun: 'server' }).runWithChart('demo', await simpleChart());
      expect(ok.release.info.description).toBe('Dry run complete');
      expect(await live(ctx.client, 'configmaps', 'demo-cm')).toBeUndefined();
      expect(await ctx.storage.history('demo')).toEqual([]);
      await ctx.client.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'demo-cm', namespace: 'default' },
      });
      await expect(
        new InstallAction(ctx, { dryRun: 'server' }).runWithChart('demo', await simpleChart()),
      ).rejects.toThrow(/Unable to continue with install: ConfigMap "demo-cm" in namespace "default" exists/);
    });
  });

  it("an object that exists unowned: Helm's ownership error, nothing stored; --take-ownership adopts it", async () => {
    const ctx = newContext();
    await ctx.client.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'demo-cm', namespace: 'default' },
      data: { value: 'mine' },
    });
    const attempt = new InstallAction(ctx).runWithChart('demo', await simpleChart());
    await expect(attempt).rejects.toThrow(
      'rendered manifests contain a resource that already exists. Unable to continue with install: ConfigMap "demo-cm" in namespace "default" exists and cannot be imported into the current release: invalid ownership metadata; label validation error: missing key "app.kubernetes.io/managed-by": must be set to "Helm"; annotation validation error: missing key "meta.helm.sh/release-name": must be set to "demo"; annotation validation error: missing key "meta.helm.sh/release-namespace": must be set to "default"',
    );
    expect(await ctx.storage.history('demo')).toEqual([]);
    expect((await live(ctx.client, 'configmaps', 'demo-cm'))?.data).toEqual({ value: 'mine' });
    await new InstallAction(ctx, { takeOwnership: true }).runWithChart('demo', await simpleChart());
    const adopted = await live(ctx.client, 'configmaps', 'demo-cm');
    expect(adopted?.data).toEqual({ value: 'a' });
    expect(metaOf(adopted).annotations).toMatchObject({ 'meta.helm.sh/release-name': 'demo' });
  });

  it('--atomic: a failed install is uninstalled and its history purged', async () => {
    const ctx = newContext();
    const broken = await chartOf('demo', {
      'values.yaml': 'value: a\nreplicas: 1\n',
      'templates/cm.yaml': configMap('demo-cm'),
      'templates/web.yaml': deployment('web', 'nginx:no-such-tag'),
    });
    const attempt = new InstallAction(ctx, { atomic: true, timeoutMs: 30_000 }).runWithChart('demo', broken);
    await expect(attempt).rejects.toThrow(
      /^release demo failed, and has been uninstalled due to rollback-on-failure being set: timed out waiting for the condition/,
    );
    expect(await ctx.storage.history('demo')).toEqual([]);
    expect(await present(ctx.client, 'configmaps', 'demo-cm')).toBe(false);
    expect(await present(ctx.client, 'deployments.apps', 'web')).toBe(false);
    // The lock is free again: the name can be installed at once.
    const fixed = await chartOf('demo', {
      'values.yaml': 'value: a\n',
      'templates/cm.yaml': configMap('demo-cm'),
    });
    expect((await new InstallAction(ctx).runWithChart('demo', fixed)).release.version).toBe(1);
  });

  it('a kind the cluster does not serve: "resource mapping not found … ensure CRDs are installed first", nothing created', async () => {
    const ctx = newContext();
    const chart = await chartOf('demo', {
      'values.yaml': 'value: a\n',
      'templates/cm.yaml': configMap('demo-cm'),
      'templates/widget.yaml': WIDGET,
    });
    const attempt = new InstallAction(ctx).runWithChart('demo', chart);
    await expect(attempt).rejects.toThrow(
      'unable to build kubernetes objects from release manifest: resource mapping not found for name: "gizmo" namespace: "" from "": no matches for kind "Widget" in version "example.com/v1"\nensure CRDs are installed first',
    );
    expect(await live(ctx.client, 'configmaps', 'demo-cm')).toBeUndefined();
    expect(await ctx.storage.history('demo')).toEqual([]);
  });

  it('crds/ are installed before the templates that use them, and stay after uninstall', async () => {
    const ctx = newContext();
    const chart = await chartOf('demo', { 'crds/widget.yaml': CRD, 'templates/widget.yaml': WIDGET });
    const { release } = await new InstallAction(ctx).runWithChart('demo', chart);
    expect(release.info.status).toBe('deployed');
    // crds/ are not part of the release manifest.
    expect(release.manifest).not.toContain('CustomResourceDefinition');
    expect(await live(ctx.client, 'customresourcedefinitions', 'widgets.example.com', '')).toBeDefined();
    expect((await live(ctx.client, 'widgets.example.com', 'gizmo'))?.spec).toEqual({ size: 3 });
    await new UninstallAction(ctx).run('demo');
    expect(await present(ctx.client, 'widgets.example.com', 'gizmo')).toBe(false);
    expect(await live(ctx.client, 'customresourcedefinitions', 'widgets.example.com', '')).toBeDefined();
  });

  it('--skip-crds leaves crds/ out (so the custom resource cannot be built)', async () => {
    const ctx = newContext();
    const chart = await chartOf('demo', { 'crds/widget.yaml': CRD, 'templates/widget.yaml': WIDGET });
    await expect(new InstallAction(ctx, { skipCrds: true }).runWithChart('demo', chart)).rejects.toThrow(
      /ensure CRDs are installed first/,
    );
    expect(await live(ctx.client, 'customresourcedefinitions', 'widgets.example.com', '')).toBeUndefined();
  });

  it('refuses a library chart: "library charts are not installable"', async () => {
    const ctx = newContext();
    const dir = writeChart(tempDir('bosun-release-'), {
      name: 'lib',
      files: {
        'Chart.yaml': 'apiVersion: v2\nname: lib\nversion: 0.1.0\ntype: library\n',
        'templates/_helpers.tpl': '{{#*inline "lib.name"}}lib{{/inline}}\n',
      },
    });
    await expect(new InstallAction(ctx).run('lib', dir)).rejects.toThrow(
      'library charts are not installable',
    );
    expect(await ctx.storage.history('lib')).toEqual([]);
  });

  it('aborted during --wait (Ctrl-C): revision 1 failed, the lock released', async () => {
    const controller = new AbortController();
    const ctx = newContext({ signal: controller.signal });
    const stuck = await chartOf('demo', {
      'values.yaml': 'replicas: 1\n',
      'templates/web.yaml': deployment('web', 'nginx:no-such-tag'),
    });
    const attempt = new InstallAction(ctx, { wait: true, onProgress: () => controller.abort() }).runWithChart(
      'demo',
      stuck,
    );
    await expect(attempt).rejects.toThrow('interrupted');
    expect(await statuses(ctx, 'demo')).toEqual([[1, 'failed']]);
    expect((await ctx.storage.get('demo', 1)).info.description).toBe('Release "demo" failed: interrupted');
    expect(await live(ctx.client, 'leases.coordination.k8s.io', 'bosun.release.demo')).toBeUndefined();
  });
});

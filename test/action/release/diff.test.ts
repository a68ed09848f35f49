import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReleaseContext } from '../../../src/action/release/context.js';
import {
  DiffRevisionAction,
  DiffUpgradeAction,
  diffReleases,
  renderDiff,
} from '../../../src/action/release/diff.js';
import { InstallAction } from '../../../src/action/release/install.js';
import { InvalidArgumentError, ReleaseNotFoundError } from '../../../src/internal/errors.js';
import type { Release, ReleaseStatus } from '../../../src/release/release.js';
import { createStorage, MemoryDriver } from '../../../src/storage/index.js';
import { useEmbeddedCluster } from '../../helpers/embedded-cluster.js';

const DOCKERCOINS = path.resolve(import.meta.dirname, '../../../charts/dockercoins');

function configMap(name: string, value: string): string {
  return `---\n# Source: app/templates/${name}.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  value: "${value}"\n`;
}

function release(version: number, manifest: string, status: ReleaseStatus = 'superseded'): Release {
  return {
    name: 'app',
    namespace: 'default',
    version,
    info: { status, description: `revision ${version}` },
    chart: {
      metadata: { apiVersion: 'v2', name: 'app', version: '0.1.0' },
      lock: null,
      templates: [],
      values: {},
      schema: null,
      files: [],
    },
    config: {},
    manifest,
  } as Release;
}

async function context(releases: Release[]): Promise<ReleaseContext> {
  const storage = createStorage(new MemoryDriver('default'));
  for (const r of releases) await storage.create(r);
  // Diffing revisions reads storage only; no cluster is touched.
  return { namespace: 'default', storage } as unknown as ReleaseContext;
}

const history = [
  release(1, configMap('a', '1')),
  release(2, configMap('a', '2') + configMap('b', '1')),
  release(3, configMap('a', '2') + configMap('b', '1'), 'deployed'),
];

describe('DiffRevisionAction', () => {
  it('diffs two revisions: the older one is always the "before" side', async () => {
    const ctx = await context(history);
    for (const [r1, r2] of [
      [1, 2],
      [2, 1],
    ] as const) {
      const d = await new DiffRevisionAction(ctx).run('app', r1, r2);
      expect(d.from.version).toBe(1);
      expect(d.to.version).toBe(2);
      expect(d.changes.map((c) => `${c.change} ${c.key}`)).toEqual([
        'changed default, a, ConfigMap (v1)',
        'added default, b, ConfigMap (v1)',
      ]);
    }
  });

  it('compares against the latest revision when R2 is omitted', async () => {
    const ctx = await context(history);
    const d = await new DiffRevisionAction(ctx).run('app', 1);
    expect(d.to.version).toBe(3);
    expect(d.changes).toHaveLength(2);
  });

  it('identical revisions give no changes', async () => {
    const ctx = await context(history);
    expect((await new DiffRevisionAction(ctx).run('app', 2, 3)).changes).toEqual([]);
    expect((await new DiffRevisionAction(ctx).run('app', 3)).changes).toEqual([]);
  });

  it('passes the diff options on (context lines)', async () => {
    const ctx = await context(history);
    const d = await new DiffRevisionAction(ctx, { context: 0 }).run('app', 1, 2);
    expect(renderDiff(d.changes.slice(0, 1))).toBe(
      'default, a, ConfigMap (v1) has changed:\n...\n-   value: "1"\n+   value: "2"\n',
    );
  });

  it('a missing release or revision is `release: not found`', async () => {
    const ctx = await context(history);
    await expect(new DiffRevisionAction(ctx).run('nope', 1)).rejects.toThrow(ReleaseNotFoundError);
    await expect(new DiffRevisionAction(ctx).run('nope', 1)).rejects.toThrow('release: not found');
    await expect(new DiffRevisionAction(ctx).run('app', 1, 9)).rejects.toThrow(ReleaseNotFoundError);
    await expect(new DiffRevisionAction(ctx).run('app', 7)).rejects.toThrow(ReleaseNotFoundError);
  });

  it('rejects revisions that are not positive integers', async () => {
    const ctx = await context(history);
    await expect(new DiffRevisionAction(ctx).run('app', 0)).rejects.toThrow(InvalidArgumentError);
    await expect(new DiffRevisionAction(ctx).run('app', 1, 1.5)).rejects.toThrow(InvalidArgumentError);
  });
});

describe('diffReleases', () => {
  it('compares hooks too, test hooks only with includeTests', () => {
    const hook = (name: string, events: string[], image: string) => ({
      name,
      kind: 'Pod',
      path: `app/templates/${name}.yaml`,
      manifest: `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n  - image: ${image}`,
      events,
      last_run: { phase: 'Succeeded' },
      weight: 0,
    });
    const a = {
      ...history[0]!,
      hooks: [hook('migrate', ['pre-upgrade'], 'm:1'), hook('t', ['test'], 't:1')],
    };
    const b = {
      ...history[0]!,
      hooks: [hook('migrate', ['pre-upgrade'], 'm:2'), hook('t', ['test'], 't:2')],
    };
    expect(diffReleases(a as Release, b as Release).changes.map((c) => c.key)).toEqual([
      'default, migrate, Pod (v1)',
    ]);
    expect(
      diffReleases(a as Release, b as Release, { includeTests: true }).changes.map((c) => c.key),
    ).toEqual(['default, migrate, Pod (v1)', 'default, t, Pod (v1)']);
  });

  it('documents without a namespace belong to the release namespace', () => {
    const b = { ...history[1]!, namespace: 'prod' };
    const d = diffReleases({ ...history[0]!, namespace: 'prod' }, b);
    expect(d.changes.map((c) => c.key)).toEqual(['prod, a, ConfigMap (v1)', 'prod, b, ConfigMap (v1)']);
  });
});

describe('DiffUpgradeAction', () => {
  const cluster = useEmbeddedCluster();

  async function installed(): Promise<ReleaseContext> {
    const ctx: ReleaseContext = {
      client: cluster(),
      namespace: 'default',
      storage: createStorage(new MemoryDriver('default')),
    };
    await new InstallAction(ctx).run('coins', DOCKERCOINS);
    return ctx;
  }

  it('shows what --set worker.replicas=10 would change, and stores nothing', async () => {
    const ctx = await installed();
    const d = await new DiffUpgradeAction(ctx, { values: { set: ['worker.replicas=10'] } }).run(
      'coins',
      DOCKERCOINS,
    );
    expect(d.from.version).toBe(1);
    expect(d.to.version).toBe(2);
    expect(d.changes.map((c) => `${c.change} ${c.key}`)).toEqual([
      'changed default, worker, Deployment (apps)',
    ]);
    const changed = d.changes[0]!.hunks.flatMap((h) => h.lines).filter((l) => l.op !== ' ');
    expect(changed).toEqual([
      { op: '-', text: '  replicas: 1' },
      { op: '+', text: '  replicas: 10' },
    ]);
    expect((await ctx.storage.history('coins')).map((r) => r.version)).toEqual([1]);
  });

  it('the same chart and values change nothing', async () => {
    const ctx = await installed();
    expect((await new DiffUpgradeAction(ctx).run('coins', DOCKERCOINS)).changes).toEqual([]);
  });

  it('--reuse-values keeps the values of the deployed revision, --reset-values drops them', async () => {
    const ctx = await installed();
    await new (await import('../../../src/action/release/upgrade.js')).UpgradeAction(ctx, {
      values: { set: ['worker.replicas=3'] },
    }).run('coins', DOCKERCOINS);
    const reuse = await new DiffUpgradeAction(ctx, { reuseValues: true }).run('coins', DOCKERCOINS);
    expect(reuse.from.version).toBe(2);
    expect(reuse.changes).toEqual([]);
    // No values at all: Helm reuses the last ones too; --reset-values goes back to the chart's.
    expect((await new DiffUpgradeAction(ctx).run('coins', DOCKERCOINS)).changes).toEqual([]);
    const reset = await new DiffUpgradeAction(ctx, { resetValues: true }).run('coins', DOCKERCOINS);
    expect(reset.changes.map((c) => c.key)).toEqual(['default, worker, Deployment (apps)']);
  });

  it('an unknown release fails as the upgrade does', async () => {
    const ctx = await installed();
    await expect(new DiffUpgradeAction(ctx).run('nope', DOCKERCOINS)).rejects.toThrow(
      '"nope" has no deployed releases',
    );
  });
});

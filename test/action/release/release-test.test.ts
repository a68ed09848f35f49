import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InstallAction } from '../../../src/action/release/install.js';
import { ReleaseTestAction } from '../../../src/action/release/release-test.js';
import { StatusAction } from '../../../src/action/release/status.js';
import { scaffoldFiles } from '../../../src/chart/create.js';
import { loadChart } from '../../../src/chart/loader.js';
import { printReleaseStatus } from '../../../src/cli/commands/release-print.js';
import { memoryIO } from '../../../src/cli/io.js';
import { InvalidArgumentError, ReleaseNotFoundError } from '../../../src/internal/errors.js';
import { tempDir, writeFiles } from '../../helpers/chart-builder.js';
import {
  chartOf,
  configMap,
  hookNamed,
  hookPod,
  live,
  statuses,
  useReleaseContext,
} from './write-fixtures.js';

const newContext = useReleaseContext();

/** A `bosun create` chart: nginx behind a Service, and the `busybox wget` test Pod. */
async function scaffoldChart(name: string) {
  const root = path.join(tempDir('bosun-release-'), name);
  const files = scaffoldFiles(name).filter((f) => !f.name.endsWith('/'));
  writeFiles(root, Object.fromEntries(files.map((f) => [f.name, f.content])));
  return loadChart(root);
}

/** A chart with test Pods `name → shell command`. */
function testsChart(tests: Readonly<Record<string, string>>, policy = '') {
  const files: Record<string, string> = {
    'values.yaml': 'value: a\n',
    'templates/cm.yaml': configMap('demo-cm'),
  };
  for (const [name, command] of Object.entries(tests))
    files[`templates/tests/${name}.yaml`] = hookPod(name, 'test', command, policy);
  return chartOf('demo', files);
}

describe('test (helm test)', () => {
  it("runs the scaffold's busybox wget Pod against the chart's Service and stores the result", async () => {
    const ctx = newContext();
    await new InstallAction(ctx, { wait: true }).runWithChart('web', await scaffoldChart('web'));
    const result = await new ReleaseTestAction(ctx, { logs: true }).run('web');
    expect(result.error).toBeUndefined();
    const run = hookNamed(result.release, 'web-test-connection').last_run;
    expect(run.phase).toBe('Succeeded');
    expect(run.started_at).toBeDefined();
    expect(run.completed_at).toBeDefined();
    expect(result.logs.map((l) => l.pod)).toEqual(['web-test-connection']);
    expect(result.logs[0]?.log).toContain('web:80');
    // Stored in the release: `status` shows the suite.
    const { release } = await new StatusAction(ctx).run('web');
    expect(hookNamed(release, 'web-test-connection').last_run.phase).toBe('Succeeded');
    expect(release.version).toBe(1);
    const io = memoryIO();
    printReleaseStatus(io, release, { hideNotes: true });
    expect(io.out()).toMatch(
      /TEST SUITE: {5}web-test-connection\nLast Started: {3}.+\nLast Completed: .+\nPhase: {10}Succeeded\n/,
    );
  });

  it('a test that cannot reach its Service fails the run, stored as Failed', async () => {
    const ctx = newContext();
    await new InstallAction(ctx).runWithChart('web', await scaffoldChart('web'));
    // The Service goes away: wget has nothing to talk to.
    await ctx.client.delete('services', 'default', 'web');
    const result = await new ReleaseTestAction(ctx).run('web');
    expect(result.error?.message).toMatch(/pod "web-test-connection" failed/);
    expect(hookNamed(await ctx.storage.last('web'), 'web-test-connection').last_run.phase).toBe('Failed');
  });

  it('a failing test: the error is returned, earlier tests keep their result, later ones do not run', async () => {
    const ctx = newContext();
    await new InstallAction(ctx).runWithChart(
      'demo',
      await testsChart({ a: 'exit 0', b: 'exit 1', c: 'exit 0' }),
    );
    const result = await new ReleaseTestAction(ctx).run('demo');
    expect(result.error?.message).toMatch(/^pod "b" failed/);
    const stored = await ctx.storage.last('demo');
    expect(hookNamed(stored, 'a').last_run.phase).toBe('Succeeded');
    expect(hookNamed(stored, 'b').last_run.phase).toBe('Failed');
    expect(hookNamed(stored, 'c').last_run.phase).toBe('Unknown');
    // A test run changes no revision status.
    expect(await statuses(ctx, 'demo')).toEqual([[1, 'deployed']]);
  });

  it('--filter name=… runs only those; !name=… leaves those out', async () => {
    const ctx = newContext();
    await new InstallAction(ctx).runWithChart(
      'demo',
      await testsChart({ a: 'exit 0', b: 'exit 1', c: 'exit 0' }),
    );
    const only = await new ReleaseTestAction(ctx, { filters: ['name=a,name=c'] }).run('demo');
    expect(only.error).toBeUndefined();
    expect(only.release.hooks?.map((h) => [h.name, h.last_run.phase])).toEqual([
      ['a', 'Succeeded'],
      ['b', 'Unknown'],
      ['c', 'Succeeded'],
    ]);
    expect(await live(ctx.client, 'pods', 'b')).toBeUndefined();
    const ctx2 = newContext();
    await new InstallAction(ctx2).runWithChart(
      'demo',
      await testsChart({ a: 'exit 0', b: 'exit 1', c: 'exit 0' }),
    );
    const without = await new ReleaseTestAction(ctx2, { filters: ['!name=b'] }).run('demo');
    expect(without.error).toBeUndefined();
    expect(hookNamed(without.release, 'b').last_run.phase).toBe('Unknown');
    expect(hookNamed(without.release, 'c').last_run.phase).toBe('Succeeded');
  });

  it('--logs reads the pods before hook-succeeded deletes them', async () => {
    const ctx = newContext();
    const chart = await testsChart(
      { hello: 'echo hello from the test' },
      '    "helm.sh/hook-delete-policy": hook-succeeded\n',
    );
    await new InstallAction(ctx).runWithChart('demo', chart);
    const result = await new ReleaseTestAction(ctx, { logs: true }).run('demo');
    expect(result.error).toBeUndefined();
    expect(result.logs).toEqual([{ pod: 'hello', log: expect.stringContaining('hello from the test') }]);
    expect(await live(ctx.client, 'pods', 'hello')).toBeUndefined();
  });

  it('a second run replaces the pods of the first (before-hook-creation)', async () => {
    const ctx = newContext();
    await new InstallAction(ctx).runWithChart('demo', await testsChart({ a: 'exit 0' }));
    await new ReleaseTestAction(ctx).run('demo');
    const first = hookNamed(await ctx.storage.last('demo'), 'a').last_run.started_at;
    await ctx.client.sleep(5_000);
    const again = await new ReleaseTestAction(ctx).run('demo');
    expect(again.error).toBeUndefined();
    expect(hookNamed(again.release, 'a').last_run.started_at! > first!).toBe(true);
  });

  it('refuses a missing release and a malformed filter', async () => {
    const ctx = newContext();
    await expect(new ReleaseTestAction(ctx).run('nope')).rejects.toThrow(
      new ReleaseNotFoundError('release: not found'),
    );
    await new InstallAction(ctx).runWithChart('demo', await testsChart({ a: 'exit 0' }));
    await expect(new ReleaseTestAction(ctx, { filters: ['a'] }).run('demo')).rejects.toThrow(
      InvalidArgumentError,
    );
  });
});

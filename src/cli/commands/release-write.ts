/**
 * `bosun install`, `upgrade`, `rollback`, `uninstall`, `test` and `init`: flags → release action
 * → Helm's output (the status block, `Rollback was a success! Happy Helming!`, `release "x"
 * uninstalled`). Failures read as Helm's: `Error: INSTALLATION FAILED: …`.
 */

import { type Command, Option } from 'commander';
import { InvalidArgumentError } from '../../internal/errors.js';
import { ExitError, errorLine } from '../errors.js';
import type { CliIO } from '../io.js';
import { valueOptionsFrom, valueSources } from '../values-flags.js';
import { addChartRefFlags, chartRefOptions } from './chart-ref-flags.js';
import { withReleaseContext } from './release-session.js';
import {
  addReleaseFlags,
  dryRunFlag,
  labelsFlag,
  liveProgress,
  namespaceOf,
  outputFlag,
  prefixed,
  timeoutFlag,
  type WriteFlags,
  waitFlags,
} from './release-write-flags.js';

export { releaseArgv, timeoutFlag } from './release-write-flags.js';

/**
 * The modules a release change needs, loaded when one runs: they bring in the cluster, which
 * `bosun version` or `bosun template` never need to load.
 */
async function load() {
  const [install, upgrade, rollback, uninstall, test, print, wait] = await Promise.all([
    import('../../action/release/install.js'),
    import('../../action/release/upgrade.js'),
    import('../../action/release/rollback.js'),
    import('../../action/release/uninstall.js'),
    import('../../action/release/release-test.js'),
    import('./release-print.js'),
    import('../../kube/wait.js'),
  ]);
  return {
    InstallAction: install.InstallAction,
    UpgradeAction: upgrade.UpgradeAction,
    RollbackAction: rollback.RollbackAction,
    UninstallAction: uninstall.UninstallAction,
    ReleaseTestAction: test.ReleaseTestAction,
    printReleaseStatus: print.printReleaseStatus,
    describeWaiting: wait.describeWaiting,
  };
}

type Modules = Awaited<ReturnType<typeof load>>;

/**
 * Runs a release change: the live progress is cleared at the end, and a change interrupted with
 * Ctrl-C (recorded as failed, its lock released) exits 130 as shells expect.
 */
async function change<T>(
  io: CliIO,
  prefix: string | undefined,
  fn: (progress: ReturnType<typeof liveProgress>, m: Modules) => Promise<T>,
): Promise<T> {
  const m = await load();
  const progress = liveProgress(io, m.describeWaiting);
  let interrupted = false;
  const stop = io.onInterrupt?.(() => {
    interrupted = true;
  });
  try {
    return await fn(progress, m);
  } catch (error) {
    if (interrupted) {
      progress.done();
      io.stderr.write(`${errorLine(prefix ? prefixed(prefix, error) : error, false)}\n`);
      throw new ExitError(130);
    }
    throw prefix ? prefixed(prefix, error) : error;
  } finally {
    progress.done();
    stop?.();
  }
}

/** Registers install, upgrade, rollback, uninstall, test and init. */
export function registerReleaseWrite(program: Command, io: CliIO): void {
  addChartRefFlags(
    addReleaseFlags(
      program
        .command('install')
        .description('install a chart')
        .argument('[name]', 'release name (generated when omitted)')
        .argument('[chart]', 'chart directory, archive, REPO/NAME or URL'),
    ),
  )
    .option('-g, --generate-name', 'generate the name (and omit the NAME parameter)')
    .option('--name <name>', 'release name (Helm 2 habit)')
    .option('--replace', 're-use the given name if it is uninstalled or failed')
    .action(async (a: string | undefined, b: string | undefined, flags: WriteFlags) => {
      const [nameArg, chart] = b === undefined ? [flags.name, a] : [a, b];
      if (chart === undefined) throw new InvalidArgumentError('"bosun install" requires a chart argument');
      const output = outputFlag(flags.output);
      const chartRef = await chartRefOptions(io, chart, flags);
      await change(io, 'INSTALLATION FAILED', (progress, m) =>
        withReleaseContext(io, { namespace: namespaceOf(program, flags) }, async (ctx) => {
          const labels = labelsFlag(flags.labels);
          const result = await new m.InstallAction(ctx, {
            ...waitFlags(flags, progress),
            cwd: io.cwd,
            ...chartRef,
            values: valueOptionsFrom(flags),
            valueSources: valueSources(io),
            ...(flags.generateName ? { generateName: true } : {}),
            ...(flags.createNamespace ? { createNamespace: true } : {}),
            dryRun: dryRunFlag(flags.dryRunStrategy ?? flags.dryRun),
            ...(flags.atomic || flags.rollbackOnFailure ? { atomic: true } : {}),
            ...(flags.description ? { description: flags.description } : {}),
            ...(flags.replace ? { replace: true } : {}),
            ...(flags.skipCrds ? { skipCrds: true } : {}),
            ...(flags.renderSubchartNotes ? { renderSubchartNotes: true } : {}),
            ...(labels
              ? {
                  labels: Object.fromEntries(Object.entries(labels).filter(([, v]) => v !== null)) as Record<
                    string,
                    string
                  >,
                }
              : {}),
            ...(flags.skipSchemaValidation ? { skipSchemaValidation: true } : {}),
            ...(flags.takeOwnership ? { takeOwnership: true } : {}),
          }).run(nameArg, chart);
          progress.done();
          if (result.generatedName === 'words')
            io.stderr.write(
              `no release name given: named it "${result.release.name}" (give one, or use --generate-name)\n`,
            );
          m.printReleaseStatus(io, result.release, { output, hideNotes: Boolean(flags.hideNotes) });
        }),
      );
    });

  addChartRefFlags(
    addReleaseFlags(
      program
        .command('upgrade')
        .description('upgrade a release')
        .argument('<name>', 'release name')
        .argument('<chart>', 'chart directory, archive, REPO/NAME or URL'),
    ),
  )
    .option('-i, --install', 'install the release when it does not exist')
    .option('--reuse-values', "reuse the last release's values and merge in any overrides")
    .option('--reset-values', 'reset the values to the ones built into the chart')
    .option(
      '--reset-then-reuse-values',
      "reset to the chart's values, then merge the last release's and any overrides",
    )
    .option('--history-max <n>', 'limit the number of revisions saved per release (0 for no limit)', '10')
    .option('--cleanup-on-fail', 'delete new resources created in this upgrade when it fails')
    .option('--force-replace', 'replace resources instead of patching them')
    .option('--force', 'deprecated alias of --force-replace')
    .action(async (name: string, chart: string, flags: WriteFlags) => {
      const output = outputFlag(flags.output);
      const historyMax = Number(flags.historyMax ?? '10');
      if (!Number.isInteger(historyMax) || historyMax < 0)
        throw new InvalidArgumentError(`invalid argument "${flags.historyMax}" for "--history-max" flag`);
      const chartRef = await chartRefOptions(io, chart, flags);
      await change(io, 'UPGRADE FAILED', (progress, m) =>
        withReleaseContext(io, { namespace: namespaceOf(program, flags) }, async (ctx) => {
          const labels = labelsFlag(flags.labels);
          const result = await new m.UpgradeAction(ctx, {
            ...waitFlags(flags, progress),
            cwd: io.cwd,
            ...chartRef,
            values: valueOptionsFrom(flags),
            valueSources: valueSources(io),
            ...(flags.install ? { install: true } : {}),
            ...(flags.reuseValues ? { reuseValues: true } : {}),
            ...(flags.resetValues ? { resetValues: true } : {}),
            ...(flags.resetThenReuseValues ? { resetThenReuseValues: true } : {}),
            historyMax,
            ...(flags.cleanupOnFail ? { cleanupOnFail: true } : {}),
            ...(flags.force || flags.forceReplace ? { force: true } : {}),
            dryRun: dryRunFlag(flags.dryRunStrategy ?? flags.dryRun),
            ...(flags.atomic || flags.rollbackOnFailure ? { atomic: true } : {}),
            ...(flags.description ? { description: flags.description } : {}),
            ...(labels ? { labels } : {}),
            ...(flags.createNamespace ? { createNamespace: true } : {}),
            ...(flags.skipCrds ? { skipCrds: true } : {}),
            ...(flags.renderSubchartNotes ? { renderSubchartNotes: true } : {}),
            ...(flags.skipSchemaValidation ? { skipSchemaValidation: true } : {}),
            ...(flags.takeOwnership ? { takeOwnership: true } : {}),
          }).run(name, chart);
          progress.done();
          if (output === 'table') {
            if (result.installed) io.stdout.write(`Release "${name}" does not exist. Installing it now.\n`);
            else io.stdout.write(`Release "${name}" has been upgraded. Happy Helming!\n`);
          }
          m.printReleaseStatus(io, result.release, { output, hideNotes: Boolean(flags.hideNotes) });
        }),
      );
    });

  program
    .command('rollback')
    .description('roll back a release to a previous revision')
    .argument('<name>', 'release name')
    .argument('[revision]', 'revision (default: the previous one)')
    .option('-n, --namespace <namespace>', 'namespace scope for this request')
    .option('--wait', 'wait until all resources are ready')
    .addOption(new Option('--wait-strategy <strategy>').hideHelp())
    .option('--wait-for-jobs', 'with --wait, also wait for Jobs to complete')
    .option('--timeout <duration>', 'time to wait for any individual Kubernetes operation', '5m0s')
    .option('--dry-run', 'simulate a rollback')
    .addOption(new Option('--dry-run-strategy <strategy>').hideHelp())
    .option('--no-hooks', 'prevent hooks from running during rollback')
    .option('--history-max <n>', 'limit the number of revisions saved per release (0 for no limit)', '10')
    .option('--cleanup-on-fail', 'delete new resources created in this rollback when it fails')
    .option('--force-replace', 'replace resources instead of patching them')
    .option('--force', 'deprecated alias of --force-replace')
    .action(async (name: string, revisionArg: string | undefined, flags: WriteFlags) => {
      const revision = revisionArg === undefined ? undefined : Number(revisionArg);
      if (revision !== undefined && (!Number.isInteger(revision) || revision < 0))
        throw new InvalidArgumentError(`invalid revision number "${revisionArg}": must be a whole number`);
      await change(io, undefined, (progress, m) =>
        withReleaseContext(io, { namespace: namespaceOf(program, flags) }, async (ctx) => {
          await new m.RollbackAction(ctx, {
            ...waitFlags(flags, progress),
            historyMax: Number(flags.historyMax ?? '10'),
            ...(flags.force || flags.forceReplace ? { force: true } : {}),
            ...(flags.cleanupOnFail ? { cleanupOnFail: true } : {}),
            ...(dryRunFlag(flags.dryRunStrategy ?? flags.dryRun) !== 'none' ? { dryRun: true } : {}),
          }).run(name, revision);
          progress.done();
          io.stdout.write('Rollback was a success! Happy Helming!\n');
        }),
      );
    });

  program
    .command('uninstall')
    .aliases(['delete', 'del', 'un'])
    .description('uninstall a release')
    .argument('<names...>', 'release names')
    .option('-n, --namespace <namespace>', 'namespace scope for this request')
    .option('--keep-history', 'keep the release history, with the last revision uninstalled')
    .option('--no-hooks', 'prevent hooks from running during uninstallation')
    .option('--dry-run', 'simulate an uninstall')
    .addOption(new Option('--dry-run-strategy <strategy>').hideHelp())
    .option('--wait', 'wait until all the resources are deleted')
    .addOption(new Option('--wait-strategy <strategy>').hideHelp())
    .option('--timeout <duration>', 'time to wait for any individual Kubernetes operation', '5m0s')
    .option('--description <text>', 'add a custom description')
    .option('--ignore-not-found', 'treat a missing release as uninstalled')
    .option('--cascade <policy>', 'background, orphan or foreground', 'background')
    .option('--purge', 'Helm 2 habit: the history is removed anyway (see --keep-history)')
    .action(
      async (
        names: string[],
        flags: WriteFlags & {
          keepHistory?: boolean;
          ignoreNotFound?: boolean;
          cascade?: string;
          hooks?: boolean;
        },
      ) => {
        const cascade = flags.cascade ?? 'background';
        if (cascade !== 'background' && cascade !== 'orphan' && cascade !== 'foreground')
          throw new InvalidArgumentError(
            `invalid cascade value (${cascade}). Must be "background", "foreground", or "orphan"`,
          );
        await change(io, undefined, (_progress, m) =>
          withReleaseContext(io, { namespace: namespaceOf(program, flags) }, async (ctx) => {
            for (const name of names) {
              const timeoutMs = timeoutFlag(flags.timeout);
              const result = await new m.UninstallAction(ctx, {
                ...(flags.keepHistory ? { keepHistory: true } : {}),
                ...(flags.hooks === false ? { noHooks: true } : {}),
                ...(flags.dryRun ? { dryRun: true } : {}),
                ...(flags.wait ? { wait: true } : {}),
                ...(timeoutMs === undefined ? {} : { timeoutMs }),
                ...(flags.description ? { description: flags.description } : {}),
                ...(flags.ignoreNotFound ? { ignoreNotFound: true } : {}),
                cascade,
              }).run(name);
              if (result.kept.length > 0) {
                io.stdout.write('These resources were kept due to the resource policy:\n');
                for (const r of result.kept) io.stdout.write(`[${r.kind.kind}] ${r.name}\n`);
              }
              if (result.release) io.stdout.write(`release "${name}" uninstalled\n`);
            }
          }),
        );
      },
    );

  program
    .command('test')
    .description('run tests for a release')
    .argument('<name>', 'release name')
    .option('-n, --namespace <namespace>', 'namespace scope for this request')
    .option('--timeout <duration>', 'time to wait for any individual Kubernetes operation', '5m0s')
    .option('--filter <filter>', 'name=NAME or !name=NAME (can repeat)', (v, p: string[] = []) => [...p, v])
    .option('--logs', 'dump the logs from test pods')
    .action(async (name: string, flags: WriteFlags & { filter?: string[]; logs?: boolean }) => {
      await change(io, undefined, (_progress, m) =>
        withReleaseContext(io, { namespace: namespaceOf(program, flags) }, async (ctx) => {
          const timeoutMs = timeoutFlag(flags.timeout);
          const result = await new m.ReleaseTestAction(ctx, {
            ...(timeoutMs === undefined ? {} : { timeoutMs }),
            ...(flags.filter ? { filters: flags.filter } : {}),
            ...(flags.logs ? { logs: true } : {}),
          }).run(name);
          m.printReleaseStatus(io, result.release, { output: 'table', hideNotes: true });
          for (const { pod, log } of result.logs) io.stdout.write(`POD LOGS: ${pod}\n${log}\n`);
          if (result.error) throw result.error;
        }),
      );
    });

  program
    .command('init')
    .description('Helm 2 habit: set up Tiller (bosun needs no server-side component)')
    .allowUnknownOption()
    .action(() => {
      io.stdout.write(
        'bosun needs no server-side component (Helm 2 installed Tiller here): nothing to do.\n' +
          'Charts install straight into the cluster; the "stable" repository is already configured.\n',
      );
    });
}

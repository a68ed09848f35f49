/**
 * `bosun install`, `upgrade`, `rollback`, `uninstall`, `test` and `init`: flags → release action
 * → Helm's output (the status block, `Rollback was a success! Happy Helming!`, `release "x"
 * uninstalled`). Failures read as Helm's: `Error: INSTALLATION FAILED: …`.
 */

import { type Command, Option } from 'commander';
import { parseGoDuration } from '../../action/kubectl/durations.js';
import type { WaitFlags } from '../../action/release/install.js';
import { BosunError, InvalidArgumentError } from '../../internal/errors.js';
import type { WaitProgress } from '../../kube/wait.js';
import { ExitError, errorLine } from '../errors.js';
import type { CliIO } from '../io.js';
import { addValuesFlags, type ValuesFlags, valueOptionsFrom, valueSources } from '../values-flags.js';
import { addChartRefFlags, type ChartRefFlags, chartRefOptions } from './chart-ref-flags.js';
import { withReleaseContext } from './release-session.js';

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

/** A failure prefixed as Helm prefixes it (`INSTALLATION FAILED: …`), keeping its class and code. */
function prefixed(prefix: string, error: unknown): unknown {
  if (!(error instanceof BosunError)) return error;
  const copy = Object.create(Object.getPrototypeOf(error)) as BosunError;
  Object.assign(copy, error);
  Object.defineProperty(copy, 'message', { value: `${prefix}: ${error.message}` });
  return copy;
}

/** `--timeout`: a Go duration (`5m0s`, `90s`), or a bare number of seconds as Helm 2 took it. */
export function timeoutFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const ms = parseGoDuration(value);
  if (ms === undefined || ms < 0)
    throw new InvalidArgumentError(
      `invalid argument "${value}" for "--timeout" flag: time: invalid duration "${value}"`,
    );
  return ms;
}

/** `--labels k=v,k2=v2` (`null` deletes on upgrade). */
function labelsFlag(values: readonly string[] | undefined): Record<string, string | null> | undefined {
  if (!values || values.length === 0) return undefined;
  const out: Record<string, string | null> = {};
  for (const pair of values.flatMap((v) => v.split(','))) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`--labels: "${pair}" is not KEY=VALUE`);
    const value = pair.slice(eq + 1);
    out[pair.slice(0, eq)] = value === 'null' ? null : value;
  }
  return out;
}

const RELEASE_COMMANDS = new Set(['install', 'upgrade', 'rollback', 'uninstall', 'delete', 'del', 'un']);

/**
 * Helm's `--wait[=strategy]` and `--dry-run[=strategy]` take a value only after `=`: a bare flag
 * never swallows the next argument (`install --dry-run coins ./chart`). Commander's optional
 * values would, so the `=` forms are renamed to hidden `--wait-strategy` / `--dry-run-strategy`
 * and the bare flags stay booleans.
 */
export function releaseArgv(argv: readonly string[]): string[] {
  if (!RELEASE_COMMANDS.has(argv[0] ?? '')) return [...argv];
  return argv.map((a) =>
    a.startsWith('--wait=')
      ? `--wait-strategy=${a.slice(7)}`
      : a.startsWith('--dry-run=')
        ? `--dry-run-strategy=${a.slice(10)}`
        : a,
  );
}

/** `--dry-run[=client|server]`; bare means client. */
function dryRunFlag(value: string | boolean | undefined): 'none' | 'client' | 'server' {
  if (value === undefined || value === false || value === 'none' || value === 'false') return 'none';
  if (value === true || value === 'client' || value === 'true') return 'client';
  if (value === 'server') return 'server';
  throw new InvalidArgumentError(`invalid dry-run value (${value}). Must be "none", "server", or "client"`);
}

function outputFlag(value: string | undefined): 'table' | 'json' | 'yaml' {
  const o = value ?? 'table';
  if (o !== 'table' && o !== 'json' && o !== 'yaml')
    throw new InvalidArgumentError(`invalid format type "${o}": must be one of table, json, yaml`);
  return o;
}

interface WriteFlags extends ValuesFlags, ChartRefFlags {
  namespace?: string;
  wait?: boolean;
  waitStrategy?: string;
  dryRunStrategy?: string;
  waitForJobs?: boolean;
  timeout?: string;
  atomic?: boolean;
  rollbackOnFailure?: boolean;
  description?: string;
  dryRun?: string | boolean;
  output?: string;
  noHooks?: boolean;
  skipCrds?: boolean;
  renderSubchartNotes?: boolean;
  labels?: string[];
  skipSchemaValidation?: boolean;
  takeOwnership?: boolean;
  createNamespace?: boolean;
  hideNotes?: boolean;
  // install
  generateName?: boolean;
  name?: string;
  replace?: boolean;
  // upgrade
  install?: boolean;
  reuseValues?: boolean;
  resetValues?: boolean;
  resetThenReuseValues?: boolean;
  historyMax?: string;
  cleanupOnFail?: boolean;
  force?: boolean;
  forceReplace?: boolean;
}

function addReleaseFlags(cmd: Command): Command {
  return addValuesFlags(cmd)
    .option('-n, --namespace <namespace>', 'namespace scope for this request')
    .option('--wait', 'wait until all resources are ready (--wait=watcher|legacy|hookOnly)')
    .addOption(new Option('--wait-strategy <strategy>').hideHelp())
    .option('--wait-for-jobs', 'with --wait, also wait for Jobs to complete')
    .option('--timeout <duration>', 'time to wait for any individual Kubernetes operation', '5m0s')
    .option('--rollback-on-failure', 'undo the change when it fails (implies --wait)')
    .option('--atomic', 'deprecated alias of --rollback-on-failure')
    .option('--description <text>', 'add a custom description')
    .option('--dry-run', 'simulate an install (--dry-run=client|server)')
    .addOption(new Option('--dry-run-strategy <strategy>').hideHelp())
    .option('-o, --output <format>', 'prints the output in the specified format (table, json, yaml)', 'table')
    .option('--no-hooks', 'prevent hooks from running')
    .option('--skip-crds', 'do not install CRDs from crds/')
    .option('--render-subchart-notes', 'render subchart notes along with the parent')
    .option('-l, --labels <k=v>', 'labels added to the release metadata', (v, p: string[] = []) => [...p, v])
    .option('--skip-schema-validation', 'disable JSON schema validation')
    .option('--take-ownership', 'adopt existing resources that carry no ownership metadata')
    .option('--create-namespace', 'create the release namespace if not present')
    .option('--hide-notes', 'do not show notes');
}

/**
 * The wait progress: on a terminal one live line rewritten in place (and cleared at the end),
 * otherwise a plain line each time it changes. On stderr, so `-o json` output stays clean.
 */
function liveProgress(
  io: CliIO,
  describeWaiting: (pending: readonly WaitProgress[]) => string,
): { onProgress: NonNullable<WaitFlags['onProgress']>; done: () => void } {
  let lastLine = '';
  return {
    onProgress: (pending) => {
      const line = describeWaiting(pending);
      if (line === lastLine) return;
      lastLine = line;
      io.stderr.write(io.isTTY ? `\r\u001b[K${line}` : `${line}\n`);
    },
    done: () => {
      if (io.isTTY && lastLine !== '') io.stderr.write('\r\u001b[K');
      lastLine = '';
    },
  };
}

function waitFlags(flags: WriteFlags, progress: ReturnType<typeof liveProgress>): WaitFlags {
  const strategy = flags.waitStrategy ?? (flags.wait ? 'watcher' : 'hookOnly');
  if (!['watcher', 'legacy', 'hookOnly', 'true', 'false'].includes(strategy))
    throw new InvalidArgumentError(
      `invalid wait strategy "${strategy}": must be one of "watcher", "hookOnly", "legacy"`,
    );
  const wait = strategy !== 'hookOnly' && strategy !== 'false';
  const timeoutMs = timeoutFlag(flags.timeout);
  return {
    wait,
    ...(flags.waitForJobs ? { waitForJobs: true } : {}),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(flags.noHooks === true || (flags as { hooks?: boolean }).hooks === false ? { noHooks: true } : {}),
    onProgress: progress.onProgress,
  };
}

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

function namespaceOf(program: Command, flags: WriteFlags): string | undefined {
  return flags.namespace ?? (program.opts()['namespace'] as string | undefined);
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

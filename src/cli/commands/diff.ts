/**
 * `bosun diff revision NAME R1 [R2]` and `bosun diff upgrade NAME CHART`: what changed between
 * two revisions, or what an upgrade would change, resource by resource, printed as the helm-diff
 * plugin prints it. Nothing is printed when nothing changed.
 */

import type { Command } from 'commander';
import { InvalidArgumentError } from '../../internal/errors.js';
import { ExitError } from '../errors.js';
import type { CliIO } from '../io.js';
import {
  addValuesFlags,
  collect,
  type ValuesFlags,
  valueOptionsFrom,
  valueSources,
} from '../values-flags.js';
import { withReleaseContext } from './release-session.js';

interface DiffFlags {
  context: string;
  showSecrets?: boolean;
  suppressSecrets?: boolean;
  suppress: string[];
  includeTests?: boolean;
  detailedExitcode?: boolean;
  color?: boolean;
  namespace?: string;
}

interface UpgradeDiffFlags extends DiffFlags, ValuesFlags {
  reuseValues?: boolean;
  resetValues?: boolean;
  resetThenReuseValues?: boolean;
}

/** helm-diff's message when `--detailed-exitcode` finds changes (exit code 2). */
export const DETAILED_EXITCODE_MESSAGE =
  'identified at least one change, exiting with non-zero exit code (detailed-exitcode parameter enabled)';

function addDiffFlags(cmd: Command): Command {
  return cmd
    .option('-C, --context <lines>', 'output NUM lines of context around changes (-1: whole resources)', '-1')
    .option('--show-secrets', 'do not redact secret values in the output')
    .option('-q, --suppress-secrets', 'suppress secrets in the output')
    .option(
      '--suppress <kind>',
      'allows suppression of the kinds listed in the diff output (can repeat)',
      collect,
      [],
    )
    .option('--include-tests', 'enable the diffing of the helm test hooks')
    .option('--detailed-exitcode', 'return a non-zero exit code (2) when there are changes')
    .option('--color', 'color output (default: when stdout is a terminal and NO_COLOR is not set)')
    .option('--no-color', 'disable color output');
}

function parseContext(text: string): number {
  if (!/^-?\d+$/.test(text))
    throw new InvalidArgumentError(`invalid argument "${text}" for "--context": not a number`);
  return Number(text);
}

function parseRevision(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new InvalidArgumentError(`invalid revision "${text}": must be a positive integer`);
  }
  return Number(text);
}

function diffOptions(flags: DiffFlags) {
  return {
    context: parseContext(flags.context),
    showSecrets: Boolean(flags.showSecrets),
    suppressedKinds: [...flags.suppress, ...(flags.suppressSecrets ? ['Secret'] : [])],
    includeTests: Boolean(flags.includeTests),
  };
}

/** Colour when asked (`--color`/`--no-color`), else when stdout is a terminal and `NO_COLOR` is unset. */
export function useColor(io: CliIO, flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  return io.isTTY && !io.env.NO_COLOR;
}

function print(
  io: CliIO,
  flags: DiffFlags,
  result: { changes: readonly unknown[]; warnings: readonly string[] },
  text: string,
): void {
  for (const w of result.warnings) io.stderr.write(`warning: ${w}\n`);
  io.stdout.write(text);
  if (flags.detailedExitcode && result.changes.length > 0) {
    io.stderr.write(`Error: ${DETAILED_EXITCODE_MESSAGE}\n`);
    throw new ExitError(2);
  }
}

/** Registers `diff revision` and `diff upgrade`. */
export function registerDiff(program: Command, io: CliIO): void {
  const diff = program
    .command('diff')
    .description('show what changed between revisions of a release, or what an upgrade would change');

  addDiffFlags(
    diff
      .command('revision')
      .description('show the diff between two revisions of a release (the latest when REVISION2 is omitted)')
      .argument('<name>', 'release name')
      .argument('<revision1>', 'the revision to compare from')
      .argument('[revision2]', 'the revision to compare to (default: the latest)'),
  ).action(async (name: string, r1: string, r2: string | undefined, _flags: DiffFlags, cmd: Command) => {
    const flags = cmd.optsWithGlobals<DiffFlags>();
    const options = diffOptions(flags);
    const from = parseRevision(r1);
    const to = r2 === undefined ? undefined : parseRevision(r2);
    const { DiffRevisionAction, renderDiff } = await import('../../action/release/diff.js');
    const result = await withReleaseContext(io, { namespace: flags.namespace }, (ctx) =>
      new DiffRevisionAction(ctx, options).run(name, from, to),
    );
    print(io, flags, result, renderDiff(result.changes, { color: useColor(io, flags.color) }));
  });

  addDiffFlags(
    addValuesFlags(
      diff
        .command('upgrade')
        .description('show what an upgrade of a release to CHART would change (a dry-run upgrade)')
        .argument('<name>', 'release name')
        .argument('<chart>', 'chart directory, archive or reference'),
    )
      .option('--reuse-values', "reuse the last release's values and merge in any overrides")
      .option('--reset-values', 'reset the values to the ones built into the chart')
      .option(
        '--reset-then-reuse-values',
        "reset the values to the ones built into the chart, apply the last release's values and merge in any overrides",
      ),
  ).action(async (name: string, chart: string, _flags: UpgradeDiffFlags, cmd: Command) => {
    const flags = cmd.optsWithGlobals<UpgradeDiffFlags>();
    const options = diffOptions(flags);
    const { DiffUpgradeAction, renderDiff } = await import('../../action/release/diff.js');
    const upgrade = {
      values: valueOptionsFrom(flags),
      valueSources: valueSources(io),
      reuseValues: Boolean(flags.reuseValues),
      resetValues: Boolean(flags.resetValues),
      resetThenReuseValues: Boolean(flags.resetThenReuseValues),
      cwd: io.cwd,
    };
    const result = await withReleaseContext(io, { namespace: flags.namespace }, (ctx) =>
      new DiffUpgradeAction(ctx, upgrade, options).run(name, chart),
    );
    print(io, flags, result, renderDiff(result.changes, { color: useColor(io, flags.color) }));
  });
}

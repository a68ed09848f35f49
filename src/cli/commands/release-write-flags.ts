/**
 * The flags of the release commands and how they read: `--timeout` (a Go duration, or seconds as
 * Helm 2 took it), `--labels`, `--dry-run[=…]` and `--wait[=…]` (never swallowing the next
 * argument), `-o`, the live wait progress, and Helm's failure prefixes.
 */

import { type Command, Option } from 'commander';
import { parseGoDuration } from '../../action/kubectl/durations.js';
import type { WaitFlags } from '../../action/release/install.js';
import { BosunError, InvalidArgumentError } from '../../internal/errors.js';
import type { WaitProgress } from '../../kube/wait.js';
import type { CliIO } from '../io.js';
import { addValuesFlags, type ValuesFlags } from '../values-flags.js';
import type { ChartRefFlags } from './chart-ref-flags.js';

/** A failure prefixed as Helm prefixes it (`INSTALLATION FAILED: …`), keeping its class and code. */
export function prefixed(prefix: string, error: unknown): unknown {
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
export function labelsFlag(values: readonly string[] | undefined): Record<string, string | null> | undefined {
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
export function dryRunFlag(value: string | boolean | undefined): 'none' | 'client' | 'server' {
  if (value === undefined || value === false || value === 'none' || value === 'false') return 'none';
  if (value === true || value === 'client' || value === 'true') return 'client';
  if (value === 'server') return 'server';
  throw new InvalidArgumentError(`invalid dry-run value (${value}). Must be "none", "server", or "client"`);
}

export function outputFlag(value: string | undefined): 'table' | 'json' | 'yaml' {
  const o = value ?? 'table';
  if (o !== 'table' && o !== 'json' && o !== 'yaml')
    throw new InvalidArgumentError(`invalid format type "${o}": must be one of table, json, yaml`);
  return o;
}

export interface WriteFlags extends ValuesFlags, ChartRefFlags {
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

export function addReleaseFlags(cmd: Command): Command {
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
export function liveProgress(
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

export function waitFlags(flags: WriteFlags, progress: ReturnType<typeof liveProgress>): WaitFlags {
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

export function namespaceOf(program: Command, flags: WriteFlags): string | undefined {
  return flags.namespace ?? (program.opts()['namespace'] as string | undefined);
}

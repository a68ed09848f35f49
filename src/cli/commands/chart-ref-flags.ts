/**
 * The chart-locating flags of `install`, `upgrade`, `template`, `show` and `pull` (helm-behaviour
 * §1.3): `--version`, `--devel`, `--repo`, `--username`, `--password`, `--pass-credentials`, and
 * the repository options they become. Kept free of heavy imports: the commands that use it load
 * before they know whether the chart is a local path.
 */

import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { ChartRepositoryOptions } from '../../action/release/chart-ref.js';
import type { CliIO } from '../io.js';

/** The chart-locating flags as commander parses them. */
export interface ChartRefFlags {
  version?: string;
  devel?: boolean;
  repo?: string;
  username?: string;
  password?: string;
  passCredentials?: boolean;
}

/** Adds the chart-locating flags to `cmd`. */
export function addChartRefFlags(cmd: Command): Command {
  return cmd
    .option(
      '--version <version>',
      'specify a version constraint for the chart version to use (exact version or constraint such as ^1.0.0); the latest release is used when omitted',
    )
    .option(
      '--devel',
      "use development versions, too. Equivalent to version '>0.0.0-0'. If --version is set, this is ignored",
    )
    .option('--repo <url>', 'chart repository url where to locate the requested chart')
    .option('--username <username>', 'chart repository username where to locate the requested chart')
    .option('--password <password>', 'chart repository password where to locate the requested chart')
    .option('--pass-credentials', 'pass credentials to all domains');
}

/** `$BOSUN_HOME` of this invocation (the module that knows it is loaded only when needed). */
export async function bosunHomeOf(io: CliIO): Promise<string> {
  const { bosunHome } = await import('../../kube/embedded.js');
  return bosunHome(io.env);
}

/** Writes a warning to stderr. */
export function warnTo(io: CliIO): (message: string) => void {
  return (message) => io.stderr.write(`warning: ${message}\n`);
}

/** The repository options of the flags, whatever the chart reference is. */
export async function repositoryOptions(io: CliIO, flags: ChartRefFlags): Promise<ChartRepositoryOptions> {
  return {
    home: await bosunHomeOf(io),
    ...(flags.version !== undefined ? { version: flags.version } : {}),
    ...(flags.devel ? { devel: true } : {}),
    ...(flags.repo !== undefined ? { repoUrl: flags.repo } : {}),
    ...(flags.username !== undefined ? { username: flags.username } : {}),
    ...(flags.password !== undefined ? { password: flags.password } : {}),
    ...(flags.passCredentials ? { passCredentialsAll: true } : {}),
    warn: warnTo(io),
  };
}

/**
 * `{ repository }` for an action's options when `chart` may come from a repository; `{}` when it
 * is a path on disk, so a local chart never loads the repository code.
 */
export async function chartRefOptions(
  io: CliIO,
  chart: string,
  flags: ChartRefFlags,
): Promise<{ repository?: ChartRepositoryOptions }> {
  if (existsSync(path.resolve(io.cwd, chart.trim()))) return {};
  return { repository: await repositoryOptions(io, flags) };
}

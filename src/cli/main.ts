/**
 * The command-line entry: builds the command tree, runs one invocation, maps errors to one
 * line on stderr and an exit code. The only code that touches argv, stdout/stderr and exit codes.
 */

import { Command, CommanderError } from 'commander';
import { BOSUN_VERSION } from '../internal/version.js';
import { registerChartCommands } from './commands/chart-commands.js';
import { registerCluster } from './commands/cluster.js';
import { registerCompletion } from './commands/completion.js';
import { registerDependency } from './commands/dependency.js';
import { registerDiff } from './commands/diff.js';
import { registerKubectl } from './commands/kubectl.js';
import { registerLint } from './commands/lint.js';
import { registerPull } from './commands/pull.js';
import { registerReleaseRead } from './commands/release-read.js';
import { registerReleaseWrite, releaseArgv } from './commands/release-write.js';
import { registerRepo } from './commands/repo.js';
import { registerSearch } from './commands/search.js';
import { registerTemplate } from './commands/template.js';
import { registerVersion } from './commands/version.js';
import { ExitError, errorLine, exitCodeFor } from './errors.js';
import type { CliIO } from './io.js';

/** Builds the full command tree for one invocation. */
export function buildProgram(io: CliIO): Command {
  const program = new Command('bosun')
    .description('The Kubernetes package manager, with a simulated cluster built in')
    .version(BOSUN_VERSION, '--bosun-version', 'print the bosun version')
    .option('-n, --namespace <namespace>', 'namespace scope for this request')
    .option('--debug', 'enable verbose output')
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: () => {},
    });
  registerTemplate(program, io);
  registerReleaseWrite(program, io);
  registerReleaseRead(program, io);
  registerLint(program, io);
  registerChartCommands(program, io);
  registerVersion(program, io);
  registerKubectl(program, io);
  registerCluster(program, io);
  registerCompletion(program, io);
  registerDiff(program, io);
  registerDependency(program, io);
  registerRepo(program, io);
  registerSearch(program, io);
  registerPull(program, io);
  for (const cmd of program.commands) {
    cmd.exitOverride().configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: () => {},
    });
  }
  return program;
}

/** Runs bosun with `argv` (without `node` and the script path); resolves to the exit code. */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(releaseArgv(argv), { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version') {
        return 0;
      }
      io.stderr.write(`Error: ${err.message.replace(/^error: /, '')}\n`);
      return 1;
    }
    if (err instanceof ExitError) return err.exitCode;
    io.stderr.write(`${errorLine(err, Boolean(program.opts()['debug']))}\n`);
    return exitCodeFor(err);
  }
}

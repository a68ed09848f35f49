/**
 * The command tree: every command, and for one invocation only the command it runs.
 */

import { Command } from 'commander';
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
import { registerReleaseWrite } from './commands/release-write.js';
import { registerRepo } from './commands/repo.js';
import { registerSearch } from './commands/search.js';
import { registerTemplate } from './commands/template.js';
import { registerVersion } from './commands/version.js';
import type { CliIO } from './io.js';

type Register = (program: Command, io: CliIO) => void;

/**
 * Every top-level command, by the names and aliases it answers to, with the function that
 * registers it (and its subcommands). In help order. A test checks the names against what each
 * function registers.
 */
export const COMMANDS: readonly (readonly [names: readonly string[], register: Register])[] = [
  [['template'], registerTemplate],
  [
    ['install', 'upgrade', 'rollback', 'uninstall', 'delete', 'del', 'un', 'test', 'init'],
    registerReleaseWrite,
  ],
  [['list', 'ls', 'history', 'hist', 'status', 'get'], registerReleaseRead],
  [['lint'], registerLint],
  [['create', 'package', 'show', 'inspect'], registerChartCommands],
  [['version'], registerVersion],
  [['kubectl', 'k'], registerKubectl],
  [['cluster'], registerCluster],
  [['completion'], registerCompletion],
  [['diff'], registerDiff],
  [['dependency', 'dep', 'dependencies'], registerDependency],
  [['repo'], registerRepo],
  [['search'], registerSearch],
  [['pull', 'fetch'], registerPull],
];

/** The options of `bosun` itself, after `--bosun-version`. */
function addGlobalOptions(cmd: Command): Command {
  return cmd
    .option('-n, --namespace <namespace>', 'namespace scope for this request')
    .option('--debug', 'enable verbose output');
}

/**
 * The name of the top-level command `args` runs, read as commander reads it: the first operand
 * once the program's own options are taken out (`help NAME` shows NAME's help). Undefined when
 * none: the invocation then shows the program's help or an unknown-command error, which need the
 * whole tree.
 */
export function commandOf(args: readonly string[]): string | undefined {
  // The same options as the program, and a subcommand as it has (commander reads `-1` as an
  // option then, not as an operand).
  const probe = addGlobalOptions(new Command().option('--bosun-version'))
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} });
  probe.command('probe');
  try {
    const { operands } = probe.parseOptions([...args]);
    return operands[0] === 'help' ? operands[1] : operands[0];
  } catch {
    // A malformed global option (`-n` without a value): the real parse reports it.
    return undefined;
  }
}

/**
 * Builds the command tree for one invocation: with `args`, only the top-level command they run
 * (creating every command's options costs milliseconds that `bosun version` would otherwise pay
 * for all); without, or when they name no command (help, errors, completion), all of them.
 */
export function buildProgram(io: CliIO, args?: readonly string[]): Command {
  const program = addGlobalOptions(
    new Command('bosun')
      .description('The Kubernetes package manager, with a simulated cluster built in')
      .version(BOSUN_VERSION, '--bosun-version', 'print the bosun version'),
  )
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: () => {},
    });
  const name = args && commandOf(args);
  const one = name === undefined ? undefined : COMMANDS.find(([names]) => names.includes(name));
  const registers =
    one && one[1] !== registerCompletion ? [one[1]] : COMMANDS.map(([, register]) => register);
  for (const register of registers) register(program, io);
  for (const cmd of program.commands) {
    cmd.exitOverride().configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: () => {},
    });
  }
  return program;
}

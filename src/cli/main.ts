/**
 * The command-line entry: builds the command tree, runs one invocation, maps errors to one
 * line on stderr and an exit code. The only code that touches argv, stdout/stderr and exit codes.
 */

import { type Command, CommanderError } from 'commander';
import { releaseArgv } from './commands/release-write.js';
import { ExitError, errorLine, exitCodeFor } from './errors.js';
import type { CliIO } from './io.js';
import { buildProgram } from './program.js';

export { buildProgram } from './program.js';

/** A command by its place in the tree: each level's name and aliases, from the top (`[['kubectl', 'k'], ['get']]`). */
export type CommandPath = readonly (readonly string[])[];

/**
 * Runs bosun with `argv` (without `node` and the script path); resolves to the exit code.
 * `onCommand` hears which command's action runs, before it runs (none for help and usage errors).
 */
export async function run(
  argv: readonly string[],
  io: CliIO,
  onCommand?: (path: CommandPath) => void,
): Promise<number> {
  const args = releaseArgv(argv);
  return runProgram(buildProgram(io, args), args, io, onCommand);
}

/** Runs `args` (as `releaseArgv` leaves them) on `program`, built for `io`; resolves to the exit code. */
export async function runProgram(
  program: Command,
  args: readonly string[],
  io: CliIO,
  onCommand?: (path: CommandPath) => void,
): Promise<number> {
  if (onCommand) {
    program.hook('preAction', (_, action) => {
      const path: string[][] = [];
      for (let cmd: Command | null = action; cmd && cmd !== program; cmd = cmd.parent)
        path.unshift([cmd.name(), ...cmd.aliases()]);
      onCommand(path);
    });
  }
  try {
    await program.parseAsync(args, { from: 'user' });
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

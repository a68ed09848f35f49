/**
 * Maps errors to the one line the user sees and to exit codes.
 */

import { BosunError } from '../internal/errors.js';

/**
 * A failure the command has already reported in its own words (kubectl's `Error from server
 * (NotFound): …`): the CLI prints nothing more and exits with `exitCode`.
 */
export class ExitError extends Error {
  constructor(readonly exitCode = 1) {
    super(`exit status ${exitCode}`);
    this.name = 'ExitError';
  }
}

/** Exit code for a failure: 1, as Helm does, for every error. */
export function exitCodeFor(err: unknown): number {
  return err instanceof ExitError ? err.exitCode : 1;
}

/** The single line printed for an error (`Error: …`); stack traces only with `--debug`. */
export function errorLine(err: unknown, debug: boolean): string {
  if (err instanceof BosunError) {
    const line = `Error: ${err.message.split('\n').join('\n')}`;
    return debug && err.stack ? `${line}\n${err.stack}` : line;
  }
  const message = err instanceof Error ? err.message : String(err);
  const line = `Error: ${message}`;
  return debug && err instanceof Error && err.stack ? `${line}\n${err.stack}` : line;
}

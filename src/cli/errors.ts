/**
 * Maps errors to the one line the user sees and to exit codes.
 */

import { BosunError } from '../internal/errors.js';

/** Exit code for a failure: 1, as Helm does, for every error. */
export function exitCodeFor(_err: unknown): number {
  return 1;
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

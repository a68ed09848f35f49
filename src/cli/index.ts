/**
 * The CLI entry bundled into `dist/cli.js`: runs bosun on the real process.
 */

import { processIO } from './io.js';
import { run } from './main.js';

/** Runs bosun with `argv` on the real process streams; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  return run(argv, processIO());
}

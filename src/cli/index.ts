/**
 * The CLI entry bundled into `dist/cli.cjs`: runs bosun on the real process.
 */

import { processIO } from './io.js';
import { type CommandPath, run } from './main.js';

export type { CommandPath } from './main.js';

/**
 * Runs bosun with `argv` on the real process streams; resolves to the exit code. `onCommand`
 * hears which command runs (`bin/bosun.js` keeps a code cache per command).
 */
export async function main(
  argv: readonly string[],
  onCommand?: (path: CommandPath) => void,
): Promise<number> {
  return run(argv, processIO(), onCommand);
}

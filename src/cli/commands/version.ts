/** `bosun version`. */

import type { Command } from 'commander';
import { BOSUN_VERSION } from '../../internal/version.js';
import type { CliIO } from '../io.js';

/** Registers `version [--short]`. */
export function registerVersion(program: Command, io: CliIO): void {
  program
    .command('version')
    .description('print the client version information')
    .option('--short', 'print the version number')
    .action((opts: { short?: boolean }) => {
      if (opts.short) io.stdout.write(`v${BOSUN_VERSION}\n`);
      else
        io.stdout.write(`version.BuildInfo{Version:"v${BOSUN_VERSION}", NodeVersion:"${process.version}"}\n`);
    });
}

/**
 * `repo index DIR [--url URL] [--merge FILE] [--json]`, as Helm has it: prints nothing on
 * success (skipped archives are reported on stderr). The action is loaded when the command runs.
 */

import type { Command } from 'commander';
import type { CliIO } from '../io.js';

interface IndexFlags {
  url?: string;
  merge?: string;
  json?: boolean;
}

/** Adds `index` to the `repo` command. */
export function addRepoIndexCommand(repo: Command, io: CliIO): void {
  repo
    .command('index')
    .description('generate an index file given a directory containing packaged charts')
    .argument('<dir>', 'directory of packaged charts (*.tgz, and one level of subdirectories)')
    .option('--url <url>', 'url of chart repository')
    .option('--merge <file>', 'merge the generated index into the given index')
    .option('--json', 'output in JSON format')
    .action(async (dir: string, flags: IndexFlags) => {
      const { RepoIndexAction } = await import('../../action/repo/repo-index.js');
      await new RepoIndexAction({
        cwd: io.cwd,
        ...(flags.url !== undefined ? { url: flags.url } : {}),
        ...(flags.merge !== undefined ? { merge: flags.merge } : {}),
        json: flags.json === true,
        warn: (message) => io.stderr.write(`warning: ${message}\n`),
      }).run(dir);
    });
}

/**
 * `repo serve [DIR] [--address HOST:PORT] [--upload]`: serves packaged charts over HTTP until
 * Ctrl-C. Helm 2 had `helm serve` (`Regenerating index. This may take a moment.`, `Now serving
 * you on 127.0.0.1:8879`); bosun prints where it serves and what, then one line per upload.
 */

import type { Command } from 'commander';
import type { CliIO } from '../io.js';

interface ServeFlags {
  address: string;
  upload?: boolean;
}

/** Adds `serve` to the `repo` command. */
export function addRepoServeCommand(repo: Command, io: CliIO): void {
  repo
    .command('serve')
    .description('serve a directory of packaged charts as a chart repository (until Ctrl-C)')
    .argument('[dir]', 'directory of packaged charts (default: the bundled stable repository, read-only)')
    .option('--address <host:port>', 'address to listen on (port 0 picks a free port)', '127.0.0.1:8879')
    .option('--upload', "accept chart uploads (chartmuseum's POST /api/charts) into DIR")
    .action(async (dir: string | undefined, flags: ServeFlags) => {
      const { repoServe } = await import('../../action/repo/serve.js');
      const server = await repoServe({
        cwd: io.cwd,
        ...(dir !== undefined ? { dir } : {}),
        address: flags.address,
        upload: flags.upload === true,
        warn: (message) => io.stderr.write(`warning: ${message}\n`),
        log: (message) => io.stdout.write(`${message}\n`),
      });
      io.stdout.write(`Serving ${server.dir} at ${server.url}\n`);
      io.stdout.write(`Index: ${server.url}/index.yaml\n`);
      io.stdout.write(
        server.upload
          ? `Uploads: POST ${server.url}/api/charts (e.g. curl --data-binary @mychart-0.1.0.tgz ${server.url}/api/charts)\n`
          : 'Uploads: disabled (serving read-only)\n',
      );
      io.stdout.write('Press Ctrl-C to stop.\n');
      await new Promise<void>((resolve) => {
        const stop = io.onInterrupt?.(() => {
          stop?.();
          resolve();
        });
      });
      await server.close();
      io.stdout.write('Stopped.\n');
    });
}

/**
 * `pull [CHART...]` (alias `fetch`) with Helm's flags (helm-behaviour §1.3): downloads each chart
 * into the destination, or unpacks it with `--untar`. Like Helm, it prints nothing on success.
 */

import type { Command } from 'commander';
import { InvalidArgumentError } from '../../internal/errors.js';
import type { CliIO } from '../io.js';
import { addChartRefFlags, type ChartRefFlags, repositoryOptions } from './chart-ref-flags.js';

interface PullFlags extends ChartRefFlags {
  destination: string;
  untar?: boolean;
  untardir: string;
}

/** Registers `pull` and its alias `fetch`. */
export function registerPull(program: Command, io: CliIO): void {
  addChartRefFlags(
    program
      .command('pull')
      .alias('fetch')
      .description('download a chart from a repository and (optionally) unpack it in local directory')
      .argument('[charts...]', 'REPO/NAME, NAME with --repo, or an archive URL'),
  )
    .option('-d, --destination <dir>', 'location to write the chart', '.')
    .option('--untar', 'if set to true, will untar the chart after downloading it')
    .option(
      '--untardir <dir>',
      'if untar is specified, this flag specifies the name of the directory into which the chart is expanded',
      '.',
    )
    .action(async (charts: string[], flags: PullFlags) => {
      if (charts.length === 0) {
        throw new InvalidArgumentError(
          '"bosun pull" requires at least 1 argument: a chart (REPO/NAME, NAME with --repo, or an archive URL)',
        );
      }
      const { pullChart } = await import('../../action/repo/pull.js');
      const repository = await repositoryOptions(io, flags);
      for (const chart of charts) {
        await pullChart(chart, {
          ...repository,
          cwd: io.cwd,
          destination: flags.destination,
          ...(flags.untar ? { untar: true } : {}),
          untardir: flags.untardir,
        });
      }
    });
}

/**
 * Chart-author commands: `create`, `package`, `show` (alias `inspect`). Their actions are
 * imported when the command runs, so other commands do not pay for loading them.
 */

import path from 'node:path';
import type { Command } from 'commander';
import type { ShowWhat } from '../../action/show.js';
import type { CliIO } from '../io.js';
import { addChartRefFlags, type ChartRefFlags, chartRefOptions } from './chart-ref-flags.js';

/** Registers `create`, `package` and `show`. */
export function registerChartCommands(program: Command, io: CliIO): void {
  program
    .command('create')
    .description('create a new chart with the given name')
    .argument('<name>', 'chart name, or a path whose last element is the name')
    .action(async (name: string) => {
      const target = path.resolve(io.cwd, name);
      io.stdout.write(`Creating ${name}\n`);
      await (await import('../../chart/create.js')).createChart(path.basename(target), path.dirname(target));
    });

  program
    .command('package')
    .description('package a chart directory into a chart archive')
    .argument('<chart...>', 'chart directories')
    .option('-d, --destination <dir>', 'location to write the chart', '.')
    .option('--version <version>', 'set the version on the chart to this semver version')
    .option('--app-version <version>', 'set the appVersion on the chart to this version')
    .action(
      async (charts: string[], flags: { destination: string; version?: string; appVersion?: string }) => {
        const { PackageAction } = await import('../../action/package.js');
        const action = new PackageAction({
          cwd: io.cwd,
          destination: flags.destination,
          ...(flags.version !== undefined ? { version: flags.version } : {}),
          ...(flags.appVersion !== undefined ? { appVersion: flags.appVersion } : {}),
        });
        for (const chart of charts) {
          const result = await action.run(chart);
          io.stdout.write(`Successfully packaged chart and saved it to: ${result.path}\n`);
        }
      },
    );

  const show = program.command('show').alias('inspect').description('show information of a chart');
  const parts: [ShowWhat, string][] = [
    ['all', 'show all information of the chart'],
    ['chart', "show the chart's definition"],
    ['values', "show the chart's values"],
    ['readme', "show the chart's README"],
    ['crds', "show the chart's CRDs"],
  ];
  const showPart = async (what: ShowWhat, chart: string, flags: ChartRefFlags) => {
    const { ShowAction } = await import('../../action/show.js');
    const action = new ShowAction({ cwd: io.cwd, ...(await chartRefOptions(io, chart, flags)) });
    io.stdout.write(await action.run(what, chart));
  };
  for (const [what, description] of parts) {
    addChartRefFlags(
      show
        .command(what)
        .description(description)
        .argument('<chart>', 'chart directory, archive, REPO/NAME or URL'),
    ).action((chart: string, flags: ChartRefFlags) => showPart(what, chart, flags));
  }
  // `helm inspect CHART` (Helm v2, as the training types it) shows everything.
  show.argument('[chart]').action(async (chart: string | undefined) => {
    if (chart === undefined) {
      show.outputHelp();
      return;
    }
    await showPart('all', chart, {});
  });
}

/**
 * `dependency` (aliases `dep`, `dependencies`): `list` (`ls`), `update` (`up`) and `build`, with
 * Helm's flags and output (helm-behaviour §1.3, §6.4). The handlers load their actions only when
 * they run.
 */

import type { Command } from 'commander';
import type { DependencyResult } from '../../action/repo/dependency-update.js';
import { InvalidArgumentError } from '../../internal/errors.js';
import type { CliIO } from '../io.js';
import { repoTimeoutFlag } from './repo.js';

interface FetchFlags {
  skipRefresh?: boolean;
  timeout?: string;
}

/** `$BOSUN_HOME` of this invocation. */
async function homeOf(io: CliIO): Promise<string> {
  const { bosunHome } = await import('../../kube/embedded.js');
  return bosunHome(io.env);
}

/** uitable's `MaxColWidth`: longer cells are cut and end with `...`. */
function clip(cell: string, max: number): string {
  const chars = [...cell];
  if (max <= 0 || chars.length <= max) return cell;
  return max <= 3 ? chars.slice(0, max).join('') : `${chars.slice(0, max - 3).join('')}...`;
}

/** Prints what an update or build did, in Helm's words. */
function report(io: CliIO, result: DependencyResult): void {
  const out = (line: string) => io.stdout.write(`${line}\n`);
  if (result.unmanaged.length > 0) {
    out('Getting updates for unmanaged chart repositories...');
    for (const u of result.unmanaged) {
      if (u.error === undefined) out(`...Successfully got an update from the "${u.url}" chart repository`);
      else out(`...Unable to get an update from the "${u.url}" chart repository:\n\t${u.error}`);
    }
  }
  if (result.refreshed.length > 0) {
    out('Hang tight while we grab the latest from your chart repositories...');
    for (const r of result.refreshed) {
      if (r.error === undefined) out(`...Successfully got an update from the "${r.name}" chart repository`);
      else out(`...Unable to get an update from the "${r.name}" chart repository (${r.url}):\n\t${r.error}`);
    }
    out('Update Complete. ⎈Happy Helming!⎈');
  }
  if (result.none) return;
  out(`Saving ${result.saved.length} charts`);
  for (const s of result.saved) {
    if (s.from === 'repository') out(`Downloading ${s.name} from repo ${s.repository}`);
    else if (s.from === 'charts') {
      out(`Dependency ${s.name} did not declare a repository. Assuming it exists in the charts directory`);
    }
  }
  out('Deleting outdated charts');
}

/** Registers `dependency` and its subcommands. */
export function registerDependency(program: Command, io: CliIO): void {
  const dependency = program
    .command('dependency')
    .aliases(['dep', 'dependencies'])
    .description("manage a chart's dependencies");

  dependency
    .command('list')
    .alias('ls')
    .description('list the dependencies for the given chart')
    .argument('[chart]', 'chart directory (or archive)', '.')
    .option('--max-col-width <n>', 'maximum column width for output table', '80')
    .action(async (chart: string, flags: { maxColWidth: string }) => {
      const max = Number(flags.maxColWidth);
      if (!/^\d+$/.test(flags.maxColWidth) || !Number.isSafeInteger(max)) {
        throw new InvalidArgumentError(
          `invalid argument "${flags.maxColWidth}" for "--max-col-width" flag: strconv.ParseUint: parsing "${flags.maxColWidth}": invalid syntax`,
        );
      }
      const { dependencyList } = await import('../../action/repo/dependency-list.js');
      const { uiTable } = await import('./release-print.js');
      const result = await dependencyList({ chart, cwd: io.cwd });
      if (result.rows.length === 0) {
        io.stdout.write(`WARNING: no dependencies at ${result.chartsDir}\n`);
        return;
      }
      const rows = [
        ['NAME', 'VERSION', 'REPOSITORY', 'STATUS'],
        ...result.rows.map((r) => [r.name, r.version, r.repository, r.status]),
      ].map((r) => r.map((cell) => clip(cell, max)));
      io.stdout.write(`${uiTable(rows)}\n`);
      for (const w of result.warnings) io.stdout.write(`WARNING: ${w}\n`);
    });

  const fetchCommand = (name: string, description: string) =>
    dependency
      .command(name)
      .description(description)
      .argument('[chart]', 'chart directory', '.')
      .option('--skip-refresh', 'do not refresh the local repository cache')
      .option('--timeout <duration>', 'time each download may take (e.g. 2m0s)');

  /** update and build differ only in the action they run. */
  const fetchAction =
    (which: 'dependencyUpdate' | 'dependencyBuild') => async (chart: string, flags: FetchFlags) => {
      const deadlineMs = flags.timeout === undefined ? undefined : repoTimeoutFlag(flags.timeout);
      const actions = await import('../../action/repo/dependency-update.js');
      const result = await actions[which]({
        home: await homeOf(io),
        chart,
        cwd: io.cwd,
        skipRefresh: flags.skipRefresh === true,
        ...(deadlineMs !== undefined ? { deadlineMs } : {}),
        warn: (m) => io.stderr.write(`warning: ${m}\n`),
      });
      report(io, result);
    };

  fetchCommand('update', 'update charts/ based on the contents of Chart.yaml')
    .alias('up')
    .action(fetchAction('dependencyUpdate'));
  fetchCommand('build', 'rebuild the charts/ directory based on the Chart.lock file').action(
    fetchAction('dependencyBuild'),
  );
}

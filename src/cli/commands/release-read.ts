/**
 * The commands that read releases: `list` (alias `ls`), `history` (alias `hist`), `status` and
 * `get values|manifest|notes|hooks|metadata|all`, with Helm's flags (helm-behaviour §1.3). They
 * open the embedded cluster of `$BOSUN_HOME`, read release storage there and print as Helm does.
 */

import type { Command } from 'commander';
import type { ReleaseContext } from '../../action/release/context.js';
import type { ListState } from '../../action/release/list.js';
import { InvalidArgumentError } from '../../internal/errors.js';
import type { CliIO } from '../io.js';
import { withReleaseContext } from './release-session.js';

/** An integer flag value (`--max 10`), with Go's flag error for anything else. */
function intFlag(flag: string): (value: string) => number {
  return (value) => {
    if (!/^[+-]?\d+$/.test(value.trim())) {
      throw new InvalidArgumentError(
        `invalid argument "${value}" for "${flag}" flag: strconv.ParseInt: parsing "${value}": invalid syntax`,
      );
    }
    return Number.parseInt(value, 10);
  };
}

interface NamespaceFlag {
  namespace?: string;
}

interface OutputFlag {
  output?: string;
}

/** Registers `list`, `history`, `status` and `get`. */
export function registerReleaseRead(program: Command, io: CliIO): void {
  const session = <T>(flags: NamespaceFlag, fn: (ctx: ReleaseContext) => Promise<T>): Promise<T> => {
    const namespace = flags.namespace ?? (program.opts()['namespace'] as string | undefined);
    return withReleaseContext(io, { namespace }, fn);
  };
  const print = () => import('./release-print.js');

  const list = program
    .command('list')
    .alias('ls')
    .description('list releases')
    .option('-n, --namespace <namespace>', 'namespace scope for this request')
    .option('-A, --all-namespaces', 'list releases across all namespaces')
    .option('-a, --all', 'show all releases without any filter applied (every state is listed anyway)')
    .option('--deployed', 'show deployed releases')
    .option('--failed', 'show failed releases')
    .option('--pending', 'show pending releases')
    .option('--superseded', 'show superseded releases')
    .option('--uninstalled', "show uninstalled releases (if 'uninstall --keep-history' was used)")
    .option('--uninstalling', 'show releases that are currently being uninstalled')
    .option('-q, --short', 'output short (quiet) listing format')
    .option('-f, --filter <regexp>', 'a regular expression; only releases whose name matches it are listed')
    .option('-o, --output <format>', 'prints the output in the specified format (table, json, yaml)', 'table')
    .option('--no-headers', "don't print headers when using the default output format")
    .option('-d, --date', 'sort by release date')
    .option('-r, --reverse', 'reverse the sort order')
    .option('-m, --max <n>', 'maximum number of releases to fetch (0: no limit)', intFlag('-m, --max'), 256)
    .option(
      '--offset <n>',
      'next release index in the list, used to offset from start value',
      intFlag('--offset'),
      0,
    )
    .option('--time-format <layout>', 'format time using a Go time layout, e.g. "2006-01-02 15:04:05Z0700"');
  list.action(async (flags: ListFlags) => {
    const { ListAction, LIST_STATES } = await import('../../action/release/list.js');
    const { parseOutputFormat, printReleaseList } = await print();
    const output = parseOutputFormat(flags.output);
    const states = LIST_STATES.filter((s) => flags[s] === true);
    const releases = await session(flags, (ctx) =>
      new ListAction(ctx, {
        allNamespaces: flags.allNamespaces === true,
        states,
        ...(flags.filter ? { filter: flags.filter } : {}),
        byDate: flags.date === true,
        reverse: flags.reverse === true,
        max: flags.max,
        offset: flags.offset,
      }).run(),
    );
    printReleaseList(io, releases, {
      output,
      short: flags.short === true,
      noHeaders: flags.headers === false,
      ...(flags.timeFormat ? { timeFormat: flags.timeFormat } : {}),
    });
  });

  program
    .command('history')
    .alias('hist')
    .description('fetch release history')
    .argument('<release>', 'release name')
    .option('-n, --namespace <namespace>', 'namespace scope for this request')
    .option('--max <n>', 'maximum number of revisions to include in history', intFlag('--max'), 256)
    .option('-o, --output <format>', 'prints the output in the specified format (table, json, yaml)', 'table')
    .action(async (name: string, flags: NamespaceFlag & OutputFlag & { max: number }) => {
      const { HistoryAction } = await import('../../action/release/history.js');
      const { parseOutputFormat, printHistory } = await print();
      const output = parseOutputFormat(flags.output);
      const history = await session(flags, (ctx) => new HistoryAction(ctx, { max: flags.max }).run(name));
      printHistory(io, history, output);
    });

  program
    .command('status')
    .description('display the status of the named release')
    .argument('<release>', 'release name')
    .option('-n, --namespace <namespace>', 'namespace scope for this request')
    .option('--revision <n>', 'display the status of the named release with revision', intFlag('--revision'))
    .option(
      '--show-resources',
      'also show the resources of the release and their pods, read from the cluster',
    )
    .option('-o, --output <format>', 'prints the output in the specified format (table, json, yaml)', 'table')
    .action(
      async (
        name: string,
        flags: NamespaceFlag & OutputFlag & { revision?: number; showResources?: boolean },
      ) => {
        const { StatusAction } = await import('../../action/release/status.js');
        const { parseOutputFormat, printReleaseStatus } = await print();
        const output = parseOutputFormat(flags.output);
        const result = await session(flags, (ctx) =>
          new StatusAction(ctx, {
            ...(flags.revision !== undefined ? { revision: flags.revision } : {}),
            showResources: flags.showResources === true && output === 'table',
          }).run(name),
        );
        printReleaseStatus(io, result.release, {
          output,
          omitChart: true,
          ...(result.resources ? { resources: result.resources } : {}),
        });
      },
    );

  registerGet(program, io, session);
}

interface ListFlags extends NamespaceFlag, OutputFlag, Partial<Record<ListState, boolean>> {
  allNamespaces?: boolean;
  all?: boolean;
  short?: boolean;
  filter?: string;
  headers?: boolean;
  date?: boolean;
  reverse?: boolean;
  max: number;
  offset: number;
  timeFormat?: string;
}

type Session = <T>(flags: NamespaceFlag, fn: (ctx: ReleaseContext) => Promise<T>) => Promise<T>;

interface GetFlags extends NamespaceFlag, OutputFlag {
  revision?: number;
  all?: boolean;
}

/** `get` and its subcommands. */
function registerGet(program: Command, io: CliIO, session: Session): void {
  const get = program.command('get').description('download extended information of a named release');
  const sub = (what: string, description: string, withOutput: boolean) => {
    const cmd = get
      .command(what)
      .description(description)
      .argument('<release>', 'release name')
      .option('-n, --namespace <namespace>', 'namespace scope for this request')
      .option('--revision <n>', 'get the named release with revision', intFlag('--revision'));
    if (withOutput) {
      cmd.option(
        '-o, --output <format>',
        'prints the output in the specified format (table, json, yaml)',
        'table',
      );
    }
    return cmd;
  };
  const run = async <T>(
    flags: GetFlags,
    fn: (action: import('../../action/release/get.js').GetAction) => Promise<T>,
  ): Promise<T> => {
    const { GetAction } = await import('../../action/release/get.js');
    return session(flags, (ctx) =>
      fn(new GetAction(ctx, flags.revision !== undefined ? { revision: flags.revision } : {})),
    );
  };
  const print = () => import('./release-print.js');

  sub('values', 'download the values file for a named release', true)
    .option('-a, --all', 'dump all (computed) values')
    .action(async (name: string, flags: GetFlags) => {
      const { parseOutputFormat, printValues } = await print();
      const output = parseOutputFormat(flags.output);
      const values = await run(flags, (a) => a.values(name, { all: flags.all === true }));
      printValues(io, values, { all: flags.all === true, output });
    });
  sub('manifest', 'download the manifest for a named release', false).action(
    async (name: string, flags: GetFlags) => {
      const release = await run(flags, (a) => a.release(name));
      (await print()).printManifest(io, release);
    },
  );
  sub('notes', 'download the notes for a named release', false).action(
    async (name: string, flags: GetFlags) => {
      const release = await run(flags, (a) => a.release(name));
      (await print()).printNotes(io, release);
    },
  );
  sub('hooks', 'download all hooks for a named release', false).action(
    async (name: string, flags: GetFlags) => {
      const release = await run(flags, (a) => a.release(name));
      (await print()).printHooks(io, release);
    },
  );
  sub('metadata', 'fetch metadata for a given release', true).action(
    async (name: string, flags: GetFlags) => {
      const { parseOutputFormat, printMetadata } = await print();
      const output = parseOutputFormat(flags.output);
      printMetadata(io, await run(flags, (a) => a.metadata(name)), output);
    },
  );
  sub('all', 'download all information for a named release', false).action(
    async (name: string, flags: GetFlags) => {
      const all = await run(flags, (a) => a.all(name));
      (await print()).printReleaseStatus(io, all.release, {
        showMetadata: true,
        debug: true,
        computedValues: all.computedValues,
      });
    },
  );
}

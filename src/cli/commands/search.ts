/**
 * `search repo [KEYWORD...]` with Helm's flags and output (helm-behaviour §1.3, §1.4), `search
 * KEYWORD` as a shorthand for it (`bosun search dockercoins`), and `search hub`, which needs
 * Artifact Hub and says so. The handlers load the repository code only when they run.
 */

import { Command } from 'commander';
import { InvalidArgumentError } from '../../internal/errors.js';
import type { CliIO } from '../io.js';

interface SearchFlags {
  regexp?: boolean;
  versions?: boolean;
  devel?: boolean;
  version?: string;
  maxColWidth: string;
  failOnNoResult?: boolean;
  output?: string;
}

/** Helm's default `--max-col-width` of `search repo`. */
const DEFAULT_MAX_COL_WIDTH = '50';

/** `--max-col-width`: an unsigned integer, with Go's flag error otherwise. */
function maxColWidthFlag(value: string): number {
  if (!/^\+?\d+$/.test(value.trim())) {
    throw new InvalidArgumentError(
      `invalid argument "${value}" for "--max-col-width" flag: strconv.ParseUint: parsing "${value}": invalid syntax`,
    );
  }
  return Number.parseInt(value, 10);
}

/**
 * A `gosuri/uitable` table with `MaxColWidth` (0: no limit), as `search repo` prints it: a
 * column is as wide as its widest cell up to the limit; a longer cell keeps its first
 * `width - 3` characters (at least one) followed by `...`; cells are padded and joined by tabs.
 */
export function limitedTable(rows: readonly (readonly string[])[], maxWidth: number): string {
  const cells = rows.map((row) => row.map((cell) => [...cell]));
  const widths: number[] = [];
  for (const row of cells) {
    row.forEach((chars, i) => {
      const width = maxWidth === 0 ? chars.length : Math.min(chars.length, maxWidth);
      widths[i] = Math.max(widths[i] ?? 0, width);
    });
  }
  const lines = cells.map((row) =>
    row
      .map((chars, i) => {
        const width = widths[i]!;
        if (chars.length > width) return `${chars.slice(0, Math.max(1, width - 3)).join('')}...`;
        return chars.join('') + ' '.repeat(width - chars.length);
      })
      .join('\t'),
  );
  return `${lines.join('\n')}\n`;
}

/** `json.Marshal`'s escaping of `<`, `>`, `&` and the line separators. */
function escapeGo(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function addSearchFlags(cmd: Command): Command {
  return cmd
    .option('-r, --regexp', 'use regular expressions for searching repositories you have added')
    .option(
      '-l, --versions',
      'show the long listing, with each version of each chart on its own line, for repositories you have added',
    )
    .option(
      '--devel',
      "use development versions (alpha, beta, and release candidate releases), too. Equivalent to version '>0.0.0-0'. If --version is set, this is ignored",
    )
    .option(
      '--version <constraint>',
      'search using semantic versioning constraints on repositories you have added',
    )
    .option('--max-col-width <width>', 'maximum column width for output table', DEFAULT_MAX_COL_WIDTH)
    .option('--fail-on-no-result', 'search fails if no results are found')
    .option(
      '-o, --output <format>',
      'prints the output in the specified format (table, json, yaml)',
      'table',
    );
}

/** Runs `search repo` and prints its result. */
async function searchRepo(io: CliIO, keywords: readonly string[], flags: SearchFlags): Promise<void> {
  const [{ parseOutputFormat }, { searchRepos }, { bosunHome }] = await Promise.all([
    import('./release-print.js'),
    import('../../action/repo/search.js'),
    import('../../kube/embedded.js'),
  ]);
  const output = parseOutputFormat(flags.output);
  const width = maxColWidthFlag(flags.maxColWidth);
  const rows = await searchRepos({
    home: bosunHome(io.env),
    keywords,
    ...(flags.regexp ? { regexp: true } : {}),
    ...(flags.versions ? { versions: true } : {}),
    ...(flags.version !== undefined ? { version: flags.version } : {}),
    ...(flags.devel ? { devel: true } : {}),
    warn: (message) => io.stderr.write(`warning: ${message}\n`),
  });
  if (rows.length === 0 && flags.failOnNoResult) throw new InvalidArgumentError('no results found');
  if (output === 'json') {
    io.stdout.write(`${escapeGo(JSON.stringify(rows))}\n`);
    return;
  }
  if (output === 'yaml') {
    const { toYaml } = await import('../../internal/yaml.js');
    io.stdout.write(`${toYaml(rows)}\n`);
    return;
  }
  if (rows.length === 0) {
    io.stdout.write('No results found\n');
    return;
  }
  const table = [
    ['NAME', 'CHART VERSION', 'APP VERSION', 'DESCRIPTION'],
    ...rows.map((r) => [r.name, r.version, r.app_version, r.description]),
  ];
  io.stdout.write(limitedTable(table, width));
}

/** Registers `search` with `repo` and `hub`; `search KEYWORD` is `search repo KEYWORD`. */
export function registerSearch(program: Command, io: CliIO): void {
  const search = program
    .command('search')
    .description('search for a keyword in charts (search KEYWORD is search repo KEYWORD)');

  const addRepoCommand = (parent: Command, name: string) =>
    addSearchFlags(
      parent
        .command(name)
        .description('search repositories for a keyword in charts')
        .argument('[keyword...]', 'keyword (every chart when omitted)'),
    ).action((keywords: string[], flags: SearchFlags) => searchRepo(io, keywords, flags));
  addRepoCommand(search, 'repo');

  search
    .command('hub')
    .description('search Artifact Hub for charts (not available: bosun works offline)')
    .argument('[keyword...]')
    .allowUnknownOption()
    .action(() => {
      throw new InvalidArgumentError(
        "search hub needs Artifact Hub on the internet, which bosun does not use: search your repositories with 'bosun search repo KEYWORD'",
      );
    });

  // The shorthand takes its arguments raw and parses them as `search repo` would. Declaring the
  // flags on `search` itself would not do: options after a subcommand are given to the parent
  // that knows them (`search repo x -l` would lose its `-l`).
  search
    .argument('[keyword...]', 'keyword, as for search repo')
    .allowUnknownOption()
    .action(async (args: string[]) => {
      const shorthand = new Command('search').exitOverride().configureOutput({
        writeOut: (text) => io.stdout.write(text),
        writeErr: (text) => io.stderr.write(text),
        outputError: () => {},
      });
      addRepoCommand(shorthand, 'repo');
      await shorthand.parseAsync(['repo', ...args], { from: 'user' });
    });
}

/**
 * `repo add|list|update|remove|index` (helm-behaviour §1.3, §1.4), with Helm's flags, messages
 * and output. The handlers load the repository code only when they run.
 */

import path from 'node:path';
import type { Command } from 'commander';
import { parseGoDuration } from '../../action/kubectl/durations.js';
import { InvalidArgumentError, IoError } from '../../internal/errors.js';
import type { CliIO } from '../io.js';
import { addRepoIndexCommand } from './repo-index.js';
import { addRepoServeCommand } from './repo-serve.js';

/** Helm's default for `repo add|update --timeout` (`getter.DefaultHTTPTimeout`). */
const DEFAULT_TIMEOUT = '2m0s';

/** `--timeout` as a Go duration, in milliseconds; it must be positive (a total deadline). */
export function repoTimeoutFlag(value: string): number {
  const ms = parseGoDuration(value.trim());
  if (ms === undefined) {
    throw new InvalidArgumentError(
      `invalid argument "${value}" for "--timeout" flag: time: invalid duration "${value}"`,
    );
  }
  if (ms <= 0) throw new InvalidArgumentError(`--timeout must be greater than 0, got "${value}"`);
  return ms;
}

/** `json.Marshal` escaping of `<`, `>`, `&` (URLs with query strings contain `&`). */
function goJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * `$BOSUN_HOME`, else `~/.bosun` (the rule of `bosunHome` in `kube/embedded.ts`, kept here so
 * repository commands do not load the cluster code).
 */
async function homeOf(io: CliIO): Promise<string> {
  const home = io.env['BOSUN_HOME'];
  if (home !== undefined && home !== '') return path.resolve(home);
  const os = await import('node:os');
  return path.join(os.homedir(), '.bosun');
}

/** Writes warnings to stderr, one per line. */
function warner(io: CliIO): (message: string) => void {
  return (message) => io.stderr.write(/^warn/i.test(message) ? `${message}\n` : `warning: ${message}\n`);
}

interface AddFlags {
  username?: string;
  password?: string;
  passwordStdin?: boolean;
  passCredentials?: boolean;
  forceUpdate?: boolean;
  allowDeprecatedRepos?: boolean;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  insecureSkipTlsVerify?: boolean;
  timeout: string;
}

/** Registers `repo` and its subcommands. */
export function registerRepo(program: Command, io: CliIO): void {
  const repo = program.command('repo').description('add, list, remove, update, and index chart repositories');

  repo
    .command('add')
    .description('add a chart repository')
    .argument('<name>', 'repository name')
    .argument('<url>', 'repository URL (http, https or file)')
    .option('--username <username>', 'chart repository username')
    .option('--password <password>', 'chart repository password')
    .option('--password-stdin', 'read chart repository password from stdin')
    .option('--pass-credentials', 'pass credentials to all domains')
    .option('--force-update', 'replace (overwrite) the repo if it already exists')
    .option(
      '--allow-deprecated-repos',
      'by default, this command will not allow adding official repos that have been permanently deleted. This disables that behavior',
    )
    .option('--ca-file <file>', 'verify certificates of HTTPS-enabled servers using this CA bundle')
    .option('--cert-file <file>', 'identify HTTPS client using this SSL certificate file')
    .option('--key-file <file>', 'identify HTTPS client using this SSL key file')
    .option('--insecure-skip-tls-verify', 'skip tls certificate checks for the repository')
    .option('--timeout <duration>', 'time to wait for the index file download to complete', DEFAULT_TIMEOUT)
    .action(async (name: string, url: string, flags: AddFlags) => {
      const deadlineMs = repoTimeoutFlag(flags.timeout);
      let password = flags.password;
      if (flags.passwordStdin) {
        if (password !== undefined) {
          throw new InvalidArgumentError('--password and --password-stdin are mutually exclusive');
        }
        password = (await io.readStdin()).replace(/\n$/, '').replace(/\r$/, '');
      }
      const { repoAdd } = await import('../../action/repo/repo-add.js');
      const result = await repoAdd({
        home: await homeOf(io),
        name,
        url,
        ...(flags.username !== undefined ? { username: flags.username } : {}),
        ...(password !== undefined ? { password } : {}),
        passCredentialsAll: flags.passCredentials === true,
        forceUpdate: flags.forceUpdate === true,
        allowDeprecatedRepos: flags.allowDeprecatedRepos === true,
        ...(flags.caFile ? { caFile: flags.caFile } : {}),
        ...(flags.certFile ? { certFile: flags.certFile } : {}),
        ...(flags.keyFile ? { keyFile: flags.keyFile } : {}),
        insecureSkipTlsVerify: flags.insecureSkipTlsVerify === true,
        deadlineMs,
        warn: warner(io),
      });
      io.stdout.write(
        result.status === 'unchanged'
          ? `"${name}" already exists with the same configuration, skipping\n`
          : `"${name}" has been added to your repositories\n`,
      );
    });

  repo
    .command('list')
    .alias('ls')
    .description('list chart repositories')
    .option('--no-headers', 'suppress headers in the output')
    .option('-o, --output <format>', 'prints the output in the specified format (table, json, yaml)', 'table')
    .action(async (flags: { headers?: boolean; output?: string }) => {
      const { parseOutputFormat, uiTable } = await import('./release-print.js');
      const output = parseOutputFormat(flags.output);
      const { repoList } = await import('../../action/repo/repo-list.js');
      const repos = await repoList({ home: await homeOf(io) });
      if (output === 'json') {
        io.stdout.write(`${goJson(repos.map((r) => ({ name: r.name, url: r.url })))}\n`);
        return;
      }
      if (output === 'yaml') {
        const { toYaml } = await import('../../internal/yaml.js');
        io.stdout.write(`${toYaml(repos.map((r) => ({ name: r.name, url: r.url })))}\n`);
        return;
      }
      if (repos.length === 0) {
        // Helm 4 says so on stderr and succeeds.
        io.stderr.write('no repositories to show\n');
        return;
      }
      const rows = repos.map((r) => [r.name, r.url]);
      io.stdout.write(uiTable(flags.headers === false ? rows : [['NAME', 'URL'], ...rows]));
    });

  repo
    .command('update')
    .alias('up')
    .description('update information of available charts locally from chart repositories')
    .argument('[repos...]', 'repositories to update (default: all)')
    .option('--timeout <duration>', 'time to wait for the index file download to complete', DEFAULT_TIMEOUT)
    .action(async (names: string[], flags: { timeout: string }) => {
      const deadlineMs = repoTimeoutFlag(flags.timeout);
      const { repoUpdate } = await import('../../action/repo/repo-update.js');
      const home = await homeOf(io);
      const warnings: string[] = [];
      // Unknown names and an empty config fail before anything is printed, as in Helm.
      const results = await repoUpdate({ home, names, deadlineMs, warn: (m) => warnings.push(m) });
      io.stdout.write('Hang tight while we grab the latest from your chart repositories...\n');
      for (const w of warnings) warner(io)(w);
      const failed: string[] = [];
      for (const r of results) {
        if (r.error === undefined) {
          io.stdout.write(`...Successfully got an update from the "${r.name}" chart repository\n`);
        } else {
          io.stdout.write(
            `...Unable to get an update from the "${r.name}" chart repository (${r.url}):\n\t${r.error}\n`,
          );
          failed.push(r.url);
        }
      }
      if (failed.length > 0) {
        throw new IoError(`failed to update the following repositories: [${failed.join(' ')}]`);
      }
      io.stdout.write('Update Complete. ⎈Happy Helming!⎈\n');
    });

  repo
    .command('remove')
    .alias('rm')
    .description('remove one or more chart repositories')
    .argument('<repos...>', 'repositories to remove')
    .action(async (names: string[]) => {
      const { repoRemove } = await import('../../action/repo/repo-remove.js');
      const removed = await repoRemove({ home: await homeOf(io), names, warn: warner(io) });
      for (const name of removed) io.stdout.write(`"${name}" has been removed from your repositories\n`);
    });

  addRepoIndexCommand(repo, io);
  addRepoServeCommand(repo, io);
}

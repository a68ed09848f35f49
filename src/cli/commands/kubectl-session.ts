/**
 * What the handlers of `bosun kubectl` share: the flags, the session of one command, the cluster
 * it opens, flag parsing (`--validate`, `--dry-run`, integers) and the printing of write results.
 */

import {
  CreateAction,
  contextNamespace,
  type DryRun,
  usageError,
  type WriteResult,
} from '../../action/kubectl/index.js';
import {
  bosunHome,
  type FieldValidation,
  type KubeClient,
  type KubeObject,
  openEmbeddedCluster,
} from '../../kube/index.js';
import { ExitError } from '../errors.js';
import type { CliIO } from '../io.js';
import { reportErrors } from './kubectl-output.js';

/** Every flag a kubectl command may have (each command defines its own subset). */
export interface KubectlFlags {
  readonly namespace?: string;
  readonly allNamespaces?: boolean;
  readonly selector?: string;
  readonly fieldSelector?: string;
  readonly output?: string;
  readonly template?: string;
  readonly showLabels?: boolean;
  readonly showKind?: boolean;
  readonly headers?: boolean;
  readonly labelColumns?: string[];
  readonly filename?: string[];
  readonly validate?: string | boolean;
  readonly dryRun?: string | boolean;
  readonly all?: boolean;
  readonly ignoreNotFound?: boolean;
  readonly overwrite?: boolean;
  readonly patch?: string;
  readonly type?: string;
  readonly fromLiteral?: string[];
  readonly fromFile?: string[];
  readonly fromEnvFile?: string[];
  readonly image?: string[];
  readonly replicas?: string;
  readonly port?: string;
  readonly tcp?: string[];
  readonly clusterip?: string;
  readonly nodePort?: string;
  readonly namespaced?: string;
  readonly apiGroup?: string;
  readonly client?: boolean;
  readonly current?: boolean;
  readonly cluster?: string;
  readonly user?: string | string[];
  readonly verb?: string[];
  readonly resource?: string[];
  readonly resourceName?: string[];
  readonly role?: string;
  readonly clusterrole?: string;
  readonly group?: string[];
  readonly serviceaccount?: string[];
  readonly externalName?: string;
  readonly export?: boolean;
  readonly recursive?: boolean;
  readonly watch?: boolean;
  readonly watchOnly?: boolean;
  readonly requestTimeout?: string;
}

/** What every handler gets. */
export interface Session {
  readonly io: CliIO;
  readonly args: readonly string[];
  readonly flags: KubectlFlags;
  readonly home: string;
}

/** The client options of a command that talks to the cluster. */
export interface Connected {
  readonly client: KubeClient;
  readonly namespace: string;
  readonly explicitNamespace: boolean;
}

/** `--validate` as a field validation. */
export function validation(value: string | boolean | undefined): FieldValidation {
  if (value === undefined || value === true || value === 'true' || value === 'strict') return 'Strict';
  if (value === 'warn') return 'Warn';
  if (value === false || value === 'false' || value === 'ignore') return 'Ignore';
  throw usageError(
    `invalid - validate option "${value}"; must be one of: strict (or true), warn, ignore (or false)`,
  );
}

/** `--dry-run` as a strategy. */
export function dryRun(value: string | boolean | undefined): DryRun {
  if (value === undefined || value === 'none') return 'none';
  if (value === 'client' || value === 'server') return value;
  throw usageError(`Invalid dry-run value (${value}). Must be "none", "server", or "client".`);
}

/** An integer flag, refused in kubectl's words when it is not one. */
export function integer(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value))
    throw usageError(
      `invalid argument "${value}" for "${flag}" flag: strconv.ParseInt: parsing "${value}": invalid syntax`,
    );
  return Number(value);
}

const DURATION_UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * kubectl's `--request-timeout` in ms: a whole number of seconds, or a Go duration (`5s`, `1m30s`,
 * `500ms`); 0 means no timeout. Refused in kubectl's words otherwise.
 */
export function requestTimeout(value: string | undefined): number {
  const text = (value ?? '0').trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|\u00b5s|ms|s|m|h)/gy;
  let total = 0;
  let end = 0;
  for (let m = part.exec(text); m !== null; m = part.exec(text)) {
    total += Number(m[1]) * DURATION_UNITS[m[2]!]!;
    end = part.lastIndex;
  }
  if (text === '' || end !== text.length)
    throw usageError(
      'Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)',
    );
  return total;
}

/** Opens the cluster for one command. */
export async function connected<T>(s: Session, fn: (c: Connected) => Promise<T>): Promise<T> {
  const cluster = openEmbeddedCluster(s.home);
  try {
    return await fn({
      client: cluster.client,
      namespace: s.flags.namespace ?? contextNamespace(s.home),
      explicitNamespace: s.flags.namespace !== undefined,
    });
  } finally {
    cluster.close();
  }
}

/** Prints a write result: its lines, its notice on stderr, then its errors. */
export function printWrite(io: CliIO, result: WriteResult & { notice?: string }): void {
  for (const line of result.lines) io.stdout.write(`${line}\n`);
  if (result.notice) io.stderr.write(`${result.notice}\n`);
  reportErrors(io, result.errors);
}

/** Where `-f` reads from. */
export const manifestSources = (io: CliIO) => ({ cwd: io.cwd, readStdin: () => io.readStdin() });

/** Creates the object a `create <kind>` generator builds. */
export async function generated(
  s: Session,
  object: (c: Connected) => Promise<KubeObject> | KubeObject,
): Promise<void> {
  await connected(s, async (c) => {
    const action = new CreateAction({
      ...c,
      validation: validation(s.flags.validate),
      dryRun: dryRun(s.flags.dryRun),
    });
    printWrite(s.io, await action.runGenerated(await object(c)));
  });
}

/** Runs one handler in a session; failures are printed in kubectl's words and exit 1. */
export async function runSession(
  io: CliIO,
  handler: (s: Session) => Promise<void>,
  args: readonly string[],
  flags: KubectlFlags,
): Promise<void> {
  try {
    await handler({ io, args, flags, home: bosunHome(io.env) });
  } catch (error) {
    if (error instanceof ExitError) throw error;
    reportErrors(io, [error instanceof Error ? error : new Error(String(error))]);
  }
}

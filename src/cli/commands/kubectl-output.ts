/**
 * How `bosun kubectl` prints: `get` results (tables through the server's Tables, other `-o`
 * formats), aligned rows, and errors in kubectl's words (`Error from server (NotFound): …`,
 * `The Deployment "web" is invalid: …`, `error: …`).
 */

import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { GetResult, WatchedChange } from '../../action/kubectl/index.js';
import { KubeApiError } from '../../kube/index.js';
import {
  alignTabs,
  type OutputFormat,
  type ParsedOutputFlag,
  type PrintResult,
  parseCustomColumnsFile,
  parseOutputFlag,
  printObjects,
  renderTables,
  TABLE_TABWRITER,
} from '../../kube/printing.js';
import { ExitError } from '../errors.js';
import type { CliIO } from '../io.js';

/** `kubectl get`'s printing flags. */
export interface GetPrintFlags {
  readonly output?: string;
  readonly template?: string;
  readonly showLabels?: boolean;
  readonly showKind?: boolean;
  readonly headers?: boolean;
  readonly labelColumns?: readonly string[];
  readonly allNamespaces?: boolean;
}

/** Whether an `-o` value prints tables (the server's Tables are then needed). */
export function isTableOutput(output: string | undefined): boolean {
  return output === undefined || output === '' || output === 'wide';
}

/** Prints a `get` result as kubectl does. */
export async function printGetResult(
  result: GetResult,
  flags: GetPrintFlags,
  cwd: string,
): Promise<PrintResult> {
  const parsed = parseOutputFlag(flags.output ?? '', flags.template);
  if (parsed.type === 'table' || parsed.type === 'wide') {
    return renderTables(
      result.groups.map((g) => ({
        groupKind: { kind: g.kind.kind, group: g.kind.group },
        namespaced: g.kind.namespaced,
        table: g.table!,
      })),
      {
        wide: parsed.type === 'wide',
        noHeaders: flags.headers === false,
        showLabels: Boolean(flags.showLabels),
        labelColumns: (flags.labelColumns ?? []).flatMap((c) => c.split(',')).filter(Boolean),
        allNamespaces: Boolean(flags.allNamespaces),
        withKind: result.multiple || Boolean(flags.showKind),
        namespace: result.namespace,
      },
    );
  }
  return printObjects(
    result.groups.flatMap((g) => g.objects),
    await objectFormat(parsed, cwd),
    { singleItem: result.singleItem, noHeaders: flags.headers === false },
  );
}

/** A parsed non-table `-o` as a format, with the files it names read. */
async function objectFormat(
  parsed: Exclude<ParsedOutputFlag, { type: 'table' | 'wide' }>,
  cwd: string,
): Promise<OutputFormat> {
  if (parsed.type === 'jsonpath-file')
    return { type: 'jsonpath', template: await fs.readFile(path.resolve(cwd, parsed.path), 'utf8') };
  if (parsed.type === 'custom-columns-file')
    return {
      type: 'custom-columns',
      columns: parseCustomColumnsFile(await fs.readFile(path.resolve(cwd, parsed.path), 'utf8')),
    };
  return parsed;
}

/**
 * Prints one change of `get -w` as kubectl does: a table row without headers in the listing's
 * columns, else the object alone in the `-o` format (YAML documents separated by `---` when
 * something was printed before).
 */
export async function printWatchedChange(
  change: WatchedChange,
  flags: GetPrintFlags,
  context: { readonly multiple: boolean; readonly printedBefore: boolean },
  cwd: string,
): Promise<string> {
  const parsed = parseOutputFlag(flags.output ?? '', flags.template);
  if (parsed.type === 'table' || parsed.type === 'wide') {
    if (change.table === undefined) return '';
    return renderTables(
      [
        {
          groupKind: { kind: change.kind.kind, group: change.kind.group },
          namespaced: change.kind.namespaced,
          table: change.table,
        },
      ],
      {
        wide: parsed.type === 'wide',
        noHeaders: true,
        showLabels: Boolean(flags.showLabels),
        labelColumns: (flags.labelColumns ?? []).flatMap((c) => c.split(',')).filter(Boolean),
        allNamespaces: Boolean(flags.allNamespaces),
        withKind: context.multiple || Boolean(flags.showKind),
      },
    ).stdout;
  }
  const printed = printObjects([change.object], await objectFormat(parsed, cwd), {
    singleItem: true,
    noHeaders: true,
  }).stdout;
  return parsed.type === 'yaml' && context.printedBefore ? `---\n${printed}` : printed;
}

/** Rows aligned as kubectl aligns its tables (the header row dropped with `noHeaders`). */
export function formatRows(rows: readonly (readonly string[])[], noHeaders = false): string {
  const shown = noHeaders ? rows.slice(1) : rows;
  if (shown.length === 0) return '';
  return alignTabs(shown.map((r) => `${r.join('\t')}\n`).join(''), TABLE_TABWRITER);
}

/** kubectl's `StandardErrorMessage`: `Error from server (Reason): …` for API errors. */
function standardMessage(error: Error): string {
  if (error instanceof KubeApiError) {
    return error.reason
      ? `Error from server (${error.reason}): ${error.message}`
      : `Error from server: ${error.message}`;
  }
  return error.message;
}

/** kubectl's wording of a 422 Invalid with details: `The Deployment "web" is invalid: …`. */
function invalidMessage(error: KubeApiError): string | undefined {
  const details = error.status.details;
  if (error.reason !== 'Invalid' || details === undefined) return undefined;
  let head = 'The request is invalid';
  if (details.kind || details.name)
    head = `The ${details.kind ?? ''} ${JSON.stringify(details.name ?? '')} is invalid`;
  const causes = (details.causes ?? []).map((c) => `${c.field}: ${c.message}`);
  if (causes.length === 0) return head;
  if (causes.length === 1) return `${head}: ${causes[0]}`;
  return `${head}: \n${causes.map((c) => `* ${c}`).join('\n')}`;
}

/** One error as kubectl's `CheckErr` prints it. */
export function kubectlErrorText(error: Error): string {
  const invalid = error instanceof KubeApiError ? invalidMessage(error) : undefined;
  let text = invalid ?? standardMessage(error);
  if (!(error instanceof KubeApiError) && !text.startsWith('error: ')) text = `error: ${text}`;
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** Prints the errors of a command as kubectl does (one alone, or each on its line) and fails. */
export function reportErrors(io: CliIO, errors: readonly Error[]): void {
  if (errors.length === 0) return;
  if (errors.length === 1) io.stderr.write(kubectlErrorText(errors[0]!));
  else for (const error of errors) io.stderr.write(`${standardMessage(error).replace(/\n$/, '')}\n`);
  throw new ExitError(1);
}

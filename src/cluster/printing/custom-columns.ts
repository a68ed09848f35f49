/**
 * `kubectl get -o custom-columns=HEADER:PATH,…` and `-o custom-columns-file=FILE`
 * (`kubectl/pkg/cmd/get/customcolumn.go`): one column per JSONPath, values of a path joined with
 * commas, `<none>` when a path finds nothing, aligned like `kubectl get` tables.
 */

import { InvalidArgumentError } from '../../internal/errors.js';
import { goSprint } from './go-format.js';
import { JsonPath } from './jsonpath/evaluate.js';
import { JsonPathParseError } from './jsonpath/parser.js';
import { alignTabs, TABLE_TABWRITER } from './tabwriter.js';
import type { KubeObject } from './values.js';

/** One custom column: its header and its `{.path}` template. */
export interface CustomColumn {
  readonly header: string;
  readonly fieldSpec: string;
}

const RELAXED = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/;

/** `RelaxedJSONPathExpression`: `a.b`, `.a.b`, `{a.b}` and `{.a.b}` all mean `{.a.b}`. */
export function relaxedJsonPath(expression: string): string {
  if (expression === '') return expression;
  const m = RELAXED.exec(expression);
  if (m === null) {
    throw new InvalidArgumentError(
      "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'",
    );
  }
  return `{.${m[1] || m[2]}}`;
}

/** Parses the `custom-columns=` spec: `NAME:.metadata.name,IMAGE:.spec.containers[*].image`. */
export function parseCustomColumns(spec: string): CustomColumn[] {
  if (spec === '')
    throw new InvalidArgumentError('custom-columns format specified but no custom columns given');
  return spec.split(',').map((part) => {
    const colon = part.indexOf(':');
    if (colon < 0) {
      throw new InvalidArgumentError(
        `unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`,
      );
    }
    return { header: part.slice(0, colon), fieldSpec: relaxedJsonPath(part.slice(colon + 1)) };
  });
}

/** Parses a custom-columns file: a line of headers, then a line of paths, separated by white space. */
export function parseCustomColumnsFile(text: string): CustomColumn[] {
  // Lines as Go's bufio.Scanner yields them: a final newline ends the last line, `\r\n` counts as `\n`.
  const lines =
    text === ''
      ? []
      : text
          .replace(/\n$/, '')
          .split('\n')
          .map((l) => l.replace(/\r$/, ''));
  const expected =
    'Expected format is one line of space separated headers, one line of space separated column specs.';
  if (lines.length < 1) throw new InvalidArgumentError(`invalid template, missing header line. ${expected}`);
  if (lines.length < 2) throw new InvalidArgumentError(`invalid template, missing spec line. ${expected}`);
  const words = (l: string) => l.split(/\s+/).filter((w) => w !== '');
  const headers = words(lines[0]!);
  const specs = words(lines[1]!);
  if (headers.length !== specs.length) {
    throw new InvalidArgumentError(
      `number of headers (${headers.length}) and field specifications (${specs.length}) don't match`,
    );
  }
  return headers.map((header, i) => ({ header, fieldSpec: relaxedJsonPath(specs[i]!) }));
}

/** Prints objects with custom columns; the header line unless `noHeaders`. */
export function printCustomColumns(
  objects: readonly KubeObject[],
  columns: readonly CustomColumn[],
  noHeaders = false,
): string {
  const paths = columns.map((c) => {
    try {
      return new JsonPath(c.fieldSpec, { allowMissingKeys: true });
    } catch (err) {
      if (err instanceof JsonPathParseError) throw new InvalidArgumentError(err.message, { cause: err });
      throw err;
    }
  });
  const lines: string[] = [];
  if (!noHeaders) lines.push(columns.map((c) => c.header).join('\t'));
  for (const obj of objects) {
    const cells = paths.map((p) => {
      let results: unknown[][];
      try {
        results = p.findResults(obj);
      } catch (err) {
        throw new InvalidArgumentError((err as Error).message, { cause: err });
      }
      const values: string[] = [];
      if (results.length === 0 || results[0]!.length === 0) values.push('<none>');
      for (const r of results) for (const v of r) values.push(goSprint(v).replaceAll('\x1b', '^['));
      return values.join(',');
    });
    lines.push(cells.join('\t'));
  }
  return alignTabs(lines.map((l) => `${l}\n`).join(''), TABLE_TABWRITER);
}

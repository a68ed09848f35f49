/**
 * `kubectl get -o …` for the non-table formats: `yaml` and `json` (one object as itself, several
 * as a `kind: List`; keys sorted, as kubectl's unstructured objects marshal; managedFields omitted),
 * `name` (`deployment.apps/web`), `jsonpath=`/`jsonpath-as-json=` and `custom-columns=`.
 * `go-template` is not supported.
 */

import { InvalidArgumentError } from '../../internal/errors.js';
import { toYaml } from '../../internal/yaml.js';
import { type CustomColumn, parseCustomColumns, printCustomColumns } from './custom-columns.js';
import { goJson, goQuote, goSharpV } from './go-format.js';
import { JsonPath } from './jsonpath/evaluate.js';
import { JsonPathParseError } from './jsonpath/parser.js';
import type { PrintResult } from './render.js';
import { groupOf, isMap, type KubeObject, nameOf, str } from './values.js';

/** A resolved output format (files already read by the caller). */
export type OutputFormat =
  | { readonly type: 'table' }
  | { readonly type: 'wide' }
  | { readonly type: 'yaml' }
  | { readonly type: 'json' }
  | { readonly type: 'name' }
  | { readonly type: 'jsonpath'; readonly template: string; readonly asJson?: boolean }
  | { readonly type: 'custom-columns'; readonly columns: readonly CustomColumn[] };

/** The `-o` value as parsed; file-based formats name the file for the caller to read. */
export type ParsedOutputFlag =
  | OutputFormat
  | { readonly type: 'jsonpath-file'; readonly path: string }
  | { readonly type: 'custom-columns-file'; readonly path: string };

const ALLOWED =
  'custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml';

/**
 * Parses `-o`/`--output` (with `--template` for a bare `-o jsonpath`). Throws with kubectl's message
 * for an unknown format, a missing template, or a go-template (not supported).
 */
export function parseOutputFlag(value: string, template?: string): ParsedOutputFlag {
  const eq = value.indexOf('=');
  const name = eq < 0 ? value : value.slice(0, eq);
  const arg = eq < 0 ? (template ?? '') : value.slice(eq + 1);
  switch (name) {
    case '':
      return { type: 'table' };
    case 'wide':
    case 'yaml':
    case 'json':
    case 'name':
      return { type: name };
    case 'jsonpath':
    case 'jsonpath-as-json':
    case 'jsonpath-file':
      if (arg === '') throw new InvalidArgumentError('template format specified but no template given');
      if (name === 'jsonpath-file') return { type: 'jsonpath-file', path: arg };
      return { type: 'jsonpath', template: arg, asJson: name === 'jsonpath-as-json' };
    case 'custom-columns':
      return { type: 'custom-columns', columns: parseCustomColumns(arg) };
    case 'custom-columns-file':
      if (arg === '')
        throw new InvalidArgumentError(
          'custom-columns-file format specified but no custom columns file given',
        );
      return { type: 'custom-columns-file', path: arg };
    case 'go-template':
    case 'go-template-file':
    case 'template':
    case 'templatefile':
      throw new InvalidArgumentError(
        `output format "${name}" is not supported by bosun; use jsonpath or custom-columns`,
      );
    default:
      throw new InvalidArgumentError(
        `unable to match a printer suitable for the output format "${value}", allowed formats are: ${ALLOWED}`,
      );
  }
}

/** Options of `printObjects`. */
export interface PrintObjectsOptions {
  /**
   * The request named one object (`get pod web`): with exactly one object it prints as itself,
   * otherwise the objects print as a `List`. @default false
   */
  readonly singleItem?: boolean;
  /** `--no-headers` (custom columns). @default false */
  readonly noHeaders?: boolean;
  /** `--allow-missing-template-keys`: missing JSONPath fields print nothing instead of failing. @default true */
  readonly allowMissingTemplateKeys?: boolean;
  /** `--show-managed-fields`: keep `metadata.managedFields` in YAML and JSON. @default false */
  readonly showManagedFields?: boolean;
}

/** `kind.group/name` as `-o name` prints it (`pod/web-1`, `deployment.apps/web`). */
export function resourceName(obj: KubeObject): string {
  const kind = str(obj, 'kind');
  if (kind === '') throw new InvalidArgumentError(`missing kind for resource with name ${nameOf(obj)}`);
  const group = groupOf(obj);
  return `${group === '' ? kind.toLowerCase() : `${kind.toLowerCase()}.${group}`}/${nameOf(obj)}`;
}

const withoutManagedFields = (obj: KubeObject): KubeObject => {
  if (!isMap(obj.metadata) || !('managedFields' in obj.metadata)) return obj;
  const { managedFields: _, ...metadata } = obj.metadata;
  return { ...obj, metadata };
};

/** The object kubectl prints: the one object, or a `List` of all. */
function printedObject(objects: readonly KubeObject[], singleItem: boolean): KubeObject {
  if (singleItem && objects.length === 1) return objects[0]!;
  return { apiVersion: 'v1', items: [...objects], kind: 'List', metadata: { resourceVersion: '' } };
}

function printJsonPath(
  data: KubeObject,
  template: string,
  asJson: boolean,
  allowMissingKeys: boolean,
): string {
  let path: JsonPath;
  try {
    path = new JsonPath(template, { allowMissingKeys, jsonOutput: asJson });
  } catch (err) {
    if (err instanceof JsonPathParseError) {
      throw new InvalidArgumentError(`error parsing jsonpath ${template}, ${err.message}\n`, { cause: err });
    }
    throw err;
  }
  try {
    return path.execute(data);
  } catch (err) {
    const detail =
      `Error executing template: ${(err as Error).message}. Printing more information for debugging the template:\n` +
      `\ttemplate was:\n\t\t${template}\n` +
      `\tobject given to jsonpath engine was:\n\t\t${goSharpV(data)}\n\n`;
    throw new InvalidArgumentError(`error executing jsonpath ${goQuote(template)}: ${detail}\n`, {
      cause: err,
    });
  }
}

/**
 * Prints objects (each with `apiVersion` and `kind`, as kubectl's are) in a non-table format.
 * Throws `InvalidArgumentError` with kubectl's message when a template fails.
 */
export function printObjects(
  objects: readonly KubeObject[],
  format: OutputFormat,
  options: PrintObjectsOptions = {},
): PrintResult {
  const singleItem = options.singleItem ?? false;
  switch (format.type) {
    case 'yaml':
    case 'json': {
      const items = options.showManagedFields ? objects : objects.map(withoutManagedFields);
      const obj = printedObject(items, singleItem);
      return { stdout: format.type === 'yaml' ? `${toYaml(obj)}\n` : `${goJson(obj, '    ')}\n`, stderr: '' };
    }
    case 'name':
      return { stdout: objects.map((o) => `${resourceName(o)}\n`).join(''), stderr: '' };
    case 'jsonpath':
      return {
        stdout: printJsonPath(
          printedObject(objects, singleItem),
          format.template,
          format.asJson ?? false,
          options.allowMissingTemplateKeys ?? true,
        ),
        stderr: '',
      };
    case 'custom-columns':
      return { stdout: printCustomColumns(objects, format.columns, options.noHeaders ?? false), stderr: '' };
    case 'table':
    case 'wide':
      throw new InvalidArgumentError('table output needs printTable');
  }
}

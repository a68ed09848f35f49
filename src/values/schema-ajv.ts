/**
 * `values.schema.json` validation (Helm's `ValidateAgainstSchema`) with ajv: the root chart and
 * every subchart that has values, each against its own schema.
 *
 * Differences from Helm, on purpose:
 * - `$ref` resolves only inside the schema; a reference to a file or URL is refused with an
 *   error naming it, and nothing is ever read or fetched.
 * - `global` is left out of the validated values unless the schema's top-level `properties`
 *   declares it, so `additionalProperties: false` does not reject the injected key (#10392).
 * - `format` is not asserted (ajv has no formats without a plugin).
 */

import { Ajv, type ErrorObject, MissingRefError, type Options, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Chart } from '../chart/chart.js';
import { ChartInvalidError, errorMessage, LimitError, SchemaValidationError } from '../internal/errors.js';
import { isPlainObject, ownProp, type PlainObject } from '../internal/objects.js';
import { parseJson } from '../internal/yaml.js';
import { GLOBAL_KEY } from './coalesce.js';

// Not `verbose` (errors find their data by `instancePath` instead) and no code optimisation
// pass: a chart's schema is compiled once per command, and both nearly halve compile time.
const AJV_OPTIONS: Options = {
  allErrors: true,
  strict: false,
  logger: false,
  validateFormats: false,
  code: { optimize: false },
};

/** The value a JSON pointer (`/worker/replicas`) names in `root`. */
function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isPlainObject(node)) node = ownProp(node, key);
    else return undefined;
  }
  return node;
}

/**
 * Picks the validator class from `$schema`; draft-07 is the default (draft-04/06 read as 07).
 * `metaValidate` checks the schema against its meta-schema first, which costs more than compiling
 * the schema itself (ajv compiles the meta-schema too).
 */
function newAjv(schemaUri: unknown, metaValidate: boolean): Ajv {
  const uri = typeof schemaUri === 'string' ? schemaUri : '';
  const options = { ...AJV_OPTIONS, validateSchema: metaValidate };
  if (uri.includes('2020-12')) return new Ajv2020(options);
  if (uri.includes('2019-09')) return new Ajv2019(options);
  return new Ajv(options);
}

/** Rewrites draft-04's boolean `exclusiveMinimum`/`exclusiveMaximum` into draft-06+ numbers. */
function fromDraft04(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) fromDraft04(item);
    return;
  }
  if (!isPlainObject(node)) return;
  for (const [exclusive, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof node[exclusive] !== 'boolean') continue;
    if (node[exclusive] && typeof node[bound] === 'number') {
      node[exclusive] = node[bound];
      delete node[bound];
    } else {
      delete node[exclusive];
    }
  }
  for (const key of Object.keys(node)) fromDraft04(node[key]);
}

/** A stack overflow in ajv: a `$ref` cycle with no progress, or absurd nesting. */
function loopError(source: string, cause: RangeError): LimitError {
  return new LimitError(`${source}: schema nests too deeply or its $ref form a cycle`, { cause });
}

/**
 * Parses and compiles one chart's schema; refuses external references. Without `metaValidate` a
 * schema that does not compile is compiled again with the meta-schema check, for its clearer
 * message.
 */
function compileSchema(
  text: string,
  source: string,
  metaValidate: boolean,
): { validate: ValidateFunction; schema: unknown } {
  const schema = parseJson(text, source);
  if (typeof schema !== 'boolean' && !isPlainObject(schema)) {
    throw new ChartInvalidError(`${source}: a schema must be a JSON object or a boolean`);
  }
  const uri = isPlainObject(schema) ? schema.$schema : undefined;
  if (isPlainObject(schema)) {
    // The class is chosen above; the meta-schema URI itself need not be known to ajv.
    if (typeof schema.$schema === 'string' && schema.$schema.includes('draft-04')) fromDraft04(schema);
    delete schema.$schema;
  }
  try {
    try {
      return { validate: newAjv(uri, metaValidate).compile(schema), schema };
    } catch (err) {
      if (metaValidate || err instanceof MissingRefError || err instanceof RangeError) throw err;
      return { validate: newAjv(uri, true).compile(schema), schema };
    }
  } catch (err) {
    if (err instanceof MissingRefError) {
      throw new ChartInvalidError(
        `${source}: $ref "${err.missingRef}" cannot be resolved: only references inside the schema are allowed (files and URLs are never loaded)`,
        { cause: err },
      );
    }
    if (err instanceof RangeError) throw loopError(source, err);
    throw new ChartInvalidError(`${source}: invalid schema: ${errorMessage(err)}`, { cause: err });
  }
}

function preview(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (isPlainObject(v)) return 'object';
  return typeof v;
}

function sizeOf(v: unknown): number {
  if (typeof v === 'string') return [...v].length;
  if (Array.isArray(v)) return v.length;
  return isPlainObject(v) ? Object.keys(v).length : 0;
}

/** One ajv error in Helm's (santhosh-tekuri) wording where there is one. */
function describeError(e: ErrorObject, input: unknown): string {
  const p = e.params as Record<string, unknown>;
  const data = valueAt(input, e.instancePath);
  switch (e.keyword) {
    case 'type':
      return `got ${jsonType(data)}, want ${String(p.type)}`;
    case 'required':
      return `missing property '${String(p.missingProperty)}'`;
    case 'additionalProperties':
      return `additional properties '${String(p.additionalProperty)}' not allowed`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${e.keyword}: got ${preview(data)}, want ${String(p.limit)}`;
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems':
    case 'minProperties':
    case 'maxProperties':
      return `${e.keyword}: got ${sizeOf(data)}, want ${String(p.limit)}`;
    case 'enum':
      return `value must be one of ${(p.allowedValues as unknown[]).map(preview).join(', ')}`;
    case 'const':
      return `value must be ${preview(p.allowedValue)}`;
    case 'pattern':
      return `${preview(data)} does not match pattern ${preview(p.pattern)}`;
    case 'multipleOf':
      return `${preview(data)} not multipleOf ${String(p.multipleOf)}`;
    case 'uniqueItems':
      return `items at ${String(p.j)} and ${String(p.i)} are equal`;
    default:
      return `${e.keyword}: ${e.message ?? 'validation failed'}`;
  }
}

/** The values a schema sees: `global` only when the schema declares it at the top level. */
function validationInput(schema: unknown, values: PlainObject): PlainObject {
  if (!Object.hasOwn(values, GLOBAL_KEY)) return values;
  const props = isPlainObject(schema) ? schema.properties : undefined;
  if (isPlainObject(props) && Object.hasOwn(props, GLOBAL_KEY)) return values;
  const input: PlainObject = {};
  for (const key of Object.keys(values)) if (key !== GLOBAL_KEY) input[key] = values[key];
  return input;
}

function collect(chart: Chart, values: PlainObject, report: string[], metaValidate: boolean): void {
  const name = chart.metadata.name;
  if (chart.schema !== undefined) {
    const source = `${name}/values.schema.json`;
    const { validate, schema } = compileSchema(chart.schema, source, metaValidate);
    let valid: boolean;
    const input = validationInput(schema, values);
    try {
      valid = validate(input);
    } catch (err) {
      if (err instanceof RangeError) throw loopError(source, err);
      throw err;
    }
    if (!valid) {
      const lines = (validate.errors ?? []).map(
        (e) => `- at '${e.instancePath}': ${describeError(e, input)}`,
      );
      report.push(`${name}:\n${[...new Set(lines)].join('\n')}`);
    }
  }
  for (const sub of chart.dependencies) {
    const subName = sub.metadata.name;
    const raw = ownProp(values, subName);
    if (raw === undefined || raw === null) continue;
    if (!isPlainObject(raw)) {
      report.push(`${subName}:\ninvalid type for values: expected object (map), got ${jsonType(raw)}`);
      continue;
    }
    collect(sub, raw, report, metaValidate);
  }
}

/**
 * Validates coalesced values against the schemas of `chart` and of every subchart with values
 * (each against its own scoped values). Throws `SchemaValidationError` with Helm's multi-line
 * report, or `ChartInvalidError` when a schema is invalid or references a file or URL.
 * Loaded on demand by `schema.ts`: ajv is large, and most charts have no schema.
 */
export function validateWithAjv(chart: Chart, values: PlainObject, metaValidate = true): void {
  const report: string[] = [];
  collect(chart, values, report, metaValidate);
  if (report.length > 0) {
    throw new SchemaValidationError(
      `values don't meet the specifications of the schema(s) in the following chart(s):\n${report.join('\n')}`,
    );
  }
}

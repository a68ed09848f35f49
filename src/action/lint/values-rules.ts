/**
 * values.yaml rules (Helm's `rules/values.go`): the file exists, parses, and — with the user's
 * overrides on top — meets the chart's own `values.schema.json`. Only the top-level chart's
 * schema is checked here, as in Helm; the render in the template rules checks subcharts too.
 */

import type { Chart } from '../../chart/chart.js';
import { errorMessage } from '../../internal/errors.js';
import { isPlainObject, type PlainObject } from '../../internal/objects.js';
import { parseYaml } from '../../internal/yaml.js';
import { coalesceValues, validateValuesSchema } from '../../values/index.js';
import { Findings, fileText, type LintMessage, type LintTarget, yamlErrorText } from './support.js';

const VALUES_FILE = 'values.yaml';
const SCHEMA_FILE = 'values.schema.json';

/** Options of `lintValues`. */
export interface ValuesLintOptions {
  /** The user's merged `-f`/`--set` values. */
  readonly userValues: PlainObject;
  /** The chart's name, for the schema report. */
  readonly chartName: string;
  /** @default false */
  readonly skipSchemaValidation?: boolean;
}

/** A chart holding only defaults and a schema, for validating one chart's values. */
function schemaOnlyChart(name: string, values: PlainObject, schema: string): Chart {
  return {
    metadata: { apiVersion: 'v2', name, version: '0.0.0' },
    templates: [],
    values,
    schema,
    files: [],
    raw: [],
    dependencies: [],
  };
}

/**
 * Lints values.yaml: missing is INFO; a parse error, or values (user overrides over
 * values.yaml) that fail `values.schema.json`, is an ERROR.
 */
export async function lintValues(target: LintTarget, options: ValuesLintOptions): Promise<LintMessage[]> {
  const f = new Findings();
  const text = fileText(target, VALUES_FILE);
  if (text === undefined) {
    f.check('INFO', VALUES_FILE, 'file does not exist');
    return f.messages;
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text, VALUES_FILE);
  } catch (err) {
    f.check('ERROR', VALUES_FILE, `unable to parse YAML: ${yamlErrorText(err)}`);
    return f.messages;
  }
  if (parsed !== null && parsed !== undefined && !isPlainObject(parsed)) {
    f.check(
      'ERROR',
      VALUES_FILE,
      `unable to parse YAML: values must be a map, got ${Array.isArray(parsed) ? 'a list' : `a ${typeof parsed}`}`,
    );
    return f.messages;
  }
  const schema = fileText(target, SCHEMA_FILE);
  if (schema === undefined || schema.trim() === '' || options.skipSchemaValidation) return f.messages;
  const defaults = isPlainObject(parsed) ? parsed : {};
  try {
    const chart = schemaOnlyChart(options.chartName, defaults, schema);
    await validateValuesSchema(chart, coalesceValues(chart, options.userValues).values);
  } catch (err) {
    f.check('ERROR', VALUES_FILE, errorMessage(err));
  }
  return f.messages;
}

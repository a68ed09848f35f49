/**
 * `values.schema.json` validation entry point. The validator (ajv) is loaded only when a chart
 * in the tree has a schema: it is the largest module bosun has, and most charts have none.
 */

import type { Chart } from '../chart/chart.js';
import type { PlainObject } from '../internal/objects.js';

function hasSchema(chart: Chart): boolean {
  return chart.schema !== undefined || chart.dependencies.some(hasSchema);
}

/**
 * Validates coalesced values against the schemas of `chart` and of every subchart with values
 * (each against its own scoped values). Rejects with `SchemaValidationError` with Helm's
 * multi-line report, or `ChartInvalidError` when a schema is invalid or references a file or URL.
 * `checkSchema: false` skips checking each schema against its meta-schema (half the cost) when it
 * compiles anyway: rendering does; `lint` checks.
 */
export async function validateValuesSchema(
  chart: Chart,
  values: PlainObject,
  options: { checkSchema?: boolean } = {},
): Promise<void> {
  if (!hasSchema(chart)) return;
  const { validateWithAjv } = await import('./schema-ajv.js');
  validateWithAjv(chart, values, options.checkSchema ?? true);
}

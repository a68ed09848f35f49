/**
 * The values layer: what `.Values` is for a render.
 *
 * Pipeline (Helm's order):
 * 1. `mergeValueOptions` — `-f` files left to right, then `--set-json`, `--set`, `--set-string`,
 *    `--set-file`, `--set-literal` (fixed type order), parsed by the `strvals` grammar.
 * 2. `processDependencies` — aliases, `tags`/`condition` (disabled subcharts removed),
 *    `import-values`, then `coalesceValues`: user values over chart defaults, subchart values
 *    under each subchart's name, `global` propagated down. Returns the chart tree to render and
 *    the root `.Values`; a subchart renders with `scopeValues(parentValues, name)`.
 * 3. `validateValuesSchema` — each chart's `values.schema.json` against its scoped values
 *    (skipped by `--skip-schema-validation`).
 *
 * Values never reach `Object.prototype`: `__proto__`, `constructor` and `prototype` keys are
 * refused everywhere, lookups use own properties only, and inputs are never mutated.
 */

export {
  type CoalesceResult,
  coalesceValues,
  GLOBAL_KEY,
  mergeChartValues,
  mergeTables,
  scopeValues,
} from './coalesce.js';
export { applyAliases, type ProcessedChart, processDependencies } from './dependencies.js';
export { applyImportValues } from './import-values.js';
export { mergeMaps } from './merge.js';
export { pathToMap, pathValue, tableAt } from './path.js';
export { validateValuesSchema } from './schema.js';
export {
  MAX_SET_INDEX,
  MAX_SET_NESTING,
  MAX_SET_PADDING,
  parseSet,
  parseSetFile,
  parseSetJson,
  parseSetLiteral,
  parseSetString,
  type SetFileReader,
  typedValue,
} from './strvals.js';
export { mergeValueOptions, readValuesFile, type ValueOptions, type ValueSources } from './value-options.js';

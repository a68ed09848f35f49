/**
 * The render pipeline shared by template, lint, install and upgrade: user values → coalesced
 * values (dependencies enabled/disabled, import-values), schema check → rendered templates → sorted
 * manifests and hooks.
 */

import type { Chart } from '../chart/chart.js';
import type { PlainObject } from '../internal/objects.js';
import { type HookManifest, type Manifest, sortManifests } from '../release/manifest.js';
import type { Capabilities } from '../template/capabilities.js';
import type { FunctionOptions } from '../template/functions/index.js';
import { type ReleaseInfo, renderChart } from '../template/render.js';
import { processDependencies, scopeValues, validateValuesSchema } from '../values/index.js';

/** Inputs of one render. */
export interface RenderReleaseOptions {
  readonly chart: Chart;
  /** User-supplied values (already merged from `-f` and the `--set` family). */
  readonly userValues: PlainObject;
  readonly release: ReleaseInfo;
  readonly capabilities: Capabilities;
  readonly functions?: FunctionOptions;
  readonly skipSchemaValidation?: boolean;
  readonly renderSubchartNotes?: boolean;
}

/** Everything a render produces. */
export interface RenderedRelease {
  /** The chart with disabled subcharts removed and aliases applied. */
  readonly chart: Chart;
  /** The values templates saw (`.Values` of the root chart). */
  readonly values: PlainObject;
  readonly manifests: readonly Manifest[];
  readonly hooks: readonly HookManifest[];
  readonly notes: string;
  /** Rendered text per template path, before splitting. */
  readonly files: ReadonlyMap<string, string>;
  /** Non-fatal findings (values type clashes, ignored conditions). */
  readonly warnings: readonly string[];
}

/** Renders a chart for a release. */
export async function renderRelease(options: RenderReleaseOptions): Promise<RenderedRelease> {
  const processed = processDependencies(options.chart, options.userValues);
  if (!options.skipSchemaValidation) await validateValuesSchema(processed.chart, processed.values);
  const rendered = renderChart(processed.chart, processed.values, {
    release: options.release,
    capabilities: options.capabilities,
    scopeValues,
    ...(options.functions ? { functions: options.functions } : {}),
    ...(options.renderSubchartNotes ? { renderSubchartNotes: true } : {}),
  });
  const sorted = sortManifests(rendered.files);
  return {
    chart: processed.chart,
    values: processed.values,
    manifests: sorted.manifests,
    hooks: sorted.hooks,
    notes: rendered.notes,
    files: rendered.files,
    warnings: processed.warnings,
  };
}

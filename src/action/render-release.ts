/**
 * The render pipeline shared by template, lint, install and upgrade: user values → coalesced
 * values (dependencies enabled/disabled, import-values), schema check → rendered templates → sorted
 * manifests and hooks.
 */

import type { Chart } from '../chart/chart.js';
import type { PlainObject } from '../internal/objects.js';
import { type HookManifest, type Manifest, ManifestSorter } from '../release/manifest.js';
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
  /**
   * Parse each manifest's `object` again when it is read instead of keeping it (for callers
   * that only print the documents).
   */
  readonly lazyObjects?: boolean;
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

/** A render before its output is split into manifests: what lint checks document by document. */
export interface RenderedTemplates {
  readonly chart: Chart;
  readonly values: PlainObject;
  readonly files: ReadonlyMap<string, string>;
  readonly notes: string;
  readonly warnings: readonly string[];
}

/**
 * Values → enabled subcharts and coalesced values → schema check → rendered templates, without
 * parsing the output (lint reports YAML errors per template instead of stopping at the first).
 */
export async function renderTemplates(options: RenderReleaseOptions): Promise<RenderedTemplates> {
  return renderWith(options, undefined);
}

async function renderWith(
  options: RenderReleaseOptions,
  onRendered: ((path: string, text: string) => void) | undefined,
): Promise<RenderedTemplates> {
  const processed = processDependencies(options.chart, options.userValues);
  if (!options.skipSchemaValidation)
    await validateValuesSchema(processed.chart, processed.values, { checkSchema: false });
  const rendered = renderChart(processed.chart, processed.values, {
    release: options.release,
    capabilities: options.capabilities,
    scopeValues,
    ...(options.functions ? { functions: options.functions } : {}),
    ...(options.renderSubchartNotes ? { renderSubchartNotes: true } : {}),
    ...(onRendered ? { onRendered } : {}),
  });
  return {
    chart: processed.chart,
    values: processed.values,
    files: rendered.files,
    notes: rendered.notes,
    warnings: processed.warnings,
  };
}

/** Renders a chart for a release: the rendered templates, split and sorted into manifests and hooks. */
export async function renderRelease(options: RenderReleaseOptions): Promise<RenderedRelease> {
  // Each template's output is parsed as soon as it is rendered (render errors still come first:
  // a parse error waits in the sorter until every template has rendered).
  const sorter = new ManifestSorter(!options.lazyObjects);
  const rendered = await renderWith(options, (path, text) => sorter.add(path, text));
  const sorted = sorter.finish();
  return { ...rendered, manifests: sorted.manifests, hooks: sorted.hooks };
}

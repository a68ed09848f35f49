/**
 * Helm's `ProcessDependencies` (`pkg/chart/v2/util/dependencies.go`): aliases, `tags` and
 * `condition` decide which subcharts render, then `import-values` run; the result is the chart
 * tree to render and its coalesced values.
 */

import type { Chart, Dependency } from '../chart/chart.js';
import { ChartInvalidError } from '../internal/errors.js';
import type { PlainObject } from '../internal/objects.js';
import { coalesceValues } from './coalesce.js';
import { applyImportValues } from './import-values.js';
import { pathValue, tableAt } from './path.js';

/** What the renderer needs: the effective chart tree and the root `.Values`. */
export interface ProcessedChart {
  /**
   * The tree to render: disabled subcharts removed, aliased subcharts copied under their alias
   * (`metadata.name` = alias, and `name` = alias in the parent's `dependencies`), imported
   * values merged into the parents' defaults.
   */
  readonly chart: Chart;
  /**
   * The coalesced root `.Values`. Subchart `name` renders with `scopeValues(values, name)`
   * (its `values[name]`, which includes `global`), recursively for deeper subcharts.
   */
  readonly values: PlainObject;
  /** Non-fatal findings (non-bool conditions or tags, missing imports, type clashes). */
  readonly warnings: readonly string[];
}

/**
 * Pairs each declared dependency with its loaded chart (by name), applies aliases (the chart is
 * copied with `name` = alias) and recurses. Loaded charts that Chart.yaml does not declare are
 * kept as they are; declared ones that are not loaded are skipped (checking for them is the
 * loader's job).
 */
export function applyAliases(chart: Chart): Chart {
  const reqs = chart.metadata.dependencies;
  let subcharts: Chart[] = [...chart.dependencies];
  let metadata = chart.metadata;
  if (reqs) {
    const declared = new Set(reqs.map((r) => r.name));
    subcharts = chart.dependencies.filter((c) => !declared.has(c.metadata.name));
    for (const req of reqs) {
      const loaded = chart.dependencies.find((c) => c.metadata.name === req.name);
      if (!loaded) continue;
      const name = req.alias || req.name;
      subcharts.push(
        name === loaded.metadata.name ? loaded : { ...loaded, metadata: { ...loaded.metadata, name } },
      );
    }
    const renamed: Dependency[] = reqs.map((r) => (r.alias ? { ...r, name: r.alias } : r));
    metadata = { ...metadata, dependencies: renamed };
  }
  const seen = new Set<string>();
  for (const sub of subcharts) {
    if (seen.has(sub.metadata.name)) {
      throw new ChartInvalidError(
        `chart "${chart.metadata.name}": more than one dependency with name or alias "${sub.metadata.name}"`,
      );
    }
    seen.add(sub.metadata.name);
  }
  return { ...chart, metadata, dependencies: subcharts.map(applyAliases) };
}

/** Helm's tag rule: any listed tag true → on; all present tags false → off; none present → on. */
function enabledByTags(req: Dependency, tags: PlainObject | undefined, warnings: string[]): boolean {
  if (!tags) return true;
  let hasTrue = false;
  let hasFalse = false;
  for (const tag of req.tags ?? []) {
    if (!Object.hasOwn(tags, tag)) continue;
    const v = tags[tag];
    if (typeof v === 'boolean') {
      if (v) hasTrue = true;
      else hasFalse = true;
    } else {
      warnings.push(`tag "${tag}" of dependency "${req.name}" is not a bool; ignored`);
    }
  }
  return hasTrue || !hasFalse;
}

/**
 * Helm's condition rule: paths (comma-separated, relative to the declaring chart's values) are
 * tried in order and the first that holds a bool decides; `undefined` when none does.
 */
function enabledByCondition(
  req: Dependency,
  scope: string,
  values: PlainObject,
  warnings: string[],
): boolean | undefined {
  for (const raw of (req.condition ?? '').split(',')) {
    const path = raw.trim();
    if (path === '') continue;
    const { found, value } = pathValue(values, scope + path);
    if (!found) continue;
    if (typeof value === 'boolean') return value;
    warnings.push(`condition "${path}" of dependency "${req.name}" is not a bool; ignored`);
  }
  return undefined;
}

/** Removes the subcharts that `tags`/`condition` disable, recursively; `scope` is `a.b.` or ''. */
function pruneDisabled(chart: Chart, values: PlainObject, scope: string, warnings: string[]): Chart {
  const tags = tableAt(values, 'tags');
  const reqs = chart.metadata.dependencies;
  const disabled = new Set<string>();
  for (const req of reqs ?? []) {
    const enabled = enabledByCondition(req, scope, values, warnings) ?? enabledByTags(req, tags, warnings);
    if (!enabled) disabled.add(req.name);
  }
  const metadata = reqs
    ? { ...chart.metadata, dependencies: reqs.filter((r) => !disabled.has(r.name)) }
    : chart.metadata;
  const dependencies = chart.dependencies
    .filter((sub) => !disabled.has(sub.metadata.name))
    .map((sub) => pruneDisabled(sub, values, `${scope}${sub.metadata.name}.`, warnings));
  return { ...chart, metadata, dependencies };
}

/**
 * Resolves a chart's dependencies against the user's values and coalesces them (Helm's
 * `ProcessDependencies` followed by `CoalesceValues`). Conditions and tags see the user's
 * values over every chart's defaults; a disabled subchart is dropped with its defaults, while
 * user values under its key stay visible to the parent. Inputs are not mutated.
 */
export function processDependencies(chart: Chart, userValues?: PlainObject): ProcessedChart {
  const warnings: string[] = [];
  const aliased = applyAliases(chart);
  const everything = coalesceValues(aliased, userValues).values;
  const enabled = pruneDisabled(aliased, everything, '', warnings);
  const imported = applyImportValues(enabled, warnings);
  const final = coalesceValues(imported, userValues);
  warnings.push(...final.warnings);
  return { chart: imported, values: final.values, warnings };
}

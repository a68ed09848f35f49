/**
 * Helm's `import-values` (`processDependencyImportValues`): a parent copies maps out of its
 * subcharts' default values into its own defaults, bottom-up, so a grandchild's export can
 * travel two levels.
 */

import type { Chart, ImportValue } from '../chart/chart.js';
import { deepCopy, type PlainObject } from '../internal/objects.js';
import { mergeChartValues, mergeTables } from './coalesce.js';
import { pathToMap, tableAt } from './path.js';

/** Where one import reads from (relative to the subchart's values) and writes to. */
function importPaths(iv: ImportValue): { child: string; parent: string } {
  // The string form copies the child's `exports.<name>` map into the parent's root.
  if (typeof iv === 'string') return { child: `exports.${iv}`, parent: '.' };
  return { child: String(iv.child), parent: String(iv.parent) };
}

/**
 * Applies every `import-values` entry of the tree, children first, and returns the new tree.
 * Imported maps rank below the parent's own defaults (which still rank below user values);
 * when two imports clash, the first listed wins. As in Helm, imports read the subcharts'
 * defaults, not user values. A missing or non-map source is a warning.
 */
export function applyImportValues(chart: Chart, warnings: string[]): Chart {
  const dependencies = chart.dependencies.map((sub) => applyImportValues(sub, warnings));
  const withChildren: Chart = { ...chart, dependencies };
  const reqs = chart.metadata.dependencies ?? [];
  if (!reqs.some((r) => (r['import-values'] ?? []).length > 0)) return withChildren;

  // Helm rebuilds the parent's defaults from the merged tree (nulls kept) before importing.
  const merged = mergeChartValues(withChildren).values;
  const imported: PlainObject = {};
  const where = `import-values of chart "${chart.metadata.name}"`;
  for (const req of reqs) {
    for (const iv of req['import-values'] ?? []) {
      const { child, parent } = importPaths(iv);
      const table = tableAt(merged, `${req.name}.${child}`);
      if (!table) {
        warnings.push(`${where}: dependency "${req.name}" has no map at "${child}"; skipped`);
        continue;
      }
      mergeTables(imported, pathToMap(parent, deepCopy(table), where), warnings);
    }
  }
  return { ...withChildren, values: mergeTables(merged, imported, warnings) };
}

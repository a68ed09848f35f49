/**
 * Dependency rules (Helm's `rules/dependencies.go`): every subchart in `charts/` is declared,
 * every declared dependency is in `charts/`, and no two dependencies share a name or alias.
 */

import { isPlainObject, type PlainObject } from '../../internal/objects.js';
import { parseYaml } from '../../internal/yaml.js';
import { Findings, fileText, type LintMessage, type LintTarget } from './support.js';
import type { LoadedChart } from './target.js';

/** A declared dependency, as far as these rules need it. */
interface Declared {
  readonly name: string;
  readonly alias?: string;
}

function declaredFrom(list: unknown): Declared[] {
  if (!Array.isArray(list)) return [];
  return list.filter(isPlainObject).map((d) => {
    const name = typeof d['name'] === 'string' ? d['name'] : '';
    return typeof d['alias'] === 'string' && d['alias'] !== '' ? { name, alias: d['alias'] } : { name };
  });
}

/**
 * The dependencies a chart declares: Chart.yaml `dependencies`, or for an apiVersion v1 chart,
 * `requirements.yaml`.
 */
function declaredDependencies(target: LintTarget, raw: PlainObject | undefined): Declared[] {
  if (raw?.['apiVersion'] === 'v1') {
    const text = fileText(target, 'requirements.yaml');
    if (text !== undefined) {
      try {
        const req = parseYaml(text, 'requirements.yaml');
        if (isPlainObject(req)) return declaredFrom(req['dependencies']);
      } catch {
        // An unreadable requirements.yaml declares nothing; the loader reports it.
      }
    }
  }
  return declaredFrom(raw?.['dependencies']);
}

function uniqueProblem(declared: readonly Declared[]): string | undefined {
  const seen = new Set<string>();
  const shadowing: string[] = [];
  for (const d of declared) {
    const key = d.alias ?? d.name;
    if (seen.has(key)) shadowing.push(key);
    seen.add(key);
  }
  return shadowing.length > 0
    ? `multiple dependencies with name or alias: ${shadowing.join(',')}`
    : undefined;
}

/**
 * Lints dependencies. Messages about the chart as a whole are reported under the chart path as
 * the user gave it. Duplicate names or aliases are checked from Chart.yaml even when the chart
 * does not load (the loader refuses them).
 */
export function lintDependencies(
  target: LintTarget,
  raw: PlainObject | undefined,
  loaded: LoadedChart,
): LintMessage[] {
  const f = new Findings();
  const declared = declaredDependencies(target, raw);
  if ('error' in loaded) {
    f.check('ERROR', '', `unable to load chart\n\t${loaded.error}`);
    f.check('ERROR', target.path, uniqueProblem(declared));
    return f.messages;
  }
  const declaredNames = new Set(declared.map((d) => d.name));
  const present = loaded.chart.dependencies.map((c) => c.metadata.name);
  const undeclared = present.filter((n) => !declaredNames.has(n));
  f.check(
    'ERROR',
    target.path,
    undeclared.length > 0
      ? `chart metadata is missing these dependencies: ${undeclared.join(',')}`
      : undefined,
  );
  f.check('ERROR', target.path, uniqueProblem(declared));
  const presentNames = new Set(present);
  const missing = declared.map((d) => d.name).filter((n) => !presentNames.has(n));
  f.check(
    'WARNING',
    target.path,
    missing.length > 0 ? `chart directory is missing these dependencies: ${missing.join(',')}` : undefined,
  );
  return f.messages;
}

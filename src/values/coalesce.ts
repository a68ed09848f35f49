/**
 * Helm's values coalescing (`pkg/chart/common/util/coalesce.go`): user values over chart
 * defaults, for the root chart and, under each subchart's name, for every subchart, with
 * `global` propagated down.
 *
 * Rules, as in Helm: maps merge; scalars and lists replace; a user `null` deletes a key the
 * defaults have (a `null` for a key the defaults lack stays); a map where the default is not a
 * map wins with a warning. Inputs are never mutated.
 */

import type { Chart } from '../chart/chart.js';
import { ValuesError } from '../internal/errors.js';
import {
  assertSafeKey,
  assertSafeTree,
  deepCopy,
  describeValue,
  isPlainObject,
  ownProp,
  type PlainObject,
} from '../internal/objects.js';

/** The key whose map every subchart inherits from its parent. */
export const GLOBAL_KEY = 'global';

/** Coalesced values and the warnings met on the way (printed by the CLI as `warning: <text>`). */
export interface CoalesceResult {
  /** The root chart's `.Values`; each subchart's values sit under its name (or alias). */
  readonly values: PlainObject;
  readonly warnings: string[];
}

function join(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`;
}

/** One coalescing pass; `keepNulls` is Helm's `merge` flag (MergeValues keeps `null`s). */
class Coalescer {
  readonly warnings: string[] = [];

  constructor(private readonly keepNulls: boolean) {}

  /** Coalesces `chart`'s defaults, then its subcharts', into `dest` (owned, mutated). */
  chart(chart: Chart, dest: PlainObject, prefix: string): PlainObject {
    const path = join(prefix, chart.metadata.name);
    this.defaults(chart, dest, path);
    for (const sub of chart.dependencies) {
      const name = sub.metadata.name;
      assertSafeKey(name, `subchart of "${path}"`);
      const raw = ownProp(dest, name);
      if (raw !== undefined && raw !== null && !isPlainObject(raw)) {
        throw new ValuesError(
          `values for subchart "${join(path, name)}" must be a map, got ${describeValue(raw)}`,
        );
      }
      const scoped: PlainObject = isPlainObject(raw) ? raw : {};
      dest[name] = scoped;
      this.globals(scoped, dest, path);
      this.chart(sub, scoped, path);
    }
    return dest;
  }

  /** Helm's `coalesceValues`: the chart's own defaults under the user's values. */
  private defaults(chart: Chart, values: PlainObject, path: string): void {
    const defaults = deepCopy(chart.values, `values of chart "${path}"`);
    const subcharts = new Set(chart.dependencies.map((d) => d.metadata.name));
    for (const key of Object.keys(defaults)) {
      const fallback = defaults[key];
      if (!Object.hasOwn(values, key)) {
        values[key] = fallback;
        continue;
      }
      const value = values[key];
      if (value === null) {
        if (!this.keepNulls) delete values[key];
      } else if (isPlainObject(value)) {
        if (isPlainObject(fallback)) {
          // A subchart's nulls must survive until they meet the subchart's own defaults.
          this.tables(value, fallback, join(path, key), this.keepNulls || subcharts.has(key));
        } else if (fallback !== null) {
          this.warn(`skipped value for ${path}.${key}: Not a table.`);
        }
      }
    }
  }

  /** Helm's `coalesceTablesFullKey`: `src` under `dst` (authoritative), recursively. */
  tables(dst: PlainObject, src: PlainObject, prefix: string, keepNulls: boolean): PlainObject {
    for (const key of Object.keys(src)) {
      const fallback = src[key];
      if (!Object.hasOwn(dst, key)) {
        dst[key] = fallback;
        continue;
      }
      const value = dst[key];
      const full = join(prefix, key);
      if (value === null) {
        if (!keepNulls) delete dst[key];
      } else if (isPlainObject(fallback)) {
        if (isPlainObject(value)) this.tables(value, fallback, full, keepNulls);
        else this.warn(`cannot overwrite table with non table for ${full}`);
      } else if (isPlainObject(value) && fallback !== null) {
        this.warn(`destination for ${full} is a table. Ignoring non-table value`);
      }
    }
    if (!keepNulls) {
      // Inside a table the defaults have, every user null is a deletion (Helm marks them first).
      for (const key of Object.keys(dst)) if (dst[key] === null) delete dst[key];
    }
    return dst;
  }

  /**
   * Helm's `coalesceGlobals`: the parent's `global` over the subchart's. Maps are deep-copied
   * so subchart-only keys never reach the parent (Helm's shallow copy leaks them from the
   * second level down).
   */
  private globals(sub: PlainObject, parent: PlainObject, prefix: string): void {
    const subGlobal = this.globalsOf(sub, 'destination');
    const parentGlobal = this.globalsOf(parent, 'source');
    if (!subGlobal || !parentGlobal) return;
    for (const key of Object.keys(parentGlobal)) {
      const value = parentGlobal[key];
      const current = ownProp(subGlobal, key);
      if (isPlainObject(value)) {
        const copy = deepCopy(value);
        if (current === undefined) {
          subGlobal[key] = copy;
        } else if (!isPlainObject(current)) {
          this.warn(`conflict: cannot merge map onto non-map for "${key}". Skipping.`);
        } else {
          subGlobal[key] = this.tables(copy, current, join(prefix, key), true);
        }
      } else if (isPlainObject(current)) {
        this.warn(`key ${key} is table. Skipping`);
      } else {
        subGlobal[key] = value;
      }
    }
    sub[GLOBAL_KEY] = subGlobal;
  }

  private globalsOf(values: PlainObject, role: string): PlainObject | undefined {
    const g = ownProp(values, GLOBAL_KEY);
    if (g === undefined || g === null) return {};
    if (isPlainObject(g)) return g;
    this.warn(`skipping globals because ${role} ${GLOBAL_KEY} is not a table.`);
    return undefined;
  }

  private warn(message: string): void {
    this.warnings.push(message);
  }
}

function run(chart: Chart, userValues: PlainObject | undefined, keepNulls: boolean): CoalesceResult {
  const user = userValues ?? {};
  assertSafeTree(user, 'values');
  const c = new Coalescer(keepNulls);
  const values = c.chart(chart, deepCopy(user), '');
  return { values, warnings: c.warnings };
}

/**
 * Coalesces user values with `chart`'s defaults and, recursively, with each subchart's under
 * its name (Helm's `CoalesceValues`). Returns fresh data; refuses forbidden keys.
 */
export function coalesceValues(chart: Chart, userValues?: PlainObject): CoalesceResult {
  return run(chart, userValues, false);
}

/** Like `coalesceValues` but keeps every `null` (Helm's `MergeValues`, used for import-values). */
export function mergeChartValues(chart: Chart, userValues?: PlainObject): CoalesceResult {
  return run(chart, userValues, true);
}

/**
 * Merges `src` under `dst` in place, keeping nulls (Helm's `MergeTables`): `dst` wins, maps
 * merge. Both must be owned by the caller; `warnings` collects type clashes.
 */
export function mergeTables(dst: PlainObject, src: PlainObject, warnings: string[]): PlainObject {
  const c = new Coalescer(true);
  c.tables(dst, src, '', true);
  warnings.push(...c.warnings);
  return dst;
}

/**
 * The `.Values` of subchart `name` given its parent's coalesced values: the parent's
 * `values[name]`, which coalescing already gave a `global`; if it has none (the chart was not
 * coalesced as a subchart), the parent's `global` is added.
 */
export function scopeValues(parentValues: PlainObject, name: string): PlainObject {
  const raw = ownProp(parentValues, name);
  const scoped = isPlainObject(raw) ? raw : {};
  if (Object.hasOwn(scoped, GLOBAL_KEY)) return scoped;
  const global = ownProp(parentValues, GLOBAL_KEY);
  return { ...scoped, [GLOBAL_KEY]: isPlainObject(global) ? global : {} };
}

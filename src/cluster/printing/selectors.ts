/**
 * Label maps and label selectors as kubectl prints them (`labels.FormatLabels`,
 * `metav1.FormatLabelSelector`, `labels.Selector.String()`).
 */

import { get, isMap, list, str, strMap } from './values.js';

/** `labels.FormatLabels`: `k=v,k2=v2` in key order, `<none>` when empty. */
export function formatLabels(labels: Readonly<Record<string, string>>): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels[k]}`).join(',');
}

const OPERATORS: Record<string, (key: string, values: string[]) => string> = {
  In: (k, v) => `${k} in (${v.join(',')})`,
  NotIn: (k, v) => `${k} notin (${v.join(',')})`,
  Exists: (k) => k,
  DoesNotExist: (k) => `!${k}`,
};

/**
 * `labels.Selector.String()` of a `LabelSelector`: requirements ordered by key, set values sorted;
 * `''` for an empty or absent selector, `undefined` for an invalid one.
 */
export function selectorString(selector: unknown): string | undefined {
  if (!isMap(selector)) return '';
  const reqs: { key: string; text: string }[] = [];
  for (const [k, v] of Object.entries(strMap(selector, 'matchLabels')))
    reqs.push({ key: k, text: `${k}=${v}` });
  for (const expr of list(selector, 'matchExpressions')) {
    const key = str(expr, 'key');
    const format = OPERATORS[str(expr, 'operator')];
    if (format === undefined) return undefined;
    const values = list(expr, 'values')
      .filter((x): x is string => typeof x === 'string')
      .sort();
    reqs.push({ key, text: format(key, values) });
  }
  // Go's sort.Sort by key is not stable; keys are unique in practice.
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return reqs.map((r) => r.text).join(',');
}

/** `metav1.FormatLabelSelector`: like `selectorString`, `<none>` when empty, `<error>` when invalid. */
export function formatLabelSelector(selector: unknown): string {
  const s = selectorString(selector);
  if (s === undefined) return '<error>';
  return s === '' ? '<none>' : s;
}

/** The labels at `path` of an object, formatted with `formatLabels`. */
export function formatLabelsAt(obj: unknown, ...path: string[]): string {
  const v = get(obj, ...path);
  return formatLabels(isMap(v) ? strMap(v) : {});
}

/** Label selector matching (`labels.Selector.Matches`) for the related objects describe counts. */

import { isMap, list, str, strMap } from '../values.js';

/** Whether `labels` match a `LabelSelector` (`matchLabels` and `matchExpressions`); an absent selector matches nothing. */
export function matchesSelector(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (!isMap(selector)) return false;
  for (const [k, v] of Object.entries(strMap(selector, 'matchLabels'))) if (labels[k] !== v) return false;
  for (const expr of list(selector, 'matchExpressions')) {
    const key = str(expr, 'key');
    const values = list(expr, 'values');
    const has = Object.hasOwn(labels, key);
    switch (str(expr, 'operator')) {
      case 'In':
        if (!has || !values.includes(labels[key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/**
 * What a mustache (`{{x}}`) prints: Go's `fmt.Sprint` text of the value (from the function
 * library's Go printer), except that a missing or null value prints nothing, as Helm strips
 * `<no value>`.
 */

import { formatGoNumber, formatGoValue } from '../functions/format.js';

/** Go's `fmt.Sprint` text of a value: `[a b]`, `map[a:1 b:2]` (keys sorted), `<nil>`. */
export const formatGo: (value: unknown) => string = (value) => formatGoValue(value);

/** Text of a value printed by a mustache; null and missing values print nothing. */
export function printValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'undefined':
      return '';
    case 'number':
      return formatGoNumber(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return value === null ? '' : formatGoValue(value);
  }
}

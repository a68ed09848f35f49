/**
 * Label selector requirements (`labels.Requirement`): the parsed form both selector syntaxes
 * produce, and `newRequirement`, which checks keys, operators and values with Kubernetes' messages.
 */

import { isQualifiedName, isValidLabelValue } from '../../../internal/k8s-names.js';
import type { ApiError } from '../types.js';
import { badRequest } from './api-errors.js';
import { goSyntax } from './invalid-error.js';

/** A requirement's operator, spelled as `selection.Operator` spells it. */
export type SelectorOperator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

/** One requirement: every one of a selector's must match. */
export interface Requirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  /** Sorted, without duplicates. */
  readonly values: readonly string[];
}

/** A parsed selector. `nothing` is the null selector, which matches no object. */
export interface LabelSelector {
  readonly requirements: readonly Requirement[];
  readonly nothing?: boolean;
}

/** The selector that matches every object. */
export const EVERYTHING: LabelSelector = { requirements: [] };
/** The selector that matches no object (a null `LabelSelector`). */
export const NOTHING: LabelSelector = { requirements: [], nothing: true };

/** The binary operators, in the order parse errors list them. */
export const BINARY_OPERATORS = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];
const VALID_OPERATORS = [...BINARY_OPERATORS, 'exists', '!'];

/** A selector error: 400 BadRequest with the parser's message. */
export function selectorError(message: string): ApiError {
  return badRequest(message);
}

/** Go's `field.Error` line for an invalid value. */
export function invalidLine(path: string, value: unknown, detail: string): string {
  return `${path}: Invalid value: ${goSyntax(value)}: ${detail}`;
}

function aggregate(lines: readonly string[]): string | undefined {
  if (lines.length === 0) return undefined;
  return lines.length === 1 ? lines[0] : `[${lines.join(', ')}]`;
}

/** `labels.NewRequirement`: checks key, operator and values; returns the error text or the requirement. */
export function newRequirement(
  key: string,
  operator: SelectorOperator,
  values: readonly string[],
): Requirement | string {
  const errs: string[] = [];
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length > 0) errs.push(invalidLine('key', key, keyErrs.join('; ')));
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0)
        errs.push(invalidLine('values', [], "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1)
        errs.push(invalidLine('values', values, 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (values.length !== 0)
        errs.push(invalidLine('values', values, 'values set must be empty for exists and does not exist'));
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1)
        errs.push(invalidLine('values', values, "for 'Gt', 'Lt' operators, exactly one value is required"));
      values.forEach((v, i) => {
        if (!/^[+-]?\d+$/.test(v))
          errs.push(invalidLine(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
    default:
      errs.push(
        `operator: Unsupported value: ${goSyntax(operator)}: supported values: ${VALID_OPERATORS.map((o) => `"${o}"`).join(', ')}`,
      );
  }
  values.forEach((v, i) => {
    const valueErrs = isValidLabelValue(v);
    if (valueErrs.length > 0) errs.push(invalidLine(`values[${i}][${key}]`, v, valueErrs.join('; ')));
  });
  return aggregate(errs) ?? { key, operator, values: [...new Set(values)].sort() };
}

/** Requirements sorted by key, as Kubernetes keeps them. */
export function sortByKey(reqs: Requirement[]): Requirement[] {
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

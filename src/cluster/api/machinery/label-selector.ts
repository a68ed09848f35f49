/**
 * Label selectors, as `k8s.io/apimachinery/pkg/labels` parses and matches them: the query-string
 * syntax (`app=web,tier in (fe,be),!canary`) and the object form (`matchLabels` +
 * `matchExpressions`), with Kubernetes' parse errors. Shared by the API (list, watch) and kubectl.
 */

import { goSyntax } from './invalid-error.js';
import { isJsonObject } from './json-values.js';
import {
  type LabelSelector,
  NOTHING,
  newRequirement,
  type Requirement,
  type SelectorOperator,
  selectorError,
  sortByKey,
} from './label-requirement.js';

export {
  EVERYTHING,
  type LabelSelector,
  NOTHING,
  newRequirement,
  type Requirement,
  type SelectorOperator,
} from './label-requirement.js';
export { parseLabelSelector } from './label-selector-parser.js';

const EXPRESSION_OPERATORS: Readonly<Record<string, SelectorOperator>> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

/**
 * The selector of a `LabelSelector` object: `{}` selects everything, null or absent nothing
 * (`metav1.LabelSelectorAsSelector`). Throws 400 BadRequest on invalid content.
 */
export function labelSelectorFromObject(selector: unknown): LabelSelector {
  if (selector === null || selector === undefined) return NOTHING;
  if (!isJsonObject(selector)) throw selectorError(`invalid label selector: ${goSyntax(selector)}`);
  const matchLabels = isJsonObject(selector.matchLabels) ? selector.matchLabels : {};
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(matchLabels)) {
    const r = newRequirement(k, '=', [String(v)]);
    if (typeof r === 'string') throw selectorError(r);
    reqs.push(r);
  }
  for (const expr of expressions) {
    const e = isJsonObject(expr) ? expr : {};
    const op = EXPRESSION_OPERATORS[String(e.operator)];
    if (op === undefined)
      throw selectorError(
        `${JSON.stringify(String(e.operator ?? ''))} is not a valid label selector operator`,
      );
    const values = Array.isArray(e.values) ? e.values.map(String) : [];
    const r = newRequirement(String(e.key ?? ''), op, values);
    if (typeof r === 'string') throw selectorError(r);
    reqs.push(r);
  }
  return { requirements: sortByKey(reqs) };
}

/** A plain map selector (`Service.spec.selector`, `ReplicationController.spec.selector`): equality on every entry. */
export function labelSelectorFromMap(map: Readonly<Record<string, string>>): LabelSelector {
  return {
    requirements: sortByKey(
      Object.keys(map).map((key) => ({ key, operator: '=' as const, values: [map[key]!] })),
    ),
  };
}

function requirementMatches(r: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = has ? labels[r.key]! : undefined;
  switch (r.operator) {
    case '=':
    case '==':
    case 'in':
      return has && r.values.includes(value!);
    case '!=':
    case 'notin':
      return !has || !r.values.includes(value!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || !/^[+-]?\d+$/.test(value!) || r.values.length !== 1) return false;
      const [l, v] = [Number(value), Number(r.values[0])];
      return r.operator === 'gt' ? l > v : l < v;
    }
  }
}

/** Whether a label set satisfies every requirement of the selector. */
export function matchesLabels(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  if (selector.nothing) return false;
  return selector.requirements.every((r) => requirementMatches(r, labels));
}

/** Whether the selector matches every object. */
export function selectsEverything(selector: LabelSelector): boolean {
  return !selector.nothing && selector.requirements.length === 0;
}

function requirementString(r: Requirement): string {
  switch (r.operator) {
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    case 'in':
    case 'notin':
      return `${r.key} ${r.operator} (${r.values.join(',')})`;
    case 'gt':
      return `${r.key}>${r.values[0]}`;
    case 'lt':
      return `${r.key}<${r.values[0]}`;
    default:
      return `${r.key}${r.operator}${r.values[0]}`;
  }
}

/** The canonical string of a selector (`app=web,tier in (be,fe)`), as Kubernetes prints it. */
export function labelSelectorToString(selector: LabelSelector): string {
  return selector.requirements.map(requirementString).join(',');
}

/**
 * The requirements an equality index can serve (`k=v`, `k==v`, `k in (v)`), for `store.list`'s
 * `labelEquals`; the selector must still be checked on each item.
 */
export function labelEqualityTerms(selector: LabelSelector): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  let any = false;
  for (const r of selector.requirements) {
    if ((r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1) {
      if (Object.hasOwn(out, r.key) && out[r.key] !== r.values[0]) continue;
      out[r.key] = r.values[0]!;
      any = true;
    }
  }
  return any ? out : undefined;
}

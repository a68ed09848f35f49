/**
 * Kubernetes object-name validation, per kind, with the apimachinery messages Helm's lint
 * quotes (`validateMetadataName` in Helm's `rules/template.go`).
 */

import { checkName, type NameRule } from '../../internal/k8s-names.js';
import { goQuote } from './support.js';

/** The name rule of each kind (lower-cased); `undefined` for no rule; anything else is a DNS subdomain. */
function ruleFor(kind: string): NameRule | undefined {
  switch (kind.toLowerCase()) {
    case 'service':
      return 'rfc1035';
    case 'namespace':
      return 'label';
    case 'certificatesigningrequest':
      return undefined;
    case 'role':
    case 'clusterrole':
    case 'rolebinding':
    case 'clusterrolebinding':
      return 'path-segment';
    default:
      return 'subdomain';
  }
}

/**
 * Checks `metadata.name` of an object of `kind`; returns Helm's warning text, or `undefined`
 * when the name is valid.
 */
export function metadataNameProblem(kind: string, name: string): string | undefined {
  const rule = ruleFor(kind);
  const problems = rule === undefined ? [] : checkName(rule, name);
  const errs = problems.map((msg) => `metadata.name: Invalid value: ${goQuote(name)}: ${msg}`);
  if (errs.length === 0) return undefined;
  const aggregate = errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`;
  return `object name does not conform to Kubernetes naming requirements: ${goQuote(name)}: ${aggregate}`;
}

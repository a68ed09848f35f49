/**
 * Kubernetes object-name validation, per kind, with the apimachinery messages Helm's lint
 * quotes (`validateMetadataName` in Helm's `rules/template.go`).
 */

import { goQuote } from './support.js';

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
const DNS1035_LABEL = '[a-z]([-a-z0-9]*[a-z0-9])?';

/** apimachinery's `RegexError`: the message, examples and the pattern. */
function regexError(message: string, pattern: string, ...examples: string[]): string {
  if (examples.length === 0) return `${message} (regex used for validation is '${pattern}')`;
  // apimachinery joins examples with " or " after a ", " — hence the double space.
  const shown = examples.map((e, i) => `${i > 0 ? ' or ' : ''}'${e}', `).join('');
  return `${message} (e.g. ${shown}regex used for validation is '${pattern}')`;
}

function tooLong(max: number): string {
  return `must be no more than ${max} characters`;
}

function dnsSubdomain(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 253) errs.push(tooLong(253));
  if (!new RegExp(`^${DNS1123_SUBDOMAIN}$`).test(name)) {
    errs.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        DNS1123_SUBDOMAIN,
        'example.com',
      ),
    );
  }
  return errs;
}

function dnsLabel(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 63) errs.push(tooLong(63));
  if (!new RegExp(`^${DNS1123_LABEL}$`).test(name)) {
    errs.push(
      regexError(
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
        DNS1123_LABEL,
        'my-name',
        '123-abc',
      ),
    );
  }
  return errs;
}

function dns1035Label(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 63) errs.push(tooLong(63));
  if (!new RegExp(`^${DNS1035_LABEL}$`).test(name)) {
    errs.push(
      regexError(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
        DNS1035_LABEL,
        'my-name',
        'abc-123',
      ),
    );
  }
  return errs;
}

function pathSegment(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  const errs: string[] = [];
  for (const illegal of ['/', '%']) if (name.includes(illegal)) errs.push(`may not contain '${illegal}'`);
  return errs;
}

/** The name rule of each kind (lower-cased); anything else is a DNS subdomain. */
function rulesFor(kind: string): (name: string) => string[] {
  switch (kind.toLowerCase()) {
    case 'service':
      return dns1035Label;
    case 'namespace':
      return dnsLabel;
    case 'certificatesigningrequest':
      return () => [];
    case 'role':
    case 'clusterrole':
    case 'rolebinding':
    case 'clusterrolebinding':
      return pathSegment;
    default:
      return dnsSubdomain;
  }
}

/**
 * Checks `metadata.name` of an object of `kind`; returns Helm's warning text, or `undefined`
 * when the name is valid.
 */
export function metadataNameProblem(kind: string, name: string): string | undefined {
  const errs = rulesFor(kind)(name).map((msg) => `metadata.name: Invalid value: ${goQuote(name)}: ${msg}`);
  if (errs.length === 0) return undefined;
  const aggregate = errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`;
  return `object name does not conform to Kubernetes naming requirements: ${goQuote(name)}: ${aggregate}`;
}

/**
 * Kubernetes' name, label and key syntax checks with their exact messages
 * (`k8s.io/apimachinery/pkg/util/validation`). Each returns the list of problems, empty when valid.
 * The one home of these rules: the simulated cluster's validation, its label selectors and
 * lint's object-name check all use it.
 */

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
const DNS1035_LABEL = '[a-z]([-a-z0-9]*[a-z0-9])?';
const QUALIFIED_NAME = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE = `(${QUALIFIED_NAME})?`;
const CONFIG_KEY = '[-._a-zA-Z0-9]+';

const re = (src: string) => new RegExp(`^${src}$`);
const DNS1123_LABEL_RE = re(DNS1123_LABEL);
const DNS1123_SUBDOMAIN_RE = re(DNS1123_SUBDOMAIN);
const DNS1035_LABEL_RE = re(DNS1035_LABEL);
const QUALIFIED_NAME_RE = re(QUALIFIED_NAME);
const LABEL_VALUE_RE = re(LABEL_VALUE);
const CONFIG_KEY_RE = re(CONFIG_KEY);
const C_IDENTIFIER_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const IANA_SVC_NAME_RE = /^[-a-z0-9]+$/;
const IANA_HAS_LETTER_RE = /[a-z]/;

/** The longest DNS-1123 label / RFC 1035 label / label value / qualified name part. */
export const LABEL_MAX = 63;
/** The longest DNS-1123 subdomain. */
export const SUBDOMAIN_MAX = 253;

/** `must be no more than N characters`. */
export function maxLenError(n: number): string {
  return `must be no more than ${n} characters`;
}

function regexError(msg: string, fmt: string, ...examples: string[]): string {
  let s = `${msg} (`;
  if (examples.length > 0) {
    s += `e.g. '${examples[0]}'`;
    for (const e of examples.slice(1)) s += `,  or '${e}'`;
    s += ', ';
  }
  return `${s}regex used for validation is '${fmt}')`;
}

/** RFC 1123 label: lower-case alphanumerics and `-`, ≤ 63. */
export function isDns1123Label(v: string): string[] {
  const errs: string[] = [];
  if (v.length > LABEL_MAX) errs.push(maxLenError(LABEL_MAX));
  if (!DNS1123_LABEL_RE.test(v))
    errs.push(
      regexError(
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
        DNS1123_LABEL,
        'my-name',
        '123-abc',
      ),
    );
  return errs;
}

/** RFC 1123 subdomain: labels joined by dots, ≤ 253. */
export function isDns1123Subdomain(v: string): string[] {
  const errs: string[] = [];
  if (v.length > SUBDOMAIN_MAX) errs.push(maxLenError(SUBDOMAIN_MAX));
  if (!DNS1123_SUBDOMAIN_RE.test(v))
    errs.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        DNS1123_SUBDOMAIN,
        'example.com',
      ),
    );
  return errs;
}

/** RFC 1035 label (Service names): starts with a letter, ≤ 63. */
export function isDns1035Label(v: string): string[] {
  const errs: string[] = [];
  if (v.length > LABEL_MAX) errs.push(maxLenError(LABEL_MAX));
  if (!DNS1035_LABEL_RE.test(v))
    errs.push(
      regexError(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
        DNS1035_LABEL,
        'my-name',
        'abc-123',
      ),
    );
  return errs;
}

/** A path segment (RBAC objects, PersistentVolumes, HPAs): not `.`/`..`, no `/` or `%`. */
export function isPathSegmentName(v: string): string[] {
  if (v === '.' || v === '..') return [`may not be '${v}'`];
  const errs: string[] = [];
  for (const c of ['/', '%']) if (v.includes(c)) errs.push(`may not contain '${c}'`);
  return errs;
}

/** A qualified name (label and annotation keys): `[prefix/]name`. */
export function isQualifiedName(v: string): string[] {
  const errs: string[] = [];
  const parts = v.split('/');
  let name: string;
  if (parts.length === 1) name = parts[0]!;
  else if (parts.length === 2) {
    const [prefix, n] = parts as [string, string];
    name = n;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else for (const m of isDns1123Subdomain(prefix)) errs.push(`prefix part ${m}`);
  } else {
    return [
      `${regexError(
        "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        QUALIFIED_NAME,
        'MyName',
        'my.name',
        '123-abc',
      )} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > LABEL_MAX) errs.push(`name part ${maxLenError(LABEL_MAX)}`);
  if (!QUALIFIED_NAME_RE.test(name))
    errs.push(
      `name part ${regexError(
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        QUALIFIED_NAME,
        'MyName',
        'my.name',
        '123-abc',
      )}`,
    );
  return errs;
}

/** A label value: empty, or ≤ 63 of alphanumerics, `-`, `_`, `.` starting and ending alphanumeric. */
export function isValidLabelValue(v: string): string[] {
  const errs: string[] = [];
  if (v.length > LABEL_MAX) errs.push(maxLenError(LABEL_MAX));
  if (!LABEL_VALUE_RE.test(v))
    errs.push(
      regexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        LABEL_VALUE,
        'MyValue',
        'my_value',
        '12345',
      ),
    );
  return errs;
}

/** A ConfigMap or Secret key. */
export function isConfigMapKey(v: string): string[] {
  const errs: string[] = [];
  if (v.length > SUBDOMAIN_MAX) errs.push(maxLenError(SUBDOMAIN_MAX));
  if (!CONFIG_KEY_RE.test(v))
    errs.push(
      regexError(
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
        CONFIG_KEY,
        'key.name',
        'KEY_NAME',
        'key-name',
      ),
    );
  if (v === '.') errs.push("must not be '.'");
  else if (v === '..') errs.push("must not be '..'");
  else if (v.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

/** A C identifier (e.g. `envFrom` prefixes in older versions). */
export function isCIdentifier(v: string): string[] {
  if (C_IDENTIFIER_RE.test(v)) return [];
  return [
    regexError(
      "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_'",
      '[A-Za-z_][A-Za-z0-9_]*',
      'my_name',
      'MY_NAME',
      'MyName',
    ),
  ];
}

/** An environment variable name: printable ASCII other than `=` (Kubernetes ≥ 1.34). */
export function isEnvVarName(v: string): string[] {
  if (v.length > 0 && /^[\x20-\x7e]+$/.test(v) && !v.includes('=')) return [];
  return ["a valid environment variable name must consist only of printable ASCII characters other than '='"];
}

/** An IANA service name (named ports): ≤ 15, lower-case alphanumerics and `-`, with a letter. */
export function isIanaSvcName(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 15) errs.push(maxLenError(15));
  if (!IANA_SVC_NAME_RE.test(v))
    errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (v.includes('--')) errs.push('must not contain consecutive hyphens');
  if (!IANA_HAS_LETTER_RE.test(v)) errs.push('must contain at least one letter (a-z)');
  if (v.startsWith('-') || v.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

/** A port number: 1–65535. */
export function isValidPortNum(v: number): string[] {
  return Number.isInteger(v) && v >= 1 && v <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}

/** Name rules, by the validator Kubernetes applies to a kind's `metadata.name`. */
export type NameRule = 'subdomain' | 'label' | 'rfc1035' | 'path-segment';

/** Checks a name (or, with `prefix`, a `generateName`, whose trailing `-` is allowed). */
export function checkName(rule: NameRule, name: string, prefix = false): string[] {
  // Kubernetes' maskTrailingDash: the last two characters become one 'a'.
  const v = prefix && name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
  switch (rule) {
    case 'label':
      return isDns1123Label(v);
    case 'rfc1035':
      return isDns1035Label(v);
    case 'path-segment':
      return isPathSegmentName(v);
    default:
      return isDns1123Subdomain(v);
  }
}

/**
 * The fast YAML reader for manifests (rendered templates, `kubectl apply -f`): js-yaml with a
 * YAML 1.1 schema that reads scalars as Kubernetes' go-yaml does (`yes`/`on` are booleans,
 * `0644` is octal, `<<` merges, dates stay strings). About 8× faster than the `yaml` package on
 * rendered output, which is where `bosun template` spends its time. (`yaml.ts` first tries the
 * block-style reader of `yaml-block.ts`, which resolves plain scalars with `resolvePlain` here.)
 *
 * js-yaml shares aliased nodes instead of copying them: `yaml.ts` bounds their expanded size and
 * unshares them before anyone sees the document.
 */

import jsyaml from 'js-yaml';

const BOOL_TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const BOOL_FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);

const bool11 = new jsyaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: string | null) =>
    data !== null && data.length <= 5 && (BOOL_TRUE.has(data) || BOOL_FALSE.has(data)),
  construct: (data: string) => BOOL_TRUE.has(data),
  predicate: (v: unknown) => typeof v === 'boolean',
  represent: (v: object) => String(v),
});

// go-yaml v2 integers: decimal, 0x hex, 0b binary, leading-zero octal, with optional sign and `_`.
const INT_11 = /^[-+]?(?:0|[1-9][0-9_]*|0[0-7_]+|0x[0-9a-fA-F_]+|0b[01_]+)$/;

const int11 = new jsyaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: string | null) => {
    if (data === null || data === '') return false;
    const c = data.charCodeAt(0);
    // Cheap first-character test before the regular expression: most scalars are words.
    if (!(c >= 48 && c <= 57) && c !== 43 && c !== 45) return false;
    return INT_11.test(data) && /[0-9]/.test(data);
  },
  construct: (data: string) => {
    let s = data.replace(/_/g, '');
    let sign = 1;
    if (s[0] === '-' || s[0] === '+') {
      if (s[0] === '-') sign = -1;
      s = s.slice(1);
    }
    if (s.startsWith('0x')) return sign * Number.parseInt(s.slice(2), 16);
    if (s.startsWith('0b')) return sign * Number.parseInt(s.slice(2), 2);
    if (s.length > 1 && s[0] === '0') return sign * Number.parseInt(s, 8);
    return sign * Number(s);
  },
  predicate: (v: unknown) => typeof v === 'number' && Number.isInteger(v),
  represent: (v: object) => String(v),
});

// The built-in types are exported at run time but missing from the type declarations.
const builtin = (jsyaml as unknown as { types: Record<'null' | 'float' | 'merge', jsyaml.Type> }).types;

/** YAML 1.1 scalars as Kubernetes reads them; no timestamps, binary, sets or pairs. */
const SCHEMA = jsyaml.FAILSAFE_SCHEMA.extend({
  implicit: [builtin.null, bool11, int11, builtin.float, builtin.merge],
});

/** The words (starting with a letter) that the schema reads as null or a boolean. */
const RESOLVING_WORDS: ReadonlySet<string> = new Set(['null', 'Null', 'NULL', ...BOOL_TRUE, ...BOOL_FALSE]);

/** The schema's implicit types in resolution order (js-yaml's own list for this schema). */
const IMPLICIT = (SCHEMA as unknown as { compiledImplicit: readonly jsyaml.Type[] }).compiledImplicit;

/**
 * Resolves a plain (unquoted) scalar exactly as js-yaml does with this schema: the first
 * implicit type that accepts it constructs the value, else it is a string.
 */
export function resolvePlain(text: string): unknown {
  const c = text.charCodeAt(0);
  // Only `~`, null and the booleans (a few words), numbers, and `<<` resolve to something
  // else: skip the resolvers for the rest, which is most keys and words.
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) {
    if (text.length > 5 || !RESOLVING_WORDS.has(text)) return text;
  } else if (!((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46 || c === 126 || c === 60)) {
    return text;
  }
  for (let k = 0; k < IMPLICIT.length; k++) {
    const type = IMPLICIT[k];
    if (type.resolve(text)) return type.construct(text);
  }
  return text;
}

/** Whether the text may use anchors or aliases (a cheap, conservative check). */
export function mayUseAliases(text: string): boolean {
  return /(?:^|[\s,[{:-])[&*][^\s,[\]{}]/.test(text);
}

/** A YAML syntax error from the fast reader: a message and a 1-based line. */
export class FastYamlError extends Error {
  constructor(
    message: string,
    readonly line: number | undefined,
  ) {
    super(message);
  }
}

/** Parses every document of a stream with the YAML 1.1 schema; throws `FastYamlError`. */
export function loadAllFast(text: string): unknown[] {
  try {
    return jsyaml.loadAll(text, undefined, { schema: SCHEMA, json: false });
  } catch (err) {
    if (err instanceof jsyaml.YAMLException) {
      const line = err.mark ? err.mark.line + 1 : undefined;
      throw new FastYamlError(err.reason || err.message, line);
    }
    throw err;
  }
}

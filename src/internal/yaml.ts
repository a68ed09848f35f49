/**
 * YAML with Helm's reading rules and safe limits: every YAML document bosun reads passes here.
 *
 * - Values files and Chart.yaml are read as YAML 1.1 (as Helm's go-yaml does: `yes`/`on` are
 *   booleans, `0755` is octal, `<<` merges) minus timestamps, while integers stay integers.
 * - Aliases are capped (billion laughs), flow nesting is checked before parsing (a deep `[[[…`
 *   can abort the process inside the parser) and block nesting is capped after.
 * - Duplicate keys are errors: clearer than Helm's silent last-wins.
 */

import YAML from 'yaml';
import { LimitError, YamlError } from './errors.js';
import { assertSafeTree } from './objects.js';
import { emitYaml } from './yaml-emit.js';
import { FastYamlError, loadAllFast, mayUseAliases } from './yaml-fast.js';

/** Deepest nesting accepted in any YAML document. */
export const MAX_YAML_DEPTH = 256;
/** Most aliases a document may use. */
export const MAX_YAML_ALIASES = 100;

const customTags: YAML.SchemaOptions['customTags'] = (tags: YAML.Tags) =>
  tags.filter((t) => typeof t === 'object' && t.tag !== 'tag:yaml.org,2002:timestamp');

const PARSE_OPTIONS_11: YAML.ParseOptions & YAML.DocumentOptions & YAML.SchemaOptions & YAML.ToJSOptions = {
  version: '1.1',
  customTags,
  maxAliasCount: MAX_YAML_ALIASES,
  uniqueKeys: true,
  prettyErrors: false,
  strict: true,
};

/**
 * Counts the deepest flow collection nesting (`[`/`{`) without recursion, ignoring quoted text
 * and comments. Cheap (one pass over the characters).
 */
export function flowDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote) {
      if (quote === "'" && c === 39) quote = '';
      else if (quote === '"') {
        if (c === 92) i++;
        else if (c === 34) quote = '';
      }
      continue;
    }
    if (c === 91 || c === 123) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 93 || c === 125) {
      if (depth > 0) depth--;
    } else if (c === 10) {
      // Block context resets nothing structural; flow collections may span lines.
    } else if ((c === 34 || c === 39) && startsScalar(text, i)) {
      quote = String.fromCharCode(c);
    } else if (c === 35 && (i === 0 || text.charCodeAt(i - 1) === 32 || text.charCodeAt(i - 1) === 10)) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl - 1;
    }
  }
  return max;
}

/** Whether a quote at `i` opens a quoted scalar (after `: `, `- `, `[`, `{`, `,` or at a line start). */
function startsScalar(text: string, i: number): boolean {
  for (let j = i - 1; j >= 0; j--) {
    const p = text.charCodeAt(j);
    if (p === 32 || p === 9) continue;
    return p === 10 || p === 58 || p === 45 || p === 91 || p === 123 || p === 44 || p === 63;
  }
  return true;
}

/** Depth of a parsed tree (a scalar is 0). Iterative, so it cannot overflow the stack. */
export function treeDepth(root: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v !== null && typeof v === 'object') {
      if (d + 1 > max) max = d + 1;
      if (max > MAX_YAML_DEPTH) return max;
      for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d + 1]);
    }
  }
  return max;
}

function preflight(text: string, source: string): void {
  if (flowDepth(text) > MAX_YAML_DEPTH) {
    throw new LimitError(`${source}: YAML nesting deeper than ${MAX_YAML_DEPTH} levels`);
  }
}

function lineAt(text: string, pos: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < pos; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function wrapError(err: unknown, source: string, text: string): never {
  if (err instanceof YAML.YAMLError) {
    const line = err.linePos?.[0]?.line ?? (err.pos ? lineAt(text, err.pos[0]) : undefined);
    if (err.code === 'RESOURCE_EXHAUSTION') {
      throw new LimitError(`${source}: YAML nesting deeper than ${MAX_YAML_DEPTH} levels`, { cause: err });
    }
    const detail = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new YamlError(source, detail, line, { cause: err });
  }
  if (err instanceof ReferenceError && /alias/i.test(err.message)) {
    throw new LimitError(`${source}: document contains excessive aliasing`, { cause: err });
  }
  if (err instanceof RangeError) {
    throw new LimitError(`${source}: YAML nesting deeper than ${MAX_YAML_DEPTH} levels`, { cause: err });
  }
  throw err;
}

/**
 * Parses one YAML document the way Helm reads values files and Chart.yaml (YAML 1.1 scalars,
 * integers kept), with limits. `source` names the file in errors. Empty input gives `null`.
 */
export function parseYaml(text: string, source: string): unknown {
  preflight(text, source);
  let value: unknown;
  try {
    const doc = YAML.parseDocument(text, PARSE_OPTIONS_11);
    const first = doc.errors[0];
    if (first) throw first;
    value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (err) {
    wrapError(err, source, text);
  }
  if (treeDepth(value) > MAX_YAML_DEPTH) {
    throw new LimitError(`${source}: YAML nesting deeper than ${MAX_YAML_DEPTH} levels`);
  }
  assertSafeTree(value, source);
  return value;
}

/**
 * Parses a stream of YAML documents (a rendered manifest, `kubectl apply -f`), YAML 1.1 like
 * Kubernetes. Returns one value per document, `null` for empty ones. Documents without anchors
 * or aliases take the fast reader; the others the `yaml` package with its alias limits.
 */
export function parseYamlStream(text: string, source: string): unknown[] {
  let out: unknown[];
  if (mayUseAliases(text)) {
    // The deep-nesting check guards the `yaml` package, which can abort the process on deep
    // flow nesting; js-yaml fails such input with a catchable RangeError.
    preflight(text, source);
    out = [];
    try {
      for (const doc of YAML.parseAllDocuments(text, PARSE_OPTIONS_11)) {
        if ('errors' in doc && doc.errors.length > 0) throw doc.errors[0];
        out.push(doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) ?? null);
      }
    } catch (err) {
      wrapError(err, source, text);
    }
  } else {
    try {
      out = loadAllFast(text).map((v) => v ?? null);
    } catch (err) {
      if (err instanceof FastYamlError) throw new YamlError(source, err.message, err.line, { cause: err });
      if (err instanceof RangeError) {
        throw new LimitError(`${source}: YAML nesting deeper than ${MAX_YAML_DEPTH} levels`, { cause: err });
      }
      throw err;
    }
  }
  for (const v of out) {
    if (treeDepth(v) > MAX_YAML_DEPTH) {
      throw new LimitError(`${source}: YAML nesting deeper than ${MAX_YAML_DEPTH} levels`);
    }
    assertSafeTree(v, source);
  }
  return out;
}

/** Parses JSON with the same safety checks as YAML (depth, forbidden keys). */
export function parseJson(text: string, source: string): unknown {
  preflight(text, source);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new YamlError(source, `invalid JSON: ${(err as Error).message}`, undefined, { cause: err });
  }
  if (treeDepth(value) > MAX_YAML_DEPTH) {
    throw new LimitError(`${source}: JSON nesting deeper than ${MAX_YAML_DEPTH} levels`);
  }
  assertSafeTree(value, source);
  return value;
}

const STRINGIFY_OPTIONS: YAML.ToStringOptions &
  YAML.DocumentOptions &
  YAML.SchemaOptions &
  YAML.CreateNodeOptions = {
  version: '1.1',
  sortMapEntries: true,
  indentSeq: false,
  lineWidth: 80,
  minContentWidth: 0,
  aliasDuplicateObjects: false,
  nullStr: 'null',
};

/**
 * Formats data as Helm's `toYaml` does (sigs.k8s.io/yaml): keys sorted, sequences not indented
 * under their key, strings quoted where YAML 1.1 would read them as something else, no trailing
 * newline.
 */
export function toYaml(value: unknown): string {
  return emitYaml(value);
}

/** Like `toYaml`, with sequences indented under their key (Helm's `toYamlPretty`). */
export function toYamlPretty(value: unknown): string {
  if (value === undefined) return 'null';
  const text = YAML.stringify(value, { ...STRINGIFY_OPTIONS, customTags, indentSeq: true, lineWidth: 0 });
  return indentTopLevelBlockScalar(trimNewline(text));
}

function trimNewline(text: string): string {
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

/** go-yaml indents the lines of a top-level block scalar (`|` then `  line`); the yaml package does not. */
function indentTopLevelBlockScalar(text: string): string {
  if (!/^[|>][-+]?\d*\n/.test(text)) return text;
  const nl = text.indexOf('\n');
  return text.slice(0, nl + 1) + text.slice(nl + 1).replace(/^(?=.)/gm, '  ');
}

/** Formats data as a YAML document for output (`show values`, manifests): with a trailing newline. */
export function toYamlDocument(value: unknown): string {
  return `${toYaml(value)}\n`;
}

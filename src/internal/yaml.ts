/**
 * YAML with Helm's reading rules and safe limits: every YAML document bosun reads passes here.
 *
 * - Read as YAML 1.1, as Helm's and Kubernetes' go-yaml does (`yes`/`on` are booleans, `0755` is
 *   octal, `<<` merges), minus timestamps, while integers stay integers (`yaml-fast.ts`).
 * - Limits: aliases may not expand a document past `MAX_YAML_EXPANDED_NODES` nodes (billion
 *   laughs), nesting is capped at `MAX_YAML_DEPTH`, keys that reach prototypes are refused.
 * - Duplicate keys are errors: clearer than Helm's silent last-wins.
 * - Writing: `toYaml` is Helm's `toYaml` exactly (`yaml-emit.ts`).
 */

import { LimitError, YamlError } from './errors.js';
import { assertSafeTree, deepCopy } from './objects.js';
import { readBlockYaml, UNSUPPORTED } from './yaml-block.js';
import { emitYaml } from './yaml-emit.js';
import { FastYamlError, loadAllFast, mayUseAliases, resolvePlain } from './yaml-fast.js';

/** Deepest nesting accepted in any YAML document. */
export const MAX_YAML_DEPTH = 256;
/** Most nodes a document may have once its aliases are expanded. */
export const MAX_YAML_EXPANDED_NODES = 100_000;

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

/**
 * Node count of a tree once shared (aliased) subtrees are counted at every place they appear,
 * computed over the shared graph with memoisation, so a billion-laughs document costs no more
 * than its text. Stops counting past `limit`.
 */
export function expandedSize(root: unknown, limit = MAX_YAML_EXPANDED_NODES): number {
  const memo = new Map<object, number>();
  const size = (v: unknown, depth: number): number => {
    if (v === null || typeof v !== 'object') return 1;
    const known = memo.get(v);
    if (known !== undefined) return known;
    if (depth > MAX_YAML_DEPTH) return limit + 1;
    let total = 1;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      total += size(child, depth + 1);
      if (total > limit) break;
    }
    memo.set(v, total);
    return total;
  };
  return size(root, 0);
}

const tooDeep = (source: string, cause?: unknown) =>
  new LimitError(
    `${source}: YAML nesting deeper than ${MAX_YAML_DEPTH} levels`,
    cause ? { cause } : undefined,
  );

/** Applies the limits to one parsed document; returns it unshared when it used aliases. */
function checked(value: unknown, source: string, aliases: boolean): unknown {
  if (aliases) {
    if (expandedSize(value) > MAX_YAML_EXPANDED_NODES) {
      throw new LimitError(`${source}: document contains excessive aliasing`);
    }
    if (treeDepth(value) > MAX_YAML_DEPTH) throw tooDeep(source);
    // Aliased nodes are shared objects; give every place its own copy.
    value = deepCopy(value, source);
  } else if (treeDepth(value) > MAX_YAML_DEPTH) throw tooDeep(source);
  assertSafeTree(value, source);
  return value;
}

function parseDocuments(text: string, source: string): unknown[] {
  // Plain block-style YAML (most manifests and values files): read directly. What it gives is
  // within the limits by construction (no aliases, shallow, no forbidden key).
  const simple = readBlockYaml(text, resolvePlain);
  if (simple !== UNSUPPORTED) return [simple];
  let docs: unknown[];
  try {
    docs = loadAllFast(text);
  } catch (err) {
    if (err instanceof FastYamlError) throw new YamlError(source, err.message, err.line, { cause: err });
    if (err instanceof RangeError) throw tooDeep(source, err);
    throw err;
  }
  const aliases = mayUseAliases(text);
  return docs.map((d) => checked(d ?? null, source, aliases));
}

/**
 * Parses one YAML document the way Helm reads values files and Chart.yaml. `source` names the
 * file in errors (`values.yaml:3: …`). Empty input gives `null`.
 */
export function parseYaml(text: string, source: string): unknown {
  const docs = parseDocuments(text, source);
  if (docs.length > 1) throw new YamlError(source, 'expected one YAML document, found several');
  return docs[0] ?? null;
}

/**
 * Parses a stream of YAML documents (a rendered manifest, `kubectl apply -f`). Returns one
 * value per document, `null` for empty ones.
 */
export function parseYamlStream(text: string, source: string): unknown[] {
  return parseDocuments(text, source);
}

/** Parses JSON with the same safety checks as YAML (depth, forbidden keys). */
export function parseJson(text: string, source: string): unknown {
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
  return emitYaml(value, { indentSequences: true });
}

/** Formats data as a YAML document for output (`show chart`): with a trailing newline. */
export function toYamlDocument(value: unknown): string {
  return `${toYaml(value)}\n`;
}

/**
 * The user-supplied values of one command (`pkg/cli/values/options.go`): `-f` files and the
 * `--set` family, merged into one map in Helm's fixed order.
 */

import { BosunError, errorMessage, IoError, ValuesError } from '../internal/errors.js';
import { describeValue, isPlainObject, type PlainObject } from '../internal/objects.js';
import { parseYaml } from '../internal/yaml.js';
import { mergeMaps } from './merge.js';
import { parseSet, parseSetFile, parseSetJson, parseSetLiteral, parseSetString } from './strvals.js';

/** The values flags of one command, each in command-line order. */
export interface ValueOptions {
  /** `-f/--values` files, merged left to right. */
  valueFiles?: string[];
  /** `--set-json` expressions. */
  setJson?: string[];
  /** `--set` expressions. */
  set?: string[];
  /** `--set-string` expressions. */
  setString?: string[];
  /** `--set-file` expressions (`key=path`). */
  setFile?: string[];
  /** `--set-literal` expressions. */
  setLiteral?: string[];
}

/** Where files named by `-f` and `--set-file` are read from; `-` (stdin) is the reader's business. */
export interface ValueSources {
  /** Returns the text of `path`; the implementation bounds sizes and refuses devices. */
  readFile(path: string): Promise<string> | string;
}

/**
 * Reads one values file: empty or `null` is `{}`, anything but a map is an error naming the
 * file, YAML errors carry `file:line`.
 */
export async function readValuesFile(path: string, sources: ValueSources): Promise<PlainObject> {
  let text: string;
  try {
    text = await sources.readFile(path);
  } catch (err) {
    if (err instanceof BosunError) throw err;
    throw new IoError(`cannot read values file "${path}": ${errorMessage(err)}`, { cause: err });
  }
  const parsed = parseYaml(text, path);
  if (parsed === null || parsed === undefined) return {};
  if (!isPlainObject(parsed))
    throw new ValuesError(`${path}: values must be a map, got ${describeValue(parsed)}`);
  return parsed;
}

/**
 * Merges the user-supplied values of one command: `-f` files left to right (maps merge, lists
 * replace), then every `--set-json`, `--set`, `--set-string`, `--set-file` and `--set-literal`,
 * in that fixed type order whatever their order on the command line.
 */
export async function mergeValueOptions(opts: ValueOptions, sources: ValueSources): Promise<PlainObject> {
  const base: PlainObject = {};
  for (const file of opts.valueFiles ?? []) {
    mergeMaps(base, await readValuesFile(file, sources), file);
  }
  for (const expr of opts.setJson ?? []) parseSetJson(expr, base);
  for (const expr of opts.set ?? []) parseSet(expr, base);
  for (const expr of opts.setString ?? []) parseSetString(expr, base);
  for (const expr of opts.setFile ?? []) await parseSetFile(expr, base, (path) => sources.readFile(path));
  for (const expr of opts.setLiteral ?? []) parseSetLiteral(expr, base);
  return base;
}

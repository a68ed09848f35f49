/**
 * JSON and YAML conversion with Helm's behaviour: `toYaml` is sigs.k8s.io/yaml (sorted keys,
 * unindented sequences, no trailing newline), `toJson` is Go's encoding/json (sorted keys,
 * `<`, `>`, `&` escaped), and `fromYaml`/`fromJson` report parse errors in an `Error` key
 * instead of failing.
 */

import { BosunError, errorMessage } from '../../internal/errors.js';
import { isPlainObject, type PlainObject } from '../../internal/objects.js';
import { parseJson, parseYaml, toYaml, toYamlPretty } from '../../internal/yaml.js';
import { sortStrings } from '../../internal/yaml-emit.js';
import { TemplateFunctionError } from '../types.js';
import { type FunctionMap, fail, fn, isList, isNil, safeSet, strArg, Walk } from './args.js';
import { formatGoTime, RFC3339_NANO } from './go-time.js';

/** Thrown when a value cannot be encoded (NaN, cycles, functions). */
class EncodeError extends Error {}

/**
 * Converts template data to JSON-compatible data as Go's encoders see it: Dates become
 * RFC 3339 strings, `undefined` becomes null, byte arrays base64; keys are copied in sorted order.
 */
export function toPlainData(v: unknown, walk = new Walk(), depth = 0): unknown {
  walk.visit(depth);
  if (v === undefined || v === null) return null;
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      if (!Number.isFinite(v))
        throw new EncodeError(`json: unsupported value: ${v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN'}`);
      return v;
    case 'bigint':
      return Number(v);
    case 'object':
      break;
    default:
      throw new EncodeError(`json: unsupported type: ${typeof v}`);
  }
  if (Array.isArray(v)) return v.map((x) => toPlainData(x, walk, depth + 1));
  if (v instanceof Date) return formatGoTime(v, RFC3339_NANO);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (isPlainObject(v)) {
    const out: PlainObject = {};
    const keys = sortStrings(Object.keys(v));
    for (let n = 0; n < keys.length; n++) safeSet(out, keys[n], toPlainData(v[keys[n]], walk, depth + 1));
    return out;
  }
  return String(v);
}

function jsonString(s: string, escapeHtml: boolean): string {
  let out = JSON.stringify(s)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  if (escapeHtml) out = out.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
  return out;
}

/** Go `json.Marshal` (indent '' ) or `json.MarshalIndent(v, "", indent)` of plain data. */
function encodeJson(v: unknown, escapeHtml: boolean, indent: string, prefix = ''): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return jsonString(v, escapeHtml);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const inner = prefix + indent;
  const nl = indent === '' ? '' : '\n';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const items = v.map((x) => inner + encodeJson(x, escapeHtml, indent, inner));
    return `[${nl}${items.join(`,${nl}`)}${nl}${prefix}]`;
  }
  const obj = v as PlainObject;
  const keys = sortStrings(Object.keys(obj));
  if (keys.length === 0) return '{}';
  const sep = indent === '' ? ':' : ': ';
  const items = keys.map(
    (k) => inner + jsonString(k, escapeHtml) + sep + encodeJson(obj[k], escapeHtml, indent, inner),
  );
  return `{${nl}${items.join(`,${nl}`)}${nl}${prefix}}`;
}

/** Go's `json.Marshal` of a template value (HTML characters escaped unless `raw`). Throws EncodeError. */
export function marshalJson(v: unknown, raw = false, indent = ''): string {
  return encodeJson(toPlainData(v), !raw, indent);
}

/** Helm's `toYaml` of a template value. Throws EncodeError. */
export function marshalYaml(v: unknown): string {
  return toYaml(toPlainData(v));
}

function yamlPretty(v: unknown): string {
  return toYamlPretty(toPlainData(v));
}

/** Runs an encoder; on failure returns '' (Helm) or, for `must*`, fails the template. */
function encoder(encode: (v: unknown) => string, must: boolean): FunctionMap[string] {
  return fn(1, 1, ([v]) => {
    try {
      return encode(v);
    } catch (err) {
      if (must) fail(errorMessage(err));
      if (err instanceof EncodeError || err instanceof BosunError || err instanceof TemplateFunctionError)
        return '';
      throw err;
    }
  });
}

function goJsonKind(v: unknown): string {
  if (isList(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v === 'object' ? 'object' : typeof v;
}

/** Parses text; a parse error becomes `Error(message)`, a wrong top-level kind too. */
function decode(
  text: string,
  format: 'yaml' | 'json',
  want: 'map' | 'list',
): { value: PlainObject | unknown[] } | { error: string } {
  let value: unknown;
  try {
    value = format === 'yaml' ? parseYaml(text, 'fromYaml') : parseJson(text, 'fromJson');
  } catch (err) {
    if (!(err instanceof BosunError)) throw err;
    const detail = errorMessage(err).replace(/^from(Yaml|Json)(:\d+)?: /, '');
    const line = /^from\w+:(\d+): /.exec(errorMessage(err))?.[1];
    if (format === 'json') return { error: detail };
    return { error: `error converting YAML to JSON: yaml: ${line ? `line ${line}: ` : ''}${detail}` };
  }
  if (isNil(value)) return { value: want === 'map' ? {} : [] };
  if (want === 'map' ? isPlainObject(value) : isList(value))
    return { value: value as PlainObject | unknown[] };
  const goType = want === 'map' ? 'map[string]interface {}' : '[]interface {}';
  const msg = `json: cannot unmarshal ${goJsonKind(value)} into Go value of type ${goType}`;
  return { error: format === 'yaml' ? `error unmarshaling JSON: while decoding JSON: ${msg}` : msg };
}

function fromMap(format: 'yaml' | 'json'): FunctionMap[string] {
  return fn(1, 1, ([s]) => {
    const r = decode(strArg(s), format, 'map');
    return 'error' in r ? { Error: r.error } : r.value;
  });
}

function fromList(format: 'yaml' | 'json'): FunctionMap[string] {
  return fn(1, 1, ([s]) => {
    const r = decode(strArg(s), format, 'list');
    return 'error' in r ? [r.error] : r.value;
  });
}

/** JSON and YAML functions. */
export function dataFormatFunctions(): FunctionMap {
  const json = (v: unknown): string => marshalJson(v);
  const pretty = (v: unknown): string => marshalJson(v, false, '  ');
  const raw = (v: unknown): string => marshalJson(v, true);
  return {
    toJson: encoder(json, false),
    mustToJson: encoder(json, true),
    toPrettyJson: encoder(pretty, false),
    mustToPrettyJson: encoder(pretty, true),
    toRawJson: encoder(raw, false),
    mustToRawJson: encoder(raw, true),
    fromJson: fromMap('json'),
    fromJsonArray: fromList('json'),
    mustFromJson: fn(1, 1, ([s]) => {
      try {
        return parseJson(strArg(s), 'mustFromJson');
      } catch (err) {
        return fail(errorMessage(err));
      }
    }),
    toYaml: encoder(marshalYaml, false),
    mustToYaml: encoder(marshalYaml, true),
    toYamlPretty: encoder(yamlPretty, false),
    fromYaml: fromMap('yaml'),
    fromYamlArray: fromList('yaml'),
    toToml: fn(1, 1, () => fail('toToml is not supported')),
    fromToml: fn(1, 1, () => fail('fromToml is not supported')),
  };
}

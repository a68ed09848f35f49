/**
 * kubectl's JSONPath evaluation, ported from `k8s.io/client-go/util/jsonpath/jsonpath.go`, over
 * decoded JSON. Results are printed as client-go prints them: scalars with `fmt.Sprint`, maps and
 * lists as compact JSON, values of one expression separated by spaces. Where Go iterates a map in
 * random order (`*` and `..` over a map), keys are visited in sorted order.
 */

import { goJson, goNumber, goSprint, goTypeName, isGoInt } from '../go-format.js';
import { isMap } from '../values.js';
import type { JsonPathNode, ListNode, SliceParam } from './nodes.js';
import { parseJsonPath } from './parser.js';

/** A failure while evaluating a template; the message is client-go's. */
export class JsonPathExecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonPathExecError';
  }
}

/** A float literal of a template (`1.5`), which Go never compares equal to an integer. */
class FloatLiteral {
  constructor(readonly value: number) {}
}

/** One evaluated value: decoded JSON, or a float literal. */
type Value = unknown;

const MISSING = Symbol('missing');

/** Options of `JsonPath`. */
export interface JsonPathOptions {
  /** Missing fields evaluate to nothing instead of failing (kubectl's default). @default true */
  readonly allowMissingKeys?: boolean;
  /** Print each expression's results as one indented JSON array (`-o jsonpath-as-json`). @default false */
  readonly jsonOutput?: boolean;
}

type Kind = 'bool' | 'int' | 'float' | 'string' | 'invalid';

const basicKind = (v: Value): Kind => {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return isGoInt(v) ? 'int' : 'float';
  if (v instanceof FloatLiteral) return 'float';
  return 'invalid';
};

const scalar = (v: Value): boolean | number | string =>
  v instanceof FloatLiteral ? v.value : (v as boolean | number | string);

function compare(op: string, left: Value, right: Value): boolean {
  const k1 = basicKind(left);
  const k2 = basicKind(right);
  if (k1 === 'invalid' || k2 === 'invalid') throw new JsonPathExecError('invalid type for comparison');
  if (k1 !== k2) throw new JsonPathExecError('incompatible types for comparison');
  const a = scalar(left);
  const b = scalar(right);
  const less = (): boolean => {
    if (k1 === 'bool') throw new JsonPathExecError('invalid type for comparison');
    return a < b;
  };
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return less();
    case '<=':
      return less() || a === b;
    case '>':
      return !(less() || a === b);
    case '>=':
      return !less();
    default:
      throw new JsonPathExecError(`unrecognized filter operator ${op}`);
  }
}

/** Children of a value in Go's reflection order: list items, map values (sorted keys), string bytes. */
function children(v: Value): Value[] | undefined {
  if (Array.isArray(v)) return v;
  if (isMap(v))
    return Object.keys(v)
      .sort()
      .map((k) => v[k]);
  if (typeof v === 'string') return [...new TextEncoder().encode(v)];
  return undefined;
}

/** A parsed JSONPath template, ready to run against objects. */
export class JsonPath {
  private beginRange = 0;
  private inRange = 0;
  private endRange = 0;
  private lastEndNode: JsonPathNode | undefined;
  private readonly allowMissingKeys: boolean;
  private readonly jsonOutput: boolean;
  private readonly root: ListNode;

  /** Parses `template`; throws `JsonPathParseError`. */
  constructor(template: string, options: JsonPathOptions = {}) {
    this.root = parseJsonPath(template);
    this.allowMissingKeys = options.allowMissingKeys ?? true;
    this.jsonOutput = options.jsonOutput ?? false;
  }

  /** The results of each expression of the template (`FindResults`). */
  findResults(data: unknown): Value[][] {
    this.beginRange = 0;
    this.inRange = 0;
    this.endRange = 0;
    this.lastEndNode = undefined;
    return this.find(data, this.root.nodes);
  }

  /** Runs the template against `data` and returns the printed text (`Execute`). */
  execute(data: unknown): string {
    return this.findResults(data)
      .map((r) => this.printResults(r))
      .join('');
  }

  /** Prints one expression's results (`PrintResults`). */
  printResults(results: readonly Value[]): string {
    const values = this.jsonOutput
      ? [results.map((r) => (r instanceof FloatLiteral ? r.value : r))]
      : results;
    return values
      .map((r) => {
        if (this.jsonOutput) return `${goJson(r, '    ')}\n`;
        if (Array.isArray(r) || isMap(r)) return goJson(r);
        if (r instanceof FloatLiteral) return goNumber(r.value);
        return goSprint(r);
      })
      .join(' ');
  }

  private find(data: unknown, nodes: readonly JsonPathNode[]): Value[][] {
    const cur: Value[] = [data];
    const full: Value[][] = [];
    for (let i = 0; i < nodes.length; i++) {
      const results = this.walk(cur, nodes[i]!);
      // An `end` closes the current range body.
      if (this.endRange > 0 && this.endRange <= this.inRange) {
        this.endRange--;
        this.lastEndNode = nodes[i];
        break;
      }
      if (this.beginRange > 0) {
        this.beginRange--;
        this.inRange++;
        const body = nodes.slice(i + 1);
        if (results.length > 0) {
          for (const value of results) full.push(...this.find(value, body));
        } else {
          // Still walk the body, so that evaluation resumes after its `end`.
          this.find(null, body);
        }
        this.inRange--;
        for (let k = i + 1; k < nodes.length; k++) {
          if (nodes[k] === this.lastEndNode) {
            i = k;
            break;
          }
        }
        continue;
      }
      full.push(results);
    }
    return full;
  }

  private walk(input: Value[], node: JsonPathNode): Value[] {
    switch (node.type) {
      case 'list':
        return this.evalList(input, node);
      case 'text':
        return [node.text];
      case 'field':
        return this.evalField(input, node.name);
      case 'array':
        return this.evalArray(input, node.params);
      case 'filter':
        return this.evalFilter(input, node);
      case 'int':
        return input.map(() => node.value);
      case 'float':
        return input.map(() => new FloatLiteral(node.value));
      case 'bool':
        return input.map(() => node.value);
      case 'wildcard':
        return input.flatMap((v) => (v === null || v === undefined ? [] : (children(v) ?? [])));
      case 'recursive':
        return this.evalRecursive(input);
      case 'union':
        return node.nodes.flatMap((n) => this.evalList(input, n));
      case 'identifier':
        return this.evalIdentifier(input, node.name);
    }
  }

  private evalList(input: Value[], node: ListNode): Value[] {
    let cur = input;
    for (const n of node.nodes) cur = this.walk(cur, n);
    return cur;
  }

  private evalIdentifier(input: Value[], name: string): Value[] {
    if (name === 'range') {
      this.beginRange++;
      return input;
    }
    if (name === 'end') {
      if (this.inRange > 0) {
        this.endRange++;
        return [];
      }
      throw new JsonPathExecError('not in range, nothing to end');
    }
    throw new JsonPathExecError(`unrecognized identifier ${name}`);
  }

  private evalField(input: Value[], name: string): Value[] {
    if (input.length === 0) return [];
    const results: Value[] = [];
    for (const v of input) {
      if (!isMap(v)) continue;
      const found = Object.hasOwn(v, name) ? v[name] : MISSING;
      if (found !== MISSING) results.push(found);
    }
    if (results.length === 0 && !this.allowMissingKeys) throw new JsonPathExecError(`${name} is not found`);
    return results;
  }

  private evalArray(input: Value[], params: readonly [SliceParam, SliceParam, SliceParam]): Value[] {
    const result: Value[] = [];
    for (const v of input) {
      if (v === null || v === undefined) continue;
      if (!Array.isArray(v)) throw new JsonPathExecError(`${goTypeName(v)} is not array or slice`);
      const len = v.length;
      let start = params[0].known ? params[0].value : 0;
      if (start < 0) start += len;
      let end = params[1].known ? params[1].value : len;
      if (end < 0 || (end === 0 && params[1].derived)) end += len;
      if (end === start) return result;
      if (start >= len || start < 0)
        throw new JsonPathExecError(`array index out of bounds: index ${start}, length ${len}`);
      if (end > len || end < 0)
        throw new JsonPathExecError(`array index out of bounds: index ${end - 1}, length ${len}`);
      if (start > end)
        throw new JsonPathExecError(`starting index ${start} is greater than ending index ${end}`);
      let step = 1;
      if (params[2].known) {
        if (params[2].value <= 0) throw new JsonPathExecError('step must be > 0');
        step = params[2].value;
      }
      for (let i = start; i < end; i += step) result.push(v[i]);
    }
    return result;
  }

  private evalRecursive(input: Value[]): Value[] {
    const result: Value[] = [];
    for (const v of input) {
      if (v === null || v === undefined) continue;
      const kids = children(v) ?? [];
      if (kids.length === 0) continue;
      // Only containers are collected; the following step picks their fields.
      result.push(v, ...this.evalRecursive(kids));
    }
    return result;
  }

  private evalFilter(input: Value[], node: Extract<JsonPathNode, { type: 'filter' }>): Value[] {
    const results: Value[] = [];
    for (const v of input) {
      if (!Array.isArray(v))
        throw new JsonPathExecError(`${goSprint(v)} is not array or slice and cannot be filtered`);
      for (const item of v) {
        let lefts: Value[];
        try {
          lefts = this.evalList([item], node.left);
        } catch (err) {
          if (node.operator === 'exists') continue;
          throw err;
        }
        if (node.operator === 'exists') {
          if (lefts.length > 0) results.push(item);
          continue;
        }
        if (lefts.length === 0) continue;
        if (lefts.length > 1) throw new JsonPathExecError('can only compare one element at a time');
        const rights = this.evalList([item], node.right);
        if (rights.length === 0) continue;
        if (rights.length > 1) throw new JsonPathExecError('can only compare one element at a time');
        if (compare(node.operator, lefts[0], rights[0])) results.push(item);
      }
    }
    return results;
  }
}

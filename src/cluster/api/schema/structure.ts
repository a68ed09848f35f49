/**
 * Structural validation: one walk of an object against a compiled schema node.
 *
 * Built-in kinds are checked the way the API server's Go decoder sees them: the first value of
 * the wrong JSON type is a decoding error worded like `encoding/json`
 * (`json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`),
 * and fields the schema does not know are collected for strict decoding
 * (`unknown field "spec.replicas"`) or pruned. Custom kinds are checked the way CRD validation
 * does (`spec.size in body must be of type integer: "string"`), with constraints and enums.
 */

import {
  invalid,
  type KubeFieldError,
  notSupported,
  required,
  tooLong,
  tooMany,
  unknownField,
  unmarshalTypeError,
} from './field-errors.js';
import { base64Error, fitsInt, jsonKind, quantityError, schemaKind, timeError } from './go-values.js';
import type { SchemaNode } from './nodes.js';

/** How a walk treats what it finds. */
export interface StructureOptions {
  /** `builtin`: Go decoding semantics; `custom`: CRD (OpenAPI) validation semantics. */
  readonly mode: 'builtin' | 'custom';
  /** Delete unknown fields (and, for custom kinds, nulls where the schema is not nullable). */
  readonly prune: boolean;
  /** Also report enum and required violations (outside `status`). */
  readonly semantic: boolean;
}

/** What a walk found. */
export interface StructureResult {
  /** Built-in kinds: the first wrong-typed value (Go reports only the first). */
  decodeError?: KubeFieldError;
  /** Unknown fields, in document order (and removed, when `prune`). */
  readonly unknown: KubeFieldError[];
  /** Required, enum and (custom kinds) type and constraint errors. */
  readonly invalid: KubeFieldError[];
}

const FIELD = 0;
const INDEX = 1;
const KEY = 2;

/** The walk's state: a path stack that is joined only when an error needs it. */
class Walk {
  readonly names: string[] = [];
  readonly kinds: number[] = [];
  /** Go struct owning each field segment (for `Go struct field <Struct>.<path>`). */
  readonly structs: string[] = [];
  statusDepth = 0;
  readonly result: StructureResult = { unknown: [], invalid: [] };

  constructor(
    readonly options: StructureOptions,
    readonly rootStruct: string,
  ) {}

  /** Kubernetes' field path: `spec.template.spec.containers[0].image`. */
  path(): string {
    let s = '';
    for (let i = 0; i < this.names.length; i++) {
      const n = this.names[i]!;
      if (this.kinds[i] === FIELD) s = s ? `${s}.${n}` : n;
      else s = `${s}[${n}]`;
    }
    return s;
  }

  /** Go's decoder path: field names only (`spec.template.spec.containers.ports.containerPort`). */
  goPath(): string {
    return this.names.filter((_, i) => this.kinds[i] === FIELD).join('.');
  }

  /** The struct owning the innermost field. */
  goStruct(): string {
    for (let i = this.kinds.length - 1; i >= 0; i--) if (this.kinds[i] === FIELD) return this.structs[i]!;
    return this.rootStruct;
  }

  push(name: string, kind: number, struct: string): void {
    this.names.push(name);
    this.kinds.push(kind);
    this.structs.push(struct);
    if (kind === FIELD && name === 'status' && this.names.length === 1) this.statusDepth++;
  }

  pop(): void {
    const name = this.names.pop();
    const kind = this.kinds.pop();
    this.structs.pop();
    if (kind === FIELD && name === 'status' && this.names.length === 0) this.statusDepth--;
  }

  typeError(node: SchemaNode, value: unknown, custom?: string): void {
    if (this.result.decodeError) return;
    const what = typeof value === 'number' && node.type === 'integer' ? `number ${value}` : jsonKind(value);
    const message =
      custom ??
      (this.names.length === 0
        ? `json: cannot unmarshal ${what} into Go value of type ${node.go}`
        : `json: cannot unmarshal ${what} into Go struct field ${this.goStruct()}.${this.goPath()} of type ${node.go}`);
    this.result.decodeError = unmarshalTypeError(this.path(), message, value);
  }

  schemaTypeError(expected: string, value: unknown): void {
    const p = this.path();
    const actual = schemaKind(value);
    this.result.invalid.push(invalid(p, actual, `${p} in body must be of type ${expected}: "${actual}"`));
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Walks `value` against `node`. `rootStruct` names the Go struct of the root (the kind), used in
 * decoding errors of top-level fields.
 */
export function checkStructure(
  value: Record<string, unknown>,
  node: SchemaNode,
  options: StructureOptions,
  rootStruct = node.struct ?? '',
): StructureResult {
  const w = new Walk(options, rootStruct);
  walkObject(w, value, node, rootStruct);
  return w.result;
}

function walk(w: Walk, value: unknown, node: SchemaNode): void {
  if (value === null || value === undefined) return;
  const custom = w.options.mode === 'custom';
  switch (node.type) {
    case 'any':
      return;
    case 'object':
      if (!isPlainObject(value)) {
        if (custom) w.schemaTypeError('object', value);
        else w.typeError(node, value);
        return;
      }
      walkObject(w, value, node, node.struct ?? '');
      return;
    case 'map':
      if (!isPlainObject(value)) {
        if (custom) w.schemaTypeError('object', value);
        else w.typeError(node, value);
        return;
      }
      for (const key of Object.keys(value)) {
        w.push(key, KEY, '');
        walk(w, value[key], node.values!);
        w.pop();
      }
      if (custom) checkConstraints(w, value, node);
      return;
    case 'array':
      if (!Array.isArray(value)) {
        if (custom) w.schemaTypeError('array', value);
        else w.typeError(node, value);
        return;
      }
      for (let i = 0; i < value.length; i++) {
        w.push(String(i), INDEX, '');
        walk(w, value[i], node.items!);
        w.pop();
      }
      if (custom) checkConstraints(w, value, node);
      return;
    default:
      walkScalar(w, value, node);
  }
}

function walkObject(w: Walk, value: Record<string, unknown>, node: SchemaNode, struct: string): void {
  const props = node.props;
  const custom = w.options.mode === 'custom';
  for (const key of Object.keys(value)) {
    const child = props?.get(key);
    if (child === undefined) {
      if (node.preserveUnknown) continue;
      w.push(key, FIELD, struct);
      w.result.unknown.push(unknownField(w.path(), node.id));
      if (w.options.prune) delete value[key];
      w.pop();
      continue;
    }
    const v = value[key];
    if (v === null && custom && !child.nullable && w.options.prune) {
      delete value[key];
      continue;
    }
    w.push(key, FIELD, struct);
    walk(w, v, child);
    w.pop();
  }
  const req = node.required;
  if (req && w.options.semantic && w.statusDepth === 0) {
    for (const r of req) {
      const v = value[r];
      if (v === undefined || (v === null && !custom)) {
        w.push(r, FIELD, struct);
        w.result.invalid.push(required(w.path()));
        w.pop();
      }
    }
  }
  if (custom) checkConstraints(w, value, node);
}

function walkScalar(w: Walk, value: unknown, node: SchemaNode): void {
  const custom = w.options.mode === 'custom';
  switch (node.type) {
    case 'string':
      if (typeof value !== 'string') {
        if (custom) w.schemaTypeError('string', value);
        else if (node.format === 'date-time')
          w.typeError(
            node,
            value,
            'json: cannot unmarshal ' + `${jsonKind(value)} into Go value of type string`,
          );
        else w.typeError(node, value);
        return;
      }
      if (!custom && node.format === 'byte') {
        const err = base64Error(value);
        if (err) w.typeError(node, value, err);
      } else if (!custom && node.format === 'date-time') {
        const err = timeError(value);
        if (err) w.typeError(node, value, err);
      }
      break;
    case 'integer':
      if (typeof value !== 'number' || (!custom && !fitsInt(value, node.go))) {
        if (custom) w.schemaTypeError('integer', value);
        else w.typeError(node, value);
        return;
      }
      if (custom && !Number.isInteger(value)) {
        w.schemaTypeError('integer', value);
        return;
      }
      break;
    case 'number':
      if (typeof value !== 'number') {
        if (custom) w.schemaTypeError('number', value);
        else w.typeError(node, value);
        return;
      }
      break;
    case 'boolean':
      if (typeof value !== 'boolean') {
        if (custom) w.schemaTypeError('boolean', value);
        else w.typeError(node, value);
        return;
      }
      break;
    case 'int-or-string':
      if (typeof value === 'string') break;
      if (typeof value !== 'number' || !fitsInt(value, 'int32')) {
        if (custom) w.schemaTypeError('integer-or-string', value);
        else {
          const what = typeof value === 'number' ? `number ${value}` : jsonKind(value);
          w.typeError(node, value, `json: cannot unmarshal ${what} into Go value of type int32`);
        }
        return;
      }
      break;
    case 'quantity': {
      const err = quantityError(value);
      if (err) {
        if (custom) w.result.invalid.push(invalid(w.path(), value, err));
        else w.typeError(node, value, err);
        return;
      }
      break;
    }
  }
  checkEnum(w, value, node);
  if (custom) checkConstraints(w, value, node);
}

function checkEnum(w: Walk, value: unknown, node: SchemaNode): void {
  const allowed = node.enum;
  if (!allowed || !w.options.semantic || w.statusDepth > 0 || value === '') return;
  if (allowed.includes(value)) return;
  w.result.invalid.push(
    notSupported(
      w.path(),
      value,
      allowed.map((a) => String(a)),
    ),
  );
}

function checkConstraints(w: Walk, value: unknown, node: SchemaNode): void {
  const c = node.constraints;
  if (!c) return;
  const p = w.path();
  const bad = (detail: string) => w.result.invalid.push(invalid(p, value, `${p} in body ${detail}`));
  if (typeof value === 'number') {
    if (c.minimum !== undefined && (c.exclusiveMinimum ? value <= c.minimum : value < c.minimum))
      bad(`should be greater than ${c.exclusiveMinimum ? '' : 'or equal to '}${c.minimum}`);
    if (c.maximum !== undefined && (c.exclusiveMaximum ? value >= c.maximum : value > c.maximum))
      bad(`should be less than ${c.exclusiveMaximum ? '' : 'or equal to '}${c.maximum}`);
    if (c.multipleOf !== undefined && value % c.multipleOf !== 0)
      bad(`should be a multiple of ${c.multipleOf}`);
  } else if (typeof value === 'string') {
    const length = [...value].length;
    if (c.maxLength !== undefined && length > c.maxLength) w.result.invalid.push(tooLong(p, c.maxLength));
    if (c.minLength !== undefined && length < c.minLength)
      bad(`should be at least ${c.minLength} chars long`);
    if (c.pattern && !c.pattern.test(value)) bad(`should match '${c.pattern.source}'`);
  } else if (Array.isArray(value)) {
    if (c.maxItems !== undefined && value.length > c.maxItems)
      w.result.invalid.push(tooMany(p, value.length, c.maxItems));
    if (c.minItems !== undefined && value.length < c.minItems)
      bad(`should have at least ${c.minItems} items`);
    if (c.uniqueItems && new Set(value.map((v) => JSON.stringify(v))).size !== value.length)
      bad("shouldn't contain duplicates");
  } else if (isPlainObject(value)) {
    const n = Object.keys(value).length;
    if (c.maxProperties !== undefined && n > c.maxProperties)
      w.result.invalid.push(tooMany(p, n, c.maxProperties));
    if (c.minProperties !== undefined && n < c.minProperties)
      bad(`should have at least ${c.minProperties} properties`);
  }
}

/**
 * Field errors as the API server words them (`k8s.io/apimachinery/pkg/util/validation/field`):
 * constructors for each error type and the exact `Error()` / `ErrorBody()` text.
 */

import type { FieldError } from '../types.js';

/** Semantic error types (422 Invalid) and the two decoding error types (400 BadRequest). */
export type FieldErrorType =
  | 'Invalid'
  | 'Required'
  | 'NotSupported'
  | 'Duplicate'
  | 'Forbidden'
  | 'TooLong'
  | 'TooMany'
  | 'NotFound'
  | 'TypeInvalid'
  /** Strict decoding: a field the schema does not know (`unknown field "spec.replicas"`). */
  | 'FieldValueUnknown'
  /** Decoding: a value of the wrong JSON type (`json: cannot unmarshal string into …`). */
  | 'UnmarshalTypeError';

/** A field error with what the formatter and the old client-side wording need. */
export interface KubeFieldError extends FieldError {
  readonly type: FieldErrorType;
  /** The value as Go prints it with `%#v`, when it is not a plain scalar or map. */
  readonly rendered?: string;
  /** Unknown fields: the OpenAPI definition that lacks the field (`io.k8s.api.apps.v1.DaemonSetSpec`). */
  readonly definition?: string;
}

/** Whether an error comes from decoding (400 BadRequest) rather than validation (422 Invalid). */
export function isDecodeError(e: FieldError): boolean {
  return e.type === 'FieldValueUnknown' || e.type === 'UnmarshalTypeError';
}

const TYPE_TEXT: Readonly<Record<string, string>> = {
  Invalid: 'Invalid value',
  Required: 'Required value',
  NotSupported: 'Unsupported value',
  Duplicate: 'Duplicate value',
  Forbidden: 'Forbidden',
  TooLong: 'Too long',
  TooMany: 'Too many',
  NotFound: 'Not found',
  TypeInvalid: 'Invalid value',
};

/** Types whose text omits the value. */
const VALUELESS = new Set(['Required', 'Forbidden', 'TooLong']);

/** The `details.causes[].reason` of an error type (`FieldValueInvalid`…). */
export function causeReason(type: string): string {
  if (type === 'FieldValueUnknown' || type === 'UnmarshalTypeError') return type;
  return `FieldValue${type}`;
}

/** Renders a value as Go's `%v`/`%q`/`%#v` would for the shapes validation reports. */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'string'))
      return `[]string{${v.map((x) => JSON.stringify(x)).join(', ')}}`;
    return JSON.stringify(v);
  }
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.every(([, x]) => typeof x === 'string')) {
    const body = entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, x]) => `${JSON.stringify(k)}:${JSON.stringify(x)}`)
      .join(', ');
    return `map[string]string{${body}}`;
  }
  return JSON.stringify(v);
}

/** `ErrorBody()`: the text after the field path (`Invalid value: "Web": a lowercase …`). */
export function fieldErrorBody(e: FieldError): string {
  if (e.type === 'FieldValueUnknown' || e.type === 'UnmarshalTypeError') return e.message;
  const text = TYPE_TEXT[e.type] ?? e.type;
  let s: string;
  if (VALUELESS.has(e.type) || !('value' in e)) s = text;
  else s = `${text}: ${(e as KubeFieldError).rendered ?? goValue(e.value)}`;
  return e.message ? `${s}: ${e.message}` : s;
}

/** `Error()`: `metadata.name: Invalid value: "Web": a lowercase RFC 1123 subdomain …`. */
export function formatFieldError(e: FieldError): string {
  if (e.type === 'FieldValueUnknown' || e.type === 'UnmarshalTypeError') return e.message;
  return e.field ? `${e.field}: ${fieldErrorBody(e)}` : fieldErrorBody(e);
}

function make(
  type: FieldErrorType,
  field: string,
  message: string,
  extra?: Partial<KubeFieldError>,
): KubeFieldError {
  return { type, field, message, ...extra };
}

/** `Invalid value: <value>: <detail>`. */
export function invalid(field: string, value: unknown, detail: string, rendered?: string): KubeFieldError {
  return make('Invalid', field, detail, rendered === undefined ? { value } : { value, rendered });
}

/** `Required value[: <detail>]`. */
export function required(field: string, detail = ''): KubeFieldError {
  return make('Required', field, detail);
}

/** `Unsupported value: <value>: supported values: "a", "b"`. */
export function notSupported(field: string, value: unknown, supported: readonly string[]): KubeFieldError {
  const detail = supported.length
    ? `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`
    : '';
  return make('NotSupported', field, detail, { value });
}

/** `Duplicate value: <value>`. */
export function duplicate(field: string, value: unknown): KubeFieldError {
  return make('Duplicate', field, '', { value });
}

/** `Forbidden: <detail>`. */
export function forbidden(field: string, detail: string): KubeFieldError {
  return make('Forbidden', field, detail);
}

/** `Too long: may not be more than N bytes` (or a custom detail). */
export function tooLong(field: string, max: number, detail?: string): KubeFieldError {
  return make('TooLong', field, detail ?? `may not be more than ${max} bytes`);
}

/** `Too many: <actual>: must have at most <max> items`. */
export function tooMany(field: string, actual: number, max: number): KubeFieldError {
  return make('TooMany', field, `must have at most ${max} items`, { value: actual });
}

/** `Not found: <value>`. */
export function notFound(field: string, value: unknown): KubeFieldError {
  return make('NotFound', field, '', { value });
}

/** Strict decoding: `unknown field "<path>"`, remembering the definition that lacks it. */
export function unknownField(field: string, definition?: string): KubeFieldError {
  return make(
    'FieldValueUnknown',
    field,
    `unknown field ${JSON.stringify(field)}`,
    definition ? { definition } : {},
  );
}

/** Decoding: a JSON value of the wrong type; `message` is Go's full error text. */
export function unmarshalTypeError(field: string, message: string, value?: unknown): KubeFieldError {
  return make('UnmarshalTypeError', field, message, value === undefined ? {} : { value });
}

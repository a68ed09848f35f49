/**
 * 422 Invalid errors as the API server words them (`field.Error` and `errors.NewInvalid`):
 * `Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or
 * equal to 0`, one `details.causes` entry per field error.
 */

import type { ApiError, FieldError, KindInfo } from '../types.js';
import { qualifiedKind, statusError } from './api-errors.js';
import { isJsonObject } from './json-values.js';

/** How each field-error type is reported: its `StatusCause` reason, its words, whether the value shows. */
interface FieldErrorType {
  readonly reason: string;
  readonly words: string;
  readonly showsValue: boolean;
}

/** `field.ErrorType`s by the short names `FieldError.type` uses. */
const FIELD_ERROR_TYPES: Readonly<Record<string, FieldErrorType>> = {
  Invalid: { reason: 'FieldValueInvalid', words: 'Invalid value', showsValue: true },
  TypeInvalid: { reason: 'FieldValueTypeInvalid', words: 'Invalid value', showsValue: true },
  Required: { reason: 'FieldValueRequired', words: 'Required value', showsValue: false },
  NotSupported: { reason: 'FieldValueNotSupported', words: 'Unsupported value', showsValue: true },
  Duplicate: { reason: 'FieldValueDuplicate', words: 'Duplicate value', showsValue: true },
  Forbidden: { reason: 'FieldValueForbidden', words: 'Forbidden', showsValue: false },
  TooLong: { reason: 'FieldValueTooLong', words: 'Too long', showsValue: false },
  TooMany: { reason: 'FieldValueTooMany', words: 'Too many', showsValue: true },
  NotFound: { reason: 'FieldValueNotFound', words: 'Not found', showsValue: true },
  Internal: { reason: 'InternalError', words: 'Internal error', showsValue: false },
};

const BY_REASON = new Map(Object.values(FIELD_ERROR_TYPES).map((t) => [t.reason, t]));

function typeOf(type: string): FieldErrorType {
  return FIELD_ERROR_TYPES[type] ?? BY_REASON.get(type) ?? { reason: type, words: type, showsValue: true };
}

/** The element type Go would print for a slice or map of these values. */
function goElementType(values: readonly unknown[]): string {
  if (values.length > 0 && values.every((v) => typeof v === 'string')) return 'string';
  if (values.length > 0 && values.every((v) => typeof v === 'number' && Number.isInteger(v))) return 'int64';
  return 'interface {}';
}

/** A value already in Go syntax (`v1.LabelSelector{…}`), printed as is in messages. */
export class GoLiteral {
  constructor(readonly text: string) {}
}

/** A value as Go's `%#v` prints it (`"x"`, `3`, `[]string{"a", "b"}`, `map[string]string{"app":"web"}`). */
export function goSyntax(v: unknown, nested = false): string {
  if (v instanceof GoLiteral) return v.text;
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return nested ? 'interface {}(nil)' : 'null';
  if (Array.isArray(v)) return `[]${goElementType(v)}{${v.map((x) => goSyntax(x, true)).join(', ')}}`;
  if (isJsonObject(v)) {
    const keys = Object.keys(v).sort();
    const type = goElementType(keys.map((k) => v[k]));
    return `map[string]${type}{${keys.map((k) => `${JSON.stringify(k)}:${goSyntax(v[k], true)}`).join(', ')}}`;
  }
  return String(v);
}

/** `Invalid value: "x": detail`: what follows the field path (Go's `ErrorBody`). */
export function fieldErrorBody(error: FieldError): string {
  const type = typeOf(error.type);
  let body = type.words;
  if (type.showsValue && error.value !== undefined) body += `: ${goSyntax(error.value)}`;
  if (error.message !== '') body += `: ${error.message}`;
  return body;
}

/** `spec.replicas: Invalid value: -1: …`: one field error as a line. */
export function formatFieldError(error: FieldError): string {
  return `${error.field}: ${fieldErrorBody(error)}`;
}

/** Several field errors as Kubernetes aggregates them: one as is, more as `[a, b]`, duplicates once. */
export function aggregateFieldErrors(errors: readonly FieldError[]): string {
  const lines = [...new Set(errors.map(formatFieldError))];
  return lines.length === 1 ? lines[0]! : `[${lines.join(', ')}]`;
}

/** 422 `Deployment.apps "web" is invalid: …` with one `details.causes` entry per error. */
export function invalid(
  info: Pick<KindInfo, 'group' | 'kind'>,
  name: string,
  errors: readonly FieldError[],
): ApiError {
  const what = `${qualifiedKind(info)} "${name}" is invalid`;
  return statusError(
    422,
    'Invalid',
    errors.length === 0 ? what : `${what}: ${aggregateFieldErrors(errors)}`,
    {
      ...(name === '' ? {} : { name }),
      group: info.group,
      kind: info.kind,
      causes: errors.map((e) => ({
        reason: typeOf(e.type).reason,
        message: fieldErrorBody(e),
        field: e.field,
      })),
    },
  );
}

const DECODE_ERROR_TYPES = new Set(['FieldValueUnknown', 'UnmarshalTypeError']);

/**
 * The error for what validation found, decoding failures first as the API server decodes before
 * it validates: 400 `DaemonSet in version "v1" cannot be handled as a DaemonSet: strict decoding
 * error: unknown field "spec.replicas"` for wrong types and unknown fields, else 422 Invalid.
 * `apiVersion` is the version the object was written in.
 */
export function rejection(
  info: Pick<KindInfo, 'group' | 'kind'>,
  apiVersion: unknown,
  name: string,
  errors: readonly FieldError[],
): ApiError {
  const decode = errors.filter((e) => DECODE_ERROR_TYPES.has(e.type));
  if (decode.length === 0) return invalid(info, name, errors);
  const typeError = decode.find((e) => e.type === 'UnmarshalTypeError');
  const detail =
    typeError?.message ??
    `strict decoding error: ${decode
      .filter((e) => e.type === 'FieldValueUnknown')
      .map((e) => e.message)
      .join(', ')}`;
  const written = typeof apiVersion === 'string' ? apiVersion : '';
  const version = written.slice(written.indexOf('/') + 1);
  return statusError(
    400,
    'BadRequest',
    `${info.kind} in version ${JSON.stringify(version)} cannot be handled as a ${info.kind}: ${detail}`,
    {},
  );
}

/** A field error of type `Invalid`. */
export function invalidValue(field: string, value: unknown, message: string): FieldError {
  return { type: 'Invalid', field, value, message };
}

/** A field error of type `Forbidden`. */
export function forbiddenField(field: string, message: string): FieldError {
  return { type: 'Forbidden', field, message };
}

/** A field error of type `Required`. */
export function requiredField(field: string, message = ''): FieldError {
  return { type: 'Required', field, message };
}

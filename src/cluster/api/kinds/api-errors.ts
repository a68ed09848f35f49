/**
 * The API errors validation and kind lookup produce, worded as kube-apiserver and kubectl word
 * them: 400 `… cannot be handled as a …` (decoding), 422 `… is invalid: …` (validation), and
 * the `no matches for kind …` of a removed apiVersion.
 */

import {
  causeReason,
  fieldErrorBody,
  formatFieldError,
  isDecodeError,
  type KubeFieldError,
} from '../schema/field-errors.js';
import { ApiError, type FieldError, type KindInfo } from '../types.js';

function versionOf(apiVersion: string): string {
  return apiVersion.slice(apiVersion.indexOf('/') + 1);
}

/** `Deployment.apps`, or `Pod` for the core group (Go's `GroupKind.String()`). */
export function qualifiedKind(info: Pick<KindInfo, 'group' | 'kind'>): string {
  return info.group === '' ? info.kind : `${info.kind}.${info.group}`;
}

/** `utilerrors.NewAggregate(...).Error()`: one message, or `[a, b]`, duplicates dropped. */
export function aggregate(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0]! : `[${unique.join(', ')}]`;
}

/**
 * 400 BadRequest for decoding errors: the first wrong-typed value, or every unknown field
 * (`DaemonSet in version "v1" cannot be handled as a DaemonSet: strict decoding error: unknown
 * field "spec.replicas"`). `apiVersion` is the version the object was written in.
 */
export function decodeApiError(kind: string, apiVersion: string, errors: readonly FieldError[]): ApiError {
  const typeError = errors.find((e) => e.type === 'UnmarshalTypeError');
  const detail = typeError
    ? typeError.message
    : `strict decoding error: ${errors
        .filter((e) => e.type === 'FieldValueUnknown')
        .map((e) => e.message)
        .join(', ')}`;
  return new ApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `${kind} in version ${JSON.stringify(versionOf(apiVersion))} cannot be handled as a ${kind}: ${detail}`,
    reason: 'BadRequest',
    code: 400,
  });
}

/** 422 Invalid (`Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: …`) with causes. */
export function invalidApiError(
  info: Pick<KindInfo, 'group' | 'kind'>,
  name: string,
  errors: readonly FieldError[],
): ApiError {
  const qk = qualifiedKind(info);
  const messages = errors.map(formatFieldError);
  return new ApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: messages.length
      ? `${qk} ${JSON.stringify(name)} is invalid: ${aggregate(messages)}`
      : `${qk} ${JSON.stringify(name)} is invalid`,
    reason: 'Invalid',
    details: {
      name,
      group: info.group,
      kind: info.kind,
      causes: errors.map((e) => ({
        reason: causeReason(e.type),
        message: fieldErrorBody(e),
        field: e.field,
      })),
    },
    code: 422,
  });
}

/**
 * The ApiError for what `validate` found: decoding errors (400) win over validation errors
 * (422), as the API server decodes before it validates. Undefined when there is nothing.
 */
export function toApiError(
  object: Readonly<Record<string, unknown>>,
  info: KindInfo,
  errors: readonly FieldError[],
): ApiError | undefined {
  if (errors.length === 0) return undefined;
  const apiVersion =
    typeof object.apiVersion === 'string' ? object.apiVersion : `${info.group}/${info.version}`;
  const decode = errors.filter(isDecodeError);
  if (decode.length) return decodeApiError(info.kind, apiVersion, decode);
  const meta = object.metadata as Record<string, unknown> | undefined;
  const name =
    typeof meta?.name === 'string'
      ? meta.name
      : typeof meta?.generateName === 'string'
        ? meta.generateName
        : '';
  return invalidApiError(info, name, errors);
}

/** `no matches for kind "Deployment" in version "extensions/v1beta1"` (404 NotFound). */
export function noKindMatchError(apiVersion: string, kind: string): ApiError {
  const [group] = apiVersion.includes('/') ? apiVersion.split('/') : [''];
  return new ApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `no matches for kind ${JSON.stringify(kind)} in version ${JSON.stringify(apiVersion)}`,
    reason: 'NotFound',
    details: { group: group ?? '', kind },
    code: 404,
  });
}

/**
 * kubectl's line for a manifest whose kind it cannot map (printed after `error: `):
 * `resource mapping not found for name: "x" namespace: "" from "f.yaml": no matches for kind
 * "Deployment" in version "extensions/v1beta1"` and `ensure CRDs are installed first`.
 */
export function resourceMappingNotFoundMessage(
  name: string,
  namespace: string,
  source: string,
  apiVersion: string,
  kind: string,
): string {
  return `resource mapping not found for name: ${JSON.stringify(name)} namespace: ${JSON.stringify(namespace)} from ${JSON.stringify(source)}: no matches for kind ${JSON.stringify(kind)} in version ${JSON.stringify(apiVersion)}\nensure CRDs are installed first`;
}

/**
 * The wording of kubectl's old client-side validation (the training's era):
 * `error validating data: ValidationError(DaemonSet.spec): unknown field "replicas" in
 * io.k8s.api.extensions.v1beta1.DaemonSetSpec; if you choose to ignore these errors, turn
 * validation off with --validate=false`. Covers unknown fields; other errors use their text.
 */
export function clientValidationMessage(
  source: string,
  kind: string,
  errors: readonly KubeFieldError[],
): string {
  const parts = errors.map((e) => {
    if (e.type !== 'FieldValueUnknown') return formatFieldError(e);
    const dot = e.field.lastIndexOf('.');
    const parent = dot < 0 ? kind : `${kind}.${e.field.slice(0, dot)}`;
    const field = e.field.slice(dot + 1);
    return `ValidationError(${parent}): unknown field ${JSON.stringify(field)} in ${e.definition ?? kind}`;
  });
  const body = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  return `error validating ${JSON.stringify(source)}: error validating data: ${body}; if you choose to ignore these errors, turn validation off with --validate=false`;
}

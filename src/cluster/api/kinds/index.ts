/**
 * The kinds layer of the simulated API server: the registry of built-in and CRD kinds (what
 * `kubectl api-resources` shows and how resource arguments resolve), and `KubeObjectSchema`,
 * which decodes, converts, defaults and validates incoming objects with Kubernetes' wording.
 *
 * Typical use by the API machinery:
 *
 * ```ts
 * const kinds = new BuiltinKindRegistry();
 * const schema = new KubeObjectSchema(kinds, { randomSuffix });
 * const { object, info, warnings } = schema.admit(body, { fieldValidation: 'Strict' });
 * ```
 */

export * from '../../../internal/k8s-names.js';
export {
  causeReason,
  type FieldErrorType,
  fieldErrorBody,
  formatFieldError,
  isDecodeError,
  type KubeFieldError,
} from '../schema/field-errors.js';
export {
  aggregate,
  clientValidationMessage,
  decodeApiError,
  invalidApiError,
  noKindMatchError,
  qualifiedKind,
  resourceMappingNotFoundMessage,
  toApiError,
} from './api-errors.js';
export { BUILTIN_KINDS, type KindRow, REMOVED_KINDS, VERBS_ALL } from './builtin-kinds.js';
export { CONVERTERS, convertObject } from './convert.js';
export { applyKindDefaults, KIND_DEFAULTERS, SIMPLE_DEFAULTS } from './defaults.js';
export { defaultPullPolicy } from './defaults-pod.js';
export {
  type Admitted,
  type FieldValidation,
  KubeObjectSchema,
  type KubeObjectSchemaOptions,
  type ValidateOptions,
} from './object-schema.js';
export { BuiltinKindRegistry, type VersionSchema } from './registry.js';
export { KIND_VALIDATORS, MAX_SECRET_SIZE } from './validate-kinds.js';
export { isEmptySelector, selectorMatches, TOTAL_ANNOTATION_SIZE_LIMIT } from './validate-meta.js';

/**
 * Builders of the API's errors, in Kubernetes' `Status` shape and wording
 * (`k8s.io/apimachinery/pkg/api/errors`): `deployments.apps "web" not found`,
 * `services "hasher" already exists`, `Operation cannot be fulfilled on …`, and the conversion of
 * store failures into them.
 */

import { StoreError } from '../../store/types.js';
import { ApiError, type KindInfo, resourceKeyOf, type Status } from '../types.js';

/** What a message needs to name a resource: `deployments.apps`, `services`. */
export type ResourceName = Pick<KindInfo, 'group' | 'plural'>;

/** `deployments.apps`, `services`: the qualified resource messages print. */
export function qualifiedResource(info: ResourceName): string {
  return resourceKeyOf(info);
}

/** `Deployment.apps`, `Service`: the qualified kind validation messages print. */
export function qualifiedKind(info: Pick<KindInfo, 'group' | 'kind'>): string {
  return info.group === '' ? info.kind : `${info.kind}.${info.group}`;
}

/** An `ApiError` from its parts. */
export function statusError(
  code: number,
  reason: string,
  message: string,
  details?: Status['details'],
): ApiError {
  const status: Status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details === undefined ? {} : { details }),
    code,
  };
  return new ApiError(status);
}

function resourceDetails(info: ResourceName, name: string): Status['details'] {
  return { ...(name === '' ? {} : { name }), group: info.group, kind: info.plural };
}

/** 404 `deployments.apps "web" not found`. */
export function notFound(info: ResourceName, name: string): ApiError {
  return statusError(
    404,
    'NotFound',
    `${qualifiedResource(info)} "${name}" not found`,
    resourceDetails(info, name),
  );
}

/** 404 `namespaces "x" not found`: a create into a namespace that does not exist. */
export function namespaceNotFound(namespace: string): ApiError {
  return notFound({ group: '', plural: 'namespaces' }, namespace);
}

/** 404 for a resource the server does not serve. */
export function resourceNotFound(): ApiError {
  return statusError(404, 'NotFound', 'the server could not find the requested resource', {});
}

/** 409 `services "hasher" already exists`. */
export function alreadyExists(info: ResourceName, name: string): ApiError {
  return statusError(
    409,
    'AlreadyExists',
    `${qualifiedResource(info)} "${name}" already exists`,
    resourceDetails(info, name),
  );
}

/** 409 `Operation cannot be fulfilled on deployments.apps "web": <cause>`. */
export function conflict(info: ResourceName, name: string, cause: string): ApiError {
  return statusError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(info)} "${name}": ${cause}`,
    resourceDetails(info, name),
  );
}

/** Kubernetes' `OptimisticLockErrorMsg`. */
export const OPTIMISTIC_LOCK_MESSAGE =
  'the object has been modified; please apply your changes to the latest version and try again';

/** 409 Conflict for a stale `resourceVersion`. */
export function optimisticLockConflict(info: ResourceName, name: string): ApiError {
  return conflict(info, name, OPTIMISTIC_LOCK_MESSAGE);
}

/** 400 BadRequest with a message. */
export function badRequest(message: string): ApiError {
  return statusError(400, 'BadRequest', message, {});
}

/** 403 `pods "x" is forbidden: <cause>` (`pods is forbidden: …` without a name). */
export function forbidden(info: ResourceName, name: string, cause: string): ApiError {
  const what = name === '' ? qualifiedResource(info) : `${qualifiedResource(info)} "${name}"`;
  return statusError(403, 'Forbidden', `${what} is forbidden: ${cause}`, resourceDetails(info, name));
}

/** 410 Expired: a watch or list from a compacted resourceVersion. */
export function expired(message: string): ApiError {
  return statusError(410, 'Expired', message, {});
}

/** 405 `<action> is not supported on resources of kind "<resource>"`. */
export function methodNotSupported(info: ResourceName, action: string): ApiError {
  return statusError(
    405,
    'MethodNotAllowed',
    `${action} is not supported on resources of kind "${qualifiedResource(info)}"`,
    { group: info.group, kind: info.plural },
  );
}

/** 415: a patch type the resource does not accept (strategic merge on a custom resource). */
export function unsupportedMediaType(accepted: readonly string[]): ApiError {
  return statusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    {},
  );
}

/**
 * 422 with Kubernetes' generic wording, the way a JSON patch that does not apply is reported:
 * the detail goes in `details.causes`.
 */
export function rejectedRequest(detail: string): ApiError {
  return statusError(422, 'Invalid', 'the server rejected our request due to an error in our request', {
    causes: [{ reason: '', message: detail, field: '' }],
  });
}

/** 500 `Internal error occurred: <cause>`. */
export function internalError(cause: string): ApiError {
  return statusError(500, 'InternalError', `Internal error occurred: ${cause}`, {
    causes: [{ reason: '', message: cause, field: '' }],
  });
}

/** The API error for a store failure on one object. */
export function fromStoreError(error: unknown, info: ResourceName, name: string): unknown {
  if (!(error instanceof StoreError)) return error;
  switch (error.reason) {
    case 'AlreadyExists':
      return alreadyExists(info, name);
    case 'NotFound':
      return notFound(info, name);
    case 'Conflict':
      return optimisticLockConflict(info, name);
    case 'Expired':
      return expired(error.message);
    default:
      return internalError(error.message);
  }
}

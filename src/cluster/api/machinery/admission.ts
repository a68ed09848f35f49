/**
 * Admission: checks (and changes) a write after validation and before it is stored, inside the
 * write's transaction, as the API server's admission chain does. Built in: NamespaceLifecycle
 * (no content in a missing or terminating namespace; `default`, `kube-system`, `kube-public`
 * stay). Quota, LimitRange and RBAC plug in through `ClusterApiOptions.admission`.
 */

import type { KubeObject, StoreWriter } from '../../store/types.js';
import type { KindInfo } from '../types.js';
import { forbidden, namespaceNotFound, statusError } from './api-errors.js';
import { getOwn } from './json-values.js';
import { PROTECTED_NAMESPACES } from './kind-policies.js';

/** The write being admitted. */
export interface AdmissionRequest {
  readonly operation: 'CREATE' | 'UPDATE' | 'DELETE';
  readonly info: KindInfo;
  readonly namespace: string;
  readonly name: string;
  /** '' for the main resource, else `status` or `scale`. */
  readonly subresource: string;
  /** The object as it will be stored (CREATE, UPDATE); a plugin may change it. */
  readonly object: KubeObject | undefined;
  /** The stored object (UPDATE, DELETE). */
  readonly oldObject: KubeObject | undefined;
  readonly dryRun: boolean;
  /** Reads in the write's transaction. */
  readonly store: Pick<StoreWriter, 'get' | 'getMeta'>;
}

/** One admission plugin; it refuses a write by throwing an `ApiError`. */
export interface AdmissionPlugin {
  readonly name: string;
  admit(request: AdmissionRequest): void;
}

/** The store key of a namespace object. */
export const namespaceKey = (name: string) => ({ resource: 'namespaces', namespace: '', name });

/** Whether a namespace object is being deleted. */
export function isTerminating(namespace: KubeObject | undefined): boolean {
  return (
    getOwn(getOwn(namespace, 'status'), 'phase') === 'Terminating' ||
    !!getOwn(getOwn(namespace, 'metadata'), 'deletionTimestamp')
  );
}

/** Kubernetes' NamespaceLifecycle admission plugin. */
export const namespaceLifecycle: AdmissionPlugin = {
  name: 'NamespaceLifecycle',
  admit(request) {
    const { info, operation } = request;
    if (
      operation === 'DELETE' &&
      info.group === '' &&
      info.kind === 'Namespace' &&
      PROTECTED_NAMESPACES.has(request.name)
    ) {
      throw forbidden(info, request.name, 'this namespace may not be deleted');
    }
    if (operation !== 'CREATE' || info.scope !== 'Namespaced') return;
    const ns = request.store.get(namespaceKey(request.namespace));
    if (ns === undefined) throw namespaceNotFound(request.namespace);
    if (isTerminating(ns.object)) {
      const { message, details } = forbidden(
        info,
        request.name,
        `unable to create new content in namespace ${request.namespace} because it is being terminated`,
      ).status;
      const cause = {
        reason: 'NamespaceTerminating',
        message: `namespace ${request.namespace} is being terminated`,
        field: 'metadata.namespace',
      };
      throw statusError(403, 'Forbidden', message, { ...details, causes: [cause] });
    }
  },
};

/** The plugins every cluster runs, in order. */
export const BUILTIN_ADMISSION: readonly AdmissionPlugin[] = [namespaceLifecycle];

/**
 * Contracts of the cluster's API layer: the kinds registry, validation and defaulting, and the
 * errors the API returns (Kubernetes' `Status` shape and wording).
 */

import type { KubeObject } from '../store/types.js';

/** Whether a kind's objects live in a namespace. */
export type Scope = 'Namespaced' | 'Cluster';

/** Everything the API needs to know about one kind (what `kubectl api-resources` shows). */
export interface KindInfo {
  /** API group; '' for the core group. */
  readonly group: string;
  /** The served (storage) version, e.g. `v1`. */
  readonly version: string;
  readonly kind: string;
  /** Lower-case plural, the REST resource name (`deployments`). */
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
  readonly scope: Scope;
  /** Categories such as `all` (for `kubectl get all`). */
  readonly categories: readonly string[];
  /** Supported verbs, as discovery lists them. */
  readonly verbs: readonly string[];
  /** Subresources served (`status`, `scale`). */
  readonly subresources: readonly string[];
}

/** `apiVersion` of a kind: `v1` or `group/version`. */
export function apiVersionOf(info: Pick<KindInfo, 'group' | 'version'>): string {
  return info.group === '' ? info.version : `${info.group}/${info.version}`;
}

/** The store's resource key of a kind: `pods`, `deployments.apps`. */
export function resourceKeyOf(info: Pick<KindInfo, 'group' | 'plural'>): string {
  return info.group === '' ? info.plural : `${info.plural}.${info.group}`;
}

/** One field-level validation failure, as the API server reports it in `details.causes`. */
export interface FieldError {
  /** `Invalid`, `Required`, `NotSupported`, `TooLong`, `Duplicate`, `Forbidden`, `FieldValueUnknown`… */
  readonly type: string;
  /** Field path, e.g. `metadata.name`, `spec.template.spec.containers[0].image`. */
  readonly field: string;
  /** Kubernetes' detail text, e.g. `a lowercase RFC 1123 subdomain must consist of …`. */
  readonly message: string;
  /** The offending value, when there is one. */
  readonly value?: unknown;
}

/** Kubernetes' `Status` object (error responses). */
export interface Status {
  readonly kind: 'Status';
  readonly apiVersion: 'v1';
  readonly metadata: Record<string, never>;
  readonly status: 'Failure' | 'Success';
  readonly message: string;
  readonly reason: string;
  readonly details?: {
    readonly name?: string;
    readonly group?: string;
    readonly kind?: string;
    readonly causes?: readonly { reason: string; message: string; field: string }[];
  };
  readonly code: number;
}

/**
 * An API failure with Kubernetes' status code, reason and message, e.g. 409 `AlreadyExists`
 * `services "hasher" already exists`. kubectl prints it as `Error from server (AlreadyExists): …`.
 */
export class ApiError extends Error {
  constructor(readonly status: Status) {
    super(status.message);
    this.name = 'ApiError';
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): string {
    return this.status.reason;
  }
}

/** How a kind is looked up from what users type and what manifests say. */
export interface KindRegistry {
  /** Every served kind (built-in and registered by CRDs), for discovery and `api-resources`. */
  all(): readonly KindInfo[];
  /**
   * The kind for a manifest's `apiVersion` and `kind`. Old apiVersions that Kubernetes still
   * converts resolve to the current kind; removed ones are undefined.
   */
  forObject(apiVersion: string, kind: string): KindInfo | undefined;
  /**
   * Kinds a kubectl resource argument names: plural, singular, short name or kind, optionally
   * qualified by group (`deployments.apps`, `deploy`, `po`, `Service`). Empty when unknown.
   */
  resolve(resourceArg: string): readonly KindInfo[];
  /** Adds or replaces a kind (a CRD becoming established). */
  register(info: KindInfo, schema?: unknown): void;
  /** Removes a kind registered by a CRD. */
  unregister(group: string, kind: string): void;
  /** Registers the kind a CustomResourceDefinition object declares (its served versions and schemas). */
  registerCrd?(crd: KubeObject): KindInfo;
}

/** Validation, conversion and defaulting of incoming objects, as the API server does them. */
export interface ObjectSchema {
  /**
   * Converts a seed-era apiVersion to the served one (`extensions/v1beta1` Deployment →
   * `apps/v1`, adding what the new version requires) or throws `ApiError` with kubectl's wording
   * where Kubernetes refuses it.
   */
  convert(object: KubeObject, info: KindInfo): KubeObject;
  /** Fills defaults in place the way the API server does (pod restartPolicy, Service type…). */
  applyDefaults(object: KubeObject, info: KindInfo): void;
  /**
   * Structural validation against the kind's schema (unknown fields, types, required fields)
   * plus Kubernetes' semantic rules (names, labels, annotations). Returns every problem found.
   */
  validate(object: KubeObject, info: KindInfo): FieldError[];
  /**
   * Validation of a status write, whose only new content is `status` (the rest is the stored
   * object): the problems within `status`. Without it, `validate` checks the whole object.
   */
  validateStatus?(object: KubeObject, info: KindInfo): FieldError[];
}

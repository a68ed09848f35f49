/**
 * The shape of a row of the built-in kinds table and the values rows share (verbs, categories,
 * subresources).
 */

import type { NameRule } from '../../../internal/k8s-names.js';
import type { Scope } from '../types.js';

/** One row of the kinds table; omitted fields take the defaults noted. */
export interface KindRow {
  readonly kind: string;
  readonly group: string;
  /** The served (storage) version. */
  readonly version: string;
  readonly plural: string;
  /** @default kind in lower case */
  readonly singular?: string;
  readonly shortNames?: readonly string[];
  /** @default 'Namespaced' */
  readonly scope?: Scope;
  readonly categories?: readonly string[];
  /** @default {@link VERBS_ALL} */
  readonly verbs?: readonly string[];
  readonly subresources?: readonly string[];
  /** How `metadata.name` is validated. @default 'subdomain' */
  readonly names?: NameRule;
  /** Longest name, when shorter than the rule's (CronJob: 52, for its Jobs' names). */
  readonly maxNameLength?: number;
  /**
   * Other apiVersions users may write, converted to the served one on the way in. Versions that
   * current Kubernetes still serves (autoscaling/v1) and removed ones the seeds use alike.
   */
  readonly accepts?: readonly string[];
}

/** Verbs of an ordinary resource. */
export const VERBS_ALL: readonly string[] = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];
export const NO_COLLECTION = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
export const CREATE_ONLY = ['create'];
export const GET_LIST = ['get', 'list'];
export const ALL = ['all'];
export const API_EXTENSIONS = ['api-extensions'];
export const STATUS = ['status'];
export const SCALE_STATUS = ['scale', 'status'];

/** Every built-in kind bosun serves. Order is discovery order (group, then kind). */

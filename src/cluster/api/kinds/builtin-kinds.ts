/**
 * The built-in kinds, as `kubectl api-resources -o wide` lists them on a current cluster, plus
 * the seed-era apiVersions bosun still accepts and converts (policy as data): core/v1 here, the
 * named groups in `builtin-kinds-groups.ts`.
 */

import { GROUP_KINDS } from './builtin-kinds-groups.js';
import {
  ALL,
  CREATE_ONLY,
  GET_LIST,
  type KindRow,
  NO_COLLECTION,
  SCALE_STATUS,
  STATUS,
} from './kind-rows.js';

export { type KindRow, VERBS_ALL } from './kind-rows.js';

/** core/v1 kinds. */
const CORE_KINDS: readonly KindRow[] = [
  // core/v1
  { kind: 'Binding', group: '', version: 'v1', plural: 'bindings', verbs: CREATE_ONLY },
  {
    kind: 'ComponentStatus',
    group: '',
    version: 'v1',
    plural: 'componentstatuses',
    shortNames: ['cs'],
    scope: 'Cluster',
    verbs: GET_LIST,
  },
  { kind: 'ConfigMap', group: '', version: 'v1', plural: 'configmaps', shortNames: ['cm'] },
  {
    kind: 'Endpoints',
    group: '',
    version: 'v1',
    plural: 'endpoints',
    singular: 'endpoints',
    shortNames: ['ep'],
  },
  { kind: 'Event', group: '', version: 'v1', plural: 'events', shortNames: ['ev'] },
  { kind: 'LimitRange', group: '', version: 'v1', plural: 'limitranges', shortNames: ['limits'] },
  {
    kind: 'Namespace',
    group: '',
    version: 'v1',
    plural: 'namespaces',
    shortNames: ['ns'],
    scope: 'Cluster',
    verbs: NO_COLLECTION,
    subresources: ['finalize', 'status'],
    names: 'label',
  },
  {
    kind: 'Node',
    group: '',
    version: 'v1',
    plural: 'nodes',
    shortNames: ['no'],
    scope: 'Cluster',
    subresources: ['proxy', 'status'],
  },
  {
    kind: 'PersistentVolumeClaim',
    group: '',
    version: 'v1',
    plural: 'persistentvolumeclaims',
    shortNames: ['pvc'],
    subresources: STATUS,
  },
  {
    kind: 'PersistentVolume',
    group: '',
    version: 'v1',
    plural: 'persistentvolumes',
    shortNames: ['pv'],
    scope: 'Cluster',
    subresources: STATUS,
    names: 'path-segment',
  },
  {
    kind: 'Pod',
    group: '',
    version: 'v1',
    plural: 'pods',
    shortNames: ['po'],
    categories: ALL,
    subresources: [
      'attach',
      'binding',
      'ephemeralcontainers',
      'eviction',
      'exec',
      'log',
      'portforward',
      'proxy',
      'resize',
      'status',
    ],
  },
  { kind: 'PodTemplate', group: '', version: 'v1', plural: 'podtemplates' },
  {
    kind: 'ReplicationController',
    group: '',
    version: 'v1',
    plural: 'replicationcontrollers',
    shortNames: ['rc'],
    categories: ALL,
    subresources: SCALE_STATUS,
  },
  {
    kind: 'ResourceQuota',
    group: '',
    version: 'v1',
    plural: 'resourcequotas',
    shortNames: ['quota'],
    subresources: STATUS,
  },
  { kind: 'Secret', group: '', version: 'v1', plural: 'secrets' },
  {
    kind: 'ServiceAccount',
    group: '',
    version: 'v1',
    plural: 'serviceaccounts',
    shortNames: ['sa'],
    subresources: ['token'],
  },
  {
    kind: 'Service',
    group: '',
    version: 'v1',
    plural: 'services',
    shortNames: ['svc'],
    categories: ALL,
    subresources: ['proxy', 'status'],
    names: 'rfc1035',
  },
];

/** Every built-in kind bosun serves. Order is discovery order (group, then kind). */
export const BUILTIN_KINDS: readonly KindRow[] = [...CORE_KINDS, ...GROUP_KINDS];

/**
 * Kinds current Kubernetes removed without a successor: refused with kubectl's
 * `no matches for kind …` wording, even in a version bosun otherwise converts.
 */
export const REMOVED_KINDS: readonly { readonly apiVersion: string; readonly kind: string }[] = [
  { apiVersion: 'extensions/v1beta1', kind: 'PodSecurityPolicy' },
  { apiVersion: 'policy/v1beta1', kind: 'PodSecurityPolicy' },
];

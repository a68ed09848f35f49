/**
 * The built-in kinds, as `kubectl api-resources -o wide` lists them on a current cluster, plus
 * the seed-era apiVersions bosun still accepts and converts (policy as data).
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
const NO_COLLECTION = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
const CREATE_ONLY = ['create'];
const GET_LIST = ['get', 'list'];
const ALL = ['all'];
const API_EXTENSIONS = ['api-extensions'];
const STATUS = ['status'];
const SCALE_STATUS = ['scale', 'status'];

/** Every built-in kind bosun serves. Order is discovery order (group, then kind). */
export const BUILTIN_KINDS: readonly KindRow[] = [
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
  // admissionregistration.k8s.io/v1
  {
    kind: 'MutatingWebhookConfiguration',
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    plural: 'mutatingwebhookconfigurations',
    scope: 'Cluster',
    categories: API_EXTENSIONS,
    accepts: ['admissionregistration.k8s.io/v1beta1'],
  },
  {
    kind: 'ValidatingAdmissionPolicy',
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    plural: 'validatingadmissionpolicies',
    scope: 'Cluster',
    categories: API_EXTENSIONS,
    subresources: STATUS,
  },
  {
    kind: 'ValidatingAdmissionPolicyBinding',
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    plural: 'validatingadmissionpolicybindings',
    scope: 'Cluster',
    categories: API_EXTENSIONS,
  },
  {
    kind: 'ValidatingWebhookConfiguration',
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    plural: 'validatingwebhookconfigurations',
    scope: 'Cluster',
    categories: API_EXTENSIONS,
    accepts: ['admissionregistration.k8s.io/v1beta1'],
  },
  // apiextensions.k8s.io/v1
  {
    kind: 'CustomResourceDefinition',
    group: 'apiextensions.k8s.io',
    version: 'v1',
    plural: 'customresourcedefinitions',
    shortNames: ['crd', 'crds'],
    scope: 'Cluster',
    categories: API_EXTENSIONS,
    subresources: STATUS,
    accepts: ['apiextensions.k8s.io/v1beta1'],
  },
  // apiregistration.k8s.io/v1
  {
    kind: 'APIService',
    group: 'apiregistration.k8s.io',
    version: 'v1',
    plural: 'apiservices',
    scope: 'Cluster',
    categories: API_EXTENSIONS,
    subresources: STATUS,
  },
  // apps/v1
  {
    kind: 'ControllerRevision',
    group: 'apps',
    version: 'v1',
    plural: 'controllerrevisions',
    accepts: ['apps/v1beta1', 'apps/v1beta2'],
  },
  {
    kind: 'DaemonSet',
    group: 'apps',
    version: 'v1',
    plural: 'daemonsets',
    shortNames: ['ds'],
    categories: ALL,
    subresources: STATUS,
    accepts: ['extensions/v1beta1', 'apps/v1beta2'],
  },
  {
    kind: 'Deployment',
    group: 'apps',
    version: 'v1',
    plural: 'deployments',
    shortNames: ['deploy'],
    categories: ALL,
    subresources: SCALE_STATUS,
    accepts: ['extensions/v1beta1', 'apps/v1beta1', 'apps/v1beta2'],
  },
  {
    kind: 'ReplicaSet',
    group: 'apps',
    version: 'v1',
    plural: 'replicasets',
    shortNames: ['rs'],
    categories: ALL,
    subresources: SCALE_STATUS,
    accepts: ['extensions/v1beta1', 'apps/v1beta2'],
  },
  {
    kind: 'StatefulSet',
    group: 'apps',
    version: 'v1',
    plural: 'statefulsets',
    shortNames: ['sts'],
    categories: ALL,
    subresources: SCALE_STATUS,
    accepts: ['apps/v1beta1', 'apps/v1beta2'],
  },
  // authentication.k8s.io/v1
  {
    kind: 'SelfSubjectReview',
    group: 'authentication.k8s.io',
    version: 'v1',
    plural: 'selfsubjectreviews',
    scope: 'Cluster',
    verbs: CREATE_ONLY,
  },
  {
    kind: 'TokenReview',
    group: 'authentication.k8s.io',
    version: 'v1',
    plural: 'tokenreviews',
    scope: 'Cluster',
    verbs: CREATE_ONLY,
    accepts: ['authentication.k8s.io/v1beta1'],
  },
  // authorization.k8s.io/v1
  {
    kind: 'LocalSubjectAccessReview',
    group: 'authorization.k8s.io',
    version: 'v1',
    plural: 'localsubjectaccessreviews',
    verbs: CREATE_ONLY,
    accepts: ['authorization.k8s.io/v1beta1'],
  },
  {
    kind: 'SelfSubjectAccessReview',
    group: 'authorization.k8s.io',
    version: 'v1',
    plural: 'selfsubjectaccessreviews',
    scope: 'Cluster',
    verbs: CREATE_ONLY,
    accepts: ['authorization.k8s.io/v1beta1'],
  },
  {
    kind: 'SelfSubjectRulesReview',
    group: 'authorization.k8s.io',
    version: 'v1',
    plural: 'selfsubjectrulesreviews',
    scope: 'Cluster',
    verbs: CREATE_ONLY,
    accepts: ['authorization.k8s.io/v1beta1'],
  },
  {
    kind: 'SubjectAccessReview',
    group: 'authorization.k8s.io',
    version: 'v1',
    plural: 'subjectaccessreviews',
    scope: 'Cluster',
    verbs: CREATE_ONLY,
    accepts: ['authorization.k8s.io/v1beta1'],
  },
  // autoscaling/v2 (autoscaling/v1 is still served; objects are stored as v2)
  {
    kind: 'HorizontalPodAutoscaler',
    group: 'autoscaling',
    version: 'v2',
    plural: 'horizontalpodautoscalers',
    shortNames: ['hpa'],
    categories: ALL,
    subresources: STATUS,
    names: 'path-segment',
    accepts: ['autoscaling/v1', 'autoscaling/v2beta1', 'autoscaling/v2beta2'],
  },
  // batch/v1
  {
    kind: 'CronJob',
    group: 'batch',
    version: 'v1',
    plural: 'cronjobs',
    shortNames: ['cj'],
    categories: ALL,
    subresources: STATUS,
    maxNameLength: 52,
    accepts: ['batch/v1beta1', 'batch/v2alpha1'],
  },
  { kind: 'Job', group: 'batch', version: 'v1', plural: 'jobs', categories: ALL, subresources: STATUS },
  // certificates.k8s.io/v1
  {
    kind: 'CertificateSigningRequest',
    group: 'certificates.k8s.io',
    version: 'v1',
    plural: 'certificatesigningrequests',
    shortNames: ['csr'],
    scope: 'Cluster',
    subresources: ['approval', 'status'],
    accepts: ['certificates.k8s.io/v1beta1'],
  },
  // coordination.k8s.io/v1
  {
    kind: 'Lease',
    group: 'coordination.k8s.io',
    version: 'v1',
    plural: 'leases',
    accepts: ['coordination.k8s.io/v1beta1'],
  },
  // discovery.k8s.io/v1
  {
    kind: 'EndpointSlice',
    group: 'discovery.k8s.io',
    version: 'v1',
    plural: 'endpointslices',
    accepts: ['discovery.k8s.io/v1beta1'],
  },
  // events.k8s.io/v1
  {
    kind: 'Event',
    group: 'events.k8s.io',
    version: 'v1',
    plural: 'events',
    shortNames: ['ev'],
    accepts: ['events.k8s.io/v1beta1'],
  },
  // networking.k8s.io/v1
  {
    kind: 'IngressClass',
    group: 'networking.k8s.io',
    version: 'v1',
    plural: 'ingressclasses',
    scope: 'Cluster',
    accepts: ['networking.k8s.io/v1beta1'],
  },
  {
    kind: 'Ingress',
    group: 'networking.k8s.io',
    version: 'v1',
    plural: 'ingresses',
    shortNames: ['ing'],
    subresources: STATUS,
    accepts: ['extensions/v1beta1', 'networking.k8s.io/v1beta1'],
  },
  {
    kind: 'NetworkPolicy',
    group: 'networking.k8s.io',
    version: 'v1',
    plural: 'networkpolicies',
    shortNames: ['netpol'],
    accepts: ['extensions/v1beta1'],
  },
  // node.k8s.io/v1
  {
    kind: 'RuntimeClass',
    group: 'node.k8s.io',
    version: 'v1',
    plural: 'runtimeclasses',
    scope: 'Cluster',
    accepts: ['node.k8s.io/v1beta1'],
  },
  // policy/v1
  {
    kind: 'PodDisruptionBudget',
    group: 'policy',
    version: 'v1',
    plural: 'poddisruptionbudgets',
    shortNames: ['pdb'],
    subresources: STATUS,
    accepts: ['policy/v1beta1'],
  },
  // rbac.authorization.k8s.io/v1
  ...(['ClusterRoleBinding', 'ClusterRole', 'RoleBinding', 'Role'] as const).map(
    (kind): KindRow => ({
      kind,
      group: 'rbac.authorization.k8s.io',
      version: 'v1',
      plural: `${kind.toLowerCase()}s`,
      scope: kind.startsWith('Cluster') ? 'Cluster' : 'Namespaced',
      names: 'path-segment',
      accepts: ['rbac.authorization.k8s.io/v1beta1', 'rbac.authorization.k8s.io/v1alpha1'],
    }),
  ),
  // scheduling.k8s.io/v1
  {
    kind: 'PriorityClass',
    group: 'scheduling.k8s.io',
    version: 'v1',
    plural: 'priorityclasses',
    shortNames: ['pc'],
    scope: 'Cluster',
    accepts: ['scheduling.k8s.io/v1beta1', 'scheduling.k8s.io/v1alpha1'],
  },
  // storage.k8s.io/v1
  ...(['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'] as const).map(
    (kind): KindRow => ({
      kind,
      group: 'storage.k8s.io',
      version: 'v1',
      plural: `${kind.toLowerCase()}${kind.endsWith('s') ? 'es' : 's'}`,
      scope: 'Cluster',
      ...(kind === 'StorageClass' ? { shortNames: ['sc'] } : {}),
      ...(kind === 'VolumeAttachment' ? { subresources: STATUS } : {}),
      accepts: ['storage.k8s.io/v1beta1'],
    }),
  ),
  {
    kind: 'CSIStorageCapacity',
    group: 'storage.k8s.io',
    version: 'v1',
    plural: 'csistoragecapacities',
    accepts: ['storage.k8s.io/v1beta1'],
  },
];

/**
 * Kinds current Kubernetes removed without a successor: refused with kubectl's
 * `no matches for kind …` wording, even in a version bosun otherwise converts.
 */
export const REMOVED_KINDS: readonly { readonly apiVersion: string; readonly kind: string }[] = [
  { apiVersion: 'extensions/v1beta1', kind: 'PodSecurityPolicy' },
  { apiVersion: 'policy/v1beta1', kind: 'PodSecurityPolicy' },
];

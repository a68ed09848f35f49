/**
 * The bootstrap RBAC policy as data: the ClusterRoles the API server creates at start-up (after
 * Kubernetes' `bootstrappolicy`, abridged to what a learner looks at and what the simulated
 * components need), kubeadm's and the add-ons' roles, and who is bound to what.
 */

import type { Json } from './context.js';

/** Read verbs. */
export const READ = ['get', 'list', 'watch'];
/** Write verbs (no read). */
export const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
/** Read and write verbs. */
export const READ_WRITE = [...READ, ...WRITE];

/** One policy rule over resources: `groups` '' is the core group. */
export function rule(verbs: readonly string[], groups: string | readonly string[], resources: string): Json {
  return {
    apiGroups: typeof groups === 'string' ? [groups] : [...groups],
    resources: resources.split(/\s+/).filter(Boolean),
    verbs: [...verbs],
  };
}

/** One policy rule over non-resource URLs. */
export const urls = (verbs: readonly string[], paths: string): Json => ({
  nonResourceURLs: paths.split(/\s+/).filter(Boolean),
  verbs: [...verbs],
});

/** A ClusterRole row: name, rules, extra labels, optional aggregation (label selectors). */
export interface RoleRow {
  readonly name: string;
  readonly rules: readonly Json[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly aggregateFrom?: readonly string[];
  /** Created by kubeadm or an add-on rather than by the API server (no bootstrapping labels). */
  readonly addon?: boolean;
}

const AGG = 'rbac.authorization.k8s.io/aggregate-to-';

const VIEW_RULES: Json[] = [
  rule(
    READ,
    '',
    'configmaps endpoints persistentvolumeclaims persistentvolumeclaims/status pods replicationcontrollers replicationcontrollers/scale serviceaccounts services services/status',
  ),
  rule(
    READ,
    '',
    'bindings events limitranges namespaces/status pods/log pods/status replicationcontrollers/status resourcequotas resourcequotas/status',
  ),
  rule(READ, '', 'namespaces'),
  rule(READ, 'discovery.k8s.io', 'endpointslices'),
  rule(
    READ,
    'apps',
    'controllerrevisions daemonsets daemonsets/status deployments deployments/scale deployments/status replicasets replicasets/scale replicasets/status statefulsets statefulsets/scale statefulsets/status',
  ),
  rule(READ, 'autoscaling', 'horizontalpodautoscalers horizontalpodautoscalers/status'),
  rule(READ, 'batch', 'cronjobs cronjobs/status jobs jobs/status'),
  rule(
    READ,
    'extensions',
    'daemonsets daemonsets/status deployments deployments/scale deployments/status ingresses ingresses/status networkpolicies replicasets replicasets/scale replicasets/status replicationcontrollers/scale',
  ),
  rule(READ, 'policy', 'poddisruptionbudgets poddisruptionbudgets/status'),
  rule(READ, 'networking.k8s.io', 'ingresses ingresses/status networkpolicies'),
];

const EDIT_RULES: Json[] = [
  rule(READ, '', 'pods/attach pods/exec pods/portforward pods/proxy secrets services/proxy'),
  rule(['impersonate'], '', 'serviceaccounts'),
  rule(WRITE, '', 'pods pods/attach pods/exec pods/portforward pods/proxy'),
  rule(['create'], '', 'pods/eviction'),
  rule(
    WRITE,
    '',
    'configmaps events persistentvolumeclaims replicationcontrollers replicationcontrollers/scale secrets serviceaccounts services services/proxy',
  ),
  rule(['create'], '', 'serviceaccounts/token'),
  rule(
    WRITE,
    'apps',
    'daemonsets deployments deployments/rollback deployments/scale replicasets replicasets/scale statefulsets statefulsets/scale',
  ),
  rule(WRITE, 'autoscaling', 'horizontalpodautoscalers'),
  rule(WRITE, 'batch', 'cronjobs jobs'),
  rule(
    WRITE,
    'extensions',
    'daemonsets deployments deployments/rollback deployments/scale ingresses networkpolicies replicasets replicasets/scale replicationcontrollers/scale',
  ),
  rule(WRITE, 'policy', 'poddisruptionbudgets'),
  rule(WRITE, 'networking.k8s.io', 'ingresses networkpolicies'),
  rule(READ_WRITE, 'coordination.k8s.io', 'leases'),
];

const ADMIN_RULES: Json[] = [
  rule(['create'], 'authorization.k8s.io', 'localsubjectaccessreviews'),
  rule(READ_WRITE, 'rbac.authorization.k8s.io', 'rolebindings roles'),
];

/** The ClusterRoles of a fresh cluster. `admin`, `edit`, `view` get their rules by aggregation. */
export const CLUSTER_ROLES: readonly RoleRow[] = [
  { name: 'cluster-admin', rules: [rule(['*'], '*', '*'), urls(['*'], '*')] },
  { name: 'admin', rules: [], labels: {}, aggregateFrom: ['admin'] },
  { name: 'edit', rules: [], labels: { [`${AGG}admin`]: 'true' }, aggregateFrom: ['edit'] },
  { name: 'view', rules: [], labels: { [`${AGG}edit`]: 'true' }, aggregateFrom: ['view'] },
  { name: 'system:aggregate-to-admin', rules: ADMIN_RULES, labels: { [`${AGG}admin`]: 'true' } },
  { name: 'system:aggregate-to-edit', rules: EDIT_RULES, labels: { [`${AGG}edit`]: 'true' } },
  { name: 'system:aggregate-to-view', rules: VIEW_RULES, labels: { [`${AGG}view`]: 'true' } },
  {
    name: 'system:discovery',
    rules: [
      urls(
        ['get'],
        '/api /api/* /apis /apis/* /healthz /livez /openapi /openapi/* /readyz /version /version/',
      ),
    ],
  },
  {
    name: 'system:basic-user',
    rules: [
      rule(['create'], 'authorization.k8s.io', 'selfsubjectaccessreviews selfsubjectrulesreviews'),
      rule(['create'], 'authentication.k8s.io', 'selfsubjectreviews'),
    ],
  },
  { name: 'system:public-info-viewer', rules: [urls(['get'], '/healthz /livez /readyz /version /version/')] },
  {
    name: 'system:monitoring',
    rules: [urls(['get'], '/healthz /healthz/* /livez /livez/* /metrics /readyz /readyz/*')],
  },
  {
    name: 'system:auth-delegator',
    rules: [
      rule(['create'], 'authentication.k8s.io', 'tokenreviews'),
      rule(['create'], 'authorization.k8s.io', 'subjectaccessreviews'),
    ],
  },
  {
    name: 'system:node',
    rules: [
      rule(['create'], 'authentication.k8s.io', 'tokenreviews'),
      rule(['create'], 'authorization.k8s.io', 'localsubjectaccessreviews subjectaccessreviews'),
      rule(READ, '', 'services'),
      rule(['create', 'get', 'list', 'watch'], '', 'nodes'),
      rule(['patch', 'update'], '', 'nodes/status'),
      rule(['patch', 'update'], '', 'nodes'),
      rule(['create', 'patch', 'update'], ['', 'events.k8s.io'], 'events'),
      rule(READ, '', 'pods'),
      rule(['create', 'delete'], '', 'pods'),
      rule(['patch', 'update'], '', 'pods/status'),
      rule(['create'], '', 'pods/eviction'),
      rule(['get'], '', 'configmaps secrets'),
      rule(['get'], '', 'persistentvolumeclaims persistentvolumes'),
      rule(['get'], '', 'endpoints'),
      rule(['create', 'delete', 'get', 'patch', 'update'], 'coordination.k8s.io', 'leases'),
      rule(['create'], '', 'serviceaccounts/token'),
    ],
  },
  {
    name: 'system:node-proxier',
    rules: [
      rule(['list', 'watch'], '', 'endpoints services'),
      rule(['get', 'list', 'watch'], '', 'nodes'),
      rule(['create', 'patch', 'update'], ['', 'events.k8s.io'], 'events'),
      rule(['list', 'watch'], 'discovery.k8s.io', 'endpointslices'),
    ],
  },
  {
    name: 'system:kube-scheduler',
    rules: [
      rule(['create', 'patch', 'update'], ['', 'events.k8s.io'], 'events'),
      rule(['create'], 'coordination.k8s.io', 'leases'),
      rule(['get', 'update'], 'coordination.k8s.io', 'leases'),
      rule(['delete', 'get', 'list', 'watch'], '', 'pods'),
      rule(['create'], '', 'bindings pods/binding'),
      rule(['patch', 'update'], '', 'pods/status'),
      rule(
        READ,
        '',
        'nodes namespaces persistentvolumeclaims persistentvolumes replicationcontrollers services',
      ),
      rule(READ, ['apps', 'extensions'], 'replicasets'),
      rule(READ, 'apps', 'statefulsets'),
      rule(READ, 'policy', 'poddisruptionbudgets'),
      rule(READ, 'storage.k8s.io', 'csidrivers csinodes csistoragecapacities storageclasses'),
    ],
  },
  {
    name: 'system:kube-controller-manager',
    rules: [
      rule(['create', 'patch', 'update'], ['', 'events.k8s.io'], 'events'),
      rule(['create'], 'coordination.k8s.io', 'leases'),
      rule(['get', 'update'], 'coordination.k8s.io', 'leases'),
      rule(['create'], '', 'secrets serviceaccounts'),
      rule(['delete', 'get', 'update'], '', 'secrets'),
      rule(['get'], '', 'configmaps namespaces serviceaccounts'),
      rule(['update'], '', 'serviceaccounts'),
      rule(['create'], 'authentication.k8s.io', 'tokenreviews'),
      rule(['create'], 'authorization.k8s.io', 'subjectaccessreviews'),
      rule(['list', 'watch'], '*', '*'),
      rule(['create'], '', 'serviceaccounts/token'),
    ],
  },
  { name: 'system:kube-dns', rules: [rule(['list', 'watch'], '', 'endpoints services')] },
  {
    name: 'system:persistent-volume-provisioner',
    rules: [
      rule(['create', 'delete', 'get', 'list', 'watch'], '', 'persistentvolumes'),
      rule(['get', 'list', 'update', 'watch'], '', 'persistentvolumeclaims'),
      rule(READ, 'storage.k8s.io', 'storageclasses'),
      rule(['create', 'list', 'patch', 'update', 'watch'], '', 'events'),
    ],
  },
  {
    name: 'system:node-bootstrapper',
    rules: [rule(['create', 'get', 'list', 'watch'], 'certificates.k8s.io', 'certificatesigningrequests')],
  },
  {
    name: 'system:controller:deployment-controller',
    rules: [
      rule(['get', 'list', 'update', 'watch'], ['apps', 'extensions'], 'deployments'),
      rule(['update'], ['apps', 'extensions'], 'deployments/finalizers deployments/status'),
      rule(
        ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
        ['apps', 'extensions'],
        'replicasets',
      ),
      rule(['get', 'list', 'update', 'watch'], '', 'pods'),
      rule(['create', 'patch', 'update'], ['', 'events.k8s.io'], 'events'),
    ],
  },
  {
    name: 'system:controller:replicaset-controller',
    rules: [
      rule(['get', 'list', 'update', 'watch'], ['apps', 'extensions'], 'replicasets'),
      rule(['update'], ['apps', 'extensions'], 'replicasets/finalizers replicasets/status'),
      rule(['create', 'delete', 'list', 'patch', 'watch'], '', 'pods'),
      rule(['create', 'patch', 'update'], ['', 'events.k8s.io'], 'events'),
    ],
  },
  {
    name: 'system:controller:daemon-set-controller',
    rules: [
      rule(READ, ['apps', 'extensions'], 'daemonsets'),
      rule(['update'], ['apps', 'extensions'], 'daemonsets/status daemonsets/finalizers'),
      rule(['list', 'watch'], '', 'nodes'),
      rule(['create', 'delete', 'list', 'patch', 'watch'], '', 'pods'),
      rule(['create'], '', 'pods/binding'),
      rule(['create', 'delete', 'list', 'patch', 'update', 'watch'], 'apps', 'controllerrevisions'),
      rule(['create', 'patch', 'update'], ['', 'events.k8s.io'], 'events'),
    ],
  },
  {
    name: 'system:controller:namespace-controller',
    rules: [
      rule(['delete', 'get', 'list', 'watch'], '', 'namespaces'),
      rule(['update'], '', 'namespaces/finalize namespaces/status'),
      rule(['delete', 'deletecollection', 'get', 'list'], '*', '*'),
    ],
  },
  {
    name: 'system:controller:service-account-controller',
    rules: [
      rule(['create'], '', 'serviceaccounts'),
      rule(['create', 'patch', 'update'], ['', 'events.k8s.io'], 'events'),
    ],
  },
  {
    name: 'system:controller:endpoint-controller',
    rules: [
      rule(['get', 'list', 'watch'], '', 'pods services'),
      rule(['create', 'delete', 'get', 'list', 'update'], '', 'endpoints'),
      rule(['create'], '', 'endpoints/restricted'),
      rule(['create', 'patch', 'update'], ['', 'events.k8s.io'], 'events'),
    ],
  },
  {
    name: 'system:controller:generic-garbage-collector',
    rules: [rule(['delete', 'get', 'list', 'patch', 'update', 'watch'], '*', '*')],
  },
  {
    name: 'system:coredns',
    addon: true,
    rules: [
      rule(['list', 'watch'], '', 'endpoints namespaces pods services'),
      rule(['list', 'watch'], 'discovery.k8s.io', 'endpointslices'),
    ],
  },
  {
    name: 'kubeadm:get-nodes',
    addon: true,
    rules: [rule(['get'], '', 'nodes')],
  },
  {
    name: 'weave-net',
    addon: true,
    labels: { name: 'weave-net' },
    rules: [
      rule(READ, '', 'pods namespaces nodes'),
      rule(READ, 'extensions', 'networkpolicies'),
      rule(READ, 'networking.k8s.io', 'networkpolicies'),
      rule(['patch', 'update'], '', 'nodes/status'),
    ],
  },
];

/** A binding row: name, the ClusterRole, subjects as `User:x`, `Group:x` or `ServiceAccount:ns/x`. */
export interface BindingRow {
  readonly name: string;
  readonly role: string;
  readonly subjects: readonly string[];
  readonly addon?: boolean;
  readonly labels?: Readonly<Record<string, string>>;
}

/** The ClusterRoleBindings of a fresh cluster. */
export const CLUSTER_ROLE_BINDINGS: readonly BindingRow[] = [
  { name: 'cluster-admin', role: 'cluster-admin', subjects: ['Group:system:masters'] },
  { name: 'system:discovery', role: 'system:discovery', subjects: ['Group:system:authenticated'] },
  { name: 'system:basic-user', role: 'system:basic-user', subjects: ['Group:system:authenticated'] },
  {
    name: 'system:public-info-viewer',
    role: 'system:public-info-viewer',
    subjects: ['Group:system:authenticated', 'Group:system:unauthenticated'],
  },
  { name: 'system:monitoring', role: 'system:monitoring', subjects: ['Group:system:monitoring'] },
  { name: 'system:node', role: 'system:node', subjects: [] },
  { name: 'system:node-proxier', role: 'system:node-proxier', subjects: ['User:system:kube-proxy'] },
  { name: 'system:kube-scheduler', role: 'system:kube-scheduler', subjects: ['User:system:kube-scheduler'] },
  {
    name: 'system:kube-controller-manager',
    role: 'system:kube-controller-manager',
    subjects: ['User:system:kube-controller-manager'],
  },
  { name: 'system:kube-dns', role: 'system:kube-dns', subjects: ['ServiceAccount:kube-system/kube-dns'] },
  ...(
    [
      'deployment-controller',
      'replicaset-controller',
      'daemon-set-controller',
      'namespace-controller',
      'service-account-controller',
      'endpoint-controller',
      'generic-garbage-collector',
    ] as const
  ).map(
    (c): BindingRow => ({
      name: `system:controller:${c}`,
      role: `system:controller:${c}`,
      subjects: [`ServiceAccount:kube-system/${c}`],
    }),
  ),
  {
    name: 'kubeadm:cluster-admins',
    role: 'cluster-admin',
    subjects: ['Group:kubeadm:cluster-admins'],
    addon: true,
  },
  {
    name: 'kubeadm:get-nodes',
    role: 'kubeadm:get-nodes',
    subjects: ['Group:system:bootstrappers:kubeadm:default-node-token'],
    addon: true,
  },
  {
    name: 'kubeadm:kubelet-bootstrap',
    role: 'system:node-bootstrapper',
    subjects: ['Group:system:bootstrappers:kubeadm:default-node-token'],
    addon: true,
  },
  {
    name: 'kubeadm:node-proxier',
    role: 'system:node-proxier',
    subjects: ['ServiceAccount:kube-system/kube-proxy'],
    addon: true,
  },
  {
    name: 'system:coredns',
    role: 'system:coredns',
    subjects: ['ServiceAccount:kube-system/coredns'],
    addon: true,
  },
  {
    name: 'weave-net',
    role: 'weave-net',
    subjects: ['ServiceAccount:kube-system/weave-net'],
    addon: true,
    labels: { name: 'weave-net' },
  },
];

/**
 * Deprecated and removed Kubernetes APIs, as data: the prerelease lifecycle of the beta (and a
 * few alpha) types Kubernetes' API types package declares, which Helm's lint reads through the
 * apiserver's `deprecation` package. The warning text is the apiserver's:
 * `extensions/v1beta1 Deployment is deprecated in v1.8+, unavailable in v1.16+; use apps/v1 Deployment`.
 */

/** A Kubernetes minor release, `[major, minor]`. */
export type KubeRelease = readonly [number, number];

/** One group/version whose kinds share a lifecycle. */
export interface ApiLifecycle {
  readonly apiVersion: string;
  readonly kinds: readonly string[];
  /** First release in which the kinds are deprecated. */
  readonly deprecated: KubeRelease;
  /** First release that no longer serves them. */
  readonly removed?: KubeRelease;
  /** The group/version to use instead (same kind names). */
  readonly replacement?: string;
}

/** Kinds without a `<Kind>List` type (subresources and review requests). */
const NO_LIST: ReadonlySet<string> = new Set([
  'DeploymentRollback',
  'Eviction',
  'JobTemplate',
  'LocalSubjectAccessReview',
  'Scale',
  'SelfSubjectAccessReview',
  'SelfSubjectReview',
  'SelfSubjectRulesReview',
  'SubjectAccessReview',
  'TokenReview',
]);

const RBAC_KINDS = ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'] as const;
const FLOW_KINDS = ['FlowSchema', 'PriorityLevelConfiguration'] as const;

/** The lifecycle table; `<Kind>List` kinds share their item kind's entry. */
// biome-ignore format: one row per group/version reads as a table
export const API_LIFECYCLES: readonly ApiLifecycle[] = [
  { apiVersion: 'extensions/v1beta1', kinds: ['DaemonSet', 'Deployment', 'ReplicaSet'], deprecated: [1, 8], removed: [1, 16], replacement: 'apps/v1' },
  { apiVersion: 'extensions/v1beta1', kinds: ['DeploymentRollback'], deprecated: [1, 8], removed: [1, 16] },
  { apiVersion: 'extensions/v1beta1', kinds: ['Ingress'], deprecated: [1, 14], removed: [1, 22], replacement: 'networking.k8s.io/v1' },
  { apiVersion: 'extensions/v1beta1', kinds: ['NetworkPolicy'], deprecated: [1, 9], removed: [1, 16], replacement: 'networking.k8s.io/v1' },
  { apiVersion: 'extensions/v1beta1', kinds: ['PodSecurityPolicy'], deprecated: [1, 11], removed: [1, 16], replacement: 'policy/v1beta1' },
  { apiVersion: 'extensions/v1beta1', kinds: ['Scale'], deprecated: [1, 2], removed: [1, 16] },
  { apiVersion: 'apps/v1beta1', kinds: ['ControllerRevision', 'Deployment', 'DeploymentRollback', 'StatefulSet'], deprecated: [1, 8], removed: [1, 18], replacement: 'apps/v1' },
  { apiVersion: 'apps/v1beta1', kinds: ['Scale'], deprecated: [1, 8], removed: [1, 18], replacement: 'autoscaling/v1' },
  { apiVersion: 'apps/v1beta2', kinds: ['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'], deprecated: [1, 9], removed: [1, 16], replacement: 'apps/v1' },
  { apiVersion: 'apps/v1beta2', kinds: ['Scale'], deprecated: [1, 9], removed: [1, 16], replacement: 'autoscaling/v1' },
  { apiVersion: 'policy/v1beta1', kinds: ['PodDisruptionBudget'], deprecated: [1, 21], removed: [1, 25], replacement: 'policy/v1' },
  { apiVersion: 'policy/v1beta1', kinds: ['PodSecurityPolicy'], deprecated: [1, 21], removed: [1, 25] },
  { apiVersion: 'policy/v1beta1', kinds: ['Eviction'], deprecated: [1, 22], removed: [1, 25], replacement: 'policy/v1' },
  { apiVersion: 'batch/v1beta1', kinds: ['CronJob'], deprecated: [1, 21], removed: [1, 25], replacement: 'batch/v1' },
  { apiVersion: 'batch/v1beta1', kinds: ['JobTemplate'], deprecated: [1, 22], removed: [1, 25] },
  { apiVersion: 'autoscaling/v2beta1', kinds: ['HorizontalPodAutoscaler'], deprecated: [1, 22], removed: [1, 25], replacement: 'autoscaling/v2' },
  { apiVersion: 'autoscaling/v2beta2', kinds: ['HorizontalPodAutoscaler'], deprecated: [1, 23], removed: [1, 26], replacement: 'autoscaling/v2' },
  { apiVersion: 'networking.k8s.io/v1beta1', kinds: ['Ingress', 'IngressClass'], deprecated: [1, 19], removed: [1, 22], replacement: 'networking.k8s.io/v1' },
  { apiVersion: 'networking.k8s.io/v1beta1', kinds: ['IPAddress', 'ServiceCIDR'], deprecated: [1, 34], removed: [1, 37], replacement: 'networking.k8s.io/v1' },
  { apiVersion: 'discovery.k8s.io/v1beta1', kinds: ['EndpointSlice'], deprecated: [1, 21], removed: [1, 25], replacement: 'discovery.k8s.io/v1' },
  { apiVersion: 'events.k8s.io/v1beta1', kinds: ['Event'], deprecated: [1, 22], removed: [1, 25], replacement: 'events.k8s.io/v1' },
  { apiVersion: 'node.k8s.io/v1beta1', kinds: ['RuntimeClass'], deprecated: [1, 22], removed: [1, 25], replacement: 'node.k8s.io/v1' },
  { apiVersion: 'admissionregistration.k8s.io/v1beta1', kinds: ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'], deprecated: [1, 16], removed: [1, 22], replacement: 'admissionregistration.k8s.io/v1' },
  { apiVersion: 'admissionregistration.k8s.io/v1beta1', kinds: ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'], deprecated: [1, 31], removed: [1, 34], replacement: 'admissionregistration.k8s.io/v1' },
  { apiVersion: 'authentication.k8s.io/v1beta1', kinds: ['TokenReview'], deprecated: [1, 19], removed: [1, 22], replacement: 'authentication.k8s.io/v1' },
  { apiVersion: 'authentication.k8s.io/v1beta1', kinds: ['SelfSubjectReview'], deprecated: [1, 30], removed: [1, 33], replacement: 'authentication.k8s.io/v1' },
  { apiVersion: 'authorization.k8s.io/v1beta1', kinds: ['LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview'], deprecated: [1, 19], removed: [1, 22], replacement: 'authorization.k8s.io/v1' },
  { apiVersion: 'certificates.k8s.io/v1beta1', kinds: ['CertificateSigningRequest'], deprecated: [1, 19], removed: [1, 22], replacement: 'certificates.k8s.io/v1' },
  { apiVersion: 'coordination.k8s.io/v1beta1', kinds: ['Lease'], deprecated: [1, 19], removed: [1, 22], replacement: 'coordination.k8s.io/v1' },
  { apiVersion: 'rbac.authorization.k8s.io/v1alpha1', kinds: RBAC_KINDS, deprecated: [1, 17], removed: [1, 22], replacement: 'rbac.authorization.k8s.io/v1' },
  { apiVersion: 'rbac.authorization.k8s.io/v1beta1', kinds: RBAC_KINDS, deprecated: [1, 17], removed: [1, 22], replacement: 'rbac.authorization.k8s.io/v1' },
  { apiVersion: 'scheduling.k8s.io/v1alpha1', kinds: ['PriorityClass'], deprecated: [1, 14], removed: [1, 17], replacement: 'scheduling.k8s.io/v1' },
  { apiVersion: 'scheduling.k8s.io/v1beta1', kinds: ['PriorityClass'], deprecated: [1, 14], removed: [1, 22], replacement: 'scheduling.k8s.io/v1' },
  { apiVersion: 'storage.k8s.io/v1beta1', kinds: ['CSIDriver', 'StorageClass', 'VolumeAttachment'], deprecated: [1, 19], removed: [1, 22], replacement: 'storage.k8s.io/v1' },
  { apiVersion: 'storage.k8s.io/v1beta1', kinds: ['CSINode'], deprecated: [1, 17], removed: [1, 22], replacement: 'storage.k8s.io/v1' },
  { apiVersion: 'storage.k8s.io/v1beta1', kinds: ['CSIStorageCapacity'], deprecated: [1, 24], removed: [1, 27], replacement: 'storage.k8s.io/v1' },
  { apiVersion: 'storage.k8s.io/v1beta1', kinds: ['VolumeAttributesClass'], deprecated: [1, 34], removed: [1, 37], replacement: 'storage.k8s.io/v1' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta1', kinds: FLOW_KINDS, deprecated: [1, 23], removed: [1, 26] },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2', kinds: FLOW_KINDS, deprecated: [1, 26], removed: [1, 29], replacement: 'flowcontrol.apiserver.k8s.io/v1beta3' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', kinds: FLOW_KINDS, deprecated: [1, 29], removed: [1, 32], replacement: 'flowcontrol.apiserver.k8s.io/v1' },
];

/** `apiVersion kind` → its lifecycle, with the `<Kind>List` kinds added. */
const INDEX: ReadonlyMap<string, ApiLifecycle> = (() => {
  const index = new Map<string, ApiLifecycle>();
  for (const entry of API_LIFECYCLES) {
    for (const kind of entry.kinds) {
      index.set(`${entry.apiVersion} ${kind}`, entry);
      if (!NO_LIST.has(kind)) index.set(`${entry.apiVersion} ${kind}List`, entry);
    }
  }
  return index;
})();

function atOrAfter(current: KubeRelease, release: KubeRelease): boolean {
  return current[0] > release[0] || (current[0] === release[0] && current[1] >= release[1]);
}

/**
 * The deprecation warning for `apiVersion`/`kind` on Kubernetes `kube` (`[major, minor]`), or
 * `undefined` when the API is not deprecated there (or not a known built-in API).
 */
export function deprecationWarning(apiVersion: string, kind: string, kube: KubeRelease): string | undefined {
  const entry = INDEX.get(`${apiVersion} ${kind}`);
  if (!entry || !atOrAfter(kube, entry.deprecated)) return undefined;
  let text = `${apiVersion} ${kind} is deprecated in v${entry.deprecated[0]}.${entry.deprecated[1]}+`;
  if (entry.removed) text += `, unavailable in v${entry.removed[0]}.${entry.removed[1]}+`;
  if (entry.replacement) text += `; use ${entry.replacement} ${kind}`;
  return text;
}

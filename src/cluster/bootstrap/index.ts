/**
 * The objects a fresh bosun cluster has, as data and small builders: the kubeadm-style cluster of
 * the training (node1 as tainted control plane, node2…nodeN as workers; kube-system's static
 * control-plane pods, CoreDNS, kube-proxy and weave-net; the `kubernetes` and `kube-dns`
 * Services; a `default` ServiceAccount with a token Secret in every namespace; the default
 * StorageClass; the bootstrap RBAC policy; the built-in PriorityClasses and the ConfigMaps the
 * API server and kubeadm publish).
 *
 * Everything is created through `ClusterApi`, so each object is defaulted and validated like a
 * user's; names, uids and tokens come from the cluster's seeded generator, so the same seed and
 * clock give the same cluster. `openCluster` (../cluster.ts) runs {@link bootstrapCluster} once,
 * in one transaction, when a cluster is first opened.
 *
 * ```ts
 * store.transaction(() => bootstrapCluster({ api, nodes: 3, end: now, setClock, draw }));
 * ```
 */

export { createServiceAccount, KUBE_SYSTEM_ACCOUNTS, serviceAccountToken } from './accounts.js';
export { COREFILE, corednsDeployment, kubeProxyDaemonSet, weaveNetDaemonSet } from './addons.js';
export {
  type BootstrapOptions,
  bootstrapCluster,
  checkNodeCount,
  TIMELINE,
  timelineSeconds,
} from './bootstrap.js';
export { NAMESPACES } from './cluster-objects.js';
export { type BootstrapContext, canonicalJson, templateHash } from './context.js';
export { CONTROL_PLANE_TAINT, nodeManifest } from './nodes.js';
export { qosClassOf } from './pods.js';
export { aggregatedRules } from './rbac.js';
export { ROLE_BINDINGS, ROLES } from './rbac-namespaced.js';
export { CLUSTER_ROLE_BINDINGS, CLUSTER_ROLES } from './rbac-roles.js';
export * from './topology.js';

/**
 * The fixed facts of a fresh bosun cluster: versions, images, address plan and names, as data.
 *
 * Address plan (all private, RFC 1918, and pairwise disjoint):
 * - nodes: 10.0.0.0/16, node N at 10.0.0.(10+N) (node1 = 10.0.0.11), like the cloud VPC subnet the
 *   training's VMs lived in (the low addresses of a subnet are the gateway's and the cloud's). It
 *   stays clear of the service CIDR (10.96.0.0/12), the pod CIDR (10.244.0.0/16), the simulated
 *   LoadBalancer pool (172.18.255.x), Docker's 172.17.0.0/16 and the 192.168.x.y of home networks,
 *   so an address printed by the simulation is never mistaken for one on the user's own network;
 * - pods: 10.244.0.0/16 (kubeadm's `--pod-network-cidr` in the training), node N owns
 *   10.244.(N-1).0/24 and its pods take .2, .3, … (host-local IPAM; .1 is the bridge);
 * - services: 10.96.0.0/12; `kubernetes` 10.96.0.1, `kube-dns` 10.96.0.10 (allocated by the API).
 */

/** The Kubernetes version the simulated cluster reports (kubelet, kube-proxy, control plane). */
export const KUBERNETES_VERSION = 'v1.34.5';

/** Images of the system pods, as kubeadm 1.34 pulls them. */
export const IMAGES = {
  etcd: 'registry.k8s.io/etcd:3.6.4-0',
  apiserver: `registry.k8s.io/kube-apiserver:${KUBERNETES_VERSION}`,
  controllerManager: `registry.k8s.io/kube-controller-manager:${KUBERNETES_VERSION}`,
  scheduler: `registry.k8s.io/kube-scheduler:${KUBERNETES_VERSION}`,
  proxy: `registry.k8s.io/kube-proxy:${KUBERNETES_VERSION}`,
  coredns: 'registry.k8s.io/coredns/coredns:v1.12.1',
  weaveKube: 'weaveworks/weave-kube:2.8.1',
  weaveNpc: 'weaveworks/weave-npc:2.8.1',
} as const;

/** What every node reports in `status.nodeInfo` (besides its ids). */
export const NODE_INFO = {
  architecture: 'amd64',
  containerRuntimeVersion: 'containerd://2.1.4',
  kernelVersion: '6.8.0-85-generic',
  kubeProxyVersion: '',
  kubeletVersion: KUBERNETES_VERSION,
  operatingSystem: 'linux',
  osImage: 'Ubuntu 24.04.3 LTS',
} as const;

/** A node's capacity (2 vCPU, ~4 GiB, a 40 GB disk) and what is left for pods. */
export const NODE_CAPACITY = {
  capacity: {
    cpu: '2',
    'ephemeral-storage': '40470732Ki',
    'hugepages-2Mi': '0',
    memory: '4030184Ki',
    pods: '110',
  },
  allocatable: {
    cpu: '2',
    'ephemeral-storage': '37297826550',
    'hugepages-2Mi': '0',
    memory: '3927784Ki',
    pods: '110',
  },
} as const;

/**
 * The most nodes a cluster may have: each takes one /24 of the pod network, 10.244.0.0/16 up to
 * 256 nodes (the training's `--pod-network-cidr`), carrying on into 10.245–10.247 beyond
 * (a /14, as large clusters configure it).
 */
export const MAX_NODES = 1024;

/** The default number of nodes (node1 as control plane, node2 and node3 as workers). */
export const DEFAULT_NODES = 3;

/** The cluster's DNS domain. */
export const CLUSTER_DOMAIN = 'cluster.local';
/** The service network (kubeadm's default). */
export const SERVICE_CIDR = '10.96.0.0/12';
/** The pod network (the training's `kubeadm init --pod-network-cidr`). */
export const POD_CIDR = '10.244.0.0/16';
/** The ClusterIP of `kube-dns`, which pods use as their resolver. */
export const DNS_SERVICE_IP = '10.96.0.10';
/** The API server's secure port on node1. */
export const API_SERVER_PORT = 6443;

/** The name of node `index` (1-based). */
export const nodeName = (index: number): string => `node${index}`;

/** The InternalIP of node `index` (1-based): 10.0.0.(10+index), carrying into the third octet. */
export function nodeIP(index: number): string {
  const offset = 10 + index;
  return `10.0.${Math.floor(offset / 256)}.${offset % 256}`;
}

/** `10.244.(index-1)` for the first 256 nodes, carrying into 10.245… beyond. */
const podPrefix = (index: number): string => `10.${244 + Math.floor((index - 1) / 256)}.${(index - 1) % 256}`;

/** The pod CIDR of node `index` (1-based). */
export const nodePodCIDR = (index: number): string => `${podPrefix(index)}.0/24`;

/** The `n`-th pod IP (1-based) of node `index`: host-local IPAM starts at .2. */
export const podIP = (index: number, n: number): string => `${podPrefix(index)}.${n + 1}`;

/** The API server's address, as kubeconfigs and the `kubernetes` Endpoints name it. */
export const apiServerURL = (): string => `https://${nodeIP(1)}:${API_SERVER_PORT}`;

/** PriorityClass values of the built-in classes. */
export const PRIORITY = {
  'system-node-critical': 2000001000,
  'system-cluster-critical': 2000000000,
} as const;

/** Labels Kubernetes puts on the objects it bootstraps itself. */
export const BOOTSTRAPPING_LABELS = { 'kubernetes.io/bootstrapping': 'rbac-defaults' } as const;
/** Annotations of auto-updated bootstrap RBAC objects. */
export const AUTOUPDATE_ANNOTATIONS = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } as const;

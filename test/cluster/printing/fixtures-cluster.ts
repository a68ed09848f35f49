/** Cluster-scoped objects of the seeds' kubeadm cluster, and the other namespaced kinds. */

import type { KubeObject } from '../../../src/cluster/printing/index.js';
import { ago, DAY, HOUR, MIN, meta, NOW, pod } from './fixture-builders.js';

function node(
  name: string,
  ip: string,
  opts: { controlPlane?: boolean; unschedulable?: boolean; ready?: string },
  now: number,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: meta(
      name,
      20 * DAY,
      {
        labels: {
          'kubernetes.io/arch': 'amd64',
          'kubernetes.io/hostname': name,
          'kubernetes.io/os': 'linux',
          ...(opts.controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
        },
        annotations: { 'node.alpha.kubernetes.io/ttl': '0' },
      },
      now,
    ),
    spec: {
      podCIDR: '10.244.0.0/24',
      ...(opts.controlPlane
        ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }
        : {}),
      ...(opts.unschedulable
        ? {
            unschedulable: true,
            taints: [
              { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: ago(HOUR, now) },
            ],
          }
        : {}),
    },
    status: {
      capacity: { cpu: '2', memory: '4030184Ki', pods: '110', 'ephemeral-storage': '40470732Ki' },
      allocatable: { cpu: '2', memory: '3927784Ki', pods: '110', 'ephemeral-storage': '37297826550' },
      conditions: [
        {
          type: 'MemoryPressure',
          status: 'False',
          reason: 'KubeletHasSufficientMemory',
          message: 'kubelet has sufficient memory available',
          lastHeartbeatTime: ago(MIN, now),
          lastTransitionTime: ago(20 * DAY, now),
        },
        {
          type: 'Ready',
          status: opts.ready ?? 'True',
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
          lastHeartbeatTime: ago(MIN, now),
          lastTransitionTime: ago(20 * DAY, now),
        },
      ],
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'Hostname', address: name },
      ],
      nodeInfo: {
        kubeletVersion: 'v1.34.5',
        kubeProxyVersion: 'v1.34.5',
        osImage: 'Ubuntu 22.04.4 LTS',
        kernelVersion: '5.15.0-105-generic',
        containerRuntimeVersion: 'containerd://1.7.13',
        operatingSystem: 'linux',
        architecture: 'amd64',
        machineID: `${name}-machine`,
        systemUUID: `${name}-uuid`,
        bootID: `${name}-boot`,
      },
    },
  };
}

/** A node as recent kubelets report it: `kubeProxyVersion` is no longer set. */
function withoutKubeProxyVersion(n: KubeObject): KubeObject {
  const info = { ...((n.status as KubeObject).nodeInfo as KubeObject) };
  delete info.kubeProxyVersion;
  return { ...n, status: { ...(n.status as KubeObject), nodeInfo: info } };
}

const ns = (name: string, seconds: number, now: number): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: meta(name, seconds, { labels: { 'kubernetes.io/metadata.name': name } }, now),
  spec: { finalizers: ['kubernetes'] },
  status: { phase: 'Active' },
});

/** Nodes, namespaces, storage classes, volumes, cluster RBAC, priority classes, a CRD. */
export function clusterObjects(now = NOW): KubeObject[] {
  return [
    node('node1', '192.168.0.11', { controlPlane: true }, now),
    withoutKubeProxyVersion(node('node2', '192.168.0.12', {}, now)),
    node('node3', '192.168.0.13', { unschedulable: true }, now),
    ns('default', 20 * DAY, now),
    ns('kube-system', 20 * DAY, now),
    ns('blue', 5 * MIN, now),
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: meta('compute', 5 * MIN, { namespace: 'blue' }, now),
      spec: { hard: { 'requests.cpu': '1', 'requests.memory': '1Gi', 'limits.memory': '2Gi', pods: '10' } },
      status: {
        hard: { 'requests.cpu': '1', 'requests.memory': '1Gi', 'limits.memory': '2Gi', pods: '10' },
        used: { 'requests.cpu': '250m', 'requests.memory': '128Mi', 'limits.memory': '0', pods: '2' },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: meta('limits', 5 * MIN, { namespace: 'blue' }, now),
      spec: {
        limits: [
          {
            type: 'Container',
            default: { memory: '512Mi' },
            defaultRequest: { memory: '256Mi' },
            max: { memory: '1Gi' },
          },
        ],
      },
    },
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: meta(
        'standard',
        20 * DAY,
        { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
        now,
      ),
      provisioner: 'rancher.io/local-path',
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
    },
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: meta('ssd-fast', 2 * DAY, {}, now),
      provisioner: 'kubernetes.io/gce-pd',
      parameters: { type: 'pd-ssd' },
      allowVolumeExpansion: true,
    },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: meta('pvc-7f9c4429-6777-11e8-080027c553e0', 2 * HOUR, {}, now),
      spec: {
        capacity: { storage: '5Gi' },
        accessModes: ['ReadWriteOnce'],
        persistentVolumeReclaimPolicy: 'Delete',
        storageClassName: 'standard',
        volumeMode: 'Filesystem',
        claimRef: { kind: 'PersistentVolumeClaim', namespace: 'default', name: 'data-db-0' },
        hostPath: { path: '/var/local-path-provisioner/pvc-7f9c4429' },
      },
      status: { phase: 'Bound' },
    },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: meta('my-volume', 3 * HOUR, { labels: { type: 'local' } }, now),
      spec: {
        capacity: { storage: '10Gi' },
        accessModes: ['ReadWriteOnce', 'ReadWriteMany'],
        persistentVolumeReclaimPolicy: 'Retain',
        volumeMode: 'Filesystem',
      },
      status: { phase: 'Available' },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: meta('view', 20 * DAY, { labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } }, now),
      rules: [{ apiGroups: [''], resources: ['pods', 'services'], verbs: ['get', 'list', 'watch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: meta('cluster-admin', 20 * DAY, {}, now),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' }],
    },
    {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: meta('system-cluster-critical', 20 * DAY, {}, now),
      value: 2000000000,
      description:
        'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
      preemptionPolicy: 'PreemptLowerPriority',
    },
    {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: meta('widgets.example.com', 3 * DAY, {}, now),
      spec: {
        group: 'example.com',
        names: { kind: 'Widget', plural: 'widgets' },
        scope: 'Namespaced',
        versions: [{ name: 'v1', served: true, storage: true }],
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: meta('traefik', 6 * DAY, {}, now),
      spec: { controller: 'traefik.io/ingress-controller' },
    },
  ];
}

/** kube-system's control plane as the seeds show it. */
export function kubeSystemNamespace(now = NOW): KubeObject[] {
  const sys = (name: string, node: string, labels: Record<string, string>) =>
    pod(
      name,
      20 * DAY,
      { ns: 'kube-system', node, labels, ip: '192.168.0.11', image: 'registry.k8s.io/pause:3.10' },
      now,
    );
  return [
    sys('etcd-node1', 'node1', { component: 'etcd', tier: 'control-plane' }),
    sys('kube-apiserver-node1', 'node1', { component: 'kube-apiserver', tier: 'control-plane' }),
    pod(
      'coredns-7db6d8ff4d-6nkvd',
      20 * DAY,
      { ns: 'kube-system', node: 'node1', labels: { 'k8s-app': 'kube-dns' }, ip: '10.244.0.2' },
      now,
    ),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(
        'kube-dns',
        20 * DAY,
        { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
        now,
      ),
      spec: {
        type: 'ClusterIP',
        selector: { 'k8s-app': 'kube-dns' },
        clusterIP: '10.96.0.10',
        clusterIPs: ['10.96.0.10'],
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
          { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
        ],
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: meta(
        'kube-proxy',
        20 * DAY,
        { namespace: 'kube-system', labels: { 'k8s-app': 'kube-proxy' } },
        now,
      ),
      spec: {
        selector: { matchLabels: { 'k8s-app': 'kube-proxy' } },
        template: {
          metadata: { labels: { 'k8s-app': 'kube-proxy' } },
          spec: {
            containers: [{ name: 'kube-proxy', image: 'registry.k8s.io/kube-proxy:v1.34.5' }],
            nodeSelector: { 'kubernetes.io/os': 'linux' },
          },
        },
      },
      status: {
        desiredNumberScheduled: 3,
        currentNumberScheduled: 3,
        numberReady: 3,
        updatedNumberScheduled: 3,
        numberAvailable: 3,
        numberMisscheduled: 0,
      },
    },
  ];
}

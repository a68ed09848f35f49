/**
 * The cluster-wide objects of a fresh cluster: namespaces, the built-in PriorityClasses, the
 * `kubernetes` and `kube-dns` Services with their Endpoints, the default StorageClass, and the
 * ConfigMaps the API server and kubeadm publish (cluster-info, kubeadm-config, kubelet-config,
 * extension-apiserver-authentication).
 */

import { type BootstrapContext, create, createConfigMap, type Json } from './context.js';
import {
  API_SERVER_PORT,
  apiServerURL,
  CLUSTER_DOMAIN,
  DNS_SERVICE_IP,
  KUBERNETES_VERSION,
  nodeIP,
  POD_CIDR,
  PRIORITY,
  SERVICE_CIDR,
} from './topology.js';

/** The namespaces of a kubeadm cluster, in the order the API server creates them. */
export const NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'] as const;

/** Creates the namespaces. */
export function createNamespaces(ctx: BootstrapContext): void {
  for (const name of NAMESPACES) {
    create(ctx, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, 'kube-apiserver');
  }
}

/** Creates the built-in PriorityClasses. */
export function createPriorityClasses(ctx: BootstrapContext): void {
  const descriptions: Record<keyof typeof PRIORITY, string> = {
    'system-node-critical': 'Used for system critical pods that must not be moved from their current node.',
    'system-cluster-critical':
      'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
  };
  for (const name of ['system-cluster-critical', 'system-node-critical'] as const) {
    create(
      ctx,
      {
        apiVersion: 'scheduling.k8s.io/v1',
        kind: 'PriorityClass',
        metadata: { name },
        value: PRIORITY[name],
        globalDefault: false,
        preemptionPolicy: 'PreemptLowerPriority',
        description: descriptions[name],
      },
      'kube-apiserver',
    );
  }
}

/** The `kubernetes` Service (10.96.0.1:443 → node1:6443) and its Endpoints. */
export function createKubernetesService(ctx: BootstrapContext): void {
  create(
    ctx,
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: { component: 'apiserver', provider: 'kubernetes' },
      },
      spec: {
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: API_SERVER_PORT }],
        type: 'ClusterIP',
      },
    },
    'kube-apiserver',
  );
  create(
    ctx,
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
      },
      subsets: [
        {
          addresses: [{ ip: nodeIP(1) }],
          ports: [{ name: 'https', port: API_SERVER_PORT, protocol: 'TCP' }],
        },
      ],
    },
    'kube-apiserver',
  );
}

const DNS_PORTS = [
  { name: 'dns', port: 53, protocol: 'UDP' },
  { name: 'dns-tcp', port: 53, protocol: 'TCP' },
  { name: 'metrics', port: 9153, protocol: 'TCP' },
];

/** The labels of the `kube-dns` Service and Endpoints. */
const KUBE_DNS_LABELS = {
  'k8s-app': 'kube-dns',
  'kubernetes.io/cluster-service': 'true',
  'kubernetes.io/name': 'CoreDNS',
};

/** The `kube-dns` Service (10.96.0.10) in kube-system, selecting the CoreDNS pods. */
export function createKubeDnsService(ctx: BootstrapContext): void {
  create(
    ctx,
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'kube-dns',
        namespace: 'kube-system',
        labels: KUBE_DNS_LABELS,
        annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
      },
      spec: {
        clusterIP: DNS_SERVICE_IP,
        ports: DNS_PORTS.map((p) => ({ ...p, targetPort: p.port })),
        selector: { 'k8s-app': 'kube-dns' },
        type: 'ClusterIP',
      },
    },
    'kubeadm',
  );
}

/** The `kube-dns` Endpoints: the CoreDNS pods, once Ready. */
export function createKubeDnsEndpoints(ctx: BootstrapContext, pods: readonly Json[]): void {
  const addresses = pods.map((pod) => {
    const meta = pod.metadata as Json;
    return {
      ip: (pod.status as Json).podIP,
      nodeName: (pod.spec as Json).nodeName,
      targetRef: { kind: 'Pod', name: meta.name, namespace: meta.namespace, uid: meta.uid },
    };
  });
  create(
    ctx,
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: {
        name: 'kube-dns',
        namespace: 'kube-system',
        labels: KUBE_DNS_LABELS,
      },
      subsets: [{ addresses, ports: DNS_PORTS }],
    },
    'kube-controller-manager',
  );
}

/** The default StorageClass `standard` (a local-path provisioner, bound when a pod needs it). */
export function createStorageClass(ctx: BootstrapContext): void {
  create(
    ctx,
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'rancher.io/local-path',
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: false,
    },
    'kubectl-client-side-apply',
  );
}

/** `cluster-info` in kube-public: the kubeconfig `kubeadm join` discovers the cluster with. */
export function createClusterInfo(ctx: BootstrapContext): void {
  const kubeconfig = [
    'apiVersion: v1',
    'clusters:',
    '- cluster:',
    `    certificate-authority-data: ${Buffer.from(ctx.caCert).toString('base64')}`,
    `    server: ${apiServerURL()}`,
    '  name: ""',
    'contexts: null',
    'current-context: ""',
    'kind: Config',
    'preferences: {}',
    'users: null',
    '',
  ].join('\n');
  createConfigMap(ctx, { name: 'cluster-info', namespace: 'kube-public' }, { kubeconfig }, 'kubeadm');
}

/** kubeadm's `kubeadm-config` and `kubelet-config` in kube-system. */
export function createKubeadmConfigMaps(ctx: BootstrapContext): void {
  const clusterConfiguration = [
    'apiServer: {}',
    'apiVersion: kubeadm.k8s.io/v1beta4',
    'caCertificateValidityPeriod: 87600h0m0s',
    'certificateValidityPeriod: 8760h0m0s',
    'certificatesDir: /etc/kubernetes/pki',
    'clusterName: kubernetes',
    `controlPlaneEndpoint: ${nodeIP(1)}:${API_SERVER_PORT}`,
    'controllerManager: {}',
    'dns: {}',
    'encryptionAlgorithm: RSA-2048',
    'etcd:',
    '  local:',
    '    dataDir: /var/lib/etcd',
    'imageRepository: registry.k8s.io',
    'kind: ClusterConfiguration',
    `kubernetesVersion: ${KUBERNETES_VERSION}`,
    'networking:',
    `  dnsDomain: ${CLUSTER_DOMAIN}`,
    `  podSubnet: ${POD_CIDR}`,
    `  serviceSubnet: ${SERVICE_CIDR}`,
    'proxy: {}',
    'scheduler: {}',
    '',
  ].join('\n');
  createConfigMap(
    ctx,
    { name: 'kubeadm-config', namespace: 'kube-system' },
    { ClusterConfiguration: clusterConfiguration },
    'kubeadm',
  );
  const kubelet = [
    'apiVersion: kubelet.config.k8s.io/v1beta1',
    'authentication:',
    '  anonymous:',
    '    enabled: false',
    '  webhook:',
    '    enabled: true',
    '  x509:',
    '    clientCAFile: /etc/kubernetes/pki/ca.crt',
    'authorization:',
    '  mode: Webhook',
    'cgroupDriver: systemd',
    'clusterDNS:',
    `- ${DNS_SERVICE_IP}`,
    `clusterDomain: ${CLUSTER_DOMAIN}`,
    'containerRuntimeEndpoint: ""',
    'kind: KubeletConfiguration',
    'rotateCertificates: true',
    'staticPodPath: /etc/kubernetes/manifests',
    '',
  ].join('\n');
  createConfigMap(ctx, { name: 'kubelet-config', namespace: 'kube-system' }, { kubelet }, 'kubeadm');
}

/** `extension-apiserver-authentication` in kube-system: the client CAs and request-header settings. */
export function createExtensionApiserverAuthentication(ctx: BootstrapContext, frontProxyCa: string): void {
  createConfigMap(
    ctx,
    { name: 'extension-apiserver-authentication', namespace: 'kube-system' },
    {
      'client-ca-file': ctx.caCert,
      'requestheader-allowed-names': '["front-proxy-client"]',
      'requestheader-client-ca-file': frontProxyCa,
      'requestheader-extra-headers-prefix': '["X-Remote-Extra-"]',
      'requestheader-group-headers': '["X-Remote-Group"]',
      'requestheader-username-headers': '["X-Remote-User"]',
    },
    'kube-apiserver',
  );
}

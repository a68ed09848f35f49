/**
 * node1's static control-plane pods, as the kubelet mirrors kubeadm's manifests into the API:
 * `etcd-node1`, `kube-apiserver-node1`, `kube-controller-manager-node1`, `kube-scheduler-node1`
 * (owned by the Node, host network, system-node-critical, Running and Ready).
 */

import { type BootstrapContext, type Json, metaOf } from './context.js';
import { hexDigest, startPod } from './pods.js';
import { API_SERVER_PORT, IMAGES, nodeIP, nodeName, POD_CIDR, PRIORITY, SERVICE_CIDR } from './topology.js';

/** One static pod: its component, image, command, cpu request, probe and host paths. */
interface StaticPodRow {
  readonly component: string;
  readonly image: string;
  readonly command: readonly string[];
  readonly cpu: string;
  readonly memory?: string;
  /** Liveness/readiness/startup probe: path, port, scheme, host. */
  readonly probe: { path: string; readyPath?: string; port: number; scheme: 'HTTP' | 'HTTPS'; host: string };
  /** name → [hostPath, mountPath, type, readOnly] */
  readonly volumes: Readonly<Record<string, readonly [string, string, string, boolean]>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

const PKI = '/etc/kubernetes/pki';
const certVolumes = {
  'ca-certs': ['/etc/ssl/certs', '/etc/ssl/certs', 'DirectoryOrCreate', true],
  'etc-ca-certificates': ['/etc/ca-certificates', '/etc/ca-certificates', 'DirectoryOrCreate', true],
  'k8s-certs': [PKI, PKI, 'DirectoryOrCreate', true],
  'usr-local-share-ca-certificates': [
    '/usr/local/share/ca-certificates',
    '/usr/local/share/ca-certificates',
    'DirectoryOrCreate',
    true,
  ],
  'usr-share-ca-certificates': [
    '/usr/share/ca-certificates',
    '/usr/share/ca-certificates',
    'DirectoryOrCreate',
    true,
  ],
} as const;

/** The static pods of the control plane, for a control-plane node at `ip`. */
export function staticPodRows(ip: string): StaticPodRow[] {
  return [
    {
      component: 'etcd',
      image: IMAGES.etcd,
      cpu: '100m',
      memory: '100Mi',
      command: [
        'etcd',
        `--advertise-client-urls=https://${ip}:2379`,
        `--cert-file=${PKI}/etcd/server.crt`,
        '--client-cert-auth=true',
        '--data-dir=/var/lib/etcd',
        '--feature-gates=InitialCorruptCheck=true',
        `--initial-advertise-peer-urls=https://${ip}:2380`,
        `--initial-cluster=${nodeName(1)}=https://${ip}:2380`,
        `--key-file=${PKI}/etcd/server.key`,
        `--listen-client-urls=https://127.0.0.1:2379,https://${ip}:2379`,
        '--listen-metrics-urls=http://127.0.0.1:2381',
        `--listen-peer-urls=https://${ip}:2380`,
        `--name=${nodeName(1)}`,
        `--peer-cert-file=${PKI}/etcd/peer.crt`,
        '--peer-client-cert-auth=true',
        `--peer-key-file=${PKI}/etcd/peer.key`,
        `--peer-trusted-ca-file=${PKI}/etcd/ca.crt`,
        '--snapshot-count=10000',
        `--trusted-ca-file=${PKI}/etcd/ca.crt`,
      ],
      probe: { path: '/livez', readyPath: '/readyz', port: 2381, scheme: 'HTTP', host: '127.0.0.1' },
      volumes: {
        'etcd-certs': [`${PKI}/etcd`, `${PKI}/etcd`, 'DirectoryOrCreate', false],
        'etcd-data': ['/var/lib/etcd', '/var/lib/etcd', 'DirectoryOrCreate', false],
      },
      annotations: { 'kubeadm.kubernetes.io/etcd.advertise-client-urls': `https://${ip}:2379` },
    },
    {
      component: 'kube-apiserver',
      image: IMAGES.apiserver,
      cpu: '250m',
      command: [
        'kube-apiserver',
        `--advertise-address=${ip}`,
        '--allow-privileged=true',
        '--authorization-mode=Node,RBAC',
        `--client-ca-file=${PKI}/ca.crt`,
        '--enable-admission-plugins=NodeRestriction',
        '--enable-bootstrap-token-auth=true',
        `--etcd-cafile=${PKI}/etcd/ca.crt`,
        `--etcd-certfile=${PKI}/apiserver-etcd-client.crt`,
        `--etcd-keyfile=${PKI}/apiserver-etcd-client.key`,
        '--etcd-servers=https://127.0.0.1:2379',
        `--kubelet-client-certificate=${PKI}/apiserver-kubelet-client.crt`,
        `--kubelet-client-key=${PKI}/apiserver-kubelet-client.key`,
        '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname',
        `--secure-port=${API_SERVER_PORT}`,
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        `--service-account-key-file=${PKI}/sa.pub`,
        `--service-account-signing-key-file=${PKI}/sa.key`,
        `--service-cluster-ip-range=${SERVICE_CIDR}`,
        '--service-node-port-range=30000-32767',
        `--tls-cert-file=${PKI}/apiserver.crt`,
        `--tls-private-key-file=${PKI}/apiserver.key`,
      ],
      probe: { path: '/livez', readyPath: '/readyz', port: API_SERVER_PORT, scheme: 'HTTPS', host: ip },
      volumes: certVolumes,
      annotations: {
        'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': `${ip}:${API_SERVER_PORT}`,
      },
    },
    {
      component: 'kube-controller-manager',
      image: IMAGES.controllerManager,
      cpu: '200m',
      command: [
        'kube-controller-manager',
        '--allocate-node-cidrs=true',
        '--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf',
        '--authorization-kubeconfig=/etc/kubernetes/controller-manager.conf',
        '--bind-address=127.0.0.1',
        `--client-ca-file=${PKI}/ca.crt`,
        `--cluster-cidr=${POD_CIDR}`,
        '--cluster-name=kubernetes',
        `--cluster-signing-cert-file=${PKI}/ca.crt`,
        `--cluster-signing-key-file=${PKI}/ca.key`,
        '--controllers=*,bootstrapsigner,tokencleaner',
        '--kubeconfig=/etc/kubernetes/controller-manager.conf',
        '--leader-elect=true',
        `--requestheader-client-ca-file=${PKI}/front-proxy-ca.crt`,
        `--root-ca-file=${PKI}/ca.crt`,
        `--service-account-private-key-file=${PKI}/sa.key`,
        `--service-cluster-ip-range=${SERVICE_CIDR}`,
        '--use-service-account-credentials=true',
      ],
      probe: { path: '/healthz', port: 10257, scheme: 'HTTPS', host: '127.0.0.1' },
      volumes: {
        ...certVolumes,
        'flexvolume-dir': [
          '/usr/libexec/kubernetes/kubelet-plugins/volume/exec',
          '/usr/libexec/kubernetes/kubelet-plugins/volume/exec',
          'DirectoryOrCreate',
          false,
        ],
        kubeconfig: [
          '/etc/kubernetes/controller-manager.conf',
          '/etc/kubernetes/controller-manager.conf',
          'FileOrCreate',
          true,
        ],
      },
    },
    {
      component: 'kube-scheduler',
      image: IMAGES.scheduler,
      cpu: '100m',
      command: [
        'kube-scheduler',
        '--authentication-kubeconfig=/etc/kubernetes/scheduler.conf',
        '--authorization-kubeconfig=/etc/kubernetes/scheduler.conf',
        '--bind-address=127.0.0.1',
        '--kubeconfig=/etc/kubernetes/scheduler.conf',
        '--leader-elect=true',
      ],
      probe: { path: '/livez', readyPath: '/readyz', port: 10259, scheme: 'HTTPS', host: '127.0.0.1' },
      volumes: {
        kubeconfig: [
          '/etc/kubernetes/scheduler.conf',
          '/etc/kubernetes/scheduler.conf',
          'FileOrCreate',
          true,
        ],
      },
    },
  ];
}

function probe(row: StaticPodRow, path: string, failureThreshold: number, initialDelaySeconds = 10): Json {
  const { port, scheme, host } = row.probe;
  return {
    failureThreshold,
    httpGet: { host, path, port, scheme },
    initialDelaySeconds,
    periodSeconds: 10,
    timeoutSeconds: 15,
  };
}

/** The mirror pod of a static pod row on node1. */
export function staticPodManifest(row: StaticPodRow, node: Json, seenAt: string): Json {
  const nodeMeta = metaOf(node);
  const hash = hexDigest(`${row.component}/${row.command.join(' ')}`, 32);
  const volumes = Object.entries(row.volumes).sort(([a], [b]) => (a < b ? -1 : 1));
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${row.component}-${String(nodeMeta.name)}`,
      namespace: 'kube-system',
      labels: { component: row.component, tier: 'control-plane' },
      annotations: {
        ...(row.annotations ?? {}),
        'kubernetes.io/config.hash': hash,
        'kubernetes.io/config.mirror': hash,
        'kubernetes.io/config.seen': seenAt.replace('Z', '.000000000Z'),
        'kubernetes.io/config.source': 'file',
      },
      ownerReferences: [
        { apiVersion: 'v1', kind: 'Node', name: nodeMeta.name, uid: nodeMeta.uid, controller: true },
      ],
    },
    spec: {
      containers: [
        {
          name: row.component,
          image: row.image,
          imagePullPolicy: 'IfNotPresent',
          command: [...row.command],
          livenessProbe: probe(row, row.probe.path, 8),
          ...(row.probe.readyPath ? { readinessProbe: probe(row, row.probe.readyPath, 3, 0) } : {}),
          startupProbe: probe(row, row.probe.path, 24),
          resources: { requests: { cpu: row.cpu, ...(row.memory ? { memory: row.memory } : {}) } },
          volumeMounts: volumes.map(([name, [, mountPath, , readOnly]]) => ({
            name,
            mountPath,
            ...(readOnly ? { readOnly: true } : {}),
          })),
        },
      ],
      hostNetwork: true,
      nodeName: nodeMeta.name,
      priority: PRIORITY['system-node-critical'],
      priorityClassName: 'system-node-critical',
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      tolerations: [{ effect: 'NoExecute', operator: 'Exists' }],
      volumes: volumes.map(([name, [path, , type]]) => ({ name, hostPath: { path, type } })),
    },
  };
}

/** Mirrors node1's static pods into the API, Running and Ready. */
export function createControlPlanePods(ctx: BootstrapContext, node1: Json): void {
  const ip = nodeIP(1);
  for (const row of staticPodRows(ip)) {
    startPod(
      ctx,
      staticPodManifest(row, node1, ctx.time()),
      { nodeIndex: 1, nodeName: nodeName(1), hostIP: ip, podIP: ip, startAfter: 0, readyAfter: 8 },
      'kubelet',
    );
  }
}

/**
 * The add-ons of the training's cluster, as kubeadm and the weave manifest install them:
 * CoreDNS (the `coredns` Deployment behind the `kube-dns` Service), kube-proxy and weave-net
 * (DaemonSets, one pod per node), with their ConfigMaps.
 */

import { type BootstrapContext, createConfigMap, type Json } from './context.js';
import { CONTROL_PLANE_TAINT } from './nodes.js';
import { CLUSTER_DOMAIN, IMAGES, POD_CIDR, PRIORITY } from './topology.js';

const LINUX = { 'kubernetes.io/os': 'linux' };

/** CoreDNS's configuration (kubeadm's Corefile). */
export const COREFILE = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes ${CLUSTER_DOMAIN} in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success ${CLUSTER_DOMAIN}
       disable denial ${CLUSTER_DOMAIN}
    }
    loop
    reload
    loadbalance
}
`;

/** kube-proxy's configuration (abridged KubeProxyConfiguration). */
export const KUBE_PROXY_CONFIG = `apiVersion: kubeproxy.config.k8s.io/v1alpha1
bindAddress: 0.0.0.0
clientConnection:
  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf
clusterCIDR: ${POD_CIDR}
healthzBindAddress: ""
kind: KubeProxyConfiguration
metricsBindAddress: ""
mode: iptables
`;

/** The ConfigMaps the add-ons read. */
export function createAddonConfigMaps(ctx: BootstrapContext, apiServer: string): void {
  createConfigMap(ctx, { name: 'coredns', namespace: 'kube-system' }, { Corefile: COREFILE }, 'kubeadm');
  const kubeconfig = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- cluster:',
    '    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
    `    server: ${apiServer}`,
    '  name: default',
    'contexts:',
    '- context:',
    '    cluster: default',
    '    namespace: default',
    '    user: default',
    '  name: default',
    'current-context: default',
    'users:',
    '- name: default',
    '  user:',
    '    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token',
    '',
  ].join('\n');
  createConfigMap(
    ctx,
    { name: 'kube-proxy', namespace: 'kube-system', labels: { app: 'kube-proxy' } },
    { 'config.conf': KUBE_PROXY_CONFIG, 'kubeconfig.conf': kubeconfig },
    'kubeadm',
  );
}

/** The `coredns` Deployment (two replicas, tolerating the control plane). */
export function corednsDeployment(): Json {
  const labels = { 'k8s-app': 'kube-dns' };
  const httpProbe = (path: string, port: number, extra: Json): Json => ({
    httpGet: { path, port, scheme: 'HTTP' },
    ...extra,
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'coredns', namespace: 'kube-system', labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { labels },
        spec: {
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                {
                  weight: 100,
                  podAffinityTerm: {
                    labelSelector: {
                      matchExpressions: [{ key: 'k8s-app', operator: 'In', values: ['kube-dns'] }],
                    },
                    topologyKey: 'kubernetes.io/hostname',
                  },
                },
              ],
            },
          },
          containers: [
            {
              name: 'coredns',
              image: IMAGES.coredns,
              imagePullPolicy: 'IfNotPresent',
              args: ['-conf', '/etc/coredns/Corefile'],
              ports: [
                { name: 'dns', containerPort: 53, protocol: 'UDP' },
                { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
                { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
                { name: 'liveness-probe', containerPort: 8080, protocol: 'TCP' },
                { name: 'readiness-probe', containerPort: 8181, protocol: 'TCP' },
              ],
              resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
              livenessProbe: httpProbe('/health', 8080, {
                initialDelaySeconds: 60,
                timeoutSeconds: 5,
                successThreshold: 1,
                failureThreshold: 5,
              }),
              readinessProbe: httpProbe('/ready', 8181, {}),
              securityContext: {
                allowPrivilegeEscalation: false,
                capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
                readOnlyRootFilesystem: true,
              },
              volumeMounts: [{ name: 'config-volume', mountPath: '/etc/coredns', readOnly: true }],
            },
          ],
          dnsPolicy: 'Default',
          nodeSelector: LINUX,
          priorityClassName: 'system-cluster-critical',
          priority: PRIORITY['system-cluster-critical'],
          serviceAccountName: 'coredns',
          tolerations: [
            { key: 'CriticalAddonsOnly', operator: 'Exists' },
            CONTROL_PLANE_TAINT,
            // The training's clusters tainted the control plane `…/master` (before Kubernetes 1.24),
            // and its exercise looks for this toleration on CoreDNS.
            { key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' },
          ],
          volumes: [
            {
              name: 'config-volume',
              configMap: { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }] },
            },
          ],
        },
      },
    },
  };
}

/** The `kube-proxy` DaemonSet (tolerates every taint: `operator: Exists`). */
export function kubeProxyDaemonSet(): Json {
  const labels = { 'k8s-app': 'kube-proxy' };
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'kube-proxy', namespace: 'kube-system', labels },
    spec: {
      selector: { matchLabels: labels },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'kube-proxy',
              image: IMAGES.proxy,
              imagePullPolicy: 'IfNotPresent',
              command: [
                '/usr/local/bin/kube-proxy',
                '--config=/var/lib/kube-proxy/config.conf',
                '--hostname-override=$(NODE_NAME)',
              ],
              env: [
                {
                  name: 'NODE_NAME',
                  valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } },
                },
              ],
              securityContext: { privileged: true },
              volumeMounts: [
                { name: 'kube-proxy', mountPath: '/var/lib/kube-proxy' },
                { name: 'xtables-lock', mountPath: '/run/xtables.lock' },
                { name: 'lib-modules', mountPath: '/lib/modules', readOnly: true },
              ],
            },
          ],
          hostNetwork: true,
          nodeSelector: LINUX,
          priorityClassName: 'system-node-critical',
          priority: PRIORITY['system-node-critical'],
          serviceAccountName: 'kube-proxy',
          tolerations: [{ operator: 'Exists' }],
          volumes: [
            { name: 'kube-proxy', configMap: { name: 'kube-proxy' } },
            { name: 'xtables-lock', hostPath: { path: '/run/xtables.lock', type: 'FileOrCreate' } },
            { name: 'lib-modules', hostPath: { path: '/lib/modules', type: '' } },
          ],
        },
      },
    },
  };
}

/** The `weave-net` DaemonSet of the weave manifest (weave and weave-npc containers). */
export function weaveNetDaemonSet(): Json {
  const labels = { name: 'weave-net' };
  const hostPath = (name: string, path: string, type = ''): Json => ({ name, hostPath: { path, type } });
  const env = (name: string, fieldPath: string): Json => ({
    name,
    valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } },
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'weave-net', namespace: 'kube-system', labels },
    spec: {
      minReadySeconds: 5,
      selector: { matchLabels: labels },
      updateStrategy: { type: 'RollingUpdate' },
      template: {
        metadata: { labels },
        spec: {
          initContainers: [
            {
              name: 'weave-init',
              image: IMAGES.weaveKube,
              command: ['/home/weave/init.sh'],
              securityContext: { privileged: true },
              volumeMounts: [
                { name: 'cni-bin', mountPath: '/host/opt' },
                { name: 'cni-bin2', mountPath: '/host/home' },
                { name: 'cni-conf', mountPath: '/host/etc' },
                { name: 'lib-modules', mountPath: '/lib/modules' },
                { name: 'xtables-lock', mountPath: '/run/xtables.lock' },
              ],
            },
          ],
          containers: [
            {
              name: 'weave',
              image: IMAGES.weaveKube,
              command: ['/home/weave/launch.sh'],
              env: [
                { name: 'INIT_CONTAINER', value: 'true' },
                { name: 'IPALLOC_RANGE', value: POD_CIDR },
                env('HOSTNAME', 'spec.nodeName'),
              ],
              readinessProbe: { httpGet: { host: '127.0.0.1', path: '/status', port: 6784 } },
              resources: { requests: { cpu: '50m' } },
              securityContext: { privileged: true },
              volumeMounts: [
                { name: 'weavedb', mountPath: '/weavedb' },
                { name: 'dbus', mountPath: '/host/var/lib/dbus', readOnly: true },
                { name: 'machine-id', mountPath: '/host/etc/machine-id', readOnly: true },
                { name: 'xtables-lock', mountPath: '/run/xtables.lock' },
              ],
            },
            {
              name: 'weave-npc',
              image: IMAGES.weaveNpc,
              env: [env('HOSTNAME', 'spec.nodeName')],
              resources: { requests: { cpu: '50m' } },
              securityContext: { privileged: true },
              volumeMounts: [{ name: 'xtables-lock', mountPath: '/run/xtables.lock' }],
            },
          ],
          dnsPolicy: 'ClusterFirstWithHostNet',
          hostNetwork: true,
          hostPID: false,
          priorityClassName: 'system-node-critical',
          priority: PRIORITY['system-node-critical'],
          securityContext: { seLinuxOptions: {} },
          serviceAccountName: 'weave-net',
          tolerations: [
            { effect: 'NoSchedule', operator: 'Exists' },
            { effect: 'NoExecute', operator: 'Exists' },
          ],
          volumes: [
            hostPath('weavedb', '/var/lib/weave'),
            hostPath('cni-bin', '/opt'),
            hostPath('cni-bin2', '/home'),
            hostPath('cni-conf', '/etc'),
            hostPath('cni-net-d', '/etc/cni/net.d', 'DirectoryOrCreate'),
            hostPath('dbus', '/var/lib/dbus'),
            hostPath('lib-modules', '/lib/modules'),
            hostPath('machine-id', '/etc/machine-id', 'FileOrCreate'),
            hostPath('xtables-lock', '/run/xtables.lock', 'FileOrCreate'),
          ],
        },
      },
    },
  };
}

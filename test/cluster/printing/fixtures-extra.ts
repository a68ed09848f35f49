/** The other namespaced kinds, in `default` unless named otherwise. */

import type { KubeObject } from '../../../src/cluster/printing/index.js';
import { ago, DAY, HOUR, MIN, meta, NOW } from './fixture-builders.js';

const md = (name: string, seconds: number, now: number, extra: Record<string, unknown> = {}) =>
  meta(name, seconds, { namespace: 'default', ...extra }, now);

const template = (app: string, image: string): KubeObject => ({
  metadata: { labels: { app } },
  spec: { containers: [{ name: app, image }] },
});

/** Services of every type, workloads, storage, config, policy and RBAC objects. */
export function extraObjects(now = NOW): KubeObject[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: md('kube-root-ca.crt', 20 * DAY, now),
      data: { 'ca.crt': '-----BEGIN CERTIFICATE-----\n' },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: md('haproxy', 2 * HOUR, now),
      data: { 'haproxy.cfg': 'global\n  daemon\n', mode: 'http' },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: md('default-token-x7k2p', 20 * DAY, now, {
        annotations: { 'kubernetes.io/service-account.name': 'default' },
      }),
      type: 'kubernetes.io/service-account-token',
      data: { 'ca.crt': 'LS0t', namespace: 'ZGVmYXVsdA==', token: 'ZXlKaGJHY2lPaUpT' },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: md('postgres', 1 * HOUR, now),
      type: 'Opaque',
      data: { password: 'czNjcjN0' },
    },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: md('default', 20 * DAY, now),
      secrets: [{ name: 'default-token-x7k2p' }],
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: md('viewer', 5 * MIN, now) },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: md('lb', 1 * HOUR, now),
      spec: {
        type: 'LoadBalancer',
        selector: { app: 'web' },
        clusterIP: '10.104.7.21',
        clusterIPs: ['10.104.7.21'],
        ports: [
          { name: 'http', port: 80, protocol: 'TCP', targetPort: 80, nodePort: 31234 },
          { name: 'https', port: 443, protocol: 'TCP', targetPort: 443, nodePort: 31235 },
        ],
      },
      status: { loadBalancer: { ingress: [{ ip: '203.0.113.10', ipMode: 'VIP' }] } },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: md('my-db-service', 1 * HOUR, now),
      spec: {
        type: 'ClusterIP',
        clusterIP: 'None',
        clusterIPs: ['None'],
        selector: { app: 'db' },
        ports: [{ port: 27017, protocol: 'TCP', targetPort: 27017 }],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: md('ext', 1 * HOUR, now),
      spec: { type: 'ExternalName', externalName: 'db.example.com' },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: md('rng', 9, now, { labels: { app: 'rng' } }),
      spec: { selector: { matchLabels: { app: 'rng' } }, template: template('rng', 'dockercoins/rng:v0.1') },
      status: {
        desiredNumberScheduled: 2,
        currentNumberScheduled: 2,
        numberReady: 2,
        updatedNumberScheduled: 2,
        numberAvailable: 2,
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: md('db', 2 * HOUR, now, { labels: { app: 'db' } }),
      spec: {
        replicas: 3,
        serviceName: 'my-db-service',
        selector: { matchLabels: { app: 'db' } },
        template: template('db', 'mongo:7'),
      },
      status: { replicas: 3, readyReplicas: 2, currentReplicas: 3, updatedReplicas: 3 },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: md('pi', 40 * MIN, now),
      spec: {
        completions: 1,
        parallelism: 1,
        selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'uid-pi' } },
        template: template('pi', 'perl:5.34'),
      },
      status: {
        startTime: ago(40 * MIN, now),
        completionTime: ago(40 * MIN - 75, now),
        succeeded: 1,
        conditions: [{ type: 'Complete', status: 'True' }],
      },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: md('hello-28571460', 3 * MIN, now),
      spec: {
        parallelism: 2,
        selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'uid-hello' } },
        template: template('hello', 'busybox:1.36'),
      },
      status: { startTime: ago(3 * MIN, now), active: 1 },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: md('hello', 2 * DAY + 5 * HOUR, now),
      spec: {
        schedule: '*/1 * * * *',
        suspend: false,
        jobTemplate: { spec: { template: template('hello', 'busybox:1.36') } },
      },
      status: {
        lastScheduleTime: ago(3 * MIN, now),
        active: [{ kind: 'Job', name: 'hello-28571460', namespace: 'default' }],
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: md('web', 25 * MIN, now),
      spec: {
        ingressClassName: 'traefik',
        rules: [
          {
            host: 'cheddar.1.2.3.4.nip.io',
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: 'cheddar', port: { number: 80 } } },
                },
              ],
            },
          },
          {
            host: 'stilton.1.2.3.4.nip.io',
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: 'stilton', port: { number: 80 } } },
                },
              ],
            },
          },
        ],
      },
      status: { loadBalancer: { ingress: [{ ip: '192.168.0.12' }] } },
    },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: md('data-db-0', 2 * HOUR, now, { labels: { app: 'db' } }),
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '5Gi' } },
        storageClassName: 'standard',
        volumeMode: 'Filesystem',
        volumeName: 'pvc-7f9c4429-6777-11e8-080027c553e0',
      },
      status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '5Gi' } },
    },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: md('my-volume-claim', 4 * MIN, now),
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '10Gi' } },
        storageClassName: 'ssd-fast',
        volumeMode: 'Filesystem',
      },
      status: { phase: 'Pending' },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: md('deny-all-for-testweb', 30 * MIN, now),
      spec: { podSelector: { matchLabels: { run: 'testweb' } }, ingress: [], policyTypes: ['Ingress'] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: md('deny-from-other-namespaces', 30 * MIN, now),
      spec: { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }], policyTypes: ['Ingress'] },
    },
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: md('web', 8 * MIN, now),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 1,
        maxReplicas: 10,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
          },
        ],
      },
      status: {
        currentReplicas: 3,
        desiredReplicas: 3,
        currentMetrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', current: { averageUtilization: 12, averageValue: '12m' } },
          },
        ],
      },
    },
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: md('web-pdb', 8 * MIN, now),
      spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } },
      status: { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: md('pod-reader', 15 * MIN, now),
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'watch', 'list'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: md('viewercanview', 5 * MIN, now),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [
        { kind: 'ServiceAccount', name: 'viewer', namespace: 'default' },
        { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'default:viewer' },
      ],
    },
    {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: md('web-leader', 40 * MIN, now),
      spec: { holderIdentity: 'web-7c5ddbdf54-x2lzk', leaseDurationSeconds: 15 },
    },
    {
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: md('legacy', 3 * DAY, now),
      spec: { replicas: 2, selector: { app: 'legacy' }, template: template('legacy', 'nginx:1.25') },
      status: { replicas: 2, readyReplicas: 1 },
    },
    {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: md('sprocket', 7 * MIN, now, { labels: { tier: 'gold' } }),
      spec: { size: 3, color: 'blue' },
      status: { ready: true },
    },
    {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: md('cog', 1 * MIN, now),
      spec: { color: 'red' },
    },
    { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: md('gizmo', 90, now), spec: {} },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: md('web-abc12', 10 * MIN, now, { labels: { 'kubernetes.io/service-name': 'web' } }),
      addressType: 'IPv4',
      ports: [{ name: '', port: 80, protocol: 'TCP' }],
      endpoints: ['10.244.1.5', '10.244.1.6', '10.244.2.7', '10.244.2.8'].map((ip) => ({
        addresses: [ip],
        conditions: { ready: true },
      })),
    },
    {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: md('web-7c5ddbdf54-8kq9v.17c2', 10 * MIN, now),
      involvedObject: {
        kind: 'Pod',
        namespace: 'default',
        name: 'web-7c5ddbdf54-8kq9v',
        uid: 'uid-web-7c5ddbdf54-8kq9v',
        apiVersion: 'v1',
        fieldPath: 'spec.containers{main}',
      },
      reason: 'BackOff',
      message:
        'Back-off restarting failed container main in pod web-7c5ddbdf54-8kq9v_default(uid-web-7c5ddbdf54-8kq9v)',
      source: { component: 'kubelet', host: 'node3' },
      firstTimestamp: ago(8 * MIN, now),
      lastTimestamp: ago(5 * MIN, now),
      count: 3,
      type: 'Warning',
    },
  ];
}

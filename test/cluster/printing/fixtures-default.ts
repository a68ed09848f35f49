/** The `default` namespace of the seeds' cluster: the `web` Deployment, its ReplicaSet and pods, services. */

import type { KubeObject } from '../../../src/cluster/printing/index.js';
import { ago, DAY, MIN, meta, NOW, pod, running } from './fixture-builders.js';

/** A pod spec using most of what describe prints: resources, probes, env, mounts, volumes, tolerations. */
export function richSpec(): KubeObject {
  return {
    containers: [
      {
        name: 'main',
        image: 'nginx:1.25',
        command: ['nginx', '-g', 'daemon off;'],
        ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
        env: [
          { name: 'MODE', value: 'production' },
          {
            name: 'REGISTRY_HTTP_ADDR',
            valueFrom: { configMapKeyRef: { name: 'registry', key: 'http.addr' } },
          },
          { name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'postgres', key: 'password' } } },
          {
            name: 'MY_POD_NAMESPACE',
            valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } },
          },
        ],
        resources: { limits: { memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
        livenessProbe: {
          httpGet: { path: '/', port: 80, scheme: 'HTTP' },
          initialDelaySeconds: 10,
          timeoutSeconds: 1,
          periodSeconds: 1,
          successThreshold: 1,
          failureThreshold: 3,
        },
        readinessProbe: {
          exec: { command: ['redis-cli', 'ping'] },
          timeoutSeconds: 1,
          periodSeconds: 10,
          successThreshold: 1,
          failureThreshold: 3,
        },
        volumeMounts: [
          { name: 'config', mountPath: '/etc/config' },
          {
            name: 'kube-api-access-x7k2p',
            mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
            readOnly: true,
          },
          { name: 'www', mountPath: '/usr/share/nginx/html', subPath: 'html' },
        ],
      },
    ],
    volumes: [
      { name: 'config', configMap: { name: 'my-configmap', defaultMode: 420 } },
      { name: 'www', emptyDir: {} },
      { name: 'data', persistentVolumeClaim: { claimName: 'data-db-0' } },
      { name: 'secret', secret: { secretName: 'postgres', defaultMode: 420 } },
      {
        name: 'kube-api-access-x7k2p',
        projected: {
          defaultMode: 420,
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            {
              downwardAPI: {
                items: [
                  { path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } },
                ],
              },
            },
          ],
        },
      },
    ],
    nodeName: 'node3',
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    restartPolicy: 'Always',
    serviceAccountName: 'default',
    priority: 0,
    tolerations: [
      {
        key: 'node.kubernetes.io/not-ready',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
      {
        key: 'node.kubernetes.io/unreachable',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
    ],
  };
}

/** The core `default` namespace of the seeds' cluster at `now`. */
export function defaultNamespace(now = NOW): KubeObject[] {
  const webSelector = { matchLabels: { app: 'web' } };
  const rsLabels = { app: 'web', 'pod-template-hash': '7c5ddbdf54' };
  const template = {
    metadata: { labels: { app: 'web' } },
    spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] },
  };
  const owner = {
    metadata: {
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'web-7c5ddbdf54',
          uid: 'uid-web-7c5ddbdf54',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
  };
  const restarted = pod(
    'web-7c5ddbdf54-8kq9v',
    10 * MIN,
    { labels: rsLabels, node: 'node3', ip: '10.244.2.7', ...owner, spec: richSpec() },
    now,
  );
  (restarted.metadata as KubeObject).annotations = {
    'kubectl.kubernetes.io/restartedAt': '2024-05-01T11:50:00Z',
  };
  (restarted.status as KubeObject).qosClass = 'Burstable';
  (restarted.status as KubeObject).hostIP = '192.168.0.13';
  (restarted.status as KubeObject).containerStatuses = [
    {
      ...running('main', 'nginx:1.25', 5 * MIN, now, 2),
      lastState: {
        terminated: {
          exitCode: 1,
          reason: 'Error',
          startedAt: ago(7 * MIN, now),
          finishedAt: ago(5 * MIN, now),
        },
      },
    },
  ];
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(
        'web',
        10 * MIN,
        {
          namespace: 'default',
          labels: { app: 'web' },
          generation: 1,
          annotations: { 'deployment.kubernetes.io/revision': '1' },
        },
        now,
      ),
      spec: {
        replicas: 3,
        selector: webSelector,
        template,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      },
      status: {
        observedGeneration: 1,
        replicas: 3,
        updatedReplicas: 3,
        readyReplicas: 3,
        availableReplicas: 3,
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: meta(
        'web-7c5ddbdf54',
        10 * MIN,
        {
          namespace: 'default',
          labels: rsLabels,
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name: 'web',
              uid: 'uid-web',
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        now,
      ),
      spec: {
        replicas: 3,
        selector: { matchLabels: rsLabels },
        template: { ...template, metadata: { labels: rsLabels } },
      },
      status: {
        replicas: 3,
        fullyLabeledReplicas: 3,
        readyReplicas: 3,
        availableReplicas: 3,
        observedGeneration: 1,
      },
    },
    pod(
      'web-7c5ddbdf54-x2lzk',
      10 * MIN,
      { labels: rsLabels, node: 'node2', ip: '10.244.1.5', ...owner },
      now,
    ),
    restarted,
    pod(
      'web-7c5ddbdf54-zt6gd',
      10 * MIN,
      { labels: rsLabels, node: 'node2', ip: '10.244.1.6', ...owner },
      now,
    ),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(
        'kubernetes',
        20 * DAY,
        { namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
        now,
      ),
      spec: {
        type: 'ClusterIP',
        clusterIP: '10.96.0.1',
        clusterIPs: ['10.96.0.1'],
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
        sessionAffinity: 'None',
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta('web', 10 * MIN, { namespace: 'default', labels: { app: 'web' } }, now),
      spec: {
        type: 'NodePort',
        selector: { app: 'web' },
        clusterIP: '10.101.101.139',
        clusterIPs: ['10.101.101.139'],
        ports: [{ port: 80, protocol: 'TCP', targetPort: 80, nodePort: 30080 }],
        sessionAffinity: 'None',
        externalTrafficPolicy: 'Cluster',
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: meta('web', 10 * MIN, { namespace: 'default', labels: { app: 'web' } }, now),
      subsets: [
        {
          addresses: [
            {
              ip: '10.244.1.5',
              nodeName: 'node2',
              targetRef: { kind: 'Pod', name: 'web-7c5ddbdf54-x2lzk', namespace: 'default' },
            },
            {
              ip: '10.244.1.6',
              nodeName: 'node2',
              targetRef: { kind: 'Pod', name: 'web-7c5ddbdf54-zt6gd', namespace: 'default' },
            },
            {
              ip: '10.244.2.7',
              nodeName: 'node3',
              targetRef: { kind: 'Pod', name: 'web-7c5ddbdf54-8kq9v', namespace: 'default' },
            },
          ],
          ports: [{ port: 80, protocol: 'TCP' }],
        },
      ],
    },
    {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: meta('web.17c1', 10 * MIN, { namespace: 'default' }, now),
      involvedObject: {
        kind: 'Deployment',
        namespace: 'default',
        name: 'web',
        uid: 'uid-web',
        apiVersion: 'apps/v1',
      },
      reason: 'ScalingReplicaSet',
      message: 'Scaled up replica set web-7c5ddbdf54 from 0 to 3',
      source: { component: 'deployment-controller' },
      firstTimestamp: ago(10 * MIN, now),
      lastTimestamp: ago(10 * MIN, now),
      count: 1,
      type: 'Normal',
    },
  ];
}

/** `kubectl describe` of a pod and of a deployment with their events, and how related objects are picked. */

import { expect, it, describe as suite } from 'vitest';
import { describe, eventsFor, hasDescriber, type KubeObject } from '../../../src/cluster/printing/index.js';
import { ago, allObjects, fixture, NOW } from './fixtures.js';

const objects = allObjects(NOW);
const events = objects.filter((o) => o.kind === 'Event');

const POD = `Name:             web-7c5ddbdf54-8kq9v
Namespace:        default
Priority:         0
Service Account:  default
Node:             node3/192.168.0.13
Start Time:       Wed, 01 May 2024 11:50:00 +0000
Labels:           app=web
                  pod-template-hash=7c5ddbdf54
Annotations:      kubectl.kubernetes.io/restartedAt: 2024-05-01T11:50:00Z
Status:           Running
IP:               10.244.2.7
IPs:
  IP:           10.244.2.7
Controlled By:  ReplicaSet/web-7c5ddbdf54
Containers:
  main:
    Container ID:  containerd://main0123456789
    Image:         nginx:1.25
    Image ID:      docker.io/library/nginx:1.25@sha256:0f1e2d3c
    Port:          80/TCP (http)
    Host Port:     0/TCP (http)
    Command:
      nginx
      -g
      daemon off;
    State:          Running
      Started:      Wed, 01 May 2024 11:55:00 +0000
    Last State:     Terminated
      Reason:       Error
      Exit Code:    1
      Started:      Wed, 01 May 2024 11:53:00 +0000
      Finished:     Wed, 01 May 2024 11:55:00 +0000
    Ready:          True
    Restart Count:  2
    Limits:
      memory:  256Mi
    Requests:
      cpu:      100m
      memory:   128Mi
    Liveness:   http-get http://:80/ delay=10s timeout=1s period=1s #success=1 #failure=3
    Readiness:  exec [redis-cli ping] delay=0s timeout=1s period=10s #success=1 #failure=3
    Environment:
      MODE:                production
      REGISTRY_HTTP_ADDR:  <set to the key 'http.addr' of config map 'registry'>  Optional: false
      POSTGRES_PASSWORD:   <set to the key 'password' in secret 'postgres'>       Optional: false
      MY_POD_NAMESPACE:    default (v1:metadata.namespace)
    Mounts:
      /etc/config from config (rw)
      /usr/share/nginx/html from www (rw,path="html")
      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-x7k2p (ro)
Conditions:
  Type              Status
  Initialized       True 
  Ready             True 
  ContainersReady   True 
  PodScheduled      True 
Volumes:
  config:
    Type:      ConfigMap (a volume populated by a ConfigMap)
    Name:      my-configmap
    Optional:  false
  www:
    Type:       EmptyDir (a temporary directory that shares a pod's lifetime)
    Medium:     
    SizeLimit:  <unset>
  data:
    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)
    ClaimName:  data-db-0
    ReadOnly:   false
  secret:
    Type:        Secret (a volume populated by a Secret)
    SecretName:  postgres
    Optional:    false
  kube-api-access-x7k2p:
    Type:                    Projected (a volume that contains injected data from multiple sources)
    TokenExpirationSeconds:  3607
    ConfigMapName:           kube-root-ca.crt
    Optional:                false
    DownwardAPI:             true
QoS Class:                   Burstable
Node-Selectors:              kubernetes.io/os=linux
Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:
  Type     Reason   Age              From     Message
  ----     ------   ----             ----     -------
  Warning  BackOff  5m (x3 over 8m)  kubelet  Back-off restarting failed container main in pod web-7c5ddbdf54-8kq9v_default(uid-web-7c5ddbdf54-8kq9v)
`;

const DEPLOYMENT = `Name:                   web
Namespace:              default
CreationTimestamp:      Wed, 01 May 2024 11:50:00 +0000
Labels:                 app=web
Annotations:            deployment.kubernetes.io/revision: 1
Selector:               app=web
Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable
StrategyType:           RollingUpdate
MinReadySeconds:        0
RollingUpdateStrategy:  25% max unavailable, 25% max surge
Pod Template:
  Labels:  app=web
  Containers:
   nginx:
    Image:         nginx:1.25
    Port:          <none>
    Host Port:     <none>
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
OldReplicaSets:    <none>
NewReplicaSet:     web-7c5ddbdf54 (3/3 replicas created)
Events:
  Type    Reason             Age   From                   Message
  ----    ------             ----  ----                   -------
  Normal  ScalingReplicaSet  10m   deployment-controller  Scaled up replica set web-7c5ddbdf54 from 0 to 3
`;

suite('kubectl describe', () => {
  it('describes a pod with its events', () => {
    const pod = fixture('Pod', 'web-7c5ddbdf54-8kq9v', 'default');
    expect(describe(pod, { events }, NOW)).toBe(POD);
  });

  it('describes a deployment with its ReplicaSets and events', () => {
    const deployment = fixture('Deployment', 'web', 'default');
    const replicaSets = objects.filter((o) => o.kind === 'ReplicaSet');
    expect(describe(deployment, { events, replicaSets }, NOW)).toBe(DEPLOYMENT);
  });

  it('lists a rolled-out deployment’s previous ReplicaSet as old', () => {
    const deployment = fixture('Deployment', 'web', 'default');
    const current = fixture('ReplicaSet', 'web-7c5ddbdf54', 'default');
    const old: KubeObject = {
      ...current,
      metadata: {
        ...(current.metadata as KubeObject),
        name: 'web-5d6f8c9b7',
        uid: 'uid-old',
        creationTimestamp: ago(3600),
      },
      spec: {
        ...(current.spec as KubeObject),
        replicas: 0,
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'nginx', image: 'nginx:1.24' }] },
        },
      },
      status: { replicas: 0 },
    };
    expect(describe(deployment, { replicaSets: [current, old] }, NOW)).toContain(
      'OldReplicaSets:    web-5d6f8c9b7 (0/0 replicas created)\nNewReplicaSet:     web-7c5ddbdf54 (3/3 replicas created)\nEvents:            <none>\n',
    );
  });

  it('prints Events: <none> without events', () => {
    expect(describe(fixture('Pod', 'web-7c5ddbdf54-x2lzk', 'default'), { events }, NOW)).toMatch(
      /\nEvents:\s+<none>\n$/,
    );
  });

  it('counts only the pods a controller owns', () => {
    const rs = fixture('ReplicaSet', 'web-7c5ddbdf54', 'default');
    const pods = objects.filter((o) => o.kind === 'Pod');
    expect(describe(rs, { pods }, NOW)).toContain(
      'Pods Status:    3 Running / 0 Waiting / 0 Succeeded / 0 Failed\n',
    );
    expect(describe(rs, { pods: [] }, NOW)).toContain(
      'Pods Status:    0 Running / 0 Waiting / 0 Succeeded / 0 Failed\n',
    );
  });

  it('falls back to Endpoints when no EndpointSlices are given', () => {
    const svc = fixture('Service', 'web', 'default');
    const endpoints = objects.filter((o) => o.kind === 'Endpoints');
    expect(describe(svc, { endpoints }, NOW)).toContain(
      'Endpoints:                10.244.1.5:80,10.244.1.6:80,10.244.2.7:80\n',
    );
  });

  it('gives kinds without a describer the generic description', () => {
    expect(hasDescriber('Lease')).toBe(false);
    expect(describe(fixture('Lease', 'web-leader', 'default'), {}, NOW)).toContain(
      'Spec:\n  Holder Identity:         web-7c5ddbdf54-x2lzk\n',
    );
  });
});

suite('events about an object', () => {
  it('matches name, namespace, kind and uid; pods match any kind', () => {
    const deployment = fixture('Deployment', 'web', 'default');
    expect(eventsFor(deployment, events).map((e) => (e as KubeObject).reason)).toEqual(['ScalingReplicaSet']);
    const otherUid = { ...deployment, metadata: { ...(deployment.metadata as KubeObject), uid: 'other' } };
    expect(eventsFor(otherUid, events)).toEqual([]);
  });
});

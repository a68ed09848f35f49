/**
 * Defaulting as kube-apiserver does it: golden snapshots of bare objects of the common kinds
 * after `admit`, plus the rules that depend on input (pull policy, targetPort, Job completions).
 */

import { describe, expect, it } from 'vitest';
import { defaultPullPolicy } from '../../../../src/cluster/api/kinds/index.js';
import type { KubeObject } from '../../../../src/cluster/store/types.js';
import { manifest, setup } from './builders.js';

const { schema } = setup();
const admitted = (o: KubeObject) => schema.admit(o).object;

const BARE: Record<string, string> = {
  pod: 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: default}\nspec:\n  containers:\n  - name: web\n    image: nginx\n    ports: [{containerPort: 80}]\n    readinessProbe: {httpGet: {port: 80}}\n',
  deployment:
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: "nginx:1.25"}]\n',
  service:
    'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n',
  'service-nodeport':
    'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: NodePort\n  selector: {app: web}\n  ports: [{port: 80, targetPort: http}]\n',
  namespace: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: blue}\n',
  daemonset:
    'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: rng}\nspec:\n  selector: {matchLabels: {app: rng}}\n  template:\n    metadata: {labels: {app: rng}}\n    spec:\n      containers: [{name: rng, image: "dockercoins/rng:v0.1"}]\n',
  statefulset:
    'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  serviceName: db\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec:\n      containers: [{name: db, image: "postgres:16"}]\n  volumeClaimTemplates:\n  - metadata: {name: data}\n    spec:\n      accessModes: [ReadWriteOnce]\n      resources: {requests: {storage: 1Gi}}\n',
  job: 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: pi, uid: 0b0e6e5e-2c1f-4b53-9a1e-5f6ac8e1c001}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: pi, image: "perl:5.34"}]\n',
  cronjob:
    'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: tick}\nspec:\n  schedule: "*/1 * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers: [{name: tick, image: busybox}]\n',
  pvc: 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n',
  secret: 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {password: S3cr3t}\n',
};

describe('defaults of bare objects', () => {
  it.each(Object.keys(BARE))('%s', async (name) => {
    const out = `${JSON.stringify(admitted(manifest(BARE[name]!)), null, 2)}\n`;
    await expect(out).toMatchFileSnapshot(`__snapshots__/defaults/${name}.json`);
  });
});

describe('rules', () => {
  it.each([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.25', 'IfNotPresent'],
    ['localhost:5000/rng', 'Always'],
    ['localhost:5000/rng:v0.1', 'IfNotPresent'],
    ['nginx@sha256:0000000000000000000000000000000000000000000000000000000000000000', 'IfNotPresent'],
  ])('imagePullPolicy of %s is %s', (image, policy) => {
    expect(defaultPullPolicy(image)).toBe(policy);
  });

  it('keeps what the user set', () => {
    const o = manifest(
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 0\n  revisionHistoryLimit: 0\n  strategy: {type: Recreate}\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      restartPolicy: Always\n      containers: [{name: web, image: nginx, imagePullPolicy: Never}]\n',
    );
    const spec = admitted(o).spec as Record<string, unknown>;
    expect(spec.replicas).toBe(0);
    expect(spec.revisionHistoryLimit).toBe(0);
    expect(spec.strategy).toEqual({ type: 'Recreate' });
    const pod = (spec.template as { spec: { containers: { imagePullPolicy: string }[] } }).spec;
    expect(pod.containers[0]!.imagePullPolicy).toBe('Never');
  });

  it('a Job with parallelism but no completions keeps completions unset', () => {
    const o = manifest(
      'apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  parallelism: 3\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox}]\n',
    );
    const spec = admitted(o).spec as Record<string, unknown>;
    expect(spec.parallelism).toBe(3);
    expect(spec.completions).toBeUndefined();
    expect(spec.backoffLimit).toBe(6);
  });

  it('a pod that already tolerates not-ready gets only the unreachable toleration', () => {
    const o = manifest(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  tolerations: [{key: node.kubernetes.io/not-ready, operator: Exists}]\n  containers: [{name: c, image: nginx}]\n',
    );
    const tolerations = (admitted(o).spec as { tolerations: { key: string }[] }).tolerations;
    expect(tolerations.map((t) => t.key)).toEqual([
      'node.kubernetes.io/not-ready',
      'node.kubernetes.io/unreachable',
    ]);
  });

  it('a pod with automountServiceAccountToken: false gets no token volume', () => {
    const o = manifest(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  automountServiceAccountToken: false\n  containers: [{name: c, image: nginx}]\n',
    );
    const spec = admitted(o).spec as Record<string, unknown>;
    expect(spec.volumes).toBeUndefined();
  });
});

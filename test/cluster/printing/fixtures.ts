/**
 * Realistic objects for the printing tests, shaped like the seeds' kubeadm cluster (node1 as the
 * control plane, DockerCoins-style workloads in `default`, pods in every STATUS in `lab`).
 * Timestamps are relative to `now`; golden tests pin it to `NOW`.
 */

import type { KubeObject } from '../../../src/cluster/printing/index.js';
import { NOW } from './fixture-builders.js';
import { clusterObjects, kubeSystemNamespace } from './fixtures-cluster.js';
import { defaultNamespace } from './fixtures-default.js';
import { extraObjects } from './fixtures-extra.js';
import { labPods } from './fixtures-lab.js';

export * from './fixture-builders.js';
export { clusterObjects, defaultNamespace, extraObjects, kubeSystemNamespace, labPods };

/** Every fixture object at `now`. */
export function allObjects(now = NOW): KubeObject[] {
  return [
    ...clusterObjects(now),
    ...defaultNamespace(now),
    ...extraObjects(now),
    ...kubeSystemNamespace(now),
    ...labPods(now),
  ];
}

/** The fixture object of `kind` named `name` (in `namespace` when given). */
export function fixture(kind: string, name: string, namespace?: string, now = NOW): KubeObject {
  const found = allObjects(now).find(
    (o) =>
      o.kind === kind &&
      (o.metadata as KubeObject).name === name &&
      (namespace === undefined || (o.metadata as KubeObject).namespace === namespace),
  );
  if (found === undefined) throw new Error(`no fixture ${kind} ${name}`);
  return found;
}

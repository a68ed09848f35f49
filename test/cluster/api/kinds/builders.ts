/** Small builders of manifests for the kinds tests. */

import { BuiltinKindRegistry, KubeObjectSchema } from '../../../../src/cluster/api/kinds/index.js';
import { ApiError } from '../../../../src/cluster/api/types.js';
import type { KubeObject } from '../../../../src/cluster/store/types.js';
import { parseYaml } from '../../../../src/internal/yaml.js';

/** A fresh registry and schema, with a fixed name suffix so defaults snapshot stably. */
export function setup(): { registry: BuiltinKindRegistry; schema: KubeObjectSchema } {
  const registry = new BuiltinKindRegistry();
  return { registry, schema: new KubeObjectSchema(registry, { randomSuffix: () => 'x7k2p' }) };
}

/** A manifest parsed as kubectl parses it (YAML 1.1: unquoted `yes` is a boolean). */
export function manifest(yaml: string): KubeObject {
  return parseYaml(yaml, 'test.yaml') as KubeObject;
}

/** The `rng` Deployment of the DockerCoins exercise. */
export function rngDeployment(): KubeObject {
  return manifest(`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: rng
  labels:
    app: rng
spec:
  replicas: 1
  selector:
    matchLabels:
      app: rng
  strategy:
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 25%
    type: RollingUpdate
  progressDeadlineSeconds: 600
  template:
    metadata:
      labels:
        app: rng
    spec:
      containers:
      - name: rng
        image: dockercoins/rng:v0.1
`);
}

/** The message of the ApiError `fn` throws (or 'no error'). */
export function apiErrorOf(fn: () => unknown): { code: number; message: string; reason: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return { code: e.code, message: e.message, reason: e.reason };
    throw e;
  }
  return { code: 0, message: 'no error', reason: '' };
}

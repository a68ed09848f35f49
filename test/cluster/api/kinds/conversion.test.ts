/**
 * Seed-era apiVersions: what bosun converts (and to which shape, with the old version's own
 * defaults), and what it refuses with kubectl's wording.
 */

import { describe, expect, it } from 'vitest';
import { convertObject, resourceMappingNotFoundMessage } from '../../../../src/cluster/api/kinds/index.js';
import type { KubeObject } from '../../../../src/cluster/store/types.js';
import { apiErrorOf, manifest, setup } from './builders.js';

const { registry, schema } = setup();

/** Converts as `admit` does, without defaulting the served version. */
function convert(o: KubeObject): KubeObject {
  const info = registry.forObject(String(o.apiVersion), String(o.kind))!;
  return schema.convert(o, info);
}

describe('Ingress (extensions/v1beta1, networking.k8s.io/v1beta1) → networking.k8s.io/v1', () => {
  const old = (apiVersion: string) =>
    manifest(`
apiVersion: ${apiVersion}
kind: Ingress
metadata:
  name: cheddar
  annotations:
    kubernetes.io/ingress.class: traefik
spec:
  backend:
    serviceName: default-http-backend
    servicePort: http
  rules:
  - host: cheddar.A.B.C.D.nip.io
    http:
      paths:
      - path: /
        backend:
          serviceName: cheddar
          servicePort: 80
`);

  it.each(['extensions/v1beta1', 'networking.k8s.io/v1beta1'])('from %s', (apiVersion) => {
    expect(convert(old(apiVersion))).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'cheddar', annotations: { 'kubernetes.io/ingress.class': 'traefik' } },
      spec: {
        defaultBackend: { service: { name: 'default-http-backend', port: { name: 'http' } } },
        rules: [
          {
            host: 'cheddar.A.B.C.D.nip.io',
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'ImplementationSpecific',
                  backend: { service: { name: 'cheddar', port: { number: 80 } } },
                },
              ],
            },
          },
        ],
      },
    });
  });

  it('validates against the old schema first (serviceName is known there)', () => {
    expect(schema.admit(old('extensions/v1beta1')).object.apiVersion).toBe('networking.k8s.io/v1');
  });

  it('leaves the input object untouched', () => {
    const o = old('extensions/v1beta1');
    const before = structuredClone(o);
    convert(o);
    expect(o).toEqual(before);
  });
});

describe('workloads → apps/v1', () => {
  const template = {
    metadata: { labels: { app: 'web' } },
    spec: { containers: [{ name: 'web', image: 'nginx' }] },
  };

  it('extensions/v1beta1 Deployment: selector from the template, the era defaults', () => {
    const out = convert({
      apiVersion: 'extensions/v1beta1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { template, rollbackTo: { revision: 1 } },
    });
    expect(out.apiVersion).toBe('apps/v1');
    expect(out.spec).toEqual({
      template,
      selector: { matchLabels: { app: 'web' } },
      replicas: 1,
      revisionHistoryLimit: 2147483647,
      progressDeadlineSeconds: 2147483647,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } },
    });
  });

  it('apps/v1beta1 Deployment keeps 2 revisions', () => {
    const out = convert({
      apiVersion: 'apps/v1beta1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { template },
    });
    expect(out.spec).toMatchObject({
      revisionHistoryLimit: 2,
      progressDeadlineSeconds: 600,
      selector: { matchLabels: { app: 'web' } },
    });
  });

  it('extensions/v1beta1 DaemonSet updates OnDelete, as it did', () => {
    const out = convert({
      apiVersion: 'extensions/v1beta1',
      kind: 'DaemonSet',
      metadata: { name: 'rng' },
      spec: { template, templateGeneration: 1 },
    });
    expect(out.spec).toEqual({
      template,
      selector: { matchLabels: { app: 'web' } },
      updateStrategy: { type: 'OnDelete' },
    });
  });

  it('a selector written by the user is kept', () => {
    const selector = { matchLabels: { app: 'web', tier: 'front' } };
    const out = convert({
      apiVersion: 'extensions/v1beta1',
      kind: 'ReplicaSet',
      metadata: { name: 'rs' },
      spec: { selector, template },
    });
    expect((out.spec as { selector: unknown }).selector).toEqual(selector);
  });

  it('the whole way in ends as a defaulted apps/v1 object', () => {
    const { object } = schema.admit({
      apiVersion: 'apps/v1beta2',
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: { selector: { matchLabels: { app: 'web' } }, serviceName: 'db', template },
    });
    expect(object).toMatchObject({
      apiVersion: 'apps/v1',
      spec: { podManagementPolicy: 'OrderedReady', updateStrategy: { type: 'RollingUpdate' } },
    });
  });
});

describe('other groups', () => {
  it.each<[string, KubeObject, Record<string, unknown>]>([
    [
      'autoscaling/v1 targetCPUUtilizationPercentage',
      {
        apiVersion: 'autoscaling/v1',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'h' },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
          maxReplicas: 5,
          targetCPUUtilizationPercentage: 50,
        },
      },
      {
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
          maxReplicas: 5,
          metrics: [
            {
              type: 'Resource',
              resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
            },
          ],
        },
      },
    ],
    [
      'autoscaling/v2beta1 metrics',
      {
        apiVersion: 'autoscaling/v2beta1',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'h' },
        spec: {
          maxReplicas: 3,
          metrics: [
            { type: 'Resource', resource: { name: 'memory', targetAverageValue: '100Mi' } },
            { type: 'Pods', pods: { metricName: 'qps', targetAverageValue: '10' } },
          ],
        },
      },
      {
        spec: {
          maxReplicas: 3,
          metrics: [
            {
              type: 'Resource',
              resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } },
            },
            {
              type: 'Pods',
              pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } },
            },
          ],
        },
      },
    ],
    [
      'policy/v1beta1 PDB with an empty selector still selects nothing',
      {
        apiVersion: 'policy/v1beta1',
        kind: 'PodDisruptionBudget',
        metadata: { name: 'p' },
        spec: { minAvailable: 1, selector: {} },
      },
      {
        spec: {
          minAvailable: 1,
          selector: {
            matchExpressions: [
              { key: 'pdb.kubernetes.io/deprecated-v1beta1-empty-selector-match', operator: 'Exists' },
            ],
          },
        },
      },
    ],
    [
      'storage.k8s.io/v1beta1 StorageClass has the v1 shape',
      {
        apiVersion: 'storage.k8s.io/v1beta1',
        kind: 'StorageClass',
        metadata: { name: 'portworx-replicated' },
        provisioner: 'kubernetes.io/portworx-volume',
        parameters: { repl: '2' },
      },
      {
        apiVersion: 'storage.k8s.io/v1',
        provisioner: 'kubernetes.io/portworx-volume',
        parameters: { repl: '2' },
      },
    ],
    [
      'rbac.authorization.k8s.io/v1beta1 has the v1 shape',
      {
        apiVersion: 'rbac.authorization.k8s.io/v1beta1',
        kind: 'ClusterRole',
        metadata: { name: 'r' },
        rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
      },
    ],
    [
      'batch/v1beta1 CronJob has the v1 shape',
      {
        apiVersion: 'batch/v1beta1',
        kind: 'CronJob',
        metadata: { name: 'c' },
        spec: { schedule: '@hourly' },
      },
      { apiVersion: 'batch/v1', spec: { schedule: '@hourly' } },
    ],
    [
      'apiextensions.k8s.io/v1beta1 CRD moves version, schema and columns per version',
      {
        apiVersion: 'apiextensions.k8s.io/v1beta1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'coffees.container.training' },
        spec: {
          group: 'container.training',
          version: 'v1alpha1',
          scope: 'Namespaced',
          names: { plural: 'coffees', singular: 'coffee', kind: 'Coffee', shortNames: ['cof'] },
          validation: {
            openAPIV3Schema: { properties: { spec: { properties: { taste: { type: 'string' } } } } },
          },
          additionalPrinterColumns: [{ name: 'Taste', type: 'string', JSONPath: '.spec.taste' }],
        },
      },
      {
        spec: {
          group: 'container.training',
          scope: 'Namespaced',
          names: { plural: 'coffees', singular: 'coffee', kind: 'Coffee', shortNames: ['cof'] },
          versions: [
            {
              name: 'v1alpha1',
              served: true,
              storage: true,
              schema: {
                openAPIV3Schema: {
                  properties: { spec: { properties: { taste: { type: 'string' } } } },
                  'x-kubernetes-preserve-unknown-fields': true,
                },
              },
              additionalPrinterColumns: [{ name: 'Taste', type: 'string', jsonPath: '.spec.taste' }],
            },
          ],
        },
      },
    ],
  ])('%s', (_, o, expected) => {
    expect(convert(o)).toMatchObject(expected);
  });

  it('an object already in the served version is returned as is', () => {
    const o = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } };
    expect(convertObject(o, 'ConfigMap', 'v1')).toBe(o);
  });
});

describe('refused', () => {
  it.each([
    ['extensions/v1beta1', 'PodSecurityPolicy'],
    ['policy/v1beta1', 'PodSecurityPolicy'],
    ['apps/v1', 'Deploymnet'],
    ['example.com/v1', 'Widget'],
  ])('%s %s: no matches for kind', (apiVersion, kind) => {
    expect(apiErrorOf(() => schema.admit({ apiVersion, kind, metadata: { name: 'x' } }))).toEqual({
      code: 404,
      reason: 'NotFound',
      message: `no matches for kind "${kind}" in version "${apiVersion}"`,
    });
  });

  it("kubectl's line for it", () => {
    expect(resourceMappingNotFoundMessage('psp', '', 'f.yaml', 'policy/v1beta1', 'PodSecurityPolicy')).toBe(
      'resource mapping not found for name: "psp" namespace: "" from "f.yaml": no matches for kind "PodSecurityPolicy" in version "policy/v1beta1"\nensure CRDs are installed first',
    );
  });
});

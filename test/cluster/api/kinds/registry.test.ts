/**
 * The kinds registry: `kubectl api-resources` facts, how resource arguments and manifests'
 * apiVersion/kind resolve, and that every served kind has a vendored schema.
 */

import { describe, expect, it } from 'vitest';
import { BUILTIN_KINDS, BuiltinKindRegistry } from '../../../../src/cluster/api/kinds/index.js';
import {
  definitionIdFor,
  OPENAPI_SOURCE,
  openApiDescriptions,
} from '../../../../src/cluster/api/schema/openapi.js';
import { apiVersionOf, resourceKeyOf } from '../../../../src/cluster/api/types.js';

const registry = new BuiltinKindRegistry();
const keys = (arg: string) => registry.resolve(arg).map((k) => resourceKeyOf(k));

describe('resolve', () => {
  it.each([
    ['po', ['pods']],
    ['pod', ['pods']],
    ['pods', ['pods']],
    ['Pod', ['pods']],
    ['PODS', ['pods']],
    ['svc', ['services']],
    ['deploy', ['deployments.apps']],
    ['deployment', ['deployments.apps']],
    ['deployments.apps', ['deployments.apps']],
    ['deployments.v1.apps', ['deployments.apps']],
    ['deployment.apps', ['deployments.apps']],
    ['rs', ['replicasets.apps']],
    ['ds', ['daemonsets.apps']],
    ['sts', ['statefulsets.apps']],
    ['cm', ['configmaps']],
    ['ns', ['namespaces']],
    ['no', ['nodes']],
    ['pv', ['persistentvolumes']],
    ['pvc', ['persistentvolumeclaims']],
    ['sa', ['serviceaccounts']],
    ['ep', ['endpoints']],
    ['endpoints', ['endpoints']],
    ['ev', ['events', 'events.events.k8s.io']],
    ['events.events.k8s.io', ['events.events.k8s.io']],
    ['ing', ['ingresses.networking.k8s.io']],
    ['netpol', ['networkpolicies.networking.k8s.io']],
    ['hpa', ['horizontalpodautoscalers.autoscaling']],
    ['cj', ['cronjobs.batch']],
    ['jobs', ['jobs.batch']],
    ['pdb', ['poddisruptionbudgets.policy']],
    ['pc', ['priorityclasses.scheduling.k8s.io']],
    ['sc', ['storageclasses.storage.k8s.io']],
    ['storageclass', ['storageclasses.storage.k8s.io']],
    ['crd', ['customresourcedefinitions.apiextensions.k8s.io']],
    ['crds', ['customresourcedefinitions.apiextensions.k8s.io']],
    ['rc', ['replicationcontrollers']],
    ['limits', ['limitranges']],
    ['quota', ['resourcequotas']],
    ['csr', ['certificatesigningrequests.certificates.k8s.io']],
    ['clusterrolebindings', ['clusterrolebindings.rbac.authorization.k8s.io']],
    ['roles.rbac.authorization.k8s.io', ['roles.rbac.authorization.k8s.io']],
    ['leases', ['leases.coordination.k8s.io']],
    ['endpointslices', ['endpointslices.discovery.k8s.io']],
    ['validatingwebhookconfigurations', ['validatingwebhookconfigurations.admissionregistration.k8s.io']],
    ['selfsubjectaccessreviews', ['selfsubjectaccessreviews.authorization.k8s.io']],
  ])('%s → %j', (arg, expected) => {
    expect(keys(arg)).toEqual(expected);
  });

  it.each(['endpoint', 'replicsets', 'deployments.extensions', 'deploy.v2.apps', 'nope', 'pods.apps'])(
    '%s is unknown',
    (arg) => {
      expect(registry.resolve(arg)).toEqual([]);
    },
  );
});

describe('forObject', () => {
  it.each([
    ['v1', 'Pod', 'v1'],
    ['apps/v1', 'Deployment', 'apps/v1'],
    ['extensions/v1beta1', 'Deployment', 'apps/v1'],
    ['apps/v1beta1', 'Deployment', 'apps/v1'],
    ['apps/v1beta2', 'StatefulSet', 'apps/v1'],
    ['extensions/v1beta1', 'DaemonSet', 'apps/v1'],
    ['extensions/v1beta1', 'Ingress', 'networking.k8s.io/v1'],
    ['networking.k8s.io/v1beta1', 'Ingress', 'networking.k8s.io/v1'],
    ['storage.k8s.io/v1beta1', 'StorageClass', 'storage.k8s.io/v1'],
    ['rbac.authorization.k8s.io/v1beta1', 'ClusterRoleBinding', 'rbac.authorization.k8s.io/v1'],
    ['batch/v1beta1', 'CronJob', 'batch/v1'],
    ['autoscaling/v1', 'HorizontalPodAutoscaler', 'autoscaling/v2'],
    ['autoscaling/v2beta2', 'HorizontalPodAutoscaler', 'autoscaling/v2'],
    ['policy/v1beta1', 'PodDisruptionBudget', 'policy/v1'],
    ['apiextensions.k8s.io/v1beta1', 'CustomResourceDefinition', 'apiextensions.k8s.io/v1'],
    ['events.k8s.io/v1', 'Event', 'events.k8s.io/v1'],
  ])('%s %s → %s', (apiVersion, kind, served) => {
    const info = registry.forObject(apiVersion, kind);
    expect(info && apiVersionOf(info)).toBe(served);
  });

  it.each([
    ['extensions/v1beta1', 'PodSecurityPolicy'],
    ['policy/v1beta1', 'PodSecurityPolicy'],
    ['apps/v1', 'deployment'],
    ['v1', 'Deployment'],
    ['apps/v2', 'Deployment'],
  ])('%s %s is not served', (apiVersion, kind) => {
    expect(registry.forObject(apiVersion, kind)).toBeUndefined();
  });
});

describe('api-resources facts', () => {
  const byKey = (key: string) => registry.all().find((k) => resourceKeyOf(k) === key)!;

  it('the all category is the ten workload and service kinds', () => {
    expect(
      registry
        .category('all')
        .map((k) => k.plural)
        .sort(),
    ).toEqual([
      'cronjobs',
      'daemonsets',
      'deployments',
      'horizontalpodautoscalers',
      'jobs',
      'pods',
      'replicasets',
      'replicationcontrollers',
      'services',
      'statefulsets',
    ]);
  });

  it.each([
    [
      'namespaces',
      'Cluster',
      ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
      ['finalize', 'status'],
    ],
    ['deployments.apps', 'Namespaced', undefined, ['scale', 'status']],
    ['nodes', 'Cluster', undefined, ['proxy', 'status']],
    ['bindings', 'Namespaced', ['create'], []],
    ['selfsubjectaccessreviews.authorization.k8s.io', 'Cluster', ['create'], []],
    ['persistentvolumes', 'Cluster', undefined, ['status']],
    ['customresourcedefinitions.apiextensions.k8s.io', 'Cluster', undefined, ['status']],
  ])('%s: %s, verbs %j, subresources %j', (key, scope, verbs, subresources) => {
    const info = byKey(key);
    expect(info.scope).toBe(scope);
    expect(info.verbs).toEqual(
      verbs ?? ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    );
    expect(info.subresources).toEqual(subresources);
  });

  it('singulars are what discovery lists (endpoints stays plural)', () => {
    expect(byKey('endpoints').singular).toBe('endpoints');
    expect(byKey('ingresses.networking.k8s.io').singular).toBe('ingress');
    expect(byKey('storageclasses.storage.k8s.io').singular).toBe('storageclass');
  });

  it('has no duplicate resource keys', () => {
    const all = registry.all().map(resourceKeyOf);
    expect(new Set(all).size).toBe(all.length);
  });

  it.each(BUILTIN_KINDS.map((r) => [`${r.kind}.${r.group || 'core'}`, r] as const))(
    '%s has a vendored schema for its served version',
    (_, row) => {
      expect(definitionIdFor(row.group, row.version, row.kind)).toBeDefined();
    },
  );
});

describe('vendored OpenAPI data', () => {
  it('carries the descriptions kubectl explain shows', async () => {
    const d = await openApiDescriptions();
    expect(d['io.k8s.api.apps.v1.DeploymentSpec']?.replicas).toMatch(/^Number of desired pods/);
    expect(OPENAPI_SOURCE).toBe('kubernetes-models@5.1.0');
  });
});

import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src/cluster/store/types.js';
import { apiError as applyError, deployment, meta, newCluster } from './fixtures.js';

function managers(object: KubeObject): [string, string, string][] {
  const fields = meta(object).managedFields as { manager: string; operation: string; subresource?: string }[];
  return fields.map((f) => [f.manager, f.operation, f.subresource ?? '']);
}

describe('server-side apply', () => {
  it('creates when absent and records an Apply entry', () => {
    const { api } = newCluster();
    const applied = api.patch('deployments.apps', 'default', 'web', deployment('web', 2), 'apply', {
      fieldManager: 'kubectl',
    });
    expect((applied.spec as { replicas: number }).replicas).toBe(2);
    expect(managers(applied)).toEqual([['kubectl', 'Apply', '']]);
    const entry = (meta(applied).managedFields as { fieldsV1: Record<string, unknown> }[])[0]!;
    expect(entry.fieldsV1).toEqual({
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:replicas': {},
        'f:selector': { 'f:matchLabels': { 'f:app': {} } },
        'f:template': {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
        },
      },
    });
  });

  it('merges into the live object and removes fields the manager stopped applying', () => {
    const { api } = newCluster();
    const withEnv = deployment('web');
    (withEnv.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec
      .containers[0]!.env = [{ name: 'A', value: '1' }];
    api.patch('deploy', 'default', 'web', withEnv, 'apply', { fieldManager: 'kubectl' });
    // Another manager adds a label; kubectl then applies without the env.
    api.patch('deploy', 'default', 'web', { metadata: { labels: { team: 'x' } } }, 'merge', {
      fieldManager: 'kubectl-label',
    });
    const out = api.patch('deploy', 'default', 'web', deployment('web'), 'apply', {
      fieldManager: 'kubectl',
    });
    const container = (out.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template
      .spec.containers[0]!;
    expect(container.env).toBeUndefined();
    expect(meta(out).labels).toEqual({ app: 'web', team: 'x' });
    expect(managers(out)).toEqual([
      ['kubectl', 'Apply', ''],
      ['kubectl-label', 'Update', ''],
    ]);
  });

  it('refuses to change a field another manager owns, unless forced', () => {
    const { api, store } = newCluster();
    api.create(deployment('web', 1), { fieldManager: 'kubectl-client-side-apply' });
    const before = store.currentRevision();
    const error = applyError(() =>
      api.patch('deploy', 'default', 'web', deployment('web', 3), 'apply', { fieldManager: 'kubectl' }),
    );
    expect(error.status).toMatchObject({
      code: 409,
      reason: 'Conflict',
      message:
        'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
      details: {
        causes: [
          {
            reason: 'FieldManagerConflict',
            message: 'conflict with "kubectl-client-side-apply" using apps/v1',
            field: '.spec.replicas',
          },
        ],
      },
    });
    expect(store.currentRevision()).toBe(before);
    // Applying the same values is no conflict: the fields become shared.
    const shared = api.patch('deploy', 'default', 'web', deployment('web', 1), 'apply', {
      fieldManager: 'kubectl',
    });
    expect(managers(shared)).toEqual([
      ['kubectl-client-side-apply', 'Update', ''],
      ['kubectl', 'Apply', ''],
    ]);
    const forced = api.patch('deploy', 'default', 'web', deployment('web', 3), 'apply', {
      fieldManager: 'kubectl',
      force: true,
    });
    expect((forced.spec as { replicas: number }).replicas).toBe(3);
    const owners = meta(forced).managedFields as {
      manager: string;
      fieldsV1: { 'f:spec'?: Record<string, unknown> };
    }[];
    expect(
      owners.find((e) => e.manager === 'kubectl-client-side-apply')!.fieldsV1['f:spec']!['f:replicas'],
    ).toBeUndefined();
  });

  it('lists several conflicts by manager', () => {
    const { api } = newCluster();
    api.create(deployment('web', 1, 'nginx:1'), { fieldManager: 'helm' });
    const error = applyError(() =>
      api.patch('deploy', 'default', 'web', deployment('web', 2, 'nginx:2'), 'apply', {
        fieldManager: 'kubectl',
      }),
    );
    expect(error.message).toBe(
      'Apply failed with 2 conflicts: conflicts with "helm" using apps/v1\n- .spec.replicas\n- .spec.template.spec.containers[name="web"].image',
    );
  });

  it('transfers ownership on updates: the last writer of a field owns it', () => {
    const { api } = newCluster();
    api.patch('deploy', 'default', 'web', deployment('web', 1), 'apply', { fieldManager: 'kubectl' });
    api.patch('deploy', 'default', 'web', { spec: { replicas: 5 } }, 'merge', {
      fieldManager: 'kubectl-scale',
    });
    // kubectl no longer owns replicas: applying without it keeps the scaled value.
    const manifest = deployment('web');
    delete (manifest.spec as Record<string, unknown>).replicas;
    const out = api.patch('deploy', 'default', 'web', manifest, 'apply', { fieldManager: 'kubectl' });
    expect((out.spec as { replicas: number }).replicas).toBe(5);
  });

  it('requires a field manager and refuses force for other patches', () => {
    const { api } = newCluster();
    expect(() => api.patch('deploy', 'default', 'web', deployment('web'), 'apply')).toThrow(
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    );
    expect(() => api.patch('deploy', 'default', 'web', {}, 'merge', { force: true })).toThrow(
      'force: Forbidden: may not be specified for non-apply patch',
    );
  });

  it('records Update entries for plain writes and the status subresource', () => {
    const { api } = newCluster();
    const created = api.create(deployment('web'), { fieldManager: 'kubectl-create' });
    const status = api.update(
      { ...created, status: { replicas: 1 } },
      { subresource: 'status', fieldManager: 'kube-controller-manager' },
    );
    expect(managers(status)).toEqual([
      ['kubectl-create', 'Update', ''],
      ['kube-controller-manager', 'Update', 'status'],
    ]);
  });
});

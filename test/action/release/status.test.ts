import { describe, expect, it } from 'vitest';
import { StatusAction } from '../../../src/action/release/status.js';
import { ReleaseFailedError, ReleaseNotFoundError } from '../../../src/internal/errors.js';
import { parseYaml } from '../../../src/internal/yaml.js';
import { useEmbeddedCluster } from '../../helpers/embedded-cluster.js';
import { makeRelease, memoryContext, store } from './read-fixtures.js';

const MANIFEST = `---
# Source: web/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
---
# Source: web/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx
---
# Source: web/templates/gone.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: gone
`;

const cluster = useEmbeddedCluster('2026-01-16T00:00:01Z');

describe('StatusAction', () => {
  it('returns the newest revision, or --revision N', async () => {
    const ctx = memoryContext();
    await store(ctx, [makeRelease('web', 1, 'superseded'), makeRelease('web', 2, 'failed')]);
    expect((await new StatusAction(ctx).run('web')).release.version).toBe(2);
    const first = await new StatusAction(ctx, { revision: 1 }).run('web');
    expect(first.release.info.status).toBe('superseded');
    expect(first.resources).toBeUndefined();
  });

  it('`release: not found` for a missing release and for a missing revision', async () => {
    const ctx = memoryContext();
    await store(ctx, [makeRelease('web', 1, 'deployed')]);
    await expect(new StatusAction(ctx).run('nope')).rejects.toThrow(ReleaseNotFoundError);
    await expect(new StatusAction(ctx, { revision: 2 }).run('web')).rejects.toThrow(/^release: not found$/);
  });

  it('--show-resources reads the manifest objects grouped as v1/Kind, then their pods as v1/Pod(related)', async () => {
    const client = cluster();
    for (const doc of MANIFEST.split(/^---$/m).slice(1, 3)) {
      await client.create(parseYaml(doc, 'manifest') as Record<string, unknown>, { namespace: 'default' });
    }
    await client.settle();
    const ctx = memoryContext('default', client);
    await store(ctx, [makeRelease('web', 1, 'deployed', { manifest: MANIFEST })]);

    const { resources } = await new StatusAction(ctx, { showResources: true }).run('web');
    expect(resources?.map((g) => g.key)).toEqual(['v1/Service', 'v1/Deployment', 'v1/Pod(related)']);
    const [service, deployment, pods] = resources!;
    expect(service!.table.rows).toHaveLength(1);
    expect(deployment!.groupKind).toEqual({ group: 'apps', kind: 'Deployment' });
    expect(deployment!.table.columnDefinitions.map((c) => c.name)).toContain('Ready');
    // The ConfigMap was never created: it is left out, as Helm does.
    expect(pods!.table.rows).toHaveLength(2);
    expect(pods!.namespaced).toBe(true);
  });

  it('--show-resources fails as Helm does when the manifest names a kind the cluster does not serve', async () => {
    const ctx = memoryContext('default', cluster());
    const manifest =
      '---\n# Source: x/templates/cr.yaml\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n';
    await store(ctx, [makeRelease('x', 1, 'deployed', { manifest })]);
    await expect(new StatusAction(ctx, { showResources: true }).run('x')).rejects.toThrow(ReleaseFailedError);
  });
});

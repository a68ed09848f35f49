import { describe, expect, it } from 'vitest';
import { applyResources, deleteResources } from '../../../src/action/release/apply.js';
import {
  buildResources,
  checkOwnership,
  parseReleaseManifest,
  type Resource,
} from '../../../src/action/release/resources.js';
import type { KubeClient } from '../../../src/kube/index.js';
import { live, metaOf, present, useReleaseContext } from './write-fixtures.js';

const newContext = useReleaseContext();

const OWNER = { owner: { release: 'demo', namespace: 'default' } };

/** Resources of a manifest of ConfigMaps `name → data.value` (plus extra documents). */
function cms(client: KubeClient, values: Readonly<Record<string, string>>, extra = ''): Promise<Resource[]> {
  let text = '';
  for (const [name, value] of Object.entries(values)) {
    text += `---\n# Source: demo/templates/${name}.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  value: "${value}"\n`;
  }
  return buildResources(client, parseReleaseManifest(text + extra), 'default', OWNER);
}

const names = (rs: readonly Resource[]) => rs.map((r) => r.name);

describe('buildResources', () => {
  it('resolves kinds, puts namespaced objects in the release namespace, cluster-scoped ones in none, adds ownership', async () => {
    const { client } = newContext();
    const text = `---
# Source: demo/templates/ns.yaml
apiVersion: v1
kind: Namespace
metadata:
  name: extra
---
# Source: demo/templates/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: a
---
# Source: demo/templates/other.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: b
  namespace: elsewhere
`;
    const [ns, a, b] = await buildResources(client, parseReleaseManifest(text), 'default', OWNER);
    expect([ns?.namespace, a?.namespace, b?.namespace]).toEqual(['', 'default', 'elsewhere']);
    expect(a?.source).toBe('demo/templates/cm.yaml');
    expect(metaOf(a?.object).namespace).toBe('default');
    expect(metaOf(ns?.object).labels).toEqual({ 'app.kubernetes.io/managed-by': 'Helm' });
    expect(metaOf(b?.object).annotations).toEqual({
      'meta.helm.sh/release-name': 'demo',
      'meta.helm.sh/release-namespace': 'default',
    });
  });
});

describe('applyResources', () => {
  it('creates the new, patches the changed, leaves the unchanged alone, deletes the dropped', async () => {
    const { client } = newContext();
    const current = await cms(client, { same: '1', changed: '1', dropped: '1' });
    await applyResources(client, [], current);
    const sameVersion = metaOf(await live(client, 'configmaps', 'same')).resourceVersion;
    const target = await cms(client, { same: '1', changed: '2', added: '1' });
    const result = await applyResources(client, current, target);
    expect(names(result.created)).toEqual(['added']);
    expect(names(result.updated)).toEqual(['changed']);
    expect(names(result.unchanged)).toEqual(['same']);
    expect(names(result.deleted)).toEqual(['dropped']);
    expect(metaOf(await live(client, 'configmaps', 'same')).resourceVersion).toBe(sameVersion);
    expect((await live(client, 'configmaps', 'changed'))?.data).toEqual({ value: '2' });
    expect(await present(client, 'configmaps', 'dropped')).toBe(false);
  });

  it('a dropped object is kept when the LIVE object says resource-policy: keep', async () => {
    const { client } = newContext();
    const current = await cms(client, { a: '1', b: '1' });
    await applyResources(client, [], current);
    await client.patch(
      'configmaps',
      'default',
      'b',
      { metadata: { annotations: { 'helm.sh/resource-policy': 'keep' } } },
      'merge',
    );
    const result = await applyResources(client, current, await cms(client, { a: '1' }));
    expect(names(result.kept)).toEqual(['b']);
    expect(result.deleted).toEqual([]);
    expect(await present(client, 'configmaps', 'b')).toBe(true);
  });

  it('three-way: a key the chart dropped is removed, a key someone else added is kept', async () => {
    const { client } = newContext();
    const v1 = await buildResources(
      client,
      parseReleaseManifest(
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: "1"\n  y: "1"\n',
      ),
      'default',
      OWNER,
    );
    await applyResources(client, [], v1);
    await client.patch('configmaps', 'default', 'a', { data: { theirs: 'kept' } }, 'merge');
    const v2 = await buildResources(
      client,
      parseReleaseManifest('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: "2"\n'),
      'default',
      OWNER,
    );
    await applyResources(client, v1, v2);
    expect((await live(client, 'configmaps', 'a'))?.data).toEqual({ x: '2', theirs: 'kept' });
  });

  it('force replaces the whole object', async () => {
    const { client } = newContext();
    const v1 = await cms(client, { a: '1' });
    await applyResources(client, [], v1);
    await client.patch('configmaps', 'default', 'a', { data: { theirs: 'x' } }, 'merge');
    const result = await applyResources(client, v1, await cms(client, { a: '2' }), { force: true });
    expect(names(result.updated)).toEqual(['a']);
    expect((await live(client, 'configmaps', 'a'))?.data).toEqual({ value: '2' });
  });

  it('a write that fails names the object, and carries what was done so far', async () => {
    const { client } = newContext();
    const bad = '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Not_Valid\n';
    const target = await cms(client, { first: '1' }, bad);
    let error: (Error & { result?: unknown }) | undefined;
    try {
      await applyResources(client, [], target);
    } catch (e) {
      error = e as Error & { result?: unknown };
    }
    if (error === undefined) throw new Error('the apply did not fail');
    expect(error.message).toMatch(/^failed to create ConfigMap "Not_Valid": /);
    expect((error.result as { created: Resource[] }).created.map((r) => r.name)).toEqual(['first']);
    expect(await present(client, 'configmaps', 'first')).toBe(true);
  });

  it('calls step after each write (where a cancellation stops it)', async () => {
    const { client } = newContext();
    let writes = 0;
    const attempt = applyResources(client, [], await cms(client, { a: '1', b: '1', c: '1' }), {
      step: async () => {
        if (++writes === 2) throw new Error('interrupted');
      },
    });
    await expect(attempt).rejects.toThrow('interrupted');
    expect(await present(client, 'configmaps', 'b')).toBe(true);
    expect(await live(client, 'configmaps', 'c')).toBeUndefined();
  });
});

describe('deleteResources', () => {
  it('deletes in uninstall order, spares manifest keep, skips what is already gone', async () => {
    const { client } = newContext();
    const keep =
      '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kept\n  annotations:\n    helm.sh/resource-policy: keep\n';
    const svc =
      '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc\nspec:\n  ports:\n    - port: 80\n';
    const resources = await cms(client, { a: '1', gone: '1' }, keep + svc);
    await applyResources(client, [], resources);
    await client.delete('configmaps', 'default', 'gone');
    const result = await deleteResources(client, resources);
    expect(names(result.deleted)).toEqual(['svc', 'a']);
    expect(names(result.kept)).toEqual(['kept']);
    expect(result.errors).toEqual([]);
    expect(await present(client, 'configmaps', 'kept')).toBe(true);
  });
});

describe('checkOwnership (§4.9)', () => {
  it("objects of this release may be adopted; another release's give the mismatch wording", async () => {
    const { client } = newContext();
    const mine = await cms(client, { a: '1' });
    await applyResources(client, [], mine);
    expect(names(await checkOwnership(client, mine, 'demo', 'default', 'install'))).toEqual(['a']);
    await expect(checkOwnership(client, mine, 'other', 'default', 'update')).rejects.toThrow(
      'Unable to continue with update: ConfigMap "a" in namespace "default" exists and cannot be imported into the current release: invalid ownership metadata; annotation validation error: key "meta.helm.sh/release-name" must equal "other": current value is "demo"',
    );
    expect(names(await checkOwnership(client, mine, 'other', 'default', 'update', true))).toEqual(['a']);
  });
});

/** ApplyAction, CreateAction, DeleteAction, LabelAction and PatchAction over an in-memory cluster. */

import { describe, expect, it } from 'vitest';
import {
  ApplyAction,
  CreateAction,
  DeleteAction,
  GetAction,
  LAST_APPLIED,
  LabelAction,
  type Manifest,
  PatchAction,
  parseManifests,
} from '../../../src/action/kubectl/index.js';
import { KubeApiError } from '../../../src/kube/index.js';
import { useEmbeddedCluster } from '../../helpers/embedded-cluster.js';

const client = useEmbeddedCluster();

const deployment = (replicas: number | string, extra = '') =>
  parseManifests(
    `apiVersion: apps/v1
kind: ${extra.includes('DaemonSet') ? 'DaemonSet' : 'Deployment'}
metadata:
  name: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx
`,
    'web.yaml',
  );

describe('ApplyAction', () => {
  it('creates, then reports unchanged, then configured', async () => {
    const c = client();
    const apply = new ApplyAction({ client: c });
    expect((await apply.run(deployment(2))).lines).toEqual(['deployment.apps/web created']);
    expect((await apply.run(deployment(2))).lines).toEqual(['deployment.apps/web unchanged']);
    expect((await apply.run(deployment(3))).lines).toEqual(['deployment.apps/web configured']);
    const live = await c.get('deploy', 'default', 'web');
    expect((live.spec as { replicas: number }).replicas).toBe(3);
    const annotations = (live.metadata as { annotations: Record<string, string> }).annotations;
    expect(JSON.parse(annotations[LAST_APPLIED]!)).toMatchObject({
      kind: 'Deployment',
      spec: { replicas: 3 },
    });
  });

  it('refuses a DaemonSet with replicas, naming the field, and accepts it with validation off', async () => {
    const c = client();
    const ds = deployment(2, 'DaemonSet');
    const refused = await new ApplyAction({ client: c }).run(ds);
    expect(refused.lines).toEqual([]);
    expect(refused.errors[0]).toBeInstanceOf(KubeApiError);
    expect(refused.errors[0]!.message).toContain('unknown field "spec.replicas"');
    const accepted = await new ApplyAction({ client: c, validation: 'Ignore' }).run(ds);
    expect(accepted.lines).toEqual(['daemonset.apps/web created']);
  });

  it('stores nothing for a wrong type and on a client dry run', async () => {
    const c = client();
    const wrong = await new ApplyAction({ client: c }).run(deployment('"3"'));
    expect(wrong.errors[0]!.message).toContain('cannot unmarshal string');
    const dry = await new ApplyAction({ client: c, dryRun: 'client' }).run(deployment(1));
    expect(dry.lines).toEqual(['deployment.apps/web created (dry run)']);
    expect((await c.list('deploy', { namespace: 'default' })).items).toEqual([]);
  });
});

describe('CreateAction', () => {
  it('creates once; the second time is AlreadyExists with the source', async () => {
    const c = client();
    const svc: Manifest[] = parseManifests(
      'apiVersion: v1\nkind: Service\nmetadata: {name: hasher}\nspec:\n  ports: [{port: 80}]\n',
      'svc.yaml',
    );
    const create = new CreateAction({ client: c });
    expect((await create.run(svc)).lines).toEqual(['service/hasher created']);
    const again = await create.run(svc);
    expect(again.errors.map((e) => e.message)).toEqual([
      'error when creating "svc.yaml": services "hasher" already exists',
    ]);
  });
});

describe('label, annotate, patch, get, delete', () => {
  it('walks an object through its verbs', async () => {
    const c = client();
    await new ApplyAction({ client: c }).run(deployment(1));
    const label = (args: string[], overwrite = false) => new LabelAction({ client: c, overwrite }).run(args);
    expect((await label(['deploy', 'web', 'tier=front'])).lines).toEqual(['deployment.apps/web labeled']);
    expect((await label(['deploy', 'web', 'tier=back'])).errors[0]!.message).toBe(
      "'tier' already has a value (front), and --overwrite is false",
    );
    expect((await label(['deploy', 'web', 'tier=back'], true)).lines).toEqual([
      'deployment.apps/web labeled',
    ]);
    expect((await label(['deploy/web', 'tier-'])).lines).toEqual(['deployment.apps/web labeled']);
    const annotate = new LabelAction({ client: c, field: 'annotations' });
    expect((await annotate.run(['deploy', 'web', 'note=hi'])).lines).toEqual([
      'deployment.apps/web annotated',
    ]);
    const patch = (p: string, type: 'merge' | 'strategic' | 'json') =>
      new PatchAction({ client: c, patch: p, type }).run(['deployment', 'web']);
    expect((await patch('{"spec":{"replicas":4}}', 'strategic')).lines).toEqual([
      'deployment.apps/web patched',
    ]);
    expect((await patch('spec: {replicas: 4}', 'merge')).lines).toEqual([
      'deployment.apps/web patched (no change)',
    ]);
    expect((await patch('[{"op":"replace","path":"/spec/replicas","value":5}]', 'json')).lines).toEqual([
      'deployment.apps/web patched',
    ]);
    const got = await new GetAction({ client: c }).run(['deploy', 'web']);
    const meta = got.groups[0]!.objects[0]!.metadata as {
      labels: Record<string, string>;
      annotations: Record<string, string>;
    };
    expect(meta.labels).toEqual({});
    expect(meta.annotations.note).toBe('hi');
    expect((got.groups[0]!.objects[0]!.spec as { replicas: number }).replicas).toBe(5);
    expect((await new DeleteAction({ client: c }).run(['deploy', 'web'])).lines).toEqual([
      'deployment.apps "web" deleted',
    ]);
    const missing = await new GetAction({ client: c }).run(['deploy', 'web']);
    expect(missing.errors.map((e) => e.message)).toEqual(['deployments.apps "web" not found']);
  });
});

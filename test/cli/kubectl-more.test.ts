/**
 * More of `bosun kubectl` end to end through `run()`: the RBAC and ExternalName generators of
 * `create`, `get --export`, `explain` and `edit` (with `KUBE_EDITOR` a small script).
 */

import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { memoryIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';

let home: string;

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'bosun-kubectl-more-'));
});

async function k(
  argv: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIO({ env: { BOSUN_HOME: home, ...env }, cwd: home });
  const code = await run(['k', ...argv], io);
  return { code, out: io.out(), err: io.err() };
}

const json = async (...argv: string[]): Promise<Record<string, unknown>> =>
  JSON.parse((await k([...argv, '-o', 'json'])).out) as Record<string, unknown>;

/** A node script used as the editor: applies `body` (JS over `text`) to the file it is given. */
function editor(body: string): string {
  const script = path.join(home, `editor-${Math.random().toString(36).slice(2)}.cjs`);
  writeFileSync(
    script,
    `const fs = require('node:fs');\nconst f = process.argv[2];\nlet text = fs.readFileSync(f, 'utf8');\n${body}\nfs.writeFileSync(f, text);\n`,
  );
  return `"${process.execPath}" "${script}"`;
}

describe('bosun kubectl create role/rolebinding/externalname', () => {
  it('creates a role with one rule per API group', async () => {
    expect(
      await k([
        'create',
        'role',
        'reader',
        '--verb=get,list',
        '--resource=pods,deployments.apps',
        '--resource-name=web',
      ]),
    ).toEqual({ code: 0, out: 'role.rbac.authorization.k8s.io/reader created\n', err: '' });
    const role = await json('get', 'role', 'reader');
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'], resourceNames: ['web'] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list'], resourceNames: ['web'] },
    ]);
  });

  it('creates a clusterrole and refuses an unknown verb', async () => {
    expect((await k(['create', 'clusterrole', 'pod-reader', '--verb=get', '--resource=pods'])).out).toBe(
      'clusterrole.rbac.authorization.k8s.io/pod-reader created\n',
    );
    expect(await k(['create', 'clusterrole', 'x', '--verb=fly', '--resource=pods'])).toEqual({
      code: 1,
      out: '',
      err: "error: invalid verb: 'fly'\n",
    });
  });

  it('creates rolebindings and clusterrolebindings with users, groups and service accounts', async () => {
    await k(['create', 'role', 'reader', '--verb=get', '--resource=pods']);
    expect(
      (
        await k([
          'create',
          'rolebinding',
          'read-pods',
          '--role=reader',
          '--user=jane',
          '--group=devs',
          '--serviceaccount=default:default',
        ])
      ).out,
    ).toBe('rolebinding.rbac.authorization.k8s.io/read-pods created\n');
    const rb = await json('get', 'rolebinding', 'read-pods');
    expect(rb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' });
    expect(rb.subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'jane' },
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'devs' },
      { kind: 'ServiceAccount', name: 'default', namespace: 'default' },
    ]);
    expect(
      (await k(['create', 'clusterrolebinding', 'admins', '--clusterrole=cluster-admin', '--user=root'])).out,
    ).toBe('clusterrolebinding.rbac.authorization.k8s.io/admins created\n');
    expect((await k(['create', 'rolebinding', 'x', '--role=a', '--clusterrole=b'])).err).toBe(
      'error: exactly one of clusterrole or role must be specified\n',
    );
  });

  it('creates an ExternalName service', async () => {
    expect((await k(['create', 'service', 'externalname', 'db', '--external-name=db.example.com'])).out).toBe(
      'service/db created\n',
    );
    const svc = await json('get', 'svc', 'db');
    expect(svc.spec).toMatchObject({ type: 'ExternalName', externalName: 'db.example.com' });
  });
});

describe('bosun kubectl get --export', () => {
  it('prints a service without what the cluster filled in, with the deprecation notice', async () => {
    await k(['create', 'service', 'clusterip', 'web', '--tcp=80:8080']);
    await k(['annotate', 'svc', 'web', 'team=blue']);
    const { code, out, err } = await k(['get', 'svc', 'web', '-o', 'yaml', '--export']);
    expect(code).toBe(0);
    expect(err).toBe(
      'Flag --export has been deprecated, This flag is deprecated and will be removed in future.\n',
    );
    for (const gone of [
      'status:',
      'uid:',
      'resourceVersion:',
      'creationTimestamp:',
      'managedFields:',
      'clusterIP',
    ])
      expect(out).not.toContain(gone);
    expect(out).toContain('team: blue');
    expect(out).toContain('name: web');
    expect(out).toContain('targetPort: 8080');
  });

  it('drops the last-applied annotation', async () => {
    writeFileSync(
      path.join(home, 'cm.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: conf\ndata:\n  a: "1"\n',
    );
    await k(['apply', '-f', 'cm.yaml']);
    expect((await k(['get', 'cm', 'conf', '-o', 'yaml'])).out).toContain('last-applied-configuration');
    const { out } = await k(['get', 'cm', 'conf', '-o', 'yaml', '--export']);
    expect(out).not.toContain('last-applied-configuration');
    expect(out).not.toContain('annotations');
  });
});

describe('bosun kubectl explain', () => {
  it('explains a field', async () => {
    const { code, out } = await k(['explain', 'deployment.spec.replicas']);
    expect(code).toBe(0);
    expect(out).toMatch(
      /^KIND: {5}Deployment\nVERSION: {2}apps\/v1\n\nFIELD: {4}replicas <integer>\n\nDESCRIPTION:\n {5}Number of desired pods/,
    );
  });

  it('explains a kind with its fields', async () => {
    const { code, out } = await k(['explain', 'pods']);
    expect(code).toBe(0);
    expect(out).toMatch(
      /^KIND: {5}Pod\nVERSION: {2}v1\n\nDESCRIPTION:\n {5}Pod is a collection of containers/,
    );
    expect(out).toContain('\nFIELDS:\n   apiVersion\t<string>\n');
    expect(out).toContain('   metadata\t<Object>\n');
    expect(out).toContain('   spec\t<Object>\n');
  });

  it('marks required fields, recurses, and refuses unknown fields', async () => {
    const spec = await k(['explain', 'deployment.spec']);
    expect(spec.out).toContain('RESOURCE: spec <Object>\n');
    expect(spec.out).toContain('   selector\t<Object> -required-\n');
    const recursive = await k(['explain', 'deployment.spec.template', '--recursive']);
    expect(recursive.out).toContain('      containers\t<[]Object> -required-\n');
    expect(await k(['explain', 'deployment.spec.nope'])).toEqual({
      code: 1,
      out: '',
      err: 'error: field "nope" does not exist\n',
    });
  });
});

describe('bosun kubectl edit', () => {
  it('updates the object the editor changed', async () => {
    await k(['create', 'deployment', 'web', '--image=nginx']);
    const env = { KUBE_EDITOR: editor("text = text.replace('replicas: 1', 'replicas: 3');") };
    expect(await k(['edit', 'deploy', 'web'], env)).toEqual({
      code: 0,
      out: 'deployment.apps/web edited\n',
      err: '',
    });
    expect((await json('get', 'deploy', 'web')).spec).toMatchObject({ replicas: 3 });
  });

  it('edits JSON with -o json, the header on top, through EDITOR', async () => {
    await k(['create', 'configmap', 'conf', '--from-literal=a=1']);
    const env = {
      EDITOR: editor(
        'if (!text.startsWith(\'# Please edit the object below.\')) process.exit(2);\ntext = text.replace(\'"a": "1"\', \'"a": "2"\');',
      ),
    };
    expect((await k(['edit', 'cm/conf', '-o', 'json'], env)).out).toBe('configmap/conf edited\n');
    expect((await json('get', 'cm', 'conf')).data).toEqual({ a: '2' });
  });

  it('cancels when nothing changed', async () => {
    await k(['create', 'configmap', 'conf', '--from-literal=a=1']);
    expect(await k(['edit', 'cm', 'conf'], { KUBE_EDITOR: editor('') })).toEqual({
      code: 0,
      out: '',
      err: 'Edit cancelled, no changes made.\n',
    });
  });

  it('keeps the file of an invalid edit and says where', async () => {
    await k(['create', 'configmap', 'conf', '--from-literal=a=1']);
    const env = { KUBE_EDITOR: editor("text = text.replace('name: conf', 'name: [unclosed');") };
    const { code, err } = await k(['edit', 'cm', 'conf'], env);
    expect(code).toBe(1);
    expect(err).toMatch(/^error: error parsing /);
    const kept = /A copy of your changes has been stored to "([^"]+)"\n$/.exec(err);
    expect(kept).not.toBeNull();
    expect(existsSync(kept![1]!)).toBe(true);
  });
});

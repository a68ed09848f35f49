/**
 * `bosun kubectl` / `bosun k` end to end through `run()`, each call a fresh invocation over one
 * temporary `$BOSUN_HOME` (so state crosses "processes" through the SQLite file).
 */

import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { memoryIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';

let home: string;

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'bosun-kubectl-'));
});

const write = (name: string, text: string) => writeFileSync(path.join(home, name), text);

async function k(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIO({ env: { BOSUN_HOME: home }, cwd: home });
  const code = await run(['k', ...argv], io);
  return { code, out: io.out(), err: io.err() };
}

const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: hasher\nspec:\n  ports:\n  - port: 80\n';
const workload = (kind: string, replicas = '2', labels = '{app: web}') => `apiVersion: apps/v1
kind: ${kind}
metadata:
  name: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: ${labels}
    spec:
      containers:
      - name: nginx
        image: nginx
`;

describe('bosun kubectl', () => {
  it('refuses the DaemonSet with replicas naming the field, accepts it with --validate=false', async () => {
    write('ds.yaml', workload('DaemonSet'));
    const refused = await k('apply', '-f', 'ds.yaml');
    expect(refused.code).toBe(1);
    expect(refused.err).toBe(
      'Error from server (BadRequest): error when creating "ds.yaml": DaemonSet in version "v1" cannot be handled as a DaemonSet: strict decoding error: unknown field "spec.replicas"\n',
    );
    expect(await k('apply', '-f', 'ds.yaml', '--validate=false')).toEqual({
      code: 0,
      out: 'daemonset.apps/web created\n',
      err: '',
    });
  });

  it('creates a namespace, lists it, and a context namespace becomes the default', async () => {
    expect((await k('create', 'namespace', 'blue')).out).toBe('namespace/blue created\n');
    expect(await k('-n', 'blue', 'get', 'all')).toEqual({
      code: 0,
      out: '',
      err: 'No resources found in blue namespace.\n',
    });
    expect((await k('config', 'set-context', '--current', '--namespace', 'blue')).out).toBe(
      'Context "bosun" modified.\n',
    );
    write('svc.yaml', SERVICE);
    expect((await k('create', '-f', 'svc.yaml')).out).toBe('service/hasher created\n');
    const all = await k('get', 'all');
    expect(all.out).toMatch(/^NAME +TYPE +CLUSTER-IP/);
    expect(all.out).toContain('service/hasher');
    expect(all.out).not.toContain('service/kubernetes');
    expect((await k('config', 'get-contexts')).out).toBe(
      'CURRENT   NAME    CLUSTER   AUTHINFO      NAMESPACE\n*         bosun   bosun     bosun-admin   blue\n',
    );
    expect((await k('config', 'current-context')).out).toBe('bosun\n');
  });

  it('keeps state across invocations; the same Service twice is AlreadyExists, in another namespace it works', async () => {
    write('svc.yaml', SERVICE);
    expect((await k('create', '-f', 'svc.yaml')).code).toBe(0);
    expect(await k('create', '-f', 'svc.yaml')).toEqual({
      code: 1,
      out: '',
      err: 'Error from server (AlreadyExists): error when creating "svc.yaml": services "hasher" already exists\n',
    });
    await k('create', 'ns', 'blue');
    expect((await k('-n', 'blue', 'create', '-f', 'svc.yaml')).out).toBe('service/hasher created\n');
    expect((await k('get', 'svc', 'hasher', '-A', '-o', 'name')).out).toBe('service/hasher\n');
  });

  it.each([
    [
      'malformed YAML',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n data: [\n',
      /^error: error parsing bad.yaml: /,
    ],
    [
      'an unknown kind',
      'apiVersion: v1\nkind: Foo\nmetadata:\n  name: x\n',
      /^error: resource mapping not found for name: "x" namespace: "" from "bad.yaml": no matches for kind "Foo" in version "v1"\nensure CRDs are installed first\n$/,
    ],
    [
      'an upper-case name',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Upper\n',
      /^The ConfigMap "Upper" is invalid: metadata.name: Invalid value: "Upper": a lowercase RFC 1123 subdomain/,
    ],
    [
      'a too long name',
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${'a'.repeat(254)}\n`,
      /must be no more than 253 characters\n$/,
    ],
    [
      'an unquoted yes as a label value',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels:\n    isactive: yes\n',
      /^Error from server \(BadRequest\): .*cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string/,
    ],
    [
      'replicas as a string',
      workload('Deployment', '"3"'),
      /^Error from server \(BadRequest\): .*cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32/,
    ],
    [
      'missing metadata',
      'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n',
      /^The ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required\n$/,
    ],
    [
      'a missing kind',
      'apiVersion: v1\nmetadata:\n  name: x\n',
      /^error: error validating "bad.yaml": error validating data: kind not set;/,
    ],
  ])('refuses %s with a kubectl-style error and stores nothing', async (_name, text, message) => {
    write('bad.yaml', text);
    const before = (await k('get', 'cm,deploy', '-o', 'name')).out;
    const result = await k('apply', '-f', 'bad.yaml');
    expect(result.code).toBe(1);
    expect(result.out).toBe('');
    expect(result.err).toMatch(message);
    expect((await k('get', 'cm,deploy', '-o', 'name')).out).toBe(before);
  });

  it('prints get errors and unknown types as kubectl does', async () => {
    expect(await k('get', 'deploy', 'web')).toEqual({
      code: 1,
      out: '',
      err: 'Error from server (NotFound): deployments.apps "web" not found\n',
    });
    expect(await k('get', 'foo')).toEqual({
      code: 1,
      out: '',
      err: 'error: the server doesn\'t have a resource type "foo"\n',
    });
  });

  it('applies created, unchanged, configured; then labels, annotates, patches and deletes', async () => {
    write('web.yaml', workload('Deployment'));
    expect((await k('apply', '-f', 'web.yaml')).out).toBe('deployment.apps/web created\n');
    expect((await k('apply', '-f', 'web.yaml')).out).toBe('deployment.apps/web unchanged\n');
    write('web.yaml', workload('Deployment', '3'));
    expect((await k('apply', '-f', '.')).out).toBe('deployment.apps/web configured\n');
    expect((await k('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}')).out).toBe('3');
    expect((await k('label', 'deploy', 'web', 'tier=front')).out).toBe('deployment.apps/web labeled\n');
    expect((await k('annotate', 'deploy/web', 'note=hi')).out).toBe('deployment.apps/web annotated\n');
    expect((await k('get', 'deploy', '--show-labels')).out).toMatch(/web .* tier=front\n$/);
    expect((await k('label', 'deploy', 'web', 'tier-')).out).toBe('deployment.apps/web labeled\n');
    expect((await k('patch', 'deploy', 'web', '--type', 'merge', '-p', '{"spec":{"replicas":1}}')).out).toBe(
      'deployment.apps/web patched\n',
    );
    const yaml = (await k('get', 'deploy', 'web', '-o', 'yaml')).out;
    expect(yaml).toMatch(/^apiVersion: apps\/v1\nkind: Deployment\n/);
    expect(yaml).toContain('  replicas: 1\n');
    expect(yaml).toContain('note: hi');
    expect(JSON.parse((await k('get', 'deploy', '-o', 'json')).out)).toMatchObject({ kind: 'List' });
    expect((await k('get', 'deploy', '-o', 'wide')).out).toMatch(
      /^NAME +READY +UP-TO-DATE +AVAILABLE +AGE +CONTAINERS +IMAGES +SELECTOR\nweb /,
    );
    expect((await k('describe', 'deploy', 'web')).out).toMatch(/^Name: +web\nNamespace: +default\n/);
    expect((await k('delete', '-f', 'web.yaml')).out).toBe('deployment.apps "web" deleted\n');
    expect((await k('get', 'deploy')).err).toBe('No resources found in default namespace.\n');
  });

  it('creates objects from generators', async () => {
    write('app.env', '# settings\nMODE=prod\n');
    expect((await k('create', 'deployment', 'web', '--image', 'nginx:1.25', '--replicas', '3')).out).toBe(
      'deployment.apps/web created\n',
    );
    expect(
      (await k('create', 'configmap', 'cfg', '--from-literal=a=b', '--from-env-file', 'app.env')).out,
    ).toBe('configmap/cfg created\n');
    expect((await k('create', 'secret', 'generic', 'pw', '--from-literal=pw=s3cret')).out).toBe(
      'secret/pw created\n',
    );
    expect((await k('create', 'sa', 'robot')).out).toBe('serviceaccount/robot created\n');
    expect((await k('create', 'service', 'nodeport', 'web', '--tcp=80:8080')).out).toBe(
      'service/web created\n',
    );
    expect((await k('get', 'cm', 'cfg', '-o', 'jsonpath={.data}')).out).toBe('{"MODE":"prod","a":"b"}');
    expect(
      (await k('get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].name}')).out,
    ).toBe('nginx');
    expect((await k('get', 'svc', 'web', '-o', 'jsonpath={.spec.type}')).out).toBe('NodePort');
  });

  it('lists api-resources and prints versions', async () => {
    const resources = (await k('api-resources')).out.split('\n');
    expect(resources[0]).toMatch(/^NAME +SHORTNAMES +APIVERSION +NAMESPACED +KIND$/);
    expect(resources).toContainEqual(
      expect.stringMatching(/^deployments +deploy +apps\/v1 +true +Deployment$/),
    );
    expect((await k('version')).out).toMatch(
      /^Client Version: v\d+\.\d+\.\d+\nServer Version: v\d+\.\d+\.\d+\n$/,
    );
  });

  it('is also `bosun kubectl`', async () => {
    const io = memoryIO({ env: { BOSUN_HOME: home }, cwd: home });
    expect(await run(['kubectl', 'get', 'ns', '-o', 'name'], io)).toBe(0);
    expect(io.out()).toContain('namespace/default\n');
  });
});

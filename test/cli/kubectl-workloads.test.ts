/**
 * `bosun kubectl scale|rollout|set` end to end through `run()`, on the embedded cluster of a
 * temporary BOSUN_HOME (every built-in controller running).
 */

import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { memoryIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';

let home: string;

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'bosun-kubectl-workloads-'));
});

async function k(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIO({ env: { BOSUN_HOME: home }, cwd: home });
  const code = await run(['k', ...argv], io);
  return { code, out: io.out(), err: io.err() };
}

const ok = (out: string) => ({ code: 0, out, err: '' });
const fails = (err: string) => ({ code: 1, out: '', err });

describe('bosun kubectl scale', () => {
  it('scales a Deployment (TYPE/NAME and TYPE NAME) and refuses a negative count or a missing object', async () => {
    expect((await k('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2')).code).toBe(0);
    expect(await k('scale', 'deploy/web', '--replicas=3')).toEqual(ok('deployment.apps/web scaled\n'));
    expect(await k('scale', 'deployment', 'web', '--replicas', '4')).toEqual(
      ok('deployment.apps/web scaled\n'),
    );
    expect((await k('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}')).out).toBe('4');
    expect((await k('get', 'rs', '-o', 'jsonpath={.items[0].spec.replicas}')).out).toBe('4');
    expect(await k('scale', 'deploy/web', '--replicas=-1')).toEqual(
      fails('error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n'),
    );
    expect(await k('scale', 'deploy/web')).toEqual(
      fails('error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n'),
    );
    expect(await k('scale', 'deploy', 'nope', '--replicas=2')).toEqual(
      fails('Error from server (NotFound): deployments.apps "nope" not found\n'),
    );
    expect(await k('scale', 'deploy/web', '--replicas=1', '--current-replicas=2')).toEqual(
      fails('error: Expected replicas to be 2, was 4\n'),
    );
  });
});

describe('bosun kubectl set image / rollout history / rollout undo', () => {
  it('rolls out a new image, lists the revisions, rolls back and refuses unknown revisions', async () => {
    await k('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2');
    expect(await k('set', 'image', 'deploy/web', 'nginx=nginx:1.28')).toEqual(
      ok('deployment.apps/web image updated\n'),
    );
    expect(await k('set', 'image', 'deploy/web', 'nginx=nginx:1.28')).toEqual(ok(''));
    expect(await k('set', 'image', 'deploy/web', 'x=nginx')).toEqual(
      fails('error: unable to find container named "x"\n'),
    );
    expect(await k('rollout', 'history', 'deploy/web')).toEqual(
      ok('deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n'),
    );
    expect(
      (await k('get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}')).out,
    ).toBe('nginx:1.28');
    expect(await k('rollout', 'undo', 'deploy/web')).toEqual(ok('deployment.apps/web rolled back\n'));
    expect(
      (await k('get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}')).out,
    ).toBe('nginx:1.27');
    expect((await k('rollout', 'history', 'deployment', 'web')).out).toBe(
      'deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n',
    );
    expect(await k('rollout', 'undo', 'deploy/web', '--to-revision=3')).toEqual(
      ok('deployment.apps/web skipped rollback (current template already matches revision 3)\n'),
    );
    expect(await k('rollout', 'undo', 'deploy/web', '--to-revision=5')).toEqual(
      fails('error: unable to find specified revision 5 in history\n'),
    );
    const revision = await k('rollout', 'history', 'deploy/web', '--revision=2');
    expect(revision.out).toMatch(
      /^deployment\.apps\/web with revision #2\nPod Template:\n {2}Labels:\tapp=web\n/,
    );
    expect(revision.out).toContain('    Image:\tnginx:1.28\n');
  });

  it('records the command line with --record (deprecated), shown as the change-cause', async () => {
    await k('create', 'deployment', 'web', '--image=nginx:1.27');
    expect(await k('set', 'image', 'deploy/web', 'nginx=nginx:1.28', '--record')).toEqual({
      code: 0,
      out: 'deployment.apps/web image updated\n',
      err: 'Flag --record has been deprecated, --record will be removed in the future\n',
    });
    expect((await k('rollout', 'history', 'deploy/web')).out).toBe(
      'deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         kubectl set image deploy/web nginx=nginx:1.28 --record\n\n',
    );
  });
});

describe('bosun kubectl rollout pause/resume/restart/status', () => {
  it('pauses, refuses to pause twice, waits (no rollout while paused), resumes and restarts', async () => {
    await k('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2');
    expect(await k('rollout', 'pause', 'deploy/web')).toEqual(ok('deployment.apps/web paused\n'));
    expect(await k('rollout', 'pause', 'deploy/web')).toEqual(
      fails('error: deployments.apps "web" is already paused\n'),
    );
    await k('set', 'image', 'deploy/web', 'nginx=nginx:1.28');
    const waiting =
      'Waiting for deployment "web" rollout to finish: 0 out of 2 new replicas have been updated...\n';
    expect(await k('rollout', 'status', 'deploy/web', '--watch=false')).toEqual(ok(waiting));
    expect(await k('rollout', 'status', 'deploy/web', '--timeout=3s')).toEqual({
      code: 1,
      out: waiting,
      err: 'error: timed out waiting for the condition\n',
    });
    expect(await k('rollout', 'resume', 'deploy/web')).toEqual(ok('deployment.apps/web resumed\n'));
    expect(await k('rollout', 'resume', 'deploy/web')).toEqual(
      fails('error: deployments.apps "web" is not paused\n'),
    );
    expect(await k('rollout', 'restart', 'deploy/web')).toEqual(ok('deployment.apps/web restarted\n'));
    expect(
      (await k('get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.metadata.annotations}')).out,
    ).toMatch(/^\{"kubectl\.kubernetes\.io\/restartedAt":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"\}$/);
  });

  it('reports the bootstrapped coredns Deployment rolled out, and refuses kinds without a status viewer', async () => {
    expect(await k('rollout', 'status', 'deployment/coredns', '-n', 'kube-system')).toEqual(
      ok('deployment "coredns" successfully rolled out\n'),
    );
    expect(await k('rollout', 'status', 'deploy/nope')).toEqual(
      fails('Error from server (NotFound): deployments.apps "nope" not found\n'),
    );
    expect(await k('rollout', 'history', 'svc/kubernetes')).toEqual(
      fails('error: no history viewer has been implemented for "Service"\n'),
    );
  });

  it('fails once a rollout that cannot progress passes its deadline (cluster time)', async () => {
    writeFileSync(
      path.join(home, 'stuck.yaml'),
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: stuck}
spec:
  replicas: 2
  progressDeadlineSeconds: 30
  selector: {matchLabels: {app: stuck}}
  template:
    metadata: {labels: {app: stuck}}
    spec:
      nodeSelector: {disktype: none}
      containers: [{name: web, image: nginx:1.27}]
`,
    );
    expect((await k('apply', '-f', 'stuck.yaml')).code).toBe(0);
    expect(await k('rollout', 'status', 'deploy/stuck')).toEqual({
      code: 1,
      out: 'Waiting for deployment "stuck" rollout to finish: 0 of 2 updated replicas are available...\n',
      err: 'error: deployment "stuck" exceeded its progress deadline\n',
    });
  });
});

describe('bosun kubectl set env', () => {
  it('sets, lists and removes variables', async () => {
    await k('create', 'deployment', 'web', '--image=nginx:1.27');
    expect(await k('set', 'env', 'deploy/web', 'MODE=dev', 'LEVEL=3')).toEqual(
      ok('deployment.apps/web env updated\n'),
    );
    expect(await k('set', 'env', 'deploy/web', '--list')).toEqual(
      ok('# Deployment web, container nginx\nMODE=dev\nLEVEL=3\n'),
    );
    expect(await k('set', 'env', 'deploy/web', 'MODE-')).toEqual(ok('deployment.apps/web env updated\n'));
    expect((await k('set', 'env', 'deploy/web', '--list')).out).toBe(
      '# Deployment web, container nginx\nLEVEL=3\n',
    );
    expect(await k('set', 'env', 'deploy/web')).toEqual(
      fails('error: at least one environment variable must be provided\n'),
    );
  });
});

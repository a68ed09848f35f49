/**
 * The streaming side of the pod verbs through `run()`: `exec`'s output and exit code, an
 * attached `run --rm -i`, `logs` output, and `get -w` printing what the cluster does while it
 * settles. The embedded cluster is real; container logs and exec answers are fakes the tests
 * set, and the cluster is opened without its automatic settle so the watch sees it happen.
 */

import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { memoryIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import type { KubeClient } from '../../src/kube/index.js';

/** What the tests fake on every client the CLI opens. */
const fakes: Partial<Pick<KubeClient, 'logs' | 'exec'>> = {};
/** Whether opening the cluster settles it (as the CLI does) or leaves the settling to the command. */
const opening = { settle: true };

vi.mock('../../src/kube/embedded.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/kube/embedded.js')>();
  return {
    ...real,
    openEmbeddedCluster: (
      home: string | undefined,
      options: Parameters<typeof real.openEmbeddedCluster>[1] = {},
    ) => {
      const cluster = real.openEmbeddedCluster(home, { ...options, settle: opening.settle });
      const client = new Proxy(cluster.client, {
        get: (target, key, receiver) =>
          key in fakes ? fakes[key as keyof typeof fakes] : Reflect.get(target, key, receiver),
      });
      return { client, close: () => cluster.close() };
    },
  };
});

let home: string;

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'bosun-kubectl-streams-'));
  delete fakes.logs;
  delete fakes.exec;
  opening.settle = true;
});

async function k(argv: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIO({ env: { BOSUN_HOME: home }, cwd: home, stdin });
  const code = await run(['k', ...argv], io);
  return { code, out: io.out(), err: io.err() };
}

describe('bosun kubectl exec', () => {
  it("prints the command's output and exits with its code, as kubectl does", async () => {
    await k(['run', 'my-pod', '--image=alpine', '--restart=Never', '--', 'sleep', '3600']);
    const calls: unknown[] = [];
    fakes.exec = async (namespace, pod, argv, options) => {
      calls.push({ namespace, pod, argv, options });
      return { stdout: 'config.ini\n', stderr: 'ls: warning\n', exitCode: 3 };
    };
    expect(await k(['exec', '-i', 'my-pod', '--', 'ls', '/etc/config'], 'input')).toEqual({
      code: 3,
      out: 'config.ini\n',
      err: 'ls: warning\ncommand terminated with exit code 3\n',
    });
    expect(calls).toEqual([
      {
        namespace: 'default',
        pod: 'my-pod',
        argv: ['ls', '/etc/config'],
        options: { container: 'my-pod', stdin: 'input' },
      },
    ]);
    fakes.exec = async () => ({ stdout: 'ok\n', stderr: '', exitCode: 0 });
    expect(await k(['exec', 'my-pod', '-c', 'my-pod', '--', 'true'])).toEqual({
      code: 0,
      out: 'ok\n',
      err: '',
    });
  });
});

describe('bosun kubectl logs', () => {
  it('prints the log of the pod a deployment picks', async () => {
    await k(['run', 'rng', '--image=dockercoins/rng:v0.1']);
    fakes.logs = async (_ns, pod, options) =>
      `[${pod.replace(/-\w+-\w+$/, '')}/${options?.container}] tail=${options?.tailLines}\n`;
    expect(await k(['logs', 'deploy/rng', '--tail', '1'])).toEqual({
      code: 0,
      out: '[rng/rng] tail=1\n',
      err: '',
    });
    expect(await k(['logs', '-l', 'run=rng'])).toEqual({ code: 0, out: '[rng/rng] tail=10\n', err: '' });
  });
});

describe('bosun kubectl run, attached', () => {
  it('--rm -i --restart=Never: shows the output, deletes the pod, exits with its code', async () => {
    fakes.exec = async () => ({ stdout: 'hello\n', stderr: '', exitCode: 0 });
    const result = await k(
      ['run', '-i', '--rm', '--restart=Never', '--image=alpine', 'my-test'],
      'echo hello\n',
    );
    expect(result).toEqual({ code: 0, out: 'hello\npod "my-test" deleted\n', err: '' });
    expect((await k(['get', 'pod', 'my-test'])).err).toBe(
      'Error from server (NotFound): pods "my-test" not found\n',
    );
  });

  it('--rm -it on a Deployment (the 1.15 default) deletes the deployment after the session', async () => {
    fakes.exec = async (_ns, _pod, argv) => ({ stdout: `${argv.join(' ')}\n`, stderr: '', exitCode: 0 });
    const result = await k(['run', '--rm', '-it', '--image=alpine', 'my-test'], 'apk -U add curl\n');
    expect(result.out).toBe('sh\ndeployment.apps "my-test" deleted\n');
    expect(result.err).toBe(
      "kubectl run --generator=deployment/apps.v1 is DEPRECATED and will be removed in a future version. Use kubectl run --generator=run-pod/v1 or kubectl create instead.\nIf you don't see a command prompt, try pressing enter.\n",
    );
    expect(result.code).toBe(0);
  });
});

describe('bosun kubectl get -w', () => {
  it('prints, as watch lines, the changes the cluster makes while it settles', async () => {
    opening.settle = false;
    expect((await k(['create', 'deployment', 'web', '--image=nginx'])).code).toBe(0);
    const watched = await k(['get', 'deployments', '-w', '--request-timeout=1s']);
    expect(watched.code).toBe(0);
    const lines = watched.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME +READY +UP-TO-DATE +AVAILABLE +AGE$/);
    // Listed before the controllers ran, then each change they made, ending ready.
    expect(lines[1]).toMatch(/^web +0\/1 +0 +0 +\d+s$/);
    expect(lines.length).toBeGreaterThan(2);
    expect(lines[lines.length - 1]).toMatch(/^web +1\/1 +1 +1 +\d+s$/);
  });
});

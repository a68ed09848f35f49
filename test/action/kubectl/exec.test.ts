/**
 * `kubectl exec`: the operands (`POD -- CMD`; the old `POD CMD` refused as kubectl 1.34 refuses
 * it), the pod a workload names, the default container and its notice, and what the command
 * returned.
 */

import { describe, expect, it } from 'vitest';
import { ExecAction, execOperands } from '../../../src/action/kubectl/index.js';
import type { PodExecOptions } from '../../../src/kube/index.js';
import { addPod, useStillCluster } from './pod-verb-fakes.js';

const setup = useStillCluster();

describe('execOperands', () => {
  it('splits the target from the command at --', () => {
    expect(execOperands(['my-pod', 'ls', '-l', '/etc/config'], 1)).toEqual({
      target: 'my-pod',
      command: ['ls', '-l', '/etc/config'],
    });
  });

  it.each([
    [
      ['my-pod', 'sh'],
      -1,
      'exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead',
    ],
    [['my-pod'], -1, 'you must specify at least one command for the container'],
    [['my-pod'], 1, 'you must specify at least one command for the container'],
    [[], -1, 'pod, type/name or --filename must be specified'],
    [['sh'], 0, 'pod, type/name or --filename must be specified'],
  ])('%j (operands before --: %d) is refused: %s', (args, dashAt, message) => {
    expect(() => execOperands(args, dashAt)).toThrow(
      `${message}\nSee 'kubectl exec -h' for help and examples`,
    );
  });
});

describe('ExecAction', () => {
  it('runs the command in the first container, passing stdin and tty, and hands back what it returned', async () => {
    const calls: unknown[] = [];
    const { cluster, client } = setup({
      exec: async (ns, pod, argv, options?: PodExecOptions) => {
        calls.push({ ns, pod, argv, options });
        return { stdout: 'SOME_VARIABLE=some value\n', stderr: '', exitCode: 0 };
      },
    });
    addPod(cluster, { name: 'my-pod' });
    const result = await new ExecAction({ client, namespace: 'default', stdin: 'env\n', tty: true }).run(
      'my-pod',
      ['sh'],
    );
    expect(result).toEqual({ stdout: 'SOME_VARIABLE=some value\n', stderr: '', exitCode: 0, notices: [] });
    expect(calls).toEqual([
      {
        ns: 'default',
        pod: 'my-pod',
        argv: ['sh'],
        options: { container: 'my-pod', stdin: 'env\n', tty: true },
      },
    ]);
  });

  it('says which container it defaulted to, unless -q; -c picks one', async () => {
    const containers: string[] = [];
    const { cluster, client } = setup({
      exec: async (_ns, _pod, _argv, options?: PodExecOptions) => {
        containers.push(options?.container ?? '');
        return { stdout: '', stderr: 'sh: bash: not found\n', exitCode: 127 };
      },
    });
    addPod(cluster, { name: 'consul-0', containers: ['consul', 'exporter'] });
    const action = (extra = {}) => new ExecAction({ client, namespace: 'default', ...extra });
    expect((await action().run('consul-0', ['bash'])).notices).toEqual([
      'Defaulted container "consul" out of: consul, exporter',
    ]);
    expect((await action({ quiet: true }).run('consul-0', ['bash'])).notices).toEqual([]);
    const picked = await action({ container: 'exporter' }).run('consul-0', ['bash']);
    expect(picked).toMatchObject({ exitCode: 127, stderr: 'sh: bash: not found\n', notices: [] });
    expect(containers).toEqual(['consul', 'consul', 'exporter']);
  });

  it('TYPE/NAME picks the pod attach would: running and ready first', async () => {
    const pods: string[] = [];
    const { cluster, client } = setup({
      exec: async (_ns, pod) => {
        pods.push(pod);
        return { stdout: '', stderr: '', exitCode: 0 };
      },
    });
    cluster.api.create(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web' },
        spec: {
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'web', image: 'x' }] },
          },
        },
      },
      { namespace: 'default' },
    );
    addPod(cluster, { name: 'web-pending', labels: { app: 'web' }, status: { phase: 'Pending' } });
    addPod(cluster, { name: 'web-running', labels: { app: 'web' }, nodeName: 'node2' });
    await new ExecAction({ client, namespace: 'default' }).run('deploy/web', ['date']);
    expect(pods).toEqual(['web-running']);
  });

  it('refuses a completed pod and a missing one in kubectl words', async () => {
    const { cluster, client } = setup({ exec: async () => ({ stdout: '', stderr: '', exitCode: 0 }) });
    addPod(cluster, { name: 'done', status: { phase: 'Succeeded' } });
    const action = new ExecAction({ client, namespace: 'default' });
    await expect(action.run('done', ['ls'])).rejects.toThrow(
      'cannot exec into a container in a completed pod; current phase is Succeeded',
    );
    await expect(action.run('nope', ['ls'])).rejects.toThrow('pods "nope" not found');
  });
});

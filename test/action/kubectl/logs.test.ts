/**
 * `kubectl logs`: which container logs a command reads (a pod, `-c`, the default container and
 * its notice, the pod a workload picks with `Found N pods`, `-l` with its 10-line default), the
 * request options (`--tail`, `--since`, `--timestamps`, `-p`), kubectl's errors, and `-f`
 * printing new lines until the container ends or the command stops.
 */

import { describe, expect, it } from 'vitest';
import { LogsAction, type LogsOptions } from '../../../src/action/kubectl/index.js';
import type { PodLogOptions } from '../../../src/kube/index.js';
import { addPod, collected, setPodStatus, useStillCluster } from './pod-verb-fakes.js';

const setup = useStillCluster();

/** A fake log per pod/container that records what was asked. */
function fakeLogs(text: (pod: string, container: string) => string) {
  const asked: { pod: string; options: PodLogOptions }[] = [];
  return {
    asked,
    logs: async (_ns: string, pod: string, options: PodLogOptions = {}) => {
      asked.push({ pod, options });
      return text(pod, options.container ?? '');
    },
  };
}

async function logs(
  client: LogsOptions['client'],
  args: string[],
  options: Partial<LogsOptions> = {},
): Promise<{ out: string; err: string }> {
  const { output, out, err } = collected();
  await new LogsAction({ client, namespace: 'default', ...options }).run(args, output);
  return { out: out(), err: err() };
}

describe('kubectl logs', () => {
  it("prints a pod's only container log, with the options asked for", async () => {
    const fake = fakeLogs((pod, c) => `${pod}/${c} line\n`);
    const { cluster, client } = setup({ logs: fake.logs });
    addPod(cluster, { name: 'web' });
    expect(
      await logs(client, ['web'], {
        tail: 5,
        timestamps: true,
        sinceSeconds: 300,
        previous: true,
        limitBytes: 100,
      }),
    ).toEqual({ out: 'web/web line\n', err: '' });
    expect(fake.asked).toEqual([
      {
        pod: 'web',
        options: {
          container: 'web',
          previous: true,
          timestamps: true,
          tailLines: 5,
          sinceSeconds: 300,
          limitBytes: 100,
        },
      },
    ]);
  });

  it("defaults to the first container with kubectl's notice; -c, the second operand and the annotation pick others", async () => {
    const fake = fakeLogs((_pod, c) => `${c}\n`);
    const { cluster, client } = setup({ logs: fake.logs });
    addPod(cluster, { name: 'web', containers: ['nginx', 'sidecar'], initContainers: ['setup'] });
    expect(await logs(client, ['web'])).toEqual({
      out: 'nginx\n',
      err: 'Defaulted container "nginx" out of: setup (init), nginx, sidecar\n',
    });
    expect(await logs(client, ['web'], { container: 'sidecar' })).toEqual({ out: 'sidecar\n', err: '' });
    expect(await logs(client, ['web', 'setup'])).toEqual({ out: 'setup\n', err: '' });
    addPod(cluster, {
      name: 'annotated',
      containers: ['a', 'b'],
      annotations: { 'kubectl.kubernetes.io/default-container': 'b' },
    });
    expect(await logs(client, ['annotated'])).toEqual({ out: 'b\n', err: '' });
    await expect(logs(client, ['web'], { container: 'nope' })).rejects.toThrow(
      'container nope is not valid for pod web',
    );
  });

  it('--all-containers reads init containers first, --prefix names each line', async () => {
    const fake = fakeLogs((_pod, c) => `one ${c}\ntwo ${c}\n`);
    const { cluster, client } = setup({ logs: fake.logs });
    addPod(cluster, { name: 'web', containers: ['nginx', 'sidecar'], initContainers: ['setup'] });
    expect((await logs(client, ['web'], { allContainers: true, prefix: true })).out).toBe(
      [
        '[pod/web/setup] one setup',
        '[pod/web/setup] two setup',
        '[pod/web/nginx] one nginx',
        '[pod/web/nginx] two nginx',
        '[pod/web/sidecar] one sidecar',
        '[pod/web/sidecar] two sidecar',
        '',
      ].join('\n'),
    );
  });

  it('deploy/NAME reads the pod kubectl picks (Running and ready first) and says how many there were', async () => {
    const fake = fakeLogs((pod) => `${pod}\n`);
    const { cluster, client } = setup({ logs: fake.logs });
    cluster.api.create(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'rng' },
        spec: {
          selector: { matchLabels: { app: 'rng' } },
          template: {
            metadata: { labels: { app: 'rng' } },
            spec: { containers: [{ name: 'rng', image: 'x' }] },
          },
        },
      },
      { namespace: 'default' },
    );
    addPod(cluster, {
      name: 'rng-a',
      labels: { app: 'rng' },
      containers: ['rng'],
      status: { phase: 'Pending' },
    });
    addPod(cluster, { name: 'rng-b', labels: { app: 'rng' }, containers: ['rng'], nodeName: 'node2' });
    addPod(cluster, { name: 'other', labels: { app: 'web' } });
    expect(await logs(client, ['deploy/rng'])).toEqual({
      out: 'rng-b\n',
      err: 'Found 2 pods, using pod/rng-b\n',
    });
  });

  it('-l reads every selected pod, 10 lines each unless --tail says otherwise', async () => {
    const fake = fakeLogs((pod) => `${pod}\n`);
    const { cluster, client } = setup({ logs: fake.logs });
    addPod(cluster, { name: 'rng-1', labels: { run: 'rng' } });
    addPod(cluster, { name: 'rng-2', labels: { run: 'rng' } });
    addPod(cluster, { name: 'web', labels: { run: 'web' } });
    expect(await logs(client, [], { labelSelector: 'run=rng' })).toEqual({ out: 'rng-1\nrng-2\n', err: '' });
    expect(fake.asked.map((a) => a.options.tailLines)).toEqual([10, 10]);
    await logs(client, [], { labelSelector: 'run=rng', tail: 1 });
    expect(fake.asked.slice(2).map((a) => a.options.tailLines)).toEqual([1, 1]);
    expect(await logs(client, [], { labelSelector: 'run=none' })).toEqual({
      out: '',
      err: 'No resources found in default namespace.\n',
    });
  });

  it('refuses what kubectl refuses, in its words', async () => {
    const { client } = setup({ logs: async () => '' });
    await expect(logs(client, [])).rejects.toThrow(
      "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples",
    );
    await expect(logs(client, ['web'], { labelSelector: 'a=b' })).rejects.toThrow(
      'only a selector (-l) or a POD name is allowed',
    );
    await expect(logs(client, ['nope'])).rejects.toThrow(
      'error from server (NotFound): pods "nope" not found in namespace "default"',
    );
    await expect(logs(client, ['deploy/nope'])).rejects.toThrow(
      'error from server (NotFound): deployments.apps "nope" not found in namespace "default"',
    );
  });

  it('a workload with no pod is waited for (cluster time), then times out', async () => {
    let slept = 0;
    const { cluster, client } = setup({
      logs: async () => '',
      sleep: async (ms) => {
        slept += ms;
      },
    });
    cluster.api.create(
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web' },
        spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
      },
      { namespace: 'default' },
    );
    await expect(logs(client, ['svc/web'], { podRunningTimeoutMs: 3000 })).rejects.toThrow(
      'timed out waiting for the condition',
    );
    expect(slept).toBe(3000);
  });

  it('-f prints the new lines each poll, and stops when the container terminates', async () => {
    let lines = 2;
    const { cluster, client } = setup({
      logs: async (_ns, _pod, options = {}) => {
        const all = Array.from({ length: lines }, (_, i) => `64 bytes: seq=${i}\n`);
        return all.slice(options.tailLines === undefined ? 0 : -options.tailLines).join('');
      },
    });
    addPod(cluster, { name: 'ping', containers: ['ping'] });
    const paced: number[] = [];
    const result = await logs(client, ['ping'], {
      follow: true,
      tail: 1,
      pace: async (ms) => {
        paced.push(ms);
        lines++;
        if (paced.length === 3)
          setPodStatus(cluster, 'ping', {
            phase: 'Succeeded',
            containerStatuses: [{ name: 'ping', state: { terminated: { exitCode: 0 } }, restartCount: 0 }],
          });
      },
    });
    expect(result.out).toBe('64 bytes: seq=1\n64 bytes: seq=2\n64 bytes: seq=3\n64 bytes: seq=4\n');
    expect(paced).toEqual([1000, 1000, 1000]);
  });

  it('-f stops when told (an interrupt), and a restarted container ends the stream', async () => {
    let lines = 1;
    const { cluster, client } = setup({ logs: async () => `${'x\n'.repeat(lines)}` });
    addPod(cluster, { name: 'ping', containers: ['ping'] });
    let stop = false;
    const interrupted = await logs(client, ['ping'], {
      follow: true,
      pace: async () => {
        lines++;
        stop = lines === 3;
      },
      stopped: () => stop,
    });
    expect(interrupted.out).toBe('x\nx\nx\n');
    const restarted = await logs(client, ['ping'], {
      follow: true,
      pace: async () => {
        setPodStatus(cluster, 'ping', {
          phase: 'Running',
          containerStatuses: [{ name: 'ping', state: { running: {} }, restartCount: 1 }],
        });
        lines = 1;
      },
    });
    expect(restarted.out).toBe('x\nx\nx\n');
  });

  it('-f with several streams refuses more than --max-log-requests', async () => {
    const { cluster, client } = setup({ logs: async () => '' });
    for (const n of [1, 2, 3]) addPod(cluster, { name: `p${n}`, labels: { run: 'p' } });
    await expect(
      logs(client, [], { labelSelector: 'run=p', follow: true, maxLogRequests: 2 }),
    ).rejects.toThrow(
      'you are attempting to follow 3 log streams, but maximum allowed concurrency is 2, use --max-log-requests to increase the limit',
    );
  });
});

/**
 * `kubectl run` as kubectl 1.15's generators built it: what each generator makes, the deprecation
 * notice, the flags' errors, `--dry-run -o yaml`'s zero values, and the attached run (wait for the
 * pod, show its output, exit with its code, `--rm`).
 */

import { describe, expect, it } from 'vitest';
import { asGenerated, planRun, RunAction, runDeprecation } from '../../../src/action/kubectl/index.js';
import { useEmbeddedCluster } from '../../helpers/embedded-cluster.js';
import { addPod, collected, setPodStatus, useStillCluster } from './pod-verb-fakes.js';

const open = useEmbeddedCluster();

describe('planRun (kubectl 1.15 generators)', () => {
  it('makes an apps/v1 Deployment labelled run=NAME, the container named NAME, and announces the deprecation', () => {
    const plan = planRun('pingpong', { image: 'alpine', args: ['ping', '1.1.1.1'] });
    expect(plan.generator).toBe('deployment/apps.v1');
    expect(plan.deprecation).toBe(
      'kubectl run --generator=deployment/apps.v1 is DEPRECATED and will be removed in a future version. Use kubectl run --generator=run-pod/v1 or kubectl create instead.',
    );
    expect(plan.object).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'pingpong', labels: { run: 'pingpong' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { run: 'pingpong' } },
        template: {
          metadata: { labels: { run: 'pingpong' } },
          spec: { containers: [{ name: 'pingpong', image: 'alpine', args: ['ping', '1.1.1.1'] }] },
        },
      },
    });
  });

  it.each([
    [{ restart: 'OnFailure' }, 'job/v1', 'Job', 'batch/v1'],
    [{ restart: 'Never' }, 'run-pod/v1', 'Pod', 'v1'],
    [{ generator: 'run-pod/v1' }, 'run-pod/v1', 'Pod', 'v1'],
    [{ schedule: '*/1 * * * *' }, 'cronjob/v1beta1', 'CronJob', 'batch/v1'],
    [{ generator: 'run/v1' }, 'run/v1', 'ReplicationController', 'v1'],
  ])('%j uses %s and makes a %s', (flags, generator, kind, apiVersion) => {
    const plan = planRun('hello', { image: 'busybox', ...flags });
    expect(plan.generator).toBe(generator);
    expect(plan.object).toMatchObject({
      kind,
      apiVersion,
      metadata: { name: 'hello', labels: { run: 'hello' } },
    });
    expect(plan.deprecation).toBe(generator === 'run-pod/v1' ? undefined : runDeprecation(generator));
  });

  it('a bare Pod gets dnsPolicy ClusterFirst and the restart policy; a Job OnFailure; a CronJob Never unless told', () => {
    expect(planRun('p', { image: 'nginx', restart: 'Never' }).object.spec).toEqual({
      containers: [{ name: 'p', image: 'nginx' }],
      dnsPolicy: 'ClusterFirst',
      restartPolicy: 'Never',
    });
    expect(planRun('j', { image: 'nginx', restart: 'OnFailure' }).object).toMatchObject({
      spec: { template: { metadata: { labels: { run: 'j' } }, spec: { restartPolicy: 'OnFailure' } } },
    });
    const cron = planRun('c', { image: 'busybox', schedule: '*/1 * * * *', args: ['date'] }).object;
    expect(cron.spec).toMatchObject({
      schedule: '*/1 * * * *',
      concurrencyPolicy: 'Allow',
      jobTemplate: {
        spec: {
          template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', args: ['date'] }] } },
        },
      },
    });
    expect(
      planRun('c', { image: 'busybox', schedule: '@hourly', restart: 'OnFailure' }).object,
    ).toMatchObject({
      spec: { jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure' } } } } },
    });
  });

  it('takes --replicas, --port, --labels, --env, --serviceaccount, --image-pull-policy, --command, --limits/--requests, -i/-t', () => {
    const plan = planRun('web', {
      image: 'nginx:1.13.11',
      replicas: 3,
      port: 80,
      labels: 'app=web,tier=front',
      env: ['MODE=prod', 'EMPTY='],
      serviceAccount: 'viewer',
      imagePullPolicy: 'IfNotPresent',
      command: true,
      args: ['nginx', '-g', 'daemon off;'],
      limits: 'cpu=200m,memory=512Mi',
      requests: 'cpu=100m',
      stdin: true,
      tty: true,
    });
    const labels = { app: 'web', tier: 'front' };
    expect(plan.object).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels },
      spec: {
        replicas: 3,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: 'web',
                image: 'nginx:1.13.11',
                command: ['nginx', '-g', 'daemon off;'],
                env: [
                  { name: 'MODE', value: 'prod' },
                  { name: 'EMPTY', value: '' },
                ],
                imagePullPolicy: 'IfNotPresent',
                ports: [{ containerPort: 80 }],
                resources: { limits: { cpu: '200m', memory: '512Mi' }, requests: { cpu: '100m' } },
                stdin: true,
                stdinOnce: true,
                tty: true,
              },
            ],
            serviceAccountName: 'viewer',
          },
        },
      },
    });
  });

  it('--expose adds a ClusterIP Service selecting run=NAME on --port', () => {
    const plan = planRun('web', { image: 'nginx', port: 80, expose: true });
    expect(plan.service).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], selector: { run: 'web' } },
    });
  });

  it.each([
    [{}, "--image is required\nSee 'kubectl run -h' for help and examples"],
    [{ image: 'Foo/Bar' }, 'Invalid image name "Foo/Bar": invalid reference format'],
    [{ image: 'nginx', restart: 'Sometimes' }, 'invalid restart policy: Sometimes'],
    [
      { image: 'nginx', restart: 'Never', replicas: 3 },
      '--restart=Never requires that --replicas=1, found 3',
    ],
    [{ image: 'nginx', imagePullPolicy: 'Maybe' }, 'invalid image pull policy: Maybe'],
    [{ image: 'nginx', expose: true }, '--port must be set when exposing a service'],
    [{ image: 'nginx', generator: 'deployment/v9' }, 'generator "deployment/v9" not found'],
    [{ image: 'nginx', labels: 'app' }, 'invalid label spec: app'],
    [{ image: 'nginx', env: ['1BAD=x'] }, 'invalid env: 1BAD=x'],
    [{ image: 'nginx', limits: 'cpu' }, 'Invalid argument syntax cpu, expected <resource>=<value>'],
  ])('refuses %j: %s', (spec, message) => {
    expect(() => planRun('web', spec)).toThrow(message);
  });

  it('NAME is required', () => {
    expect(() => planRun('', { image: 'nginx' })).toThrow('NAME is required for run');
  });
});

describe('asGenerated (--dry-run -o yaml)', () => {
  it("adds Go's zero values the way kubectl 1.15 printed them", () => {
    expect(asGenerated(planRun('web', { image: 'nginx' }).object)).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { creationTimestamp: null, name: 'web', labels: { run: 'web' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { run: 'web' } },
        strategy: {},
        template: {
          metadata: { creationTimestamp: null, labels: { run: 'web' } },
          spec: { containers: [{ name: 'web', image: 'nginx', resources: {} }] },
        },
      },
      status: {},
    });
    const pod = asGenerated(planRun('p', { image: 'nginx', restart: 'Never' }).object);
    expect(pod).toMatchObject({ metadata: { creationTimestamp: null }, status: {} });
    expect((pod.spec as { containers: unknown[] }).containers).toEqual([
      { name: 'p', image: 'nginx', resources: {} },
    ]);
  });
});

describe('RunAction.create', () => {
  it("creates the Deployment and the --expose Service; kubectl's lines name their kinds", async () => {
    const client = open();
    const action = new RunAction({ client, namespace: 'default' });
    const created = await action.create(planRun('web', { image: 'nginx', port: 80, expose: true }));
    expect(await action.createdLine(created.service!)).toBe('service/web created');
    expect(await action.createdLine(created.object)).toBe('deployment.apps/web created');
    const deployment = await client.get('deployments', 'default', 'web');
    expect(deployment.metadata).toMatchObject({ labels: { run: 'web' } });
    const service = await client.get('services', 'default', 'web');
    expect(service.spec).toMatchObject({ selector: { run: 'web' }, type: 'ClusterIP' });
  });

  it('creates nothing with --dry-run=client and says so', async () => {
    const client = open();
    const action = new RunAction({ client, namespace: 'default', dryRun: 'client' });
    const created = await action.create(planRun('web', { image: 'nginx', restart: 'Never' }));
    expect(await action.createdLine(created.object)).toBe('pod/web created (dry run)');
    await expect(client.get('pods', 'default', 'web')).rejects.toThrow('pods "web" not found');
  });

  it('--rm deletes what it created, with kubectl lines', async () => {
    const client = open();
    const action = new RunAction({ client, namespace: 'default' });
    const created = await action.create(planRun('web', { image: 'nginx', port: 80, expose: true }));
    expect(await action.remove(created)).toEqual(['deployment.apps "web" deleted', 'service "web" deleted']);
    await expect(client.get('services', 'default', 'web')).rejects.toThrow('not found');
  });
});

describe('RunAction.attach', () => {
  const setup = useStillCluster();

  it('shows a finished pod its log and exits with its code (--restart=Never)', async () => {
    const { client, cluster } = setup({
      logs: async () => 'curl: (28) Connection timed out after 3001 milliseconds\n',
    });
    const action = new RunAction({ client, namespace: 'default' });
    const plan = planRun('testcurl', {
      image: 'centos',
      restart: 'Never',
      args: ['curl', '-m3', '10.96.0.10'],
    });
    const created = await action.create(plan);
    setPodStatus(cluster, 'testcurl', {
      phase: 'Failed',
      containerStatuses: [
        { name: 'testcurl', state: { terminated: { exitCode: 28, reason: 'Error' } }, restartCount: 0 },
      ],
    });
    const { output, out, err } = collected();
    const outcome = await action.attach(created.object, plan.restartPolicy, output);
    expect(out()).toBe('curl: (28) Connection timed out after 3001 milliseconds\n');
    expect(err()).toBe('');
    expect(outcome).toEqual({ exitCode: 28, message: 'pod default/testcurl terminated (Error)\n' });
  });

  it('a shell reads -i input through exec: its output and exit code become the session', async () => {
    const seen: unknown[] = [];
    const { client, cluster } = setup({
      exec: async (_ns, _pod, argv, options) => {
        seen.push({ argv, options });
        return { stdout: 'hello\n', stderr: '', exitCode: 3 };
      },
    });
    const action = new RunAction({ client, namespace: 'default' });
    const plan = planRun('sh1', { image: 'alpine', restart: 'Never', stdin: true, tty: true });
    const created = await action.create(plan);
    setPodStatus(cluster, 'sh1', {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: 'sh1', state: { running: {} }, restartCount: 0 }],
    });
    const { output, out, err } = collected();
    const outcome = await action.attach(created.object, plan.restartPolicy, output, {
      stdin: async () => 'echo hello\nexit 3\n',
      tty: true,
    });
    expect(seen).toEqual([
      { argv: ['sh'], options: { container: 'sh1', stdin: 'echo hello\nexit 3\n', tty: true } },
    ]);
    expect(out()).toBe('hello\n');
    expect(err()).toBe("If you don't see a command prompt, try pressing enter.\n");
    expect(outcome).toEqual({ exitCode: 3 });
  });

  it('gives up on a pod that never runs after --pod-running-timeout (cluster time)', async () => {
    let slept = 0;
    const { client } = setup({
      sleep: async (ms) => {
        slept += ms;
      },
    });
    const action = new RunAction({ client, namespace: 'default' });
    const plan = planRun('stuck', { image: 'nginx', restart: 'Never' });
    const created = await action.create(plan);
    const { output } = collected();
    await expect(
      action.attach(created.object, plan.restartPolicy, output, { podRunningTimeoutMs: 5000 }),
    ).rejects.toThrow('timed out waiting for the condition');
    expect(slept).toBe(5000);
  });

  it("attaches to a Deployment's pod and follows its log until the container ends", async () => {
    let polls = 0;
    const { client, cluster } = setup({
      logs: async () => `${Array.from({ length: polls + 1 }, (_, i) => `line ${i}`).join('\n')}\n`,
      sleep: async () => {
        polls++;
      },
    });
    const action = new RunAction({ client, namespace: 'default' });
    const plan = planRun('pinger', { image: 'alpine', args: ['ping', '1.1.1.1'] });
    const created = await action.create(plan);
    addPod(cluster, { name: 'pinger-abc', labels: { run: 'pinger' }, containers: ['pinger'] });
    const { output, out } = collected();
    const outcome = await action.attach(created.object, plan.restartPolicy, output, {
      pace: async () => {
        polls++;
        if (polls === 3)
          setPodStatus(cluster, 'pinger-abc', {
            phase: 'Running',
            containerStatuses: [{ name: 'pinger', state: { terminated: { exitCode: 0 } }, restartCount: 0 }],
          });
      },
    });
    expect(out()).toBe('line 0\nline 1\nline 2\nline 3\n');
    expect(outcome).toEqual({ exitCode: 0 });
  });
});

/**
 * `bosun kubectl run|expose|taint|cordon|uncordon|drain|exec|logs|top` through `run()` over a
 * temporary `$BOSUN_HOME`: kubectl's lines on stdout, its notices and errors on stderr, its exit
 * codes, and the objects the commands leave in the cluster.
 */

import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { memoryIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { type KubeObject, openEmbeddedCluster } from '../../src/kube/index.js';

let home: string;

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'bosun-kubectl-pods-'));
});

async function k(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIO({ env: { BOSUN_HOME: home }, cwd: home });
  const code = await run(['k', ...argv], io);
  return { code, out: io.out(), err: io.err() };
}

/** Reads an object from the cluster file. */
async function read(resource: string, name: string, namespace = 'default'): Promise<KubeObject> {
  const cluster = openEmbeddedCluster(home, { settle: false });
  try {
    return await cluster.client.get(resource, namespace, name);
  } finally {
    cluster.close();
  }
}

const DEPRECATED = (generator: string) =>
  `kubectl run --generator=${generator} is DEPRECATED and will be removed in a future version. Use kubectl run --generator=run-pod/v1 or kubectl create instead.\n`;

describe('bosun kubectl run', () => {
  it('makes a Deployment labelled run=NAME, as kubectl 1.15 did, with the deprecation note', async () => {
    expect(await k('run', 'pingpong', '--image', 'alpine', 'ping', '1.1.1.1')).toEqual({
      code: 0,
      out: 'deployment.apps/pingpong created\n',
      err: DEPRECATED('deployment/apps.v1'),
    });
    const deployment = await read('deployments', 'pingpong');
    expect(deployment.metadata).toMatchObject({ labels: { run: 'pingpong' } });
    expect(deployment.spec).toMatchObject({
      selector: { matchLabels: { run: 'pingpong' } },
      template: {
        metadata: { labels: { run: 'pingpong' } },
        spec: { containers: [{ name: 'pingpong', image: 'alpine', args: ['ping', '1.1.1.1'] }] },
      },
    });
    const pods = await k('get', 'pods', '-l', 'run=pingpong', '-o', 'name');
    expect(pods.out).toMatch(/^pod\/pingpong-[a-z0-9]+-[a-z0-9]{5}\n$/);
  });

  it('--restart=Never makes a Pod (no note); OnFailure a Job; --schedule a CronJob', async () => {
    expect(await k('run', 'once', '--image=busybox', '--restart=Never', '--', 'echo', 'hi')).toEqual({
      code: 0,
      out: 'pod/once created\n',
      err: '',
    });
    expect((await read('pods', 'once')).spec).toMatchObject({
      restartPolicy: 'Never',
      containers: [{ name: 'once', args: ['echo', 'hi'] }],
    });
    expect(
      await k('run', 'pi', '--image=perl', '--restart=OnFailure', '--command', '--', 'perl', '-e', '1'),
    ).toEqual({
      code: 0,
      out: 'job.batch/pi created\n',
      err: DEPRECATED('job/v1'),
    });
    expect((await read('jobs.batch', 'pi')).metadata).toMatchObject({ labels: { run: 'pi' } });
    expect(await k('run', 'hello', '--image=busybox', '--schedule=*/1 * * * *', '--', 'date')).toEqual({
      code: 0,
      out: 'cronjob.batch/hello created\n',
      err: DEPRECATED('cronjob/v1beta1'),
    });
    expect((await read('cronjobs.batch', 'hello')).spec).toMatchObject({ schedule: '*/1 * * * *' });
    expect((await k('run', 'pod2', '--image=nginx', '--generator=run-pod/v1')).out).toBe(
      'pod/pod2 created\n',
    );
  });

  it('--replicas and --expose: the Service is printed first, the Deployment selects run=NAME', async () => {
    const result = await k(
      'run',
      'httpenv',
      '--image=jpetazzo/httpenv',
      '--replicas=3',
      '--port=8888',
      '--expose',
    );
    expect(result.out).toBe('service/httpenv created\ndeployment.apps/httpenv created\n');
    expect((await read('deployments', 'httpenv')).spec).toMatchObject({ replicas: 3 });
    expect((await read('services', 'httpenv')).spec).toMatchObject({
      selector: { run: 'httpenv' },
      ports: [{ port: 8888, targetPort: 8888, protocol: 'TCP' }],
      type: 'ClusterIP',
    });
  });

  it('--dry-run -o yaml prints the object kubectl 1.15 built and creates nothing', async () => {
    const result = await k('run', 'web', '--image=nginx', '--dry-run', '-o', 'yaml');
    expect(result.code).toBe(0);
    expect(result.out).toBe(
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  creationTimestamp: null',
        '  labels:',
        '    run: web',
        '  name: web',
        'spec:',
        '  replicas: 1',
        '  selector:',
        '    matchLabels:',
        '      run: web',
        '  strategy: {}',
        '  template:',
        '    metadata:',
        '      creationTimestamp: null',
        '      labels:',
        '        run: web',
        '    spec:',
        '      containers:',
        '      - image: nginx',
        '        name: web',
        '        resources: {}',
        'status: {}',
        '',
      ].join('\n'),
    );
    expect((await k('get', 'deployments')).err).toBe('No resources found in default namespace.\n');
    expect((await k('run', 'p', '--image=nginx', '--restart=Never', '--dry-run=client')).out).toBe(
      'pod/p created (dry run)\n',
    );
  });

  it('refuses bad flags in kubectl words', async () => {
    expect(await k('run', 'web')).toEqual({
      code: 1,
      out: '',
      err: "error: --image is required\nSee 'kubectl run -h' for help and examples\n",
    });
    expect((await k('run', 'web', '--image=nginx', '--rm')).err).toBe(
      'error: --rm should only be used for attached containers\n',
    );
    expect((await k('run', 'web', '--image=nginx', '-t')).err).toBe(
      'error: -i/--stdin is required for containers with -t/--tty=true\n',
    );
    const twice = await k('run', 'twice', '--image=nginx', '--restart=Never');
    expect(twice.code).toBe(0);
    expect(await k('run', 'twice', '--image=nginx', '--restart=Never')).toEqual({
      code: 1,
      out: '',
      err: 'Error from server (AlreadyExists): pods "twice" already exists\n',
    });
  });
});

describe('bosun kubectl expose', () => {
  it('exposes a deployment as a NodePort service selecting its pods', async () => {
    await k('run', 'web', '--image=nginx');
    expect(await k('expose', 'deployment', 'web', '--port=80', '--type=NodePort')).toEqual({
      code: 0,
      out: 'service/web exposed\n',
      err: '',
    });
    const service = await read('services', 'web');
    expect(service.spec).toMatchObject({ selector: { run: 'web' }, type: 'NodePort', ports: [{ port: 80 }] });
    const nodePort = (service.spec as { ports: { nodePort?: number }[] }).ports[0]!.nodePort;
    expect(nodePort).toBeGreaterThanOrEqual(30000);
    const listed = await k('get', 'svc', 'web');
    expect(listed.out).toMatch(
      new RegExp(`^web +NodePort +10\\.\\d+\\.\\d+\\.\\d+ +<none> +80:${nodePort}/TCP +`, 'm'),
    );
  });

  it('deploy/NAME --port and --external-ip; an object without ports needs --port', async () => {
    await k('create', 'deployment', 'my-little-deploy', '--image=nginx');
    expect((await k('expose', 'deploy', 'my-little-deploy', '--port=80', '--external-ip=1.2.3.4')).out).toBe(
      'service/my-little-deploy exposed\n',
    );
    expect((await read('services', 'my-little-deploy')).spec).toMatchObject({
      externalIPs: ['1.2.3.4'],
      selector: { app: 'my-little-deploy' },
    });
    expect(await k('expose', 'deploy/my-little-deploy', '--name=again')).toEqual({
      code: 1,
      out: '',
      err: "error: couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples\n",
    });
    expect((await k('expose', 'deploy/nope', '--port=80')).err).toBe(
      'Error from server (NotFound): deployments.apps "nope" not found\n',
    );
  });
});

describe('bosun kubectl taint / cordon / uncordon / drain', () => {
  it("taints and untaints nodes; node1's control-plane taint is refused without --overwrite", async () => {
    expect(await k('taint', 'nodes', 'node1', 'node-role.kubernetes.io/control-plane:NoSchedule')).toEqual({
      code: 1,
      out: '',
      err: 'error: node node1 already has node-role.kubernetes.io/control-plane taint(s) with same effect(s) and --overwrite is false\n',
    });
    expect(await k('taint', 'nodes', 'node2', 'dedicated=special:NoSchedule')).toEqual({
      code: 0,
      out: 'node/node2 tainted\n',
      err: '',
    });
    expect((await read('nodes', 'node2')).spec).toMatchObject({
      taints: [{ key: 'dedicated', value: 'special', effect: 'NoSchedule' }],
    });
    expect((await k('taint', 'nodes', 'node2', 'dedicated-')).out).toBe('node/node2 untainted\n');
    expect((await read('nodes', 'node2')).spec).not.toHaveProperty('taints');
    expect((await k('taint', 'nodes', 'node2', 'dedicated=x:Sometimes')).err).toBe(
      "error: invalid taint effect: Sometimes, unsupported taint effect\nSee 'kubectl taint -h' for help and examples\n",
    );
  });

  it('cordons and uncordons; get nodes shows SchedulingDisabled', async () => {
    expect(await k('cordon', 'node2')).toEqual({ code: 0, out: 'node/node2 cordoned\n', err: '' });
    expect((await k('cordon', 'node2')).out).toBe('node/node2 already cordoned\n');
    expect((await k('get', 'nodes')).out).toMatch(/^node2 +Ready,SchedulingDisabled +<none> /m);
    expect((await k('uncordon', 'node2')).out).toBe('node/node2 uncordoned\n');
    expect((await read('nodes', 'node2')).spec).not.toHaveProperty('unschedulable');
    expect(await k('cordon', 'node9')).toEqual({
      code: 1,
      out: '',
      err: 'Error from server (NotFound): nodes "node9" not found\n',
    });
  });

  it('drain refuses DaemonSet pods without --ignore-daemonsets, in kubectl 1.34 lines', async () => {
    const result = await k('drain', 'node2');
    expect(result.code).toBe(1);
    expect(result.out).toBe('node/node2 cordoned\n');
    const pods = /kube-system\/kube-proxy-\w{5}, kube-system\/weave-net-\w{5}/.source;
    expect(result.err).toMatch(
      new RegExp(
        `^error: unable to drain node "node2" due to error: cannot delete DaemonSet-managed Pods \\(use --ignore-daemonsets to ignore\\): ${pods}, continuing command\\.\\.\\.\\nThere are pending nodes to be drained:\\n node2\\ncannot delete DaemonSet-managed Pods \\(use --ignore-daemonsets to ignore\\): ${pods}\\n$`,
      ),
    );
  });

  it('drain --ignore-daemonsets --force evicts a bare pod, waits for it to go, and reports the node drained', async () => {
    const cluster = openEmbeddedCluster(home);
    try {
      await cluster.client.create(
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'hr-app' },
          spec: { nodeName: 'node3', containers: [{ name: 'app', image: 'nginx' }] },
        },
        { namespace: 'default' },
      );
    } finally {
      cluster.close();
    }
    const refused = await k('drain', 'node3', '--ignore-daemonsets');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(
      '\ncannot delete Pods declare no controller (use --force to override): default/hr-app\n',
    );
    const drained = await k('drain', 'node3', '--ignore-daemonsets', '--force', '--grace-period=0');
    expect(drained.out).toBe(
      'node/node3 already cordoned\nevicting pod default/hr-app\npod/hr-app evicted\nnode/node3 drained\n',
    );
    expect(drained.err).toMatch(
      /^Warning: deleting Pods that declare no controller: default\/hr-app; ignoring DaemonSet-managed Pods: /,
    );
    expect(drained.code).toBe(0);
    expect((await k('get', 'pod', 'hr-app')).err).toBe(
      'Error from server (NotFound): pods "hr-app" not found\n',
    );
  });
});

describe('bosun kubectl exec / logs / top', () => {
  it('exec refuses the pre-1.26 form without -- as kubectl 1.34 does', async () => {
    await k('run', 'my-pod', '--image=alpine', '--restart=Never', '--', 'sleep', '3600');
    expect(await k('exec', '-it', 'my-pod', 'sh')).toEqual({
      code: 1,
      out: '',
      err: "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples\n",
    });
    expect((await k('exec', 'nope', '--', 'ls')).err).toBe(
      'Error from server (NotFound): pods "nope" not found\n',
    );
  });

  it("logs names what is missing in kubectl's words", async () => {
    expect(await k('logs', 'nope')).toEqual({
      code: 1,
      out: '',
      err: 'error: error from server (NotFound): pods "nope" not found in namespace "default"\n',
    });
    expect((await k('logs', '-l', 'run=nothing')).err).toBe('No resources found in default namespace.\n');
    expect((await k('logs', 'deploy/nope', '--since=5x')).err).toBe(
      'error: invalid argument "5x" for "--since" flag: time: invalid duration "5x"\n',
    );
  });

  it('logs -f follows until interrupted, then exits 0', async () => {
    await k('run', 'pingpong', '--image=alpine', '--', 'ping', '1.1.1.1');
    const io = memoryIO({ env: { BOSUN_HOME: home }, cwd: home });
    const done = run(['k', 'logs', 'deploy/pingpong', '--tail', '1', '--follow'], io);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    io.interrupt();
    expect(await done).toBe(0);
    expect(io.err()).toBe('');
  });

  it('top nodes lists every node with its share of allocatable', async () => {
    const result = await k('top', 'nodes');
    expect(result.code).toBe(0);
    const lines = result.out.split('\n');
    expect(lines[0]).toMatch(/^NAME +CPU\(cores\) +CPU\(%\) +MEMORY\(bytes\) +MEMORY\(%\)$/);
    expect(lines.slice(1, 4).map((l) => l.split(/ +/)[0])).toEqual(['node1', 'node2', 'node3']);
    expect(lines[1]).toMatch(
      /^node1 +(\d+m|<unknown>) +(\d+%|<unknown>) +(\d+Mi|<unknown>) +(\d+%|<unknown>)$/,
    );
  });
});

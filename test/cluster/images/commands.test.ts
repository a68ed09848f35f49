import { describe, expect, it } from 'vitest';
import { contextFor, FakeNetwork, logText, newCatalog, start, T0 } from './fixtures.js';

const catalog = newCatalog();

function setup(
  image: string,
  spec: Parameters<typeof start>[2] = {},
  network = new FakeNetwork(),
  pod = 'test-pod',
) {
  const ctx = contextFor(network, pod);
  const behaviour = start(catalog, image, spec, ctx);
  return { behaviour, ctx, network };
}

describe('base images without a command (image-catalog §0)', () => {
  it.each(['alpine', 'busybox', 'centos', 'ubuntu:18.04', 'python:3.9'])(
    '%s exits at once with 0 without a TTY',
    (image) => {
      const { behaviour } = setup(image);
      expect(behaviour.exit).toEqual({ afterMs: 0, code: 0, reason: 'Completed' });
      expect(behaviour.startError).toBeUndefined();
    },
  );

  it.each(['alpine', 'python:3.9'])('%s runs for ever with stdin and tty (kubectl run -it)', (image) => {
    const { behaviour } = setup(image, { stdin: true, tty: true });
    expect(behaviour.exit).toBeUndefined();
  });
});

describe('sleep, exit codes and shell lists', () => {
  it('sleep 3600 exits 0 after an hour and ignores SIGTERM as PID 1', () => {
    const { behaviour } = setup('alpine', { command: ['sleep', '3600'] });
    expect(behaviour.exit).toEqual({ afterMs: 3_600_000, code: 0, reason: 'Completed' });
    expect(behaviour.ignoresSigterm).toBe(true);
  });

  it('sleep 999999999 (the python:3.9 debug pod) runs for decades; sleep infinity for ever', () => {
    expect(setup('python:3.9', { command: ['sleep', '999999999'] }).behaviour.exit?.afterMs).toBe(
      999_999_999_000,
    );
    expect(setup('busybox', { command: ['sleep', 'infinity'] }).behaviour.exit).toBeUndefined();
  });

  it('ubuntu:18.04 `echo "Hello, Kubernetes!" && sleep 3600` logs once and restarts hourly', () => {
    const { behaviour, ctx } = setup('ubuntu:18.04', {
      command: ['sh', '-c', 'echo "Hello, Kubernetes!" && sleep 3600'],
    });
    expect(logText(behaviour, ctx, 10)).toEqual(['Hello, Kubernetes!']);
    expect(behaviour.exit).toEqual({ afterMs: 3_600_000, code: 0, reason: 'Completed' });
  });

  it.each([
    [['sh', '-c', 'exit 3'], 3],
    [['false'], 1],
    [['true'], 0],
    [['sh', '-c', 'false || exit 4'], 4],
    [['sh', '-c', 'true && false; echo done'], 0],
    [['sh', '-c', 'echo a; exit 7; echo b'], 7],
  ])('%j exits with %i', (command, code) => {
    const { behaviour } = setup('busybox', { command });
    expect(behaviour.exit?.code).toBe(code);
    expect(behaviour.exit?.reason).toBe(code === 0 ? 'Completed' : 'Error');
  });

  it('an unknown command in a script: `sh: foo: not found`, exit 127 (busybox) / `sh: 1: foo: not found` (dash)', () => {
    const a = setup('alpine', { command: ['sh', '-c', 'foo'] });
    expect(a.behaviour.exit?.code).toBe(127);
    expect(logText(a.behaviour, a.ctx, 1)).toEqual(['sh: foo: not found']);
    const d = setup('ubuntu', { command: ['sh', '-c', 'foo --bar'] });
    expect(logText(d.behaviour, d.ctx, 1)).toEqual(['sh: 1: foo: not found']);
    const b = setup('ubuntu', { command: ['bash', '-c', 'foo'] });
    expect(logText(b.behaviour, b.ctx, 1)).toEqual(['bash: line 1: foo: command not found']);
  });

  it('an exec-form command the image lacks cannot start: StartError, exit 128', () => {
    const { behaviour } = setup('alpine', { command: ['bash', '-c', 'echo hi'] });
    expect(behaviour.exit).toEqual({ afterMs: 0, code: 128, reason: 'Error' });
    expect(behaviour.startError).toContain('exec: "bash": executable file not found in $PATH');
    expect(setup('nginx', { command: ['/app/server'] }).behaviour.startError).toContain(
      'exec: "/app/server": stat /app/server: no such file or directory',
    );
  });

  it('`while true; do …; sleep 5; done` logs every 5 s, cheaply read from the end', () => {
    const { behaviour, ctx } = setup('busybox', {
      command: ['sh', '-c', 'i=0; while true; do echo "tick $i"; sleep 5; done'],
    });
    expect(behaviour.exit).toBeUndefined();
    expect(logText(behaviour, ctx, 12)).toEqual(['tick 0', 'tick 0', 'tick 0']);
    const lines = behaviour.logs(ctx, T0, T0 + 7 * 86_400_000, { tailLines: 2 });
    expect(lines.map((l) => l.time - T0)).toEqual([7 * 86_400_000 - 5000, 7 * 86_400_000]);
  });

  it('a counted loop ends: `for i in 1 2 3` and `while [ $i -lt 3 ]`', () => {
    const a = setup('busybox', { command: ['sh', '-c', 'for i in 1 2 3; do echo $i; done'] });
    expect(logText(a.behaviour, a.ctx, 1)).toEqual(['1', '2', '3']);
    const b = setup('busybox', {
      command: ['sh', '-c', 'i=0; while [ $i -lt 3 ]; do echo n=$i; i=$((i+1)); sleep 1; done; echo end'],
    });
    expect(logText(b.behaviour, b.ctx, 10)).toEqual(['n=0', 'n=1', 'n=2', 'end']);
    expect(b.behaviour.exit).toEqual({ afterMs: 3000, code: 0, reason: 'Completed' });
  });

  it('echo, printf, variables, quoting, command substitution and redirections', () => {
    const script = [
      'X="a  b"; echo $X "$X" \'$X\'',
      'printf "%s-%d\\n" hello 42',
      'echo "host: $(hostname)"',
      'echo hidden > /tmp/f; cat /tmp/f',
      'echo err >&2',
      'echo gone 2>/dev/null >/dev/null',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion
      'echo ${MISSING:-default} ${#X}',
    ].join('\n');
    const { behaviour, ctx } = setup('busybox', { command: ['sh', '-c', script] });
    const lines = behaviour.logs(ctx, T0, T0 + 1000);
    expect(lines.map((l) => l.text)).toEqual([
      'a b a  b $X',
      'hello-42',
      'host: test-pod',
      'hidden',
      'err',
      'default 4',
    ]);
    expect(lines.find((l) => l.text === 'err')?.stream).toBe('stderr');
  });

  it('date prints the container clock', () => {
    const { behaviour, ctx } = setup('busybox', { command: ['sh', '-c', 'date; sleep 60; date +%H:%M:%S'] });
    expect(logText(behaviour, ctx, 61)).toEqual(['Sat Mar  1 12:00:00 UTC 2025', '12:01:00']);
  });
});

describe('ping (busybox format, image-catalog §3.1)', () => {
  it('prints a header, then one reply per second for ever', () => {
    const { behaviour, ctx } = setup('alpine', { command: ['ping', '1.1.1.1'] });
    expect(behaviour.exit).toBeUndefined();
    expect(behaviour.ignoresSigterm).toBe(true);
    const lines = logText(behaviour, ctx, 2.5);
    expect(lines[0]).toBe('PING 1.1.1.1 (1.1.1.1): 56 data bytes');
    expect(lines.slice(1)).toHaveLength(3);
    expect(lines[1]).toMatch(/^64 bytes from 1\.1\.1\.1: seq=0 ttl=57 time=\d+\.\d{3} ms$/);
    expect(lines[3]).toMatch(/seq=2 /);
    const week = behaviour.logs(ctx, T0, T0 + 7 * 86_400_000, { tailLines: 1 });
    expect(week).toHaveLength(1);
    expect(week[0]!.text).toMatch(/seq=604799 /);
  });

  it('ping -c 3 prints statistics and exits 0; an unknown host exits 1 with `bad address`', () => {
    const a = setup('busybox', { command: ['ping', '-c', '3', '8.8.8.8'] });
    expect(a.behaviour.exit?.code).toBe(0);
    const lines = logText(a.behaviour, a.ctx, 5);
    expect(lines).toContain('--- 8.8.8.8 ping statistics ---');
    expect(lines).toContain('3 packets transmitted, 3 packets received, 0% packet loss');
    const b = setup('busybox', { command: ['ping', 'foo'] });
    expect(b.behaviour.exit?.code).toBe(1);
    expect(logText(b.behaviour, b.ctx, 1)).toEqual(["ping: bad address 'foo'"]);
  });

  it('a ClusterIP does not answer pings: the header, then nothing', () => {
    const network = new FakeNetwork();
    network.names.set('web', ['10.96.12.34']);
    const { behaviour, ctx } = setup('busybox', { command: ['ping', 'web'] }, network);
    expect(logText(behaviour, ctx, 30)).toEqual(['PING web (10.96.12.34): 56 data bytes']);
    expect(behaviour.exit).toBeUndefined();
  });
});

describe('exec', () => {
  it('runs a command against the container: env, hostname, cat of a mounted file', () => {
    const network = new FakeNetwork();
    const ctx = contextFor(network, 'my-pod', {
      env: { SOME_VARIABLE: 'some value' },
      readFile: (p) =>
        p === '/etc/config/config.ini' ? 'some_variable = foo\nsome_other_variable = baz\n' : undefined,
      listDir: (p) =>
        p === '/etc/config'
          ? [
              { name: 'config.ini', target: '..data/config.ini' },
              { name: 'database.ini', target: '..data/database.ini' },
            ]
          : undefined,
    });
    const behaviour = start(
      catalog,
      'alpine',
      { command: ['sleep', '3600'], env: { HOSTNAME: 'my-pod', SOME_VARIABLE: 'some value' } },
      ctx,
    );
    const env = behaviour.exec(['env'], { ...ctx, now: T0 + 5000 });
    expect(env.exitCode).toBe(0);
    expect(env.stdout.split('\n')).toEqual(
      expect.arrayContaining(['SOME_VARIABLE=some value', 'HOSTNAME=my-pod', 'HOME=/root']),
    );
    expect(behaviour.exec(['hostname'], ctx).stdout).toBe('my-pod\n');
    expect(behaviour.exec(['cat', '/etc/config/config.ini'], ctx).stdout).toBe(
      'some_variable = foo\nsome_other_variable = baz\n',
    );
    expect(behaviour.exec(['ls', '/etc/config'], ctx).stdout).toBe('config.ini\ndatabase.ini\n');
    expect(behaviour.exec(['ls', '-l', '/etc/config'], ctx).stdout).toContain(
      'lrwxrwxrwx    1 root     root            17 Mar  1 12:00 config.ini -> ..data/config.ini',
    );
    const missing = behaviour.exec(['cat', '/nope'], ctx);
    expect(missing).toMatchObject({
      stdout: '',
      stderr: "cat: can't open '/nope': No such file or directory\n",
      exitCode: 1,
    });
  });

  it('a binary the image lacks: `executable file not found in $PATH`, exit 126 (bash in alpine)', () => {
    const { behaviour, ctx } = setup('alpine', { command: ['sleep', '3600'] });
    const result = behaviour.exec(['bash'], ctx);
    expect(result.exitCode).toBe(126);
    expect(result.stderr).toContain('exec: "bash": executable file not found in $PATH');
  });

  it('sh reads its commands from stdin (kubectl exec -i … sh)', () => {
    const { behaviour, ctx } = setup('alpine', { command: ['sleep', '3600'] });
    const result = behaviour.exec(['sh'], ctx, 'echo one\nexit 5\necho two\n');
    expect(result).toMatchObject({ stdout: 'one\n', exitCode: 5 });
  });

  it('sees files the main process wrote (touch /tmp/healthy; sleep 30; rm -f /tmp/healthy)', () => {
    const { behaviour, ctx } = setup('busybox', {
      command: ['sh', '-c', 'touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600'],
    });
    expect(behaviour.exec(['cat', '/tmp/healthy'], { ...ctx, now: T0 + 10_000 }).exitCode).toBe(0);
    expect(behaviour.exec(['cat', '/tmp/healthy'], { ...ctx, now: T0 + 40_000 }).exitCode).toBe(1);
  });

  it('works in non-shell images too (they have sh): nginx -v, redis-cli ping → PONG', () => {
    // localhost is the container's own program, whatever the cluster network says.
    const network = new FakeNetwork();
    const ctx = contextFor(network, 'redis-0');
    const redis = start(catalog, 'redis', {}, ctx);
    expect(redis.exec(['redis-cli', 'ping'], { ...ctx, now: T0 + 5000 })).toMatchObject({
      stdout: 'PONG\n',
      exitCode: 0,
    });
    expect(redis.exec(['redis-cli', 'ping'], { ...ctx, now: T0 + 100 })).toMatchObject({
      stderr: 'Could not connect to Redis at 127.0.0.1:6379: Connection refused\n',
      exitCode: 1,
    });
    const web = setup('nginx:1.13.11');
    expect(web.behaviour.exec(['nginx', '-v'], web.ctx).stderr).toBe('nginx version: nginx/1.13.11\n');
    expect(web.behaviour.exec(['sh', '-c', 'echo $((6*7))'], web.ctx).stdout).toBe('42\n');
    const local = web.behaviour.exec(['curl', '-s', 'localhost'], { ...web.ctx, now: T0 + 5000 });
    expect(local.stdout).toContain('<title>Welcome to nginx!</title>');
  });

  it('text filters and pipes: grep, wc -l, head, jq', () => {
    const { behaviour, ctx } = setup('alpine', { command: ['sleep', '3600'] });
    expect(behaviour.exec(['sh', '-c', 'printf "a\\nb\\nc\\n" | grep -v b | wc -l'], ctx).stdout).toBe('2\n');
    expect(behaviour.exec(['sh', '-c', 'seq 1 100 | tail -n 2'], ctx).stdout).toBe('99\n100\n');
  });
});

describe('package managers', () => {
  it('alpine has no curl until `apk add curl`', () => {
    const network = new FakeNetwork();
    network.names.set('dl-cdn.alpinelinux.org', ['151.101.2.133']);
    const { behaviour, ctx } = setup('alpine', { command: ['sleep', '3600'] }, network);
    expect(behaviour.exec(['sh', '-c', 'curl -s http://x'], ctx)).toMatchObject({
      stderr: 'sh: curl: not found\n',
      exitCode: 127,
    });
    const result = behaviour.exec(
      ['sh', '-c', 'apk add --no-cache curl && curl -s http://10.9.9.9 -m 1'],
      ctx,
    );
    expect(result.stdout).toContain(
      'fetch https://dl-cdn.alpinelinux.org/alpine/v3.22/main/x86_64/APKINDEX.tar.gz',
    );
    expect(result.stdout).toMatch(/Installing curl \(/);
    expect(result.stdout).toMatch(/OK: \d+ MiB in \d+ packages/);
    expect(result.exitCode).toBe(28);
  });

  it('pip install redis (python:3.9)', () => {
    const network = new FakeNetwork();
    network.names.set('pypi.org', ['151.101.0.223']);
    const { behaviour, ctx } = setup('python:3.9', { command: ['sleep', '999999999'] }, network);
    const result = behaviour.exec(['pip', 'install', 'redis'], ctx);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Collecting redis');
    expect(result.stdout).toContain('Successfully installed redis-3.5.3');
  });

  it('apt-get install needs apt-get update first (Debian images ship without package lists)', () => {
    const network = new FakeNetwork();
    network.names.set('deb.debian.org', ['151.101.2.132']);
    const { behaviour, ctx } = setup('ubuntu', { command: ['sleep', '3600'] }, network);
    expect(behaviour.exec(['apt-get', 'install', '-y', 'curl'], ctx)).toMatchObject({ exitCode: 100 });
    expect(
      behaviour.exec(['sh', '-c', 'apt-get update && apt-get install -y curl && command -v curl'], ctx),
    ).toMatchObject({ exitCode: 0 });
  });
});

describe("the training's scripted containers", () => {
  it('the git sidecar of nginx-with-volume: apk add git && git clone … /www, then Completed', () => {
    const network = new FakeNetwork();
    network.names.set('dl-cdn.alpinelinux.org', ['151.101.2.133']);
    network.names.set('github.com', ['140.82.121.4']);
    const { behaviour, ctx } = setup(
      'alpine',
      {
        command: [
          'sh',
          '-c',
          'apk add --no-cache git && git clone https://github.com/octocat/Spoon-Knife /www',
        ],
      },
      network,
    );
    expect(behaviour.exit).toMatchObject({ code: 0, reason: 'Completed' });
    expect(behaviour.exit!.afterMs).toBeGreaterThan(1000);
    const lines = logText(behaviour, ctx, 10);
    expect(lines).toContain("Cloning into '/www'...");
    expect(behaviour.exec(['cat', '/www/index.html'], { ...ctx, now: T0 + 10_000 }).stdout).toContain(
      'Fork me? Fork you, @octocat!',
    );
  });

  it('a script that traps TERM stops on SIGTERM; one that does not waits for the grace period', () => {
    expect(
      setup('busybox', { command: ['sh', '-c', "trap 'exit 0' TERM; while true; do sleep 1; done"] })
        .behaviour.ignoresSigterm,
    ).toBe(false);
    expect(
      setup('busybox', { command: ['sh', '-c', 'while true; do sleep 1; done'] }).behaviour.ignoresSigterm,
    ).toBe(true);
  });

  it("an image's entrypoint hands over to a command given as args (kubectl run --image=nginx -- sleep 10)", () => {
    const { behaviour } = setup('nginx', { args: ['sleep', '10'] });
    expect(behaviour.exit).toEqual({ afterMs: 10_000, code: 0, reason: 'Completed' });
    expect(behaviour.ports).toEqual([]);
  });

  it('an init container waiting for a name ends once it resolves (`until nslookup mydb; do …; sleep 2; done`)', () => {
    const network = new FakeNetwork();
    const script = 'until nslookup mydb; do echo waiting for mydb; sleep 2; done';
    const ctx = contextFor(network, 'myapp-pod');
    const waiting = start(catalog, 'busybox', { command: ['sh', '-c', script] }, ctx);
    expect(waiting.exit).toBeUndefined();
    expect(waiting.recheckMs).toBe(2000);
    expect(logText(waiting, ctx, 5).filter((l) => l === 'waiting for mydb')).toHaveLength(3);
    // Later the service exists: rebuilt with the time it is now, the loop ends at its next turn.
    network.names.set('mydb', ['10.96.5.5']);
    const later = start(catalog, 'busybox', { command: ['sh', '-c', script] }, { ...ctx, now: T0 + 7000 });
    expect(later.exit).toEqual({ afterMs: 8000, code: 0, reason: 'Completed' });
    expect(logText(later, ctx, 10).filter((l) => l === 'waiting for mydb')).toHaveLength(4);
  });
});

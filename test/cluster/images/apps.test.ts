import { describe, expect, it } from 'vitest';
import { createImageCatalog } from '../../../src/cluster/images/catalog.js';
import { NGINX_WELCOME_612, NGINX_WELCOME_615 } from '../../../src/cluster/images/pages.js';
import { pushImage } from '../../../src/cluster/images/registry.js';
import { sha256Hex } from '../../../src/cluster/images/text.js';
import type { ContainerContext, HttpRequest, ProcessBehaviour } from '../../../src/cluster/images/types.js';
import { contextFor, FakeNetwork, logText, memoryMeta, newCatalog, start, T0 } from './fixtures.js';

const catalog = newCatalog();
const get = (path: string, port = 80, extra: Partial<HttpRequest> = {}): HttpRequest => ({
  method: 'GET',
  path,
  port,
  clientIP: '10.244.2.7',
  ...extra,
});

function run(
  image: string,
  pod: string,
  spec: Parameters<typeof start>[2] = {},
  network = new FakeNetwork(),
  overrides: Partial<ContainerContext> = {},
) {
  const ctx = contextFor(network, pod, overrides);
  return { behaviour: start(catalog, image, spec, ctx), ctx, network };
}

describe('HTTP answers the training quotes', () => {
  it('nginx serves "Welcome to nginx!" (612 bytes up to 1.20, 615 after) and its 404 page', () => {
    const old = run('nginx:1.13.11', 'web-1');
    expect(old.behaviour.ports).toEqual([{ port: 80, protocol: 'TCP' }]);
    const page = old.behaviour.http(get('/'), old.ctx)!;
    expect(page.status).toBe(200);
    expect(page.body).toBe(NGINX_WELCOME_612);
    expect(Buffer.byteLength(page.body)).toBe(612);
    expect(page.body).toContain('<title>Welcome to nginx!</title>');
    const latest = run('nginx', 'web-2').behaviour.http(get('/index.html'), old.ctx)!;
    expect(Buffer.byteLength(latest.body)).toBe(615);
    expect(latest.body).toBe(NGINX_WELCOME_615);
    const missing = old.behaviour.http(get('/foo'), old.ctx)!;
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('<center>nginx/1.13.11</center>');
    expect(old.behaviour.http(get('/', 81), old.ctx)).toBeUndefined();
    expect(old.behaviour.ignoresSigterm).toBe(false);
  });

  it('nginx serves a mounted document root, and 403 when it is empty (nginx-with-volume before git clones)', () => {
    const mounted = run('nginx', 'www', {}, new FakeNetwork(), {
      readFile: (p) => (p === '/usr/share/nginx/html/index.html' ? '<h1>mine</h1>\n' : undefined),
      listDir: (p) => (p === '/usr/share/nginx/html' ? [{ name: 'index.html' }] : undefined),
    });
    expect(mounted.behaviour.http(get('/'), mounted.ctx)?.body).toBe('<h1>mine</h1>\n');
    const empty = run('nginx', 'www2', {}, new FakeNetwork(), {
      listDir: (p) => (p === '/usr/share/nginx/html' ? [] : undefined),
    });
    expect(empty.behaviour.http(get('/'), empty.ctx)?.status).toBe(403);
  });

  it('rng: `RNG running on <pod>`, random bytes after 0.1 s, the Werkzeug 404 page', () => {
    const { behaviour, ctx } = run('dockercoins/rng:v0.1', 'rng-7d5b4d6c8b-x2k9p');
    expect(behaviour.http(get('/'), ctx)?.body).toBe('RNG running on rng-7d5b4d6c8b-x2k9p\n');
    const bytes = behaviour.http(get('/32'), ctx)!;
    expect(bytes).toMatchObject({ status: 200, delayMs: 100 });
    expect(bytes.body).toHaveLength(32);
    const notFound = behaviour.http(get('/foo'), ctx)!;
    expect(notFound.status).toBe(404);
    expect(notFound.body).toContain(
      '<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>',
    );
    expect(behaviour.ignoresSigterm).toBe(true);
  });

  it('hasher: `HASHER running on <pod>`, SHA-256 hex of the POSTed body', () => {
    const { behaviour, ctx } = run('dockercoins/hasher:v0.1', 'hasher-1');
    expect(behaviour.http(get('/'), ctx)?.body).toBe('HASHER running on hasher-1\n');
    expect(behaviour.http(get('/', 80, { method: 'POST', body: '' }), ctx)?.body).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(behaviour.http(get('/', 80, { method: 'POST', body: 'hello' }), ctx)?.body).toBe(
      sha256Hex('hello'),
    );
    expect(behaviour.http(get('/nope'), ctx)?.body).toContain('Sinatra doesn’t know this ditty.');
  });

  it('httpenv: its environment as compact JSON with sorted keys and no newline', () => {
    const { behaviour, ctx } = run('jpetazzo/httpenv', 'httpenv-6fdc8554fb-2vqcd', {
      env: {
        HOSTNAME: 'httpenv-6fdc8554fb-2vqcd',
        KUBERNETES_SERVICE_HOST: '10.96.0.1',
        KUBERNETES_SERVICE_PORT: '443',
      },
    });
    expect(behaviour.ports).toEqual([{ port: 8888, protocol: 'TCP' }]);
    const body = behaviour.http(get('/anything', 8888), ctx)!.body;
    expect(body.endsWith('}')).toBe(true);
    const parsed = JSON.parse(body) as Record<string, string>;
    expect(Object.keys(parsed)).toEqual([...Object.keys(parsed)].sort());
    expect(parsed).toMatchObject({
      HOSTNAME: 'httpenv-6fdc8554fb-2vqcd',
      HOME: '/root',
      KUBERNETES_SERVICE_HOST: '10.96.0.1',
    });
    expect(logText(behaviour, ctx, 1)).toEqual(['Starting httpenv listening on port 8888.']);
  });

  it('color: "This is pod <ns>/<pod> on linux/amd64, serving / for <client>."', () => {
    const { behaviour, ctx } = run('jpetazzo/color', 'blue-5f4b6c8d9-x7k2p');
    const body = behaviour.http(get('/'), ctx)!.body;
    expect(body).toMatch(
      /🔵This is pod default\/blue-5f4b6c8d9-x7k2p on linux\/amd64, serving \/ for 10\.244\.2\.7:\d+\.\n/,
    );
    expect(logText(behaviour, ctx, 1)).toEqual(['Starting HTTP server (linux/amd64) listening on port 80.']);
  });

  it('registry: `{"repositories":[]}`, then the pushed repositories', () => {
    const meta = memoryMeta();
    const cat = createImageCatalog(meta);
    const network = new FakeNetwork();
    const ctx = contextFor(network, 'registry-5b8f9d8d4c-abcde', { startedAt: T0 });
    const pulled = cat.pull('registry');
    if (!pulled.ok) throw new Error('registry');
    const behaviour = cat.behaviour(pulled.image, { env: {} }, ctx);
    network.listen(ctx.podIP, 5000, behaviour, ctx);
    // The NodePort registry: 127.0.0.1:31500 on a node leads to this pod.
    network.connect = (
      (orig) => (ip: string, port: number, from) =>
        ip === '127.0.0.1' && port === 31500 ? orig(ctx.podIP, 5000, from) : orig(ip, port, from)
    )(network.connect.bind(network));
    expect(behaviour.http(get('/v2/_catalog', 5000), ctx)?.body).toBe('{"repositories":[]}\n');
    pushImage(meta, '127.0.0.1:31500/busybox', { from: 'busybox', now: new Date(T0 + 60_000) });
    expect(behaviour.http(get('/v2/_catalog', 5000), ctx)?.body).toBe('{"repositories":["busybox"]}\n');
    expect(behaviour.http(get('/v2/busybox/tags/list', 5000), ctx)?.body).toBe(
      '{"name":"busybox","tags":["latest"]}\n',
    );
    expect(behaviour.http(get('/v2/nope/tags/list', 5000), ctx)?.status).toBe(404);
  });

  it('registry listens where REGISTRY_HTTP_ADDR says', () => {
    const { behaviour } = run('registry', 'registry', { env: { REGISTRY_HTTP_ADDR: '0.0.0.0:80' } });
    expect(behaviour.ports).toEqual([{ port: 80, protocol: 'TCP' }]);
  });

  it('traefik: `404 page not found` without a rule, the dashboard on 8080 with --api, no shell', () => {
    const { behaviour, ctx } = run('traefik', 'traefik-ingress-controller-x', {
      args: ['--api', '--kubernetes', '--logLevel=INFO'],
    });
    expect(behaviour.http(get('/'), ctx)?.body).toBe('404 page not found\n');
    expect(behaviour.ports.map((p) => p.port)).toEqual([80, 8080]);
    expect(behaviour.http(get('/dashboard/', 8080), ctx)?.status).toBe(200);
    expect(behaviour.exec(['sh'], ctx).exitCode).toBe(126);
  });

  it('hello-flask: the Flask 404 page on /, `Hello world` on /hello-service', () => {
    const { behaviour, ctx } = run('jstubbs/hello-flask', 'helloflask-1', { env: { FLASK_APP: 'app.py' } });
    expect(behaviour.http(get('/', 5000), ctx)?.status).toBe(404);
    expect(behaviour.http(get('/hello-service', 5000), ctx)?.body).toBe('Hello world\n');
    expect(logText(behaviour, ctx, 2)).toContain(' * Serving Flask app "app.py"');
  });

  it('elasticsearch:2: the "You Know, for Search" banner, only after the JVM started', () => {
    const { behaviour, ctx } = run('elasticsearch:2', 'elastic-1');
    expect(behaviour.startupMs).toBeGreaterThanOrEqual(10_000);
    const banner = behaviour.http(get('/', 9200), ctx)!.body;
    expect(banner).toContain('"tagline" : "You Know, for Search"');
    expect(banner).toContain('"number" : "2.4.6"');
    expect(banner).toMatch(/"name" : "[A-Z][\w -]+"/);
  });

  it('sleepy-server: help and exit 0 without a command; the page after 0.5 s with `-p 80`', () => {
    const help = run('gzynda/sleepy-server:latest', 'sleepy-1');
    expect(help.behaviour.exit).toMatchObject({ code: 0 });
    expect(logText(help.behaviour, help.ctx, 1)[0]).toBe(
      'usage: sleepy-server.py [-h] [-p INT] [-s INT] [-m STR]',
    );
    const { behaviour, ctx } = run('gzynda/sleepy-server:latest', 'sleepy-6d9d8b-abcde', {
      command: ['sleepy-server.py'],
      args: ['-p', '80'],
    });
    const page = behaviour.http(get('/'), ctx)!;
    expect(page.delayMs).toBe(500);
    expect(page.body).toBe(
      '<html><head><title>Sleepy server</title></head><body><p>sleepy-6d9d8b-abcde - Getting a little sleepy...</p><p>Hello World!</p></body></html>',
    );
  });

  it('the API server answers 403 to anonymous requests, and its health checks', () => {
    const { behaviour, ctx } = run('registry.k8s.io/kube-apiserver:v1.34.5', 'kube-apiserver-node1', {
      command: ['kube-apiserver', '--secure-port=6443'],
    });
    expect(behaviour.ports).toEqual([{ port: 6443, protocol: 'TCP', tls: true }]);
    const denied = behaviour.http(get('/', 6443), ctx)!;
    expect(denied.status).toBe(403);
    expect(denied.body).toContain(
      '"message": "forbidden: User \\"system:anonymous\\" cannot get path \\"/\\""',
    );
    expect(behaviour.http(get('/livez', 6443), ctx)?.body).toBe('ok');
  });

  it('CoreDNS and the control plane run their binaries with flags and pass their probes', () => {
    const dns = run('registry.k8s.io/coredns/coredns:v1.12.1', 'coredns-1', {
      args: ['-conf', '/etc/coredns/Corefile'],
    });
    expect(dns.behaviour.exit).toBeUndefined();
    expect(dns.behaviour.http(get('/health', 8080), dns.ctx)?.body).toBe('OK');
    expect(dns.behaviour.http(get('/ready', 8181), dns.ctx)?.body).toBe('OK');
    const init = run('weaveworks/weave-kube:2.8.1', 'weave-net-1', { command: ['/home/weave/init.sh'] });
    expect(init.behaviour.exit).toMatchObject({ code: 0, reason: 'Completed' });
    const weave = run('weaveworks/weave-kube:2.8.1', 'weave-net-1', { command: ['/home/weave/launch.sh'] });
    expect(weave.behaviour.exit).toBeUndefined();
    expect(weave.behaviour.http(get('/status', 6784), weave.ctx)?.status).toBe(200);
    const proxy = run('registry.k8s.io/kube-proxy:v1.34.5', 'kube-proxy-1', {
      command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf'],
    });
    expect(proxy.behaviour.exit).toBeUndefined();
    expect(proxy.behaviour.http(get('/healthz', 10256), proxy.ctx)?.status).toBe(200);
  });
});

describe('data stores', () => {
  it('redis logs its start and stops on SIGTERM', () => {
    const { behaviour, ctx } = run('redis:5.0.0', 'redis-1');
    expect(behaviour.ports).toEqual([{ port: 6379, protocol: 'TCP' }]);
    expect(behaviour.ignoresSigterm).toBe(false);
    const lines = logText(behaviour, ctx, 1);
    expect(lines[0]).toBe('1:C 01 Mar 2025 12:00:00.000 # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo');
    expect(lines).toContain('1:M 01 Mar 2025 12:00:00.001 * Ready to accept connections');
  });

  it('mysql:5.7 exits 1 without a password option (CrashLoopBackOff), runs with one', () => {
    const bad = run('mysql:5.7', 'my-database');
    expect(bad.behaviour.exit).toMatchObject({ code: 1, reason: 'Error' });
    expect(logText(bad.behaviour, bad.ctx, 1)).toContain(
      '  You need to specify one of MYSQL_ROOT_PASSWORD, MYSQL_ALLOW_EMPTY_PASSWORD and MYSQL_RANDOM_ROOT_PASSWORD',
    );
    expect(run('mysql:5.7', 'db', { env: { MYSQL_ROOT_PASSWORD: 'x' } }).behaviour.exit).toBeUndefined();
  });

  it('postgres:10.5 only warns about the password; current images refuse to start', () => {
    const old = run('postgres:10.5', 'postgres-0');
    expect(old.behaviour.exit).toBeUndefined();
    expect(logText(old.behaviour, old.ctx, 10)).toContain(
      'WARNING: No password has been set for the database.',
    );
    const current = run('postgres', 'pg');
    expect(current.behaviour.exit).toMatchObject({ code: 1 });
    expect(logText(current.behaviour, current.ctx, 1)[0]).toBe(
      'Error: Database is uninitialized and superuser password is not specified.',
    );
  });

  it('psql -l lists postgres, template0 and template1; pgbench and the 1,000,000-row count', () => {
    const { behaviour, ctx } = run('postgres:10.5', 'postgres-0');
    const list = behaviour.exec(['su', 'postgres', '-c', 'psql -l'], ctx).stdout;
    expect(list).toMatch(/^ postgres {2}\| postgres \| UTF8/m);
    expect(list).toMatch(/^ template0 \|/m);
    expect(list).toMatch(/^ template1 \|/m);
    expect(list).toContain('(3 rows)');
    const session = behaviour.exec(
      ['sh'],
      ctx,
      'createdb demo\npgbench -i -s 10 demo\npsql demo -c "select count(*) from pgbench_accounts"\n',
    );
    expect(session.stdout).toContain('1000000 of 1000000 tuples (100%) done');
    expect(session.stdout).toContain('  count  \n---------\n 1000000\n(1 row)\n');
  });
});

describe('the DockerCoins worker (image-catalog §5.3)', () => {
  function coins(tag: string, withServices: { redis?: boolean; rng?: boolean; hasher?: boolean }) {
    const network = new FakeNetwork();
    const dummy = start(catalog, 'redis', {}, contextFor(network, 'redis-1'));
    if (withServices.redis)
      network.listen('10.96.0.20', 6379, dummy, contextFor(network, 'redis-1'), 'redis');
    if (withServices.rng) network.listen('10.96.0.21', 80, dummy, contextFor(network, 'rng-1'), 'rng');
    if (withServices.hasher)
      network.listen('10.96.0.22', 80, dummy, contextFor(network, 'hasher-1'), 'hasher');
    const ctx = contextFor(network, 'worker-7d5b4d6c8b-x2k9p');
    const behaviour = start(catalog, `dockercoins/worker:${tag}`, {}, ctx);
    return { behaviour, ctx, network };
  }

  it('logs `N units of work done, updating hash counter` about once a second while redis, rng and hasher answer', () => {
    const { behaviour, ctx } = coins('v0.1', { redis: true, rng: true, hasher: true });
    expect(behaviour.ports).toEqual([]);
    expect(behaviour.ignoresSigterm).toBe(true);
    const lines = logText(behaviour, ctx, 5).filter((l) => !l.includes('Coin found'));
    expect(lines).toEqual([
      'INFO:__main__:0 units of work done, updating hash counter',
      'INFO:__main__:4 units of work done, updating hash counter',
      'INFO:__main__:4 units of work done, updating hash counter',
      'INFO:__main__:4 units of work done, updating hash counter',
      'INFO:__main__:4 units of work done, updating hash counter',
    ]);
    const hour = logText(behaviour, ctx, 3600);
    expect(hour.filter((l) => l.startsWith('INFO:__main__:Coin found: 0')).length).toBeGreaterThan(100);
    expect(logText(coins('v0.2', { redis: true, rng: true, hasher: true }).behaviour, ctx, 2.5).at(-1)).toBe(
      'INFO:__main__:1 units of work done, updating hash counter',
    );
  });

  it('without redis: the traceback every 10 s (`Name does not resolve`), `Waiting 10s and restarting.`', () => {
    const { behaviour, ctx } = coins('v0.1', {});
    const lines = logText(behaviour, ctx, 25);
    expect(lines[0]).toBe('INFO:__main__:0 units of work done, updating hash counter');
    expect(lines[1]).toBe('ERROR:__main__:In work loop:');
    expect(lines).toContain(
      'redis.exceptions.ConnectionError: Error -2 connecting to redis:6379. Name does not resolve.',
    );
    expect(lines.filter((l) => l === 'ERROR:__main__:Waiting 10s and restarting.')).toHaveLength(3);
  });

  it('with redis but no rng: the requests ConnectionError for http://rng/32', () => {
    const { behaviour, ctx } = coins('v0.1', { redis: true });
    const lines = logText(behaviour, ctx, 1);
    expect(lines.at(-2)).toMatch(
      /^requests\.exceptions\.ConnectionError: HTTPConnectionPool\(host='rng', port=80\): Max retries exceeded with url: \/32 \(Caused by NewConnectionError\('<urllib3\.connection\.HTTPConnection object at 0x7f[0-9a-f]+>: Failed to establish a new connection: \[Errno -2\] Name does not resolve'\)\)$/,
    );
  });

  it('recovers at the first retry after the services appear', () => {
    const { behaviour, ctx, network } = coins('v0.1', { redis: true, rng: true, hasher: true });
    network.since.set('hasher', T0 + 25_000);
    const lines = behaviour.logs(ctx, T0, T0 + 32_000).map((l) => [l.time - T0, l.text] as const);
    const waits = lines.filter(([, t]) => t === 'ERROR:__main__:Waiting 10s and restarting.');
    expect(waits).toHaveLength(3);
    const firstWork = lines.find(([, t]) => t.includes('4 units of work done'));
    expect(firstWork?.[0]).toBe(31_200);
  });

  it("the web UI sums the workers' hashes in /json (hashes as a string)", () => {
    const { behaviour, ctx, network } = coins('v0.1', { redis: true, rng: true, hasher: true });
    network.running.push({ image: 'dockercoins/worker:v0.1', startedAt: T0, behaviour, context: ctx });
    const webui = start(catalog, 'dockercoins/webui:v0.1', {}, contextFor(network, 'webui-1'));
    const json = JSON.parse(
      webui.http(get('/json'), { ...contextFor(network, 'webui-1'), now: T0 + 12_000 })!.body,
    ) as { coins: number; hashes: string; now: number };
    expect(json.hashes).toBe('40');
    expect(typeof json.coins).toBe('number');
    expect(json.now).toBe((T0 + 12_000) / 1000);
    expect(webui.http(get('/'), contextFor(network, 'webui-1'))).toMatchObject({
      status: 302,
      body: 'Found. Redirecting to /index.html',
    });
    expect(webui.http(get('/index.html'), contextFor(network, 'webui-1'))?.body).toContain(
      '<title>DockerCoin Miner WebUI</title>',
    );
  });
});

describe('a pushed image behaves like its source', () => {
  it('push then pull succeeds; `from` decides the behaviour; same repository otherwise', () => {
    const meta = memoryMeta();
    const cat = createImageCatalog(meta);
    expect(cat.pull('dockercoins/worker:v0.3').ok).toBe(false);
    pushImage(meta, 'dockercoins/worker:v0.3', { now: new Date(T0) });
    const pulled = cat.pull('dockercoins/worker:v0.3');
    expect(pulled.ok).toBe(true);
    if (!pulled.ok) return;
    const network = new FakeNetwork();
    const worker = cat.behaviour(pulled.image, { env: {} }, contextFor(network, 'worker-1'));
    expect(logText(worker, contextFor(network, 'worker-1'), 1)[1]).toBe('ERROR:__main__:In work loop:');

    pushImage(meta, '127.0.0.1:31500/busybox', { from: 'busybox', now: new Date(T0) });
    const box = cat.pull('127.0.0.1:31500/busybox');
    if (!box.ok) throw new Error(box.message);
    const b: ProcessBehaviour = cat.behaviour(
      box.image,
      { env: {}, command: ['sh', '-c', 'echo from busybox'] },
      contextFor(network, 'box'),
    );
    expect(logText(b, contextFor(network, 'box'), 1)).toEqual(['from busybox']);

    pushImage(meta, 'someone/app:1.0', { now: new Date(T0) });
    const generic = cat.pull('someone/app:1.0');
    if (!generic.ok) throw new Error(generic.message);
    const g = cat.behaviour(generic.image, { env: {} }, contextFor(network, 'app'));
    expect(g.exit).toBeUndefined();
    expect(g.ports).toEqual([]);
  });
});

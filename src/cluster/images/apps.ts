/**
 * The programs images run, by kind: what each listens on, when it answers, what it logs and how
 * it answers HTTP. Most system and exporter images are the data-driven `server` kind (ports,
 * fixed routes, start-up lines from the catalog); the training's demo images have their own
 * kinds, because their answers depend on the pod (`RNG running on <pod>`, httpenv's environment,
 * the color page), on the request (hasher's SHA-256) or on the cluster (the worker's loop, the
 * web UI's counters, the registry's catalogue).
 */

import type { PortSpec, RouteSpec } from './catalog-data.js';
import {
  apiServerForbidden,
  cheesePage,
  compareVersions,
  GO_NOT_FOUND,
  NGINX_50X,
  NGINX_WELCOME_612,
  NGINX_WELCOME_615,
  nginxErrorPage,
  sinatraNotFound,
  WEBUI_INDEX,
  WERKZEUG_404,
  WERKZEUG_405,
} from './pages.js';
import { infoOf, type ResolvedImage, type WorkCounter, withInfo } from './resolved.js';
import { fillTemplate, intHash, pyAddress, sha256Hex, timeFormats, unitHash } from './text.js';
import { type AppProcess, type LogWindow, periodicLines, type TimedLine, windowed } from './timeline.js';
import type { ContainerContext, HttpAnswer, HttpRequest, LogLine, Vantage } from './types.js';

/** A pushed image as the registry program lists it. */
export interface StoredImage {
  readonly reference: string;
  readonly pushedAt: string;
}

/** What starting a program takes. */
export interface AppStart {
  readonly image: ResolvedImage;
  /** The full command line (entrypoint and arguments). */
  readonly argv: readonly string[];
  /** The process environment in the container. */
  envOf(ctx: ContainerContext | undefined): Readonly<Record<string, string>>;
  /** The container at start, when known (files, network). */
  readonly context?: ContainerContext;
  /** The images pushed to the simulated registries. */
  pushed(): readonly StoredImage[];
}

type Port = { readonly port: number; readonly protocol: 'TCP' | 'UDP'; readonly tls?: boolean };

const toPorts = (ports: readonly PortSpec[]): Port[] =>
  ports.map((p) => ({ port: p.port, protocol: p.protocol ?? 'TCP', ...(p.tls ? { tls: true } : {}) }));

/** The vantage point of a container. */
export function vantageOf(ctx: ContainerContext): Vantage {
  return { kind: 'pod', namespace: ctx.namespace, podIP: ctx.podIP, nodeName: ctx.nodeName };
}

/** The time of a request or command in a container. */
export function nowOf(ctx: ContainerContext): number {
  return ctx.now ?? ctx.startedAt ?? 0;
}

function templateValues(
  ctx: ContainerContext,
  image: ResolvedImage,
  time: number,
  port = '',
): Parameters<typeof fillTemplate>[1] {
  return {
    pod: ctx.podName,
    ip: ctx.podIP,
    namespace: ctx.namespace,
    node: ctx.nodeName,
    version: image.version,
    port,
    time,
  };
}

/** Catalog log lines (`LogSpec`) as timed lines. */
function startLines(image: ResolvedImage, specs = image.logs): TimedLine[] {
  return specs.map((spec) => {
    if (typeof spec === 'string') return { at: 0, text: spec, stream: 'stdout' as const };
    if (Array.isArray(spec))
      return { at: spec[0] as number, text: spec[1] as string, stream: 'stdout' as const };
    const s = spec as { at?: number; text: string; stream: 'stdout' | 'stderr' };
    return { at: s.at ?? 0, text: s.text, stream: s.stream };
  });
}

/** Fixed lines from the start, filled in for the container. */
function fixedLogs(
  image: ResolvedImage,
  lines: readonly TimedLine[],
): (ctx: ContainerContext, startedAt: number, until: number, window?: LogWindow) => LogLine[] {
  return (ctx, startedAt, until, window) => {
    const out: LogLine[] = [];
    for (const line of lines) {
      const time = startedAt + line.at;
      if (time > until) continue;
      out.push({
        time,
        text: fillTemplate(line.text, templateValues(ctx, image, time)),
        stream: line.stream,
      });
    }
    return windowed(out, window);
  };
}

const text = (
  body: string,
  status = 200,
  contentType = 'text/plain; charset=utf-8',
  headers: Record<string, string> = {},
): HttpAnswer => ({
  status,
  headers: { 'Content-Type': contentType, ...headers },
  body,
});

function matchRoute(routes: readonly RouteSpec[], request: HttpRequest): RouteSpec | undefined {
  const path = request.path.split('?')[0] ?? '/';
  const fits = (r: RouteSpec) =>
    (r.port === undefined || r.port === request.port) &&
    (r.method === undefined || r.method === request.method.toUpperCase());
  return (
    routes.find((r) => fits(r) && r.path === path) ??
    routes.find((r) => fits(r) && r.path.endsWith('*') && request.path.startsWith(r.path.slice(0, -1)))
  );
}

function routeAnswer(route: RouteSpec, ctx: ContainerContext, image: ResolvedImage): HttpAnswer {
  const fill = (s: string) => fillTemplate(s, templateValues(ctx, image, nowOf(ctx)));
  return {
    status: route.status ?? 200,
    headers: { 'Content-Type': route.contentType ?? 'text/plain; charset=utf-8', ...(route.headers ?? {}) },
    body: fill(route.body),
  };
}

/** `--flag=value` or `--flag value` in an argument list. */
function flagValue(argv: readonly string[], ...names: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    for (const name of names) {
      if (a === name) return argv[i + 1];
      if (a.startsWith(`${name}=`)) return a.slice(name.length + 1);
    }
  }
  return undefined;
}

/** A program that exits at once with an error (a missing configuration, a refused flag). */
function failing(image: ResolvedImage, lines: readonly TimedLine[], code = 1, afterMs = 100): AppProcess {
  return {
    startupMs: 0,
    ports: [],
    exit: { afterMs, code, reason: 'Error' },
    ignoresSigterm: false,
    logs: fixedLogs(image, lines),
    http: () => undefined,
  };
}

/** The data-driven `server`: its ports, its catalog routes, Go's 404 for the rest. */
function server(start: AppStart): AppProcess {
  const { image, argv } = start;
  const oneShot = Object.entries(image.oneShot).find(
    ([key]) => key === '*' || argv.some((a) => a === key || a.endsWith(`/${key}`)),
  );
  if (oneShot) {
    return {
      startupMs: 0,
      ports: [],
      exit: { afterMs: oneShot[1], code: 0, reason: 'Completed' },
      ignoresSigterm: false,
      logs: fixedLogs(
        image,
        startLines(image).filter((l) => l.at <= oneShot[1]),
      ),
      http: () => undefined,
    };
  }
  const ports = toPorts(image.ports);
  return {
    startupMs: image.startupMs,
    ports,
    ignoresSigterm: image.ignoresSigterm,
    logs: fixedLogs(image, startLines(image)),
    http(request, ctx) {
      if (!ports.some((p) => p.port === request.port && p.protocol === 'TCP')) return undefined;
      const route = matchRoute(image.routes, request);
      if (route) return routeAnswer(route, ctx, image);
      return text(GO_NOT_FOUND);
    },
  };
}

// ------------------------------------------------------------------------------------------ nginx

function nginx(start: AppStart): AppProcess {
  const { image } = start;
  const port = Number(image.settings.port ?? image.ports[0]?.port ?? 80);
  const version = image.version;
  const welcome = compareVersions(version, '1.21.0') >= 0 ? NGINX_WELCOME_615 : NGINX_WELCOME_612;
  const server = image.name.startsWith('bitnami/') ? 'nginx' : `nginx/${version}`;
  const cheese = image.settings.cheese as string | undefined;
  const lines: TimedLine[] = [];
  if (compareVersions(version, '1.19.0') >= 0 && !image.name.startsWith('errm/')) {
    for (const l of [
      '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
      '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
      '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
      '10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf',
      '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
      '/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh',
      '/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh',
      '/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh',
      '/docker-entrypoint.sh: Configuration complete; ready for start up',
    ]) {
      lines.push({ at: 0, text: l, stream: 'stdout' });
    }
    for (const l of [
      '{nginx} [notice] 1#1: using the "epoll" event method',
      `{nginx} [notice] 1#1: nginx/${version}`,
      '{nginx} [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14+deb12u1) ',
      '{nginx} [notice] 1#1: OS: Linux 6.8.0-85-generic',
      '{nginx} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576',
      '{nginx} [notice] 1#1: start worker processes',
      '{nginx} [notice] 1#1: start worker process 29',
      '{nginx} [notice] 1#1: start worker process 30',
    ]) {
      lines.push({ at: 50, text: l, stream: 'stderr' });
    }
  }
  const docroot = '/usr/share/nginx/html';
  return {
    startupMs: image.startupMs,
    ports: [{ port, protocol: 'TCP' }],
    ignoresSigterm: false,
    logs: fixedLogs(image, lines),
    http(request, ctx) {
      if (request.port !== port) return undefined;
      const headers = { Server: server };
      const method = request.method.toUpperCase();
      if (method !== 'GET' && method !== 'HEAD') {
        return text(nginxErrorPage('405 Not Allowed', version), 405, 'text/html', headers);
      }
      let path = decodeURIComponent(request.path.split('?')[0] ?? '/');
      if (path.endsWith('/')) path += 'index.html';
      const mounted = ctx.listDir?.(docroot);
      const file = ctx.readFile?.(`${docroot}${path}`);
      if (file !== undefined) return text(file, 200, contentTypeOf(path), headers);
      if (mounted !== undefined) {
        // A volume over the document root: only what it holds is served; an empty one gives 403.
        return path === '/index.html'
          ? text(nginxErrorPage('403 Forbidden', version), 403, 'text/html', headers)
          : text(nginxErrorPage('404 Not Found', version), 404, 'text/html', headers);
      }
      if (path === '/index.html') {
        const body = cheese ? cheesePage(cheese, String(image.settings.background)) : welcome;
        return text(body, 200, 'text/html', {
          ...headers,
          'Last-Modified': 'Tue, 12 Aug 2025 14:15:00 GMT',
          'Accept-Ranges': 'bytes',
        });
      }
      if (path === '/50x.html') return text(NGINX_50X, 200, 'text/html', headers);
      if (cheese && (path === '/bg.jpg' || path === '/bg.png')) {
        return text(cheeseBytes(path), 200, path.endsWith('png') ? 'image/png' : 'image/jpeg', headers);
      }
      return text(nginxErrorPage('404 Not Found', version), 404, 'text/html', headers);
    },
  };
}

function cheeseBytes(path: string): string {
  const head = path.endsWith('png') ? '\x89PNG\r\n\x1a\n' : '\xff\xd8\xff\xe0\x00\x10JFIF\x00';
  return head + sha256Hex(path).repeat(64);
}

function contentTypeOf(path: string): string {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  const types: Record<string, string> = {
    html: 'text/html',
    htm: 'text/html',
    css: 'text/css',
    js: 'application/javascript',
    json: 'application/json',
    txt: 'text/plain',
    png: 'image/png',
    jpg: 'image/jpeg',
    gif: 'image/gif',
    svg: 'image/svg+xml',
  };
  return types[ext] ?? 'application/octet-stream';
}

// ------------------------------------------------------------------------------------------ small Go servers

function httpenv(start: AppStart): AppProcess {
  const { image } = start;
  return {
    startupMs: image.startupMs,
    ports: [{ port: 8888, protocol: 'TCP' }],
    ignoresSigterm: false,
    logs: fixedLogs(image, startLines(image)),
    http(request, ctx) {
      if (request.port !== 8888) return undefined;
      const env = start.envOf(ctx);
      const sorted: Record<string, string> = {};
      for (const key of Object.keys(env).sort()) sorted[key] = env[key]!;
      // Go's json.Marshal of a map: sorted keys, no trailing newline.
      return text(JSON.stringify(sorted), 200, 'text/plain; charset=utf-8');
    },
  };
}

const COLOR_CIRCLES: Record<string, string> = {
  blue: '🔵',
  green: '🟢',
  red: '🔴',
  yellow: '🟡',
  orange: '🟠',
  purple: '🟣',
  brown: '🟤',
  black: '⚫',
  white: '⚪',
};

function color(start: AppStart): AppProcess {
  const { image } = start;
  const portOf = (ctx: ContainerContext | undefined) =>
    Number(start.envOf(ctx).PORT ?? image.ports[0]?.port ?? 80);
  const port = portOf(start.context);
  return {
    startupMs: image.startupMs,
    ports: [{ port, protocol: 'TCP' }],
    ignoresSigterm: false,
    logs: fixedLogs(image, [
      { at: 0, text: `Starting HTTP server (linux/amd64) listening on port ${port}.`, stream: 'stdout' },
    ]),
    http(request, ctx) {
      if (request.port !== port) return undefined;
      const env = start.envOf(ctx);
      const hostname = env.HOSTNAME ?? ctx.podName;
      const namespace =
        env.NAMESPACE ??
        ctx.readFile?.('/var/run/secrets/kubernetes.io/serviceaccount/namespace') ??
        ctx.namespace;
      const first = hostname.split('-')[0] ?? hostname;
      const circle = COLOR_CIRCLES[first] ?? '';
      const client = `${request.clientIP ?? '10.244.0.1'}:${intHash(32768, 60999, hostname, request.path, nowOf(ctx))}`;
      const who = namespace ? `pod ${namespace}/${hostname}` : hostname;
      const body =
        `<!DOCTYPE html>\r<html>\r<head><title>${hostname}</title></head>\r` +
        `<body style="background-color: ${namespace || 'white'}; color: white;">\r` +
        `<span style="background-color: ${first};">\r` +
        `${circle}This is ${who} on linux/amd64, serving ${request.path} for ${client}.\n` +
        `</span>\r</body>\r</html>\r`;
      return text(body, 200, 'text/html; charset=utf-8');
    },
  };
}

// ------------------------------------------------------------------------------------------ Python servers

function sleepy(start: AppStart): AppProcess {
  const { image, argv } = start;
  if (argv.includes('-h') || argv.includes('--help')) {
    const help = [
      'usage: sleepy-server.py [-h] [-p INT] [-s INT] [-m STR]',
      '',
      'Simple webserver the sleeps',
      '',
      'optional arguments:',
      '  -h, --help  show this help message and exit',
      '  -p INT      Port to listen on (Default: 8080)',
      '  -s INT      Seconds to sleep (Default: 0.5)',
      '  -m STR      Message to print (Default: Hello World!)',
    ].map((t) => ({ at: 0, text: t, stream: 'stdout' as const }));
    return { ...failing(image, help, 0, 200), exit: { afterMs: 200, code: 0, reason: 'Completed' } };
  }
  const port = Number(flagValue(argv, '-p', '--port') ?? 8080);
  const seconds = Number(flagValue(argv, '-s') ?? 0.5);
  const message = flagValue(argv, '-m') ?? 'Hello World!';
  const lines: TimedLine[] = [
    {
      at: 0,
      text: `[INFO - start_server] Webpage will sleep for ${seconds.toFixed(2)} seconds and then print '${message}'`,
      stream: 'stderr',
    },
    {
      at: 0,
      text: `[INFO - start_server] Starting server at http://localhost:${port} use Ctrl+C to stop`,
      stream: 'stderr',
    },
  ];
  return {
    startupMs: image.startupMs,
    ports: [{ port, protocol: 'TCP' }],
    ignoresSigterm: true,
    logs: fixedLogs(image, lines),
    http(request, ctx) {
      if (request.port !== port) return undefined;
      if (request.path !== '/' || request.method.toUpperCase() !== 'GET') return text('', 200, 'text/html');
      const body = `<html><head><title>Sleepy server</title></head><body><p>${ctx.podName} - Getting a little sleepy...</p><p>${message}</p></body></html>`;
      return { ...text(body, 200, 'text/html'), delayMs: Math.round(seconds * 1000) };
    },
  };
}

function flaskBanner(app: string, port: number, flask1: boolean): TimedLine[] {
  const lines = flask1
    ? [
        ` * Serving Flask app "${app}"`,
        ' * Environment: production',
        '   WARNING: This is a development server. Do not use it in a production deployment.',
        '   Use a production WSGI server instead.',
        ' * Debug mode: off',
        ` * Running on http://0.0.0.0:${port}/ (Press CTRL+C to quit)`,
      ]
    : [` * Running on http://0.0.0.0:${port}/ (Press CTRL+C to quit)`];
  return lines.map((t) => ({ at: 500, text: t, stream: 'stderr' as const }));
}

function flask(start: AppStart): AppProcess {
  const { image } = start;
  const env = start.envOf(start.context);
  const port = Number(flagValue(start.argv, '--port', '-p') ?? env.FLASK_RUN_PORT ?? 5000);
  return {
    startupMs: image.startupMs,
    ports: [{ port, protocol: 'TCP' }],
    ignoresSigterm: true,
    logs: fixedLogs(image, flaskBanner(env.FLASK_APP ?? 'app.py', port, true)),
    http(request) {
      if (request.port !== port) return undefined;
      const path = request.path.split('?')[0];
      if (path === '/hello-service' && request.method.toUpperCase() === 'GET')
        return text('Hello world\n', 200, 'text/html; charset=utf-8');
      return text(WERKZEUG_404, 404, 'text/html');
    },
  };
}

function rng(start: AppStart): AppProcess {
  const { image } = start;
  return {
    startupMs: image.startupMs,
    ports: [{ port: 80, protocol: 'TCP' }],
    ignoresSigterm: true,
    logs: fixedLogs(image, [
      { at: 500, text: ' * Serving Flask app "rng" (lazy loading)', stream: 'stderr' },
      { at: 500, text: ' * Environment: production', stream: 'stderr' },
      {
        at: 500,
        text: '   WARNING: Do not use the development server in a production environment.',
        stream: 'stderr',
      },
      { at: 500, text: '   Use a production WSGI server instead.', stream: 'stderr' },
      { at: 500, text: ' * Debug mode: off', stream: 'stderr' },
      { at: 1000, text: ' * Running on http://0.0.0.0:80/ (Press CTRL+C to quit)', stream: 'stderr' },
    ]),
    http(request, ctx) {
      if (request.port !== 80) return undefined;
      const path = request.path.split('?')[0] ?? '/';
      if (path === '/') return text(`RNG running on ${ctx.podName}\n`, 200, 'text/html; charset=utf-8');
      const m = /^\/(\d+)$/.exec(path);
      if (m) {
        if (request.method.toUpperCase() !== 'GET') return text(WERKZEUG_405, 405, 'text/html');
        const n = Math.min(Number(m[1]), 1 << 20);
        let body = '';
        const seed = sha256Hex(`${ctx.podName}/${nowOf(ctx)}/${n}`);
        for (let i = 0; i < n; i++)
          body += String.fromCharCode(
            Number.parseInt(seed.slice((i * 2) % 64, ((i * 2) % 64) + 2), 16) ^ (i & 0xff),
          );
        return { ...text(body, 200, 'application/octet-stream'), delayMs: 100 };
      }
      return text(WERKZEUG_404, 404, 'text/html');
    },
  };
}

function hasher(start: AppStart): AppProcess {
  const { image } = start;
  return {
    startupMs: image.startupMs,
    ports: [{ port: 80, protocol: 'TCP' }],
    ignoresSigterm: false,
    logs: fixedLogs(image, [
      {
        at: 800,
        text: '== Sinatra (v2.0.4) has taken the stage on 80 for development with backup from Thin',
        stream: 'stderr',
      },
      { at: 800, text: 'Thin web server (v1.7.2 codename Bachmanity)', stream: 'stderr' },
      { at: 800, text: 'Maximum connections set to 1024', stream: 'stderr' },
      { at: 1000, text: 'Listening on 0.0.0.0:80, CTRL+C to stop', stream: 'stderr' },
    ]),
    http(request, ctx) {
      if (request.port !== 80) return undefined;
      const path = request.path.split('?')[0] ?? '/';
      const method = request.method.toUpperCase();
      if (path === '/' && method === 'POST') {
        return {
          ...text(sha256Hex(Buffer.from(request.body ?? '', 'latin1')), 200, 'text/plain;charset=utf-8'),
          delayMs: 100,
        };
      }
      if (path === '/' && method === 'GET')
        return text(`HASHER running on ${ctx.podName}\n`, 200, 'text/html;charset=utf-8');
      return text(sinatraNotFound(method, path), 404, 'text/html;charset=utf-8', { 'X-Cascade': 'pass' });
    },
  };
}

// ------------------------------------------------------------------------------------------ DockerCoins worker and web UI

const WORKER_REPORT_MS = 1200;
const WORKER_RETRY_MS = 10_000;
const WORKER_DEPS = [
  { name: 'redis', port: 6379 },
  { name: 'rng', port: 80 },
  { name: 'hasher', port: 80 },
] as const;

type Failure = 'dns' | 'refused' | 'timeout' | 'unreachable';

/** Why a dependency fails now (undefined: it works). */
function failureNow(ctx: ContainerContext, name: string, port: number): Failure | undefined {
  const from = vantageOf(ctx);
  const resolved = ctx.network.resolve(name, from);
  if (resolved === undefined || resolved.addresses.length === 0) return 'dns';
  const connection = ctx.network.connect(resolved.addresses[0]!, port, from);
  return connection.ok ? undefined : connection.error;
}

function workerTraceback(
  dep: (typeof WORKER_DEPS)[number]['name'],
  failure: Failure,
  seed: string,
): string[] {
  const errno: Record<Failure, [string, string]> = {
    dns: ['-2', 'Name does not resolve'],
    refused: ['111', 'Connection refused'],
    timeout: ['110', 'Operation timed out'],
    unreachable: ['113', 'Host is unreachable'],
  };
  const [code, words] = errno[failure];
  const head = [
    'Traceback (most recent call last):',
    '  File "worker.py", line 69, in <module>',
    '    work_loop()',
  ];
  if (dep === 'redis') {
    return [
      ...head,
      '  File "worker.py", line 52, in work_loop',
      '    redis.incrby("hashes", loops_done)',
      '  File "/usr/local/lib/python3.7/site-packages/redis/connection.py", line 497, in connect',
      '    raise ConnectionError(self._error_message(e))',
      `redis.exceptions.ConnectionError: Error ${code} connecting to redis:6379. ${words}.`,
    ];
  }
  const [line, call, url, path] =
    dep === 'rng'
      ? ['35', 'random_bytes = get_random_bytes()', 'r = requests.get("http://rng/32")', '/32']
      : [
          '36',
          'hex_hash = hash_bytes(random_bytes)',
          'r = requests.post("http://hasher/", data=data, headers={"Content-Type": "application/octet-stream"})',
          '/',
        ];
  return [
    ...head,
    '  File "worker.py", line 56, in work_loop',
    '    work_once()',
    `  File "worker.py", line ${line}, in work_once`,
    `    ${call}`,
    `  File "worker.py", line ${dep === 'rng' ? '21' : '27'}, in ${dep === 'rng' ? 'get_random_bytes' : 'hash_bytes'}`,
    `    ${url}`,
    '  File "/usr/local/lib/python3.7/site-packages/requests/adapters.py", line 516, in send',
    '    raise ConnectionError(e, request=request)',
    `requests.exceptions.ConnectionError: HTTPConnectionPool(host='${dep}', port=80): Max retries exceeded with url: ${path} (Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at ${pyAddress(seed)}>: Failed to establish a new connection: [Errno ${code}] ${words}'))`,
  ];
}

/** The worker's plan in a container: when it recovered (if it did) and why it failed before. */
function workerPlan(ctx: ContainerContext, startedAt: number) {
  const from = vantageOf(ctx);
  const deps = WORKER_DEPS.map((d) => {
    const now = failureNow(ctx, d.name, d.port);
    const since =
      now === undefined ? (ctx.network.reachableSince?.(d.name, d.port, from) ?? startedAt) : undefined;
    return { ...d, now, since };
  });
  // The failing dependency at time t: the first one (redis, rng, hasher) not reachable then.
  const failingAt = (t: number) => deps.find((d) => d.since === undefined || d.since > t);
  const retryMs = deps.some((d) => d.now === 'timeout') ? WORKER_RETRY_MS + 127_000 : WORKER_RETRY_MS;
  const allSince = deps.every((d) => d.since !== undefined)
    ? Math.max(...deps.map((d) => d.since!))
    : undefined;
  // Attempts happen at startedAt + k·retry; the first at or after every dependency works succeeds.
  const failedAttempts =
    allSince === undefined
      ? Number.POSITIVE_INFINITY
      : Math.max(0, Math.ceil((allSince - startedAt) / retryMs));
  const recoveredAt = allSince === undefined ? undefined : startedAt + failedAttempts * retryMs;
  return { failingAt, retryMs, failedAttempts, recoveredAt };
}

function worker(start: AppStart): AppProcess {
  const { image } = start;
  const loopMs = Number(image.settings.sleepMs ?? 100) + 200;
  const units = Math.max(1, Math.round(WORKER_REPORT_MS / loopMs));
  const isCoin = (pod: string, loop: number) => unitHash(pod, 'coin', loop) < 1 / 16;
  const coinHex = (pod: string, loop: number) => `0${sha256Hex(`${pod}/${loop}`).slice(1, 8)}`;
  const info = (t: string): TimedLine => ({ at: 0, text: `INFO:__main__:${t}`, stream: 'stderr' });
  const productive =
    (pod: string) =>
    (n: number): TimedLine[] => {
      const lines: TimedLine[] = [
        { ...info(`${n === 0 ? 0 : units} units of work done, updating hash counter`) },
      ];
      for (let k = 0; k < units; k++) {
        const loop = n * units + k;
        if (isCoin(pod, loop))
          lines.push({ ...info(`Coin found: ${coinHex(pod, loop)}...`), at: k * loopMs + loopMs - 1 });
      }
      return lines;
    };
  const logs = (ctx: ContainerContext, startedAt: number, until: number, window?: LogWindow): LogLine[] => {
    const plan = workerPlan(ctx, startedAt);
    const failedUntil = Math.min(until, plan.recoveredAt === undefined ? until : plan.recoveredAt - 1);
    const failed = periodicLines(
      startedAt,
      plan.retryMs,
      (n) => {
        if (n >= plan.failedAttempts) return [];
        const t = startedAt + n * plan.retryMs;
        const dep = plan.failingAt(t);
        if (dep === undefined) return [];
        const failure = dep.now ?? 'dns';
        const trace = workerTraceback(dep.name, failure, `${ctx.podName}/${n}`);
        return [
          info('0 units of work done, updating hash counter'),
          { at: 5, text: 'ERROR:__main__:In work loop:', stream: 'stderr' },
          ...trace.map((t) => ({ at: 5, text: t, stream: 'stderr' as const })),
          { at: 6, text: 'ERROR:__main__:Waiting 10s and restarting.', stream: 'stderr' },
        ];
      },
      failedUntil,
      window,
    );
    const working =
      plan.recoveredAt === undefined
        ? []
        : periodicLines(plan.recoveredAt, WORKER_REPORT_MS, productive(ctx.podName), until, window);
    return windowed([...failed, ...working], window);
  };
  const behaviour: AppProcess = {
    startupMs: 0,
    ports: [],
    ignoresSigterm: true,
    logs,
    http: () => undefined,
  };
  return withInfo(behaviour, {
    app: 'worker',
    entry: image.entry,
    version: image.version,
    counter(ctx, startedAt): WorkCounter {
      const plan = workerPlan(ctx, startedAt);
      return {
        work(until) {
          if (plan.recoveredAt === undefined || until < plan.recoveredAt) return { hashes: 0, coins: 0 };
          const reports = Math.floor((until - plan.recoveredAt) / WORKER_REPORT_MS);
          // Counted loop by loop for the first 100,000 hashes, then one in 16 on average.
          const loops = reports * units;
          const counted = Math.min(loops, 100_000);
          let coins = Math.floor((loops - counted) / 16);
          for (let i = 0; i < counted; i++) if (isCoin(ctx.podName, i)) coins++;
          return { hashes: loops, coins };
        },
      };
    },
  });
}

function webui(start: AppStart): AppProcess {
  const { image } = start;
  const express404 = (path: string) =>
    `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot GET ${path}</pre>\n</body>\n</html>\n`;
  return {
    startupMs: image.startupMs,
    ports: [{ port: 80, protocol: 'TCP' }],
    ignoresSigterm: true,
    logs(ctx, startedAt, until, window) {
      const lines: LogLine[] = [];
      if (startedAt + 500 <= until)
        lines.push({ time: startedAt + 500, text: 'WEBUI running on port 80', stream: 'stdout' });
      const failure = failureNow(ctx, 'redis', 6379);
      if (failure === undefined) return windowed(lines, window);
      const reason =
        failure === 'dns'
          ? 'getaddrinfo ENOTFOUND redis redis:6379'
          : failure === 'refused'
            ? 'connect ECONNREFUSED'
            : 'connect ETIMEDOUT';
      const errors = periodicLines(
        startedAt + 600,
        WORKER_RETRY_MS,
        () => [
          {
            at: 0,
            text: `Redis error { Error: Redis connection to redis:6379 failed - ${reason}`,
            stream: 'stdout',
          },
        ],
        until,
        window,
      );
      return windowed([...lines, ...errors], window);
    },
    http(request, ctx) {
      if (request.port !== 80) return undefined;
      const path = request.path.split('?')[0] ?? '/';
      if (path === '/')
        return text('Found. Redirecting to /index.html', 302, 'text/plain; charset=utf-8', {
          Location: '/index.html',
        });
      if (path === '/index.html') return text(WEBUI_INDEX, 200, 'text/html; charset=UTF-8');
      if (path === '/json') {
        if (failureNow(ctx, 'redis', 6379) !== undefined) return { ...text('', 504), delayMs: 120_000 };
        const now = nowOf(ctx);
        let hashes = 0;
        let coins = 0;
        let any = false;
        for (const c of ctx.network.containers?.(ctx.namespace) ?? []) {
          const counter = infoOf(c.behaviour)?.counter?.(c.context, c.startedAt);
          if (counter === undefined) continue;
          const w = counter.work(now);
          any = any || w.hashes > 0;
          hashes += w.hashes;
          coins += w.coins;
        }
        const body = `{"coins":${coins},"hashes":${any ? `"${hashes}"` : 'null'},"now":${(now / 1000).toFixed(3)}}`;
        return text(body, 200, 'application/json; charset=utf-8');
      }
      if (/^\/(jquery\.js|d3\.min\.js|rickshaw\.min\.js|rickshaw\.min\.css)$/.test(path)) {
        return text(
          `/* ${path.slice(1)} */\n`,
          200,
          path.endsWith('.css') ? 'text/css; charset=UTF-8' : 'application/javascript; charset=UTF-8',
        );
      }
      return text(express404(path), 404, 'text/html; charset=utf-8');
    },
  };
}

// ------------------------------------------------------------------------------------------ data stores

/** The version lines of redis' start, per major version. */
function redisLines(version: string, port: number): TimedLine[] {
  const major = Number.parseInt(version, 10);
  const l = (at: number, t: string): TimedLine => ({ at, text: t, stream: 'stdout' });
  if (major >= 7) {
    return [
      l(
        0,
        `1:C {redis} # WARNING Memory overcommit must be enabled! Without it, a background save or replication may fail under low memory condition. Being disabled, it can also cause failures without low memory condition, see https://github.com/jemalloc/jemalloc/issues/1328. To fix this issue add 'vm.overcommit_memory = 1' to /etc/sysctl.conf and then reboot or run the command 'sysctl vm.overcommit_memory=1' for this to take effect.`,
      ),
      l(0, '1:C {redis} * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo'),
      l(
        0,
        `1:C {redis} * Redis version=${version}, bits=64, commit=00000000, modified=0, pid=1, just started`,
      ),
      l(
        0,
        '1:C {redis} # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf',
      ),
      l(1, `1:M {redis} * monotonic clock: POSIX clock_gettime`),
      l(1, `1:M {redis} * Running mode=standalone, port=${port}.`),
      l(2, '1:M {redis} * Server initialized'),
      l(2, '1:M {redis} * Ready to accept connections tcp'),
    ];
  }
  return [
    l(0, '1:C {redis} # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo'),
    l(0, `1:C {redis} # Redis version=${version}, bits=64, commit=00000000, modified=0, pid=1, just started`),
    l(
      0,
      '1:C {redis} # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf',
    ),
    l(1, `1:M {redis} * Running mode=standalone, port=${port}.`),
    l(1, '1:M {redis} # Server initialized'),
    l(1, '1:M {redis} * Ready to accept connections'),
  ];
}

function redis(start: AppStart): AppProcess {
  const { image, argv } = start;
  const port = Number(flagValue(argv, '--port') ?? 6379);
  return {
    startupMs: image.startupMs,
    ports: [{ port, protocol: 'TCP' }],
    ignoresSigterm: false,
    logs: fixedLogs(image, redisLines(image.version, port)),
    http: () => undefined,
  };
}

/** Whether a postgres image insists on a password (the entrypoint rule of February 2020). */
function postgresNeedsPassword(version: string): boolean {
  const thresholds: Record<string, string> = {
    '9.4': '9.4.26',
    '9.5': '9.5.21',
    '9.6': '9.6.17',
    '10': '10.12',
    '11': '11.7',
    '12': '12.2',
  };
  const major = version.startsWith('9.') ? version.split('.').slice(0, 2).join('.') : version.split('.')[0]!;
  const threshold = thresholds[major];
  return threshold === undefined ? true : compareVersions(version, threshold) >= 0;
}

function postgres(start: AppStart): AppProcess {
  const { image } = start;
  const env = start.envOf(start.context);
  const l = (at: number, t: string, stream: 'stdout' | 'stderr' = 'stdout'): TimedLine => ({
    at,
    text: t,
    stream,
  });
  if (
    !image.name.startsWith('bitnami/') &&
    !env.POSTGRES_PASSWORD &&
    env.POSTGRES_HOST_AUTH_METHOD !== 'trust' &&
    postgresNeedsPassword(image.version)
  ) {
    return failing(image, [
      l(0, 'Error: Database is uninitialized and superuser password is not specified.', 'stderr'),
      l(0, '       You must specify POSTGRES_PASSWORD to a non-empty value for the', 'stderr'),
      l(0, '       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".', 'stderr'),
      l(0, '', 'stderr'),
      l(0, '       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all', 'stderr'),
      l(0, '       connections without a password. This is *not* recommended.', 'stderr'),
      l(0, '', 'stderr'),
      l(0, '       See PostgreSQL documentation about "trust":', 'stderr'),
      l(0, '       https://www.postgresql.org/docs/current/auth-trust.html', 'stderr'),
    ]);
  }
  const lines: TimedLine[] = [
    l(0, 'The files belonging to this database system will be owned by user "postgres".'),
    l(0, 'This user must also own the server process.'),
    l(0, ''),
    l(0, 'The database cluster will be initialized with locale "en_US.utf8".'),
    l(0, 'The default database encoding has accordingly been set to "UTF8".'),
    l(0, 'The default text search configuration will be set to "english".'),
    l(100, 'fixing permissions on existing directory /var/lib/postgresql/data ... ok'),
    l(2000, 'Success. You can now start the database server using:'),
  ];
  if (!env.POSTGRES_PASSWORD) {
    lines.push(
      l(2500, '****************************************************', 'stderr'),
      l(2500, 'WARNING: No password has been set for the database.', 'stderr'),
      l(2500, '****************************************************', 'stderr'),
    );
  }
  lines.push(
    l(5000, 'PostgreSQL init process complete; ready for start up.'),
    l(image.startupMs, '{pg} UTC [1] LOG:  listening on IPv4 address "0.0.0.0", port 5432'),
    l(image.startupMs, '{pg} UTC [1] LOG:  database system is ready to accept connections'),
  );
  return {
    startupMs: image.startupMs,
    ports: [{ port: 5432, protocol: 'TCP' }],
    ignoresSigterm: false,
    logs: fixedLogs(image, lines),
    http: () => undefined,
  };
}

function mysql(start: AppStart): AppProcess {
  const { image } = start;
  const env = start.envOf(start.context);
  const l = (at: number, t: string, stream: 'stdout' | 'stderr' = 'stderr'): TimedLine => ({
    at,
    text: t,
    stream,
  });
  const hasPassword = Boolean(
    env.MYSQL_ROOT_PASSWORD || env.MYSQL_ALLOW_EMPTY_PASSWORD || env.MYSQL_RANDOM_ROOT_PASSWORD,
  );
  const old = compareVersions(image.version, '8.0.0') < 0;
  const ts = '{mysql}';
  if (!hasPassword) {
    return failing(
      image,
      old
        ? [
            l(
              0,
              `${ts} [Note] [Entrypoint]: Entrypoint script for MySQL Server ${image.version}-1.el7 started.`,
            ),
            l(0, 'error: database is uninitialized and password option is not specified '),
            l(
              0,
              '  You need to specify one of MYSQL_ROOT_PASSWORD, MYSQL_ALLOW_EMPTY_PASSWORD and MYSQL_RANDOM_ROOT_PASSWORD',
            ),
          ]
        : [
            l(
              0,
              `${ts} [Note] [Entrypoint]: Entrypoint script for MySQL Server ${image.version}-1.el9 started.`,
            ),
            l(0, `${ts} [Note] [Entrypoint]: Switching to dedicated user 'mysql'`),
            l(
              0,
              `${ts} [Note] [Entrypoint]: Entrypoint script for MySQL Server ${image.version}-1.el9 started.`,
            ),
            l(
              0,
              `${ts} [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified`,
            ),
            l(0, '    You need to specify one of the following as an environment variable:'),
            l(0, '    - MYSQL_ROOT_PASSWORD'),
            l(0, '    - MYSQL_ALLOW_EMPTY_PASSWORD'),
            l(0, '    - MYSQL_RANDOM_ROOT_PASSWORD'),
          ],
    );
  }
  return {
    startupMs: image.startupMs,
    ports: toPorts(image.ports),
    ignoresSigterm: false,
    logs: fixedLogs(image, [
      l(0, `${ts} [Note] [Entrypoint]: Entrypoint script for MySQL Server ${image.version} started.`),
      l(100, `${ts} [Note] [Entrypoint]: Initializing database files`),
      l(image.startupMs - 1000, `${ts} [Note] [Entrypoint]: MySQL init process done. Ready for start up.`),
      l(
        image.startupMs,
        `{iso} 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '${image.version}'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.`,
      ),
    ]),
    http: () => undefined,
  };
}

function mongo(start: AppStart): AppProcess {
  const { image } = start;
  const port = Number(flagValue(start.argv, '--port') ?? 27017);
  const modern = compareVersions(image.version, '4.4.0') >= 0;
  const lines: TimedLine[] = modern
    ? [
        {
          at: 0,
          text: `{"t":{"$date":"{iso}"},"s":"I",  "c":"CONTROL",  "id":23285,   "ctx":"main","msg":"Automatically disabling TLS 1.0, to force-enable TLS 1.0 specify --sslDisabledProtocols 'none'"}`,
          stream: 'stdout',
        },
        {
          at: 100,
          text: `{"t":{"$date":"{iso}"},"s":"I",  "c":"CONTROL",  "id":4615611, "ctx":"initandlisten","msg":"MongoDB starting","attr":{"pid":1,"port":${port},"dbPath":"/data/db","architecture":"64-bit","host":"{pod}"}}`,
          stream: 'stdout',
        },
        {
          at: image.startupMs,
          text: `{"t":{"$date":"{iso}"},"s":"I",  "c":"NETWORK",  "id":23016,   "ctx":"listener","msg":"Waiting for connections","attr":{"port":${port},"ssl":"off"}}`,
          stream: 'stdout',
        },
      ]
    : [
        {
          at: 0,
          text: `{iso} I CONTROL  [initandlisten] MongoDB starting : pid=1 port=${port} dbpath=/data/db 64-bit host={pod}`,
          stream: 'stdout',
        },
        { at: 0, text: `{iso} I CONTROL  [initandlisten] db version v${image.version}`, stream: 'stdout' },
        {
          at: image.startupMs,
          text: `{iso} I NETWORK  [initandlisten] waiting for connections on port ${port}`,
          stream: 'stdout',
        },
      ];
  return {
    startupMs: image.startupMs,
    ports: [{ port, protocol: 'TCP' }],
    ignoresSigterm: false,
    logs: fixedLogs(image, lines),
    http(request) {
      if (request.port !== port) return undefined;
      return text(
        'It looks like you are trying to access MongoDB over HTTP on the native driver port.\n',
        200,
        'text/plain',
      );
    },
  };
}

function consul(start: AppStart): AppProcess {
  const { image, argv } = start;
  const server = argv.includes('-server');
  const expect = Number(flagValue(argv, '-bootstrap-expect') ?? (server ? 1 : 0));
  const dev = argv.includes('-dev');
  const l = (at: number, t: string): TimedLine => ({ at, text: t, stream: 'stdout' });
  const lines = [
    l(0, '==> Starting Consul agent...'),
    l(500, '==> Consul agent running!'),
    l(500, `           Version: 'v${image.version}'`),
    l(500, "           Node name: '{pod}'"),
    l(500, "          Datacenter: 'dc1' (Segment: '<all>')"),
    l(
      500,
      `              Server: ${server || dev ? 'true' : 'false'} (Bootstrap: ${dev || expect === 1 ? 'true' : 'false'})`,
    ),
    l(500, '         Client Addr: [0.0.0.0] (HTTP: 8500, HTTPS: -1, gRPC: -1, DNS: 8600)'),
    l(500, '        Cluster Addr: {ip} (LAN: 8301, WAN: 8302)'),
    l(500, '==> Log data will now stream in as it occurs:'),
  ];
  const fixed = fixedLogs(image, lines);
  const peersOf = (ctx: ContainerContext) =>
    (ctx.network.containers?.(ctx.namespace) ?? []).filter((c) => infoOf(c.behaviour)?.app === 'consul');
  return withInfo<AppProcess>(
    {
      startupMs: image.startupMs,
      ports: toPorts(image.ports),
      ignoresSigterm: false,
      logs(ctx, startedAt, until, window) {
        const out = fixed(ctx, startedAt, until);
        const peers = peersOf(ctx);
        const quorumAt =
          peers.length >= expect ? Math.max(startedAt, ...peers.map((p) => p.startedAt)) + 3000 : undefined;
        if (!dev && expect > 1) {
          const waitingUntil = Math.min(until, (quorumAt ?? Number.POSITIVE_INFINITY) - 1);
          out.push(
            ...periodicLines(
              startedAt + 1000,
              15_000,
              () => [
                {
                  at: 0,
                  text: '    [ERR] agent: failed to sync remote state: No cluster leader',
                  stream: 'stdout',
                },
              ],
              waitingUntil,
              window,
            ).map((x) => ({ ...x, text: `    ${timeFormats.nginx(x.time)} ${x.text.trim()}` })),
          );
        }
        const leaderAt = dev || expect <= 1 ? startedAt + 1000 : quorumAt;
        if (leaderAt !== undefined && leaderAt <= until) {
          const leader =
            dev || expect <= 1 ? ctx.podName : [...peers.map((p) => p.context.podName)].sort()[0]!;
          out.push({
            time: leaderAt,
            text: `    ${timeFormats.nginx(leaderAt)} [INFO] consul: New leader elected: ${leader}`,
            stream: 'stdout',
          });
        }
        return windowed(
          out.sort((a, b) => a.time - b.time),
          window,
        );
      },
      http(request, ctx) {
        if (request.port !== 8500) return undefined;
        const path = request.path.split('?')[0] ?? '/';
        if (path === '/v1/status/leader') return text(`"${ctx.podIP}:8300"`, 200, 'application/json');
        if (path === '/v1/status/peers') {
          const peers = peersOf(ctx).map((p) => `"${p.context.podIP}:8300"`);
          return text(`[${peers.join(',')}]`, 200, 'application/json');
        }
        if (path === '/')
          return text('<a href="/ui/">Moved Permanently</a>.\n\n', 301, 'text/html; charset=utf-8', {
            Location: '/ui/',
          });
        if (path.startsWith('/ui'))
          return text(
            '<!DOCTYPE html><html><head><title>Consul by HashiCorp</title></head><body></body></html>',
            200,
            'text/html; charset=utf-8',
          );
        return text(GO_NOT_FOUND, 404);
      },
    },
    { app: 'consul', entry: image.entry, version: image.version },
  );
}

// ------------------------------------------------------------------------------------------ infrastructure

/** Whether a pushed image's registry address leads to this registry container. */
function storedHere(ctx: ContainerContext, registry: string): boolean {
  const m = /^(.*?)(?::(\d+))?$/.exec(registry);
  if (m === null) return false;
  const host = m[1]!;
  const port = Number(m[2] ?? 443);
  const from: Vantage = { kind: 'node', nodeName: ctx.nodeName };
  let ip = host;
  if (host === 'localhost') ip = '127.0.0.1';
  else if (!/^\d+\.\d+\.\d+\.\d+$/.test(host)) {
    const resolved = ctx.network.resolve(host, from);
    if (resolved === undefined) return false;
    ip = resolved.addresses[0] ?? '';
  }
  if (ip === ctx.podIP) return true;
  const connection = ctx.network.connect(ip, port, from);
  return connection.ok && connection.podName === ctx.podName && connection.namespace === ctx.namespace;
}

function registry(start: AppStart): AppProcess {
  const { image } = start;
  const env = start.envOf(start.context);
  const addr = env.REGISTRY_HTTP_ADDR ?? ':5000';
  const port = Number(addr.slice(addr.lastIndexOf(':') + 1)) || 5000;
  const version = image.version.startsWith('v') ? image.version : `v${image.version}`;
  const l = (at: number, t: string): TimedLine => ({ at, text: t, stream: 'stderr' });
  const repositories = (ctx: ContainerContext): Map<string, string[]> => {
    const out = new Map<string, string[]>();
    for (const pushed of start.pushed()) {
      const slash = pushed.reference.indexOf('/');
      const host = pushed.reference.slice(0, slash);
      if (ctx.startedAt !== undefined && Date.parse(pushed.pushedAt) < ctx.startedAt) continue;
      if (!storedHere(ctx, host)) continue;
      const rest = pushed.reference.slice(slash + 1);
      const colon = rest.lastIndexOf(':');
      const name = rest.slice(0, colon);
      const tag = rest.slice(colon + 1);
      out.set(name, [...(out.get(name) ?? []), tag].sort());
    }
    return out;
  };
  return withInfo<AppProcess>(
    {
      startupMs: image.startupMs,
      ports: [{ port, protocol: 'TCP' }],
      ignoresSigterm: false,
      logs: fixedLogs(image, [
        l(
          0,
          `time="{rfc3339}" level=warning msg="No HTTP secret provided - generated random secret. This may cause problems with uploads if multiple registries are behind a load-balancer. To provide a shared secret, fill in http.secret in the configuration file or set the REGISTRY_HTTP_SECRET environment variable." go.version=go1.23.7 instance.id=${sha256Hex(image.entry).slice(0, 8)}-0000-4000-8000-000000000000 service=registry version=${version}`,
        ),
        l(
          0,
          `time="{rfc3339}" level=info msg="redis not configured" go.version=go1.23.7 service=registry version=${version}`,
        ),
        l(
          0,
          `time="{rfc3339}" level=info msg="Starting upload purge in 55m0s" go.version=go1.23.7 service=registry version=${version}`,
        ),
        l(
          100,
          `time="{rfc3339}" level=info msg="listening on [::]:${port}" go.version=go1.23.7 service=registry version=${version}`,
        ),
      ]),
      http(request, ctx) {
        if (request.port !== port) return undefined;
        const path = request.path.split('?')[0] ?? '/';
        const json = (body: string, status = 200) =>
          text(`${body}\n`, status, 'application/json; charset=utf-8', {
            'Docker-Distribution-Api-Version': 'registry/2.0',
          });
        if (path === '/v2/' || path === '/v2') return json('{}');
        if (path === '/v2/_catalog')
          return json(JSON.stringify({ repositories: [...repositories(ctx).keys()].sort() }));
        const tags = /^\/v2\/(.+)\/tags\/list$/.exec(path);
        if (tags) {
          const found = repositories(ctx).get(tags[1]!);
          if (found) return json(JSON.stringify({ name: tags[1], tags: found }));
          return json(
            JSON.stringify({
              errors: [
                {
                  code: 'NAME_UNKNOWN',
                  message: 'repository name not known to registry',
                  detail: { name: tags[1] },
                },
              ],
            }),
            404,
          );
        }
        if (path === '/') return text('', 200, 'text/plain; charset=utf-8');
        return text(GO_NOT_FOUND, 404);
      },
    },
    { app: 'registry', entry: image.entry, version: image.version, registry: true },
  );
}

function traefik(start: AppStart): AppProcess {
  const { image, argv } = start;
  const v1 = image.tag === 'latest' || image.version.startsWith('v1') || image.version.startsWith('1');
  const api = argv.some((a) => a === '--api' || a.startsWith('--api.') || a === '--api=true');
  const ports: Port[] = [
    { port: 80, protocol: 'TCP' },
    ...(api ? [{ port: 8080, protocol: 'TCP' as const }] : []),
  ];
  const l = (at: number, t: string): TimedLine => ({ at, text: t, stream: 'stdout' });
  const lines = v1
    ? [
        l(
          0,
          `time="{rfc3339}" level=info msg="Traefik version ${image.version} built on 2022-03-07_01:56:55PM"`,
        ),
        l(
          500,
          'time="{rfc3339}" level=info msg="Starting provider *kubernetes.Provider {\\"Watch\\":true,\\"Endpoint\\":\\"\\"}"',
        ),
        l(1000, 'time="{rfc3339}" level=info msg="Server configuration reloaded on :80"'),
        ...(api ? [l(1000, 'time="{rfc3339}" level=info msg="Server configuration reloaded on :8080"')] : []),
      ]
    : [
        l(
          0,
          `time="{rfc3339}" level=info msg="Traefik version ${image.version} built on 2025-08-01T00:00:00Z"`,
        ),
      ];
  return {
    startupMs: image.startupMs,
    ports,
    ignoresSigterm: false,
    logs: fixedLogs(image, lines),
    http(request) {
      if (!ports.some((p) => p.port === request.port)) return undefined;
      const path = request.path.split('?')[0] ?? '/';
      if (request.port === 8080) {
        if (path === '/')
          return text('<a href="/dashboard/">Found</a>.\n\n', 302, 'text/html; charset=utf-8', {
            Location: '/dashboard/',
          });
        if (path.startsWith('/dashboard'))
          return text(
            '<!doctype html><html><head><title>Traefik</title></head><body></body></html>',
            200,
            'text/html; charset=utf-8',
          );
        if (path === '/api' || path === '/api/providers') return text('{}', 200, 'application/json');
        if (path === '/health')
          return text(
            '{"pid":1,"uptime":"1m0s","uptime_sec":60,"total_count":0,"total_status_code_count":{}}',
            200,
            'application/json',
          );
        if (path === '/ping') return text('OK', 200);
      }
      return text(GO_NOT_FOUND, 404);
    },
  };
}

/** The internet sites haproxy's training configuration proxies to, in turn. */
function haproxy(start: AppStart): AppProcess {
  const { image, argv } = start;
  const configPath = '/usr/local/etc/haproxy/haproxy.cfg';
  const fromArgs = image.name === 'jpetazzo/hamba' && argv.length > 1;
  const config = fromArgs ? undefined : start.context?.readFile?.(flagValue(argv, '-f') ?? configPath);
  if (!fromArgs && start.context?.readFile !== undefined && config === undefined) {
    return failing(image, [
      {
        at: 0,
        text: `[ALERT]    (1) : Cannot open configuration file/directory ${flagValue(argv, '-f') ?? configPath} : No such file or directory`,
        stream: 'stderr',
      },
    ]);
  }
  let port = 80;
  const backends: { host: string; port: number }[] = [];
  if (fromArgs) {
    const args = argv.slice(1);
    port = Number(args[0]) || 80;
    for (let i = 1; i + 1 < args.length; i += 2)
      backends.push({ host: args[i]!, port: Number(args[i + 1]) || 80 });
  } else if (config !== undefined) {
    const bind = /^\s*bind\s+\S*:(\d+)/m.exec(config);
    if (bind) port = Number(bind[1]);
    for (const m of config.matchAll(/^\s*server\s+\S+\s+([^\s:]+):(\d+)/gm))
      backends.push({ host: m[1]!, port: Number(m[2]) });
  }
  if (backends.length === 0) backends.push({ host: 'google.com', port: 80 }, { host: 'ibm.fr', port: 80 });
  let turn = 0;
  return {
    startupMs: image.startupMs,
    ports: [{ port, protocol: 'TCP' }],
    ignoresSigterm: false,
    logs: fixedLogs(image, [
      { at: 0, text: `[NOTICE]   (1) : New worker (8) forked`, stream: 'stderr' },
      { at: 0, text: '[NOTICE]   (1) : Loading success.', stream: 'stderr' },
    ]),
    http(request, ctx) {
      if (request.port !== port) return undefined;
      const backend = backends[turn++ % backends.length]!;
      const from = vantageOf(ctx);
      const ip = /^\d+\.\d+\.\d+\.\d+$/.test(backend.host)
        ? backend.host
        : ctx.network.resolve(backend.host, from)?.addresses[0];
      if (ip === undefined)
        return {
          ...text(
            '<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n',
            503,
            'text/html',
          ),
        };
      const connection = ctx.network.connect(ip, backend.port, from);
      if (!connection.ok) return { ...text('', 0), delayMs: 50_000 };
      return connection.behaviour.http({ ...request, port: backend.port }, connection.context);
    },
  };
}

function apiserver(start: AppStart): AppProcess {
  const { image } = start;
  const base = server(start);
  return {
    ...base,
    http(request) {
      if (request.port !== 6443) return undefined;
      const path = request.path.split('?')[0] ?? '/';
      if (path === '/livez' || path === '/readyz' || path === '/healthz') return text('ok', 200);
      if (path === '/version') {
        return text(
          JSON.stringify(
            {
              major: '1',
              minor: image.version.split('.')[1] ?? '34',
              emulationMajor: '1',
              emulationMinor: image.version.split('.')[1] ?? '34',
              minCompatibilityMajor: '1',
              minCompatibilityMinor: '33',
              gitVersion: image.version,
              gitCommit: sha256Hex(image.version).slice(0, 40),
              gitTreeState: 'clean',
              buildDate: '2025-09-09T19:44:50Z',
              goVersion: 'go1.24.6',
              compiler: 'gc',
              platform: 'linux/amd64',
            },
            null,
            2,
          ),
          200,
          'application/json',
        );
      }
      const auth = request.headers?.Authorization ?? request.headers?.authorization;
      // A bearer token: the training's is the default service account's of `default`.
      const user = auth?.startsWith('Bearer ') ? 'system:serviceaccount:default:default' : 'system:anonymous';
      return text(apiServerForbidden(user, path), 403, 'application/json', {
        'X-Content-Type-Options': 'nosniff',
      });
    },
  };
}

function elasticsearch(start: AppStart): AppProcess {
  const { image } = start;
  const major = Number.parseInt(image.version, 10);
  const nodeName = (pod: string) => {
    if (major <= 2) return MARVEL[intHash(0, MARVEL.length - 1, pod, 'es-name')]!;
    if (major >= 7) return pod;
    return sha256Hex(`${pod}/es`).slice(0, 7).replace(/^\d/, 'x');
  };
  const l = (at: number, t: string): TimedLine => ({ at, text: t, stream: 'stdout' });
  const lines = (pod: string) => [
    l(
      2000,
      `[{log4j}][INFO ][node                     ] [${nodeName(pod)}] version[${image.version}], pid[1], build[${sha256Hex(image.version).slice(0, 7)}/2017-07-18T12:17:44Z]`,
    ),
    l(2000, `[{log4j}][INFO ][node                     ] [${nodeName(pod)}] initializing ...`),
    l(
      image.startupMs - 500,
      `[{log4j}][INFO ][http                     ] [${nodeName(pod)}] publish_address {{ip}:9200}, bound_addresses {[::]:9200}`,
    ),
    l(image.startupMs, `[{log4j}][INFO ][node                     ] [${nodeName(pod)}] started`),
  ];
  return {
    startupMs: image.startupMs,
    ports: toPorts(image.ports),
    ignoresSigterm: false,
    logs(ctx, startedAt, until, window) {
      return fixedLogs(image, lines(ctx.podName))(ctx, startedAt, until, window);
    },
    http(request, ctx) {
      if (request.port !== 9200) return undefined;
      const path = request.path.split('?')[0] ?? '/';
      const uuid =
        major >= 5 ? `  "cluster_uuid" : "${sha256Hex(`${ctx.podName}/uuid`).slice(0, 22)}",\n` : '';
      if (path === '/') {
        const body =
          `{\n  "name" : "${nodeName(ctx.podName)}",\n  "cluster_name" : "elasticsearch",\n${uuid}  "version" : {\n` +
          `    "number" : "${image.version}",\n    "build_hash" : "${sha256Hex(image.version).slice(0, 40)}",\n` +
          `    "build_timestamp" : "2017-07-18T12:17:44Z",\n    "build_snapshot" : false,\n    "lucene_version" : "5.5.4"\n  },\n` +
          `  "tagline" : "You Know, for Search"\n}\n`;
        return text(body, 200, 'application/json; charset=UTF-8');
      }
      if (path === '/_cluster/health') {
        return text(
          '{"cluster_name":"elasticsearch","status":"green","timed_out":false,"number_of_nodes":1,"number_of_data_nodes":1,"active_primary_shards":0,"active_shards":0,"relocating_shards":0,"initializing_shards":0,"unassigned_shards":0}',
          200,
          'application/json; charset=UTF-8',
        );
      }
      return text(
        `{"error":{"root_cause":[{"type":"index_not_found_exception","reason":"no such index","index":"${path.split('/')[1]}"}],"type":"index_not_found_exception","reason":"no such index"},"status":404}`,
        404,
        'application/json; charset=UTF-8',
      );
    },
  };
}

function kibana(start: AppStart): AppProcess {
  const { image } = start;
  const l = (at: number, t: string): TimedLine => ({ at, text: t, stream: 'stdout' });
  return {
    startupMs: image.startupMs,
    ports: [{ port: 5601, protocol: 'TCP' }],
    ignoresSigterm: false,
    logs: fixedLogs(image, [
      l(
        5000,
        `{"type":"log","@timestamp":"{rfc3339}","tags":["status","plugin:kibana@${image.version}","info"],"pid":1,"state":"green","message":"Status changed from uninitialized to green - Ready","prevState":"uninitialized","prevMsg":"uninitialized"}`,
      ),
      l(
        image.startupMs,
        '{"type":"log","@timestamp":"{rfc3339}","tags":["listening","info"],"pid":1,"message":"Server running at http://0.0.0.0:5601"}',
      ),
    ]),
    http(request) {
      if (request.port !== 5601) return undefined;
      const path = request.path.split('?')[0] ?? '/';
      if (path === '/') return text('', 302, 'text/html; charset=utf-8', { Location: '/app/kibana' });
      if (path === '/api/status')
        return text(
          `{"name":"kibana","version":{"number":"${image.version}"},"status":{"overall":{"state":"green"}}}`,
          200,
          'application/json; charset=utf-8',
        );
      return text(
        '<!DOCTYPE html><html><head><title>Kibana</title></head><body><kbn-chrome></kbn-chrome></body></html>',
        200,
        'text/html; charset=utf-8',
      );
    },
  };
}

const MARVEL = [
  'Jessica Jones',
  'Luke Cage',
  'Silver Surfer',
  'Nightcrawler',
  'Black Widow',
  'Iron Fist',
  'Daredevil',
  'Storm',
  'Beast',
  'Cyclops',
  'Rogue',
  'Gambit',
  'Mystique',
  'Wolverine',
  'Phoenix',
  'Colossus',
  'Quicksilver',
  'Scarlet Witch',
  'Vision',
  'Hawkeye',
  'Black Panther',
  'Doctor Strange',
  'Moon Knight',
  'She-Hulk',
  'Wasp',
  'Ant-Man',
  'Falcon',
  'Namor',
  'Medusa',
  'Black Bolt',
  'Crystal',
  'Karnak',
  'Gorgon',
  'Lockjaw',
  'Sasquatch',
  'Northstar',
  'Aurora',
  'Shaman',
  'Snowbird',
  'Puck',
  'Guardian',
  'Sunfire',
  'Banshee',
  'Havok',
  'Polaris',
];

/** Starts a program of kind `image.app` (not `shell`, which the command interpreter runs). */
export function startApp(start: AppStart): AppProcess {
  return ((): AppProcess => {
    switch (start.image.app) {
      case 'nginx':
        return nginx(start);
      case 'httpenv':
        return httpenv(start);
      case 'color':
        return color(start);
      case 'sleepy':
        return sleepy(start);
      case 'flask':
        return flask(start);
      case 'elasticsearch':
        return elasticsearch(start);
      case 'kibana':
        return kibana(start);
      case 'rng':
        return rng(start);
      case 'hasher':
        return hasher(start);
      case 'worker':
        return worker(start);
      case 'webui':
        return webui(start);
      case 'redis':
        return redis(start);
      case 'postgres':
        return postgres(start);
      case 'mysql':
        return mysql(start);
      case 'mongo':
        return mongo(start);
      case 'consul':
        return consul(start);
      case 'registry':
        return registry(start);
      case 'traefik':
        return traefik(start);
      case 'haproxy':
        return haproxy(start);
      case 'apiserver':
        return apiserver(start);
      default:
        return server(start);
    }
  })();
}

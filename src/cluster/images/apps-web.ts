/**
 * Web server programs: nginx (its welcome page, a mounted document root, the cheese pages),
 * the small Go servers (httpenv's environment, the color page) and the Python ones (the sleepy
 * server, a Flask app).
 */

import { type AppStart, failing, fixedLogs, flagValue, nowOf, startLines, text } from './apps-base.js';
import {
  cheesePage,
  compareVersions,
  NGINX_50X,
  NGINX_WELCOME_612,
  NGINX_WELCOME_615,
  nginxErrorPage,
  WERKZEUG_404,
} from './pages.js';
import { intHash, sha256Hex } from './text.js';
import type { AppProcess, TimedLine } from './timeline.js';
import type { ContainerContext } from './types.js';

// ------------------------------------------------------------------------------------------ nginx

export function nginx(start: AppStart): AppProcess {
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

export function httpenv(start: AppStart): AppProcess {
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

export function color(start: AppStart): AppProcess {
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

export function sleepy(start: AppStart): AppProcess {
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

export function flask(start: AppStart): AppProcess {
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

/**
 * Infrastructure programs: the image registry (its catalogue of pushed images), traefik,
 * haproxy (round-robin over its backends) and the API server's HTTP endpoints.
 */

import {
  type AppStart,
  failing,
  fixedLogs,
  flagValue,
  type Port,
  server,
  text,
  vantageOf,
} from './apps-base.js';
import { apiServerForbidden, GO_NOT_FOUND } from './pages.js';
import { withInfo } from './resolved.js';
import { sha256Hex } from './text.js';
import type { AppProcess, TimedLine } from './timeline.js';
import type { ContainerContext, Vantage } from './types.js';

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

export function registry(start: AppStart): AppProcess {
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

export function traefik(start: AppStart): AppProcess {
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
export function haproxy(start: AppStart): AppProcess {
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

export function apiserver(start: AppStart): AppProcess {
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

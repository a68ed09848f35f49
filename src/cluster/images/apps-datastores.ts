/**
 * Data store programs: redis, postgres and mysql (which refuse to start without a password),
 * mongo, and consul (its cluster: peers, quorum and leader election).
 */

import { type AppStart, failing, fixedLogs, flagValue, text, toPorts } from './apps-base.js';
import { compareVersions, GO_NOT_FOUND } from './pages.js';
import { infoOf, withInfo } from './resolved.js';
import { timeFormats } from './text.js';
import { type AppProcess, periodicLines, type TimedLine, windowed } from './timeline.js';
import type { ContainerContext } from './types.js';

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

export function redis(start: AppStart): AppProcess {
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

export function postgres(start: AppStart): AppProcess {
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

export function mysql(start: AppStart): AppProcess {
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

export function mongo(start: AppStart): AppProcess {
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

export function consul(start: AppStart): AppProcess {
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

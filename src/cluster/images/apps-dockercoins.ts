/**
 * The DockerCoins services: rng (random bytes), hasher (SHA-256), the worker (its loop, its
 * tracebacks while a dependency fails, the work it counts) and the web UI (the counters it sums
 * over the worker containers).
 */

import { type AppStart, fixedLogs, nowOf, text, vantageOf } from './apps-base.js';
import { sinatraNotFound, WEBUI_INDEX, WERKZEUG_404, WERKZEUG_405 } from './pages.js';
import { infoOf, type WorkCounter, withInfo } from './resolved.js';
import { pyAddress, sha256Hex, unitHash } from './text.js';
import { type AppProcess, type LogWindow, periodicLines, type TimedLine, windowed } from './timeline.js';
import type { ContainerContext, LogLine } from './types.js';

// ------------------------------------------------------------------------------------------ rng and hasher

export function rng(start: AppStart): AppProcess {
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

export function hasher(start: AppStart): AppProcess {
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

export function worker(start: AppStart): AppProcess {
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

export function webui(start: AppStart): AppProcess {
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

/**
 * Loopback HTTP servers for repository tests: `node:http` on 127.0.0.1, port 0, recording each
 * request, with ready-made misbehaving handlers (drip, endless body, redirect loops).
 */

import { createHash } from 'node:crypto';
import { promises as fs, readdirSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { afterEach } from 'vitest';

/** A request as the server saw it. */
export interface SeenRequest {
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
}

/** A running loopback server. */
export interface Loopback {
  /** `http://127.0.0.1:PORT` (no trailing slash). */
  readonly url: string;
  readonly requests: SeenRequest[];
  /** Sockets the server saw closed (a client that gave up). */
  readonly closedSockets: () => number;
  close(): Promise<void>;
}

/** Starts a server; `handler` answers every request. */
export async function loopback(
  handler: (req: http.IncomingMessage, res: http.ServerResponse, self: Loopback) => void,
): Promise<Loopback> {
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  let closed = 0;
  const server = http.createServer((req, res) => {
    requests.push({ url: req.url ?? '', headers: req.headers });
    handler(req, res, self);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      closed += 1;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const self: Loopback = {
    url: `http://127.0.0.1:${port}`,
    requests,
    closedSockets: () => closed,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  return self;
}

/** A `loopback` for one test file: every server it starts is closed after the test that started it. */
export function servedPerTest(): (...args: Parameters<typeof loopback>) => Promise<Loopback> {
  const servers: Loopback[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  return async (...args) => {
    const s = await loopback(...args);
    servers.push(s);
    return s;
  };
}

/** A handler serving fixed paths; anything else is a 404. */
export function routes(
  table: Record<string, string | Buffer | ((req: http.IncomingMessage, res: http.ServerResponse) => void)>,
): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  return (req, res) => {
    const route = table[(req.url ?? '').split('?')[0]!];
    if (route === undefined) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('404 page not found\n');
      return;
    }
    if (typeof route === 'function') {
      route(req, res);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
    res.end(route);
  };
}

/** Streams `total` bytes of `x` in 64 KiB chunks, honouring back-pressure, until the client goes. */
export function endlessBody(total: number) {
  return (_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.writeHead(200, { 'Content-Type': 'application/x-yaml' });
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let sent = 0;
    const pump = () => {
      while (sent < total && !res.destroyed) {
        sent += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      if (!res.destroyed) res.end();
    };
    pump();
  };
}

/** Sends one byte a second, forever (until the client goes). */
export function drip(_req: http.IncomingMessage, res: http.ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'application/x-yaml' });
  res.write('a');
  const timer = setInterval(() => {
    if (res.destroyed) clearInterval(timer);
    else res.write('a');
  }, 1000);
  res.on('close', () => clearInterval(timer));
}

/** A redirect to `location`. */
export function redirectTo(location: string, status = 302) {
  return (_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.writeHead(status, { Location: location });
    res.end();
  };
}

/** A valid index with one chart `demo` (versions given) and one broken entry when asked. */
export function indexYaml(options: { versions?: string[]; bad?: boolean; base?: string } = {}): string {
  const versions = options.versions ?? ['0.1.0'];
  const base = options.base ? `${options.base}/` : '';
  const entries = versions
    .map(
      (v) => `  - apiVersion: v2
    name: demo
    version: ${v}
    description: A demo chart
    created: "2026-01-01T00:00:00Z"
    digest: ${'a'.repeat(64)}
    urls:
    - ${base}demo-${v}.tgz
`,
    )
    .join('');
  const bad = options.bad
    ? `  broken:
  - apiVersion: v2
    name: broken
    version: not-a-version
    urls:
    - broken.tgz
`
    : '';
  return `apiVersion: v1
entries:
${bad}  demo:
${entries}generated: "2026-01-01T00:00:00Z"
`;
}

/** A digest of every file under `dir` (path, mode, content), to show a tree did not change. */
export function treeHash(dir: string): string {
  const hash = createHash('sha256');
  const walk = (d: string) => {
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const p = path.join(d, name);
      const st = statSync(p);
      hash.update(`${path.relative(dir, p)}\0${st.mode}\0`);
      if (st.isDirectory()) walk(p);
      else hash.update(readFileSync(p));
    }
  };
  walk(dir);
  return hash.digest('hex');
}

/** Lists every file under `dir`, relative, sorted. */
export async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  await walk(dir);
  return out.sort();
}

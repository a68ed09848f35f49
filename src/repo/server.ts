/**
 * A chart repository server (`bosun repo serve`): the read side of chartmuseum, as Helm 2's
 * `helm serve` was, plus chartmuseum's upload API when asked for.
 *
 * - `GET /index.yaml`: an index of the directory's archives (`indexDirectory`: `DIR/*.tgz` and
 *   one level of subdirectories), with URLs absolute to this server. The directory is listed
 *   (names, sizes, mtimes: no archive is read) when its mtime changes and at most once per
 *   `rescanMs` otherwise; the index is rebuilt only when that listing changed, so requests on a
 *   big, quiet directory cost a `stat`.
 * - `GET /<file>.tgz` (or `/<subdir>/<file>.tgz`): only the regular files of that listing.
 *   Symbolic links, hidden names, other files and anything outside the directory are 404; the
 *   file is opened with `O_NOFOLLOW`, so a file swapped for a link meanwhile is refused too.
 * - `POST /api/charts` with `upload`: see `server-upload.ts`; the index is rebuilt afterwards.
 * - `GET /`: a short text listing; `GET /health`: chartmuseum's `{"healthy":true}`.
 */

import { constants, type Dirent, promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { InvalidArgumentError, IoError } from '../internal/errors.js';
import { indexDirectory, serializeIndex } from './index-file.js';
import { receiveUpload } from './server-upload.js';
import { type ChartVersion, type IndexFile, MAX_CHART_BYTES } from './types.js';

/** `--address` default: loopback, Helm 2's `helm serve` port. */
export const DEFAULT_SERVE_ADDRESS = '127.0.0.1:8879';
/** Time an upload may take, body included. */
export const DEFAULT_UPLOAD_DEADLINE_MS = 60_000;
/** Uploads read at the same time (each may hold up to `maxUploadBytes`). */
const MAX_PARALLEL_UPLOADS = 4;
/** Distinct `Host` names an index is kept serialised for (wildcard binds only). */
const MAX_CACHED_HOSTS = 8;

/** Options of {@link startRepoServer}. */
export interface RepoServerOptions {
  /** Host to listen on. @default '127.0.0.1' */
  readonly address?: string;
  /** Port; 0 picks a free one. @default 8879 */
  readonly port?: number;
  /** Accept `POST /api/charts`. @default false */
  readonly upload?: boolean;
  /** Largest upload. @default MAX_CHART_BYTES */
  readonly maxUploadBytes?: number;
  /** Time an upload may take. @default DEFAULT_UPLOAD_DEADLINE_MS */
  readonly uploadDeadlineMs?: number;
  /** Longest time a change that leaves the directory's mtime alone goes unseen. @default 1000 */
  readonly rescanMs?: number;
  /** Receives warnings (archives skipped by the index), each once. */
  readonly warn?: (message: string) => void;
  /** Receives one line per upload stored. */
  readonly log?: (message: string) => void;
}

/** A running server. */
export interface RepoServer {
  /** `http://HOST:PORT`, no trailing slash. */
  readonly url: string;
  /** The directory served (absolute). */
  readonly dir: string;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/** Splits `host:port` (`[::1]:8879`, `:8879` for the default host); port 0–65535. */
export function parseServeAddress(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : Number.NaN;
  if (!m || port > 65535) {
    throw new InvalidArgumentError(
      `invalid address "${text}": expected HOST:PORT, e.g. ${DEFAULT_SERVE_ADDRESS}`,
    );
  }
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}

/** One listing of the directory: archive path (relative, `/`) → its size and mtime. */
type Listing = Map<string, string>;

async function listDirectory(dir: string): Promise<Listing> {
  const out: Listing = new Map();
  const add = async (rel: string) => {
    try {
      const stat = await fs.lstat(path.join(dir, rel));
      if (stat.isFile()) out.set(rel, `${stat.size}:${stat.mtimeMs}`);
    } catch {
      // Removed meanwhile.
    }
  };
  const top = await fs.readdir(dir, { withFileTypes: true });
  for (const e of top) {
    if (e.name.startsWith('.')) continue;
    if (e.isFile() && e.name.endsWith('.tgz')) await add(e.name);
    else if (e.isDirectory()) {
      let inner: Dirent[];
      try {
        inner = await fs.readdir(path.join(dir, e.name), { withFileTypes: true });
      } catch {
        continue;
      }
      for (const f of inner) {
        if (f.isFile() && f.name.endsWith('.tgz') && !f.name.startsWith('.'))
          await add(`${e.name}/${f.name}`);
      }
    }
  }
  return out;
}

const sameListing = (a: Listing, b: Listing) => a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);

/** The served state: the listing, the index built from it, and its serialisations by base URL. */
interface Snapshot {
  readonly listing: Listing;
  readonly index: IndexFile;
  readonly texts: Map<string, string>;
}

/** An index with every entry's relative URL made absolute under `base`. */
function withBase(index: IndexFile, base: string): IndexFile {
  const entries: Record<string, readonly ChartVersion[]> = {};
  for (const [name, versions] of Object.entries(index.entries)) {
    entries[name] = versions.map((v) => ({ ...v, urls: v.urls.map((u) => `${base}/${encodeURI(u)}`) }));
  }
  return { ...index, entries };
}

/** Keeps the entries whose archive is in the listing (the index also follows links; we do not serve them). */
function onlyListed(index: IndexFile, listing: Listing): IndexFile {
  const entries: Record<string, readonly ChartVersion[]> = {};
  for (const [name, versions] of Object.entries(index.entries)) {
    const kept = versions.filter((v) => v.urls.length > 0 && v.urls.every((u) => listing.has(u)));
    if (kept.length > 0) entries[name] = kept;
  }
  return { ...index, entries };
}

const hostHeader = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * Serves `dir` as a chart repository until `close()`.
 *
 * @throws IoError when `dir` is not a readable directory or the address cannot be listened on.
 */
export async function startRepoServer(dir: string, options: RepoServerOptions = {}): Promise<RepoServer> {
  const root = path.resolve(dir);
  const stat = await fs.stat(root).catch(() => undefined);
  if (!stat?.isDirectory()) throw new IoError(`cannot serve "${dir}": not a directory`);
  const rescanMs = options.rescanMs ?? 1000;
  const maxUploadBytes = options.maxUploadBytes ?? MAX_CHART_BYTES;
  const uploadDeadlineMs = options.uploadDeadlineMs ?? DEFAULT_UPLOAD_DEADLINE_MS;
  const warned = new Set<string>();
  const warn = (m: string) => {
    if (warned.has(m)) return;
    warned.add(m);
    options.warn?.(m);
  };

  let snapshot: Snapshot | undefined;
  let checkedAt = 0;
  let dirMtime = -1;
  let dirty = true;
  let pending: Promise<Snapshot> | undefined;

  const refresh = async (): Promise<Snapshot> => {
    const mtime = (await fs.stat(root)).mtimeMs;
    const listing = await listDirectory(root);
    checkedAt = Date.now();
    dirMtime = mtime;
    dirty = false;
    if (snapshot && sameListing(snapshot.listing, listing)) return snapshot;
    const index = onlyListed(await indexDirectory(root, { warn }), listing);
    snapshot = { listing, index, texts: new Map() };
    return snapshot;
  };
  const current = async (): Promise<Snapshot> => {
    if (pending) return pending;
    if (snapshot && !dirty && Date.now() - checkedAt < rescanMs) {
      const mtime = (await fs.stat(root).catch(() => undefined))?.mtimeMs;
      if (mtime === dirMtime) return snapshot;
    }
    pending = refresh().finally(() => {
      pending = undefined;
    });
    return pending;
  };

  let uploads = 0;
  let writeChain: Promise<unknown> = Promise.resolve();
  const serialise = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = writeChain.then(fn, fn);
    writeChain = run.catch(() => undefined);
    return run;
  };

  let url = '';
  const wildcard = (host: string) => host === '0.0.0.0' || host === '::' || host === '';
  const baseFor = (req: http.IncomingMessage, host: string): string => {
    const given = req.headers.host;
    return wildcard(host) && given && hostHeader.test(given) ? `http://${given}` : url;
  };

  const send = (
    res: http.ServerResponse,
    status: number,
    type: string,
    body: string | Buffer,
    head = false,
  ) => {
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
    res.end(head ? undefined : body);
  };
  const json = (res: http.ServerResponse, status: number, body: unknown) =>
    send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(body)}\n`);

  const serveArchive = async (res: http.ServerResponse, rel: string, head: boolean) => {
    let file: fs.FileHandle;
    try {
      file = await fs.open(path.join(root, rel), constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    } catch {
      send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
      return;
    }
    const info = await file.stat().catch(() => undefined);
    if (info === undefined || !info.isFile()) {
      await file.close();
      send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/gzip', 'Content-Length': info.size });
    if (head) {
      await file.close();
      res.end();
      return;
    }
    // The stream closes the file when it ends, fails, or is destroyed because the client left.
    const stream = file.createReadStream({ autoClose: true });
    stream.on('error', () => res.destroy());
    res.on('close', () => stream.destroy());
    stream.pipe(res);
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse, host: string) => {
    // The path exactly as sent (no dot-segment resolution): it must name a listed file as is.
    const raw = (req.url ?? '/').replace(/[?#].*$/s, '');
    let pathname: string;
    try {
      if (!raw.startsWith('/')) throw new Error('not a path');
      pathname = decodeURIComponent(raw);
    } catch {
      send(res, 400, 'text/plain; charset=utf-8', 'bad request\n');
      return;
    }
    const method = req.method ?? 'GET';
    if (pathname === '/api/charts' && method === 'POST') {
      if (!options.upload) {
        json(res, 403, { error: 'uploads are disabled (start the server with --upload)' });
        return;
      }
      if (uploads >= MAX_PARALLEL_UPLOADS) {
        res.setHeader('Connection', 'close');
        json(res, 503, { error: 'too many uploads in progress, try again' });
        return;
      }
      uploads += 1;
      try {
        const answer = await receiveUpload(
          req,
          root,
          { maxBytes: maxUploadBytes, deadlineMs: uploadDeadlineMs },
          serialise,
        );
        if (answer.close) res.setHeader('Connection', 'close');
        json(res, answer.status, answer.body);
        if (answer.close) res.on('finish', () => req.destroy());
        if (answer.saved) {
          dirty = true;
          options.log?.(`Stored ${answer.saved}`);
        }
      } finally {
        uploads -= 1;
      }
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') {
      res.setHeader('Allow', options.upload ? 'GET, HEAD, POST' : 'GET, HEAD');
      send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
      return;
    }
    const head = method === 'HEAD';
    if (pathname === '/health') {
      send(res, 200, 'application/json; charset=utf-8', '{"healthy":true}\n', head);
      return;
    }
    const snap = await current();
    const base = baseFor(req, host);
    if (pathname === '/index.yaml') {
      let text = snap.texts.get(base);
      if (text === undefined) {
        if (snap.texts.size >= MAX_CACHED_HOSTS) snap.texts.clear();
        text = serializeIndex(withBase(snap.index, base));
        snap.texts.set(base, text);
      }
      send(res, 200, 'application/x-yaml; charset=utf-8', text, head);
      return;
    }
    if (pathname === '/' || pathname === '/index.html') {
      send(
        res,
        200,
        'text/plain; charset=utf-8',
        listingText(snap.index, base, options.upload === true),
        head,
      );
      return;
    }
    const rel = pathname.slice(1);
    if (snap.listing.has(rel)) {
      await serveArchive(res, rel, head);
      return;
    }
    send(res, 404, 'text/plain; charset=utf-8', 'not found\n', head);
  };

  const { host, port } = { host: options.address ?? '127.0.0.1', port: options.port ?? 8879 };
  const server = http.createServer((req, res) => {
    handle(req, res, host).catch((err: unknown) => {
      if (res.headersSent) res.destroy();
      else json(res, 500, { error: err instanceof Error ? err.message : String(err) });
    });
  });
  // Slow clients cannot hold a connection forever: headers within 20s, a request within the
  // upload deadline.
  server.headersTimeout = 20_000;
  server.requestTimeout = uploadDeadlineMs + 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? 'address already in use' : err.message;
      reject(new IoError(`cannot listen on ${host.includes(':') ? `[${host}]` : host}:${port}: ${why}`));
    });
    server.listen({ host, port }, resolve);
  });
  const bound = server.address() as AddressInfo;
  const shown = wildcard(host) ? '127.0.0.1' : host;
  url = `http://${shown.includes(':') ? `[${shown}]` : shown}:${bound.port}`;
  // Build the index now, so the first request is quick and broken archives are reported at start.
  await current();
  return {
    url,
    dir: root,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The text of `GET /`. */
function listingText(index: IndexFile, base: string, upload: boolean): string {
  const lines = ['bosun chart repository', '', `index: ${base}/index.yaml`];
  lines.push(upload ? `upload: POST ${base}/api/charts (the .tgz as the body)` : 'upload: disabled');
  lines.push('', 'charts:');
  const names = Object.keys(index.entries).sort();
  if (names.length === 0) lines.push('  (none)');
  for (const name of names) {
    for (const v of index.entries[name] ?? [])
      lines.push(`  ${name} ${v.version}  ${base}/${v.urls[0] ?? ''}`);
  }
  return `${lines.join('\n')}\n`;
}

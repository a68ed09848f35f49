import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  ArchiveError,
  InvalidArgumentError,
  IoError,
  LimitError,
  TimeoutError,
} from '../../src/internal/errors.js';
import { fetchUrl } from '../../src/repo/getter.js';
import { MAX_REDIRECTS } from '../../src/repo/types.js';
import { drip, endlessBody, loopback, redirectTo, routes, servedPerTest } from './loopback.js';

const serve = servedPerTest();

const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** The rejection of `p`, timed. */
async function failure(p: Promise<unknown>): Promise<{ err: Error; ms: number }> {
  const start = Date.now();
  try {
    await p;
  } catch (err) {
    return { err: err as Error, ms: Date.now() - start };
  }
  throw new Error('expected a failure');
}

describe('http getter', () => {
  it('fetches a body and its sha256', async () => {
    const s = await serve(routes({ '/index.yaml': 'apiVersion: v1\n' }));
    const got = await fetchUrl(`${s.url}/index.yaml`);
    expect(got.data.toString()).toBe('apiVersion: v1\n');
    expect(got.digest).toBe(sha('apiVersion: v1\n'));
    expect(s.requests[0]!.headers['user-agent']).toMatch(/^bosun\//);
  });

  it('accepts the expected digest, with or without the sha256: prefix, in any case', async () => {
    const s = await serve(routes({ '/a.tgz': 'archive' }));
    const digest = sha('archive');
    await expect(fetchUrl(`${s.url}/a.tgz`, { expectedDigest: digest })).resolves.toMatchObject({ digest });
    await expect(
      fetchUrl(`${s.url}/a.tgz`, { expectedDigest: `sha256:${digest.toUpperCase()}` }),
    ).resolves.toMatchObject({ digest });
  });

  it('refuses a body whose digest is not the expected one', async () => {
    const s = await serve(routes({ '/a.tgz': 'evil' }));
    const expected = sha('good');
    const { err } = await failure(
      fetchUrl(`${s.url}/a.tgz`, { expectedDigest: expected, what: 'a-1.0.0.tgz' }),
    );
    expect(err).toBeInstanceOf(ArchiveError);
    expect(err.message).toContain(
      `digest mismatch for a-1.0.0.tgz: expected sha256:${expected}, got sha256:${sha('evil')}`,
    );
    expect(err.message).not.toContain('\n');
  });

  it('refuses a malformed expected digest before any request', async () => {
    const s = await serve(routes({ '/a.tgz': 'x' }));
    const { err } = await failure(fetchUrl(`${s.url}/a.tgz`, { expectedDigest: 'sha256:zzzz' }));
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect(err.message).toContain('invalid digest "sha256:zzzz"');
    expect(s.requests).toHaveLength(0);
  });

  it("reports a status other than 200 in Helm's words", async () => {
    const s = await serve(routes({}));
    const { err } = await failure(fetchUrl(`${s.url}/missing/index.yaml`));
    expect(err).toBeInstanceOf(IoError);
    expect(err.message).toBe(`failed to fetch ${s.url}/missing/index.yaml : 404 Not Found`);
  });

  it('stops a 200 MB body at the cap, quickly', async () => {
    const s = await serve(endlessBody(200 * 1024 * 1024));
    const { err, ms } = await failure(fetchUrl(`${s.url}/index.yaml`, { maxBytes: 1024 * 1024 }));
    expect(err).toBeInstanceOf(LimitError);
    expect(err.message).toBe(
      `fetching ${s.url}/index.yaml: response body is larger than the maximum size of 1048576 bytes`,
    );
    expect(ms).toBeLessThan(5000);
  });

  it('refuses a declared Content-Length over the cap without reading the body', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Length': String(10 * 1024 * 1024) });
      res.write('x');
    });
    const { err, ms } = await failure(fetchUrl(`${s.url}/big.tgz`, { maxBytes: 1000 }));
    expect(err).toBeInstanceOf(LimitError);
    expect(ms).toBeLessThan(2000);
  });

  it('caps the decoded size of a gzip-encoded body (gzip bomb)', async () => {
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024));
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Length': String(bomb.length) });
      res.end(bomb);
    });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const { err } = await failure(fetchUrl(`${s.url}/index.yaml`, { maxBytes: 1024 * 1024 }));
    expect(err).toBeInstanceOf(LimitError);
  });

  it('ends a one-byte-per-second body at the total deadline', async () => {
    const s = await serve(drip);
    const { err, ms } = await failure(fetchUrl(`${s.url}/index.yaml`, { deadlineMs: 1500 }));
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err.message).toBe(`fetching ${s.url}/index.yaml: deadline of 1.5s exceeded`);
    expect(ms).toBeGreaterThanOrEqual(1400);
    expect(ms).toBeLessThan(4000);
  });

  it('ends a request the server never answers at the deadline', async () => {
    const s = await serve(() => {});
    const { err, ms } = await failure(fetchUrl(`${s.url}/index.yaml`, { deadlineMs: 500 }));
    expect(err).toBeInstanceOf(TimeoutError);
    expect(ms).toBeLessThan(3000);
  });

  it('reports a refused connection with the URL', async () => {
    // Started outside `serve`: closed here, before the request.
    const s = await loopback(routes({}));
    const url = `${s.url}/index.yaml`;
    await s.close();
    const { err } = await failure(fetchUrl(url));
    expect(err).toBeInstanceOf(IoError);
    expect(err.message).toMatch(
      new RegExp(`^fetching ${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*ECONNREFUSED`),
    );
  });

  it('reports a body shorter than its Content-Length', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Length': '1000' });
      res.write('short');
      setTimeout(() => res.destroy(), 20);
    });
    const { err } = await failure(fetchUrl(`${s.url}/a.tgz`));
    expect(err).toBeInstanceOf(IoError);
    expect(err.message).toContain(`${s.url}/a.tgz`);
  });

  it('follows a bounded number of redirects', async () => {
    const s = await serve((req, res) => {
      const n = Number((req.url ?? '').replace(/\D/g, '') || 0);
      if (n < 3) redirectTo(`/r${n + 1}`)(req, res);
      else res.end('landed');
    });
    await expect(fetchUrl(`${s.url}/r0`)).resolves.toMatchObject({ data: Buffer.from('landed') });
  });

  it('stops a redirect loop', async () => {
    const s = await serve(redirectTo('/loop'));
    const { err } = await failure(fetchUrl(`${s.url}/loop`));
    expect(err).toBeInstanceOf(IoError);
    expect(err.message).toBe(
      `fetching ${s.url}/loop: stopped after ${MAX_REDIRECTS} redirects (too many redirects)`,
    );
    expect(s.requests.length).toBe(MAX_REDIRECTS + 1);
  });

  it.each(['ftp://127.0.0.1/index.yaml', 'file:///etc/passwd', 'data:text/plain,apiVersion: v1'])(
    'refuses a redirect to %s',
    async (target) => {
      const s = await serve(redirectTo(target));
      const { err } = await failure(fetchUrl(`${s.url}/index.yaml`));
      expect(err).toBeInstanceOf(IoError);
      expect(err.message).toBe(
        `fetching ${s.url}/index.yaml: refused redirect to ${JSON.stringify(target)} (only http and https are followed)`,
      );
    },
  );

  it('does not use a proxy from the environment', async () => {
    const s = await serve(routes({ '/x': 'direct' }));
    const saved = { http: process.env.HTTP_PROXY, lower: process.env.http_proxy };
    process.env.HTTP_PROXY = 'http://127.0.0.1:9';
    process.env.http_proxy = 'http://127.0.0.1:9';
    try {
      await expect(fetchUrl(`${s.url}/x`)).resolves.toMatchObject({ data: Buffer.from('direct') });
    } finally {
      if (saved.http === undefined) delete process.env.HTTP_PROXY;
      else process.env.HTTP_PROXY = saved.http;
      if (saved.lower === undefined) delete process.env.http_proxy;
      else process.env.http_proxy = saved.lower;
    }
  });
});

describe('http getter credentials', () => {
  const auth = `Basic ${Buffer.from('user:secret').toString('base64')}`;

  it('sends basic auth to the repository host', async () => {
    const s = await serve(routes({ '/index.yaml': 'ok' }));
    await fetchUrl(`${s.url}/index.yaml`, { username: 'user', password: 'secret' });
    expect(s.requests[0]!.headers.authorization).toBe(auth);
  });

  it('keeps credentials on a redirect within the same origin', async () => {
    const s = await serve(routes({ '/a': redirectTo('/b'), '/b': 'ok' }));
    await fetchUrl(`${s.url}/a`, { username: 'user', password: 'secret' });
    expect(s.requests.map((r) => r.headers.authorization)).toEqual([auth, auth]);
  });

  it('drops credentials on a redirect to another port', async () => {
    const other = await serve(routes({ '/b': 'ok' }));
    const s = await serve(routes({ '/a': redirectTo(`${other.url}/b`) }));
    await fetchUrl(`${s.url}/a`, { username: 'user', password: 'secret' });
    expect(s.requests[0]!.headers.authorization).toBe(auth);
    expect(other.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('passes credentials across hosts with pass-credentials', async () => {
    const other = await serve(routes({ '/b': 'ok' }));
    const s = await serve(routes({ '/a': redirectTo(`${other.url}/b`) }));
    await fetchUrl(`${s.url}/a`, { username: 'user', password: 'secret', passCredentialsAll: true });
    expect(other.requests[0]!.headers.authorization).toBe(auth);
  });

  it("sends no credentials to a chart URL outside the repository's host", async () => {
    const charts = await serve(routes({ '/c.tgz': 'chart' }));
    await fetchUrl(`${charts.url}/c.tgz`, {
      username: 'user',
      password: 'secret',
      repoUrl: 'http://127.0.0.1:1/repo',
    });
    expect(charts.requests[0]!.headers.authorization).toBeUndefined();
  });
});

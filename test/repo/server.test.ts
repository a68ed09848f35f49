import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseIndex } from '../../src/repo/index-file.js';
import { parseServeAddress, type RepoServer, startRepoServer } from '../../src/repo/server.js';
import { tempDir, writeArchiveChart } from '../helpers/chart-builder.js';

const servers: RepoServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(dir: string, options: Parameters<typeof startRepoServer>[1] = {}): Promise<RepoServer> {
  const server = await startRepoServer(dir, { port: 0, ...options });
  servers.push(server);
  return server;
}

function chartFiles(name: string, version: string): Record<string, string> {
  return {
    'Chart.yaml': `apiVersion: v2\nname: ${name}\nversion: ${version}\ndescription: the ${name} chart\n`,
    'values.yaml': 'replicas: 1\n',
    'templates/cm.yaml': 'kind: ConfigMap\n',
  };
}

async function repoDir(): Promise<string> {
  const dir = tempDir('bosun-serve-');
  await writeArchiveChart(path.join(dir, 'alpha-0.1.0.tgz'), 'alpha', chartFiles('alpha', '0.1.0'));
  await writeArchiveChart(path.join(dir, 'alpha-0.2.0.tgz'), 'alpha', chartFiles('alpha', '0.2.0'));
  await writeArchiveChart(path.join(dir, 'sub', 'beta-1.0.0.tgz'), 'beta', chartFiles('beta', '1.0.0'));
  return dir;
}

/** A raw HTTP request (no client-side path normalisation). */
function request(
  url: string,
  options: { method?: string; path?: string; body?: Buffer | string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Buffer; headers: http.IncomingHttpHeaders }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        method: options.method ?? 'GET',
        path: options.path ?? u.pathname,
        headers: options.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('parseServeAddress', () => {
  it.each([
    ['127.0.0.1:8879', { host: '127.0.0.1', port: 8879 }],
    ['localhost:0', { host: 'localhost', port: 0 }],
    [':9000', { host: '127.0.0.1', port: 9000 }],
    ['[::1]:8080', { host: '::1', port: 8080 }],
    ['0.0.0.0:80', { host: '0.0.0.0', port: 80 }],
  ])('reads %s', (text, expected) => {
    expect(parseServeAddress(text)).toEqual(expected);
  });

  it.each(['127.0.0.1', '127.0.0.1:99999', 'host:port', '::1:80', ''])('refuses %j', (text) => {
    expect(() => parseServeAddress(text)).toThrow('expected HOST:PORT');
  });
});

describe('startRepoServer (read side)', () => {
  it('serves an index of the archives with URLs absolute to itself', async () => {
    const dir = await repoDir();
    const server = await serve(dir);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await request(`${server.url}/index.yaml`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('yaml');
    const index = parseIndex(res.body.toString(), 'index.yaml');
    expect(Object.keys(index.entries).sort()).toEqual(['alpha', 'beta']);
    expect(index.entries['alpha']!.map((v) => v.version)).toEqual(['0.2.0', '0.1.0']);
    expect(index.entries['alpha']![0]!.urls).toEqual([`${server.url}/alpha-0.2.0.tgz`]);
    expect(index.entries['beta']![0]!.urls).toEqual([`${server.url}/sub/beta-1.0.0.tgz`]);
    expect(index.entries['alpha']![0]!.description).toBe('the alpha chart');
  });

  it('serves each archive byte for byte, matching the index digest', async () => {
    const dir = await repoDir();
    const server = await serve(dir);
    const index = parseIndex((await request(`${server.url}/index.yaml`)).body.toString(), 'index.yaml');
    for (const versions of Object.values(index.entries)) {
      for (const v of versions) {
        const res = await request(v.urls[0]!);
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toBe('application/gzip');
        expect(sha256(res.body)).toBe(v.digest);
      }
    }
    const head = await request(`${server.url}/alpha-0.1.0.tgz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers['content-length'])).toBe(
      readFileSync(path.join(dir, 'alpha-0.1.0.tgz')).length,
    );
  });

  it('answers 404 for anything but the archives of the directory', async () => {
    const dir = await repoDir();
    const outside = tempDir('bosun-outside-');
    writeFileSync(path.join(outside, 'secret-1.0.0.tgz'), 'secret');
    symlinkSync(path.join(outside, 'secret-1.0.0.tgz'), path.join(dir, 'secret-1.0.0.tgz'));
    symlinkSync(outside, path.join(dir, 'linked'));
    writeFileSync(path.join(dir, 'notes.txt'), 'private');
    writeFileSync(path.join(dir, '.hidden-1.0.0.tgz'), 'hidden');
    const server = await serve(dir);
    for (const p of [
      '/notes.txt',
      '/secret-1.0.0.tgz',
      '/linked/secret-1.0.0.tgz',
      '/.hidden-1.0.0.tgz',
      '/../../etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      `/${'..%2f'.repeat(8)}etc/passwd`,
      '/sub/../alpha-0.1.0.tgz',
      '/./alpha-0.1.0.tgz',
      '//alpha-0.1.0.tgz',
      '/alpha-0.1.0.tgz/',
      '/nothing-1.0.0.tgz',
    ]) {
      const res = await request(server.url, { path: p });
      expect([p, res.status]).toEqual([p, 404]);
    }
    const index = (await request(`${server.url}/index.yaml`)).body.toString();
    expect(index).not.toContain('secret');
    expect((await request(server.url, { path: '/%zz' })).status).toBe(400);
  });

  it('lists the charts at / and answers /health', async () => {
    const server = await serve(await repoDir());
    const root = (await request(`${server.url}/`)).body.toString();
    expect(root).toContain(`index: ${server.url}/index.yaml`);
    expect(root).toContain('alpha 0.2.0');
    expect(root).toContain('upload: disabled');
    expect(JSON.parse((await request(`${server.url}/health`)).body.toString())).toEqual({ healthy: true });
    const del = await request(`${server.url}/alpha-0.1.0.tgz`, { method: 'DELETE' });
    expect(del.status).toBe(405);
    expect(del.headers['allow']).toBe('GET, HEAD');
  });

  it('rebuilds the index when the directory changes', async () => {
    const dir = await repoDir();
    const server = await serve(dir, { rescanMs: 0 });
    const first = (await request(`${server.url}/index.yaml`)).body.toString();
    expect((await request(`${server.url}/index.yaml`)).body.toString()).toBe(first);
    await writeArchiveChart(path.join(dir, 'gamma-3.0.0.tgz'), 'gamma', chartFiles('gamma', '3.0.0'));
    const index = parseIndex((await request(`${server.url}/index.yaml`)).body.toString(), 'index.yaml');
    expect(index.entries['gamma']!.map((v) => v.version)).toEqual(['3.0.0']);
    expect((await request(`${server.url}/gamma-3.0.0.tgz`)).status).toBe(200);
  });

  it('skips archives that are not charts, with one warning', async () => {
    const dir = await repoDir();
    writeFileSync(path.join(dir, 'broken-1.0.0.tgz'), 'not gzip');
    const warnings: string[] = [];
    const server = await serve(dir, { warn: (m) => warnings.push(m), rescanMs: 0 });
    await request(`${server.url}/index.yaml`);
    await request(`${server.url}/index.yaml`);
    expect(warnings.filter((w) => w.includes('broken-1.0.0.tgz'))).toHaveLength(1);
  });

  it('refuses a directory that does not exist and a port in use', async () => {
    await expect(startRepoServer(path.join(tempDir(), 'nope'), { port: 0 })).rejects.toThrow(
      'not a directory',
    );
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      await expect(startRepoServer(tempDir(), { port })).rejects.toThrow(
        `127.0.0.1:${port}: address already in use`,
      );
    } finally {
      blocker.close();
    }
  });

  it('stops answering once closed', async () => {
    const server = await startRepoServer(await repoDir(), { port: 0 });
    await server.close();
    await expect(request(`${server.url}/index.yaml`)).rejects.toThrow();
  });
});

describe('startRepoServer (uploads)', () => {
  async function archive(name: string, version: string): Promise<Buffer> {
    const file = path.join(tempDir(), `${name}-${version}.tgz`);
    await writeArchiveChart(file, name, chartFiles(name, version));
    return readFileSync(file);
  }
  const post = (server: RepoServer, body: Buffer | string, headers: Record<string, string> = {}) =>
    request(`${server.url}/api/charts`, { method: 'POST', body, headers });
  const answer = (res: { body: Buffer }) => JSON.parse(res.body.toString()) as unknown;

  it('are refused unless enabled', async () => {
    const dir = await repoDir();
    const server = await serve(dir);
    const res = await post(server, await archive('delta', '1.0.0'));
    expect(res.status).toBe(403);
    expect(answer(res)).toEqual({ error: 'uploads are disabled (start the server with --upload)' });
  });

  it('store a new chart version and re-index, as chartmuseum does', async () => {
    const dir = await repoDir();
    const logs: string[] = [];
    const server = await serve(dir, { upload: true, log: (m) => logs.push(m) });
    const data = await archive('alpha', '0.3.0');
    const res = await post(server, data, { 'Content-Type': 'application/gzip' });
    expect([res.status, answer(res)]).toEqual([201, { saved: true }]);
    expect(readFileSync(path.join(dir, 'alpha-0.3.0.tgz')).equals(data)).toBe(true);
    expect(logs).toEqual(['Stored alpha-0.3.0.tgz']);
    const index = parseIndex((await request(`${server.url}/index.yaml`)).body.toString(), 'index.yaml');
    expect(index.entries['alpha']!.map((v) => v.version)).toEqual(['0.3.0', '0.2.0', '0.1.0']);
    expect(index.entries['alpha']![0]!.digest).toBe(sha256(data));
  });

  it('refuse an existing version with 409, leaving the file alone', async () => {
    const dir = await repoDir();
    const before = readFileSync(path.join(dir, 'alpha-0.1.0.tgz'));
    const server = await serve(dir, { upload: true });
    const res = await post(server, await archive('alpha', '0.1.0'));
    expect([res.status, answer(res)]).toEqual([409, { error: 'file already exists' }]);
    expect(readFileSync(path.join(dir, 'alpha-0.1.0.tgz')).equals(before)).toBe(true);
  });

  it('let exactly one of two simultaneous uploads of a version win', async () => {
    const dir = await repoDir();
    const server = await serve(dir, { upload: true });
    const data = await archive('epsilon', '1.0.0');
    const statuses = (await Promise.all([post(server, data), post(server, data)]))
      .map((r) => r.status)
      .sort();
    expect(statuses).toEqual([201, 409]);
  });

  it.each([
    ['garbage', Buffer.from('hello'), 'not a gzipped archive'],
    ['an empty body', Buffer.alloc(0), 'no chart archive'],
  ])('refuse %s with 400', async (_what, body, message) => {
    const dir = await repoDir();
    const server = await serve(dir, { upload: true });
    const res = await post(server, body);
    expect(res.status).toBe(400);
    expect((answer(res) as { error: string }).error).toContain(message);
  });

  it('refuse an archive without Chart.yaml or with a path outside the chart', async () => {
    const dir = await repoDir();
    const server = await serve(dir, { upload: true });
    const noChart = path.join(tempDir(), 'x.tgz');
    await writeArchiveChart(noChart, 'x', { 'values.yaml': 'a: 1\n' });
    const res = await post(server, readFileSync(noChart));
    expect(res.status).toBe(400);
    expect((answer(res) as { error: string }).error).toContain('Chart.yaml file is missing');
  });

  it('refuse bodies over the limit with 413 and forms with 415', async () => {
    const dir = await repoDir();
    const server = await serve(dir, { upload: true, maxUploadBytes: 64 });
    const big = await post(server, await archive('zeta', '1.0.0'));
    expect(big.status).toBe(413);
    const form = await post(server, 'x', { 'Content-Type': 'multipart/form-data; boundary=x' });
    expect(form.status).toBe(415);
  });

  it('give up on a body that trickles in, within the deadline', async () => {
    const dir = await repoDir();
    const server = await serve(dir, { upload: true, uploadDeadlineMs: 300 });
    const u = new URL(server.url);
    const started = Date.now();
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: u.hostname,
          port: u.port,
          method: 'POST',
          path: '/api/charts',
          headers: { 'Content-Length': '1000' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write('a');
      const timer = setInterval(() => req.write('a'), 50);
      req.on('close', () => clearInterval(timer));
      setTimeout(() => clearInterval(timer), 2000);
    });
    expect(status).toBe(408);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('write nothing outside the directory whatever the chart is called', async () => {
    const dir = await repoDir();
    mkdirSync(path.join(dir, 'sub2'));
    const server = await serve(dir, { upload: true });
    const file = path.join(tempDir(), 'dot.tgz');
    await writeArchiveChart(file, 'dot', chartFiles('.dot', '1.0.0'));
    const res = await post(server, readFileSync(file));
    expect(res.status).toBe(400);
  });
});

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ArchiveError, InvalidArgumentError, IoError, LimitError } from '../../src/internal/errors.js';
import {
  fetchUrl,
  getterFor,
  normalizeDigest,
  repoFetchOptions,
  repoIndexUrl,
  schemeOf,
} from '../../src/repo/getter.js';
import { FileGetter } from '../../src/repo/getter-file.js';
import { HttpGetter } from '../../src/repo/getter-http.js';
import { tempDir } from '../helpers/chart-builder.js';

const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

describe('getterFor', () => {
  it('picks the getter by scheme', () => {
    expect(getterFor('http://example.com/index.yaml')).toBeInstanceOf(HttpGetter);
    expect(getterFor('HTTPS://example.com/index.yaml')).toBeInstanceOf(HttpGetter);
    expect(getterFor('file:///srv/repo/index.yaml')).toBeInstanceOf(FileGetter);
    expect(getterFor('/srv/repo/index.yaml')).toBeInstanceOf(FileGetter);
  });

  it.each([
    ['data:text/plain,apiVersion: v1', 'data'],
    ['ftp://example.com/index.yaml', 'ftp'],
    ['javascript:alert(1)', 'javascript'],
    ['gopher://example.com/', 'gopher'],
    ['relative/index.yaml', ''],
  ])("refuses %s in Helm's words", (url, scheme) => {
    expect(() => getterFor(url)).toThrow(InvalidArgumentError);
    expect(() => getterFor(url)).toThrow(`could not find protocol handler for: ${scheme}`);
  });

  it('refuses data: and ftp: URLs before fetching', async () => {
    await expect(fetchUrl('data:text/plain;base64,YXBpVmVyc2lvbjogdjEK')).rejects.toThrow(
      'could not find protocol handler for: data',
    );
    await expect(fetchUrl('ftp://127.0.0.1/index.yaml')).rejects.toThrow(
      'could not find protocol handler for: ftp',
    );
  });

  it('reads the scheme', () => {
    expect(schemeOf('HTTP://x')).toBe('http');
    expect(schemeOf('/abs')).toBe('');
  });
});

describe('repoIndexUrl', () => {
  it("resolves index.yaml against the repository URL as Helm's ResolveReferenceURL does", () => {
    expect(repoIndexUrl('http://127.0.0.1:8879')).toBe('http://127.0.0.1:8879/index.yaml');
    expect(repoIndexUrl('https://charts.example.com/sub')).toBe('https://charts.example.com/sub/index.yaml');
    expect(repoIndexUrl('https://charts.example.com/sub/')).toBe('https://charts.example.com/sub/index.yaml');
    expect(repoIndexUrl('https://x.example.com/charts?token=abc')).toBe(
      'https://x.example.com/charts/index.yaml?token=abc',
    );
    expect(repoIndexUrl('file:///srv/repo-index')).toBe('file:///srv/repo-index/index.yaml');
  });

  it('refuses a URL that does not parse', () => {
    expect(() => repoIndexUrl('http://')).toThrow('invalid chart URL format: http://');
  });
});

describe('normalizeDigest', () => {
  it('accepts hex with or without sha256:', () => {
    const d = sha('x');
    expect(normalizeDigest(d)).toBe(d);
    expect(normalizeDigest(`sha256:${d.toUpperCase()}`)).toBe(d);
  });

  it.each(['sha256:zzzz', 'abcd', '', `md5:${'a'.repeat(64)}`])('refuses %j', (d) => {
    expect(() => normalizeDigest(d, 'demo-1.0.0.tgz')).toThrow(/invalid digest .* for demo-1\.0\.0\.tgz/);
  });
});

describe('repoFetchOptions', () => {
  it("maps a repository's credentials and TLS settings", () => {
    expect(
      repoFetchOptions({
        name: 'r',
        url: 'https://r.example.com',
        username: 'u',
        password: 'p',
        pass_credentials_all: true,
        insecure_skip_tls_verify: true,
        caFile: '/ca.pem',
      }),
    ).toEqual({
      repoUrl: 'https://r.example.com',
      username: 'u',
      password: 'p',
      passCredentialsAll: true,
      insecureSkipTlsVerify: true,
      caFile: '/ca.pem',
    });
  });
});

describe('file getter', () => {
  const dir = tempDir('bosun-getter-file-');
  writeFileSync(path.join(dir, 'index.yaml'), 'apiVersion: v1\n');
  writeFileSync(path.join(dir, 'big.tgz'), Buffer.alloc(4096));
  mkdirSync(path.join(dir, 'sub'));

  it('reads a file: URL and hashes it', async () => {
    const got = await fetchUrl(pathToFileURL(path.join(dir, 'index.yaml')).href);
    expect(got.data.toString()).toBe('apiVersion: v1\n');
    expect(got.digest).toBe(sha('apiVersion: v1\n'));
  });

  it('reads an absolute path', async () => {
    const got = await fetchUrl(path.join(dir, 'index.yaml'));
    expect(got.digest).toBe(sha('apiVersion: v1\n'));
  });

  it('refuses a file over the cap', async () => {
    await expect(fetchUrl(path.join(dir, 'big.tgz'), { maxBytes: 1000 })).rejects.toThrow(LimitError);
  });

  it('refuses a digest mismatch', async () => {
    const err = await fetchUrl(path.join(dir, 'index.yaml'), {
      expectedDigest: sha('other'),
      what: 'index',
    }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(ArchiveError);
    expect((err as Error).message).toContain('digest mismatch for index: expected sha256:');
  });

  it('refuses a missing file, a directory and a URL naming another host', async () => {
    await expect(fetchUrl(pathToFileURL(path.join(dir, 'nope.yaml')).href)).rejects.toThrow(
      /failed to fetch file:\/\/.*nope\.yaml : no such file/,
    );
    await expect(fetchUrl(path.join(dir, 'sub'))).rejects.toThrow(/is a directory/);
    await expect(fetchUrl('file://remote.example.com/index.yaml')).rejects.toThrow(IoError);
  });

  it('refuses a FIFO without waiting for a writer', async () => {
    const fifo = path.join(dir, 'fifo');
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      return; // No mkfifo here.
    }
    const start = Date.now();
    await expect(fetchUrl(fifo)).rejects.toThrow(/not a regular file/);
    expect(Date.now() - start).toBeLessThan(2000);
  });
});

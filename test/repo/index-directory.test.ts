import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { archiveUrls, indexDirectory, joinerOf } from '../../src/repo/index-directory.js';
import { tempDir, writeArchiveChart } from '../helpers/chart-builder.js';

/** Helm's `urlutil.URLJoin` as the index used to call it for every archive. */
function urlJoin(base: string, rel: string): string {
  const parent = path.posix.dirname(rel);
  const segments = [parent === '.' ? '' : parent, path.posix.basename(rel)];
  if (!URL.canParse(base)) return path.posix.join(base, ...segments);
  const url = new URL(base);
  url.pathname = path.posix.join(url.pathname, ...segments);
  return url.href;
}

const RELS = [
  'a-1.0.0.tgz',
  'sub/a-1.0.0.tgz',
  '.hidden-0.1.0.tgz',
  '.d/x.tgz',
  'a+b~c_d-1.2.3-rc.1+b.tgz',
  'with space.tgz',
  'ü-1.0.0.tgz',
  'a%2e%2e.tgz',
  'q?x.tgz',
  'h#x.tgz',
  'c:x.tgz',
  '..tgz',
  '...tgz',
  'back\\slash.tgz',
  '../x.tgz',
  './x.tgz',
  'x/..',
];

describe('archiveUrls', () => {
  it('gives the URL Helm joins for every archive path and base', () => {
    const bases = [
      'https://charts.example.com/stable',
      'https://charts.example.com/stable/',
      'https://charts.example.com',
      'https://charts.example.com/',
      'https://u:p@charts.example.com:8443/a//b/../c/?token=x#frag',
      'https://charts.example.com/a%20b/%2e%2e/c',
      'http://[::1]:8080/charts',
      'HTTPS://Charts.Example.COM/Up',
      'file:///srv/charts',
      'oci://registry.example.com/charts',
      'foo://host',
      'mailto:charts@example.com',
      'charts/stable',
      '/srv/charts/',
      '../up',
      '.',
      'relative/../x/',
      'https://charts.example.com/bosun-archive-placeholder.tgz',
    ];
    for (const base of bases) {
      const urlOf = archiveUrls(base);
      for (const rel of RELS) expect(urlOf(rel), `${base} + ${rel}`).toBe(urlJoin(base, rel));
    }
  });

  it('leaves paths as they are without a base', () => {
    for (const base of [undefined, '']) expect(archiveUrls(base)('sub/a-1.0.0.tgz')).toBe('sub/a-1.0.0.tgz');
  });
});

describe('joinerOf', () => {
  it('joins as path.join does, for every directory and archive path', () => {
    for (const dir of ['/srv/charts', '/srv/charts/', '/', '.', '', 'a/../b', '../..', 'x//y/./z']) {
      const fileOf = joinerOf((rel) => path.join(dir, rel));
      for (const rel of RELS) expect(fileOf(rel), `${dir} + ${rel}`).toBe(path.join(dir, rel));
    }
  });

  it('uses the join itself for a result the placeholder does not survive', () => {
    const calls: string[] = [];
    const join = (rel: string) => {
      calls.push(rel);
      return 'constant';
    };
    const joined = joinerOf(join);
    expect(joined('a.tgz')).toBe('constant');
    expect(calls).toEqual(['bosun-archive-placeholder.tgz', 'a.tgz']);
  });
});

describe('indexDirectory', () => {
  it('gives each archive its sha256 digest and URL', async () => {
    const dir = tempDir('bosun-index-');
    await writeArchiveChart(path.join(dir, 'a-1.0.0.tgz'), 'a', {
      'Chart.yaml': 'apiVersion: v2\nname: a\nversion: 1.0.0\n',
    });
    await writeArchiveChart(path.join(dir, 'sub', 'b-2.0.0.tgz'), 'b', {
      'Chart.yaml': 'apiVersion: v2\nname: b\nversion: 2.0.0\n',
    });
    const index = await indexDirectory(dir, { url: 'https://h.example.com/x?t=1' });
    const digest = (rel: string) =>
      createHash('sha256')
        .update(readFileSync(path.join(dir, rel)))
        .digest('hex');
    expect(index.entries['a']?.[0]).toMatchObject({
      digest: digest('a-1.0.0.tgz'),
      urls: ['https://h.example.com/x/a-1.0.0.tgz?t=1'],
    });
    expect(index.entries['b']?.[0]).toMatchObject({
      digest: digest('sub/b-2.0.0.tgz'),
      urls: ['https://h.example.com/x/sub/b-2.0.0.tgz?t=1'],
    });
  });
});

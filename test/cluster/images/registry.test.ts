import { describe, expect, it } from 'vitest';
import { createImageCatalog } from '../../../src/cluster/images/catalog.js';
import { listImages, PUSHED_META, pushImage } from '../../../src/cluster/images/registry.js';
import { memoryMeta, T0 } from './fixtures.js';

describe('the simulated registry (meta `images.pushed`)', () => {
  it('records a push with its canonical name, source and time; a re-push replaces it', () => {
    const meta = memoryMeta();
    const first = pushImage(meta, '127.0.0.1:31500/busybox', { from: 'busybox', now: new Date(T0) });
    expect(first).toEqual({
      reference: '127.0.0.1:31500/busybox:latest',
      from: 'docker.io/library/busybox:latest',
      pushedAt: '2025-03-01T12:00:00Z',
    });
    pushImage(meta, '127.0.0.1:31500/busybox:latest', { now: new Date(T0 + 1000) });
    expect(meta.get(PUSHED_META)).toEqual([
      { reference: '127.0.0.1:31500/busybox:latest', pushedAt: '2025-03-01T12:00:01Z' },
    ]);
  });

  it('refuses an invalid name, a digest and an unknown source, each in one line', () => {
    const meta = memoryMeta();
    expect(() => pushImage(meta, 'Busybox', { now: new Date(T0) })).toThrow(
      'invalid image name "Busybox": invalid reference format: repository name (library/Busybox) must be lowercase',
    );
    expect(() => pushImage(meta, `busybox@sha256:${'a'.repeat(64)}`, { now: new Date(T0) })).toThrow(
      /^cannot push a digest reference/,
    );
    expect(() => pushImage(meta, '127.0.0.1:5000/x', { from: 'nosuch/image:1', now: new Date(T0) })).toThrow(
      'No such image: nosuch/image:1',
    );
    expect(() =>
      pushImage(meta, '127.0.0.1:5000/x', { from: 'dockercoins/worker:v0.3', now: new Date(T0) }),
    ).toThrow('No such image: dockercoins/worker:v0.3');
    expect(meta.get(PUSHED_META)).toBeUndefined();
  });

  it('a push made elsewhere is seen by the next pull (the catalog reads meta each time)', () => {
    const meta = memoryMeta();
    const catalog = createImageCatalog(meta);
    expect(catalog.pull('127.0.0.1:31500/worker:v0.3').ok).toBe(false);
    pushImage(meta, '127.0.0.1:31500/worker:v0.3', { now: new Date(T0) });
    const pulled = catalog.pull('127.0.0.1:31500/worker:v0.3');
    expect(pulled.ok && pulled.image.reference.canonical).toBe('127.0.0.1:31500/worker:v0.3');
    // A pushed image may itself be the source of another.
    pushImage(meta, 'me/worker:v1', { from: '127.0.0.1:31500/worker:v0.3', now: new Date(T0) });
    expect(catalog.pull('me/worker:v1').ok).toBe(true);
  });

  it('lists the catalog (every existing tag, with ports) and the pushed images', () => {
    const meta = memoryMeta();
    pushImage(meta, 'dockercoins/worker:v0.3', { now: new Date(T0) });
    const { catalog, pushed } = listImages(meta);
    expect(catalog.find((c) => c.reference === 'nginx:1.13.11')).toMatchObject({
      canonical: 'docker.io/library/nginx:1.13.11',
      ports: [80],
    });
    expect(catalog.find((c) => c.reference === 'jpetazzo/httpenv:latest')?.ports).toEqual([8888]);
    expect(catalog.some((c) => c.reference === 'nginx:1.3.12')).toBe(false);
    expect(catalog.some((c) => c.reference === 'dockercoins/worker:latest')).toBe(false);
    expect(catalog.every((c) => c.description.length > 0)).toBe(true);
    expect(pushed.map((p) => p.reference)).toEqual(['docker.io/dockercoins/worker:v0.3']);
  });
});

import { describe, expect, it } from 'vitest';
import { familiarName, parseImageReference, referenceError } from '../../../src/cluster/images/reference.js';

describe('parseImageReference (Docker normalisation)', () => {
  it.each([
    ['nginx', 'docker.io', 'library/nginx', 'latest', 'docker.io/library/nginx:latest'],
    ['nginx:1.13.11', 'docker.io', 'library/nginx', '1.13.11', 'docker.io/library/nginx:1.13.11'],
    [
      'dockercoins/worker:v0.1',
      'docker.io',
      'dockercoins/worker',
      'v0.1',
      'docker.io/dockercoins/worker:v0.1',
    ],
    [
      'quay.io/prometheus/prometheus:v3.14.0',
      'quay.io',
      'prometheus/prometheus',
      'v3.14.0',
      'quay.io/prometheus/prometheus:v3.14.0',
    ],
    ['127.0.0.1:31500/busybox', '127.0.0.1:31500', 'busybox', 'latest', '127.0.0.1:31500/busybox:latest'],
    ['localhost/app:v1', 'localhost', 'app', 'v1', 'localhost/app:v1'],
    ['localhost:5000/rng:v0.1', 'localhost:5000', 'rng', 'v0.1', 'localhost:5000/rng:v0.1'],
    [
      'registry.k8s.io/coredns/coredns:v1.12.1',
      'registry.k8s.io',
      'coredns/coredns',
      'v1.12.1',
      'registry.k8s.io/coredns/coredns:v1.12.1',
    ],
    [
      'index.docker.io/library/redis',
      'docker.io',
      'library/redis',
      'latest',
      'docker.io/library/redis:latest',
    ],
    ['docker.io/redis:5.0.0', 'docker.io', 'library/redis', '5.0.0', 'docker.io/library/redis:5.0.0'],
    [
      'my-org/my_app__x.y-z:TAG_1.0',
      'docker.io',
      'my-org/my_app__x.y-z',
      'TAG_1.0',
      'docker.io/my-org/my_app__x.y-z:TAG_1.0',
    ],
    ['localhost:5000', 'docker.io', 'library/localhost', '5000', 'docker.io/library/localhost:5000'],
  ])('%s → %s %s:%s', (raw, registry, repository, tag, canonical) => {
    const ref = parseImageReference(raw);
    expect(ref).toEqual({ raw, registry, repository, tag, canonical });
  });

  it('keeps a digest, with or without a tag', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(parseImageReference(`nginx@${digest}`)).toEqual({
      raw: `nginx@${digest}`,
      registry: 'docker.io',
      repository: 'library/nginx',
      tag: '',
      digest,
      canonical: `docker.io/library/nginx@${digest}`,
    });
    expect(parseImageReference(`nginx:1.29.1@${digest}`)?.canonical).toBe(
      `docker.io/library/nginx:1.29.1@${digest}`,
    );
  });

  it.each([
    '',
    ' nginx',
    'nginx ',
    'Nginx',
    'library/Nginx:1',
    'nginx:',
    'nginx:-bad',
    'a//b',
    'nginx@sha256:xyz',
    'foo/-bar',
    ':tag',
    'ng!nx',
  ])('refuses %j (the kubelet reports InvalidImageName)', (raw) => {
    expect(parseImageReference(raw)).toBeUndefined();
  });

  it('says why an upper-case repository is refused, in the reference library words', () => {
    expect(referenceError('Nginx')).toBe(
      'invalid reference format: repository name (library/Nginx) must be lowercase',
    );
    expect(referenceError('nginx:-x')).toBe('invalid reference format');
  });

  it('treats an upper-case first component as a registry host, as splitDockerDomain does', () => {
    expect(parseImageReference('Foo/bar')).toMatchObject({ registry: 'Foo', repository: 'bar' });
  });

  it('gives the familiar form back', () => {
    expect(familiarName({ registry: 'docker.io', repository: 'library/nginx' })).toBe('nginx');
    expect(familiarName({ registry: 'docker.io', repository: 'dockercoins/rng' })).toBe('dockercoins/rng');
    expect(familiarName({ registry: 'quay.io', repository: 'prometheus/prometheus' })).toBe(
      'quay.io/prometheus/prometheus',
    );
  });
});

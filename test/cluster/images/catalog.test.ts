import { describe, expect, it } from 'vitest';
import { IMAGES } from '../../../src/cluster/bootstrap/topology.js';
import {
  createImageCatalog,
  IMAGE_CATALOG_ENTRIES,
  imageDigest,
  pullTimeMs,
} from '../../../src/cluster/images/catalog.js';
import { resolveEntry } from '../../../src/cluster/images/resolved.js';
import type { PullOutcome } from '../../../src/cluster/images/types.js';

const memoryMeta = () => {
  const values = new Map<string, unknown>();
  return { get: (k: string) => values.get(k), set: (k: string, v: unknown) => void values.set(k, v) };
};

const failure = (outcome: PullOutcome) => {
  if (outcome.ok) throw new Error(`expected a failure, pulled ${outcome.image.reference.canonical}`);
  return outcome;
};

describe('image catalog: pulls', () => {
  const catalog = createImageCatalog(memoryMeta());

  it.each([
    'alpine',
    'busybox',
    'centos',
    'ubuntu:18.04',
    'python:3.9',
    'nginx',
    'nginx:1.13.11',
    'nginx:1.16.0',
    'jpetazzo/httpenv',
    'jpetazzo/color',
    'errm/cheese:cheddar',
    'errm/cheese:stilton',
    'errm/cheese:wensleydale',
    'gzynda/sleepy-server:latest',
    'jstubbs/hello-flask',
    'elasticsearch:2',
    'elasticsearch:5.6.8',
    'kibana:5.6.8',
    'dockercoins/rng:v0.1',
    'dockercoins/hasher:v0.1',
    'dockercoins/worker:v0.1',
    'dockercoins/worker:v0.2',
    'dockercoins/webui:v0.1',
    'redis',
    'redis:5.0.0',
    'postgres:10.5',
    'consul:1.2.2',
    'consul:1.4.0',
    'consul:1.5',
    'mysql:5.7',
    'mongo:3.7.9',
    'registry',
    'traefik',
    'haproxy',
    'fluent/fluentd-kubernetes-daemonset:elasticsearch',
    'fluent/fluentd-kubernetes-daemonset:v1.4-debian-elasticsearch-1',
    'prom/prometheus:v2.12.0',
    'quay.io/prometheus/prometheus:v3.14.0',
    'prom/node-exporter:v0.18.0',
    'quay.io/prometheus/node-exporter:v1.12.1',
    'quay.io/coreos/kube-state-metrics:v1.6.0',
    'registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.20.0',
    'prom/alertmanager:v0.18.0',
    'quay.io/prometheus/alertmanager:v0.34.0',
    'prom/pushgateway:v0.8.0',
    'quay.io/prometheus/pushgateway:v1.11.3',
    'jimmidyson/configmap-reload:v0.2.2',
    'quay.io/prometheus-operator/prometheus-config-reloader:v0.93.1',
    'gcr.io/kubernetes-helm/tiller:v2.14.3',
    'portworx/oci-monitor:1.4.2.2',
    'openstorage/stork:1.1.3',
    'gcr.io/google_containers/kube-scheduler-amd64:v1.11.2',
    'portworx/px-lighthouse:1.5.0',
    'portworx/lh-config-sync:0.2',
    'grafana/grafana:13.2.0',
    ...Object.values(IMAGES),
  ])('pulls %s', (raw) => {
    const outcome = catalog.pull(raw);
    expect(outcome.ok).toBe(true);
    if (outcome.ok) {
      expect(outcome.image.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(outcome.image.sizeBytes).toBeGreaterThan(0);
      expect(resolveEntry(outcome.image.entry)).toBeDefined();
    }
  });

  it("fails dockercoins/worker:v0.3 with containerd's not-found message (image-catalog §2.2)", () => {
    const outcome = failure(catalog.pull('dockercoins/worker:v0.3'));
    expect(outcome.reason).toBe('ErrImagePull');
    expect(outcome.code).toBe('NotFound');
    expect(outcome.message).toBe(
      'failed to pull and unpack image "docker.io/dockercoins/worker:v0.3": failed to resolve reference "docker.io/dockercoins/worker:v0.3": docker.io/dockercoins/worker:v0.3: not found',
    );
  });

  it.each([
    'dockercoins/worker',
    'dockercoins/rng:latest',
    'nginx:1.3.12',
    'elasticsearch',
    'kibana',
    'errm/cheese',
    'errm/cheese:brie',
    'alpine:9.99',
  ])('has no %s (a tag the repository lacks)', (raw) => {
    const outcome = failure(catalog.pull(raw));
    expect(outcome.reason).toBe('ErrImagePull');
    expect(outcome.message).toMatch(/: not found$/);
  });

  it('fails a repository Docker Hub does not have with "pull access denied"', () => {
    const outcome = failure(catalog.pull('foo/bar'));
    expect(outcome.message).toBe(
      'failed to pull and unpack image "docker.io/foo/bar:latest": failed to resolve reference "docker.io/foo/bar:latest": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
    );
    expect(failure(catalog.pull('app:v1.5')).message).toContain('pull access denied');
    expect(failure(catalog.pull('image:newtag')).message).toContain('pull access denied');
  });

  it('fails an unknown registry host at DNS, and an unpushed local registry image as not found', () => {
    expect(failure(catalog.pull('registry.example.com/team/app:1')).message).toContain(
      'dial tcp: lookup registry.example.com on 127.0.0.53:53: no such host',
    );
    expect(failure(catalog.pull('127.0.0.1:31500/busybox')).message).toBe(
      'failed to pull and unpack image "127.0.0.1:31500/busybox:latest": failed to resolve reference "127.0.0.1:31500/busybox:latest": 127.0.0.1:31500/busybox:latest: not found',
    );
  });

  it("reports an invalid name as InvalidImageName with the kubelet's wording", () => {
    const outcome = failure(catalog.pull('Nginx'));
    expect(outcome.reason).toBe('InvalidImageName');
    expect(outcome.message).toBe(
      'Failed to apply default image tag "Nginx": couldn\'t parse image name "Nginx": invalid reference format: repository name (library/Nginx) must be lowercase',
    );
    expect(failure(catalog.pull('nginx:')).reason).toBe('InvalidImageName');
  });

  it('pulls by digest only when a tag of the repository has it', () => {
    const digest = imageDigest({ registry: 'docker.io', repository: 'library/nginx', tag: '1.13.11' });
    const ok = catalog.pull(`nginx@${digest}`);
    expect(ok.ok && ok.image.entry).toBe('nginx:1.13.11');
    expect(failure(catalog.pull(`nginx@sha256:${'0'.repeat(64)}`)).message).toMatch(/not found$/);
  });

  it('gives stable digests and the pull-time classes of §2.3', () => {
    const a = catalog.pull('nginx');
    const b = catalog.pull('docker.io/library/nginx:latest');
    expect(a.ok && b.ok && a.image.digest === b.image.digest).toBe(true);
    const ms = (raw: string) => {
      const o = catalog.pull(raw);
      return o.ok ? o.image.pullMs : -1;
    };
    expect(ms('alpine')).toBeLessThan(1000);
    expect(ms('busybox')).toBeLessThan(1000);
    expect(ms('nginx')).toBeGreaterThanOrEqual(2000);
    expect(ms('nginx')).toBeLessThanOrEqual(5000);
    expect(ms('python:3.9')).toBeGreaterThanOrEqual(10_000);
    expect(ms('python:3.9')).toBeLessThanOrEqual(30_000);
    expect(pullTimeMs({ pull: 'large', sizeMB: 10_000 })).toBe(30_000);
  });

  it('has consistent data: every repository has tags, and ports are numbers', () => {
    for (const spec of IMAGE_CATALOG_ENTRIES) {
      expect(spec.tags.length, spec.name).toBeGreaterThan(0);
      for (const port of spec.ports ?? []) expect(Number.isInteger(port.port)).toBe(true);
      for (const tag of Object.keys(spec.variants ?? {}))
        expect(spec.tags, `${spec.name}:${tag}`).toContain(tag);
    }
  });
});

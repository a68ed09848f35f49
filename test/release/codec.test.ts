import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadChart, loadChartFiles } from '../../src/chart/loader.js';
import { LimitError } from '../../src/internal/errors.js';
import {
  chartFromStored,
  decodeRelease,
  encodeRelease,
  InvalidReleaseError,
  MAX_RELEASE_JSON_BYTES,
  releaseJson,
  storedChart,
} from '../../src/release/codec.js';
import type { Release } from '../../src/release/release.js';
import { makeRelease } from '../storage/driver-contract.js';

const DOCKERCOINS = path.resolve(import.meta.dirname, '../../charts/dockercoins');
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const file = (name: string, text: string) => ({ name, data: Buffer.from(text) });

function fullRelease(): Release {
  return makeRelease('demo', 2, 'deployed', {
    info: {
      first_deployed: '2025-03-01T12:00:00Z',
      last_deployed: '2025-03-01T12:05:00.123Z',
      description: 'Upgrade complete',
      status: 'deployed',
      notes: 'Visit <http://demo> && enjoy\u2028',
    },
    hooks: [
      {
        name: 'demo-test',
        kind: 'Pod',
        path: 'mychart/templates/tests/test.yaml',
        manifest: 'kind: Pod\n',
        events: ['test'],
        last_run: {
          started_at: '2025-03-01T12:06:00Z',
          completed_at: '2025-03-01T12:06:05Z',
          phase: 'Succeeded',
        },
        weight: 5,
        delete_policies: ['hook-succeeded'],
      },
    ],
    apply_method: 'csa',
    labels: { team: 'blue' },
  });
}

describe('encodeRelease / decodeRelease', () => {
  it('is base64(gzip(JSON)), starting H4sI, and round-trips (labels are never in the record)', () => {
    const rel = fullRelease();
    const data = encodeRelease(rel);
    expect(data).toMatch(/^H4sI/);
    const json = gunzipSync(Buffer.from(data, 'base64')).toString('utf8');
    expect(json).toBe(releaseJson(rel));
    const { labels: _labels, ...withoutLabels } = rel;
    expect(decodeRelease(data)).toEqual(withoutLabels);
  });

  it("writes Helm's field order and leaves out empty omitempty fields", () => {
    const json = JSON.parse(releaseJson(fullRelease()));
    expect(Object.keys(json)).toEqual([
      'name',
      'info',
      'chart',
      'config',
      'manifest',
      'hooks',
      'version',
      'namespace',
      'apply_method',
    ]);
    expect(Object.keys(json.hooks[0])).toEqual([
      'name',
      'kind',
      'path',
      'manifest',
      'events',
      'last_run',
      'weight',
      'delete_policies',
    ]);
    const bare = makeRelease('demo', 1, 'pending-install', {
      info: { status: 'pending-install' },
      config: {},
      manifest: '',
    });
    const sparse = JSON.parse(releaseJson(bare));
    expect(Object.keys(sparse)).toEqual(['name', 'info', 'chart', 'version', 'namespace']);
    expect(sparse.info).toEqual({ status: 'pending-install' });
    // Chart fields have no omitempty: nil slices and pointers are null.
    expect(sparse.chart).toMatchObject({ lock: null, schema: null, files: null });
  });

  it("escapes as Go's encoding/json does and sorts map keys", () => {
    const rel = makeRelease('demo', 1, 'deployed', {
      config: { b: 1, a: { '10': true, '2': 'x' }, c: [3, 'y'] },
    });
    rel.info.notes = 'a<b>&c\u2028';
    const json = releaseJson(rel);
    expect(json).toContain('"notes":"a\\u003cb\\u003e\\u0026c\\u2028"');
    expect(json).toContain('"config":{"a":{"10":true,"2":"x"},"b":1,"c":[3,"y"]}');
  });

  it('decodes a record stored as plain JSON (before compression), as Helm does', () => {
    const rel = makeRelease('demo', 1);
    expect(decodeRelease(b64(JSON.stringify(rel)))).toEqual(rel);
  });

  it('reads empty-string times as absent and null lists as empty', () => {
    const raw = JSON.parse(releaseJson(makeRelease('demo', 1)));
    raw.info.deleted = '';
    raw.chart.templates = null;
    delete raw.config;
    const got = decodeRelease(b64(JSON.stringify(raw)));
    expect(got.info.deleted).toBeUndefined();
    expect(got.chart.templates).toEqual([]);
    expect(got.config).toEqual({});
  });

  it('garbage gives a clear error naming the key', () => {
    const key = 'sh.helm.release.v1.x.v2';
    expect(() => decodeRelease('%%%', key)).toThrow(InvalidReleaseError);
    expect(() => decodeRelease('%%%', key)).toThrow(`release "${key}": invalid release data: not base64`);
    expect(() => decodeRelease(b64('hello'), key)).toThrow(
      `release "${key}": invalid release data: not JSON`,
    );
    const truncated = gzipSync(Buffer.from('{"name":"x"}')).subarray(0, 12);
    expect(() => decodeRelease(b64(truncated), key)).toThrow(`release "${key}": invalid release data: gzip:`);
    expect(() => decodeRelease(b64('[1,2]'), key)).toThrow(
      'invalid release data: release: must be a JSON object',
    );
    const noStatus = { ...makeRelease('x', 2), info: { status: 'exploded' } };
    expect(() => decodeRelease(b64(JSON.stringify(noStatus)), key)).toThrow(
      `release "${key}": invalid release data: info.status: unknown status "exploded"`,
    );
    const noChart = { ...makeRelease('x', 2), chart: { metadata: {} } };
    expect(() => decodeRelease(b64(JSON.stringify(noChart)), key)).toThrow(
      'chart.metadata.name: is required',
    );
    const badVersion = { ...makeRelease('x', 2), version: 'two' };
    expect(() => decodeRelease(b64(JSON.stringify(badVersion)), key)).toThrow(
      'version: must be a positive integer',
    );
  });

  it('refuses keys that reach prototypes', () => {
    const text = JSON.stringify(makeRelease('x', 1)).replace(
      '"config":{',
      '"config":{"__proto__":{"polluted":true},',
    );
    expect(() => decodeRelease(b64(text), 'k')).toThrow(
      'release "k": invalid release data: record: key "__proto__"',
    );
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('refuses a gzip bomb: the decompressed size is capped', () => {
    const bomb = gzipSync(Buffer.alloc(MAX_RELEASE_JSON_BYTES + 1024, 0x20), { level: 9 });
    expect(bomb.length).toBeLessThan(200_000);
    const decode = () => decodeRelease(bomb.toString('base64'), 'sh.helm.release.v1.x.v1');
    expect(decode).toThrow(LimitError);
    expect(decode).toThrow(
      `release "sh.helm.release.v1.x.v1": invalid release data: decompressed record is larger than ${MAX_RELEASE_JSON_BYTES} bytes`,
    );
  });
});

describe('storedChart / chartFromStored', () => {
  it('stores the parent only: metadata, lock, templates, values, schema, files (base64)', async () => {
    const chart = await loadChartFiles(
      [
        file(
          'Chart.yaml',
          'apiVersion: v2\nname: par\nversion: 1.0.0\ndependencies:\n- name: sub\n  version: 0.1.0\n',
        ),
        file(
          'Chart.lock',
          'generated: "2025-01-01T00:00:00Z"\ndigest: sha256:abc\ndependencies:\n- name: sub\n  version: 0.1.0\n  repository: ""\n',
        ),
        file('values.yaml', 'replicas: 2\n'),
        file('values.schema.json', '{"type":"object"}'),
        file('templates/cm.yaml', 'kind: ConfigMap\n'),
        file('README.md', '# par\n'),
        file('crds/crd.yaml', 'kind: CustomResourceDefinition\n'),
        file('charts/README.md', 'not a chart\n'),
        file('charts/sub-0.1.0.tgz.prov', 'signature\n'),
        file('charts/sub/Chart.yaml', 'apiVersion: v2\nname: sub\nversion: 0.1.0\n'),
        file('charts/sub/templates/sub.yaml', 'kind: Secret\n'),
      ],
      'par',
    );
    const stored = storedChart(chart);
    expect(stored.metadata).toMatchObject({ name: 'par', version: '1.0.0' });
    expect(stored.lock).toMatchObject({ digest: 'sha256:abc' });
    expect(stored.templates).toEqual([{ name: 'templates/cm.yaml', data: b64('kind: ConfigMap\n') }]);
    expect(stored.values).toEqual({ replicas: 2 });
    expect(stored.schema).toBe(b64('{"type":"object"}'));
    expect(stored.files.map((f) => f.name)).toEqual([
      'README.md',
      'charts/sub-0.1.0.tgz.prov',
      'crds/crd.yaml',
    ]);
    expect(JSON.stringify(stored)).not.toContain(b64('kind: Secret\n'));
  });

  it('an apiVersion v1 chart keeps requirements.yaml among its files, as Helm does', async () => {
    const chart = await loadChartFiles(
      [
        file('Chart.yaml', 'apiVersion: v1\nname: old\nversion: 1.0.0\n'),
        file('requirements.yaml', 'dependencies: []\n'),
      ],
      'old',
    );
    expect(storedChart(chart).files.map((f) => f.name)).toEqual(['requirements.yaml']);
  });

  it('rebuilds a chart that renders again: templates, values, files, schema, raw', async () => {
    const chart = await loadChart(DOCKERCOINS);
    const rebuilt = chartFromStored(
      decodeRelease(encodeRelease({ ...makeRelease('dc', 1), chart: storedChart(chart) })).chart,
    );
    expect(rebuilt.metadata).toEqual(chart.metadata);
    expect(rebuilt.values).toEqual(chart.values);
    expect(rebuilt.schema).toBe(chart.schema);
    expect(rebuilt.templates).toEqual(chart.templates);
    expect(rebuilt.files).toEqual(chart.files);
    expect(rebuilt.dependencies).toEqual([]);
    expect(rebuilt.raw.map((f) => f.name)).toEqual(chart.raw.map((f) => f.name));
    expect(storedChart(rebuilt)).toEqual(storedChart(chart));
  });
});

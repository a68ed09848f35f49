import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createChart, scaffoldFiles } from '../../src/chart/create.js';
import { loadChart } from '../../src/chart/loader.js';
import { parseChartMetadata } from '../../src/chart/metadata.js';
import { ChartInvalidError, IoError } from '../../src/internal/errors.js';
import { isPlainObject } from '../../src/internal/objects.js';
import { parseYaml } from '../../src/internal/yaml.js';
import { snapshotTree, tempDir } from '../helpers/chart-builder.js';

const FILE_NAMES = [
  '.helmignore',
  'Chart.yaml',
  'charts/',
  'templates/NOTES.txt',
  'templates/_helpers.tpl',
  'templates/deployment.yaml',
  'templates/hpa.yaml',
  'templates/httproute.yaml',
  'templates/ingress.yaml',
  'templates/service.yaml',
  'templates/serviceaccount.yaml',
  'templates/tests/test-connection.yaml',
  'values.yaml',
];

function contentOf(name: string, file: string): string {
  const f = scaffoldFiles(name).find((x) => x.name === file);
  if (!f) throw new Error(`no ${file} in the scaffold`);
  return f.content;
}

/** Every file under `dir` (relative, `/`-separated) with its content; directories end in `/`. */
function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (readdirSync(path.join(d, e.name)).length === 0) out[`${r}/`] = '';
        walk(path.join(d, e.name), r);
      } else {
        out[r] = readFileSync(path.join(d, e.name), 'utf8');
      }
    }
  };
  walk(dir, '');
  return out;
}

/** Like `snapshotTree`, but lists links as links (a dangling one included) instead of following them. */
function snapshotLinks(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      const st = lstatSync(p);
      const what = st.isSymbolicLink()
        ? `link ${readlinkSync(p)}`
        : st.isDirectory()
          ? 'dir'
          : String(st.size);
      out.push(`${path.relative(dir, p)} ${what} ${st.mtimeMs}`);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out.sort();
}

describe('scaffoldFiles', () => {
  it("lists Helm's scaffold, sorted, with charts/ as an empty directory", () => {
    const files = scaffoldFiles('mychart');
    expect(files.map((f) => f.name)).toEqual(FILE_NAMES);
    expect(files.find((f) => f.name === 'charts/')?.content).toBe('');
  });

  it('writes the chart name everywhere and leaves no placeholder', () => {
    for (const f of scaffoldFiles('web-app')) {
      expect(f.content).not.toContain('CHARTNAME');
      expect(f.content).not.toContain('mychart');
    }
    expect(contentOf('web-app', 'templates/deployment.yaml')).toContain(
      '{{include "web-app.fullname" this}}',
    );
    expect(contentOf('web-app', 'values.yaml').startsWith('# Default values for web-app.\n')).toBe(true);
  });

  it('gives a Chart.yaml that parses: apiVersion v2, version 0.1.0, appVersion "1.16.0"', () => {
    const meta = parseChartMetadata(contentOf('mychart', 'Chart.yaml'), 'mychart/Chart.yaml');
    expect(meta).toEqual({
      apiVersion: 'v2',
      name: 'mychart',
      description: 'A Helm chart for Kubernetes',
      type: 'application',
      version: '0.1.0',
      appVersion: '1.16.0',
    });
    // Helm's explanatory comments are kept.
    expect(contentOf('mychart', 'Chart.yaml')).toContain(
      "# A chart can be either an 'application' or a 'library' chart.",
    );
  });

  it("gives a values.yaml that parses to Helm's defaults", () => {
    const values = parseYaml(contentOf('mychart', 'values.yaml'), 'mychart/values.yaml');
    expect(isPlainObject(values)).toBe(true);
    expect(values).toMatchObject({
      replicaCount: 1,
      image: { repository: 'nginx', pullPolicy: 'IfNotPresent', tag: '' },
      imagePullSecrets: [],
      nameOverride: '',
      fullnameOverride: '',
      serviceAccount: { create: true, automount: true, annotations: {}, name: '' },
      podAnnotations: {},
      podLabels: {},
      podSecurityContext: {},
      securityContext: {},
      service: { type: 'ClusterIP', port: 80 },
      ingress: {
        enabled: false,
        className: '',
        annotations: {},
        hosts: [{ host: 'chart-example.local', paths: [{ path: '/', pathType: 'ImplementationSpecific' }] }],
        tls: [],
      },
      httpRoute: {
        enabled: false,
        annotations: {},
        parentRefs: [{ name: 'gateway', sectionName: 'http' }],
        hostnames: ['chart-example.local'],
        rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/headers' } }] }],
      },
      resources: {},
      livenessProbe: { httpGet: { path: '/', port: 'http' } },
      readinessProbe: { httpGet: { path: '/', port: 'http' } },
      autoscaling: { enabled: false, minReplicas: 1, maxReplicas: 100, targetCPUUtilizationPercentage: 80 },
      volumes: [],
      volumeMounts: [],
      nodeSelector: {},
      tolerations: [],
      affinity: {},
    });
  });

  it('defines the six helpers in _helpers.tpl', () => {
    const helpers = contentOf('app', 'templates/_helpers.tpl');
    const defined = [...helpers.matchAll(/\{\{#define "([^"]+)"\}\}/g)].map((m) => m[1]);
    expect(defined).toEqual([
      'app.name',
      'app.fullname',
      'app.chart',
      'app.labels',
      'app.selectorLabels',
      'app.serviceAccountName',
    ]);
  });

  it('marks the test pod as a test hook and runs busybox wget against the service', () => {
    const pod = contentOf('app', 'templates/tests/test-connection.yaml');
    expect(pod).toContain('"helm.sh/hook": test');
    expect(pod).toContain('image: busybox');
    expect(pod).toContain(`args: ['{{include "app.fullname" this}}:{{Values.service.port}}']`);
  });

  it('uses autoscaling/v2 for the HorizontalPodAutoscaler', () => {
    expect(contentOf('app', 'templates/hpa.yaml')).toContain('apiVersion: autoscaling/v2\n');
  });

  it.each([
    ['', /between 1 and 250 characters/],
    ['x'.repeat(251), /between 1 and 250 characters/],
    ['bad name', /chart name "bad name" must match the regular expression "\^\[a-zA-Z0-9\._-\]\+\$"/],
    ['a/b', /chart name "a\/b" must match/],
    ['../up', /chart name "\.\.\/up" must match/],
    ['chärt', /chart name "chärt" must match/],
    ['.', /chart name "\." is not allowed/],
    ['..', /chart name "\.\." is not allowed/],
  ])('refuses the name %j', (name, message) => {
    expect(() => scaffoldFiles(name)).toThrow(ChartInvalidError);
    expect(() => scaffoldFiles(name)).toThrow(message);
  });

  it.each(['mychart', 'my.chart', 'my_chart-2', 'A', 'x'.repeat(250)])('accepts the name %j', (name) => {
    expect(scaffoldFiles(name)).toHaveLength(FILE_NAMES.length);
  });
});

describe('createChart', () => {
  it('writes the scaffold into <dir>/<name> and returns its path', async () => {
    const dir = tempDir();
    const chartPath = await createChart('mychart', dir);
    expect(chartPath).toBe(path.join(dir, 'mychart'));
    const expected = Object.fromEntries(scaffoldFiles('mychart').map((f) => [f.name, f.content]));
    expect(readTree(chartPath)).toEqual(expected);
    expect(lstatSync(path.join(chartPath, 'charts')).isDirectory()).toBe(true);
  });

  it('creates a chart that loads', async () => {
    const chart = await loadChart(await createChart('web', tempDir()));
    expect(chart.metadata.name).toBe('web');
    expect(chart.templates.map((t) => t.name)).toContain('templates/tests/test-connection.yaml');
    expect(chart.values['replicaCount']).toBe(1);
    expect(chart.dependencies).toEqual([]);
  });

  it('resolves a relative parent directory', async () => {
    const dir = tempDir();
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(await createChart('rel', '.')).toBe(path.join(process.cwd(), 'rel'));
    } finally {
      process.chdir(cwd);
    }
    expect(existsSync(path.join(dir, 'rel', 'Chart.yaml'))).toBe(true);
  });

  const failures: [
    string,
    (dir: string) => [string, string],
    typeof IoError | typeof ChartInvalidError,
    RegExp,
  ][] = [
    ['an invalid name', (d) => ['bad name', d], ChartInvalidError, /chart name "bad name"/],
    [
      'a missing parent directory',
      (d) => ['mychart', path.join(d, 'a', 'b')],
      IoError,
      /directory ".*[/\\]a[/\\]b" does not exist/,
    ],
    [
      'a parent that is a file',
      (d) => {
        writeFileSync(path.join(d, 'file'), 'x');
        return ['mychart', path.join(d, 'file')];
      },
      IoError,
      /no such directory ".*file"/,
    ],
    [
      'a target that is a file',
      (d) => {
        writeFileSync(path.join(d, 'mychart'), 'x');
        return ['mychart', d];
      },
      IoError,
      /file .*mychart already exists and is not a directory/,
    ],
    [
      'a scaffold file that is a directory in the existing chart',
      (d) => {
        mkdirSync(path.join(d, 'mychart', 'values.yaml'), { recursive: true });
        writeFileSync(path.join(d, 'mychart', 'Chart.yaml'), 'old');
        return ['mychart', d];
      },
      IoError,
      /values\.yaml" already exists and is not a regular file/,
    ],
  ];

  it.each(failures)('fails on %s with one line and writes nothing', async (_label, setup, type, message) => {
    const dir = tempDir();
    const [name, parent] = setup(dir);
    const before = snapshotTree(dir);
    const err = await createChart(name, parent).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(type);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('\n');
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('overwrites the scaffold files of an existing chart and keeps the other files', async () => {
    const dir = tempDir();
    const chartPath = await createChart('mychart', dir);
    writeFileSync(path.join(chartPath, 'values.yaml'), 'replicaCount: 5\n');
    writeFileSync(path.join(chartPath, 'templates', 'extra.yaml'), 'kind: ConfigMap\n');
    rmSync(path.join(chartPath, 'templates', 'hpa.yaml'));

    const overwritten: string[] = [];
    await createChart('mychart', dir, { onOverwrite: (f) => overwritten.push(f) });

    expect(readFileSync(path.join(chartPath, 'values.yaml'), 'utf8')).toBe(
      contentOf('mychart', 'values.yaml'),
    );
    expect(readFileSync(path.join(chartPath, 'templates', 'hpa.yaml'), 'utf8')).toBe(
      contentOf('mychart', 'templates/hpa.yaml'),
    );
    expect(readFileSync(path.join(chartPath, 'templates', 'extra.yaml'), 'utf8')).toBe('kind: ConfigMap\n');
    // Every existing scaffold file is reported once (hpa.yaml was missing, charts/ is a directory).
    expect(overwritten.map((f) => path.relative(chartPath, f).split(path.sep).join('/')).sort()).toEqual(
      FILE_NAMES.filter((f) => !f.endsWith('/') && f !== 'templates/hpa.yaml'),
    );
  });

  describe('never follows a symbolic link out of the chart', () => {
    const links: [string, (chartPath: string, outside: string) => void][] = [
      [
        'the chart directory itself',
        (chartPath, outside) => {
          rmSync(chartPath, { recursive: true });
          symlinkSync(outside, chartPath);
        },
      ],
      [
        'templates/',
        (chartPath, outside) => {
          rmSync(path.join(chartPath, 'templates'), { recursive: true });
          symlinkSync(outside, path.join(chartPath, 'templates'));
        },
      ],
      [
        'templates/tests/',
        (chartPath, outside) => {
          rmSync(path.join(chartPath, 'templates', 'tests'), { recursive: true });
          symlinkSync(outside, path.join(chartPath, 'templates', 'tests'));
        },
      ],
      [
        'values.yaml',
        (chartPath, outside) => {
          rmSync(path.join(chartPath, 'values.yaml'));
          symlinkSync(path.join(outside, 'victim.txt'), path.join(chartPath, 'values.yaml'));
        },
      ],
      [
        'a dangling Chart.yaml link',
        (chartPath, outside) => {
          rmSync(path.join(chartPath, 'Chart.yaml'));
          symlinkSync(path.join(outside, 'new.txt'), path.join(chartPath, 'Chart.yaml'));
        },
      ],
    ];

    it.each(links)('%s', async (_label, makeLink) => {
      const dir = tempDir();
      const outside = tempDir('bosun-outside-');
      writeFileSync(path.join(outside, 'victim.txt'), 'keep me\n');
      const chartPath = await createChart('mychart', dir);
      makeLink(chartPath, outside);
      const before = snapshotLinks(dir);
      const outsideBefore = snapshotLinks(outside);

      const err = await createChart('mychart', dir).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(IoError);
      expect((err as Error).message).toMatch(/is a symbolic link: refusing to write through it/);
      expect(snapshotLinks(dir)).toEqual(before);
      expect(snapshotLinks(outside)).toEqual(outsideBefore);
      expect(readFileSync(path.join(outside, 'victim.txt'), 'utf8')).toBe('keep me\n');
    });
  });
});

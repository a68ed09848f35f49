import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LintAction, type LintOptions, type LintResult } from '../../../src/action/lint/index.js';
import { writeChartArchive } from '../../../src/chart/chart-archive.js';
import { InvalidArgumentError } from '../../../src/internal/errors.js';
import { tempDir } from '../../helpers/chart-builder.js';
import {
  buildChart,
  CHART_YAML,
  chartFiles,
  DEPLOYMENT,
  expectLinesStartWith,
  type LintChartSpec,
} from './lint-fixtures.js';

const ICON_INFO = '[INFO] Chart.yaml: icon is recommended';

/** The messages of a single-chart run, as Helm prints them. */
function lines(result: LintResult): string[] {
  expect(result.charts).toHaveLength(1);
  return result.charts[0]!.messages.map((m) => `[${m.severity}] ${m.path}: ${m.message}`);
}

async function lintSpec(spec: LintChartSpec, options: LintOptions = {}): Promise<LintResult> {
  const dir = buildChart(spec);
  return new LintAction({ cwd: path.dirname(dir), ...options }).run(['mychart']);
}

const CONFIGMAP = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata: {}\n`;

describe('LintAction rules on rendered charts', () => {
  it.each<[string, LintChartSpec, LintOptions, string[]]>([
    ['a clean chart gives only the icon INFO', {}, {}, [ICON_INFO]],
    [
      'a missing values.yaml is INFO',
      { values: null },
      {},
      [ICON_INFO, '[INFO] values.yaml: file does not exist'],
    ],
    [
      'a missing templates/ is a WARNING',
      { templates: null },
      {},
      [ICON_INFO, '[WARNING] templates/: directory does not exist'],
    ],
    [
      'a file extension other than .yaml .yml .tpl .txt is an ERROR',
      { templates: { 'deployment.yaml': DEPLOYMENT, 'notes.md': 'hello', 'NOTES.txt': 'hi', '_h.tpl': '' } },
      {},
      [
        ICON_INFO,
        "[ERROR] templates/notes.md: file extension '.md' not valid. Valid extensions are .yaml, .yml, .tpl, or .txt",
      ],
    ],
    [
      'a document that starts indented is a WARNING',
      { templates: { 'ind.yaml': '  apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: ind\n' } },
      {},
      [
        ICON_INFO,
        '[WARNING] templates/ind.yaml: document starts with an illegal indent: "  apiVersion: v1", which may cause parsing problems',
      ],
    ],
    [
      'rendered YAML that does not parse is an ERROR and stops the template rules',
      {
        templates: {
          'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [oops\n',
          'b.yaml': CONFIGMAP('Bad_Name'),
        },
      },
      {},
      [ICON_INFO, '[ERROR] templates/a.yaml: unable to parse YAML: line 5: '],
    ],
    [
      'an invalid metadata.name is a WARNING with the Kubernetes message',
      { templates: { 'cm.yaml': CONFIGMAP('{{Release.Name}}_Config') } },
      {},
      [
        ICON_INFO,
        `[WARNING] templates/cm.yaml: object name does not conform to Kubernetes naming requirements: "test-release_Config": metadata.name: Invalid value: "test-release_Config": a lowercase RFC 1123 subdomain must consist of`,
      ],
    ],
    [
      'a removed API is a WARNING against the default Kubernetes version',
      { templates: { 'd.yaml': DEPLOYMENT.replace('apps/v1', 'extensions/v1beta1') } },
      {},
      [
        ICON_INFO,
        '[WARNING] templates/d.yaml: extensions/v1beta1 Deployment is deprecated in v1.8+, unavailable in v1.16+; use apps/v1 Deployment',
      ],
    ],
    [
      'deprecations follow --kube-version',
      { templates: { 'cj.yaml': 'apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: job\n' } },
      { kubeVersion: '1.20' },
      [ICON_INFO],
    ],
    [
      'deprecations follow --kube-version (deprecated there)',
      { templates: { 'cj.yaml': 'apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: job\n' } },
      { kubeVersion: 'v1.21.3' },
      [
        ICON_INFO,
        '[WARNING] templates/cj.yaml: batch/v1beta1 CronJob is deprecated in v1.21+, unavailable in v1.25+; use batch/v1 CronJob',
      ],
    ],
    [
      'a workload without matchLabels or matchExpressions is an ERROR',
      {
        templates: { 'd.yaml': 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec: {}\n' },
      },
      {},
      [
        ICON_INFO,
        '[ERROR] templates/d.yaml: a StatefulSet must contain matchLabels or matchExpressions, and "db" does not',
      ],
    ],
    [
      'helm.sh/resource-policy inside a List is an ERROR',
      {
        templates: {
          'list.yaml':
            'apiVersion: v1\nkind: List\nmetadata:\n  name: things\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: a\n      annotations:\n        helm.sh/resource-policy: keep\n',
        },
      },
      {},
      [
        ICON_INFO,
        "[ERROR] templates/list.yaml: annotation 'helm.sh/resource-policy' within List objects are ignored",
      ],
    ],
    [
      '`required` does not fail in lint mode',
      { templates: { 'cm.yaml': CONFIGMAP('{{required "name is required" Values.name}}cm') } },
      {},
      [ICON_INFO],
    ],
    [
      'a template that does not render is an ERROR on templates/',
      { templates: { 'cm.yaml': CONFIGMAP('{{noSuchFunction Values.x}}') } },
      {},
      [ICON_INFO, '[ERROR] templates/: '],
    ],
    [
      'the release is test-release in namespace default',
      { templates: { 'cm.yaml': CONFIGMAP('{{Release.Name}}-{{Release.Namespace}}') } },
      {},
      [ICON_INFO],
    ],
    [
      'a library chart is not rendered',
      {
        chartYaml: `${CHART_YAML}type: library\n`,
        templates: { '_helpers.tpl': '{{#define "x"}}{{noSuchFunction}}{{/define}}' },
      },
      {},
      [ICON_INFO],
    ],
    [
      'a numeric version is reported and the chart is still rendered',
      {
        chartYaml: CHART_YAML.replace('version: 0.1.0', 'version: 1.0'),
        templates: { 'cm.yaml': CONFIGMAP('Bad') },
      },
      {},
      [
        `[ERROR] Chart.yaml: version should be of type string but it's of type number (quote it: version: "1.0")`,
        ICON_INFO,
        "[WARNING] Chart.yaml: version '1.0' is not a valid SemVerV2",
        '[WARNING] templates/cm.yaml: object name does not conform to Kubernetes naming requirements: "Bad"',
      ],
    ],
    [
      'a chart that does not load is reported by the template and dependency rules',
      { chartYaml: `${CHART_YAML}type: plugin\n` },
      {},
      [
        ICON_INFO,
        '[ERROR] templates/: mychart/Chart.yaml: validation: chart.metadata.type must be application or library',
        '[ERROR] : unable to load chart\n\tmychart/Chart.yaml: validation: chart.metadata.type must be application or library',
      ],
    ],
    [
      'the schema is checked with the user values by the values and template rules',
      {
        files: {
          'values.schema.json': JSON.stringify({ properties: { replicas: { type: 'integer', minimum: 1 } } }),
        },
      },
      { values: { set: ['replicas=0'] } },
      [
        ICON_INFO,
        "[ERROR] values.yaml: values don't meet the specifications of the schema(s) in the following chart(s):\nmychart:\n- at '/replicas': ",
        "[ERROR] templates/: values don't meet the specifications of the schema(s) in the following chart(s):\nmychart:\n- at '/replicas': ",
      ],
    ],
    [
      'skipSchemaValidation skips both schema checks',
      { files: { 'values.schema.json': JSON.stringify({ properties: { replicas: { minimum: 1 } } }) } },
      { values: { set: ['replicas=0'] }, skipSchemaValidation: true },
      [ICON_INFO],
    ],
    [
      'subcharts render with their scoped values',
      {
        chartYaml: `${CHART_YAML}dependencies:\n  - name: sub\n`,
        values: 'replicas: 1\nsub:\n  suffix: cm\n',
        files: {
          'charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 0.1.0\n',
          'charts/sub/templates/cm.yaml': CONFIGMAP('{{required "suffix" Values.suffix}}'),
        },
      },
      {},
      [ICON_INFO],
    ],
    [
      'a subchart template that does not render is an ERROR on templates/',
      {
        chartYaml: `${CHART_YAML}dependencies:\n  - name: sub\n`,
        files: {
          'charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 0.1.0\n',
          'charts/sub/templates/cm.yaml': CONFIGMAP('{{fail "sub is broken"}}{{nope}}'),
        },
      },
      {},
      [ICON_INFO, '[ERROR] templates/: mychart/charts/sub/templates/cm.yaml'],
    ],
    [
      'an undeclared subchart is an ERROR',
      {
        files: {
          'charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 0.1.0\n',
          'charts/sub/templates/cm.yaml': CONFIGMAP('sub'),
        },
      },
      {},
      [ICON_INFO, '[ERROR] mychart: chart metadata is missing these dependencies: sub'],
    ],
    [
      'a declared dependency missing from charts/ is a WARNING',
      {
        chartYaml: `${CHART_YAML}dependencies:\n  - name: redis\n    version: 1.x\n    repository: https://example.com\n`,
      },
      {},
      [ICON_INFO, '[WARNING] mychart: chart directory is missing these dependencies: redis'],
    ],
    [
      'CRDs must be CustomResourceDefinitions',
      { files: { 'crds/bad.yaml': CONFIGMAP('x') } },
      {},
      [
        ICON_INFO,
        "[ERROR] crds/bad.yaml: apiVersion is not in 'apiextensions.k8s.io'",
        "[ERROR] crds/bad.yaml: object kind is not 'CustomResourceDefinition'",
      ],
    ],
  ])('%s', async (_name, spec, options, expected) => {
    const got = lines(await lintSpec(spec, options));
    expectLinesStartWith(got, expected);
  });
});

describe('LintAction results', () => {
  it.each<[string, LintChartSpec, LintOptions, boolean]>([
    ['a clean chart passes', {}, {}, false],
    ['a clean chart passes with strict', {}, { strict: true }, false],
    ['a WARNING alone passes', { templates: { 'cm.yaml': CONFIGMAP('Bad') } }, {}, false],
    [
      'strict turns a WARNING into a failure',
      { templates: { 'cm.yaml': CONFIGMAP('Bad') } },
      { strict: true },
      true,
    ],
    ['an ERROR fails', { templates: { 'x.md': '' } }, {}, true],
  ])('%s', async (_name, spec, options, failed) => {
    const result = await lintSpec(spec, options);
    expect(result.charts[0]!.failed).toBe(failed);
    expect(result).toMatchObject({ linted: 1, failed: failed ? 1 : 0 });
  });

  it('quiet leaves INFO out but still fails on errors', async () => {
    const result = await lintSpec({ values: null, templates: { 'x.md': '' } }, { quiet: true });
    expect(lines(result)).toEqual([
      "[ERROR] templates/x.md: file extension '.md' not valid. Valid extensions are .yaml, .yml, .tpl, or .txt",
    ]);
    expect(result.failed).toBe(1);
  });

  it('reports a path without Chart.yaml as an error, and lints the other paths', async () => {
    const dir = buildChart();
    const result = await new LintAction({ cwd: path.dirname(dir) }).run(['nothing-here', 'mychart']);
    expect(result.charts[0]).toEqual({
      path: 'nothing-here',
      messages: [],
      error:
        'unable to check Chart.yaml file in chart: stat nothing-here/Chart.yaml: no such file or directory',
      failed: true,
    });
    expect(result.charts[1]!.messages.map((m) => m.message)).toEqual(['icon is recommended']);
    expect(result).toMatchObject({ linted: 2, failed: 1 });
  });

  it('lints "." by default', async () => {
    const dir = buildChart();
    const result = await new LintAction({ cwd: dir }).run([]);
    expect(result.charts.map((c) => c.path)).toEqual(['.']);
    expect(result.failed).toBe(0);
  });

  it('lints subcharts with withSubcharts, after the given charts', async () => {
    const dir = buildChart({
      chartYaml: `${CHART_YAML}dependencies:\n  - name: a\n  - name: b\n`,
      files: {
        'charts/a/Chart.yaml': 'apiVersion: v2\nname: a\nversion: 0.1.0\n',
        'charts/a/values.yaml': '',
        'charts/a/templates/cm.yaml': CONFIGMAP('A_bad'),
      },
    });
    const sub = chartFiles({ 'Chart.yaml': 'apiVersion: v2\nname: b\nversion: 0.2.0\n', 'values.yaml': '' });
    writeFileSync(path.join(dir, 'charts/b-0.2.0.tgz'), await writeChartArchive(sub, 'b'));
    const result = await new LintAction({ cwd: path.dirname(dir), withSubcharts: true }).run(['mychart']);
    expect(result.charts.map((c) => c.path)).toEqual([
      'mychart',
      'mychart/charts/a',
      'mychart/charts/b-0.2.0.tgz',
    ]);
    expect(result.charts[1]!.messages.map((m) => `${m.severity} ${m.path}`)).toEqual([
      'INFO Chart.yaml',
      'WARNING templates/cm.yaml',
    ]);
    expect(result.charts[2]!.messages.map((m) => `${m.severity} ${m.path}`)).toEqual([
      'INFO Chart.yaml',
      'WARNING templates/',
    ]);
    expect(result).toMatchObject({ linted: 3, failed: 0 });
  });

  it('lints a chart archive', async () => {
    const dir = tempDir('bosun-lint-');
    const files = chartFiles({
      'Chart.yaml': CHART_YAML,
      'values.yaml': 'replicas: 1\n',
      'templates/d.yaml': DEPLOYMENT,
    });
    writeFileSync(path.join(dir, 'mychart-0.1.0.tgz'), await writeChartArchive(files, 'mychart'));
    const result = await new LintAction({ cwd: dir }).run(['mychart-0.1.0.tgz']);
    expect(lines(result)).toEqual([ICON_INFO]);
  });

  it('refuses an invalid --kube-version before linting', async () => {
    await expect(new LintAction({ kubeVersion: 'one.two' }).run(['.'])).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
  });
});

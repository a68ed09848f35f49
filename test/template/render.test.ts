/**
 * The chart engine end to end: `TemplateAction` / `renderRelease` / `renderChart` on a chart tree
 * with a directory subchart, an archive subchart (also aliased), a library subchart, globals,
 * conditions, tags, import-values, shared defines, `.Files`, CRDs, hooks and NOTES.txt; then the
 * same tree's Go-template twin through the real helm, whose output must be identical.
 */

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM script without type declarations
import { realTools } from '../../scripts/real-tools.mjs';
import { renderRelease } from '../../src/action/render-release.js';
import { TemplateAction, type TemplateOptions, type TemplateResult } from '../../src/action/template.js';
import type { ChartFile } from '../../src/chart/chart.js';
import { loadChart } from '../../src/chart/loader.js';
import { memoryIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { ChartInvalidError, InvalidArgumentError } from '../../src/internal/errors.js';
import { isPlainObject, type PlainObject } from '../../src/internal/objects.js';
import { parseYamlStream } from '../../src/internal/yaml.js';
import { makeCapabilities } from '../../src/template/capabilities.js';
import { type ReleaseInfo, renderChart } from '../../src/template/render.js';
import { processDependencies, scopeValues } from '../../src/values/index.js';
import { tempDir, writeArchiveChart, writeChart } from '../helpers/chart-builder.js';
import { PAR_CRD, writeTree } from './chart-tree.js';

const RELEASE: ReleaseInfo = {
  Name: 'rel',
  Namespace: 'default',
  Revision: 1,
  IsInstall: true,
  IsUpgrade: false,
  Service: 'Helm',
};

let dir: string;

beforeAll(async () => {
  dir = tempDir();
  await writeTree(dir, 'handlebars');
});

function template(options: TemplateOptions = {}, chart = 'par'): Promise<TemplateResult> {
  return new TemplateAction({ releaseName: 'rel', cwd: dir, ...options }).run(chart);
}

function sources(r: TemplateResult): string[] {
  return r.documents.map((d) => d.path);
}

/** The `data` map of the document of `kind` rendered from `source`. */
function dataOf(r: TemplateResult, source: string, kind = 'ConfigMap'): Record<string, unknown> {
  for (const d of r.documents) {
    if (d.path !== source) continue;
    const obj = parseYamlStream(d.content, d.path)[0];
    if (isPlainObject(obj) && obj['kind'] === kind && isPlainObject(obj['data'])) return obj['data'];
  }
  throw new Error(`no ${kind} from ${source}`);
}

const CM = 'par/templates/cm.yaml';
const FILES = 'par/templates/files.yaml';
const SUB = 'par/charts/sub/templates/s.yaml';
const OTHER = 'par/charts/other/templates/o.yaml';
const ANOTHER = 'par/charts/another/templates/o.yaml';
const TEST_POD = 'par/templates/tests/test-pod.yaml';
const ALL_SOURCES = [FILES, ANOTHER, OTHER, SUB, CM, FILES, TEST_POD];

/** `helm template rel par` of the Go twin printed exactly this, and so must bosun. */
const DEFAULT_OUTPUT = `---
# Source: par/templates/files.yaml
apiVersion: v1
kind: Secret
metadata:
  name: rel-files
data:
  app.ini: W2FwcF0KbmFtZSA9IHBhcgo=
  db.conf: aG9zdD1kYgo=
---
# Source: par/charts/another/templates/o.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: rel-another
data:
  greeting: hi
  region: eu
  chart: "another false"
  template: "par/charts/another/templates/o.yaml par/charts/another/templates"
---
# Source: par/charts/other/templates/o.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: rel-other
data:
  greeting: hello
  region: eu
  chart: "other false"
  template: "par/charts/other/templates/o.yaml par/charts/other/templates"
---
# Source: par/charts/sub/templates/s.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: rel-sub
data:
  color: red
  size: small
  enabled: "true"
  global: "{\\"region\\":\\"eu\\",\\"shared\\":{\\"a\\":\\"parent\\",\\"b\\":\\"sub\\"},\\"subonly\\":\\"x\\"}"
  common: parent-common
  chart: "sub 0.1.0 false"
  template: "par/charts/sub/templates/s.yaml par/charts/sub/templates"
  file: "sub file\\n"
  parentFile: ""
---
# Source: par/templates/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: rel-par
  labels:
    app: par
    release: rel
data:
  common: parent-common
  dup: from-a
  partial: "from-a"
  subOnly: sub-only:par
  subchartColor: "red"
  subchartName: "sub"
  libLabel: lib:par
  tpl: "rel-red"
  global: "{\\"region\\":\\"eu\\",\\"shared\\":{\\"a\\":\\"parent\\"}}"
  subValues: "{\\"color\\":\\"red\\",\\"config\\":{\\"c1\\":\\"fromchild\\"},\\"enabled\\":true,\\"exports\\":{\\"data\\":{\\"d1\\":\\"fromexports\\"}},\\"global\\":{\\"region\\":\\"eu\\",\\"shared\\":{\\"a\\":\\"parent\\",\\"b\\":\\"sub\\"},\\"subonly\\":\\"x\\"},\\"size\\":\\"small\\"}"
  otherValues: "{\\"global\\":{\\"region\\":\\"eu\\",\\"shared\\":{\\"a\\":\\"parent\\"}},\\"greeting\\":\\"hello\\"}"
  anotherValues: "{\\"enabled\\":true,\\"global\\":{\\"region\\":\\"eu\\",\\"shared\\":{\\"a\\":\\"parent\\"}},\\"greeting\\":\\"hi\\"}"
  imported: "{\\"c1\\":\\"fromchild\\"}"
  d1: "fromexports"
  subcharts: "another,lib,other,sub"
  release: "rel default 1 true false Helm"
  chart: "par 1.2.3 9.9 v2 The parent chart >=1.20.0-0 true"
  keywords: "alpha,beta"
  kube: "v1.35.0 v1.35.0 1 35"
  hasApps: "true"
  hasExample: "false"
  template: "par/templates/cm.yaml par/templates"
---
# Source: par/templates/files.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: rel-files
data:
  get: "file a\\n"
  passwd: ""
  dotdot: ""
  chartYaml: ""
  valuesYaml: ""
  template: ""
  subFile: ""
  lines: "[\\"one\\",\\"two\\",\\"three\\"]"
  glob: "files/a.txt,files/b.txt,files/lines.txt,"
  globAll: "files/a.txt,files/b.txt,files/lines.txt,"
  app.ini: |
    [app]
    name = par
  db.conf: |
    host=db
---
# Source: par/templates/tests/test-pod.yaml
apiVersion: v1
kind: Pod
metadata:
  name: rel-test
  annotations:
    helm.sh/hook: test
spec:
  containers:
    - name: t
      image: busybox
`;

describe('TemplateAction on a parent chart with directory, archive, aliased and library subcharts', () => {
  it('renders the whole tree exactly (Secret before ConfigMaps, test hook last)', async () => {
    const r = await template();
    expect(r.output).toBe(DEFAULT_OUTPUT);
    expect(sources(r)).toEqual(ALL_SOURCES);
  });

  it('renders the same tree packaged as one archive identically', async () => {
    const chart = await loadChart(path.join(dir, 'par'));
    const archive = path.join(tempDir(), 'par-1.2.3.tgz');
    await writeArchiveChart(
      archive,
      'par',
      Object.fromEntries(chart.raw.map((f: ChartFile) => [f.name, f.data])),
    );
    const r = await template({}, archive);
    expect(r.output).toBe(DEFAULT_OUTPUT);
  });

  describe('values scoping and globals, as Helm does them', () => {
    const cases: [string, string, unknown][] = [
      [SUB, 'color', 'red'], // parent's sub.color over the subchart default
      [SUB, 'size', 'small'], // subchart default kept
      [SUB, 'enabled', 'true'],
      // parent globals override, subchart-only globals stay in the subchart, maps merge
      [SUB, 'global', '{"region":"eu","shared":{"a":"parent","b":"sub"},"subonly":"x"}'],
      // and none of the subchart's globals reach the parent
      [CM, 'global', '{"region":"eu","shared":{"a":"parent"}}'],
      // the parent sees .Values.sub with the subchart defaults merged in
      [
        CM,
        'subValues',
        '{"color":"red","config":{"c1":"fromchild"},"enabled":true,"exports":{"data":{"d1":"fromexports"}},' +
          '"global":{"region":"eu","shared":{"a":"parent","b":"sub"},"subonly":"x"},"size":"small"}',
      ],
      [CM, 'otherValues', '{"global":{"region":"eu","shared":{"a":"parent"}},"greeting":"hello"}'],
      [
        CM,
        'anotherValues',
        '{"enabled":true,"global":{"region":"eu","shared":{"a":"parent"}},"greeting":"hi"}',
      ],
      // import-values: {child: config, parent: fromchild} and the string form (exports.data → root)
      [CM, 'imported', '{"c1":"fromchild"}'],
      [CM, 'd1', 'fromexports'],
      [OTHER, 'region', 'eu'], // globals reach archive subcharts
      [OTHER, 'greeting', 'hello'],
      [ANOTHER, 'greeting', 'hi'], // the alias has its own values key
    ];
    it.each(cases)('%s: %s = %j', async (source, key, expected) => {
      expect(dataOf(await template(), source)[key]).toEqual(expected);
    });

    it('a subchart global set by the user loses to the parent global', async () => {
      const r = await template({ values: { set: ['sub.global.region=x,global.shared.c=user'] } });
      expect(dataOf(r, SUB)['global']).toBe(
        '{"region":"eu","shared":{"a":"parent","b":"sub","c":"user"},"subonly":"x"}',
      );
      expect(dataOf(r, CM)['global']).toBe('{"region":"eu","shared":{"a":"parent","c":"user"}}');
    });

    it('reports the root .Values it rendered with', async () => {
      const r = await template();
      expect(r.rendered.values['global']).toEqual({ region: 'eu', shared: { a: 'parent' } });
      expect(r.rendered.values['fromchild']).toEqual({ c1: 'fromchild' });
    });
  });

  describe('condition, tags and alias decide what renders', () => {
    const cases: [string, string[], string[]][] = [
      ['nothing disabled', [], ALL_SOURCES],
      ['condition sub.enabled=false', ['sub.enabled=false'], [FILES, ANOTHER, OTHER, CM, FILES, TEST_POD]],
      [
        'tag extra=false (the alias has no tags)',
        ['tags.extra=false'],
        [FILES, ANOTHER, SUB, CM, FILES, TEST_POD],
      ],
      [
        'condition another.enabled=false',
        ['another.enabled=false'],
        [FILES, OTHER, SUB, CM, FILES, TEST_POD],
      ],
      [
        'all three off',
        ['sub.enabled=false,another.enabled=false,tags.extra=false'],
        [FILES, CM, FILES, TEST_POD],
      ],
      // the condition is evaluated after the tags and wins
      ['a true condition beats a false tag', ['tags.extra=false,other.enabled=true'], ALL_SOURCES],
      [
        'a false condition beats a true tag',
        ['tags.extra=true,other.enabled=false'],
        [FILES, ANOTHER, SUB, CM, FILES, TEST_POD],
      ],
    ];
    it.each(cases)('%s', async (_label, set, expected) => {
      const r = await template({ values: { set } });
      expect(sources(r)).toEqual(expected);
    });

    it('a disabled subchart leaves only the user part of its values to the parent', async () => {
      const r = await template({ values: { set: ['sub.enabled=false'] } });
      const cm = dataOf(r, CM);
      expect(cm['subValues']).toBe('{"color":"red","enabled":false}');
      expect(cm['imported']).toBe('null'); // no import from a disabled subchart
      expect(cm['d1']).toBeNull();
      expect(cm['subcharts']).toBe('another,lib,other');
      expect(cm['subOnly']).toBeUndefined();
      expect(r.rendered.chart.dependencies.map((c) => c.metadata.name).sort()).toEqual([
        'another',
        'lib',
        'other',
      ]);
    });

    it('an alias renders under charts/<alias>/ with Chart.Name = alias', async () => {
      const r = await template();
      expect(dataOf(r, ANOTHER)).toEqual({
        greeting: 'hi',
        region: 'eu',
        chart: 'another false',
        template: 'par/charts/another/templates/o.yaml par/charts/another/templates',
      });
      expect(r.documents.find((d) => d.path === ANOTHER)?.content).toContain('name: rel-another');
    });
  });

  describe('defines, include, tpl and partials', () => {
    const cases: [string, string, string][] = [
      [CM, 'common', 'parent-common'], // a parent define overrides the subchart's of the same name
      [SUB, 'common', 'parent-common'], // … in the subchart's own templates too
      [CM, 'dup', 'from-a'], // _a.tpl beats _b.tpl, as in Helm
      [CM, 'partial', 'from-a'], // {{> name}}
      [CM, 'subOnly', 'sub-only:par'], // a subchart define, rendered with the parent's context
      [CM, 'libLabel', 'lib:par'], // a library chart's define
      [CM, 'tpl', 'rel-red'], // tpl of a values string, with access to .Values and .Release
    ];
    it.each(cases)('%s: %s = %s', async (source, key, expected) => {
      expect(dataOf(await template(), source)[key]).toBe(expected);
    });

    it('include composes with nindent', async () => {
      const cm = (await template()).documents.find((d) => d.path === CM)!.content;
      expect(cm).toContain('metadata:\n  name: rel-par\n  labels:\n    app: par\n    release: rel\ndata:\n');
    });

    it('a deeper define loses whatever its file name, a later name loses at the same depth', async () => {
      const d = tempDir();
      writeChart(d, {
        name: 'top',
        files: {
          'templates/_z.tpl': '{{#define "x"}}top-z{{/define}}{{#define "y"}}top-z{{/define}}',
          'templates/_m.tpl': '{{#define "y"}}top-m{{/define}}',
          'templates/cm.yaml': 'x: {{include "x" this}}\ny: {{include "y" this}}\nz: {{include "z" this}}\n',
          'charts/mid/Chart.yaml': 'apiVersion: v2\nname: mid\nversion: 0.1.0\n',
          'charts/mid/templates/_a.tpl': '{{#define "x"}}mid{{/define}}{{#define "z"}}mid{{/define}}',
          'charts/mid/charts/low/Chart.yaml': 'apiVersion: v2\nname: low\nversion: 0.1.0\n',
          'charts/mid/charts/low/templates/_a.tpl': '{{#define "z"}}low{{/define}}',
        },
      });
      const r = await new TemplateAction({ cwd: d }).run('top');
      expect(r.output).toBe('---\n# Source: top/templates/cm.yaml\nx: top-z\ny: top-m\nz: mid\n');
    });
  });

  describe('built-in objects', () => {
    const defaults: [string, string, unknown][] = [
      [CM, 'release', 'rel default 1 true false Helm'],
      [CM, 'chart', 'par 1.2.3 9.9 v2 The parent chart >=1.20.0-0 true'],
      [CM, 'keywords', 'alpha,beta'],
      [CM, 'kube', 'v1.35.0 v1.35.0 1 35'],
      [CM, 'hasApps', 'true'],
      [CM, 'hasExample', 'false'],
      [CM, 'template', 'par/templates/cm.yaml par/templates'],
      [CM, 'subchartColor', 'red'],
      [CM, 'subchartName', 'sub'],
      [CM, 'subcharts', 'another,lib,other,sub'],
      [SUB, 'chart', 'sub 0.1.0 false'],
      [SUB, 'template', 'par/charts/sub/templates/s.yaml par/charts/sub/templates'],
      [OTHER, 'chart', 'other false'],
      [OTHER, 'template', 'par/charts/other/templates/o.yaml par/charts/other/templates'],
    ];
    it.each(defaults)('%s: %s = %j', async (source, key, expected) => {
      expect(dataOf(await template(), source)[key]).toEqual(expected);
    });

    const flagged: [string, TemplateOptions, string, string][] = [
      ['--kube-version 1.29.3', { kubeVersion: '1.29.3' }, 'kube', 'v1.29.3 v1.29.3 1 29'],
      ['--kube-version v1.30', { kubeVersion: 'v1.30' }, 'kube', 'v1.30.0 v1.30.0 1 30'],
      ['--api-versions example.com/v1', { apiVersions: ['example.com/v1'] }, 'hasExample', 'true'],
      ['--api-versions keeps the defaults', { apiVersions: ['example.com/v1'] }, 'hasApps', 'true'],
      ['-n ns --is-upgrade', { namespace: 'ns', isUpgrade: true }, 'release', 'rel ns 1 false true Helm'],
    ];
    it.each(flagged)('%s', async (_label, options, key, expected) => {
      expect(dataOf(await template(options), CM)[key]).toBe(expected);
    });
  });

  describe('.Files (files outside templates/)', () => {
    const cases: [string, unknown][] = [
      ['get', 'file a\n'],
      ['passwd', ''], // Files.Get "../../etc/passwd": an in-memory map, never the disk
      ['dotdot', ''], // no path cleaning either
      ['chartYaml', ''], // Chart.yaml, values.yaml and templates are not files
      ['valuesYaml', ''],
      ['template', ''],
      ['subFile', ''], // a subchart's files are its own
      ['lines', '["one","two","three"]'], // the final newline does not make an empty line
      ['glob', 'files/a.txt,files/b.txt,files/lines.txt,'],
      ['globAll', 'files/a.txt,files/b.txt,files/lines.txt,'],
      ['app.ini', '[app]\nname = par\n'], // Files.AsConfig (Files.Glob "config/*")
      ['db.conf', 'host=db\n'],
    ];
    it.each(cases)('%s = %j', async (key, expected) => {
      expect(dataOf(await template(), FILES)[key]).toBe(expected);
    });

    it('Files.AsSecrets base64-encodes each file under its base name', async () => {
      expect(dataOf(await template(), FILES, 'Secret')).toEqual({
        'app.ini': Buffer.from('[app]\nname = par\n').toString('base64'),
        'db.conf': Buffer.from('host=db\n').toString('base64'),
      });
    });

    it('a subchart reads its own files', async () => {
      const sub = dataOf(await template(), SUB);
      expect(sub['file']).toBe('sub file\n');
      expect(sub['parentFile']).toBe('');
    });

    it("include with a subchart context reads that subchart's files", async () => {
      const d = tempDir();
      await writeTree(d, 'handlebars', {
        'templates/_read.tpl': '{{#define "read"}}{{Files.Get "sub.txt"}}{{/define}}',
        'templates/read.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: read\ndata:\n  sub: {{quote (include "read" Subcharts.sub)}}\n  own: {{quote (include "read" this)}}\n',
      });
      const r = await new TemplateAction({ cwd: d, releaseName: 'rel' }).run('par');
      expect(dataOf(r, 'par/templates/read.yaml')).toEqual({ sub: 'sub file\n', own: '' });
    });
  });

  describe('library charts', () => {
    it('as a dependency: its defines are usable, its templates never render', async () => {
      const r = await template();
      expect(dataOf(r, CM)['libLabel']).toBe('lib:par');
      expect(sources(r).some((s) => s.includes('/lib/'))).toBe(false);
      expect(r.output).not.toContain('rel-lib');
      expect([...r.rendered.files.keys()].some((k) => k.includes('/lib/'))).toBe(false);
    });

    it('as the root: library charts are not installable', async () => {
      const d = tempDir();
      writeChart(d, {
        name: 'onlylib',
        files: {
          'Chart.yaml': 'apiVersion: v2\nname: onlylib\nversion: 0.1.0\ntype: library\n',
          'templates/_x.tpl': '{{#define "x"}}x{{/define}}',
        },
      });
      const err = await new TemplateAction({ cwd: d }).run('onlylib').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ChartInvalidError);
      expect((err as Error).message).toBe('library charts are not installable');
      const chart = await loadChart(path.join(d, 'onlylib'));
      expect(() =>
        renderChart(chart, {}, { release: RELEASE, capabilities: makeCapabilities(), scopeValues }),
      ).toThrow(new ChartInvalidError('library charts are not installable'));
    });
  });

  describe('Chart.yaml kubeVersion', () => {
    const cases: [string, string | null][] = [
      ['1.19.0', 'chart requires kubeVersion: >=1.20.0-0 which is incompatible with Kubernetes v1.19.0'],
      ['v1.19.9', 'chart requires kubeVersion: >=1.20.0-0 which is incompatible with Kubernetes v1.19.9'],
      ['1.20.0', null],
      ['1.35.0', null],
    ];
    it.each(cases)('--kube-version %s', async (kubeVersion, message) => {
      const rendering = template({ kubeVersion });
      if (message === null) await expect(rendering).resolves.toBeDefined();
      else await expect(rendering).rejects.toThrow(new ChartInvalidError(message));
    });
  });

  describe('NOTES.txt', () => {
    it('is rendered into the result, never into the manifests', async () => {
      const r = await template();
      expect(r.rendered.notes).toBe('Parent notes: rel in default\n');
      expect(r.output).not.toContain('Parent notes');
      expect([...r.rendered.files.keys()].some((k) => k.endsWith('NOTES.txt'))).toBe(false);
    });

    // Subchart notes come first (Helm joins them in map order, which is random).
    const cases: [string, boolean, PlainObject, string][] = [
      ['root only by default', false, {}, 'Parent notes: rel in default\n'],
      [
        'subchart notes with renderSubchartNotes',
        true,
        {},
        'Sub notes: red\n\nParent notes: rel in default\n',
      ],
      [
        'not those of a disabled subchart',
        true,
        { sub: { enabled: false } },
        'Parent notes: rel in default\n',
      ],
    ];
    it.each(cases)('renderRelease: %s', async (_label, renderSubchartNotes, userValues, expected) => {
      const chart = await loadChart(path.join(dir, 'par'));
      const r = await renderRelease({
        chart,
        userValues,
        release: RELEASE,
        capabilities: makeCapabilities(),
        renderSubchartNotes,
      });
      expect(r.notes).toBe(expected);
    });
  });

  describe('renderChart', () => {
    it('returns every rendered template (hooks included) and no partials, NOTES or library templates', async () => {
      const processed = processDependencies(await loadChart(path.join(dir, 'par')));
      const result = renderChart(processed.chart, processed.values, {
        release: RELEASE,
        capabilities: makeCapabilities(),
        scopeValues,
      });
      expect([...result.files.keys()].sort()).toEqual([ANOTHER, OTHER, SUB, CM, FILES, TEST_POD].sort());
      expect(result.notes).toBe('Parent notes: rel in default\n');
    });
  });

  describe('crds/ with includeCrds', () => {
    it('prints CRD files first, root chart before subcharts, never templated', async () => {
      const r = await template({ includeCrds: true });
      expect(sources(r)).toEqual(['par/crds/crd.yaml', 'par/charts/sub/crds/gadget.yaml', ...ALL_SOURCES]);
      expect(r.documents[0]!.content).toBe(PAR_CRD);
      expect(r.output).toContain('raw: "{{ .Values.x }}{{Values.x}}"');
    });

    it('leaves them out by default and with their chart disabled', async () => {
      expect(sources(await template()).some((s) => s.includes('/crds/'))).toBe(false);
      const r = await template({ includeCrds: true, values: { set: ['sub.enabled=false'] } });
      expect(sources(r).filter((s) => s.includes('/crds/'))).toEqual(['par/crds/crd.yaml']);
    });
  });

  describe('hooks', () => {
    it('prints test hooks after the manifests', async () => {
      const r = await template();
      expect(sources(r).at(-1)).toBe(TEST_POD);
      expect(r.rendered.hooks.map((h) => [h.path, h.events])).toEqual([[TEST_POD, ['test']]]);
      expect(r.rendered.manifests.some((m) => m.path === TEST_POD)).toBe(false);
    });

    it('skipTests drops them', async () => {
      const r = await template({ skipTests: true });
      expect(sources(r)).toEqual(ALL_SOURCES.slice(0, -1));
      expect(r.output).not.toContain('rel-test');
    });
  });

  describe('--show-only', () => {
    const cases: [string[], TemplateOptions, string[]][] = [
      [['templates/cm.yaml'], {}, [CM]],
      [['templates/files.yaml'], {}, [FILES, FILES]],
      [['charts/sub/templates/s.yaml'], {}, [SUB]],
      [['charts/*/templates/*.yaml'], {}, [ANOTHER, OTHER, SUB]],
      [['charts/another/templates/o.yaml'], {}, [ANOTHER]],
      [['templates/tests/*'], {}, [TEST_POD]],
      [['templates/*.yaml'], {}, [FILES, CM, FILES]],
      [['crds/crd.yaml'], { includeCrds: true }, ['par/crds/crd.yaml']],
      [['charts/sub/crds/*'], { includeCrds: true }, ['par/charts/sub/crds/gadget.yaml']],
      [['templates\\cm.yaml'], {}, [CM]], // Windows separators are accepted
    ];
    it.each(cases)('%j', async (showOnly, options, expected) => {
      expect(sources(await template({ ...options, showOnly }))).toEqual(expected);
    });

    const errors: [string[], TemplateOptions, string][] = [
      [['templates/nope.yaml'], {}, 'could not find template templates/nope.yaml in chart'],
      [['templates/cm.yaml', 'charts/x/*'], {}, 'could not find template charts/x/* in chart'],
      [['par/templates/cm.yaml'], {}, 'could not find template par/templates/cm.yaml in chart'],
      [['templates/NOTES.txt'], {}, 'could not find template templates/NOTES.txt in chart'],
      [['templates/_helpers.tpl'], {}, 'could not find template templates/_helpers.tpl in chart'],
      [['charts/lib/templates/cm.yaml'], {}, 'could not find template charts/lib/templates/cm.yaml in chart'],
      [
        ['charts/sub/templates/s.yaml'],
        { values: { set: ['sub.enabled=false'] } },
        'could not find template charts/sub/templates/s.yaml in chart',
      ],
      [
        ['templates/tests/test-pod.yaml'],
        { skipTests: true },
        'could not find template templates/tests/test-pod.yaml in chart',
      ],
      [['crds/crd.yaml'], {}, 'could not find template crds/crd.yaml in chart'],
    ];
    it.each(errors)('%j fails', async (showOnly, options, message) => {
      await expect(template({ ...options, showOnly })).rejects.toThrow(new InvalidArgumentError(message));
    });
  });

  describe('determinism', () => {
    const RANDOM = `apiVersion: v1
kind: ConfigMap
metadata:
  name: random
data:
  alnum: {{randAlphaNum 16}}
  uuid: {{uuidv4}}
  now: {{quote (now)}}
  day: {{date "2006-01-02" (now)}}
`;
    let randomDir: string;
    beforeAll(async () => {
      randomDir = tempDir();
      await writeTree(randomDir, 'handlebars', { 'templates/random.yaml': RANDOM });
    });
    const render = (options: TemplateOptions = {}) =>
      new TemplateAction({ releaseName: 'rel', cwd: randomDir, ...options }).run('par');

    it('two runs print the same text, random functions and clock included', async () => {
      const [a, b] = [await render(), await render()];
      expect(a.output).toBe(b.output);
      const random = dataOf(a, 'par/templates/random.yaml');
      expect(random['alnum']).toMatch(/^[A-Za-z0-9]{16}$/);
      expect(random['uuid']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(random['now']).toBe('1970-01-01 00:00:00 +0000 UTC');
      expect(random['day']).toBe('1970-01-01');
      // the rest is the default output plus this one document
      const others = a.output
        .split(/(?=^---\n# Source: )/m)
        .filter((doc) => !doc.startsWith('---\n# Source: par/templates/random.yaml\n'));
      expect(others.join('')).toBe(DEFAULT_OUTPUT);
    });

    it('the seed and the clock are options', async () => {
      const at = new Date('2024-05-06T07:08:09Z');
      const seeded = (seed: number) => render({ functions: { seed, now: () => at } });
      const [a, b, c] = [await seeded(7), await seeded(7), await seeded(8)];
      expect(a.output).toBe(b.output);
      const [ra, rc] = [dataOf(a, 'par/templates/random.yaml'), dataOf(c, 'par/templates/random.yaml')];
      expect(ra['alnum']).not.toBe(rc['alnum']);
      expect(ra['uuid']).not.toBe(rc['uuid']);
      expect(ra['now']).toBe('2024-05-06 07:08:09 +0000 UTC');
      expect(ra['day']).toBe('2024-05-06');
    });
  });
});

// ---------------------------------------------------------------------------------------------
// The Go-template twin through the real helm.

const tools = realTools() as { helm: string } | undefined;

function helm(args: string[], cwd: string): { code: number; out: string; err: string } {
  if (!tools) throw new Error('the real helm is not available: run npm install (devDependencies)');
  const home = tempDir('bosun-helm-home-');
  try {
    const out = execFileSync(tools.helm, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, HELM_CACHE_HOME: home, HELM_CONFIG_HOME: home, HELM_DATA_HOME: home },
    });
    return { code: 0, out, err: '' };
  } catch (e) {
    const err = e as { status: number; stdout: string; stderr: string };
    return { code: err.status, out: err.stdout, err: err.stderr };
  }
}

async function bosunCli(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIO({ cwd });
  const code = await run(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('parity with the real helm on the Go-template twin', () => {
  let goDir: string;
  beforeAll(async () => {
    goDir = tempDir();
    await writeTree(goDir, 'go');
  });

  it('the real helm is available for comparison', () => {
    expect(tools).toBeDefined();
  });

  it('helm prints the expected default output', () => {
    expect(helm(['template', 'rel', 'par'], goDir).out).toBe(DEFAULT_OUTPUT);
  });

  const identical: string[][] = [
    [],
    ['--kube-version', '1.29.3', '--api-versions', 'example.com/v1'],
    ['-n', 'ns', '--is-upgrade'],
    ['--skip-tests'],
    ['--set', 'sub.enabled=false'],
    ['--set', 'tags.extra=false'],
    ['--set', 'another.enabled=false,sub.color=blue'],
    ['--set', 'tags.extra=false,other.enabled=true'],
    ['--set', 'tags.extra=true,other.enabled=false'],
    ['--set', 'global.region=ap,sub.global.region=x,global.shared.c=user'],
    ['--show-only', 'charts/*/templates/*.yaml'],
    ['--show-only', 'templates/tests/*'],
    ['--show-only', 'templates/files.yaml'],
    ['--include-crds', '--show-only', 'crds/crd.yaml'],
  ];
  it.each(identical.map((flags) => [flags]))('same text %j', async (flags) => {
    const ours = await bosunCli(['template', 'rel', 'par', ...flags], dir);
    const theirs = helm(['template', 'rel', 'par', ...flags], goDir);
    expect(theirs.code).toBe(0);
    expect(ours).toEqual({ code: 0, out: theirs.out, err: '' });
  });

  it('same objects in the same order with --include-crds', async () => {
    // helm prints each CRD file verbatim (its final newline adds a blank line); bosun trims it
    const ours = await bosunCli(['template', 'rel', 'par', '--include-crds'], dir);
    const theirs = helm(['template', 'rel', 'par', '--include-crds'], goDir);
    const objects = (text: string) => {
      const docs = text.split(/^---\n/m).filter((d) => d.trim() !== '');
      return docs.map((d) => [d.split('\n')[0], parseYamlStream(d, 'out')[0]]);
    };
    expect(ours.code).toBe(0);
    expect(objects(ours.out)).toEqual(objects(theirs.out));
    expect(
      objects(ours.out)
        .slice(0, 2)
        .map(([s]) => s),
    ).toEqual(['# Source: par/crds/crd.yaml', '# Source: par/charts/sub/crds/gadget.yaml']);
  });

  const failing: [string[], string][] = [
    [
      ['--kube-version', '1.19.0'],
      'Error: chart requires kubeVersion: >=1.20.0-0 which is incompatible with Kubernetes v1.19.0',
    ],
    [['--show-only', 'templates/nope.yaml'], 'Error: could not find template templates/nope.yaml in chart'],
    [
      ['--show-only', 'charts/sub/templates/s.yaml', '--set', 'sub.enabled=false'],
      'Error: could not find template charts/sub/templates/s.yaml in chart',
    ],
    [['--show-only', 'templates/NOTES.txt'], 'Error: could not find template templates/NOTES.txt in chart'],
    [
      ['--show-only', 'templates/_helpers.tpl'],
      'Error: could not find template templates/_helpers.tpl in chart',
    ],
    [
      ['--show-only', 'charts/lib/templates/cm.yaml'],
      'Error: could not find template charts/lib/templates/cm.yaml in chart',
    ],
    [
      ['--skip-tests', '--show-only', 'templates/tests/test-pod.yaml'],
      'Error: could not find template templates/tests/test-pod.yaml in chart',
    ],
    [['--show-only', 'crds/crd.yaml'], 'Error: could not find template crds/crd.yaml in chart'],
  ];
  it.each(failing)('same error %j', async (flags, line) => {
    const ours = await bosunCli(['template', 'rel', 'par', ...flags], dir);
    const theirs = helm(['template', 'rel', 'par', ...flags], goDir);
    expect(theirs.code).not.toBe(0);
    expect(theirs.err.split('\n')[0]).toBe(line);
    expect(ours).toEqual({ code: 1, out: '', err: `${line}\n` });
  });

  it('a library chart as the root fails in both', async () => {
    const d = tempDir();
    const files = { 'Chart.yaml': 'apiVersion: v2\nname: onlylib\nversion: 0.1.0\ntype: library\n' };
    writeChart(d, { name: 'onlylib', files });
    const theirs = helm(['template', 'onlylib'], d);
    const ours = await bosunCli(['template', 'onlylib'], d);
    expect(theirs.err.split('\n')[0]).toBe('Error: library charts are not installable');
    expect(ours).toEqual({ code: 1, out: '', err: 'Error: library charts are not installable\n' });
  });

  it('the twins differ only in their templates and values', () => {
    const read = (root: string, rel: string) => readFileSync(path.join(root, 'par', rel), 'utf8');
    expect(read(dir, 'Chart.yaml')).toBe(read(goDir, 'Chart.yaml'));
    expect(read(dir, 'crds/crd.yaml')).toBe(read(goDir, 'crds/crd.yaml'));
  });
});

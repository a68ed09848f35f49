/**
 * A chart tree that exercises the whole chart engine, written twice: in bosun's Handlebars
 * dialect and as a Go-template twin for the real helm. Both render the same text.
 *
 * par/                      root (kubeVersion >=1.20.0-0)
 *   charts/sub/             directory subchart (condition sub.enabled, import-values)
 *   charts/lib/             library chart (defines only)
 *   charts/other-0.1.0.tgz  archive subchart, declared twice: `other` (tags: [extra], and
 *                           condition other.enabled, which values leave unset) and aliased
 *                           `another` (condition another.enabled)
 */

import path from 'node:path';
import { writeArchiveChart, writeFiles } from '../helpers/chart-builder.js';

/** The template language a copy of the tree is written in. */
export type Dialect = 'handlebars' | 'go';

type Files = Record<string, string>;
type Twin = { readonly handlebars: string; readonly go: string };

const PAR_CHART = `apiVersion: v2
name: par
description: The parent chart
version: 1.2.3
appVersion: "9.9"
kubeVersion: ">=1.20.0-0"
keywords:
  - alpha
  - beta
dependencies:
  - name: sub
    version: 0.1.0
    condition: sub.enabled
    import-values:
      - data
      - child: config
        parent: fromchild
  - name: other
    version: 0.1.0
    condition: other.enabled
    tags:
      - extra
  - name: other
    alias: another
    version: 0.1.0
    condition: another.enabled
  - name: lib
    version: 0.1.0
`;

const parValues = (snippet: string) => `global:
  region: eu
  shared:
    a: parent
sub:
  enabled: true
  color: red
another:
  enabled: true
  greeting: hi
tags:
  extra: true
snippet: '${snippet}'
`;

/** Not templated by either tool: the text is printed as it is. */
export const PAR_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
  labels:
    raw: "{{ .Values.x }}{{Values.x}}"
spec:
  group: example.com
  names:
    kind: Widget
    plural: widgets
  scope: Namespaced
`;

const SUB_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.example.com
`;

const PAR: Record<string, Twin> = {
  'values.yaml': {
    handlebars: parValues('{{Release.Name}}-{{Values.sub.color}}'),
    go: parValues('{{ .Release.Name }}-{{ .Values.sub.color }}'),
  },
  'templates/_helpers.tpl': {
    handlebars: `{{#define "common.name"}}parent-common{{/define}}
{{#define "par.labels"}}
app: {{Chart.Name}}
release: {{Release.Name}}
{{~/define}}
`,
    go: `{{- define "common.name" }}parent-common{{ end }}
{{- define "par.labels" -}}
app: {{ .Chart.Name }}
release: {{ .Release.Name }}
{{- end }}
`,
  },
  'templates/_a.tpl': {
    handlebars: '{{#define "par.dup"}}from-a{{/define}}\n',
    go: '{{ define "par.dup" }}from-a{{ end }}\n',
  },
  'templates/_b.tpl': {
    handlebars: '{{#define "par.dup"}}from-b{{/define}}\n',
    go: '{{ define "par.dup" }}from-b{{ end }}\n',
  },
  'templates/cm.yaml': {
    handlebars: `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{Release.Name}}-par
  labels:
    {{~nindent 4 (include "par.labels" this)}}
data:
  common: {{include "common.name" this}}
  dup: {{include "par.dup" this}}
  partial: "{{> par.dup}}"
{{#if Values.sub.enabled}}
  subOnly: {{include "sub.only" this}}
  subchartColor: {{quote Subcharts.sub.Values.color}}
  subchartName: {{quote Subcharts.sub.Chart.Name}}
{{/if}}
  libLabel: {{include "lib.label" this}}
  tpl: {{quote (tpl Values.snippet this)}}
  global: {{quote (toJson Values.global)}}
  subValues: {{quote (toJson Values.sub)}}
  otherValues: {{quote (toJson Values.other)}}
  anotherValues: {{quote (toJson Values.another)}}
  imported: {{quote (toJson Values.fromchild)}}
  d1: {{quote Values.d1}}
  subcharts: {{quote (join "," (sortAlpha (keys Subcharts)))}}
  release: "{{Release.Name}} {{Release.Namespace}} {{Release.Revision}} {{Release.IsInstall}} {{Release.IsUpgrade}} {{Release.Service}}"
  chart: "{{Chart.Name}} {{Chart.Version}} {{Chart.AppVersion}} {{Chart.APIVersion}} {{Chart.Description}} {{Chart.KubeVersion}} {{Chart.IsRoot}}"
  keywords: {{quote (join "," Chart.Keywords)}}
  kube: "{{Capabilities.KubeVersion.Version}} {{Capabilities.KubeVersion.GitVersion}} {{Capabilities.KubeVersion.Major}} {{Capabilities.KubeVersion.Minor}}"
  hasApps: "{{Capabilities.APIVersions.Has "apps/v1"}}"
  hasExample: "{{Capabilities.APIVersions.Has "example.com/v1"}}"
  template: "{{Template.Name}} {{Template.BasePath}}"
`,
    go: `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-par
  labels:
    {{- include "par.labels" . | nindent 4 }}
data:
  common: {{ include "common.name" . }}
  dup: {{ include "par.dup" . }}
  partial: "{{ template "par.dup" . }}"
{{- if .Values.sub.enabled }}
  subOnly: {{ include "sub.only" . }}
  subchartColor: {{ quote .Subcharts.sub.Values.color }}
  subchartName: {{ quote .Subcharts.sub.Chart.Name }}
{{- end }}
  libLabel: {{ include "lib.label" . }}
  tpl: {{ tpl .Values.snippet . | quote }}
  global: {{ toJson .Values.global | quote }}
  subValues: {{ toJson .Values.sub | quote }}
  otherValues: {{ toJson .Values.other | quote }}
  anotherValues: {{ toJson .Values.another | quote }}
  imported: {{ toJson .Values.fromchild | quote }}
  d1: {{ quote .Values.d1 }}
  subcharts: {{ keys .Subcharts | sortAlpha | join "," | quote }}
  release: "{{ .Release.Name }} {{ .Release.Namespace }} {{ .Release.Revision }} {{ .Release.IsInstall }} {{ .Release.IsUpgrade }} {{ .Release.Service }}"
  chart: "{{ .Chart.Name }} {{ .Chart.Version }} {{ .Chart.AppVersion }} {{ .Chart.APIVersion }} {{ .Chart.Description }} {{ .Chart.KubeVersion }} {{ .Chart.IsRoot }}"
  keywords: {{ join "," .Chart.Keywords | quote }}
  kube: "{{ .Capabilities.KubeVersion.Version }} {{ .Capabilities.KubeVersion.GitVersion }} {{ .Capabilities.KubeVersion.Major }} {{ .Capabilities.KubeVersion.Minor }}"
  hasApps: "{{ .Capabilities.APIVersions.Has "apps/v1" }}"
  hasExample: "{{ .Capabilities.APIVersions.Has "example.com/v1" }}"
  template: "{{ .Template.Name }} {{ .Template.BasePath }}"
`,
  },
  'templates/files.yaml': {
    handlebars: `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{Release.Name}}-files
data:
  get: {{quote (Files.Get "files/a.txt")}}
  passwd: {{quote (Files.Get "../../etc/passwd")}}
  dotdot: {{quote (Files.Get "files/../files/a.txt")}}
  chartYaml: {{quote (Files.Get "Chart.yaml")}}
  valuesYaml: {{quote (Files.Get "values.yaml")}}
  template: {{quote (Files.Get "templates/cm.yaml")}}
  subFile: {{quote (Files.Get "sub.txt")}}
  lines: {{quote (toJson (Files.Lines "files/lines.txt"))}}
  glob: "{{#each (Files.Glob "files/*.txt") as |v k|}}{{k}},{{/each}}"
  globAll: "{{#each (Files.Glob "**.txt") as |v k|}}{{k}},{{/each}}"
  {{~nindent 2 (Files.AsConfig (Files.Glob "config/*"))}}
---
apiVersion: v1
kind: Secret
metadata:
  name: {{Release.Name}}-files
data:
  {{~nindent 2 (Files.AsSecrets (Files.Glob "config/*"))}}
`,
    go: `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-files
data:
  get: {{ .Files.Get "files/a.txt" | quote }}
  passwd: {{ .Files.Get "../../etc/passwd" | quote }}
  dotdot: {{ .Files.Get "files/../files/a.txt" | quote }}
  chartYaml: {{ .Files.Get "Chart.yaml" | quote }}
  valuesYaml: {{ .Files.Get "values.yaml" | quote }}
  template: {{ .Files.Get "templates/cm.yaml" | quote }}
  subFile: {{ .Files.Get "sub.txt" | quote }}
  lines: {{ .Files.Lines "files/lines.txt" | toJson | quote }}
  glob: "{{ range $k, $v := .Files.Glob "files/*.txt" }}{{ $k }},{{ end }}"
  globAll: "{{ range $k, $v := .Files.Glob "**.txt" }}{{ $k }},{{ end }}"
  {{- (.Files.Glob "config/*").AsConfig | nindent 2 }}
---
apiVersion: v1
kind: Secret
metadata:
  name: {{ .Release.Name }}-files
data:
  {{- (.Files.Glob "config/*").AsSecrets | nindent 2 }}
`,
  },
  'templates/tests/test-pod.yaml': {
    handlebars: `apiVersion: v1
kind: Pod
metadata:
  name: {{Release.Name}}-test
  annotations:
    helm.sh/hook: test
spec:
  containers:
    - name: t
      image: busybox
`,
    go: `apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}-test
  annotations:
    helm.sh/hook: test
spec:
  containers:
    - name: t
      image: busybox
`,
  },
  'templates/NOTES.txt': {
    handlebars: 'Parent notes: {{Release.Name}} in {{Release.Namespace}}\n',
    go: 'Parent notes: {{ .Release.Name }} in {{ .Release.Namespace }}\n',
  },
};

const PAR_PLAIN: Files = {
  'Chart.yaml': PAR_CHART,
  'crds/crd.yaml': PAR_CRD,
  'files/a.txt': 'file a\n',
  'files/b.txt': 'file b',
  'files/lines.txt': 'one\ntwo\nthree\n',
  'config/app.ini': '[app]\nname = par\n',
  'config/db.conf': 'host=db\n',
};

const SUB: Record<string, Twin> = {
  'templates/_helpers.tpl': {
    handlebars: `{{#define "common.name"}}sub-common{{/define}}
{{#define "sub.only"}}sub-only:{{Chart.Name}}{{/define}}
`,
    go: `{{- define "common.name" }}sub-common{{ end }}
{{- define "sub.only" }}sub-only:{{ .Chart.Name }}{{ end }}
`,
  },
  'templates/s.yaml': {
    handlebars: `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{Release.Name}}-sub
data:
  color: {{Values.color}}
  size: {{Values.size}}
  enabled: "{{Values.enabled}}"
  global: {{quote (toJson Values.global)}}
  common: {{include "common.name" this}}
  chart: "{{Chart.Name}} {{Chart.Version}} {{Chart.IsRoot}}"
  template: "{{Template.Name}} {{Template.BasePath}}"
  file: {{quote (Files.Get "sub.txt")}}
  parentFile: {{quote (Files.Get "files/a.txt")}}
`,
    go: `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-sub
data:
  color: {{ .Values.color }}
  size: {{ .Values.size }}
  enabled: "{{ .Values.enabled }}"
  global: {{ toJson .Values.global | quote }}
  common: {{ include "common.name" . }}
  chart: "{{ .Chart.Name }} {{ .Chart.Version }} {{ .Chart.IsRoot }}"
  template: "{{ .Template.Name }} {{ .Template.BasePath }}"
  file: {{ .Files.Get "sub.txt" | quote }}
  parentFile: {{ .Files.Get "files/a.txt" | quote }}
`,
  },
  'templates/NOTES.txt': {
    handlebars: 'Sub notes: {{Values.color}}\n',
    go: 'Sub notes: {{ .Values.color }}\n',
  },
};

const SUB_PLAIN: Files = {
  'Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 0.1.0\n',
  'values.yaml': `color: green
size: small
global:
  region: us
  subonly: x
  shared:
    b: sub
exports:
  data:
    d1: fromexports
config:
  c1: fromchild
`,
  'sub.txt': 'sub file\n',
  'crds/gadget.yaml': SUB_CRD,
};

const LIB: Record<string, Twin> = {
  'templates/_lib.tpl': {
    handlebars: '{{#define "lib.label"}}lib:{{Chart.Name}}{{/define}}\n',
    go: '{{ define "lib.label" }}lib:{{ .Chart.Name }}{{ end }}\n',
  },
  'templates/cm.yaml': {
    handlebars: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{Release.Name}}-lib\n',
    go: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-lib\n',
  },
};

const LIB_PLAIN: Files = {
  'Chart.yaml': 'apiVersion: v2\nname: lib\nversion: 0.1.0\ntype: library\n',
};

const OTHER: Record<string, Twin> = {
  'templates/o.yaml': {
    handlebars: `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{Release.Name}}-{{Chart.Name}}
data:
  greeting: {{Values.greeting}}
  region: {{Values.global.region}}
  chart: "{{Chart.Name}} {{Chart.IsRoot}}"
  template: "{{Template.Name}} {{Template.BasePath}}"
`,
    go: `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-{{ .Chart.Name }}
data:
  greeting: {{ .Values.greeting }}
  region: {{ .Values.global.region }}
  chart: "{{ .Chart.Name }} {{ .Chart.IsRoot }}"
  template: "{{ .Template.Name }} {{ .Template.BasePath }}"
`,
  },
};

const OTHER_PLAIN: Files = {
  'Chart.yaml': 'apiVersion: v2\nname: other\nversion: 0.1.0\n',
  'values.yaml': 'greeting: hello\n',
};

function pick(twins: Record<string, Twin>, dialect: Dialect): Files {
  return Object.fromEntries(Object.entries(twins).map(([name, twin]) => [name, twin[dialect]]));
}

/** The files of each chart of the tree, in one dialect. */
export function treeFiles(dialect: Dialect): { par: Files; sub: Files; lib: Files; other: Files } {
  return {
    par: { ...PAR_PLAIN, ...pick(PAR, dialect) },
    sub: { ...SUB_PLAIN, ...pick(SUB, dialect) },
    lib: { ...LIB_PLAIN, ...pick(LIB, dialect) },
    other: { ...OTHER_PLAIN, ...pick(OTHER, dialect) },
  };
}

/**
 * Writes the tree under `dir/par` (sub and lib as directories, other as an archive) and returns
 * the chart's path. `extra` adds or replaces files of the root chart.
 */
export async function writeTree(dir: string, dialect: Dialect, extra: Files = {}): Promise<string> {
  const files = treeFiles(dialect);
  const root = path.join(dir, 'par');
  writeFiles(root, { ...files.par, ...extra });
  writeFiles(path.join(root, 'charts/sub'), files.sub);
  writeFiles(path.join(root, 'charts/lib'), files.lib);
  await writeArchiveChart(path.join(root, 'charts/other-0.1.0.tgz'), 'other', files.other);
  return root;
}

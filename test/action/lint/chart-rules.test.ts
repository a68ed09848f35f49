import { describe, expect, it } from 'vitest';
import { lintCrds } from '../../../src/action/lint/crd-rules.js';
import { lintDependencies } from '../../../src/action/lint/dependency-rules.js';
import type { LintMessage } from '../../../src/action/lint/support.js';
import type { LoadedChart } from '../../../src/action/lint/target.js';
import { lintValues } from '../../../src/action/lint/values-rules.js';
import type { PlainObject } from '../../../src/internal/objects.js';
import { chartModel, expectLinesStartWith, memoryTarget } from './lint-fixtures.js';

function show(m: LintMessage): string {
  return `[${m.severity}] ${m.path}: ${m.message}`;
}

describe('lintDependencies', () => {
  const sub = (name: string) => chartModel(name);
  it.each<[string, PlainObject, LoadedChart, string[]]>([
    [
      'declared and present',
      { apiVersion: 'v2', dependencies: [{ name: 'a' }] },
      { chart: chartModel('mychart', { dependencies: [sub('a')] }) },
      [],
    ],
    [
      'a subchart in charts/ that Chart.yaml does not declare is an ERROR',
      { apiVersion: 'v2' },
      { chart: chartModel('mychart', { dependencies: [sub('a'), sub('b')] }) },
      ['[ERROR] mychart: chart metadata is missing these dependencies: a,b'],
    ],
    [
      'a declared dependency missing from charts/ is a WARNING',
      { apiVersion: 'v2', dependencies: [{ name: 'a' }, { name: 'b', alias: 'bee' }] },
      { chart: chartModel('mychart', { dependencies: [sub('a')] }) },
      ['[WARNING] mychart: chart directory is missing these dependencies: b'],
    ],
    [
      'two dependencies with the same alias are an ERROR',
      {
        apiVersion: 'v2',
        dependencies: [
          { name: 'a', alias: 'x' },
          { name: 'b', alias: 'x' },
        ],
      },
      { chart: chartModel('mychart', { dependencies: [sub('a'), sub('b')] }) },
      ['[ERROR] mychart: multiple dependencies with name or alias: x'],
    ],
    [
      'duplicates are reported even when the chart does not load',
      { apiVersion: 'v2', dependencies: [{ name: 'a' }, { name: 'a' }] },
      { error: 'mychart/Chart.yaml: validation: more than one dependency with name or alias "a"' },
      [
        '[ERROR] : unable to load chart\n\tmychart/Chart.yaml: validation: more than one dependency with name or alias "a"',
        '[ERROR] mychart: multiple dependencies with name or alias: a',
      ],
    ],
  ])('%s', (_name, raw, loaded, expected) => {
    expect(lintDependencies(memoryTarget({}), raw, loaded).map(show)).toEqual(expected);
  });

  it('reads an apiVersion v1 chart’s requirements.yaml', () => {
    const target = memoryTarget({ 'requirements.yaml': 'dependencies:\n  - name: a\n' });
    const loaded = { chart: chartModel('mychart', { dependencies: [sub('a')] }) };
    expect(lintDependencies(target, { apiVersion: 'v1' }, loaded)).toEqual([]);
  });
});

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
`;

describe('lintCrds', () => {
  const withCrds = (files: Record<string, string>): LoadedChart => ({
    chart: chartModel('mychart', { files }),
  });
  it.each<[string, Record<string, string>, LoadedChart, string[]]>([
    ['no crds/ is fine', {}, withCrds({}), []],
    ['a valid CRD passes', { 'crds/w.yaml': CRD }, withCrds({ 'crds/w.yaml': CRD }), []],
    ['crds/ must be a directory', { crds: '' }, withCrds({}), ['[ERROR] crds/: not a directory']],
    [
      'the chart must load',
      { 'crds/w.yaml': CRD },
      { error: 'mychart/Chart.yaml: bad' },
      ['[ERROR] crds/: mychart/Chart.yaml: bad'],
    ],
    [
      'every document is a CustomResourceDefinition in apiextensions.k8s.io',
      { 'crds/w.yaml': '' },
      withCrds({ 'crds/w.yaml': `${CRD}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n` }),
      [
        "[ERROR] crds/w.yaml: apiVersion is not in 'apiextensions.k8s.io'",
        "[ERROR] crds/w.yaml: object kind is not 'CustomResourceDefinition'",
      ],
    ],
    [
      'a template in crds/ does not parse',
      { 'crds/w.yaml': '' },
      withCrds({
        'crds/w.yaml': '{{- if .Values.crds }}\napiVersion: v1\n{{- end }}\n',
        'crds/z.yaml': 'kind: x\n',
      }),
      ['[ERROR] crds/w.yaml: unable to parse YAML: line 1: '],
    ],
    [
      'subcharts’ CRDs are checked too',
      { 'crds/w.yaml': '' },
      {
        chart: chartModel('mychart', {
          dependencies: [chartModel('sub', { files: { 'crds/s.yml': 'kind: Foo\n' } })],
        }),
      },
      [
        "[ERROR] crds/s.yml: apiVersion is not in 'apiextensions.k8s.io'",
        "[ERROR] crds/s.yml: object kind is not 'CustomResourceDefinition'",
      ],
    ],
  ])('%s', (_name, files, loaded, expected) => {
    const got = lintCrds(memoryTarget(files), loaded).map(show);
    expectLinesStartWith(got, expected);
  });
});

const SCHEMA = JSON.stringify({
  type: 'object',
  properties: { replicas: { type: 'integer', minimum: 1 } },
});

describe('lintValues', () => {
  it.each<[string, Record<string, string>, PlainObject, boolean, string[]]>([
    ['valid values pass', { 'values.yaml': 'replicas: 2\n', 'values.schema.json': SCHEMA }, {}, false, []],
    ['a missing values.yaml is INFO', {}, {}, false, ['[INFO] values.yaml: file does not exist']],
    [
      'values.yaml must parse',
      { 'values.yaml': 'a: [\n' },
      {},
      false,
      ['[ERROR] values.yaml: unable to parse YAML: line '],
    ],
    [
      'values.yaml must be a map',
      { 'values.yaml': '- a\n' },
      {},
      false,
      ['[ERROR] values.yaml: unable to parse YAML: values must be a map, got a list'],
    ],
    [
      'the defaults must meet the schema',
      { 'values.yaml': 'replicas: 0\n', 'values.schema.json': SCHEMA },
      {},
      false,
      [
        "[ERROR] values.yaml: values don't meet the specifications of the schema(s) in the following chart(s):\nmychart:\n- at '/replicas': ",
      ],
    ],
    [
      'user overrides are validated over the defaults',
      { 'values.yaml': 'replicas: 2\n', 'values.schema.json': SCHEMA },
      { replicas: 'three' },
      false,
      [
        "[ERROR] values.yaml: values don't meet the specifications of the schema(s) in the following chart(s):\nmychart:\n- at '/replicas': ",
      ],
    ],
    [
      'user overrides can fix the defaults',
      { 'values.yaml': 'replicas: 0\n', 'values.schema.json': SCHEMA },
      { replicas: 3 },
      false,
      [],
    ],
    [
      'skipSchemaValidation skips the schema',
      { 'values.yaml': 'replicas: 0\n', 'values.schema.json': SCHEMA },
      {},
      true,
      [],
    ],
  ])('%s', async (_name, files, userValues, skipSchemaValidation, expected) => {
    const got = (
      await lintValues(memoryTarget(files), {
        userValues,
        chartName: 'mychart',
        skipSchemaValidation,
      })
    ).map(show);
    expectLinesStartWith(got, expected);
  });
});

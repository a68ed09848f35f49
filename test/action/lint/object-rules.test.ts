import { describe, expect, it } from 'vitest';
import { API_LIFECYCLES, deprecationWarning } from '../../../src/action/lint/deprecations.js';
import { metadataNameProblem } from '../../../src/action/lint/names.js';
import { decodeDocuments } from '../../../src/action/lint/support.js';
import { extensionOf, topIndentProblem } from '../../../src/action/lint/template-rules.js';

describe('deprecationWarning', () => {
  it.each<[string, string, [number, number], string | undefined]>([
    [
      'extensions/v1beta1',
      'Deployment',
      [1, 35],
      'extensions/v1beta1 Deployment is deprecated in v1.8+, unavailable in v1.16+; use apps/v1 Deployment',
    ],
    ['extensions/v1beta1', 'Deployment', [1, 7], undefined],
    [
      'extensions/v1beta1',
      'Ingress',
      [1, 14],
      'extensions/v1beta1 Ingress is deprecated in v1.14+, unavailable in v1.22+; use networking.k8s.io/v1 Ingress',
    ],
    ['extensions/v1beta1', 'Ingress', [1, 13], undefined],
    [
      'policy/v1beta1',
      'PodSecurityPolicy',
      [1, 25],
      'policy/v1beta1 PodSecurityPolicy is deprecated in v1.21+, unavailable in v1.25+',
    ],
    [
      'batch/v1beta1',
      'CronJob',
      [1, 21],
      'batch/v1beta1 CronJob is deprecated in v1.21+, unavailable in v1.25+; use batch/v1 CronJob',
    ],
    [
      'autoscaling/v2beta2',
      'HorizontalPodAutoscaler',
      [1, 30],
      'autoscaling/v2beta2 HorizontalPodAutoscaler is deprecated in v1.23+, unavailable in v1.26+; use autoscaling/v2 HorizontalPodAutoscaler',
    ],
    [
      'apps/v1beta2',
      'DeploymentList',
      [1, 20],
      'apps/v1beta2 DeploymentList is deprecated in v1.9+, unavailable in v1.16+; use apps/v1 DeploymentList',
    ],
    ['apps/v1', 'Deployment', [1, 35], undefined],
    ['v1', 'Service', [1, 35], undefined],
    ['example.com/v1beta1', 'Widget', [1, 35], undefined],
    ['extensions/v1beta1', 'ScaleList', [1, 35], undefined],
  ])('%s %s on %j', (apiVersion, kind, kube, expected) => {
    expect(deprecationWarning(apiVersion, kind, kube)).toBe(expected);
  });

  it('removal is never before deprecation in the table', () => {
    for (const e of API_LIFECYCLES) {
      if (e.removed)
        expect(e.removed[0] * 100 + e.removed[1]).toBeGreaterThan(e.deprecated[0] * 100 + e.deprecated[1]);
    }
  });
});

const SUBDOMAIN_RULE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

describe('metadataNameProblem', () => {
  it.each<[string, string, string | undefined]>([
    ['Deployment', 'web', undefined],
    ['ConfigMap', 'app.config-1', undefined],
    [
      'Deployment',
      'Bad_Name',
      `object name does not conform to Kubernetes naming requirements: "Bad_Name": metadata.name: Invalid value: "Bad_Name": ${SUBDOMAIN_RULE}`,
    ],
    [
      'ConfigMap',
      '',
      `object name does not conform to Kubernetes naming requirements: "": metadata.name: Invalid value: "": ${SUBDOMAIN_RULE}`,
    ],
    [
      'Service',
      '1web',
      `object name does not conform to Kubernetes naming requirements: "1web": metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    ],
    [
      'Namespace',
      'a.b',
      `object name does not conform to Kubernetes naming requirements: "a.b": metadata.name: Invalid value: "a.b": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    ],
    ['ClusterRole', 'system:Admin', undefined],
    [
      'Role',
      'a/b',
      `object name does not conform to Kubernetes naming requirements: "a/b": metadata.name: Invalid value: "a/b": may not contain '/'`,
    ],
    ['CertificateSigningRequest', 'Anything_Goes', undefined],
  ])('%s %j', (kind, name, expected) => {
    expect(metadataNameProblem(kind, name)).toBe(expected);
  });

  it('aggregates several problems', () => {
    const problem = metadataNameProblem('Service', 'A'.repeat(64));
    expect(problem).toContain(': [metadata.name: Invalid value: ');
    expect(problem).toContain('must be no more than 63 characters, metadata.name');
  });
});

describe('template document helpers', () => {
  it.each<[string, string | undefined]>([
    ['apiVersion: v1\n', undefined],
    ['\n\n# comment\nkind: x\n', undefined],
    [
      '\n  apiVersion: v1\n',
      'document starts with an illegal indent: "  apiVersion: v1", which may cause parsing problems',
    ],
    ['\tkind: x\n', 'document starts with an illegal indent: "\\tkind: x", which may cause parsing problems'],
  ])('indent of %j', (content, expected) => {
    expect(topIndentProblem(content)).toBe(expected);
  });

  it.each<[string, string]>([
    ['templates/a.yaml', '.yaml'],
    ['templates/notes.md', '.md'],
    ['templates/README', ''],
    ['templates/x.d/file', ''],
    ['templates/_helpers.tpl', '.tpl'],
  ])('extension of %s', (name, ext) => {
    expect(extensionOf(name)).toBe(ext);
  });

  it('decodes documents in order, with empty documents as null', () => {
    const docs = decodeDocuments('a: 1\n---\n# only a comment\n---\nb: 2\n', 't.yaml');
    expect(docs).toEqual([
      { ok: true, value: { a: 1 } },
      { ok: true, value: null },
      { ok: true, value: { b: 2 } },
    ]);
  });

  it('stops at the first document that does not parse', () => {
    const docs = decodeDocuments('a: 1\n---\nb: [\n---\nc: 3\n', 't.yaml');
    expect(docs).toHaveLength(2);
    expect(docs[1]).toMatchObject({ ok: false });
  });

  it.each<[string, string]>([
    ['- a\n- b\n', 'a Kubernetes object must be a map, got a list'],
    ['a: 1\n--- x\n', 'invalid Yaml document separator: x'],
  ])('rejects %j', (text, error) => {
    expect(decodeDocuments(text, 't.yaml').at(-1)).toEqual({ ok: false, error });
  });
});

/** `kubectl get -o yaml|json|name|custom-columns` of one object and of lists, and the `-o` flag. */

import { describe, expect, it } from 'vitest';
import {
  type KubeObject,
  parseCustomColumns,
  parseCustomColumnsFile,
  parseOutputFlag,
  printObjects,
  resourceName,
} from '../../../src/cluster/printing/index.js';
import { fixture, NOW } from './fixtures.js';

const sa = ['default', 'viewer'].map((n) => fixture('ServiceAccount', n, 'default', NOW));
const viewer = sa[1]!;

const SA_YAML_LIST = `apiVersion: v1
items:
- apiVersion: v1
  kind: ServiceAccount
  metadata:
    creationTimestamp: "2024-04-11T12:00:00Z"
    name: default
    namespace: default
    resourceVersion: "42"
    uid: uid-default
  secrets:
  - name: default-token-x7k2p
- apiVersion: v1
  kind: ServiceAccount
  metadata:
    creationTimestamp: "2024-05-01T11:55:00Z"
    name: viewer
    namespace: default
    resourceVersion: "42"
    uid: uid-viewer
kind: List
metadata:
  resourceVersion: ""
`;

const VIEWER_JSON = `{
    "apiVersion": "v1",
    "kind": "ServiceAccount",
    "metadata": {
        "creationTimestamp": "2024-05-01T11:55:00Z",
        "name": "viewer",
        "namespace": "default",
        "resourceVersion": "42",
        "uid": "uid-viewer"
    }
}
`;

describe('-o yaml and -o json', () => {
  it('prints a named object as itself, keys sorted', () => {
    expect(printObjects([viewer], { type: 'json' }, { singleItem: true }).stdout).toBe(VIEWER_JSON);
    expect(printObjects([viewer], { type: 'yaml' }, { singleItem: true }).stdout).toBe(`apiVersion: v1
kind: ServiceAccount
metadata:
  creationTimestamp: "2024-05-01T11:55:00Z"
  name: viewer
  namespace: default
  resourceVersion: "42"
  uid: uid-viewer
`);
  });

  it('prints a listing as a List, even of one object', () => {
    expect(printObjects(sa, { type: 'yaml' }).stdout).toBe(SA_YAML_LIST);
    expect(printObjects([viewer], { type: 'yaml' }).stdout).toContain('kind: List\n');
  });

  it('prints an empty listing as an empty List', () => {
    expect(printObjects([], { type: 'yaml' }).stdout).toBe(
      'apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: ""\n',
    );
    expect(printObjects([], { type: 'json' }).stdout).toBe(
      '{\n    "apiVersion": "v1",\n    "items": [],\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n',
    );
  });

  it('indents JSON by four spaces and escapes HTML characters as Go does', () => {
    const cm: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: { page: '<a href="x">&</a>' },
    };
    expect(printObjects([cm], { type: 'json' }, { singleItem: true }).stdout).toContain(
      '"page": "\\u003ca href=\\"x\\"\\u003e\\u0026\\u003c/a\\u003e"',
    );
  });

  it('omits managedFields unless asked to keep them', () => {
    const obj: KubeObject = {
      ...viewer,
      metadata: { ...(viewer.metadata as KubeObject), managedFields: [{ manager: 'kubectl' }] },
    };
    expect(printObjects([obj], { type: 'yaml' }, { singleItem: true }).stdout).not.toContain('managedFields');
    expect(
      printObjects([obj], { type: 'yaml' }, { singleItem: true, showManagedFields: true }).stdout,
    ).toContain('managedFields:\n  - manager: kubectl\n');
  });
});

describe('-o name', () => {
  it.each([
    ['Pod', 'v1', 'pod/x'],
    ['Deployment', 'apps/v1', 'deployment.apps/x'],
    ['HorizontalPodAutoscaler', 'autoscaling/v2', 'horizontalpodautoscaler.autoscaling/x'],
    ['Ingress', 'networking.k8s.io/v1', 'ingress.networking.k8s.io/x'],
  ])('%s %s → %s', (kind, apiVersion, name) => {
    expect(resourceName({ apiVersion, kind, metadata: { name: 'x' } })).toBe(name);
  });

  it('prints one line per object', () => {
    expect(printObjects(sa, { type: 'name' }).stdout).toBe('serviceaccount/default\nserviceaccount/viewer\n');
  });
});

describe('-o custom-columns', () => {
  it('accepts the four path spellings', () => {
    expect(parseCustomColumns('A:a.b,B:.a.b,C:{a.b},D:{.a.b}').map((c) => c.fieldSpec)).toEqual([
      '{.a.b}',
      '{.a.b}',
      '{.a.b}',
      '{.a.b}',
    ]);
  });

  it('joins several values with commas, prints maps as Go does, and <none> when nothing matches', () => {
    const pod: KubeObject = {
      metadata: { name: 'p', labels: { b: '2', a: '1' } },
      spec: { containers: [{ image: 'nginx' }, { image: 'redis' }] },
    };
    const columns = parseCustomColumns(
      'NAME:.metadata.name,IMAGES:.spec.containers[*].image,LABELS:.metadata.labels,X:.nope',
    );
    expect(printObjects([pod], { type: 'custom-columns', columns }).stdout).toBe(
      'NAME   IMAGES        LABELS         X\np      nginx,redis   map[a:1 b:2]   <none>\n',
    );
  });

  it('prints the header alone for an empty listing, nothing with --no-headers', () => {
    const columns = parseCustomColumns('NAME:.metadata.name');
    expect(printObjects([], { type: 'custom-columns', columns }).stdout).toBe('NAME\n');
    expect(printObjects([], { type: 'custom-columns', columns }, { noHeaders: true }).stdout).toBe('');
  });

  it('reads a columns file: headers on one line, paths on the next', () => {
    expect(parseCustomColumnsFile('NAME   IMAGE\n.metadata.name   {.spec.containers[*].image}\n')).toEqual([
      { header: 'NAME', fieldSpec: '{.metadata.name}' },
      { header: 'IMAGE', fieldSpec: '{.spec.containers[*].image}' },
    ]);
  });

  it.each([
    ['', 'custom-columns format specified but no custom columns given'],
    ['NAME', 'unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>'],
    [
      'A:{x}}',
      "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'",
    ],
  ])('refuses %j', (spec, message) => {
    expect(() => parseCustomColumns(spec)).toThrow(message);
  });

  it.each([
    ['', 'invalid template, missing header line.'],
    ['NAME\n', 'invalid template, missing spec line.'],
    ['A B\n.a\n', "number of headers (2) and field specifications (1) don't match"],
  ])('refuses the file %j', (text, message) => {
    expect(() => parseCustomColumnsFile(text)).toThrow(message);
  });
});

describe('the -o flag', () => {
  it.each([
    ['', { type: 'table' }],
    ['wide', { type: 'wide' }],
    ['yaml', { type: 'yaml' }],
    ['json', { type: 'json' }],
    ['name', { type: 'name' }],
    ['jsonpath={.a}', { type: 'jsonpath', template: '{.a}', asJson: false }],
    ['jsonpath-as-json={.a}', { type: 'jsonpath', template: '{.a}', asJson: true }],
    ['jsonpath-file=t.txt', { type: 'jsonpath-file', path: 't.txt' }],
    ['custom-columns-file=c.txt', { type: 'custom-columns-file', path: 'c.txt' }],
  ])('%j', (flag, parsed) => {
    expect(parseOutputFlag(flag)).toEqual(parsed);
  });

  it('takes a bare jsonpath template from --template', () => {
    expect(parseOutputFlag('jsonpath', '{.b}')).toEqual({
      type: 'jsonpath',
      template: '{.b}',
      asJson: false,
    });
  });

  it.each([
    ['jsonpath', 'template format specified but no template given'],
    ['go-template={{.a}}', 'output format "go-template" is not supported by bosun'],
    [
      'foo',
      'unable to match a printer suitable for the output format "foo", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml',
    ],
  ])('refuses %j', (flag, message) => {
    expect(() => parseOutputFlag(flag)).toThrow(message);
  });
});

/**
 * kubectl's JSONPath dialect: each template's output over `kubectl get pods` (the default
 * namespace's three `web` pods as a List), as kubectl v1.34.5 prints it.
 */

import { describe, expect, it } from 'vitest';
import {
  JsonPath,
  JsonPathParseError,
  type KubeObject,
  printObjects,
} from '../../../src/cluster/printing/index.js';
import { defaultNamespace, NOW } from './fixtures.js';

const pods = defaultNamespace(NOW).filter((o) => o.kind === 'Pod');
const run = (template: string, allowMissingTemplateKeys = true) =>
  printObjects(pods, { type: 'jsonpath', template }, { allowMissingTemplateKeys }).stdout;

describe('JSONPath over kubectl get pods', () => {
  it.each([
    ['{.kind}', 'List'],
    ['{$.kind}', 'List'],
    ['{@.kind}', 'List'],
    ['{.items[0].metadata.name}', 'web-7c5ddbdf54-x2lzk'],
    ['{.items[*].metadata.name}', 'web-7c5ddbdf54-x2lzk web-7c5ddbdf54-8kq9v web-7c5ddbdf54-zt6gd'],
    ['{.items[0].spec.containers[0].image}', 'nginx:1.25'],
    ['{.items[-1].metadata.name}', 'web-7c5ddbdf54-zt6gd'],
    ['{.items[0:2].metadata.name}', 'web-7c5ddbdf54-x2lzk web-7c5ddbdf54-8kq9v'],
    ['{.items[1:].metadata.name}', 'web-7c5ddbdf54-8kq9v web-7c5ddbdf54-zt6gd'],
    ['{.items[::2].metadata.name}', 'web-7c5ddbdf54-x2lzk web-7c5ddbdf54-zt6gd'],
    ['{.items[0,2].metadata.name}', 'web-7c5ddbdf54-x2lzk web-7c5ddbdf54-zt6gd'],
    ['{.items[0].metadata.labels}', '{"app":"web","pod-template-hash":"7c5ddbdf54"}'],
    ['{.items[0].metadata.labels.app}', 'web'],
    ["{.items[0].metadata.labels['pod-template-hash']}", '7c5ddbdf54'],
    ['{.items[1].metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}', '2024-05-01T11:50:00Z'],
    ["{.items[0].metadata['name','namespace']}", 'web-7c5ddbdf54-x2lzk default'],
    [
      "{.items[*]['metadata.name','status.podIP']}",
      'web-7c5ddbdf54-x2lzk web-7c5ddbdf54-8kq9v web-7c5ddbdf54-zt6gd 10.244.1.5 10.244.2.7 10.244.1.6',
    ],
    [
      '{range .items[*]}{.metadata.name}{"\\t"}{.status.podIP}{"\\n"}{end}',
      'web-7c5ddbdf54-x2lzk\t10.244.1.5\nweb-7c5ddbdf54-8kq9v\t10.244.2.7\nweb-7c5ddbdf54-zt6gd\t10.244.1.6\n',
    ],
    [
      '{range .items[*]}[{.metadata.name}]{end}',
      '[web-7c5ddbdf54-x2lzk][web-7c5ddbdf54-8kq9v][web-7c5ddbdf54-zt6gd]',
    ],
    [
      '{range .items[*]}{.metadata.name}:{range .spec.containers[*]}{.image},{end}{"\\n"}{end}',
      'web-7c5ddbdf54-x2lzk:nginx:1.25,\nweb-7c5ddbdf54-8kq9v:nginx:1.25,\nweb-7c5ddbdf54-zt6gd:nginx:1.25,\n',
    ],
    ['{..image}', 'nginx:1.25 nginx:1.25 nginx:1.25 nginx:1.25 nginx:1.25 nginx:1.25'],
    ['{.items[0]..containerPort}', '80'],
    ['{.items[*].status.conditions[?(@.type=="Ready")].status}', 'True True True'],
    ['{.items[?(@.spec.nodeName=="node2")].metadata.name}', 'web-7c5ddbdf54-x2lzk web-7c5ddbdf54-zt6gd'],
    ["{.items[?(@.metadata.name=='web-7c5ddbdf54-x2lzk')].status.podIP}", '10.244.1.5'],
    ['{.items[?(@.spec.nodeName!="node2")].metadata.name}', 'web-7c5ddbdf54-8kq9v'],
    ['{.items[?(@.status.containerStatuses[0].restartCount>0)].metadata.name}', 'web-7c5ddbdf54-8kq9v'],
    ['{.items[?(@.status.containerStatuses[0].restartCount==2)].metadata.name}', 'web-7c5ddbdf54-8kq9v'],
    ['{.items[?(@.metadata.annotations)].metadata.name}', 'web-7c5ddbdf54-8kq9v'],
    ['{.items[0].spec.containers[?(@.name=="main")].image}', 'nginx:1.25'],
    ['{.items[0].status.containerStatuses[0].ready}', 'true'],
    ['{.items[0].spec.containers[0].ports[0]}', '{"containerPort":80,"protocol":"TCP"}'],
    ['{.items[0].status.containerStatuses[0].state}', '{"running":{"startedAt":"2024-05-01T11:50:00Z"}}'],
    ['{.items[*].spec.containers[*].name}', 'main main main'],
    ['{.items[*].status.podIPs[*].ip}', '10.244.1.5 10.244.2.7 10.244.1.6'],
    ['{.items[1].spec.tolerations[*].tolerationSeconds}', '300 300'],
    ['{.items[0].metadata.nonexistent}', ''],
    ['{.items[0].metadata.name.x}', ''],
    ['{"literal"}{.kind}', 'literalList'],
    ["{'single'}", 'single'],
    ['name: {.items[0].metadata.name}', 'name: web-7c5ddbdf54-x2lzk'],
    [
      '{.items[*].metadata.name} {.kind}',
      'web-7c5ddbdf54-x2lzk web-7c5ddbdf54-8kq9v web-7c5ddbdf54-zt6gd List',
    ],
    // Go visits map values in random order; bosun sorts the keys.
    ['{.items[0].metadata.labels.*}', 'web 7c5ddbdf54'],
  ])('%s', (template, expected) => {
    expect(run(template)).toBe(expected);
  });
});

describe('JSONPath errors, as kubectl reports them', () => {
  it.each([
    [
      '{.items[5]}',
      'error executing jsonpath "{.items[5]}": Error executing template: array index out of bounds: index 5, length 3.',
    ],
    [
      '{.items[0].spec.containers[0].ports[?(@.containerPort==80.0)]}',
      'Error executing template: incompatible types for comparison.',
    ],
    ['{end}', 'Error executing template: not in range, nothing to end.'],
    ['{.items[0].metadata.name', 'error parsing jsonpath {.items[0].metadata.name, unclosed action\n'],
    ['{.items[*', 'error parsing jsonpath {.items[*, unterminated array\n'],
  ])('%s', (template, message) => {
    expect(() => run(template)).toThrow(message);
  });

  it('reports a missing field only with --allow-missing-template-keys=false', () => {
    expect(run('{.items[0].metadata.missing}')).toBe('');
    expect(() => run('{.items[0].metadata.missing}', false)).toThrow(
      /^error executing jsonpath "\{\.items\[0\]\.metadata\.missing\}": Error executing template: missing is not found\. Printing more information for debugging the template:\n\ttemplate was:\n\t\t\{\.items\[0\]\.metadata\.missing\}\n\tobject given to jsonpath engine was:\n\t\tmap\[string\]interface \{\}\{"apiVersion":"v1", "items":\[\]interface \{\}\{map/,
    );
  });

  it.each([
    ['{..*}', "unrecognized character in action: U+002A '*'"],
    ['{....a}', 'invalid multiple recursive descent'],
    ['{.a[x]}', 'invalid array index x'],
    ['{#}', "unrecognized character in action: U+0023 '#'"],
    ['{"open}', 'unterminated quoted string'],
    ['{.a[?(@.b=="c"}', 'unterminated filter'],
  ])('parse error for %s', (template, message) => {
    expect(() => new JsonPath(template)).toThrow(JsonPathParseError);
    expect(() => new JsonPath(template)).toThrow(message);
  });
});

describe('JSONPath values', () => {
  const data: KubeObject = {
    n: 3,
    f: 0.5,
    big: 1234567.5,
    t: true,
    s: 'x',
    nil: null,
    list: [1, 'a', { k: 'v' }],
    m: { b: 2, a: 1 },
  };
  it.each([
    ['{.n}', '3'],
    ['{.f}', '0.5'],
    ['{.big}', '1.2345675e+06'],
    ['{.t}', 'true'],
    ['{.list}', '[1,"a",{"k":"v"}]'],
    ['{.list[*]}', '1 a {"k":"v"}'],
    ['{.m}', '{"a":1,"b":2}'],
    ['{.list[?(@.k=="v")].k}', 'v'],
    ['{.list[0:2]}', '1 a'],
    ['{.n}{.s}{.t}', '3xtrue'],
  ])('%s prints %s', (template, expected) => {
    expect(new JsonPath(template).execute(data)).toBe(expected);
  });

  it('prints each expression as an indented JSON array with jsonpath-as-json', () => {
    expect(new JsonPath('{.m.a}{.s}', { jsonOutput: true }).execute(data)).toBe(
      '[\n    1\n]\n[\n    "x"\n]\n',
    );
  });

  it('compares booleans and numbers in filters', () => {
    const items = {
      items: [
        { ok: true, n: 1 },
        { ok: false, n: 2 },
      ],
    };
    expect(new JsonPath('{.items[?(@.ok==true)].n}').execute(items)).toBe('1');
    expect(new JsonPath('{.items[?(@.n>=2)].ok}').execute(items)).toBe('false');
  });
});

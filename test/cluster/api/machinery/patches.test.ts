import { describe, expect, it } from 'vitest';
import { applyJsonPatch, decodeJsonPatch } from '../../../../src/cluster/api/machinery/json-patch.js';
import { applyMergePatch } from '../../../../src/cluster/api/machinery/merge-patch.js';
import { listStrategiesOf, listStrategyFor } from '../../../../src/cluster/api/machinery/patch-strategies.js';
import { applyStrategicMergePatch } from '../../../../src/cluster/api/machinery/strategic-merge-patch.js';

describe('JSON merge patch (RFC 7386)', () => {
  // The examples of RFC 7386 appendix A, and a few more.
  const cases: [unknown, unknown, unknown][] = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [
      ['a', 'b'],
      ['c', 'd'],
      ['c', 'd'],
    ],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    [{ spec: { replicas: 1 } }, { spec: { replicas: 4 } }, { spec: { replicas: 4 } }],
  ];
  it.each(cases)('%j + %j', (target, patch, expected) => {
    expect(applyMergePatch(target, patch)).toEqual(expected);
  });

  it('does not modify its arguments and never reaches the prototype', () => {
    const target = { a: { b: 1 } };
    const patch = JSON.parse('{"__proto__": {"polluted": true}, "a": {"c": 2}}') as unknown;
    const out = applyMergePatch(target, patch) as Record<string, unknown>;
    expect(target).toEqual({ a: { b: 1 } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
  });
});

describe('JSON patch (RFC 6902)', () => {
  const doc = {
    spec: { replicas: 1, template: { spec: { containers: [{ name: 'web', image: 'nginx:1' }] } } },
  };
  const cases: [string, unknown[], unknown][] = [
    ['replace', [{ op: 'replace', path: '/spec/replicas', value: 3 }], { replicas: 3 }],
    ['add a field', [{ op: 'add', path: '/spec/paused', value: true }], { paused: true }],
    [
      'add to a list end',
      [{ op: 'add', path: '/spec/template/spec/containers/-', value: { name: 'side' } }],
      { template: { spec: { containers: [{ name: 'web', image: 'nginx:1' }, { name: 'side' }] } } },
    ],
    [
      'add at an index',
      [{ op: 'add', path: '/spec/template/spec/containers/0', value: { name: 'first' } }],
      { template: { spec: { containers: [{ name: 'first' }, { name: 'web', image: 'nginx:1' }] } } },
    ],
    ['remove', [{ op: 'remove', path: '/spec/template' }], { replicas: 1 }],
    [
      'replace in a list',
      [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:2' }],
      { template: { spec: { containers: [{ name: 'web', image: 'nginx:2' }] } } },
    ],
    [
      'test then replace',
      [
        { op: 'test', path: '/spec/replicas', value: 1 },
        { op: 'replace', path: '/spec/replicas', value: 2 },
      ],
      { replicas: 2 },
    ],
    ['move', [{ op: 'move', from: '/spec/replicas', path: '/spec/count' }], { count: 1 }],
    ['copy', [{ op: 'copy', from: '/spec/replicas', path: '/spec/count' }], { replicas: 1, count: 1 }],
    ['escaped pointer', [{ op: 'add', path: '/spec/a~1b~0c', value: 1 }], { 'a/b~c': 1 }],
  ];
  it.each(cases)('%s', (_name, ops, expectedSpec) => {
    const out = applyJsonPatch(doc, decodeJsonPatch(ops)) as { spec: Record<string, unknown> };
    expect(out.spec).toMatchObject(expectedSpec as Record<string, unknown>);
    expect(doc.spec.replicas).toBe(1);
  });

  const failures: [string, unknown, string][] = [
    [
      'a failed test',
      [{ op: 'test', path: '/spec/replicas', value: 5 }],
      'testing value /spec/replicas failed: test failed',
    ],
    [
      'remove of a missing key',
      [{ op: 'remove', path: '/spec/foo' }],
      "error in remove for path: '/spec/foo': Unable to remove nonexistent key: foo: missing value",
    ],
    [
      'add under a missing parent',
      [{ op: 'add', path: '/spec/a/b', value: 1 }],
      'add operation does not apply: doc is missing path: "/spec/a/b": missing value',
    ],
    [
      'replace of a missing key',
      [{ op: 'replace', path: '/spec/foo', value: 1 }],
      'replace operation does not apply: doc is missing key: /spec/foo: missing value',
    ],
    [
      'an index out of range',
      [{ op: 'add', path: '/spec/template/spec/containers/5', value: 1 }],
      'Unable to access invalid index: 5: invalid index referenced',
    ],
    ['an unknown op', [{ op: 'frob', path: '/x' }], 'Unexpected kind: frob'],
    ['not a list', { op: 'add' }, 'json: cannot unmarshal object into Go value of type jsonpatch.Patch'],
  ];
  it.each(failures)('%s fails', (_name, ops, message) => {
    expect(() => applyJsonPatch(doc, decodeJsonPatch(ops))).toThrow(message);
  });
});

describe('strategic merge patch', () => {
  const pod = {
    metadata: { labels: { app: 'web' }, finalizers: ['a'] },
    spec: {
      containers: [
        { name: 'web', image: 'nginx:1', ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '1' }] },
        { name: 'side', image: 'busybox' },
      ],
      volumes: [{ name: 'data', emptyDir: {} }],
      tolerations: [{ key: 'a', operator: 'Exists' }],
    },
  };
  const strategies = listStrategiesOf('Pod');
  const spec = (patch: unknown) =>
    (applyStrategicMergePatch(pod, patch, strategies) as { spec: Record<string, unknown> }).spec;

  it.each([
    [
      'merges containers by name',
      { spec: { containers: [{ name: 'web', image: 'nginx:2' }] } },
      {
        containers: [
          { name: 'web', image: 'nginx:2', ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '1' }] },
          { name: 'side', image: 'busybox' },
        ],
      },
    ],
    [
      'appends a new container',
      { spec: { containers: [{ name: 'new', image: 'redis' }] } },
      {
        containers: [
          { name: 'web', image: 'nginx:1', ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '1' }] },
          { name: 'side', image: 'busybox' },
          { name: 'new', image: 'redis' },
        ],
      },
    ],
    [
      'merges env by name and ports by containerPort',
      {
        spec: {
          containers: [{ name: 'web', env: [{ name: 'B', value: '2' }], ports: [{ containerPort: 443 }] }],
        },
      },
      {
        containers: [
          {
            name: 'web',
            image: 'nginx:1',
            ports: [{ containerPort: 80 }, { containerPort: 443 }],
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
            ],
          },
          { name: 'side', image: 'busybox' },
        ],
      },
    ],
    [
      'deletes an item with $patch: delete',
      { spec: { containers: [{ name: 'side', $patch: 'delete' }] } },
      {
        containers: [
          { name: 'web', image: 'nginx:1', ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '1' }] },
        ],
      },
    ],
    [
      'replaces a list with $patch: replace',
      { spec: { containers: [{ name: 'only', image: 'x' }, { $patch: 'replace' }] } },
      { containers: [{ name: 'only', image: 'x' }] },
    ],
    [
      'replaces tolerations whole',
      { spec: { tolerations: [{ key: 'b', operator: 'Exists' }] } },
      { tolerations: [{ key: 'b', operator: 'Exists' }] },
    ],
    [
      'merges volumes by name',
      { spec: { volumes: [{ name: 'cfg', configMap: { name: 'c' } }] } },
      {
        volumes: [
          { name: 'data', emptyDir: {} },
          { name: 'cfg', configMap: { name: 'c' } },
        ],
      },
    ],
    [
      'replaces a map with $patch: replace',
      { spec: { containers: [{ name: 'web', $patch: 'replace', image: 'x' }] } },
      {
        containers: [
          { name: 'web', image: 'x' },
          { name: 'side', image: 'busybox' },
        ],
      },
    ],
    [
      'keeps only $retainKeys',
      { spec: { $retainKeys: ['containers'], containers: [{ name: 'side', image: 'b2' }] } },
      {
        containers: [
          { name: 'web', image: 'nginx:1', ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '1' }] },
          { name: 'side', image: 'b2' },
        ],
      },
    ],
    [
      'ignores $setElementOrder',
      {
        spec: {
          '$setElementOrder/containers': [{ name: 'side' }, { name: 'web' }],
          containers: [{ name: 'web', image: 'n' }],
        },
      },
      {
        containers: [
          { name: 'web', image: 'n', ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '1' }] },
          { name: 'side', image: 'busybox' },
        ],
      },
    ],
  ])('%s', (_name, patch, expected) => {
    expect(spec(patch)).toMatchObject(expected as Record<string, unknown>);
  });

  it('removes a field with null', () => {
    expect(Object.keys(spec({ spec: { volumes: null } }))).toEqual(['containers', 'tolerations']);
  });

  it('unions finalizers and deletes from primitive lists', () => {
    const out = applyStrategicMergePatch(pod, { metadata: { finalizers: ['b', 'a'] } }, strategies) as {
      metadata: { finalizers: string[] };
    };
    expect(out.metadata.finalizers).toEqual(['a', 'b']);
    const removed = applyStrategicMergePatch(
      out,
      { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } },
      strategies,
    ) as {
      metadata: { finalizers: string[] };
    };
    expect(removed.metadata.finalizers).toEqual(['b']);
  });

  it('merges Service ports by port', () => {
    const svc = { spec: { ports: [{ port: 80, targetPort: 8080 }] } };
    const out = applyStrategicMergePatch(
      svc,
      { spec: { ports: [{ port: 80, nodePort: 30080 }, { port: 443 }] } },
      listStrategiesOf('Service'),
    );
    expect(out).toEqual({
      spec: { ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }, { port: 443 }] },
    });
  });

  it('merges volumeMounts by mountPath in a Deployment template', () => {
    const deploy = {
      spec: {
        template: { spec: { containers: [{ name: 'c', volumeMounts: [{ mountPath: '/a', name: 'x' }] }] } },
      },
    };
    const patch = {
      spec: {
        template: { spec: { containers: [{ name: 'c', volumeMounts: [{ mountPath: '/b', name: 'y' }] }] } },
      },
    };
    const out = applyStrategicMergePatch(deploy, patch, listStrategiesOf('Deployment')) as typeof deploy;
    expect(out.spec.template.spec.containers[0]!.volumeMounts).toEqual([
      { mountPath: '/a', name: 'x' },
      { mountPath: '/b', name: 'y' },
    ]);
  });

  it('refuses an item without its merge key', () => {
    expect(() =>
      applyStrategicMergePatch(pod, { spec: { containers: [{ image: 'x' }] } }, strategies),
    ).toThrow('map: map[string]string{"image":"x"} does not contain declared merge key: name');
  });

  it('reads list strategies from the table', () => {
    expect(
      listStrategyFor('CronJob', ['spec', 'jobTemplate', 'spec', 'template', 'spec', 'containers']),
    ).toEqual({ type: 'merge', key: 'name' });
    expect(listStrategyFor('Pod', ['spec', 'initContainers', 'env'])).toEqual({ type: 'merge', key: 'name' });
    expect(listStrategyFor('Endpoints', ['subsets', 'ports'])).toBeUndefined();
    expect(listStrategyFor('Pod', ['spec', 'ports'])).toBeUndefined();
    // A map key with dots is one field name: a list under it is atomic, whatever the dots spell.
    expect(listStrategyFor('Widget', ['spec', 'values', 'a.volumes'])).toBeUndefined();
    expect(listStrategyFor('Widget', ['spec', 'x.metadata', 'finalizers'])).toBeUndefined();
    expect(listStrategyFor('Widget', ['spec', 'x', 'metadata', 'finalizers'])).toEqual({ type: 'set' });
    expect(listStrategyFor('Node', ['x', 'status', 'addresses'])).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { INSTALL_ORDER, sortByKind, UNINSTALL_ORDER } from '../../src/release/install-order.js';
import {
  formatManifests,
  ManifestSorter,
  sortManifests,
  splitManifests,
} from '../../src/release/manifest.js';

describe('install order (helm-behaviour §4.8)', () => {
  it('uninstall order names the same kinds as install order', () => {
    expect([...UNINSTALL_ORDER].sort()).toEqual([...INSTALL_ORDER].sort());
    expect(UNINSTALL_ORDER.indexOf('Service')).toBeLessThan(UNINSTALL_ORDER.indexOf('Deployment'));
  });

  it('sorts known kinds by order, unknown kinds last alphabetically, ties stable', () => {
    const items = ['Zebra', 'Deployment', 'Service', 'Alpha', 'Namespace', 'Service'].map((kind, i) => ({
      kind,
      i,
    }));
    expect(sortByKind(items, (x) => x.kind, INSTALL_ORDER).map((x) => `${x.kind}${x.i}`)).toEqual([
      'Namespace4',
      'Service2',
      'Service5',
      'Deployment1',
      'Alpha3',
      'Zebra0',
    ]);
  });
});

describe('splitManifests', () => {
  it('splits on --- and drops empty documents', () => {
    expect(splitManifests('\n---\na: 1\n---\n\n---\nb: 2\n')).toEqual(['a: 1', 'b: 2']);
  });

  it('takes a file without separator as one trimmed document (or none)', () => {
    expect(splitManifests('\n  a: 1\n\n')).toEqual(['a: 1']);
    expect(splitManifests(' \n\t\n')).toEqual([]);
    expect(splitManifests('a: --')).toEqual(['a: --']);
  });
});

describe('sortManifests', () => {
  const files = new Map([
    ['c/templates/svc.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n'],
    [
      'c/templates/deploy.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n',
    ],
    [
      'c/templates/tests/t.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  annotations:\n    helm.sh/hook: test\n    helm.sh/hook-weight: "-5"\n',
    ],
    ['c/templates/empty.yaml', '\n\n'],
    ['c/templates/_helpers.tpl', 'junk: ['],
  ]);

  it('orders manifests by kind and separates hooks', () => {
    const sorted = sortManifests(files);
    expect(sorted.manifests.map((m) => `${m.head.kind}/${m.head.name}`)).toEqual([
      'ConfigMap/cm',
      'Service/s',
      'Deployment/d',
    ]);
    expect(sorted.hooks).toHaveLength(1);
    expect(sorted.hooks[0]).toMatchObject({ events: ['test'], weight: -5, path: 'c/templates/tests/t.yaml' });
  });

  it('formats like helm template', () => {
    const { manifests } = sortManifests(new Map([...files].slice(0, 1)));
    expect(formatManifests(manifests)).toBe(
      '---\n# Source: c/templates/svc.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\n',
    );
  });

  it('D8: invalid YAML names the template', () => {
    expect(() => sortManifests(new Map([['c/templates/bad.yaml', 'a: [1\nb: 2']]))).toThrow(
      /YAML parse error on c\/templates\/bad\.yaml/,
    );
  });
});

describe('ManifestSorter', () => {
  const files: [string, string][] = [
    ['c/templates/svc.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n'],
    [
      'c/templates/deploy.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n---\nkind: ConfigMap\nmetadata:\n  name: cm\n',
    ],
    [
      'c/templates/tests/t.yaml',
      'kind: Pod\nmetadata:\n  name: t\n  annotations:\n    helm.sh/hook: test\n    helm.sh/hook-weight: "-5"\n',
    ],
  ];

  it('gives what sortManifests gives, files added in any order', () => {
    const sorter = new ManifestSorter();
    for (const [path, text] of [...files].reverse()) sorter.add(path, text);
    expect(sorter.finish()).toEqual(sortManifests(new Map(files)));
  });

  it('parses objects again when read, with lazy objects', () => {
    const eager = sortManifests(new Map(files));
    const sorter = new ManifestSorter(false);
    for (const [path, text] of files) sorter.add(path, text);
    const lazy = sorter.finish();
    expect(lazy.manifests.map((m) => m.object)).toEqual(eager.manifests.map((m) => m.object));
    expect(lazy.hooks.map((h) => [h.object, h.events, h.weight])).toEqual(
      eager.hooks.map((h) => [h.object, h.events, h.weight]),
    );
    // Read twice, parsed once.
    expect(lazy.manifests[0]!.object).toBe(lazy.manifests[0]!.object);
    expect(Object.keys(lazy.hooks[0]!)).toEqual(Object.keys(eager.hooks[0]!));
  });

  it('throws the error of the first bad file in path order, after every file is added', () => {
    const sorter = new ManifestSorter();
    sorter.add('c/templates/z.yaml', 'a: [1\n');
    sorter.add('c/templates/ok.yaml', 'kind: A\n');
    sorter.add('c/templates/b.yaml', 'b: {\n');
    expect(() => sorter.finish()).toThrow(/YAML parse error on c\/templates\/b\.yaml/);
  });

  it('keeps the last text of a path', () => {
    const sorter = new ManifestSorter();
    sorter.add('c/templates/a.yaml', 'a: [1\n');
    sorter.add('c/templates/a.yaml', 'kind: A\nmetadata:\n  name: x\n');
    expect(sorter.finish().manifests.map((m) => m.head.name)).toEqual(['x']);
  });
});

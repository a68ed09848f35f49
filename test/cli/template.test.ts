import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { parseYamlStream } from '../../src/internal/yaml.js';
import { snapshotTree, tempDir, writeChart } from '../helpers/chart-builder.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');

async function bosun(args: string[], cwd = repoRoot) {
  const io = memoryIO({ cwd });
  const code = await run(args, io);
  return { code, out: io.out(), err: io.err() };
}

interface K8sObject {
  kind: string;
  metadata: { name: string };
  spec: { replicas?: number };
}

function objects(text: string): K8sObject[] {
  return parseYamlStream(text, 'out') as K8sObject[];
}

describe('bosun template charts/dockercoins', () => {
  it('renders the DockerCoins app with 10 worker replicas (issue acceptance)', async () => {
    const r = await bosun(['template', 'coins', 'charts/dockercoins', '--set', 'worker.replicas=10']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const objs = objects(r.out);
    const worker = objs.find((o) => o.kind === 'Deployment' && o.metadata.name === 'worker');
    expect(worker?.spec.replicas).toBe(10);
    expect(objs.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'DaemonSet/rng',
      'Deployment/hasher',
      'Deployment/redis',
      'Deployment/webui',
      'Deployment/worker',
      'Service/hasher',
      'Service/redis',
      'Service/rng',
      'Service/webui',
    ]);
    expect(r.out.startsWith('---\n# Source: dockercoins/templates/')).toBe(true);
  });
});

describe('bad input: one line naming what was wrong, non-zero exit, nothing written', () => {
  const cases: [string, (dir: string) => string[], RegExp][] = [
    [
      'missing Chart.yaml',
      (d) => ['template', writeChart(d, { files: { 'Chart.yaml': null } })],
      /Chart\.yaml file is missing/,
    ],
    [
      'invalid semver version',
      (d) => [
        'template',
        writeChart(d, { files: { 'Chart.yaml': 'apiVersion: v2\nname: mychart\nversion: one.two\n' } }),
      ],
      /mychart\/Chart\.yaml: validation: chart\.metadata\.version "one\.two" is invalid/,
    ],
    [
      'YAML syntax error in values (with line)',
      (d) => ['template', writeChart(d, { files: { 'values.yaml': 'a: 1\nb: [1, 2\nc: 3\n' } })],
      /mychart\/values\.yaml:3: /,
    ],
    [
      'unknown helper',
      (d) => [
        'template',
        writeChart(d, { files: { 'templates/cm.yaml': 'a: 1\nb: {{frobnicate Values.x}}\n' } }),
      ],
      /mychart\/templates\/cm\.yaml:2: .*frobnicate/,
    ],
    [
      'failing required',
      (d) => [
        'template',
        writeChart(d, {
          files: {
            'templates/cm.yaml':
              'kind: ConfigMap\nname: {{required "image.tag is required" Values.image.tag}}\n',
          },
        }),
      ],
      /mychart\/templates\/cm\.yaml:2: image\.tag is required/,
    ],
    ['__proto__ in --set', (d) => ['template', writeChart(d), '--set', '__proto__.polluted=1'], /__proto__/],
    [
      'constructor in values',
      (d) => ['template', writeChart(d, { files: { 'values.yaml': 'constructor:\n  x: 1\n' } })],
      /constructor/,
    ],
    ['bad --set syntax a[=1', (d) => ['template', writeChart(d), '--set', 'a[=1'], /a\[=1/],
    ['bad --set syntax a..b=1', (d) => ['template', writeChart(d), '--set', 'a..b=1'], /a\.\.b=1|key/],
    [
      'list index over 65536',
      (d) => ['template', writeChart(d), '--set', 'a[70000]=1'],
      /greater than maximum supported index of 65536/,
    ],
    [
      'nesting over 30',
      (d) => [
        'template',
        writeChart(d),
        '--set',
        `${Array.from({ length: 32 }, (_, i) => `k${i}`).join('.')}=1`,
      ],
      /nested level/,
    ],
    [
      'YAML alias bomb',
      (d) => [
        'template',
        writeChart(d, {
          files: {
            'values.yaml': [
              'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
              'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
              'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
              'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
              'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
              'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
            ].join('\n'),
          },
        }),
      ],
      /values\.yaml: document contains excessive aliasing/,
    ],
    [
      'a 1,000-deep nested document',
      (d) => {
        let deep = '';
        for (let i = 0; i < 1000; i++) deep += `${' '.repeat(i)}k:\n`;
        return ['template', writeChart(d, { files: { 'values.yaml': deep } })];
      },
      /values\.yaml: YAML nesting deeper than 256 levels/,
    ],
  ];

  it.each(cases)('%s', async (_label, argsFor, message) => {
    const dir = tempDir();
    const args = argsFor(dir);
    const before = snapshotTree(dir);
    const r = await bosun(args, dir);
    expect(r.code).not.toBe(0);
    expect(r.out).toBe('');
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^Error: /);
    expect(r.err).toMatch(message);
    expect(snapshotTree(dir)).toEqual(before);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

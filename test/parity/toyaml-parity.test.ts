/**
 * `toYaml` must write what Helm's `toYaml` writes (go-yaml v2): compared with the real helm on
 * a corpus of strings that need plain, single-quoted, double-quoted or literal style, keys in
 * go-yaml's natural order, nested lists and maps, and folding of long lines.
 */

import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM script without type declarations
import { realTools } from '../../scripts/real-tools.mjs';
import { toYaml } from '../../src/internal/yaml.js';
import { tempDir } from '../helpers/chart-builder.js';

const STRINGS = [
  'yes',
  'no',
  'on',
  'off',
  'y',
  'n',
  'true',
  'True',
  'null',
  '~',
  '',
  '1',
  '1.0',
  '0x1F',
  '0755',
  '1e3',
  '.inf',
  '-.inf',
  '.nan',
  '1_000',
  '12:30',
  '190:20:30',
  '<<',
  'a: b',
  'a:b',
  'a #b',
  'a#b',
  '#x',
  '*',
  '&a',
  '!x',
  '|x',
  '>x',
  '%x',
  '@x',
  '`x',
  '"x',
  "'x",
  '-',
  '- x',
  '-x',
  '?x',
  '? x',
  ':x',
  ': x',
  'x:',
  'x: ',
  '---',
  '...',
  '--- x',
  ' lead',
  'trail ',
  'a\tb',
  'tab\t',
  'a\nb',
  'a\nb\n',
  'a\n\nb\n\n',
  '\nlead',
  '  indented\nx',
  'é',
  '日本',
  '\u0001ctl',
  'back\\slash',
  'quote"in',
  "it's",
  '[x]',
  '{x}',
  'a,b',
  'a[0]',
  `${'x'.repeat(30)} ${'y'.repeat(60)}`,
  'w '.repeat(60),
  `long-${'z'.repeat(100)} tail`,
  `${'x'.repeat(70)} a b c d e f g h i j k`,
  'http://a.b/c?d=e&f=g',
  'key=value',
  '100%',
  '$HOME',
  '0',
  '-0',
  '+1',
  '-1',
  '0.5',
  '.5',
  '5.',
  '1e',
  'e1',
  'NaN',
  'Infinity',
  '2024-01-01',
  '2024-01-01T00:00:00Z',
  'v1.2.3',
  '1.2.3',
  '=',
  '\u2028x',
  'x\r\ny',
  'trailing space \nnext',
];
const KEYS = [
  'b',
  'a',
  'a10',
  'a2',
  'a1',
  'A',
  '_x',
  '-x',
  '1',
  '10',
  '2',
  'x.y',
  'x/y',
  'app.kubernetes.io/name',
  'app',
  'z9',
  'z10',
  'Z',
  'yes',
  'n',
  '',
  'key with space',
  'a: b',
];

const CORPUS = {
  s: Object.fromEntries(STRINGS.map((s, i) => [`k${String(i).padStart(3, '0')}`, s])),
  list: STRINGS.slice(0, 25),
  keys: Object.fromEntries(KEYS.map((k, i) => [k, i])),
  nested: {
    l: [[1, 2], [{ a: 1, b: [] }], {}],
    m: { x: { y: { z: 'deep' } } },
    e: {},
    n: null,
    f: 1.5,
    neg: -3,
  },
  top: 'a\nb\n',
};

describe('toYaml parity with helm', () => {
  it('writes the corpus exactly as helm does', () => {
    const tools = realTools() as { helm: string } | undefined;
    expect(tools).toBeDefined();
    const dir = tempDir();
    mkdirSync(path.join(dir, 'templates'));
    writeFileSync(path.join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: ty\nversion: 0.1.0\n');
    writeFileSync(
      path.join(dir, 'templates', 't.yaml'),
      '# {{ toJson (dict "all" (toYaml .Values) "top" (toYaml .Values.top) "list" (toYaml .Values.list)) }}\n',
    );
    const out = execFileSync(tools!.helm, ['template', 'x', dir, '--set-json', JSON.stringify(CORPUS)], {
      encoding: 'utf8',
      env: { ...process.env, HELM_CACHE_HOME: dir, HELM_CONFIG_HOME: dir, HELM_DATA_HOME: dir },
    });
    const helm = JSON.parse(
      out
        .split('\n')
        .find((l) => l.startsWith('# {'))!
        .slice(2),
    ) as Record<string, string>;
    expect(toYaml(CORPUS)).toBe(helm['all']!.replace(/\n$/, ''));
    expect(toYaml(CORPUS.top)).toBe(helm['top']!.replace(/\n$/, ''));
    expect(toYaml(CORPUS.list)).toBe(helm['list']!.replace(/\n$/, ''));
  });
});

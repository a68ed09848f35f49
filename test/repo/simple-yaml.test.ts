import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../src/internal/yaml.js';
import { parseSimpleYaml } from '../../src/repo/simple-yaml.js';

/** What the full parser makes of `text`, or `'error'`. */
function full(text: string): unknown {
  try {
    return parseYaml(text, 'Chart.yaml');
  } catch {
    return 'error';
  }
}

/** The simple reader either declines or agrees with the full parser; true when it answered. */
function expectAgreement(text: string): boolean {
  const fast = parseSimpleYaml(text);
  if (fast !== undefined) expect(fast, JSON.stringify(text)).toEqual(full(text));
  return fast !== undefined;
}

const SCAFFOLD = `apiVersion: v2
name: mychart
description: A Helm chart for Kubernetes

# A chart can be either an 'application' or a 'library' chart.
#
# Application charts are a collection of templates that can be packaged into versioned archives
# to be deployed.
type: application

# This is the chart version.
version: 0.1.0

# It is recommended to use it with quotes.
appVersion: "1.16.0"
`;

describe('parseSimpleYaml', () => {
  it('reads the scaffold Chart.yaml exactly as the full parser does', () => {
    expect(parseSimpleYaml(SCAFFOLD)).toEqual({
      apiVersion: 'v2',
      name: 'mychart',
      description: 'A Helm chart for Kubernetes',
      type: 'application',
      version: '0.1.0',
      appVersion: '1.16.0',
    });
    expect(parseSimpleYaml(SCAFFOLD)).toEqual(full(SCAFFOLD));
  });

  it('reads lists of scalars, comments and keys without value', () => {
    const text =
      "name: c\nkeywords:\n- a\n  # note\n- 'b c'\nsources:\n  - https://x.example.com/a#b\nicon:\nhome: x # c\n";
    expect(parseSimpleYaml(text)).toEqual({
      name: 'c',
      keywords: ['a', 'b c'],
      sources: ['https://x.example.com/a#b'],
      icon: null,
      home: 'x',
    });
    expectAgreement(text);
  });

  it.each([
    ['no final newline', 'name: c\nversion: 0.1.0'],
    ['a final comment without newline', 'name: c\n# end'],
    ['leading and repeated blank lines', '\n\nname: c\n\n\n# x\n#\n\nversion: 0.1.0\n\n'],
    ['a list at the end without newline', 'name: c\nkeywords:\n- a\n- b'],
  ])('reads a document with %s as the full parser does', (_what, text) => {
    expect(expectAgreement(text)).toBe(true);
  });

  it.each([
    ['a number', 'name: c\nversion: 1.0\n'],
    ['an integer', 'name: c\nappVersion: 10\n'],
    ['a YAML 1.1 boolean', 'name: c\ndeprecated: yes\n'],
    ['null', 'name: c\nicon: null\n'],
    ['a nested map', 'name: c\nmaintainers:\n- name: a\n'],
    ['a flow list', 'name: c\nkeywords: [a, b]\n'],
    ['a block scalar', 'name: c\ndescription: |\n  text\n'],
    ['a multi-line plain scalar', 'name: c\ndescription: one\n  two\n'],
    ['an escape', 'name: c\ndescription: "a\\tb"\n'],
    ['an escaped quote', "name: c\ndescription: 'it''s'\n"],
    ['an anchor', 'name: &n c\n'],
    ['a tag', 'name: !!str c\n'],
    ['a duplicate key', 'name: a\nname: b\n'],
    ['a forbidden key', 'constructor: x\n'],
    ['a document marker', '---\nname: c\n'],
    ['a tab', 'name:\tc\n'],
    ['CRLF line ends', 'name: c\r\n'],
    ['a colon in a value', 'name: a: b\n'],
    ['an unterminated quote', 'name: "c\n'],
    ['a non-ASCII start', 'name: über\n'],
    ['an empty document', '# only a comment\n'],
  ])('declines %s', (_what, text) => {
    expect(parseSimpleYaml(text)).toBeUndefined();
  });

  it('never disagrees with the full parser (random documents)', () => {
    const keys = [
      'name',
      'version',
      'apiVersion',
      'description',
      'keywords',
      'home',
      'icon',
      'type',
      'x',
      'y',
    ];
    const simple = [
      'c',
      '0.1.0',
      'v2',
      '"q"',
      "'q q'",
      'a # b',
      'a#b',
      'https://h/x',
      'tail   ',
      '1.2.3-rc.1+b',
    ];
    const values = [
      '',
      'c',
      '0.1.0',
      '1.2.3-rc.1+b',
      '01.2.3',
      '1.2',
      '1e3',
      '0x1F',
      'Yes',
      'NO',
      'On',
      'Null',
      '~',
      '"q"',
      "'q'",
      '"a # b"',
      'a # b',
      'a#b',
      'a: b',
      'a:',
      '- a',
      '[a]',
      '{a: b}',
      '|',
      '>-',
      '&a x',
      '*a',
      '!x y',
      '"unterminated',
      'tail   ',
      'v1.16.0',
      '.inf',
      '+1',
      '1_000',
      '1.2.3.4',
      '@at',
      '`tick',
      '%pct',
    ];
    let seed = 1;
    const pick = <T>(list: readonly T[]): T => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return list[seed % list.length]!;
    };
    let answered = 0;
    for (let doc = 0; doc < 3000; doc++) {
      const lines: string[] = [];
      for (let i = 0; i < 1 + (doc % 5); i++) {
        const shape = pick([0, 0, 0, 1, 2, 3, 4]);
        const value = pick([values, simple, simple]);
        if (shape === 0) lines.push(`${pick(keys)}: ${pick(value)}`);
        else if (shape === 1) lines.push(`${pick(keys)}:`, `${pick(['', '  ', ' '])}- ${pick(value)}`);
        else if (shape === 2) lines.push(pick(['# c', '  # c', '', '   ']));
        else if (shape === 3) lines.push(`${pick(['', '  '])}- ${pick(values)}`);
        else lines.push(`${pick(keys)}:${pick(values)}`);
      }
      if (expectAgreement(`${lines.join('\n')}\n`)) answered++;
    }
    // Enough documents are simple for the comparison to mean something.
    expect(answered).toBeGreaterThan(300);
  });
});

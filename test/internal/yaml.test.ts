import { describe, expect, it } from 'vitest';
import { LimitError, ValuesError, YamlError } from '../../src/internal/errors.js';
import { expandedSize, parseYaml, parseYamlStream, toYaml } from '../../src/internal/yaml.js';
import { sortStrings } from '../../src/internal/yaml-emit.js';

describe('parseYaml (Helm reading rules, security-and-faults §1.3 / §5.B)', () => {
  it.each([
    ['yes', true],
    ['on', true],
    ['y', true],
    ['NO', false],
    ['0777', 511],
    ['012', 10],
    ['2024-01-01', '2024-01-01'],
    ['1000000', 1000000],
    ['"yes"', 'yes'],
    ['1.5', 1.5],
  ])('B7: scalar %s reads as %j', (text, expected) => {
    expect(parseYaml(`v: ${text}`, 'values.yaml')).toEqual({ v: expected });
  });

  it('B7: merge keys merge', () => {
    expect(parseYaml('base: &b {x: 1}\nm:\n  <<: *b\n  z: 2\n', 'v.yaml')).toEqual({
      base: { x: 1 },
      m: { x: 1, z: 2 },
    });
  });

  it('integers stay integers when written back', () => {
    expect(toYaml(parseYaml('replicas: 1000000', 'v.yaml'))).toBe('replicas: 1000000');
  });

  it('a syntax error names the file and line', () => {
    expect(() => parseYaml('a: 1\nb: [1, 2\nc: 3\n', 'values.yaml')).toThrow(YamlError);
    expect(() => parseYaml('a: 1\nb: [1, 2\nc: 3\n', 'values.yaml')).toThrow(
      /^values\.yaml:3: missed comma between flow collection entries/,
    );
  });

  it('B4: duplicate keys are errors with the line', () => {
    expect(() => parseYaml('a: 1\na: 2\n', 'values.yaml')).toThrow(/values\.yaml:2: duplicated mapping key/);
  });

  it('B1: billion laughs is refused as excessive aliasing', () => {
    const bomb = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
      'g: [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
    ].join('\n');
    expect(() => parseYaml(bomb, 'bomb.yaml')).toThrow(
      new LimitError('bomb.yaml: document contains excessive aliasing'),
    );
  });

  it('B2: 1000-deep flow nesting twice in one process is a clean error, and the process survives', () => {
    const deep = `${'['.repeat(1000)}${']'.repeat(1000)}`;
    for (let i = 0; i < 3; i++) {
      expect(() => parseYaml(deep, 'a.yaml')).toThrow(/a\.yaml: YAML nesting deeper than 256 levels/);
    }
    expect(() => parseYaml(`${'['.repeat(100_000)}`, 'b.yaml')).toThrow(LimitError);
  });

  it('B3: 1000-deep block nesting is a clean error', () => {
    let deep = '';
    for (let i = 0; i < 1000; i++) deep += `${' '.repeat(i)}k:\n`;
    expect(() => parseYaml(deep, 'deep.yaml')).toThrow(/deep\.yaml: YAML nesting deeper than 256 levels/);
  });

  it('B5: __proto__ keys are refused and nothing is polluted', () => {
    expect(() => parseYaml('__proto__:\n  polluted: 1\n', 'p.yaml')).toThrow(ValuesError);
    expect(() => parseYaml('a:\n  constructor: {x: 1}\n', 'p.yaml')).toThrow(
      /key "constructor" is not allowed/,
    );
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('aliases within the limit are expanded into independent copies', () => {
    const v = parseYaml('base: &b {x: 1}\ncopy: *b\n', 'v.yaml') as {
      base: { x: number };
      copy: { x: number };
    };
    expect(v.copy).toEqual({ x: 1 });
    expect(v.copy).not.toBe(v.base);
  });

  it('expandedSize counts shared subtrees at every place, in linear time', () => {
    let node: unknown = ['leaf'];
    for (let i = 0; i < 40; i++) node = [node, node];
    expect(expandedSize(node, 1000)).toBeGreaterThan(1000);
    expect(expandedSize({ a: [1, 2], b: { c: 3 } })).toBe(6);
  });
});

describe('parseYamlStream', () => {
  it('parses every document, empty ones as null', () => {
    expect(parseYamlStream('a: 1\n---\n---\nb: on\n', 'm.yaml')).toEqual([{ a: 1 }, null, { b: true }]);
  });
});

describe('toYaml (Helm toYaml: sigs.k8s.io/yaml style)', () => {
  it.each([
    [{ b: 1, a: 2 }, 'a: 2\nb: 1'],
    [{ list: ['x', { k: 'v' }] }, 'list:\n- x\n- k: v'],
    [{ s: 'yes' }, 's: "yes"'],
    [{ s: '1.0' }, 's: "1.0"'],
    [{ s: 'line1\nline2\n' }, 's: |\n  line1\n  line2'],
    [{ e: {} }, 'e: {}'],
    [{ k: null }, 'k: null'],
    [{ n: 1 }, '"n": 1'],
    ['plain', 'plain'],
  ])('%j → %j', (value, expected) => {
    expect(toYaml(value)).toBe(expected);
  });
});

describe('sortStrings', () => {
  it('orders as Array.prototype.sort does, short and long arrays alike', () => {
    const alphabet = ['a', 'B', 'b', '0', '_', '-', 'é', '\u{1F600}', 'Z', '10', '9'];
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let n = 0; n < 500; n++) {
      const keys = Array.from({ length: rand(20) }, () =>
        Array.from({ length: 1 + rand(3) }, () => alphabet[rand(alphabet.length)]).join(''),
      );
      const expected = [...keys].sort();
      expect(sortStrings(keys)).toEqual(expected);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_IGNORE, HelmIgnore } from '../../src/chart/helmignore.js';
import { ChartInvalidError } from '../../src/internal/errors.js';

interface Case {
  readonly rules: string;
  readonly path: string;
  readonly isDir?: boolean;
  readonly ignored: boolean;
}

// The first block mirrors Helm's own `pkg/ignore` table (its fixtures: `cargo` and `mast` are
// directories, everything else a file); the rest covers multi-line files and Go glob syntax.
const cases: readonly Case[] = [
  // globs
  { rules: 'helm.txt', path: 'helm.txt', ignored: true },
  { rules: 'helm.*', path: 'helm.txt', ignored: true },
  { rules: 'helm.*', path: 'rudder.txt', ignored: false },
  { rules: '*.txt', path: 'tiller.txt', ignored: true },
  { rules: '*.txt', path: 'cargo/a.txt', ignored: true },
  { rules: 'cargo/*.txt', path: 'cargo/a.txt', ignored: true },
  { rules: 'cargo/*.*', path: 'cargo/a.txt', ignored: true },
  { rules: 'cargo/*.txt', path: 'mast/a.txt', ignored: false },
  { rules: 'ru[c-e]?er.txt', path: 'rudder.txt', ignored: true },
  // patterns compared without a regular expression: literal names and `*suffix`
  { rules: 'a+b(c).txt', path: 'a+b(c).txt', ignored: true },
  { rules: 'a+b(c).txt', path: 'aab(c).txt', ignored: false },
  { rules: '*.swp', path: 'cargo/.x.swp', ignored: true },
  { rules: '*.swp', path: 'x.swp.bak', ignored: false },
  { rules: '*~', path: 'notes~', ignored: true },
  { rules: '*', path: 'anything', ignored: true },
  { rules: '*', path: 'cargo', isDir: true, ignored: true },
  { rules: '*.txt/', path: 'a.txt', isDir: true, ignored: true },
  { rules: 'cargo/*.txt', path: 'cargo/sub/a.txt', ignored: false },
  { rules: 'templates/.?*', path: 'templates/.dotfile', ignored: true },
  // the chart root is never ignored
  { rules: '.*', path: '.', isDir: true, ignored: false },
  { rules: '.*', path: './', isDir: true, ignored: false },
  { rules: '.*', path: '', isDir: true, ignored: false },
  { rules: '.*', path: '.joonix', ignored: true },
  { rules: '.*', path: 'helm.txt', ignored: false },
  // directories only
  { rules: 'cargo/', path: 'cargo', isDir: true, ignored: true },
  { rules: 'cargo/', path: 'cargo/', isDir: true, ignored: true },
  { rules: 'cargo/', path: 'mast/', isDir: true, ignored: false },
  { rules: 'helm.txt/', path: 'helm.txt', ignored: false },
  { rules: 'cargo/', path: 'sub/cargo', isDir: true, ignored: true },
  // negation, Helm style: a path NOT matching `!p` is ignored, a matching one falls through
  { rules: '!helm.txt', path: 'helm.txt', ignored: false },
  { rules: '!helm.txt', path: 'tiller.txt', ignored: true },
  { rules: '!*.txt', path: 'cargo', isDir: true, ignored: true },
  { rules: '!cargo/', path: 'mast/', isDir: true, ignored: true },
  { rules: '!cargo/', path: 'cargo.txt', ignored: true },
  { rules: '*.txt\n!keep.txt', path: 'keep.txt', ignored: true }, // an earlier match wins (not git's re-include)
  { rules: '!keep.txt\n*.txt', path: 'keep.txt', ignored: true },
  { rules: '!*.yaml\nsecret*', path: 'secret.yaml', ignored: true },
  { rules: '!*.yaml\nsecret*', path: 'values.yaml', ignored: false },
  // anchors
  { rules: '/a.txt', path: 'a.txt', ignored: true },
  { rules: '/a.txt', path: 'cargo/a.txt', ignored: false },
  { rules: '/cargo/a.txt', path: 'cargo/a.txt', ignored: true },
  { rules: '/ci/', path: 'ci', isDir: true, ignored: true },
  { rules: '/ci/', path: 'templates/ci', isDir: true, ignored: false },
  // a pattern with a '/' matches the whole path; '*' and '?' never cross '/'
  { rules: 'templates/*.yaml', path: 'templates/sub/a.yaml', ignored: false },
  { rules: 'templates/*', path: 'templates/sub', isDir: true, ignored: true },
  { rules: 'a?b', path: 'a/b', ignored: false },
  { rules: 'a?b', path: 'axb', ignored: true },
  // character classes and escapes
  { rules: '[^a]*.txt', path: 'b.txt', ignored: true },
  { rules: '[^a]*.txt', path: 'a.txt', ignored: false },
  { rules: '[a-c]', path: 'b', ignored: true },
  { rules: '[\\]x]', path: ']', ignored: true },
  { rules: '\\*.txt', path: '*.txt', ignored: true },
  { rules: '\\*.txt', path: 'a.txt', ignored: false },
  { rules: '\\!important', path: '!important', ignored: true },
  { rules: 'x[z-a]', path: 'xa', ignored: false }, // an inverted range never matches (Go)
  { rules: 'ü*.txt', path: 'üben.txt', ignored: true },
  // comments, blank lines, whitespace, CRLF, BOM
  { rules: '# *.txt\n\n   \n', path: 'a.txt', ignored: false },
  { rules: '  *.txt  \r\n', path: 'a.txt', ignored: true },
  { rules: '\uFEFF*.txt', path: 'a.txt', ignored: true },
  { rules: '*.md\n*.txt', path: 'a.txt', ignored: true },
  // the default rule only reaches files directly under templates/
  { rules: DEFAULT_IGNORE, path: 'templates/.hidden', ignored: true },
  { rules: DEFAULT_IGNORE, path: 'templates/sub/.hidden', ignored: false },
  { rules: DEFAULT_IGNORE, path: 'templates/.', isDir: true, ignored: false },
  { rules: DEFAULT_IGNORE, path: '.helmignore', ignored: false },
];

describe('HelmIgnore.ignores', () => {
  it.each(cases)(
    'rules $rules, path $path (dir: $isDir) → ignored: $ignored',
    ({ rules, path, isDir, ignored }) => {
      expect(HelmIgnore.parse(rules).ignores(path, isDir ?? false)).toBe(ignored);
    },
  );

  it('ignores nothing without rules', () => {
    expect(HelmIgnore.parse('').ignores('anything', false)).toBe(false);
  });
});

describe('HelmIgnore.parse errors', () => {
  it.each([
    ['foo/**/bar', 'double-star (**) syntax is not supported'],
    ['**', 'double-star (**) syntax is not supported'],
    ['[z-', 'syntax error in pattern'],
    ['[]', 'syntax error in pattern'],
    ['[a', 'syntax error in pattern'],
    ['[-a]', 'syntax error in pattern'],
    ['foo\\', 'syntax error in pattern'],
  ])('%s → %s', (rule, message) => {
    expect(() => HelmIgnore.parse(rule)).toThrow(ChartInvalidError);
    expect(() => HelmIgnore.parse(rule)).toThrow(message);
  });

  it('names the file and the line', () => {
    expect(() => HelmIgnore.parse('# ok\n*.txt\nvendor/**\n', 'mychart/.helmignore')).toThrow(
      'mychart/.helmignore:3: double-star (**) syntax is not supported: "vendor/**"',
    );
  });

  it('accepts a rule whose stripped form is a dangling escape, which then never matches (as Helm)', () => {
    const rules = HelmIgnore.parse('foo\\/');
    expect(rules.ignores('foo', true)).toBe(false);
    expect(rules.ignores('foo\\', true)).toBe(false);
  });
});

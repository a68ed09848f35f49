import { describe, expect, it } from 'vitest';
import { TemplateFunctionError } from '../../../src/template/types.js';
import { run } from './helpers.js';

type Case = [name: string, args: unknown[], expected: unknown];

const cases: Case[] = [
  ['regexMatch', ['^[a-z]+$', 'abc'], true],
  ['regexMatch', ['^[a-z]+$', 'abc1'], false],
  ['regexMatch', ['[', 'abc'], false],
  ['regexMatch', ['(?i)^ABC$', 'abc'], true],
  ['regexMatch', ['\\d+\\s\\w', '12 a'], true],
  ['regexMatch', ['[[:alpha:]]+-[[:digit:]]', 'abc-1'], true],
  ['regexMatch', ['^\\pL+$', 'héllo'], true],
  ['regexMatch', ['^\\p{Greek}+$', 'αβγ'], true],
  ['regexMatch', ['\\Aabc\\z', 'abc'], true],
  ['regexMatch', ['(a)\\1', 'aa'], false],
  ['regexMatch', ['(?=a)', 'a'], false],
  ['regexMatch', ['a{,2}', 'a{,2}'], true],
  ['regexMatch', ['^(?P<major>\\d+)\\.(\\d+)$', '1.25'], true],
  ['regexMatch', ['^[\\w.-]+@example\\.com$', 'a.b-c@example.com'], true],
  ['regexMatch', ['^\\s$', '\u00a0'], false],
  ['regexFind', ['[0-9]+', 'abc123def456'], '123'],
  ['regexFind', ['x', 'abc'], ''],
  ['regexFind', ['a.c', 'a\rc'], 'a\rc'],
  ['regexFind', ['x{2}', 'axxb'], 'xx'],
  ['regexFind', ['\\Q1.2\\E', '11.2'], '1.2'],
  ['regexFindAll', ['[0-9]', 'a1b2c3', -1], ['1', '2', '3']],
  ['regexFindAll', ['[0-9]', 'a1b2c3', 2], ['1', '2']],
  ['regexFindAll', ['[0-9]', 'a1b2c3', 0], []],
  ['regexFindAll', ['a*', 'baaac', -1], ['', 'aaa', '']],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: Go replacement syntax, not a JS template
  ['regexReplaceAll', ['a(x*)b', '-ab-axxb-', '${1}W'], '-W-xxW-'],
  ['regexReplaceAll', ['a(x*)b', '-ab-axxb-', '$1W'], '---'],
  ['regexReplaceAll', ['a(x*)b', '-ab-axxb-', '$1'], '--xx-'],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: Go replacement syntax, not a JS template
  ['regexReplaceAll', ['a(?P<x>x*)b', '-axxb-', '<${x}>'], '-<xx>-'],
  ['regexReplaceAll', ['a*', 'baaac', '-'], '-b-c-'],
  ['regexReplaceAll', ['\\.', '1.2.3', '$$'], '1$2$3'],
  ['regexReplaceAll', ['[^a-z0-9-]', 'My_Release.Name', '-'], '-y--elease--ame'],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: Go replacement syntax, not a JS template
  ['regexReplaceAllLiteral', ['a(x*)b', '-ab-axxb-', '${1}'], '-${1}-${1}-'],
  ['mustRegexReplaceAllLiteral', ['\\+', 'a+b', '$'], 'a$b'],
  ['regexSplit', ['z+', 'pizza', -1], ['pi', 'a']],
  ['regexSplit', ['z+', 'pizza', 1], ['pizza']],
  ['regexSplit', ['z+', 'pizza', 0], []],
  ['regexSplit', ['', 'abc', -1], ['a', 'b', 'c']],
  ['regexSplit', ['a*', 'abaabaccadaaae', 5], ['', 'b', 'b', 'c', 'cadaaae']],
  ['regexSplit', [',', '', -1], ['']],
  ['regexQuoteMeta', ['1.2+3'], '1\\.2\\+3'],
];

describe('regex functions', () => {
  it.each(cases)('%s %j → %j', (name, args, expected) => {
    expect(run(name, args)).toStrictEqual(expected);
  });

  it.each([
    ['mustRegexMatch', ['[', 'x'], /error parsing regexp/],
    ['mustRegexMatch', ['(a)\\1', 'aa'], /invalid escape sequence/],
    ['mustRegexMatch', ['(?=a)', 'a'], /invalid or unsupported Perl syntax/],
    ['regexFind', ['(', 'x'], /error parsing regexp/],
    ['regexReplaceAll', ['a{1001}', 'x', ''], /invalid repeat count/],
    ['regexMatch', ['a', 'x'.repeat(1024 * 1024 + 1)], /subject longer than/],
    ['regexMatch', ['a'.repeat(65 * 1024), 'x'], /longer than/],
  ])('%s fails', (name, args, message) => {
    expect(() => run(name, args)).toThrow(TemplateFunctionError);
    expect(() => run(name, args)).toThrow(message);
  });
});

import { describe, expect, it } from 'vitest';
import { ShellSyntaxError, skipBalanced, tokenize } from '../../../src/cluster/images/shell-parse.js';
import { contextFor, FakeNetwork, logText, newCatalog, start } from './fixtures.js';

const catalog = newCatalog();

function run(script: string) {
  const ctx = contextFor(new FakeNetwork(), 'test-pod');
  const behaviour = start(catalog, 'alpine', { command: ['sh', '-c', script] }, ctx);
  return { exit: behaviour.exit, lines: logText(behaviour, ctx, 10) };
}

describe('shell syntax errors, from the tokenizer and from the parser', () => {
  // The tokenizer and the parser live in separate modules: both must throw the one error class
  // the shell catches and reports, not crash the run.
  it.each([
    ['echo "unterminated', 'sh: syntax error: unterminated quoted string'],
    ['echo `date', 'sh: syntax error: unterminated backquote'],
    ['echo $(date', "sh: syntax error: missing ')'"],
    ['done', 'sh: syntax error: unexpected "done"'],
    ['while true; do echo x', 'sh: syntax error: unexpected "end of file" (expecting "done")'],
  ])('sh -c %j reports %j and exits 2', (script, message) => {
    const { exit, lines } = run(script);
    expect(lines).toEqual([message]);
    expect(exit?.code).toBe(2);
  });

  it('shell-parse still offers the tokenizer and its error class', () => {
    expect(tokenize('a "b c" && d > f')).toEqual([
      { kind: 'word', text: 'a' },
      { kind: 'word', text: '"b c"' },
      { kind: 'op', text: '&&' },
      { kind: 'word', text: 'd' },
      { kind: 'redirect', redirect: { fd: 1, op: '>' } },
      { kind: 'word', text: 'f' },
    ]);
    expect(skipBalanced('$(a (b) c) d', 1)).toBe(10);
    expect(() => tokenize("echo 'x")).toThrow(ShellSyntaxError);
  });
});

/**
 * `mergeValueOptions`: values files (map check, YAML errors with file and line, read errors)
 * and the fixed flag-type order.
 */

import { describe, expect, it } from 'vitest';
import { IoError, LimitError, ValuesError, YamlError } from '../../src/internal/errors.js';
import { mergeValueOptions, type ValueOptions } from '../../src/values/value-options.js';

function sourcesOf(files: Record<string, string>) {
  return {
    readFile: async (path: string): Promise<string> => {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
      return text;
    },
  };
}

describe('values files', () => {
  it.each([
    ['a list', '- a\n- b\n', 'list.yaml: values must be a map, got a list'],
    ['a number', '42\n', 'list.yaml: values must be a map, got a number'],
    ['a string', 'hello\n', 'list.yaml: values must be a map, got a string'],
  ])('B6: a file holding %s is refused', async (_what, text, message) => {
    const err = await mergeValueOptions(
      { valueFiles: ['list.yaml'] },
      sourcesOf({ 'list.yaml': text }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValuesError);
    expect((err as Error).message).toBe(message);
  });

  it.each([
    ['empty', ''],
    ['null', 'null\n'],
    ['comments only', '# nothing here\n'],
  ])('B6: an %s file is {}', async (_what, text) => {
    expect(await mergeValueOptions({ valueFiles: ['e.yaml'] }, sourcesOf({ 'e.yaml': text }))).toStrictEqual(
      {},
    );
  });

  it('names the file and line of a YAML syntax error', async () => {
    const err = await mergeValueOptions(
      { valueFiles: ['bad.yaml'] },
      sourcesOf({ 'bad.yaml': 'a: 1\nb: [1\nc: 2\n' }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(YamlError);
    expect((err as YamlError).source).toBe('bad.yaml');
    expect((err as Error).message).toMatch(/^bad\.yaml:\d+: /);
    expect((err as YamlError).line).toBeGreaterThanOrEqual(2);
  });

  it('wraps a failed read in an IoError naming the file', async () => {
    const err = await mergeValueOptions({ valueFiles: ['missing.yaml'] }, sourcesOf({})).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(IoError);
    expect((err as Error).message).toContain('cannot read values file "missing.yaml"');
  });

  it('B2: a deep flow nesting given twice fails cleanly both times', async () => {
    const deep = `a: ${'['.repeat(1000)}${']'.repeat(1000)}\n`;
    const files = sourcesOf({ 'a.yaml': deep });
    for (let i = 0; i < 2; i++) {
      await expect(mergeValueOptions({ valueFiles: ['a.yaml', 'a.yaml'] }, files)).rejects.toThrow(
        LimitError,
      );
    }
  });

  it('merges files left to right: maps merge, lists and scalars replace', async () => {
    const files = sourcesOf({
      '1.yaml': 'a: {p: 1, q: [1, 2]}\nb: one\n',
      '2.yaml': 'a: {q: [3], r: true}\nb: {two: 2}\n',
    });
    expect(await mergeValueOptions({ valueFiles: ['1.yaml', '2.yaml'] }, files)).toStrictEqual({
      a: { p: 1, q: [3], r: true },
      b: { two: 2 },
    });
  });
});

describe('flag type order', () => {
  const all: ValueOptions = {
    setLiteral: ['k=literal'],
    setFile: ['k=file.txt'],
    setString: ['k=string'],
    set: ['k=set'],
    setJson: ['k="json"'],
  };
  const files = sourcesOf({ 'file.txt': 'file' });

  it.each<[string, keyof ValueOptions | undefined, string]>([
    ['--set-literal beats everything', undefined, 'literal'],
    ['--set-file beats --set-string', 'setLiteral', 'file'],
    ['--set-string beats --set', 'setFile', 'string'],
    ['--set beats --set-json', 'setString', 'set'],
    ['--set-json beats files', 'set', 'json'],
  ])('%s', async (_name, drop, want) => {
    const opts: ValueOptions = { ...all, valueFiles: [] };
    const order: (keyof ValueOptions)[] = ['setLiteral', 'setFile', 'setString', 'set', 'setJson'];
    if (drop) for (const key of order.slice(0, order.indexOf(drop) + 1)) delete opts[key];
    expect((await mergeValueOptions(opts, files)).k).toBe(want);
  });
});

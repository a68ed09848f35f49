/**
 * The `--set` grammar: typing, escapes, lists, indexes, the five flavours, Helm's error texts,
 * the cases Helm silently ignores (which fail here), limits and linear-time parsing.
 */

import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, IoError, LimitError } from '../../src/internal/errors.js';
import type { PlainObject } from '../../src/internal/objects.js';
import {
  parseSet,
  parseSetFile,
  parseSetJson,
  parseSetLiteral,
  parseSetString,
  typedValue,
} from '../../src/values/strvals.js';

describe('typedValue', () => {
  it.each([
    ['true', true],
    ['False', false],
    ['NULL', null],
    ['0', 0],
    ['-0', 0],
    ['+0', 0],
    ['12', 12],
    ['-12', -12],
    ['+5', 5],
    ['-007', -7],
    ['9007199254740991', 9007199254740991],
    ['9007199254740992', '9007199254740992'],
    ['9223372036854775808', '9223372036854775808'],
    ['+', '+'],
    ['-', '-'],
    ['', ''],
    ['007', '007'],
    ['1.5', '1.5'],
    ['1e3', '1e3'],
    ['0x1F', '0x1F'],
    ['1_000', '1_000'],
    [' 1', ' 1'],
    ['tru', 'tru'],
  ])('%j → %j', (text, want) => {
    expect(typedValue(text)).toStrictEqual(want);
  });
});

describe('parseSet grammar', () => {
  it.each<[string, PlainObject]>([
    ['a.b.c=v', { a: { b: { c: 'v' } } }],
    ['x= spaced ', { x: ' spaced ' }],
    ['x={a\\,b,c}', { x: ['a,b', 'c'] }],
    ['x={a},y=2', { x: ['a'], y: 2 }],
    ['a[0]=1,a[2]=3', { a: [1, null, 3] }],
    ['a[0].b[1].c=x', { a: [{ b: [null, { c: 'x' }] }] }],
    ['a[+1]=x', { a: [null, 'x'] }],
    ['a[007]=x', { a: [null, null, null, null, null, null, null, 'x'] }],
    ['a\\😀b=1', { 'a😀b': 1 }],
    ['a=b\\', { a: 'b' }],
    ['a\\[0\\]=1', { 'a[0]': 1 }],
    ['a\\]=1', { 'a]': 1 }],
    ['a=', { a: '' }],
    ['', {}],
    ['a=1,,', {}],
  ])('%s', (expr, want) => {
    if (expr === 'a=1,,') {
      expect(() => parseSet(expr, {})).toThrow('key "" has no value (cannot end with ,)');
      return;
    }
    expect(parseSet(expr, {})).toStrictEqual(want);
  });

  it('merges into an existing map and replaces existing lists', () => {
    const base: PlainObject = { a: { b: 1 }, l: ['x', 'y', 'z'] };
    parseSet('a.c=2,l={q}', base);
    expect(base).toStrictEqual({ a: { b: 1, c: 2 }, l: ['q'] });
  });

  it('replaces a non-map list element when a key follows (as Helm)', () => {
    expect(parseSet('a[0]=x,a[0].b=1', {})).toStrictEqual({ a: [{ b: 1 }] });
  });
});

describe('other flavours', () => {
  it.each<[string, (e: string, into: PlainObject) => PlainObject, string, PlainObject]>([
    ['--set-string lists', parseSetString, 'a={1,true},b=null', { a: ['1', 'true'], b: 'null' }],
    ['--set-literal keeps the rest verbatim', parseSetLiteral, 'a.b[0]=x,y\\z', { a: { b: ['x,y\\z'] } }],
    ['--set-literal has no comma in keys', parseSetLiteral, 'a,b=1', { 'a,b': '1' }],
    ['--set-literal empty value', parseSetLiteral, 'a=', { a: '' }],
    ['--set-json scalars', parseSetJson, 'a=1,b="x"', { a: 1, b: 'x' }],
    ['--set-json blank is null', parseSetJson, 'a=  ,b=2', { a: null, b: 2 }],
    ['--set-json index', parseSetJson, 'a[1]={"k":[1]}', { a: [null, { k: [1] }] }],
    ['--set-json string with comma', parseSetJson, 'a="x,}y",b=true', { a: 'x,}y', b: true }],
  ])('%s', (_name, parse, expr, want) => {
    expect(parse(expr, {})).toStrictEqual(want);
  });

  it('--set-json deep-merges a whole object', () => {
    const base: PlainObject = { image: { repo: 'x', tag: 'a' } };
    parseSetJson(' {"image":{"tag":"b"},"n":[1]} ', base);
    expect(base).toStrictEqual({ image: { repo: 'x', tag: 'b' }, n: [1] });
  });

  it('--set-file reads each path in order, lists included', async () => {
    const read: string[] = [];
    const files: Record<string, string> = { p1: 'one', p2: 'two', p3: 'three' };
    const got = await parseSetFile('a=p1,b={p2,p3}', {}, (p) => {
      read.push(p);
      return Promise.resolve(files[p]!);
    });
    expect(got).toStrictEqual({ a: 'one', b: ['two', 'three'] });
    expect(read).toStrictEqual(['p1', 'p2', 'p3']);
  });

  it('--set-file checks the expression before reading any file', async () => {
    const read: string[] = [];
    await expect(parseSetFile('a=p1,b', {}, (p) => read.push(p).toString())).rejects.toThrow(
      '--set-file "a=p1,b": key "b" has no value',
    );
    expect(read).toStrictEqual([]);
  });

  it('--set-file names the flag when a read fails, keeping the error class', async () => {
    const fail = (): string => {
      throw new IoError('open /nope: no such file');
    };
    const err = await parseSetFile('a=/nope', {}, fail).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IoError);
    expect((err as Error).message).toBe('--set-file "a=/nope": open /nope: no such file');
  });
});

describe('errors (security-and-faults §5.C)', () => {
  it.each([
    ['C1', 'a[65537]=1', LimitError, 'index of 65537 is greater than maximum supported index of 65536'],
    ['C1', 'a[70000]=1', LimitError, 'index of 70000 is greater than maximum supported index of 65536'],
    ['C1', 'a[-1]=1', InvalidArgumentError, 'negative -1 index not allowed'],
    [
      'C2',
      `${'a.'.repeat(31)}a=1`,
      LimitError,
      'value name nested level is greater than maximum supported nested level of 30',
    ],
    [
      'C2',
      `a${'[0]'.repeat(32)}=1`,
      LimitError,
      'value name nested level is greater than maximum supported nested level of 30',
    ],
    ['C3', 'a', InvalidArgumentError, 'key "a" has no value'],
    ['C3', 'a,b=1', InvalidArgumentError, 'key "a" has no value (cannot end with ,)'],
    ['C3', 'a.=b', InvalidArgumentError, 'key map "a" has no value'],
    ['C3', 'a=b,c', InvalidArgumentError, 'key "c" has no value'],
    ['C4', '=b', InvalidArgumentError, 'missing key before "="'],
    ['C4', 'a[=1', InvalidArgumentError, 'missing "]" after index of key "a"'],
    ['C4', 'a]=1', InvalidArgumentError, 'unexpected "]" after key "a"'],
    ['C4', 'a[0]', InvalidArgumentError, 'key "a[0]" has no value'],
    ['C4', 'a.', InvalidArgumentError, 'key map "a" has no value'],
    ['C4', '[0]=1', InvalidArgumentError, 'missing key before "["'],
    ['C4', '.a=1', InvalidArgumentError, 'missing key before "."'],
    ['grammar', 'a[x]=1', InvalidArgumentError, 'error parsing index: "x" is not an integer'],
    ['grammar', 'a[0]x=1', InvalidArgumentError, 'unexpected data at end of array index: "x"'],
    ['grammar', 'x={a,b', InvalidArgumentError, "list must terminate with '}'"],
  ])('%s: --set %j', (_id, expr, errorClass, detail) => {
    const err = (() => {
      try {
        parseSet(expr, {});
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(errorClass);
    expect((err as Error).message).toBe(
      `--set ${JSON.stringify(expr.length > 64 ? `${expr.slice(0, 60)}…` : expr)}: ${detail}`,
    );
  });

  it('accepts exactly 30 levels and index 65536', () => {
    expect(() => parseSet(`${'a.'.repeat(30)}a=1`, {})).not.toThrow();
    expect((parseSet('a[65536]=1', {}).a as unknown[]).length).toBe(65537);
  });

  it.each([
    [['a=1', 'a[0]=2'], 'unable to parse key: "a" is a number, not a list'],
    [['a=null', 'a.b=1'], 'unable to parse key: "a" is null, not a map'],
    [['a[0]=x', 'a[0][0]=y'], 'unable to parse key: "a[0]" is a string, not a list'],
  ])('row 12 shape: %j', (exprs, detail) => {
    const base: PlainObject = {};
    parseSet(exprs[0]!, base);
    expect(() => parseSet(exprs[1]!, base)).toThrow(detail);
  });

  it('bounds the null padding one expression can create', () => {
    const expr = Array.from({ length: 17 }, (_, i) => `a[${i}][65536]=1`).join(',');
    expect(() => parseSet(expr, {})).toThrow(LimitError);
  });

  it('--set-json names the flag on bad JSON and on trailing data', () => {
    expect(() => parseSetJson('a={bad', {})).toThrow(/^--set-json "a=\{bad": invalid JSON/);
    expect(() => parseSetJson('a=1 b=2', {})).toThrow(
      '--set-json "a=1 b=2": unexpected data after JSON value: "b=2"',
    );
    expect(() => parseSetJson('{"a":', {})).toThrow(/^--set-json "\{\\"a\\":": invalid JSON/);
  });

  it('keeps every message on one line and short', () => {
    for (const expr of ['a\nb', `a\n${'x'.repeat(1_000_000)}`, `${'y'.repeat(1_000_000)}`]) {
      try {
        parseSet(expr, {});
        expect.unreachable();
      } catch (e) {
        expect((e as Error).message).not.toContain('\n');
        expect((e as Error).message.length).toBeLessThan(300);
      }
    }
  });
});

describe('C6: a 10 MB argument parses in linear time', () => {
  const big = 10 * 1024 * 1024;
  const manyKeys = Array.from({ length: 220_000 }, (_, i) => `k${i}=${'v'.repeat(40)}`).join(',');
  const manyAssignments = Array.from({ length: 1_000_000 }, (_, i) => `k${i % 1000}=v`).join(',');
  it.each<[string, () => void]>([
    ['one long value', () => parseSet(`a=${'x'.repeat(big)}`, {})],
    ['220 000 keys', () => parseSet(manyKeys, {})],
    ['a million assignments', () => parseSet(manyAssignments, {})],
    ['escapes everywhere', () => parseSet(`a=${'\\,'.repeat(big / 2)}`, {})],
    ['a long list', () => parseSet(`a={${'x,'.repeat(big / 2)}}`, {})],
    ['a JSON string', () => parseSetJson(`a=${JSON.stringify('x'.repeat(big))}`, {})],
    ['a literal', () => parseSetLiteral(`a=${'x,'.repeat(big / 2)}`, {})],
    [
      'deep keys (limit hit early)',
      () => expect(() => parseSet(`a${'.b'.repeat(big / 2)}=1`, {})).toThrow(LimitError),
    ],
    ['a huge index', () => expect(() => parseSet(`a[${'9'.repeat(big)}]=1`, {})).toThrow(LimitError)],
  ])('%s', (_name, parse) => {
    // The best of two runs: the bound is about the algorithm, not a busy machine.
    let best = Number.POSITIVE_INFINITY;
    for (let run = 0; run < 2; run++) {
      const start = performance.now();
      parse();
      best = Math.min(best, performance.now() - start);
    }
    expect(best).toBeLessThan(1000);
  });
});

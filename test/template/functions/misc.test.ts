import { describe, expect, it } from 'vitest';
import { createFunctionTable } from '../../../src/template/functions/index.js';
import { TemplateFunctionError } from '../../../src/template/types.js';
import { callInfo, run, table } from './helpers.js';

type Case = [name: string, args: unknown[], expected: unknown];

const encodingCases: Case[] = [
  ['b64enc', ['hello'], 'aGVsbG8='],
  ['b64enc', [''], ''],
  ['b64dec', ['aGVsbG8='], 'hello'],
  ['b64dec', ['aGVs\nbG8='], 'hello'],
  ['b64dec', ['aGVsbG8'], 'illegal base64 data at input byte 4'],
  ['b64dec', ['a$bc'], 'illegal base64 data at input byte 1'],
  ['b32enc', ['hello'], 'NBSWY3DP'],
  ['b32enc', ['a'], 'ME======'],
  ['b32dec', ['NBSWY3DP'], 'hello'],
  ['b32dec', ['ME======'], 'a'],
  ['b32dec', ['ME=====?'], 'illegal base32 data at input byte 7'],
  ['sha1sum', ['hello'], 'aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d'],
  ['sha256sum', ['hello'], '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824'],
  [
    'sha512sum',
    ['hello'],
    '9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043',
  ],
  ['adler32sum', ['Wikipedia'], '300286872'],
  ['html', ["<a href='x'>&</a>"], '&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;'],
  ['js', ["it's <b>"], "it\\'s \\u003Cb\\u003E"],
  ['urlquery', ['a b&c=d/é'], 'a+b%26c%3Dd%2F%C3%A9'],
  ['htpasswd', ['user', 'pass', 'sha'], 'user:{SHA}nU4eI71bcnBGqeO0t9tXvY1u5oQ='],
  ['htpasswd', ['us:er', 'pass', 'sha'], 'invalid username: us:er'],
  ['genPrivateKey', ['foo'], 'Unknown type foo'],
];

describe('encoding functions', () => {
  it.each(encodingCases)('%s %j → %j', (name, args, expected) => {
    expect(run(name, args)).toStrictEqual(expected);
  });

  it.each([
    ['ecdsa', '-----BEGIN EC PRIVATE KEY-----\n'],
    ['ed25519', '-----BEGIN PRIVATE KEY-----\n'],
  ])('genPrivateKey %s gives a PEM key', (type, header) => {
    const pem = run('genPrivateKey', [type]) as string;
    expect(pem.startsWith(header)).toBe(true);
    expect(pem.endsWith('-----\n')).toBe(true);
  });

  it.each([
    ['genPrivateKey', ['dsa'], /dsa keys are not supported/],
    ['encryptAES', ['secret', 'text'], /encryptAES is not supported yet/],
  ])('%s is reported as unsupported', (name, args, message) => {
    expect(() => run(name, args)).toThrow(TemplateFunctionError);
    expect(() => run(name, args)).toThrow(message);
  });
});

describe('random functions', () => {
  it.each([
    ['randAlphaNum', /^[A-Za-z0-9]{12}$/],
    ['randAlpha', /^[A-Za-z]{12}$/],
    ['randNumeric', /^[0-9]{12}$/],
    ['randAscii', /^[ -~]{12}$/],
  ])('%s 12 matches %s', (name, pattern) => {
    expect(run(name, [12])).toMatch(pattern);
  });

  it('is deterministic for a seed and varies with it', () => {
    const a = table({ seed: 7 });
    const b = table({ seed: 7 });
    const c = table({ seed: 8 });
    const draw = (t: typeof a): unknown[] => [run('randAlphaNum', [16], {}, t), run('uuidv4', [], {}, t)];
    const first = draw(a);
    expect(draw(b)).toStrictEqual(first);
    expect(draw(c)).not.toStrictEqual(first);
    expect(draw(a)).not.toStrictEqual(first);
  });

  it("each template draws from its own stream: another template's draws do not shift it", () => {
    const at = (t: ReturnType<typeof table>, template: string): unknown =>
      t['randAlphaNum']!([16], { ...callInfo('randAlphaNum'), template });
    const alone = table({ seed: 3 });
    const mixed = table({ seed: 3 });
    const first = at(alone, 'c/templates/b.yaml');
    at(mixed, 'c/templates/a.yaml');
    at(mixed, 'c/templates/a.yaml');
    expect(at(mixed, 'c/templates/b.yaml')).toBe(first);
    expect(at(alone, 'c/templates/a.yaml')).not.toBe(first);
  });

  it('uuidv4 has the version 4 layout', () => {
    expect(run('uuidv4', [])).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('shuffle permutes the characters', () => {
    const s = run('shuffle', ['abcdefghij']) as string;
    expect([...s].sort().join('')).toBe('abcdefghij');
  });

  it('randInt stays in range', () => {
    for (let i = 0; i < 50; i++) {
      const n = run('randInt', [3, 6]) as number;
      expect(n >= 3 && n < 6).toBe(true);
    }
  });

  it('randAlphaNum refuses negative and huge counts', () => {
    expect(() => run('randAlphaNum', [-1])).toThrow(TemplateFunctionError);
    expect(() => run('randAlphaNum', [1e9])).toThrow(/too large/);
  });
});

describe('helm functions', () => {
  it.each([
    ['msg', 0, 0],
    ['msg', false, false],
    ['msg', 'x', 'x'],
    ['msg', [], []],
  ])('required %j %j → %j', (msg, value, expected) => {
    expect(run('required', [msg, value])).toStrictEqual(expected);
  });

  it.each([null, undefined, ''])('required fails on %j', (value) => {
    expect(() => run('required', ['.Values.name is required', value])).toThrow(
      new TemplateFunctionError('.Values.name is required'),
    );
  });

  it('required returns "" in lint mode', () => {
    expect(run('required', ['msg', null], {}, table({ lintMode: true }))).toBe('');
  });

  it('fail throws its message', () => {
    expect(() => run('fail', ['boom'])).toThrow(new TemplateFunctionError('boom'));
  });

  it('lookup is an empty map offline', () => {
    expect(run('lookup', ['v1', 'Secret', 'ns', 'x'])).toStrictEqual({});
  });

  it('lookup calls the injected client and copies its answer', () => {
    const secret = { kind: 'Secret', data: { a: 'Yg==' } };
    const calls: string[][] = [];
    const t = table({
      lookup: (...args) => {
        calls.push(args);
        return secret;
      },
    });
    const got = run('lookup', ['v1', 'Secret', 'ns', 'x'], {}, t);
    expect(got).toStrictEqual(secret);
    expect(got).not.toBe(secret);
    expect(calls).toStrictEqual([['v1', 'Secret', 'ns', 'x']]);
    expect(run('lookup', ['v1', 'Secret', 'ns', 'y'], {}, table({ lookup: () => null }))).toStrictEqual({});
  });

  it('getHostByName returns ""', () => {
    expect(run('getHostByName', ['example.com'])).toBe('');
  });
});

describe('createFunctionTable', () => {
  const t = createFunctionTable({});
  it('holds the functions real charts use', () => {
    const used =
      'nindent toYaml dict not default quote or and indent printf hasKey dig eq trimSuffix trunc semverCompare list print mergeOverwrite empty index ternary contains append ne kindIs fail b64enc has omit join toString sha256sum trim int gt fromYaml coalesce len replace lookup get typeIs concat upper pick keys first required merge set until sortAlpha mustUniq split typeOf toJson add regexMatch splitList randAlphaNum b64dec fromYamlArray sub add1 uniq lower randAlpha regexReplaceAll regexFind title trimPrefix int64 mustRegexReplaceAllLiteral without semver randNumeric randAscii regexReplaceAllLiteral substr shuffle cat reverse trimAll mul mod max now date fromJsonArray mustToJson unset htpasswd le floor div slice';
    expect(used.split(' ').filter((name) => typeof t[name] !== 'function')).toStrictEqual([]);
  });

  it('leaves out env, expandenv and the engine functions', () => {
    for (const name of [
      'env',
      'expandenv',
      'include',
      'tpl',
      'template',
      'constructor',
      'hasOwnProperty',
      '__proto__',
    ]) {
      expect(t[name]).toBeUndefined();
    }
  });

  it('is frozen', () => {
    expect(Object.isFrozen(t)).toBe(true);
  });
});

describe('runaway values', () => {
  const cyclic = (): Record<string, unknown> => {
    const d: Record<string, unknown> = { a: 1 };
    run('set', [d, 'self', d]);
    return d;
  };
  const shared = (): unknown => {
    let d: unknown = { leaf: 'x' };
    for (let i = 0; i < 40; i++) d = run('dict', ['a', d, 'b', d]);
    return d;
  };

  it.each(['toString', 'toYaml', 'toJson', 'deepCopy', 'quote'])('%s stops on a cyclic value', (name) => {
    const v = cyclic();
    if (name === 'toYaml' || name === 'toJson') expect(run(name, [v])).toBe('');
    else expect(() => run(name, [v])).toThrow(TemplateFunctionError);
  });

  it.each(['toString', 'deepCopy', 'mustToYaml'])('%s stops on a huge shared tree', (name) => {
    expect(() => run(name, [shared()])).toThrow(/too large/);
  });

  it('printf stops on a huge shared tree and on huge precision', () => {
    expect(() => run('printf', ['%v', shared()])).toThrow(TemplateFunctionError);
    expect(() => run('printf', ['%.999999999f', 1])).toThrow(/too large/);
  });

  it('deepEqual and merge stop on huge shared trees', () => {
    expect(() => run('deepEqual', [shared(), shared()])).toThrow(/too large/);
    expect(() => run('merge', [{}, shared()])).toThrow(/too large/);
  });
});

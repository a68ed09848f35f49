import { describe, expect, it } from 'vitest';
import {
  labelEqualityTerms,
  labelSelectorFromMap,
  labelSelectorFromObject,
  labelSelectorToString,
  matchesLabels,
  parseLabelSelector,
} from '../../../../src/cluster/api/machinery/label-selector.js';
import { ApiError } from '../../../../src/cluster/api/types.js';

const WEB = { app: 'web', tier: 'fe', env: 'prod' };
const DB = { app: 'db', tier: 'be' };
const NONE = {};

describe('label selector: query-string syntax', () => {
  // [selector, labels, matches]
  const cases: [string, Record<string, string>, boolean][] = [
    ['', WEB, true],
    ['', NONE, true],
    ['app=web', WEB, true],
    ['app=web', DB, false],
    ['app==web', WEB, true],
    ['app!=web', WEB, false],
    ['app!=web', DB, true],
    ['app!=web', NONE, true],
    ['app in (web,db)', WEB, true],
    ['app in (web,db)', DB, true],
    ['app in (web)', NONE, false],
    ['app notin (web)', WEB, false],
    ['app notin (web)', DB, true],
    ['app notin (web)', NONE, true],
    ['app', WEB, true],
    ['app', NONE, false],
    ['!app', WEB, false],
    ['!app', NONE, true],
    ['app=web,tier=fe', WEB, true],
    ['app=web,tier=be', WEB, false],
    ['app=web, tier in (fe, be)', WEB, true],
    ['  app = web  ', WEB, true],
    ['env,!canary', WEB, true],
    ['env,!canary', DB, false],
    ['app in (),tier', { app: '', tier: 'x' }, true],
    ['app=', { app: '' }, true],
    ['app=', WEB, false],
    ['x in (in, notin)', { x: 'notin' }, true],
    ['example.com/role=admin', { 'example.com/role': 'admin' }, true],
    ['version>2', { version: '3' }, true],
    ['version<2', { version: '3' }, false],
    ['version>2', { version: 'x' }, false],
  ];
  it.each(cases)('%j on %j → %s', (text, labels, expected) => {
    expect(matchesLabels(parseLabelSelector(text), labels)).toBe(expected);
  });

  const errors: [string, string][] = [
    ['app=web,', "found '', expected: identifier after ','"],
    ['app web', "unable to parse requirement: found 'web', expected: in, notin, =, ==, !=, gt, lt"],
    ['app in web', "unable to parse requirement: found 'web' expected: '('"],
    ['app in (a b)', "unable to parse requirement: found 'b', expected: ',' or ')'"],
    ['=web', "found '=', expected: !, identifier, or 'end of string'"],
    ['!app=web', "found '=', expected: ',' or 'end of string'"],
    ['app=web=x', "found '=', expected: ',' or 'end of string'"],
    ['Bad Key!=x', "unable to parse requirement: found 'Key', expected: in, notin, =, ==, !=, gt, lt"],
    [
      '-app=x',
      `unable to parse requirement: <nil>: Invalid value: "-app": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    ],
    [
      'app=-web',
      `unable to parse requirement: values[0][app]: Invalid value: "-web": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    ],
    [
      'a/b/c=x',
      'unable to parse requirement: <nil>: Invalid value: "a/b/c": a qualified name must consist of',
    ],
    [
      'version>x',
      `unable to parse requirement: values[0]: Invalid value: "x": for 'Gt', 'Lt' operators, the value must be an integer`,
    ],
  ];
  it.each(errors)('%j is refused: %s', (text, message) => {
    let caught: unknown;
    try {
      parseLabelSelector(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ApiError);
    expect((caught as ApiError).code).toBe(400);
    expect((caught as ApiError).reason).toBe('BadRequest');
    expect((caught as ApiError).message.startsWith(message)).toBe(true);
  });

  it('prints the canonical form, sorted by key', () => {
    expect(labelSelectorToString(parseLabelSelector('tier in (fe,be),app=web,!canary,env'))).toBe(
      'app=web,!canary,env,tier in (be,fe)',
    );
  });

  it('gives the equality terms an index can serve', () => {
    expect(labelEqualityTerms(parseLabelSelector('app=web,tier in (fe),env!=x,y in (a,b)'))).toEqual({
      app: 'web',
      tier: 'fe',
    });
    expect(labelEqualityTerms(parseLabelSelector('!x'))).toBeUndefined();
  });
});

describe('label selector: object form', () => {
  const cases: [string, unknown, Record<string, string>, boolean][] = [
    ['{} selects everything', {}, NONE, true],
    ['null selects nothing', null, WEB, false],
    ['absent selects nothing', undefined, WEB, false],
    ['matchLabels', { matchLabels: { app: 'web' } }, WEB, true],
    ['matchLabels mismatch', { matchLabels: { app: 'web' } }, DB, false],
    ['In', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe', 'x'] }] }, WEB, true],
    ['NotIn', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['fe'] }] }, WEB, false],
    ['Exists', { matchExpressions: [{ key: 'env', operator: 'Exists' }] }, WEB, true],
    ['DoesNotExist', { matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] }, DB, true],
    [
      'both are ANDed',
      { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['dev'] }] },
      WEB,
      false,
    ],
  ];
  it.each(cases)('%s', (_name, selector, labels, expected) => {
    expect(matchesLabels(labelSelectorFromObject(selector), labels)).toBe(expected);
  });

  it('refuses an unknown operator with Kubernetes wording', () => {
    expect(() => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'Foo' }] })).toThrow(
      '"Foo" is not a valid label selector operator',
    );
  });

  it('refuses In without values', () => {
    expect(() =>
      labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }),
    ).toThrow(
      "values: Invalid value: []interface {}{}: for 'in', 'notin' operators, values set can't be empty",
    );
  });

  it('turns a map selector into equality requirements', () => {
    const selector = labelSelectorFromMap({ tier: 'fe', app: 'web' });
    expect(labelSelectorToString(selector)).toBe('app=web,tier=fe');
    expect(matchesLabels(selector, WEB)).toBe(true);
  });
});

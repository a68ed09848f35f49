import { describe, expect, it } from 'vitest';
import { TemplateFunctionError } from '../../../src/template/types.js';
import { run } from './helpers.js';

const compareCases: Array<[constraint: string, version: string, expected: boolean]> = [
  ['>=1.19-0', 'v1.35.0', true],
  ['<1.14-0', 'v1.35.0', false],
  ['>=1.19-0', 'v1.19.0', true],
  ['>=1.19-0', '1.18.9', false],
  ['>=1.20.0-0', '1.21.0-gke.1', true],
  ['>=1.20.0', '1.21.0-gke.1', false],
  ['>=1.21-0', 'v1.21.0-eks-12345', true],
  ['>= 1.19.0-0', '1.19.0-rc.1', true],
  ['>=1.16.0-0 <1.25.0-0', 'v1.24.3', true],
  ['>=1.16.0-0, <1.25.0-0', 'v1.25.0', false],
  ['^1.2.3', '1.9.9', true],
  ['^1.2.3', '2.0.0', false],
  ['^0.2.3', '0.2.9', true],
  ['^0.2.3', '0.3.0', false],
  ['^0.0.3', '0.0.4', false],
  ['^2.x', '2.5.1', true],
  ['~1.2.3', '1.2.9', true],
  ['~1.2.3', '1.3.0', false],
  ['~1', '1.9.0', true],
  ['~>1.2', '1.2.7', true],
  ['~1.2.3-beta.2', '1.2.3-beta.4', true],
  ['1.2.x', '1.2.9', true],
  ['1.2.x', '1.3.0', false],
  ['*', '5.0.0', true],
  ['*', '5.0.0-beta', false],
  ['1.2 - 1.4.5', '1.3.0', true],
  ['1.2 - 1.4.5', '1.4.6', false],
  ['>=1.0, <2.0', '1.5.0', true],
  ['>=1.0 <2.0', '2.0.0', false],
  ['<1.0 || >=2.0', '2.1.0', true],
  ['<1.0 || >=2.0', '1.5.0', false],
  ['!=1.2.3', '1.2.4', true],
  ['!=1.2.3', '1.2.3', false],
  ['=1.2.3', 'v1.2.3', true],
  ['1.2.3', '1.2.3+build.5', true],
  ['>1.2', '1.2.9', false],
  ['>1.2', '1.3.0', true],
  ['<=1.2', '1.2.9', true],
  ['<=1.2.3', '1.2.4', false],
  ['>=1.2.3-alpha.1', '1.2.3-alpha.2', true],
  ['>=1.2.3-beta', '1.2.3-alpha', false],
  ['>=1.2.3-alpha.10', '1.2.3-alpha.9', false],
  ['<2.0.0-0', '1.9.0-rc.1', true],
];

describe('semverCompare (Masterminds v3 rules)', () => {
  it.each(compareCases)('semverCompare %j %j → %j', (constraint, version, expected) => {
    expect(run('semverCompare', [constraint, version])).toBe(expected);
  });
});

describe('semver', () => {
  it.each([
    [
      'v1.2.3-beta.1+build',
      {
        Major: 1,
        Minor: 2,
        Patch: 3,
        Prerelease: 'beta.1',
        Metadata: 'build',
        Original: 'v1.2.3-beta.1+build',
      },
    ],
    ['1.2', { Major: 1, Minor: 2, Patch: 0, Prerelease: '', Metadata: '', Original: '1.2' }],
    ['v1.35.0', { Major: 1, Minor: 35, Patch: 0, Prerelease: '', Metadata: '', Original: 'v1.35.0' }],
  ])('semver %j', (input, expected) => {
    expect(run('semver', [input])).toStrictEqual(expected);
  });

  it.each([
    ['semverCompare', ['foo', '1.0.0'], /improper constraint: foo/],
    ['semverCompare', ['>=1.0', 'x.y'], /Invalid Semantic Version/],
    ['semverCompare', ['', '1.0.0'], /improper constraint/],
    ['semver', ['1.0.0-01'], /Version segment starts with 0/],
    ['semver', ['1.2.3.4'], /Invalid Semantic Version/],
  ])('%s %j fails', (name, args, message) => {
    expect(() => run(name, args)).toThrow(TemplateFunctionError);
    expect(() => run(name, args)).toThrow(message);
  });
});

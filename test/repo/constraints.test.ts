/**
 * Version constraints with Helm's (Masterminds semver v3.4) rules. Every expectation in the
 * tables was produced by helm 4.1.4 (`helm search repo --version C -l` over an index holding
 * VERSIONS), so these tests pin bosun to what Helm does, not to node-semver.
 */

import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/internal/errors.js';
import {
  assertConstraint,
  compareVersions,
  isValidVersion,
  satisfiesConstraint,
  sortNewestFirst,
} from '../../src/repo/constraints.js';

const VERSIONS =
  '0.0.0 0.0.1 0.0.3 0.0.4 0.0.3-beta 0.1.0 0.1.3 0.1.4-rc.1 0.2.0-beta.1 0.2.0 0.2.3 0.2.9 0.3.0 1.0.0-alpha 1.0.0 1.1.0 1.2.0-0 1.2.0-rc.1 1.2.0 1.2.3-beta 1.2.3-beta.2 1.2.3-beta.10 1.2.3 1.2.4 1.3.0-beta 1.3.0 1.4.0 1.4.5 1.4.6 1.5.0-beta.2 2.0.0-beta 2.0.0 2.3.4 2.4.0 2.5.0 3.0.0 4.2.3 4.5.0-rc.1 10.0.0 11.1.1 11.2.0 12.0.0'.split(
    ' ',
  );
const RELEASES = VERSIONS.filter((v) => !v.includes('-'));

/** The versions a spec names, newest first: a list, `ALL`, `RELEASES`, or `RELEASES -x -y`. */
function expected(spec: string): string[] {
  if (spec === '') return [];
  if (spec === 'ALL') return sortNewestFirst(VERSIONS.map((version) => ({ version }))).map((v) => v.version);
  if (spec.startsWith('RELEASES')) {
    const except = new Set(
      spec
        .split(' ')
        .slice(1)
        .map((s) => s.slice(1)),
    );
    return expected('ALL').filter((v) => RELEASES.includes(v) && !except.has(v));
  }
  return spec.split(' ');
}

function matching(constraint: string | undefined, options: { devel?: boolean } = {}): string[] {
  return expected('ALL').filter((v) => satisfiesConstraint(v, constraint, options));
}

/** [constraint, versions helm 4.1.4 lists for it]. */
const HELM_CASES: Array<[string, string]> = [
  ['1', '1.4.6 1.4.5 1.4.0 1.3.0 1.2.4 1.2.3 1.2.0 1.1.0 1.0.0'],
  ['>0.0.0', 'RELEASES -0.0.0'],
  ['>0.0.0-0', 'ALL'],
  ['*', 'RELEASES'],
  ['x', 'RELEASES'],
  ['>=0.0.0', 'RELEASES'],
  [
    '>= 1.2, < 3.0.0 || >= 4.2.3',
    '12.0.0 11.2.0 11.1.1 10.0.0 4.2.3 2.5.0 2.4.0 2.3.4 2.0.0 1.4.6 1.4.5 1.4.0 1.3.0 1.2.4 1.2.3 1.2.0',
  ],
  ['>=1.2, <2', '1.4.6 1.4.5 1.4.0 1.3.0 1.2.4 1.2.3 1.2.0'],
  ['>=1.2 <2', '1.4.6 1.4.5 1.4.0 1.3.0 1.2.4 1.2.3 1.2.0'],
  ['>=1.2,<2', '1.4.6 1.4.5 1.4.0 1.3.0 1.2.4 1.2.3 1.2.0'],
  ['1.2.x', '1.2.4 1.2.3 1.2.0'],
  ['1.2.*', '1.2.4 1.2.3 1.2.0'],
  ['1.2.X', '1.2.4 1.2.3 1.2.0'],
  ['1.x', '1.4.6 1.4.5 1.4.0 1.3.0 1.2.4 1.2.3 1.2.0 1.1.0 1.0.0'],
  ['1.2', '1.2.4 1.2.3 1.2.0'],
  ['1.2.3', '1.2.3'],
  ['=1.2.3', '1.2.3'],
  ['v1.2.3', '1.2.3'],
  ['=1.2', '1.2.4 1.2.3 1.2.0'],
  ['!=1.2.3', 'RELEASES -1.2.3'],
  [
    '!=1.2',
    '12.0.0 11.2.0 11.1.1 10.0.0 4.2.3 3.0.0 2.5.0 2.4.0 2.3.4 2.0.0 1.4.6 1.4.5 1.4.0 1.3.0 1.1.0 1.0.0 0.3.0 0.2.9 0.2.3 0.2.0 0.1.3 0.1.0 0.0.4 0.0.3 0.0.1 0.0.0',
  ],
  [
    '!=1.x',
    '12.0.0 11.2.0 11.1.1 10.0.0 4.2.3 3.0.0 2.5.0 2.4.0 2.3.4 2.0.0 0.3.0 0.2.9 0.2.3 0.2.0 0.1.3 0.1.0 0.0.4 0.0.3 0.0.1 0.0.0',
  ],
  [
    '!=1.2.3-beta',
    '12.0.0 11.2.0 11.1.1 10.0.0 4.5.0-rc.1 4.2.3 3.0.0 2.5.0 2.4.0 2.3.4 2.0.0 2.0.0-beta 1.5.0-beta.2 1.4.6 1.4.5 1.4.0 1.3.0 1.3.0-beta 1.2.4 1.2.3 1.2.3-beta.10 1.2.3-beta.2 1.2.0 1.2.0-rc.1 1.2.0-0 1.1.0 1.0.0 1.0.0-alpha 0.3.0 0.2.9 0.2.3 0.2.0 0.2.0-beta.1 0.1.4-rc.1 0.1.3 0.1.0 0.0.4 0.0.3 0.0.3-beta 0.0.1 0.0.0',
  ],
  ['~1.2.3', '1.2.4 1.2.3'],
  ['~1', '1.4.6 1.4.5 1.4.0 1.3.0 1.2.4 1.2.3 1.2.0 1.1.0 1.0.0'],
  ['~2.3', '2.3.4'],
  ['~1.2.x', '1.2.4 1.2.3 1.2.0'],
  ['~1.x', '1.4.6 1.4.5 1.4.0 1.3.0 1.2.4 1.2.3 1.2.0 1.1.0 1.0.0'],
  ['~>1.2', '1.2.4 1.2.3 1.2.0'],
  ['~0', '0.3.0 0.2.9 0.2.3 0.2.0 0.1.3 0.1.0 0.0.4 0.0.3 0.0.1 0.0.0'],
  ['~0.0.0', 'RELEASES'],
  ['~1.2.3-0', '1.2.4 1.2.3 1.2.3-beta.10 1.2.3-beta.2 1.2.3-beta'],
  ['~0.2', '0.2.9 0.2.3 0.2.0'],
  ['^1.2.3', '1.4.6 1.4.5 1.4.0 1.3.0 1.2.4 1.2.3'],
  ['^1.2.x', '1.4.6 1.4.5 1.4.0 1.3.0 1.2.4 1.2.3 1.2.0'],
  ['^2.3', '2.5.0 2.4.0 2.3.4'],
  ['^2.x', '2.5.0 2.4.0 2.3.4 2.0.0'],
  ['^0.2.3', '0.2.9 0.2.3'],
  ['^0.2', '0.2.9 0.2.3 0.2.0'],
  ['^0.0.3', '0.0.3'],
  ['^0.0', '0.0.4 0.0.3 0.0.1 0.0.0'],
  ['^0', '0.3.0 0.2.9 0.2.3 0.2.0 0.1.3 0.1.0 0.0.4 0.0.3 0.0.1 0.0.0'],
  ['^*', '0.0.0'],
  ['^0.2.0-0', '0.2.9 0.2.3 0.2.0 0.2.0-beta.1'],
  [
    '^1.2.3-beta',
    '1.5.0-beta.2 1.4.6 1.4.5 1.4.0 1.3.0 1.3.0-beta 1.2.4 1.2.3 1.2.3-beta.10 1.2.3-beta.2 1.2.3-beta',
  ],
  ['^1.2.3-beta.2', '1.5.0-beta.2 1.4.6 1.4.5 1.4.0 1.3.0 1.3.0-beta 1.2.4 1.2.3 1.2.3-beta.10 1.2.3-beta.2'],
  ['^0.0.3-beta', '0.0.3 0.0.3-beta'],
  [
    '^1.0.0-0',
    '1.5.0-beta.2 1.4.6 1.4.5 1.4.0 1.3.0 1.3.0-beta 1.2.4 1.2.3 1.2.3-beta.10 1.2.3-beta.2 1.2.3-beta 1.2.0 1.2.0-rc.1 1.2.0-0 1.1.0 1.0.0 1.0.0-alpha',
  ],
  ['1.2 - 1.4.5', '1.4.5 1.4.0 1.3.0 1.2.4 1.2.3 1.2.0'],
  ['2.3.4 - 4.5', '4.2.3 3.0.0 2.5.0 2.4.0 2.3.4'],
  ['1.2.3-0 - 1.4', '1.4.6 1.4.5 1.4.0 1.3.0 1.3.0-beta 1.2.4 1.2.3 1.2.3-beta.10 1.2.3-beta.2 1.2.3-beta'],
  ['1.2 - 1.4', '1.4.6 1.4.5 1.4.0 1.3.0 1.2.4 1.2.3 1.2.0'],
  ['>11', '12.0.0'],
  ['>11.1', '12.0.0 11.2.0'],
  ['>1.2', '12.0.0 11.2.0 11.1.1 10.0.0 4.2.3 3.0.0 2.5.0 2.4.0 2.3.4 2.0.0 1.4.6 1.4.5 1.4.0 1.3.0'],
  ['>1.2.3', '12.0.0 11.2.0 11.1.1 10.0.0 4.2.3 3.0.0 2.5.0 2.4.0 2.3.4 2.0.0 1.4.6 1.4.5 1.4.0 1.3.0 1.2.4'],
  [
    '>=1.2.x',
    '12.0.0 11.2.0 11.1.1 10.0.0 4.2.3 3.0.0 2.5.0 2.4.0 2.3.4 2.0.0 1.4.6 1.4.5 1.4.0 1.3.0 1.2.4 1.2.3 1.2.0',
  ],
  [
    '<=2.x',
    '2.5.0 2.4.0 2.3.4 2.0.0 1.4.6 1.4.5 1.4.0 1.3.0 1.2.4 1.2.3 1.2.0 1.1.0 1.0.0 0.3.0 0.2.9 0.2.3 0.2.0 0.1.3 0.1.0 0.0.4 0.0.3 0.0.1 0.0.0',
  ],
  ['<=1.2', '1.2.4 1.2.3 1.2.0 1.1.0 1.0.0 0.3.0 0.2.9 0.2.3 0.2.0 0.1.3 0.1.0 0.0.4 0.0.3 0.0.1 0.0.0'],
  [
    '<=1',
    '1.4.6 1.4.5 1.4.0 1.3.0 1.2.4 1.2.3 1.2.0 1.1.0 1.0.0 0.3.0 0.2.9 0.2.3 0.2.0 0.1.3 0.1.0 0.0.4 0.0.3 0.0.1 0.0.0',
  ],
  ['<1.2', '1.1.0 1.0.0 0.3.0 0.2.9 0.2.3 0.2.0 0.1.3 0.1.0 0.0.4 0.0.3 0.0.1 0.0.0'],
  [
    '<1.2.3-0',
    '1.2.0 1.2.0-rc.1 1.2.0-0 1.1.0 1.0.0 1.0.0-alpha 0.3.0 0.2.9 0.2.3 0.2.0 0.2.0-beta.1 0.1.4-rc.1 0.1.3 0.1.0 0.0.4 0.0.3 0.0.3-beta 0.0.1 0.0.0',
  ],
  [
    '<2',
    '1.4.6 1.4.5 1.4.0 1.3.0 1.2.4 1.2.3 1.2.0 1.1.0 1.0.0 0.3.0 0.2.9 0.2.3 0.2.0 0.1.3 0.1.0 0.0.4 0.0.3 0.0.1 0.0.0',
  ],
  ['<=1.2.3', '1.2.3 1.2.0 1.1.0 1.0.0 0.3.0 0.2.9 0.2.3 0.2.0 0.1.3 0.1.0 0.0.4 0.0.3 0.0.1 0.0.0'],
  [
    '>=1.2.3-0',
    '12.0.0 11.2.0 11.1.1 10.0.0 4.5.0-rc.1 4.2.3 3.0.0 2.5.0 2.4.0 2.3.4 2.0.0 2.0.0-beta 1.5.0-beta.2 1.4.6 1.4.5 1.4.0 1.3.0 1.3.0-beta 1.2.4 1.2.3 1.2.3-beta.10 1.2.3-beta.2 1.2.3-beta',
  ],
  [
    '>=1.0.0-0, <2.0.0',
    '2.0.0-beta 1.5.0-beta.2 1.4.6 1.4.5 1.4.0 1.3.0 1.3.0-beta 1.2.4 1.2.3 1.2.3-beta.10 1.2.3-beta.2 1.2.3-beta 1.2.0 1.2.0-rc.1 1.2.0-0 1.1.0 1.0.0 1.0.0-alpha',
  ],
  [
    '>=1.0.0-0 <2.0.0 || >=3',
    '12.0.0 11.2.0 11.1.1 10.0.0 4.2.3 3.0.0 2.0.0-beta 1.5.0-beta.2 1.4.6 1.4.5 1.4.0 1.3.0 1.3.0-beta 1.2.4 1.2.3 1.2.3-beta.10 1.2.3-beta.2 1.2.3-beta 1.2.0 1.2.0-rc.1 1.2.0-0 1.1.0 1.0.0 1.0.0-alpha',
  ],
  [
    '<2.0.0, >=1.0.0-0',
    '2.0.0-beta 1.5.0-beta.2 1.4.6 1.4.5 1.4.0 1.3.0 1.3.0-beta 1.2.4 1.2.3 1.2.3-beta.10 1.2.3-beta.2 1.2.3-beta 1.2.0 1.2.0-rc.1 1.2.0-0 1.1.0 1.0.0 1.0.0-alpha',
  ],
  [
    '>=1.2.3-beta.3',
    '12.0.0 11.2.0 11.1.1 10.0.0 4.5.0-rc.1 4.2.3 3.0.0 2.5.0 2.4.0 2.3.4 2.0.0 2.0.0-beta 1.5.0-beta.2 1.4.6 1.4.5 1.4.0 1.3.0 1.3.0-beta 1.2.4 1.2.3 1.2.3-beta.10',
  ],
  [
    '>1.2.3-beta',
    '12.0.0 11.2.0 11.1.1 10.0.0 4.5.0-rc.1 4.2.3 3.0.0 2.5.0 2.4.0 2.3.4 2.0.0 2.0.0-beta 1.5.0-beta.2 1.4.6 1.4.5 1.4.0 1.3.0 1.3.0-beta 1.2.4 1.2.3 1.2.3-beta.10 1.2.3-beta.2',
  ],
  ['1.2.3-beta', '1.2.3-beta'],
  ['=1.2.3-beta.2', '1.2.3-beta.2'],
  [
    '>=1.2.3-BETA',
    '12.0.0 11.2.0 11.1.1 10.0.0 4.5.0-rc.1 4.2.3 3.0.0 2.5.0 2.4.0 2.3.4 2.0.0 2.0.0-beta 1.5.0-beta.2 1.4.6 1.4.5 1.4.0 1.3.0 1.3.0-beta 1.2.4 1.2.3 1.2.3-beta.10 1.2.3-beta.2 1.2.3-beta',
  ],
  [
    '1.x-0',
    '1.5.0-beta.2 1.4.6 1.4.5 1.4.0 1.3.0 1.3.0-beta 1.2.4 1.2.3 1.2.3-beta.10 1.2.3-beta.2 1.2.3-beta 1.2.0 1.2.0-rc.1 1.2.0-0 1.1.0 1.0.0 1.0.0-alpha',
  ],
  [
    '>= 1.2.3-0, != 1.2.3-beta',
    '12.0.0 11.2.0 11.1.1 10.0.0 4.5.0-rc.1 4.2.3 3.0.0 2.5.0 2.4.0 2.3.4 2.0.0 2.0.0-beta 1.5.0-beta.2 1.4.6 1.4.5 1.4.0 1.3.0 1.3.0-beta 1.2.4 1.2.3 1.2.3-beta.10 1.2.3-beta.2',
  ],
  [
    '>0.0.0-0, !=2.0.0-beta',
    '12.0.0 11.2.0 11.1.1 10.0.0 4.5.0-rc.1 4.2.3 3.0.0 2.5.0 2.4.0 2.3.4 2.0.0 1.5.0-beta.2 1.4.6 1.4.5 1.4.0 1.3.0 1.3.0-beta 1.2.4 1.2.3 1.2.3-beta.10 1.2.3-beta.2 1.2.3-beta 1.2.0 1.2.0-rc.1 1.2.0-0 1.1.0 1.0.0 1.0.0-alpha 0.3.0 0.2.9 0.2.3 0.2.0 0.2.0-beta.1 0.1.4-rc.1 0.1.3 0.1.0 0.0.4 0.0.3 0.0.3-beta 0.0.1 0.0.0',
  ],
  [
    '=>1.2',
    '12.0.0 11.2.0 11.1.1 10.0.0 4.2.3 3.0.0 2.5.0 2.4.0 2.3.4 2.0.0 1.4.6 1.4.5 1.4.0 1.3.0 1.2.4 1.2.3 1.2.0',
  ],
  ['=<1.2', '1.2.4 1.2.3 1.2.0 1.1.0 1.0.0 0.3.0 0.2.9 0.2.3 0.2.0 0.1.3 0.1.0 0.0.4 0.0.3 0.0.1 0.0.0'],
  [
    '>  1.2.3',
    '12.0.0 11.2.0 11.1.1 10.0.0 4.2.3 3.0.0 2.5.0 2.4.0 2.3.4 2.0.0 1.4.6 1.4.5 1.4.0 1.3.0 1.2.4',
  ],
  [
    ' >=1.2 ',
    '12.0.0 11.2.0 11.1.1 10.0.0 4.2.3 3.0.0 2.5.0 2.4.0 2.3.4 2.0.0 1.4.6 1.4.5 1.4.0 1.3.0 1.2.4 1.2.3 1.2.0',
  ],
  ['1 - 2', '2.5.0 2.4.0 2.3.4 2.0.0 1.4.6 1.4.5 1.4.0 1.3.0 1.2.4 1.2.3 1.2.0 1.1.0 1.0.0'],
  [
    '>=01.2',
    '12.0.0 11.2.0 11.1.1 10.0.0 4.2.3 3.0.0 2.5.0 2.4.0 2.3.4 2.0.0 1.4.6 1.4.5 1.4.0 1.3.0 1.2.4 1.2.3 1.2.0',
  ],
  ['1.2.3+build', '1.2.3'],
  ['=1.2.3+x', '1.2.3'],
  ['~>1', '1.4.6 1.4.5 1.4.0 1.3.0 1.2.4 1.2.3 1.2.0 1.1.0 1.0.0'],
  ['>=*', 'RELEASES'],
  ['<*', ''],
  ['>x', 'RELEASES -0.0.0'],
  ['<=*', '0.0.4 0.0.3 0.0.1 0.0.0'],
  ['!=*', 'RELEASES -0.0.0'],
  ['~*', 'RELEASES'],
  ['1.*.3', '1.4.6 1.4.5 1.4.0 1.3.0 1.2.4 1.2.3 1.2.0 1.1.0 1.0.0'],
  ['v1', '1.4.6 1.4.5 1.4.0 1.3.0 1.2.4 1.2.3 1.2.0 1.1.0 1.0.0'],
  [
    '>=v1.2',
    '12.0.0 11.2.0 11.1.1 10.0.0 4.2.3 3.0.0 2.5.0 2.4.0 2.3.4 2.0.0 1.4.6 1.4.5 1.4.0 1.3.0 1.2.4 1.2.3 1.2.0',
  ],
  ['1 || 2', '2.5.0 2.4.0 2.3.4 2.0.0 1.4.6 1.4.5 1.4.0 1.3.0 1.2.4 1.2.3 1.2.0 1.1.0 1.0.0'],
  ['1||2', '2.5.0 2.4.0 2.3.4 2.0.0 1.4.6 1.4.5 1.4.0 1.3.0 1.2.4 1.2.3 1.2.0 1.1.0 1.0.0'],
  ['<*', ''],
];

/** [constraint, Masterminds' error], as helm 4.1.4 reports them. */
const HELM_ERRORS: Array<[string, string]> = [
  ['>=1.2,', 'improper constraint: >=1.2,'],
  ['foo', 'improper constraint: foo'],
  ['1.2.3.4', 'improper constraint: 1.2.3.4'],
  ['>=1.2 || ', 'improper constraint:'],
  ['1.2 -1.3', 'improper constraint: 1.2 -1.3'],
  [' || 1', 'improper constraint:'],
  ['1|2', 'constraint parser error'],
  ['1x', 'constraint parser error'],
  ['1.2.3-01', 'constraint parser error'],
  ['18446744073709551616', 'constraint parser error'],
  ['==1', 'improper constraint: ==1'],
  ['> =1', 'improper constraint: > =1'],
  ['1,,2', 'improper constraint: 1,,2'],
  ['1, ,2', 'improper constraint: 1, ,2'],
  ['1.2.3 -', 'improper constraint: 1.2.3 -'],
  ['v', 'improper constraint: v'],
  ['1 - 2 - 3', 'improper constraint: >= 1, <= 2 - 3'],
  ['1 -  2   - 3', 'improper constraint: >= 1, <= 2 - 3'],
  ['1 - 2 !', 'improper constraint: >= 1, <= 2 !'],
  ['a 1 - 2 !', 'improper constraint: a>= 1, <= 2 !'],
];

describe('satisfiesConstraint (Helm 4.1.4 parity)', () => {
  it.each(HELM_CASES)('%j selects what helm selects', (constraint, spec) => {
    expect(matching(constraint)).toEqual(expected(spec));
  });

  it.each(HELM_ERRORS)("%j is refused with Masterminds' reason", (constraint, reason) => {
    expect(() => assertConstraint(constraint)).toThrow(InvalidArgumentError);
    expect(() => assertConstraint(constraint)).toThrow(
      `invalid version constraint ${JSON.stringify(constraint)}: ${reason}`,
    );
    expect(() => satisfiesConstraint('1.0.0', constraint)).toThrow(InvalidArgumentError);
  });

  it('defaults to >0.0.0 (releases only) and to >0.0.0-0 with devel', () => {
    expect(matching(undefined)).toEqual(expected('RELEASES -0.0.0'));
    expect(matching(undefined, { devel: true })).toEqual(expected('ALL'));
    expect(matching('')).toEqual(expected('RELEASES -0.0.0'));
    // A constraint given wins over devel.
    expect(matching('^0.2', { devel: true })).toEqual(['0.2.9', '0.2.3', '0.2.0']);
  });

  it('admits pre-releases only in groups that name one, anywhere in their range', () => {
    expect(satisfiesConstraint('0.2.0-beta.1', '^0.2')).toBe(false);
    expect(satisfiesConstraint('0.2.0-beta.1', '^0.2.0-0')).toBe(true);
    // node-semver would refuse these: the pre-release is not of the same major.minor.patch.
    expect(satisfiesConstraint('1.5.0-beta.2', '>=1.2.3-0')).toBe(true);
    expect(satisfiesConstraint('2.0.0-beta', '>=1.0.0-0, <2.0.0')).toBe(true);
    // Only the group with a pre-release admits them.
    expect(satisfiesConstraint('3.5.0-rc.1', '>=1.0.0-0 <2.0.0 || >=3')).toBe(false);
  });

  it("handles numbers beyond 2^53 as Go's uint64 does", () => {
    expect(satisfiesConstraint('18446744073709551615.0.0', '>9007199254740993')).toBe(true);
    expect(satisfiesConstraint('9007199254740993.0.0', '>9007199254740992')).toBe(true);
    expect(isValidVersion('18446744073709551616.0.0')).toBe(false);
  });

  it('stays linear on hostile input', () => {
    const hostile = `${'1 '.repeat(400)}!`;
    const t0 = performance.now();
    expect(() => assertConstraint(hostile)).toThrow(/improper constraint/);
    expect(() => assertConstraint(`${'1 - '.repeat(300)}1`)).toThrow(InvalidArgumentError);
    expect(() => assertConstraint('1'.repeat(2000))).toThrow(/longer than 1024 characters/);
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('never matches an invalid version', () => {
    expect(satisfiesConstraint('1.2.3.4', '*')).toBe(false);
    expect(satisfiesConstraint('latest', undefined, { devel: true })).toBe(false);
  });
});

describe('versions', () => {
  it('accepts what Masterminds NewVersion accepts (helm 4.1.4 index loading)', () => {
    for (const v of [
      '1.0.0',
      '1.2',
      'v1.3.0',
      '01.2.3',
      '1.02.0',
      '00.1.0',
      '1.2.3+b',
      '1.2.3-beta',
      '2.0.0-rc.1+m',
    ]) {
      expect(isValidVersion(v), v).toBe(true);
    }
    for (const v of ['1.2.3-', '1.2.3.4', 'x', '1.2.3-01', '', 'V1.2.3', '1.2.3-a..b']) {
      expect(isValidVersion(v), v).toBe(false);
    }
  });

  it('compares by SemVer precedence, build metadata ignored', () => {
    expect(compareVersions('1.2.3', 'v1.2.3+build')).toBe(0);
    expect(compareVersions('1.2', '1.2.0')).toBe(0);
    expect(compareVersions('1.0.0-alpha', '1.0.0-alpha.1')).toBeLessThan(0);
    expect(compareVersions('1.0.0-alpha.1', '1.0.0-alpha.beta')).toBeLessThan(0);
    expect(compareVersions('1.0.0-beta.2', '1.0.0-beta.11')).toBeLessThan(0);
    expect(compareVersions('1.0.0-rc.1', '1.0.0')).toBeLessThan(0);
    expect(compareVersions('1.10.0', '1.9.0')).toBeGreaterThan(0);
    expect(compareVersions('1.2.3-BETA', '1.2.3-beta')).toBeLessThan(0);
    expect(compareVersions('nonsense', '0.0.1')).toBeLessThan(0);
  });

  it('sorts newest first, keeping the order of equal versions and putting invalid ones last', () => {
    const items = ['0.1.0', 'bad', '1.0.0', '1.0.0-rc.1', 'v1.0.0', '0.10.0', '0.9.0'].map((version) => ({
      version,
    }));
    expect(sortNewestFirst(items).map((i) => i.version)).toEqual([
      '1.0.0',
      'v1.0.0',
      '1.0.0-rc.1',
      '0.10.0',
      '0.9.0',
      '0.1.0',
      'bad',
    ]);
  });
});

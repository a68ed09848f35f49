import { describe, expect, it } from 'vitest';
import {
  coerceSemver,
  isLenientSemver,
  isLooseUrl,
  isRequestUrl,
  isStrictSemver,
  lintChartfile,
} from '../../../src/action/lint/chartfile-rules.js';
import type { LintMessage } from '../../../src/action/lint/support.js';
import { tolerantChartYaml } from '../../../src/action/lint/target.js';
import { parseYaml } from '../../../src/internal/yaml.js';
import { expectLinesStartWith, memoryTarget } from './lint-fixtures.js';

const ICON = 'icon: https://example.com/icon.png\n';
const BASE = 'apiVersion: v2\nname: mychart\nversion: 0.1.0\n';

function lint(chartYaml: string): string[] {
  return lintChartfile(memoryTarget({ 'Chart.yaml': chartYaml })).messages.map(show);
}

function show(m: LintMessage): string {
  return `[${m.severity}] ${m.path}: ${m.message}`;
}

describe('lintChartfile', () => {
  it.each<[string, string, string[]]>([
    ['a clean Chart.yaml gives only the icon INFO', BASE, ['[INFO] Chart.yaml: icon is recommended']],
    ['an icon silences the INFO', BASE + ICON, []],
    [
      'a numeric version is an ERROR with a quoting tip, and not SemVer 2',
      `apiVersion: v2\nname: mychart\nversion: 1.0\n${ICON}`,
      [
        `[ERROR] Chart.yaml: version should be of type string but it's of type number (quote it: version: "1.0")`,
        "[WARNING] Chart.yaml: version '1.0' is not a valid SemVerV2",
      ],
    ],
    [
      'a quoted lenient version is only a WARNING',
      `apiVersion: v2\nname: mychart\nversion: "1.0"\n${ICON}`,
      ["[WARNING] Chart.yaml: version '1.0' is not a valid SemVerV2"],
    ],
    [
      'a v-prefixed version is not strict SemVer 2',
      `apiVersion: v2\nname: mychart\nversion: v1.2.3\n${ICON}`,
      ["[WARNING] Chart.yaml: version 'v1.2.3' is not a valid SemVerV2"],
    ],
    [
      'a version that is not SemVer is an ERROR',
      `apiVersion: v2\nname: mychart\nversion: one\n${ICON}`,
      [
        "[ERROR] Chart.yaml: version 'one' is not a valid SemVer",
        "[WARNING] Chart.yaml: version 'one' is not a valid SemVerV2",
      ],
    ],
    [
      'a missing version is required',
      `apiVersion: v2\nname: mychart\n${ICON}`,
      ['[ERROR] Chart.yaml: version is required', "[WARNING] Chart.yaml: version '' is not a valid SemVerV2"],
    ],
    [
      'a missing name is required',
      `apiVersion: v2\nversion: 0.1.0\n${ICON}`,
      ['[ERROR] Chart.yaml: name is required'],
    ],
    [
      'a name with a path separator is invalid',
      `apiVersion: v2\nname: a/b\nversion: 0.1.0\n${ICON}`,
      ['[ERROR] Chart.yaml: chart name "a/b" is invalid'],
    ],
    [
      'a missing apiVersion is required',
      `name: mychart\nversion: 0.1.0\n${ICON}`,
      ['[ERROR] Chart.yaml: apiVersion is required. The value must be either "v1" or "v2"'],
    ],
    [
      'apiVersion v3 is not valid',
      `apiVersion: v3\nname: mychart\nversion: 0.1.0\n${ICON}`,
      [`[ERROR] Chart.yaml: apiVersion 'v3' is not valid. The value must be either "v1" or "v2"`],
    ],
    [
      'a numeric appVersion is an ERROR',
      `${BASE}appVersion: 1.16\n${ICON}`,
      [
        `[ERROR] Chart.yaml: appVersion should be of type string but it's of type number (quote it: appVersion: "1.16")`,
      ],
    ],
    [
      'unknown fields are a WARNING',
      `${BASE}colour: blue\n${ICON}`,
      ['[WARNING] Chart.yaml: failed to strictly parse chart metadata file\n\tunknown field "colour"'],
    ],
    [
      'a maintainer needs a name',
      `${BASE}maintainers:\n  - email: a@example.com\n${ICON}`,
      ['[ERROR] Chart.yaml: each maintainer requires a name'],
    ],
    [
      'an empty maintainer entry',
      `${BASE}maintainers:\n  -\n${ICON}`,
      ['[ERROR] Chart.yaml: a maintainer entry is empty'],
    ],
    [
      'a maintainer e-mail must be valid',
      `${BASE}maintainers:\n  - name: ann\n    email: not-an-email\n${ICON}`,
      ["[ERROR] Chart.yaml: invalid email 'not-an-email' for maintainer 'ann'"],
    ],
    [
      'a maintainer URL must be valid',
      `${BASE}maintainers:\n  - name: ann\n    url: not a url\n${ICON}`,
      ["[ERROR] Chart.yaml: invalid url 'not a url' for maintainer 'ann'"],
    ],
    [
      'a valid maintainer passes',
      `${BASE}maintainers:\n  - name: ann\n    email: ann@example.com\n    url: example.com/ann\n${ICON}`,
      [],
    ],
    [
      'sources must be URLs',
      `${BASE}sources:\n  - https://github.com/x/y\n  - github.com/x/y\n${ICON}`,
      ["[ERROR] Chart.yaml: invalid source URL 'github.com/x/y'"],
    ],
    [
      'the icon must be a URL',
      `${BASE}icon: icon.png\n`,
      ["[ERROR] Chart.yaml: invalid icon URL 'icon.png'"],
    ],
    [
      'type is only valid with apiVersion v2',
      `apiVersion: v1\nname: mychart\nversion: 0.1.0\ntype: application\n${ICON}`,
      ["[ERROR] Chart.yaml: chart type is not valid in apiVersion 'v1'. It is valid in apiVersion 'v2'"],
    ],
    [
      'dependencies are only valid with apiVersion v2',
      `apiVersion: v1\nname: mychart\nversion: 0.1.0\ndependencies:\n  - name: sub\n${ICON}`,
      [
        "[ERROR] Chart.yaml: dependencies are not valid in the Chart file with apiVersion 'v1'. They are valid in apiVersion 'v2'",
      ],
    ],
    [
      'YAML that does not parse stops the rules',
      'apiVersion: v2\nname: [unclosed\n',
      [
        '[ERROR] Chart.yaml: unable to parse YAML\n\tline 3: unexpected end of the stream within a flow collection',
      ],
    ],
    [
      'a list is not a Chart.yaml',
      '- a\n- b\n',
      ['[ERROR] Chart.yaml: unable to parse YAML\n\tChart.yaml must be a map, got a list'],
    ],
    [
      'maintainers must be a list',
      `${BASE}maintainers: ann\n`,
      ['[ERROR] Chart.yaml: unable to parse YAML\n\tmaintainers must be a list, got a string'],
    ],
  ])('%s', (_name, chartYaml, expected) => {
    const got = lint(chartYaml);
    expectLinesStartWith(got, expected);
  });

  it('reports a Chart.yaml directory', () => {
    const target = memoryTarget({ 'Chart.yaml/x': '' });
    expect(lintChartfile(target).messages.map(show)).toEqual([
      '[ERROR] Chart.yaml: should be a file, not a directory',
    ]);
  });

  it('returns the raw map for the later rules', () => {
    expect(lintChartfile(memoryTarget({ 'Chart.yaml': BASE })).raw).toEqual({
      apiVersion: 'v2',
      name: 'mychart',
      version: '0.1.0',
    });
  });
});

describe('version and URL syntax', () => {
  it.each<[string, boolean, boolean, string | undefined]>([
    ['1.2.3', true, true, '1.2.3'],
    ['1.2.3-rc.1+build.5', true, true, '1.2.3-rc.1+build.5'],
    ['1.0', true, false, '1.0.0'],
    ['1', true, false, '1.0.0'],
    ['v1.2.3', true, false, '1.2.3'],
    ['01.2.3', true, false, '1.2.3'],
    ['1.2.3.4', false, false, undefined],
    ['latest', false, false, undefined],
  ])('%s: lenient %s, strict %s, coerced %s', (v, lenient, strict, coerced) => {
    expect(isLenientSemver(v)).toBe(lenient);
    expect(isStrictSemver(v)).toBe(strict);
    expect(coerceSemver(v)).toBe(coerced);
  });

  it.each<[string, boolean, boolean]>([
    ['https://example.com/x', true, true],
    ['http://localhost:8080', true, true],
    ['example.com/path', false, true],
    ['not a url', false, false],
    ['icon.png', false, true],
  ])('%s: request URL %s, URL %s', (u, request, loose) => {
    expect(isRequestUrl(u)).toBe(request);
    expect(isLooseUrl(u)).toBe(loose);
  });
});

describe('tolerantChartYaml', () => {
  it('leaves a valid Chart.yaml alone', () => {
    expect(tolerantChartYaml({ apiVersion: 'v2', name: 'a', version: '1.2.3' }, '')).toBeUndefined();
  });

  it('keeps the written text of numbers and completes lenient versions', () => {
    const text = 'apiVersion: v2\nname: a\nversion: 1.0\nappVersion: 1.10\n';
    const raw = parseYaml(text, 'Chart.yaml') as Record<string, unknown>;
    const patched = tolerantChartYaml(raw, text);
    expect(parseYaml(patched!, 'patched')).toEqual({
      apiVersion: 'v2',
      name: 'a',
      version: '1.0.0',
      appVersion: '1.10',
    });
  });
});

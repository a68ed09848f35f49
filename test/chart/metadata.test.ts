import { describe, expect, it } from 'vitest';
import { parseChartMetadata } from '../../src/chart/metadata.js';
import { BosunError } from '../../src/internal/errors.js';

const base = 'apiVersion: v2\nname: mychart\nversion: 0.1.0\n';

describe('parseChartMetadata', () => {
  it('reads every Helm field', () => {
    const meta = parseChartMetadata(
      `${base}appVersion: "1.16.0"
description: A Helm chart
type: application
kubeVersion: ">=1.20.0-0"
keywords: [web, demo]
home: https://example.com
sources: [https://example.com/src]
icon: https://example.com/icon.png
deprecated: false
annotations: {category: demo}
maintainers:
  - name: Ann
    email: ann@example.com
dependencies:
  - name: sub
    version: "~1.2"
    repository: "file://../sub"
    condition: sub.enabled
    tags: [back]
    alias: other
    import-values:
      - data
      - child: exported
        parent: fromchild
`,
      'mychart/Chart.yaml',
    );
    expect(meta).toMatchObject({
      name: 'mychart',
      version: '0.1.0',
      appVersion: '1.16.0',
      type: 'application',
      keywords: ['web', 'demo'],
      maintainers: [{ name: 'Ann', email: 'ann@example.com' }],
      annotations: { category: 'demo' },
      dependencies: [
        {
          name: 'sub',
          version: '~1.2',
          alias: 'other',
          tags: ['back'],
          'import-values': ['data', { child: 'exported', parent: 'fromchild' }],
        },
      ],
    });
  });

  it.each([
    ['name: x\nversion: 1.0.0\n', 'validation: chart.metadata.apiVersion is required'],
    ['apiVersion: v9\nname: x\nversion: 1.0.0\n', 'apiVersion "v9" is not supported'],
    ['apiVersion: v2\nversion: 1.0.0\n', 'validation: chart.metadata.name is required'],
    ['apiVersion: v2\nname: x\n', 'validation: chart.metadata.version is required'],
    ['apiVersion: v2\nname: x\nversion: one.two\n', 'chart.metadata.version "one.two" is invalid'],
    ['apiVersion: v2\nname: x\nversion: "1.0"\n', 'chart.metadata.version "1.0" is invalid'],
    ['apiVersion: v2\nname: x\nversion: 1.10\n', 'version must be a string (quote it): got number 1.1'],
    [
      'apiVersion: v2\nname: x\nversion: 1.0.0\ntype: plugin\n',
      'chart.metadata.type must be application or library',
    ],
    ['apiVersion: v2\nname: "."\nversion: 1.0.0\n', 'chart.metadata.name "." is not allowed'],
    ['apiVersion: v2\nname: ../x\nversion: 1.0.0\n', 'chart.metadata.name "../x" is invalid'],
    ['apiVersion: v2\nname: a\\b\nversion: 1.0.0\n', 'is invalid'],
    [
      `${base}dependencies:\n  - name: a\n    alias: ../x\n`,
      'dependency "a" has disallowed characters in the alias',
    ],
    [
      `${base}dependencies:\n  - name: a\n  - name: b\n    alias: a\n`,
      'more than one dependency with name or alias "a"',
    ],
    ['apiVersion: v2\nname: [x\n', 'mychart/Chart.yaml:'],
  ])('A10: %j is refused: %s', (text, message) => {
    expect(() => parseChartMetadata(text, 'mychart/Chart.yaml')).toThrow(BosunError);
    expect(() => parseChartMetadata(text, 'mychart/Chart.yaml')).toThrow(message);
  });

  it('A12: control characters are stripped from strings', () => {
    const meta = parseChartMetadata(`${base}description: "evil\\u001b[31m red"\n`, 'c/Chart.yaml');
    expect(meta.description).toBe('evil[31m red');
  });
});

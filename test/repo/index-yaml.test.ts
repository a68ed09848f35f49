import { describe, expect, it } from 'vitest';
import { toYaml } from '../../src/internal/yaml.js';
import { goYamlKeyLess } from '../../src/internal/yaml-emit.js';
import { serializeIndex } from '../../src/repo/index-file.js';
import { asciiKeyLess, sortKeys } from '../../src/repo/index-yaml.js';
import type { ChartVersion, IndexFile } from '../../src/repo/types.js';

/** A repeatable pseudo-random source. */
function randomSource(seed: number) {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state;
  };
  const word = (alphabet: string, max: number) =>
    Array.from({ length: 1 + (next() % max) }, () => alphabet[next() % alphabet.length]).join('');
  return { next, word };
}

describe('asciiKeyLess', () => {
  it("orders ASCII keys as go-yaml's key order does", () => {
    const { word } = randomSource(11);
    const keys = Array.from({ length: 600 }, () => word('aZ09-._0 ~', 7));
    keys.push('chart-9', 'chart-10', 'chart-009', 'a00', 'a0', 'a', '', '0', '00', '01', '1a');
    for (let i = 0; i < keys.length; i++) {
      const a = keys[i]!;
      const b = keys[(i * 7 + 3) % keys.length]!;
      expect(asciiKeyLess(a, b), `${a} < ${b}`).toBe(goYamlKeyLess(a, b));
      expect(asciiKeyLess(b, a), `${b} < ${a}`).toBe(goYamlKeyLess(b, a));
    }
  });

  it('sorts keys with the general order when one is not ASCII', () => {
    const keys = ['b', 'ä', 'a10', 'a9', 'A'];
    const expected = [...keys].sort((x, y) => (goYamlKeyLess(x, y) ? -1 : goYamlKeyLess(y, x) ? 1 : 0));
    expect(sortKeys([...keys])).toEqual(expected);
    expect(sortKeys(['chart-10', 'chart-9', 'Chart', 'chart'])).toEqual([
      'Chart',
      'chart',
      'chart-9',
      'chart-10',
    ]);
  });
});

describe('serializeIndex (YAML)', () => {
  it('writes chart names, descriptions, versions and times exactly as toYaml does', () => {
    const { next, word } = randomSource(7);
    const names = Array.from({ length: 150 }, () => word('abyYnNoOtTe019-._ :#', 9));
    names.push('yes', 'No', 'null', 'on', 'true', 'x'.repeat(130), 'chart-000', 'a.b', 'a_b');
    const texts = Array.from({ length: 300 }, () =>
      Array.from({ length: 1 + (next() % 14) }, () => word('abcYes019.,()/-_#:\'"', 8)).join(
        next() % 7 === 0 ? '  ' : ' ',
      ),
    );
    texts.push('A Helm chart for Kubernetes', 'yes no', `${'word '.repeat(17)}end`, 'Ends with a space ');
    const versions = ['1.16.0', '0.2.0-beta.1', '1.2.3+build.5', '01.2.3', '1.2', '1.2.3.4', '1e3', '1.2.3-'];
    const times = ['2026-11-28T00:50:39.965Z', '1970-01-01T00:00:00Z', '2026-01-02T03:04:05.123456789Z'];
    const entries: Record<string, ChartVersion[]> = {};
    names.forEach((name, i) => {
      entries[name] = [
        {
          apiVersion: 'v2',
          name,
          version: versions[i % versions.length]!,
          appVersion: versions[(i + 3) % versions.length]!,
          description: texts[i % texts.length]!,
          created: times[i % times.length]!,
          urls: [`https://h/${name}.tgz`],
        },
      ];
    });
    const index: IndexFile = { apiVersion: 'v1', generated: times[0]!, entries };
    const doc = {
      apiVersion: 'v1',
      entries: Object.fromEntries(
        Object.entries(entries).map(([name, list]) => [name, list.map((entry) => ({ ...entry }))]),
      ),
      generated: times[0],
    };
    expect(serializeIndex(index)).toBe(`${toYaml(doc)}\n`);
  });
});

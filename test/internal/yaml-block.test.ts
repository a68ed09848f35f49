/**
 * The block-style fast reader must give exactly what js-yaml gives (same values, types and key
 * order) whenever it gives anything, and give up on everything else. Checked on fixed cases, on
 * every YAML file of the repository, and on seeded random documents written in many styles.
 */

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBlockYaml, UNSUPPORTED } from '../../src/internal/yaml-block.js';
import { loadAllFast, resolvePlain } from '../../src/internal/yaml-fast.js';

/** A text form of a value that tells apart types, -0, NaN and key order. */
function canon(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  switch (typeof v) {
    case 'number':
      return Object.is(v, -0) ? 'n:-0' : `n:${String(v)}`;
    case 'boolean':
      return `b:${v}`;
    case 'string':
      return `s:${JSON.stringify(v)}`;
    case 'object':
      return `{${Object.keys(v as object)
        .map((k) => `${JSON.stringify(k)}:${canon((v as Record<string, unknown>)[k])}`)
        .join(',')}}`;
  }
  return `?${typeof v}`;
}

/** js-yaml's reading of one document, or undefined when it fails or finds other than one document. */
function jsYaml(text: string): unknown {
  try {
    const docs = loadAllFast(text);
    return docs.length === 1 ? docs[0] : undefined;
  } catch {
    return undefined;
  }
}

/** Checks one text: the fast reader agrees with js-yaml or gives up. Returns whether it read it. */
function agrees(text: string): boolean {
  const fast = readBlockYaml(text, resolvePlain);
  if (fast === UNSUPPORTED) return false;
  const reference = jsYaml(text);
  if (reference === undefined || canon(fast) !== canon(reference)) {
    throw new Error(`disagreement on ${JSON.stringify(text)}: ${canon(fast)} vs ${canon(reference)}`);
  }
  return true;
}

describe('readBlockYaml', () => {
  it.each([
    ['apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n'],
    ['a:\n- 1\n- two\nb: 3'],
    ['a:\n  - name: x\n    port: 80\n  -   name: y\n      port: "81"\n'],
    ['- a\n-\n- b: 1\n  c: 2\n-   # comment\n  d: 3\n'],
    ['# head\na: 1 # trailing\n\n   # indented comment\nb: x#y\nc: x #y\n'],
    ["a: 'it''s'\nb: \"x\"\n'c': 1\n\"d e\": 2\n"],
    ['y: 1\nn: 2\n~: 3\n1: 4\n0x10: 5\n1.5: 6\n.inf: 7\nx: 8\n'],
    ['v: [] \nw: {}\nx: ~\ny: null\nz:\n'],
    ['a: 0755\nb: 1_000\nc: -0\nd: +12\ne: 0b101\nf: .NaN\ng: 1e3\nh: on\ni: OFF\n'],
    ['url: http://x:80/a\nimage: nginx:1.16\n'],
    ['  a: 1\n  b:\n    c: 2\n'],
    ['a: [1, \'two\', "3", -4, x y]\nb: [ ]\n'],
    ['a: |\n  line 1\n    more\n\n  # not a comment\nb: 1\n'],
    ['a: >-\n  folded\n  text\n\n   more indented\n  back\n\n\nb: |+\n  kept\n\n'],
    ['- |\n  item\n- >\n\n  x\n- key: |-\n    v\n  other: 1\n'],
    ['a: |\nb: |  # comment\n    x\n  # ends it\nc: 1'],
  ])('reads %j as js-yaml does', (text) => {
    expect(agrees(text)).toBe(true);
  });

  it.each([
    ['a: |2\n   text\n'],
    ['k: a: b\n'],
    ['y: 1\nyes: 2\n'],
    ['a: |-+\n  text\n'],
    ['|\n  root\n'],
    ['a: &x 1\nb: *x\n'],
    ['a: !!str 1\n'],
    ['a: {b: 1}\n'],
    ['a: 1\na: 2\n'],
    ['__proto__: 1\n'],
    ['<<: {}\n'],
    ['a: "x\\ty"\n'],
    ['a: "multi\n  line"\n'],
    ['a: plain\n  continued\n'],
    ['a:\tb\n'],
    ['a: caf\u00e9\n'],
    ['a: 1\r\nb: 2\r\n'],
    ['a: 1\n---\nb: 2\n'],
    ['%YAML 1.1\n---\na: 1\n'],
    ['---\na: 1\n'],
    ['a: 1\n...\n'],
    ['...\n'],
    ['a: b\n%x\n'],
    [''],
    ['# only a comment\n'],
    ['a: 1\n  b: 2\n'],
    ['- - a\n'],
    ['? a\n: b\n'],
  ])('gives up on %j', (text) => {
    expect(readBlockYaml(text, resolvePlain)).toBe(UNSUPPORTED);
  });

  it('agrees with js-yaml on every YAML file of the repository', () => {
    const root = path.resolve(__dirname, '../..');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        if (name === 'node_modules' || name.startsWith('.') || name === 'dist') continue;
        const p = path.join(dir, name);
        const st = statSync(p);
        if (st.isDirectory()) walk(p);
        else if (/\.ya?ml$/.test(name) && st.size < 1_000_000) files.push(p);
      }
    };
    for (const dir of ['test', 'charts', 'docs']) walk(path.join(root, dir));
    let read = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      if (text.includes('{{')) continue; // templates, not YAML
      // Streams (the golden outputs) document by document, as rendered manifests are read.
      for (const doc of text.split(/^---[ \t]*(?:#.*)?$/m)) if (agrees(doc.trim())) read++;
    }
    expect(files.length).toBeGreaterThan(10);
    expect(read).toBeGreaterThan(20);
  });

  it('resolves plain scalars as js-yaml does (resolvePlain)', () => {
    const words = [
      'null',
      'Null',
      'NULL',
      'nul',
      'y',
      'Y',
      'yes',
      'YES',
      'Yes',
      'no',
      'No',
      'on',
      'Off',
      'true',
    ];
    const chars = 'aeflnorsuyNOTY0123456789+-._~<xXbB';
    let seed = 99;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const texts = [
      ...words,
      ...words.map((w) => `${w}x`),
      '<<',
      '.inf',
      '-.Inf',
      '.nan',
      '0x1F',
      '0o7',
      '1_0',
      '~',
    ];
    for (let n = 0; n < 5000; n++) {
      let t = '';
      for (let k = 1 + rand(6); k > 0; k--) t += chars[rand(chars.length)];
      texts.push(t);
    }
    let compared = 0;
    for (const text of texts) {
      let reference: unknown;
      try {
        const docs = loadAllFast(`v: ${text}\n`);
        reference = (docs[0] as Record<string, unknown>)['v'];
      } catch {
        continue;
      }
      compared++;
      expect(canon(resolvePlain(text)), text).toBe(canon(reference));
    }
    expect(compared).toBeGreaterThan(4000);
  });

  it('agrees with js-yaml on random documents', () => {
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)]!;
    const KEYS = [
      'a',
      'b',
      'name',
      'app.kubernetes.io/name',
      'a b',
      'a:b',
      '-a',
      ':a',
      'y',
      'no',
      '~',
      '1',
      '0x1f',
      '1.0',
      '"q"',
      "'s''t'",
      'a#b',
      'x ',
      '<<',
      '__proto__',
      'true',
      'k-1',
    ];
    const VALUES = [
      'v',
      'hello world',
      '1',
      '-1',
      '0',
      '-0',
      '007',
      '0x1F',
      '0b11',
      '1_000',
      '1.5',
      '.5',
      '1e3',
      '.inf',
      '-.Inf',
      '.nan',
      'yes',
      'No',
      'on',
      'OFF',
      'y',
      'n',
      'true',
      'False',
      'null',
      'Null',
      '~',
      '"quoted"',
      '"a b"',
      "'single'",
      "'it''s'",
      '[]',
      '{}',
      '[ ]',
      '[1]',
      'a: b',
      'http://x:1',
      'a:b',
      'a #c',
      'a#c',
      'x # c',
      '- x',
      '"\\n"',
      '|',
      '>-',
      '&a x',
      '*a',
      '!x y',
      '@x',
      '`x',
      '%x',
      'x  ',
      ': x',
      '?x',
      '-x',
      '"unterminated',
      "'",
      '<<',
      '2024-01-01',
      '+5',
      '0o7',
      '1__',
      "['wget']",
      '[a, b]',
      '[ ]',
      `[1, "x", 'y']`,
      '[-1]',
      '[-]',
      '[a:b]',
      '[a, ]',
      '[a,b]',
      '[ a , b ]',
      '[[a]]',
      '[{a: 1}]',
      '[a # c]',
      '[true, null, ~]',
      '[a',
      '[a] x',
      '["a": 1]',
      '[?a]',
      '[ - ]',
      '[a b]',
    ];
    const BLOCK_HEADERS = ['|', '|-', '|+', '>', '>-', '>+', '| # c', '|2', '|x'];
    let read = 0;
    const N = 3000;
    for (let n = 0; n < N; n++) {
      const lines: string[] = [];
      const emit = (indent: number, depth: number): void => {
        const count = 1 + rand(4);
        const seq = rand(3) === 0;
        for (let k = 0; k < count; k++) {
          const pad = ' '.repeat(indent);
          if (rand(10) === 0) lines.push(rand(2) ? '' : `${' '.repeat(rand(6))}# note`);
          const nested = depth < 4 && rand(3) === 0;
          const step = 1 + rand(3);
          if (seq) {
            if (nested && rand(2)) {
              // A compact mapping item.
              const col = indent + 2 + rand(2);
              lines.push(`${pad}-${' '.repeat(col - indent - 1)}${pick(KEYS)}: ${pick(VALUES)}`);
              if (rand(2)) lines.push(`${' '.repeat(col)}${pick(KEYS)}: ${pick(VALUES)}`);
            } else if (nested) {
              lines.push(`${pad}-${rand(3) === 0 ? ' # c' : ''}`);
              emit(indent + step, depth + 1);
            } else lines.push(`${pad}- ${pick(VALUES)}`);
          } else if (nested) {
            lines.push(`${pad}${pick(KEYS)}:${rand(4) === 0 ? ' # c' : ''}`);
            emit(rand(4) === 0 ? indent : indent + step, depth + 1);
          } else if (rand(6) === 0) {
            // A block scalar and some lines around its indentation.
            lines.push(`${pad}${pick(KEYS)}: ${pick(BLOCK_HEADERS)}`);
            for (let l = rand(5); l > 0; l--) {
              lines.push(
                rand(4) === 0 ? ' '.repeat(rand(8)) : `${' '.repeat(indent + rand(5))}${pick(VALUES)}`,
              );
            }
          } else {
            lines.push(
              `${pad}${pick(KEYS)}${pick([':', ': ', ' : ', ':  '])}${rand(8) === 0 ? '' : pick(VALUES)}`,
            );
          }
        }
      };
      emit(rand(5) === 0 ? 2 : 0, 0);
      const text = lines.join('\n') + (rand(2) ? '\n' : '');
      if (agrees(text)) read++;
    }
    // Enough of them are in the subset for the comparison to mean something.
    expect(read).toBeGreaterThan(N / 10);
  });
});

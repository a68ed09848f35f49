/**
 * Layer rules of ARCHITECTURE.md as a test: every import in src/ must go downward (or stay in
 * its own folder), and each third-party package stays in the one module that owns it.
 */

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../src');

/** Layer of each top-level folder; a folder may import its own layer's folder and lower layers. */
const LAYERS: Record<string, number> = {
  internal: 0,
  chart: 1,
  release: 1,
  values: 2,
  template: 2,
  storage: 2,
  repo: 2,
  kube: 3,
  action: 4,
  cli: 5,
};

/** Folders a folder may import besides lower layers (documented exceptions). */
const EXTRA_ALLOWED: Record<string, string[]> = {
  kube: ['cluster'],
  cluster: ['internal'],
  // The release record stores its chart (metadata, templates, values): Helm's release package
  // knows the chart package the same way.
  release: ['chart'],
};

/** Which src folders may import each third-party package. */
const PACKAGE_OWNERS: Record<string, string[]> = {
  handlebars: [],
  yaml: ['internal'],
  'js-yaml': ['internal'],
  tar: ['chart'],
  axios: ['repo', 'kube'],
  'better-sqlite3': ['cluster'],
  ajv: ['values'],
  commander: ['cli'],
  diff: ['release'],
};

function sourceFiles(dir: string): string[] {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  return entries.flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs: string[] = [];
  const re = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of text.matchAll(re)) specs.push((m[1] ?? m[2])!);
  return specs;
}

function violations(root: string): string[] {
  const topFolder = (file: string) => path.relative(root, file).split(path.sep)[0]!;
  const out: string[] = [];
  for (const file of sourceFiles(root)) {
    const from = topFolder(file);
    const rel = path.relative(root, file);
    for (const spec of importsOf(file)) {
      if (spec.startsWith('.')) {
        const target = topFolder(path.resolve(path.dirname(file), spec));
        if (target === from) continue;
        if (from === 'cluster' || target === 'cluster') {
          if (!(EXTRA_ALLOWED[from] ?? []).includes(target))
            out.push(`${rel} imports ${spec} (cluster is its own tree)`);
          continue;
        }
        const a = LAYERS[from];
        const b = LAYERS[target];
        if (a === undefined || b === undefined) {
          out.push(`${rel}: unknown folder in import ${spec}`);
        } else if (b >= a && !(EXTRA_ALLOWED[from] ?? []).includes(target)) {
          out.push(`${rel} (layer ${a}) imports ${spec} (${target}, layer ${b})`);
        }
      } else if (!spec.startsWith('node:')) {
        const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        const owners = PACKAGE_OWNERS[pkg];
        if (owners && !owners.includes(from))
          out.push(`${rel} imports ${pkg}, which belongs to ${owners.join(', ') || 'tests only'}`);
      }
    }
  }
  return out;
}

describe('architecture', () => {
  it('imports only go down the layers, and packages stay with their owners', () => {
    expect(violations(SRC)).toEqual([]);
  });

  it('reports an upward import, a sideways import and a misplaced package', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'bosun-arch-'));
    const put = (rel: string, text: string) => {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), text);
    };
    put('chart/a.ts', "import { x } from '../action/b.js';\n");
    put('values/c.ts', "import { y } from '../template/d.js';\n");
    put('action/b.ts', "import YAML from 'yaml';\nexport const x = 1;\n");
    put('template/d.ts', "import { z } from '../chart/e.js';\nexport const y = 1;\n");
    put('chart/e.ts', 'export const z = 1;\n');
    expect(violations(root)).toEqual([
      expect.stringContaining('action/b.ts imports yaml'),
      expect.stringContaining('chart/a.ts (layer 1) imports ../action/b.js'),
      expect.stringContaining('values/c.ts (layer 2) imports ../template/d.js'),
    ]);
  });
});

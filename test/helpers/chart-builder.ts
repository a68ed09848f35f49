/**
 * Builds small charts in temporary directories for tests.
 */

import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeChartArchive } from '../../src/chart/chart-archive.js';

/** A chart to write: file name → content; `Chart.yaml` gets a default unless given (or null). */
export interface ChartSpec {
  readonly name?: string;
  readonly files?: Readonly<Record<string, string | null>>;
}

/** A fresh temporary directory. */
export function tempDir(prefix = 'bosun-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes a chart under `dir/<name>` and returns its path. */
export function writeChart(dir: string, spec: ChartSpec = {}): string {
  const name = spec.name ?? 'mychart';
  const root = path.join(dir, name);
  const files: Record<string, string | null> = {
    'Chart.yaml': `apiVersion: v2\nname: ${name}\nversion: 0.1.0\nappVersion: "1.0"\n`,
    'values.yaml': '',
    ...spec.files,
  };
  for (const [rel, content] of Object.entries(files)) {
    if (content === null) continue;
    const p = path.join(root, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  mkdirSync(path.join(root, 'templates'), { recursive: true });
  return root;
}

/** Writes `files` (path relative to `root` → content) under `root`, creating directories. */
export function writeFiles(root: string, files: Readonly<Record<string, string | Buffer>>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(root, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
}

/**
 * Writes `files` (names relative to the chart root) as a chart archive at `file`, under the top
 * directory `topDir`, as `bosun package` would.
 */
export async function writeArchiveChart(
  file: string,
  topDir: string,
  files: Readonly<Record<string, string | Buffer>>,
): Promise<string> {
  const entries = Object.entries(files).map(([name, data]) => ({
    name,
    data: typeof data === 'string' ? Buffer.from(data) : data,
  }));
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, await writeChartArchive(entries, topDir));
  return file;
}

/** Every path under `dir` with its size and mtime, to show that a failed command wrote nothing. */
export function snapshotTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      const st = statSync(p);
      out.push(`${path.relative(dir, p)} ${e.isDirectory() ? 'dir' : st.size} ${st.mtimeMs}`);
      if (e.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out.sort();
}

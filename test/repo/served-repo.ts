/**
 * Fixtures for dependency and server tests: packaged charts served by `startRepoServer` on
 * 127.0.0.1 and chart directories that depend on them.
 */

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { repoAdd } from '../../src/action/repo/repo-add.js';
import { type RepoServer, startRepoServer } from '../../src/repo/server.js';
import { tempDir, writeArchiveChart, writeChart } from '../helpers/chart-builder.js';

/** Files of a small chart `name` at `version`. */
export function chartFiles(name: string, version: string): Record<string, string> {
  return {
    'Chart.yaml': `apiVersion: v2\nname: ${name}\nversion: ${version}\ndescription: the ${name} chart\n`,
    'values.yaml': `name: ${name}\n`,
    'templates/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}-{{ .Release.Name }}\n`,
  };
}

/** Packages `name-version` into `dir` (as `bosun package` would). */
export async function packageInto(dir: string, name: string, version: string): Promise<string> {
  return writeArchiveChart(path.join(dir, `${name}-${version}.tgz`), name, chartFiles(name, version));
}

/** A served repository holding `sub` 0.1.0, 0.1.5, 0.2.0 and 1.0.0-beta.1, and `other` 1.0.0. */
export async function servedRepo(): Promise<{ dir: string; server: RepoServer }> {
  const dir = tempDir('bosun-repo-');
  for (const v of ['0.1.0', '0.1.5', '0.2.0', '1.0.0-beta.1']) await packageInto(dir, 'sub', v);
  await packageInto(dir, 'other', '1.0.0');
  const server = await startRepoServer(dir, { port: 0, upload: true, rescanMs: 0 });
  return { dir, server };
}

/** A fresh `$BOSUN_HOME` with the repository `name` added. */
export async function homeWithRepo(name: string, url: string): Promise<string> {
  const home = tempDir('bosun-home-');
  await repoAdd({ home, name, url });
  return home;
}

/**
 * A workspace with `app` depending on `file://../lib` (`lib` 0.3.0) and on `sub` from the given
 * repository reference (`@local`, a URL…), with the range `range`.
 */
export function appWithDeps(repository: string, range = '^0.1.0'): { root: string; app: string } {
  const root = tempDir('bosun-app-');
  writeChart(root, { name: 'lib', files: { 'Chart.yaml': 'apiVersion: v2\nname: lib\nversion: 0.3.0\n' } });
  const app = writeChart(root, {
    name: 'app',
    files: {
      'Chart.yaml': [
        'apiVersion: v2',
        'name: app',
        'version: 1.0.0',
        'dependencies:',
        '- name: lib',
        '  version: ">=0.1.0"',
        '  repository: file://../lib',
        '- name: sub',
        `  version: "${range}"`,
        `  repository: "${repository}"`,
        '',
      ].join('\n'),
    },
  });
  return { root, app };
}

/** `charts/` of a chart: file name → sha256. */
export function chartsDigests(chartDir: string): Record<string, string> {
  const dir = path.join(chartDir, 'charts');
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const file = path.join(dir, name);
    if (statSync(file).isFile()) out[name] = createHash('sha256').update(readFileSync(file)).digest('hex');
  }
  return out;
}

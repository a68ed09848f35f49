/**
 * The repository config `$BOSUN_HOME/repositories.yaml`, in Helm's format (`pkg/repo/v1/repo.go`:
 * `apiVersion`, `generated`, `repositories[]` with Helm's field names). With no file, the config
 * holds one repository, `stable`, which is the `repo-index/` directory shipped in the package, so
 * search and install work offline out of the box.
 *
 * A file that does not parse or has the wrong shape is an error naming the file; it is never
 * silently reset. Writes are atomic and serialised by a lock file (`repositories.lock`, as Helm's
 * `repo add` locks with flock), whose holder is recognised as gone by its PID or its age.
 */

import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { IoError, YamlError } from '../internal/errors.js';
import { parseYaml, toYaml } from '../internal/yaml.js';
import { sweepTempFiles, writeFileAtomic } from './atomic-file.js';
import type { RepoConfig, RepoEntry } from './types.js';

/** The name of the preconfigured repository. */
export const STABLE_REPO_NAME = 'stable';

/** `$BOSUN_HOME/repositories.yaml`. */
export function repositoriesPath(home: string): string {
  return path.join(home, 'repositories.yaml');
}

/** `$BOSUN_HOME/repositories.lock`. */
export function repositoriesLockPath(home: string): string {
  return path.join(home, 'repositories.lock');
}

let bundledDir: string | undefined;

/**
 * The absolute path of the package's `repo-index/`: the directory next to the `package.json`
 * named `bosun`, found by walking up from this module, so it holds when running from `src/`
 * and from the bundled `dist/`.
 */
export function bundledRepoDir(): string {
  if (bundledDir !== undefined) return bundledDir;
  const start = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (pkg.name === 'bosun') {
        bundledDir = path.join(dir, 'repo-index');
        return bundledDir;
      }
    } catch {
      // No package.json here (or not JSON): keep walking up.
    }
    if (path.dirname(dir) === dir) throw new IoError(`cannot find the bosun package above ${start}`);
  }
}

/** The `file://` URL of the bundled repository. */
export function bundledRepoUrl(): string {
  return pathToFileURL(bundledRepoDir()).href;
}

/** The config used when `repositories.yaml` does not exist: `stable` only. */
export function defaultRepoConfig(now: Date = new Date()): RepoConfig {
  return {
    apiVersion: 'v1',
    generated: now.toISOString(),
    repositories: [{ name: STABLE_REPO_NAME, url: bundledRepoUrl() }],
  };
}

/** The entry named `name`, if any. */
export function findRepo(config: RepoConfig, name: string): RepoEntry | undefined {
  return config.repositories.find((r) => r.name === name);
}

const STRING_FIELDS = ['username', 'password', 'certFile', 'keyFile', 'caFile'] as const;
const BOOLEAN_FIELDS = ['insecure_skip_tls_verify', 'pass_credentials_all'] as const;

/** One `repositories[]` item, checked; empty optional fields are dropped. */
function parseEntry(raw: unknown, index: number, file: string): RepoEntry {
  const where = `repositories[${index}]`;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new YamlError(file, `${where}: expected a mapping with name and url`);
  }
  const o = raw as Record<string, unknown>;
  const text = (key: string, required: boolean): string | undefined => {
    const v = o[key];
    if (v === undefined || v === null || v === '') {
      if (required) throw new YamlError(file, `${where}: ${key} is required`);
      return undefined;
    }
    if (typeof v !== 'string') throw new YamlError(file, `${where}.${key}: expected a string`);
    return v;
  };
  const entry: Record<string, unknown> = { name: text('name', true), url: text('url', true) };
  for (const key of STRING_FIELDS) {
    const v = text(key, false);
    if (v !== undefined) entry[key] = v;
  }
  for (const key of BOOLEAN_FIELDS) {
    const v = o[key];
    if (v === undefined || v === null || v === false) continue;
    if (v !== true) throw new YamlError(file, `${where}.${key}: expected true or false`);
    entry[key] = true;
  }
  return entry as unknown as RepoEntry;
}

/**
 * A `stable` entry whose `repo-index/` no longer exists (the package was moved or reinstalled
 * elsewhere) points at the current bundled one instead.
 */
function relocateStable(entry: RepoEntry): RepoEntry {
  if (entry.name !== STABLE_REPO_NAME || !/^file:/i.test(entry.url)) return entry;
  let dir: string;
  try {
    dir = fileURLToPath(entry.url);
  } catch {
    return entry;
  }
  if (path.basename(dir.replace(/[\\/]+$/, '')) !== 'repo-index' || existsSync(dir)) return entry;
  return { ...entry, url: bundledRepoUrl() };
}

/** Parses the text of a `repositories.yaml`; `file` names it in errors. */
export function parseRepoConfig(text: string, file: string): RepoConfig {
  if (text.trim() === '') {
    throw new YamlError(file, 'the file is empty (delete it to go back to the default repositories)');
  }
  const doc = parseYaml(text, file);
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new YamlError(file, 'expected a mapping with apiVersion and repositories');
  }
  const o = doc as Record<string, unknown>;
  const list = o['repositories'] ?? [];
  if (!Array.isArray(list)) throw new YamlError(file, 'repositories: expected a list');
  const repositories = list.map((r, i) => relocateStable(parseEntry(r, i, file)));
  const seen = new Set<string>();
  for (const r of repositories) {
    if (seen.has(r.name))
      throw new YamlError(file, `repository name ${JSON.stringify(r.name)} appears twice`);
    seen.add(r.name);
  }
  const generated = o['generated'];
  return {
    apiVersion: typeof o['apiVersion'] === 'string' ? o['apiVersion'] : '',
    generated: typeof generated === 'string' ? generated : '0001-01-01T00:00:00Z',
    repositories,
  };
}

/**
 * Loads `$BOSUN_HOME/repositories.yaml`; with no file, the default config (`stable` only).
 * A file that cannot be read or parsed is an error naming it.
 */
export async function loadRepoConfig(home: string): Promise<RepoConfig> {
  const file = repositoriesPath(home);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return defaultRepoConfig();
    throw new IoError(`couldn't load repositories file (${file}): ${(err as Error).message}`);
  }
  return parseRepoConfig(text, file);
}

/** The YAML Helm writes: every field of every entry, keys sorted (sigs.k8s.io/yaml). */
export function serializeRepoConfig(config: RepoConfig): string {
  return `${toYaml({
    apiVersion: config.apiVersion,
    generated: config.generated,
    repositories: config.repositories.map((r) => ({
      caFile: r.caFile ?? '',
      certFile: r.certFile ?? '',
      insecure_skip_tls_verify: r.insecure_skip_tls_verify === true,
      keyFile: r.keyFile ?? '',
      name: r.name,
      pass_credentials_all: r.pass_credentials_all === true,
      password: r.password ?? '',
      url: r.url,
      username: r.username ?? '',
    })),
  })}\n`;
}

/** Options of the writing functions. */
export interface RepoConfigWriteOptions {
  /** Receives a line when a stale lock (from a process that is gone) is taken over. */
  readonly warn?: (message: string) => void;
  /** How long to wait for another process holding the lock. @default 10 000 */
  readonly lockWaitMs?: number;
}

/** A lock older than this is stale whatever its PID says (no holder keeps it this long). */
const LOCK_STALE_MS = 60_000;

interface LockRecord {
  readonly pid: number;
  readonly host: string;
  readonly token: string;
}

/** Whether process `pid` exists (EPERM: it exists, as another user's). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Why an existing lock is stale, or undefined while its holder may still be working. */
async function staleReason(lockFile: string): Promise<string | undefined> {
  let text: string;
  let age: number;
  try {
    const stat = await fs.stat(lockFile);
    age = Date.now() - stat.mtimeMs;
    text = await fs.readFile(lockFile, 'utf8');
  } catch {
    return undefined; // Released meanwhile: just retry.
  }
  let record: Partial<LockRecord> = {};
  try {
    record = JSON.parse(text) as Partial<LockRecord>;
  } catch {
    // Written only partly (the holder died between create and write) once it is a little old.
    return age > 2000 ? 'its content is unreadable' : undefined;
  }
  if (typeof record.pid === 'number' && record.host === os.hostname() && !processAlive(record.pid)) {
    return `process ${record.pid} is gone`;
  }
  if (age > LOCK_STALE_MS) return `it is ${Math.round(age / 1000)}s old`;
  return undefined;
}

/** Takes the lock (`open(…, 'wx')`), waiting for a live holder; returns the release function. */
async function acquireLock(home: string, options: RepoConfigWriteOptions): Promise<() => Promise<void>> {
  await fs.mkdir(home, { recursive: true, mode: 0o700 });
  const lockFile = repositoriesLockPath(home);
  const record: LockRecord = { pid: process.pid, host: os.hostname(), token: randomBytes(8).toString('hex') };
  const deadline = Date.now() + (options.lockWaitMs ?? 10_000);
  for (;;) {
    try {
      const handle = await fs.open(lockFile, 'wx', 0o600);
      try {
        await handle.writeFile(JSON.stringify(record));
      } finally {
        await handle.close();
      }
      return async () => {
        try {
          const held = JSON.parse(await fs.readFile(lockFile, 'utf8')) as Partial<LockRecord>;
          if (held.token === record.token) await fs.rm(lockFile, { force: true });
        } catch {
          // Already gone.
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new IoError(`cannot create the lock ${lockFile}: ${(err as Error).message}`);
      }
    }
    const stale = await staleReason(lockFile);
    if (stale !== undefined) {
      options.warn?.(`removing the stale lock ${lockFile} (${stale})`);
      await fs.rm(lockFile, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      let holder = 'another bosun process';
      try {
        const held = JSON.parse(await fs.readFile(lockFile, 'utf8')) as Partial<LockRecord>;
        if (typeof held.pid === 'number') holder = `process ${held.pid}`;
      } catch {
        // Keep the generic wording.
      }
      throw new IoError(
        `${repositoriesPath(home)} is locked by ${holder} (${lockFile}); try again, or remove the lock if no bosun command is running`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Runs `fn` holding the lock of `repositories.yaml`. */
export async function withRepoConfigLock<T>(
  home: string,
  fn: () => Promise<T>,
  options: RepoConfigWriteOptions = {},
): Promise<T> {
  const release = await acquireLock(home, options);
  try {
    return await fn();
  } finally {
    await release();
  }
}

/** Writes the config atomically (mode 0600: it may hold passwords); the caller holds the lock. */
async function writeRepoConfig(home: string, config: RepoConfig): Promise<void> {
  await sweepTempFiles(home, path.basename(repositoriesPath(home)));
  await writeFileAtomic(repositoriesPath(home), serializeRepoConfig(config), { mode: 0o600 });
}

/** Saves `config` as `$BOSUN_HOME/repositories.yaml`: atomically, under the lock file. */
export async function saveRepoConfig(
  home: string,
  config: RepoConfig,
  options: RepoConfigWriteOptions = {},
): Promise<void> {
  await withRepoConfigLock(home, () => writeRepoConfig(home, config), options);
}

/**
 * Read-modify-write under one lock, so concurrent `repo add`s do not lose each other's entries.
 * `mutate` returns the new config, or undefined to write nothing; when it throws, nothing is
 * written. Resolves to the config now in effect.
 */
export async function updateRepoConfig(
  home: string,
  mutate: (config: RepoConfig) => RepoConfig | undefined | Promise<RepoConfig | undefined>,
  options: RepoConfigWriteOptions = {},
): Promise<RepoConfig> {
  return withRepoConfigLock(
    home,
    async () => {
      const current = await loadRepoConfig(home);
      const next = await mutate(current);
      if (next === undefined) return current;
      await writeRepoConfig(home, next);
      return next;
    },
    options,
  );
}

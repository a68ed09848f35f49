/**
 * `bosun kubectl get -w` / `--watch-only` through `run()` over a temporary `$BOSUN_HOME`: the
 * listing, then one row per change other processes make (through the shared SQLite file), until
 * `--request-timeout` elapses or the command is interrupted.
 */

import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeEach, describe, expect, it } from 'vitest';
import { memoryIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { openEmbeddedCluster } from '../../src/kube/index.js';

const BIN = path.resolve(import.meta.dirname, '../../bin/bosun.js');
let home: string;

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'bosun-kubectl-watch-'));
});

async function k(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIO({ env: { BOSUN_HOME: home }, cwd: home });
  const code = await run(['k', ...argv], io);
  return { code, out: io.out(), err: io.err() };
}

/** Starts a watching command; `until` resolves once its output matches. */
function watching(...argv: string[]) {
  const io = memoryIO({ env: { BOSUN_HOME: home }, cwd: home });
  const done = run(['k', ...argv], io);
  const until = async (pattern: RegExp): Promise<void> => {
    const end = Date.now() + 15_000;
    while (!pattern.test(io.out() + io.err())) {
      if (Date.now() > end) throw new Error(`never printed ${pattern}: ${io.out()}${io.err()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return { io, done, until };
}

/** Writes through a second handle on the cluster file, as another process would. */
async function elsewhere<T>(
  fn: (client: ReturnType<typeof openEmbeddedCluster>['client']) => Promise<T>,
): Promise<T> {
  const cluster = openEmbeddedCluster(home);
  try {
    return await fn(cluster.client);
  } finally {
    cluster.close();
  }
}

const configMap = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels },
  data: { a: 'b' },
});

describe('bosun kubectl get -w', () => {
  it('prints the table of an idle cluster and stops at --request-timeout', async () => {
    expect((await k('create', 'configmap', 'one')).code).toBe(0);
    const started = Date.now();
    const watched = await k('get', 'configmaps', '-w', '--request-timeout=1s');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(watched.code).toBe(0);
    const ages = (text: string) => text.replace(/\d+s\n/g, 'AGE\n');
    expect(ages(watched.out)).toBe(ages((await k('get', 'configmaps')).out));
    const pods = await k('get', 'pods', '-w', '--request-timeout=1s');
    expect(pods).toEqual({ code: 0, out: '', err: 'No resources found in default namespace.\n' });
  });

  it('prints one row for a ConfigMap another process creates, and exits 0 on an interrupt', async () => {
    expect((await k('create', 'configmap', 'one')).code).toBe(0);
    const w = watching('get', 'cm', '--watch');
    await w.until(/^NAME +DATA +AGE\n/);
    const listing = w.io.out();
    await promisify(execFile)(
      process.execPath,
      [BIN, 'k', 'create', 'configmap', 'two', '--from-literal=x=y'],
      {
        env: { ...process.env, BOSUN_HOME: home },
      },
    );
    await w.until(/\ntwo +1 +\d+s\n$/);
    w.io.interrupt();
    expect(await w.done).toBe(0);
    expect(w.io.out().slice(listing.length)).toMatch(/^two {3}1 {5}\d+s\n$/);
    expect(w.io.err()).toBe('');
  }, 30_000);

  it('--watch-only prints no table, only the changes', async () => {
    expect((await k('create', 'configmap', 'one')).code).toBe(0);
    const w = watching('get', 'configmaps', '--watch-only', '--request-timeout=10s');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(w.io.out()).toBe('');
    await elsewhere((client) => client.create(configMap('two'), { namespace: 'default' }));
    await w.until(/two/);
    w.io.interrupt();
    expect(await w.done).toBe(0);
    expect(w.io.out()).toMatch(/^two {3}1 {5}\d+s\n$/);
  });

  it('prints a row for a DELETED event too', async () => {
    expect((await k('create', 'configmap', 'gone')).code).toBe(0);
    const w = watching('get', 'configmap', '-w', '-o', 'name', '--request-timeout=10s');
    await w.until(/^configmap\/gone\nconfigmap\/kube-root-ca.crt\n/);
    await elsewhere((client) => client.delete('configmaps', 'default', 'gone'));
    await w.until(/crt\nconfigmap\/gone\n$/);
    w.io.interrupt();
    expect(await w.done).toBe(0);
    expect(w.io.out()).toBe('configmap/gone\nconfigmap/kube-root-ca.crt\nconfigmap/gone\n');
  });

  it('applies the label selector and the namespace to the events', async () => {
    expect((await k('get', 'cm')).code).toBe(0);
    const w = watching('get', 'cm', '--watch-only', '-l', 'app=web', '-o', 'name', '--request-timeout=10s');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await elsewhere(async (client) => {
      await client.create(configMap('other'), { namespace: 'default' });
      await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
      await client.create(configMap('web-elsewhere', { app: 'web' }), { namespace: 'team' });
      await client.create(configMap('web', { app: 'web' }), { namespace: 'default' });
    });
    await w.until(/configmap\/web\n/);
    w.io.interrupt();
    expect(await w.done).toBe(0);
    expect(w.io.out()).toBe('configmap/web\n');
  });

  it('refuses a malformed --request-timeout in kubectl words', async () => {
    expect(await k('get', 'pods', '-w', '--request-timeout=soon')).toEqual({
      code: 1,
      out: '',
      err: 'error: Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)\n',
    });
  });
});

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InstallAction } from '../../src/action/release/install.js';
import { memoryIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { openEmbeddedCluster } from '../../src/kube/index.js';
import type { Release, ReleaseStatus } from '../../src/release/release.js';
import { createStorage, SecretDriver } from '../../src/storage/index.js';
import { tempDir } from '../helpers/chart-builder.js';

function configMap(name: string, value: string): string {
  return `---\n# Source: app/templates/${name}.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  value: "${value}"\n`;
}

function release(namespace: string, version: number, manifest: string, status: ReleaseStatus): Release {
  return {
    name: 'app',
    namespace,
    version,
    info: { status, description: `revision ${version}` },
    chart: {
      metadata: { apiVersion: 'v2', name: 'app', version: '0.1.0' },
      lock: null,
      templates: [],
      values: {},
      schema: null,
      files: [],
    },
    config: {},
    manifest,
  } as Release;
}

/** A cluster home holding three revisions of `app` in `namespace` (1 → 2 changes, 2 = 3). */
async function homeWithHistory(namespace = 'default'): Promise<string> {
  const home = tempDir();
  const cluster = openEmbeddedCluster(home, { wallClock: () => new Date('2025-03-01T12:00:00Z') });
  try {
    if (namespace !== 'default') {
      await cluster.client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    }
    const storage = createStorage(new SecretDriver(cluster.client, namespace));
    await storage.create(release(namespace, 1, configMap('a', '1'), 'superseded'));
    await storage.create(release(namespace, 2, configMap('a', '2') + configMap('b', '1'), 'superseded'));
    await storage.create(release(namespace, 3, configMap('a', '2') + configMap('b', '1'), 'deployed'));
  } finally {
    cluster.close();
  }
  return home;
}

async function bosun(
  args: string[],
  home: string,
  options: { env?: Record<string, string>; tty?: boolean } = {},
) {
  const io = { ...memoryIO({ env: { BOSUN_HOME: home, ...options.env } }), isTTY: Boolean(options.tty) };
  const code = await run(args, io);
  return { code, out: io.out(), err: io.err() };
}

const ESC = '\x1b[';

describe('bosun diff revision', () => {
  it('prints the changes between two revisions as helm-diff does', async () => {
    const home = await homeWithHistory();
    const r = await bosun(['diff', 'revision', 'app', '1', '2'], home);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        'default, a, ConfigMap (v1) has changed:',
        '  # Source: app/templates/a.yaml',
        '  apiVersion: v1',
        '  kind: ConfigMap',
        '  metadata:',
        '    name: a',
        '  data:',
        '-   value: "1"',
        '+   value: "2"',
        'default, b, ConfigMap (v1) has been added:',
        '+ # Source: app/templates/b.yaml',
        '+ apiVersion: v1',
        '+ kind: ConfigMap',
        '+ metadata:',
        '+   name: b',
        '+ data:',
        '+   value: "1"',
        '',
      ].join('\n'),
    );
  });

  it('--context 0 and the latest revision by default', async () => {
    const home = await homeWithHistory();
    const r = await bosun(['diff', 'revision', 'app', '1', '--context', '0'], home);
    expect(r.code).toBe(0);
    expect(r.out.split('\n').slice(0, 4)).toEqual([
      'default, a, ConfigMap (v1) has changed:',
      '...',
      '-   value: "1"',
      '+   value: "2"',
    ]);
  });

  it('prints nothing and exits 0 when nothing changed, even with --detailed-exitcode', async () => {
    const home = await homeWithHistory();
    expect(await bosun(['diff', 'revision', 'app', '2', '3', '--detailed-exitcode'], home)).toEqual({
      code: 0,
      out: '',
      err: '',
    });
  });

  it('--detailed-exitcode exits 2 when there are changes', async () => {
    const home = await homeWithHistory();
    const r = await bosun(['diff', 'revision', 'app', '2', '1', '--detailed-exitcode'], home);
    expect(r.code).toBe(2);
    expect(r.out).toContain('default, b, ConfigMap (v1) has been added:');
    expect(r.err).toBe(
      'Error: identified at least one change, exiting with non-zero exit code (detailed-exitcode parameter enabled)\n',
    );
  });

  it('colours only on a terminal without NO_COLOR, unless --color/--no-color says otherwise', async () => {
    const home = await homeWithHistory();
    const args = ['diff', 'revision', 'app', '1', '2'];
    const tty = await bosun(args, home, { tty: true });
    expect(tty.out).toContain(`${ESC}33mdefault, a, ConfigMap (v1) has changed:${ESC}0m\n`);
    expect(tty.out).toContain(`${ESC}31m-   value: "1"${ESC}0m\n${ESC}32m+   value: "2"${ESC}0m\n`);
    expect((await bosun(args, home, { tty: true, env: { NO_COLOR: '1' } })).out).not.toContain(ESC);
    expect((await bosun([...args, '--no-color'], home, { tty: true })).out).not.toContain(ESC);
    expect((await bosun(args, home)).out).not.toContain(ESC);
    expect((await bosun([...args, '--color'], home)).out).toContain(`${ESC}32m+   value: "2"`);
  });

  it('reads the release namespace from -n', async () => {
    const home = await homeWithHistory('coins');
    const r = await bosun(['diff', 'revision', 'app', '1', '2', '-n', 'coins'], home);
    expect(r.code).toBe(0);
    expect(r.out).toContain('coins, a, ConfigMap (v1) has changed:');
    const elsewhere = await bosun(['diff', 'revision', 'app', '1', '2'], home);
    expect(elsewhere).toMatchObject({ code: 1, out: '', err: 'Error: release: not found\n' });
  });

  it('errors: unknown release or revision, bad revision, bad --context, missing arguments', async () => {
    const home = await homeWithHistory();
    expect(await bosun(['diff', 'revision', 'nope', '1'], home)).toMatchObject({
      code: 1,
      err: 'Error: release: not found\n',
    });
    expect(await bosun(['diff', 'revision', 'app', '1', '9'], home)).toMatchObject({
      code: 1,
      err: 'Error: release: not found\n',
    });
    expect(await bosun(['diff', 'revision', 'app', 'x'], home)).toMatchObject({
      code: 1,
      err: 'Error: invalid revision "x": must be a positive integer\n',
    });
    expect(await bosun(['diff', 'revision', 'app', '1', '--context', 'lots'], home)).toMatchObject({
      code: 1,
      err: 'Error: invalid argument "lots" for "--context": not a number\n',
    });
    const missing = await bosun(['diff', 'revision', 'app'], home);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("missing required argument 'revision1'");
  });
});

describe('bosun diff upgrade', () => {
  const repoRoot = path.resolve(import.meta.dirname, '../..');

  /** A cluster home with charts/dockercoins installed as `coins` (worker.replicas=2). */
  async function homeWithCoins(): Promise<string> {
    const home = tempDir();
    const cluster = openEmbeddedCluster(home, { wallClock: () => new Date('2025-03-01T12:00:00Z') });
    try {
      const ctx = {
        client: cluster.client,
        namespace: 'default',
        storage: createStorage(new SecretDriver(cluster.client, 'default')),
      };
      await new InstallAction(ctx, { values: { set: ['worker.replicas=2'] } }).run(
        'coins',
        path.join(repoRoot, 'charts/dockercoins'),
      );
    } finally {
      cluster.close();
    }
    return home;
  }

  async function diffUpgrade(home: string, args: string[], tty = false) {
    const io = { ...memoryIO({ env: { BOSUN_HOME: home }, cwd: repoRoot }), isTTY: tty };
    const code = await run(['diff', 'upgrade', 'coins', 'charts/dockercoins', ...args], io);
    return { code, out: io.out(), err: io.err() };
  }

  it('shows the change --set worker.replicas=10 would make, and upgrades nothing', async () => {
    const home = await homeWithCoins();
    const r = await diffUpgrade(home, ['--set', 'worker.replicas=10', '-C', '2']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /^default, worker, Deployment \(apps\) has changed:\n\.\.\.\n( {2}.*\n){2}- {3}replicas: 2\n\+ {3}replicas: 10\n( {2}.*\n){2}\.\.\.\n$/,
    );
    const history = await bosunHistory(home);
    expect(history).toEqual([1]);
  });

  it('-f values files, --reuse-values, and nothing printed when nothing would change', async () => {
    const home = await homeWithCoins();
    const values = path.join(tempDir(), 'v.yaml');
    writeFileSync(values, 'hasher:\n  replicas: 4\n');
    const r = await diffUpgrade(home, ['-f', values, '--reuse-values', '--detailed-exitcode']);
    expect(r.code).toBe(2);
    expect(r.out).toContain('default, hasher, Deployment (apps) has changed:');
    expect(r.out).not.toContain('worker');
    expect(await diffUpgrade(home, ['--reuse-values', '--detailed-exitcode'])).toEqual({
      code: 0,
      out: '',
      err: '',
    });
  });

  it('an unknown release is an error', async () => {
    const home = tempDir();
    const io = { ...memoryIO({ env: { BOSUN_HOME: home }, cwd: repoRoot }), isTTY: false };
    const code = await run(['diff', 'upgrade', 'nope', 'charts/dockercoins'], io);
    expect(code).toBe(1);
    expect(io.err()).toBe('Error: "nope" has no deployed releases\n');
  });
});

async function bosunHistory(home: string): Promise<number[]> {
  const cluster = openEmbeddedCluster(home);
  try {
    return (await createStorage(new SecretDriver(cluster.client, 'default')).history('coins')).map(
      (r) => r.version,
    );
  } finally {
    cluster.close();
  }
}

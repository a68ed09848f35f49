/**
 * The release-manager acceptance scenarios, end to end through the CLI on an embedded cluster in
 * a temporary `$BOSUN_HOME`: install, the ownership error, upgrade with `--set` and
 * `--reuse-values`, rollback, an `--atomic` upgrade to a missing image, uninstall with
 * `resource-policy: keep` and `--keep-history`, Helm 2 habits, and bad input.
 */

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { tempDir, writeChart } from '../helpers/chart-builder.js';
import { cliSession } from '../helpers/cli-session.js';

const CHART = path.resolve(import.meta.dirname, '../../charts/dockercoins');

// biome-ignore lint/suspicious/noExplicitAny: the tests read JSON output freely
type J = any;

function session(home = tempDir()) {
  const { bosun, json } = cliSession(home, home);
  const history = async (name: string, ...flags: string[]) => {
    const r = await bosun('history', name, '-o', 'json', ...flags);
    expect(r.err).toBe('');
    return JSON.parse(r.out) as { revision: number; status: string; description: string }[];
  };
  return { home, bosun, json, history };
}

const workerPods = (pods: J) =>
  pods.items.filter((p: J) => String(p.metadata.name).startsWith('worker-') && !p.metadata.deletionTimestamp);

describe('install', () => {
  it('installs DockerCoins as revision 1, deployed, every pod Running', async () => {
    const s = session();
    const r = await s.bosun('install', 'coins', CHART);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /^NAME: coins\nLAST DEPLOYED: .+\nNAMESPACE: default\nSTATUS: deployed\nREVISION: 1\n/,
    );
    const pods = await s.json('pods');
    expect(pods.items.length).toBeGreaterThanOrEqual(6);
    for (const p of pods.items) expect(p.status.phase, p.metadata.name).toBe('Running');
    const svc = await s.json('service', 'hasher');
    expect(svc.metadata.labels['app.kubernetes.io/managed-by']).toBe('Helm');
    expect(svc.metadata.annotations).toMatchObject({
      'meta.helm.sh/release-name': 'coins',
      'meta.helm.sh/release-namespace': 'default',
    });
    const secret = await s.json('secret', 'sh.helm.release.v1.coins.v1');
    expect(secret.type).toBe('helm.sh/release.v1');
    expect(secret.metadata.labels).toMatchObject({
      name: 'coins',
      owner: 'helm',
      status: 'deployed',
      version: '1',
    });
  });

  it('refuses a second release owning the same objects, with Helm wording, and changes nothing', async () => {
    const s = session();
    expect((await s.bosun('install', 'coins', CHART)).code).toBe(0);
    const before = await s.json('all');
    const r = await s.bosun('install', 'other', CHART);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'Error: INSTALLATION FAILED: rendered manifests contain a resource that already exists. Unable to continue with install: ',
    );
    expect(r.err).toMatch(
      /exists and cannot be imported into the current release: invalid ownership metadata; annotation validation error: key "meta.helm.sh\/release-name" must equal "other": current value is "coins"/,
    );
    expect(r.err.trim().split('\n')).toHaveLength(1);
    const after = await s.json('all');
    expect(after.items.map((o: J) => o.metadata.name).sort()).toEqual(
      before.items.map((o: J) => o.metadata.name).sort(),
    );
    expect((await s.bosun('history', 'other')).err).toContain('release: not found');
    // Another namespace is fine.
    const blue = await s.bosun('install', 'other', CHART, '-n', 'blue', '--create-namespace');
    expect(blue.err).toBe('');
    expect(blue.code).toBe(0);
    expect((await s.json('pods', '-n', 'blue')).items.length).toBeGreaterThanOrEqual(6);
  });

  it('keeps the Helm 2 habits: no name generates one, --name names it, a missing namespace is created', async () => {
    const s = session();
    const r = await s.bosun('install', CHART, '-n', 'green');
    expect(r.code).toBe(0);
    const name = /^NAME: (\S+)$/m.exec(r.out)![1]!;
    expect(name).toMatch(/^[a-z]+-[a-z]+$/);
    expect(r.err).toContain(`named it "${name}"`);
    expect(r.err).toContain('namespace "green" did not exist: created it');
    const named = await s.bosun('install', '--name', 'myrelease', CHART, '-n', 'red');
    expect(named.code).toBe(0);
    expect(named.out).toContain('NAME: myrelease\n');
    const init = await s.bosun('init');
    expect(init.code).toBe(0);
    expect(init.out).toContain('no server-side component');
  });
});

describe('flags as Helm reads them', () => {
  it('a bare --dry-run or --wait never takes the next argument; --wait=STRATEGY and --dry-run=server do', async () => {
    const s = session();
    const dry = await s.bosun('install', '--dry-run', 'coins', CHART);
    expect(dry.err).toBe('');
    expect(dry.out).toContain('NAME: coins\n');
    expect(dry.out).toContain('DESCRIPTION: Dry run complete\n');
    expect(dry.out).toContain('MANIFEST:');
    expect((await s.json('deployments')).items).toEqual([]);
    expect((await s.bosun('install', '--dry-run=server', 'coins', CHART)).code).toBe(0);
    expect((await s.bosun('history', 'coins')).err).toContain('release: not found');
    const waited = await s.bosun('install', '--wait', 'coins', CHART, '--timeout', '5m');
    expect(waited.err).toBe('');
    expect(waited.out).toContain('STATUS: deployed\n');
    const bad = await s.bosun('upgrade', 'coins', CHART, '--wait=sometimes');
    expect(bad).toMatchObject({ code: 1 });
    expect(bad.err).toContain('invalid wait strategy "sometimes"');
    const legacy = await s.bosun('upgrade', 'coins', CHART, '--wait=legacy', '--set', 'worker.replicas=2');
    expect(legacy.code).toBe(0);
  });

  it('--wait shows its progress: a live line on a terminal (cleared at the end), plain lines otherwise', async () => {
    const s = session();
    expect((await s.bosun('install', 'coins', CHART)).code).toBe(0);
    const io = memoryIO({ env: { BOSUN_HOME: s.home }, cwd: s.home });
    const tty = Object.assign(Object.create(Object.getPrototypeOf(io)), io, { isTTY: true }) as typeof io;
    const args = ['upgrade', 'coins', CHART, '--set', 'worker.image.tag=v0.3', '--wait', '--timeout', '30s'];
    expect(await run(args, tty)).toBe(1);
    const err = io.err();
    expect(err).toMatch(/^\r\u001b\[Kwaiting for 1 resource: deployment\/worker 0\/1 ready, 1 old/);
    expect(err).toMatch(/\r\u001b\[KError: UPGRADE FAILED: timed out waiting for the condition after 30s/);
    const plain = await s.bosun(...args);
    expect(plain.err).toMatch(
      /^waiting for 1 resource: deployment\/worker 0\/1 ready, 1 old\nError: UPGRADE FAILED/,
    );
    expect(plain.err).not.toContain('\r');
  });

  it('a --timeout that is not a duration is refused; a bare number is seconds, as Helm 2 took it', async () => {
    const s = session();
    const bad = await s.bosun('install', 'coins', CHART, '--timeout', 'soon');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('invalid argument "soon" for "--timeout" flag');
    expect((await s.bosun('install', 'coins', CHART, '--wait', '--timeout', '300')).code).toBe(0);
  });
});

describe('upgrade and rollback', () => {
  it('scales the worker with --set, rolls back to revision 1, history as Helm shows it', async () => {
    const s = session();
    expect((await s.bosun('install', 'coins', CHART)).code).toBe(0);
    const up = await s.bosun('upgrade', 'coins', CHART, '--set', 'worker.replicas=10');
    expect(up.err).toBe('');
    expect(up.out).toMatch(/^Release "coins" has been upgraded\. Happy Helming!\nNAME: coins\n/);
    expect(up.out).toContain('REVISION: 2\n');
    expect(workerPods(await s.json('pods'))).toHaveLength(10);
    const rb = await s.bosun('rollback', 'coins', '1');
    expect(rb).toMatchObject({ code: 0, out: 'Rollback was a success! Happy Helming!\n', err: '' });
    expect(workerPods(await s.json('pods'))).toHaveLength(1);
    const h = await s.history('coins');
    expect(h.map((x) => [x.revision, x.status, x.description])).toEqual([
      [1, 'superseded', 'Install complete'],
      [2, 'superseded', 'Upgrade complete'],
      [3, 'deployed', 'Rollback to 1'],
    ]);
    const values = await s.bosun('get', 'values', 'coins', '-o', 'json');
    expect(JSON.parse(values.out)).toBeNull();
  });

  it('--reuse-values keeps earlier overrides while adding new ones', async () => {
    const s = session();
    expect((await s.bosun('install', 'coins', CHART)).code).toBe(0);
    expect((await s.bosun('upgrade', 'coins', CHART, '--set', 'worker.replicas=10')).code).toBe(0);
    const r = await s.bosun(
      'upgrade',
      'coins',
      CHART,
      '--reuse-values',
      '--set',
      'webui.service.type=ClusterIP',
    );
    expect(r.err).toBe('');
    expect(workerPods(await s.json('pods'))).toHaveLength(10);
    expect((await s.json('service', 'webui')).spec.type).toBe('ClusterIP');
    const values = JSON.parse((await s.bosun('get', 'values', 'coins', '-o', 'json')).out);
    expect(values).toEqual({ worker: { replicas: 10 }, webui: { service: { type: 'ClusterIP' } } });
  });

  it('an --atomic upgrade to a missing image fails after the timeout and is rolled back', async () => {
    const s = session();
    expect((await s.bosun('install', 'coins', CHART)).code).toBe(0);
    const started = Date.now();
    const r = await s.bosun(
      'upgrade',
      'coins',
      CHART,
      '--set',
      'worker.image.tag=v0.3',
      '--wait',
      '--timeout',
      '2m',
      '--atomic',
    );
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /Error: UPGRADE FAILED: release coins failed, and has been rolled back due to rollback-on-failure being set: .*ImagePullBackOff/,
    );
    const h = await s.history('coins');
    expect(h.map((x) => [x.revision, x.status])).toEqual([
      [1, 'superseded'],
      [2, 'failed'],
      [3, 'deployed'],
    ]);
    expect(h[1]!.description).toMatch(/^Upgrade "coins" failed: /);
    expect(h[2]!.description).toBe('Rollback to 1');
    const workers = workerPods(await s.json('pods'));
    expect(workers.map((p: J) => p.spec.containers[0].image)).toEqual(['dockercoins/worker:v0.1']);
  });
});

describe('uninstall', () => {
  function keepChart(home: string): string {
    return writeChart(home, {
      name: 'keep',
      files: {
        'templates/kept.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kept\n  annotations:\n    helm.sh/resource-policy: keep\ndata:\n  a: "1"\n',
        'templates/gone.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: gone\ndata:\n  a: "1"\n',
      },
    });
  }

  it('removes every object but resource-policy: keep ones, and the history', async () => {
    const s = session();
    const chart = keepChart(s.home);
    expect((await s.bosun('install', 'k', chart)).code).toBe(0);
    const r = await s.bosun('uninstall', 'k');
    expect(r).toMatchObject({
      code: 0,
      out: 'These resources were kept due to the resource policy:\n[ConfigMap] kept\nrelease "k" uninstalled\n',
    });
    const cms = (await s.json('configmaps')).items.map((c: J) => c.metadata.name);
    expect(cms).toContain('kept');
    expect(cms).not.toContain('gone');
    expect((await s.json('secrets')).items.filter((x: J) => x.type === 'helm.sh/release.v1')).toEqual([]);
  });

  it('--keep-history keeps the record as uninstalled', async () => {
    const s = session();
    expect((await s.bosun('install', 'coins', CHART)).code).toBe(0);
    expect((await s.bosun('uninstall', 'coins', '--keep-history')).code).toBe(0);
    const h = await s.history('coins');
    expect(h.map((x) => [x.revision, x.status, x.description])).toEqual([
      [1, 'uninstalled', 'Uninstallation complete'],
    ]);
    expect((await s.json('deployments')).items).toEqual([]);
    const again = await s.bosun('uninstall', 'coins', '--keep-history');
    expect(again.err).toBe('Error: the release named "coins" is already deleted\n');
  });
});

describe('bad input is refused in Helm words, with nothing changed', () => {
  it.each([
    [['install', 'x', './nope'], 'Error: INSTALLATION FAILED: path "./nope" not found'],
    [
      ['install', 'Bad_Name', CHART],
      'Error: INSTALLATION FAILED: invalid release name "Bad_Name": must match regex',
    ],
    [['install', 'a'.repeat(54), CHART], 'the length must not be longer than 53'],
    [['upgrade', 'missing', CHART], 'Error: UPGRADE FAILED: "missing" has no deployed releases'],
    [['rollback', 'missing', '1'], 'Error: release: not found'],
  ])('%j', async (args, message) => {
    const s = session();
    const before = (await s.json('all', '-A')).items.length;
    const r = await s.bosun(...args);
    expect(r.code).toBe(1);
    expect(r.err).toContain(message);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect((await s.json('all', '-A')).items.length).toBe(before);
  });

  it('rollback to a missing revision', async () => {
    const s = session();
    expect((await s.bosun('install', 'coins', CHART)).code).toBe(0);
    const r = await s.bosun('rollback', 'coins', '7');
    expect(r).toMatchObject({ code: 1, err: 'Error: release has no 7 version\n' });
    expect((await s.history('coins')).map((x) => x.status)).toEqual(['deployed']);
  });
});

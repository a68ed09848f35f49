/**
 * `list`, `history`, `status` and `get` end to end: releases written to the embedded cluster's
 * storage first, then read back through the CLI. Golden files under `goldens/release/`; refresh
 * them with `npx vitest run -u test/cli/release-read.test.ts` after an intended change, and
 * review the diff.
 */

import { beforeAll, describe, expect, it } from 'vitest';
import type { ReleaseContext } from '../../src/action/release/context.js';
import {
  printHistory,
  printReleaseList,
  printReleaseStatus,
  printValues,
  uiTable,
} from '../../src/cli/commands/release-print.js';
import { withReleaseContext } from '../../src/cli/commands/release-session.js';
import { memoryIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { parseYaml } from '../../src/internal/yaml.js';
import type { Release } from '../../src/release/release.js';
import { makeRelease } from '../action/release/read-fixtures.js';
import { tempDir } from '../helpers/chart-builder.js';

const NOW = '2026-01-16T00:00:01Z';

const MANIFEST = `---
# Source: webapp/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: shop-webapp
  labels:
    app: shop-webapp
spec:
  selector:
    app: shop-webapp
  ports:
  - port: 80
    targetPort: 8080
---
# Source: webapp/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop-webapp
spec:
  replicas: 3
  selector:
    matchLabels:
      app: shop-webapp
  template:
    metadata:
      labels:
        app: shop-webapp
    spec:
      containers:
      - name: webapp
        image: nginx:1.28
`;

const NOTES = `
1. Get the application URL by running these commands:
  kubectl port-forward svc/shop-webapp 8080:80
  echo "Visit http://127.0.0.1:8080 <to use your application>"
`;

const TEST_HOOK = `apiVersion: v1
kind: Pod
metadata:
  name: shop-webapp-test-connection
  annotations:
    "helm.sh/hook": test
spec:
  restartPolicy: Never
  containers:
  - name: wget
    image: busybox
    args: ['shop-webapp:80']`;

const webapp = {
  chartName: 'webapp',
  chartVersion: '0.3.1',
  appVersion: '1.28.0',
  chartValues: { image: { repository: 'nginx', tag: '1.27' }, replicas: 1, service: { port: 80 } },
};

/** The releases every golden reads: `shop` with four revisions, others in two namespaces. */
function fixtures(): Release[] {
  return [
    makeRelease('shop', 1, 'superseded', {
      ...webapp,
      lastDeployed: '2026-01-14T09:30:00Z',
      description: 'Install complete',
      manifest: MANIFEST.replace('replicas: 3', 'replicas: 1'),
      notes: NOTES,
    }),
    makeRelease('shop', 2, 'superseded', {
      ...webapp,
      lastDeployed: '2026-01-15T10:00:00.5Z',
      description: 'Upgrade complete',
      config: { replicas: 3 },
      manifest: MANIFEST,
      notes: NOTES,
    }),
    makeRelease('shop', 3, 'failed', {
      ...webapp,
      lastDeployed: '2026-01-15T11:15:42Z',
      description: 'Upgrade "shop" failed: context deadline exceeded',
      config: { replicas: 3, image: { tag: 'broken' } },
      manifest: MANIFEST,
    }),
    makeRelease('shop', 4, 'deployed', {
      ...webapp,
      lastDeployed: '2026-01-16T00:00:01Z',
      description: 'Rollback to 2',
      config: { replicas: 3, image: { tag: '1.28' } },
      manifest: MANIFEST,
      notes: NOTES,
      hooks: [
        {
          name: 'shop-webapp-test-connection',
          kind: 'Pod',
          path: 'webapp/templates/tests/test-connection.yaml',
          manifest: TEST_HOOK,
          events: ['test'],
          last_run: {
            started_at: '2026-01-16T00:00:05Z',
            completed_at: '2026-01-16T00:00:09Z',
            phase: 'Succeeded',
          },
          weight: 0,
          delete_policies: ['before-hook-creation'],
        },
      ],
    }),
    makeRelease('cache', 1, 'deployed', {
      chartName: 'redis',
      chartVersion: '19.6.4',
      appVersion: '7.2.5',
      lastDeployed: '2026-01-10T08:00:00Z',
      description: 'Install complete',
    }),
    makeRelease('api', 1, 'pending-install', {
      namespace: 'staging',
      lastDeployed: '2026-01-15T23:59:00Z',
      description: 'Initial install underway',
    }),
    makeRelease('worker', 1, 'uninstalled', {
      namespace: 'staging',
      lastDeployed: '2026-01-12T17:45:30Z',
      description: 'Uninstallation complete',
    }),
  ];
}

let home: string;

async function bosun(...args: string[]) {
  const io = memoryIO({ env: { BOSUN_HOME: home, BOSUN_NOW: NOW } });
  const code = await run(args, io);
  return { code, out: io.out(), err: io.err() };
}

/** Runs a command that must succeed quietly and returns its stdout. */
async function out(...args: string[]): Promise<string> {
  const r = await bosun(...args);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return r.out;
}

async function inCluster<T>(namespace: string, fn: (ctx: ReleaseContext) => Promise<T>): Promise<T> {
  return withReleaseContext(memoryIO({ env: { BOSUN_HOME: home, BOSUN_NOW: NOW } }), { namespace }, fn);
}

beforeAll(async () => {
  home = tempDir();
  await inCluster('default', (ctx) =>
    ctx.client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'staging' } }),
  );
  for (const release of fixtures()) await inCluster(release.namespace, (ctx) => ctx.storage.create(release));
});

describe('release read goldens', () => {
  it.each([
    ['list.txt', ['list']],
    ['list-all-namespaces.json', ['list', '-A', '-o', 'json']],
    ['history.txt', ['history', 'shop']],
    ['status.txt', ['status', 'shop']],
    ['get-values.txt', ['get', 'values', 'shop']],
    ['get-values-all.txt', ['get', 'values', 'shop', '--all']],
    ['get-manifest.txt', ['get', 'manifest', 'shop']],
    ['get-notes.txt', ['get', 'notes', 'shop']],
  ])('%s', async (golden, args) => {
    await expect(await out(...args)).toMatchFileSnapshot(`goldens/release/${golden}`);
  });
});

describe('list', () => {
  it('ls is list; -a is accepted (every state is listed anyway); -n and the global -n pick the namespace', async () => {
    const list = await out('list');
    expect(await out('ls', '-a')).toBe(list);
    const staging = await out('list', '-n', 'staging');
    expect(staging.split('\n')[1]).toMatch(
      /^api {3}\tstaging {2}\t1 {7}\t2026-01-15 23:59:00 \+0000 UTC\tpending-install/,
    );
    expect(await out('-n', 'staging', 'list')).toBe(staging);
    expect(staging).toContain('worker');
  });

  it('-q prints names only, in every output format', async () => {
    expect(await out('list', '-q')).toBe('cache\nshop\n');
    expect(await out('list', '-q', '-o', 'json')).toBe('["cache","shop"]\n');
    expect(await out('list', '-q', '-o', 'yaml')).toBe('- cache\n- shop\n');
    expect(await out('list', '-q', '-n', 'empty')).toBe('');
  });

  it('--no-headers, -o yaml (revision a string, keys sorted), --time-format (a Go layout)', async () => {
    expect((await out('list', '--no-headers')).split('\n')[0]).toMatch(/^cache\tdefault\t1\t2026-01-10 /);
    expect(await out('list', '-o', 'yaml', '--filter', '^cache$')).toBe(
      '- app_version: 7.2.5\n' +
        '  chart: redis-19.6.4\n  name: cache\n  namespace: default\n  revision: "1"\n  status: deployed\n' +
        '  updated: 2026-01-10 08:00:00 +0000 UTC\n',
    );
    expect(await out('list', '--time-format', '2006-01-02 15:04:05Z0700', '-f', 'shop')).toContain(
      '\t2026-01-16 00:00:01Z\t',
    );
  });

  it('state flags filter; --superseded alone lists every superseded revision', async () => {
    const superseded = await out('list', '--superseded');
    expect(
      superseded
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t')[2]?.trim()),
    ).toEqual(['REVISION', '1', '2']);
    expect(await out('list', '-A', '--pending', '-q')).toBe('api\n');
    expect(await out('list', '-A', '--uninstalled', '--failed', '-q')).toBe('worker\n');
    expect(await out('list', '-A', '-d', '-r', '-m', '2', '-q')).toBe('shop\napi\n');
    expect(await out('list', '-A', '--offset', '1', '-m', '1', '-q')).toBe('cache\n');
  });

  it('an empty namespace prints only the header (nothing but an empty line without it, as Helm)', async () => {
    expect(await out('list', '-n', 'empty')).toBe(
      'NAME\tNAMESPACE\tREVISION\tUPDATED\tSTATUS\tCHART\tAPP VERSION\n',
    );
    expect(await out('list', '-n', 'empty', '--no-headers')).toBe('\n');
    expect(await out('list', '-n', 'empty', '-o', 'json')).toBe('[]\n');
  });

  it('bad flags are errors: -o, --max, --filter', async () => {
    expect(await bosun('list', '-o', 'xml')).toEqual({
      code: 1,
      out: '',
      err: 'Error: invalid argument "xml" for "-o, --output" flag: invalid format type\n',
    });
    expect((await bosun('list', '--max', 'ten')).err).toMatch(
      /^Error: invalid argument "ten" for "-m, --max" flag/,
    );
    expect((await bosun('list', '-f', '(')).err).toMatch(/^Error: error parsing regexp: /);
  });
});

describe('history', () => {
  it('hist is history; --max keeps the newest revisions', async () => {
    const two = await out('hist', 'shop', '--max', '2');
    expect(two.split('\n').map((l) => l.split('\t')[0]!.trim())).toEqual(['REVISION', '3', '4', '']);
  });

  it('-o json and -o yaml: revision a number, updated in RFC 3339', async () => {
    const json = JSON.parse(await out('history', 'shop', '-o', 'json'));
    expect(json[1]).toEqual({
      revision: 2,
      updated: '2026-01-15T10:00:00.5Z',
      status: 'superseded',
      chart: 'webapp-0.3.1',
      app_version: '1.28.0',
      description: 'Upgrade complete',
    });
    expect(await out('history', 'shop', '-o', 'yaml', '--max', '1')).toBe(
      '- app_version: 1.28.0\n  chart: webapp-0.3.1\n  description: Rollback to 2\n  revision: 4\n' +
        '  status: deployed\n  updated: "2026-01-16T00:00:01Z"\n',
    );
  });

  it('an unknown release is `Error: release: not found`', async () => {
    expect(await bosun('history', 'nope')).toEqual({ code: 1, out: '', err: 'Error: release: not found\n' });
  });
});

describe('status', () => {
  it('an unknown release, or revision, is `Error: release: not found`', async () => {
    expect(await bosun('status', 'nope')).toEqual({ code: 1, out: '', err: 'Error: release: not found\n' });
    expect((await bosun('status', 'shop', '--revision', '9')).err).toBe('Error: release: not found\n');
  });

  it('--revision shows an older revision; no tests run: TEST SUITE: None', async () => {
    const first = await out('status', 'shop', '--revision', '3');
    expect(first).toContain('REVISION: 3\n');
    expect(first).toContain(
      'STATUS: failed\nREVISION: 3\nDESCRIPTION: Upgrade "shop" failed: context deadline exceeded\n',
    );
    expect(first).toMatch(/TEST SUITE: None\n$/);
  });

  it('-o json is the release record without its chart (as helm status), HTML-escaped as Go writes it', async () => {
    const text = await out('status', 'shop', '-o', 'json');
    expect(text.split('\n')).toHaveLength(2);
    expect(text).toContain('\\u003cto use your application\\u003e');
    const json = JSON.parse(text);
    expect(Object.keys(json)).toEqual([
      'name',
      'info',
      'config',
      'manifest',
      'hooks',
      'version',
      'namespace',
    ]);
    expect(json.info).toMatchObject({ last_deployed: '2026-01-16T00:00:01Z', status: 'deployed' });
    expect(json.hooks[0].last_run.phase).toBe('Succeeded');
    const yaml = parseYaml(await out('status', 'shop', '-o', 'yaml'), 'status') as Record<string, unknown>;
    expect(yaml).toEqual(json);
  });

  it('--show-resources adds the live objects of the manifest and their pods', async () => {
    await inCluster('default', async (ctx) => {
      for (const doc of MANIFEST.split(/^---$/m).slice(1)) {
        await ctx.client.create(parseYaml(doc, 'manifest') as Record<string, unknown>, {
          namespace: 'default',
        });
      }
    });
    const status = await out('status', 'shop', '--show-resources');
    expect(status).toMatch(
      /\nDESCRIPTION: Rollback to 2\nRESOURCES:\n==> v1\/Service\nNAME {10}TYPE {8}CLUSTER-IP .*\nshop-webapp {3}ClusterIP /,
    );
    expect(status).toMatch(
      /\n\n==> v1\/Deployment\nNAME {10}READY {3}UP-TO-DATE {3}AVAILABLE {3}AGE\nshop-webapp {3}3\/3 /,
    );
    expect(status).toMatch(
      /\n==> v1\/Pod\(related\)\nNAME +READY +STATUS +RESTARTS +AGE\n(shop-webapp-\S+ +1\/1 +Running .*\n){3}\n\nTEST SUITE: /,
    );
  });
});

describe('get', () => {
  it('values of a revision without user values print null, as Helm', async () => {
    expect(await out('get', 'values', 'shop', '--revision', '1')).toBe('USER-SUPPLIED VALUES:\nnull\n');
    expect(await out('get', 'values', 'shop', '-o', 'json')).toBe('{"image":{"tag":"1.28"},"replicas":3}\n');
    expect(await out('get', 'values', 'shop', '-a', '-o', 'yaml', '--revision', '3')).toBe(
      'image:\n  repository: nginx\n  tag: broken\nreplicas: 3\nservice:\n  port: 80\n',
    );
  });

  it('hooks prints each hook with its source; notes of a revision without notes print nothing', async () => {
    expect(await out('get', 'hooks', 'shop')).toBe(
      `---\n# Source: webapp/templates/tests/test-connection.yaml\n${TEST_HOOK}\n`,
    );
    expect(await out('get', 'notes', 'shop', '--revision', '3')).toBe('');
    expect(await out('get', 'hooks', 'cache')).toBe('');
  });

  it('metadata: the key/value block, JSON in Helm field order', async () => {
    expect(await out('get', 'metadata', 'shop')).toBe(
      'NAME: shop\nCHART: webapp\nVERSION: 0.3.1\nAPP_VERSION: 1.28.0\nANNOTATIONS: \nLABELS: \n' +
        'DEPENDENCIES: \nNAMESPACE: default\nREVISION: 4\nSTATUS: deployed\n' +
        'DEPLOYED_AT: 2026-01-16T00:00:01Z\nAPPLY_METHOD: client-side apply (defaulted)\n',
    );
    expect(await out('get', 'metadata', 'shop', '--revision', '2', '-o', 'json')).toBe(
      '{"name":"shop","chart":"webapp","version":"0.3.1","appVersion":"1.28.0","namespace":"default",' +
        '"revision":2,"status":"superseded","deployedAt":"2026-01-15T10:00:00Z"}\n',
    );
  });

  it('all: status block with chart, values, hooks, manifest and notes', async () => {
    const all = await out('get', 'all', 'shop');
    expect(all).toMatch(
      /^NAME: shop\nLAST DEPLOYED: Fri Jan 16 00:00:01 2026\nNAMESPACE: default\nSTATUS: deployed\nREVISION: 4\nCHART: webapp\nVERSION: 0\.3\.1\nAPP_VERSION: 1\.28\.0\nDESCRIPTION: Rollback to 2\n/,
    );
    expect(all).toContain(
      'USER-SUPPLIED VALUES:\nimage:\n  tag: "1.28"\nreplicas: 3\n\nCOMPUTED VALUES:\nimage:\n  repository: nginx\n  tag: "1.28"\nreplicas: 3\nservice:\n  port: 80\n\nHOOKS:\n---\n# Source: webapp/templates/tests/test-connection.yaml\n',
    );
    expect(all).toContain(`\nMANIFEST:\n${MANIFEST}\nNOTES:\n1. Get the application URL`);
  });

  it('an unknown release is `Error: release: not found`', async () => {
    for (const what of ['values', 'manifest', 'notes', 'hooks', 'metadata', 'all']) {
      expect(await bosun('get', what, 'nope')).toEqual({
        code: 1,
        out: '',
        err: 'Error: release: not found\n',
      });
    }
  });
});

/** Helm's own golden files (`pkg/cmd/testdata/output/*`), reproduced from Helm's own fixtures. */
describe('printers match Helm byte for byte', () => {
  const printed = (fn: (io: ReturnType<typeof memoryIO>) => void) => {
    const io = memoryIO();
    fn(io);
    return io.out();
  };
  const helmHistory = [3, 4].map((v) =>
    makeRelease('angry-bird', v, v === 4 ? 'deployed' : 'superseded', {
      lastDeployed: '1977-09-02T22:04:05Z',
      chartName: 'foo',
      chartVersion: '0.1.0-beta.1',
      appVersion: '1.0',
    }),
  );

  it('uitable pads every cell, the last column too, and separates cells with a tab', () => {
    expect(
      uiTable([
        ['NAME', 'V'],
        ['a', 'long'],
      ]),
    ).toBe('NAME\tV   \na   \tlong\n');
    expect(uiTable([])).toBe('\n');
  });

  it('values as JSON: Go sorts map keys bytewise (integer-like keys too) and escapes <, >, &', () => {
    const values = { b: 1, a: { z: 1, y: '<&>' }, '10': 0, '2': 0 };
    expect(printed((io) => printValues(io, values, { output: 'json' }))).toBe(
      '{"10":0,"2":0,"a":{"y":"\\u003c\\u0026\\u003e","z":1},"b":1}\n',
    );
  });

  it('list-all.txt', () => {
    const at = (s: number) => `2016-01-16T00:00:0${s}Z`;
    const releases = [
      makeRelease('drax', 1, 'uninstalling', { lastDeployed: at(1) }),
      makeRelease('gamora', 1, 'superseded', { lastDeployed: at(1) }),
      makeRelease('groot', 1, 'uninstalled', { lastDeployed: at(1) }),
      makeRelease('hummingbird', 1, 'deployed', { lastDeployed: at(3) }),
      makeRelease('iguana', 2, 'deployed', { lastDeployed: at(4) }),
      makeRelease('rocket', 1, 'failed', { lastDeployed: at(2) }),
      makeRelease('starlord', 2, 'deployed', { lastDeployed: at(1) }),
      makeRelease('thanos', 1, 'pending-install', { lastDeployed: at(1) }),
    ];
    const row = (name: string, rev: number, sec: number, status: string) =>
      `${name.padEnd(11)}\tdefault  \t${rev}       \t2016-01-16 00:00:0${sec} +0000 UTC\t${status.padEnd(15)}\tchickadee-1.0.0\t0.0.1      \n`;
    expect(printed((io) => printReleaseList(io, releases))).toBe(
      'NAME       \tNAMESPACE\tREVISION\tUPDATED                      \tSTATUS         \tCHART          \tAPP VERSION\n' +
        row('drax', 1, 1, 'uninstalling') +
        row('gamora', 1, 1, 'superseded') +
        row('groot', 1, 1, 'uninstalled') +
        row('hummingbird', 1, 3, 'deployed') +
        row('iguana', 2, 4, 'deployed') +
        row('rocket', 1, 2, 'failed') +
        row('starlord', 2, 1, 'deployed') +
        row('thanos', 1, 1, 'pending-install'),
    );
  });

  it('history (helm-behaviour §1.4), history.json, history.yaml', () => {
    expect(printed((io) => printHistory(io, helmHistory))).toBe(
      'REVISION\tUPDATED                 \tSTATUS    \tCHART           \tAPP VERSION\tDESCRIPTION \n' +
        '3       \tFri Sep  2 22:04:05 1977\tsuperseded\tfoo-0.1.0-beta.1\t1.0        \tRelease mock\n' +
        '4       \tFri Sep  2 22:04:05 1977\tdeployed  \tfoo-0.1.0-beta.1\t1.0        \tRelease mock\n',
    );
    expect(printed((io) => printHistory(io, helmHistory, 'json'))).toBe(
      '[{"revision":3,"updated":"1977-09-02T22:04:05Z","status":"superseded","chart":"foo-0.1.0-beta.1","app_version":"1.0","description":"Release mock"},' +
        '{"revision":4,"updated":"1977-09-02T22:04:05Z","status":"deployed","chart":"foo-0.1.0-beta.1","app_version":"1.0","description":"Release mock"}]\n',
    );
    expect(printed((io) => printHistory(io, helmHistory, 'yaml'))).toBe(
      '- app_version: "1.0"\n  chart: foo-0.1.0-beta.1\n  description: Release mock\n  revision: 3\n  status: superseded\n  updated: "1977-09-02T22:04:05Z"\n' +
        '- app_version: "1.0"\n  chart: foo-0.1.0-beta.1\n  description: Release mock\n  revision: 4\n  status: deployed\n  updated: "1977-09-02T22:04:05Z"\n',
    );
  });

  it('status-with-test-suite.txt: tests that never ran and non-test hooks are not listed', () => {
    const hook = (name: string, event: 'test' | 'pre-install', started?: string, completed?: string) => ({
      name,
      kind: 'Pod',
      path: '',
      manifest: '',
      events: [event],
      last_run: {
        ...(started ? { started_at: started, completed_at: completed! } : {}),
        phase: (started ? (name.startsWith('failing') ? 'Failed' : 'Succeeded') : 'Unknown') as 'Failed',
      },
      weight: 0,
    });
    const release = makeRelease('flummoxed-chickadee', 1, 'deployed', {
      lastDeployed: '2016-01-16T00:00:00Z',
      description: '',
      hooks: [
        hook('never-run-test', 'test'),
        hook('passing-test', 'test', '2006-01-02T15:04:05Z', '2006-01-02T15:04:07Z'),
        hook('failing-test', 'test', '2006-01-02T15:10:05Z', '2006-01-02T15:10:07Z'),
        hook('passing-pre-install', 'pre-install', '2006-01-02T15:00:05Z', '2006-01-02T15:00:07Z'),
      ],
    });
    expect(printed((io) => printReleaseStatus(io, release))).toBe(
      'NAME: flummoxed-chickadee\nLAST DEPLOYED: Sat Jan 16 00:00:00 2016\nNAMESPACE: default\nSTATUS: deployed\n' +
        'REVISION: 1\nDESCRIPTION: \n' +
        'TEST SUITE:     passing-test\nLast Started:   Mon Jan  2 15:04:05 2006\nLast Completed: Mon Jan  2 15:04:07 2006\nPhase:          Succeeded\n' +
        'TEST SUITE:     failing-test\nLast Started:   Mon Jan  2 15:10:05 2006\nLast Completed: Mon Jan  2 15:10:07 2006\nPhase:          Failed\n',
    );
  });

  it('a dry run prints HOOKS and MANIFEST; --hide-notes drops NOTES; times keep their stored offset', () => {
    const release = makeRelease('demo', 1, 'pending-install', {
      lastDeployed: '2026-11-27T15:23:58+01:00',
      description: 'Dry run complete',
      manifest: '---\n# Source: demo/templates/cm.yaml\nkind: ConfigMap\n',
      notes: 'hello',
      hooks: [
        {
          name: 'h',
          kind: 'Job',
          path: 'demo/templates/job.yaml',
          manifest: 'kind: Job',
          events: ['pre-install'],
          last_run: { phase: 'Unknown' },
          weight: 0,
        },
      ],
    });
    const text = printed((io) => printReleaseStatus(io, release, { hideNotes: true }));
    expect(text).toContain('LAST DEPLOYED: Fri Nov 27 15:23:58 2026\n');
    expect(text).toMatch(
      /TEST SUITE: None\nHOOKS:\n---\n# Source: demo\/templates\/job\.yaml\nkind: Job\nMANIFEST:\n---\n# Source: demo\/templates\/cm\.yaml\nkind: ConfigMap\n\n$/,
    );
    expect(printed((io) => printReleaseList(io, [release], { short: false }))).toContain(
      '\t2026-11-27 15:23:58 +0100 +0100\t',
    );
  });
});

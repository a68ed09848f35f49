import { describe, expect, it } from 'vitest';
import { diffManifests, hunksOf, releaseManifest, renderDiff } from '../../src/release/diff.js';
import type { Release } from '../../src/release/release.js';

function doc(path: string, body: string): string {
  return `---\n# Source: ${path}\n${body.trim()}\n`;
}

function deployment(replicas: number, image = 'dockercoins/worker:v0.1'): string {
  return doc(
    'dockercoins/templates/worker.yaml',
    `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
  labels:
    app: worker
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: worker
  template:
    metadata:
      labels:
        app: worker
    spec:
      containers:
      - name: worker
        image: ${image}
`,
  );
}

const service = doc(
  'dockercoins/templates/redis-svc.yaml',
  `
apiVersion: v1
kind: Service
metadata:
  name: redis
spec:
  ports:
  - port: 6379
`,
);

const configMap = doc(
  'dockercoins/templates/cm.yaml',
  `
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: coins
data:
  mode: fast
`,
);

function secret(data: Record<string, string>, stringData: Record<string, string> = {}): string {
  const lines = (m: Record<string, string>) =>
    Object.entries(m)
      .map(([k, v]) => `  ${k}: ${v}`)
      .join('\n');
  return doc(
    'dockercoins/templates/secret.yaml',
    `
apiVersion: v1
kind: Secret
metadata:
  name: creds
type: Opaque
${Object.keys(data).length ? `data:\n${lines(data)}` : ''}
${Object.keys(stringData).length ? `stringData:\n${lines(stringData)}` : ''}
`,
  );
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('diffManifests', () => {
  it('identical manifests give no changes and render as nothing (helm-diff prints nothing)', () => {
    const m = deployment(1) + service + secret({ password: b64('hunter2') });
    const d = diffManifests(m, m);
    expect(d.changes).toEqual([]);
    expect(renderDiff(d.changes)).toBe('');
  });

  it('a changed field in a Deployment is one changed resource keyed as helm-diff keys it', () => {
    const d = diffManifests(deployment(1) + service, deployment(3) + service);
    expect(d.changes).toHaveLength(1);
    const c = d.changes[0]!;
    expect(c).toMatchObject({
      key: 'default, worker, Deployment (apps)',
      namespace: 'default',
      name: 'worker',
      kind: 'Deployment',
      group: 'apps',
      change: 'changed',
      suppressed: false,
      skippedAfter: 0,
    });
    // Default context -1: the whole document in one hunk.
    expect(c.hunks).toHaveLength(1);
    const changed = c.hunks[0]!.lines.filter((l) => l.op !== ' ');
    expect(changed).toEqual([
      { op: '-', text: '  replicas: 1' },
      { op: '+', text: '  replicas: 3' },
    ]);
    const text = renderDiff(d.changes);
    expect(text.split('\n').slice(0, 3)).toEqual([
      'default, worker, Deployment (apps) has changed:',
      '  # Source: dockercoins/templates/worker.yaml',
      '  apiVersion: apps/v1',
    ]);
    expect(text).toContain('\n-   replicas: 1\n+   replicas: 3\n');
    expect(text).toContain('\n          image: dockercoins/worker:v0.1\n');
  });

  it('added and removed resources come after changed ones, each sorted by key', () => {
    const d = diffManifests(deployment(1) + service, deployment(2) + configMap);
    expect(d.changes.map((c) => `${c.change} ${c.key}`)).toEqual([
      'changed default, worker, Deployment (apps)',
      'removed default, redis, Service (v1)',
      'added coins, settings, ConfigMap (v1)',
    ]);
    const text = renderDiff(d.changes);
    expect(text).toContain(
      'default, redis, Service (v1) has been removed:\n- # Source: dockercoins/templates/redis-svc.yaml\n- apiVersion: v1\n',
    );
    expect(text).toContain(
      'coins, settings, ConfigMap (v1) has been added:\n+ # Source: dockercoins/templates/cm.yaml\n',
    );
    expect(text.endsWith('+   mode: fast\n')).toBe(true);
  });

  it('documents without a namespace take the release namespace', () => {
    const d = diffManifests('', service, { namespace: 'prod' });
    expect(d.changes[0]!.key).toBe('prod, redis, Service (v1)');
  });

  it('the same name in another kind or group is another resource', () => {
    const extensions = deployment(1).replace('apps/v1', 'extensions/v1beta1');
    const d = diffManifests(deployment(1), extensions);
    expect(d.changes.map((c) => `${c.change} ${c.key}`)).toEqual([
      'removed default, worker, Deployment (apps)',
      'added default, worker, Deployment (extensions)',
    ]);
  });

  it('skips comment-only documents and warns about duplicate keys', () => {
    const d = diffManifests(doc('c/templates/empty.yaml', '# nothing here'), service + service);
    expect(d.changes).toHaveLength(1);
    expect(d.warnings).toEqual([
      'found duplicate key "default, redis, Service (v1)" in manifest (dockercoins/templates/redis-svc.yaml)',
    ]);
  });

  it('expands a List into its items', () => {
    const list = doc(
      'c/templates/list.yaml',
      `
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: a
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: b
`,
    );
    expect(diffManifests('', list).changes.map((c) => c.key)).toEqual([
      'default, a, ConfigMap (v1)',
      'default, b, ConfigMap (v1)',
    ]);
  });
});

describe('context lines', () => {
  it('--context N keeps N lines around each change and marks the rest with ...', () => {
    const d = diffManifests(deployment(1), deployment(2, 'dockercoins/worker:v0.2'), { context: 1 });
    const c = d.changes[0]!;
    expect(c.hunks.map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines, h.skippedBefore])).toEqual([
      [8, 3, 8, 3, 7],
      [19, 2, 19, 2, 8],
    ]);
    expect(renderDiff(d.changes)).toBe(
      [
        'default, worker, Deployment (apps) has changed:',
        '...',
        '  spec:',
        '-   replicas: 1',
        '+   replicas: 2',
        '    selector:',
        '...',
        '        - name: worker',
        '-         image: dockercoins/worker:v0.1',
        '+         image: dockercoins/worker:v0.2',
        '',
      ].join('\n'),
    );
  });

  it('--context 0 shows only the changed lines; close changes share a hunk', () => {
    const lines = [
      { op: ' ', text: 'a' },
      { op: '-', text: 'b' },
      { op: '+', text: 'B' },
      { op: ' ', text: 'c' },
      { op: '-', text: 'd' },
      { op: ' ', text: 'e' },
    ] as const;
    expect(hunksOf(lines, 0).hunks.map((h) => h.lines.map((l) => l.text))).toEqual([['b', 'B'], ['d']]);
    expect(hunksOf(lines, 1).hunks.map((h) => h.lines.map((l) => l.text))).toEqual([
      ['a', 'b', 'B', 'c', 'd', 'e'],
    ]);
    const zero = hunksOf(lines, 0);
    expect(zero.hunks.map((h) => h.skippedBefore)).toEqual([1, 1]);
    expect(zero.skippedAfter).toBe(1);
    expect(zero.hunks[1]).toMatchObject({ oldStart: 4, oldLines: 1, newStart: 4, newLines: 0 });
  });

  it('a negative context keeps every line', () => {
    const d = diffManifests(deployment(1), deployment(2), { context: -1 });
    expect(d.changes[0]!.hunks).toHaveLength(1);
    expect(d.changes[0]!.hunks[0]!.lines).toHaveLength(21);
    expect(renderDiff(d.changes)).not.toContain('...');
  });
});

describe('Secrets', () => {
  const before = secret({ password: b64('hunter2'), user: b64('admin') });
  const after = secret({ password: b64('correct horse'), user: b64('admin') });

  it('masks values with helm-diff wording and never prints them', () => {
    const d = diffManifests(before, after);
    const text = renderDiff(d.changes);
    expect(text).toContain("-   password: '-------- # (7 bytes)'\n+   password: '++++++++ # (13 bytes)'\n");
    expect(text).toContain("    user: 'REDACTED # (5 bytes)'\n");
    for (const leak of [
      'hunter2',
      'correct horse',
      'admin',
      b64('hunter2'),
      b64('correct horse'),
      b64('admin'),
    ]) {
      expect(text).not.toContain(leak);
    }
  });

  it('masks stringData too, merged into data as the API server does', () => {
    const d = diffManifests('', secret({ user: b64('admin') }, { token: 's3cr3t-token' }));
    const text = renderDiff(d.changes);
    expect(text).toContain("+   token: '++++++++ # (12 bytes)'");
    expect(text).toContain("+   user: '++++++++ # (5 bytes)'");
    expect(text).not.toContain('stringData');
    expect(text).not.toContain('s3cr3t-token');
  });

  it('a value moved from stringData to data with the same bytes is no change', () => {
    const d = diffManifests(secret({}, { token: 'abc' }), secret({ token: b64('abc') }));
    expect(d.changes).toEqual([]);
  });

  it('--show-secrets prints the values as stored', () => {
    const text = renderDiff(diffManifests(before, after, { showSecrets: true }).changes);
    expect(text).toContain(`-   password: ${b64('hunter2')}\n+   password: ${b64('correct horse')}\n`);
  });

  it('a suppressed kind is listed without its lines', () => {
    const d = diffManifests(before + deployment(1), after + deployment(2), { suppressedKinds: ['Secret'] });
    expect(d.changes[0]).toMatchObject({ kind: 'Secret', suppressed: true, hunks: [] });
    const text = renderDiff(d.changes);
    expect(text).toContain(
      'default, creds, Secret (v1) has changed:\n+ Changes suppressed on sensitive content of type Secret\n',
    );
    expect(text).toContain('+   replicas: 2');
  });
});

describe('renderDiff colour', () => {
  const d = diffManifests(deployment(1) + service, deployment(2) + configMap, { context: 0 });

  it('no escapes without colour', () => {
    expect(renderDiff(d.changes)).not.toContain('\x1b[');
  });

  it('red -, green +, yellow/green/red headers with colour', () => {
    const text = renderDiff(d.changes, { color: true });
    expect(text).toContain('\x1b[33mdefault, worker, Deployment (apps) has changed:\x1b[0m\n');
    expect(text).toContain('\x1b[31m-   replicas: 1\x1b[0m\n\x1b[32m+   replicas: 2\x1b[0m\n');
    expect(text).toContain('\x1b[31mdefault, redis, Service (v1) has been removed:\x1b[0m\n');
    expect(text).toContain('\x1b[32mcoins, settings, ConfigMap (v1) has been added:\x1b[0m\n');
    expect(text).toContain('\n...\n');
  });
});

describe('releaseManifest', () => {
  const release = {
    manifest: service,
    hooks: [
      {
        name: 'migrate',
        kind: 'Job',
        path: 'dockercoins/templates/migrate.yaml',
        manifest: 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate',
        events: ['pre-upgrade'],
        last_run: { phase: 'Succeeded' },
        weight: 0,
      },
      {
        name: 'test-conn',
        kind: 'Pod',
        path: 'dockercoins/templates/tests/test.yaml',
        manifest: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: test-conn',
        events: ['test'],
        last_run: { phase: 'Unknown' },
        weight: 0,
      },
    ],
  } as unknown as Release;

  it('appends hooks under their Source line, test hooks only when asked', () => {
    expect(releaseManifest(release)).toBe(
      `${service}---\n# Source: dockercoins/templates/migrate.yaml\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n`,
    );
    const keys = diffManifests('', releaseManifest(release, { includeTests: true })).changes.map(
      (c) => c.key,
    );
    expect(keys).toEqual([
      'default, migrate, Job (batch)',
      'default, redis, Service (v1)',
      'default, test-conn, Pod (v1)',
    ]);
  });
});

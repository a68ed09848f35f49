import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, LimitError, ReleaseNotFoundError } from '../../src/internal/errors.js';
import type { KubeClient } from '../../src/kube/index.js';
import { encodeRelease } from '../../src/release/codec.js';
import { createStorage, type Driver, SecretDriver, type SecretsClient } from '../../src/storage/index.js';
import { useEmbeddedCluster } from '../helpers/embedded-cluster.js';
import { driverContract, makeRelease } from './driver-contract.js';

const openCluster = useEmbeddedCluster('2025-03-01T12:00:00Z');
/** 2025-03-01T12:00:00Z in unix seconds. */
const NOW = '1740830400';

async function withOther(): Promise<KubeClient> {
  const client = openCluster();
  await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
  return client;
}

driverContract('Secret', async () => {
  const client = await withOther();
  return (namespace): Driver => new SecretDriver(client, namespace);
});

/** The parts of a stored Secret the tests read. */
interface SecretJson {
  type: string;
  metadata: { labels: Record<string, string> };
  data: Record<string, string>;
}

async function readSecret(client: KubeClient, name: string, namespace = 'default'): Promise<SecretJson> {
  return (await client.get('secrets', namespace, name)) as unknown as SecretJson;
}

describe('SecretDriver specifics', () => {
  it('is named Secret and takes a KubeClient as its SecretsClient', () => {
    const client: SecretsClient = openCluster();
    expect(new SecretDriver(client, 'default').name).toBe('Secret');
  });

  it('stores a revision as Helm does: Secret named by the key, type helm.sh/release.v1, labels', async () => {
    const client = openCluster();
    const driver = new SecretDriver(client, 'default');
    await driver.create(
      'sh.helm.release.v1.web.v1',
      makeRelease('web', 1, 'deployed', { labels: { team: 'blue' } }),
    );
    const secret = await readSecret(client, 'sh.helm.release.v1.web.v1');
    expect(secret.type).toBe('helm.sh/release.v1');
    expect(secret.metadata.labels).toEqual({
      name: 'web',
      owner: 'helm',
      status: 'deployed',
      version: '1',
      createdAt: NOW,
      team: 'blue',
    });
    expect(Object.keys(secret.data)).toEqual(['release']);
    // The API base64s the data; the record itself is base64 text of gzip: kubectl shows `H4sI`
    // once decoded.
    expect(Buffer.from(secret.data.release, 'base64').toString('utf8')).toMatch(/^H4sI/);
  });

  it("`base64 -d | base64 -d | gunzip` of data.release gives the JSON with Helm's keys", async () => {
    const client = openCluster();
    const driver = new SecretDriver(client, 'default');
    const rel = makeRelease('web', 3, 'deployed', {
      labels: { team: 'blue' },
      info: {
        first_deployed: '2025-03-01T12:00:00Z',
        last_deployed: '2025-03-01T12:05:00Z',
        description: 'Upgrade complete',
        status: 'deployed',
        notes: 'Visit http://web <here> & enjoy',
      },
    });
    await driver.create('sh.helm.release.v1.web.v3', rel);
    const secret = await readSecret(client, 'sh.helm.release.v1.web.v3');
    const text = execFileSync('sh', ['-c', 'base64 -d | base64 -d | gunzip'], {
      input: secret.data.release,
      encoding: 'utf8',
    });
    // Go's encoding/json escapes <, > and & inside strings.
    expect(text).toContain('"notes":"Visit http://web \\u003chere\\u003e \\u0026 enjoy"');
    const json = JSON.parse(text);
    expect(Object.keys(json)).toEqual([
      'name',
      'info',
      'chart',
      'config',
      'manifest',
      'version',
      'namespace',
    ]);
    expect(Object.keys(json.info)).toEqual([
      'first_deployed',
      'last_deployed',
      'description',
      'status',
      'notes',
    ]);
    expect(Object.keys(json.chart)).toEqual(['metadata', 'lock', 'templates', 'values', 'schema', 'files']);
    expect(json).toMatchObject({
      name: 'web',
      version: 3,
      namespace: 'default',
      config: { image: { tag: 'v2' } },
      info: { status: 'deployed', notes: 'Visit http://web <here> & enjoy' },
      chart: { metadata: { name: 'mychart', version: '0.1.0' }, lock: null, schema: null, files: null },
    });
    expect(json.labels).toBeUndefined();
    expect(text).not.toContain('blue');
  });

  it('an update sets modifiedAt and keeps createdAt (on the cluster clock)', async () => {
    const client = openCluster();
    const driver = new SecretDriver(client, 'default');
    await driver.create('sh.helm.release.v1.web.v1', makeRelease('web', 1, 'pending-install'));
    await client.sleep(90_000);
    await driver.update('sh.helm.release.v1.web.v1', makeRelease('web', 1, 'deployed'));
    const secret = await readSecret(client, 'sh.helm.release.v1.web.v1');
    expect(secret.metadata.labels).toMatchObject({ status: 'deployed', createdAt: NOW });
    expect(Number(secret.metadata.labels.modifiedAt) - Number(NOW)).toBeGreaterThanOrEqual(90);
  });

  it('queries go through label selectors, never a listing of every Secret', async () => {
    const client = openCluster();
    const selectors: (string | undefined)[] = [];
    const spy: SecretsClient = {
      get: (r, ns, n) => client.get(r, ns, n),
      list: (r, o) => {
        selectors.push(o?.labelSelector);
        return client.list(r, o);
      },
      create: (o, opts) => client.create(o, opts),
      update: (o) => client.update(o),
      delete: (r, ns, n) => client.delete(r, ns, n),
    };
    const storage = createStorage(new SecretDriver(spy, 'default'));
    await storage.create(makeRelease('web', 1));
    await storage.history('web');
    await storage.deployed('web');
    await storage.list();
    await createStorage(new SecretDriver(spy, '')).get('web', 1);
    expect(selectors).toEqual([
      'name=web,owner=helm',
      'name=web,owner=helm,status=deployed',
      'owner=helm',
      'name=web,owner=helm,version=1',
    ]);
  });

  it('a label value that would change the selector is refused', async () => {
    const driver = new SecretDriver(openCluster(), 'default');
    await expect(driver.query({ name: 'web,owner!=helm' })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(driver.query({ name: 'web,owner!=helm' })).rejects.toThrow(
      'invalid label value: "web,owner!=helm"',
    );
  });

  it("a release too big for a Secret fails in Kubernetes' words, naming release and revision; nothing stored", async () => {
    const client = openCluster();
    const driver = new SecretDriver(client, 'default');
    // Random text does not compress: the record passes 1 MiB.
    const noise = Array.from({ length: 12_000 }, (_, i) => `${i}:${Math.random().toString(36)}`).join(' ');
    const files = Array.from({ length: 8 }, (_, i) => ({
      name: `files/${i}`,
      data: Buffer.from(noise).toString('base64'),
    }));
    const rel = makeRelease('x', 9);
    rel.chart.files = files;
    expect(encodeRelease(rel).length).toBeGreaterThan(1048576);
    const create = driver.create('sh.helm.release.v1.x.v9', rel);
    await expect(create).rejects.toBeInstanceOf(LimitError);
    await expect(create).rejects.toThrow(
      'Secret "sh.helm.release.v1.x.v9" is invalid: data: Too long: must have at most 1048576 bytes',
    );
    await expect(client.get('secrets', 'default', 'sh.helm.release.v1.x.v9')).rejects.toThrow('not found');
    await driver.create('sh.helm.release.v1.x.v9', makeRelease('x', 9));
    await expect(driver.update('sh.helm.release.v1.x.v9', rel)).rejects.toThrow(
      'update: failed to update: Secret "sh.helm.release.v1.x.v9" is invalid: data: Too long',
    );
    expect((await driver.get('sh.helm.release.v1.x.v9')).chart.files).toEqual([]);
  });

  it('a size refusal from the API server itself is reported the same way', async () => {
    const client = openCluster();
    const rejecting: SecretsClient = {
      get: (r, ns, n) => client.get(r, ns, n),
      list: (r, o) => client.list(r, o),
      update: (o) => client.update(o),
      delete: (r, ns, n) => client.delete(r, ns, n),
      create: async () => {
        const message =
          'Secret "sh.helm.release.v1.x.v1" is invalid: data: Too long: must have at most 1048576 bytes';
        throw Object.assign(new Error(message), { code: 422, reason: 'Invalid' });
      },
    };
    const create = new SecretDriver(rejecting, 'default').create(
      'sh.helm.release.v1.x.v1',
      makeRelease('x', 1),
    );
    await expect(create).rejects.toBeInstanceOf(LimitError);
    await expect(create).rejects.toThrow(
      'create: failed to create: Secret "sh.helm.release.v1.x.v1" is invalid',
    );
  });

  it('a corrupt record fails get with its key, and list/query skip it with a warning', async () => {
    const client = openCluster();
    const warnings: string[] = [];
    const driver = new SecretDriver(client, 'default', { warn: (m) => warnings.push(m) });
    await driver.create('sh.helm.release.v1.web.v1', makeRelease('web', 1));
    await client.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'sh.helm.release.v1.web.v2',
        namespace: 'default',
        labels: { name: 'web', owner: 'helm', status: 'deployed', version: '2' },
      },
      type: 'helm.sh/release.v1',
      data: { release: Buffer.from('not a release').toString('base64') },
    });
    await expect(driver.get('sh.helm.release.v1.web.v2')).rejects.toThrow(
      'release "sh.helm.release.v1.web.v2": invalid release data:',
    );
    expect((await driver.query({ name: 'web' })).map((r) => r.version)).toEqual([1]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('sh.helm.release.v1.web.v2');
  });

  it('writes to a namespace that does not exist fail with the cluster error, not "not found"', async () => {
    const driver = new SecretDriver(openCluster(), 'missing');
    const create = driver.create(
      'sh.helm.release.v1.web.v1',
      makeRelease('web', 1, 'deployed', { namespace: 'missing' }),
    );
    await expect(create).rejects.toThrow('namespaces "missing" not found');
    await expect(create).rejects.not.toBeInstanceOf(ReleaseNotFoundError);
  });
});

import { describe, expect, it } from 'vitest';
import { MemoryDriver } from '../../src/storage/index.js';
import { driverContract, makeRelease } from './driver-contract.js';

driverContract('memory', async () => {
  const store = new MemoryDriver('default');
  return (namespace) => store.withNamespace(namespace);
});

describe('MemoryDriver', () => {
  it('is named Memory, as Helm names the driver', () => {
    expect(new MemoryDriver().name).toBe('Memory');
  });

  it('defaults to the default namespace; separate instances share nothing', async () => {
    const a = new MemoryDriver();
    await a.create(
      'sh.helm.release.v1.web.v1',
      makeRelease('web', 1, 'deployed', { namespace: 'elsewhere' }),
    );
    expect((await a.withNamespace('default').get('sh.helm.release.v1.web.v1')).name).toBe('web');
    await expect(new MemoryDriver().get('sh.helm.release.v1.web.v1')).rejects.toThrow('release: not found');
  });

  it('an all-namespaces lookup of a key two namespaces hold asks for a namespace', async () => {
    const store = new MemoryDriver('a');
    await store.create('sh.helm.release.v1.web.v1', makeRelease('web', 1));
    await store.withNamespace('b').create('sh.helm.release.v1.web.v1', makeRelease('web', 1));
    await expect(store.withNamespace('').get('sh.helm.release.v1.web.v1')).rejects.toThrow(
      'release record "sh.helm.release.v1.web.v1" exists in several namespaces (a, b): choose one with --namespace',
    );
  });
});

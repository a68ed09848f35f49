import { describe, expect, it } from 'vitest';
import { ClusterApi } from '../../../../src/cluster/api/machinery/cluster-api.js';
import { RANDOM_STATE_META, SeededRandom } from '../../../../src/cluster/api/machinery/seeded-random.js';
import type { KubeObject } from '../../../../src/cluster/store/types.js';
import {
  configMap,
  deployment,
  FakeSchema,
  meta,
  newCluster,
  openTestStore,
  type StoreKind,
  service,
} from './fixtures.js';

/** A small scenario; returns what randomness and the clock decided. */
function scenario(seed: number, which: StoreKind = 'memory'): unknown[] {
  const { api, clock } = newCluster({ seed, store: openTestStore(which) });
  const out: unknown[] = [];
  const note = (o: KubeObject) =>
    out.push([
      meta(o).name,
      meta(o).uid,
      meta(o).creationTimestamp,
      (o.spec as { clusterIP?: string } | undefined)?.clusterIP,
    ]);
  note(api.create(deployment('web')));
  clock.advance(90);
  note(api.create(service('web')));
  note(api.create(service('np', { type: 'NodePort' })));
  note(api.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'cfg-' } }));
  note(api.create(configMap('plain')));
  return out;
}

describe('determinism', () => {
  it('replays identically from the same seed and clock', () => {
    expect(scenario(7)).toEqual(scenario(7));
    expect(scenario(7)).not.toEqual(scenario(8));
  });

  it('replays identically on SQLite, where the generator state is stored with the cluster', () => {
    expect(scenario(7, 'sqlite')).toEqual(scenario(7, 'memory'));
  });

  it('continues the stored stream in a new API instance on the same store', () => {
    const reference = newCluster({ seed: 1 });
    const expected = ['a', 'b'].map((n) => meta(reference.api.create(configMap(n))).uid);
    const { api, store, registry, clock } = newCluster({ seed: 1 });
    expect(meta(api.create(configMap('a'))).uid).toBe(expected[0]);
    expect(store.getMeta(RANDOM_STATE_META)).toHaveLength(4);
    // Another process, seeded differently, continues from the state stored with the cluster.
    const other = new ClusterApi({
      store,
      registry,
      schema: new FakeSchema(),
      clock: clock.now,
      random: new SeededRandom(99),
    });
    expect(meta(other.create(configMap('b'))).uid).toBe(expected[1]);
  });
});

describe('SeededRandom', () => {
  it('is reproducible and serialisable', () => {
    const r = new SeededRandom(123);
    const copy = new SeededRandom(0);
    copy.state = r.state;
    expect([r.nextUint32(), r.nextUint32()]).toEqual([copy.nextUint32(), copy.nextUint32()]);
  });

  it('draws uniform bounded integers, v4 uuids and name suffixes', () => {
    const r = new SeededRandom(5);
    const counts = new Array(3).fill(0) as number[];
    for (let i = 0; i < 3000; i++) counts[r.nextInt(3)]! += 1;
    for (const c of counts) expect(c).toBeGreaterThan(900);
    expect(r.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(r.nameSuffix()).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('draws the same uuids from a seed as it always has (a cluster replays its uids)', () => {
    const drawn = [1, 42, 0xffffffff].flatMap((seed) => {
      const r = new SeededRandom(seed);
      return [r.uuid(), r.uuid()];
    });
    expect(drawn).toEqual([
      '9190299e-c101-4b27-a3af-522f7d71fb05',
      '787816c2-fbbe-4c00-9a5c-175a89063de1',
      'a91e1cac-207b-46e9-9c98-7ffad09fde9e',
      '14404494-06be-432a-83e4-c0b2424bc820',
      '31d28326-7284-41f8-8c70-d5d17066baf4',
      '3a707f2c-3ed1-4aa6-9b30-8f6192e32daa',
    ]);
  });
});

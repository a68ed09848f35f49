import { describe, expect, it } from 'vitest';
import { ClusterApi } from '../../../../src/cluster/api/machinery/cluster-api.js';
import type { ApiWatchEvent } from '../../../../src/cluster/api/machinery/watch.js';
import { MemoryStore } from '../../../../src/cluster/store/index.js';
import { configMap, FakeSchema, meta, newCluster, openTestStore } from './fixtures.js';

const summary = (events: ApiWatchEvent[]) =>
  events.map((e) => `${e.type} ${String(meta(e.object).name ?? e.object.reason)}`);

describe('watch', () => {
  it('starts with the current objects, then reports changes with their resourceVersion', () => {
    const { api } = newCluster();
    api.create(configMap('a'));
    const events: ApiWatchEvent[] = [];
    const watch = api.watch('configmaps', { namespace: 'default' }, (e) => events.push(e));
    const b = api.create(configMap('b'));
    api.patch('cm', 'default', 'b', { data: { k: 'v' } }, 'merge');
    api.create(configMap('other'), { namespace: 'kube-system' });
    api.delete('cm', 'default', 'a');
    watch.stop();
    api.create(configMap('after'));
    expect(summary(events)).toEqual(['ADDED a', 'ADDED b', 'MODIFIED b', 'DELETED a']);
    expect(meta(events[1]!.object).resourceVersion).toBe(meta(b).resourceVersion);
    expect(Number(meta(events[3]!.object).resourceVersion)).toBeGreaterThan(
      Number(meta(events[2]!.object).resourceVersion),
    );
  });

  it('resumes after a resourceVersion', () => {
    const { api } = newCluster();
    const a = api.create(configMap('a'));
    api.create(configMap('b'));
    const events: ApiWatchEvent[] = [];
    api.watch('cm', { resourceVersion: String(meta(a).resourceVersion) }, (e) => events.push(e)).stop();
    expect(summary(events)).toEqual(['ADDED b']);
  });

  it('applies selectors: objects entering and leaving the selection are ADDED and DELETED', () => {
    const { api } = newCluster();
    const events: ApiWatchEvent[] = [];
    api.create(configMap('a', { metadata: { name: 'a', labels: { tier: 'fe' } } }));
    const watch = api.watch(
      'cm',
      { labelSelector: 'tier=fe', fieldSelector: 'metadata.namespace=default' },
      (e) => events.push(e),
    );
    api.patch('cm', 'default', 'a', { metadata: { labels: { tier: 'be' } } }, 'merge');
    api.create(configMap('b'));
    api.patch('cm', 'default', 'b', { metadata: { labels: { tier: 'fe' } } }, 'merge');
    api.patch('cm', 'default', 'b', { data: { x: 'y' } }, 'merge');
    watch.stop();
    expect(summary(events)).toEqual(['ADDED a', 'DELETED a', 'ADDED b', 'MODIFIED b']);
  });

  it('refuses a resourceVersion older than the kept history with 410', () => {
    const store = new MemoryStore({ eventHistory: 5 });
    const { api } = newCluster({ store });
    for (let i = 0; i < 20; i++) api.create(configMap(`c${i}`));
    expect(() => api.watch('cm', { resourceVersion: '1' }, () => {})).toThrow(
      /^too old resource version: 1 \(\d+\)$/,
    );
  });

  it('sees what another process wrote when polled', () => {
    const store = openTestStore('sqlite');
    const { api, registry, clock } = newCluster({ store });
    const events: ApiWatchEvent[] = [];
    const watch = api.watch('cm', { namespace: 'default' }, (e) => events.push(e));
    // Another API on the same store writes (as another process would); subscriptions do not carry it.
    const other = new ClusterApi({ store, registry, schema: new FakeSchema(), clock: clock.now });
    other.create(configMap('x'));
    watch.poll();
    watch.stop();
    expect(summary(events)).toEqual(['ADDED x']);
  });

  it('survives a listener that writes', () => {
    const { api } = newCluster();
    const events: ApiWatchEvent[] = [];
    const watch = api.watch('cm', {}, (e) => {
      events.push(e);
      if (meta(e.object).name === 'a' && e.type === 'ADDED') api.create(configMap('b'));
    });
    api.create(configMap('a'));
    watch.stop();
    expect(summary(events)).toEqual(['ADDED a', 'ADDED b']);
  });
});

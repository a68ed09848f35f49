/**
 * The SQLite store's write-behind (`deferCommits`): a writer thread commits a settle's writes
 * while the store reads its own through what it keeps in memory.
 */

import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCluster } from '../../../src/cluster/cluster.js';
import {
  type ObjectStore,
  SqliteStore,
  StoreError,
  type WatchEvent,
} from '../../../src/cluster/store/index.js';
import type { SqliteStoreOptions } from '../../../src/cluster/store/sqlite-store-options.js';
import { tempDir } from '../../helpers/chart-builder.js';
import { storeContract } from './contract.js';
import { key, names, object, reasonOf } from './fixtures.js';

const dirs: string[] = [];
const freshFile = () => {
  const dir = tempDir('bosun-behind-');
  dirs.push(dir);
  return path.join(dir, 'cluster.db');
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A store whose writer thread takes over from the first transaction of a scope. */
const eager = (file: string, options?: SqliteStoreOptions) =>
  new SqliteStore(file, { writeBehindAfterBytes: 0, ...options });

/**
 * The store with every call in a `deferCommits` scope of its own: each transaction is written by
 * the writer thread, and each scope's end commits it.
 */
function deferringEachCall(store: SqliteStore): ObjectStore {
  return new Proxy(store, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      if (property === 'close' || property === 'subscribe' || property === 'deferCommits')
        return value.bind(target);
      return (...args: unknown[]) => target.deferCommits(() => value.apply(target, args));
    },
  });
}

storeContract('SqliteStore, writes behind', (options) => deferringEachCall(eager(freshFile(), options)));

describe('SqliteStore: writes behind, inside one scope', () => {
  it('reads its own writes before the writer commits them, and commits them all at the end', () => {
    const file = freshFile();
    const store = eager(file);
    const other = new SqliteStore(file);
    store.create(key('before'), object('before', { app: 'web' }));
    store.deferCommits(() => {
      store.transaction(() => {
        store.create(key('a'), object('a', { app: 'web' }, 'first'));
        store.create(key('b', 'other'), object('b', { app: 'db' }));
        store.setMeta('clock', 42);
      });
      expect(store.writingBehind).toBe(true);
      store.transaction(() => {
        const a = store.get(key('a'))!;
        store.update(key('a'), { ...a.object, data: 'second' }, a.revision);
        store.delete(key('before'));
        store.create(key('c'), object('c', { app: 'web', tier: 'front' }, 'needle'));
      });
      expect(store.currentRevision()).toBe(6);
      expect(store.get(key('a'))).toMatchObject({ revision: 4, object: { data: 'second' } });
      expect(store.get(key('before'))).toBeUndefined();
      expect(store.getMeta('clock')).toBe(42);
      expect(names(store.list('configmaps').items)).toEqual(['default/a', 'default/c', 'other/b']);
      expect(names(store.list('configmaps', { labelEquals: { app: 'web' } }).items)).toEqual([
        'default/a',
        'default/c',
      ]);
      expect(names(store.list('configmaps', { labelEquals: { app: 'web', tier: 'front' } }).items)).toEqual([
        'default/c',
      ]);
      expect(names(store.list('configmaps', { namespace: 'other' }).items)).toEqual(['other/b']);
      expect(names(store.list('configmaps', { contains: 'needle' }).items)).toEqual(['default/c']);
      expect(store.eventsSince(1).map((e) => `${e.type} ${e.key.name} ${e.revision}`)).toEqual([
        'ADDED a 2',
        'ADDED b 3',
        'MODIFIED a 4',
        'DELETED before 5',
        'ADDED c 6',
      ]);
    });
    expect(store.writingBehind).toBe(false);
    // Another connection sees everything once the scope is over.
    expect(other.currentRevision()).toBe(6);
    expect(names(other.list('configmaps').items)).toEqual(['default/a', 'default/c', 'other/b']);
    expect(other.get(key('a'))!.object['data']).toBe('second');
    expect(other.getMeta('clock')).toBe(42);
    expect(other.eventsSince(0)).toHaveLength(6);
    other.close();
    store.close();
    const reopened = new SqliteStore(file);
    expect(names(reopened.list('configmaps', { labelEquals: { app: 'web' } }).items)).toEqual([
      'default/a',
      'default/c',
    ]);
    reopened.close();
  });

  it('reads back Events (kept by key only once sent) after the writer has written them', () => {
    const event = (name: string, count: number) => ({ ...object(name), count });
    const store = eager(freshFile());
    store.deferCommits(() => {
      store.transaction(() => store.create(key('e1', 'default', 'events'), event('e1', 1)));
      store.transaction(() => store.create(key('e2', 'default', 'events'), event('e2', 1)));
      expect(store.writingBehind).toBe(true);
      store.transaction(() => {
        const e1 = store.get(key('e1', 'default', 'events'))!;
        expect(e1.object['count']).toBe(1);
        store.update(key('e1', 'default', 'events'), event('e1', 2), e1.revision);
      });
      expect(store.get(key('e1', 'default', 'events'))).toMatchObject({ revision: 3, object: { count: 2 } });
      expect(store.list('events').items.map((i) => [i.key.name, i.object['count']])).toEqual([
        ['e1', 2],
        ['e2', 1],
      ]);
      expect(reasonOf(() => store.create(key('e2', 'default', 'events'), event('e2', 1)))).toBe(
        'AlreadyExists',
      );
      store.delete(key('e2', 'default', 'events'));
    });
    expect(store.list('events').items.map((i) => i.key.name)).toEqual(['e1']);
    store.close();
  });

  it('keeps a newer pending write of an object when the writer commits an older one', () => {
    const store = eager(freshFile());
    store.deferCommits(() => {
      store.transaction(() => store.create(key('x'), object('x', {}, 'first')));
      store.transaction(() => {
        store.update(key('x'), object('x', {}, 'second'));
        // Reading the log waits for the writer to commit the first transaction.
        expect(store.eventsSince(0).map((e) => e.revision)).toEqual([1, 2]);
        expect(store.get(key('x'))).toMatchObject({ revision: 2, object: { data: 'second' } });
      });
      expect(store.get(key('x'))!.object['data']).toBe('second');
    });
    store.close();
  });

  it('refuses a taken key: in the file, written in the scope, and not once deleted in it', () => {
    const store = eager(freshFile());
    store.create(key('old'), object('old'));
    store.deferCommits(() => {
      store.transaction(() => store.create(key('new'), object('new')));
      expect(store.writingBehind).toBe(true);
      expect(reasonOf(() => store.create(key('old'), object('old')))).toBe('AlreadyExists');
      expect(reasonOf(() => store.create(key('new'), object('new')))).toBe('AlreadyExists');
      store.delete(key('old'));
      expect(store.create(key('old'), object('old', {}, 'again')).revision).toBe(4);
      // Keys of another namespace or resource are not taken.
      store.create(key('old', 'other'), object('old'));
      store.create(key('old', 'default', 'secrets'), object('old'));
    });
    expect(store.list('configmaps').items.map((i) => i.object['data'])).toEqual([{}, 'again', {}]);
    expect(store.list('secrets').items).toHaveLength(1);
    store.close();
  });

  it('forgets the writes of a failed nested part and of a failed transaction', () => {
    const file = freshFile();
    const store = eager(file);
    const seen: WatchEvent[] = [];
    store.subscribe((event) => seen.push(event));
    store.deferCommits(() => {
      store.transaction((tx) => {
        tx.create(key('kept'), object('kept'));
        expect(() =>
          store.transaction(() => {
            tx.create(key('part'), object('part'));
            tx.update(key('kept'), object('kept', {}, 'changed'));
            tx.setMeta('m', 1);
            throw new Error('part fails');
          }),
        ).toThrow('part fails');
        expect(tx.get(key('part'))).toBeUndefined();
        expect(tx.get(key('kept'))!.object['data']).toEqual({});
        tx.create(key('after'), object('after'));
      });
      expect(() =>
        store.transaction((tx) => {
          tx.create(key('lost'), object('lost'));
          tx.delete(key('kept'));
          throw new Error('whole fails');
        }),
      ).toThrow('whole fails');
      expect(store.get(key('lost'))).toBeUndefined();
      expect(store.get(key('kept'))).toBeDefined();
      expect(store.getMeta('m')).toBeUndefined();
      expect(store.currentRevision()).toBe(2);
      // The keys a failed part created are free again.
      store.create(key('part'), object('part'));
    });
    expect(seen.map((e) => `${e.type} ${e.key.name} ${e.revision}`)).toEqual([
      'ADDED kept 1',
      'ADDED after 2',
      'ADDED part 3',
    ]);
    store.close();
    const reopened = new SqliteStore(file);
    expect(names(reopened.list('configmaps').items)).toEqual([
      'default/after',
      'default/kept',
      'default/part',
    ]);
    expect(reopened.eventsSince(0).map((e) => e.revision)).toEqual([1, 2, 3]);
    reopened.close();
  });

  it('commits in groups while the scope goes on: another connection sees them', () => {
    const file = freshFile();
    const store = eager(file, { writeBehindGroup: 50 });
    const other = new SqliteStore(file);
    let seenDuring = 0;
    store.deferCommits(() => {
      for (let i = 0; i < 40; i++) {
        store.transaction(() => {
          for (let j = 0; j < 10; j++)
            store.create(key(`cm-${i}-${j}`), object(`cm-${i}-${j}`, { batch: `${i}` }));
        });
      }
      // Waiting for the log of events makes the writer commit what it has.
      expect(store.eventsSince(390)).toHaveLength(10);
      seenDuring = other.currentRevision();
      expect(store.writingBehind).toBe(true);
    });
    expect(seenDuring).toBe(400);
    expect(other.list('configmaps', { labelEquals: { batch: '39' } }).items).toHaveLength(10);
    other.close();
    store.close();
  });

  it('hands over only once a scope has written enough, and never outside one', () => {
    const store = new SqliteStore(freshFile(), { writeBehindAfterBytes: 1 << 20 });
    store.create(key('outside'), object('outside', {}, 'x'.repeat(2 << 20)));
    expect(store.writingBehind).toBe(false);
    store.deferCommits(() => {
      store.create(key('small'), object('small'));
      expect(store.writingBehind).toBe(false);
      store.create(key('big'), object('big', {}, 'x'.repeat(2 << 20)));
      // The writer starts in the background; transactions write directly until it is ready.
      for (let i = 0; i < 200 && !store.writingBehind; i++) {
        store.create(key(`cm-${i}`), object(`cm-${i}`));
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
      }
      expect(store.writingBehind).toBe(true);
    });
    expect(store.writingBehind).toBe(false);
    store.close();
  });

  it('sees what another process wrote before its writer took the lock', () => {
    const file = freshFile();
    const store = eager(file);
    const other = new SqliteStore(file);
    store.create(key('a'), object('a', {}, 'mine'));
    expect(store.get(key('a'))!.object['data']).toBe('mine');
    other.update(key('a'), object('a', {}, 'theirs'));
    store.deferCommits(() => {
      store.transaction(() => {
        const a = store.get(key('a'))!;
        expect(a.object['data']).toBe('theirs');
        store.update(key('a'), { ...a.object, data: 'mine again' }, a.revision);
      });
      expect(store.writingBehind).toBe(true);
    });
    expect(other.get(key('a'))).toMatchObject({ revision: 3, object: { data: 'mine again' } });
    other.close();
    store.close();
  });

  it('writes directly when its writer cannot take the lock', () => {
    const file = freshFile();
    const store = eager(file, { busyTimeoutMs: 50 });
    const other = new SqliteStore(file);
    let result: unknown;
    other.transaction(() => {
      // The other connection holds the write lock: the writer gives up, the store's own write waits in vain.
      result = (() => {
        try {
          return store.deferCommits(() => store.create(key('a'), object('a')));
        } catch (error) {
          return error;
        }
      })();
      other.create(key('b'), object('b'));
    });
    expect(result).toBeInstanceOf(Error);
    expect(String(result)).toMatch(/locked|busy/i);
    expect(store.writingBehind).toBe(false);
    // Later scopes write directly, and work.
    store.deferCommits(() => store.create(key('c'), object('c')));
    expect(names(store.list('configmaps').items)).toEqual(['default/b', 'default/c']);
    other.close();
    store.close();
  });

  it('a closed store ends its scope first: everything written is kept', () => {
    const file = freshFile();
    const store = eager(file);
    store.deferCommits(() => {
      store.create(key('a'), object('a'));
      expect(store.writingBehind).toBe(true);
      store.close();
    });
    const reopened = new SqliteStore(file);
    expect(names(reopened.list('configmaps').items)).toEqual(['default/a']);
    reopened.close();
  });

  it('reports the expired revisions compaction dropped, as when writing directly', () => {
    const store = eager(freshFile(), { eventHistory: 10 });
    store.deferCommits(() => {
      for (let i = 0; i < 30; i++) store.create(key(`cm-${i}`), object(`cm-${i}`));
      let error: unknown;
      try {
        store.eventsSince(2);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).reason).toBe('Expired');
      expect(store.eventsSince(25).map((e) => e.revision)).toEqual([26, 27, 28, 29, 30]);
    });
    store.close();
  });
});

describe('SqliteStore: a settle written behind', () => {
  /** Settles a seeded cluster with a Deployment; returns every object and how the store wrote. */
  function settle(writeBehindAfterBytes: number) {
    const home = path.dirname(freshFile());
    const fixed = new Date('2026-11-28T00:00:00Z');
    const cluster = openCluster({
      home,
      nodes: 3,
      seed: 11,
      wallClock: () => fixed,
      store: { writeBehindAfterBytes },
    });
    const store = cluster.store as SqliteStore;
    let behind = 0;
    const transaction = store.transaction.bind(store);
    store.transaction = (fn) => {
      if (store.writingBehind) behind++;
      return transaction(fn);
    };
    cluster.api.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        replicas: 40,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'nginx:1.13.11', ports: [{ containerPort: 80 }] }] },
        },
      },
    });
    cluster.runtime.settle();
    cluster.close();
    // Read back from the file by a fresh connection: what the writer thread committed.
    const reader = new SqliteStore(path.join(home, 'cluster.db'));
    const objects = ['pods', 'events', 'replicasets.apps', 'deployments.apps', 'nodes'].flatMap((resource) =>
      reader.list(resource).items.map((item) => [item.revision, item.object]),
    );
    const revision = reader.currentRevision();
    reader.close();
    return { objects, revision, behind };
  }

  it('leaves the same cluster in the file as writing directly: names, IPs, events, revisions', () => {
    const direct = settle(Number.POSITIVE_INFINITY);
    const behind = settle(0);
    expect(direct.behind).toBe(0);
    expect(behind.behind).toBeGreaterThan(10);
    expect(behind.revision).toBe(direct.revision);
    expect(behind.objects).toHaveLength(direct.objects.length);
    expect(behind.objects).toEqual(direct.objects);
    type Pod = { metadata?: { labels?: Record<string, string> }; status?: { phase?: string } };
    const running = behind.objects.filter(([, o]) => {
      const pod = o as Pod;
      return pod.metadata?.labels?.['app'] === 'web' && pod.status?.phase === 'Running';
    });
    expect(running).toHaveLength(40);
  });
});

/**
 * The second half of the `ObjectStore` contract (see contract.ts): transactions, the event log
 * and subscriptions, meta values, closing.
 */

import { describe, expect, it } from 'vitest';
import type { StoreWriter, WatchEvent } from '../../../src/cluster/store/types.js';
import { key, names, object, reasonOf, type StoreFactory } from './fixtures.js';

/** Registers the cases; `fresh` opens a store closed after each test, `open` one the test closes. */
export function changeCases(fresh: StoreFactory, open: StoreFactory): void {
  describe('transactions', () => {
    it('commits all writes together and returns what the function returns', () => {
      const store = fresh();
      const result = store.transaction((tx) => {
        tx.create(key('a'), object('a'));
        tx.create(key('b'), object('b'));
        tx.update(key('a'), object('a', { v: '2' }), 1);
        expect(tx.get(key('a'))!.revision).toBe(3);
        return 'done';
      });
      expect(result).toBe('done');
      expect(store.currentRevision()).toBe(3);
      expect(store.eventsSince(0).map((e) => [e.type, e.key.name, e.revision])).toEqual([
        ['ADDED', 'a', 1],
        ['ADDED', 'b', 2],
        ['MODIFIED', 'a', 3],
      ]);
    });

    it('inside a transaction, eventsSince sees its own writes, minus those of a nested part that threw', () => {
      const store = fresh();
      store.create(key('before'), object('before'));
      store.transaction((tx) => {
        tx.create(key('a'), object('a'));
        expect(() =>
          store.transaction((inner) => {
            inner.create(key('undone'), object('undone'));
            throw new Error('boom');
          }),
        ).toThrow('boom');
        tx.update(key('a'), object('a', {}, { v: '2' }));
        expect(store.eventsSince(0).map((e) => [e.type, e.key.name, e.revision])).toEqual([
          ['ADDED', 'before', 1],
          ['ADDED', 'a', 2],
          ['MODIFIED', 'a', 3],
        ]);
        expect(store.eventsSince(2).map((e) => [e.key.name, e.object['data']])).toEqual([['a', { v: '2' }]]);
        expect(store.eventsSince(1, 'configmaps').map((e) => e.revision)).toEqual([2, 3]);
        expect(store.eventsSince(3)).toEqual([]);
      });
    });

    it('rolls everything back on a throw: objects, labels, meta, revision, events', () => {
      const store = fresh();
      store.create(key('keep'), object('keep', { app: 'web' }));
      store.create(key('gone'), object('gone', { app: 'web' }));
      store.setMeta('clock', 1);
      const failure = new Error('boom');
      expect(() =>
        store.transaction((tx) => {
          tx.create(key('new'), object('new', { app: 'web' }));
          tx.update(key('keep'), object('keep', { app: 'db' }));
          tx.delete(key('gone'));
          tx.setMeta('clock', 2);
          tx.setMeta('other', 'x');
          throw failure;
        }),
      ).toThrow(failure);
      expect(store.currentRevision()).toBe(2);
      expect(store.get(key('new'))).toBeUndefined();
      expect(store.get(key('keep'))).toMatchObject({ revision: 1, object: object('keep', { app: 'web' }) });
      expect(store.get(key('gone'))).toMatchObject({ revision: 2 });
      expect(names(store.list('configmaps', { labelEquals: { app: 'web' } }).items)).toEqual([
        'default/gone',
        'default/keep',
      ]);
      expect(store.list('configmaps', { labelEquals: { app: 'db' } }).items).toEqual([]);
      expect([store.getMeta('clock'), store.getMeta('other')]).toEqual([1, undefined]);
      expect(store.eventsSince(0)).toHaveLength(2);
      expect(store.create(key('next'), object('next')).revision).toBe(3);
    });

    it('rolls back earlier writes when a later one fails (Conflict)', () => {
      const store = fresh();
      store.create(key('a'), object('a'));
      expect(
        reasonOf(() =>
          store.transaction((tx) => {
            tx.create(key('b'), object('b'));
            tx.update(key('a'), object('a'), 99);
          }),
        ),
      ).toBe('Conflict');
      expect(store.get(key('b'))).toBeUndefined();
      expect(store.currentRevision()).toBe(1);
    });

    it('refuses an async function and writes nothing', () => {
      const store = fresh();
      expect(() =>
        store.transaction(async (tx) => {
          tx.create(key('a'), object('a'));
        }),
      ).toThrow(/synchronous|promise/);
      expect(store.get(key('a'))).toBeUndefined();
      expect(store.currentRevision()).toBe(0);
    });

    it('joins nested transactions to the outer one', () => {
      const store = fresh();
      const seen: number[] = [];
      store.subscribe((e) => seen.push(e.revision));
      store.transaction((tx) => {
        tx.create(key('a'), object('a'));
        store.transaction((inner) => inner.create(key('b'), object('b')));
        expect(seen).toEqual([]);
        expect(store.get(key('b'))!.revision).toBe(2);
        store.transaction((inner) => inner.update(key('b'), object('b2')));
      });
      expect(seen).toEqual([1, 2, 3]);
      expect(() =>
        store.transaction((tx) => {
          tx.create(key('c'), object('c'));
          store.transaction((inner) => inner.create(key('d'), object('d')));
          throw new Error('outer fails');
        }),
      ).toThrow('outer fails');
      expect([store.get(key('c')), store.get(key('d'))]).toEqual([undefined, undefined]);
      expect(store.currentRevision()).toBe(3);
    });

    it('undoes only a nested transaction that throws when the outer one catches it', () => {
      const store = fresh();
      store.transaction((tx) => {
        tx.create(key('a'), object('a'));
        expect(() =>
          store.transaction((inner) => {
            inner.create(key('b'), object('b'));
            inner.update(key('a'), object('a', { changed: 'yes' }));
            inner.setMeta('m', 'inner');
            throw new Error('inner fails');
          }),
        ).toThrow('inner fails');
        expect(tx.get(key('b'))).toBeUndefined();
        tx.create(key('c'), object('c'));
      });
      expect(store.get(key('a'))).toEqual({ key: key('a'), object: object('a'), revision: 1 });
      expect(store.get(key('b'))).toBeUndefined();
      expect(store.get(key('c'))!.revision).toBe(2);
      expect(store.getMeta('m')).toBeUndefined();
      expect(store.eventsSince(0).map((e) => e.revision)).toEqual([1, 2]);
    });

    it('undoes exactly the part that throws, however parts nest and wherever they first write', () => {
      const store = fresh();
      const names = () => store.list('configmaps').items.map((i) => i.key.name);
      const fails = (fn: () => void) => expect(fn).toThrow('part fails');
      const fail = () => {
        throw new Error('part fails');
      };
      /** A part that writes, then throws. */
      const failsAfter = (write: (t: StoreWriter) => unknown) =>
        fails(() =>
          store.transaction((t) => {
            write(t);
            fail();
          }),
        );
      store.transaction(() => {
        // Three parts begin with no write between them; the innermost writes, then throws.
        store.transaction(() =>
          store.transaction(() => {
            failsAfter((t) => t.create(key('x1'), object('x1')));
            store.transaction((t) => t.create(key('a'), object('a', { app: 'web' })));
          }),
        );
        // A part that writes after its own nested part threw keeps its write.
        store.transaction((t) => {
          failsAfter((u) => u.create(key('x2'), object('x2')));
          t.create(key('b'), object('b'));
          failsAfter((u) => u.update(key('b'), object('b', { v: 'x' })));
        });
        // An outer part that throws undoes its inner parts, even those that ended well.
        fails(() =>
          store.transaction((t) => {
            store.transaction((u) => u.create(key('x3'), object('x3')));
            t.create(key('x4'), object('x4'));
            store.transaction((u) => u.delete(key('a')));
            fail();
          }),
        );
        // A part that wrote nothing and threw changes nothing; the next one starts cleanly.
        fails(() => store.transaction(() => fail()));
        store.transaction(() => store.transaction((t) => t.create(key('c'), object('c'))));
      });
      expect(names()).toEqual(['a', 'b', 'c']);
      expect(store.get(key('b'))!.object).toEqual(object('b'));
      // The label index is undone with the objects.
      const labelled = (labels: Record<string, string>) =>
        store.list('configmaps', { labelEquals: labels }).items.map((i) => i.key.name);
      expect([labelled({ app: 'web' }), labelled({ v: 'x' })]).toEqual([['a'], []]);
      expect(store.eventsSince(0).map((e) => [e.key.name, e.revision])).toEqual([
        ['a', 1],
        ['b', 2],
        ['c', 3],
      ]);
    });
  });

  describe('events', () => {
    it('returns changes after a revision, oldest first, optionally for one resource', () => {
      const store = fresh();
      store.create(key('a'), object('a', { v: '1' }));
      store.create(key('p', 'default', 'pods'), object('p'));
      store.update(key('a'), object('a', { v: '2' }));
      store.delete(key('a'));
      const all = store.eventsSince(0);
      expect(all.map((e) => [e.type, e.key.resource, e.revision])).toEqual([
        ['ADDED', 'configmaps', 1],
        ['ADDED', 'pods', 2],
        ['MODIFIED', 'configmaps', 3],
        ['DELETED', 'configmaps', 4],
      ]);
      // MODIFIED carries the object after the change, DELETED the object before it.
      expect(all[2]!.object).toEqual(object('a', { v: '2' }));
      expect(all[3]).toEqual({
        type: 'DELETED',
        key: key('a'),
        object: object('a', { v: '2' }),
        revision: 4,
      });
      expect(store.eventsSince(2).map((e) => e.revision)).toEqual([3, 4]);
      expect(store.eventsSince(0, 'pods').map((e) => e.revision)).toEqual([2]);
      expect(store.eventsSince(2, 'pods')).toEqual([]);
      expect(store.eventsSince(4)).toEqual([]);
    });

    it('compacts old events: too old a revision is Expired, recent ones are kept', () => {
      const store = fresh({ eventHistory: 5 });
      for (let i = 0; i < 20; i++) store.create(key(`o${i}`), object(`o${i}`));
      expect(store.eventsSince(15).map((e) => e.revision)).toEqual([16, 17, 18, 19, 20]);
      expect(reasonOf(() => store.eventsSince(0))).toBe('Expired');
      expect(reasonOf(() => store.eventsSince(3, 'configmaps'))).toBe('Expired');
      expect(() => store.eventsSince(0)).toThrow(/too old resource version: 0/);
      expect(store.list('configmaps').items).toHaveLength(20);
    });

    it('notifies subscribers after commit, in order, until they unsubscribe', () => {
      const store = fresh();
      const a: WatchEvent[] = [];
      const b: string[] = [];
      const stopA = store.subscribe((e) => a.push(e));
      store.subscribe((e) => b.push(`${e.type} ${e.key.name} ${e.revision}`));
      store.create(key('x'), object('x'));
      store.transaction((tx) => {
        tx.update(key('x'), object('x', { v: '2' }));
        tx.create(key('y'), object('y'));
        expect(b).toEqual(['ADDED x 1']);
      });
      expect(() =>
        store.transaction((tx) => {
          tx.delete(key('x'));
          throw new Error('rolled back');
        }),
      ).toThrow();
      stopA();
      stopA();
      store.delete(key('y'));
      expect(a.map((e) => e.revision)).toEqual([1, 2, 3]);
      expect(a[1]).toEqual({
        type: 'MODIFIED',
        key: key('x'),
        object: object('x', { v: '2' }),
        revision: 2,
      });
      expect(b).toEqual(['ADDED x 1', 'MODIFIED x 2', 'ADDED y 3', 'DELETED y 4']);
    });

    it('reports a throwing subscriber without failing the write or the other subscribers', () => {
      const failures: unknown[] = [];
      const store = fresh({ onListenerError: (error) => failures.push(error) });
      const seen: number[] = [];
      const failure = new Error('listener bug');
      store.subscribe(() => {
        throw failure;
      });
      store.subscribe((e) => seen.push(e.revision));
      expect(store.create(key('a'), object('a')).revision).toBe(1);
      expect(seen).toEqual([1]);
      expect(failures).toEqual([failure]);
      expect(store.get(key('a'))).toBeDefined();
    });

    it('delivers in revision order even when a subscriber writes', () => {
      const store = fresh();
      const seen: string[] = [];
      store.subscribe((e) => {
        if (e.key.name === 'a') store.create(key('from-listener'), object('l'));
      });
      store.subscribe((e) => seen.push(`${e.key.name}@${e.revision}`));
      store.transaction((tx) => {
        tx.create(key('a'), object('a'));
        tx.create(key('b'), object('b'));
      });
      expect(seen).toEqual(['a@1', 'b@2', 'from-listener@3']);
    });
  });

  describe('meta', () => {
    it('stores small JSON values without bumping the revision', () => {
      const store = fresh();
      expect(store.getMeta('clock')).toBeUndefined();
      const value = { now: '2024-01-01T00:00:00Z', seed: [1, 2, 3] };
      store.setMeta('clock', value);
      value.seed.push(4);
      expect(store.getMeta('clock')).toEqual({ now: '2024-01-01T00:00:00Z', seed: [1, 2, 3] });
      (store.getMeta('clock') as { seed: number[] }).seed.push(5);
      expect(store.getMeta('clock')).toEqual({ now: '2024-01-01T00:00:00Z', seed: [1, 2, 3] });
      store.setMeta('clock', 7);
      store.setMeta('flag', false);
      expect([store.getMeta('clock'), store.getMeta('flag')]).toEqual([7, false]);
      store.setMeta('clock', undefined);
      expect(store.getMeta('clock')).toBeUndefined();
      expect(store.currentRevision()).toBe(0);
      expect(store.eventsSince(0)).toEqual([]);
    });
  });

  it('refuses every call once closed', () => {
    const store = open();
    store.close();
    store.close();
    expect(() => store.get(key('a'))).toThrow(/closed/);
    expect(() => store.create(key('a'), object('a'))).toThrow(/closed/);
    expect(() => store.list('configmaps')).toThrow(/closed/);
    expect(() => store.currentRevision()).toThrow(/closed/);
  });
}

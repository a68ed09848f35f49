/**
 * The `ObjectStore` contract, run against every implementation (memory-store.test.ts,
 * sqlite-store.test.ts): CRUD and its errors, revisions, lists and the label index, copies in
 * and out; then, from contract-changes.ts, transactions (rollback, nesting), the event log and
 * its compaction, subscriptions, meta values.
 */

import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject, ObjectStore, StoreOptions } from '../../../src/cluster/store/index.js';
import { changeCases } from './contract-changes.js';
import { key, names, object, reasonOf, type StoreFactory } from './fixtures.js';

/** Registers the contract suite for one implementation. */
export function storeContract(implementation: string, open: StoreFactory): void {
  describe(`${implementation}: ObjectStore contract`, () => {
    const opened: ObjectStore[] = [];
    const fresh = (options?: StoreOptions) => {
      const store = open(options);
      opened.push(store);
      return store;
    };
    afterEach(() => {
      for (const store of opened.splice(0)) store.close();
    });

    describe('create, get, update, delete', () => {
      it('creates and reads back an object at revision 1', () => {
        const store = fresh();
        expect(store.currentRevision()).toBe(0);
        const created = store.create(key('a'), object('a', { app: 'web' }));
        expect(created).toEqual({ key: key('a'), object: object('a', { app: 'web' }), revision: 1 });
        expect(store.get(key('a'))).toEqual(created);
        expect(store.get(key('missing'))).toBeUndefined();
        expect(store.currentRevision()).toBe(1);
      });

      it('keeps resources, namespaces and cluster scope apart', () => {
        const store = fresh();
        store.create(key('x', 'a'), object('in a'));
        store.create(key('x', 'b'), object('in b'));
        store.create(key('x', '', 'nodes'), object('node'));
        store.create(key('x', 'a', 'secrets'), object('secret'));
        expect(store.get(key('x', 'a'))!.object).toEqual(object('in a'));
        expect(store.get(key('x', 'b'))!.object).toEqual(object('in b'));
        expect(store.get(key('x', '', 'nodes'))!.object).toEqual(object('node'));
        expect(store.get(key('x', '', 'configmaps'))).toBeUndefined();
      });

      it('refuses a taken key with AlreadyExists and writes nothing', () => {
        const store = fresh();
        store.create(key('a'), object('a'));
        expect(reasonOf(() => store.create(key('a'), object('other')))).toBe('AlreadyExists');
        expect(store.get(key('a'))!.object).toEqual(object('a'));
        expect(store.currentRevision()).toBe(1);
      });

      it('names the object in its errors', () => {
        const store = fresh();
        store.create(key('a'), object('a'));
        expect(() => store.create(key('a'), object('a'))).toThrow('configmaps "default/a" already exists');
        expect(() => store.delete(key('n', '', 'nodes'))).toThrow('nodes "n" not found');
      });

      it('updates and deletes only what exists (NotFound)', () => {
        const store = fresh();
        expect(reasonOf(() => store.update(key('a'), object('a')))).toBe('NotFound');
        expect(reasonOf(() => store.delete(key('a')))).toBe('NotFound');
        expect(store.currentRevision()).toBe(0);
      });

      it('updates unconditionally, or only at the expected revision (Conflict)', () => {
        const store = fresh();
        store.create(key('a'), object('a', {}, { v: 1 }));
        expect(store.update(key('a'), object('a', {}, { v: 2 }))).toMatchObject({ revision: 2 });
        expect(reasonOf(() => store.update(key('a'), object('a', {}, { v: 3 }), 1))).toBe('Conflict');
        expect(store.get(key('a'))).toMatchObject({ revision: 2, object: { data: { v: 2 } } });
        const updated = store.update(key('a'), object('a', {}, { v: 3 }), 2);
        expect(updated).toEqual({ key: key('a'), object: object('a', {}, { v: 3 }), revision: 3 });
        expect(store.get(key('a'))).toEqual(updated);
      });

      it('deletes at the expected revision and returns the deleted object', () => {
        const store = fresh();
        store.create(key('a'), object('a'));
        store.update(key('a'), object('a', { v: '2' }));
        expect(reasonOf(() => store.delete(key('a'), 1))).toBe('Conflict');
        expect(store.get(key('a'))).toBeDefined();
        expect(store.delete(key('a'), 2)).toEqual({
          key: key('a'),
          object: object('a', { v: '2' }),
          revision: 2,
        });
        expect(store.get(key('a'))).toBeUndefined();
        expect(store.currentRevision()).toBe(3);
        expect(store.create(key('a'), object('again')).revision).toBe(4);
      });

      it('bumps one revision per write, strictly increasing across resources', () => {
        const store = fresh();
        const revisions = [
          store.create(key('a'), object('a')).revision,
          store.create(key('p', 'default', 'pods'), object('p')).revision,
          store.update(key('a'), object('a2')).revision,
          store.create(key('n', '', 'nodes'), object('n')).revision,
        ];
        store.delete(key('p', 'default', 'pods'));
        expect(revisions).toEqual([1, 2, 3, 4]);
        expect(store.currentRevision()).toBe(5);
      });

      it('rejects invalid keys and non-objects', () => {
        const store = fresh();
        expect(() => store.create(key(''), object('a'))).toThrow(TypeError);
        expect(() => store.create({ resource: '', namespace: '', name: 'a' }, object('a'))).toThrow(
          TypeError,
        );
        expect(() => store.create(key('a'), [] as unknown as KubeObject)).toThrow(TypeError);
        expect(() => store.create(key('a'), null as unknown as KubeObject)).toThrow(TypeError);
        expect(store.currentRevision()).toBe(0);
      });
    });

    describe('lists filtered by text', () => {
      it('`contains` keeps only objects whose stored JSON has the text, in one namespace or all', () => {
        const store = fresh();
        store.create(key('plain'), object('plain', {}, { k: 'v' }));
        store.create(key('owned'), {
          ...object('owned'),
          metadata: { name: 'owned', namespace: 'default', ownerReferences: [{ uid: 'u1' }] },
        });
        store.create(key('mention', 'other'), object('mention', {}, { note: '"ownerReferences"' }));
        expect(names(store.list('configmaps', { contains: '"ownerReferences"' }).items)).toEqual([
          'default/owned',
        ]);
        expect(names(store.list('configmaps', { contains: 'ownerReferences' }).items)).toEqual([
          'default/owned',
          'other/mention',
        ]);
        expect(store.list('configmaps', { namespace: 'other', contains: '"ownerReferences"' }).items).toEqual(
          [],
        );
        expect(store.list('configmaps', { contains: 'nowhere' }).items).toEqual([]);
      });
    });

    describe('copies in and out', () => {
      it('takes over a plain JSON object it was given (frozen under tests), and copies any other', () => {
        const store = fresh();
        const input = object('a', { app: 'web' }, { k: ['v'] });
        const created = store.create(key('a'), input);
        // The object itself is shared now: the writer may not change it afterwards.
        expect(created.object).toBe(input);
        expect(store.get(key('a'))!.object).toBe(input);
        expect(() => (input['data'] as { k: string[] }).k.push('changed')).toThrow(TypeError);
        // What JSON cannot carry (undefined, dates) goes through the encoding: the caller keeps its object.
        const odd = { ...object('b', { app: 'web' }), gone: undefined, when: new Date(0) } as KubeObject;
        const stored = store.create(key('b'), odd).object;
        expect(stored).not.toBe(odd);
        expect(stored).toEqual({ ...object('b', { app: 'web' }), when: '1970-01-01T00:00:00.000Z' });
        (odd['metadata'] as { labels: Record<string, string> }).labels['app'] = 'changed';
        expect(store.list('configmaps', { labelEquals: { app: 'web' } }).items).toHaveLength(2);
      });

      it('hands out one shared, read-only object per revision (frozen under tests)', () => {
        const store = fresh();
        const created = store.create(key('a'), object('a', {}, { k: 'v' }));
        const seen: KubeObject[] = [];
        store.subscribe((e) => seen.push(e.object));
        const read = store.get(key('a'))!.object;
        // Every reader of one revision gets the same decoded value…
        expect(store.get(key('a'))!.object).toBe(read);
        expect(created.object).toBe(read);
        // …which nobody may change.
        expect(Object.isFrozen(read)).toBe(true);
        expect(Object.isFrozen(read['data'])).toBe(true);
        expect(() => {
          (read['data'] as Record<string, string>)['k'] = 'scribbled';
        }).toThrow(TypeError);
        store.update(key('a'), { ...read, data: { k: 'w' } });
        const next = store.get(key('a'))!.object;
        expect(next).not.toBe(read);
        expect(next['data']).toEqual({ k: 'w' });
        // Listeners of a change share its object with later reads of that revision.
        expect(seen).toHaveLength(1);
        expect(seen[0]).toBe(next);
        expect(store.eventsSince(0).map((e) => e.object['data'])).toEqual([{ k: 'v' }, { k: 'w' }]);
        expect(read['data']).toEqual({ k: 'v' });
      });

      it('stores JSON: undefined fields vanish, dates become strings', () => {
        const store = fresh();
        const input = { metadata: { name: 'a', gone: undefined }, when: new Date(0) } as KubeObject;
        expect(store.create(key('a'), input).object).toEqual({
          metadata: { name: 'a' },
          when: '1970-01-01T00:00:00.000Z',
        });
        expect(store.get(key('a'))!.object).toEqual({
          metadata: { name: 'a' },
          when: '1970-01-01T00:00:00.000Z',
        });
      });
    });

    describe('list', () => {
      const seed = (store: ObjectStore) => {
        store.create(key('b', 'ns2'), object('b', { app: 'web', tier: 'front' }));
        store.create(key('a', 'ns2'), object('a', { app: 'web', tier: 'back' }));
        store.create(key('z', 'ns1'), object('z', { app: 'web', tier: 'front' }));
        store.create(key('c', 'ns1'), object('c', { app: 'db' }));
        store.create(key('cm', '', 'configmaps'), object('cm', { app: 'web' }));
        store.create(key('p', 'ns1', 'pods'), object('p', { app: 'web' }));
      };

      it('lists one resource in (namespace, name) order, at the current revision', () => {
        const store = fresh();
        seed(store);
        const all = store.list('configmaps');
        expect(names(all.items)).toEqual(['/cm', 'ns1/c', 'ns1/z', 'ns2/a', 'ns2/b']);
        expect(all.revision).toBe(6);
        expect(all.items[1]).toEqual({
          key: key('c', 'ns1'),
          object: object('c', { app: 'db' }),
          revision: 4,
        });
        expect(store.list('nothing')).toEqual({ items: [], revision: 6 });
      });

      it('lists one namespace; "" means cluster-scoped objects only', () => {
        const store = fresh();
        seed(store);
        expect(names(store.list('configmaps', { namespace: 'ns2' }).items)).toEqual(['ns2/a', 'ns2/b']);
        expect(names(store.list('configmaps', { namespace: '' }).items)).toEqual(['/cm']);
        expect(store.list('configmaps', { namespace: 'none' }).items).toEqual([]);
      });

      it.each([
        [{ app: 'web' }, undefined, ['/cm', 'ns1/z', 'ns2/a', 'ns2/b']],
        [{ app: 'web', tier: 'front' }, undefined, ['ns1/z', 'ns2/b']],
        [{ tier: 'front', app: 'web' }, 'ns2', ['ns2/b']],
        [{ app: 'web' }, '', ['/cm']],
        [{ app: 'db' }, 'ns2', []],
        [{ app: 'none' }, undefined, []],
        [{ app: 'web', other: 'x' }, undefined, []],
        [{}, 'ns1', ['ns1/c', 'ns1/z']],
      ])('selects labels %j in namespace %j', (labelEquals, namespace, expected) => {
        const store = fresh();
        seed(store);
        const result = store.list('configmaps', { labelEquals, namespace });
        expect(names(result.items)).toEqual(expected);
        expect(result.revision).toBe(6);
      });

      it('keeps the label index in step with updates and deletes', () => {
        const store = fresh();
        seed(store);
        store.update(key('c', 'ns1'), object('c', { app: 'web', tier: 'front' }));
        store.update(key('z', 'ns1'), object('z', { app: 'api' }));
        store.delete(key('b', 'ns2'));
        store.update(key('a', 'ns2'), { metadata: { name: 'a', labels: { app: 5 } } });
        expect(names(store.list('configmaps', { labelEquals: { app: 'web' } }).items)).toEqual([
          '/cm',
          'ns1/c',
        ]);
        expect(names(store.list('configmaps', { labelEquals: { tier: 'front' } }).items)).toEqual(['ns1/c']);
        expect(names(store.list('configmaps', { labelEquals: { app: 'api' } }).items)).toEqual(['ns1/z']);
        expect(store.list('configmaps', { labelEquals: { app: '5' } }).items).toEqual([]);
      });
    });

    changeCases(fresh, open);
  });
}

/**
 * Dependents by owner uid, for garbage collection without scanning the store. Built once from a
 * list of every resource, then kept current from the store's event log (`eventsSince`), so it
 * also sees what other processes sharing the store wrote; a log that no longer reaches back far
 * enough (410) or a store that went backwards (a rolled-back transaction) triggers a rebuild.
 * Lookups may return stale candidates: callers re-read each one in their transaction.
 */

import { type KubeObject, type ObjectKey, type ObjectStore, StoreError } from '../../store/types.js';
import { getOwn, isJsonObject } from './json-values.js';

const keyId = (k: ObjectKey): string => `${k.resource}\0${k.namespace}\0${k.name}`;

/**
 * Resources the garbage collector leaves alone, as kube-controller-manager does by default
 * (`GCIgnoredResources`: events, core and events.k8s.io): there can be thousands of them and
 * nothing owns them.
 */
export const GC_IGNORED_RESOURCES: ReadonlySet<string> = new Set(['events', 'events.events.k8s.io']);

function keyOf(id: string): ObjectKey {
  const [resource, namespace, name] = id.split('\0') as [string, string, string];
  return { resource, namespace, name };
}

/** The owner uids an object's `ownerReferences` name. */
export function ownerUidsOf(object: KubeObject | undefined): string[] {
  const refs = getOwn(getOwn(object, 'metadata'), 'ownerReferences');
  if (!Array.isArray(refs)) return [];
  return refs
    .map((r) => (isJsonObject(r) ? r.uid : undefined))
    .filter((u): u is string => typeof u === 'string' && u !== '');
}

/** An in-memory index from owner uid to the keys of objects that reference it. */
export class OwnerIndex {
  private readonly byOwner = new Map<string, Set<string>>();
  private readonly ownersOf = new Map<string, readonly string[]>();
  /** The store revision the index reflects; -1 before the first build. */
  private revision = -1;

  /**
   * @param store where objects live.
   * @param resources every resource key that may hold dependents (read at each rebuild).
   */
  constructor(
    private readonly store: ObjectStore,
    private readonly resources: () => readonly string[],
  ) {}

  /**
   * Brings the index up to `upTo` (the revision when the calling operation started; events after
   * it are its own, not yet committed). Returns true when it rebuilt from lists, which reflect the
   * current, uncommitted state: the caller must `reset` the index if its transaction rolls back.
   */
  sync(upTo: number): boolean {
    if (this.revision < 0 || upTo < this.revision) {
      this.rebuild(upTo);
      return true;
    }
    if (upTo === this.revision) return false;
    let events: ReturnType<ObjectStore['eventsSince']>;
    try {
      events = this.store.eventsSince(this.revision);
    } catch (error) {
      if (error instanceof StoreError && error.reason === 'Expired') {
        this.rebuild(upTo);
        return true;
      }
      throw error;
    }
    for (const e of events) {
      if (e.revision > upTo) break;
      if (GC_IGNORED_RESOURCES.has(e.key.resource)) continue;
      this.put(keyId(e.key), e.type === 'DELETED' ? [] : ownerUidsOf(e.object));
    }
    this.revision = upTo;
    return false;
  }

  /** Forgets everything; the next `sync` rebuilds. */
  reset(): void {
    this.byOwner.clear();
    this.ownersOf.clear();
    this.revision = -1;
  }

  /** Keys of objects that referenced `uid` as of the last sync, sorted (cascades run in a stable order). */
  dependentsOf(uid: string): ObjectKey[] {
    return [...(this.byOwner.get(uid) ?? [])].sort().map(keyOf);
  }

  /** The same keys, unsorted and lazily, for questions whose answer does not depend on order. */
  *candidatesOf(uid: string): Generator<ObjectKey> {
    for (const id of this.byOwner.get(uid) ?? []) yield keyOf(id);
  }

  private rebuild(upTo: number): void {
    this.reset();
    for (const resource of this.resources()) {
      if (GC_IGNORED_RESOURCES.has(resource)) continue;
      // Most objects (events, configmaps, release records) have no owner: the store skips them.
      for (const item of this.store.list(resource, { contains: '"ownerReferences"' }).items) {
        this.put(keyId(item.key), ownerUidsOf(item.object));
      }
    }
    // Events after `upTo` are replayed by the next sync; replaying them again is harmless.
    this.revision = upTo;
  }

  private put(id: string, owners: readonly string[]): void {
    for (const uid of this.ownersOf.get(id) ?? []) {
      const set = this.byOwner.get(uid);
      set?.delete(id);
      if (set?.size === 0) this.byOwner.delete(uid);
    }
    if (owners.length === 0) {
      this.ownersOf.delete(id);
      return;
    }
    this.ownersOf.set(id, owners);
    for (const uid of owners) {
      let set = this.byOwner.get(uid);
      if (set === undefined) this.byOwner.set(uid, (set = new Set()));
      set.add(id);
    }
  }
}

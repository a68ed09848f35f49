/**
 * The in-memory object store (tests, and clusters nobody needs to keep). It keeps every object
 * as JSON text, so what goes in is a copy, and decodes each revision once for all its readers,
 * exactly as the SQLite store does.
 */

import { EventBus } from './event-bus.js';
import { type DecodedCell, storedOf, textOf, writtenCell } from './object-cache.js';
import {
  alreadyExists,
  assertSync,
  checkRevision,
  closedError,
  type EventRecord,
  encodeObject,
  eventsAfter,
  expired,
  historyOf,
  labelsOf,
  matchesSelector,
  notFound,
  ownKey,
  type StoreOptions,
  selectorOf,
} from './records.js';
import type {
  KubeObject,
  ListOptions,
  ListResult,
  ObjectKey,
  ObjectStore,
  StoredObject,
  StoreWriter,
  WatchEvent,
} from './types.js';

/** One stored object; its decoded value is shared by every reader of this revision. */
interface Entry extends DecodedCell {
  readonly text: string;
  readonly key: ObjectKey;
  /** `idOf(key)`, kept for sorting. */
  readonly id: string;
  readonly revision: number;
  readonly labels: readonly [string, string][];
}

/** How to undo one write when a transaction (or a nested one) throws. */
type Undo =
  | { readonly resource: string; readonly id: string; readonly prev: Entry | undefined }
  | { readonly meta: string; readonly prev: string | undefined };

/** Where a transaction started, to roll back to. */
interface Mark {
  readonly undo: number;
  readonly revision: number;
  readonly events: number;
}

/** The id of an object within its resource; sorts as (namespace, name), as SQLite lists. */
const idOf = (key: ObjectKey): string => `${key.namespace}\0${key.name}`;

/**
 * An {@link ObjectStore} in memory. Transactions keep an undo log, so a throw restores objects,
 * meta values, the revision and the event log exactly; a nested transaction that throws undoes
 * only its own writes. A label index (resource → key → value → objects) serves `labelEquals`.
 */
export class MemoryStore implements ObjectStore {
  private readonly objects = new Map<string, Map<string, Entry>>();
  private readonly labelIndex = new Map<string, Map<string, Map<string, Set<string>>>>();
  private readonly meta = new Map<string, string>();
  private readonly bus: EventBus;
  private readonly history: number;
  private readonly slack: number;
  private revision = 0;
  /** Events still reachable by `eventsSince`, oldest first. */
  private events: EventRecord[] = [];
  /** The newest revision whose event was compacted away. */
  private compacted = 0;
  /** The undo log of the open transaction; undefined outside transactions. */
  private undo: Undo[] | undefined;
  private closed = false;

  constructor(options?: StoreOptions) {
    ({ history: this.history, slack: this.slack } = historyOf(options));
    this.bus = new EventBus(options?.onListenerError);
  }

  currentRevision(): number {
    this.assertOpen();
    return this.revision;
  }

  get(key: ObjectKey): StoredObject | undefined {
    this.assertOpen();
    const entry = this.objects.get(key.resource)?.get(idOf(key));
    return entry === undefined ? undefined : toStored(entry);
  }

  create(key: ObjectKey, object: KubeObject): StoredObject {
    return this.write(() => {
      const own = ownKey(key);
      const id = idOf(own);
      if (this.objects.get(own.resource)?.has(id)) throw alreadyExists(own);
      return toStored(
        this.put(own, id, 'ADDED', writtenCell(encodeObject(object), object), labelsOf(object)),
      );
    });
  }

  update(key: ObjectKey, object: KubeObject, expectedRevision?: number): StoredObject {
    return this.write(() => {
      const own = ownKey(key);
      const id = idOf(own);
      this.existing(own, id, expectedRevision);
      return toStored(
        this.put(own, id, 'MODIFIED', writtenCell(encodeObject(object), object), labelsOf(object)),
      );
    });
  }

  delete(key: ObjectKey, expectedRevision?: number): StoredObject {
    return this.write(() => {
      const own = ownKey(key);
      const id = idOf(own);
      const prev = this.existing(own, id, expectedRevision);
      this.put(own, id, 'DELETED', prev, undefined);
      return toStored(prev);
    });
  }

  getMeta(name: string): unknown {
    this.assertOpen();
    const text = this.meta.get(name);
    return text === undefined ? undefined : JSON.parse(text);
  }

  setMeta(name: string, value: unknown): void {
    this.write(() => {
      this.undo!.push({ meta: name, prev: this.meta.get(name) });
      const text = JSON.stringify(value) as string | undefined;
      if (text === undefined) this.meta.delete(name);
      else this.meta.set(name, text);
    });
  }

  list(resource: string, options?: ListOptions): ListResult {
    this.assertOpen();
    const table = this.objects.get(resource);
    const namespace = options?.namespace;
    const selector = selectorOf(options?.labelEquals);
    const found: Entry[] = [];
    const contains = selector.length === 0 ? options?.contains : undefined;
    const consider = (entry: Entry) => {
      if (namespace !== undefined && entry.key.namespace !== namespace) return;
      if (contains !== undefined && !entry.text.includes(contains)) return;
      if (matchesSelector(entry.labels, selector)) found.push(entry);
    };
    if (table !== undefined && selector.length === 0) {
      table.forEach(consider);
    } else if (table !== undefined) {
      // Walk the smallest index set; the other labels are checked on each entry.
      let smallest: Set<string> | undefined;
      for (const [k, v] of selector) {
        const ids = this.labelIndex.get(resource)?.get(k)?.get(v);
        if (ids === undefined) return { items: [], revision: this.revision };
        if (smallest === undefined || ids.size < smallest.size) smallest = ids;
      }
      for (const id of smallest!) consider(table.get(id)!);
    }
    found.sort((a, b) => compare(a.id, b.id));
    return { items: found.map(toStored), revision: this.revision };
  }

  /** Commits are in memory already: runs `fn`. */
  deferCommits<T>(fn: () => T): T {
    this.assertOpen();
    return fn();
  }

  transaction<T>(fn: (tx: StoreWriter) => T): T {
    this.assertOpen();
    const outer = this.undo === undefined;
    const undo = (this.undo ??= []);
    const mark: Mark = { undo: undo.length, revision: this.revision, events: this.events.length };
    let result: T;
    try {
      result = fn(this);
      assertSync(result);
    } catch (error) {
      this.rollbackTo(mark);
      if (outer) this.undo = undefined;
      throw error;
    }
    if (outer) {
      this.undo = undefined;
      const committed = this.events.slice(mark.events);
      this.compact();
      this.bus.publish(committed);
    }
    return result;
  }

  eventsSince(revision: number, resource?: string): WatchEvent[] {
    this.assertOpen();
    if (revision < this.compacted) throw expired(revision, this.compacted);
    return eventsAfter(this.events, revision, resource);
  }

  subscribe(listener: (event: WatchEvent) => void): () => void {
    this.assertOpen();
    return this.bus.subscribe(listener);
  }

  /** Drops everything; later calls throw. */
  close(): void {
    this.closed = true;
    this.objects.clear();
    this.labelIndex.clear();
    this.meta.clear();
    this.events = [];
  }

  /** Runs a write inside the open transaction, or in one of its own. */
  private write<T>(fn: () => T): T {
    this.assertOpen();
    return this.undo === undefined ? this.transaction(fn) : fn();
  }

  /** The entry an update or delete replaces; throws when it is missing or at another revision. */
  private existing(key: ObjectKey, id: string, expectedRevision: number | undefined): Entry {
    const prev = this.objects.get(key.resource)?.get(id);
    if (prev === undefined) throw notFound(key);
    checkRevision(key, prev.revision, expectedRevision);
    return prev;
  }

  /**
   * Records one change: bumps the revision, logs the event and replaces (or, without labels,
   * removes) the entry. The event shares its decoded object with the entry (with the removed
   * entry for a delete).
   */
  private put(
    key: ObjectKey,
    id: string,
    type: EventRecord['type'],
    content: DecodedCell,
    labels: readonly [string, string][] | undefined,
  ): Entry {
    const revision = ++this.revision;
    const next: Entry | undefined =
      labels === undefined
        ? undefined
        : {
            key,
            id,
            text: textOf(content),
            revision,
            labels,
            ...(content.object ? { object: content.object } : {}),
          };
    this.events.push({ type, key, cell: next ?? content, revision });
    const prev = this.setEntry(key.resource, id, next);
    this.undo!.push({ resource: key.resource, id, prev });
    return next ?? prev!;
  }

  /** Replaces the entry at `id` (undefined removes it), keeping the label index in step. */
  private setEntry(resource: string, id: string, next: Entry | undefined): Entry | undefined {
    let table = this.objects.get(resource);
    if (table === undefined) this.objects.set(resource, (table = new Map()));
    const prev = table.get(id);
    if (prev !== undefined) this.unindex(resource, id, prev.labels);
    if (next === undefined) {
      table.delete(id);
    } else {
      table.set(id, next);
      this.index(resource, id, next.labels);
    }
    return prev;
  }

  private index(resource: string, id: string, labels: readonly [string, string][]): void {
    let byKey = this.labelIndex.get(resource);
    if (byKey === undefined) this.labelIndex.set(resource, (byKey = new Map()));
    for (const [k, v] of labels) {
      let byValue = byKey.get(k);
      if (byValue === undefined) byKey.set(k, (byValue = new Map()));
      let ids = byValue.get(v);
      if (ids === undefined) byValue.set(v, (ids = new Set()));
      ids.add(id);
    }
  }

  private unindex(resource: string, id: string, labels: readonly [string, string][]): void {
    const byKey = this.labelIndex.get(resource);
    for (const [k, v] of labels) {
      const byValue = byKey?.get(k);
      const ids = byValue?.get(v);
      if (ids === undefined) continue;
      ids.delete(id);
      if (ids.size === 0) byValue!.delete(v);
      if (byValue!.size === 0) byKey!.delete(k);
    }
  }

  private rollbackTo(mark: Mark): void {
    const undo = this.undo!;
    for (let i = undo.length - 1; i >= mark.undo; i--) {
      const step = undo[i]!;
      if ('meta' in step) {
        if (step.prev === undefined) this.meta.delete(step.meta);
        else this.meta.set(step.meta, step.prev);
      } else {
        this.setEntry(step.resource, step.id, step.prev);
      }
    }
    undo.length = mark.undo;
    this.revision = mark.revision;
    this.events.length = mark.events;
  }

  /** Keeps at least `history` events, dropping the oldest in batches of `slack`. */
  private compact(): void {
    if (this.events.length <= this.history + this.slack) return;
    const drop = this.events.length - this.history;
    this.compacted = this.events[drop - 1]!.revision;
    this.events = this.events.slice(drop);
  }

  private assertOpen(): void {
    if (this.closed) throw closedError();
  }
}

function toStored(entry: Entry): StoredObject {
  return storedOf(entry.key, entry.revision, entry);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * What both store implementations share: key checks, the JSON encoding of objects, the label
 * extraction the label index is built from, the internal event record and the store errors.
 * Objects go in as JSON text (a caller keeps its object to itself) and come out decoded once per
 * revision and shared by every reader (`object-cache.ts`), so both implementations accept and
 * return exactly the same data.
 */

import { type DecodedCell, objectOf, storedOf } from './object-cache.js';
import {
  type KubeObject,
  type ObjectKey,
  type StoredObject,
  StoreError,
  type WatchEvent,
  type WatchEventType,
} from './types.js';

/** How many events `eventsSince` can reach back by default. */
export const DEFAULT_EVENT_HISTORY = 10_000;

/** Options shared by both stores. */
export interface StoreOptions {
  /**
   * How many of the latest events `eventsSince` can always reach; older ones are compacted
   * away (in batches of a tenth of this, so slightly more may be kept).
   * @default 10_000
   */
  readonly eventHistory?: number;
  /**
   * Told about a `subscribe` listener that threw. The write it was called for has committed
   * regardless, and the other listeners still get the event.
   * @default rethrows the error asynchronously, so it surfaces as an uncaught exception
   */
  readonly onListenerError?: (error: unknown) => void;
}

/**
 * One change as the stores keep it: the object stays JSON text until someone reads it, and is
 * then decoded once for every reader of that revision (`cell` is shared with the store's own
 * record of the object where it has one).
 */
export interface EventRecord {
  readonly type: WatchEventType;
  readonly key: ObjectKey;
  readonly cell: DecodedCell;
  readonly revision: number;
}

/** Checks the history option and returns the history size and the compaction batch size. */
export function historyOf(options: StoreOptions | undefined): { history: number; slack: number } {
  const history = options?.eventHistory ?? DEFAULT_EVENT_HISTORY;
  if (!Number.isSafeInteger(history) || history < 1) {
    throw new RangeError(`eventHistory must be a positive integer, not ${history}`);
  }
  return { history, slack: Math.ceil(history / 10) };
}

/** Validates a key and returns a frozen copy the store may keep and hand out. */
export function ownKey(key: ObjectKey): ObjectKey {
  const { resource, namespace, name } = key;
  if (typeof resource !== 'string' || resource === '' || resource.includes('\0')) {
    throw new TypeError(`invalid resource ${JSON.stringify(resource)} in store key`);
  }
  if (typeof namespace !== 'string' || namespace.includes('\0')) {
    throw new TypeError(`invalid namespace ${JSON.stringify(namespace)} in store key`);
  }
  if (typeof name !== 'string' || name === '' || name.includes('\0')) {
    throw new TypeError(`invalid name ${JSON.stringify(name)} in store key`);
  }
  return Object.freeze({ resource, namespace, name });
}

/** `pods "default/web"`, `nodes "node-1"`: a key as messages name it. */
export function describeKey(key: ObjectKey): string {
  const id = key.namespace === '' ? key.name : `${key.namespace}/${key.name}`;
  return `${key.resource} "${id}"`;
}

/** Serialises an object for storage; only JSON survives (as it would through etcd). */
export function encodeObject(object: KubeObject): string {
  if (object === null || typeof object !== 'object' || Array.isArray(object)) {
    throw new TypeError('a stored object must be a JSON object');
  }
  return JSON.stringify(object);
}

/** The indexed labels of an object: the string values of `metadata.labels`, sorted by key. */
export function labelsOf(object: KubeObject): [string, string][] {
  const metadata = own(object, 'metadata');
  const labels = metadata === undefined ? undefined : own(metadata, 'labels');
  if (labels === undefined) return [];
  const out: [string, string][] = [];
  for (const k of Object.keys(labels).sort()) {
    const v = labels[k];
    if (typeof v === 'string') out.push([k, v]);
  }
  return out;
}

/** Whether label pairs (as {@link labelsOf} gives them) include every pair of `selector`. */
export function matchesSelector(
  labels: readonly (readonly [string, string])[],
  selector: readonly (readonly [string, string])[],
): boolean {
  return selector.every(([k, v]) => labels.some(([lk, lv]) => lk === k && lv === v));
}

/** The entries of a `labelEquals` option, sorted by key (empty when there is none). */
export function selectorOf(labelEquals: Readonly<Record<string, string>> | undefined): [string, string][] {
  if (labelEquals === undefined) return [];
  return Object.keys(labelEquals)
    .sort()
    .map((k) => [k, String(labelEquals[k])]);
}

function own(obj: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  if (!Object.hasOwn(obj, key)) return undefined;
  const v = obj[key];
  return v !== null && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

/**
 * A stored object whose `object` is decoded on first read (and then kept): callers that only
 * look at keys and revisions never pay for the JSON parse. The object is shared: do not change it.
 */
export function lazyStored(key: ObjectKey, text: string, revision: number): StoredObject {
  return storedOf(key, revision, { text });
}

/** A watch event; its object is decoded once and shared by every listener of the event. */
export function toWatchEvent(record: EventRecord): WatchEvent {
  const cell = record.cell;
  return {
    type: record.type,
    key: record.key,
    revision: record.revision,
    get object(): KubeObject {
      return objectOf(cell);
    },
  };
}

/**
 * The events of a log (revisions strictly increasing) after `revision`, optionally of one
 * resource, appended to `out`: a binary search for the first, then a scan.
 */
export function eventsAfter(
  log: readonly EventRecord[],
  revision: number,
  resource: string | undefined,
  out: WatchEvent[] = [],
): WatchEvent[] {
  let lo = 0;
  let hi = log.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (log[mid]!.revision <= revision) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < log.length; i++) {
    const record = log[i]!;
    if (resource === undefined || record.key.resource === resource) out.push(toWatchEvent(record));
  }
  return out;
}

/** Refuses an async transaction body: the store is synchronous, so it would commit too early. */
export function assertSync(result: unknown): void {
  if (result !== null && typeof result === 'object' && typeof Reflect.get(result, 'then') === 'function') {
    throw new TypeError('a store transaction function must be synchronous (it returned a promise)');
  }
}

/** `AlreadyExists` for a create on a taken key. */
export function alreadyExists(key: ObjectKey): StoreError {
  return new StoreError('AlreadyExists', `${describeKey(key)} already exists`);
}

/** `NotFound` for an update or delete of a missing key. */
export function notFound(key: ObjectKey): StoreError {
  return new StoreError('NotFound', `${describeKey(key)} not found`);
}

/** `Conflict` for a write whose expected revision is stale. */
export function conflict(key: ObjectKey, stored: number, expected: number): StoreError {
  return new StoreError(
    'Conflict',
    `${describeKey(key)} has been modified: revision ${stored}, expected ${expected}`,
  );
}

/** `Expired` for an `eventsSince` older than the kept history (Kubernetes' 410 Gone). */
export function expired(revision: number, compacted: number): StoreError {
  return new StoreError(
    'Expired',
    `too old resource version: ${revision} (events up to revision ${compacted} were compacted)`,
  );
}

/** Checks an `expectedRevision` argument; throws `Conflict` when it differs from `stored`. */
export function checkRevision(key: ObjectKey, stored: number, expected: number | undefined): void {
  if (expected !== undefined && expected !== stored) throw conflict(key, stored, expected);
}

/** The error of any call on a closed store. */
export function closedError(): Error {
  return new Error('the object store is closed');
}

/**
 * Decoded objects shared between readers. A stored object is decoded from its JSON text once
 * per revision and the same value is handed to every reader after that (the API layer, the
 * controllers, every watch listener), as an informer cache shares its objects: readers must not
 * change what they get (they copy first). Under the test runner every decoded object is deeply
 * frozen, so a reader that changes one fails loudly instead of corrupting what others see.
 *
 * `ObjectCache` is the SQLite store's bounded, least-recently-used map from key to its latest
 * known row (revision, row id, label JSON, text, decoded object), so hot objects are neither read
 * back from SQLite nor parsed again. The store keeps it exact: it records its own writes, drops
 * everything when another connection commits or a transaction rolls back.
 */

import type { KubeObject, ObjectKey, StoredObject } from './types.js';

/**
 * Freeze what is decoded: on under the test runner (vitest sets VITEST), or with
 * BOSUN_FREEZE_OBJECTS=1. Freezing costs a walk per decode, so production runs skip it.
 */
const FREEZE = process.env['VITEST'] !== undefined || process.env['BOSUN_FREEZE_OBJECTS'] === '1';

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  if (Array.isArray(value)) for (const item of value) deepFreeze(item);
  else for (const key in value) deepFreeze((value as Record<string, unknown>)[key]);
}

/**
 * The one empty object that stands for every `{}` in shared objects. A pod's managedFields alone
 * hold about seventy (`"f:name": {}`), more than half of its objects and 40% of its memory.
 * Frozen, as all shared values are under tests: readers never change what they get.
 */
const EMPTY: KubeObject = Object.freeze({});

/** Decodes stored JSON text into a shared, read-only object. */
export function decodeShared(text: string): KubeObject {
  const object = JSON.parse(text) as KubeObject;
  plainJson(object, 0, true);
  if (FREEZE) deepFreeze(object);
  return object;
}

/**
 * Whether `value` is exactly what decoding its JSON text would give back: plain objects and
 * arrays of strings, finite numbers, booleans and null, no undefined anywhere, no `__proto__`
 * key. A write of such an object can hand the object itself to readers instead of decoding it
 * again.
 */
export function isPlainJson(value: unknown): boolean {
  return plainJson(value, 0, false);
}

/** {@link isPlainJson}; with `share`, also puts {@link EMPTY} in place of each empty object in `value`. */
function plainJson(value: unknown, depth: number, share: boolean): boolean {
  if (value === null) return true;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object':
      break;
    default:
      return false;
  }
  if (depth > 64) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) return false;
      const item: unknown = value[i];
      if (share && item !== EMPTY && isEmptyObject(item)) {
        if (!Object.isFrozen(value)) value[i] = EMPTY;
      } else if (!plainJson(item, depth + 1, share)) return false;
    }
    return true;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (!Object.hasOwn(record, key) || key === '__proto__') return false;
    const item = record[key];
    if (share && item !== EMPTY && isEmptyObject(item)) {
      if (!Object.isFrozen(record)) record[key] = EMPTY;
    } else if (!plainJson(item, depth + 1, share)) return false;
  }
  return true;
}

/** Whether `value` is a plain object without properties (`{}` in JSON). */
function isEmptyObject(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const _ in value) return false;
  return true;
}

/**
 * A cell for an object being written as `text`. When the object is plain JSON it becomes the
 * shared value at once (frozen under tests): the writer hands it over and must not change it.
 * Its empty objects become the shared {@link EMPTY}.
 */
export function writtenCell(text: string, object: KubeObject): DecodedCell {
  if (!plainJson(object, 0, true)) return { text };
  if (FREEZE) deepFreeze(object);
  return { text, object };
}

/**
 * Like {@link writtenCell}, for a store that has already written the text away: the cell keeps
 * only the object when it has it (the text is most of a cached object's memory), else the text
 * until the first read decodes it.
 */
export function transientCell(text: string, object: KubeObject): DecodedCell {
  const cell = writtenCell(text, object);
  return cell.object === undefined ? { text, transient: true } : { object: cell.object, transient: true };
}

/**
 * One object at one revision: its text, and its decoded value once someone read it. A
 * `transient` cell lets its text go once it is decoded (it always has one of the two).
 */
export interface DecodedCell {
  text?: string;
  object?: KubeObject;
  readonly transient?: boolean;
}

/** The decoded value of a cell, decoding it on first use. */
export function objectOf(cell: DecodedCell): KubeObject {
  if (cell.object === undefined) {
    cell.object = decodeShared(cell.text!);
    if (cell.transient) cell.text = undefined;
  }
  return cell.object;
}

/** The JSON text of a cell (encoded again when only the object is left: JSON round-trips). */
export function textOf(cell: DecodedCell): string {
  return cell.text ?? JSON.stringify(cell.object);
}

/** A `StoredObject` whose `object` is the cell's shared value, decoded on first read. */
export function storedOf(key: ObjectKey, revision: number, cell: DecodedCell): StoredObject {
  return {
    key,
    revision,
    get object(): KubeObject {
      return objectOf(cell);
    },
  };
}

/** What the SQLite store knows about one object's current row. */
export interface CachedRow extends DecodedCell {
  readonly key: ObjectKey;
  readonly id: number;
  readonly revision: number;
  /** The `objects.labels` column: the indexed label pairs as JSON. */
  readonly labels: string;
}

/** The cache key of an object key. */
export const cacheIdOf = (key: ObjectKey): string => `${key.resource}\0${key.namespace}\0${key.name}`;

/**
 * A bounded map of the latest rows of recently used objects, in two generations: rows are added
 * to the young one; when it is full it becomes the old one and the old one is dropped whole; a
 * row read from the old generation moves back to the young. Nearly least-recently-used, at the
 * cost of one map lookup per read (a strict LRU re-inserts on every read).
 */
export class ObjectCache {
  private young = new Map<string, CachedRow>();
  private old = new Map<string, CachedRow>();
  /** Rows per generation: at most twice this many are kept. */
  private readonly generation: number;

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 0) {
      throw new RangeError(`object cache capacity must be a non-negative integer, not ${capacity}`);
    }
    this.generation = Math.ceil(capacity / 2);
  }

  get size(): number {
    let n = this.young.size;
    for (const id of this.old.keys()) if (!this.young.has(id)) n++;
    return n;
  }

  /** The cached row of `id`, marked as just used. */
  get(id: string): CachedRow | undefined {
    const row = this.young.get(id);
    if (row !== undefined) return row;
    const older = this.old.get(id);
    if (older !== undefined) this.put(id, older);
    return older;
  }

  /** Records the current row of `id`, dropping the oldest rows when full. */
  set(id: string, row: CachedRow): void {
    if (this.capacity === 0) return;
    this.old.delete(id);
    this.put(id, row);
  }

  delete(id: string): void {
    this.young.delete(id);
    this.old.delete(id);
  }

  clear(): void {
    this.young.clear();
    this.old.clear();
  }

  private put(id: string, row: CachedRow): void {
    if (!this.young.has(id) && this.young.size >= this.generation) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(id, row);
  }
}

/**
 * The row writes of the SQLite store, behind one interface with two ends: the prepared
 * statements of the store's own connection, or a log of the same writes (a flat array) that the
 * writer thread replays on its connection (`sqlite-writer.ts`) while the store goes on.
 */

import type { Statements } from './sqlite-statements.js';

/** The row writes a store transaction makes (arguments in the order of their SQL). */
export interface RowWriter {
  /** Inserts an object row and returns its id. */
  insert(resource: string, namespace: string, name: string, revision: number, labels: string): number;
  insertWithId(
    id: number,
    resource: string,
    namespace: string,
    name: string,
    revision: number,
    labels: string,
  ): void;
  update(revision: number, labels: string, id: number): void;
  remove(id: number): void;
  insertLabel(
    resource: string,
    key: string,
    value: string,
    namespace: string,
    name: string,
    id: number,
  ): void;
  removeLabel(resource: string, key: string, value: string, namespace: string, name: string): void;
  insertEvent(
    revision: number,
    type: string,
    resource: string,
    namespace: string,
    name: string,
    data: string,
  ): void;
  removeEvent(revision: number): void;
  compact(from: number, to: number): void;
  setState(revision: number, compacted: number): void;
  setMeta(name: string, value: string): void;
  deleteMeta(name: string): void;
}

/** How many arguments each logged write takes; its op code is its place in {@link LOGGED_WRITES}. */
const ARITY = {
  insertWithId: 6,
  update: 3,
  remove: 1,
  insertLabel: 6,
  removeLabel: 5,
  insertEvent: 6,
  removeEvent: 1,
  compact: 2,
  setState: 2,
  setMeta: 2,
  deleteMeta: 1,
} as const satisfies Partial<Record<keyof Statements, number>>;

/** The statements a log replays, by op code, with their argument counts. */
export const LOGGED_WRITES = Object.entries(ARITY) as [keyof typeof ARITY, number][];

const CODE = Object.fromEntries(LOGGED_WRITES.map(([name], code) => [name, code])) as Record<
  keyof typeof ARITY,
  number
>;

/** Runs the writes on a connection's prepared statements. */
export function statementWriter(s: Statements): RowWriter {
  return {
    insert: (resource, namespace, name, revision, labels) =>
      Number(s.insert.run(resource, namespace, name, revision, labels).lastInsertRowid),
    insertWithId: (id, resource, namespace, name, revision, labels) =>
      void s.insertWithId.run(id, resource, namespace, name, revision, labels),
    update: (revision, labels, id) => void s.update.run(revision, labels, id),
    remove: (id) => void s.remove.run(id),
    insertLabel: (resource, key, value, namespace, name, id) =>
      void s.insertLabel.run(resource, key, value, namespace, name, id),
    removeLabel: (resource, key, value, namespace, name) =>
      void s.removeLabel.run(resource, key, value, namespace, name),
    insertEvent: (revision, type, resource, namespace, name, data) =>
      void s.insertEvent.run(revision, type, resource, namespace, name, data),
    removeEvent: (revision) => void s.removeEvent.run(revision),
    compact: (from, to) => void s.compact.run(from, to),
    setState: (revision, compacted) => void s.setState.run(revision, compacted),
    setMeta: (name, value) => void s.setMeta.run(name, value),
    deleteMeta: (name) => void s.deleteMeta.run(name),
  };
}

/**
 * Logs the writes as one flat array (`[code, ...arguments, code, ...]`): cheap to build and to
 * copy to the writer thread. Inserts take ids from `nextId`, as the writer holds the write lock
 * from the moment it read the largest id.
 */
export class OpLog implements RowWriter {
  ops: unknown[] = [];

  constructor(public nextId: number) {}

  /** A point to truncate back to. */
  mark(): number {
    return this.ops.length;
  }

  truncate(mark: number): void {
    this.ops.length = mark;
  }

  /** Hands over the logged writes and starts a new log. */
  take(): unknown[] {
    const ops = this.ops;
    this.ops = [];
    return ops;
  }

  insert(resource: string, namespace: string, name: string, revision: number, labels: string): number {
    const id = this.nextId++;
    this.ops.push(CODE.insertWithId, id, resource, namespace, name, revision, labels);
    return id;
  }

  insertWithId(
    id: number,
    resource: string,
    namespace: string,
    name: string,
    revision: number,
    labels: string,
  ): void {
    this.ops.push(CODE.insertWithId, id, resource, namespace, name, revision, labels);
  }

  update(revision: number, labels: string, id: number): void {
    this.ops.push(CODE.update, revision, labels, id);
  }

  remove(id: number): void {
    this.ops.push(CODE.remove, id);
  }

  insertLabel(
    resource: string,
    key: string,
    value: string,
    namespace: string,
    name: string,
    id: number,
  ): void {
    this.ops.push(CODE.insertLabel, resource, key, value, namespace, name, id);
  }

  removeLabel(resource: string, key: string, value: string, namespace: string, name: string): void {
    this.ops.push(CODE.removeLabel, resource, key, value, namespace, name);
  }

  insertEvent(
    revision: number,
    type: string,
    resource: string,
    namespace: string,
    name: string,
    data: string,
  ): void {
    this.ops.push(CODE.insertEvent, revision, type, resource, namespace, name, data);
  }

  removeEvent(revision: number): void {
    this.ops.push(CODE.removeEvent, revision);
  }

  compact(from: number, to: number): void {
    this.ops.push(CODE.compact, from, to);
  }

  setState(revision: number, compacted: number): void {
    this.ops.push(CODE.setState, revision, compacted);
  }

  setMeta(name: string, value: string): void {
    this.ops.push(CODE.setMeta, name, value);
  }

  deleteMeta(name: string): void {
    this.ops.push(CODE.deleteMeta, name);
  }
}

/**
 * The memory driver (`pkg/storage/driver/memory.go`): revisions kept in this process, per
 * namespace, with the same labels the Secret driver writes, so both answer queries alike. It
 * serves tests and commands that must not touch a cluster (`template`, dry runs).
 */

import { ReleaseExistsError, ReleaseNotFoundError } from '../internal/errors.js';
import type { Release } from '../release/release.js';
import type { Driver, ReleaseQuery } from './driver.js';
import {
  ambiguousKeyError,
  assertNoSystemLabels,
  matchesLabels,
  queryLabels,
  storageLabels,
  userLabels,
} from './labels.js';

/** One stored revision. */
interface MemoryRecord {
  readonly namespace: string;
  readonly key: string;
  readonly release: Release;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * Revisions in memory. Releases are deep-copied on the way in and out, so callers may mutate
 * what they stored or got back without changing the store (as with a real cluster).
 */
export class MemoryDriver implements Driver {
  readonly name = 'Memory';
  /** Namespace → key → record; shared by the views `withNamespace` makes. */
  private byNamespace = new Map<string, Map<string, MemoryRecord>>();

  /** `namespace` `''` sees every namespace (get, list and query across all of them). */
  constructor(readonly namespace = 'default') {}

  /**
   * A driver over the same records seen from another namespace (`''` for all of them), as Helm's
   * `Memory.SetNamespace` switches one store between namespaces.
   */
  withNamespace(namespace: string): MemoryDriver {
    const view = new MemoryDriver(namespace);
    view.byNamespace = this.byNamespace;
    return view;
  }

  async get(key: string): Promise<Release> {
    return this.output(this.find(key));
  }

  async list(filter: (release: Release) => boolean): Promise<Release[]> {
    return this.records()
      .map((r) => this.output(r))
      .filter((r) => filter(r));
  }

  async query(query: ReleaseQuery): Promise<Release[]> {
    const wanted = queryLabels(query);
    const hits = this.records().filter((r) => matchesLabels(r.labels, wanted));
    if (hits.length === 0) throw new ReleaseNotFoundError();
    return hits.map((r) => this.output(r));
  }

  async create(key: string, release: Release): Promise<void> {
    assertNoSystemLabels(release.labels);
    const namespace = this.namespaceFor(release);
    const records = this.byNamespace.get(namespace) ?? new Map<string, MemoryRecord>();
    if (records.has(key)) throw new ReleaseExistsError();
    records.set(key, this.input(namespace, key, release));
    this.byNamespace.set(namespace, records);
  }

  async update(key: string, release: Release): Promise<void> {
    assertNoSystemLabels(release.labels);
    const namespace = this.namespaceFor(release);
    const records = this.byNamespace.get(namespace);
    if (!records?.has(key)) throw new ReleaseNotFoundError();
    records.set(key, this.input(namespace, key, release));
  }

  async delete(key: string): Promise<Release> {
    const record = this.find(key);
    this.byNamespace.get(record.namespace)?.delete(key);
    return this.output(record);
  }

  /** Where a revision is written: the driver's namespace, else the release's own. */
  private namespaceFor(release: Release): string {
    return this.namespace || release.namespace || 'default';
  }

  /** Every record this driver sees, ordered by namespace and key. */
  private records(): MemoryRecord[] {
    const out: MemoryRecord[] = [];
    const namespaces = this.namespace === '' ? [...this.byNamespace.keys()].sort() : [this.namespace];
    for (const ns of namespaces) {
      const records = this.byNamespace.get(ns);
      if (records) out.push(...[...records.values()].sort((a, b) => (a.key < b.key ? -1 : 1)));
    }
    return out;
  }

  private find(key: string): MemoryRecord {
    const hits = this.records().filter((r) => r.key === key);
    if (hits.length === 0) throw new ReleaseNotFoundError();
    if (hits.length > 1) {
      throw ambiguousKeyError(
        key,
        hits.map((h) => h.namespace),
      );
    }
    return hits[0]!;
  }

  private input(namespace: string, key: string, release: Release): MemoryRecord {
    const { labels: _labels, ...rest } = structuredClone(release);
    return { namespace, key, release: rest, labels: storageLabels(release) };
  }

  private output(record: MemoryRecord): Release {
    const labels = userLabels(record.labels);
    return { ...structuredClone(record.release), ...(labels ? { labels } : {}) };
  }
}

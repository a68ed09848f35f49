/**
 * Watches (§2.19) on the store's event log: from resourceVersion 0 (or none) a synthetic ADDED
 * per current object first, else every change after the given version; label and field
 * selectors apply, and an object that stops matching is reported DELETED (one that starts, ADDED).
 * A committed write in this process wakes the watch up; `poll()` picks up what other processes
 * sharing the store wrote. A watch that falls behind the kept history gets an ERROR 410 and ends.
 */

import { type KubeObject, type ObjectStore, StoreError, type WatchEvent } from '../../store/types.js';
import { type KindInfo, resourceKeyOf } from '../types.js';
import { badRequest, expired } from './api-errors.js';
import { type FieldSelector, matchesFields } from './field-selector.js';
import { labelsOf } from './json-values.js';
import { type LabelSelector, labelEqualityTerms, matchesLabels } from './label-selector.js';
import { stampRevision } from './object-stamps.js';

/** One change a watch reports. */
export interface ApiWatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'ERROR';
  /** The object (for DELETED its last state; for ERROR a `Status`). */
  readonly object: KubeObject;
}

/** A running watch. */
export interface WatchHandle {
  /** Stops delivery (idempotent). */
  stop(): void;
  /** Delivers changes committed by other processes since the last delivery. */
  poll(): void;
  /** The revision of the last change seen. */
  readonly resourceVersion: string;
}

/** What a watch selects. */
export interface WatchSelection {
  readonly namespace?: string;
  readonly resourceVersion?: string;
  readonly labelSelector: LabelSelector;
  readonly fieldSelector: FieldSelector;
}

/** Starts a watch on one resource; throws 410 Expired when `resourceVersion` is too old. */
export function startWatch(
  store: ObjectStore,
  info: KindInfo,
  selection: WatchSelection,
  listener: (event: ApiWatchEvent) => void,
): WatchHandle {
  const resource = resourceKeyOf(info);
  const namespace = info.scope === 'Namespaced' ? selection.namespace : undefined;
  const matches = (object: KubeObject) =>
    matchesLabels(selection.labelSelector, labelsOf(object)) &&
    matchesFields(resource, selection.fieldSelector, object);
  // Objects currently reported as present; authoritative only when the watch began with a list.
  const present = new Set<string>();
  let complete = false;
  let last = 0;
  let stopped = false;
  let pumping = false;
  let again = false;

  const handle = (e: WatchEvent): void => {
    if (namespace !== undefined && e.key.namespace !== namespace) return;
    const id = `${e.key.namespace}\0${e.key.name}`;
    const object = stampRevision(e);
    const was = present.has(id);
    if (e.type === 'DELETED') {
      present.delete(id);
      if (was || (!complete && matches(object))) listener({ type: 'DELETED', object });
      return;
    }
    if (matches(object)) {
      present.add(id);
      listener({ type: was || (!complete && e.type === 'MODIFIED') ? 'MODIFIED' : 'ADDED', object });
    } else if (was) {
      present.delete(id);
      listener({ type: 'DELETED', object });
    }
  };

  const pump = (): void => {
    if (stopped) return;
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    try {
      do {
        again = false;
        let events: WatchEvent[];
        try {
          events = store.eventsSince(last, resource);
        } catch (error) {
          if (!(error instanceof StoreError && error.reason === 'Expired')) throw error;
          const status = expired(`too old resource version: ${last} (${store.currentRevision()})`).status;
          stop();
          listener({ type: 'ERROR', object: { ...status } });
          return;
        }
        for (const e of events) {
          if (stopped) return;
          last = e.revision;
          handle(e);
        }
      } while (again && !stopped);
    } finally {
      pumping = false;
    }
  };

  const unsubscribe = store.subscribe((e) => {
    if (e.key.resource === resource) pump();
  });
  const stop = (): void => {
    stopped = true;
    unsubscribe();
  };

  const rv = selection.resourceVersion;
  if (rv === undefined || rv === '' || rv === '0') {
    const labelEquals = labelEqualityTerms(selection.labelSelector);
    const listed = store.list(resource, {
      ...(namespace === undefined ? {} : { namespace }),
      ...(labelEquals ? { labelEquals } : {}),
    });
    last = listed.revision;
    complete = true;
    for (const item of listed.items) {
      const object = stampRevision(item);
      if (!matches(object)) continue;
      present.add(`${item.key.namespace}\0${item.key.name}`);
      listener({ type: 'ADDED', object });
    }
  } else {
    if (!/^\d+$/.test(rv)) {
      unsubscribe();
      throw badRequest(`invalid resource version: ${JSON.stringify(rv)}`);
    }
    last = Number(rv);
    try {
      store.eventsSince(last, resource);
    } catch (error) {
      unsubscribe();
      if (error instanceof StoreError && error.reason === 'Expired') {
        throw expired(`too old resource version: ${rv} (${store.currentRevision()})`);
      }
      throw error;
    }
  }
  pump();
  return {
    stop,
    poll: pump,
    get resourceVersion() {
      return String(last);
    },
  };
}

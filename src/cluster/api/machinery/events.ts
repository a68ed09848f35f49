/**
 * Records core/v1 Events about objects, as client-go's event recorder does: a new event names
 * the object and when it happened; the same event again (same object, type, reason, message and
 * source) bumps `count` and `lastTimestamp` of the first. Recording is best effort: a refused
 * event is dropped, never an error for the caller. `kubectl describe` shows them.
 */

import type { KubeObject } from '../../store/types.js';
import { ApiError } from '../types.js';
import type { ClusterApi } from './cluster-api.js';
import { getOwn, metaString } from './json-values.js';
import { rfc3339 } from './object-stamps.js';

/** How many distinct recent events a recorder remembers for counting repeats. */
const MAX_REMEMBERED = 4096;

/** An event's type. */
export type EventType = 'Normal' | 'Warning';

/** Who records. */
export interface EventRecorderOptions {
  readonly api: ClusterApi;
  /** `source.component` and `reportingComponent`, e.g. `deployment-controller`, `kubelet`. */
  readonly component: string;
  /** `source.host` (a node name, for the kubelet). */
  readonly host?: string;
  readonly clock: () => Date;
}

/** Records Events for one component. */
export class EventRecorder {
  /** Recent events, for counting repeats: two generations, the older dropped as a whole. */
  private recorded = new Map<string, { namespace: string; name: string }>();
  private olderRecorded = new Map<string, { namespace: string; name: string }>();
  /** The name suffixes used at the current instant per involved object, so its events do not collide. */
  private readonly stamps = new Map<string, bigint>();
  private stampInstant = -1n;

  constructor(private readonly options: EventRecorderOptions) {}

  /**
   * Records (or counts again) an event about `involved`; returns the Event, or undefined when it
   * could not be stored. `fieldPath` names a part of the object (`spec.containers{web}`).
   */
  record(
    involved: KubeObject,
    type: EventType,
    reason: string,
    message: string,
    fieldPath?: string,
  ): KubeObject | undefined {
    const { api, component, host, clock } = this.options;
    const objectNamespace = metaString(involved, 'namespace');
    // Events about cluster-scoped objects (nodes) live in `default`.
    const namespace = objectNamespace || 'default';
    const involvedObject = {
      kind: String(getOwn(involved, 'kind') ?? ''),
      ...(objectNamespace === '' ? {} : { namespace: objectNamespace }),
      name: metaString(involved, 'name'),
      uid: metaString(involved, 'uid'),
      apiVersion: String(getOwn(involved, 'apiVersion') ?? ''),
      resourceVersion: metaString(involved, 'resourceVersion'),
      ...(fieldPath === undefined ? {} : { fieldPath }),
    };
    const key = JSON.stringify([
      involvedObject.kind,
      namespace,
      involvedObject.name,
      involvedObject.uid,
      fieldPath,
      type,
      reason,
      message,
      component,
      host,
    ]);
    const now = clock();
    const timestamp = rfc3339(now);
    try {
      const seen = this.recorded.get(key) ?? this.olderRecorded.get(key);
      if (seen !== undefined) {
        const existing = this.find(seen.namespace, seen.name);
        if (existing !== undefined) {
          const count = typeof existing.count === 'number' ? existing.count + 1 : 2;
          return api.update(
            { ...existing, count, lastTimestamp: timestamp },
            { fieldManager: component, trusted: true },
          );
        }
      }
      let nanos = BigInt(now.getTime()) * 1_000_000n;
      if (nanos !== this.stampInstant) {
        this.stamps.clear();
        this.stampInstant = nanos;
      }
      const stampKey = `${namespace}/${involvedObject.name}`;
      const last = this.stamps.get(stampKey);
      if (last !== undefined) nanos = last + 1n;
      for (let attempt = 0n; attempt < 16n; attempt++) {
        const name = `${involvedObject.name}.${(nanos + attempt).toString(16)}`;
        try {
          const event = api.create(
            {
              apiVersion: 'v1',
              kind: 'Event',
              metadata: { name, namespace },
              involvedObject,
              reason,
              message,
              source: { component, ...(host === undefined ? {} : { host }) },
              firstTimestamp: timestamp,
              lastTimestamp: timestamp,
              count: 1,
              type,
              eventTime: null,
              reportingComponent: component,
              reportingInstance: host ?? '',
            },
            { fieldManager: component, trusted: true },
          );
          this.recorded.set(key, { namespace, name });
          // Like client-go's event cache, remember a bounded number of recent events.
          if (this.recorded.size >= MAX_REMEMBERED) {
            this.olderRecorded = this.recorded;
            this.recorded = new Map();
          }
          this.stamps.set(stampKey, nanos + attempt);
          return event;
        } catch (error) {
          if (!(error instanceof ApiError && error.reason === 'AlreadyExists')) throw error;
        }
      }
      return undefined;
    } catch (error) {
      if (error instanceof ApiError) return undefined;
      throw error;
    }
  }

  private find(namespace: string, name: string): KubeObject | undefined {
    try {
      return this.options.api.get('events', namespace, name);
    } catch (error) {
      if (error instanceof ApiError && error.reason === 'NotFound') return undefined;
      throw error;
    }
  }
}

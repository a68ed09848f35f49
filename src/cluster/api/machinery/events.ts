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
  /**
   * The name suffixes taken at the current instant, shared by the recorders of one process so
   * that two components recording about one object at one instant (the scheduler's `Scheduled`
   * and the kubelet's `Pulling`) pick different names instead of colliding and retrying.
   * @default the recorder's own
   */
  readonly stamps?: EventStamps;
}

/**
 * Event name suffixes (`<object>.<hex nanoseconds>`) used at the current instant per involved
 * object: the next event about the object at that instant takes the next nanosecond.
 */
export class EventStamps {
  private readonly last = new Map<string, bigint>();
  private instant = -1n;

  /** The first suffix to try for an event about `object` at `nanos`. */
  first(object: string, nanos: bigint): bigint {
    if (nanos !== this.instant) {
      this.last.clear();
      this.instant = nanos;
    }
    const last = this.last.get(object);
    return last === undefined ? nanos : last + 1n;
  }

  /** Notes that an event about `object` took `suffix`. */
  taken(object: string, suffix: bigint): void {
    this.last.set(object, suffix);
  }
}

/** Records Events for one component. */
export class EventRecorder {
  /** Recent events, for counting repeats: two generations, the older dropped as a whole. */
  /**
   * Keyed by a 53-bit hash of what makes two events the same (object, type, reason, message,
   * source): a kubelet of a large cluster remembers thousands, and the full text would be most
   * of its memory. A collision (about one in 10^12 at this size) would count an event as a repeat.
   */
  private recorded = new Map<number, { namespace: string; name: string }>();
  private olderRecorded = new Map<number, { namespace: string; name: string }>();
  private readonly stamps: EventStamps;

  constructor(private readonly options: EventRecorderOptions) {
    this.stamps = options.stamps ?? new EventStamps();
  }

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
    const key = hash53(
      [
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
      ].join('\0'),
    );
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
      const stampKey = `${namespace}/${involvedObject.name}`;
      const nanos = this.stamps.first(stampKey, BigInt(now.getTime()) * 1_000_000n);
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
          this.stamps.taken(stampKey, nanos + attempt);
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

/** A 53-bit string hash (cyrb53: two 32-bit multiply-xor lanes), for map keys that need not be the text. */
function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

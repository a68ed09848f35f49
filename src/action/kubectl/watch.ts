/**
 * `kubectl get -w`: after the listing of {@link GetAction}, follows each listed kind with a watch
 * from the listing's resourceVersion (same namespace and selectors; for named objects, only
 * those names) and hands every ADDED, MODIFIED or DELETED object over as one event, with the
 * server's one-row Table when tables are printed. Other processes' writes are picked up by
 * polling; the waiting between polls and when to stop are the caller's.
 */

import {
  type KindDescriptor,
  KubeApiError,
  type KubeClient,
  type KubeObject,
  type KubeWatch,
  type KubeWatchEvent,
} from '../../kube/index.js';
import type { Table } from '../../kube/printing.js';
import { metaString } from './context.js';
import type { GetResult } from './get.js';

/** How often other processes' writes are looked for, in ms. */
export const WATCH_POLL_INTERVAL_MS = 250;

/** Options of {@link WatchAction}. */
export interface WatchActionOptions {
  readonly client: KubeClient;
  /** The namespace listed; ignored with `allNamespaces`. */
  readonly namespace: string;
  /** `-A`. @default false */
  readonly allNamespaces?: boolean;
  /** `-l`. */
  readonly labelSelector?: string;
  /** `--field-selector`. */
  readonly fieldSelector?: string;
  /** Fetch each event's one-row Table (for the table formats). @default true */
  readonly tables?: boolean;
  /** Waits `ms` milliseconds (between polls). */
  readonly sleep: (ms: number) => Promise<void>;
  /** Whether to stop following (interrupted, or the request timeout elapsed). */
  readonly stopped: () => boolean;
  /** @default {@link WATCH_POLL_INTERVAL_MS} */
  readonly pollIntervalMs?: number;
  /**
   * Lets the cluster play out what is pending once the watches run (the embedded cluster's
   * controllers), so the changes it makes stream as watch events. @default nothing
   */
  readonly settle?: () => Promise<void>;
}

/** One change `get -w` prints. */
export interface WatchedChange {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly kind: KindDescriptor;
  readonly object: KubeObject;
  /** The server's Table of `object` alone (when asked for). */
  readonly table?: Table;
}

interface Pending {
  readonly kind: KindDescriptor;
  readonly event: KubeWatchEvent;
  /** The event's Table, asked for as it arrives (ages read as at the time of the change). */
  readonly table?: Promise<Table>;
}

/** Follows what a `get` listed. */
export class WatchAction {
  constructor(private readonly options: WatchActionOptions) {}

  /**
   * Watches each group of `listed` from its resourceVersion and calls `onChange` for every change,
   * in order, until `stopped()`; rejects with the error of a watch that failed (e.g. 410 Expired).
   */
  async follow(listed: GetResult, onChange: (change: WatchedChange) => void | Promise<void>): Promise<void> {
    const { client, allNamespaces = false, tables = true, sleep, stopped } = this.options;
    const interval = this.options.pollIntervalMs ?? WATCH_POLL_INTERVAL_MS;
    const pending: Pending[] = [];
    const watches: KubeWatch[] = [];
    try {
      for (const group of listed.groups) {
        const { kind, names } = group;
        const wanted = new Set(names);
        const watch = await client.watch(
          kind,
          {
            ...(allNamespaces && names.length === 0 ? {} : { namespace: this.options.namespace }),
            ...(this.options.labelSelector ? { labelSelector: this.options.labelSelector } : {}),
            ...(this.options.fieldSelector ? { fieldSelector: this.options.fieldSelector } : {}),
            resourceVersion: group.resourceVersion,
          },
          (event) => {
            if (wanted.size > 0 && event.type !== 'ERROR' && !wanted.has(metaString(event.object, 'name')))
              return;
            const table = tables && event.type !== 'ERROR' ? client.table(kind, [event.object]) : undefined;
            // Awaited in order below; a failure must not count as unhandled meanwhile.
            table?.catch(() => {});
            pending.push({ kind, event, ...(table ? { table } : {}) });
          },
        );
        watches.push(watch);
      }
      await this.options.settle?.();
      for (;;) {
        while (pending.length > 0) {
          const { kind, event, table: asked } = pending.shift()!;
          if (event.type === 'ERROR') throw watchError(event.object);
          const table = asked ? await asked : undefined;
          await onChange({ type: event.type, kind, object: event.object, ...(table ? { table } : {}) });
        }
        if (stopped()) return;
        await sleep(interval);
        if (stopped()) return;
        for (const watch of watches) watch.poll();
      }
    } finally {
      for (const watch of watches) watch.stop();
    }
  }
}

/** The error an ERROR event's Status stands for. */
function watchError(status: KubeObject): Error {
  const code = typeof status['code'] === 'number' ? status['code'] : 500;
  const message = typeof status['message'] === 'string' ? status['message'] : 'watch failed';
  const reason = typeof status['reason'] === 'string' ? status['reason'] : '';
  return new KubeApiError({
    apiVersion: 'v1',
    kind: 'Status',
    metadata: {},
    status: 'Failure',
    code,
    message,
    reason,
  });
}

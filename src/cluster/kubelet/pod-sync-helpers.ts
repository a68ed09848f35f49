/**
 * What the steps of one pod sync share: the kubelet's timings and exit codes, the shapes of a
 * container slot and of a pending event, and a few pure helpers (container ids, image ids).
 */

import { isJsonObject, type JsonObject } from '../api/machinery/json-values.js';
import type { CatalogImage } from '../images/types.js';
import type { ControllerContext } from '../runtime/types.js';

export const obj = (v: unknown): JsonObject => (isJsonObject(v) ? v : {});
export const arr = (v: unknown): JsonObject[] => (Array.isArray(v) ? v.filter(isJsonObject) : []);
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The kubelet's pod worker resyncs a pod that failed this long after (`backOffPeriod`). */
export const SYNC_MS = 10_000;
/** The first back-off (pull and restart). */
export const BACKOFF_INITIAL_MS = 10_000;
/** The longest back-off. */
export const BACKOFF_MAX_MS = 300_000;
/** A back-off entry not touched for twice the longest back-off starts over. */
export const BACKOFF_RESET_MS = 2 * BACKOFF_MAX_MS;
/** Exit code of a process stopped by SIGTERM, and by SIGKILL. */
export const SIGTERM_EXIT = 143;
export const SIGKILL_EXIT = 137;
/** The default termination grace period. */
export const DEFAULT_GRACE_S = 30;

export type EventType = 'Normal' | 'Warning';
export interface PendingEvent {
  readonly type: EventType;
  readonly reason: string;
  readonly message: string;
  readonly fieldPath?: string;
}

/** A container of the pod being synced, with its status as it is being rewritten. */
export interface Slot {
  readonly name: string;
  readonly spec: JsonObject;
  readonly init: boolean;
  readonly sidecar: boolean;
  readonly fieldPath: string;
  status: JsonObject;
}

/** How a container stands after its sync. */
export type SlotOutcome = 'running' | 'started' | 'done' | 'stopped' | 'waiting' | 'pulling';

/** 64 hex digits from the cluster's generator (a container id). */
export function hex64(ctx: ControllerContext): string {
  return ctx.draw((random) => {
    let out = '';
    for (let i = 0; i < 8; i++) out += random.nextUint32().toString(16).padStart(8, '0');
    return out;
  });
}

/** How long a registry check of an image the node has takes (a stable 200–999 ms per container). */
export function quickPullMs(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193) >>> 0;
  return 200 + (h % 800);
}

/** The `imageID` the runtime reports: `docker.io/library/nginx@sha256:…`. */
export function imageIdOf(image: CatalogImage): string {
  const ref = image.reference;
  return `${ref.registry}/${ref.repository}@${image.digest}`;
}

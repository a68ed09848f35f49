/**
 * How stored objects and times look on the wire: `metadata.resourceVersion` from the store
 * revision, timestamps in RFC 3339 with second precision.
 */

import type { KubeObject, StoredObject } from '../../store/types.js';
import { isJsonObject } from './json-values.js';

/** The last second formatted, and its text: writes in a batch mostly share the instant. */
let lastSecond = Number.NaN;
let lastText = '';

/** RFC 3339 with second precision (`2024-05-01T10:00:00Z`). */
export function rfc3339(date: Date): string {
  const second = Math.floor(date.getTime() / 1000);
  if (second !== lastSecond) {
    lastText = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
    lastSecond = second;
  }
  return lastText;
}

/**
 * A copy of a stored object with `metadata.resourceVersion` set from its revision. Only the top
 * level and `metadata` are copied: deep-copy before changing anything below them.
 */
export function stampRevision(stored: Pick<StoredObject, 'object' | 'revision'>): KubeObject {
  const metadata = isJsonObject(stored.object.metadata) ? stored.object.metadata : {};
  return { ...stored.object, metadata: { ...metadata, resourceVersion: String(stored.revision) } };
}

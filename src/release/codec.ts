/**
 * The release record codec (`pkg/storage/driver/util.go`): a revision is stored as
 * `base64(gzip(BestCompression)(json.Marshal(release)))`, and read back from that or, as Helm
 * still accepts for records written before compression, from base64 of plain JSON.
 *
 * The JSON is written the way Go's `encoding/json` writes Helm's structs, so a record bosun
 * stores reads the same in Helm and `kubectl get secret … | base64 -d | base64 -d | gunzip`
 * shows what Helm users expect: struct fields in declaration order, `omitempty`/`omitzero`
 * fields left out when empty, map keys sorted, `[]byte` as base64, and `<`, `>`, `&`, U+2028,
 * U+2029 escaped as `\u003c`… (Go's HTML-safe escaping); that writer is `release-json.ts`.
 *
 * Reading is defensive, since anyone who can write a Secret can hand us a record: the
 * decompressed size is capped (a gzip bomb is refused), keys that reach prototypes are refused,
 * and the shape is checked (`release-shape.ts`) so a broken record fails with an error naming
 * its key.
 */

import { gunzipSync, gzipSync } from 'node:zlib';
import { BosunError, LimitError } from '../internal/errors.js';
import { assertSafeTree } from '../internal/objects.js';
import type { Release } from './release.js';
import { releaseJson } from './release-json.js';
import { readRelease } from './release-shape.js';

export { releaseJson } from './release-json.js';
export { chartFromStored, storedChart } from './stored-chart.js';

/** Largest decompressed release JSON accepted when reading a record (a gzip bomb stops here). */
export const MAX_RELEASE_JSON_BYTES = 64 * 1024 * 1024;

/** A stored release record that cannot be read: corrupt base64, gzip or JSON, or the wrong shape. */
export class InvalidReleaseError extends BosunError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('IO', message, options);
  }
}

/** `base64(gzip(level 9)(JSON))`, what Helm stores (the Secret's data holds this text). */
export function encodeRelease(release: Release): string {
  return gzipSync(Buffer.from(releaseJson(release), 'utf8'), { level: 9 }).toString('base64');
}

// ---------------------------------------------------------------------------------------------
// Reading.

const GZIP_MAGIC = [0x1f, 0x8b, 0x08];
const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Reads a stored record: base64 of gzipped JSON, or base64 of plain JSON as Helm still accepts
 * for records written before compression (the gzip magic `1f 8b 08` decides); JSON text itself
 * (`{…}`, never valid base64) is read too. `key` names the record in errors:
 * `release "sh.helm.release.v1.x.v2": invalid release data: …`.
 */
export function decodeRelease(data: string, key?: string): Release {
  const where = key === undefined ? 'release' : `release ${JSON.stringify(key)}`;
  const fail = (detail: string, cause?: unknown) =>
    new InvalidReleaseError(
      `${where}: invalid release data: ${detail}`,
      cause === undefined ? undefined : { cause },
    );
  const text = data.replace(/[\r\n]/g, '');
  let bytes: Buffer;
  if (text.startsWith('{')) bytes = Buffer.from(text, 'utf8');
  else {
    if (text.length % 4 !== 0 || !BASE64_RE.test(text)) throw fail('not base64');
    bytes = Buffer.from(text, 'base64');
  }
  if (bytes.length > 3 && GZIP_MAGIC.every((b, i) => bytes[i] === b)) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: MAX_RELEASE_JSON_BYTES });
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
        throw new LimitError(
          `${where}: invalid release data: decompressed record is larger than ${MAX_RELEASE_JSON_BYTES} bytes`,
          { cause: err },
        );
      }
      throw fail(`gzip: ${(err as Error).message}`, err);
    }
  }
  if (bytes.length > MAX_RELEASE_JSON_BYTES) {
    throw new LimitError(
      `${where}: invalid release data: record is larger than ${MAX_RELEASE_JSON_BYTES} bytes`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw fail(`not JSON: ${(err as Error).message}`, err);
  }
  try {
    assertSafeTree(parsed, 'record');
    return readRelease(parsed);
  } catch (err) {
    throw fail((err as Error).message, err);
  }
}

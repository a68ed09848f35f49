/**
 * What every getter shares: reading a body under a byte cap while hashing it, digest checks,
 * and the one-line errors that name the URL.
 */

import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { ArchiveError, InvalidArgumentError, IoError, LimitError } from '../internal/errors.js';
import type { Fetched, GetOptions } from './types.js';

/**
 * Options of one download beyond the contract's {@link GetOptions}: where credentials may go,
 * TLS material, and cancellation.
 */
export interface FetchOptions extends GetOptions {
  /**
   * The repository URL the credentials belong to. As Helm's HTTP getter does, credentials are
   * only sent to that scheme and host (a chart URL on another host gets none) unless
   * `passCredentialsAll`. Absent: the credentials belong to the URL being fetched.
   */
  readonly repoUrl?: string;
  /** Send credentials to every host, also after a redirect (`--pass-credentials`). */
  readonly passCredentialsAll?: boolean;
  /** PEM bundle that verifies HTTPS servers (`--ca-file`). */
  readonly caFile?: string;
  /** Client certificate and key for mutual TLS (`--cert-file`, `--key-file`). */
  readonly certFile?: string;
  readonly keyFile?: string;
  /** Skip the server certificate check (`--insecure-skip-tls-verify`). */
  readonly insecureSkipTlsVerify?: boolean;
  /** Cancels the download (Ctrl-C). */
  readonly signal?: AbortSignal;
}

/** `sha256:` prefix some files (Chart.lock, provenance) put before a digest. */
const DIGEST_PREFIX = 'sha256:';

/**
 * A sha256 digest as 64 lowercase hex digits; accepts an optional `sha256:` prefix and upper
 * case. Anything else is refused (Helm fails later with `encoding/hex: invalid byte`).
 */
export function normalizeDigest(digest: string, what = 'download'): string {
  const hex = (digest.startsWith(DIGEST_PREFIX) ? digest.slice(DIGEST_PREFIX.length) : digest).toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) {
    throw new InvalidArgumentError(
      `invalid digest ${JSON.stringify(digest)} for ${what}: expected sha256 as 64 hex digits`,
    );
  }
  return hex;
}

/** The hex sha256 of `data`. */
export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Refuses a download whose computed digest is not the expected one. */
export function checkDigest(fetched: Fetched, options: GetOptions, url: string): Fetched {
  if (options.expectedDigest === undefined) return fetched;
  const what = options.what ?? url;
  const expected = normalizeDigest(options.expectedDigest, what);
  if (fetched.digest !== expected) {
    throw new ArchiveError(
      `digest mismatch for ${what}: expected sha256:${expected}, got sha256:${fetched.digest} ` +
        `(from ${url}; the repository's index and archive disagree, try 'bosun repo update')`,
    );
  }
  return fetched;
}

/** The error for a body over the cap. */
export function tooLarge(url: string, maxBytes: number): LimitError {
  return new LimitError(
    `fetching ${url}: response body is larger than the maximum size of ${maxBytes} bytes`,
  );
}

/** `2s`, `1.5s`, `250ms`, `2m0s`: a deadline as Go prints durations. */
export function formatDeadline(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const totalSeconds = ms / 1000;
  if (totalSeconds < 60) return `${totalSeconds}s`;
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds - minutes * 60;
  return minutes < 60 ? `${minutes}m${seconds}s` : `${Math.floor(minutes / 60)}h${minutes % 60}m${seconds}s`;
}

/** Options of {@link collectBody}. */
export interface CollectOptions {
  readonly url: string;
  readonly maxBytes: number;
  /** Ends the read early; the error is `abortReason()`. */
  readonly signal?: AbortSignal;
  readonly abortReason?: () => Error;
  /** Maps a stream error to the error reported. */
  readonly mapError?: (err: unknown) => Error;
}

/**
 * Reads a stream to its end, hashing every chunk as it arrives, and stops (destroying the
 * stream) as soon as more than `maxBytes` have come, the signal aborts, or the stream fails or
 * closes early. Memory stays bounded by the cap.
 */
export function collectBody(stream: Readable, options: CollectOptions): Promise<Fetched> {
  const { url, maxBytes, signal } = options;
  return new Promise<Fetched>((resolve, reject) => {
    const hash = createHash('sha256');
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const onAbort = () =>
      finish(options.abortReason?.() ?? new IoError(`fetching ${url}: the download was cancelled`));
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      signal?.removeEventListener('abort', onAbort);
      if (err) {
        stream.destroy();
        reject(err);
      } else {
        resolve({ data: Buffer.concat(chunks, size), digest: hash.digest('hex') });
      }
    };
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    stream.on('data', (chunk: Buffer | string) => {
      if (done) return;
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buf.length;
      if (size > maxBytes) {
        finish(tooLarge(url, maxBytes));
        return;
      }
      hash.update(buf);
      chunks.push(buf);
    });
    stream.on('end', () => finish());
    stream.on('error', (err) =>
      finish(options.mapError ? options.mapError(err) : new IoError(`fetching ${url}: ${err.message}`)),
    );
    stream.on('close', () =>
      finish(new IoError(`fetching ${url}: the connection closed before the whole body arrived`)),
    );
  });
}

/**
 * The `http://` and `https://` getter (Helm's `pkg/getter/httpgetter.go`), on axios with the
 * safe settings of security-and-faults §2.4:
 *
 * - a total deadline through an AbortController: axios' `timeout` is an idle timeout, so a
 *   server dripping one byte a second would otherwise never time out;
 * - `responseType: 'stream'`: the body is counted and hashed as it arrives and the read stops at
 *   the cap (decoded bytes, so a gzip bomb stops too); `maxContentLength` backs it up;
 * - at most `MAX_REDIRECTS` redirects, each re-checked: http and https only (never `file:`,
 *   `data:` or `ftp:`), credentials dropped when the origin changes unless pass-credentials;
 * - no proxy from the environment (`proxy: false`), no keep-alive sockets left behind, only a
 *   200 answer accepted.
 */

import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import axios, { type AxiosResponse } from 'axios';
import { BosunError, InvalidArgumentError, IoError, TimeoutError } from '../internal/errors.js';
import { BOSUN_VERSION } from '../internal/version.js';
import {
  checkDigest,
  collectBody,
  type FetchOptions,
  formatDeadline,
  normalizeDigest,
  tooLarge,
} from './getter-body.js';
import { DEFAULT_DEADLINE_MS, type Fetched, type Getter, MAX_CHART_BYTES, MAX_REDIRECTS } from './types.js';

/** Schemes a download or a redirect may use. */
const HTTP_SCHEMES = new Set(['http:', 'https:']);

/** The origin (`scheme://host:port`) of a URL, or undefined when it does not parse. */
function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** Reads a TLS file, with Helm's wording when it cannot be read. */
function tlsFile(file: string, flag: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new IoError(`can't create TLS config for client: ${flag} ${file}: ${(err as Error).message}`);
  }
}

/** The https agent for the TLS options (a fresh agent: no keep-alive sockets survive the call). */
function httpsAgent(options: FetchOptions): https.Agent {
  return new https.Agent({
    keepAlive: false,
    ...(options.caFile ? { ca: tlsFile(options.caFile, '--ca-file') } : {}),
    ...(options.certFile ? { cert: tlsFile(options.certFile, '--cert-file') } : {}),
    ...(options.keyFile ? { key: tlsFile(options.keyFile, '--key-file') } : {}),
    rejectUnauthorized: options.insecureSkipTlsVerify !== true,
  });
}

/** Deletes a header whatever its case. */
function deleteHeader(headers: Record<string, unknown> | undefined, name: string): void {
  if (!headers) return;
  for (const key of Object.keys(headers)) if (key.toLowerCase() === name) delete headers[key];
}

/** Axios' error code and message, for mapping. */
function axiosDetail(err: unknown): { code: string | undefined; message: string } {
  const e = err as { code?: string; message?: string; cause?: { message?: string } };
  return { code: e.code, message: e.cause?.message ?? e.message ?? String(err) };
}

/** Fetches `http(s)://` URLs. */
export class HttpGetter implements Getter {
  async get(url: string, options: FetchOptions = {}): Promise<Fetched> {
    const maxBytes = options.maxBytes ?? MAX_CHART_BYTES;
    const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new InvalidArgumentError(`invalid URL ${JSON.stringify(url)}`);
    }
    if (!HTTP_SCHEMES.has(parsed.protocol)) {
      throw new InvalidArgumentError(`could not find protocol handler for: ${parsed.protocol.slice(0, -1)}`);
    }
    // A malformed expected digest fails before any byte is fetched.
    if (options.expectedDigest !== undefined) normalizeDigest(options.expectedDigest, options.what ?? url);

    const headers: Record<string, string> = { 'User-Agent': `bosun/${BOSUN_VERSION}` };
    const origin = parsed.origin;
    const credentialsOrigin = options.repoUrl === undefined ? origin : originOf(options.repoUrl);
    const passAll = options.passCredentialsAll === true;
    const authorization =
      options.username && options.password
        ? `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`
        : undefined;
    // Helm sends credentials only to the repository's own scheme and host, unless told otherwise.
    if (authorization && (passAll || origin === credentialsOrigin)) headers.Authorization = authorization;

    const controller = new AbortController();
    let failure: Error | undefined;
    const fail = (err: Error) => {
      if (failure) return;
      failure = err;
      controller.abort(err);
    };
    const timer = setTimeout(
      () => fail(new TimeoutError(`fetching ${url}: deadline of ${formatDeadline(deadlineMs)} exceeded`)),
      deadlineMs,
    );
    const onOuterAbort = () => fail(new IoError(`fetching ${url}: the download was cancelled`));
    if (options.signal?.aborted) onOuterAbort();
    options.signal?.addEventListener('abort', onOuterAbort, { once: true });

    try {
      let response: AxiosResponse<Readable>;
      try {
        response = await axios.request<Readable>({
          method: 'GET',
          url,
          headers,
          responseType: 'stream',
          decompress: true,
          maxRedirects: MAX_REDIRECTS,
          maxContentLength: maxBytes,
          maxBodyLength: 0,
          proxy: false,
          validateStatus: () => true,
          signal: controller.signal,
          httpAgent: new http.Agent({ keepAlive: false }),
          httpsAgent: httpsAgent(options),
          beforeRedirect: (redirect: Record<string, unknown>) => {
            const href = String(redirect['href'] ?? '');
            const protocol = String(redirect['protocol'] ?? '');
            if (!HTTP_SCHEMES.has(protocol)) {
              const err = new IoError(
                `fetching ${url}: refused redirect to ${JSON.stringify(href)} (only http and https are followed)`,
              );
              fail(err);
              throw err;
            }
            const headersOf = redirect['headers'] as Record<string, unknown> | undefined;
            if (passAll && authorization && headersOf) {
              headersOf['Authorization'] = authorization;
            } else if (originOf(href) !== credentialsOrigin) {
              // Axios already drops these across origins; a redirect to a subdomain keeps them
              // in follow-redirects, so drop them here too.
              deleteHeader(headersOf, 'authorization');
              delete redirect['auth'];
            }
          },
        });
      } catch (err) {
        if (failure) throw failure;
        throw this.requestError(err, url, maxBytes);
      }
      const body = response.data;
      if (response.status !== 200) {
        body.destroy();
        const text = response.statusText ? ` ${response.statusText}` : '';
        throw new IoError(`failed to fetch ${url} : ${response.status}${text}`);
      }
      const declared = Number(response.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes && !response.headers['content-encoding']) {
        body.destroy();
        throw tooLarge(url, maxBytes);
      }
      const fetched = await collectBody(body, {
        url,
        maxBytes,
        signal: controller.signal,
        abortReason: () => failure ?? new IoError(`fetching ${url}: the download was cancelled`),
        mapError: (err) => failure ?? this.requestError(err, url, maxBytes),
      });
      return checkDigest(fetched, options, url);
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onOuterAbort);
    }
  }

  /** One line for a failed request, naming the URL. */
  private requestError(err: unknown, url: string, maxBytes: number): Error {
    if (err instanceof BosunError) return err;
    const { code, message } = axiosDetail(err);
    if (/maxContentLength/.test(message)) return tooLarge(url, maxBytes);
    if (code === 'ERR_FR_TOO_MANY_REDIRECTS' || /Maximum number of redirects/.test(message)) {
      return new IoError(`fetching ${url}: stopped after ${MAX_REDIRECTS} redirects (too many redirects)`);
    }
    if (/Unsupported protocol/.test(message)) {
      return new IoError(`fetching ${url}: refused a redirect to an unsupported protocol`);
    }
    return new IoError(`fetching ${url}: ${message}`);
  }
}

/**
 * One HTTP request from a container, shared by `curl` and `wget`: URL parsing, the status
 * reasons, the outcome of a fetch (DNS, connection, TLS, answer) and the response headers.
 */

import { HTTP_TO_HTTPS } from '../pages.js';
import type { Shell } from '../shell.js';
import type { HttpAnswer } from '../types.js';
import { connect, lookup, requestContext } from './network.js';

export interface HttpTarget {
  readonly scheme: 'http' | 'https';
  readonly host: string;
  readonly port: number;
  readonly path: string;
}

export function parseUrl(url: string): HttpTarget | undefined {
  const m = /^(?:(https?):\/\/)?(\[[^\]]+\]|[^/:?#]+)(?::(\d+))?([/?][^#]*)?/i.exec(url);
  if (m === null) return undefined;
  const scheme = (m[1]?.toLowerCase() ?? 'http') as 'http' | 'https';
  const path = m[4] ?? '/';
  return {
    scheme,
    host: m[2]!,
    port: m[3] ? Number(m[3]) : scheme === 'https' ? 443 : 80,
    path: path.startsWith('?') ? `/${path}` : path,
  };
}

export const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  304: 'Not Modified',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

type Fetched =
  | { readonly kind: 'dns' }
  | { readonly kind: 'refused' | 'timeout' | 'unreachable'; readonly ip: string }
  | { readonly kind: 'empty'; readonly ip: string }
  | { readonly kind: 'tls-wrong-version'; readonly ip: string }
  | { readonly kind: 'tls-untrusted'; readonly ip: string }
  | { readonly kind: 'answer'; readonly ip: string; readonly answer: HttpAnswer };

/** Sends one HTTP request from the container. */
export function fetchHttp(
  shell: Shell,
  target: HttpTarget,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  insecure: boolean,
): Fetched {
  const resolved = lookup(shell, target.host);
  if (resolved === undefined || resolved.addresses.length === 0) return { kind: 'dns' };
  const ip = resolved.addresses[0]!;
  const connection = connect(shell, ip, target.port);
  if (!connection.ok) return { kind: connection.error, ip };
  const port = connection.behaviour.ports.find((p) => p.port === connection.port);
  const tls = port?.tls === true;
  if (target.scheme === 'https' && !tls) return { kind: 'tls-wrong-version', ip };
  if (target.scheme === 'https' && !insecure) return { kind: 'tls-untrusted', ip };
  if (target.scheme === 'http' && tls)
    return {
      kind: 'answer',
      ip,
      answer: {
        status: 400,
        headers: { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' },
        body: HTTP_TO_HTTPS,
      },
    };
  const answer = connection.behaviour.http(
    {
      method,
      path: target.path,
      port: connection.port,
      headers: { Host: target.host, ...headers },
      ...(body === undefined ? {} : { body }),
      clientIP: shell.run.context?.podIP ?? '10.0.0.11',
    },
    requestContext(shell, connection),
  );
  if (answer === undefined || answer.status === 0) return { kind: 'empty', ip };
  return { kind: 'answer', ip, answer };
}

export function headerLines(answer: HttpAnswer, now: number): [string, string][] {
  const headers: [string, string][] = [];
  const given = answer.headers ?? {};
  const has = (name: string) => Object.keys(given).some((k) => k.toLowerCase() === name.toLowerCase());
  if (given.Server) headers.push(['Server', given.Server]);
  headers.push(['Date', new Date(now).toUTCString()]);
  for (const [k, v] of Object.entries(given)) if (k !== 'Server') headers.push([k, v]);
  if (!has('Content-Length'))
    headers.push(['Content-Length', String(Buffer.byteLength(answer.body, 'latin1'))]);
  if (!has('Connection')) headers.push(['Connection', 'keep-alive']);
  return headers;
}

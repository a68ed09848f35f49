/**
 * Image references as Docker and containerd read them (`github.com/distribution/reference`):
 * `nginx` is `docker.io/library/nginx:latest`, `dockercoins/worker:v0.1` is
 * `docker.io/dockercoins/worker:v0.1`, a first component with a `.` or a `:` (or `localhost`)
 * names a registry (`quay.io/prometheus/prometheus:v3.14.0`, `127.0.0.1:31500/busybox`).
 * A name the grammar refuses is what the kubelet reports as `InvalidImageName`.
 */

import type { ImageReference } from './types.js';

/** The registry an unqualified name comes from. */
export const DEFAULT_REGISTRY = 'docker.io';
/** The tag of a reference that names none. */
export const DEFAULT_TAG = 'latest';

/** The longest repository name (domain and path) the grammar allows. */
const NAME_TOTAL_LENGTH_MAX = 255;

const ALNUM = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN_NAME = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*`;
const IPV6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const DOMAIN = `(?:${DOMAIN_NAME}|${IPV6})(?::[0-9]+)?`;
const PATH_RE = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const DOMAIN_RE = new RegExp(`^${DOMAIN}$`);
const TAG_RE = /^[\w][\w.-]{0,127}$/;
const DIGEST_RE = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

/** Why a reference does not parse, in the reference library's words (`invalid reference format`). */
export function referenceError(raw: string): string | undefined {
  return split(raw).error;
}

/** Parses an image reference with Docker's normalisation; undefined when it is not a valid name. */
export function parseImageReference(raw: string): ImageReference | undefined {
  const parsed = split(raw);
  return parsed.error === undefined ? parsed.reference : undefined;
}

/** The familiar form of a reference (`nginx:latest`, `dockercoins/worker:v0.1`, `quay.io/x/y:1`). */
export function familiarName(reference: Pick<ImageReference, 'registry' | 'repository'>): string {
  if (reference.registry !== DEFAULT_REGISTRY) return `${reference.registry}/${reference.repository}`;
  return reference.repository.startsWith('library/') && reference.repository.split('/').length === 2
    ? reference.repository.slice('library/'.length)
    : reference.repository;
}

/** Parsed references by text: pods name few images, and every sync looks its images up again. */
const parsedCache = new Map<string, { reference?: ImageReference; error?: string }>();
const PARSED_CACHE_SIZE = 512;

function split(raw: string): { reference?: ImageReference; error?: string } {
  const cached = parsedCache.get(raw);
  if (cached !== undefined) return cached;
  const parsed = parse(raw);
  if (parsedCache.size >= PARSED_CACHE_SIZE) parsedCache.clear();
  parsedCache.set(raw, parsed);
  return parsed;
}

function parse(raw: string): { reference?: ImageReference; error?: string } {
  const invalid = { error: 'invalid reference format' };
  if (typeof raw !== 'string' || raw === '' || raw.trim() !== raw) return invalid;
  let rest = raw;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST_RE.test(digest)) return invalid;
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG_RE.test(tag)) return invalid;
  }
  if (rest === '') return invalid;
  // splitDockerDomain: the first component is a registry when it has a `.` or a `:`, is
  // `localhost`, or is not lowercase.
  const slash = rest.indexOf('/');
  let registry = DEFAULT_REGISTRY;
  let path = rest;
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (
      first.includes('.') ||
      first.includes(':') ||
      first === 'localhost' ||
      first.toLowerCase() !== first
    ) {
      registry = first;
      path = rest.slice(slash + 1);
      if (!DOMAIN_RE.test(registry)) return invalid;
    }
  }
  if (registry === 'index.docker.io') registry = DEFAULT_REGISTRY;
  if (registry === DEFAULT_REGISTRY && !path.includes('/')) path = `library/${path}`;
  if (path.toLowerCase() !== path) {
    return { error: `invalid reference format: repository name (${path}) must be lowercase` };
  }
  if (!PATH_RE.test(path)) return invalid;
  if (`${registry}/${path}`.length > NAME_TOTAL_LENGTH_MAX) {
    return {
      error: `invalid reference format: repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`,
    };
  }
  const effectiveTag = tag ?? (digest === undefined ? DEFAULT_TAG : '');
  const name = `${registry}/${path}`;
  const canonical = `${name}${effectiveTag === '' ? '' : `:${effectiveTag}`}${digest === undefined ? '' : `@${digest}`}`;
  return {
    reference: {
      raw,
      registry,
      repository: path,
      tag: effectiveTag,
      ...(digest === undefined ? {} : { digest }),
      canonical,
    },
  };
}

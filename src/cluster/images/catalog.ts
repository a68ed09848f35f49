/**
 * The image catalog the kubelet pulls from: catalog images at the tags that exist, images pushed
 * to the simulated registries (read from store meta on every pull, so a push made by another
 * process is seen), and containerd's failures for everything else:
 * - a tag the repository lacks: `failed to pull and unpack image "docker.io/dockercoins/worker:v0.3":
 *   failed to resolve reference "docker.io/dockercoins/worker:v0.3": docker.io/dockercoins/worker:v0.3: not found`;
 * - a repository Docker Hub does not have (or any image the catalog does not know): `… pull access
 *   denied, repository does not exist or may require authorization: server message:
 *   insufficient_scope: authorization failed`;
 * - a name that does not parse: `InvalidImageName`, never retried.
 */

import { buildBehaviour } from './behaviour.js';
import { IMAGE_SPECS, type ImageSpec } from './catalog-data.js';
import { DEFAULT_REGISTRY, parseImageReference, referenceError } from './reference.js';
import { findPushed, type MetaReader, type PushedImage, pushedImages } from './registry.js';
import { type ResolvedImage, resolveEntry, resolveSpec, specsByRepository } from './resolved.js';
import { sha256Hex } from './text.js';
import type { CatalogImage, ImageCatalog, ImageReference, PullOutcome } from './types.js';

/** Every repository of the catalog (for tests and listings). */
export const IMAGE_CATALOG_ENTRIES: readonly ImageSpec[] = IMAGE_SPECS;

/** The prefix of `CatalogImage.entry` for pushed images (`pushed:<canonical>`). */
const PUSHED_ENTRY = 'pushed:';

/** Pull time of an image on a node that does not have it (image-catalog §2.3). */
export function pullTimeMs(image: Pick<ResolvedImage, 'pull' | 'sizeMB'>): number {
  switch (image.pull) {
    case 'tiny':
      return Math.round(Math.min(950, 300 + image.sizeMB * 60));
    case 'medium':
      return Math.round(Math.min(5000, 2000 + image.sizeMB * 25));
    default:
      return Math.round(Math.min(30_000, 10_000 + image.sizeMB * 40));
  }
}

/** The digest the runtime reports for an image (stable per canonical name without digest). */
export function imageDigest(reference: Pick<ImageReference, 'registry' | 'repository' | 'tag'>): string {
  return `sha256:${sha256Hex(`${reference.registry}/${reference.repository}:${reference.tag}`)}`;
}

/** Registries the simulation knows exist; an unknown host fails to resolve. */
const PUBLIC_REGISTRIES = new Set([
  DEFAULT_REGISTRY,
  'quay.io',
  'registry.k8s.io',
  'k8s.gcr.io',
  'gcr.io',
  'ghcr.io',
  'public.ecr.aws',
  'mcr.microsoft.com',
  'registry.gitlab.com',
]);

function isLocalRegistry(host: string): boolean {
  return /^(localhost|127\.\d+\.\d+\.\d+|\d+\.\d+\.\d+\.\d+)(:\d+)?$/.test(host);
}

/** containerd's message for a reference that is not there. */
function pullFailure(reference: ImageReference, repositoryExists: boolean): PullOutcome {
  const name = reference.canonical;
  const prefix = `failed to pull and unpack image "${name}": failed to resolve reference "${name}": `;
  const host = reference.registry;
  if (!PUBLIC_REGISTRIES.has(host) && !isLocalRegistry(host)) {
    const path = `https://${host}/v2/${reference.repository}/manifests/${reference.digest ?? reference.tag}`;
    return {
      ok: false,
      reason: 'ErrImagePull',
      code: 'Unknown',
      message: `${prefix}failed to do request: Head "${path}": dial tcp: lookup ${host.replace(/:\d+$/, '')} on 127.0.0.53:53: no such host`,
    };
  }
  if (!repositoryExists && host === DEFAULT_REGISTRY) {
    return {
      ok: false,
      reason: 'ErrImagePull',
      code: 'Unknown',
      message: `${prefix}pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`,
    };
  }
  return { ok: false, reason: 'ErrImagePull', code: 'NotFound', message: `${prefix}${name}: not found` };
}

function catalogImage(reference: ImageReference, image: ResolvedImage, entry = image.entry): CatalogImage {
  return {
    reference,
    digest: imageDigest(reference),
    sizeBytes:
      Math.round(image.sizeMB * 1_000_000) +
      (Number.parseInt(sha256Hex(reference.canonical).slice(0, 4), 16) % 100_000),
    pullMs: pullTimeMs(image),
    entry,
  };
}

/** The catalog image a pushed image behaves like (its `from`, its repository's newest tag), if any. */
function behavesLike(
  meta: MetaReader,
  pushed: PushedImage,
  seen = new Set<string>(),
): ResolvedImage | undefined {
  if (seen.has(pushed.reference)) return undefined;
  seen.add(pushed.reference);
  if (pushed.from !== undefined) {
    const from = parseImageReference(pushed.from);
    if (from !== undefined) {
      const spec = specsByRepository().get(`${from.registry}/${from.repository}`);
      const resolved = spec === undefined ? undefined : resolveSpec(spec, from.tag);
      if (resolved !== undefined) return resolved;
      const again = findPushed(meta, from.canonical);
      if (again !== undefined) return behavesLike(meta, again, seen);
    }
  }
  const reference = parseImageReference(pushed.reference);
  if (reference === undefined) return undefined;
  const same =
    specsByRepository().get(`${reference.registry}/${reference.repository}`) ??
    sameName(reference.repository);
  return same === undefined ? undefined : newestTag(same, reference.tag);
}

/** A catalog repository whose last path component matches (`127.0.0.1:5000/worker` → `dockercoins/worker`). */
function sameName(repository: string): ImageSpec | undefined {
  const last = repository.split('/').pop();
  const matches = IMAGE_SPECS.filter((s) => s.name.split('/').pop() === last);
  return matches.find((s) => s.name.startsWith('dockercoins/')) ?? matches[0];
}

/** The tag of `spec` closest below `tag` (v0.3 → v0.2), else its newest. */
function newestTag(spec: ImageSpec, tag: string): ResolvedImage | undefined {
  if (spec.tags.includes(tag)) return resolveSpec(spec, tag);
  const versioned = spec.tags.filter((t) => /^v?\d/.test(t));
  const order = (t: string) =>
    t
      .replace(/^v/, '')
      .split(/[.-]/)
      .map((x) => Number.parseInt(x, 10) || 0);
  const cmp = (a: string, b: string) => {
    const pa = order(a);
    const pb = order(b);
    for (let i = 0; i < Math.max(pa.length, pb.length); i++)
      if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
    return 0;
  };
  const below = /^v?\d/.test(tag) ? versioned.filter((t) => cmp(t, tag) <= 0) : [];
  const pick =
    [...(below.length > 0 ? below : versioned)].sort(cmp).pop() ??
    (spec.tags.includes('latest') ? 'latest' : spec.tags[0]);
  return pick === undefined ? undefined : resolveSpec(spec, pick);
}

/** A process that runs until stopped, listens on nothing and logs nothing (an unknown pushed image). */
function genericImage(reference: ImageReference): ResolvedImage {
  return {
    entry: `${PUSHED_ENTRY}${reference.canonical}`,
    name: `${reference.registry}/${reference.repository}`,
    tag: reference.tag,
    description: 'A pushed image the catalog does not know: runs until stopped',
    app: 'server',
    os: 'alpine',
    sizeMB: 5,
    pull: 'tiny',
    version: reference.tag,
    ports: [],
    startupMs: 0,
    ignoresSigterm: false,
    entrypoint: [],
    cmd: ['/app'],
    binaries: new Set(['app']),
    anyCommandRuns: false,
    tools: resolveEntry('alpine:latest')?.tools ?? new Set(),
    shell: 'ash',
    env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' },
    logs: [],
    routes: [],
    settings: {},
    oneShot: {},
  };
}

/** The image a pushed reference runs as. */
function pushedImageSpec(meta: MetaReader, reference: ImageReference): ResolvedImage | undefined {
  const pushed = findPushed(meta, reference.canonical);
  if (pushed === undefined) return undefined;
  return behavesLike(meta, pushed) ?? genericImage(reference);
}

/**
 * The cluster's image catalog: `meta` holds the pushed images (`images.pushed`), read again on
 * every pull and behaviour lookup.
 */
export function createImageCatalog(meta: MetaReader): ImageCatalog {
  const services = {
    pushed: () => pushedImages(meta),
  };
  return {
    parse: parseImageReference,
    pull(raw: string): PullOutcome {
      const reference = parseImageReference(raw);
      if (reference === undefined) {
        return {
          ok: false,
          reason: 'InvalidImageName',
          message: `Failed to apply default image tag "${raw}": couldn't parse image name "${raw}": ${referenceError(raw) ?? 'invalid reference format'}`,
        };
      }
      // A push wins over the catalog: the registry serves what was pushed last.
      const lookupName = reference.digest === undefined || reference.tag !== '' ? reference : undefined;
      if (lookupName !== undefined) {
        const pushedCanonical = `${reference.registry}/${reference.repository}:${reference.tag}`;
        const pushed = findPushed(meta, pushedCanonical);
        if (pushed !== undefined) {
          const image =
            behavesLike(meta, pushed) ?? genericImage({ ...reference, canonical: pushedCanonical });
          return { ok: true, image: catalogImage(reference, image, `${PUSHED_ENTRY}${pushedCanonical}`) };
        }
      }
      const spec = specsByRepository().get(`${reference.registry}/${reference.repository}`);
      if (spec === undefined) return pullFailure(reference, false);
      if (reference.tag !== '') {
        const image = resolveSpec(spec, reference.tag);
        return image === undefined
          ? pullFailure(reference, true)
          : { ok: true, image: catalogImage(reference, image) };
      }
      // By digest only: one of the repository's tags must have it.
      const tag = spec.tags.find((t) => imageDigest({ ...reference, tag: t }) === reference.digest);
      const image = tag === undefined ? undefined : resolveSpec(spec, tag);
      return image === undefined
        ? pullFailure(reference, true)
        : { ok: true, image: catalogImage(reference, image) };
    },
    behaviour(image, spec, context) {
      let resolved: ResolvedImage | undefined;
      if (image.entry.startsWith(PUSHED_ENTRY)) {
        const reference = parseImageReference(image.entry.slice(PUSHED_ENTRY.length));
        resolved =
          reference === undefined ? undefined : (pushedImageSpec(meta, reference) ?? genericImage(reference));
      } else {
        resolved = resolveEntry(image.entry);
      }
      if (resolved === undefined) throw new Error(`image ${image.reference.canonical} is not in the catalog`);
      return buildBehaviour(resolved, spec, context, services);
    },
  };
}

/**
 * The simulated registries: images pushed by `docker push` (to the training's NodePort registry
 * `127.0.0.1:<nodePort>/busybox`, to `$REGISTRY/worker:v0.3`, to a Docker Hub account), kept in
 * store meta under `images.pushed` so every process of the cluster sees them. A pushed image
 * behaves like the image it was tagged from (`docker tag busybox $REGISTRY/busybox`), else like
 * the catalog's image of the same repository (`dockercoins/worker:v0.3` runs as v0.2), else as a
 * process that runs until stopped and listens on nothing.
 */

import { IMAGE_SPECS } from './catalog-data.js';
import { familiarName, parseImageReference, referenceError } from './reference.js';
import { repositoryKey, resolveSpec } from './resolved.js';
import type { ImageReference } from './types.js';

/** The meta key of the pushed images. */
export const PUSHED_META = 'images.pushed';

/** An image pushed to a simulated registry. */
export interface PushedImage {
  /** Canonical (`127.0.0.1:31500/busybox:latest`, `docker.io/dockercoins/worker:v0.3`). */
  readonly reference: string;
  /** The canonical reference it was tagged from, when known. */
  readonly from?: string;
  /** When it was pushed (RFC 3339). */
  readonly pushedAt: string;
}

/** Read access to store meta. */
export interface MetaReader {
  get(name: string): unknown;
}

/** Read and write access to store meta. */
export interface MetaAccess extends MetaReader {
  set(name: string, value: unknown): void;
}

/** The pushed images recorded in meta (malformed entries are skipped). */
export function pushedImages(meta: MetaReader): readonly PushedImage[] {
  const value = meta.get(PUSHED_META);
  if (!Array.isArray(value)) return [];
  return value.filter(
    (v): v is PushedImage =>
      typeof v === 'object' &&
      v !== null &&
      typeof (v as PushedImage).reference === 'string' &&
      typeof (v as PushedImage).pushedAt === 'string',
  );
}

/** The pushed image of a canonical reference, if any. */
export function findPushed(meta: MetaReader, canonical: string): PushedImage | undefined {
  return pushedImages(meta).find((p) => p.reference === canonical);
}

/** Whether a canonical reference names a catalog image at an existing tag. */
export function inCatalog(reference: ImageReference): boolean {
  const spec = IMAGE_SPECS.find(
    (s) => repositoryKey(s.name) === `${reference.registry}/${reference.repository}`,
  );
  return spec !== undefined && resolveSpec(spec, reference.tag) !== undefined;
}

/**
 * Records a push of `raw` (tagged from `options.from` when given). Throws an Error with a one-line
 * message for a name that does not parse, a digest reference, or a `from` that no registry has.
 */
export function pushImage(meta: MetaAccess, raw: string, options: { from?: string; now: Date }): PushedImage {
  const reference = parseImageReference(raw);
  if (reference === undefined)
    throw new Error(`invalid image name "${raw}": ${referenceError(raw) ?? 'invalid reference format'}`);
  if (reference.digest !== undefined) throw new Error(`cannot push a digest reference: "${raw}"`);
  let from: string | undefined;
  if (options.from !== undefined) {
    const source = parseImageReference(options.from);
    if (source === undefined)
      throw new Error(
        `invalid image name "${options.from}": ${referenceError(options.from) ?? 'invalid reference format'}`,
      );
    if (!inCatalog(source) && findPushed(meta, source.canonical) === undefined) {
      throw new Error(`No such image: ${familiarName(source)}:${source.tag}`);
    }
    from = source.canonical;
  }
  const pushed: PushedImage = {
    reference: reference.canonical,
    ...(from === undefined ? {} : { from }),
    pushedAt: options.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  const others = pushedImages(meta).filter((p) => p.reference !== pushed.reference);
  meta.set(PUSHED_META, [...others, pushed]);
  return pushed;
}

/** One catalog image as `listImages` shows it. */
export interface CatalogListing {
  /** The familiar name (`nginx:1.13.11`, `quay.io/prometheus/prometheus:v3.14.0`). */
  readonly reference: string;
  /** The canonical name (`docker.io/library/nginx:1.13.11`). */
  readonly canonical: string;
  readonly ports: readonly number[];
  readonly description: string;
}

/** Every image a pod can run: the catalog's (each existing tag) and the pushed ones. */
export function listImages(meta: MetaReader): {
  readonly catalog: readonly CatalogListing[];
  readonly pushed: readonly PushedImage[];
} {
  const catalog: CatalogListing[] = [];
  for (const spec of IMAGE_SPECS) {
    for (const tag of spec.tags) {
      const image = resolveSpec(spec, tag);
      if (image === undefined) continue;
      const ref = parseImageReference(`${spec.name}:${tag}`);
      catalog.push({
        reference: `${spec.name}:${tag}`,
        canonical: ref?.canonical ?? `${spec.name}:${tag}`,
        ports: [...new Set(image.ports.filter((p) => (p.protocol ?? 'TCP') === 'TCP').map((p) => p.port))],
        description: image.description,
      });
    }
  }
  return { catalog, pushed: [...pushedImages(meta)].sort((a, b) => a.reference.localeCompare(b.reference)) };
}
